//! One definition per shape: an inline type structurally identical to another
//! type becomes an alias of it.
//!
//! Large specs repeat the same inline schema in many places (Stripe writes the
//! same `anyOf: [string, Customer]` or `enum: [""]` hundreds of times); each
//! copy used to be its own struct or enum with its own serde derives, which is
//! most of what rustc spends its time on. The copies keep their names, as
//! aliases, so no generated name goes away; every use points at the one
//! definition. Component schemas keep their own definitions: their names are
//! the spec's, and users see them.

use std::collections::HashMap;
use std::sync::Arc;

use crate::ir::{Group, Operation, TypeDef, TypeId, TypeKind, TypeRef};

/// Turns duplicate inline types into aliases and points every use, in types
/// and operations, at the remaining definition. `components[i]` says whether
/// type `i` comes from a component schema.
pub fn dedupe(defs: &mut [TypeDef], groups: &mut [Group], components: &[bool]) {
    let ids: Vec<TypeId> = defs.iter().enumerate().map(|(i, def)| TypeId::new(i, Arc::from(def.name.as_str()))).collect();
    let mut canonical: Vec<usize> = (0..defs.len()).collect();
    // Components first, so a copy of a component aliases the component.
    let mut order: Vec<usize> = (0..defs.len()).collect();
    order.sort_by_key(|&i| !components[i]);
    // Merging two types can make the types that use them identical too:
    // repeat until nothing changes.
    loop {
        // Each shape seen, with the uses in it pointing at the remaining
        // definitions: equal keys are the same type.
        let mut seen: HashMap<TypeKind, usize> = HashMap::new();
        let mut changed = false;
        for &i in &order {
            if find(&canonical, i) != i || matches!(defs[i].kind, TypeKind::Alias(_)) {
                continue;
            }
            let mut key = defs[i].kind.clone();
            // A use of the type itself points at itself, so a recursive type
            // only matches a copy that recurses into that same type.
            for ty in key.uses_mut() {
                point_at(ty, |index| Some(&ids[find(&canonical, index)]));
            }
            match seen.get(&key) {
                Some(&first) if !components[i] => {
                    canonical[i] = first;
                    changed = true;
                }
                Some(_) => {}
                None => {
                    seen.insert(key, i);
                }
            }
        }
        if !changed {
            break;
        }
    }
    let targets: Vec<Option<&TypeId>> = (0..defs.len())
        .map(|i| {
            let root = find(&canonical, i);
            (root != i).then(|| &ids[root])
        })
        .collect();
    for (def, target) in defs.iter_mut().zip(&targets) {
        match target {
            Some(target) => def.kind = TypeKind::Alias(TypeRef::Named((*target).clone())),
            None => {
                for ty in def.kind.uses_mut() {
                    point_at(ty, |index| targets[index]);
                }
            }
        }
    }
    for ty in groups.iter_mut().flat_map(|group| &mut group.operations).flat_map(Operation::type_refs_mut) {
        point_at(ty, |index| targets[index]);
    }
}

fn find(canonical: &[usize], mut i: usize) -> usize {
    while canonical[i] != i {
        i = canonical[i];
    }
    i
}

/// Points the named type of `ty` at `to(its index)`, when that says where.
fn point_at<'t>(ty: &mut TypeRef, to: impl Fn(usize) -> Option<&'t TypeId>) {
    if let Some(id) = ty.named_mut()
        && let Some(target) = to(id.index())
    {
        *id = target.clone();
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::TypeKind;

    #[test]
    fn identical_inline_types_become_aliases_and_components_stay() {
        let yaml = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        state: {type: string, enum: [open, closed]}
        card: {type: object, properties: {state: {type: string, enum: [open, closed]}}}
    B:
      type: object
      properties:
        state: {type: string, enum: [open, closed]}
        card: {type: object, properties: {state: {type: string, enum: [open, closed]}}}
    C:
      type: object
      properties:
        state: {type: string, enum: [open, closed]}
        card: {type: object, properties: {state: {type: string, enum: [open, closed]}}}
"##;
        let api = crate::lower::lower_snippet(yaml).expect("lowers");
        let shapes: Vec<String> = api
            .types
            .iter()
            .map(|def| match &def.kind {
                TypeKind::Alias(target) => format!("{} = {target:?}", def.name),
                TypeKind::Struct { fields, .. } => {
                    let fields: Vec<String> = fields.iter().map(|f| format!("{:?}", f.ty)).collect();
                    format!("{} {{ {} }}", def.name, fields.join(", "))
                }
                _ => def.name.clone(),
            })
            .collect();
        expect_test::expect![[r#"
            [
                "AState",
                "ACardState = Named(#0 AState)",
                "ACard { Named(#0 AState) }",
                "A { Named(#0 AState), Named(#2 ACard) }",
                "BState = Named(#0 AState)",
                "BCardState = Named(#0 AState)",
                "BCard = Named(#2 ACard)",
                "B { Named(#0 AState), Named(#2 ACard) }",
                "CState = Named(#0 AState)",
                "CCardState = Named(#0 AState)",
                "CCard = Named(#2 ACard)",
                "C { Named(#0 AState), Named(#2 ACard) }",
            ]
        "#]]
        .assert_debug_eq(&shapes);
    }
}
