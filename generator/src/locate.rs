//! Where each node of a YAML or JSON document starts, by JSON pointer.
//!
//! Diagnostics carry `file:line:col`; serde discards positions, so this second,
//! event-level parse recovers them. It runs only when a diagnostic needs it.
//! A mapping entry starts at its key, a sequence item where libyaml starts it
//! (a block mapping at its first key, a node with an anchor or tag at that).
//! A pointer through a YAML alias leads into the anchored node. Documents the
//! event parser (yaml-rust2) cannot read whole are located by libyaml itself.

mod events;
pub mod libyaml;

use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::pointer::{pointer_push, unescape_segment};
use events::{Event, Kind, Unreadable, events};

/// How many nodes are located by a walk of their own before the whole
/// document is indexed: a few warnings should not pay for an index of a
/// large spec (EC2: a third of a second and 100 MB), many should not walk it
/// once each.
const WALKS_BEFORE_INDEX: usize = 8;

/// A lazily built map from JSON pointer to 1-based (line, column).
#[derive(Debug)]
pub struct Locations {
    source: String,
    walks: AtomicUsize,
    index: OnceLock<Index>,
}

impl Locations {
    /// Positions in `source`, computed on first use.
    pub fn new(source: String) -> Self {
        Locations { source, walks: AtomicUsize::new(0), index: OnceLock::new() }
    }

    /// The position of the node at `pointer`, or of its nearest ancestor that
    /// has one; (1, 1) when nothing can be located.
    pub fn find(&self, pointer: &str) -> (usize, usize) {
        if self.index.get().is_none() && self.walks.fetch_add(1, Ordering::Relaxed) < WALKS_BEFORE_INDEX {
            let target: Vec<String> = pointer.split('/').skip(1).map(unescape_segment).collect();
            match walk(events(&self.source), &target) {
                Walked::Found(at) | Walked::Missing(at) => return at,
                // The index follows aliases; libyaml reads what yaml-rust2 cannot.
                Walked::Unsure => {}
            }
        }
        let index = self.index.get_or_init(|| Index::build(events(&self.source)));
        match index.find(pointer) {
            Found::Exact(at) => at,
            Found::Ancestor(at) if index.whole => at,
            // Indexed only up to where yaml-rust2 stopped: the node may be after it.
            Found::Ancestor(at) => libyaml::find(&self.source, pointer).unwrap_or(at),
        }
    }
}

/// What a walk to one node found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Walked {
    /// The node starts here.
    Found((usize, usize)),
    /// The node is not in the document; its nearest ancestor starts here.
    Missing((usize, usize)),
    /// The walk cannot tell: the text stopped being readable, or the path
    /// goes through an alias.
    Unsure,
}

/// One open container of a walk, and how many segments of the target lead
/// to it (`None` when it is off the path).
enum WalkFrame {
    /// `key_next`: whether the next node is a key; `on_path`: whether the
    /// value that follows belongs to a key on the path.
    Mapping { depth: Option<usize>, key_next: bool, on_path: bool },
    Sequence { depth: Option<usize>, next: usize },
}

/// Walks the events until the node at `target` (unescaped segments) is
/// reached: no index, and nothing kept of the nodes off its path.
fn walk<'t>(events: impl Iterator<Item = Result<Event<'t>, Unreadable>>, target: &[String]) -> Walked {
    if target.is_empty() {
        return Walked::Found((1, 1));
    }
    let mut best = (1, 1);
    let mut stack: Vec<WalkFrame> = Vec::new();
    for event in events {
        let Ok(Event { kind, at, .. }) = event else { return Walked::Unsure };
        if kind == Kind::End {
            // Every container on the path holds the node: leaving one, it is not there.
            if let Some(WalkFrame::Mapping { depth: Some(_), .. } | WalkFrame::Sequence { depth: Some(_), .. }) = stack.pop() {
                return Walked::Missing(best);
            }
            continue;
        }
        // The number of target segments that lead to this node, when it is a
        // value on the path.
        let depth = match stack.last_mut() {
            None => Some(0),
            Some(WalkFrame::Mapping { depth: parent, key_next, on_path }) if *key_next => {
                *key_next = false;
                *on_path = matches!((&kind, *parent), (Kind::Scalar(text), Some(d)) if target.get(d).is_some_and(|segment| segment == text));
                if *on_path {
                    if parent.map(|d| d + 1) == Some(target.len()) {
                        return Walked::Found(at);
                    }
                    best = at;
                }
                if matches!(kind, Kind::Mapping | Kind::Sequence) {
                    // A complex key: its own events follow, off the path.
                    stack.push(WalkFrame::Mapping { depth: None, key_next: true, on_path: false });
                }
                continue;
            }
            Some(WalkFrame::Mapping { depth: parent, key_next, on_path }) => {
                *key_next = true;
                parent.filter(|_| *on_path).map(|d| d + 1)
            }
            Some(WalkFrame::Sequence { depth: parent, next }) => {
                let index = *next;
                *next += 1;
                let depth = parent.filter(|&d| target.get(d).is_some_and(|segment| *segment == index.to_string())).map(|d| d + 1);
                if let Some(reached) = depth {
                    if reached == target.len() {
                        return Walked::Found(at);
                    }
                    best = at;
                }
                depth
            }
        };
        match kind {
            Kind::Mapping => stack.push(WalkFrame::Mapping { depth, key_next: true, on_path: false }),
            Kind::Sequence => stack.push(WalkFrame::Sequence { depth, next: 0 }),
            // The path goes on inside the anchored node, which the walk did not keep.
            Kind::Alias(_) if depth.is_some() => return Walked::Unsure,
            // A scalar where the path goes on: the node is not there.
            Kind::Scalar(_) if depth.is_some() => return Walked::Missing(best),
            _ => {}
        }
    }
    Walked::Missing(best)
}

/// Every node's position, by pointer.
#[derive(Debug, Default)]
struct Index {
    positions: HashMap<String, (usize, usize)>,
    /// The pointer of each alias node, to the pointer of its anchored node.
    aliases: HashMap<String, String>,
    /// False when the event parser stopped before the end of the text.
    whole: bool,
}

/// An index lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    Exact((usize, usize)),
    Ancestor((usize, usize)),
}

/// One open container while indexing, with its pointer (`None` inside a
/// complex key, which has none).
enum IndexFrame {
    /// `key`: `None` while a key is next, then the name of the key whose
    /// value is next (`Some(None)` for a complex or aliased key).
    Mapping { pointer: Option<String>, key: Option<Option<String>> },
    Sequence { pointer: Option<String>, next: usize },
}

impl Index {
    /// Records the start of every mapping entry (at its key) and sequence
    /// item. A text the event parser rejects yields what was read before the
    /// error, and `whole` false.
    fn build<'t>(events: impl Iterator<Item = Result<Event<'t>, Unreadable>>) -> Index {
        let mut index = Index { whole: true, ..Index::default() };
        index.positions.insert(String::new(), (1, 1));
        let mut anchors: HashMap<usize, String> = HashMap::new();
        let mut stack: Vec<IndexFrame> = Vec::new();
        for event in events {
            let Ok(Event { kind, at, anchor }) = event else {
                index.whole = false;
                break;
            };
            if kind == Kind::End {
                stack.pop();
                continue;
            }
            let pointer = match stack.last_mut() {
                None => Some(String::new()),
                Some(IndexFrame::Mapping { pointer, key }) => match key.take() {
                    // A key.
                    None => {
                        let name = match &kind {
                            Kind::Scalar(text) => Some(text.clone().into_owned()),
                            _ => None,
                        };
                        if let (Some(pointer), Some(name)) = (pointer.as_deref(), &name) {
                            index.positions.entry(pointer_push(pointer, name)).or_insert(at);
                        }
                        *key = Some(name);
                        if matches!(kind, Kind::Mapping | Kind::Sequence) {
                            stack.push(IndexFrame::Mapping { pointer: None, key: None });
                        }
                        continue;
                    }
                    // A value, located at its key.
                    Some(name) => pointer.as_deref().zip(name).map(|(pointer, name)| pointer_push(pointer, &name)),
                },
                Some(IndexFrame::Sequence { pointer, next }) => {
                    let item = pointer.as_deref().map(|pointer| pointer_push(pointer, &next.to_string()));
                    *next += 1;
                    if let Some(item) = &item {
                        index.positions.entry(item.clone()).or_insert(at);
                    }
                    item
                }
            };
            if let Some(pointer) = &pointer {
                if anchor != 0 {
                    anchors.insert(anchor, pointer.clone());
                }
                if let Kind::Alias(id) = kind
                    && let Some(anchored) = anchors.get(&id)
                {
                    index.aliases.insert(pointer.clone(), anchored.clone());
                }
            }
            match kind {
                Kind::Mapping => stack.push(IndexFrame::Mapping { pointer, key: None }),
                Kind::Sequence => stack.push(IndexFrame::Sequence { pointer, next: 0 }),
                _ => {}
            }
        }
        index
    }

    /// The indexed position of `pointer`, through aliases, or of its nearest
    /// indexed ancestor.
    fn find(&self, pointer: &str) -> Found {
        let mut pointer = pointer.to_owned();
        // Each alias leads to a node before it; a bound for safety all the same.
        for _ in 0..64 {
            if let Some(&at) = self.positions.get(&pointer) {
                return Found::Exact(at);
            }
            // Nothing is indexed below an alias: go on in its anchored node.
            let Some((cut, anchored)) = self.alias_above(&pointer) else { break };
            pointer = format!("{anchored}{}", &pointer[cut..]);
        }
        Found::Ancestor(self.nearest(&pointer))
    }

    /// The nearest alias node above `pointer`: the length of its pointer, and
    /// the pointer of its anchored node.
    fn alias_above(&self, pointer: &str) -> Option<(usize, &str)> {
        let mut cut = pointer.len();
        while let Some(slash) = pointer[..cut].rfind('/') {
            cut = slash;
            if let Some(anchored) = self.aliases.get(&pointer[..cut]) {
                return Some((cut, anchored));
            }
        }
        None
    }

    /// The position of the nearest indexed ancestor of `pointer` (or itself).
    fn nearest(&self, pointer: &str) -> (usize, usize) {
        let mut current = pointer;
        loop {
            if let Some(&position) = self.positions.get(current) {
                return position;
            }
            match current.rfind('/') {
                Some(cut) => current = &current[..cut],
                None => return (1, 1),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pointer of the tree of a YAML or JSON text.
    fn every_pointer(source: &str) -> Vec<String> {
        use serde_yaml::Value;
        fn collect(value: &Value, pointer: &str, out: &mut Vec<String>) {
            let children: Vec<(String, &Value)> = match value {
                Value::Mapping(map) => map
                    .iter()
                    .map(|(key, child)| {
                        let key = match key {
                            Value::String(s) => s.clone(),
                            Value::Number(n) => n.to_string(),
                            Value::Bool(b) => b.to_string(),
                            _ => String::from("null"),
                        };
                        (key, child)
                    })
                    .collect(),
                Value::Sequence(items) => items.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
                Value::Tagged(tagged) => return collect(&tagged.value, pointer, out),
                _ => Vec::new(),
            };
            for (segment, child) in children {
                let child_pointer = pointer_push(pointer, &segment);
                out.push(child_pointer.clone());
                collect(child, &child_pointer, out);
            }
        }
        let tree: Value = serde_yaml::from_str(source).expect("the text parses");
        let mut out = Vec::new();
        collect(&tree, "", &mut out);
        out
    }

    fn find_by_walk(source: &str, pointer: &str) -> Walked {
        let target: Vec<String> = pointer.split('/').skip(1).map(unescape_segment).collect();
        walk(events(source), &target)
    }

    #[test]
    fn yaml_keys_and_items_are_located() {
        let locations = Locations::new(
            "openapi: 3.0.3\npaths:\n  /pets/{id}:\n    get:\n      tags: [a, b]\n".to_owned(),
        );
        assert_eq!(locations.find("/paths/~1pets~1{id}/get"), (4, 5));
        assert_eq!(locations.find("/paths/~1pets~1{id}/get/tags/1"), (5, 17));
        assert_eq!(locations.find("/paths/~1pets~1{id}/get/responses/200"), (4, 5));
    }

    #[test]
    fn a_walk_finds_what_the_index_finds() {
        let yaml = "openapi: 3.0.3\npaths:\n  /pets/{id}:\n    get:\n      tags: [a, b]\n      parameters:\n        - name: id\n          in: path\n        - {name: q, in: query}\n    x-list:\n      - [1, 2]\n      - {a: ~}\n  /a~b: {}\n";
        let json = "{\"openapi\": \"3.0.3\", \"paths\": {\"/#Action=X\": {\"get\": {\"tags\": [\"a\"], \"responses\": {\"200\": {}}}}}, \"info\": {\"title\": \"x\"}}";
        let pretty = "{\n  \"a\\\"b\": [1, true, null, {\"c\": -2.5e3, \"d\": [\"x\", {\"é\": {}}]}],\n  \"e/f\": \"s,}]\\\"\",\n  \"g\": {\"h\": []}\n}\n";
        let flow_yaml = "openapi: 3.0.3\npaths: {/a: {get: {tags: [x]}}}";
        for source in [yaml, json, pretty, flow_yaml] {
            let index = Index::build(events(source));
            assert!(index.whole);
            let missing = ["/nope", "/paths/~1pets~1{id}/get/nope/deeper", "/paths/~1pets~1{id}/get/parameters/7", "/paths/~1a~0b/x", "/g/h/0", "/a\"b/3/d/5"];
            let pointers = index.positions.keys().map(String::as_str).chain(missing);
            for pointer in pointers {
                let expected = match index.find(pointer) {
                    Found::Exact(at) => Walked::Found(at),
                    Found::Ancestor(at) => Walked::Missing(at),
                };
                assert_eq!(find_by_walk(source, pointer), expected, "{pointer} in {source}");
            }
        }
    }

    #[test]
    fn json_keys_are_located() {
        let locations = Locations::new("{\n  \"info\": {\"title\": \"x\"}\n}".to_owned());
        assert_eq!(locations.find("/info/title"), (2, 12));
        // Columns count characters, on lines of any length.
        let locations = Locations::new("{\"é\": [1, {\"k\": \"ü\"}], \"z\": 2}".to_owned());
        assert_eq!(locations.find("/é/1/k"), (1, 12));
        assert_eq!(locations.find("/z"), (1, 24));
    }

    /// Items that are block mappings, and nodes with an anchor, a tag or a
    /// block scalar header, start where libyaml starts them (yaml-rust2 put
    /// a mapping item at the end of its first key: `- name: id` at `:`).
    #[test]
    fn items_start_where_libyaml_starts_them() {
        let source = "parameters:\n  - name: inputStream\n    in: body\n  - &header\n    name: Content-type\n    in: header\n  - *header\n  - !custom\n    name: x\n  - |\n    text\n  - - nested: 1\n";
        let expected = [
            ("/parameters/0", (2, 5)),
            ("/parameters/1", (4, 5)),
            ("/parameters/1/in", (6, 5)),
            // The alias itself, and what is below it in the anchored node.
            ("/parameters/2", (7, 5)),
            ("/parameters/2/in", (6, 5)),
            ("/parameters/3", (8, 5)),
            ("/parameters/4", (10, 5)),
            ("/parameters/5/0", (12, 7)),
            ("/parameters/5/0/nested", (12, 7)),
        ];
        let index = Index::build(events(source));
        for (pointer, at) in expected {
            assert_eq!(index.find(pointer), Found::Exact(at), "{pointer}");
            // The first walks find the same, or leave aliases to the index.
            let walked = find_by_walk(source, pointer);
            assert!(walked == Walked::Found(at) || (walked == Walked::Unsure && pointer == "/parameters/2/in"), "{pointer}: {walked:?}");
        }
        assert_eq!(Locations::new(source.to_owned()).find("/parameters/2/in"), (6, 5));
    }

    /// libyaml reads this flow mapping, whose closing brace is less indented
    /// than its key; yaml-rust2 stops there, and everything after it was
    /// located at 1:1 (Docker Engine's spec, whose definitions come first).
    #[test]
    fn what_yaml_rust2_cannot_read_is_located_by_libyaml() {
        let source = "swagger: '2.0'\ndefinitions:\n  Platform:\n    example: {\n      \"os\": \"linux\"\n   }\npaths:\n  /build:\n    post:\n      parameters:\n        - name: inputStream\n          in: body\n        - name: Content-type\n          in: header\n";
        assert!(!Index::build(events(source)).whole);
        assert_eq!(find_by_walk(source, "/paths/~1build/post/parameters/1"), Walked::Unsure);
        let locations = Locations::new(source.to_owned());
        // By walks, then by the (partial) index.
        for _ in 0..=WALKS_BEFORE_INDEX {
            assert_eq!(locations.find("/paths/~1build/post/parameters/1"), (13, 11));
            assert_eq!(locations.find("/paths/~1build/post/parameters/1/in"), (14, 11));
            assert_eq!(locations.find("/paths/~1build/post/parameters/9"), (10, 7));
            assert_eq!(locations.find("/definitions/Platform/example"), (4, 5));
        }
    }

    /// The positions both parsers give agree on every node of texts with
    /// each kind of YAML node, and of JSON.
    #[test]
    fn every_node_is_where_libyaml_puts_it() {
        let sources = [
            "a: {x: 1, y: [1, 2]}\nb:\n- k: v\n  j: w\n- &anc\n  k: v\n- |\n  text\n- >-\n  folded\n- [1]\n- 'quoted'\n- \"double\"\nc: !tag\n  k: v\nd:\n  - - 1\n    - 2\n  -\n    late: 1\n200: numeric key\ne: &s scalar\nf: ~\n",
            "openapi: 3.0.3\ninfo:\n  description: >\n    Text.\n\n\n    More.\n  title: t # comment\npaths:\n  \"/a/{id}\":\n    get:\n      parameters:\n        - description: |\n            Two\n            lines\n          name: id\n        - {name: q, in: query}\n",
        ];
        for source in sources {
            let locations = Locations::new(source.to_owned());
            for pointer in every_pointer(source) {
                assert_eq!(Some(locations.find(&pointer)), libyaml::find(source, &pointer), "{pointer} in {source}");
            }
        }
    }

    #[test]
    fn duplicate_keys_are_found_at_the_second() {
        let source = "openapi: 3.0.3\npaths:\n  /a:\n    get: {}\n  /b: {}\n  /a:\n    put: {}\n";
        let duplicate = libyaml::duplicate_key(source).expect("a duplicate");
        assert_eq!(
            duplicate,
            libyaml::Duplicate { pointer: "/paths/~1a".into(), key: "/a".into(), at: (6, 3), first: (3, 3) }
        );
        assert_eq!(libyaml::duplicate_key("a: [{b: 1, c: 2}, {b: 1, 1: x, '1': y}]\n").map(|d| (d.pointer, d.at)), Some(("/a/1/1".into(), (1, 32))));
        assert_eq!(libyaml::duplicate_key("a: 1\nb: {a: 1}\n"), None);
    }
}
