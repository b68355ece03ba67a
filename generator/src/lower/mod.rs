//! OpenAPI document → IR. The only place that reads `openapiv3` types after
//! loading; everything it produces is plain data with names already chosen.

mod context;
mod cycles;
mod dedupe;
mod docs;
mod enums;
mod examples;
mod media;
mod operations;
mod pagination;
mod responses;
mod schema_view;
mod security;
mod servers;
mod types;

use std::cell::RefCell;
use std::collections::HashMap;

use openapiv3::{Example, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
use serde::de::DeserializeOwned;
use typed_arena::Arena;

use crate::diagnostics::Diagnostics;
use crate::ir::{Api, Group, Operation, TypeDef, TypeKind, TypeRef};
use crate::load::Document;
use crate::resolve::{Referable, Resolver, Target};


/// Owns what lowering deserializes from detached nodes (see
/// [`crate::resolve::Detached`]), so everything lowered can borrow for the
/// same lifetime as the document.
#[derive(Default)]
pub struct Arenas {
    schemas: Arena<Schema>,
    parameters: Arena<Parameter>,
    bodies: Arena<RequestBody>,
    responses: Arena<Response>,
    path_items: Arena<PathItem>,
    examples: Arena<Example>,
}

/// What each detached node was deserialized into, by its pointer: a node many
/// references reach is deserialized and kept once.
type Memo<'a, T> = RefCell<HashMap<String, &'a T>>;

/// The memos of each kind of detached value.
#[derive(Default)]
pub struct Memos<'a> {
    schemas: Memo<'a, Schema>,
    parameters: Memo<'a, Parameter>,
    bodies: Memo<'a, RequestBody>,
    responses: Memo<'a, Response>,
    path_items: Memo<'a, PathItem>,
    examples: Memo<'a, Example>,
}

/// A kind of value lowering resolves references to.
trait Kept: Referable + DeserializeOwned + 'static {
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
kept!(
    Schema => schemas,
    Parameter => parameters,
    RequestBody => bodies,
    Response => responses,
    PathItem => path_items,
    Example => examples
);

/// Resolves references to values that live as long as the document.
#[derive(Clone, Copy)]
pub struct Pins<'a> {
    resolver: Resolver<'a>,
    arenas: &'a Arenas,
    memos: &'a Memos<'a>,
}

impl<'a> Pins<'a> {
    /// The value `item` stands for, with its JSON pointer (see [`Resolver::target`]).
    fn resolve<T: Kept>(&self, item: &'a ReferenceOr<T>, pointer: &str) -> Option<(&'a T, String)> {
        match item {
            ReferenceOr::Item(value) => Some((value, pointer.to_owned())),
            ReferenceOr::Reference { reference } => self.reference(reference),
        }
    }

    /// The value a `$ref` points at, with its JSON pointer.
    fn reference<T: Kept>(&self, reference: &'a str) -> Option<(&'a T, String)> {
        match self.resolver.target::<T>(reference)? {
            (Target::Typed(value), at) => Some((value, at)),
            (Target::Detached(node), at) => {
                let (arena, memo) = T::places(self.arenas, self.memos);
                if let Some(&found) = memo.borrow().get(&at) {
                    return Some((found, at));
                }
                let value: &'a T = arena.alloc(T::deserialize(node).ok()?);
                memo.borrow_mut().insert(at.clone(), value);
                Some((value, at))
            }
        }
    }
}

/// Lowers a loaded document into the IR of one API, whose marker type is
/// named after `module` (the Rust module the API will live in).
pub fn lower(document: &Document) -> Result<Api, Diagnostics> {
    let mut reporter = document.reporter();
    let openapi = &document.openapi;
    let resolver = Resolver { openapi, detached: &document.detached };
    let arenas = Arenas::default();
    let memos = Memos::default();
    let pins = Pins { resolver, arenas: &arenas, memos: &memos };

    let servers = servers::servers(openapi, &mut reporter);
    let security_schemes = security::security_schemes(resolver, &mut reporter);
    let scheme_index: HashMap<&str, usize> =
        security_schemes.iter().enumerate().map(|(i, s)| (s.key.as_str(), i)).collect();

    let mut types = types::TypeLowering::new(resolver, pins);
    types.lower_components(&mut reporter);
    let (mut groups, paginated, found_examples) = operations::lower_groups(resolver, &mut types, &scheme_index, &security_schemes, &mut reporter);
    let types::LoweredTypes { defs: mut types, components, moved } = types.finish();
    for ty in groups.iter_mut().flat_map(|group| &mut group.operations).flat_map(Operation::type_refs_mut) {
        types::renumber(ty, &moved);
    }
    dedupe::dedupe(&mut types, &mut groups, &components);
    see_through_scalar_aliases(&mut groups, &types);
    pagination::lower_paginations(&paginated, &mut groups, &types, &mut reporter);
    examples::settle(found_examples, &mut groups, &types, &mut reporter);
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
    for param in groups.iter_mut().flat_map(|g| &mut g.operations).flat_map(|op| &mut op.params) {
        let mut hops = 0;
        while let TypeRef::Named(id) = &param.ty
            && hops < 8
        {
            let target = match &types[id.index()].kind {
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
            };
            match target {
                Some(target) => param.ty = target,
                None => break,
            }
            hops += 1;
        }
    }
}

#[cfg(test)]
mod stream_tests;
#[cfg(test)]
mod security_tests;
#[cfg(test)]
mod operation_tests;
#[cfg(test)]
mod tests;

/// Loads and lowers a spec snippet given as text, for unit tests of the
/// lowering rules: the IR, or the diagnostics.
#[cfg(test)]
pub(crate) fn lower_snippet(text: &str) -> Result<Api, Diagnostics> {
    let document = crate::load::load_str(std::path::Path::new("spec.yaml"), text.to_owned()).expect("the snippet loads");
    lower(&document)
}
