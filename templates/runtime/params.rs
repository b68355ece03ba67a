//! How parameter values become text on the wire: path segments, query pairs
//! in OpenAPI's styles, header and cookie values.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, PercentEncode, utf8_percent_encode};
use serde::Serialize;
use serde_json::Value;

/// Characters left as they are in a path segment or query component: RFC 3986's
/// unreserved set. Everything else is percent-encoded, so a value never changes
/// the structure of the URL.
pub(crate) const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes `text` as one URL component.
pub(crate) fn encode(text: &str) -> PercentEncode<'_> {
    utf8_percent_encode(text, COMPONENT)
}

/// How a query parameter is serialized (OpenAPI's `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QueryStyle {
    /// `name=a&name=b` for arrays, `key=value` pairs for objects.
    FormExploded,
    /// `name=a,b` for arrays, `name=key,value` for objects.
    Form,
    /// `name=a%20b` for arrays.
    SpaceDelimited,
    /// `name=a|b` for arrays.
    PipeDelimited,
    /// `name[key]=value` for objects.
    DeepObject,
    /// `name=<the value as JSON>`, for parameters described by `content`.
    Json,
}

/// The value of a path parameter as one percent-encoded segment, in OpenAPI's
/// default `simple` style (arrays and objects as comma-separated items); or why
/// it cannot be sent.
pub(crate) fn path_segment<T: Serialize + ?Sized>(value: &T) -> Result<String, &'static str> {
    let items: Vec<String> = match serde_json::to_value(value) {
        Ok(Value::Array(items)) => items.iter().map(scalar_text).collect(),
        Ok(Value::Object(fields)) => fields.iter().flat_map(|(key, field)| [key.clone(), scalar_text(field)]).collect(),
        Ok(other) => vec![scalar_text(&other)],
        Err(_) => return Err("cannot be serialized"),
    };
    let segment = items.iter().map(|item| encode(item).to_string()).collect::<Vec<_>>().join(",");
    check_segment(&segment)?;
    Ok(segment)
}

/// A string path parameter as one percent-encoded segment, borrowed when
/// nothing needs encoding; or why it cannot be sent.
pub(crate) fn text_segment(text: &str) -> Result<Cow<'_, str>, &'static str> {
    let segment: Cow<'_, str> = encode(text).into();
    check_segment(&segment)?;
    Ok(segment)
}

/// Refuses a segment that would change the path.
fn check_segment(segment: &str) -> Result<(), &'static str> {
    match segment {
        "" => Err("is empty, which would change the path"),
        // URL parsing removes `.` and `..` segments even when percent-encoded.
        "." | ".." => Err("is `.` or `..`, which would change the path"),
        _ => Ok(()),
    }
}

/// The text form of a parameter value: strings as they are, numbers and
/// booleans as JSON writes them, anything else as compact JSON.
pub(crate) fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The query pairs of the parameter `name` in `style`, each already
/// percent-encoded as `key=value`. Values are encoded item by item, so the
/// style's delimiters (`,` for form, `%20` for spaceDelimited, `%7C` for
/// pipeDelimited) stay apart from commas, spaces or pipes inside a value.
pub(crate) fn query_pairs<T: Serialize + ?Sized>(name: &str, value: &T, style: QueryStyle) -> Result<Vec<String>, String> {
    let problem = |error: serde_json::Error| format!("query parameter `{name}`: {error}");
    let pair = |key: &str, value: &str| format!("{}={}", encode(key), encode(value));
    let joined = |items: &[String], delimiter: &str| {
        let encoded: Vec<String> = items.iter().map(|item| encode(item).to_string()).collect();
        format!("{}={}", encode(name), encoded.join(delimiter))
    };
    if style == QueryStyle::Json {
        return Ok(vec![pair(name, &serde_json::to_string(value).map_err(problem)?)]);
    }
    Ok(match serde_json::to_value(value).map_err(problem)? {
        Value::Null => Vec::new(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(scalar_text).collect();
            match style {
                QueryStyle::FormExploded | QueryStyle::DeepObject | QueryStyle::Json => {
                    items.iter().map(|item| pair(name, item)).collect()
                }
                QueryStyle::Form => vec![joined(&items, ",")],
                QueryStyle::SpaceDelimited => vec![joined(&items, "%20")],
                QueryStyle::PipeDelimited => vec![joined(&items, "%7C")],
            }
        }
        Value::Object(fields) => match style {
            QueryStyle::DeepObject => fields.iter().map(|(key, field)| pair(&format!("{name}[{key}]"), &scalar_text(field))).collect(),
            QueryStyle::FormExploded => fields.iter().map(|(key, field)| pair(key, &scalar_text(field))).collect(),
            QueryStyle::Form | QueryStyle::SpaceDelimited | QueryStyle::PipeDelimited | QueryStyle::Json => {
                let flat: Vec<String> = fields.iter().flat_map(|(key, field)| [key.clone(), scalar_text(field)]).collect();
                vec![joined(&flat, ",")]
            }
        },
        scalar => vec![pair(name, &scalar_text(&scalar))],
    })
}

/// The text of a header value: scalars as text, arrays comma-separated;
/// `None` for a null value, which sends no header.
pub(crate) fn header_text<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    match serde_json::to_value(value).ok()? {
        Value::Null => None,
        Value::Array(items) => Some(items.iter().map(scalar_text).collect::<Vec<_>>().join(",")),
        other => Some(scalar_text(&other)),
    }
}
