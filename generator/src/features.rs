//! Per-tag Cargo features: an analysis pass over the finished IR.
//!
//! Every tag becomes a feature (an operation without tags counts under the
//! first segment of its path, so untagged APIs such as Stripe's still split
//! into resources). A feature compiles in its operations and exactly the types
//! they reach; a type reached from several features is compiled in when any
//! of them is on. Types no operation reaches come only with the feature that
//! turns on all the others.

use std::collections::HashMap;

use crate::ir::{Api, Feature, FeatureLayout, Operation, OperationFile, PathPart, TypeFile, TypeId, TypeRef};
use crate::naming::{Scope, kebab, snake};

/// The name of the feature that turns on all the others (after the prefix).
pub const ALL: &str = "full";

/// Lays out the features of `api`. Their names are the kebab case of the tag
/// after `prefix` (empty for a standalone crate, `<api>-` in a crate holding
/// several APIs); `taken` are names already used in the crate.
pub fn layout(api: &Api, prefix: &str, taken: &[String]) -> FeatureLayout {
    let mut scope = Scope::with_reserved(&["default"]);
    for name in taken {
        scope.claim(name.clone());
    }
    let all = scope.claim(format!("{prefix}{ALL}"));
    let mut by_source: HashMap<String, usize> = HashMap::new();
    let mut features: Vec<Feature> = Vec::new();
    let operations: Vec<Vec<usize>> = api
        .groups
        .iter()
        .map(|group| {
            group
                .operations
                .iter()
                .map(|operation| {
                    let source = source(operation);
                    let index = *by_source.entry(source.clone()).or_insert_with(|| {
                        let label = source.trim_start_matches('/');
                        let name = scope.claim(format!("{prefix}{}", kebab(label, "other")));
                        features.push(Feature { name, source, operations: 0 });
                        features.len() - 1
                    });
                    features[index].operations += 1;
                    index
                })
                .collect()
        })
        .collect();
    let types = reachability(api, &operations, features.len());
    let mut layout =
        FeatureLayout { features, all, operations, types, type_files: Vec::new(), operation_files: Vec::new() };
    let names: Vec<&str> = api.types.iter().map(|def| def.name.as_str()).collect();
    layout.type_files = type_files(&layout, &names);
    layout.operation_files = operation_files(&layout);
    layout
}

/// What an operation's feature stands for: its first tag, or `/segment`.
fn source(operation: &Operation) -> String {
    if let Some(tag) = &operation.tag {
        return tag.clone();
    }
    let literal: String = operation
        .path
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => text.as_str(),
            PathPart::Param(_) => "/{}",
        })
        .collect();
    // The first segment that names a resource: not a version (`v1`, `2.0`) or `api`.
    let segment = literal
        .split('/')
        .find(|segment| {
            !segment.is_empty()
                && !segment.contains('{')
                && *segment != "api"
                && !segment.trim_start_matches(['v', 'V']).chars().all(|c| c.is_ascii_digit() || c == '.')
        })
        .unwrap_or("other");
    format!("/{segment}")
}

/// For each type, the features whose operations reach it, ascending.
fn reachability(api: &Api, operations: &[Vec<usize>], count: usize) -> Vec<Vec<usize>> {
    let mut roots: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (group, features) in api.groups.iter().zip(operations) {
        for (operation, &feature) in group.operations.iter().zip(features) {
            roots[feature].extend(operation.type_refs().into_iter().filter_map(TypeRef::named).map(TypeId::index));
        }
    }
    let mut needed: Vec<Vec<usize>> = vec![Vec::new(); api.types.len()];
    // Features are walked in ascending order, so "already marked by this
    // feature" is a look at the last entry, and every list comes out sorted.
    for (feature, roots) in roots.into_iter().enumerate() {
        let mut stack = roots;
        while let Some(type_index) = stack.pop() {
            if needed[type_index].last() == Some(&feature) {
                continue;
            }
            needed[type_index].push(feature);
            let uses = api.types[type_index].kind.uses();
            stack.extend(uses.into_iter().filter_map(TypeRef::named).map(TypeId::index));
        }
    }
    needed
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

/// The types grouped by the features that need them, one file per distinct
/// set, in order of each set's first type, each file named after its one
/// feature or its first type.
fn type_files(layout: &FeatureLayout, names: &[&str]) -> Vec<TypeFile> {
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

/// The operations grouped by feature, one file per feature, in the features' order.
fn operation_files(layout: &FeatureLayout) -> Vec<OperationFile> {
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

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    /// Two tagged operations, listing pets and adding owners, that the tests' specs start with.
    const PETS_AND_OWNERS: &str = r##"openapi: 3.0.3
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
"##;

    fn lowered(yaml: &str) -> Api {
        crate::lower::lower_snippet(yaml).expect("lowers")
    }

    #[test]
    fn tags_get_features_with_exactly_the_types_they_reach() {
        let api = lowered(&[
            PETS_AND_OWNERS,
            r##"  /v1/charges/{id}:
    get:
      operationId: getCharge
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "204": {description: done}
components:
  schemas:
    Pet: {type: object, properties: {owner: {$ref: "#/components/schemas/Owner"}}}
    Owner: {type: object, properties: {name: {type: string}}}
    Unused: {type: object, properties: {name: {type: string}}}
"##,
        ]
        .concat());
        let layout = layout(&api, "", &[]);
        let names: Vec<(&str, &str, usize)> =
            layout.features.iter().map(|f| (f.name.as_str(), f.source.as_str(), f.operations)).collect();
        expect![[r#"[("pet-store", "Pet Store", 1), ("owners", "owners", 1), ("charges", "/charges", 1)]"#]]
            .assert_eq(&format!("{names:?}"));
        let types: Vec<(&str, &Vec<usize>)> =
            api.types.iter().map(|def| def.name.as_str()).zip(&layout.types).collect();
        expect![[r#"[("Pet", [0]), ("Owner", [0, 1]), ("Unused", [])]"#]].assert_eq(&format!("{types:?}"));
        assert_eq!(layout.all, "full");
    }

    #[test]
    fn feature_names_avoid_taken_and_reserved_names() {
        let api = lowered(
            r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get: {tags: [full], operationId: a, responses: {"204": {description: done}}}
  /b:
    get: {tags: [Default], operationId: b, responses: {"204": {description: done}}}
  /c:
    get: {tags: [x-y], operationId: c, responses: {"204": {description: done}}}
  /d:
    get: {tags: [X Y], operationId: d, responses: {"204": {description: done}}}
"##,
        );
        let layout = layout(&api, "", &[String::from("x-y")]);
        let names: Vec<&str> = layout.features.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["full2", "default2", "x-y2", "x-y3"]);
    }

    #[test]
    fn files_group_types_by_the_features_that_need_them_and_operations_by_feature() {
        let api = lowered(&[
            PETS_AND_OWNERS,
            r##"  /markers:
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
        ]
        .concat());
        let layout = layout(&api, "", &[]);
        let names: Vec<&str> = api.types.iter().map(|def| def.name.as_str()).collect();
        let files: Vec<(&str, Vec<&str>, Vec<&str>)> = layout
            .type_files
            .iter()
            .map(|file| {
                let features = file.features.iter().map(|&f| layout.features[f].name.as_str()).collect();
                let types = file.types.iter().map(|&t| names[t]).collect();
                (file.module.as_str(), features, types)
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
        let files: Vec<(&str, &Vec<(usize, usize)>)> =
            layout.operation_files.iter().map(|file| (file.module.as_str(), &file.operations)).collect();
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
