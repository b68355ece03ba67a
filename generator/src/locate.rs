//! Where each node of a YAML or JSON document starts, by JSON pointer.
//!
//! Diagnostics carry `file:line:col`; serde discards positions, so this second,
//! event-level parse recovers them. It runs only when a diagnostic needs it.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use yaml_rust2::parser::{Event, Parser};

use crate::diagnostics::{pointer_push, unescape_segment};

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
    positions: OnceLock<HashMap<String, (usize, usize)>>,
}

impl Locations {
    /// Positions in `source`, computed on first use.
    pub fn new(source: String) -> Self {
        Locations { source, walks: AtomicUsize::new(0), positions: OnceLock::new() }
    }

    /// The position of the node at `pointer`, or of its nearest ancestor that
    /// has one; (1, 1) when nothing can be located.
    pub fn find(&self, pointer: &str) -> (usize, usize) {
        if self.positions.get().is_none() && self.walks.fetch_add(1, Ordering::Relaxed) < WALKS_BEFORE_INDEX {
            return walk_to(&self.source, pointer);
        }
        nearest(self.positions.get_or_init(|| index(&self.source)), pointer)
    }
}

/// The indexed position of `pointer`, or of its nearest ancestor in the index.
fn nearest(positions: &HashMap<String, (usize, usize)>, pointer: &str) -> (usize, usize) {
    let mut current = pointer;
    loop {
        if let Some(&position) = positions.get(current) {
            return position;
        }
        match current.rfind('/') {
            Some(cut) => current = &current[..cut],
            None => return (1, 1),
        }
    }
}

/// Walks the event stream and records the start of every mapping key and
/// sequence item. A document the event parser rejects yields what was read
/// before the error, which still locates most nodes.
fn index(source: &str) -> HashMap<String, (usize, usize)> {
    enum Frame {
        Mapping { pointer: String, key: Option<String> },
        Sequence { pointer: String, next: usize },
    }
    let mut positions = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut parser = Parser::new_from_str(source);
    positions.insert(String::new(), (1, 1));

    // The pointer of the node that the event now starting belongs to, or None
    // when the event is a mapping key.
    fn child_pointer(stack: &mut [Frame]) -> Option<String> {
        match stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Mapping { pointer, key }) => key.take().map(|key| pointer_push(pointer, &key)),
            Some(Frame::Sequence { pointer, next }) => {
                let child = pointer_push(pointer, &next.to_string());
                *next += 1;
                Some(child)
            }
        }
    }

    while let Ok((event, marker)) = parser.next_token() {
        let position = (marker.line(), marker.col() + 1);
        match event {
            Event::StreamEnd => break,
            Event::Scalar(text, ..) => match child_pointer(&mut stack) {
                Some(pointer) => {
                    positions.entry(pointer).or_insert(position);
                }
                None => {
                    if let Some(Frame::Mapping { pointer, key }) = stack.last_mut() {
                        positions.entry(pointer_push(pointer, &text)).or_insert(position);
                        *key = Some(text);
                    }
                }
            },
            Event::Alias(_) => {
                if child_pointer(&mut stack).is_none()
                    && let Some(Frame::Mapping { key, .. }) = stack.last_mut()
                {
                    // An aliased key cannot be named; skip its value.
                    *key = Some(String::from("<alias>"));
                }
            }
            Event::MappingStart(..) => {
                let pointer = child_pointer(&mut stack).unwrap_or_else(|| String::from("/<complex key>"));
                positions.entry(pointer.clone()).or_insert(position);
                stack.push(Frame::Mapping { pointer, key: None });
            }
            Event::SequenceStart(..) => {
                let pointer = child_pointer(&mut stack).unwrap_or_else(|| String::from("/<complex key>"));
                positions.entry(pointer.clone()).or_insert(position);
                stack.push(Frame::Sequence { pointer, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => {}
        }
    }
    positions
}

/// Where `pointer`'s node starts, found by walking the event stream until
/// it is reached: no index, and nothing kept of the nodes off its path. The
/// same answer as the index gives (a mapping entry starts at its key, a
/// sequence item at its first event), the nearest located ancestor when the
/// node is missing.
fn walk_to(source: &str, pointer: &str) -> (usize, usize) {
    /// A container, and how many segments of the pointer lead to it (`None`
    /// when it is off the path).
    enum Frame {
        /// `key_matched`: whether the key whose value comes next is on the path.
        Mapping { depth: Option<usize>, key_matched: Option<bool> },
        Sequence { depth: Option<usize>, next: usize },
    }
    let target: Vec<String> = pointer.split('/').skip(1).map(unescape_segment).collect();
    if target.is_empty() {
        return (1, 1);
    }
    if source.trim_start().starts_with(['{', '['])
        && let Some(offset) = walk_json(source, &target)
    {
        // The YAML scanner holds a one-line JSON document (minified specs) in
        // memory whole before its first event: EC2's took 120 MB and half a second.
        return line_and_column(source, offset);
    }
    let mut best = (1, 1);
    let mut stack: Vec<Frame> = Vec::new();
    let mut parser = Parser::new_from_str(source);
    while let Ok((event, marker)) = parser.next_token() {
        let position = (marker.line(), marker.col() + 1);
        let is_node = matches!(event, Event::Scalar(..) | Event::Alias(_) | Event::MappingStart(..) | Event::SequenceStart(..));
        // The depth on the path of the node this event starts, when it is a
        // node and not a mapping key.
        let mut depth = None;
        if is_node {
            match stack.last_mut() {
                None => depth = Some(0),
                Some(Frame::Mapping { depth: parent, key_matched }) => match key_matched.take() {
                    // A value: its entry was located at its key.
                    Some(matched) => depth = parent.filter(|_| matched).map(|d| d + 1),
                    // A key.
                    None => {
                        let matched = match &event {
                            Event::Scalar(text, ..) => parent.is_some_and(|d| target.get(d) == Some(text)),
                            _ => false,
                        };
                        *key_matched = Some(matched);
                        if matched {
                            if parent.map(|d| d + 1) == Some(target.len()) {
                                return position;
                            }
                            best = position;
                        }
                        if matches!(event, Event::MappingStart(..) | Event::SequenceStart(..)) {
                            // A complex key: its own events follow, off the path.
                            stack.push(Frame::Mapping { depth: None, key_matched: None });
                        }
                        continue;
                    }
                },
                Some(Frame::Sequence { depth: parent, next }) => {
                    let index = *next;
                    *next += 1;
                    depth = parent.filter(|&d| target.get(d).is_some_and(|segment| *segment == index.to_string())).map(|d| d + 1);
                    if let Some(reached) = depth {
                        if reached == target.len() {
                            return position;
                        }
                        best = position;
                    }
                }
            }
        }
        match event {
            Event::StreamEnd => break,
            Event::MappingStart(..) => stack.push(Frame::Mapping { depth, key_matched: None }),
            Event::SequenceStart(..) => stack.push(Frame::Sequence { depth, next: 0 }),
            Event::MappingEnd | Event::SequenceEnd => {
                // Every container on the path holds the node: leaving one, it is not there.
                if let Some(Frame::Mapping { depth: Some(_), .. } | Frame::Sequence { depth: Some(_), .. }) = stack.pop() {
                    return best;
                }
            }
            _ => {}
        }
    }
    best
}

/// [`walk_to`] for JSON text: the byte offset where the node at `target`
/// (unescaped segments) starts, or its nearest ancestor's; `None` when the
/// text turns out to be YAML in flow style (an unquoted key), which the
/// event stream handles.
fn walk_json(source: &str, target: &[String]) -> Option<usize> {
    let bytes = source.as_bytes();
    // Containers: whether an object, the path depth they are at (`None` off
    // the path), and the index of an array's next item.
    let mut stack: Vec<(bool, Option<usize>, usize)> = Vec::new();
    let mut best = 0;
    // The path depth of an object's value whose key was just read.
    let mut entry_depth: Option<usize> = None;
    let mut expect_key = false;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte.is_ascii_whitespace() || byte == b':' {
            at += 1;
            continue;
        }
        if byte == b',' {
            expect_key = matches!(stack.last(), Some((true, ..)));
            at += 1;
            continue;
        }
        if byte == b'}' || byte == b']' {
            // Every container on the path holds the node: leaving one, it is not there.
            if let Some((_, Some(_), _)) = stack.pop() {
                return Some(best);
            }
            at += 1;
            continue;
        }
        if expect_key && byte != b'"' {
            return None;
        }
        let end = if byte == b'"' { string_end(bytes, at) } else { at };
        if expect_key && byte == b'"' {
            // Between the quotes; an unterminated string at the end has no closing one.
            let key = source.get(at + 1..end - 1).unwrap_or_default();
            let key = if key.contains('\\') { serde_json::from_str::<String>(&source[at..end]).unwrap_or_default() } else { key.to_owned() };
            let parent = stack.last().and_then(|frame| frame.1);
            entry_depth = parent.filter(|&d| target.get(d) == Some(&key)).map(|d| d + 1);
            if let Some(reached) = entry_depth {
                // A mapping entry starts at its key.
                if reached == target.len() {
                    return Some(at);
                }
                best = at;
            }
            expect_key = false;
            at = end;
            continue;
        }
        // A value starts here.
        let depth = match stack.last_mut() {
            None => Some(0),
            Some((true, ..)) => entry_depth.take(),
            Some((false, parent, next)) => {
                let index = *next;
                *next += 1;
                let depth = parent.filter(|&d| target.get(d).is_some_and(|segment| *segment == index.to_string())).map(|d| d + 1);
                if let Some(reached) = depth {
                    if reached == target.len() {
                        return Some(at);
                    }
                    best = at;
                }
                depth
            }
        };
        match byte {
            b'{' | b'[' => {
                stack.push((byte == b'{', depth, 0));
                expect_key = byte == b'{';
                at += 1;
            }
            b'"' => at = end,
            _ => {
                // A number or literal: up to the next delimiter.
                at += bytes[at..].iter().position(|b| matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace()).unwrap_or(bytes.len() - at);
            }
        }
    }
    Some(best)
}

/// The offset just past the string literal that opens at `open`.
fn string_end(bytes: &[u8], open: usize) -> usize {
    let mut at = open + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return at + 1,
            _ => at += 1,
        }
    }
    bytes.len()
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_and_column(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset];
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let flow_yaml = "{openapi: 3.0.3, paths: {/a: {get: {tags: [x]}}}}";
        for source in [yaml, json, pretty, flow_yaml] {
            let positions = index(source);
            let missing = ["/nope", "/paths/~1pets~1{id}/get/nope/deeper", "/paths/~1pets~1{id}/get/parameters/7", "/paths/~1a~0b/x", "/g/h/0", "/a\"b/3/d/5"];
            let pointers = positions.keys().map(String::as_str).chain(missing);
            for pointer in pointers {
                assert_eq!(walk_to(source, pointer), nearest(&positions, pointer), "{pointer} in {source}");
            }
        }
    }

    #[test]
    fn json_keys_are_located() {
        let locations = Locations::new("{\n  \"info\": {\"title\": \"x\"}\n}".to_owned());
        assert_eq!(locations.find("/info/title"), (2, 12));
    }
}
