//! One side of a diff: a spec lowered to the IR, with what it takes to name
//! its items as the generated code does and to locate them in the spec.

use std::collections::HashMap;
use std::path::Path;

use crate::ir::{Api, Operation, PathPart, TypeRef};
use crate::load::Loader;
use crate::load::sources::SourceMap;
use crate::naming::{Scope, type_name};
use crate::pointer::pointer_push;
use crate::{Error, lower};

/// A lowered spec and the map back to its files.
#[derive(Debug)]
pub struct Side {
    /// The API as `generate` would emit it (every tag, none gated).
    pub api: Api,
    /// Where each node came from.
    sources: SourceMap,
    /// The path from the crate root to the API's module, with a trailing
    /// `::` (`payrix::`), or empty for a crate of its own.
    prefix: String,
    /// Each type's name → its pointer (see [`Side::type_pointer`]).
    components: HashMap<String, String>,
}

impl Side {
    /// Loads and lowers the spec at `spec`. Lowering runs on the document
    /// directly rather than through `Generator::lower`, which drops the
    /// document: the diff keeps its source map to locate each change.
    pub fn load(loader: &Loader<'_>, spec: &Path, prefix: &str) -> Result<Side, Error> {
        let document = loader.load(spec)?;
        let api = lower::lower(&document)?;
        // Component schemas claim their names first, in document order, in an
        // empty scope: claiming them again the same way gives the same names.
        let mut scope = Scope::default();
        let components = document
            .openapi
            .components
            .iter()
            .flat_map(|components| components.schemas.keys())
            .map(|key| (scope.claim(type_name(key, "Schema")), pointer_push("/components/schemas", key)))
            .collect();
        let mut side = Side { api, sources: document.sources, prefix: prefix.to_owned(), components };
        side.locate_inline_types();
        Ok(side)
    }

    /// Inline types are located at the first operation that uses them, or
    /// the first located type that holds them: lowering keeps no pointer of
    /// its own for them, and the nearest place a reader can look is better
    /// than none.
    fn locate_inline_types(&mut self) {
        let mut found: Vec<(String, String)> = Vec::new();
        for op in self.api.groups.iter().flat_map(|g| &g.operations) {
            let pointer = self.operation_pointer(op);
            found.extend(op.type_refs().into_iter().filter_map(|ty| ty.named()).map(|id| (id.name().to_owned(), pointer.clone())));
        }
        for (name, pointer) in found {
            self.components.entry(name).or_insert(pointer);
        }
        // Types inside types, outward in: each pass reaches one level deeper.
        loop {
            let mut more = Vec::new();
            for def in &self.api.types {
                let Some(pointer) = self.components.get(&def.name) else { continue };
                for id in def.kind.uses().into_iter().filter_map(|ty| ty.named()) {
                    if !self.components.contains_key(id.name()) {
                        more.push((id.name().to_owned(), pointer.clone()));
                    }
                }
            }
            if more.is_empty() {
                break;
            }
            for (name, pointer) in more {
                self.components.entry(name).or_insert(pointer);
            }
        }
    }

    /// `file:line:col, #pointer` of a node of the (3.0-shaped) document, as the user wrote it.
    pub fn place(&self, pointer: &str) -> String {
        let place = self.sources.locate(pointer);
        format!("{}:{}:{}, #{}", place.file.display(), place.line, place.column, place.pointer)
    }

    /// The pointer of an operation: `/paths/<template>/<method>`.
    pub fn operation_pointer(&self, op: &Operation) -> String {
        pointer_push(&pointer_push("/paths", &path_template(op)), &op.http_method.to_ascii_lowercase())
    }

    /// The pointer of a named type: its component schema, or for an inline
    /// type the operation or type that first uses it.
    pub fn type_pointer(&self, name: &str) -> Option<&str> {
        self.components.get(name).map(String::as_str)
    }

    /// An item of the API's module: `payrix::` + `path`.
    pub fn item(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }
}

/// An operation's path template as the spec writes it: `/pets/{petId}`.
pub fn path_template(op: &Operation) -> String {
    op.path
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => text.clone(),
            PathPart::Param(index) => op.params.get(*index).map_or_else(String::new, |p| format!("{{{}}}", p.wire)),
        })
        .collect()
}

/// A type use as Rust source, to compare uses across two APIs (whose type ids
/// are indexes into different lists) and to show them.
pub fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::String => "String".to_owned(),
        TypeRef::Date => "chrono::NaiveDate".to_owned(),
        TypeRef::DateTime => "chrono::DateTime<chrono::FixedOffset>".to_owned(),
        TypeRef::Uuid => "uuid::Uuid".to_owned(),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::Named(id) => format!("types::{}", id.name()),
        TypeRef::Vec(inner) => format!("Vec<{}>", rust_type(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", rust_type(inner)),
        TypeRef::Option(inner) => format!("Option<{}>", rust_type(inner)),
        TypeRef::Boxed(inner) => format!("Box<{}>", rust_type(inner)),
    }
}
