//! Rules for operations: the method on the group (`Client::pets().list()`),
//! its positional arguments, its builder's setters, and what `send()` returns.

use std::collections::BTreeSet;

use crate::ir::{BodyKind, Group, Operation, Outcome, OutcomeType, Param, ParamLocation, Payload, RequestBody, StatusMatch};

use super::matching::by_key;
use super::side::{path_template, rust_type};
use super::{Class, Recorder, text_changed};

/// One operation with what names and locates it.
struct Op<'a> {
    group: &'a Group,
    op: &'a Operation,
}

impl Op<'_> {
    fn item(&self) -> String {
        format!("Client::{}().{}()", self.group.accessor, self.op.method_name)
    }
}

/// Compares the operations, matched by group accessor and method name.
pub(super) fn compare(r: &mut Recorder<'_>) {
    let all = |groups: &[Group]| -> Vec<(usize, usize)> {
        groups.iter().enumerate().flat_map(|(g, group)| (0..group.operations.len()).map(move |o| (g, o))).collect()
    };
    let (old_groups, new_groups) = (&r.old.api.groups, &r.new.api.groups);
    let old_ops: Vec<Op<'_>> = all(old_groups).into_iter().map(|(g, o)| Op { group: &old_groups[g], op: &old_groups[g].operations[o] }).collect();
    let new_ops: Vec<Op<'_>> = all(new_groups).into_iter().map(|(g, o)| Op { group: &new_groups[g], op: &new_groups[g].operations[o] }).collect();
    let matched = by_key(&old_ops, &new_ops, |op| (op.group.accessor.as_str(), op.op.method_name.as_str()));
    for op in matched.removed {
        let pointer = r.old.operation_pointer(op.op);
        let message = format!("operation removed (`{} {}`)", op.op.http_method, path_template(op.op));
        r.push(Class::Breaking, &op.item(), message, Some(&pointer), None);
    }
    for op in matched.added {
        let pointer = r.new.operation_pointer(op.op);
        let message = format!("new operation (`{} {}`)", op.op.http_method, path_template(op.op));
        r.push(Class::Additive, &op.item(), message, None, Some(&pointer));
    }
    for (old, new) in matched.both {
        compare_operation(r, old, new);
    }
    let groups = by_key(old_groups, new_groups, |g| g.accessor.as_str());
    for (old, new) in groups.both {
        if text_changed(old.description.as_deref(), new.description.as_deref()) {
            r.push(Class::Docs, &format!("Client::{}()", new.accessor), "tag description changed".to_owned(), None, None);
        }
    }
}

/// Where both versions of an operation are, and its item.
struct At {
    item: String,
    old: String,
    new: String,
}

fn compare_operation(r: &mut Recorder<'_>, old: &Op<'_>, new: &Op<'_>) {
    let at = At { item: new.item(), old: r.old.operation_pointer(old.op), new: r.new.operation_pointer(new.op) };
    let (old, new) = (old.op, new.op);
    let push = |r: &mut Recorder<'_>, class: Class, message: String| {
        r.push(class, &at.item, message, Some(&at.old), Some(&at.new));
    };
    // The wire: the same call goes elsewhere.
    if old.http_method != new.http_method {
        push(r, Class::Behaviour, format!("method {} → {}", old.http_method, new.http_method));
    }
    if path_template(old) != path_template(new) {
        push(r, Class::Behaviour, format!("path `{}` → `{}`", path_template(old), path_template(new)));
    }
    for (class, message) in parameter_changes(old, new).into_iter().chain(body_changes(old.body.as_ref(), new.body.as_ref())) {
        push(r, class, message);
    }
    for (class, message) in outcome_changes(old, new) {
        push(r, class, message);
    }
    let schemes = |side: &super::Side, op: &Operation| -> BTreeSet<Vec<String>> {
        let keys = &side.api.security_schemes;
        op.security.iter().map(|alt| alt.iter().map(|&i| keys[i].key.clone()).collect()).collect()
    };
    if schemes(r.old, old) != schemes(r.new, new) {
        // Setters stay; which credentials the request carries changes.
        push(r, Class::Behaviour, "security requirement changed".to_owned());
    }
    if old.accept != new.accept {
        let text = |a: &Option<String>| a.clone().unwrap_or_else(|| "none".to_owned());
        push(r, Class::Behaviour, format!("Accept `{}` → `{}`", text(&old.accept), text(&new.accept)));
    }
    match (&old.pagination, &new.pagination) {
        (None, Some(_)) => push(r, Class::Additive, "pages can be walked (`items()`, `pages()`)".to_owned()),
        (Some(_), None) => push(r, Class::Breaking, "pages can no longer be walked: `items()` and `pages()` removed".to_owned()),
        (Some(before), Some(after)) if rust_type(&before.item) != rust_type(&after.item) => {
            let message = format!("page items {} → {}", rust_type(&before.item), rust_type(&after.item));
            push(r, Class::Breaking, message);
        }
        // Compared without `item`: type ids are indexes into each side's own list.
        (Some(before), Some(after)) if before.items != after.items || before.style != after.style => {
            push(r, Class::Behaviour, "how pages are walked changed".to_owned());
        }
        _ => {}
    }
    if text_changed(old.doc().as_deref(), new.doc().as_deref()) {
        push(r, Class::Docs, "summary or description changed".to_owned());
    }
    if old.deprecated != new.deprecated {
        push(r, Class::Docs, if new.deprecated { "deprecated" } else { "no longer deprecated" }.to_owned());
    }
    if examples(old) != examples(new) {
        push(r, Class::Docs, "examples changed".to_owned());
    }
}

/// The examples an operation's docs show: a parameter or status without
/// one shows none, so only those given count.
fn examples(op: &Operation) -> Vec<&serde_json::Value> {
    let e = &op.examples;
    e.params.iter().chain([&e.body]).chain(&e.success).chain(&e.failure).flatten().filter(|e| e.shown()).map(|e| &e.value).collect()
}

/// Required parameters are the method's positional arguments, optional ones
/// setters on its builder. Adding, removing or retyping either is breaking,
/// and so is moving one between the two (an argument appears or a setter
/// goes); a new optional one is a new setter. Its wire name, place or query
/// style changing under the same Rust name is behaviour.
fn parameter_changes(old: &Operation, new: &Operation) -> Vec<(Class, String)> {
    let mut changes = Vec::new();
    let matched = by_key(&old.params, &new.params, |p| p.ident.as_str());
    for param in matched.removed {
        let what = if param.required { "argument" } else { "setter" };
        changes.push((Class::Breaking, format!("parameter `{}` removed ({what} gone)", param.ident)));
    }
    for param in matched.added {
        let change = if param.required {
            (Class::Breaking, format!("new required parameter `{}`: a new argument", param.ident))
        } else {
            (Class::Additive, format!("new optional parameter `{}` (setter)", param.ident))
        };
        changes.push(change);
    }
    let mut retyped = false;
    for (before, after) in matched.both {
        changes.extend(param_changes(before, after));
        retyped |= before.required != after.required || rust_type(&before.ty) != rust_type(&after.ty);
    }
    let arguments = |op: &Operation| -> Vec<String> {
        op.params.iter().filter(|p| p.required).map(|p| format!("{}: {}", p.ident, rust_type(&p.ty))).collect()
    };
    if !retyped && changes.iter().all(|(class, _)| *class != Class::Breaking) && arguments(old) != arguments(new) {
        changes.push((Class::Breaking, format!("arguments reordered: ({}) → ({})", arguments(old).join(", "), arguments(new).join(", "))));
    }
    changes
}

fn param_changes(old: &Param, new: &Param) -> Vec<(Class, String)> {
    let mut changes = Vec::new();
    let name = &new.ident;
    match (old.required, new.required) {
        (false, true) => changes.push((Class::Breaking, format!("parameter `{name}` became required: a new argument, its setter gone"))),
        (true, false) => changes.push((Class::Breaking, format!("parameter `{name}` became optional: an argument gone, now a setter"))),
        _ => {}
    }
    if rust_type(&old.ty) != rust_type(&new.ty) {
        changes.push((Class::Breaking, format!("parameter `{name}`: {} → {}", rust_type(&old.ty), rust_type(&new.ty))));
    }
    if old.wire != new.wire || old.location != new.location {
        let place = |p: &Param| format!("{} `{}`", format!("{:?}", p.location).to_lowercase(), p.wire);
        changes.push((Class::Behaviour, format!("parameter `{name}` is sent as {} (was {})", place(new), place(old))));
    }
    // The style matters only in the query.
    if new.location == ParamLocation::Query && old.style != new.style {
        changes.push((Class::Behaviour, format!("parameter `{name}` is written {:?} (was {:?})", new.style, old.style)));
    }
    // An idempotency key or single-use header changes retries and page walks.
    if old.role != new.role {
        changes.push((Class::Behaviour, format!("header `{name}` is {:?} (was {:?})", new.role, old.role)));
    }
    if text_changed(old.description.as_deref(), new.description.as_deref()) || old.deprecated != new.deprecated {
        changes.push((Class::Docs, format!("parameter `{name}`: description or deprecation changed")));
    }
    changes
}

/// A required body is the last argument, an optional one a `body` setter;
/// its Rust type is the argument's. The same type under another media type
/// (JSON ↔ form, one text type for another) is behaviour.
fn body_changes(old: Option<&RequestBody>, new: Option<&RequestBody>) -> Vec<(Class, String)> {
    match (old, new) {
        (None, None) => Vec::new(),
        (None, Some(body)) if !body.required => vec![(Class::Additive, "new optional request body (`body` setter)".to_owned())],
        (None, Some(_)) => vec![(Class::Breaking, "new required request body: a new argument".to_owned())],
        (Some(_), None) => vec![(Class::Breaking, "request body removed".to_owned())],
        (Some(before), Some(after)) => {
            let mut changes = Vec::new();
            if before.required != after.required {
                let now = if after.required { "required: a new argument" } else { "optional: an argument gone" };
                changes.push((Class::Breaking, format!("request body became {now}")));
            }
            let (old_ty, new_ty) = (body_type(&before.kind), body_type(&after.kind));
            if old_ty != new_ty {
                changes.push((Class::Breaking, format!("request body {old_ty} → {new_ty}")));
            } else if body_media(&before.kind) != body_media(&after.kind) {
                let media = format!("request body sent as {} (was {})", body_media(&after.kind), body_media(&before.kind));
                changes.push((Class::Behaviour, media));
            }
            if text_changed(before.description.as_deref(), after.description.as_deref()) {
                changes.push((Class::Docs, "request body description changed".to_owned()));
            }
            changes
        }
    }
}

/// The Rust type a body argument takes.
fn body_type(kind: &BodyKind) -> String {
    match kind {
        BodyKind::Json(ty) | BodyKind::Form(ty) => rust_type(ty),
        BodyKind::Multipart => "reqwest::multipart::Form".to_owned(),
        BodyKind::Text(_) => "String".to_owned(),
        BodyKind::Binary(_) => "bytes::Bytes".to_owned(),
    }
}

fn body_media(kind: &BodyKind) -> String {
    match kind {
        BodyKind::Json(_) => "JSON".to_owned(),
        BodyKind::Form(_) => "a form".to_owned(),
        BodyKind::Multipart => "multipart".to_owned(),
        BodyKind::Text(media) | BodyKind::Binary(media) => format!("`{media}`"),
    }
}

/// What `send()` returns on success, and the payload of its documented
/// errors. A changed Rust type is breaking. A status that moved between
/// success and error is behaviour (the same code compiles; the call now
/// fails, or succeeds, where it did the opposite). A newly documented status
/// that decodes into the same type is additive; one no longer documented is
/// behaviour (that status now ends as an unexpected-status error).
fn outcome_changes(old: &Operation, new: &Operation) -> Vec<(Class, String)> {
    let mut changes = Vec::new();
    for (side, before, after) in [("returns", &old.success, &new.success), ("error payload", &old.failure, &new.failure)] {
        let (old_ty, new_ty) = (outcome_type(before), outcome_type(after));
        if old_ty != new_ty {
            changes.push((Class::Breaking, format!("{side} {old_ty} → {new_ty}")));
            continue;
        }
        if let OutcomeType::Enum { .. } = after.ty {
            let variants = by_key(&before.arms, &after.arms, |arm| arm.variant.clone());
            for arm in variants.removed {
                changes.push((Class::Breaking, format!("{new_ty}::{} removed", arm.variant.as_deref().unwrap_or("Other"))));
            }
            // The enums of an operation's answers are `#[non_exhaustive]`: a
            // new variant is a newly documented status, reported (additive)
            // with the statuses below.
            for (a, b) in variants.both {
                if payload_type(&a.payload) != payload_type(&b.payload) {
                    let message = format!("{new_ty}::{} holds {} (was {})", b.variant.as_deref().unwrap_or("Other"), payload_type(&b.payload), payload_type(&a.payload));
                    changes.push((Class::Breaking, message));
                }
            }
        }
    }
    let statuses = |outcome: &Outcome| outcome.arms.iter().map(|arm| status_text(arm.status)).collect::<BTreeSet<_>>();
    let (old_ok, old_err, new_ok, new_err) = (statuses(&old.success), statuses(&old.failure), statuses(&new.success), statuses(&new.failure));
    for status in old_ok.intersection(&new_err) {
        changes.push((Class::Behaviour, format!("status {status} is now an error (was a success)")));
    }
    for status in old_err.intersection(&new_ok) {
        changes.push((Class::Behaviour, format!("status {status} is now a success (was an error)")));
    }
    let (old_all, new_all): (BTreeSet<_>, BTreeSet<_>) = (old_ok.union(&old_err).cloned().collect(), new_ok.union(&new_err).cloned().collect());
    for status in new_all.difference(&old_all) {
        changes.push((Class::Additive, format!("status {status} documented")));
    }
    for status in old_all.difference(&new_all) {
        changes.push((Class::Behaviour, format!("status {status} no longer documented")));
    }
    changes
}

fn outcome_type(outcome: &Outcome) -> String {
    match &outcome.ty {
        OutcomeType::Single(payload) => payload_type(payload),
        OutcomeType::Enum { name, .. } => name.clone(),
    }
}

fn payload_type(payload: &Payload) -> String {
    match payload {
        Payload::Empty => "()".to_owned(),
        Payload::Json(ty) => rust_type(ty),
        Payload::Text => "String".to_owned(),
        Payload::Binary => "bytes::Bytes".to_owned(),
        // `send()` reads the stream as text; `send_events()` yields the data type.
        Payload::Events(Some(ty)) => format!("String (events of {})", rust_type(ty)),
        Payload::Events(None) => "String (events of String)".to_owned(),
    }
}

fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(start) => format!("{}XX", start / 100),
        StatusMatch::Default => "default".to_owned(),
    }
}
