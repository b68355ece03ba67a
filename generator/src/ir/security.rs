//! How an API authenticates: its security schemes and what each sends.

/// A way to authenticate, with its builder setter.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// Key in `components.securitySchemes`.
    pub key: String,
    /// Builder method that sets the credential.
    pub setter: String,
    /// The constant naming the scheme in generated code.
    pub constant: String,
    /// `description`.
    pub description: Option<String>,
    /// What is sent.
    pub kind: AuthKind,
    /// The builder method that takes a provider of the credential instead
    /// of a fixed value: bearer tokens and API keys.
    pub provider_setter: Option<String>,
    /// An OAuth 2 `clientCredentials` flow with a usable token URL.
    pub client_credentials: Option<ClientCredentialsFlow>,
    /// How to renew the bearer token with a refresh token (`x-token-refresh`).
    pub token_refresh: Option<TokenRefresh>,
}

/// An OAuth 2 client credentials flow (RFC 6749 §4.4): the builder fetches
/// tokens with a client id and secret.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientCredentialsFlow {
    /// The builder method taking the client id and secret.
    pub setter: String,
    /// `tokenUrl`, absolute or relative to the base URL the client is built with.
    pub token_url: String,
    /// The scopes the operations' security requirements list for the scheme,
    /// in order of first appearance: asked for unless the caller names others.
    pub scopes: Vec<String>,
}

/// `x-token-refresh` on a bearer scheme: an endpoint of the API that trades a
/// refresh token (sent as the bearer) for an access token, which the usage
/// guide shows plugged into a provider.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenRefresh {
    /// The path, relative to the base URL (`/api/v2/auth/token/refresh`).
    pub path: String,
    /// JSON pointer to the access token in the answer.
    pub token: String,
    /// JSON pointer to the token's expiry (RFC 3339) in the answer.
    pub expires_at: String,
}

/// What a security scheme sends.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthKind {
    /// `Authorization: Basic …` from a username and password.
    Basic,
    /// `Authorization: Bearer …` (HTTP bearer, OAuth 2 and OpenID Connect).
    Bearer,
    /// An API key in a header, query parameter or cookie.
    ApiKey {
        /// Where it goes.
        location: ApiKeyLocation,
        /// Header, parameter or cookie name.
        name: String,
        /// Text put before the key, e.g. `ApiKey-v1 ` (from `x-api-key-prefix`).
        prefix: Option<String>,
    },
    /// A header carrying a signature of each request's body, keyed with a
    /// secret (`x-content-signature`, Talon.One's `Content-Signature`).
    BodySignature {
        /// The header.
        header: String,
        /// The header's value, with `{signer}` and `{signature}` to fill in.
        format: String,
    },
}

/// Where an API key travels: OpenAPI's `in` of an `apiKey` scheme (a key
/// cannot go in the path).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}
