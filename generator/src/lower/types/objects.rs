//! Object schemas and `allOf` → structs: their fields, the setters of the
//! optional ones, and the properties merged from every part.

use std::collections::HashSet;

use crate::diagnostics::Reporter;
use crate::pointer::pointer_push;
use crate::ir::{Field, FieldDefault, TypeKind, TypeRef};
use crate::lower::docs::schema_doc;
use crate::lower::schema_view::{Additional, SchemaRef, Shape, shape};
use crate::naming::{Scope, pascal, snake};

use super::{Property, TypeLowering};

impl<'a> TypeLowering<'a> {
    pub(super) fn structure(
        &mut self,
        name: &str,
        properties: Vec<Property<'a>>,
        required: &HashSet<&str>,
        additional: Additional<'a>,
        pointer: &str,
        reporter: &mut Reporter<'_>,
    ) -> TypeKind {
        // emit names the map of further properties `additional_properties`.
        let mut fields_scope = match additional {
            Additional::Schema(_) | Additional::Any => Scope::with_reserved(&["additional_properties"]),
            Additional::Unspecified | Additional::Forbidden => Scope::default(),
        };
        let mut fields = Vec::with_capacity(properties.len());
        for property in properties {
            let ident = fields_scope.claim(snake(property.wire, "field"));
            let hint = format!("{name}{}", pascal(property.wire, "Field"));
            let ty = self.type_of(property.schema, &hint, &property.pointer, reporter);
            let data = self.deref(property.schema, &property.pointer).map(|(schema, _)| &schema.schema_data);
            let inline_data = match property.schema {
                SchemaRef::Inline(schema) => Some(&schema.schema_data),
                SchemaRef::Ref(_) => None,
            };
            // A read-only property is absent from requests and a write-only one
            // from responses, so neither can be required in a type used for both.
            let one_way = data.is_some_and(|d| d.read_only || d.write_only);
            let default = match data.and_then(|d| d.default.as_ref()) {
                None => FieldDefault::None,
                Some(value) if is_zero(value) => FieldDefault::Zero,
                Some(_) => FieldDefault::Other,
            };
            fields.push(Field {
                wire: property.wire.to_owned(),
                ident,
                setter: String::new(),
                ty,
                required: required.contains(property.wire) && !one_way,
                default,
                doc: inline_data.and_then(schema_doc),
                deprecated: inline_data.is_some_and(|d| d.deprecated),
            });
        }
        let setters: Vec<String> = fields.iter().map(|field| setter_name(field, &fields)).collect();
        for (field, setter) in fields.iter_mut().zip(setters) {
            field.setter = setter;
        }
        let additional = match additional {
            Additional::Schema(values) => {
                let values_pointer = pointer_push(pointer, "additionalProperties");
                Some(self.type_of(values, &format!("{name}Value"), &values_pointer, reporter))
            }
            Additional::Any => Some(TypeRef::Json),
            Additional::Unspecified | Additional::Forbidden => None,
        };
        TypeKind::Struct { fields, additional, default: false }
    }

    /// `allOf`: one struct with the properties of every part.
    pub(super) fn merge(
        &mut self,
        name: &str,
        parts: &[SchemaRef<'a>],
        own: Option<&Shape<'a>>,
        pointer: &str,
        reporter: &mut Reporter<'_>,
    ) -> TypeKind {
        let mut merged = Merged::default();
        let mut seen = HashSet::from([pointer.to_owned()]);
        self.gather_parts(parts, pointer, &mut merged, &mut seen);
        if let Some(own) = own {
            merged.add(own, pointer);
        }
        for (later, wire, first) in std::mem::take(&mut merged.conflicts) {
            let first = reporter.place(&first);
            reporter.warning(&later, format!("`allOf` parts define property `{wire}` differently; the first definition ({first}) is used"));
        }
        let required = merged.required.clone();
        self.structure(name, merged.properties, &required, merged.additional, pointer, reporter)
    }

    fn gather_parts(
        &self,
        parts: &[SchemaRef<'a>],
        pointer: &str,
        merged: &mut Merged<'a>,
        seen: &mut HashSet<String>,
    ) {
        for (index, part) in parts.iter().enumerate() {
            let at = pointer_push(&pointer_push(pointer, "allOf"), &index.to_string());
            let Some((schema, at)) = self.deref(*part, &at) else { continue };
            if !seen.insert(at.clone()) {
                continue; // a cycle of allOf parts adds nothing new
            }
            match shape(schema) {
                Shape::AllOf { parts, own } => {
                    self.gather_parts(&parts, &at, merged, seen);
                    if let Some(own) = own {
                        merged.add(&own, &at);
                    }
                }
                other => merged.add(&other, &at),
            }
        }
    }
}

/// Methods a setter must not shadow: `new`, and the methods of the traits
/// every struct implements (an inherent `clone(self, value)` would win over
/// `Clone::clone` in `value.clone()`, and `default` over `Default::default`).
const RESERVED_METHODS: &[&str] = &["new", "default", "clone", "clone_from", "eq", "ne", "fmt", "serialize", "deserialize"];

/// The name of a struct's setter for a field: the field's name, or
/// `with_<field>` when that would clash with a method or another field's name.
fn setter_name(field: &Field, fields: &[Field]) -> String {
    let bare = field.ident.trim_start_matches("r#");
    if RESERVED_METHODS.contains(&bare) || fields.iter().any(|other| other.ident == format!("with_{bare}")) {
        format!("with_{bare}")
    } else {
        field.ident.clone()
    }
}

/// The properties gathered from the parts of an `allOf`.
#[derive(Default)]
struct Merged<'s> {
    properties: Vec<Property<'s>>,
    required: HashSet<&'s str>,
    additional: Additional<'s>,
    /// Properties defined again differently: (pointer of the later one, name, pointer of the first).
    conflicts: Vec<(String, String, String)>,
}

impl<'s> Merged<'s> {
    /// Adds the properties of one part; a property seen before keeps its first
    /// definition. Parts that only constrain values add nothing.
    fn add(&mut self, shape: &Shape<'s>, pointer: &str) {
        if let Shape::Object { properties, required, additional } = shape {
            for (wire, schema) in properties {
                let at = pointer_push(&pointer_push(pointer, "properties"), wire);
                match self.properties.iter().find(|p| p.wire == *wire) {
                    None => self.properties.push(Property { wire, schema: *schema, pointer: at }),
                    Some(first) if !same_schema(first.schema, *schema) => {
                        self.conflicts.push((at, (*wire).to_owned(), first.pointer.clone()));
                    }
                    Some(_) => {}
                }
            }
            self.required.extend(required.iter().map(String::as_str));
            if !matches!(additional, Additional::Unspecified) {
                self.additional = *additional;
            }
        }
    }
}

/// True for the values Rust's `Default` gives: `false`, `0`, `""`, `[]`, `{}`.
fn is_zero(value: &serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(fields) => fields.is_empty(),
        Value::Null => false,
    }
}

/// Whether two property schemas describe the same values (the same reference,
/// or inline schemas that differ at most in docs, examples and the like).
fn same_schema(a: SchemaRef<'_>, b: SchemaRef<'_>) -> bool {
    match (a, b) {
        (SchemaRef::Ref(a), SchemaRef::Ref(b)) => a == b,
        (SchemaRef::Inline(a), SchemaRef::Inline(b)) => a.schema_kind == b.schema_kind,
        _ => false,
    }
}
