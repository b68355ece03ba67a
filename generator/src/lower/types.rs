//! Schemas → named Rust types (`TypeDef`) and type uses (`TypeRef`).
//!
//! Two phases, so references never wait on definitions: first every component
//! schema claims its Rust name (document order), then each is lowered; inline
//! schemas claim a name from their context as they are met. A final pass boxes
//! the fields that make types contain themselves and decides which structs can
//! derive `Default`.

mod objects;
mod unions;

use std::collections::HashMap;
use std::sync::Arc;

use openapiv3::Schema;

use crate::diagnostics::Reporter;
use crate::pointer::pointer_push;
use crate::ir::{TypeDef, TypeId, TypeKind, TypeRef};
use crate::lower::enums::{has_varnames, int_enum, string_enum};
use crate::lower::docs::schema_doc;
use crate::lower::Pins;
use crate::lower::schema_view::{Additional, SchemaRef, Shape, StringKind, enum_allows_null, shape};
use crate::naming::{Scope, type_name};
use crate::resolve::{Resolver, schema_component};

/// Builds the types of one document.
pub struct TypeLowering<'a> {
    resolver: Resolver<'a>,
    /// Holds what was deserialized from non-component references.
    pins: Pins<'a>,
    scope: Scope,
    /// Component schema key → its type.
    components: HashMap<&'a str, TypeId>,
    /// Inline schemas already lowered, by JSON pointer, so a schema reached
    /// twice (through `allOf`, say) becomes one type.
    inline: HashMap<String, TypeRef>,
    /// Each type by the order its name was claimed: that name, and its
    /// definition (`None` until it is defined).
    slots: Vec<(Arc<str>, Option<TypeDef>)>,
    /// The types in the order their definitions were finished: the order of
    /// the `types` module (nested types before the types holding them).
    finished: Vec<usize>,
}

/// The types of a document, as lowering leaves them.
pub struct LoweredTypes {
    /// The definitions, in the order of the `types` module; a [`TypeId`]'s
    /// index is a position here.
    pub defs: Vec<TypeDef>,
    /// Which of them come from component schemas, by index.
    pub components: Vec<bool>,
    /// Where each type moved from the order names were claimed in, for the
    /// uses made meanwhile (operations): `moved[claimed] = index`.
    pub moved: Vec<usize>,
}

/// One property on its way into a struct.
struct Property<'s> {
    wire: &'s str,
    schema: SchemaRef<'s>,
    pointer: String,
}

impl<'a> TypeLowering<'a> {
    /// Claims a name for every component schema, in document order.
    pub fn new(resolver: Resolver<'a>, pins: Pins<'a>) -> Self {
        let mut lowering = TypeLowering {
            resolver,
            pins,
            scope: Scope::default(),
            components: HashMap::new(),
            inline: HashMap::new(),
            slots: Vec::new(),
            finished: Vec::new(),
        };
        if let Some(found) = &resolver.openapi.components {
            for key in found.schemas.keys() {
                let id = lowering.claim(type_name(key, "Schema"));
                lowering.components.insert(key.as_str(), id);
            }
        }
        lowering
    }

    /// A new type named `wanted` (or a free name close to it), to be defined.
    fn claim(&mut self, wanted: String) -> TypeId {
        let name: Arc<str> = Arc::from(self.scope.claim(wanted));
        self.slots.push((Arc::clone(&name), None));
        TypeId::new(self.slots.len() - 1, name)
    }

    /// Records the definition of `id`.
    fn finish_def(&mut self, id: &TypeId, doc: Option<String>, deprecated: bool, kind: TypeKind) {
        self.slots[id.index()].1 = Some(TypeDef { name: id.name().to_owned(), doc, deprecated, kind });
        self.finished.push(id.index());
    }

    /// Where resolved references are kept.
    pub fn pins(&self) -> Pins<'a> {
        self.pins
    }

    /// Defines every component schema.
    pub fn lower_components(&mut self, reporter: &mut Reporter<'_>) {
        let Some(found) = &self.resolver.openapi.components else { return };
        for (key, item) in &found.schemas {
            let id = self.components[key.as_str()].clone();
            let pointer = pointer_push("/components/schemas", key);
            match SchemaRef::from(item) {
                SchemaRef::Inline(schema) => self.define(id, schema, &pointer, reporter),
                reference @ SchemaRef::Ref(_) => {
                    let ty = self.type_of(reference, id.name(), &pointer, reporter);
                    self.finish_def(&id, None, false, TypeKind::Alias(ty));
                }
            }
        }
    }

    /// The type of a use of `schema`; an inline schema that needs a definition
    /// gets one named `hint`.
    pub fn type_of(
        &mut self,
        schema: SchemaRef<'a>,
        hint: &str,
        pointer: &str,
        reporter: &mut Reporter<'_>,
    ) -> TypeRef {
        match schema {
            SchemaRef::Ref(reference) => {
                if let Some(key) = schema_component(reference) {
                    let Some(id) = self.components.get(key) else { return TypeRef::Json };
                    let named = TypeRef::Named(id.clone());
                    let nullable = self.component(key).is_some_and(|s| s.schema_data.nullable);
                    return if nullable { TypeRef::Option(Box::new(named)) } else { named };
                }
                match self.resolve(reference) {
                    Some((schema, target)) => self.type_of_inline(schema, hint, &target, reporter),
                    None => TypeRef::Json,
                }
            }
            SchemaRef::Inline(schema) => self.type_of_inline(schema, hint, pointer, reporter),
        }
    }

    fn component(&self, key: &str) -> Option<&'a Schema> {
        match self.resolver.openapi.components.as_ref()?.schemas.get(key)? {
            openapiv3::ReferenceOr::Item(schema) => Some(schema),
            openapiv3::ReferenceOr::Reference { reference } => {
                schema_component(reference).and_then(|next| {
                    // One hop is enough to read `nullable`; longer chains are rare.
                    match self.resolver.openapi.components.as_ref()?.schemas.get(next)? {
                        openapiv3::ReferenceOr::Item(schema) => Some(schema),
                        openapiv3::ReferenceOr::Reference { .. } => None,
                    }
                })
            }
        }
    }

    /// A referenced schema that is not a component: deserialized from the raw
    /// tree and kept alive for the rest of the run.
    fn resolve(&self, reference: &'a str) -> Option<(&'a Schema, String)> {
        self.pins.reference(reference)
    }

    /// Follows `schema` to an inline schema, with its pointer; `None` for a
    /// dangling reference or a cycle of references.
    fn deref(&self, schema: SchemaRef<'a>, pointer: &str) -> Option<(&'a Schema, String)> {
        let mut current = schema;
        for _ in 0..32 {
            match current {
                SchemaRef::Inline(schema) => return Some((schema, pointer.to_owned())),
                SchemaRef::Ref(reference) => match schema_component(reference) {
                    Some(key) => match self.resolver.openapi.components.as_ref()?.schemas.get(key)? {
                        openapiv3::ReferenceOr::Item(schema) => {
                            return Some((schema, pointer_push("/components/schemas", key)));
                        }
                        next @ openapiv3::ReferenceOr::Reference { .. } => current = SchemaRef::from(next),
                    },
                    None => return self.resolve(reference),
                },
            }
        }
        None
    }

    fn type_of_inline(
        &mut self,
        schema: &'a Schema,
        hint: &str,
        pointer: &str,
        reporter: &mut Reporter<'_>,
    ) -> TypeRef {
        let nullable = schema.schema_data.nullable || enum_allows_null(schema);
        warn_unchecked(schema, pointer, reporter);
        let ty = match shape(schema) {
            Shape::String { values, .. } if !values.is_empty() => self.inline_def(hint, schema, pointer, reporter),
            Shape::String { kind, .. } => string_type(kind),
            Shape::Integer { values, .. } if !values.is_empty() && has_varnames(schema) => {
                self.inline_def(hint, schema, pointer, reporter)
            }
            Shape::Integer { int32: true, .. } => TypeRef::I32,
            Shape::Integer { int32: false, .. } => TypeRef::I64,
            Shape::Number => TypeRef::F64,
            Shape::Boolean => TypeRef::Bool,
            Shape::Object { properties, additional, .. } if properties.is_empty() => {
                self.map_of(additional, hint, pointer, reporter)
            }
            Shape::Object { .. } => self.inline_def(hint, schema, pointer, reporter),
            Shape::Array { items: Some(items) } => {
                let item_pointer = pointer_push(pointer, "items");
                let item = self.type_of(items, &format!("{hint}Item"), &item_pointer, reporter);
                TypeRef::Vec(Box::new(item))
            }
            Shape::Array { items: None } => TypeRef::Vec(Box::new(TypeRef::Json)),
            Shape::AllOf { parts, own: None } if single_part(&parts).is_some() => {
                let (index, part, nullable_part) = single_part(&parts).unwrap_or((0, parts[0], false));
                let ty = self.type_of(part, hint, &pointer_push(pointer, &format!("allOf/{index}")), reporter);
                if nullable_part { option(ty) } else { ty }
            }
            Shape::AllOf { .. } => self.inline_def(hint, schema, pointer, reporter),
            Shape::OneOf { parts, exclusive } => {
                let keyword = if exclusive { "oneOf" } else { "anyOf" };
                let real: Vec<(usize, SchemaRef<'a>)> =
                    parts.iter().copied().enumerate().filter(|(_, part)| !self.is_null(*part)).collect();
                match real.as_slice() {
                    [] => TypeRef::Json,
                    [(index, only)] => {
                        let inner_pointer = pointer_push(&pointer_push(pointer, keyword), &index.to_string());
                        let inner = self.type_of(*only, hint, &inner_pointer, reporter);
                        if real.len() < parts.len() { option(inner) } else { inner }
                    }
                    _ => self.inline_def(hint, schema, pointer, reporter),
                }
            }
            Shape::MixedEnum => {
                reporter.warning(
                    &pointer_push(pointer, "enum"),
                    "an enum whose values are of several JSON types is a `serde_json::Value`",
                );
                TypeRef::Json
            }
            Shape::Any => TypeRef::Json,
        };
        if nullable { option(ty) } else { ty }
    }

    /// A `null`-only schema, as used in `oneOf: [X, {nullable: true}]` idioms.
    fn is_null(&self, part: SchemaRef<'a>) -> bool {
        match part {
            SchemaRef::Inline(schema) => {
                matches!(&schema.schema_kind, openapiv3::SchemaKind::Any(any)
                    if any.typ.as_deref() == Some("null")
                        || (schema.schema_data.nullable && any == &openapiv3::AnySchema::default()))
            }
            SchemaRef::Ref(_) => false,
        }
    }

    fn map_of(
        &mut self,
        additional: Additional<'a>,
        hint: &str,
        pointer: &str,
        reporter: &mut Reporter<'_>,
    ) -> TypeRef {
        match additional {
            Additional::Schema(values) => {
                let values_pointer = pointer_push(pointer, "additionalProperties");
                let value = self.type_of(values, &format!("{hint}Value"), &values_pointer, reporter);
                TypeRef::Map(Box::new(value))
            }
            Additional::Unspecified | Additional::Any | Additional::Forbidden => {
                TypeRef::Map(Box::new(TypeRef::Json))
            }
        }
    }

    /// Defines an inline schema once, named after `hint`.
    fn inline_def(
        &mut self,
        hint: &str,
        schema: &'a Schema,
        pointer: &str,
        reporter: &mut Reporter<'_>,
    ) -> TypeRef {
        if let Some(done) = self.inline.get(pointer) {
            return done.clone();
        }
        let id = self.claim(type_name(hint, "Inline"));
        let named = TypeRef::Named(id.clone());
        self.inline.insert(pointer.to_owned(), named.clone());
        self.define(id, schema, pointer, reporter);
        named
    }

    /// Lowers `schema` into the definition of `id`.
    fn define(&mut self, id: TypeId, schema: &'a Schema, pointer: &str, reporter: &mut Reporter<'_>) {
        let name = id.name();
        let doc = schema_doc(&schema.schema_data);
        let deprecated = schema.schema_data.deprecated;
        warn_unchecked(schema, pointer, reporter);
        let kind = match shape(schema) {
            Shape::String { values, .. } if !values.is_empty() => {
                string_enum(&values, schema.schema_data.default.as_ref().and_then(|d| d.as_str()))
            }
            Shape::Integer { values, .. } if !values.is_empty() && has_varnames(schema) => {
                int_enum(schema, &values)
            }
            Shape::Object { properties, required, additional } => {
                let properties = properties
                    .into_iter()
                    .map(|(wire, schema)| Property {
                        wire,
                        schema,
                        pointer: pointer_push(&pointer_push(pointer, "properties"), wire),
                    })
                    .collect();
                let required = required.iter().map(String::as_str).collect();
                self.structure(name, properties, &required, additional, pointer, reporter)
            }
            Shape::AllOf { parts, own } if own.is_some() || single_part(&parts).is_none() => {
                self.merge(name, &parts, own.as_deref(), pointer, reporter)
            }
            Shape::OneOf { parts, exclusive } if parts.iter().filter(|p| !self.is_null(**p)).count() > 1 => {
                self.union(name, schema, &parts, exclusive, pointer, reporter)
            }
            _ => {
                // Not a definition of its own (a string, an array…): an alias.
                // Inline schemas never get here, `type_of_inline` handles them.
                let ty = self.type_of_inline_plain(schema, &id, pointer, reporter);
                TypeKind::Alias(ty)
            }
        };
        self.finish_def(&id, doc, deprecated, kind);
    }

    /// The type of a component schema that needs no definition of its own.
    fn type_of_inline_plain(
        &mut self,
        schema: &'a Schema,
        id: &TypeId,
        pointer: &str,
        reporter: &mut Reporter<'_>,
    ) -> TypeRef {
        // Mark the pointer as this alias so `type_of_inline` cannot define it again.
        let itself = TypeRef::Named(id.clone());
        self.inline.insert(pointer.to_owned(), itself.clone());
        let ty = self.type_of_inline(schema, &format!("{}Inner", id.name()), pointer, reporter);
        if ty == itself { TypeRef::Json } else { ty }
    }

    /// Finishes the types: puts them in the order their definitions were
    /// finished (the ids made meanwhile are renumbered), boxes the fields that
    /// make types contain themselves and marks the structs that can derive `Default`.
    pub fn finish(mut self) -> LoweredTypes {
        // A name claimed but never defined cannot happen; were it to, an
        // alias of any JSON value keeps every use valid.
        for (index, (name, slot)) in self.slots.iter_mut().enumerate() {
            if slot.is_none() {
                let name = name.to_string();
                *slot = Some(TypeDef { name, doc: None, deprecated: false, kind: TypeKind::Alias(TypeRef::Json) });
                self.finished.push(index);
            }
        }
        let mut moved = vec![0; self.slots.len()];
        for (index, &claimed) in self.finished.iter().enumerate() {
            moved[claimed] = index;
        }
        let mut components = vec![false; self.slots.len()];
        for id in self.components.values() {
            components[moved[id.index()]] = true;
        }
        let mut defs: Vec<TypeDef> = self.finished.iter().filter_map(|&claimed| self.slots[claimed].1.take()).collect();
        for ty in defs.iter_mut().flat_map(|def| def.kind.uses_mut()) {
            renumber(ty, &moved);
        }
        crate::lower::cycles::break_cycles(&mut defs);
        crate::lower::cycles::mark_defaults(&mut defs);
        LoweredTypes { defs, components, moved }
    }
}

/// Points `ty` at where its type moved: `moved[old index] = new index`.
pub fn renumber(ty: &mut TypeRef, moved: &[usize]) {
    if let Some(id) = ty.named_mut() {
        *id = id.moved_to(moved[id.index()]);
    }
}

/// The one part of an `allOf` that carries a type, when the others only add
/// `nullable`, a description or similar (`allOf: [$ref, {nullable: true}]`):
/// its index, the part, and whether a modifier made it nullable.
fn single_part<'s>(parts: &[SchemaRef<'s>]) -> Option<(usize, SchemaRef<'s>, bool)> {
    let is_modifier = |part: &SchemaRef<'s>| {
        matches!(part, SchemaRef::Inline(schema)
            if matches!(&schema.schema_kind, openapiv3::SchemaKind::Any(any) if *any == openapiv3::AnySchema::default()))
    };
    let mut real = parts.iter().enumerate().filter(|(_, part)| !is_modifier(part));
    let (index, part) = real.next()?;
    if real.next().is_some() {
        return None;
    }
    let nullable = parts.iter().any(|part| matches!(part, SchemaRef::Inline(schema) if is_modifier(part) && schema.schema_data.nullable));
    Some((index, *part, nullable))
}

/// Keywords no Rust type can check: a warning, and the schema is read without them.
fn warn_unchecked(schema: &Schema, pointer: &str, reporter: &mut Reporter<'_>) {
    let has_not = match &schema.schema_kind {
        openapiv3::SchemaKind::Not { .. } => true,
        openapiv3::SchemaKind::Any(any) => any.not.is_some(),
        _ => false,
    };
    if has_not {
        reporter.warning(&pointer_push(pointer, "not"), "`not` is not checked; the schema is read without it");
    }
}

fn option(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Option(_) | TypeRef::Json => ty,
        other => TypeRef::Option(Box::new(other)),
    }
}

fn string_type(kind: StringKind) -> TypeRef {
    match kind {
        StringKind::Plain => TypeRef::String,
        StringKind::Date => TypeRef::Date,
        StringKind::DateTime => TypeRef::DateTime,
        StringKind::Uuid => TypeRef::Uuid,
    }
}
