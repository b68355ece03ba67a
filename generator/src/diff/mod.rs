//! `clientgen diff`: what a change of spec does to the code built on the
//! generated crate. Both versions are lowered and their IRs compared item by
//! item, matched by the Rust names the generated code gives them; each
//! difference is classed (see [`Class`]) by what it does to code that
//! compiled against the old crate.
//!
//! [`side`] loads and locates, [`matching`] pairs items, [`client`],
//! [`operations`] and [`types`] hold the rules, [`report`] writes text and
//! JSON, [`workspace`] diffs every API of `clientgen.toml` against a git
//! revision.

mod change;
mod client;
pub mod git;
mod matching;
mod operations;
pub mod report;
mod side;
mod types;
pub mod workspace;
#[cfg(test)]
mod tests;

pub use change::{Bump, Change, Class};
pub use side::Side;

/// Collects the changes between two sides.
pub(crate) struct Recorder<'a> {
    old: &'a Side,
    new: &'a Side,
    changes: Vec<Change>,
}

impl<'a> Recorder<'a> {
    /// Records a change of `item` (a path in the API's module), located at
    /// `old` and `new` pointers.
    fn push(&mut self, class: Class, item: &str, message: String, old: Option<&str>, new: Option<&str>) {
        self.changes.push(Change {
            class,
            item: self.new.item(item),
            message,
            old: old.map(|pointer| self.old.place(pointer)),
            new: new.map(|pointer| self.new.place(pointer)),
        });
    }
}

/// Every change from `old` to `new`: the client's servers and credentials,
/// then the operations, then the types.
pub fn compare(old: &Side, new: &Side) -> Vec<Change> {
    let mut recorder = Recorder { old, new, changes: Vec::new() };
    client::compare(&mut recorder);
    operations::compare(&mut recorder);
    types::compare(&mut recorder);
    recorder.changes
}

/// Whether `old` and `new` differ, for the docs class: text compared
/// without leading and trailing whitespace.
fn text_changed(old: Option<&str>, new: Option<&str>) -> bool {
    old.map(str::trim) != new.map(str::trim)
}
