//! IR types → the `types` module.
//!
//! Structs and enums are `#[non_exhaustive]`: a field, enum value or union
//! variant the spec adds later is then an addition for the code built on the
//! crate too, where a struct literal or an exhaustive `match` would stop
//! compiling. Structs are built with `new`/`Default` and setters instead.
//! Newtypes stay open to `Type(value)`: a wrapped value never gains a field.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::constructors::constructor_impl;
use crate::emit::docs::doc_attrs;
use crate::emit::objects::serde_impls;
use crate::emit::settings::Runtime;
use crate::emit::tokens::{Context, ident, type_tokens};
use crate::ir::{EnumVariant, Field, IntVariant, Tagging, TypeDef, TypeKind, TypeRef, UnionVariant};

/// The items of one type of the `types` module: the type and its impls;
/// `runtime` as reached from where the type is.
pub fn render(def: &TypeDef, runtime: Runtime) -> TokenStream {
    let docs = doc_attrs(def.doc.as_deref());
    let deprecated = def.deprecated.then(|| quote!(#[deprecated(note = "the API marks this type deprecated")]));
    let name = ident(&def.name);
    let body = match &def.kind {
        TypeKind::Struct { fields, additional, default } => structure(&name, fields, additional.as_ref(), *default, runtime),
        TypeKind::StringEnum { variants, default } => string_enum(&name, variants, *default),
        TypeKind::IntEnum { variants } => int_enum(&name, variants),
        TypeKind::Union { tagging, variants } => union(&name, tagging, variants),
        TypeKind::Alias(ty) => {
            let ty = type_tokens(ty, Context::Types);
            quote! { pub type #name = #ty; }
        }
        TypeKind::Newtype(ty) => {
            let ty = type_tokens(ty, Context::Types);
            quote! {
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
    };
    quote! { #docs #deprecated #body }
}

fn structure(
    name: &proc_macro2::Ident,
    fields: &[Field],
    additional: Option<&TypeRef>,
    default: bool,
    runtime: Runtime,
) -> TokenStream {
    let derive_default = default.then(|| quote!(, Default));
    let constructor = constructor_impl(name, fields, additional.is_some(), default);
    let declarations = fields.iter().map(|field| {
        let docs = doc_attrs(field.doc.as_deref());
        let deprecated = field.deprecated.then(|| quote!(#[deprecated(note = "the API marks this field deprecated")]));
        let field_name = ident(&field.ident);
        let ty = match (&field.ty, field.required) {
            (ty, true) => type_tokens(ty, Context::Types),
            // Optional and nullable: absent (`None`), null (`Some(None)`) and a
            // value (`Some(Some(_))`) mean different things to the server.
            (TypeRef::Option(inner), false) => {
                let inner = type_tokens(inner, Context::Types);
                quote!(Option<Option<#inner>>)
            }
            (ty, false) => {
                let ty = type_tokens(ty, Context::Types);
                quote!(Option<#ty>)
            }
        };
        quote! { #docs #deprecated pub #field_name: #ty, }
    });
    let additional_field = additional.map(|value| {
        let value = type_tokens(value, Context::Types);
        quote! {
            /// Properties not described by the spec, kept as received.
            pub additional_properties: ::std::collections::BTreeMap<String, #value>,
        }
    });
    let serde_impls = serde_impls(name, fields, additional.is_some(), runtime);
    quote! {
        #[derive(Debug, Clone, PartialEq #derive_default)]
        #[non_exhaustive]
        pub struct #name {
            #(#declarations)*
            #additional_field
        }

        #constructor

        #serde_impls
    }
}

/// A string enum open to values added later. Its serde impls are written out
/// rather than derived: a derive with an `untagged` catch-all variant buffers
/// every value and costs rustc about twice as much per enum (measured), and
/// large specs have thousands of enums.
fn string_enum(name: &proc_macro2::Ident, variants: &[EnumVariant], default: Option<usize>) -> TokenStream {
    let derive_default = default.is_some().then(|| quote!(Default,));
    let declared = variants.iter().enumerate().map(|(index, v)| {
        let variant = ident(&v.ident);
        let shown = if v.wire.is_empty() { String::from("The empty string.") } else { format!("`{}`", v.wire.replace('`', "'")) };
        let docs = doc_attrs(Some(&shown));
        let is_default = (default == Some(index)).then(|| quote!(#[default]));
        quote! { #docs #is_default #variant, }
    });
    let to_wire = variants.iter().map(|v| {
        let (variant, wire) = (ident(&v.ident), &v.wire);
        quote! { Self::#variant => #wire, }
    });
    let from_wire = variants.iter().map(|v| {
        let (variant, wire) = (ident(&v.ident), &v.wire);
        quote! { #wire => Self::#variant, }
    });
    quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, #derive_default)]
        #[non_exhaustive]
        pub enum #name {
            #(#declared)*
            /// A value this client does not know yet, kept as received.
            Unknown(String),
        }
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    Self::Unknown(other) => other,
                }
            }
        }
        impl ::std::convert::From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #(#from_wire)*
                    _ => Self::Unknown(value),
                }
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <String as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

fn int_enum(name: &proc_macro2::Ident, variants: &[IntVariant]) -> TokenStream {
    let declared = variants.iter().map(|v| {
        let docs = doc_attrs(v.doc.as_deref().or(Some(&format!("`{}`", v.value))));
        let variant = ident(&v.ident);
        quote! { #docs #variant, }
    });
    let from_int = variants.iter().map(|v| {
        let variant = ident(&v.ident);
        let value = Literal::i64_unsuffixed(v.value);
        quote! { #value => Self::#variant, }
    });
    let to_int = variants.iter().map(|v| {
        let variant = ident(&v.ident);
        let value = Literal::i64_unsuffixed(v.value);
        quote! { #name::#variant => #value, }
    });
    quote! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(from = "i64", into = "i64")]
        #[non_exhaustive]
        pub enum #name {
            #(#declared)*
            /// A value this client does not know yet, kept as received.
            Unknown(i64),
        }
        impl ::std::convert::From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#from_int)*
                    other => Self::Unknown(other),
                }
            }
        }
        impl ::std::convert::From<#name> for i64 {
            fn from(value: #name) -> Self {
                match value {
                    #(#to_int)*
                    #name::Unknown(other) => other,
                }
            }
        }
    }
}

fn union(name: &proc_macro2::Ident, tagging: &Tagging, variants: &[UnionVariant]) -> TokenStream {
    let declared = variants.iter().map(|v| {
        let variant = ident(&v.ident);
        let ty = type_tokens(&v.ty, Context::Types);
        quote! { #variant(#ty), }
    });
    match tagging {
        Tagging::Untagged => quote! {
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum #name {
                #(#declared)*
            }
        },
        Tagging::Internal { property } => {
            let arms = variants.iter().filter(|v| !v.tags.is_empty()).map(|v| {
                let variant = ident(&v.ident);
                let tags = &v.tags;
                let wrap = match &v.ty {
                    TypeRef::Boxed(_) => quote!(|value| Self::#variant(Box::new(value))),
                    _ => quote!(Self::#variant),
                };
                quote! { Some(#(#tags)|*) => ::serde_json::from_value(value).map(#wrap), }
            });
            let deserializer = format_ident!("deserializer");
            quote! {
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
                #[serde(untagged)]
                #[non_exhaustive]
                pub enum #name {
                    #(#declared)*
                    /// A variant this client does not know yet, kept as received.
                    Unknown(::serde_json::Value),
                }
                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(#deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        // The discriminator picks the variant; the whole object,
                        // discriminator included, is that variant's body.
                        let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(#deserializer)?;
                        let decoded = match value.get(#property).and_then(::serde_json::Value::as_str) {
                            #(#arms)*
                            _ => return Ok(Self::Unknown(value)),
                        };
                        decoded.map_err(<D::Error as ::serde::de::Error>::custom)
                    }
                }
            }
        }
    }
}
