//! IR operation → what the stand-in knows of it: the `OperationSpec`
//! constant (method, path, parameters, body, credentials, pages) and how its
//! request body is typed and decoded.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::tokens::{Context, type_tokens};
use crate::ir::{
    Api, ApiKeyLocation, AuthKind, BodyKind, CursorTarget, FieldStep, Operation, OutcomeType, PageStyle, ParamLocation,
    PathPart, Payload, StatusMatch, TypeKind, TypeRef,
};

/// The request body's Rust type as the stand-in decodes it, and the runtime
/// function decoding it.
pub(super) fn body_type(op: &Operation) -> (TokenStream, TokenStream) {
    let Some(body) = &op.body else {
        return (quote!(()), quote!(empty));
    };
    let typed = |ty: &TypeRef, required: TokenStream, optional: TokenStream| {
        let ty = type_tokens(ty, Context::Operations);
        if body.required { (ty, required) } else { (quote!(Option<#ty>), optional) }
    };
    match &body.kind {
        BodyKind::Json(ty) => typed(ty, quote!(json), quote!(optional_json)),
        BodyKind::Form(ty) => typed(ty, quote!(form), quote!(optional_form)),
        BodyKind::Text(_) => (quote!(String), quote!(text)),
        BodyKind::Multipart | BodyKind::Binary(_) => (quote!(::bytes::Bytes), quote!(bytes)),
    }
}

/// The `OperationSpec` of `op`, reached through `runtime` (`crate::runtime::mock`).
pub(super) fn operation_spec(api: &Api, op: &Operation, stub: &str, mock: &TokenStream) -> TokenStream {
    let id = &op.id;
    let method = &op.http_method;
    let segments = op.path.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(#mock::Segment::Literal(#text)),
        PathPart::Param(index) => {
            let wire = &op.params[*index].wire;
            quote!(#mock::Segment::Param(#wire))
        }
    });
    let params = op.params.iter().filter_map(|param| {
        let location = location(param.location, mock)?;
        let (name, required) = (&param.wire, param.required);
        Some(quote!(#mock::ParamSpec { name: #name, location: #location, required: #required }))
    });
    let marker = crate::emit::tokens::ident(&op.builder);
    let body = match &op.body {
        Some(body) => {
            let required = body.required;
            let type_name = match &body.kind {
                BodyKind::Json(ty) | BodyKind::Form(ty) => type_name(ty),
                BodyKind::Text(media) | BodyKind::Binary(media) => media.clone(),
                BodyKind::Multipart => String::from("multipart/form-data"),
            };
            quote!(Some(#mock::BodySpec { required: #required, type_name: #type_name, check: #mock::checked::<markers::#marker> }))
        }
        None => quote!(None),
    };
    let alternatives = op.security.iter().map(|alternative| {
        let needs = alternative.iter().filter_map(|&index| api.security_schemes.get(index)).map(|scheme| match &scheme.kind {
            AuthKind::Basic => quote!(#mock::Needs::Authorization("Basic")),
            AuthKind::Bearer => quote!(#mock::Needs::Authorization("Bearer")),
            AuthKind::ApiKey { location, name, prefix } => {
                let location = match location {
                    ApiKeyLocation::Header => quote!(#mock::Location::Header),
                    ApiKeyLocation::Query => quote!(#mock::Location::Query),
                    ApiKeyLocation::Cookie => quote!(#mock::Location::Cookie),
                };
                let prefix = prefix.as_deref().unwrap_or("");
                quote!(#mock::Needs::Key(#location, #name, #prefix))
            }
            AuthKind::BodySignature { header, .. } => quote!(#mock::Needs::Key(#mock::Location::Header, #header, "")),
        });
        quote!(&[#(#needs),*])
    });
    let pages = match page_spec(api, op, mock) {
        Some(pages) => quote!(Some(#pages)),
        None => quote!(None),
    };
    quote! {
        &#mock::OperationSpec {
            id: #id,
            stub: #stub,
            method: #method,
            path: &[#(#segments),*],
            params: &[#(#params),*],
            body: #body,
            security: &[#(#alternatives),*],
            pages: #pages,
        }
    }
}

fn location(location: ParamLocation, mock: &TokenStream) -> Option<TokenStream> {
    match location {
        ParamLocation::Path => None,
        ParamLocation::Query => Some(quote!(#mock::Location::Query)),
        ParamLocation::Header => Some(quote!(#mock::Location::Header)),
        ParamLocation::Cookie => Some(quote!(#mock::Location::Cookie)),
    }
}

/// A type's name for messages: `SessionCreate`, `Vec<String>`.
fn type_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => id.name().to_owned(),
        other => type_tokens(other, Context::Types).to_string().replace(' ', ""),
    }
}

/// The success body's type of a paginated operation, when it is one JSON type.
pub(super) fn page_type(op: &Operation) -> Option<&TypeRef> {
    op.pagination.as_ref()?;
    match &op.success.ty {
        OutcomeType::Single(Payload::Json(ty)) => Some(ty),
        _ => None,
    }
}

/// The `PageSpec` of a paginated operation whose pointers all lead through
/// structs (so their JSON names are known).
fn page_spec(api: &Api, op: &Operation, mock: &TokenStream) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    let success = page_type(op)?;
    let status = op.success.arms.iter().find_map(|arm| match arm.status {
        StatusMatch::Code(code) => Some(code),
        StatusMatch::Range(start) => Some(start),
        StatusMatch::Default => None,
    });
    let status = Literal::u16_unsuffixed(status.unwrap_or(200));
    let items = wire_path(api, success, &pagination.items)?;
    let style = match &pagination.style {
        PageStyle::PageNumber { param, first, has_more } => {
            let param = &op.params.get(*param)?.wire;
            let has_more = match has_more {
                Some(steps) => {
                    let path = wire_path(api, success, steps)?;
                    quote!(Some(&[#(#path),*]))
                }
                None => quote!(None),
            };
            let first = Literal::i64_unsuffixed(*first);
            quote!(#mock::PageStyle::Number { param: #param, first: #first, has_more: #has_more })
        }
        PageStyle::Cursor { target, next } => {
            let target = match target {
                CursorTarget::Param(index) => {
                    let param = op.params.get(*index)?;
                    let location = location(param.location, mock)?;
                    let wire = &param.wire;
                    quote!(#mock::CursorIn::Param(#location, #wire))
                }
                CursorTarget::BodyField(field) => quote!(#mock::CursorIn::BodyField(#field)),
            };
            let next = wire_path(api, success, next)?;
            quote!(#mock::PageStyle::Cursor { target: #target, next: &[#(#next),*] })
        }
    };
    Some(quote!(#mock::PageSpec { status: #status, items: &[#(#items),*], style: #style }))
}

/// The JSON property names along `steps` (Rust field names) from `start`.
fn wire_path(api: &Api, start: &TypeRef, steps: &[FieldStep]) -> Option<Vec<String>> {
    let mut at = start;
    let mut path = Vec::with_capacity(steps.len());
    for step in steps {
        let def = api.types.get(unwrapped(at)?.index())?;
        let TypeKind::Struct { fields, .. } = &def.kind else { return None };
        let field = fields.iter().find(|field| field.ident == step.ident)?;
        path.push(field.wire.clone());
        at = &field.ty;
    }
    Some(path)
}

/// The named type under `Option`s and `Box`es.
fn unwrapped(ty: &TypeRef) -> Option<&crate::ir::TypeId> {
    match ty {
        TypeRef::Named(id) => Some(id),
        TypeRef::Option(inner) | TypeRef::Boxed(inner) => unwrapped(inner),
        _ => None,
    }
}
