//! `components.securitySchemes` → the IR's security schemes: what each sends,
//! and the builder setter that configures it.

use openapiv3::{APIKeyLocation, SecurityScheme as Scheme};

use crate::diagnostics::Reporter;
use crate::pointer::pointer_push;
use crate::ir::{ApiKeyLocation, AuthKind, ClientCredentialsFlow, SecurityScheme, TokenRefresh};
use crate::naming::{Scope, constant, snake};
use crate::resolve::Resolver;

/// `x-content-signature` on a header API key: `{algorithm: hmac-md5,
/// key-encoding: hex, format: "…{signer}…{signature}…"}`; the algorithm and
/// key encoding Talon.One uses are the ones supported.
fn body_signature(header: &str, extension: &serde_json::Value) -> Result<AuthKind, String> {
    let field = |key: &str| extension.get(key).and_then(serde_json::Value::as_str);
    match (field("algorithm"), field("key-encoding"), field("format")) {
        (Some("hmac-md5"), Some("hex") | None, Some(format)) if format.contains("{signature}") => {
            Ok(AuthKind::BodySignature { header: header.to_owned(), format: format.to_owned() })
        }
        (Some("hmac-md5"), Some("hex") | None, _) => {
            Err(String::from("`x-content-signature` needs a `format` holding `{signature}`"))
        }
        (algorithm, encoding, _) => Err(format!(
            "`x-content-signature` supports `algorithm: hmac-md5` with `key-encoding: hex`, not {} with {}",
            algorithm.unwrap_or("no algorithm"),
            encoding.unwrap_or("no key encoding")
        )),
    }
}

/// Whether `name` can name an HTTP header: an RFC 9110 token.
pub(super) fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Methods of the runtime's `ClientBuilder` that credential setters must not shadow.
const BUILDER_METHODS: &[&str] = &[
    "timeout", "deadline", "walk_deadline", "retries", "retry_policy", "redirects", "max_response_bytes", "user_agent",
    "http_client", "on_request", "on_response", "build", "credential", "refresh_skew",
];

/// A `tokenUrl` the client can request: an absolute http(s) URL, or a
/// reference relative to the base URL (resolved when the client is built).
fn usable_token_url(url: &str) -> Result<(), String> {
    let shown = url.escape_debug();
    if url.trim().is_empty() {
        return Err(String::from("the `clientCredentials` flow has an empty `tokenUrl`; no client-credentials setter is generated (the bearer setters remain)"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) || url.starts_with("//") {
        return Err(format!("`tokenUrl` `{shown}` is not a usable URL; no client-credentials setter is generated (the bearer setters remain)"));
    }
    match url.split_once("://") {
        Some((scheme, rest)) if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) || rest.is_empty() || rest.starts_with('/') => {
            Err(format!("`tokenUrl` `{shown}` is not an http(s) URL; no client-credentials setter is generated (the bearer setters remain)"))
        }
        _ if url.contains(':') && !url.contains("://") && !url.starts_with(['/', '.']) => {
            Err(format!("`tokenUrl` `{shown}` is not an http(s) URL; no client-credentials setter is generated (the bearer setters remain)"))
        }
        _ => Ok(()),
    }
}

/// The scopes the security requirements (top-level and every operation's)
/// list for the scheme `key`, each once, in order of first appearance.
fn requested_scopes(openapi: &openapiv3::OpenAPI, key: &str) -> Vec<String> {
    let operations = openapi.paths.paths.values().filter_map(|item| item.as_item()).flat_map(|item| item.iter().map(|(_, op)| op));
    let requirements = openapi.security.iter().chain(operations.filter_map(|op| op.security.as_ref())).flatten();
    let mut scopes: Vec<String> = Vec::new();
    for scope in requirements.filter_map(|requirement| requirement.get(key)).flatten() {
        if !scopes.contains(scope) {
            scopes.push(scope.clone());
        }
    }
    scopes
}

/// `x-token-refresh: {path, token, expires-at}` on a bearer scheme.
fn token_refresh(extension: &serde_json::Value) -> Result<TokenRefresh, String> {
    let field = |key: &str| extension.get(key).and_then(serde_json::Value::as_str).map(str::to_owned);
    match (field("path"), field("token"), field("expires-at")) {
        (Some(path), Some(token), Some(expires_at)) if path.starts_with('/') && token.starts_with('/') && expires_at.starts_with('/') => {
            Ok(TokenRefresh { path, token, expires_at })
        }
        _ => Err(String::from("`x-token-refresh` needs `path` (from the base URL), `token` and `expires-at` (JSON pointers into the answer), each starting with `/`; it is ignored")),
    }
}

/// The security schemes of the document, each with its builder setter.
pub fn security_schemes(resolver: Resolver<'_>, reporter: &mut Reporter<'_>) -> Vec<SecurityScheme> {
    let Some(components) = &resolver.openapi.components else { return Vec::new() };
    let mut resolved = Vec::new();
    let mut flows = Vec::new();
    let mut refreshes = Vec::new();
    for (key, item) in &components.security_schemes {
        let pointer = pointer_push("/components/securitySchemes", key);
        let Some((scheme, _)) = resolver.resolve(item, &pointer) else { continue };
        let flow = match scheme.as_ref() {
            Scheme::OAuth2 { flows, .. } => flows.client_credentials.as_ref().and_then(|flow| {
                let at = pointer_push(&pointer_push(&pointer_push(&pointer, "flows"), "clientCredentials"), "tokenUrl");
                match usable_token_url(&flow.token_url) {
                    Ok(()) => Some((flow.token_url.clone(), requested_scopes(resolver.openapi, key))),
                    Err(problem) => {
                        reporter.warning(&at, problem);
                        None
                    }
                }
            }),
            _ => None,
        };
        flows.push(flow);
        let refresh = match scheme.as_ref() {
            Scheme::HTTP { extensions, .. } | Scheme::OAuth2 { extensions, .. } | Scheme::OpenIDConnect { extensions, .. } => {
                extensions.get("x-token-refresh").and_then(|extension| match token_refresh(extension) {
                    Ok(refresh) => Some(refresh),
                    Err(problem) => {
                        reporter.warning(&pointer_push(&pointer, "x-token-refresh"), problem);
                        None
                    }
                })
            }
            Scheme::APIKey { .. } => None,
        };
        refreshes.push(refresh);
        let (kind, description) = match scheme.as_ref() {
            Scheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                (AuthKind::Basic, description.clone())
            }
            Scheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                (AuthKind::Bearer, description.clone())
            }
            Scheme::HTTP { description, .. } => (
                // Other HTTP schemes (Digest, HOBA…) need a handshake; the
                // caller supplies the whole `Authorization` value instead.
                AuthKind::ApiKey { location: ApiKeyLocation::Header, name: String::from("Authorization"), prefix: None },
                description.clone(),
            ),
            Scheme::APIKey { location: APIKeyLocation::Header, name, description, extensions }
                if extensions.contains_key("x-content-signature") =>
            {
                match body_signature(name, &extensions["x-content-signature"]) {
                    Ok(kind) => (kind, description.clone()),
                    Err(problem) => {
                        reporter.error(&pointer_push(&pointer, "x-content-signature"), problem);
                        flows.pop();
                        refreshes.pop();
                        continue;
                    }
                }
            }
            Scheme::APIKey { location: APIKeyLocation::Header, name, .. } if !is_header_name(name) => {
                // No request can carry it; the operations needing it are
                // then sent without it (see `lower::operations`).
                reporter.warning(
                    &pointer_push(&pointer, "name"),
                    format!(
                        "`{}` is not an HTTP header name (RFC 9110: letters, digits and !#$%&'*+-.^_`|~ only); \
                         the scheme is left out, and operations requiring it are sent without it",
                        name.escape_debug()
                    ),
                );
                flows.pop();
                refreshes.pop();
                continue;
            }
            Scheme::APIKey { location, name, description, extensions } => (
                AuthKind::ApiKey {
                    location: match location {
                        APIKeyLocation::Query => ApiKeyLocation::Query,
                        APIKeyLocation::Header => ApiKeyLocation::Header,
                        APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                    },
                    name: name.clone(),
                    prefix: extensions.get("x-api-key-prefix").and_then(|v| v.as_str()).map(str::to_owned),
                },
                description.clone(),
            ),
            Scheme::OAuth2 { description, .. } | Scheme::OpenIDConnect { description, .. } => {
                (AuthKind::Bearer, description.clone())
            }
        };
        resolved.push((key, kind, description));
    }
    // The one Basic scheme is `basic_auth`, the one bearer-like scheme
    // `bearer_token`; when a kind appears twice, each is named after its key.
    let count = |wanted: &AuthKind| resolved.iter().filter(|(_, kind, _)| kind == wanted).count();
    let (basics, bearers) = (count(&AuthKind::Basic), count(&AuthKind::Bearer));
    let mut setters = Scope::with_reserved(BUILDER_METHODS);
    let mut constants = Scope::default();
    let with_flow = flows.iter().flatten().count();
    resolved
        .into_iter()
        .zip(flows.into_iter().zip(refreshes))
        .map(|((key, kind, description), (flow, token_refresh))| {
            let setter = match kind {
                AuthKind::Basic if basics == 1 => String::from("basic_auth"),
                AuthKind::Bearer if bearers == 1 => String::from("bearer_token"),
                AuthKind::Basic | AuthKind::Bearer | AuthKind::ApiKey { .. } | AuthKind::BodySignature { .. } => {
                    snake(key, "credential")
                }
            };
            let setter = setters.claim(setter);
            let provider_setter = matches!(kind, AuthKind::Bearer | AuthKind::ApiKey { .. })
                .then(|| setters.claim(format!("{}_provider", setter.trim_start_matches("r#"))));
            let client_credentials = flow.map(|(token_url, scopes)| {
                let name = if with_flow == 1 { String::from("client_credentials") } else { snake(key, "credential") + "_client_credentials" };
                ClientCredentialsFlow { setter: setters.claim(name), token_url, scopes }
            });
            SecurityScheme {
                key: key.clone(),
                setter,
                provider_setter,
                client_credentials,
                token_refresh: token_refresh.filter(|_| kind == AuthKind::Bearer),
                constant: constants.claim(constant(key, "SCHEME")),
                description,
                kind,
            }
        })
        .collect()
}
