//! Schemas → named Rust types (`TypeDef`) and type uses (`TypeRef`).
//!
//! Two phases, so references never wait on definitions: first every component
//! schema claims its Rust name (document order), then each is lowered; inline
//! schemas claim a name from their context as they are met. A final pass boxes
//! the fields that make types contain themselves and decides which structs can
//! derive `Default`.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use openapiv3::Schema;

use crate::diagnostics::{Reporter, pointer_push};
use crate::ir::{Field, FieldDefault, Tagging, TypeDef, TypeId, TypeKind, TypeRef, UnionVariant};
use crate::lower::enums::{has_varnames, int_enum, string_enum, variant_label};
use crate::lower::docs::schema_doc;
use crate::lower::Pins;
use crate::lower::schema_view::{Additional, SchemaRef, Shape, StringKind, enum_allows_null, shape};
use crate::naming::{Scope, pascal, snake, type_name};
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
    /// The definition of each type, by the order its name was claimed
    /// (`None` until it is defined).
    slots: Vec<Option<TypeDef>>,
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
        self.slots.push(None);
        TypeId::new(self.slots.len() - 1, name)
    }

    /// Records the definition of `id`.
    fn finish_def(&mut self, id: &TypeId, doc: Option<String>, deprecated: bool, kind: TypeKind) {
        self.slots[id.index()] = Some(TypeDef { name: id.name().to_owned(), doc, deprecated, kind });
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

    fn structure(
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
    fn merge(
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

    /// `oneOf`/`anyOf`: an enum with a variant per alternative.
    fn union(
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

    /// Finishes the types: puts them in the order their definitions were
    /// finished (the ids made meanwhile are renumbered), boxes the fields that
    /// make types contain themselves and marks the structs that can derive `Default`.
    pub fn finish(mut self) -> LoweredTypes {
        // A name claimed but never defined cannot happen; were it to, an
        // alias of any JSON value keeps every use valid.
        for index in 0..self.slots.len() {
            if self.slots[index].is_none() {
                let name = self.scope_name(index);
                self.slots[index] = Some(TypeDef { name, doc: None, deprecated: false, kind: TypeKind::Alias(TypeRef::Json) });
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
        let mut defs: Vec<TypeDef> = self.finished.iter().filter_map(|&claimed| self.slots[claimed].take()).collect();
        for ty in defs.iter_mut().flat_map(|def| def.kind.uses_mut()) {
            renumber(ty, &moved);
        }
        crate::lower::cycles::break_cycles(&mut defs);
        crate::lower::cycles::mark_defaults(&mut defs);
        LoweredTypes { defs, components, moved }
    }

    /// The name claimed for the type at `index`, from any use of it.
    fn scope_name(&self, index: usize) -> String {
        let mut known = self.components.values().chain(self.inline.values().filter_map(TypeRef::named));
        known.find(|id| id.index() == index).map_or_else(|| format!("Type{index}"), |id| id.name().to_owned())
    }
}

/// The name of a struct's setter for an optional field: the field's name, or
/// `with_<field>` when that would clash with `new` or another field's name.
fn setter_name(field: &Field, fields: &[Field]) -> String {
    let bare = field.ident.trim_start_matches("r#");
    if bare == "new" || fields.iter().any(|other| other.ident == format!("with_{bare}")) {
        format!("with_{bare}")
    } else {
        field.ident.clone()
    }
}

/// Points `ty` at where its type moved: `moved[old index] = new index`.
pub fn renumber(ty: &mut TypeRef, moved: &[usize]) {
    if let Some(id) = ty.named_mut() {
        *id = id.moved_to(moved[id.index()]);
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
