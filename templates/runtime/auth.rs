//! Security schemes, the credentials configured for them, and how an
//! operation's security requirement picks among them.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::HeaderValue;

use super::error::SendError;
use super::provider::{CredentialProvider, Current, Provided, Source};

/// One security scheme of an API, as its spec names it. Each API module
/// declares its schemes; operations list the alternatives they accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scheme {
    index: usize,
    name: &'static str,
    setter: &'static str,
}

impl Scheme {
    /// The scheme `name` (its key in the spec), configured by the builder
    /// method `setter`; `index` is its place among the API's schemes.
    pub(crate) const fn new(index: usize, name: &'static str, setter: &'static str) -> Self {
        Scheme { index, name, setter }
    }

    /// The scheme's key in the spec's `securitySchemes`.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// A credential for one of the API's security schemes.
#[derive(Clone)]
pub(crate) enum Credential {
    /// HTTP Basic or a bearer token: the `Authorization` value, made once when
    /// the client is configured rather than on every call; `None` when the
    /// credential has characters a header cannot carry (reported by each call).
    Authorization { scheme: AuthorizationScheme, value: Option<HeaderValue> },
    ApiKey { location: ApiKeyLocation, name: &'static str, value: String },
    #[cfg(feature = "signing")]
    BodySignature(super::signing::BodySignature),
    /// A bearer token or API key asked of a provider when needed, and cached.
    Provided { placement: Placement, provided: Arc<Provided> },
}

/// Where a provided credential goes: as a bearer token, or as an API key.
#[derive(Debug, Clone)]
pub(crate) enum Placement {
    Bearer,
    ApiKey { location: ApiKeyLocation, name: &'static str, prefix: Option<&'static str> },
}

/// Which `Authorization` scheme a credential uses, and what of it may be shown.
#[derive(Clone)]
pub(crate) enum AuthorizationScheme {
    Basic { username: String },
    Bearer,
}

/// Where an API key travels.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

impl Credential {
    /// HTTP Basic credentials (RFC 7617: `user-id:password` in base64).
    pub(crate) fn basic(username: String, password: String) -> Self {
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
        Credential::authorization(AuthorizationScheme::Basic { username }, format!("Basic {encoded}"))
    }

    /// A bearer token.
    pub(crate) fn bearer(token: String) -> Self {
        Credential::authorization(AuthorizationScheme::Bearer, format!("Bearer {token}"))
    }

    fn authorization(scheme: AuthorizationScheme, text: String) -> Self {
        let value = HeaderValue::try_from(text).ok().map(|mut value| {
            value.set_sensitive(true);
            value
        });
        Credential::Authorization { scheme, value }
    }

    /// An API key in the header `name`.
    pub(crate) fn header(name: &'static str, value: String) -> Self {
        Credential::ApiKey { location: ApiKeyLocation::Header, name, value }
    }

    /// An API key in the query parameter `name`.
    pub(crate) fn query(name: &'static str, value: String) -> Self {
        Credential::ApiKey { location: ApiKeyLocation::Query, name, value }
    }

    /// An API key in the cookie `name`.
    pub(crate) fn cookie(name: &'static str, value: String) -> Self {
        Credential::ApiKey { location: ApiKeyLocation::Cookie, name, value }
    }

    /// A credential asked of `provider` when needed, sent as `placement` says.
    pub(crate) fn provided(placement: Placement, provider: impl CredentialProvider) -> Self {
        let provided = Provided::new(Source::Custom(Box::new(provider)));
        Credential::Provided { placement, provided: Arc::new(provided) }
    }

    /// The credential to send now: a provided one with its current token in
    /// place, any other as it is.
    pub(crate) fn resolved<'a>(&'a self, tokens: &[Current]) -> Result<std::borrow::Cow<'a, Credential>, SendError> {
        let Credential::Provided { placement, provided } = self else { return Ok(std::borrow::Cow::Borrowed(self)) };
        let current = tokens.iter().find(|current| Arc::ptr_eq(&current.provided, provided)).ok_or_else(|| {
            SendError::InvalidRequest("a provided credential was not fetched before sending".to_owned())
        })?;
        let secret = current.secret.to_string();
        Ok(std::borrow::Cow::Owned(match placement {
            Placement::Bearer => Credential::bearer(secret),
            Placement::ApiKey { location, name, prefix } => Credential::ApiKey {
                location: *location,
                name,
                value: match prefix {
                    Some(prefix) => format!("{prefix} {secret}"),
                    None => secret,
                },
            },
        }))
    }

    /// An HMAC-MD5 signature of each body in the header `header`.
    #[cfg(feature = "signing")]
    pub(crate) fn hmac_md5_signature(header: &'static str, format: &'static str, signer: String, key_hex: &str) -> Self {
        Credential::BodySignature(super::signing::BodySignature::hmac_md5_hex_key(header, format, signer, key_hex))
    }
}

impl Credential {
    /// Why this credential cannot be sent, if it cannot.
    fn check(&self) -> Result<(), String> {
        match self {
            Credential::Authorization { scheme: AuthorizationScheme::Basic { username }, .. } if username.contains(':') => {
                // RFC 7617: the first `:` separates user name and password.
                Err("has a user name containing `:`, which HTTP Basic cannot carry unambiguously".to_owned())
            }
            Credential::Authorization { value: None, .. } => Err("contains characters a header cannot carry".to_owned()),
            Credential::Authorization { .. } => Ok(()),
            Credential::ApiKey { location: ApiKeyLocation::Header, value, .. } => match HeaderValue::from_str(value) {
                Ok(_) => Ok(()),
                Err(_) => Err("contains characters a header cannot carry".to_owned()),
            },
            Credential::ApiKey { .. } | Credential::Provided { .. } => Ok(()),
            #[cfg(feature = "signing")]
            Credential::BodySignature(signature) => signature.check(),
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print a secret, not even its length.
        match self {
            Credential::Authorization { scheme: AuthorizationScheme::Basic { username }, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &"<redacted>")
                .finish(),
            Credential::Authorization { scheme: AuthorizationScheme::Bearer, .. } => f.write_str("Bearer(<redacted>)"),
            Credential::ApiKey { location, name, .. } => f
                .debug_struct("ApiKey")
                .field("location", location)
                .field("name", name)
                .field("value", &"<redacted>")
                .finish(),
            #[cfg(feature = "signing")]
            Credential::BodySignature(signature) => signature.fmt(f),
            Credential::Provided { placement, provided } => {
                f.debug_struct("Provided").field("placement", placement).field("provider", provided).finish()
            }
        }
    }
}

/// The credentials a client holds, by scheme index.
#[derive(Debug, Clone, Default)]
pub(crate) struct Credentials(Vec<Option<(Scheme, Credential)>>);

impl Credentials {
    pub(crate) fn set(&mut self, scheme: Scheme, credential: Credential) {
        if self.0.len() <= scheme.index {
            self.0.resize(scheme.index + 1, None);
        }
        self.0[scheme.index] = Some((scheme, credential));
    }

    /// Refuses credentials that could never be sent right, so that the
    /// client is not built rather than every call failing (or, worse, going
    /// out with an ambiguous or forged credential).
    pub(crate) fn check(&self) -> Result<(), String> {
        for (scheme, credential) in self.0.iter().flatten() {
            credential.check().map_err(|why| {
                format!("the credential set with `{}` (security scheme {}) {why}", scheme.setter, scheme.name)
            })?;
        }
        Ok(())
    }

    /// Gives the sources that send requests of their own (OAuth 2 client
    /// credentials) the client's HTTP client, base URL and limits, once the
    /// client is built.
    pub(crate) fn attach(&self, http: &reqwest::Client, base: &reqwest::Url, timeout: Duration, max_response_bytes: u64) {
        for (_, credential) in self.0.iter().flatten() {
            if let Credential::Provided { provided, .. } = credential {
                if let Source::Attached(source) = &provided.source {
                    source.attach(http, base, timeout, max_response_bytes);
                }
            }
        }
    }

    /// The current tokens of the provided credentials the call will send
    /// (those of the alternative `choose` picks), fetched where the cache
    /// has none fresh. Nothing when no alternative can be met: sending
    /// reports that.
    pub(crate) async fn tokens(&self, requirement: &[&'static [Scheme]], skew: Duration) -> Result<Vec<Current>, SendError> {
        let Ok(chosen) = self.choose(requirement) else { return Ok(Vec::new()) };
        let provided: Vec<(&'static str, &Arc<Provided>)> = chosen
            .filter_map(|credential| match credential {
                Credential::Provided { provided, .. } => Some(provided),
                _ => None,
            })
            .map(|provided| (self.scheme_of(provided), provided))
            .collect();
        let mut tokens = Vec::with_capacity(provided.len());
        for (scheme, provided) in provided {
            tokens.push(provided.current(scheme, skew).await?);
        }
        Ok(tokens)
    }

    fn scheme_of(&self, wanted: &Arc<Provided>) -> &'static str {
        self.0
            .iter()
            .flatten()
            .find(|(_, credential)| matches!(credential, Credential::Provided { provided, .. } if Arc::ptr_eq(provided, wanted)))
            .map_or("", |(scheme, _)| scheme.name)
    }

    fn get(&self, scheme: Scheme) -> Option<&Credential> {
        self.0.get(scheme.index).and_then(Option::as_ref).map(|(_, credential)| credential)
    }

    /// The credentials of the first alternative of `requirement` whose schemes
    /// are all configured. An operation without requirement, or one that lists
    /// an empty alternative (anonymous access), needs none. When no
    /// alternative can be met, the error names what the caller can configure.
    pub(crate) fn choose(
        &self,
        requirement: &[&'static [Scheme]],
    ) -> Result<impl Iterator<Item = &Credential>, String> {
        let chosen = match requirement {
            [] => Some(&[][..]),
            alternatives => alternatives
                .iter()
                .find(|alternative| alternative.iter().all(|&scheme| self.get(scheme).is_some()))
                .copied(),
        };
        if let Some(alternative) = chosen {
            return Ok(alternative.iter().filter_map(|&scheme| self.get(scheme)));
        }
        let options: Vec<String> = requirement
            .iter()
            .map(|alternative| {
                let setters: Vec<String> = alternative.iter().map(|s| format!("`{}`", s.setter)).collect();
                let names: Vec<&str> = alternative.iter().map(|s| s.name).collect();
                format!("{} (security scheme {})", setters.join(" and "), names.join(" + "))
            })
            .collect();
        Err(format!(
            "this operation needs credentials, and none of its security alternatives is configured; set one of: {}",
            options.join("; ")
        ))
    }
}
