//! The raw JSON of each lowered operation, for the passes that read what
//! `openapiv3` does not keep (vendor extensions, examples) after the
//! operations are lowered.

use std::collections::HashMap;

use serde_json::Value;

use crate::diagnostics::pointer_push;
use crate::ir::{Group, Operation, PathPart};
use crate::resolve::lookup_raw;

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// One lowered operation and where it is in the raw document.
pub struct RawOperation<'v> {
    /// Its group and its index in the group.
    pub at: (usize, usize),
    /// The operation object.
    pub operation: &'v Value,
    /// The path item holding it (path-level parameters live there).
    pub path_item: &'v Value,
    /// JSON pointer to the operation object.
    pub pointer: String,
}

/// Every lowered operation of `groups` with its raw JSON, in document order.
pub fn raw_operations<'v>(raw: &'v Value, groups: &[Group]) -> Vec<RawOperation<'v>> {
    let mut by_route: HashMap<(String, String), (usize, usize)> = HashMap::new();
    for (g, group) in groups.iter().enumerate() {
        for (o, op) in group.operations.iter().enumerate() {
            by_route.insert((op.http_method.to_ascii_lowercase(), path_template(op)), (g, o));
        }
    }
    let mut found = Vec::new();
    for (path, item) in raw.get("paths").and_then(Value::as_object).into_iter().flatten() {
        let item = match item.get("$ref").and_then(Value::as_str) {
            Some(reference) => reference.strip_prefix('#').and_then(|pointer| lookup_raw(raw, pointer)),
            None => Some(item),
        };
        let Some(item) = item else { continue };
        for method in METHODS {
            let Some(operation) = item.get(*method) else { continue };
            let Some(&at) = by_route.get(&((*method).to_owned(), path.clone())) else { continue };
            let pointer = pointer_push(&pointer_push("/paths", path), method);
            found.push(RawOperation { at, operation, path_item: item, pointer });
        }
    }
    found
}

/// The path template as the spec writes it, the key of the operation.
fn path_template(op: &Operation) -> String {
    op.path
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => text.clone(),
            PathPart::Param(index) => op.params.get(*index).map_or_else(String::new, |p| format!("{{{}}}", p.wire)),
        })
        .collect()
}
