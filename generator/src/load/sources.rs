//! Where each node of the document clientgen works on came from.
//!
//! Bundling copies nodes of referenced files into one tree and upgrading moves
//! nodes of 2.0 and 3.1 documents to their 3.0 places, so a pointer into the
//! final tree is not a pointer the user wrote. Both stages record anchors
//! (a node was moved here from there) and a pointer is sent back through the
//! nearest anchor above it: upgraded tree → bundled tree → (file, pointer).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::locate::Locations;

/// One file read for a document, by its index in the [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub usize);

impl FileId {
    /// The file the user named.
    pub const ROOT: FileId = FileId(0);
}

/// A node of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file.
    pub file: FileId,
    /// JSON pointer in that file.
    pub pointer: String,
}

/// Anchors from pointers of one tree to places in another; a pointer below an
/// anchor keeps its path below the anchor's target.
#[derive(Debug, Clone)]
pub struct PointerMap<T> {
    anchors: HashMap<String, T>,
}

impl<T> Default for PointerMap<T> {
    fn default() -> Self {
        PointerMap { anchors: HashMap::new() }
    }
}

impl<T> PointerMap<T> {
    /// Records that the node at `at` came from `from`.
    pub fn insert(&mut self, at: String, from: T) {
        self.anchors.insert(at, from);
    }

    /// The anchor at or nearest above `pointer`, and the rest of `pointer` below it.
    pub fn nearest<'p>(&self, pointer: &'p str) -> Option<(&T, &'p str)> {
        if self.anchors.is_empty() {
            return None;
        }
        let mut cut = pointer.len();
        loop {
            if let Some(found) = self.anchors.get(&pointer[..cut]) {
                return Some((found, &pointer[cut..]));
            }
            cut = pointer[..cut].rfind('/')?;
        }
    }

    /// True when nothing was moved.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// Every anchor, in no particular order.
    pub fn into_entries(self) -> impl Iterator<Item = (String, T)> {
        self.anchors.into_iter()
    }
}

/// A file that was read, with its node positions.
#[derive(Debug)]
struct SourceFile {
    path: PathBuf,
    locations: Locations,
}

/// A located node, ready for a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The file, as the user would name it.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// JSON pointer in `file`.
    pub pointer: String,
}

/// The files of one document and where each node of the final tree came from.
#[derive(Debug)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    bundled: PointerMap<Origin>,
    upgraded: PointerMap<String>,
}

impl SourceMap {
    /// A map over the one file `path`, whose text is `text`.
    pub fn new(path: &Path, text: String) -> Self {
        SourceMap {
            files: vec![SourceFile { path: path.to_path_buf(), locations: Locations::new(text) }],
            bundled: PointerMap::default(),
            upgraded: PointerMap::default(),
        }
    }

    /// Adds a referenced file.
    pub fn add_file(&mut self, path: PathBuf, text: String) -> FileId {
        self.files.push(SourceFile { path, locations: Locations::new(text) });
        FileId(self.files.len() - 1)
    }

    /// The path of `file`, as diagnostics name it.
    pub fn path(&self, file: FileId) -> &Path {
        &self.files[file.0].path
    }

    /// Every file read, the root first.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|f| f.path.as_path())
    }

    /// Records that bundling put the node `origin` at `at`.
    pub fn bundled_from(&mut self, at: String, origin: Origin) {
        self.bundled.insert(at, origin);
    }

    /// The moves of the upgrade stage, from upgraded pointers to bundled ones.
    pub fn set_upgraded(&mut self, moves: PointerMap<String>) {
        self.upgraded = moves;
    }

    /// Where the node at `pointer` (in the bundled tree) came from.
    pub fn bundled_origin(&self, pointer: &str) -> Origin {
        match self.bundled.nearest(pointer) {
            Some((origin, rest)) => Origin { file: origin.file, pointer: format!("{}{rest}", origin.pointer) },
            None => Origin { file: FileId::ROOT, pointer: pointer.to_owned() },
        }
    }

    /// Where the node at `pointer` (in the final tree) came from.
    pub fn origin(&self, pointer: &str) -> Origin {
        match self.upgraded.nearest(pointer) {
            Some((from, rest)) => self.bundled_origin(&format!("{from}{rest}")),
            None => self.bundled_origin(pointer),
        }
    }

    /// The file, position and original pointer of a node of the final tree.
    pub fn locate(&self, pointer: &str) -> Place {
        self.place(&self.origin(pointer))
    }

    /// The position of a node of one file.
    pub fn place(&self, origin: &Origin) -> Place {
        let file = &self.files[origin.file.0];
        let (line, column) = file.locations.find(&origin.pointer);
        Place { file: file.path.clone(), line, column, pointer: origin.pointer.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_go_back_through_the_nearest_anchor() {
        let mut map = SourceMap::new(Path::new("root.yaml"), "a: 1\n".to_owned());
        let pet = map.add_file(PathBuf::from("pet.yaml"), "Pet:\n  type: object\n".to_owned());
        map.bundled_from("/definitions/Pet".into(), Origin { file: pet, pointer: "/Pet".into() });
        let mut moves = PointerMap::default();
        moves.insert("/components/schemas".to_owned(), "/definitions".to_owned());
        map.set_upgraded(moves);
        assert_eq!(map.origin("/components/schemas/Pet/type"), Origin { file: pet, pointer: "/Pet/type".into() });
        assert_eq!(map.origin("/components/schemas/Other"), Origin { file: FileId::ROOT, pointer: "/definitions/Other".into() });
        assert_eq!(map.origin("/paths"), Origin { file: FileId::ROOT, pointer: "/paths".into() });
        // A segment that merely starts like an anchor is not below it.
        assert_eq!(map.origin("/components/schemasX").pointer, "/components/schemasX");
        let place = map.locate("/components/schemas/Pet/type");
        assert_eq!((place.file.as_path(), place.line, place.column), (Path::new("pet.yaml"), 2, 3));
    }
}
