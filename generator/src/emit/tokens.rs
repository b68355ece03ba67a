//! Small token helpers shared by the emitters.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::TypeRef;

/// An identifier; `r#type` style names become raw identifiers.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Where a type is written from, which decides how named types are reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Inside the `types` module.
    Types,
    /// Inside `operations`, which imports `types`.
    Operations,
}

/// The Rust type of a use.
pub fn type_tokens(ty: &TypeRef, context: Context) -> TokenStream {
    match ty {
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F64 => quote!(f64),
        TypeRef::String => quote!(String),
        TypeRef::Date => quote!(::chrono::NaiveDate),
        TypeRef::DateTime => quote!(::chrono::DateTime<::chrono::FixedOffset>),
        TypeRef::Uuid => quote!(::uuid::Uuid),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Named(id) => {
            let name = ident(id.name());
            match context {
                Context::Types => quote!(#name),
                Context::Operations => quote!(types::#name),
            }
        }
        TypeRef::Vec(item) => {
            let item = type_tokens(item, context);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens(value, context);
            quote!(::std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Option(inner) => {
            let inner = type_tokens(inner, context);
            quote!(Option<#inner>)
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens(inner, context);
            quote!(Box<#inner>)
        }
    }
}

