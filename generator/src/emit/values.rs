//! JSON example values → Rust expressions building them with the generated
//! types (constructors, setters, enum variants), for the
//! examples in the docs; and sample JSON for a type the spec gives no example of.
//!
//! What has no plain Rust spelling (unions, an enum value the type does not
//! know, a struct whose example sets something no setter reaches) is decoded
//! from its JSON with `serde_json::from_value(json!(…))?`, which builds the
//! same value.


use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::emit::tokens::{Context, ident, type_tokens};
use crate::ir::{Api, Field, FieldDefault, Tagging, TypeDef, TypeId, TypeKind, TypeRef};

/// How deep samples of nested required fields go before giving up (cycles).
const SAMPLE_DEPTH: usize = 8;

/// The types of one API, and the path of the crate that re-exports `serde_json`.
pub struct Values<'a> {
    types: &'a [TypeDef],
    krate: TokenStream,
}

impl<'a> Values<'a> {
    /// Values of `api`'s types; `krate` is the crate's name as code writes it.
    pub fn new(api: &'a Api, krate: &str) -> Self {
        let krate = ident(krate);
        Values { types: &api.types, krate: quote!(#krate) }
    }

    fn kind(&self, id: &TypeId) -> Option<&'a TypeKind> {
        self.types.get(id.index()).map(|def| &def.kind)
    }

    /// `value` as a Rust expression of type `ty`; `into` when the place takes
    /// `impl Into<String>`, where a string literal will do.
    pub fn expr(&self, ty: &TypeRef, value: &Value, into: bool) -> TokenStream {
        match (ty, value) {
            (TypeRef::Bool, Value::Bool(b)) => quote!(#b),
            (TypeRef::I32 | TypeRef::I64, Value::Number(n)) if n.as_i64().is_some() => number(n.as_i64().unwrap_or(0)),
            (TypeRef::F64, Value::Number(n)) => {
                let float = n.as_f64().unwrap_or(0.0);
                if float < 0.0 {
                    let magnitude = Literal::f64_unsuffixed(-float);
                    quote!(-#magnitude)
                } else {
                    let literal = Literal::f64_unsuffixed(float);
                    quote!(#literal)
                }
            }
            (TypeRef::String, Value::String(text)) if into => quote!(#text),
            (TypeRef::String, Value::String(text)) => quote!(#text.to_owned()),
            (TypeRef::Date | TypeRef::DateTime | TypeRef::Uuid, Value::String(text)) => quote!(#text.parse()?),
            (TypeRef::Json, value) => {
                let krate = &self.krate;
                let json = json_tokens(value);
                quote!(#krate::serde_json::json!(#json))
            }
            (TypeRef::Vec(_), Value::Array(items)) if items.is_empty() => quote!(Vec::new()),
            // `Vec::from([..])` rather than `vec![..]`: the formatter lays out
            // an array, but leaves a macro's insides on as few lines as it can.
            (TypeRef::Vec(item), Value::Array(items)) => {
                let items = items.iter().map(|item_value| self.expr(item, item_value, false));
                quote!(Vec::from([#(#items),*]))
            }
            (TypeRef::Map(inner), Value::Object(entries)) if entries.is_empty() => {
                let _ = inner;
                quote!(::std::collections::BTreeMap::new())
            }
            (TypeRef::Map(inner), Value::Object(entries)) => {
                let entries = entries.iter().map(|(key, entry)| {
                    let entry = self.expr(inner, entry, false);
                    quote!((#key.to_owned(), #entry))
                });
                quote!(::std::collections::BTreeMap::from([#(#entries),*]))
            }
            (TypeRef::Option(_), Value::Null) => quote!(None),
            (TypeRef::Option(inner), value) => {
                let inner = self.expr(inner, value, false);
                quote!(Some(#inner))
            }
            (TypeRef::Boxed(inner), value) => {
                let inner = self.expr(inner, value, false);
                quote!(Box::new(#inner))
            }
            (TypeRef::Named(id), value) => self.named(ty, id, value).unwrap_or_else(|| self.decoded(ty, value)),
            (ty, value) => self.decoded(ty, value),
        }
    }

    /// A named type built in Rust, where it has a plain spelling.
    fn named(&self, ty: &TypeRef, id: &TypeId, value: &Value) -> Option<TokenStream> {
        let path = type_tokens(ty, Context::Operations);
        match (self.kind(id)?, value) {
            (TypeKind::Alias(target), value) => Some(self.expr(target, value, false)),
            (TypeKind::StringEnum { variants, .. }, Value::String(wire)) => {
                let variant = ident(&variants.iter().find(|v| &v.wire == wire)?.ident);
                Some(quote!(#path::#variant))
            }
            (TypeKind::IntEnum { variants }, Value::Number(n)) => {
                let variant = ident(&variants.iter().find(|v| Some(v.value) == n.as_i64())?.ident);
                Some(quote!(#path::#variant))
            }
            (TypeKind::Struct { fields, additional, default }, Value::Object(given)) => {
                if given.keys().any(|key| !fields.iter().any(|f| &f.wire == key)) {
                    // Keys for the flattened map of further properties, or unknown ones.
                    let _ = additional;
                    return None;
                }
                let set = |field: &Field| given.get(&field.wire);
                Some(self.constructed(&path, fields, *default, &set))
            }
            _ => None,
        }
    }

    /// `T::new(required…)` (or `T::default()` for a type deriving `Default`)
    /// followed by `.setter(value)` for each other field the example sets:
    /// the types are `#[non_exhaustive]`, so code outside the crate cannot use
    /// a struct literal.
    fn constructed<'v>(
        &self,
        path: &TokenStream,
        fields: &[Field],
        derives_default: bool,
        set: &dyn Fn(&Field) -> Option<&'v Value>,
    ) -> TokenStream {
        let taken = |field: &Field| field.required && field.default == FieldDefault::None;
        let arguments = fields.iter().filter(|f| taken(f)).map(|field| {
            let value = set(field).cloned().unwrap_or_else(|| self.sample(&field.ty));
            self.argument(&field.ty, &value)
        });
        let setters = fields.iter().filter(|f| !taken(f)).filter_map(|field| {
            let value = set(field)?;
            let method = ident(&field.setter);
            let value = match (&field.ty, value) {
                // A required field with a default: its setter takes the field's own type.
                (ty, value) if field.required => self.argument(ty, value),
                // The setter of a nullable field takes the value; null is its absence.
                (TypeRef::Option(_), Value::Null) => return None,
                (TypeRef::Option(inner), value) => self.argument(inner, value),
                (ty, value) => self.argument(ty, value),
            };
            Some(quote!(.#method(#value)))
        });
        let head = if derives_default { quote!(#path::default()) } else { quote!(#path::new(#(#arguments),*)) };
        quote!(#head #(#setters)*)
    }

    /// A value as constructors and setters take it: strings as `impl Into<String>`, boxes unboxed.
    fn argument(&self, ty: &TypeRef, value: &Value) -> TokenStream {
        match ty {
            TypeRef::Boxed(inner) => self.expr(inner, value, false),
            ty => self.expr(ty, value, true),
        }
    }

    /// `serde_json::from_value(json!(…))?`: the value decoded from its JSON.
    fn decoded(&self, ty: &TypeRef, value: &Value) -> TokenStream {
        let krate = &self.krate;
        let ty = type_tokens(ty, Context::Operations);
        let json = json_tokens(value);
        quote!(#krate::serde_json::from_value::<#ty>(#krate::serde_json::json!(#json))?)
    }

    /// A small JSON value of type `ty`, for places the spec gives no example.
    pub fn sample(&self, ty: &TypeRef) -> Value {
        self.sample_at(ty, 0)
    }

    fn sample_at(&self, ty: &TypeRef, depth: usize) -> Value {
        if depth > SAMPLE_DEPTH {
            return Value::Null;
        }
        match ty {
            TypeRef::Bool => Value::Bool(false),
            TypeRef::I32 | TypeRef::I64 => Value::from(1),
            TypeRef::F64 => Value::from(1.5),
            TypeRef::String => Value::from("string"),
            TypeRef::Date => Value::from("2024-01-31"),
            TypeRef::DateTime => Value::from("2024-01-31T12:00:00Z"),
            TypeRef::Uuid => Value::from("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
            TypeRef::Json | TypeRef::Map(_) => Value::Object(serde_json::Map::new()),
            // One item at the top: an empty array is not a value everywhere (a path
            // segment, say). Deeper down, none, so that a tree of types ends.
            TypeRef::Vec(item) if depth == 0 => Value::Array(vec![self.sample_at(item, depth + 1)]),
            TypeRef::Vec(_) => Value::Array(Vec::new()),
            TypeRef::Option(_) => Value::Null,
            TypeRef::Boxed(inner) => self.sample_at(inner, depth + 1),
            TypeRef::Named(id) => match self.kind(id) {
                Some(TypeKind::Alias(target) | TypeKind::Newtype(target)) => self.sample_at(target, depth + 1),
                Some(TypeKind::Struct { fields, .. }) => Value::Object(
                    fields
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| (f.wire.clone(), self.sample_at(&f.ty, depth + 1)))
                        .collect(),
                ),
                Some(TypeKind::StringEnum { variants, .. }) => {
                    Value::from(variants.first().map_or("value", |v| v.wire.as_str()))
                }
                Some(TypeKind::IntEnum { variants }) => Value::from(variants.first().map_or(0, |v| v.value)),
                Some(TypeKind::Union { tagging, variants }) => {
                    let Some(first) = variants.first() else { return Value::Null };
                    let mut sample = self.sample_at(&first.ty, depth + 1);
                    if let (Tagging::Internal { property }, Value::Object(object), Some(tag)) =
                        (tagging, &mut sample, first.tags.first())
                    {
                        object.insert(property.clone(), Value::from(tag.as_str()));
                    }
                    sample
                }
                None => Value::Null,
            },
        }
    }
}

fn number(n: i64) -> TokenStream {
    let magnitude = Literal::u64_unsuffixed(n.unsigned_abs());
    if n < 0 { quote!(-#magnitude) } else { quote!(#magnitude) }
}

/// The tokens of `json!` writing `value`.
fn json_tokens(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(null),
        Value::Bool(b) => quote!(#b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => {
                let literal = Literal::u64_unsuffixed(u);
                quote!(#literal)
            }
            (None, Some(i), _) => number(i),
            (None, None, Some(f)) if f < 0.0 => {
                let magnitude = Literal::f64_unsuffixed(-f);
                quote!(-#magnitude)
            }
            (None, None, f) => {
                let literal = Literal::f64_unsuffixed(f.unwrap_or(0.0));
                quote!(#literal)
            }
        },
        Value::String(text) => quote!(#text),
        Value::Array(items) => {
            let items = items.iter().map(json_tokens);
            quote!([#(#items),*])
        }
        Value::Object(entries) => {
            let entries = entries.iter().map(|(key, value)| {
                let value = json_tokens(value);
                quote!(#key: #value)
            });
            quote!({ #(#entries),* })
        }
    }
}
