//! What one change is: its class, the Rust item it touches, and where it is
//! in both specs; and the version bump a set of changes calls for.

use std::fmt;

/// What a change does to the code built on the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Code that compiled may not: an item removed or renamed, an argument
    /// added, a type changed.
    Breaking,
    /// The same code compiles but the request or its decoding differs: path,
    /// method, server URL, media type, credentials, a status moved between
    /// success and error, a wire name.
    Behaviour,
    /// Something new that no existing code can notice: an operation, an
    /// optional parameter or field, an enum value (generated types are
    /// `#[non_exhaustive]`, so neither struct literals nor exhaustive matches
    /// of them exist outside the crate).
    Additive,
    /// Descriptions, summaries, examples and deprecation marks only.
    Docs,
}

impl Class {
    /// Every class, most severe first.
    pub const ALL: [Class; 4] = [Class::Breaking, Class::Behaviour, Class::Additive, Class::Docs];

    /// The name used in reports and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Behaviour => "behaviour",
            Class::Additive => "additive",
            Class::Docs => "docs",
        }
    }
}

/// One change, as one line of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Its class.
    pub class: Class,
    /// The Rust item as a user writes it, e.g. `payrix::Client::sessions().get_sessions()`.
    pub item: String,
    /// What changed.
    pub message: String,
    /// Where the item is in the old spec (`file:line:col, #pointer`), when it is there.
    pub old: Option<String>,
    /// Where the item is in the new spec, when it is there.
    pub new: Option<String>,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.class.name(), self.item, self.message)?;
        match (&self.old, &self.new) {
            (Some(old), Some(new)) if old == new => write!(f, " (at {old})"),
            (Some(old), Some(new)) => write!(f, " (old {old}; new {new})"),
            (Some(old), None) => write!(f, " (old {old})"),
            (None, Some(new)) => write!(f, " (new {new})"),
            (None, None) => Ok(()),
        }
    }
}

/// A version bump under Cargo's semver rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// No change.
    None,
    /// The last number.
    Patch,
    /// The middle number.
    Minor,
    /// The first number.
    Major,
}

impl Bump {
    /// The bump `changes` call for, from `version`. Cargo treats the first
    /// non-zero number as the major one, so for `0.x` a breaking change bumps
    /// the minor and an addition the patch; from `1.0`, breaking is major,
    /// additive minor, and behaviour or docs patch (a behaviour change is a
    /// fix of the client to follow the API, which callers want without asking).
    pub fn suggest(version: &str, changes: &[Change]) -> Bump {
        let Some(worst) = changes.iter().map(|c| c.class).min() else { return Bump::None };
        let stable = !version.trim().starts_with("0.");
        match (worst, stable) {
            (Class::Breaking, true) => Bump::Major,
            (Class::Breaking, false) | (Class::Additive, true) => Bump::Minor,
            _ => Bump::Patch,
        }
    }

    /// The name used in reports and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// `version` with the named number bumped (positions, not meanings:
    /// [`Bump::suggest`] already chose the minor for a breaking `0.x`):
    /// `0.3.1` with a minor bump is `0.4.0`. A version that
    /// is not `a.b.c` (pre-release and build parts are dropped) is returned as is.
    pub fn apply(self, version: &str) -> String {
        let core = version.trim().split(['-', '+']).next().unwrap_or_default();
        let numbers: Vec<u64> = core.split('.').filter_map(|n| n.parse().ok()).collect();
        let [major, minor, patch] = numbers[..] else { return version.to_owned() };
        match self {
            Bump::None => version.to_owned(),
            Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
            Bump::Minor => format!("{major}.{}.0", minor + 1),
            Bump::Major => format!("{}.0.0", major + 1),
        }
    }
}
