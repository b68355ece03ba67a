//! Whether an example is a value of its type, as the generated code decodes
//! it: the IR's types, not the schema, so that an example that passes is one
//! the stand-in can answer with and the Rust example can build.
//!
//! The check is stricter than decoding in two places, where the spec says
//! more than the decoder enforces: a string or integer enum takes only its
//! listed values (the decoder keeps others in `Unknown`), and a union with a
//! discriminator takes only the values its variants are picked by.

use serde_json::Value;

use crate::ir::{Tagging, TypeDef, TypeKind, TypeRef};
use crate::pointer::pointer_push;

/// Where and why an example is not a value of its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The JSON pointer of the offending part, inside the example (`""` for all of it).
    pub at: String,
    /// What is wrong, e.g. "expected an integer, found a string".
    pub problem: String,
}

/// How deep the check follows nested values: far beyond any example a
/// person writes, and a bound for the checker's own stack.
const MAX_DEPTH: usize = 64;

/// Checks `value` against `ty`, whose named types are `types`.
pub fn check(types: &[TypeDef], ty: &TypeRef, value: &Value) -> Result<(), Mismatch> {
    Checker { types }.check(ty, value, "", 0)
}

struct Checker<'a> {
    types: &'a [TypeDef],
}

impl Checker<'_> {
    fn check(&self, ty: &TypeRef, value: &Value, at: &str, depth: usize) -> Result<(), Mismatch> {
        let fail = |problem: String| Err(Mismatch { at: at.to_owned(), problem });
        if depth > MAX_DEPTH {
            return fail(String::from("nested too deeply"));
        }
        let expected = |what: &str| fail(format!("expected {what}, found {}", kind_of(value)));
        match (ty, value) {
            (TypeRef::Json, _) => Ok(()),
            (TypeRef::Option(_), Value::Null) => Ok(()),
            (TypeRef::Option(inner) | TypeRef::Boxed(inner), value) => self.check(inner, value, at, depth + 1),
            (TypeRef::Bool, Value::Bool(_)) | (TypeRef::F64, Value::Number(_)) | (TypeRef::String, Value::String(_)) => Ok(()),
            (TypeRef::I32, Value::Number(n)) if n.as_i64().is_some_and(|n| i32::try_from(n).is_ok()) => Ok(()),
            (TypeRef::I64, Value::Number(n)) if n.as_i64().is_some() => Ok(()),
            (TypeRef::I32, Value::Number(n)) if n.is_i64() || n.is_u64() => fail(format!("{n} does not fit a 32-bit integer")),
            (TypeRef::I32, _) => expected("an integer"),
            (TypeRef::I64, _) => expected("an integer"),
            (TypeRef::Bool, _) => expected("a boolean"),
            (TypeRef::F64, _) => expected("a number"),
            (TypeRef::String, _) => expected("a string"),
            (TypeRef::Date, Value::String(text)) if is_date(text) => Ok(()),
            (TypeRef::Date, Value::String(text)) => fail(format!("`{text}` is not a date such as `2024-01-31`")),
            (TypeRef::Date, _) => expected("a date"),
            (TypeRef::DateTime, Value::String(text)) if is_date_time(text) => Ok(()),
            (TypeRef::DateTime, Value::String(text)) => {
                fail(format!("`{text}` is not a date-time such as `2024-01-31T12:00:00Z`"))
            }
            (TypeRef::DateTime, _) => expected("a date-time"),
            (TypeRef::Uuid, Value::String(text)) if is_uuid(text) => Ok(()),
            (TypeRef::Uuid, Value::String(text)) => fail(format!("`{text}` is not a UUID")),
            (TypeRef::Uuid, _) => expected("a UUID"),
            (TypeRef::Vec(item), Value::Array(items)) => items
                .iter()
                .enumerate()
                .try_for_each(|(index, value)| self.check(item, value, &pointer_push(at, &index.to_string()), depth + 1)),
            (TypeRef::Vec(_), _) => expected("an array"),
            (TypeRef::Map(inner), Value::Object(entries)) => {
                entries.iter().try_for_each(|(key, value)| self.check(inner, value, &pointer_push(at, key), depth + 1))
            }
            (TypeRef::Map(_), _) => expected("an object"),
            (TypeRef::Named(id), value) => match self.types.get(id.index()).map(|def| &def.kind) {
                Some(kind) => self.named(kind, value, at, depth),
                None => Ok(()),
            },
        }
    }

    fn named(&self, kind: &TypeKind, value: &Value, at: &str, depth: usize) -> Result<(), Mismatch> {
        let fail = |problem: String| Err(Mismatch { at: at.to_owned(), problem });
        match (kind, value) {
            (TypeKind::Alias(target) | TypeKind::Newtype(target), value) => self.check(target, value, at, depth + 1),
            (TypeKind::StringEnum { variants, .. }, Value::String(text)) => {
                if variants.iter().any(|v| &v.wire == text) {
                    Ok(())
                } else {
                    fail(format!("`{text}` is not one of the enum's values"))
                }
            }
            (TypeKind::IntEnum { variants }, Value::Number(n)) => {
                if variants.iter().any(|v| Some(v.value) == n.as_i64()) {
                    Ok(())
                } else {
                    fail(format!("{n} is not one of the enum's values"))
                }
            }
            (TypeKind::StringEnum { .. }, _) => fail(format!("expected a string, found {}", kind_of(value))),
            (TypeKind::IntEnum { .. }, _) => fail(format!("expected an integer, found {}", kind_of(value))),
            (TypeKind::Struct { fields, additional, .. }, Value::Object(given)) => {
                for field in fields {
                    match given.get(&field.wire) {
                        None if field.required && !matches!(field.ty, TypeRef::Option(_)) => {
                            return fail(format!("required property `{}` is missing", field.wire));
                        }
                        None => {}
                        // An optional field reads `null` as its absence.
                        Some(Value::Null) if !field.required => {}
                        Some(value) => self.check(&field.ty, value, &pointer_push(at, &field.wire), depth + 1)?,
                    }
                }
                let Some(additional) = additional else { return Ok(()) };
                given
                    .iter()
                    .filter(|(key, _)| !fields.iter().any(|f| &f.wire == *key))
                    .try_for_each(|(key, value)| self.check(additional, value, &pointer_push(at, key), depth + 1))
            }
            (TypeKind::Struct { .. }, _) => fail(format!("expected an object, found {}", kind_of(value))),
            (TypeKind::Union { tagging: Tagging::Untagged, variants }, value) => {
                let mut first = None;
                for variant in variants {
                    match self.check(&variant.ty, value, at, depth + 1) {
                        Ok(()) => return Ok(()),
                        Err(mismatch) => {
                            first.get_or_insert(mismatch);
                        }
                    }
                }
                Err(first.unwrap_or_else(|| Mismatch { at: at.to_owned(), problem: String::from("the union has no variants") }))
            }
            (TypeKind::Union { tagging: Tagging::Internal { property }, variants }, value) => {
                let Some(tag) = value.get(property).and_then(Value::as_str) else {
                    return fail(format!("the discriminator `{property}` is missing"));
                };
                match variants.iter().find(|v| v.tags.iter().any(|t| t == tag)) {
                    Some(variant) => self.check(&variant.ty, value, at, depth + 1),
                    None => fail(format!("no variant has the discriminator value `{tag}`")),
                }
            }
        }
    }
}

/// `a string`, `an integer`…: what a JSON value is, for messages.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `YYYY-MM-DD`, a day that exists, as `chrono::NaiveDate` reads it.
fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(&text[..4]), digits(&text[5..7]), digits(&text[8..])) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// RFC 3339 (`2024-01-31T12:00:00Z`, `…12:00:00.5+01:00`), as
/// `chrono::DateTime<FixedOffset>` reads it.
fn is_date_time(text: &str) -> bool {
    let Some((date, rest)) = text.split_at_checked(10) else { return false };
    let Some(rest) = rest.strip_prefix(['T', 't', ' ']) else { return false };
    if !is_date(date) || rest.len() < 9 {
        return false;
    }
    let (time, zone) = rest.split_at(8);
    let time_ok = time.as_bytes()[2] == b':'
        && time.as_bytes()[5] == b':'
        && digits(&time[..2]).is_some_and(|h| h < 24)
        && digits(&time[3..5]).is_some_and(|m| m < 60)
        && digits(&time[6..]).is_some_and(|s| s <= 60);
    let zone = match zone.strip_prefix('.') {
        Some(fraction) => fraction.trim_start_matches(|c: char| c.is_ascii_digit()),
        None => zone,
    };
    let zone_ok = matches!(zone, "Z" | "z")
        || (zone.len() == 6
            && zone.starts_with(['+', '-'])
            && zone.as_bytes()[3] == b':'
            && digits(&zone[1..3]).is_some_and(|h| h < 24)
            && digits(&zone[4..]).is_some_and(|m| m < 60));
    time_ok && zone_ok
}

/// A UUID as the `uuid` crate reads it: hyphenated, simple, braced or as a URN.
fn is_uuid(text: &str) -> bool {
    let text = text.strip_prefix("urn:uuid:").unwrap_or(text);
    let text = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')).unwrap_or(text);
    let hex = |part: &str| part.chars().all(|c| c.is_ascii_hexdigit());
    match text.len() {
        32 => hex(text),
        36 => {
            let groups: Vec<&str> = text.split('-').collect();
            groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12]) && groups.iter().all(|g| hex(g))
        }
        _ => false,
    }
}

/// The number `text` writes in decimal digits only.
fn digits(text: &str) -> Option<u32> {
    text.bytes().all(|b| b.is_ascii_digit()).then(|| text.parse().ok()).flatten()
}
