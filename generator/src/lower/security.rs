//! `components.securitySchemes` → the IR's security schemes: what each sends,
//! and the builder setter that configures it.

use openapiv3::{APIKeyLocation, SecurityScheme as Scheme};

use crate::diagnostics::Reporter;
use crate::pointer::pointer_push;
use crate::ir::{ApiKeyLocation, AuthKind, SecurityScheme};
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

/// Methods of the runtime's `ClientBuilder` that credential setters must not shadow.
const BUILDER_METHODS: &[&str] = &[
    "timeout", "deadline", "walk_deadline", "retries", "retry_policy", "redirects", "max_response_bytes", "user_agent",
    "http_client", "on_request", "on_response", "build", "credential",
];

/// The security schemes of the document, each with its builder setter.
pub fn security_schemes(resolver: Resolver<'_>, reporter: &mut Reporter<'_>) -> Vec<SecurityScheme> {
    let Some(components) = &resolver.openapi.components else { return Vec::new() };
    let mut resolved = Vec::new();
    for (key, item) in &components.security_schemes {
        let pointer = pointer_push("/components/securitySchemes", key);
        let Some((scheme, _)) = resolver.resolve(item, &pointer) else { continue };
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
                        continue;
                    }
                }
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
    resolved
        .into_iter()
        .map(|(key, kind, description)| {
            let setter = match kind {
                AuthKind::Basic if basics == 1 => String::from("basic_auth"),
                AuthKind::Bearer if bearers == 1 => String::from("bearer_token"),
                AuthKind::Basic | AuthKind::Bearer | AuthKind::ApiKey { .. } | AuthKind::BodySignature { .. } => {
                    snake(key, "credential")
                }
            };
            SecurityScheme {
                key: key.clone(),
                setter: setters.claim(setter),
                constant: constants.claim(constant(key, "SCHEME")),
                description,
                kind,
            }
        })
        .collect()
}
