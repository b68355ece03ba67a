//! Per-tag Cargo features: an analysis pass over the finished IR.
//!
//! Every tag becomes a feature (an operation without tags counts under the
//! first segment of its path, so untagged APIs such as Stripe's still split
//! into resources). A feature compiles in its operations and exactly the types
//! they reach; a type reached from several features is compiled in when any
//! of them is on. Types no operation reaches come only with the feature that
//! turns on all the others.

use std::collections::HashMap;

use crate::ir::{Api, Feature, FeatureLayout, Operation, PathPart, TypeId, TypeRef};
use crate::naming::{Scope, kebab};

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
    FeatureLayout { features, all, operations, types }
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

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    fn lowered(yaml: &str) -> Api {
        crate::lower::lower_snippet(yaml).expect("lowers")
    }

    #[test]
    fn tags_get_features_with_exactly_the_types_they_reach() {
        let api = lowered(
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
  /v1/charges/{id}:
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
        );
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
}
