//! The runtime shared by the generated API clients: client configuration,
//! authentication, request execution with timeouts and retries, and the one
//! error type every operation returns.
//!
//! clientgen writes this file verbatim from `templates/runtime.rs`; edit the
//! template and regenerate rather than editing a copy.
//!
//! Each API uses the part of the request and response helpers its spec needs.
#![allow(dead_code, reason = "each generated API uses only the helpers its spec needs")]

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The per-request timeout a client uses unless its builder sets another one.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Everything that can go wrong with a call; `E` is the operation's documented
/// error body (`()` where the API documents none).
///
/// Responses are boxed so that a `Result` stays small on the happy path.
#[derive(Debug, thiserror::Error)]
pub enum Error<E = ()> {
    /// The server answered with an error status the API documents; the body
    /// is decoded into `E`.
    #[error("the API answered with HTTP {}", .0.status())]
    Api(Box<ResponseValue<E>>),
    /// The server answered with a status the API does not document; the raw
    /// body is kept.
    #[error("unexpected HTTP status {}", .0.status())]
    UnexpectedStatus(Box<ResponseValue<Bytes>>),
    /// The response body did not match the documented schema; the raw body is kept.
    #[error("could not decode the HTTP {} response body: {source}", .response.status())]
    Decode {
        /// The response, with its raw body.
        response: Box<ResponseValue<Bytes>>,
        /// Why decoding failed.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// No complete response arrived within the timeout.
    #[error("the request timed out")]
    Timeout,
    /// The request could not be sent or its response not read (DNS, TCP, TLS, HTTP framing).
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// The request was refused before sending, e.g. a header value containing CR/LF
    /// or a base URL that does not parse.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

impl<E> Error<E> {
    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(response) => Some(response.status()),
            Error::UnexpectedStatus(response) | Error::Decode { response, .. } => Some(response.status()),
            Error::Timeout | Error::Transport(_) | Error::InvalidRequest(_) => None,
        }
    }

    /// The response headers, when a response was received.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(response) => Some(response.headers()),
            Error::UnexpectedStatus(response) | Error::Decode { response, .. } => Some(response.headers()),
            Error::Timeout | Error::Transport(_) | Error::InvalidRequest(_) => None,
        }
    }
}

/// A decoded response body together with the status and headers it came with.
///
/// It dereferences to the body, so `response.field` reads a field of the body.
#[derive(Debug, Clone)]
pub struct ResponseValue<T> {
    body: T,
    status: StatusCode,
    headers: HeaderMap,
}

impl<T> ResponseValue<T> {
    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// Drops status and headers and returns the decoded body.
    pub fn into_inner(self) -> T {
        self.body
    }

    /// Transforms the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ResponseValue<U> {
        ResponseValue { body: f(self.body), status: self.status, headers: self.headers }
    }
}

impl<T> Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// When and how often a call is retried.
///
/// Only calls that are safe to repeat are retried: GET, HEAD, PUT, DELETE and
/// OPTIONS, and other methods when the caller set the idempotency key the API
/// defines. They are retried after connect errors and on HTTP 429 and 503, after
/// the delay the server asks for in `Retry-After`, or else an exponential backoff
/// with jitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a call is repeated after its first attempt; 0 disables retries.
    pub max_retries: u32,
    /// The backoff before the first retry; it doubles with each further retry.
    pub initial_backoff: Duration,
    /// The longest wait between two attempts. A `Retry-After` asking for more
    /// ends the retries and returns the response.
    pub max_backoff: Duration,
}

impl RetryPolicy {
    /// No retries at all.
    pub const NONE: RetryPolicy = RetryPolicy {
        max_retries: 0,
        initial_backoff: Duration::ZERO,
        max_backoff: Duration::ZERO,
    };

    fn backoff(&self, retry: u32) -> Duration {
        let exponential = self
            .initial_backoff
            .saturating_mul(1 << retry.min(16))
            .min(self.max_backoff);
        // Equal jitter: half the delay is fixed, half is random, so clients that
        // failed together do not retry together.
        let half = exponential / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(30),
        }
    }
}

/// A credential for one of the API's security schemes.
#[derive(Clone)]
pub(crate) enum Credential {
    Basic { username: String, password: String },
    Bearer(String),
    ApiKey { location: ApiKeyLocation, name: &'static str, value: String },
}

/// Where an API key travels.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print a secret, not even its length.
        match self {
            Credential::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &"<redacted>")
                .finish(),
            Credential::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Credential::ApiKey { location, name, .. } => f
                .debug_struct("ApiKey")
                .field("location", location)
                .field("name", name)
                .field("value", &"<redacted>")
                .finish(),
        }
    }
}

/// Settings shared by every call of one client.
#[derive(Debug, Clone)]
struct Config {
    http: reqwest::Client,
    base_url: String,
    credentials: Vec<Option<Credential>>,
    timeout: Duration,
    retry: RetryPolicy,
}

/// A client of one API; `A` is that API's marker type, which decides the
/// operations and security schemes available.
pub struct Client<A> {
    config: Config,
    api: PhantomData<fn() -> A>,
}

impl<A> Clone for Client<A> {
    fn clone(&self) -> Self {
        Client { config: self.config.clone(), api: PhantomData }
    }
}

impl<A> fmt::Debug for Client<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.config.base_url)
            .field("credentials", &self.config.credentials)
            .field("timeout", &self.config.timeout)
            .field("retry", &self.config.retry)
            .finish_non_exhaustive()
    }
}

impl<A> Client<A> {
    /// Starts configuring a client for the server at `base_url`, such as one
    /// of the URLs in this API's `servers` module.
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder<A> {
        ClientBuilder {
            base_url: base_url.into(),
            http: None,
            credentials: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            api: PhantomData,
        }
    }

    /// The base URL every path is appended to.
    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    /// Starts a request to `path`, which must already be percent-encoded.
    pub(crate) fn request(&self, method: Method, path: String) -> Request<'_> {
        Request {
            config: &self.config,
            method,
            path,
            query: Vec::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            security: &[],
            timeout: None,
            retry_safe: false,
            invalid: None,
        }
    }
}

/// Configures a [`Client`]; the API's module adds one setter per security scheme.
pub struct ClientBuilder<A> {
    base_url: String,
    http: Option<reqwest::Client>,
    credentials: Vec<Option<Credential>>,
    timeout: Duration,
    retry: RetryPolicy,
    api: PhantomData<fn() -> A>,
}

impl<A> fmt::Debug for ClientBuilder<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl<A> ClientBuilder<A> {
    /// Sets the timeout of each attempt of each call (default: [`DEFAULT_TIMEOUT`]).
    /// A single call can override it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets how many times a retryable call is repeated; 0 disables retries.
    pub fn retries(mut self, max_retries: u32) -> Self {
        self.retry.max_retries = max_retries;
        self
    }

    /// Replaces the whole retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sends requests through this `reqwest::Client` (for proxies, custom TLS
    /// roots or connection pool settings) instead of a new one.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Stores the credential of the security scheme with this index.
    pub(crate) fn credential(mut self, scheme: usize, credential: Credential) -> Self {
        if self.credentials.len() <= scheme {
            self.credentials.resize(scheme + 1, None);
        }
        self.credentials[scheme] = Some(credential);
        self
    }

    /// Checks the base URL and builds the client.
    pub fn build(self) -> Result<Client<A>, Error> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        match reqwest::Url::parse(&base_url) {
            Ok(url) if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https") => {
                return Err(Error::InvalidRequest(format!(
                    "base URL `{base_url}` is not an http(s) URL"
                )));
            }
            Ok(_) => {}
            Err(error) => {
                return Err(Error::InvalidRequest(format!("base URL `{base_url}`: {error}")));
            }
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder().build().map_err(Error::Transport)?,
        };
        Ok(Client {
            config: Config {
                http,
                base_url,
                credentials: self.credentials,
                timeout: self.timeout,
                retry: self.retry,
            },
            api: PhantomData,
        })
    }
}

/// How a query parameter is serialized (OpenAPI's `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QueryStyle {
    /// `name=a&name=b` for arrays, `key=value` pairs for objects.
    FormExploded,
    /// `name=a,b` for arrays, `name=key,value` for objects.
    Form,
    /// `name=a%20b` for arrays.
    SpaceDelimited,
    /// `name=a|b` for arrays.
    PipeDelimited,
    /// `name[key]=value` for objects.
    DeepObject,
    /// `name=<the value as JSON>`, for parameters described by `content`.
    Json,
}

/// The request body, serialized once so retries can resend it.
enum Body {
    Bytes { content_type: &'static str, bytes: Bytes },
    Multipart(reqwest::multipart::Form),
}

/// Characters left as they are in a path segment or query component: RFC 3986's
/// unreserved set. Everything else is percent-encoded, so a value never changes
/// the structure of the URL.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Serde helpers for a field that is both optional and nullable, where absent
/// (`None`), `null` (`Some(None)`) and a value (`Some(Some(v))`) differ.
pub(crate) mod nullable {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes `null` for `Some(None)`; `None` is skipped by the field's
    /// `skip_serializing_if`.
    pub(crate) fn serialize<T: Serialize, S: Serializer>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(Some(value)) => value.serialize(serializer),
            _ => serializer.serialize_none(),
        }
    }

    /// A present field is `Some`, holding `None` when it is `null`.
    pub(crate) fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

/// Percent-encodes one path parameter so it stays a single path segment.
pub(crate) fn path_segment<T: Serialize + ?Sized>(value: &T) -> String {
    // OpenAPI's default `simple` style: arrays and objects as comma-separated
    // items, each percent-encoded.
    let items: Vec<String> = match serde_json::to_value(value) {
        Ok(serde_json::Value::Array(items)) => items.iter().map(scalar_text).collect(),
        Ok(serde_json::Value::Object(fields)) => {
            fields.iter().flat_map(|(key, field)| [key.clone(), scalar_text(field)]).collect()
        }
        _ => vec![scalar_text(value)],
    };
    // URL parsing removes `.` and `..` segments even when percent-encoded, so
    // they are marked here and refused by `Request::build`.
    match items.as_slice() {
        [one] if one == "." => "%2E".to_owned(),
        [one] if one == ".." => "%2E%2E".to_owned(),
        _ => items.iter().map(|item| utf8_percent_encode(item, COMPONENT).to_string()).collect::<Vec<_>>().join(","),
    }
}

/// The text form of a parameter value: strings as they are, numbers and
/// booleans as JSON writes them, anything else as compact JSON.
fn scalar_text<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(serde_json::Value::Null) => String::new(),
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// One request being put together by an operation's builder.
pub(crate) struct Request<'a> {
    config: &'a Config,
    method: Method,
    path: String,
    /// Query pairs, not yet encoded; a parameter set again replaces its pairs.
    query: Vec<(String, String)>,
    headers: HeaderMap,
    cookies: Vec<String>,
    body: Option<Body>,
    security: &'static [&'static [usize]],
    timeout: Option<Duration>,
    retry_safe: bool,
    /// The first problem found while building; reported by `send` instead of sending.
    invalid: Option<String>,
}

impl fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Headers and body are left out: they may carry personal data or secrets.
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Request<'_> {
    /// Sets the security requirement: a list of alternatives, each the indexes
    /// of the schemes that must all be applied. The first alternative whose
    /// credentials are all configured is used.
    pub(crate) fn security(&mut self, alternatives: &'static [&'static [usize]]) {
        self.security = alternatives;
    }

    /// Marks the call as safe to repeat (idempotent method or idempotency key set).
    pub(crate) fn retry_safe(&mut self, safe: bool) {
        self.retry_safe = safe;
    }

    /// Overrides the client's timeout for this call.
    pub(crate) fn timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    fn push_query_pair(&mut self, name: &str, value: &str) {
        self.query.push((name.to_owned(), value.to_owned()));
    }

    /// Adds a query parameter in OpenAPI's default style (form, exploded).
    pub(crate) fn query<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.query_with_style(name, value, QueryStyle::FormExploded);
    }

    /// Adds a query parameter in the given style.
    pub(crate) fn query_with_style<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: QueryStyle,
    ) {
        // Setting a parameter again replaces it.
        let nested = format!("{name}[");
        self.query.retain(|(key, _)| key != name && !key.starts_with(&nested));
        if style == QueryStyle::Json {
            match serde_json::to_string(value) {
                Ok(text) => self.push_query_pair(name, &text),
                Err(error) => {
                    self.invalid.get_or_insert(format!("query parameter `{name}`: {error}"));
                }
            }
            return;
        }
        let value = match serde_json::to_value(value) {
            Ok(value) => value,
            Err(error) => {
                self.invalid.get_or_insert(format!("query parameter `{name}`: {error}"));
                return;
            }
        };
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) => {
                let items: Vec<String> = items.iter().map(scalar_text).collect();
                match style {
                    QueryStyle::FormExploded | QueryStyle::DeepObject | QueryStyle::Json => {
                        for item in &items {
                            self.push_query_pair(name, item);
                        }
                    }
                    QueryStyle::Form => self.push_query_pair(name, &items.join(",")),
                    QueryStyle::SpaceDelimited => self.push_query_pair(name, &items.join(" ")),
                    QueryStyle::PipeDelimited => self.push_query_pair(name, &items.join("|")),
                }
            }
            serde_json::Value::Object(fields) => match style {
                QueryStyle::DeepObject => {
                    for (key, field) in &fields {
                        self.push_query_pair(&format!("{name}[{key}]"), &scalar_text(field));
                    }
                }
                QueryStyle::FormExploded => {
                    for (key, field) in &fields {
                        self.push_query_pair(key, &scalar_text(field));
                    }
                }
                QueryStyle::Form | QueryStyle::SpaceDelimited | QueryStyle::PipeDelimited | QueryStyle::Json => {
                    let joined: Vec<String> = fields
                        .iter()
                        .flat_map(|(key, field)| [key.clone(), scalar_text(field)])
                        .collect();
                    self.push_query_pair(name, &joined.join(","));
                }
            },
            scalar => {
                let text = scalar_text(&scalar);
                self.push_query_pair(name, &text);
            }
        }
    }

    /// Adds a header parameter; a value that is not a valid header value
    /// (CR, LF or other control characters) makes the call fail before sending.
    pub(crate) fn header<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        let text = match serde_json::to_value(value) {
            Ok(serde_json::Value::Array(items)) => {
                items.iter().map(scalar_text).collect::<Vec<_>>().join(",")
            }
            Ok(serde_json::Value::Null) => return,
            _ => scalar_text(value),
        };
        match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&text)) {
            (Ok(name), Ok(value)) => {
                // Setting a header again replaces it.
                self.headers.insert(name, value);
            }
            _ => {
                self.invalid.get_or_insert(format!(
                    "header `{name}` has a value that cannot be sent in an HTTP header"
                ));
            }
        }
    }

    /// Adds a cookie parameter.
    pub(crate) fn cookie<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        let text = scalar_text(value);
        let prefix = format!("{name}=");
        self.cookies.retain(|cookie| !cookie.starts_with(&prefix));
        self.cookies.push(format!("{name}={}", utf8_percent_encode(&text, COMPONENT)));
    }

    /// Sets a JSON body.
    pub(crate) fn json<T: Serialize + ?Sized>(&mut self, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some(Body::Bytes { content_type: "application/json", bytes: bytes.into() })
            }
            Err(error) => {
                self.invalid.get_or_insert(format!("request body: {error}"));
            }
        }
    }

    /// Sets an `application/x-www-form-urlencoded` body.
    pub(crate) fn form<T: Serialize + ?Sized>(&mut self, body: &T) {
        match serde_urlencoded::to_string(body) {
            Ok(text) => {
                self.body = Some(Body::Bytes {
                    content_type: "application/x-www-form-urlencoded",
                    bytes: text.into(),
                })
            }
            Err(error) => {
                self.invalid.get_or_insert(format!("request body: {error}"));
            }
        }
    }

    /// Sets a raw body (text, XML, binary) with its media type.
    pub(crate) fn raw(&mut self, content_type: &'static str, bytes: impl Into<Bytes>) {
        self.body = Some(Body::Bytes { content_type, bytes: bytes.into() });
    }

    /// Sets a `multipart/form-data` body. Such a body is streamed, so the call
    /// is never retried.
    pub(crate) fn multipart(&mut self, form: reqwest::multipart::Form) {
        self.body = Some(Body::Multipart(form));
    }

    fn build(self) -> Result<(reqwest::Request, bool, RetryPolicy), SendError> {
        let config = self.config;
        if let Some(problem) = self.invalid {
            return Err(SendError::InvalidRequest(problem));
        }
        if self.path.split('/').any(|segment| segment == "%2E" || segment == "%2E%2E") {
            return Err(SendError::InvalidRequest(String::from(
                "a path parameter cannot be `.` or `..`: it would change the path",
            )));
        }
        let mut url = format!("{}{}", config.base_url, self.path);
        let mut query = String::new();
        for (name, value) in &self.query {
            if !query.is_empty() {
                query.push('&');
            }
            query.extend(utf8_percent_encode(name, COMPONENT));
            query.push('=');
            query.extend(utf8_percent_encode(value, COMPONENT));
        }
        let mut cookies = self.cookies;
        let mut builder = config.http.request(self.method.clone(), "http://placeholder.invalid/");
        let alternative = self.security.iter().find(|schemes| {
            schemes
                .iter()
                .all(|&scheme| matches!(config.credentials.get(scheme), Some(Some(_))))
        });
        for &scheme in alternative.copied().unwrap_or_default() {
            let Some(Some(credential)) = config.credentials.get(scheme) else {
                continue;
            };
            match credential {
                Credential::Basic { username, password } => {
                    builder = builder.basic_auth(username, Some(password));
                }
                Credential::Bearer(token) => builder = builder.bearer_auth(token),
                Credential::ApiKey { location: ApiKeyLocation::Header, name, value } => {
                    let mut value = HeaderValue::from_str(value).map_err(|_| {
                        SendError::InvalidRequest(format!(
                            "the credential for header `{name}` contains characters a header cannot carry"
                        ))
                    })?;
                    value.set_sensitive(true);
                    builder = builder.header(*name, value);
                }
                Credential::ApiKey { location: ApiKeyLocation::Query, name, value } => {
                    if !query.is_empty() {
                        query.push('&');
                    }
                    query.extend(utf8_percent_encode(name, COMPONENT));
                    query.push('=');
                    query.extend(utf8_percent_encode(value, COMPONENT));
                }
                Credential::ApiKey { location: ApiKeyLocation::Cookie, name, value } => {
                    cookies.push(format!("{name}={}", utf8_percent_encode(value, COMPONENT)));
                }
            }
        }
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query);
        }
        let url = reqwest::Url::parse(&url)
            .map_err(|error| SendError::InvalidRequest(format!("URL `{url}`: {error}")))?;
        if !cookies.is_empty() {
            let cookie = HeaderValue::from_str(&cookies.join("; ")).map_err(|_| {
                SendError::InvalidRequest("a cookie value cannot be sent in a header".to_owned())
            })?;
            builder = builder.header(reqwest::header::COOKIE, cookie);
        }
        builder = builder.headers(self.headers);
        let mut replayable = true;
        match self.body {
            Some(Body::Bytes { content_type, bytes }) => {
                builder = builder.header(reqwest::header::CONTENT_TYPE, content_type).body(bytes);
            }
            Some(Body::Multipart(form)) => {
                replayable = false;
                builder = builder.multipart(form);
            }
            None => {}
        }
        let mut request = builder
            .timeout(self.timeout.unwrap_or(config.timeout))
            .build()
            .map_err(|error| SendError::InvalidRequest(error.without_url().to_string()))?;
        *request.url_mut() = url;
        let idempotent = matches!(
            self.method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        );
        let retry_safe = replayable && (idempotent || self.retry_safe);
        Ok((request, retry_safe, config.retry))
    }

    /// Sends the request, retrying as the client's [`RetryPolicy`] allows, and
    /// reads the whole response.
    pub(crate) async fn send(self) -> Result<RawResponse, SendError> {
        let http = self.config.http.clone();
        let (request, retry_safe, policy) = self.build()?;
        let max_retries = if retry_safe { policy.max_retries } else { 0 };
        let mut pending = Some(request);
        let mut retry = 0;
        loop {
            let Some(current) = pending.take() else {
                return Err(SendError::InvalidRequest("the request could not be repeated".into()));
            };
            if retry < max_retries {
                pending = current.try_clone();
            }
            let can_retry = pending.is_some();
            match http.execute(current).await {
                Ok(response) => {
                    let status = response.status();
                    if can_retry
                        && (status == StatusCode::TOO_MANY_REQUESTS
                            || status == StatusCode::SERVICE_UNAVAILABLE)
                    {
                        let delay = match retry_after(response.headers()) {
                            Some(asked) if asked > policy.max_backoff => None,
                            Some(asked) => Some(asked),
                            None => Some(policy.backoff(retry)),
                        };
                        if let Some(delay) = delay {
                            drop(response);
                            tokio::time::sleep(delay).await;
                            retry += 1;
                            continue;
                        }
                    }
                    return RawResponse::read(response).await;
                }
                Err(error) if can_retry && error.is_connect() => {
                    tokio::time::sleep(policy.backoff(retry)).await;
                    retry += 1;
                }
                Err(error) => return Err(SendError::from_reqwest(error)),
            }
        }
    }
}

/// How long a `Retry-After` header (seconds or an HTTP date) asks to wait.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

/// Why a request got no response; converts into every [`Error`].
#[derive(Debug)]
pub(crate) enum SendError {
    Timeout,
    Transport(reqwest::Error),
    InvalidRequest(String),
}

impl SendError {
    fn from_reqwest(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            SendError::Timeout
        } else {
            // The URL may carry an API key in its query; keep it out of messages.
            SendError::Transport(error.without_url())
        }
    }
}

impl<E> From<SendError> for Error<E> {
    fn from(error: SendError) -> Self {
        match error {
            SendError::Timeout => Error::Timeout,
            SendError::Transport(error) => Error::Transport(error),
            SendError::InvalidRequest(problem) => Error::InvalidRequest(problem),
        }
    }
}

/// A response read in full, waiting for the operation to decode it.
pub(crate) struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl RawResponse {
    async fn read(response: reqwest::Response) -> Result<Self, SendError> {
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(SendError::from_reqwest)?;
        Ok(RawResponse { status, headers, body })
    }

    /// The status code, for the operation to pick the documented response.
    pub(crate) fn status(&self) -> u16 {
        self.status.as_u16()
    }

    fn value<T>(self, body: T) -> ResponseValue<T> {
        ResponseValue { body, status: self.status, headers: self.headers }
    }

    fn decode_error<E>(self, source: Box<dyn std::error::Error + Send + Sync>) -> Error<E> {
        let body = self.body.clone();
        Error::Decode { response: Box::new(self.value(body)), source }
    }

    fn decode_json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    fn decode_text(&self) -> Result<String, std::str::Utf8Error> {
        std::str::from_utf8(&self.body).map(str::to_owned)
    }

    // Success responses: the body decoded as documented, or wrapped into the
    // operation's response enum (`*_into`) when statuses differ in body.

    /// A JSON body.
    pub(crate) fn json<T: DeserializeOwned, E>(self) -> Result<ResponseValue<T>, Error<E>> {
        match self.decode_json() {
            Ok(body) => Ok(self.value(body)),
            Err(error) => Err(self.decode_error(error.into())),
        }
    }

    /// A JSON body, wrapped.
    pub(crate) fn json_into<T: DeserializeOwned, R, E>(
        self,
        wrap: impl FnOnce(T) -> R,
    ) -> Result<ResponseValue<R>, Error<E>> {
        self.json().map(|value: ResponseValue<T>| value.map(wrap))
    }

    /// A text body (plain text, XML, HTML).
    pub(crate) fn text<E>(self) -> Result<ResponseValue<String>, Error<E>> {
        match self.decode_text() {
            Ok(text) => Ok(self.value(text)),
            Err(error) => Err(self.decode_error(error.into())),
        }
    }

    /// A text body, wrapped.
    pub(crate) fn text_into<R, E>(self, wrap: impl FnOnce(String) -> R) -> Result<ResponseValue<R>, Error<E>> {
        self.text().map(|value| value.map(wrap))
    }

    /// A binary body.
    pub(crate) fn bytes<E>(self) -> Result<ResponseValue<Bytes>, Error<E>> {
        let body = self.body.clone();
        Ok(self.value(body))
    }

    /// A binary body, wrapped.
    pub(crate) fn bytes_into<R, E>(self, wrap: impl FnOnce(Bytes) -> R) -> Result<ResponseValue<R>, Error<E>> {
        self.bytes().map(|value| value.map(wrap))
    }

    /// No body (any body sent is ignored).
    pub(crate) fn empty<E>(self) -> Result<ResponseValue<()>, Error<E>> {
        Ok(self.value(()))
    }

    /// No body, standing for one variant of the response enum.
    pub(crate) fn empty_into<R, E>(self, variant: R) -> Result<ResponseValue<R>, Error<E>> {
        Ok(self.value(variant))
    }

    // Documented error responses: `Error::Api` with the decoded body, or a
    // decode error when the body does not match.

    /// A JSON error body.
    pub(crate) fn api_json<E: DeserializeOwned>(self) -> Error<E> {
        self.api_json_into(|body: E| body)
    }

    /// A JSON error body, wrapped into the operation's error enum.
    pub(crate) fn api_json_into<T: DeserializeOwned, E>(self, wrap: impl FnOnce(T) -> E) -> Error<E> {
        match self.decode_json::<T>() {
            Ok(body) => Error::Api(Box::new(self.value(wrap(body)))),
            Err(error) => self.decode_error(error.into()),
        }
    }

    /// A text error body.
    pub(crate) fn api_text(self) -> Error<String> {
        self.api_text_into(|text| text)
    }

    /// A text error body, wrapped.
    pub(crate) fn api_text_into<E>(self, wrap: impl FnOnce(String) -> E) -> Error<E> {
        match self.decode_text() {
            Ok(text) => Error::Api(Box::new(self.value(wrap(text)))),
            Err(error) => self.decode_error(error.into()),
        }
    }

    /// A binary error body.
    pub(crate) fn api_bytes(self) -> Error<Bytes> {
        self.api_bytes_into(|bytes| bytes)
    }

    /// A binary error body, wrapped.
    pub(crate) fn api_bytes_into<E>(self, wrap: impl FnOnce(Bytes) -> E) -> Error<E> {
        let body = wrap(self.body.clone());
        Error::Api(Box::new(self.value(body)))
    }

    /// An error without a documented body.
    pub(crate) fn api_empty(self) -> Error<()> {
        Error::Api(Box::new(self.value(())))
    }

    /// An error without a documented body, standing for one variant of the error enum.
    pub(crate) fn api_empty_into<E>(self, variant: E) -> Error<E> {
        Error::Api(Box::new(self.value(variant)))
    }

    /// A response with a status the API does not document.
    pub(crate) fn unexpected<E>(self) -> Error<E> {
        let body = self.body.clone();
        Error::UnexpectedStatus(Box::new(self.value(body)))
    }
}
