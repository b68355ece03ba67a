//! Rules for the client itself: its servers (the `servers` module) and its
//! credential setters (`ClientBuilder`).

use crate::ir::{AuthKind, SecurityScheme, Server};

use super::matching::by_key;
use super::{Class, Recorder, text_changed};

/// Compares servers, security schemes and the API's description.
pub(super) fn compare(r: &mut Recorder<'_>) {
    let (old, new) = (&r.old.api, &r.new.api);
    if text_changed(old.description.as_deref(), new.description.as_deref()) {
        r.push(Class::Docs, "Client", "the API's description changed".to_owned(), Some("/info"), Some("/info"));
    }
    let servers = by_key(&old.servers, &new.servers, |s| s.name.as_str());
    for server in servers.removed {
        // Code naming the constant or calling the helper no longer compiles.
        let message = format!("server `{}` removed", server.url);
        let pointer = server_pointer(&old.servers, server);
        r.push(Class::Breaking, &server_item(server), message, Some(&pointer), None);
    }
    for server in servers.added {
        let message = format!("new server `{}`", server.url);
        let pointer = server_pointer(&new.servers, server);
        r.push(Class::Additive, &server_item(server), message, None, Some(&pointer));
    }
    for (before, after) in servers.both {
        let at = (server_pointer(&old.servers, before), server_pointer(&new.servers, after));
        compare_server(r, before, after, &at);
    }
    let schemes = by_key(&old.security_schemes, &new.security_schemes, |s| s.setter.as_str());
    for scheme in schemes.removed {
        let pointer = scheme_pointer(scheme);
        r.push(Class::Breaking, &setter_item(scheme), "credential setter removed".to_owned(), Some(&pointer), None);
    }
    for scheme in schemes.added {
        let pointer = scheme_pointer(scheme);
        r.push(Class::Additive, &setter_item(scheme), "new credential setter".to_owned(), None, Some(&pointer));
    }
    for (old, new) in schemes.both {
        let (old_pointer, new_pointer) = (scheme_pointer(old), scheme_pointer(new));
        let at = (Some(old_pointer.as_str()), Some(new_pointer.as_str()));
        if old.kind != new.kind {
            // The setter's arguments follow the kind: a change between kinds
            // that take different ones breaks its callers.
            let class = if setter_arguments(&old.kind) == setter_arguments(&new.kind) { Class::Behaviour } else { Class::Breaking };
            let message = format!("sends {} instead of {}", kind_text(&new.kind), kind_text(&old.kind));
            r.push(class, &setter_item(new), message, at.0, at.1);
        }
        if text_changed(old.description.as_deref(), new.description.as_deref()) {
            r.push(Class::Docs, &setter_item(new), "description changed".to_owned(), at.0, at.1);
        }
    }
}

/// A server whose helper takes other variables no longer compiles where it
/// is called; a new URL behind the same name compiles and goes elsewhere.
fn compare_server(r: &mut Recorder<'_>, old: &Server, new: &Server, (at_old, at_new): &(String, String)) {
    let item = server_item(new);
    let at = (Some(at_old.as_str()), Some(at_new.as_str()));
    let variables = |s: &Server| s.variables.iter().map(|v| v.ident.clone()).collect::<Vec<_>>();
    if variables(old) != variables(new) || old.relative != new.relative {
        let message = format!("arguments changed: ({}) → ({})", signature(old), signature(new));
        r.push(Class::Breaking, &item, message, at.0, at.1);
    } else if old.url != new.url {
        let message = format!("URL `{}` → `{}`", old.url, new.url);
        r.push(Class::Behaviour, &item, message, at.0, at.1);
    }
    if text_changed(old.description.as_deref(), new.description.as_deref()) {
        r.push(Class::Docs, &item, "description changed".to_owned(), at.0, at.1);
    }
}

fn signature(server: &Server) -> String {
    let origin = server.relative.then(|| "origin".to_owned());
    origin.into_iter().chain(server.variables.iter().map(|v| v.ident.clone())).collect::<Vec<_>>().join(", ")
}

/// `/servers/<i>`: lowering keeps the servers in document order.
fn server_pointer(servers: &[Server], server: &Server) -> String {
    let index = servers.iter().position(|s| std::ptr::eq(s, server)).unwrap_or_default();
    format!("/servers/{index}")
}

fn server_item(server: &Server) -> String {
    format!("servers::{}", server.name)
}

fn setter_item(scheme: &SecurityScheme) -> String {
    format!("ClientBuilder::{}()", scheme.setter)
}

fn scheme_pointer(scheme: &SecurityScheme) -> String {
    crate::pointer::pointer_push("/components/securitySchemes", &scheme.key)
}

/// The arguments of a credential setter, as emit writes them.
fn setter_arguments(kind: &AuthKind) -> &'static str {
    match kind {
        AuthKind::Basic => "username, password",
        AuthKind::Bearer => "token",
        AuthKind::ApiKey { .. } => "key",
        AuthKind::BodySignature { .. } => "signer, key_hex",
    }
}

fn kind_text(kind: &AuthKind) -> String {
    match kind {
        AuthKind::Basic => "HTTP Basic".to_owned(),
        AuthKind::Bearer => "a bearer token".to_owned(),
        AuthKind::ApiKey { location, name, .. } => {
            format!("an API key in the {} `{name}`", format!("{location:?}").to_lowercase())
        }
        AuthKind::BodySignature { header, .. } => format!("a body signature in `{header}`"),
    }
}
