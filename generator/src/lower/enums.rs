//! Enumerations: string enums and integer enums with named values, and the
//! names of a union's variants.

use openapiv3::Schema;

use crate::ir::{EnumVariant, IntVariant, TypeKind, TypeRef};
use crate::naming::{Scope, pascal};

/// True when an integer enum names its values (`x-enum-varnames`), which
/// makes it a Rust enum rather than a plain integer.
pub(super) fn has_varnames(schema: &Schema) -> bool {
    schema.schema_data.extensions.get("x-enum-varnames").is_some_and(|v| v.is_array())
}

/// A string enum of `values`, deduplicated, with the spec's `default` (or the
/// only value) as its `Default`.
pub(super) fn string_enum(values: &[String], default: Option<&str>) -> TypeKind {
    let mut scope = Scope::with_reserved(&["Unknown"]);
    let mut variants = Vec::with_capacity(values.len());
    for value in values {
        if variants.iter().any(|v: &EnumVariant| &v.wire == value) {
            continue;
        }
        let ident = scope.claim(pascal(value, "Empty"));
        variants.push(EnumVariant { ident, wire: value.clone() });
    }
    let default = match default {
        Some(wanted) => variants.iter().position(|v| v.wire == wanted),
        None => (variants.len() == 1).then_some(0),
    };
    TypeKind::StringEnum { variants, default }
}

/// An integer enum named by `x-enum-varnames` and documented by
/// `x-enum-descriptions`.
pub(super) fn int_enum(schema: &Schema, values: &[i64]) -> TypeKind {
    let strings = |key: &str| -> Vec<Option<String>> {
        match schema.schema_data.extensions.get(key) {
            Some(serde_json::Value::Array(items)) => {
                items.iter().map(|item| item.as_str().map(str::to_owned)).collect()
            }
            _ => Vec::new(),
        }
    };
    let names = strings("x-enum-varnames");
    let descriptions = strings("x-enum-descriptions");
    let mut scope = Scope::with_reserved(&["Unknown"]);
    let mut variants = Vec::with_capacity(values.len());
    for (index, value) in values.iter().enumerate() {
        if variants.iter().any(|v: &IntVariant| v.value == *value) {
            continue;
        }
        let raw = names.get(index).cloned().flatten().unwrap_or_else(|| format!("V{value}"));
        variants.push(IntVariant {
            ident: scope.claim(pascal(&raw, "Value")),
            value: *value,
            doc: descriptions.get(index).cloned().flatten(),
        });
    }
    TypeKind::IntEnum { variants }
}

/// The variant name of a union member of type `ty` (the `index`-th).
pub(super) fn variant_label(ty: &TypeRef, index: usize) -> String {
    match ty {
        TypeRef::Bool => "Boolean".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F64 => "Number".into(),
        TypeRef::String => "String".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Uuid => "Uuid".into(),
        TypeRef::Vec(_) => "Array".into(),
        TypeRef::Map(_) => "Object".into(),
        TypeRef::Named(id) => id.name().to_owned(),
        TypeRef::Json | TypeRef::Option(_) | TypeRef::Boxed(_) => format!("Variant{index}"),
    }
}
