//! Multi-file specs: every node a `$ref` takes from another local file is
//! copied into the root document, so the rest of clientgen sees one tree.
//!
//! A node lands where its kind lives (`#/components/schemas/<name>` for a
//! schema, `#/definitions/<name>` in Swagger 2.0, …), named after the last
//! segment of the reference (`pet.yaml#/Pet` → `Pet`) or the file's stem
//! (`pet.yaml` → `pet`); a taken name gets `2`, `3`… A component entry that is
//! only a reference to another file (`Pet: {$ref: pet.yaml}`) takes the node
//! in its place and keeps its name. Path items, examples and links are inlined
//! where they are referenced. References inside a copied node are relative to
//! its own file; cycles end at nodes already copied.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pointer::{pointer_push, push_segment, unescape_segment};
use crate::load::Loader;
use crate::load::sources::{FileId, Origin, SourceMap};
use crate::load::version::Version;
use crate::resolve::lookup_raw;

/// How many files deep references may go before clientgen calls it too deep.
const MAX_DEPTH: usize = 64;

/// Where a referenced node goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Under a component container (segments from the root).
    Named(&'static [&'static str]),
    /// Copied where it is referenced.
    Inline,
}

/// A reference target: a node of one file.
type Target = (FileId, String);

/// Why a reference cannot be followed (`None`: already reported in its own file).
type Failure = Option<String>;

/// Copies nodes of referenced files into the root tree.
pub struct Bundler<'l, 'r> {
    loader: &'l Loader<'r>,
    version: Version,
    sources: &'l mut SourceMap,
    trees: HashMap<FileId, Value>,
    by_path: HashMap<PathBuf, Result<FileId, String>>,
    placed: HashMap<Target, String>,
    taken: HashSet<String>,
    additions: Vec<(&'static [&'static str], String, Value)>,
    errors: Vec<Diagnostic>,
    files_read: Vec<PathBuf>,
}

impl<'l, 'r> Bundler<'l, 'r> {
    /// A bundler for the document rooted at `root` (already in `sources`).
    pub fn new(loader: &'l Loader<'r>, root: &Path, version: Version, sources: &'l mut SourceMap) -> Self {
        let mut by_path = HashMap::new();
        by_path.insert(normalize(root), Ok(FileId::ROOT));
        Bundler {
            loader,
            version,
            sources,
            trees: HashMap::new(),
            by_path,
            placed: HashMap::new(),
            taken: HashSet::new(),
            additions: Vec::new(),
            errors: Vec::new(),
            files_read: vec![loader.base.join(root)],
        }
    }

    /// The root tree with every reference local.
    pub fn bundle(&mut self, mut root: Value) -> Value {
        if !has_external_refs(&root, false) {
            return root;
        }
        for container in self.containers() {
            if let Some(Value::Object(entries)) = descend(&root, container) {
                for key in entries.keys() {
                    self.taken.insert(container_pointer(container, key));
                }
            }
        }
        self.components_in_place(&mut root);
        self.rewrite(&mut root, FileId::ROOT, &mut String::new(), 0);
        for (container, name, value) in std::mem::take(&mut self.additions) {
            let mut node = &mut root;
            for segment in container {
                let Value::Object(fields) = node else { break };
                node = fields.entry(*segment).or_insert_with(|| Value::Object(Default::default()));
            }
            if let Value::Object(fields) = node {
                fields.insert(name, value);
            }
        }
        root
    }

    /// The problems found, and every file read (as opened).
    pub fn finish(self) -> (Diagnostics, Vec<PathBuf>) {
        (Diagnostics(self.errors), self.files_read)
    }

    /// The component containers of this version, where referenced nodes are named.
    fn containers(&self) -> &'static [&'static [&'static str]] {
        match self.version {
            Version::Swagger2 => &[&["definitions"], &["parameters"], &["responses"]],
            Version::OpenApi30 | Version::OpenApi31 => &[
                &["components", "schemas"],
                &["components", "parameters"],
                &["components", "responses"],
                &["components", "requestBodies"],
                &["components", "headers"],
                &["components", "securitySchemes"],
                &["components", "examples"],
                &["components", "links"],
                &["components", "callbacks"],
                &["components", "pathItems"],
            ],
        }
    }

    /// Component entries that only reference another file take the node in
    /// their place, so `Pet: {$ref: pet.yaml}` stays `Pet`.
    fn components_in_place(&mut self, root: &mut Value) {
        let mut claimed: Vec<(String, Target)> = Vec::new();
        for container in self.containers() {
            let Some(Value::Object(entries)) = descend(root, container) else { continue };
            for (key, entry) in entries {
                let Some(reference) = sole_reference(entry) else { continue };
                if reference.starts_with('#') {
                    continue;
                }
                let at = container_pointer(container, key);
                match self.target(FileId::ROOT, reference) {
                    Ok(target) if target.0 != FileId::ROOT && !self.placed.contains_key(&target) => {
                        self.placed.insert(target.clone(), at.clone());
                        claimed.push((at, target));
                    }
                    Ok(_) | Err(_) => {} // aliases and failures: the general walk handles them
                }
            }
        }
        for (at, target) in claimed {
            let Some(node) = self.node(&target).cloned() else {
                self.placed.remove(&target);
                continue;
            };
            self.sources.bundled_from(at.clone(), Origin { file: target.0, pointer: target.1.clone() });
            let mut copy = node;
            self.rewrite(&mut copy, target.0, &mut at.clone(), 1);
            if let Some(slot) = descend_mut(root, &at) {
                *slot = copy;
            }
        }
    }

    /// Makes every reference in `node` (of `file`, now at `pointer` in the
    /// bundled tree) local to the bundled tree.
    fn rewrite(&mut self, node: &mut Value, file: FileId, pointer: &mut String, depth: usize) {
        match node {
            Value::Object(fields) => {
                let is_property_map = pointer.ends_with("/properties");
                if let Some(Value::String(reference)) = fields.get("$ref").filter(|_| !is_property_map)
                    && (file != FileId::ROOT || !reference.starts_with('#'))
                {
                    let reference = reference.clone();
                    let at = pointer_push(pointer, "$ref");
                    match self.follow(file, &reference, pointer, depth) {
                        Ok(Followed::Local(local)) => {
                            fields.insert(String::from("$ref"), Value::String(local));
                        }
                        Ok(Followed::Inlined(copy)) => {
                            *node = copy;
                            return;
                        }
                        Err(Some(message)) => self.error_at(&at, message),
                        Err(None) => {}
                    }
                }
                // Extensions are vendor data: a `$ref` in them is not clientgen's to follow.
                for (key, child) in fields.iter_mut().filter(|(key, _)| !key.starts_with("x-")) {
                    let len = pointer.len();
                    push_segment(pointer, key);
                    self.rewrite(child, file, pointer, depth);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter_mut().enumerate() {
                    let len = pointer.len();
                    push_segment(pointer, &index.to_string());
                    self.rewrite(child, file, pointer, depth);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }

    fn error_at(&mut self, bundled_pointer: &str, message: String) {
        let place = self.sources.place(&self.sources.bundled_origin(bundled_pointer));
        self.errors.push(Diagnostic::error(place.file, (place.line, place.column), place.pointer, message));
    }

    /// The local form of `reference`, met in `file` in the object at `holder`
    /// (a pointer of the bundled tree).
    fn follow(&mut self, file: FileId, reference: &str, holder: &str, depth: usize) -> Result<Followed, Failure> {
        let target = self.target(file, reference)?;
        if target.0 == FileId::ROOT {
            return Ok(Followed::Local(format!("#{}", target.1)));
        }
        if depth >= MAX_DEPTH {
            return Err(Some(format!("references nest more than {MAX_DEPTH} files deep")));
        }
        match kind_of(holder, self.version) {
            Kind::Inline => {
                let node = self.node(&target).ok_or_else(|| Some(dangling(reference)))?.clone();
                self.sources.bundled_from(holder.to_owned(), Origin { file: target.0, pointer: target.1.clone() });
                let mut copy = node;
                self.rewrite(&mut copy, target.0, &mut holder.to_owned(), depth + 1);
                Ok(Followed::Inlined(copy))
            }
            Kind::Named(container) => {
                let placed = self.place(&target, container, reference, depth)?;
                Ok(Followed::Local(format!("#{placed}")))
            }
        }
    }

    /// The bundled pointer of a node of another file, copying it on first use.
    fn place(&mut self, target: &Target, container: &'static [&'static str], reference: &str, depth: usize) -> Result<String, Failure> {
        if let Some(done) = self.placed.get(target) {
            return Ok(done.clone());
        }
        // Inside a node copied before: the same place below the copy.
        let mut cut = target.1.len();
        while let Some(slash) = target.1[..cut].rfind('/') {
            cut = slash;
            if let Some(done) = self.placed.get(&(target.0, target.1[..cut].to_owned())) {
                return Ok(format!("{done}{}", &target.1[cut..]));
            }
        }
        let node = self.node(target).ok_or_else(|| Some(dangling(reference)))?.clone();
        let name = match target.1.rsplit('/').next().filter(|s| !s.is_empty()) {
            Some(segment) => decode_segment(segment),
            None => self.sources.path(target.0).file_stem().map_or_else(|| String::from("Schema"), |s| s.to_string_lossy().into_owned()),
        };
        let mut chosen = name.clone();
        let mut n = 1;
        while self.taken.contains(&container_pointer(container, &chosen)) {
            n += 1;
            chosen = format!("{name}{n}");
        }
        let pointer = container_pointer(container, &chosen);
        self.taken.insert(pointer.clone());
        self.placed.insert(target.clone(), pointer.clone());
        self.sources.bundled_from(pointer.clone(), Origin { file: target.0, pointer: target.1.clone() });
        // The slot is taken before the copy is rewritten, so nodes it pulls in
        // come after it, in the order they are referenced.
        let slot = self.additions.len();
        self.additions.push((container, chosen, Value::Null));
        let mut copy = node;
        self.rewrite(&mut copy, target.0, &mut pointer.clone(), depth + 1);
        self.additions[slot].2 = copy;
        Ok(pointer)
    }

    fn node(&self, target: &Target) -> Option<&Value> {
        lookup_raw(self.trees.get(&target.0)?, &target.1)
    }

    /// The file and pointer `reference` (met in `file`) names, reading the file
    /// on first use.
    fn target(&mut self, file: FileId, reference: &str) -> Result<Target, Failure> {
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if path.contains("://") || path.starts_with("//") {
            return Err(Some(format!(
                "remote reference `{reference}` is not supported; download the file and refer to it by a relative path"
            )));
        }
        if !fragment.is_empty() && !fragment.starts_with('/') {
            return Err(Some(format!("reference `{reference}`: only JSON pointer fragments (`#/…`) are supported")));
        }
        if path.is_empty() {
            return Ok((file, fragment.to_owned()));
        }
        let path = percent_decode(path);
        let display = normalize(&self.sources.path(file).parent().unwrap_or(Path::new("")).join(&path));
        let id = match self.by_path.get(&display) {
            Some(known) => known.clone(),
            None => {
                let loaded = self.read(&display);
                self.by_path.insert(display.clone(), loaded.clone());
                loaded
            }
        };
        match id {
            Ok(id) => Ok((id, fragment.to_owned())),
            // A parse error was reported in its own file once; later references stay quiet.
            Err(message) if message.is_empty() => Err(None),
            Err(message) => Err(Some(message)),
        }
    }

    /// Reads and parses a referenced file; `Err("")` when its problem was
    /// reported in the file itself.
    fn read(&mut self, display: &Path) -> Result<FileId, String> {
        let text = self
            .loader
            .read(display)
            .map_err(|error| format!("cannot read `{}`: {error}", display.display()))?;
        let parsed = super::parse::parse(&text);
        let id = self.sources.add_file(display.to_path_buf(), text);
        self.files_read.push(self.loader.base.join(display));
        match parsed {
            Ok(tree) => {
                self.trees.insert(id, tree);
                Ok(id)
            }
            Err(error) => {
                let diagnostic = super::parse_diagnostic(self.sources, id, error);
                self.errors.push(diagnostic);
                Err(String::new())
            }
        }
    }
}

enum Followed {
    /// The reference, now local to the bundled tree.
    Local(String),
    /// The referenced node itself, to stand where the reference was.
    Inlined(Value),
}

fn dangling(reference: &str) -> String {
    format!("dangling reference: `{reference}` points to nothing")
}

/// The kind of node a reference held by the object at `holder` stands for,
/// from where it sits.
fn kind_of(holder: &str, version: Version) -> Kind {
    let segments: Vec<String> = holder.split('/').skip(1).map(decode_segment).collect();
    let n = segments.len();
    let last = segments.last().map_or("", String::as_str);
    let parent = if n >= 2 { segments[n - 2].as_str() } else { "" };
    let grandparent = if n >= 3 { segments[n - 3].as_str() } else { "" };
    let swagger = version == Version::Swagger2;
    let schema: &'static [&'static str] = if swagger { &["definitions"] } else { &["components", "schemas"] };
    if parent == "properties" || parent == "patternProperties" || parent == "$defs" {
        return Kind::Named(schema);
    }
    if n == 2 && matches!(segments[0].as_str(), "paths" | "webhooks") {
        return Kind::Inline;
    }
    if swagger && n == 2 {
        match segments[0].as_str() {
            "parameters" => return Kind::Named(&["parameters"]),
            "responses" => return Kind::Named(&["responses"]),
            _ => {}
        }
    }
    if n == 3 && segments[0] == "components" {
        return match segments[1].as_str() {
            "parameters" => Kind::Named(&["components", "parameters"]),
            "responses" => Kind::Named(&["components", "responses"]),
            "requestBodies" => Kind::Named(&["components", "requestBodies"]),
            "headers" => Kind::Named(&["components", "headers"]),
            "securitySchemes" => Kind::Named(&["components", "securitySchemes"]),
            "schemas" => Kind::Named(schema),
            _ => Kind::Inline,
        };
    }
    let is_status = last == "default" || (last.len() == 3 && last.chars().all(|c| c.is_ascii_digit() || c == 'X' || c == 'x'));
    if parent == "parameters" && last.chars().all(|c| c.is_ascii_digit()) {
        Kind::Named(if swagger { &["parameters"] } else { &["components", "parameters"] })
    } else if parent == "responses" && is_status {
        Kind::Named(if swagger { &["responses"] } else { &["components", "responses"] })
    } else if last == "requestBody" && !swagger {
        Kind::Named(&["components", "requestBodies"])
    } else if parent == "headers" && grandparent != "properties" {
        if swagger { Kind::Inline } else { Kind::Named(&["components", "headers"]) }
    } else if matches!(parent, "examples" | "links" | "callbacks") {
        Kind::Inline
    } else {
        Kind::Named(schema)
    }
}

/// The `$ref` of an object that has nothing else.
fn sole_reference(node: &Value) -> Option<&str> {
    match node {
        Value::Object(fields) if fields.len() == 1 => fields.get("$ref")?.as_str(),
        _ => None,
    }
}

fn has_external_refs(node: &Value, in_properties: bool) -> bool {
    match node {
        Value::Object(fields) => {
            let external = !in_properties
                && fields.get("$ref").and_then(Value::as_str).is_some_and(|r| !r.starts_with('#'));
            external
                || fields
                    .iter()
                    .any(|(key, child)| !key.starts_with("x-") && has_external_refs(child, key == "properties"))
        }
        Value::Array(items) => items.iter().any(|child| has_external_refs(child, false)),
        _ => false,
    }
}

fn container_pointer(container: &[&str], name: &str) -> String {
    let mut pointer = String::new();
    for segment in container.iter().chain([&name]) {
        push_segment(&mut pointer, segment);
    }
    pointer
}

fn descend<'v>(root: &'v Value, segments: &[&str]) -> Option<&'v Value> {
    segments.iter().try_fold(root, |node, segment| node.get(*segment))
}

fn descend_mut<'v>(root: &'v mut Value, pointer: &str) -> Option<&'v mut Value> {
    pointer.split('/').skip(1).try_fold(root, |node, segment| node.get_mut(decode_segment(segment)))
}

fn decode_segment(segment: &str) -> String {
    unescape_segment(&percent_decode(segment))
}

fn percent_decode(text: &str) -> String {
    crate::resolve::percent_decode(text).into_owned()
}

/// `a/./b/../c` → `a/c`, without touching the file system (paths stay as the
/// user wrote them, relative where they were relative).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests;
