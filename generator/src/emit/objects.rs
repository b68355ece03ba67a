//! The serde impls of the structs of the `types` module, written out.
//!
//! serde's derive expands to several visitors per struct and a wrapper type
//! per `with` field; on a spec with thousands of schemas that expansion was
//! half of `cargo check`'s time and memory. These impls read a JSON object as
//! a map, field by field, through the runtime's `object` helpers, and write it
//! as a map: the same JSON in both directions as the derive, for a third of
//! the code.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::settings::Runtime;
use crate::emit::tokens::ident;
use crate::ir::{Field, TypeRef};

/// How a field is read: what its slot becomes once the object is read.
enum Presence {
    /// Required and not nullable: missing is an error.
    Required,
    /// `Option<T>`: missing and `null` are both `None`.
    Optional,
    /// Optional and nullable, `Option<Option<T>>`: missing is `None`, `null`
    /// is `Some(None)`.
    OptionalNullable,
}

fn presence(field: &Field) -> Presence {
    match (&field.ty, field.required) {
        (TypeRef::Option(_), false) => Presence::OptionalNullable,
        (_, false) | (TypeRef::Option(_), true) => Presence::Optional,
        (_, true) => Presence::Required,
    }
}

/// `FromObject`, `Deserialize` and `Serialize` for the struct `name`.
/// `additional` says whether it keeps unknown properties in
/// `additional_properties`. `runtime` as reached from where the struct is.
pub fn serde_impls(name: &Ident, fields: &[Field], additional: bool, runtime: Runtime) -> TokenStream {
    let runtime = runtime.tokens();
    let expecting = format!("an object ({name})");
    // The reader and the key must not be taken by a field's slot.
    let reader = free_name("fields", fields);
    let key = free_name("key", fields);
    let slots: Vec<Ident> = fields.iter().map(|field| ident(&field.ident)).collect();
    let wires: Vec<Literal> = fields.iter().map(|field| Literal::string(&field.wire)).collect();
    let additional_slot = additional.then(|| quote!(let mut additional_properties = ::std::collections::BTreeMap::new();));
    let read_unknown = if additional {
        quote!(#reader.keep(#key, &mut additional_properties)?)
    } else {
        quote!(#reader.skip()?)
    };
    let read_loop = if fields.is_empty() && additional {
        quote! {
            while let Some(#key) = #reader.next_name()? {
                #read_unknown;
            }
        }
    } else if fields.is_empty() {
        quote! {
            while #reader.next_name()?.is_some() {
                #read_unknown;
            }
        }
    } else {
        quote! {
            while let Some(#key) = #reader.next_name()? {
                match #key.as_str() {
                    #(#wires => #reader.read(&mut #slots, #wires)?,)*
                    _ => #read_unknown,
                }
            }
        }
    };
    let finish = fields.iter().zip(&slots).zip(&wires).map(|((field, slot), wire)| match presence(field) {
        Presence::Required => quote!(#slot: #reader.required(#slot, #wire)?,),
        Presence::Optional => quote!(#slot: #slot.flatten(),),
        Presence::OptionalNullable => quote!(#slot,),
    });
    let finish_additional = additional.then(|| quote!(additional_properties,));

    // A required field is always written, `null` included; an optional one
    // only when set.
    let writes = fields.iter().zip(&slots).zip(&wires).map(|((field, slot), wire)| {
        if field.required {
            quote!(map.serialize_entry(#wire, &self.#slot)?;)
        } else {
            quote!(#runtime::optional_entry(&mut map, #wire, &self.#slot)?;)
        }
    });
    let write_additional = additional.then(|| {
        quote! {
            for (name, value) in &self.additional_properties {
                map.serialize_entry(name, value)?;
            }
        }
    });

    let write_body = if fields.is_empty() && !additional {
        quote! {
            use ::serde::ser::SerializeMap as _;
            serializer.serialize_map(Some(0))?.end()
        }
    } else {
        quote! {
            use ::serde::ser::SerializeMap as _;
            let mut map = serializer.serialize_map(None)?;
            #(#writes)*
            #write_additional
            map.end()
        }
    };

    quote! {
        impl<'de> #runtime::FromObject<'de> for #name {
            const EXPECTING: &'static str = #expecting;

            fn from_object<A: ::serde::de::MapAccess<'de>>(
                mut #reader: #runtime::Fields<A>,
            ) -> ::std::result::Result<Self, A::Error> {
                #(let mut #slots = None;)*
                #additional_slot
                #read_loop
                Ok(Self { #(#finish)* #finish_additional })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                #runtime::deserialize_object(deserializer)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                #write_body
            }
        }
    }
}

/// `base`, or `base_`, `base__`… if a field is named so.
fn free_name(base: &str, fields: &[Field]) -> Ident {
    let mut name = base.to_owned();
    while fields.iter().any(|field| field.ident.trim_start_matches("r#") == name) {
        name.push('_');
    }
    format_ident!("{name}")
}
