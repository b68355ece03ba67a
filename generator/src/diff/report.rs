//! A diff's report: one line per change and a summary, or JSON for CI.

use serde_json::{Value, json};

use super::{Bump, Change, Class};

/// The changes of one run, with the version they were measured from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The crate's version before the change.
    pub version: String,
    /// The changes, API by API.
    pub changes: Vec<Change>,
}

impl Report {
    /// The bump the changes call for.
    pub fn bump(&self) -> Bump {
        Bump::suggest(&self.version, &self.changes)
    }

    /// Whether some change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.class == Class::Breaking)
    }

    /// `2 breaking, 0 behaviour, 1 additive, 0 docs`.
    pub fn counts(&self) -> String {
        let count = |class: Class| self.changes.iter().filter(|c| c.class == class).count();
        Class::ALL.iter().map(|&class| format!("{} {}", count(class), class.name())).collect::<Vec<_>>().join(", ")
    }

    /// The last line: counts and the suggested bump.
    pub fn conclusion(&self) -> String {
        match self.bump() {
            Bump::None => "no change to the generated API".to_owned(),
            bump => format!(
                "{}; suggested bump: {} ({} → {})",
                self.counts(),
                bump.name(),
                self.version,
                bump.apply(&self.version)
            ),
        }
    }

    /// Every change on its line, then the conclusion.
    pub fn text(&self) -> String {
        let mut out: String = self.changes.iter().map(|change| format!("{change}\n")).collect();
        out.push_str(&self.conclusion());
        out.push('\n');
        out
    }

    /// The counts and the breaking changes only, for `clientgen check`.
    pub fn summary(&self) -> String {
        let mut out = format!("the specs changed since HEAD: {}\n", self.conclusion());
        for change in self.changes.iter().filter(|c| c.class == Class::Breaking) {
            out.push_str(&format!("  {change}\n"));
        }
        out
    }

    /// `{"bump": …, "changes": [{"class", "item", "message", "old", "new"}]}`.
    pub fn json(&self) -> Value {
        let changes: Vec<Value> = self
            .changes
            .iter()
            .map(|c| {
                json!({
                    "class": c.class.name(),
                    "item": c.item,
                    "message": c.message,
                    "old": c.old,
                    "new": c.new,
                })
            })
            .collect();
        json!({ "bump": self.bump().name(), "changes": changes })
    }

    /// The entry `generate --bump` puts on top of `CHANGELOG.md`.
    pub fn changelog_entry(&self, version: &str) -> String {
        let mut out = format!("## {version}\n\n");
        for class in Class::ALL {
            let lines: Vec<&Change> = self.changes.iter().filter(|c| c.class == class).collect();
            if lines.is_empty() {
                continue;
            }
            out.push_str(&format!("### {}\n\n", heading(class)));
            for change in lines {
                out.push_str(&format!("- `{}`: {}\n", change.item, change.message));
            }
            out.push('\n');
        }
        out
    }
}

fn heading(class: Class) -> &'static str {
    match class {
        Class::Breaking => "Breaking",
        Class::Behaviour => "Behaviour",
        Class::Additive => "Added",
        Class::Docs => "Documentation",
    }
}
