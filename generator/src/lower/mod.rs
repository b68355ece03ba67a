//! OpenAPI document → IR. The only place that reads `openapiv3` types after
//! loading; everything it produces is plain data with names already chosen.

mod cycles;
mod enums;
mod dedupe;
mod docs;
mod examples;
mod operations;
mod pagination;
mod routes;
mod schema_view;
pub(crate) mod servers;
mod types;

use std::cell::RefCell;
use std::collections::HashMap;

use openapiv3::{
    APIKeyLocation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema, SecurityScheme as Scheme,
};
use serde::de::DeserializeOwned;
use typed_arena::Arena;

use crate::diagnostics::{Diagnostics, pointer_push};
use crate::ir::{
    Api, AuthKind, Group, ParamLocation, SecurityScheme, TypeDef, TypeKind, TypeRef,
};
use crate::load::Document;
use crate::naming::{Scope, constant, snake};
use crate::resolve::{Resolver, check_references};


/// Owns what lowering deserializes from references into non-component places,
/// so everything lowered can borrow for the same lifetime as the document.
#[derive(Default)]
pub struct Arenas {
    schemas: Arena<Schema>,
    parameters: Arena<Parameter>,
    bodies: Arena<RequestBody>,
    responses: Arena<Response>,
    path_items: Arena<PathItem>,
}

/// What each `$ref` resolved to, by reference: a response or parameter that
/// thousands of operations reference (Microsoft Graph's error response) is
/// deserialized and kept once, not once per use (a profile of Graph showed
/// 260 MB and much of the lowering time spent on such copies).
type Memo<'a, T> = RefCell<HashMap<String, (&'a T, String)>>;

/// The memos of each kind of referenced value.
#[derive(Default)]
pub struct Memos<'a> {
    schemas: Memo<'a, Schema>,
    parameters: Memo<'a, Parameter>,
    bodies: Memo<'a, RequestBody>,
    responses: Memo<'a, Response>,
    path_items: Memo<'a, PathItem>,
}

/// A kind of value lowering resolves references to.
trait Kept: DeserializeOwned + Clone + 'static {
    fn places<'a>(arenas: &'a Arenas, memos: &'a Memos<'a>) -> (&'a Arena<Self>, &'a Memo<'a, Self>);
}

macro_rules! kept {
    ($($ty:ty => $field:ident),*) => {$(
        impl Kept for $ty {
            fn places<'a>(arenas: &'a Arenas, memos: &'a Memos<'a>) -> (&'a Arena<Self>, &'a Memo<'a, Self>) {
                (&arenas.$field, &memos.$field)
            }
        }
    )*};
}
kept!(Schema => schemas, Parameter => parameters, RequestBody => bodies, Response => responses, PathItem => path_items);

/// Resolves references to values that live as long as the document.
#[derive(Clone, Copy)]
pub struct Pins<'a> {
    resolver: Resolver<'a>,
    arenas: &'a Arenas,
    memos: &'a Memos<'a>,
}

impl<'a> Pins<'a> {
    /// The value `item` stands for, with its JSON pointer (see [`Resolver::resolve`]).
    fn resolve<T: Kept>(&self, item: &'a ReferenceOr<T>, pointer: &str) -> Option<(&'a T, String)> {
        match item {
            ReferenceOr::Item(value) => Some((value, pointer.to_owned())),
            ReferenceOr::Reference { reference } => self.reference(reference),
        }
    }

    /// The value a `$ref` points at, with its JSON pointer.
    fn reference<T: Kept>(&self, reference: &str) -> Option<(&'a T, String)> {
        let (arena, memo) = T::places(self.arenas, self.memos);
        if let Some(found) = memo.borrow().get(reference) {
            return Some(found.clone());
        }
        let item = ReferenceOr::<T>::Reference { reference: reference.to_owned() };
        let (value, target) = self.resolver.resolve(&item, "")?;
        let value: &'a T = arena.alloc(value.into_owned());
        memo.borrow_mut().insert(reference.to_owned(), (value, target.clone()));
        Some((value, target))
    }
}

/// Lowers a loaded document into the IR of one API, whose marker type is
/// named after `module` (the Rust module the API will live in).
pub fn lower(document: &Document) -> Result<Api, Diagnostics> {
    let mut reporter = document.reporter();
    check_references(&document.raw, &mut reporter);
    if !reporter.is_clean() {
        return Err(reporter.finish());
    }
    let openapi = &document.openapi;
    let resolver = Resolver { openapi, raw: &document.raw };
    let arenas = Arenas::default();
    let memos = Memos::default();
    let pins = Pins { resolver, arenas: &arenas, memos: &memos };

    let servers = servers::servers(openapi, &mut reporter);
    let security_schemes = security_schemes(resolver, &mut reporter);
    let scheme_index: HashMap<&str, usize> =
        security_schemes.iter().enumerate().map(|(i, s)| (s.key.as_str(), i)).collect();

    let mut types = types::TypeLowering::new(resolver, pins);
    types.lower_components(&mut reporter);
    let mut groups = operations::lower_groups(resolver, &mut types, &scheme_index, &security_schemes, &mut reporter);
    let components = types.component_names();
    let mut types = types.finish();
    let components: std::collections::HashSet<&str> = components.iter().map(String::as_str).collect();
    dedupe::dedupe(&mut types, &mut groups, &components);
    see_through_scalar_aliases(&mut groups, &types);
    pagination::lower_paginations(&document.raw, &mut groups, &types, &mut reporter);
    examples::collect_examples(&document.raw, &mut groups);
    if !reporter.is_clean() {
        return Err(reporter.finish());
    }
    Ok(Api {
        title: openapi.info.title.clone(),
        version: openapi.info.version.clone(),
        description: openapi.info.description.clone(),
        servers,
        security_schemes,
        groups,
        types,
    })
}

/// A parameter typed by an alias of a scalar (`type ReferenceNumber = String`)
/// takes the scalar itself, so callers pass `&str` rather than `&String`.
fn see_through_scalar_aliases(groups: &mut [Group], types: &[TypeDef]) {
    let by_name: HashMap<&str, &TypeDef> = types.iter().map(|def| (def.name.as_str(), def)).collect();
    for param in groups.iter_mut().flat_map(|g| &mut g.operations).flat_map(|op| &mut op.params) {
        let mut hops = 0;
        while let TypeRef::Named(name) = &param.ty
            && hops < 8
        {
            let target = by_name.get(name.as_str()).and_then(|def| match &def.kind {
                TypeKind::Alias(
                    target @ (TypeRef::String
                    | TypeRef::Bool
                    | TypeRef::I32
                    | TypeRef::I64
                    | TypeRef::F64
                    | TypeRef::Uuid
                    | TypeRef::Date
                    | TypeRef::DateTime
                    | TypeRef::Named(_)),
                ) => Some(target.clone()),
                _ => None,
            });
            match target {
                Some(target) => param.ty = target,
                None => break,
            }
            hops += 1;
        }
    }
}

/// `x-content-signature` on a header API key: `{algorithm: hmac-md5,
/// key-encoding: hex, format: "…{signer}…{signature}…"}`; the algorithm and
/// key encoding Talon.One uses are the ones supported.
fn body_signature(header: &str, extension: &serde_json::Value) -> Result<AuthKind, String> {
    let field = |key: &str| extension.get(key).and_then(serde_json::Value::as_str);
    match (field("algorithm"), field("key-encoding"), field("format")) {
        (Some("hmac-md5"), Some("hex") | None, Some(format)) if format.contains("{signature}") => {
            Ok(AuthKind::BodySignature { header: header.to_owned(), format: format.to_owned() })
        }
        (Some("hmac-md5"), Some("hex") | None, _) => {
            Err(String::from("`x-content-signature` needs a `format` holding `{signature}`"))
        }
        (algorithm, encoding, _) => Err(format!(
            "`x-content-signature` supports `algorithm: hmac-md5` with `key-encoding: hex`, not {} with {}",
            algorithm.unwrap_or("no algorithm"),
            encoding.unwrap_or("no key encoding")
        )),
    }
}

/// Methods of the runtime's `ClientBuilder` that credential setters must not shadow.
const BUILDER_METHODS: &[&str] = &[
    "timeout", "deadline", "walk_deadline", "retries", "retry_policy", "redirects", "max_response_bytes", "user_agent",
    "http_client", "on_request", "on_response", "build", "credential",
];

fn security_schemes(resolver: Resolver<'_>, reporter: &mut crate::diagnostics::Reporter<'_>) -> Vec<SecurityScheme> {
    let Some(components) = &resolver.openapi.components else { return Vec::new() };
    let mut resolved = Vec::new();
    for (key, item) in &components.security_schemes {
        let pointer = pointer_push("/components/securitySchemes", key);
        let Some((scheme, _)) = resolver.resolve(item, &pointer) else { continue };
        let (kind, description) = match scheme.as_ref() {
            Scheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                (AuthKind::Basic, description.clone())
            }
            Scheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                (AuthKind::Bearer, description.clone())
            }
            Scheme::HTTP { description, .. } => (
                // Other HTTP schemes (Digest, HOBA…) need a handshake; the
                // caller supplies the whole `Authorization` value instead.
                AuthKind::ApiKey { location: ParamLocation::Header, name: String::from("Authorization"), prefix: None },
                description.clone(),
            ),
            Scheme::APIKey { location: APIKeyLocation::Header, name, description, extensions }
                if extensions.contains_key("x-content-signature") =>
            {
                match body_signature(name, &extensions["x-content-signature"]) {
                    Ok(kind) => (kind, description.clone()),
                    Err(problem) => {
                        reporter.error(&pointer_push(&pointer, "x-content-signature"), problem);
                        continue;
                    }
                }
            }
            Scheme::APIKey { location, name, description, extensions } => (
                AuthKind::ApiKey {
                    location: match location {
                        APIKeyLocation::Query => ParamLocation::Query,
                        APIKeyLocation::Header => ParamLocation::Header,
                        APIKeyLocation::Cookie => ParamLocation::Cookie,
                    },
                    name: name.clone(),
                    prefix: extensions.get("x-api-key-prefix").and_then(|v| v.as_str()).map(str::to_owned),
                },
                description.clone(),
            ),
            Scheme::OAuth2 { description, .. } | Scheme::OpenIDConnect { description, .. } => {
                (AuthKind::Bearer, description.clone())
            }
        };
        resolved.push((key, kind, description));
    }
    // The one Basic scheme is `basic_auth`, the one bearer-like scheme
    // `bearer_token`; when a kind appears twice, each is named after its key.
    let count = |wanted: &AuthKind| resolved.iter().filter(|(_, kind, _)| kind == wanted).count();
    let (basics, bearers) = (count(&AuthKind::Basic), count(&AuthKind::Bearer));
    let mut setters = Scope::with_reserved(BUILDER_METHODS);
    let mut constants = Scope::default();
    resolved
        .into_iter()
        .map(|(key, kind, description)| {
            let setter = match kind {
                AuthKind::Basic if basics == 1 => String::from("basic_auth"),
                AuthKind::Bearer if bearers == 1 => String::from("bearer_token"),
                AuthKind::Basic | AuthKind::Bearer | AuthKind::ApiKey { .. } | AuthKind::BodySignature { .. } => {
                    snake(key, "credential")
                }
            };
            SecurityScheme {
                key: key.clone(),
                setter: setters.claim(setter),
                constant: constants.claim(constant(key, "SCHEME")),
                description,
                kind,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;

/// Loads and lowers a spec snippet given as text, for unit tests of the
/// lowering rules: the IR, or the diagnostics.
#[cfg(test)]
pub(crate) fn lower_snippet(text: &str) -> Result<Api, Diagnostics> {
    let document = crate::load::load_str(std::path::Path::new("spec.yaml"), text.to_owned()).expect("the snippet loads");
    lower(&document)
}
