//! Constructors and setters. Structs are `#[non_exhaustive]`, so these are how
//! code outside the crate builds them: a struct with required fields gets
//! `new`, taking exactly the required fields the spec gives no default; one
//! without implements `Default` instead. Every field `new` does not take gets
//! a chained setter taking the plain value.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::emit::tokens::{Context, ident, type_tokens};
use crate::ir::{Field, FieldDefault, TypeRef};

/// The `impl` block of a struct: `new` unless it derives `Default`, and the
/// setters; nothing for a struct with neither.
pub fn constructor_impl(
    name: &Ident,
    fields: &[Field],
    additional: bool,
    derives_default: bool,
) -> TokenStream {
    let setters: Vec<TokenStream> = fields.iter().filter(|f| !takes(f)).map(setter).collect();
    if derives_default {
        if setters.is_empty() {
            return TokenStream::new();
        }
        return quote! {
            impl #name {
                #(#setters)*
            }
        };
    }
    let arguments: Vec<&Field> = fields.iter().filter(|f| takes(f)).collect();
    let params = arguments.iter().map(|field| {
        let name = ident(&field.ident);
        let ty = argument_type(&field.ty);
        quote!(#name: #ty)
    });
    let inits = fields.iter().map(|field| {
        let name = ident(&field.ident);
        if !field.required {
            quote!(#name: None,)
        } else if field.default != FieldDefault::None {
            // The spec's default, which `Default` reproduces for this field.
            quote!(#name: ::std::default::Default::default(),)
        } else {
            match &field.ty {
                TypeRef::String | TypeRef::Boxed(_) => {
                    let value = argument_value(&field.ty, &name);
                    quote!(#name: #value,)
                }
                _ => quote!(#name,),
            }
        }
    });
    let additional = additional.then(|| quote!(additional_properties: ::std::collections::BTreeMap::new(),));
    let listed: Vec<String> = arguments.iter().map(|f| format!("`{}`", f.ident.trim_start_matches("r#"))).collect();
    let doc = match (listed.is_empty(), setters.is_empty()) {
        (true, _) => String::from(" A value with every optional field unset; set them with the chained setters."),
        (false, true) => format!(" A value from its required fields ({}).", listed.join(", ")),
        (false, false) => {
            format!(" A value from its required fields ({}); set the others with the chained setters.", listed.join(", "))
        }
    };
    // Clippy's threshold; a spec with more required fields gets them all.
    let allow_many = (arguments.len() > 7)
        .then(|| quote!(#[allow(clippy::too_many_arguments, reason = "one argument per required field of the spec")]));
    quote! {
        impl #name {
            #[doc = #doc]
            #allow_many
            pub fn new(#(#params),*) -> Self {
                Self {
                    #(#inits)*
                    #additional
                }
            }

            #(#setters)*
        }
    }
}

/// Whether `new` takes the field as an argument: required, with no default.
fn takes(field: &Field) -> bool {
    field.required && field.default == FieldDefault::None
}

/// A chained setter for a field `new` does not take, named after it
/// (`with_<field>` when that would clash with another method).
fn setter(field: &Field) -> TokenStream {
    let field_name = ident(&field.ident);
    let method = ident(&field.setter);
    let doc = format!(" Sets `{}`.", field.wire.replace('`', "'"));
    let deprecated = field.deprecated.then(|| quote!(#[deprecated(note = "the API marks this field deprecated")]));
    let (ty, value) = match &field.ty {
        // Required with a default: the setter replaces the default.
        ty if field.required => (argument_type(ty), argument_value(ty, &quote::format_ident!("value"))),
        // Optional and nullable: the setter sets a value; `None` stays "absent".
        TypeRef::Option(inner) => {
            let value = argument_value(inner, &quote::format_ident!("value"));
            (argument_type(inner), quote!(Some(Some(#value))))
        }
        other => {
            let value = argument_value(other, &quote::format_ident!("value"));
            (argument_type(other), quote!(Some(#value)))
        }
    };
    quote! {
        #[doc = #doc]
        #deprecated
        pub fn #method(mut self, value: #ty) -> Self {
            self.#field_name = #value;
            self
        }
    }
}

/// How a field's value is taken: strings as `impl Into<String>`, boxed values
/// unboxed, everything else as it is.
fn argument_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(impl Into<String>),
        TypeRef::Boxed(inner) => type_tokens(inner, Context::Types),
        other => type_tokens(other, Context::Types),
    }
}

/// The field's value made from an argument taken by [`argument_type`].
fn argument_value(ty: &TypeRef, name: &Ident) -> TokenStream {
    match ty {
        TypeRef::String => quote!(#name.into()),
        TypeRef::Boxed(_) => quote!(Box::new(#name)),
        _ => quote!(#name),
    }
}
