//! Visits every schema of a document, wherever schemas live, so the upgrade
//! rules can be written for one schema at a time.

use serde_json::Value;

use crate::pointer::push_segment;

/// Keywords whose value is one subschema.
const ONE: &[&str] = &[
    "items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
    "unevaluatedItems", "unevaluatedProperties", "additionalItems",
];
/// Keywords whose value maps names to subschemas.
const MAP: &[&str] = &["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
/// Keywords whose value is a list of subschemas.
const LIST: &[&str] = &["allOf", "oneOf", "anyOf", "prefixItems", "items"];

/// Calls `visit` on the schema at `pointer`, then on every subschema of what
/// `visit` left there (so schemas a rule creates are visited too).
pub fn walk_schema(node: &mut Value, pointer: &mut String, visit: &mut dyn FnMut(&mut Value, &str)) {
    visit(node, pointer);
    let Value::Object(fields) = node else { return };
    for (key, child) in fields.iter_mut() {
        let len = pointer.len();
        push_segment(pointer, key);
        match child {
            Value::Object(_) if ONE.contains(&key.as_str()) => walk_schema(child, pointer, visit),
            Value::Object(entries) if MAP.contains(&key.as_str()) => {
                for (name, schema) in entries.iter_mut() {
                    let len = pointer.len();
                    push_segment(pointer, name);
                    walk_schema(schema, pointer, visit);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) if LIST.contains(&key.as_str()) => {
                for (index, schema) in items.iter_mut().enumerate() {
                    let len = pointer.len();
                    push_segment(pointer, &index.to_string());
                    walk_schema(schema, pointer, visit);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
        pointer.truncate(len);
    }
}

/// Calls [`walk_schema`] on every schema of a document: each value of a
/// `schema` key, and each entry of the schema maps at `schema_maps`
/// (`/components/schemas`, or `/definitions` in Swagger 2.0). Examples and
/// extensions are free-form data and are not entered.
pub fn for_each_schema(root: &mut Value, schema_maps: &[&str], visit: &mut dyn FnMut(&mut Value, &str)) {
    fn walk(node: &mut Value, pointer: &mut String, maps: &[&str], visit: &mut dyn FnMut(&mut Value, &str)) {
        match node {
            Value::Object(fields) => {
                let is_map = maps.contains(&pointer.as_str());
                for (key, child) in fields.iter_mut() {
                    if key.starts_with("x-") || key == "example" || key == "examples" {
                        continue;
                    }
                    let len = pointer.len();
                    push_segment(pointer, key);
                    if is_map || key == "schema" {
                        walk_schema(child, pointer, visit);
                    } else {
                        walk(child, pointer, maps, visit);
                    }
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter_mut().enumerate() {
                    let len = pointer.len();
                    push_segment(pointer, &index.to_string());
                    walk(child, pointer, maps, visit);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
    walk(root, &mut String::new(), schema_maps, visit);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_is_visited_once_and_examples_are_not() {
        let mut doc = serde_json::json!({
            "paths": {"/a": {"get": {"parameters": [{"schema": {"type": "string"}}],
                "responses": {"200": {"content": {"application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/A"}},
                    "example": {"schema": {"type": "string"}}}}}}}}},
            "components": {"schemas": {"A": {"properties": {"b": {"allOf": [{"type": "integer"}]}}}}}
        });
        let mut seen = Vec::new();
        for_each_schema(&mut doc, &["/components/schemas"], &mut |_, pointer| seen.push(pointer.to_owned()));
        assert_eq!(
            seen,
            [
                "/paths/~1a/get/parameters/0/schema",
                "/paths/~1a/get/responses/200/content/application~1json/schema",
                "/paths/~1a/get/responses/200/content/application~1json/schema/items",
                "/components/schemas/A",
                "/components/schemas/A/properties/b",
                "/components/schemas/A/properties/b/allOf/0",
            ]
        );
    }
}
