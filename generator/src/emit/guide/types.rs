//! The usage guide's types section: every type of the `types` module with
//! what a caller has to know to build or read it (fields, their JSON names,
//! Rust types and presence; constructors; enum values; union variants).

use std::fmt::Write as _;

use crate::ir::{Api, Field, FieldDefault, Tagging, TypeDef, TypeKind, TypeRef};

use super::{cell, type_text};

/// Above this many types the section would dwarf the rest of the guide (a
/// 47 MB spec has 11,000); the guide then points at rustdoc instead.
const MOST_TYPES: usize = 400;

/// Writes the types section of `api`'s guide.
pub(super) fn types_section(out: &mut String, api: &Api) {
    if api.types.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Types\n");
    if api.types.len() > MOST_TYPES {
        let _ = writeln!(
            out,
            "The API has {} types, too many to list here: their fields, constructors and variants are \
             in the crate's rustdoc (`cargo doc --open`).\n",
            api.types.len()
        );
        return;
    }
    let _ = writeln!(
        out,
        "Every type of `types`. A field is *required* (always there), *optional* (an `Option`, left out \
         of JSON when `None`) or *nullable* (the value may be `null`: one more `Option`); unknown fields \
         are ignored and unknown enum values kept.\n"
    );
    for def in &api.types {
        one_type(out, def);
    }
}

fn one_type(out: &mut String, def: &TypeDef) {
    let _ = writeln!(out, "### `{}`\n", def.name);
    if let Some(first) = def.doc.as_deref().and_then(|doc| doc.split("\n\n").next()).map(cell).filter(|d| !d.is_empty()) {
        let _ = writeln!(out, "{first}\n");
    }
    match &def.kind {
        TypeKind::Struct { fields, additional, default } => structure(out, &def.name, fields, additional.as_ref(), *default),
        TypeKind::StringEnum { variants, .. } => {
            let values: Vec<String> = variants.iter().map(|v| format!("`{}` (`{}`)", v.wire, v.ident)).collect();
            let _ = writeln!(out, "A string, one of {}; any other value is `Unknown(..)`.\n", values.join(", "));
        }
        TypeKind::IntEnum { variants } => {
            let values: Vec<String> = variants.iter().map(|v| format!("`{}` (`{}`)", v.value, v.ident)).collect();
            let _ = writeln!(out, "An integer, one of {}; any other value is `Unknown(..)`.\n", values.join(", "));
        }
        TypeKind::Union { tagging, variants } => {
            let listed: Vec<String> = variants.iter().map(|v| format!("`{}({})`", v.ident, type_text(&v.ty))).collect();
            let how = match tagging {
                Tagging::Untagged => String::from("the first that decodes"),
                Tagging::Internal { property } => format!("told apart by the `{property}` property"),
            };
            let _ = writeln!(out, "One of {} ({how}).\n", listed.join(", "));
        }
        TypeKind::Alias(target) => {
            let _ = writeln!(out, "Another name for `{}`.\n", type_text(target));
        }
        TypeKind::Newtype(inner) => {
            let _ = writeln!(out, "A wrapper of `{}` (`.0`).\n", type_text(inner));
        }
    }
}

fn structure(out: &mut String, name: &str, fields: &[Field], additional: Option<&TypeRef>, default: bool) {
    if default {
        let _ = writeln!(out, "Implements `Default`: start from `types::{name}::default()` and set fields.\n");
    } else {
        let arguments: Vec<&str> = fields
            .iter()
            .filter(|f| f.required && f.default == FieldDefault::None)
            .map(|f| f.ident.trim_start_matches("r#"))
            .collect();
        let _ = writeln!(
            out,
            "Built with `types::{name}::new({})`, then a chained setter per optional field.\n",
            arguments.join(", ")
        );
    }
    if fields.is_empty() && additional.is_none() {
        return;
    }
    let _ = writeln!(out, "| field | JSON | Rust type | presence | description |\n| --- | --- | --- | --- | --- |");
    for field in fields {
        let nullable = matches!(field.ty, TypeRef::Option(_));
        let (rust, presence) = match (field.required, nullable) {
            (true, false) => (type_text(&field.ty), "required"),
            (true, true) => (type_text(&field.ty), "required, nullable"),
            (false, false) => (format!("Option<{}>", type_text(&field.ty)), "optional"),
            (false, true) => (format!("Option<{}>", type_text(&field.ty)), "optional, nullable"),
        };
        let description = cell(field.doc.as_deref().unwrap_or(""));
        let _ = writeln!(
            out,
            "| `{}` | `{}` | `{rust}` | {presence} | {description} |",
            field.ident.trim_start_matches("r#"),
            field.wire.replace('`', "'")
        );
    }
    if let Some(values) = additional {
        let _ = writeln!(
            out,
            "| `additional_properties` | any other key | `BTreeMap<String, {}>` | optional | Keys not listed above. |",
            type_text(values)
        );
    }
    out.push('\n');
}
