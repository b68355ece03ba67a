//! Where each node of a YAML or JSON document starts, by JSON pointer.
//!
//! Diagnostics carry `file:line:col`; serde discards positions, so this second,
//! event-level parse recovers them. It runs only when a diagnostic needs it.

use std::collections::HashMap;
use std::sync::OnceLock;

use yaml_rust2::parser::{Event, Parser};

use crate::diagnostics::pointer_push;

/// A lazily built map from JSON pointer to 1-based (line, column).
#[derive(Debug)]
pub struct Locations {
    source: String,
    positions: OnceLock<HashMap<String, (usize, usize)>>,
}

impl Locations {
    /// Positions in `source`, computed on first use.
    pub fn new(source: String) -> Self {
        Locations { source, positions: OnceLock::new() }
    }

    /// The position of the node at `pointer`, or of its nearest ancestor that
    /// has one; (1, 1) when nothing can be located.
    pub fn find(&self, pointer: &str) -> (usize, usize) {
        let positions = self.positions.get_or_init(|| index(&self.source));
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
    fn json_keys_are_located() {
        let locations = Locations::new("{\n  \"info\": {\"title\": \"x\"}\n}".to_owned());
        assert_eq!(locations.find("/info/title"), (2, 12));
    }
}
