//! A small value of a type, for the examples of a place the spec gives none
//! of, or one that does not match its schema: required fields only, the first
//! value of an enum, the formats the types stand for, one item in each array
//! (an array the spec requires is rarely valid empty), and recursive types cut
//! short where an empty array, an empty map or `null` ends them.

use serde_json::{Map, Value};

use crate::ir::{Tagging, TypeDef, TypeKind, TypeRef};

/// How many named types deep a value goes before arrays are left empty: deep
/// enough to show the shape, short enough to read.
const MAX_DEPTH: usize = 6;

/// A value of `ty`, whose named types are `types`.
pub fn synthesize(types: &[TypeDef], ty: &TypeRef) -> Value {
    Synthesizer { types, open: Vec::new() }.value(ty)
}

struct Synthesizer<'a> {
    types: &'a [TypeDef],
    /// The named types being made, outermost first: one met again is a cycle.
    open: Vec<usize>,
}

impl Synthesizer<'_> {
    fn value(&mut self, ty: &TypeRef) -> Value {
        match ty {
            TypeRef::Bool => Value::Bool(false),
            TypeRef::I32 | TypeRef::I64 => Value::from(1),
            TypeRef::F64 => Value::from(1.5),
            TypeRef::String => Value::from("string"),
            TypeRef::Date => Value::from("2024-01-31"),
            TypeRef::DateTime => Value::from("2024-01-31T12:00:00Z"),
            TypeRef::Uuid => Value::from("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
            TypeRef::Json | TypeRef::Map(_) => Value::Object(Map::new()),
            TypeRef::Vec(item) if self.ends_here(item) => Value::Array(Vec::new()),
            TypeRef::Vec(item) => Value::Array(vec![self.value(item)]),
            TypeRef::Option(_) => Value::Null,
            TypeRef::Boxed(inner) => self.value(inner),
            TypeRef::Named(id) => {
                let Some(def) = self.types.get(id.index()) else { return Value::Null };
                // A type that requires itself, through boxes only, has no
                // finite value; `null` is as close as any.
                if self.open.contains(&id.index()) {
                    return Value::Null;
                }
                self.open.push(id.index());
                let value = self.named(&def.kind);
                self.open.pop();
                value
            }
        }
    }

    /// Whether an array of `item` is left empty: past the depth, or where an
    /// item would be a type already being made.
    fn ends_here(&self, item: &TypeRef) -> bool {
        self.open.len() >= MAX_DEPTH || item.named().is_some_and(|id| self.open.contains(&id.index()))
    }

    fn named(&mut self, kind: &TypeKind) -> Value {
        match kind {
            TypeKind::Alias(target) | TypeKind::Newtype(target) => self.value(target),
            TypeKind::Struct { fields, .. } => {
                Value::Object(fields.iter().filter(|f| f.required).map(|f| (f.wire.clone(), self.value(&f.ty))).collect())
            }
            TypeKind::StringEnum { variants, .. } => Value::from(variants.first().map_or("value", |v| v.wire.as_str())),
            TypeKind::IntEnum { variants } => Value::from(variants.first().map_or(0, |v| v.value)),
            TypeKind::Union { tagging: Tagging::Untagged, variants } => {
                variants.first().map_or(Value::Null, |first| self.value(&first.ty))
            }
            TypeKind::Union { tagging: Tagging::Internal { property }, variants } => {
                // The first variant a discriminator value picks, carrying that value.
                let Some((variant, tag)) = variants.iter().find_map(|v| Some((v, v.tags.first()?))) else {
                    return Value::Null;
                };
                let mut value = self.value(&variant.ty);
                if let Value::Object(object) = &mut value {
                    object.insert(property.clone(), Value::from(tag.as_str()));
                }
                value
            }
        }
    }
}
