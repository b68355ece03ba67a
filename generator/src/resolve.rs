//! `$ref` handling: every reference is checked once up front (so all dangling
//! ones are reported together), then looked up on demand while lowering.

use std::borrow::Cow;

use openapiv3::{OpenAPI, ReferenceOr};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostics::{Reporter, pointer_push, push_segment, unescape_segment};

/// How many `$ref` hops a lookup follows before calling it a cycle.
const MAX_HOPS: usize = 32;

/// Reports every `$ref` in `raw` that is external, malformed or dangling.
pub fn check_references(raw: &Value, reporter: &mut Reporter<'_>) {
    fn walk(node: &Value, root: &Value, pointer: &mut String, reporter: &mut Reporter<'_>) {
        match node {
            Value::Object(fields) => {
                // In a `properties` map, `$ref` is the name of a property
                // (JSON Schema's own schema has one), not a reference.
                let is_property_map = pointer.ends_with("/properties");
                if let Some(target) = fields.get("$ref").filter(|_| !is_property_map) {
                    let at = pointer_push(pointer, "$ref");
                    match target {
                        Value::String(target) => check_one(target, root, &at, reporter),
                        _ => reporter.error(&at, "`$ref` must be a string"),
                    }
                }
                // Extensions are vendor data; clientgen never follows a `$ref` in them.
                for (key, child) in fields.iter().filter(|(key, _)| !key.starts_with("x-")) {
                    let len = pointer.len();
                    push_segment(pointer, key);
                    walk(child, root, pointer, reporter);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    let len = pointer.len();
                    push_segment(pointer, &index.to_string());
                    walk(child, root, pointer, reporter);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
    walk(raw, raw, &mut String::new(), reporter);
}

fn check_one(target: &str, root: &Value, at: &str, reporter: &mut Reporter<'_>) {
    match target.strip_prefix('#') {
        // The loader copies what other files' references name into the
        // document; one left here was not followed (it sits where the loader
        // does not look).
        None => reporter.error(at, format!("reference `{target}` to another file cannot be followed here")),
        Some(pointer) => match lookup_raw(root, pointer) {
            Some(_) => {}
            None => reporter.error(at, format!("dangling reference: `{target}` points to nothing")),
        },
    }
}

/// The node at a JSON pointer (`/a/b~1c`), decoding `~1` and `~0` and
/// percent-escapes as in URI fragments.
pub fn lookup_raw<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let mut node = root;
    for raw_segment in pointer.strip_prefix('/')?.split('/') {
        let segment = unescape_segment(&percent_decode(raw_segment));
        node = match node {
            Value::Object(fields) => fields.get(&segment)?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

pub(crate) fn percent_decode(text: &str) -> Cow<'_, str> {
    if !text.contains('%') {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// The name of the component schema a reference points at, if it points at one.
pub fn schema_component(reference: &str) -> Option<&str> {
    let name = reference.strip_prefix("#/components/schemas/")?;
    (!name.contains('/')).then_some(name)
}

/// Looks up references while lowering. Components are read from the typed
/// document; anything else is deserialized from the raw tree on demand.
#[derive(Debug, Clone, Copy)]
pub struct Resolver<'a> {
    /// The typed document.
    pub openapi: &'a OpenAPI,
    /// The raw tree.
    pub raw: &'a Value,
}

impl<'a> Resolver<'a> {
    /// Follows `item` to the value it stands for, with the JSON pointer of
    /// that value. `None` for dangling or cyclic references (already reported
    /// by [`check_references`]) and for targets of the wrong shape.
    pub fn resolve<'i, T: DeserializeOwned + Clone>(
        &self,
        item: &'i ReferenceOr<T>,
        pointer: &str,
    ) -> Option<(Cow<'i, T>, String)> {
        let mut reference = match item {
            ReferenceOr::Item(value) => return Some((Cow::Borrowed(value), pointer.to_owned())),
            ReferenceOr::Reference { reference } => reference.clone(),
        };
        for _ in 0..MAX_HOPS {
            let target = reference.strip_prefix('#')?;
            let node = lookup_raw(self.raw, target)?;
            if let Some(next) = node.get("$ref").and_then(Value::as_str) {
                reference = next.to_owned();
                continue;
            }
            let value = serde_json::from_value::<T>(node.clone()).ok()?;
            return Some((Cow::Owned(value), target.to_owned()));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_decode_escapes() {
        let root: Value = serde_json::json!({"paths": {"/a b": {"x~y": [1, 2]}}});
        assert_eq!(lookup_raw(&root, "/paths/~1a%20b/x~0y/1"), Some(&Value::from(2)));
        assert_eq!(lookup_raw(&root, "/paths/missing"), None);
    }
}
