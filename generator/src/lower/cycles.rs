//! Whole-graph passes over the finished type definitions.

use crate::ir::{Field, FieldDefault, TypeDef, TypeKind, TypeRef};

/// The named type a use contains inline (without a `Vec`, map or `Box`
/// between), which is what makes a type infinitely large when it cycles.
fn contained(ty: &TypeRef) -> Option<usize> {
    match ty {
        TypeRef::Named(id) => Some(id.index()),
        TypeRef::Option(inner) => contained(inner),
        _ => None,
    }
}

/// Every type use inside a definition, mutable.
fn uses_mut(kind: &mut TypeKind) -> Vec<&mut TypeRef> {
    match kind {
        // `additional` values live in a map, which is indirection enough.
        TypeKind::Struct { fields, .. } => fields.iter_mut().map(|f| &mut f.ty).collect(),
        TypeKind::Union { variants, .. } => variants.iter_mut().map(|v| &mut v.ty).collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
        TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => Vec::new(),
    }
}

/// Strongly connected components of the "contains inline" graph (Kosaraju,
/// iterative so deep specs cannot overflow the stack): component id per type.
fn components(defs: &mut [TypeDef]) -> Vec<usize> {
    let edges: Vec<Vec<usize>> =
        defs.iter_mut().map(|def| uses_mut(&mut def.kind).into_iter().filter_map(|ty| contained(ty)).collect()).collect();
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

/// Every named type a use mentions, through any container.
fn mentioned(ty: &TypeRef, out: &mut Vec<usize>) {
    match ty {
        TypeRef::Named(id) => out.push(id.index()),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Boxed(inner) => mentioned(inner, out),
        _ => {}
    }
}

/// A type alias may not mention itself, not even through a `Vec`: an alias
/// on a cycle of aliases becomes a transparent newtype struct instead.
fn newtype_cyclic_aliases(defs: &mut [TypeDef]) {
    let alias_edges: Vec<Vec<usize>> = defs
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Alias(ty) => {
                let mut targets = Vec::new();
                mentioned(ty, &mut targets);
                targets
                    .into_iter()
                    .filter(|&target| matches!(defs[target].kind, TypeKind::Alias(_)))
                    .collect()
            }
            _ => Vec::new(),
        })
        .collect();
    // An alias is on a cycle when it can reach itself.
    for start in 0..defs.len() {
        if alias_edges[start].is_empty() {
            continue;
        }
        let mut seen = vec![false; defs.len()];
        let mut stack = alias_edges[start].clone();
        let mut cyclic = false;
        while let Some(node) = stack.pop() {
            if node == start {
                cyclic = true;
                break;
            }
            if !std::mem::replace(&mut seen[node], true) {
                stack.extend(&alias_edges[node]);
            }
        }
        if cyclic && let TypeKind::Alias(ty) = &defs[start].kind {
            defs[start].kind = TypeKind::Newtype(ty.clone());
        }
    }
}

/// Boxes every inline use that closes a cycle, so each type has a finite size.
pub fn break_cycles(defs: &mut [TypeDef]) {
    newtype_cyclic_aliases(defs);
    let component = components(defs);
    for (i, def) in defs.iter_mut().enumerate() {
        for ty in uses_mut(&mut def.kind) {
            let closes_cycle = contained(ty).is_some_and(|target| component[target] == component[i]);
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

/// Marks the structs that may derive `Default`: those whose every required
/// field has a default in the spec that `Default` reproduces (the zero of a
/// scalar, an empty list, or an enum's default variant). A required field
/// the spec gives no default must never be filled in silently, so structs
/// with one get a constructor instead.
pub fn mark_defaults(defs: &mut [TypeDef]) {
    // Greatest fixed point: start from "every struct and alias can", then
    // withdraw until nothing changes.
    let mut can: Vec<bool> = defs
        .iter()
        .map(|d| {
            matches!(
                d.kind,
                TypeKind::Struct { .. }
                    | TypeKind::Alias(_)
                    | TypeKind::Newtype(_)
                    | TypeKind::StringEnum { default: Some(_), .. }
            )
        })
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
                    .all(|f| defaultable(f, &can, defs)),
                TypeKind::Alias(ty) => has_default(ty, &can),
                // Newtypes do not derive `Default`; a struct holding one cannot either.
                TypeKind::Newtype(_) => false,
                TypeKind::StringEnum { default, .. } => default.is_some(),
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
    // A required field whose spec default `Default` cannot give (a string's
    // `"standard"`, a struct without `Default`) is one the constructor must
    // take: filling it with `Default::default()` would send another value.
    let unreproduced: Vec<Vec<usize>> = defs
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Struct { fields, .. } => (0..fields.len())
                .filter(|&f| {
                    fields[f].required
                        && fields[f].default != FieldDefault::None
                        && !defaultable(&fields[f], &can, defs)
                })
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    for ((def, can), unreproduced) in defs.iter_mut().zip(can).zip(unreproduced) {
        if let TypeKind::Struct { default, fields, .. } = &mut def.kind {
            *default = can;
            for f in unreproduced {
                fields[f].default = FieldDefault::None;
            }
        }
    }
}

/// A required field `Default` may fill: its spec default is what `Default` gives.
fn defaultable(field: &Field, can: &[bool], defs: &[TypeDef]) -> bool {
    let is_enum = |ty: &TypeRef| match ty {
        TypeRef::Named(id) => matches!(defs[id.index()].kind, TypeKind::StringEnum { default: Some(_), .. }),
        _ => false,
    };
    match field.default {
        FieldDefault::None => false,
        FieldDefault::Zero => has_default(&field.ty, can),
        FieldDefault::Other => is_enum(&field.ty),
    }
}

fn has_default(ty: &TypeRef, can: &[bool]) -> bool {
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
        TypeRef::Named(id) => can[id.index()],
    }
}
