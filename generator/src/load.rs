//! Reading a spec file: YAML or JSON text → `openapiv3::OpenAPI`, keeping the
//! raw tree (for reference checks) and node positions (for diagnostics).

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics, Reporter, pointer_push};
use crate::locate::Locations;

/// A parsed OpenAPI 3.0 document.
#[derive(Debug)]
pub struct Document {
    /// Where it was read from, as given by the user.
    pub path: PathBuf,
    /// The raw tree, with every mapping key a string.
    pub raw: Value,
    /// The typed document.
    pub openapi: OpenAPI,
    /// Node positions, for diagnostics.
    pub locations: Locations,
}

impl Document {
    /// A reporter for problems in this document.
    pub fn reporter(&self) -> Reporter<'_> {
        Reporter::new(&self.path, &self.locations)
    }
}

/// Reads and parses the spec at `path`.
pub fn load_file(path: &Path) -> Result<Document, Diagnostics> {
    match std::fs::read_to_string(path) {
        Ok(text) => load_str(path, text),
        Err(error) => Err(Diagnostics(vec![Diagnostic {
            file: path.to_path_buf(),
            line: 1,
            column: 1,
            pointer: String::new(),
            message: format!("cannot read the file: {error}"),
        }])),
    }
}

/// Parses `text`, the content of `path`.
pub fn load_str(path: &Path, text: String) -> Result<Document, Diagnostics> {
    let at = |line: usize, column: usize, message: String| {
        Diagnostics(vec![Diagnostic {
            file: path.to_path_buf(),
            line,
            column,
            pointer: String::new(),
            message,
        }])
    };
    let raw = if text.trim_start().starts_with('{') {
        serde_json::from_str::<Value>(&text)
            .map_err(|error| at(error.line(), error.column(), format!("not valid JSON: {error}")))?
    } else {
        let yaml = serde_yaml::from_str::<serde_yaml::Value>(&text).map_err(|error| {
            let (line, column) = error.location().map_or((1, 1), |l| (l.line(), l.column()));
            at(line, column, format!("not valid YAML or JSON: {error}"))
        })?;
        yaml_to_json(yaml, "")
            .map_err(|(pointer, message)| located(path, &text, &pointer, message))?
    };
    let locations = Locations::new(text);
    let mut reporter = Reporter::new(path, &locations);
    check_version(&raw, &mut reporter);
    let reported = reporter.finish();
    if !reported.0.is_empty() {
        return Err(reported);
    }
    let openapi = match serde_path_to_error::deserialize::<_, OpenAPI>(&raw) {
        Ok(openapi) => openapi,
        Err(error) => {
            let mut reporter = Reporter::new(path, &locations);
            // serde loses its place inside `paths` and `components`; checking
            // their entries one by one finds every broken entry, precisely.
            let mut found = Vec::new();
            entry_errors(&raw, &mut found);
            if found.is_empty() {
                found.push((path_to_pointer(error.path()), error.inner().to_string()));
            }
            for (pointer, message) in found {
                reporter.error(&pointer, format!("not a valid OpenAPI 3.0 document: {message}"));
            }
            return Err(reporter.finish());
        }
    };
    Ok(Document { path: path.to_path_buf(), raw, openapi, locations })
}

fn located(path: &Path, text: &str, pointer: &str, message: String) -> Diagnostics {
    let locations = Locations::new(text.to_owned());
    let mut reporter = Reporter::new(path, &locations);
    reporter.error(pointer, message);
    reporter.finish()
}

/// Converts a YAML tree to JSON, turning scalar mapping keys (`200:`) into
/// strings as JSON would have them.
fn yaml_to_json(yaml: serde_yaml::Value, pointer: &str) -> Result<Value, (String, String)> {
    use serde_yaml::Value as Yaml;
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                // NaN and infinities have no JSON form; keep them as text.
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f).map_or_else(|| Value::String(n.to_string()), Value::Number)
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, &pointer_push(pointer, &i.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(entries) => {
            let mut object = serde_json::Map::with_capacity(entries.len());
            for (key, value) in entries {
                let key = match key {
                    Yaml::String(s) => s,
                    Yaml::Number(n) => n.to_string(),
                    Yaml::Bool(b) => b.to_string(),
                    Yaml::Null => String::from("null"),
                    _ => {
                        return Err((
                            pointer.to_owned(),
                            String::from("a mapping key must be a string, number or boolean"),
                        ));
                    }
                };
                let child = pointer_push(pointer, &key);
                let value = yaml_to_json(value, &child)?;
                object.insert(key, value);
            }
            Value::Object(object)
        }
        Yaml::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
}

/// Only OpenAPI 3.0.x is read; say clearly what else was given.
fn check_version(raw: &Value, reporter: &mut Reporter<'_>) {
    let Value::Object(root) = raw else {
        reporter.error("", "the document must be a mapping with an `openapi` field");
        return;
    };
    if let Some(swagger) = root.get("swagger") {
        reporter.error(
            "/swagger",
            format!(
                "unsupported version: Swagger {} documents are not supported; convert to OpenAPI 3.0 first",
                scalar(swagger)
            ),
        );
        return;
    }
    match root.get("openapi") {
        None => reporter.error("", "missing `openapi` field: this is not an OpenAPI 3.0 document"),
        Some(Value::String(version)) if version.starts_with("3.0") => {}
        Some(version) => reporter.error(
            "/openapi",
            format!(
                "unsupported version: OpenAPI {} is not supported; clientgen reads OpenAPI 3.0.x",
                scalar(version)
            ),
        ),
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
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
