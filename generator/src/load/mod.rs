//! Reading a spec: the root file and every local file it references, YAML or
//! JSON → one raw tree (bundled) → 3.0-shaped tree (upgraded from Swagger 2.0
//! or OpenAPI 3.1) → `openapiv3::OpenAPI`. A [`SourceMap`] sends every node of
//! the final tree back to the file and pointer the user wrote.

mod check;
mod encoding;
mod files;
mod openapi31;
mod parse;
mod schema_walk;
pub mod sources;
mod stubbed;
mod swagger2;
mod version;

use std::cell::RefCell;
use std::io;
use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics, Reporter};
use crate::load::parse::ParseError;
use crate::load::sources::{FileId, Origin, PointerMap, SourceMap};
use crate::load::version::Version;
use crate::resolve::{Detached, check_references};

/// A parsed document, 3.0-shaped: the typed document is all that lowering
/// reads (the raw tree it was made from is dropped once it exists), with the
/// few nodes references point at that are not components.
#[derive(Debug)]
pub struct Document {
    /// The root file, as diagnostics name it.
    pub path: PathBuf,
    /// The typed document.
    pub openapi: OpenAPI,
    /// Copies of the nodes `$ref`s point at that no component entry is (path
    /// items, nodes deep inside another), which the typed document cannot look up.
    pub detached: Detached,
    /// Where each node came from, for diagnostics.
    pub sources: SourceMap,
    /// Every file read, as opened (for `cargo:rerun-if-changed`).
    pub files_read: Vec<PathBuf>,
    warnings: RefCell<Vec<Diagnostic>>,
}

impl Document {
    /// A reporter for problems in this document.
    pub fn reporter(&self) -> Reporter<'_> {
        Reporter::new(&self.sources, &self.warnings)
    }

    /// The warnings raised so far, loading and lowering.
    pub fn warnings(&self) -> Diagnostics {
        Diagnostics(self.warnings.borrow().clone())
    }
}

/// Why a spec could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// The root file cannot be read: an I/O failure, not bad input.
    Unreadable {
        /// The file, as the user named it.
        path: PathBuf,
        /// Why.
        error: io::Error,
    },
    /// The input has problems.
    Input(Diagnostics),
}

impl From<Diagnostics> for LoadError {
    fn from(diagnostics: Diagnostics) -> Self {
        LoadError::Input(diagnostics)
    }
}

/// How files are found: `path`s in diagnostics are relative to the current
/// directory of the user; files are opened at `base.join(path)`.
pub struct Loader<'r> {
    base: PathBuf,
    read: &'r dyn Fn(&Path) -> io::Result<String>,
}

/// The largest spec file clientgen reads (the largest real specs are tens of MB).
const MAX_FILE_BYTES: u64 = 256 << 20;

/// Reads a regular file of at most 256 MiB; a device, directory or
/// endless pseudo-file named by a `$ref` is not read.
pub fn read_regular_file(path: &Path) -> io::Result<String> {
    use std::io::Read;
    if !std::fs::metadata(path)?.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"));
    }
    let file = std::fs::File::open(path)?;
    // Sized up front: read through `take`, the string would grow by doubling.
    let size = file.metadata().map_or(0, |metadata| metadata.len().min(MAX_FILE_BYTES));
    let mut text = String::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1).read_to_string(&mut text)?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "larger than 256 MiB"));
    }
    Ok(text)
}

impl<'r> Loader<'r> {
    /// Files opened relative to `base` with `read`.
    pub fn new(base: impl Into<PathBuf>, read: &'r dyn Fn(&Path) -> io::Result<String>) -> Self {
        Loader { base: base.into(), read }
    }

    /// Reads and parses the spec at `path`.
    pub fn load(&self, path: &Path) -> Result<Document, LoadError> {
        let opened = self.base.join(path);
        let text = (self.read)(&opened).map_err(|error| LoadError::Unreadable { path: path.to_path_buf(), error })?;
        Ok(self.load_text(path, text)?)
    }

    /// Parses `text`, the content of `path`; referenced files are read from disk.
    pub fn load_text(&self, path: &Path, text: String) -> Result<Document, Diagnostics> {
        let raw = parse::parse(&text);
        let mut sources = SourceMap::new(path, text);
        let warnings = RefCell::new(Vec::new());
        let raw = match raw {
            Ok(raw) => raw,
            Err(error) => return Err(Diagnostics(vec![parse_diagnostic(&sources, FileId::ROOT, error)])),
        };
        let mut reporter = Reporter::new(&sources, &warnings);
        let version = version::detect(&raw, &mut reporter);
        let errors = reporter.finish();
        let Some(version) = version.filter(|_| errors.0.is_empty()) else { return Err(errors) };

        let mut bundler = files::Bundler::new(self, path, version, &mut sources);
        let raw = bundler.bundle(raw);
        let (errors, files_read) = bundler.finish();
        if !errors.0.is_empty() {
            return Err(errors);
        }

        // Checked before an upgrade rewrites them, so a dangling reference is
        // reported as the user wrote it (`#/definitions/…`).
        let mut reporter = Reporter::new(&sources, &warnings);
        check_references(&raw, &mut reporter);
        let errors = reporter.finish();
        if !errors.0.is_empty() {
            return Err(errors);
        }
        let upgraded = match version {
            Version::Swagger2 => swagger2::upgrade(raw),
            Version::OpenApi31 => openapi31::upgrade(raw),
            Version::OpenApi30 => Upgraded { tree: raw, moves: PointerMap::default(), notes: Vec::new() },
        };
        // Notes point into the bundled tree: report them before the upgrade's
        // moves are in the map.
        let mut reporter = Reporter::new(&sources, &warnings);
        for note in &upgraded.notes {
            reporter.warning(&note.pointer, note.message.clone());
        }
        sources.set_upgraded(upgraded.moves);
        let mut raw = upgraded.tree;
        encoding::explicit_explodes(&mut raw);
        let mut reporter = Reporter::new(&sources, &warnings);
        // The nodes that references point at and the typed document cannot
        // look up are copied first: the raw tree is consumed by the typed one.
        let detached = Detached::collect(&raw);
        let openapi = check::typed(raw, &mut reporter);
        let errors = reporter.finish();
        let Some(openapi) = openapi.filter(|_| errors.0.is_empty()) else { return Err(errors) };
        Ok(Document { path: path.to_path_buf(), openapi, detached, sources, files_read, warnings })
    }

    /// Reads and parses a referenced file (not the root).
    fn read(&self, path: &Path) -> io::Result<String> {
        (self.read)(&self.base.join(path))
    }
}

/// The result of an upgrade stage: a 3.0-shaped tree, where its moved nodes
/// came from (pointers of the input tree), and what was degraded on the way.
#[derive(Debug)]
pub struct Upgraded {
    /// The 3.0-shaped tree.
    pub tree: Value,
    /// Anchors from pointers of `tree` to pointers of the input tree.
    pub moves: PointerMap<String>,
    /// Warnings, at pointers of the input tree.
    pub notes: Vec<Note>,
}

impl Upgraded {
    /// The pointer of the input tree a pointer of the upgraded tree came from.
    pub fn input_pointer(&self, pointer: &str) -> String {
        match self.moves.nearest(pointer) {
            Some((from, rest)) => format!("{from}{rest}"),
            None => pointer.to_owned(),
        }
    }
}

/// A construct the upgrade had to degrade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Pointer in the input tree.
    pub pointer: String,
    /// What was lost, and what clientgen does instead.
    pub message: String,
}

fn parse_diagnostic(sources: &SourceMap, file: FileId, error: ParseError) -> Diagnostic {
    match error {
        ParseError::At { line, column, pointer, message } => {
            Diagnostic::error(sources.path(file).to_path_buf(), (line, column), pointer, message)
        }
        ParseError::Node { pointer, message } => {
            let place = sources.place(&Origin { file, pointer });
            Diagnostic::error(place.file, (place.line, place.column), place.pointer, message)
        }
    }
}

/// Reads and parses the spec at `path` (and the files it references).
pub fn load_file(path: &Path) -> Result<Document, LoadError> {
    Loader::new("", &read_regular_file).load(path)
}

/// Parses `text`, the content of `path`; referenced files are read from disk,
/// relative to `path`.
pub fn load_str(path: &Path, text: String) -> Result<Document, Diagnostics> {
    Loader::new("", &read_regular_file).load_text(path, text)
}
