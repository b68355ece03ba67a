//! `$ref` handling: every reference is checked once up front (so all dangling
//! ones are reported together), then looked up on demand while lowering, in
//! the typed document's components or among the few detached nodes.

use std::borrow::Cow;
use std::collections::HashMap;

use indexmap::IndexMap;
use openapiv3::{Components, Example, OpenAPI, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema, SecurityScheme};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostics::Reporter;
use crate::pointer::{pointer_push, push_segment, unescape_segment};

/// How many `$ref` hops a lookup follows before calling it a cycle.
const MAX_HOPS: usize = 32;

/// Reports every `$ref` in `raw` that is external, malformed or dangling.
pub fn check_references(raw: &Value, reporter: &mut Reporter<'_>) {
    each_reference(raw, &mut String::new(), &mut |target, at| match target {
        Ok(target) => check_one(target, raw, at, reporter),
        Err(()) => reporter.error(at, "`$ref` must be a string"),
    });
}

/// Calls `found` with every `$ref` under `node` (its target, or `Err` when it
/// is not a string) and the pointer of the `$ref` itself. References in
/// vendor extensions (`x-…`) are data, and a `$ref` key in a `properties` map
/// is a property's name: neither is visited.
fn each_reference<'v>(node: &'v Value, pointer: &mut String, found: &mut impl FnMut(Result<&'v str, ()>, &str)) {
    match node {
        Value::Object(fields) => {
            if let Some(target) = fields.get("$ref").filter(|_| !pointer.ends_with("/properties")) {
                found(target.as_str().ok_or(()), &pointer_push(pointer, "$ref"));
            }
            for (key, child) in fields.iter().filter(|(key, _)| !key.starts_with("x-")) {
                let len = pointer.len();
                push_segment(pointer, key);
                each_reference(child, pointer, found);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let len = pointer.len();
                push_segment(pointer, &index.to_string());
                each_reference(child, pointer, found);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

fn check_one(target: &str, root: &Value, at: &str, reporter: &mut Reporter<'_>) {
    match target.strip_prefix('#') {
        // The loader copies what other files' references name into the
        // document; one left here was not followed (it sits where the loader
        // does not look).
        None => reporter.error(at, format!("reference `{target}` to another file cannot be followed here")),
        Some(pointer) => match lookup_raw(root, pointer) {
            Some(_) => {}
            None => reporter.error(at, format!("dangling reference: `{target}` points to nothing")),
        },
    }
}

/// The node at a JSON pointer (`/a/b~1c`), decoding `~1` and `~0` and
/// percent-escapes as in URI fragments.
pub fn lookup_raw<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let mut node = root;
    for raw_segment in pointer.strip_prefix('/')?.split('/') {
        let segment = unescape_segment(&percent_decode(raw_segment));
        node = match node {
            Value::Object(fields) => fields.get(&segment)?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

pub(crate) fn percent_decode(text: &str) -> Cow<'_, str> {
    if !text.contains('%') {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// The name of the component schema a reference points at, if it points at one.
pub fn schema_component(reference: &str) -> Option<&str> {
    let name = reference.strip_prefix("#/components/schemas/")?;
    (!name.contains('/')).then_some(name)
}

/// The nodes of the document that `$ref`s point at but that no component
/// entry is: a path item (`#/components/pathItems/…` in 3.1, or another
/// path), or a node deep inside another (`#/components/schemas/A/properties/b`).
/// The loader keeps copies of these (a handful in real documents) when it
/// drops the raw tree, so lowering reads only the typed document and them.
#[derive(Debug, Default)]
pub struct Detached(HashMap<String, Value>);

impl Detached {
    /// The nodes `raw`'s references point at that are not component entries,
    /// by JSON pointer. References that dangle are left out: they were reported.
    pub fn collect(raw: &Value) -> Self {
        let mut found = HashMap::new();
        each_reference(raw, &mut String::new(), &mut |target, _| {
            let Some(pointer) = target.ok().and_then(|target| target.strip_prefix('#')) else { return };
            if component_entry(pointer).is_some() || found.contains_key(pointer) {
                return;
            }
            if let Some(node) = lookup_raw(raw, pointer) {
                found.insert(pointer.to_owned(), node.clone());
            }
        });
        Detached(found)
    }
}

/// The kinds of component the typed document keeps (`openapiv3`'s
/// `Components`); others, such as 3.1's `pathItems`, are detached.
const TYPED_KINDS: &[&str] =
    &["schemas", "parameters", "responses", "requestBodies", "headers", "securitySchemes", "examples", "links", "callbacks"];

/// The kind and name of a component entry of the typed document a JSON
/// pointer names exactly (`/components/schemas/Pet` → `("schemas", "Pet")`).
fn component_entry(pointer: &str) -> Option<(&str, String)> {
    let rest = pointer.strip_prefix("/components/")?;
    let (kind, name) = rest.split_once('/')?;
    (TYPED_KINDS.contains(&kind) && !name.contains('/')).then(|| (kind, unescape_segment(&percent_decode(name))))
}

/// A kind of value a `$ref` can point at, and where its components live.
pub trait Referable: Sized {
    /// The component entries of this kind (`None` for a kind that has none,
    /// such as path items).
    fn entries(components: &Components) -> Option<&IndexMap<String, ReferenceOr<Self>>>;
    /// The key of that kind under `components`.
    const KIND: &'static str;
}

macro_rules! referable {
    ($($ty:ty => $kind:literal, $field:ident),* $(,)?) => {$(
        impl Referable for $ty {
            fn entries(components: &Components) -> Option<&IndexMap<String, ReferenceOr<Self>>> {
                Some(&components.$field)
            }
            const KIND: &'static str = $kind;
        }
    )*};
}
referable!(
    Schema => "schemas", schemas,
    Parameter => "parameters", parameters,
    RequestBody => "requestBodies", request_bodies,
    Response => "responses", responses,
    SecurityScheme => "securitySchemes", security_schemes,
    Example => "examples", examples,
);

impl Referable for PathItem {
    fn entries(_: &Components) -> Option<&IndexMap<String, ReferenceOr<Self>>> {
        None
    }
    const KIND: &'static str = "pathItems";
}

/// What a reference resolved to.
#[derive(Debug)]
pub enum Target<'a, T> {
    /// A component of the typed document.
    Typed(&'a T),
    /// A detached node, still to be deserialized.
    Detached(&'a Value),
}

/// Looks up references while lowering: a component in the typed document,
/// anything else among the [`Detached`] nodes.
#[derive(Debug, Clone, Copy)]
pub struct Resolver<'a> {
    /// The typed document.
    pub openapi: &'a OpenAPI,
    /// The nodes references point at that are not components.
    pub detached: &'a Detached,
}

impl<'a> Resolver<'a> {
    /// Follows the reference `reference` to what it stands for, with that
    /// value's JSON pointer. `None` for dangling or cyclic references (already
    /// reported by [`check_references`]) and for targets of the wrong kind.
    pub fn target<T: Referable>(&self, reference: &'a str) -> Option<(Target<'a, T>, String)> {
        let mut reference = reference;
        for _ in 0..MAX_HOPS {
            let pointer = reference.strip_prefix('#')?;
            if let Some((kind, name)) = component_entry(pointer) {
                if kind != T::KIND {
                    return None;
                }
                let entries = T::entries(self.openapi.components.as_ref()?)?;
                match entries.get(&name)? {
                    ReferenceOr::Item(value) => return Some((Target::Typed(value), pointer.to_owned())),
                    ReferenceOr::Reference { reference: next } => reference = next,
                }
                continue;
            }
            let node = self.detached.0.get(pointer)?;
            match node.get("$ref").and_then(Value::as_str) {
                Some(next) => reference = next,
                None => return Some((Target::Detached(node), pointer.to_owned())),
            }
        }
        None
    }

    /// [`Resolver::target`] for an item that may be a reference, deserializing
    /// a detached target on the spot; `pointer` is the item's own.
    pub fn resolve<T: Referable + DeserializeOwned + Clone>(
        &self,
        item: &'a ReferenceOr<T>,
        pointer: &str,
    ) -> Option<(Cow<'a, T>, String)> {
        match item {
            ReferenceOr::Item(value) => Some((Cow::Borrowed(value), pointer.to_owned())),
            ReferenceOr::Reference { reference } => match self.target::<T>(reference)? {
                (Target::Typed(value), at) => Some((Cow::Borrowed(value), at)),
                (Target::Detached(node), at) => Some((Cow::Owned(T::deserialize(node).ok()?), at)),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_decode_escapes() {
        let root: Value = serde_json::json!({"paths": {"/a b": {"x~y": [1, 2]}}});
        assert_eq!(lookup_raw(&root, "/paths/~1a%20b/x~0y/1"), Some(&Value::from(2)));
        assert_eq!(lookup_raw(&root, "/paths/missing"), None);
    }

    #[test]
    fn references_resolve_to_typed_components_or_detached_nodes() {
        let text = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      parameters: [{$ref: '#/components/parameters/Limit'}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Page/properties/items'}
  /b: {$ref: '#/paths/~1a'}
components:
  parameters:
    Limit: {$ref: '#/components/parameters/Size'}
    Size: {name: size, in: query, schema: {type: integer}}
  schemas:
    Page:
      type: object
      properties:
        items: {type: array, items: {type: string}}
"##;
        let document = crate::load::load_str(std::path::Path::new("spec.yaml"), text.to_owned()).expect("loads");
        let resolver = Resolver { openapi: &document.openapi, detached: &document.detached };
        // A chain of component references ends at the typed component, borrowed.
        match resolver.target::<Parameter>("#/components/parameters/Limit") {
            Some((Target::Typed(parameter), at)) => {
                assert_eq!(parameter.parameter_data_ref().name, "size");
                assert_eq!(at, "/components/parameters/Size");
            }
            other => panic!("expected the typed Size parameter, got {other:?}"),
        }
        // A node deep inside a schema, and another path item: detached copies.
        match resolver.target::<Schema>("#/components/schemas/Page/properties/items") {
            Some((Target::Detached(node), at)) => {
                assert_eq!(node["type"], "array");
                assert_eq!(at, "/components/schemas/Page/properties/items");
            }
            other => panic!("expected a detached schema, got {other:?}"),
        }
        assert!(matches!(resolver.target::<PathItem>("#/paths/~1a"), Some((Target::Detached(_), _))));
        // Only what references reach is kept; a reference of the wrong kind resolves to nothing.
        assert_eq!(document.detached.0.len(), 2);
        assert!(resolver.target::<Schema>("#/components/parameters/Size").is_none());
    }
}
