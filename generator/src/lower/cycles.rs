//! Whole-graph passes over the finished type definitions.

use std::collections::HashMap;

use crate::ir::{TypeDef, TypeKind, TypeRef};

/// The named type a use contains inline (without a `Vec`, map or `Box`
/// between), which is what makes a type infinitely large when it cycles.
fn contained(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) => Some(name),
        TypeRef::Option(inner) => contained(inner),
        _ => None,
    }
}

/// Every type use inside a definition, mutable.
fn uses_mut(kind: &mut TypeKind) -> Vec<&mut TypeRef> {
    match kind {
        TypeKind::Struct { fields, additional, .. } => {
            let mut uses: Vec<&mut TypeRef> = fields.iter_mut().map(|f| &mut f.ty).collect();
            uses.extend(additional.as_mut());
            uses
        }
        TypeKind::Union { variants, .. } => variants.iter_mut().map(|v| &mut v.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => Vec::new(),
    }
}

/// Strongly connected components of the "contains inline" graph (Kosaraju,
/// iterative so deep specs cannot overflow the stack): component id per type.
fn components(defs: &mut [TypeDef]) -> Vec<usize> {
    let index: HashMap<String, usize> = defs.iter().enumerate().map(|(i, d)| (d.name.clone(), i)).collect();
    let edges: Vec<Vec<usize>> = defs
        .iter_mut()
        .map(|def| {
            uses_mut(&mut def.kind)
                .into_iter()
                .filter_map(|ty| contained(ty).and_then(|name| index.get(name).copied()))
                .collect()
        })
        .collect();
    let n = defs.len();
    let mut order = Vec::with_capacity(n);
    let mut visited = vec![false; n];
    for start in 0..n {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some((node, next)) = stack.pop() {
            if let Some(&child) = edges[node].get(next) {
                stack.push((node, next + 1));
                if !visited[child] {
                    visited[child] = true;
                    stack.push((child, 0));
                }
            } else {
                order.push(node);
            }
        }
    }
    let mut reverse = vec![Vec::new(); n];
    for (from, targets) in edges.iter().enumerate() {
        for &to in targets {
            reverse[to].push(from);
        }
    }
    let mut component = vec![usize::MAX; n];
    for (id, &root) in order.iter().rev().enumerate() {
        if component[root] != usize::MAX {
            continue;
        }
        component[root] = id;
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            for &from in &reverse[node] {
                if component[from] == usize::MAX {
                    component[from] = id;
                    stack.push(from);
                }
            }
        }
    }
    component
}

/// Boxes every inline use that closes a cycle, so each type has a finite size.
/// An alias that only names itself through other aliases has no Rust form and
/// becomes `serde_json::Value`.
pub fn break_cycles(defs: &mut [TypeDef]) {
    let component = components(defs);
    let index: HashMap<String, usize> = defs.iter().enumerate().map(|(i, d)| (d.name.clone(), i)).collect();
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, &c) in component.iter().enumerate() {
        members.entry(c).or_default().push(i);
    }
    let cyclic_aliases: Vec<usize> = members
        .values()
        .filter(|group| group.iter().all(|&i| matches!(defs[i].kind, TypeKind::Alias(_))))
        .filter(|group| {
            group.len() > 1
                || matches!(&defs[group[0]].kind, TypeKind::Alias(ty) if contained(ty) == Some(defs[group[0]].name.as_str()))
        })
        .flatten()
        .copied()
        .collect();
    for i in cyclic_aliases {
        defs[i].kind = TypeKind::Alias(TypeRef::Json);
    }
    for (i, def) in defs.iter_mut().enumerate() {
        for ty in uses_mut(&mut def.kind) {
            let closes_cycle = contained(ty)
                .and_then(|name| index.get(name))
                .is_some_and(|&target| component[target] == component[i]);
            if closes_cycle {
                box_inline(ty);
            }
        }
    }
}

fn box_inline(ty: &mut TypeRef) {
    match ty {
        TypeRef::Option(inner) => box_inline(inner),
        named @ TypeRef::Named(_) => {
            let inner = std::mem::replace(named, TypeRef::Json);
            *named = TypeRef::Boxed(Box::new(inner));
        }
        _ => {}
    }
}

/// Marks the structs whose every required field has a `Default`, so that
/// `..Default::default()` keeps big request bodies short. Enums, unions, dates
/// and ids have no sensible default; a required boxed field would recurse.
pub fn mark_defaults(defs: &mut [TypeDef]) {
    let index: HashMap<String, usize> = defs.iter().enumerate().map(|(i, d)| (d.name.clone(), i)).collect();
    // Greatest fixed point: start from "every struct and alias can", then
    // withdraw until nothing changes.
    let mut can: Vec<bool> = defs
        .iter()
        .map(|d| matches!(d.kind, TypeKind::Struct { .. } | TypeKind::Alias(_)))
        .collect();
    loop {
        let mut changed = false;
        for i in 0..defs.len() {
            if !can[i] {
                continue;
            }
            let ok = match &defs[i].kind {
                TypeKind::Struct { fields, .. } => fields
                    .iter()
                    .filter(|f| f.required)
                    .all(|f| has_default(&f.ty, &index, &can)),
                TypeKind::Alias(ty) => has_default(ty, &index, &can),
                _ => false,
            };
            if !ok {
                can[i] = false;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (def, can) in defs.iter_mut().zip(can) {
        if let TypeKind::Struct { default, .. } = &mut def.kind {
            *default = can;
        }
    }
}

fn has_default(ty: &TypeRef, index: &HashMap<String, usize>, can: &[bool]) -> bool {
    match ty {
        TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F64
        | TypeRef::String
        | TypeRef::Json
        | TypeRef::Vec(_)
        | TypeRef::Map(_)
        | TypeRef::Option(_) => true,
        TypeRef::Date | TypeRef::DateTime | TypeRef::Uuid | TypeRef::Boxed(_) => false,
        TypeRef::Named(name) => index.get(name).is_some_and(|&i| can[i]),
    }
}
