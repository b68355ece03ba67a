//! OAuth 2 client credentials (RFC 6749 §4.4): tokens fetched from the
//! spec's token endpoint with a client id and secret, through the same HTTP
//! client, redirect policy, size limit and timeout as the API's calls.

use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use reqwest::{Method, StatusCode, Url};

use std::sync::Arc;

use super::auth::{Credential, Placement};
use super::error::SendError;
use super::provider::{Attached, CredentialFuture, Provided, Source, Token};

/// The client id and secret of an OAuth 2 client, for a scheme with a
/// `clientCredentials` flow. `Debug` shows the client id, never the secret.
///
/// By default the client authenticates at the token endpoint with HTTP Basic
/// (RFC 6749 §2.3.1) and asks for the scopes the API's operations list for
/// the scheme.
#[derive(Clone)]
pub struct ClientCredentials {
    client_id: String,
    client_secret: String,
    scopes: Option<Vec<String>>,
    in_body: bool,
}

impl ClientCredentials {
    /// The client's id and secret, as the authorization server issued them.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        ClientCredentials { client_id: client_id.into(), client_secret: client_secret.into(), scopes: None, in_body: false }
    }

    /// Asks for these scopes instead of those the operations list; none
    /// leaves `scope` out of the request.
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// Sends the client id and secret as `client_id` and `client_secret` in
    /// the request body instead of HTTP Basic, for servers that want them so.
    pub fn secret_in_body(mut self) -> Self {
        self.in_body = true;
        self
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("scopes", &self.scopes)
            .field("secret_in_body", &self.in_body)
            .finish()
    }
}

/// Why the token endpoint gave no token. No variant carries the client
/// secret or a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The endpoint refused with an OAuth error (RFC 6749 §5.2).
    #[error("the token endpoint answered HTTP {status} with OAuth error `{error}`{}", .description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Refused {
        /// The HTTP status.
        status: StatusCode,
        /// The `error` code, such as `invalid_client`.
        error: String,
        /// The `error_description`, if any.
        description: Option<String>,
    },
    /// The endpoint answered with something other than a JSON token
    /// response or OAuth error: an HTML page, a redirect not followed, an
    /// unexpected status.
    #[error("the token endpoint answered HTTP {status} with {}, not a JSON token response", .content_type.as_deref().map(|t| format!("`{t}`")).unwrap_or_else(|| "no content type".to_owned()))]
    NotJson {
        /// The HTTP status.
        status: StatusCode,
        /// The `Content-Type` of the answer.
        content_type: Option<String>,
    },
    /// The JSON answer is not a usable token response: no `access_token`, a
    /// token type other than bearer, an `expires_in` that is not a number of seconds.
    #[error("the token endpoint's answer is not a usable token response: {0}")]
    Malformed(String),
    /// The token URL of the spec could not be used (it does not resolve
    /// against the base URL, or is not http(s)).
    #[error("the token URL `{0}` cannot be used")]
    Url(String),
    /// No answer within the client's timeout.
    #[error("the token endpoint did not answer in time")]
    Timeout,
    /// The answer is larger than the client's response size limit.
    #[error("the token endpoint's answer exceeds the limit of {0} bytes")]
    TooLarge(u64),
    /// The request could not be sent or its answer not read.
    #[error("transport error reaching the token endpoint: {0}")]
    Transport(#[source] reqwest::Error),
}

/// What sends the token requests: the client's own HTTP client and limits,
/// known once the client is built.
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    pub(crate) url: Result<Url, String>,
    pub(crate) timeout: Duration,
    pub(crate) max_response_bytes: u64,
}

/// Client credentials for one scheme: the flow's token URL (as the spec
/// writes it) and the scopes to ask for.
pub(crate) struct ClientCredentialsSource {
    pub(crate) credentials: ClientCredentials,
    pub(crate) token_url: &'static str,
    pub(crate) transport: OnceLock<Transport>,
}

impl fmt::Debug for ClientCredentialsSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2ClientCredentials")
            .field("token_url", &self.token_url)
            .field("credentials", &self.credentials)
            .finish()
    }
}

impl ClientCredentialsSource {
    /// `credentials`, asking for `default_scopes` unless they name their own.
    pub(crate) fn new(credentials: ClientCredentials, token_url: &'static str, default_scopes: &[&str]) -> Self {
        let mut credentials = credentials;
        if credentials.scopes.is_none() {
            credentials.scopes = Some(default_scopes.iter().map(|scope| (*scope).to_owned()).collect());
        }
        ClientCredentialsSource { credentials, token_url, transport: OnceLock::new() }
    }

    /// Asks the token endpoint for a token: the form of RFC 6749 §4.4.2,
    /// through the client's HTTP client, read up to its size limit.
    async fn request(&self) -> Result<Token, TokenError> {
        let Some(transport) = self.transport.get() else { return Err(TokenError::Url(self.token_url.to_owned())) };
        let url = transport.url.clone().map_err(TokenError::Url)?;
        let ClientCredentials { client_id, client_secret, scopes, in_body } = &self.credentials;
        let mut form = vec![("grant_type", "client_credentials".to_owned())];
        if let Some(scopes) = scopes.as_ref().filter(|scopes| !scopes.is_empty()) {
            form.push(("scope", scopes.join(" ")));
        }
        let mut request = reqwest::Request::new(Method::POST, url);
        if *in_body {
            form.push(("client_id", client_id.clone()));
            form.push(("client_secret", client_secret.clone()));
        } else {
            // RFC 6749 §2.3.1: each part form-encoded, then HTTP Basic.
            let encode = |text: &str| serde_urlencoded::to_string([("", text)]).unwrap_or_default().split_off(1);
            let pair = format!("{}:{}", encode(client_id), encode(client_secret));
            let basic = base64::engine::general_purpose::STANDARD.encode(pair);
            let mut value = HeaderValue::try_from(format!("Basic {basic}"))
                .map_err(|_| TokenError::Malformed("the client credentials cannot be sent".to_owned()))?;
            value.set_sensitive(true);
            request.headers_mut().insert(AUTHORIZATION, value);
        }
        let body = serde_urlencoded::to_string(&form).unwrap_or_default();
        request.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"));
        request.headers_mut().insert(ACCEPT, HeaderValue::from_static("application/json"));
        *request.body_mut() = Some(body.into());
        let answer = async {
            let response = transport.http.execute(request).await.map_err(SendError::from_reqwest)?;
            super::send::read(response, transport.max_response_bytes).await
        };
        let response = match tokio::time::timeout(transport.timeout, answer).await {
            Err(_) | Ok(Err(SendError::Timeout)) => return Err(TokenError::Timeout),
            Ok(Err(SendError::TooLarge { limit, .. })) => return Err(TokenError::TooLarge(limit)),
            Ok(Err(SendError::Transport(error))) => return Err(TokenError::Transport(error)),
            Ok(Err(SendError::InvalidRequest(problem))) => return Err(TokenError::Malformed(problem)),
            Ok(Err(SendError::Credentials { source, .. })) => return Err(TokenError::Malformed(source.to_string())),
            Ok(Ok(response)) => response,
        };
        let (status, headers, body) = response.into_parts();
        token_from(status, headers.get(CONTENT_TYPE), &body)
    }
}

impl Credential {
    /// A bearer token from OAuth 2 client credentials, fetched from
    /// `token_url` asking for `scopes` unless the credentials name their own.
    pub(crate) fn client_credentials(credentials: ClientCredentials, token_url: &'static str, scopes: &[&str]) -> Self {
        let source = Source::Attached(Box::new(ClientCredentialsSource::new(credentials, token_url, scopes)));
        Credential::Provided { placement: Placement::Bearer, provided: Arc::new(Provided::new(source)) }
    }
}

impl Attached for ClientCredentialsSource {
    /// Gives the source the client's HTTP client and limits; the token URL,
    /// when relative, is resolved against the client's base URL.
    fn attach(&self, http: &reqwest::Client, base: &Url, timeout: Duration, max_response_bytes: u64) {
        let mut base = base.clone();
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        let url = match base.join(self.token_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(url),
            _ => Err(self.token_url.to_owned()),
        };
        let _ = self.transport.set(Transport { http: http.clone(), url, timeout, max_response_bytes });
    }

    /// Asks the token endpoint for a token.
    fn fetch(&self) -> CredentialFuture<'_> {
        Box::pin(async { Ok(self.request().await?) })
    }
}

/// The token of a token endpoint's answer (RFC 6749 §5.1), or why there is none (§5.2).
fn token_from(status: StatusCode, content_type: Option<&HeaderValue>, body: &[u8]) -> Result<Token, TokenError> {
    let not_json = || TokenError::NotJson {
        status,
        content_type: content_type.and_then(|value| value.to_str().ok()).map(str::to_owned),
    };
    let Ok(serde_json::Value::Object(answer)) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Err(not_json());
    };
    let text = |key: &str| answer.get(key).and_then(serde_json::Value::as_str);
    if !status.is_success() {
        return match text("error") {
            Some(error) => Err(TokenError::Refused {
                status,
                error: error.to_owned(),
                description: text("error_description").map(str::to_owned),
            }),
            None => Err(not_json()),
        };
    }
    let Some(access_token) = text("access_token") else {
        return Err(TokenError::Malformed("no `access_token`".to_owned()));
    };
    if let Some(kind) = text("token_type").filter(|kind| !kind.eq_ignore_ascii_case("bearer")) {
        return Err(TokenError::Malformed(format!("token type `{kind}` is not `bearer`")));
    }
    let token = Token::new(access_token);
    match answer.get("expires_in") {
        None | Some(serde_json::Value::Null) => Ok(token),
        Some(value) => match value.as_u64() {
            Some(seconds) => Ok(token.expires_in(Duration::from_secs(seconds))),
            None => Err(TokenError::Malformed("`expires_in` is not a whole, non-negative number of seconds".to_owned())),
        },
    }
}
