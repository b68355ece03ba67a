//! Doc text taken from the spec.

use openapiv3::SchemaData;

/// A schema's description (or its title when it has none), with its default.
pub fn schema_doc(data: &SchemaData) -> Option<String> {
    let text = data.description.as_deref().or(data.title.as_deref()).map(str::trim).filter(|t| !t.is_empty());
    let default = data.default.as_ref().map(|value| format!("Defaults to `{value}`."));
    join(text, default)
}

/// Joins doc paragraphs, skipping the missing ones.
pub fn join(first: Option<&str>, second: Option<String>) -> Option<String> {
    match (first, second) {
        (Some(a), Some(b)) => Some(format!("{a}\n\n{b}")),
        (Some(a), None) => Some(a.to_owned()),
        (None, b) => b,
    }
}
