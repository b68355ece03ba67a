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

use std::collections::{HashMap, HashSet};

use crate::ir::{Group, OutcomeType, Payload, TypeDef, TypeKind, TypeRef};

/// Turns duplicate inline types into aliases and points every use, in types
/// and operations, at the remaining definition. `components` names the types
/// that come from component schemas.
pub fn dedupe(defs: &mut [TypeDef], groups: &mut [Group], components: &HashSet<&str>) {
    let index: HashMap<String, usize> = defs.iter().enumerate().map(|(i, def)| (def.name.clone(), i)).collect();
    let mut canonical: Vec<usize> = (0..defs.len()).collect();
    // Components first, so a copy of a component aliases the component.
    let mut order: Vec<usize> = (0..defs.len()).collect();
    order.sort_by_key(|&i| !components.contains(defs[i].name.as_str()));
    // Merging two types can make the types that use them identical too:
    // repeat until nothing changes.
    loop {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut changed = false;
        for &i in &order {
            if find(&canonical, i) != i || matches!(defs[i].kind, TypeKind::Alias(_)) {
                continue;
            }
            let mut kind = defs[i].kind.clone();
            for ty in kind.uses_mut() {
                rename(ty, &|name| index.get(name).map(|&t| defs[find(&canonical, t)].name.as_str()));
            }
            // The self-name is left as written, so a recursive type only
            // matches a copy that recurses into that same type.
            let key = format!("{kind:?}");
            match seen.get(&key) {
                Some(&first) if !components.contains(defs[i].name.as_str()) => {
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
    let target: Vec<Option<String>> = (0..defs.len())
        .map(|i| {
            let root = find(&canonical, i);
            (root != i).then(|| defs[root].name.clone())
        })
        .collect();
    let renamed = |name: &str| index.get(name).and_then(|&i| target[i].as_deref());
    for (def, target) in defs.iter_mut().zip(&target) {
        match target {
            Some(target) => def.kind = TypeKind::Alias(TypeRef::Named(target.clone())),
            None => {
                for ty in def.kind.uses_mut() {
                    rename(ty, &renamed);
                }
            }
        }
    }
    for operation in groups.iter_mut().flat_map(|g| &mut g.operations) {
        for param in &mut operation.params {
            rename(&mut param.ty, &renamed);
        }
        if let Some(body) = &mut operation.body
            && let crate::ir::BodyKind::Json(ty) | crate::ir::BodyKind::Form(ty) = &mut body.kind
        {
            rename(ty, &renamed);
        }
        for outcome in [&mut operation.success, &mut operation.failure] {
            let single = match &mut outcome.ty {
                OutcomeType::Single(payload) => Some(payload),
                OutcomeType::Enum { .. } => None,
            };
            for payload in outcome.arms.iter_mut().map(|arm| &mut arm.payload).chain(single) {
                if let Payload::Json(ty) = payload {
                    rename(ty, &renamed);
                }
            }
        }
    }
}

fn find(canonical: &[usize], mut i: usize) -> usize {
    while canonical[i] != i {
        i = canonical[i];
    }
    i
}

fn rename<'n>(ty: &mut TypeRef, renamed: &impl Fn(&str) -> Option<&'n str>) {
    match ty {
        TypeRef::Named(name) => {
            if let Some(target) = renamed(name) {
                *name = target.to_owned();
            }
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Boxed(inner) => {
            rename(inner, renamed)
        }
        _ => {}
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
                "ACardState = Named(\"AState\")",
                "ACard { Named(\"AState\") }",
                "A { Named(\"AState\"), Named(\"ACard\") }",
                "BState = Named(\"AState\")",
                "BCardState = Named(\"AState\")",
                "BCard = Named(\"ACard\")",
                "B { Named(\"AState\"), Named(\"ACard\") }",
                "CState = Named(\"AState\")",
                "CCardState = Named(\"AState\")",
                "CCard = Named(\"ACard\")",
                "C { Named(\"AState\"), Named(\"ACard\") }",
            ]
        "#]]
        .assert_debug_eq(&shapes);
    }
}
