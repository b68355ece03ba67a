//! JSON example values → Rust expressions building them with the generated
//! types (constructors, setters, enum variants), for the
//! examples in the docs.
//!
//! What has no plain Rust spelling (unions, an enum value the type does not
//! know, a struct whose example sets something no setter reaches) is decoded
//! from its JSON with `serde_json::from_value(json!(…))?`, which builds the
//! same value.


use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::emit::tokens::{Context, ident, type_tokens};
use crate::ir::{Api, Field, FieldDefault, TypeDef, TypeId, TypeKind, TypeRef};

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
            // Examples are values of their types (lowering checks them), so a
            // required field is missing only where it may be: a nullable one.
            let value = set(field).cloned().unwrap_or_default();
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
