//! Problems found in an input document, each pinned to a place in it.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::locate::Locations;

/// One problem in one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file the problem is in.
    pub file: PathBuf,
    /// 1-based line of the offending node (or of its nearest located ancestor).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// JSON pointer to the offending node, e.g. `/paths/~1pets/get`.
    pub pointer: String,
    /// What is wrong, in a sentence without a trailing period.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {} (at #{})",
            self.file.display(),
            self.line,
            self.column,
            self.message,
            self.pointer
        )
    }
}

/// Every problem found in one run; generation fails when it is not empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Collects problems of one document, locating each pointer in its source.
#[derive(Debug)]
pub struct Reporter<'a> {
    file: &'a Path,
    locations: &'a Locations,
    found: Vec<Diagnostic>,
}

impl<'a> Reporter<'a> {
    /// A reporter for `file`, whose node positions are in `locations`.
    pub fn new(file: &'a Path, locations: &'a Locations) -> Self {
        Reporter { file, locations, found: Vec::new() }
    }

    /// Records a problem at the node `pointer` points to.
    pub fn error(&mut self, pointer: &str, message: impl Into<String>) {
        let (line, column) = self.locations.find(pointer);
        self.found.push(Diagnostic {
            file: self.file.to_path_buf(),
            line,
            column,
            pointer: pointer.to_owned(),
            message: message.into(),
        });
    }

    /// True when no problem has been recorded.
    pub fn is_clean(&self) -> bool {
        self.found.is_empty()
    }

    /// The problems recorded, in the order found.
    pub fn finish(self) -> Diagnostics {
        Diagnostics(self.found)
    }
}

/// Appends `segment` to a JSON pointer, escaping `~` and `/` as RFC 6901 says.
pub fn pointer_push(pointer: &str, segment: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + segment.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_segments_are_escaped() {
        assert_eq!(pointer_push("/paths", "/pets/{id}"), "/paths/~1pets~1{id}");
        assert_eq!(pointer_push("", "a~b"), "/a~0b");
    }
}
