//! The 3.0-shaped tree → `openapiv3::OpenAPI`, with every entry that does not
//! fit its type reported at its own pointer.

use openapiv3::OpenAPI;
use serde::Deserialize as _;
use serde_json::Value;

use crate::diagnostics::{Reporter, pointer_push};

/// Deserializes `raw`; on failure, reports each broken entry.
pub fn typed(raw: &Value, reporter: &mut Reporter<'_>) -> Option<OpenAPI> {
    // Plain serde first: tracking the path of every node cost Graph v1.0 a
    // third of its loading, and only a broken document needs it.
    if let Ok(openapi) = OpenAPI::deserialize(raw) {
        return Some(openapi);
    }
    match serde_path_to_error::deserialize::<_, OpenAPI>(raw) {
        Ok(openapi) => Some(openapi),
        Err(error) => {
            // serde loses its place inside `paths` and `components`; checking
            // their entries one by one finds every broken entry, precisely.
            let mut found = Vec::new();
            entry_errors(raw, &mut found);
            if found.is_empty() {
                found.push((path_to_pointer(error.path()), error.inner().to_string()));
            }
            for (pointer, message) in found {
                reporter.error(&pointer, format!("not a valid OpenAPI document: {message}"));
            }
            None
        }
    }
}

/// Deserializes each entry of `paths` and `components` on its own, collecting
/// a (pointer, message) for every entry that does not fit its type.
fn entry_errors(raw: &Value, found: &mut Vec<(String, String)>) {
    use openapiv3::{Header, Operation, Parameter, ReferenceOr, RequestBody, Response, Schema, SecurityScheme};

    fn check<T: serde::de::DeserializeOwned>(value: &Value, pointer: &str, found: &mut Vec<(String, String)>) -> bool {
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(_) => true,
            Err(error) => {
                let inner = path_to_pointer(error.path());
                found.push((format!("{pointer}{inner}"), error.inner().to_string()));
                false
            }
        }
    }

    if let Some(Value::Object(paths)) = raw.get("paths") {
        for (template, item) in paths {
            let item_pointer = pointer_push("/paths", template);
            let Value::Object(fields) = item else {
                check::<ReferenceOr<openapiv3::PathItem>>(item, &item_pointer, found);
                continue;
            };
            let before = found.len();
            for (method, operation) in fields {
                if ["get", "put", "post", "delete", "options", "head", "patch", "trace"].contains(&method.as_str()) {
                    check::<Operation>(operation, &pointer_push(&item_pointer, method), found);
                }
            }
            if found.len() == before {
                check::<ReferenceOr<openapiv3::PathItem>>(item, &item_pointer, found);
            }
        }
    }
    let Some(Value::Object(components)) = raw.get("components") else { return };
    for (kind, entries) in components {
        let Value::Object(entries) = entries else { continue };
        for (name, entry) in entries {
            let pointer = pointer_push(&pointer_push("/components", kind), name);
            match kind.as_str() {
                "schemas" => check::<ReferenceOr<Schema>>(entry, &pointer, found),
                "responses" => check::<ReferenceOr<Response>>(entry, &pointer, found),
                "parameters" => check::<ReferenceOr<Parameter>>(entry, &pointer, found),
                "requestBodies" => check::<ReferenceOr<RequestBody>>(entry, &pointer, found),
                "headers" => check::<ReferenceOr<Header>>(entry, &pointer, found),
                "securitySchemes" => check::<ReferenceOr<SecurityScheme>>(entry, &pointer, found),
                _ => true,
            };
        }
    }
}

/// Turns serde's path (`paths./pets.get`) into a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = pointer_push(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = pointer_push(&pointer, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}
