//! `application/x-www-form-urlencoded` bodies, each property encoded as
//! OpenAPI's `encoding` object says (`style`, `explode`, `contentType`).
//!
//! The styles (OpenAPI 3.0, "Style Values"):
//! - `form`, exploded (the default): an array repeats its key (`tag=a&tag=b`),
//!   an object becomes one pair per property (`x=1&y=2`);
//! - `form`, not exploded: items joined with `,` (`tag=a,b`), an object's
//!   keys and values alike (`point=x,1,y,2`);
//! - `spaceDelimited` and `pipeDelimited`: an array's items joined with a space or `|`;
//! - `deepObject`: an object's properties as `point[x]=1&point[y]=2`;
//! - a `contentType` of JSON: the property as one JSON text.
//!
//! What OpenAPI leaves undefined, a value nested inside an array or an
//! object (`actions: [{action: create, …}]`), is written in the bracket
//! notation Rails, PHP and `qs` read: `actions[0][action]=create`. Only a
//! joined style holding such a value cannot be written; it is refused,
//! naming the property.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde_json::{Map, Value};

use super::params::scalar_text;

/// Characters a form body leaves as they are (the WHATWG URL standard's
/// `application/x-www-form-urlencoded` serializer); a space becomes `+`.
const FORM: &AsciiSet = &NON_ALPHANUMERIC.remove(b'*').remove(b'-').remove(b'.').remove(b'_');

/// How one property of a form body is written, where it differs from
/// `form`, exploded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FormField {
    /// The property, as the spec names it.
    pub(crate) name: &'static str,
    /// Its style.
    pub(crate) style: FormStyle,
    /// `explode`.
    pub(crate) explode: bool,
    /// Whether its `contentType` is JSON: the value is sent as JSON text.
    pub(crate) json: bool,
}

/// The `style` of a form property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormStyle {
    /// `form`.
    Form,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`.
    DeepObject,
}

/// The form body of `body` (a struct, so a JSON object), properties in
/// `fields` written as they say, the others as `form`, exploded.
pub(crate) fn form_body<T: Serialize + ?Sized>(body: &T, fields: &[FormField]) -> Result<String, String> {
    let properties = match serde_json::to_value(body).map_err(|error| format!("request body: {error}"))? {
        Value::Object(properties) => properties,
        Value::Null => Map::new(),
        _ => return Err(String::from("request body: a form body must be an object")),
    };
    let mut pairs = Vec::new();
    for (name, value) in &properties {
        let default = FormField { name: "", style: FormStyle::Form, explode: true, json: false };
        let field = fields.iter().find(|field| field.name == name).copied().unwrap_or(default);
        property(&mut pairs, name, value, field).map_err(|why| format!("form field `{name}` {why}"))?;
    }
    Ok(pairs.join("&"))
}

/// The pairs of the property `name`.
fn property(pairs: &mut Vec<String>, name: &str, value: &Value, field: FormField) -> Result<(), String> {
    let delimiter = match (field.style, field.explode) {
        (FormStyle::Form, false) => Some(","),
        (FormStyle::SpaceDelimited, _) => Some(" "),
        (FormStyle::PipeDelimited, _) => Some("|"),
        (FormStyle::Form | FormStyle::DeepObject, _) => None,
    };
    match value {
        Value::Null => {}
        value if field.json => pairs.push(pair(name, &value.to_string())),
        Value::Array(items) => match delimiter {
            Some(delimiter) => pairs.push(format!("{}={}", encode(name), joined(items.iter(), delimiter)?)),
            None if field.style == FormStyle::DeepObject => nested(pairs, name, value),
            None => {
                for (index, item) in items.iter().enumerate() {
                    match item {
                        Value::Array(_) | Value::Object(_) => nested(pairs, &format!("{name}[{index}]"), item),
                        scalar => pairs.push(pair(name, &scalar_text(scalar))),
                    }
                }
            }
        },
        Value::Object(properties) => match delimiter {
            Some(delimiter) => {
                let flat = properties.iter().flat_map(|(key, value)| [Value::from(key.as_str()), value.clone()]).collect::<Vec<_>>();
                pairs.push(format!("{}={}", encode(name), joined(flat.iter(), delimiter)?));
            }
            None if field.style == FormStyle::DeepObject => nested(pairs, name, value),
            None => {
                for (key, value) in properties {
                    nested(pairs, key, value);
                }
            }
        },
        scalar => pairs.push(pair(name, &scalar_text(scalar))),
    }
    Ok(())
}

/// Scalars joined with `delimiter`, each encoded on its own so that the
/// delimiter (itself encoded: `,`, `+` for a space, `%7C`) stays apart from
/// one inside a value.
fn joined<'v>(items: impl Iterator<Item = &'v Value>, delimiter: &str) -> Result<String, String> {
    let mut texts = Vec::new();
    for item in items {
        match item {
            Value::Array(_) | Value::Object(_) => {
                return Err(format!("holds an array or object, which `{delimiter}`-joined items cannot carry"));
            }
            scalar => texts.push(encode(&scalar_text(scalar))),
        }
    }
    let delimiter = if delimiter == "," { String::from(",") } else { encode(delimiter) };
    Ok(texts.join(&delimiter))
}

/// `value` under `key` in bracket notation: `key[field]=…`, `key[0]=…`.
fn nested(pairs: &mut Vec<String>, key: &str, value: &Value) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                nested(pairs, &format!("{key}[{index}]"), item);
            }
        }
        Value::Object(properties) => {
            for (field, item) in properties {
                nested(pairs, &format!("{key}[{field}]"), item);
            }
        }
        scalar => pairs.push(pair(key, &scalar_text(scalar))),
    }
}

/// `key=value`, both encoded.
fn pair(key: &str, value: &str) -> String {
    format!("{}={}", encode(key), encode(value))
}

/// `text` encoded as a form body writes it: percent-encoded, a space as `+`.
fn encode(text: &str) -> String {
    utf8_percent_encode(text, FORM).to_string().replace("%20", "+")
}
