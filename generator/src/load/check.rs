//! The 3.0-shaped tree → `openapiv3::OpenAPI`, with every entry that does not
//! fit its type reported at its own pointer.

use openapiv3::{OpenAPI, PathItem, ReferenceOr, Schema};
use serde::Deserialize as _;
use serde_json::Value;

use crate::diagnostics::Reporter;
use crate::pointer::{pointer_push, push_segment};
use crate::load::stubbed::{Stubbed, Stubs};

/// Deserializes `raw`, consuming it; on failure, reports each broken entry.
///
/// A malformed document costs about what a valid one of its size does. A
/// schema that does not fit would be parsed again at every level of schemas
/// above it (`openapiv3`'s `ReferenceOr` parses a failed item twice to word
/// its error: 2^depth parses), so every schema is checked alone first, its
/// subschemas stood in for by `{}`: each schema node is parsed once, and a
/// broken one is reported at its own pointer. Outside the schemas nothing
/// nests without bound (a callback's path items hold no `ReferenceOr` of
/// their own), so the rest is left to the one pass that makes the document.
pub fn typed(raw: Value, reporter: &mut Reporter<'_>) -> Option<OpenAPI> {
    let broken = {
        let (schemas, stubs) = schemas_and_stubs(&raw);
        broken_schemas(&raw, &schemas, &stubs)
    };
    let raw = if broken.is_empty() {
        // Plain serde: tracking the path of every node cost Graph v1.0 a
        // third of its loading, and only a broken document needs it. The raw
        // tree is consumed; what comes back holds the entries that did not fit.
        match in_parallel(raw, CHUNK) {
            Ok(openapi) => return Some(openapi),
            Err(left) => left,
        }
    } else {
        raw
    };
    // Stubs know schemas by address: the tree that came back has moved.
    let (_, stubs) = schemas_and_stubs(&raw);
    let mut found = outside_schemas(&raw, &stubs);
    found.extend(broken);
    if found.is_empty() {
        // Every part fits, so the whole should: say what serde says.
        if let Err(error) = serde_path_to_error::deserialize::<_, OpenAPI>(&raw) {
            found.push((path_to_pointer(error.path()), error.inner().to_string()));
        }
    }
    for (pointer, message) in &found {
        reporter.error(pointer, format!("not a valid OpenAPI document: {message}"));
    }
    None
}

/// Every schema of `raw`, in document order, and the stubs standing in for them.
fn schemas_and_stubs(raw: &Value) -> (Vec<&Value>, Stubs) {
    let mut schemas = Vec::new();
    for_each_schema(raw, &mut |schema, _| schemas.push(schema));
    let stubs = Stubs::new(schemas.iter().copied());
    (schemas, stubs)
}

/// What does not fit outside the schemas: the document with every schema
/// stood in for, entry by entry where serde loses its place.
fn outside_schemas(raw: &Value, stubs: &Stubs) -> Vec<(String, String)> {
    let Err(error) = serde_path_to_error::deserialize::<_, OpenAPI>(stubs.view(raw)) else { return Vec::new() };
    // serde loses its place inside `paths` and `components`; checking
    // their entries one by one finds every broken entry, precisely.
    let mut found = Vec::new();
    entry_errors(raw, stubs, &mut found);
    if found.is_empty() {
        found.push((path_to_pointer(error.path()), error.inner().to_string()));
    }
    found
}

/// Schemas checked per unit of parallel work.
const SCHEMAS_PER_UNIT: usize = 512;

/// Each schema that does not fit on its own (its subschemas stood in for),
/// at its pointer, in document order.
fn broken_schemas(raw: &Value, schemas: &[&Value], stubs: &Stubs) -> Vec<(String, String)> {
    let chunks: Vec<&[&Value]> = schemas.chunks(SCHEMAS_PER_UNIT).collect();
    let checked = crate::parallel::map(chunks.len(), &|unit| {
        chunks[unit]
            .iter()
            .enumerate()
            // Plain serde first, as for the whole document: tracking paths costs.
            .filter(|(_, schema)| ReferenceOr::<Schema>::deserialize(stubs.view(schema)).is_err())
            .filter_map(|(index, schema)| {
                let error = serde_path_to_error::deserialize::<_, ReferenceOr<Schema>>(stubs.view(schema)).err()?;
                Some((unit * SCHEMAS_PER_UNIT + index, path_to_pointer(error.path()), error.inner().to_string()))
            })
            .collect::<Vec<_>>()
    });
    // A worker that panicked: the serial check says the same.
    let broken: Vec<_> = match checked {
        Ok(chunks) => chunks.into_iter().flatten().collect(),
        Err(_) => return Vec::new(),
    };
    if broken.is_empty() {
        return Vec::new();
    }
    // Pointers are spelled out only for the broken ones: the walk visits
    // the schemas in the same order again.
    let mut found = Vec::new();
    let mut visited = 0;
    let mut broken = broken.into_iter().peekable();
    for_each_schema(raw, &mut |_, pointer| {
        if let Some((_, inner, message)) = broken.next_if(|(index, ..)| *index == visited) {
            found.push((format!("{pointer}{inner}"), message));
        }
        visited += 1;
    });
    found
}

/// Calls `visit` with every node the typed document reads as a schema (a
/// `ReferenceOr<Schema>`), and its pointer, in document order: component
/// schemas, the `schema` of parameters, headers and media types, and their
/// subschemas (`properties`, `items`, `additionalProperties` unless a
/// boolean, `allOf`, `oneOf`, `anyOf`, `not`). Whatever the value: one that is
/// not an object is a broken schema, reported where it is.
fn for_each_schema<'v>(raw: &'v Value, visit: &mut dyn FnMut(&'v Value, &str)) {
    struct Walk<'f, 'v> {
        visit: &'f mut dyn FnMut(&'v Value, &str),
        pointer: String,
    }
    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    impl<'v> Walk<'_, 'v> {
        /// `each(self, child)` for the child at `key`, when `node` has one.
        fn at(&mut self, node: &'v Value, key: &str, each: impl FnOnce(&mut Self, &'v Value)) {
            if let Some(child) = node.get(key) {
                let len = self.pointer.len();
                push_segment(&mut self.pointer, key);
                each(self, child);
                self.pointer.truncate(len);
            }
        }
        /// `each` for every entry of the object at `key` (extensions too
        /// where `extensions` says so).
        fn entries(&mut self, node: &'v Value, key: &str, extensions: bool, each: fn(&mut Self, &'v Value)) {
            self.at(node, key, |walk, map| walk.members(map, extensions, each));
        }
        fn members(&mut self, map: &'v Value, extensions: bool, each: fn(&mut Self, &'v Value)) {
            let Value::Object(entries) = map else { return };
            for (name, child) in entries {
                if extensions || !name.starts_with("x-") {
                    let len = self.pointer.len();
                    push_segment(&mut self.pointer, name);
                    each(self, child);
                    self.pointer.truncate(len);
                }
            }
        }
        /// `each` for every item of the array at `key`.
        fn items(&mut self, node: &'v Value, key: &str, each: fn(&mut Self, &'v Value)) {
            self.at(node, key, |walk, list| {
                let Value::Array(items) = list else { return };
                for (index, item) in items.iter().enumerate() {
                    let len = walk.pointer.len();
                    push_segment(&mut walk.pointer, &index.to_string());
                    each(walk, item);
                    walk.pointer.truncate(len);
                }
            });
        }
        fn schema(&mut self, node: &'v Value) {
            (self.visit)(node, &self.pointer);
            if !node.is_object() {
                return;
            }
            self.entries(node, "properties", true, Self::schema);
            self.at(node, "items", Self::schema);
            self.at(node, "additionalProperties", |walk, value| {
                if !value.is_boolean() {
                    walk.schema(value);
                }
            });
            for key in ["allOf", "oneOf", "anyOf"] {
                self.items(node, key, Self::schema);
            }
            self.at(node, "not", Self::schema);
        }
        fn media_type(&mut self, node: &'v Value) {
            self.at(node, "schema", Self::schema);
            self.entries(node, "encoding", true, |walk, encoding| walk.entries(encoding, "headers", true, Self::parameter));
        }
        /// A parameter or a header.
        fn parameter(&mut self, node: &'v Value) {
            self.at(node, "schema", Self::schema);
            self.entries(node, "content", true, Self::media_type);
        }
        fn request_body(&mut self, node: &'v Value) {
            self.entries(node, "content", true, Self::media_type);
        }
        fn response(&mut self, node: &'v Value) {
            self.entries(node, "headers", true, Self::parameter);
            self.entries(node, "content", true, Self::media_type);
        }
        fn operation(&mut self, node: &'v Value) {
            self.items(node, "parameters", Self::parameter);
            self.at(node, "requestBody", Self::request_body);
            self.entries(node, "responses", false, Self::response);
            self.entries(node, "callbacks", true, |walk, callback| walk.members(callback, true, Self::path_item));
        }
        fn path_item(&mut self, node: &'v Value) {
            self.items(node, "parameters", Self::parameter);
            for method in METHODS {
                self.at(node, method, Self::operation);
            }
        }
    }
    let mut walk = Walk { visit, pointer: String::new() };
    walk.at(raw, "paths", |walk, paths| {
        let Value::Object(items) = paths else { return };
        for (template, item) in items.iter().filter(|(template, _)| template.starts_with('/')) {
            let len = walk.pointer.len();
            push_segment(&mut walk.pointer, template);
            walk.path_item(item);
            walk.pointer.truncate(len);
        }
    });
    walk.at(raw, "components", |walk, components| {
        walk.entries(components, "schemas", true, Walk::schema);
        walk.entries(components, "responses", true, Walk::response);
        walk.entries(components, "parameters", true, Walk::parameter);
        walk.entries(components, "requestBodies", true, Walk::request_body);
        walk.entries(components, "headers", true, Walk::parameter);
        walk.entries(components, "callbacks", true, |walk, callback| walk.members(callback, true, Walk::path_item));
    });
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

/// Deserializes each entry of `paths` and `components` on its own, its
/// schemas stood in for (they are checked on their own), collecting a
/// (pointer, message) for every entry that does not fit its type.
fn entry_errors(raw: &Value, stubs: &Stubs, found: &mut Vec<(String, String)>) {
    use openapiv3::{Header, Operation, Parameter, RequestBody, Response, SecurityScheme};

    fn check<T: serde::de::DeserializeOwned>(value: Stubbed<'_>, pointer: &str, found: &mut Vec<(String, String)>) -> bool {
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
                check::<ReferenceOr<openapiv3::PathItem>>(stubs.view(item), &item_pointer, found);
                continue;
            };
            let before = found.len();
            for (method, operation) in fields {
                if ["get", "put", "post", "delete", "options", "head", "patch", "trace"].contains(&method.as_str()) {
                    check::<Operation>(stubs.view(operation), &pointer_push(&item_pointer, method), found);
                }
            }
            if found.len() == before {
                check::<ReferenceOr<openapiv3::PathItem>>(stubs.view(item), &item_pointer, found);
            }
        }
    }
    let Some(Value::Object(components)) = raw.get("components") else { return };
    for (kind, entries) in components {
        let Value::Object(entries) = entries else { continue };
        for (name, entry) in entries {
            let pointer = pointer_push(&pointer_push("/components", kind), name);
            match kind.as_str() {
                "responses" => check::<ReferenceOr<Response>>(stubs.view(entry), &pointer, found),
                "parameters" => check::<ReferenceOr<Parameter>>(stubs.view(entry), &pointer, found),
                "requestBodies" => check::<ReferenceOr<RequestBody>>(stubs.view(entry), &pointer, found),
                "headers" => check::<ReferenceOr<Header>>(stubs.view(entry), &pointer, found),
                "securitySchemes" => check::<ReferenceOr<SecurityScheme>>(stubs.view(entry), &pointer, found),
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

    /// Every place `openapiv3` reads a `ReferenceOr<Schema>` is visited, in
    /// document order, and nothing else: examples, extensions and boolean
    /// `additionalProperties` are not schemas.
    #[test]
    fn every_schema_place_is_visited() {
        let doc = serde_json::json!({
            "paths": {
                "x-note": {"schema": {}},
                "/a": {
                    "parameters": [{"name": "p", "in": "query", "schema": {"type": "string"}}],
                    "get": {
                        "parameters": [{"name": "c", "in": "query", "content": {"text/plain": {"schema": {}}}}],
                        "requestBody": {"content": {"multipart/form-data": {
                            "schema": {"properties": {"f": {"items": {}}}, "additionalProperties": true},
                            "encoding": {"f": {"headers": {"H": {"schema": {}}}}},
                            "example": {"schema": {}}}}},
                        "responses": {
                            "200": {"headers": {"R": {"schema": {"not": {}}}}, "content": {"application/json": {"schema": {"additionalProperties": {}}}}},
                            "x-ignored": {"content": {"a/b": {"schema": {}}}}
                        },
                        "callbacks": {"cb": {"{$request.body#/url}": {"post": {"requestBody": {"content": {"a/b": {"schema": {"oneOf": [{}, ""]}}}}}}}}
                    }
                }
            },
            "components": {
                "schemas": {"A": {"allOf": [{}], "anyOf": [{}]}, "B": ""},
                "parameters": {"P": {"schema": {}}},
                "headers": {"H": {"content": {"a/b": {"schema": {}}}}},
                "x-schemas": {"C": {}}
            }
        });
        let mut seen = Vec::new();
        for_each_schema(&doc, &mut |_, pointer| seen.push(pointer.to_owned()));
        assert_eq!(
            seen,
            [
                "/paths/~1a/parameters/0/schema",
                "/paths/~1a/get/parameters/0/content/text~1plain/schema",
                "/paths/~1a/get/requestBody/content/multipart~1form-data/schema",
                "/paths/~1a/get/requestBody/content/multipart~1form-data/schema/properties/f",
                "/paths/~1a/get/requestBody/content/multipart~1form-data/schema/properties/f/items",
                "/paths/~1a/get/requestBody/content/multipart~1form-data/encoding/f/headers/H/schema",
                "/paths/~1a/get/responses/200/headers/R/schema",
                "/paths/~1a/get/responses/200/headers/R/schema/not",
                "/paths/~1a/get/responses/200/content/application~1json/schema",
                "/paths/~1a/get/responses/200/content/application~1json/schema/additionalProperties",
                "/paths/~1a/get/callbacks/cb/{$request.body#~1url}/post/requestBody/content/a~1b/schema",
                "/paths/~1a/get/callbacks/cb/{$request.body#~1url}/post/requestBody/content/a~1b/schema/oneOf/0",
                "/paths/~1a/get/callbacks/cb/{$request.body#~1url}/post/requestBody/content/a~1b/schema/oneOf/1",
                "/components/schemas/A",
                "/components/schemas/A/allOf/0",
                "/components/schemas/A/anyOf/0",
                "/components/schemas/B",
                "/components/parameters/P/schema",
                "/components/headers/H/content/a~1b/schema",
            ]
        );
    }

    /// A broken schema is reported at itself wherever it is, once, and a
    /// broken entry outside the schemas where it is.
    #[test]
    fn broken_nodes_are_reported_at_themselves() {
        let doc = serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "array", "items": {"type": "array", "items": {"minLength": "x"}}}}],
                "responses": {"200": {"description": 7}}}}},
            "components": {"schemas": {"A": {"properties": {"b": {"allOf": [{"oneOf": [""]}]}}}}}
        });
        let mut schemas = Vec::new();
        for_each_schema(&doc, &mut |schema, _| schemas.push(schema));
        let stubs = Stubs::new(schemas.iter().copied());
        assert_eq!(
            broken_schemas(&doc, &schemas, &stubs),
            [
                ("/paths/~1a/get/parameters/0/schema/items/items".to_owned(), "invalid type: string \"x\", expected usize".to_owned()),
                ("/components/schemas/A/properties/b/allOf/0/oneOf/0".to_owned(), "invalid type: string \"\", expected struct Schema".to_owned()),
            ]
        );
        assert_eq!(
            outside_schemas(&doc, &stubs),
            // serde loses its place in the flattened map of responses.
            [("/paths/~1a/get/responses".to_owned(), "invalid type: integer `7`, expected a string".to_owned())]
        );
    }

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
