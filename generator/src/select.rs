//! Choosing tags: of an API, only the operations of some tags and exactly the
//! types they reach. A build script's module is one file with no Cargo
//! features of its own, so it is cut to size when generated instead.

use crate::features;
use crate::ir::Api;

/// `api` with only the operations of `tags`, and the types those reach. A tag
/// is named as the spec writes it, or by its feature name (`pet-store`); an
/// operation without tags counts under the first segment of its path
/// (`/charges`), as with per-tag features. The error names the tags `api`
/// does not have, and lists those it has.
pub fn only_tags(mut api: Api, tags: &[String]) -> Result<Api, String> {
    let layout = features::layout(&api, "", &[]);
    let mut chosen = vec![false; layout.features.len()];
    let mut unknown = Vec::new();
    for tag in tags {
        let matching: Vec<usize> = (0..layout.features.len())
            .filter(|&f| layout.features[f].source == *tag || layout.features[f].name == *tag)
            .collect();
        if matching.is_empty() {
            unknown.push(format!("`{tag}`"));
        }
        for f in matching {
            chosen[f] = true;
        }
    }
    if !unknown.is_empty() {
        let known: Vec<String> = layout.features.iter().map(|f| format!("`{}`", f.source)).collect();
        let known = match known.is_empty() {
            true => String::from("it has no operations"),
            false => format!("its tags: {}", known.join(", ")),
        };
        let verb = if unknown.len() == 1 { "is not a tag" } else { "are not tags" };
        return Err(format!("{} {verb} of {}; {known}", unknown.join(", "), api.title.trim()));
    }
    for (group, features) in api.groups.iter_mut().zip(&layout.operations) {
        let mut kept = features.iter().map(|&f| chosen[f]);
        group.operations.retain(|_| kept.next().unwrap_or(false));
    }
    api.groups.retain(|group| !group.operations.is_empty());
    let mut kept = layout.types.iter().map(|features| features.iter().any(|&f| chosen[f]));
    api.types.retain(|_| kept.next().unwrap_or(false));
    Ok(api)
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    /// The golden fixture of per-tag features: two tags and untagged `/charges`.
    const SPEC: &str = include_str!("../../tests/fixtures/tag-features.yaml");

    fn check(tags: &[&str], expected: Expect) {
        let api = crate::lower::lower_snippet(SPEC).expect("lowers");
        let shown = match only_tags(api, &tags.iter().map(|tag| tag.to_string()).collect::<Vec<_>>()) {
            Ok(api) => {
                let operations: Vec<&str> =
                    api.groups.iter().flat_map(|group| &group.operations).map(|op| op.id.as_str()).collect();
                let types: Vec<&str> = api.types.iter().map(|def| def.name.as_str()).collect();
                format!("operations: [{}]\ntypes: [{}]", operations.join(", "), types.join(", "))
            }
            Err(message) => message,
        };
        expected.assert_eq(&shown);
    }

    #[test]
    fn a_tag_brings_its_operations_and_the_types_they_reach() {
        check(&["owners"], expect![[r#"
            operations: [ownersStatus, addOwner, health]
            types: [Owner, Contact, Email, Phone, Problem, OwnersStatusResponse]"#]]);
        // By feature name, and untagged operations by their path's first segment.
        check(&["pet-store", "/charges"], expect![[r#"
            operations: [petsStatus, listPets, getPet, getCharge, captureCharge]
            types: [Pet, Kind, Size, Owner, Contact, Email, Phone, Problem, Charge, OwnersStatusResponse]"#]]);
        check(&[], expect![[r#"
            operations: []
            types: []"#]]);
    }

    #[test]
    fn unknown_tags_are_named_with_the_tags_there_are() {
        check(
            &["pets", "owners", "store"],
            expect!["`pets`, `store` are not tags of Tag features; its tags: `owners`, `Pet Store`, `/charges`"],
        );
    }
}
