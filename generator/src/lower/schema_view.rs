//! A normalized view of an OpenAPI schema.
//!
//! `openapiv3` splits schemas into typed variants and a catch-all `AnySchema`
//! for mixtures (`type: object` beside `allOf`, `enum` without `type`…). This
//! folds both into one shape so the type lowering has a single match.

use openapiv3::{
    AdditionalProperties, ArrayType, IntegerFormat, ObjectType, ReferenceOr, Schema,
    SchemaKind, StringFormat, StringType, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

/// A schema or a reference to one, whichever box it came in.
#[derive(Debug, Clone, Copy)]
pub enum SchemaRef<'s> {
    /// `$ref`.
    Ref(&'s str),
    /// An inline schema.
    Inline(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for SchemaRef<'s> {
    fn from(item: &'s ReferenceOr<Schema>) -> Self {
        match item {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for SchemaRef<'s> {
    fn from(item: &'s ReferenceOr<Box<Schema>>) -> Self {
        match item {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

/// The string formats clientgen maps to dedicated types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringKind {
    /// No special format.
    Plain,
    /// `date`.
    Date,
    /// `date-time`.
    DateTime,
    /// `uuid`.
    Uuid,
}

/// What a schema describes, whatever variant `openapiv3` put it in.
#[derive(Debug)]
pub enum Shape<'s> {
    /// A string, possibly restricted to `values`.
    String { kind: StringKind, values: Vec<String> },
    /// An integer, possibly restricted to `values`.
    Integer { int32: bool, values: Vec<i64> },
    /// A floating-point number.
    Number,
    /// A boolean.
    Boolean,
    /// An object with known properties and/or a map of further ones.
    Object {
        properties: Vec<(&'s str, SchemaRef<'s>)>,
        required: &'s [String],
        additional: Additional<'s>,
    },
    /// An array.
    Array { items: Option<SchemaRef<'s>> },
    /// `allOf`, with the schema's own properties as an extra part.
    AllOf { parts: Vec<SchemaRef<'s>>, own: Option<Box<Shape<'s>>> },
    /// `oneOf` (`exclusive`) or `anyOf`.
    OneOf { parts: Vec<SchemaRef<'s>>, exclusive: bool },
    /// An `enum` whose values are of several JSON types.
    MixedEnum,
    /// Anything (`{}`, `not`, unknown `type`).
    Any,
}

/// `additionalProperties`.
#[derive(Debug, Clone, Copy, Default)]
pub enum Additional<'s> {
    /// Not given (any other property is allowed, and ignored).
    #[default]
    Unspecified,
    /// `true`.
    Any,
    /// `false`.
    Forbidden,
    /// A schema for the values of further properties.
    Schema(SchemaRef<'s>),
}

fn additional(value: &Option<AdditionalProperties>) -> Additional<'_> {
    match value {
        None => Additional::Unspecified,
        Some(AdditionalProperties::Any(true)) => Additional::Any,
        Some(AdditionalProperties::Any(false)) => Additional::Forbidden,
        Some(AdditionalProperties::Schema(schema)) => Additional::Schema(schema.as_ref().into()),
    }
}

fn string_kind(format: &VariantOrUnknownOrEmpty<StringFormat>) -> StringKind {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => StringKind::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => StringKind::DateTime,
        VariantOrUnknownOrEmpty::Unknown(format) => string_kind_named(format),
        _ => StringKind::Plain,
    }
}

fn string_kind_named(format: &str) -> StringKind {
    match format {
        "date" => StringKind::Date,
        "date-time" => StringKind::DateTime,
        "uuid" => StringKind::Uuid,
        _ => StringKind::Plain,
    }
}

fn object(object: &ObjectType) -> Shape<'_> {
    Shape::Object {
        properties: object.properties.iter().map(|(k, v)| (k.as_str(), v.into())).collect(),
        required: &object.required,
        additional: additional(&object.additional_properties),
    }
}

fn string(string: &StringType) -> Shape<'_> {
    Shape::String {
        kind: string_kind(&string.format),
        values: string.enumeration.iter().flatten().cloned().collect(),
    }
}

fn array(array: &ArrayType) -> Shape<'_> {
    Shape::Array { items: array.items.as_ref().map(SchemaRef::from) }
}

/// Normalizes `schema`.
pub fn shape(schema: &Schema) -> Shape<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => string(s),
        SchemaKind::Type(Type::Integer(i)) => Shape::Integer {
            int32: matches!(i.format, VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32)),
            values: i.enumeration.iter().flatten().copied().collect(),
        },
        SchemaKind::Type(Type::Number(_)) => Shape::Number,
        SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
        SchemaKind::Type(Type::Object(o)) => object(o),
        SchemaKind::Type(Type::Array(a)) => array(a),
        SchemaKind::AllOf { all_of } => {
            Shape::AllOf { parts: all_of.iter().map(SchemaRef::from).collect(), own: None }
        }
        SchemaKind::OneOf { one_of } => {
            Shape::OneOf { parts: one_of.iter().map(SchemaRef::from).collect(), exclusive: true }
        }
        SchemaKind::AnyOf { any_of } => {
            Shape::OneOf { parts: any_of.iter().map(SchemaRef::from).collect(), exclusive: false }
        }
        SchemaKind::Not { .. } => Shape::Any,
        SchemaKind::Any(any) => {
            let has_object_parts = !any.properties.is_empty() || any.additional_properties.is_some();
            let own = || {
                Box::new(Shape::Object {
                    properties: any.properties.iter().map(|(k, v)| (k.as_str(), v.into())).collect(),
                    required: &any.required,
                    additional: additional(&any.additional_properties),
                })
            };
            if !any.all_of.is_empty() {
                Shape::AllOf {
                    parts: any.all_of.iter().map(SchemaRef::from).collect(),
                    own: has_object_parts.then(own),
                }
            } else if !any.one_of.is_empty() || !any.any_of.is_empty() {
                if has_object_parts {
                    // Properties beside `oneOf` apply to every variant; the
                    // properties are the part a client can rely on.
                    *own()
                } else {
                    let exclusive = !any.one_of.is_empty();
                    let parts = if exclusive { &any.one_of } else { &any.any_of };
                    Shape::OneOf { parts: parts.iter().map(SchemaRef::from).collect(), exclusive }
                }
            } else if has_object_parts || any.typ.as_deref() == Some("object") {
                *own()
            } else if any.items.is_some() || any.typ.as_deref() == Some("array") {
                Shape::Array { items: any.items.as_ref().map(SchemaRef::from) }
            } else if !any.enumeration.is_empty() {
                enum_shape(&any.enumeration, any.typ.as_deref(), any.format.as_deref())
            } else {
                match any.typ.as_deref() {
                    Some("string") => Shape::String {
                        kind: any.format.as_deref().map_or(StringKind::Plain, string_kind_named),
                        values: Vec::new(),
                    },
                    Some("integer") => {
                        Shape::Integer { int32: any.format.as_deref() == Some("int32"), values: Vec::new() }
                    }
                    Some("number") => Shape::Number,
                    Some("boolean") => Shape::Boolean,
                    _ => Shape::Any,
                }
            }
        }
    }
}

/// An `enum` that `openapiv3` could not type: all strings, all integers, or mixed.
fn enum_shape<'s>(values: &[Value], typ: Option<&str>, format: Option<&str>) -> Shape<'s> {
    let non_null: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
    if non_null.iter().all(|v| v.is_string()) && typ.is_none_or(|t| t == "string") {
        Shape::String {
            kind: format.map_or(StringKind::Plain, string_kind_named),
            values: non_null.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
        }
    } else if non_null.iter().all(|v| v.is_i64()) && typ.is_none_or(|t| t == "integer") {
        Shape::Integer {
            int32: format == Some("int32"),
            values: non_null.iter().filter_map(|v| v.as_i64()).collect(),
        }
    } else if non_null.iter().all(|v| v.is_number()) && typ.is_none_or(|t| t == "number") {
        Shape::Number
    } else if non_null.iter().all(|v| v.is_boolean()) {
        Shape::Boolean
    } else {
        Shape::MixedEnum
    }
}

/// True when the enum of `schema` lists `null`, which makes it nullable too.
pub fn enum_allows_null(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => s.enumeration.iter().any(Option::is_none),
        SchemaKind::Type(Type::Integer(i)) => i.enumeration.iter().any(Option::is_none),
        SchemaKind::Type(Type::Number(n)) => n.enumeration.iter().any(Option::is_none),
        SchemaKind::Type(Type::Boolean(b)) => b.enumeration.iter().any(Option::is_none),
        SchemaKind::Any(any) => any.enumeration.iter().any(Value::is_null),
        _ => false,
    }
}
