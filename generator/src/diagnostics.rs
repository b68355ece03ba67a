//! Problems found in the input, each pinned to a place in the user's own file:
//! errors (nothing is generated) and warnings (a construct is degraded to a
//! documented fallback; generation goes on unless warnings are denied).

use std::cell::RefCell;
use std::fmt;
use std::path::PathBuf;

use crate::load::sources::SourceMap;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// clientgen generates anyway, with a documented fallback.
    Warning,
    /// clientgen generates nothing.
    Error,
}

/// One problem in one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether generation goes on.
    pub severity: Severity,
    /// The file the problem is in.
    pub file: PathBuf,
    /// 1-based line of the offending node (or of its nearest located ancestor).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// JSON pointer to the offending node in `file`, e.g. `/paths/~1pets/get`.
    pub pointer: String,
    /// What is wrong, in a sentence without a trailing period.
    pub message: String,
}

impl Diagnostic {
    /// An error at a known position.
    pub fn error(file: PathBuf, (line, column): (usize, usize), pointer: String, message: String) -> Self {
        Diagnostic { severity: Severity::Error, file, line, column, pointer, message }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Warning => "warning: ",
            Severity::Error => "",
        };
        write!(
            f,
            "{}:{}:{}: {severity}{} (at #{})",
            self.file.display(),
            self.line,
            self.column,
            self.message,
            self.pointer
        )
    }
}

/// Every problem of one kind found in one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// The same problems, all made errors (`--deny-warnings`).
    pub fn denied(self) -> Diagnostics {
        Diagnostics(self.0.into_iter().map(|d| Diagnostic { severity: Severity::Error, ..d }).collect())
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Collects problems of one document, locating each pointer (into the
/// document as clientgen sees it, after bundling and upgrading) in the file
/// and at the pointer the user wrote. Warnings go straight to the document's
/// shared list; errors stay here until [`Reporter::finish`].
#[derive(Debug)]
pub struct Reporter<'a> {
    sources: &'a SourceMap,
    warnings: &'a RefCell<Vec<Diagnostic>>,
    found: Vec<Diagnostic>,
}

impl<'a> Reporter<'a> {
    /// A reporter for the document whose origins are in `sources`; warnings
    /// are added to `warnings`.
    pub fn new(sources: &'a SourceMap, warnings: &'a RefCell<Vec<Diagnostic>>) -> Self {
        Reporter { sources, warnings, found: Vec::new() }
    }

    fn diagnostic(&self, severity: Severity, pointer: &str, message: String) -> Diagnostic {
        let place = self.sources.locate(pointer);
        Diagnostic { severity, file: place.file, line: place.line, column: place.column, pointer: place.pointer, message }
    }

    /// Records a problem at the node `pointer` points to.
    pub fn error(&mut self, pointer: &str, message: impl Into<String>) {
        let diagnostic = self.diagnostic(Severity::Error, pointer, message.into());
        self.found.push(diagnostic);
    }

    /// Records a degraded construct at the node `pointer` points to; the same
    /// warning at the same place is kept once, however often it is met.
    pub fn warning(&mut self, pointer: &str, message: impl Into<String>) {
        let diagnostic = self.diagnostic(Severity::Warning, pointer, message.into());
        let mut warnings = self.warnings.borrow_mut();
        if !warnings.contains(&diagnostic) {
            warnings.push(diagnostic);
        }
    }

    /// `file:line:col, #/pointer` of a node, for messages that name a second place.
    pub fn place(&self, pointer: &str) -> String {
        let place = self.sources.locate(pointer);
        format!("{}:{}:{}, #{}", place.file.display(), place.line, place.column, place.pointer)
    }

    /// True when no error has been recorded.
    pub fn is_clean(&self) -> bool {
        self.found.is_empty()
    }

    /// The errors recorded, in the order found.
    pub fn finish(self) -> Diagnostics {
        Diagnostics(self.found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_say_so_and_errors_do_not() {
        let warning = Diagnostic {
            severity: Severity::Warning,
            file: PathBuf::from("a.yaml"),
            line: 3,
            column: 5,
            pointer: String::from("/x"),
            message: String::from("degraded"),
        };
        assert_eq!(warning.to_string(), "a.yaml:3:5: warning: degraded (at #/x)");
        let denied = Diagnostics(vec![warning]).denied();
        assert_eq!(denied.to_string(), "a.yaml:3:5: degraded (at #/x)\n");
    }
}
