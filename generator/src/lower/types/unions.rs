//! `oneOf`/`anyOf` → enums with a variant per alternative, told apart by a
//! discriminator's values or by trying each shape in turn.

use std::collections::HashSet;

use openapiv3::Schema;

use crate::diagnostics::Reporter;
use crate::pointer::pointer_push;
use crate::ir::{Tagging, TypeKind, UnionVariant};
use crate::lower::enums::variant_label;
use crate::lower::schema_view::{SchemaRef, Shape, shape};
use crate::naming::{Scope, pascal};

use super::TypeLowering;

impl<'a> TypeLowering<'a> {
    /// `oneOf`/`anyOf`: an enum with a variant per alternative.
    pub(super) fn union(
        &mut self,
        name: &str,
        schema: &'a Schema,
        parts: &[SchemaRef<'a>],
        exclusive: bool,
        pointer: &str,
        reporter: &mut Reporter<'_>,
    ) -> TypeKind {
        let keyword = if exclusive { "oneOf" } else { "anyOf" };
        let discriminator = schema.schema_data.discriminator.as_ref();
        let mut scope = Scope::with_reserved(&["Unknown"]);
        let mut variants = Vec::new();
        // Discriminator values given to a variant so far, and the variants fixing none.
        let mut claimed = HashSet::new();
        let mut unfixed = Vec::new();
        for (index, part) in parts.iter().enumerate() {
            if self.is_null(*part) {
                continue;
            }
            let part_pointer = pointer_push(&pointer_push(pointer, keyword), &index.to_string());
            let mut tags = match discriminator {
                Some(d) => self.tags(d, *part, &part_pointer),
                None => Vec::new(),
            };
            if discriminator.is_some() && tags.is_empty() {
                unfixed.push(part_pointer.clone());
            }
            // A value the discriminator already gave an earlier variant selects that one.
            for tag in tags.iter().filter(|tag| claimed.contains(*tag)) {
                reporter.warning(
                    &part_pointer,
                    format!("discriminator value `{tag}` already selects an earlier variant; it does not select this one"),
                );
            }
            tags.retain(|tag| claimed.insert(tag.clone()));
            let label = match part {
                SchemaRef::Ref(reference) => reference.rsplit('/').next().map(|key| pascal(key, "Variant")),
                // An inline variant is named by its title, else by the value selecting it.
                SchemaRef::Inline(schema) => {
                    schema.schema_data.title.as_deref().or(tags.first().map(String::as_str)).map(|t| pascal(t, "Variant"))
                }
            };
            let hint = format!("{name}{}", label.clone().unwrap_or_else(|| format!("Variant{index}")));
            let ty = self.type_of(*part, &hint, &part_pointer, reporter);
            let ident = scope.claim(label.unwrap_or_else(|| variant_label(&ty, index)));
            variants.push(UnionVariant { ident, ty, tags });
        }
        let tagging = match discriminator {
            // With no value selecting any variant, the discriminator tells nothing.
            Some(d) if claimed.is_empty() => {
                reporter.warning(
                    &pointer_push(pointer, "discriminator"),
                    format!(
                        "no variant fixes a value of discriminator property `{}` (a one-value `enum` or `const`); the `{keyword}` is read untagged, as the first variant that decodes",
                        d.property_name
                    ),
                );
                Tagging::Untagged
            }
            Some(d) => {
                for at in &unfixed {
                    reporter.warning(
                        at,
                        format!(
                            "this variant fixes no value of discriminator property `{}` (a one-value `enum` or `const`); no value selects it, so such objects decode as `Unknown`",
                            d.property_name
                        ),
                    );
                }
                Tagging::Internal { property: d.property_name.clone() }
            }
            None => Tagging::Untagged,
        };
        TypeKind::Union { tagging, variants }
    }

    /// The discriminator values selecting the variant `part`: those the
    /// `mapping` gives its reference (an inline variant's reference is its own
    /// location, `#/…/oneOf/1`), else a referenced schema's name, else the
    /// values an inline variant fixes for the discriminator property (a
    /// one-value `enum`, or 3.1's `const`).
    fn tags(&self, discriminator: &openapiv3::Discriminator, part: SchemaRef<'a>, part_pointer: &str) -> Vec<String> {
        let own_reference = format!("#{part_pointer}");
        // A mapping names a schema by its reference or, for a referenced one, its name.
        let (reference, schema_name) = match part {
            SchemaRef::Ref(reference) => (reference, reference.rsplit('/').next()),
            SchemaRef::Inline(_) => (own_reference.as_str(), None),
        };
        let mapped: Vec<String> = discriminator
            .mapping
            .iter()
            .filter(|(_, target)| *target == reference || schema_name == Some(target.as_str()))
            .map(|(tag, _)| tag.clone())
            .collect();
        if !mapped.is_empty() {
            return mapped;
        }
        match part {
            SchemaRef::Ref(_) => schema_name.map(str::to_owned).into_iter().collect(),
            SchemaRef::Inline(schema) => self.fixed_values(schema, &discriminator.property_name, 0),
        }
    }

    /// The string values `schema` allows for `property`: its `enum` (or
    /// `const`), looked up among the properties of an object or of the parts
    /// of an `allOf`.
    fn fixed_values(&self, schema: &'a Schema, property: &str, depth: usize) -> Vec<String> {
        let values_of = |own: &Shape<'a>| match own {
            Shape::Object { properties, .. } => properties
                .iter()
                .find(|(wire, _)| *wire == property)
                .and_then(|(_, schema)| self.deref(*schema, ""))
                .map(|(schema, _)| match shape(schema) {
                    Shape::String { values, .. } => values,
                    _ => Vec::new(),
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        match shape(schema) {
            Shape::AllOf { parts, own } if depth < 8 => {
                let from_own = own.map(|own| values_of(&own)).unwrap_or_default();
                if !from_own.is_empty() {
                    return from_own;
                }
                parts
                    .iter()
                    .filter_map(|part| self.deref(*part, ""))
                    .map(|(part, _)| self.fixed_values(part, property, depth + 1))
                    .find(|values| !values.is_empty())
                    .unwrap_or_default()
            }
            other => values_of(&other),
        }
    }
}
