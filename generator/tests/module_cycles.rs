//! No two modules of the generator (`generator/src`) or of the client runtime
//! (`templates/runtime`) use each other, directly or through others: each
//! module can be read, and changed, after the ones it builds on.
//!
//! A module uses another when its code names a path into it (`use
//! crate::emit::tokens::ident;`, `super::signing::BodySignature`, or an item
//! its parent re-exports from it: `crate::emit::format_file` is
//! `emit::format`'s). Naming an ancestor's own items (`crate::Error`,
//! `super::DEFAULT_TIMEOUT`) does not count: a module's parent is its
//! namespace. Paths inside macros (the generated code in `quote!`) are not
//! the generator's own, and test modules (`#[cfg(test)]`) may use anything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit_mut::{self, VisitMut};

/// A module's path from its crate's root (`["emit", "tokens"]`).
type ModPath = Vec<String>;

/// The modules of one crate (or module tree) rooted at `dir/root`, and the
/// uses between them.
struct Tree {
    /// Each module's file.
    files: BTreeMap<ModPath, PathBuf>,
    /// What each module makes visible from others (`pub use`, `pub(crate)
    /// use`): name → absolute path.
    reexports: BTreeMap<ModPath, BTreeMap<String, ModPath>>,
    /// Every path each module names, absolute, with the text it was written as.
    paths: BTreeMap<ModPath, Vec<(ModPath, String)>>,
}

fn module_files(dir: &Path, root: &str) -> BTreeMap<ModPath, PathBuf> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|ext| ext != "rs") {
                continue;
            }
            let relative = path.strip_prefix(dir).unwrap();
            let mut segments: Vec<String> = relative.iter().map(|s| s.to_string_lossy().into_owned()).collect();
            let last = segments.pop().unwrap();
            match last.as_str() {
                name if name == root && segments.is_empty() => {}
                "mod.rs" => {}
                // Another crate root beside this one (the command line's `main.rs`).
                "main.rs" | "lib.rs" if segments.is_empty() => continue,
                name => segments.push(name.trim_end_matches(".rs").to_owned()),
            }
            files.insert(segments, path);
        }
    }
    files
}

/// Collects the paths one file names, and what it re-exports.
struct Collector<'t> {
    /// The file's module, then the inline modules (`mod tests { … }`) entered.
    module: ModPath,
    known: &'t BTreeMap<ModPath, PathBuf>,
    paths: Vec<(ModPath, String)>,
    reexports: BTreeMap<String, ModPath>,
    /// How many inline modules deep the visit is (their items are not the file module's exports).
    inline_depth: usize,
}

impl Collector<'_> {
    /// `segments` made absolute from the current module, when they start in
    /// this tree: `crate::`, `self::`, `super::`, or a child module's name.
    fn absolute(&self, segments: &[String]) -> Option<ModPath> {
        let first = segments.first()?;
        match first.as_str() {
            "crate" => Some(segments[1..].to_vec()),
            "self" => Some(self.module.iter().chain(&segments[1..]).cloned().collect()),
            "super" => {
                let ups = segments.iter().take_while(|s| *s == "super").count();
                let base = self.module.len().checked_sub(ups)?;
                Some(self.module[..base].iter().chain(&segments[ups..]).cloned().collect())
            }
            _ => {
                let mut child = self.module.clone();
                child.push(first.clone());
                self.known.contains_key(&child).then(|| self.module.iter().chain(segments).cloned().collect())
            }
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree, exported: bool) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.use_tree(prefix, &path.tree, exported);
                prefix.pop();
            }
            syn::UseTree::Name(name) => self.used(prefix, &name.ident.to_string(), &name.ident.to_string(), exported),
            syn::UseTree::Rename(rename) => {
                self.used(prefix, &rename.ident.to_string(), &rename.rename.to_string(), exported)
            }
            syn::UseTree::Glob(_) => self.used(prefix, "*", "*", false),
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.use_tree(prefix, tree, exported);
                }
            }
        }
    }

    fn used(&mut self, prefix: &[String], name: &str, alias: &str, exported: bool) {
        let mut segments = prefix.to_vec();
        if name != "*" && name != "self" {
            segments.push(name.to_owned());
        }
        let Some(absolute) = self.absolute(&segments) else { return };
        if exported && self.inline_depth == 0 {
            self.reexports.insert(alias.to_owned(), absolute.clone());
        }
        self.paths.push((absolute, segments.join("::")));
    }
}

impl VisitMut for Collector<'_> {
    fn visit_item_use_mut(&mut self, item: &mut syn::ItemUse) {
        let exported = !matches!(item.vis, syn::Visibility::Inherited);
        let mut prefix = Vec::new();
        self.use_tree(&mut prefix, &item.tree, exported);
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if segments.len() > 1
            && let Some(absolute) = self.absolute(&segments)
        {
            self.paths.push((absolute, segments.join("::")));
        }
        visit_mut::visit_path_mut(self, path);
    }

    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        // Tests may use whatever they check with.
        let test_only = module.attrs.iter().any(|attr| {
            attr.path().is_ident("cfg") && attr.parse_args::<syn::Ident>().is_ok_and(|predicate| predicate == "test")
        });
        if module.content.is_some() && !test_only {
            self.module.push(module.ident.to_string());
            self.inline_depth += 1;
            visit_mut::visit_item_mod_mut(self, module);
            self.inline_depth -= 1;
            self.module.pop();
        }
    }
}

impl Tree {
    fn read(dir: &Path, root: &str) -> Tree {
        let files = module_files(dir, root);
        let mut reexports = BTreeMap::new();
        let mut paths = BTreeMap::new();
        for (module, file) in &files {
            let text = std::fs::read_to_string(file).unwrap();
            let mut syntax = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let mut collector = Collector {
                module: module.clone(),
                known: &files,
                paths: Vec::new(),
                reexports: BTreeMap::new(),
                inline_depth: 0,
            };
            collector.visit_file_mut(&mut syntax);
            reexports.insert(module.clone(), collector.reexports);
            paths.insert(module.clone(), collector.paths);
        }
        Tree { files, reexports, paths }
    }

    /// The module an absolute path leads into: its longest module prefix,
    /// followed through re-exports.
    fn target(&self, path: &[String], hops: usize) -> Option<ModPath> {
        let length = (0..=path.len()).rev().find(|&n| self.files.contains_key(&path[..n]))?;
        let module = path[..length].to_vec();
        if let Some(name) = path.get(length)
            && hops < 8
            && let Some(source) = self.reexports.get(&module).and_then(|names| names.get(name))
        {
            let mut followed = source.clone();
            followed.extend_from_slice(&path[length + 1..]);
            if followed != path {
                return self.target(&followed, hops + 1).or(Some(module));
            }
        }
        Some(module)
    }

    /// Module → the modules it uses (not itself, not its ancestors), with a
    /// path that shows each use.
    fn edges(&self) -> BTreeMap<ModPath, BTreeMap<ModPath, String>> {
        let mut edges: BTreeMap<ModPath, BTreeMap<ModPath, String>> = BTreeMap::new();
        for (module, paths) in &self.paths {
            for (path, written) in paths {
                let Some(target) = self.target(path, 0) else { continue };
                if module.starts_with(&target) {
                    continue;
                }
                edges.entry(module.clone()).or_default().entry(target).or_insert_with(|| written.clone());
            }
        }
        edges
    }
}

/// The strongly connected components of more than one module, each sorted.
fn cycles(edges: &BTreeMap<ModPath, BTreeMap<ModPath, String>>) -> Vec<Vec<ModPath>> {
    let nodes: BTreeSet<&ModPath> = edges.keys().chain(edges.values().flat_map(|targets| targets.keys())).collect();
    let reaches = |from: &ModPath| -> BTreeSet<ModPath> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(node) = stack.pop() {
            for next in edges.get(&node).into_iter().flat_map(|targets| targets.keys()) {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reach: BTreeMap<&ModPath, BTreeSet<ModPath>> = nodes.iter().map(|&node| (node, reaches(node))).collect();
    let mut done = BTreeSet::new();
    let mut components = Vec::new();
    for &node in &nodes {
        if done.contains(node) || !reach[node].contains(node) {
            continue;
        }
        let component: Vec<ModPath> = nodes
            .iter()
            .filter(|&&other| reach[node].contains(other) && reach[other].contains(node))
            .map(|&module| module.clone())
            .collect();
        done.extend(component.iter().cloned());
        components.push(component);
    }
    components
}

/// The cycles of a tree, one line per use inside each.
fn report(dir: &Path, root: &str, name: &str) -> Vec<String> {
    let tree = Tree::read(dir, root);
    let edges = tree.edges();
    let show = |module: &ModPath| match module.is_empty() {
        true => name.to_owned(),
        false => format!("{name}::{}", module.join("::")),
    };
    cycles(&edges)
        .into_iter()
        .map(|component| {
            let uses: Vec<String> = component
                .iter()
                .flat_map(|from| {
                    edges[from]
                        .iter()
                        .filter(|(to, _)| component.contains(to))
                        .map(move |(to, written)| format!("    {} → {} (`{written}`)", show(from), show(to)))
                })
                .collect();
            format!("{}:\n{}", component.iter().map(show).collect::<Vec<_>>().join(", "), uses.join("\n"))
        })
        .collect()
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

#[test]
fn the_runtime_template_has_no_import_cycle() {
    let cycles = report(&repository().join("templates/runtime"), "mod.rs", "runtime");
    assert!(cycles.is_empty(), "modules of templates/runtime use each other:\n{}", cycles.join("\n"));
}

/// Cycles that were there when this test came, each a list of its modules
/// as [`report`] gives them; remove one once it is gone (the test says so).
const KNOWN: &[&str] = &[
    // `locate` reads pointers as `diagnostics` writes them; `diagnostics` finds
    // them in the `SourceMap`, which keeps the `Locations`.
    "crate::diagnostics, crate::load::sources, crate::locate",
    // `ir` re-exports the server places `lower::servers` classifies.
    "crate::ir, crate::lower::servers",
];

#[test]
fn the_generator_has_no_import_cycle_but_the_known_ones() {
    let cycles = report(&repository().join("generator/src"), "lib.rs", "crate");
    let is_known = |cycle: &str| KNOWN.iter().any(|known| cycle.starts_with(&format!("{known}:")));
    let new: Vec<&str> = cycles.iter().map(String::as_str).filter(|cycle| !is_known(cycle)).collect();
    assert!(new.is_empty(), "modules of generator/src use each other:\n{}", new.join("\n"));
    let gone: Vec<&&str> =
        KNOWN.iter().filter(|known| !cycles.iter().any(|cycle| cycle.starts_with(&format!("{known}:")))).collect();
    assert!(gone.is_empty(), "these cycles are gone; remove them from KNOWN: {gone:?}");
}
