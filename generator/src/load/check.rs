//! The 3.0-shaped tree → `openapiv3::OpenAPI`, with every entry that does not
//! fit its type reported at its own pointer.

use openapiv3::{OpenAPI, PathItem, ReferenceOr, Schema};
use serde::Deserialize as _;
use serde_json::Value;

use crate::diagnostics::{Reporter, pointer_push};

/// Deserializes `raw`, consuming it; on failure, reports each broken entry.
pub fn typed(raw: Value, reporter: &mut Reporter<'_>) -> Option<OpenAPI> {
    // Plain serde first: tracking the path of every node cost Graph v1.0 a
    // third of its loading, and only a broken document needs it.
    let raw = match in_parallel(raw, CHUNK) {
        Ok(openapi) => return Some(openapi),
        Err(left) => left,
    };
    match serde_path_to_error::deserialize::<_, OpenAPI>(&raw) {
        Ok(openapi) => Some(openapi),
        Err(error) => {
            // serde loses its place inside `paths` and `components`; checking
            // their entries one by one finds every broken entry, precisely.
            let mut found = Vec::new();
            entry_errors(&raw, &mut found);
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

/// Path items or schemas deserialized per unit of parallel work.
const CHUNK: usize = 64;

/// Entries of `paths` or `components.schemas`, taken out of the raw tree.
type Entries = Vec<(String, Value)>;

/// What one unit of parallel work made: path items or schemas, in order; or,
/// when one of its entries does not fit its type, the entries as they were.
enum Chunk {
    Paths(Vec<(String, ReferenceOr<PathItem>)>),
    Schemas(Vec<(String, ReferenceOr<Schema>)>),
    Broken { schemas: bool, entries: Entries },
}

/// Deserializes `raw` with its path items and schemas, the bulk of a large
/// document (Microsoft Graph's 22,000 paths, 11,000 schemas), shared out to
/// the cores in chunks of `chunk` entries; the rest, small, in one piece.
///
/// The entries are moved out of `raw` into the work, and each chunk's raw
/// entries are dropped as soon as they are deserialized, so the raw tree and
/// the typed document never both exist whole (for Graph beta they are 300
/// and 500 MB). When anything does not fit its type, `raw` comes back with
/// the entries that did not (the others were valid), for the caller to find what.
///
/// The result is what deserializing `raw` in one piece gives: `openapiv3`
/// takes the keys of `paths` that start with `/` as path items (and `x-` ones
/// as extensions), and the entries of `components.schemas` in order.
fn in_parallel(mut raw: Value, chunk: usize) -> Result<OpenAPI, Value> {
    let Some(root) = raw.as_object_mut() else { return Err(raw) };
    let paths: Entries = match root.get_mut("paths") {
        Some(Value::Object(paths)) => {
            let (items, others): (Entries, Entries) =
                std::mem::take(paths).into_iter().partition(|(key, _)| key.starts_with('/'));
            paths.extend(others);
            items
        }
        _ => Vec::new(),
    };
    let schemas: Entries = match root.get_mut("components").and_then(|c| c.get_mut("schemas")) {
        Some(Value::Object(schemas)) => std::mem::take(schemas).into_iter().collect(),
        _ => Vec::new(),
    };
    let Ok(mut openapi) = OpenAPI::deserialize(&raw) else { return Err(restore(raw, paths, schemas)) };
    let (path_count, schema_count) = (paths.len(), schemas.len());
    let mut units: Vec<(bool, Entries)> = Vec::new();
    for (schemas, mut entries) in [(false, paths), (true, schemas)] {
        while !entries.is_empty() {
            let rest = entries.split_off(chunk.max(1).min(entries.len()));
            units.push((schemas, std::mem::replace(&mut entries, rest)));
        }
    }
    let units: Vec<std::sync::Mutex<Option<(bool, Entries)>>> =
        units.into_iter().map(|unit| std::sync::Mutex::new(Some(unit))).collect();
    let done = crate::parallel::map(units.len(), &|unit| {
        fn entries<T: serde::de::DeserializeOwned>(part: &Entries) -> Option<Vec<(String, T)>> {
            part.iter().map(|(key, value)| T::deserialize(value).ok().map(|item| (key.clone(), item))).collect()
        }
        let taken = units[unit].lock().map(|mut slot| slot.take()).ok().flatten();
        let Some((schemas, part)) = taken else { return Chunk::Broken { schemas: false, entries: Vec::new() } };
        let made = if schemas { entries(&part).map(Chunk::Schemas) } else { entries(&part).map(Chunk::Paths) };
        made.unwrap_or(Chunk::Broken { schemas, entries: part })
    });
    let Ok(done) = done else { return Err(raw) };
    // Room for every entry at once: growing maps of large values step by step
    // would hold two copies of the largest ones.
    openapi.paths.paths.reserve(path_count);
    if schema_count > 0 {
        openapi.components.get_or_insert_with(Default::default).schemas.reserve(schema_count);
    }
    let (mut broken_paths, mut broken_schemas) = (Vec::new(), Vec::new());
    for chunk in done {
        match chunk {
            Chunk::Paths(items) => openapi.paths.paths.extend(items),
            Chunk::Schemas(items) => openapi.components.get_or_insert_with(Default::default).schemas.extend(items),
            Chunk::Broken { schemas: false, entries } => broken_paths.extend(entries),
            Chunk::Broken { schemas: true, entries } => broken_schemas.extend(entries),
        }
    }
    if broken_paths.is_empty() && broken_schemas.is_empty() {
        Ok(openapi)
    } else {
        Err(restore(raw, broken_paths, broken_schemas))
    }
}

/// `raw` with these entries put back under `paths` and `components.schemas`.
fn restore(mut raw: Value, paths: Entries, schemas: Entries) -> Value {
    if let Some(Value::Object(found)) = raw.get_mut("paths") {
        found.extend(paths);
    }
    if let Some(Value::Object(found)) = raw.get_mut("components").and_then(|c| c.get_mut("schemas")) {
        found.extend(schemas);
    }
    raw
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The parallel pass gives what one serde pass gives, however the entries
    /// are chunked, for every fixture and for extensions beside path items.
    #[test]
    fn deserializing_in_parallel_matches_one_pass() {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let mut specs: Vec<std::path::PathBuf> = std::fs::read_dir(&fixtures)
            .expect("tests/fixtures exists")
            .map(|entry| entry.expect("readable").path())
            .filter(|path| path.is_file())
            .collect();
        specs.sort();
        assert!(specs.len() > 10, "fixtures found: {}", specs.len());
        let mut trees: Vec<Value> = specs
            .iter()
            .filter_map(|spec| crate::load::load_file(spec).ok())
            .map(|document| serde_json::to_value(&document.openapi).expect("the typed document serializes"))
            .collect();
        trees.push(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "x-paths-note": {"any": "thing"},
                "/a": {"get": {"responses": {"204": {"description": "done"}}}},
                "/b": {"$ref": "#/paths/~1a"}
            },
            "components": {
                "x-components-note": 1,
                "schemas": {"A": {"type": "string"}, "B": {"$ref": "#/components/schemas/A"}, "C": {"type": "object"}},
                "responses": {"Done": {"description": "done"}}
            }
        }));
        for tree in &trees {
            let whole = OpenAPI::deserialize(tree).expect("fixtures deserialize");
            for chunk in [1, 2, CHUNK] {
                assert_eq!(in_parallel(tree.clone(), chunk).ok().as_ref(), Some(&whole), "chunks of {chunk}");
            }
        }
        // A schema that does not fit leaves the reporting to the serial pass,
        // with the entries that did not fit still in the tree.
        let mut broken = trees.pop().unwrap();
        broken["components"]["schemas"]["C"] = serde_json::json!({"type": 5});
        let left = in_parallel(broken.clone(), 1).expect_err("C does not fit");
        assert_eq!(left["components"]["schemas"]["C"], serde_json::json!({"type": 5}));
        assert_eq!(left["paths"]["x-paths-note"], serde_json::json!({"any": "thing"}));
        broken["components"]["schemas"] = serde_json::json!([]);
        let left = in_parallel(broken, 1).expect_err("schemas must be a map");
        assert_eq!(left["components"]["schemas"], serde_json::json!([]));
    }
}
