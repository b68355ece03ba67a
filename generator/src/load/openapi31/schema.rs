//! JSON Schema 2020-12 keywords → their OpenAPI 3.0 forms, one schema at a time.
//!
//! | 3.1 | 3.0 |
//! | --- | --- |
//! | `type: [T, "null"]` | `type: T`, `nullable: true` |
//! | `type: [A, B, …]` | `oneOf` of one schema per type (an untagged union), each with the keywords of its type |
//! | `const: v` | `enum: [v]` |
//! | `examples: [v, …]` | `example: v` |
//! | `exclusiveMinimum: n` | `minimum: n`, `exclusiveMinimum: true` (same for maximum) |
//! | `$ref` beside other keywords | `allOf: [{$ref}]`, annotations kept beside, constraints as a second part |
//! | `contentEncoding: base64` / `contentMediaType` | `format: byte` / `format: binary` |
//! | `prefixItems` | `items: {}` (a `Vec<serde_json::Value>`), with a warning |
//! | `if`/`then`/`else`, `unevaluatedProperties` | dropped, with a warning |
//! | `true` / `false` as a schema | `{}` / `{not: {}}` |

use serde_json::{Map, Value, json};

use crate::pointer::pointer_push;
use crate::load::Note;
use crate::load::sources::PointerMap;

/// Keywords that describe rather than constrain; they stay on a `$ref` wrapper.
const ANNOTATIONS: &[&str] = &[
    "description", "title", "deprecated", "readOnly", "writeOnly", "default", "example", "examples",
    "nullable", "externalDocs", "xml", "$comment",
];

/// Keywords that belong to one JSON type, for splitting a multi-type schema.
fn keywords_of(ty: &str) -> &'static [&'static str] {
    match ty {
        "string" => &["format", "pattern", "minLength", "maxLength", "contentMediaType", "contentEncoding"],
        "integer" | "number" => &["format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"],
        "array" => &["items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains"],
        "object" => &[
            "properties", "required", "additionalProperties", "patternProperties", "minProperties",
            "maxProperties", "propertyNames", "unevaluatedProperties", "discriminator",
        ],
        _ => &[],
    }
}

/// The schema rules with what they record.
pub struct Rules<'h> {
    /// Moves made before the schema rules ran (hoisted `$defs`), to send
    /// anchors back to the input tree.
    pub moved_from: &'h PointerMap<String>,
    /// Anchors from the output tree to the input tree.
    pub moves: PointerMap<String>,
    /// Warnings, at input-tree pointers.
    pub notes: Vec<Note>,
    /// Keywords moved inside their schema (old pointer, new pointer), in the
    /// order made, so references into them can follow.
    pub relocations: Vec<(String, String)>,
}

impl Rules<'_> {
    fn input(&self, pointer: &str) -> String {
        match self.moved_from.nearest(pointer) {
            Some((from, rest)) => format!("{from}{rest}"),
            None => pointer.to_owned(),
        }
    }

    fn moved(&mut self, to: String, from: &str) {
        let from = self.input(from);
        self.moves.insert(to, from);
    }

    fn note(&mut self, pointer: &str, message: &str) {
        let pointer = self.input(pointer);
        self.notes.push(Note { pointer, message: message.to_owned() });
    }

    /// Rewrites the schema at `pointer` (a pointer of the output tree).
    pub fn upgrade_schema(&mut self, node: &mut Value, pointer: &str) {
        if let Value::Bool(allowed) = node {
            *node = if *allowed { json!({}) } else { json!({"not": {}}) };
            return;
        }
        let Value::Object(fields) = node else { return };
        for key in ["items", "not", "if", "then", "else", "contains"] {
            if let Some(Value::Bool(allowed)) = fields.get(key) {
                let replacement = if *allowed { json!({}) } else { json!({"not": {}}) };
                fields.insert(key.to_owned(), replacement);
            }
        }
        for key in ["$schema", "$id", "$anchor", "$comment", "$dynamicAnchor"] {
            fields.remove(key);
        }
        self.constants_and_examples(fields, pointer);
        self.exclusive_bounds(fields);
        self.content_encoding(fields, pointer);
        self.dropped_keywords(fields, pointer);
        if fields.contains_key("$ref") && fields.len() > 1 {
            self.wrap_reference(fields, pointer);
        }
        if let Some(Value::Array(types)) = fields.get("type") {
            let types: Vec<String> = types.iter().filter_map(Value::as_str).map(str::to_owned).collect();
            self.type_list(fields, &types, pointer);
        }
    }

    fn constants_and_examples(&mut self, fields: &mut Map<String, Value>, pointer: &str) {
        if let Some(constant) = fields.remove("const") {
            fields.insert("enum".into(), Value::Array(vec![constant]));
            self.moved(pointer_push(pointer, "enum"), &pointer_push(pointer, "const"));
        }
        if let Some(examples) = fields.remove("examples") {
            if let (Value::Array(list), false) = (&examples, fields.contains_key("example"))
                && let Some(first) = list.first()
            {
                fields.insert("example".into(), first.clone());
                self.moved(pointer_push(pointer, "example"), &format!("{pointer}/examples/0"));
            }
        }
    }

    fn exclusive_bounds(&mut self, fields: &mut Map<String, Value>) {
        for (exclusive, inclusive) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
            if let Some(bound @ Value::Number(_)) = fields.get(exclusive).cloned() {
                fields.insert(inclusive.into(), bound);
                fields.insert(exclusive.into(), Value::Bool(true));
            }
        }
    }

    fn content_encoding(&mut self, fields: &mut Map<String, Value>, pointer: &str) {
        if fields.contains_key("format") {
            return;
        }
        let encoding = fields.get("contentEncoding").and_then(Value::as_str);
        let format = match encoding {
            Some(e) if e.eq_ignore_ascii_case("base64") || e.eq_ignore_ascii_case("base64url") => "byte",
            Some(_) => "binary",
            None if fields.contains_key("contentMediaType") => "binary",
            None => return,
        };
        let from = if encoding.is_some() { "contentEncoding" } else { "contentMediaType" };
        fields.insert("format".into(), json!(format));
        self.moved(pointer_push(pointer, "format"), &pointer_push(pointer, from));
    }

    fn dropped_keywords(&mut self, fields: &mut Map<String, Value>, pointer: &str) {
        if fields.contains_key("prefixItems") {
            fields.remove("prefixItems");
            fields.insert("items".into(), json!({}));
            self.note(
                &pointer_push(pointer, "prefixItems"),
                "tuple items (`prefixItems`) are not typed; the array is a `Vec<serde_json::Value>`",
            );
        }
        if fields.contains_key("if") {
            for key in ["if", "then", "else"] {
                fields.remove(key);
            }
            self.note(&pointer_push(pointer, "if"), "`if`/`then`/`else` is not checked; the schema is read without it");
        } else {
            // `then`/`else` without `if` have no effect in JSON Schema either.
            fields.remove("then");
            fields.remove("else");
        }
        if fields.remove("unevaluatedProperties").is_some() {
            self.note(
                &pointer_push(pointer, "unevaluatedProperties"),
                "`unevaluatedProperties` is not checked; other properties are ignored when read",
            );
        }
    }

    /// `$ref` beside other keywords: 3.0 would ignore the siblings.
    fn wrap_reference(&mut self, fields: &mut Map<String, Value>, pointer: &str) {
        let Some(reference) = fields.remove("$ref") else { return };
        let mut constraints = Map::new();
        for (key, value) in std::mem::take(fields) {
            if ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-") || key == "$defs" {
                fields.insert(key, value);
            } else {
                constraints.insert(key, value);
            }
        }
        let mut parts = vec![json!({"$ref": reference})];
        self.moved(format!("{pointer}/allOf/0"), pointer);
        for key in constraints.keys() {
            let new = pointer_push(&format!("{pointer}/allOf/1"), key);
            self.relocations.push((pointer_push(pointer, key), new));
        }
        if !constraints.is_empty() {
            parts.push(Value::Object(constraints));
            self.moved(format!("{pointer}/allOf/1"), pointer);
        }
        fields.insert("allOf".into(), Value::Array(parts));
    }

    /// `type: [...]`: `null` makes the schema nullable; one other type stays
    /// the type; several become an untagged union of one schema per type.
    fn type_list(&mut self, fields: &mut Map<String, Value>, types: &[String], pointer: &str) {
        let nullable = types.iter().any(|t| t == "null");
        let others: Vec<&String> = types.iter().filter(|t| *t != "null").collect();
        fields.remove("type");
        if nullable {
            fields.insert("nullable".into(), Value::Bool(true));
        }
        match others.as_slice() {
            [] if nullable => {
                fields.insert("type".into(), json!("null"));
                fields.remove("nullable");
            }
            [] => {}
            [only] => {
                fields.insert("type".into(), json!(only));
            }
            several if fields.contains_key("oneOf") || fields.contains_key("anyOf") => {
                let _ = several;
                self.note(
                    &pointer_push(pointer, "type"),
                    "several types beside `oneOf`/`anyOf` are not combined; the type list is ignored",
                );
            }
            several => {
                let enumeration = fields.remove("enum");
                let mut variants = Vec::new();
                for (index, ty) in several.iter().enumerate() {
                    let mut variant = Map::new();
                    variant.insert("type".into(), json!(ty));
                    for key in keywords_of(ty) {
                        if let Some(value) = fields.get(*key) {
                            variant.insert((*key).to_owned(), value.clone());
                            let new = pointer_push(&format!("{pointer}/oneOf/{index}"), key);
                            self.relocations.push((pointer_push(pointer, key), new));
                        }
                    }
                    if let Some(Value::Array(values)) = &enumeration {
                        let own: Vec<Value> = values.iter().filter(|v| json_type_matches(v, ty)).cloned().collect();
                        if !own.is_empty() {
                            variant.insert("enum".into(), Value::Array(own));
                        }
                    }
                    self.moved(format!("{pointer}/oneOf/{index}"), pointer);
                    variants.push(Value::Object(variant));
                }
                for ty in several {
                    for key in keywords_of(ty) {
                        fields.remove(*key);
                    }
                }
                fields.insert("oneOf".into(), Value::Array(variants));
            }
        }
    }
}

fn json_type_matches(value: &Value, ty: &str) -> bool {
    match ty {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}
