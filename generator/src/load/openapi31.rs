//! OpenAPI 3.1 → 3.0-shaped data, on the raw tree.
//!
//! Document: `webhooks` are dropped (the API calls them, the client does
//! not), `jsonSchemaDialect` and `license.identifier` dropped, `info.summary`
//! becomes the description when there is none, missing `paths` become empty,
//! `mutualTLS` schemes are dropped (TLS client certificates are configured on
//! the HTTP client). Schemas (JSON Schema 2020-12) are rewritten one by one
//! by [`schema::Rules`]; `$defs` of component schemas become
//! component schemas of their own, so they get their own type names.

mod schema;

use serde_json::{Map, Value, json};

use crate::pointer::pointer_push;
use crate::load::schema_walk::{for_each_schema, walk_schema};
use crate::load::sources::PointerMap;
use crate::load::{Note, Upgraded};

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Upgrades an OpenAPI 3.1 tree.
pub fn upgrade(input: Value) -> Upgraded {
    let Value::Object(mut root) = input else {
        return Upgraded { tree: input, moves: PointerMap::default(), notes: Vec::new() };
    };
    let mut notes = Vec::new();
    root.insert("openapi".into(), json!("3.0.3"));
    root.remove("jsonSchemaDialect");
    if let Some(Value::Object(webhooks)) = root.remove("webhooks")
        && !webhooks.is_empty()
    {
        notes.push(Note {
            pointer: String::from("/webhooks"),
            message: format!(
                "webhooks are requests the API sends, not operations of the client; {} webhook(s) not generated",
                webhooks.len()
            ),
        });
    }
    let mut hoisted = PointerMap::default();
    if let Some(Value::Object(info)) = root.get_mut("info") {
        if !info.contains_key("description")
            && let Some(summary) = info.remove("summary")
        {
            info.insert("description".into(), summary);
            hoisted.insert(String::from("/info/description"), String::from("/info/summary"));
        }
        if let Some(Value::Object(license)) = info.get_mut("license") {
            license.remove("identifier");
        }
    }
    root.entry("paths").or_insert_with(|| json!({}));
    // 3.1 lets an operation document no responses; 3.0 wants the field.
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for item in paths.values_mut() {
            if let Value::Object(item) = item {
                for (method, operation) in item.iter_mut() {
                    if METHODS.contains(&method.as_str())
                        && let Value::Object(operation) = operation
                    {
                        operation.entry("responses").or_insert_with(|| json!({}));
                    }
                }
            }
        }
    }
    drop_mutual_tls(&mut root, &mut notes);

    let mut tree = Value::Object(root);
    hoist_defs(&mut tree, &mut hoisted);
    let mut rules = schema::Rules { moved_from: &hoisted, moves: PointerMap::default(), notes, relocations: Vec::new() };
    for_each_schema(&mut tree, &["/components/schemas"], &mut |node, pointer| rules.upgrade_schema(node, pointer));
    let schema::Rules { moves, mut notes, relocations, .. } = rules;
    if !relocations.is_empty() {
        follow_relocations(&mut tree, &relocations);
    }
    // The schema rules' anchors already point into the input tree; the
    // hoisting anchors cover the rest.
    let mut all = hoisted;
    for (at, from) in moves.into_entries() {
        all.insert(at, from);
    }
    notes.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    Upgraded { tree, moves: all, notes }
}

/// Drops `mutualTLS` schemes and their names in security requirements.
fn drop_mutual_tls(root: &mut Map<String, Value>, notes: &mut Vec<Note>) {
    let mut dropped = Vec::new();
    if let Some(Value::Object(schemes)) = root.get_mut("components").and_then(|c| c.get_mut("securitySchemes")) {
        schemes.retain(|name, scheme| {
            let mutual = scheme.get("type").and_then(Value::as_str) == Some("mutualTLS");
            if mutual {
                dropped.push(name.clone());
            }
            !mutual
        });
    }
    if dropped.is_empty() {
        return;
    }
    for name in &dropped {
        notes.push(Note {
            pointer: pointer_push("/components/securitySchemes", name),
            message: String::from("a mutualTLS scheme is configured on the HTTP client (a client certificate), not by a setter; it is left out"),
        });
    }
    fn strip(requirements: &mut Value, dropped: &[String]) {
        if let Value::Array(list) = requirements {
            for requirement in list.iter_mut() {
                if let Value::Object(names) = requirement {
                    names.retain(|name, _| !dropped.contains(name));
                }
            }
        }
    }
    if let Some(security) = root.get_mut("security") {
        strip(security, &dropped);
    }
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for item in paths.values_mut() {
            if let Value::Object(item) = item {
                for operation in item.values_mut() {
                    if let Some(security) = operation.get_mut("security") {
                        strip(security, &dropped);
                    }
                }
            }
        }
    }
}

/// Moves the `$defs` of component schemas (at any depth) to component schemas
/// named after their keys, and points references at their new places.
fn hoist_defs(tree: &mut Value, moves: &mut PointerMap<String>) {
    let Some(Value::Object(schemas)) = tree.get_mut("components").and_then(|c| c.get_mut("schemas")) else { return };
    // (old pointer, key, schema), outermost first.
    let mut found: Vec<(String, String, Value)> = Vec::new();
    for (name, schema) in schemas.iter_mut() {
        take_defs(schema, &mut pointer_push("/components/schemas", name), &mut found);
    }
    let mut index = 0;
    while index < found.len() {
        let (old, _, mut schema) = (found[index].0.clone(), (), std::mem::take(&mut found[index].2));
        let mut nested = Vec::new();
        take_defs(&mut schema, &mut old.clone(), &mut nested);
        found[index].2 = schema;
        found.extend(nested);
        index += 1;
    }
    if found.is_empty() {
        return;
    }
    let mut renamed: Vec<(String, String)> = Vec::new();
    for (old, key, schema) in found {
        let mut name = key.clone();
        let mut n = 1;
        while schemas.contains_key(&name) {
            n += 1;
            name = format!("{key}{n}");
        }
        let new = pointer_push("/components/schemas", &name);
        moves.insert(new.clone(), old.clone());
        renamed.push((old, new));
        schemas.insert(name, schema);
    }
    // The new places are known before any pointer is rewritten, so nested
    // definitions map through their own entry (longest old pointer first).
    renamed.sort_by_key(|(old, _)| std::cmp::Reverse(old.len()));
    retarget_refs(tree, &renamed);
}

/// References into a keyword the schema rules moved (`$ref` siblings into
/// `allOf`, type keywords into `oneOf` variants) follow it, in the order the
/// moves were made. Only references deeper than a component entry can be
/// affected; those are rare, so each is checked against every move.
fn follow_relocations(node: &mut Value, relocations: &[(String, String)]) {
    match node {
        Value::Object(fields) => {
            if let Some(Value::String(reference)) = fields.get_mut("$ref")
                && reference.matches('/').count() > 3
                && let Some(pointer) = reference.strip_prefix('#')
            {
                // Compared as decoded pointers: `%7B` and `{` are one character.
                let mut pointer = crate::resolve::percent_decode(pointer).into_owned();
                let mut moved = false;
                for (old, new) in relocations {
                    if let Some(rest) = pointer.strip_prefix(old.as_str())
                        && (rest.is_empty() || rest.starts_with('/'))
                    {
                        pointer = format!("{new}{rest}");
                        moved = true;
                    }
                }
                if moved {
                    *reference = format!("#{pointer}");
                }
            }
            fields.values_mut().for_each(|child| follow_relocations(child, relocations));
        }
        Value::Array(items) => items.iter_mut().for_each(|child| follow_relocations(child, relocations)),
        _ => {}
    }
}

fn take_defs(schema: &mut Value, pointer: &mut String, found: &mut Vec<(String, String, Value)>) {
    walk_schema(schema, pointer, &mut |node, at| {
        if let Value::Object(fields) = node
            && let Some(Value::Object(defs)) = fields.remove("$defs")
        {
            for (key, def) in defs {
                found.push((pointer_push(&pointer_push(at, "$defs"), &key), key, def));
            }
        }
    });
}

fn retarget_refs(node: &mut Value, renamed: &[(String, String)]) {
    match node {
        Value::Object(fields) => {
            if let Some(Value::String(reference)) = fields.get_mut("$ref")
                && let Some(pointer) = reference.strip_prefix('#')
                && let Some((old, new)) = renamed.iter().find(|(old, _)| {
                    pointer.strip_prefix(old.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
                })
            {
                *reference = format!("#{new}{}", &pointer[old.len()..]);
            }
            fields.values_mut().for_each(|child| retarget_refs(child, renamed));
        }
        Value::Array(items) => items.iter_mut().for_each(|child| retarget_refs(child, renamed)),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
