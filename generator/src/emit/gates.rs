//! `#[cfg(feature = …)]` attributes from the feature layout of the IR.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::FeatureLayout;
use crate::naming::{Scope, snake};

/// The types compiled in under one gate, written to one file of the `types`
/// module, so that rustc reads only the files of the features that are on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeFile {
    /// The submodule and file stem: the feature's name when one feature needs
    /// these types, else the first type's.
    pub module: String,
    /// The features that need these types (any one of them turns the file
    /// on); empty for types no operation reaches.
    pub features: Vec<usize>,
    /// The types, by index in `Api::types`, in order.
    pub types: Vec<usize>,
}

/// The operations of one feature, written to one file of the `operations`
/// module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationFile {
    /// The submodule and file stem, from the feature's name.
    pub module: String,
    /// The feature, by index.
    pub feature: usize,
    /// The operations, as (group, operation) indices, in order.
    pub operations: Vec<(usize, usize)>,
}

/// Names a submodule after `raw`, unique in `scope`, and usable as a file
/// stem (no raw identifiers).
fn module_name(scope: &mut Scope, raw: &str) -> String {
    let name = snake(raw, "other");
    let name = match name.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => name,
    };
    scope.claim(name)
}

/// The feature gates of one API; every gate is empty when the API has no
/// per-tag features.
#[derive(Debug, Clone, Copy)]
pub struct Gates<'a> {
    layout: Option<&'a FeatureLayout>,
}

impl<'a> Gates<'a> {
    /// The gates of a feature layout; none without one.
    pub fn new(layout: Option<&'a FeatureLayout>) -> Self {
        Gates { layout }
    }

    /// Whether anything is gated.
    pub fn enabled(&self) -> bool {
        self.layout.is_some()
    }

    /// The gate of a group's handle: on when any of its operations is.
    pub fn of_group(&self, group: usize) -> TokenStream {
        let Some(layout) = self.layout else { return TokenStream::new() };
        let mut features = layout.operations[group].clone();
        features.sort_unstable();
        features.dedup();
        self.any(&features)
    }

    /// The names of `features`.
    pub fn feature_names(&self, features: &[usize]) -> Vec<&'a str> {
        let Some(layout) = self.layout else { return Vec::new() };
        features.iter().map(|&f| layout.features[f].name.as_str()).collect()
    }

    /// The name of the feature that turns on all the others.
    pub fn all_name(&self) -> &'a str {
        self.layout.map_or("", |layout| layout.all.as_str())
    }

    /// The gate of a file that `features` need (the `all` feature when none does).
    pub fn of_features(&self, features: &[usize]) -> TokenStream {
        let Some(layout) = self.layout else { return TokenStream::new() };
        if features.is_empty() { cfg(&[layout.all.as_str()]) } else { self.any(features) }
    }

    /// The types grouped by gate, one file per distinct set of features, in
    /// order of each set's first type; empty without per-tag features.
    pub fn type_files(&self, names: &[&str]) -> Vec<TypeFile> {
        let Some(layout) = self.layout else { return Vec::new() };
        let mut by_features: std::collections::HashMap<&[usize], usize> = std::collections::HashMap::new();
        let mut files: Vec<TypeFile> = Vec::new();
        for (index, features) in layout.types.iter().enumerate() {
            let file = *by_features.entry(features.as_slice()).or_insert_with(|| {
                files.push(TypeFile { module: String::new(), features: features.clone(), types: Vec::new() });
                files.len() - 1
            });
            files[file].types.push(index);
        }
        // Feature names first, so that a type's name never takes a feature's.
        let mut scope = Scope::default();
        let mut named: Vec<(usize, &str)> = Vec::new();
        for (i, file) in files.iter().enumerate() {
            match file.features.as_slice() {
                [] => named.push((i, layout.all.as_str())),
                [one] => named.push((i, layout.features[*one].name.as_str())),
                _ => {}
            }
        }
        for (i, file) in files.iter().enumerate() {
            if file.features.len() > 1 {
                named.push((i, names.get(file.types[0]).copied().unwrap_or("shared")));
            }
        }
        for (i, raw) in named {
            files[i].module = module_name(&mut scope, raw);
        }
        files
    }

    /// The operations grouped by feature, one file per feature, in the
    /// features' order; empty without per-tag features.
    pub fn operation_files(&self) -> Vec<OperationFile> {
        let Some(layout) = self.layout else { return Vec::new() };
        // The operations module's own names are taken.
        let mut scope = Scope::with_reserved(&["markers", "types", "schemes"]);
        let mut files: Vec<OperationFile> = layout
            .features
            .iter()
            .enumerate()
            .map(|(feature, f)| OperationFile {
                module: module_name(&mut scope, &f.name),
                feature,
                operations: Vec::new(),
            })
            .collect();
        for (g, features) in layout.operations.iter().enumerate() {
            for (o, &feature) in features.iter().enumerate() {
                files[feature].operations.push((g, o));
            }
        }
        files.retain(|file| !file.operations.is_empty());
        files
    }

    fn any(&self, features: &[usize]) -> TokenStream {
        cfg(&self.feature_names(features))
    }
}

fn cfg(names: &[&str]) -> TokenStream {
    match names {
        [] => TokenStream::new(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    #[test]
    fn files_group_types_by_the_features_that_need_them_and_operations_by_feature() {
        let api = crate::lower::lower_snippet(
            r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      tags: [Pet Store]
      operationId: listPets
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
  /owners:
    post:
      tags: [owners]
      operationId: addOwner
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/Owner"}}}}
      responses:
        "204": {description: done}
  /markers:
    get:
      tags: [markers]
      operationId: listMarkers
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Tag"}}}}
  /pets/{id}:
    delete:
      tags: [Pet Store]
      operationId: deletePet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "204": {description: done}
components:
  schemas:
    Pet: {type: object, properties: {owner: {$ref: "#/components/schemas/Owner"}, tag: {$ref: "#/components/schemas/Tag"}}}
    Owner: {type: object, properties: {name: {type: string}}}
    Tag: {type: object, properties: {name: {type: string}}}
    Unused: {type: object, properties: {name: {type: string}}}
    AlsoUnused: {type: object, properties: {name: {type: string}}}
"##,
        )
        .expect("lowers");
        let layout = crate::features::layout(&api, "", &[]);
        let gates = Gates::new(Some(&layout));
        let names: Vec<&str> = api.types.iter().map(|def| def.name.as_str()).collect();
        let files: Vec<(String, Vec<&str>, Vec<&str>)> = gates
            .type_files(&names)
            .into_iter()
            .map(|file| {
                let features = gates.feature_names(&file.features);
                let types = file.types.iter().map(|&t| names[t]).collect();
                (file.module, features, types)
            })
            .collect();
        // Owner and Tag are each needed by two features, but not the same two.
        expect![[r#"
            [
                (
                    "pet_store",
                    [
                        "pet-store",
                    ],
                    [
                        "Pet",
                    ],
                ),
                (
                    "owner",
                    [
                        "pet-store",
                        "owners",
                    ],
                    [
                        "Owner",
                    ],
                ),
                (
                    "tag",
                    [
                        "pet-store",
                        "markers",
                    ],
                    [
                        "Tag",
                    ],
                ),
                (
                    "full",
                    [],
                    [
                        "Unused",
                        "AlsoUnused",
                    ],
                ),
            ]
        "#]]
        .assert_debug_eq(&files);
        // `markers` is the operations module's own submodule: the feature's file takes another name.
        let files: Vec<(String, Vec<(usize, usize)>)> =
            gates.operation_files().into_iter().map(|file| (file.module, file.operations)).collect();
        expect![[r#"
            [
                (
                    "pet_store",
                    [
                        (
                            0,
                            0,
                        ),
                        (
                            0,
                            1,
                        ),
                    ],
                ),
                (
                    "owners",
                    [
                        (
                            1,
                            0,
                        ),
                    ],
                ),
                (
                    "markers2",
                    [
                        (
                            2,
                            0,
                        ),
                    ],
                ),
            ]
        "#]]
        .assert_debug_eq(&files);
    }
}
