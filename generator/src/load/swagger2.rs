//! Swagger 2.0 → OpenAPI 3.0, on the raw tree.
//!
//! `definitions`, top-level `parameters`, `responses` and `securityDefinitions`
//! move under `components`; `host`/`basePath`/`schemes` become `servers`;
//! `body` parameters become request bodies and `formData` parameters one
//! form (multipart when a field is a `file`) body, in the media types of
//! `consumes`; response schemas get the media types of `produces`; the
//! schema keywords of other parameters and of headers move into a `schema`
//! (`collectionFormat` → `style`/`explode`); in schemas, `x-nullable` →
//! `nullable`, a `discriminator` property name → a discriminator object, and
//! `type: file` → a binary string. Every move is recorded, so diagnostics
//! still point into the 2.0 document.

use serde_json::{Map, Value, json};

use crate::pointer::{pointer_push, unescape_segment};
use crate::load::schema_walk::for_each_schema;
use crate::load::sources::PointerMap;
use crate::load::{Note, Upgraded};

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];
/// Schema keywords a 2.0 parameter or header carries beside `in`, `name`….
const SCHEMA_KEYWORDS: &[&str] = &[
    "type", "format", "items", "enum", "default", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems",
    "multipleOf",
];

/// Upgrades a Swagger 2.0 tree.
pub fn upgrade(input: Value) -> Upgraded {
    let Value::Object(root) = input else {
        return Upgraded { tree: input, moves: PointerMap::default(), notes: Vec::new() };
    };
    let mut up = Upgrade { root: &root, moves: PointerMap::default(), notes: Vec::new() };
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    up.moved("/openapi", "/swagger");
    for (key, value) in &root {
        match key.as_str() {
            "info" | "tags" | "externalDocs" | "security" => {
                out.insert(key.clone(), value.clone());
            }
            _ if key.starts_with("x-") => {
                out.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    if let Some(servers) = up.servers() {
        out.insert("servers".into(), servers);
    }
    out.insert("paths".into(), Value::Object(up.paths()));
    let components = up.components();
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    let (moves, mut notes) = (up.moves, up.notes);
    let mut tree = Value::Object(out);
    for_each_schema(&mut tree, &["/components/schemas"], &mut |schema, _| upgrade_schema(schema));
    let body_parameters = body_parameter_names(&root);
    rewrite_refs(&mut tree, false, &body_parameters);
    notes.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    Upgraded { tree, moves, notes }
}

struct Upgrade<'a> {
    root: &'a Map<String, Value>,
    moves: PointerMap<String>,
    notes: Vec<Note>,
}

impl Upgrade<'_> {
    fn moved(&mut self, to: &str, from: &str) {
        self.moves.insert(to.to_owned(), from.to_owned());
    }

    fn media_types(&self, operation: Option<&Map<String, Value>>, key: &str) -> Vec<String> {
        let listed = operation.and_then(|op| op.get(key)).or_else(|| self.root.get(key));
        let types: Vec<String> = match listed {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            _ => Vec::new(),
        };
        if types.is_empty() { vec![String::from("application/json")] } else { types }
    }

    /// `host`, `basePath` and `schemes` → one server per HTTP scheme.
    fn servers(&mut self) -> Option<Value> {
        let base = self.root.get("basePath").and_then(Value::as_str).unwrap_or("").trim_end_matches('/');
        let servers: Vec<Value> = match self.root.get("host").and_then(Value::as_str) {
            Some(host) => {
                let schemes: Vec<&str> = match self.root.get("schemes") {
                    Some(Value::Array(items)) => items
                        .iter()
                        .filter_map(Value::as_str)
                        .filter(|s| s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https"))
                        .collect(),
                    _ => Vec::new(),
                };
                let schemes = if schemes.is_empty() { vec!["https"] } else { schemes };
                schemes.iter().map(|scheme| json!({"url": format!("{}://{host}{base}", scheme.to_ascii_lowercase())})).collect()
            }
            None if !base.is_empty() => vec![json!({"url": base})],
            None => return None,
        };
        let from = if self.root.contains_key("host") { "/host" } else { "/basePath" };
        self.moved("/servers", from);
        Some(Value::Array(servers))
    }

    fn components(&mut self) -> Map<String, Value> {
        let mut components = Map::new();
        if let Some(definitions) = self.root.get("definitions") {
            components.insert("schemas".into(), definitions.clone());
            self.moved("/components/schemas", "/definitions");
        }
        let mut parameters = Map::new();
        let mut bodies = Map::new();
        if let Some(Value::Object(entries)) = self.root.get("parameters") {
            for (name, parameter) in entries {
                let from = pointer_push("/parameters", name);
                let Value::Object(fields) = parameter else { continue };
                match fields.get("in").and_then(Value::as_str) {
                    Some("body") => {
                        let to = pointer_push("/components/requestBodies", name);
                        let media = self.media_types(None, "consumes");
                        bodies.insert(name.clone(), self.body(fields, &media, &to, &from));
                    }
                    // Form fields are merged into each operation's form body.
                    Some("formData") => {}
                    _ => {
                        let to = pointer_push("/components/parameters", name);
                        parameters.insert(name.clone(), self.parameter(fields, &to, &from));
                    }
                }
            }
        }
        if !parameters.is_empty() {
            components.insert("parameters".into(), Value::Object(parameters));
        }
        if !bodies.is_empty() {
            components.insert("requestBodies".into(), Value::Object(bodies));
        }
        if let Some(Value::Object(entries)) = self.root.get("responses") {
            let media = self.media_types(None, "produces");
            let mut responses = Map::new();
            for (name, response) in entries {
                let to = pointer_push("/components/responses", name);
                responses.insert(name.clone(), self.response(response, &media, &to, &pointer_push("/responses", name)));
            }
            components.insert("responses".into(), Value::Object(responses));
        }
        if let Some(Value::Object(entries)) = self.root.get("securityDefinitions") {
            let schemes: Map<String, Value> =
                entries.iter().map(|(name, scheme)| (name.clone(), security_scheme(scheme))).collect();
            components.insert("securitySchemes".into(), Value::Object(schemes));
            self.moved("/components/securitySchemes", "/securityDefinitions");
        }
        components
    }

    fn paths(&mut self) -> Map<String, Value> {
        let mut paths = Map::new();
        let Some(Value::Object(entries)) = self.root.get("paths") else { return paths };
        for (template, item) in entries {
            let at = pointer_push("/paths", template);
            let Value::Object(item) = item else {
                paths.insert(template.clone(), item.clone());
                continue;
            };
            let shared = parameter_list(item.get("parameters"), &pointer_push(&at, "parameters"));
            let mut out = Map::new();
            for (key, value) in item {
                match (key.as_str(), value) {
                    (method, Value::Object(operation)) if METHODS.contains(&method) => {
                        let at = pointer_push(&at, method);
                        let converted = self.operation(operation, &shared, &at);
                        out.insert(key.clone(), Value::Object(converted));
                    }
                    // Path-level parameters are merged into each operation.
                    ("parameters", _) => {}
                    _ => {
                        out.insert(key.clone(), value.clone());
                    }
                }
            }
            paths.insert(template.clone(), Value::Object(out));
        }
        paths
    }

    fn operation(&mut self, operation: &Map<String, Value>, shared: &[(Value, String)], at: &str) -> Map<String, Value> {
        let mut out = Map::new();
        for (key, value) in operation {
            match key.as_str() {
                "tags" | "summary" | "description" | "externalDocs" | "operationId" | "deprecated" | "security" => {
                    out.insert(key.clone(), value.clone());
                }
                _ if key.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        let consumes = self.media_types(Some(operation), "consumes");
        let produces = self.media_types(Some(operation), "produces");
        // Operation parameters override path-level ones of the same name and place.
        let mut all: Vec<(Value, String)> = shared.to_vec();
        for (parameter, from) in parameter_list(operation.get("parameters"), &pointer_push(at, "parameters")) {
            let key = self.identity(&parameter);
            match all.iter_mut().find(|(existing, _)| key.is_some() && self.identity(existing) == key) {
                Some(slot) => *slot = (parameter, from),
                None => all.push((parameter, from)),
            }
        }
        let mut parameters = Vec::new();
        let mut form: Vec<(Map<String, Value>, String)> = Vec::new();
        let body_at = pointer_push(at, "requestBody");
        for (parameter, from) in all {
            let (fields, from) = match self.follow_parameter(&parameter, &from) {
                Followed::Body(name) => {
                    out.insert("requestBody".into(), json!({"$ref": format!("#/components/requestBodies/{}", escape(&name))}));
                    self.moved(&body_at, &from);
                    continue;
                }
                Followed::Reference => {
                    parameters.push(parameter);
                    let to = pointer_push(&pointer_push(at, "parameters"), &(parameters.len() - 1).to_string());
                    self.moved(&to, &from);
                    continue;
                }
                Followed::Fields(fields, from) => (fields, from),
            };
            match fields.get("in").and_then(Value::as_str) {
                Some("body") => {
                    let body = self.body(&fields, &consumes, &body_at, &from);
                    out.insert("requestBody".into(), body);
                }
                Some("formData") => form.push((fields, from)),
                _ => {
                    let to = pointer_push(&pointer_push(at, "parameters"), &parameters.len().to_string());
                    parameters.push(self.parameter(&fields, &to, &from));
                }
            }
        }
        if !parameters.is_empty() {
            out.insert("parameters".into(), Value::Array(parameters));
        }
        if !form.is_empty() {
            out.insert("requestBody".into(), self.form_body(&form, &consumes, &body_at));
        }
        if let Some(Value::Object(responses)) = operation.get("responses") {
            let mut converted = Map::new();
            for (code, response) in responses {
                let to = pointer_push(&pointer_push(at, "responses"), code);
                let from = to.clone();
                converted.insert(code.clone(), self.response(response, &produces, &to, &from));
            }
            out.insert("responses".into(), Value::Object(converted));
        }
        out
    }

    /// `(in, name)` of a parameter, looking through a reference.
    fn identity(&self, parameter: &Value) -> Option<(String, String)> {
        let fields = match self.follow_parameter(parameter, "") {
            Followed::Fields(fields, _) => fields,
            _ => return None,
        };
        Some((fields.get("in")?.as_str()?.to_owned(), fields.get("name")?.as_str()?.to_owned()))
    }

    /// A parameter's own fields, or what its reference stands for.
    fn follow_parameter(&self, parameter: &Value, from: &str) -> Followed {
        let Value::Object(fields) = parameter else { return Followed::Reference };
        let Some(reference) = fields.get("$ref").and_then(Value::as_str) else {
            return Followed::Fields(fields.clone(), from.to_owned());
        };
        let Some(name) = reference.strip_prefix("#/parameters/").map(unescape_segment) else { return Followed::Reference };
        match self.root.get("parameters").and_then(|p| p.get(&name)) {
            Some(Value::Object(target)) => match target.get("in").and_then(Value::as_str) {
                Some("body") => Followed::Body(name),
                Some("formData") => Followed::Fields(target.clone(), pointer_push("/parameters", &name)),
                _ => Followed::Reference,
            },
            _ => Followed::Reference,
        }
    }

    /// A non-body parameter: its schema keywords move into `schema`.
    fn parameter(&mut self, fields: &Map<String, Value>, to: &str, from: &str) -> Value {
        let mut out = Map::new();
        for (key, value) in fields {
            if !SCHEMA_KEYWORDS.contains(&key.as_str()) && key != "collectionFormat" && key != "x-nullable" {
                out.insert(key.clone(), value.clone());
            }
        }
        out.insert("schema".into(), schema_of(fields));
        self.moved(to, from);
        self.moved(&pointer_push(to, "schema"), from);
        let location = fields.get("in").and_then(Value::as_str).unwrap_or("");
        let is_array = fields.get("type").and_then(Value::as_str) == Some("array");
        let format = fields.get("collectionFormat").and_then(Value::as_str).unwrap_or("csv");
        if is_array {
            let style = match (location, format) {
                ("query", "multi") => Some(("form", true)),
                ("query", "ssv") => Some(("spaceDelimited", false)),
                ("query", "pipes") => Some(("pipeDelimited", false)),
                ("query", _) => Some(("form", false)),
                _ => None, // path and header arrays are comma-separated in 3.0 too
            };
            if let Some((style, explode)) = style {
                out.insert("style".into(), json!(style));
                out.insert("explode".into(), json!(explode));
            }
            if !matches!(format, "csv" | "multi" | "ssv" | "pipes") || (location != "query" && format != "csv") {
                self.notes.push(Note {
                    pointer: pointer_push(from, "collectionFormat"),
                    message: format!("collectionFormat `{format}` has no OpenAPI 3 form here; the values are sent comma-separated"),
                });
            }
        }
        Value::Object(out)
    }

    /// A `body` parameter → a request body in each consumed media type.
    fn body(&mut self, fields: &Map<String, Value>, media: &[String], to: &str, from: &str) -> Value {
        let schema = fields.get("schema").cloned().unwrap_or_else(|| json!({}));
        let mut content = Map::new();
        for media in media {
            content.insert(media.clone(), json!({"schema": schema}));
            let at = pointer_push(&pointer_push(&pointer_push(to, "content"), media), "schema");
            self.moved(&at, &pointer_push(from, "schema"));
        }
        self.moved(to, from);
        let mut body = Map::new();
        copy(fields, &mut body, &["description", "required"]);
        body.insert("content".into(), Value::Object(content));
        Value::Object(body)
    }

    /// `formData` parameters → one object schema, multipart when a field is a file.
    fn form_body(&mut self, fields: &[(Map<String, Value>, String)], consumes: &[String], to: &str) -> Value {
        let has_file = fields.iter().any(|(f, _)| f.get("type").and_then(Value::as_str) == Some("file"));
        let media = if has_file || consumes.iter().any(|m| m.starts_with("multipart/form-data")) {
            "multipart/form-data"
        } else {
            "application/x-www-form-urlencoded"
        };
        let schema_at = pointer_push(&pointer_push(&pointer_push(to, "content"), media), "schema");
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        for (field, from) in fields {
            let Some(name) = field.get("name").and_then(Value::as_str) else { continue };
            if field.get("type").and_then(Value::as_str) == Some("array") {
                // 2.0 joins array fields with commas unless `collectionFormat` says otherwise.
                let (style, explode) = match field.get("collectionFormat").and_then(Value::as_str) {
                    Some("multi") => ("form", true),
                    Some("ssv") => ("spaceDelimited", false),
                    Some("pipes") => ("pipeDelimited", false),
                    _ => ("form", false),
                };
                encoding.insert(name.to_owned(), json!({"style": style, "explode": explode}));
            }
            let mut schema = schema_of(field);
            if let (Value::Object(schema), Some(description)) = (&mut schema, field.get("description")) {
                schema.insert("description".into(), description.clone());
            }
            self.moved(&pointer_push(&pointer_push(&schema_at, "properties"), name), from);
            properties.insert(name.to_owned(), schema);
            if field.get("required") == Some(&Value::Bool(true)) {
                required.push(json!(name));
            }
        }
        if let Some((_, first)) = fields.first() {
            self.moved(to, first);
        }
        let mut schema = json!({"type": "object", "properties": properties});
        if !required.is_empty() {
            schema["required"] = Value::Array(required.clone());
        }
        let mut content = json!({"schema": schema});
        if !encoding.is_empty() && media == "application/x-www-form-urlencoded" {
            content["encoding"] = Value::Object(encoding);
        }
        json!({"required": !required.is_empty(), "content": {media: content}})
    }

    fn response(&mut self, response: &Value, produces: &[String], to: &str, from: &str) -> Value {
        let Value::Object(fields) = response else { return response.clone() };
        if fields.contains_key("$ref") {
            return response.clone();
        }
        let mut out = Map::new();
        out.insert("description".into(), fields.get("description").cloned().unwrap_or_else(|| json!("")));
        for (key, value) in fields {
            if key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        if let Some(Value::Object(headers)) = fields.get("headers") {
            let mut converted = Map::new();
            for (name, header) in headers {
                let Value::Object(header) = header else { continue };
                let mut out_header = Map::new();
                copy(header, &mut out_header, &["description"]);
                out_header.insert("schema".into(), schema_of(header));
                let header_to = pointer_push(&pointer_push(to, "headers"), name);
                let header_from = pointer_push(&pointer_push(from, "headers"), name);
                self.moved(&pointer_push(&header_to, "schema"), &header_from);
                converted.insert(name.clone(), Value::Object(out_header));
            }
            out.insert("headers".into(), Value::Object(converted));
        }
        if let Some(schema) = fields.get("schema") {
            let mut content = Map::new();
            for media in produces {
                content.insert(media.clone(), json!({"schema": schema}));
                let at = pointer_push(&pointer_push(&pointer_push(to, "content"), media), "schema");
                self.moved(&at, &pointer_push(from, "schema"));
            }
            out.insert("content".into(), Value::Object(content));
        }
        if to != from {
            self.moved(to, from);
        }
        Value::Object(out)
    }
}

enum Followed {
    /// A reference to a top-level body parameter: the request body component of that name.
    Body(String),
    /// A reference kept as a reference.
    Reference,
    /// The parameter's fields (followed through a reference to a form field), and where they are.
    Fields(Map<String, Value>, String),
}

fn parameter_list(list: Option<&Value>, at: &str) -> Vec<(Value, String)> {
    match list {
        Some(Value::Array(items)) => {
            items.iter().enumerate().map(|(i, p)| (p.clone(), pointer_push(at, &i.to_string()))).collect()
        }
        _ => Vec::new(),
    }
}

/// The schema of a parameter, header or items object: its schema keywords.
fn schema_of(fields: &Map<String, Value>) -> Value {
    let mut schema = Map::new();
    for key in SCHEMA_KEYWORDS {
        if let Some(value) = fields.get(*key) {
            let value = match (*key, value) {
                ("items", Value::Object(items)) => schema_of(items),
                _ => value.clone(),
            };
            schema.insert((*key).to_owned(), value);
        }
    }
    if fields.get("x-nullable") == Some(&Value::Bool(true)) {
        schema.insert("nullable".into(), Value::Bool(true));
    }
    Value::Object(schema)
}

/// The 2.0 keywords of one schema that 3.0 spells differently.
pub fn upgrade_schema(schema: &mut Value) {
    let Value::Object(fields) = schema else { return };
    if let Some(nullable) = fields.remove("x-nullable") {
        fields.insert("nullable".into(), nullable);
    }
    if let Some(Value::String(property)) = fields.get("discriminator") {
        let property = property.clone();
        fields.insert("discriminator".into(), json!({"propertyName": property}));
    }
    if fields.get("type").and_then(Value::as_str) == Some("file") {
        fields.insert("type".into(), json!("string"));
        fields.insert("format".into(), json!("binary"));
    }
}

fn security_scheme(scheme: &Value) -> Value {
    let Value::Object(fields) = scheme else { return scheme.clone() };
    let mut out = Map::new();
    copy(fields, &mut out, &["description"]);
    for (key, value) in fields {
        if key.starts_with("x-") {
            out.insert(key.clone(), value.clone());
        }
    }
    let text = |key: &str| fields.get(key).cloned().unwrap_or_else(|| json!(""));
    match fields.get("type").and_then(Value::as_str) {
        Some("basic") => {
            out.insert("type".into(), json!("http"));
            out.insert("scheme".into(), json!("basic"));
        }
        Some("apiKey") => {
            out.insert("type".into(), json!("apiKey"));
            copy(fields, &mut out, &["name", "in"]);
        }
        Some("oauth2") => {
            out.insert("type".into(), json!("oauth2"));
            let scopes = fields.get("scopes").cloned().unwrap_or_else(|| json!({}));
            let flow = match fields.get("flow").and_then(Value::as_str) {
                Some("implicit") => ("implicit", json!({"authorizationUrl": text("authorizationUrl"), "scopes": scopes})),
                Some("password") => ("password", json!({"tokenUrl": text("tokenUrl"), "scopes": scopes})),
                Some("application") => ("clientCredentials", json!({"tokenUrl": text("tokenUrl"), "scopes": scopes})),
                _ => (
                    "authorizationCode",
                    json!({"authorizationUrl": text("authorizationUrl"), "tokenUrl": text("tokenUrl"), "scopes": scopes}),
                ),
            };
            out.insert("flows".into(), json!({flow.0: flow.1}));
        }
        _ => return scheme.clone(),
    }
    Value::Object(out)
}

fn copy(from: &Map<String, Value>, to: &mut Map<String, Value>, keys: &[&str]) {
    for key in keys {
        if let Some(value) = from.get(*key) {
            to.insert((*key).to_owned(), value.clone());
        }
    }
}

fn body_parameter_names(root: &Map<String, Value>) -> Vec<String> {
    match root.get("parameters") {
        Some(Value::Object(entries)) => entries
            .iter()
            .filter(|(_, p)| p.get("in").and_then(Value::as_str) == Some("body"))
            .map(|(name, _)| name.clone())
            .collect(),
        _ => Vec::new(),
    }
}

/// 2.0 reference targets → their 3.0 places.
fn rewrite_refs(node: &mut Value, in_properties: bool, body_parameters: &[String]) {
    match node {
        Value::Object(fields) => {
            if !in_properties && let Some(Value::String(reference)) = fields.get_mut("$ref") {
                if let Some(rest) = reference.strip_prefix("#/definitions/") {
                    *reference = format!("#/components/schemas/{rest}");
                } else if let Some(rest) = reference.strip_prefix("#/parameters/") {
                    let name = unescape_segment(rest.split('/').next().unwrap_or(rest));
                    let kind = if body_parameters.contains(&name) { "requestBodies" } else { "parameters" };
                    *reference = format!("#/components/{kind}/{rest}");
                } else if let Some(rest) = reference.strip_prefix("#/responses/") {
                    *reference = format!("#/components/responses/{rest}");
                }
            }
            for (key, child) in fields.iter_mut() {
                rewrite_refs(child, key == "properties", body_parameters);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|child| rewrite_refs(child, false, body_parameters)),
        _ => {}
    }
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}


#[cfg(test)]
mod tests;
