//! A request as an operation puts it together, and the call a user holds
//! until `send()`: parameters, body, credentials and per-call settings.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};
use serde::Serialize;

use super::RetryPolicy;
use super::auth::{ApiKeyLocation, Credential, Scheme};
use super::body::Body;
use super::provider::Current;
use super::config::Config;
use super::error::SendError;
use super::form::{FormField, form_body};
use super::params::{QueryStyle, encode, header_text, path_segment, query_pairs, text_segment};

/// One call of an operation, configured by chained setters and sent by its
/// `send()`; `Op` is the operation's marker type, which gives the call its
/// parameter setters and `send()`.
///
/// Every call also takes these per-call settings, overriding the client's.
#[must_use = "a request does nothing until it is sent with `send().await`"]
pub struct Call<'a, Op> {
    pub(crate) request: Request<'a>,
    op: PhantomData<fn() -> Op>,
}

/// The operation a call's marker type names, as the spec names it.
pub trait Operation {
    /// The `operationId` (or the name derived from method and path).
    const ID: &'static str;
}

impl<'a, Op: Operation> Call<'a, Op> {
    pub(crate) fn new(request: Request<'a>) -> Self {
        #[cfg(feature = "tracing")]
        let request = Request { operation: Op::ID, ..request };
        Call { request, op: PhantomData }
    }
}

impl<'a, Op> Call<'a, Op> {

    /// Overrides the client's timeout of each attempt for this call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.request.timeout = Some(timeout);
        self
    }

    /// Overrides the client's deadline for this call: the time all its
    /// attempts and the waits between them may take.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.request.deadline = Some(deadline);
        self
    }

    /// Overrides the client's limit on the response body for this call;
    /// `None` lifts it, for a download read as a stream (`send_streaming()`)
    /// whose size the caller bounds otherwise.
    pub fn max_response_bytes(mut self, limit: Option<u64>) -> Self {
        self.request.max_response_bytes = Some(limit.unwrap_or(u64::MAX));
        self
    }

    /// Overrides the client's retry policy for this call. Retries still
    /// happen only where repeating the call is safe.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.request.retry = Some(policy);
        self
    }

    /// Adds a header to this call, replacing one of the same name: the call's
    /// value wins over the one the runtime would send, `Authorization`,
    /// `Accept`, `Content-Type` and `User-Agent` included. A name or value that
    /// cannot be sent, and the headers that frame the message on the wire
    /// (`Content-Length`, `Transfer-Encoding`, `Host`, `Connection` and the
    /// other hop-by-hop headers), which only the HTTP client sets, make the
    /// call fail with [`Error::InvalidRequest`](super::Error::InvalidRequest) before sending.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
            (Ok(name), _) if is_framing_header(&name) => self.request.refuse(format!(
                "header `{name}` frames the message on the wire and is set by the HTTP client, not by a call"
            )),
            (Ok(name), Ok(value)) => self.request.set_header(name, value),
            _ => self.request.refuse(format!("header `{}` cannot be sent as given", name.escape_debug())),
        }
        self
    }
}

/// Whether `name` is a header that frames the message or the connection
/// (RFC 9110 §7.6.1, RFC 9112 §6): set by the HTTP client alone, since a
/// value given by hand (a `Content-Length: 0` before a body, say) would
/// change what the server reads.
pub(crate) fn is_framing_header(name: &HeaderName) -> bool {
    use reqwest::header::{CONNECTION, CONTENT_LENGTH, HOST, TE, TRAILER, TRANSFER_ENCODING, UPGRADE};
    [CONTENT_LENGTH, TRANSFER_ENCODING, HOST, CONNECTION, TE, TRAILER, UPGRADE].contains(name)
        || name.as_str() == "keep-alive"
        || name.as_str() == "proxy-connection"
}

impl<Op> fmt::Debug for Call<'_, Op> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.request, f)
    }
}

/// One request being put together by an operation.
pub(crate) struct Request<'a> {
    pub(crate) config: &'a Config,
    pub(crate) method: Method,
    /// The path template, parameters substituted as they are set.
    path: String,
    /// Query pairs, encoded, by the parameter they come from; a parameter
    /// set again replaces its pairs.
    query: Vec<(String, String)>,
    /// The media types asked for in `Accept`.
    accept: Option<&'static str>,
    /// Header parameters and headers set on the call, one value per name.
    headers: Vec<(HeaderName, HeaderValue)>,
    /// Cookie pairs, the values already encoded.
    cookies: Vec<(String, String)>,
    pub(crate) body: Option<Body>,
    security: &'static [&'static [Scheme]],
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    retry: Option<RetryPolicy>,
    retry_safe: bool,
    /// The call's limit on the response body, overriding the client's.
    max_response_bytes: Option<u64>,
    /// The operation, for its trace span.
    #[cfg(feature = "tracing")]
    pub(crate) operation: &'static str,
    /// The path template, for trace spans.
    #[cfg(feature = "tracing")]
    pub(crate) template: &'static str,
    /// The deadline of a whole walk over pages, when the call sets one.
    walk_deadline: Option<Duration>,
    /// A header set on the call that the server accepts once only (an
    /// idempotency key, a one-time token), which a walk over pages must not repeat.
    single_use: Option<&'static str>,
    /// The first problem found while building; reported by `send` instead of sending.
    invalid: Option<String>,
}

impl fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Headers and body are left out: they may carry personal data or secrets.
        f.debug_struct("Call").field("method", &self.method).field("path", &self.path).finish_non_exhaustive()
    }
}

/// One attempt's request, ready to go out.
pub(crate) struct Prepared {
    pub(crate) request: reqwest::Request,
    /// The URL without API keys, when it differs from the request's and a
    /// response hook is there to see it.
    pub(crate) public_url: Option<Url>,
}

/// How a call is sent: the client's settings with the call's overrides.
pub(crate) struct Settings {
    /// Whether repeating the call is safe: an idempotent method or an
    /// idempotency key, and a body that can be sent again.
    pub(crate) retry_safe: bool,
    /// Whether the body can be sent again (after a `401`, with a new credential).
    pub(crate) replayable: bool,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Duration,
    pub(crate) max_response_bytes: u64,
}

impl<'a> Request<'a> {
    pub(crate) fn new(config: &'a Config, method: Method, template: &'static str) -> Self {
        Request {
            config,
            method,
            path: template.to_owned(),
            query: Vec::new(),
            accept: None,
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            security: &[],
            timeout: None,
            deadline: None,
            retry: None,
            retry_safe: false,
            max_response_bytes: None,
            #[cfg(feature = "tracing")]
            operation: "",
            #[cfg(feature = "tracing")]
            template,
            walk_deadline: None,
            single_use: None,
            invalid: None,
        }
    }

    fn refuse(&mut self, problem: String) {
        self.invalid.get_or_insert(problem);
    }

    /// The security requirement.
    pub(crate) fn security_requirement(&self) -> &'static [&'static [Scheme]] {
        self.security
    }

    /// Sets the security requirement: alternatives, each the schemes that must
    /// all be applied. The first alternative whose credentials are all
    /// configured is used; an empty alternative allows anonymous calls.
    pub(crate) fn security(&mut self, alternatives: &'static [&'static [Scheme]]) {
        self.security = alternatives;
    }

    /// Fills the path parameter `{name}` with `value`, percent-encoded into
    /// one segment. Values that would change the path (empty, `.`, `..`) are refused.
    pub(crate) fn path_param<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match path_segment(value) {
            Ok(segment) => self.fill_path(name, &segment),
            Err(why) => self.refuse(format!("path parameter `{name}` {why}")),
        }
    }

    /// Fills the path parameter `{name}` with a string, percent-encoded into
    /// one segment; the empty string, `.` and `..` are refused.
    pub(crate) fn path_text(&mut self, name: &str, value: &str) {
        match text_segment(value) {
            Ok(segment) => self.fill_path(name, &segment),
            Err(why) => self.refuse(format!("path parameter `{name}` {why}")),
        }
    }

    /// Puts `segment` in place of every `{name}` in the path. (Searching for
    /// the braces rather than the name: a substring search's setup costs more
    /// than the short paths it would search.)
    fn fill_path(&mut self, name: &str, segment: &str) {
        let mut from = 0;
        while let Some(open) = self.path[from..].find('{').map(|at| from + at) {
            let end = open + 1 + name.len();
            if self.path[open + 1..].starts_with(name) && self.path.as_bytes().get(end) == Some(&b'}') {
                self.path.replace_range(open..=end, segment);
                from = open + segment.len();
            } else {
                from = open + 1;
            }
        }
    }

    /// Sets the `Accept` header.
    pub(crate) fn accept(&mut self, media_types: &'static str) {
        self.accept = Some(media_types);
    }

    /// Sets a header, replacing one of the same name.
    fn set_header(&mut self, name: HeaderName, value: HeaderValue) {
        self.headers.retain(|(existing, _)| *existing != name);
        self.headers.push((name, value));
    }

    /// Adds a query parameter in OpenAPI's default style (form, exploded).
    pub(crate) fn query<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.query_with_style(name, value, QueryStyle::FormExploded);
    }

    /// Adds a query parameter in the given style; setting it again replaces it.
    pub(crate) fn query_with_style<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, style: QueryStyle) {
        self.query.retain(|(parameter, _)| parameter != name);
        match query_pairs(name, value, style) {
            Ok(pairs) => self.query.extend(pairs.into_iter().map(|pair| (name.to_owned(), pair))),
            Err(problem) => self.refuse(problem),
        }
    }

    /// Adds a header parameter; a value that is not a valid header value
    /// (CR, LF or other control characters) makes the call fail before sending.
    pub(crate) fn header<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        let Some(text) = header_text(value) else { return };
        match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&text)) {
            (Ok(name), Ok(mut value)) => {
                // An `Authorization` parameter is a credential: marked as the credentials' are.
                value.set_sensitive(name == reqwest::header::AUTHORIZATION);
                self.set_header(name, value)
            }
            _ => self.refuse(format!("header `{name}` has a value that cannot be sent in an HTTP header")),
        }
    }

    /// Sets the API's idempotency-key header, which makes the call safe to
    /// retry. A blank key cannot deduplicate anything, so it is refused.
    pub(crate) fn idempotency_key<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        match header_text(value) {
            Some(text) if !text.trim().is_empty() => {
                self.header(name, value);
                self.retry_safe = true;
                self.single_use = Some(name);
            }
            _ => self.refuse(format!("the idempotency key `{name}` is blank; a blank key cannot make the call safe to repeat")),
        }
    }

    /// Sets a header the server accepts once only, such as a one-time
    /// authorization token: a walk over pages refuses a call carrying one.
    pub(crate) fn single_use_header<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.header(name, value);
        self.single_use = Some(name);
    }

    /// Adds a cookie parameter; setting it again replaces it.
    pub(crate) fn cookie<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        let Some(text) = header_text(value) else { return };
        self.cookies.retain(|(existing, _)| existing != name);
        self.cookies.push((name.to_owned(), encode(&text).to_string()));
    }

    /// Sets a JSON body.
    pub(crate) fn json<T: Serialize + ?Sized>(&mut self, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(Body::Bytes { content_type: "application/json", bytes: bytes.into() }),
            Err(error) => self.refuse(format!("request body: {error}")),
        }
    }

    /// Sets an `application/x-www-form-urlencoded` body, the properties in
    /// `fields` encoded as they say (see [`super::form`]).
    pub(crate) fn form<T: Serialize + ?Sized>(&mut self, body: &T, fields: &[FormField]) {
        match form_body(body, fields) {
            Ok(text) => {
                self.body = Some(Body::Bytes { content_type: "application/x-www-form-urlencoded", bytes: text.into() })
            }
            Err(why) => self.refuse(why),
        }
    }

    /// Sets a raw body (text, XML, binary) with its media type.
    pub(crate) fn raw(&mut self, content_type: &'static str, bytes: impl Into<Bytes>) {
        self.body = Some(Body::Bytes { content_type, bytes: bytes.into() });
    }

    /// Sets a `multipart/form-data` body. Such a body is streamed, so the call
    /// is never retried.
    #[cfg(feature = "multipart")]
    pub(crate) fn multipart(&mut self, form: reqwest::multipart::Form) {
        self.body = Some(Body::Multipart(form));
    }

    /// How this call is sent.
    pub(crate) fn settings(&self) -> Settings {
        let replayable = self.body.as_ref().is_none_or(Body::replayable);
        let idempotent = matches!(self.method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS);
        Settings {
            retry_safe: replayable && (idempotent || self.retry_safe),
            replayable,
            retry: self.retry.unwrap_or(self.config.retry),
            timeout: self.timeout.unwrap_or(self.config.timeout),
            deadline: self.deadline.unwrap_or(self.config.deadline),
            max_response_bytes: self.max_response_bytes.unwrap_or(self.config.max_response_bytes),
        }
    }

    /// Checks everything that can be checked before sending, and builds one
    /// attempt's request with its credentials. Each attempt is built afresh
    /// from the call, so a call that is never retried pays for no copy; a
    /// multipart body, which is streamed, goes out with the one attempt such
    /// a call gets.
    pub(crate) fn prepare(&mut self, tokens: &[Current]) -> Result<Prepared, SendError> {
        let config = self.config;
        if let Some(problem) = &self.invalid {
            return Err(SendError::InvalidRequest(problem.clone()));
        }
        if let Some(open) = self.path.find('{') {
            let name = self.path[open + 1..].split('}').next().unwrap_or_default();
            return Err(SendError::InvalidRequest(format!("path parameter `{name}` was not set")));
        }
        let credentials = config.credentials.choose(self.security).map_err(SendError::InvalidRequest)?;
        let mut query = self.query.iter().map(|(_, pair)| pair.as_str()).collect::<Vec<_>>().join("&");
        let public_query_length = query.len();
        // Room for what follows without growing the map: `Accept`, credentials,
        // a cookie, the content type, and reqwest's and hyper's own
        // (`User-Agent`, `Accept-Encoding`, `Host`).
        let mut headers = HeaderMap::with_capacity(self.headers.len() + 7);
        if let Some(media_types) = self.accept {
            headers.insert(reqwest::header::ACCEPT, HeaderValue::from_static(media_types));
        }
        // The call's own headers win over those the credentials add, as a
        // header set on the call is meant to.
        for (name, value) in &self.headers {
            headers.insert(name.clone(), value.clone());
        }
        let mut cookies = self.cookies.clone();
        #[cfg(feature = "signing")]
        let body_bytes: Option<&[u8]> = match &self.body {
            Some(body) => body.bytes().map(|bytes| &bytes[..]),
            None => Some(&[]),
        };
        for credential in credentials {
            let credential = credential.resolved(tokens)?;
            match &*credential {
                Credential::Authorization { value, .. } => {
                    let value = value.clone().ok_or_else(|| {
                        SendError::InvalidRequest("the credential contains characters a header cannot carry".to_owned())
                    })?;
                    headers.entry(reqwest::header::AUTHORIZATION).or_insert(value);
                }
                Credential::ApiKey { location: ApiKeyLocation::Header, name, value } => {
                    let refused = || {
                        SendError::InvalidRequest(format!(
                            "the credential for header `{name}` contains characters a header cannot carry"
                        ))
                    };
                    let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| refused())?;
                    let mut value = HeaderValue::from_str(value).map_err(|_| refused())?;
                    value.set_sensitive(true);
                    headers.entry(header).or_insert(value);
                }
                Credential::ApiKey { location: ApiKeyLocation::Query, name, value } => {
                    use std::fmt::Write as _;
                    if !query.is_empty() {
                        query.push('&');
                    }
                    let _ = write!(query, "{}={}", encode(name), encode(value));
                }
                Credential::ApiKey { location: ApiKeyLocation::Cookie, name, value } => {
                    cookies.push(((*name).to_owned(), encode(value).to_string()));
                }
                #[cfg(feature = "signing")]
                Credential::BodySignature(signature) => {
                    let body = body_bytes.ok_or_else(|| {
                        SendError::InvalidRequest(format!("a streamed body cannot be signed for `{}`", signature.header))
                    })?;
                    let mut value = HeaderValue::from_str(&signature.sign(body).map_err(SendError::InvalidRequest)?)
                        .map_err(|_| SendError::InvalidRequest(format!("the `{}` signature cannot be sent", signature.header)))?;
                    value.set_sensitive(true);
                    let header = HeaderName::from_bytes(signature.header.as_bytes()).map_err(|_| {
                        SendError::InvalidRequest(format!("`{}` cannot be sent as a header name", signature.header))
                    })?;
                    headers.entry(header).or_insert(value);
                }
                Credential::Provided { .. } => return Err(SendError::InvalidRequest("a provided credential has no token".to_owned())),
            }
        }
        if !cookies.is_empty() {
            let line: Vec<String> = cookies.iter().map(|(name, value)| format!("{name}={value}")).collect();
            let mut cookie = HeaderValue::from_str(&line.join("; "))
                .map_err(|_| SendError::InvalidRequest("a cookie cannot be sent in a header".to_owned()))?;
            cookie.set_sensitive(true);
            headers.entry(reqwest::header::COOKIE).or_insert(cookie);
        }
        let url_with = |query: &str| {
            // The base's path and the operation's, resolved against the base:
            // the same URL as parsing the two joined, without the host again.
            let base_path = config.base.path().trim_end_matches('/');
            let mut relative = String::with_capacity(base_path.len() + self.path.len() + 1 + query.len());
            relative.push_str(base_path);
            relative.push_str(&self.path);
            if !query.is_empty() {
                // A path key may carry a query of its own (`/alerts?lat={lat}`): the rest joins it.
                relative.push(if self.path.contains('?') { '&' } else { '?' });
                relative.push_str(query);
            }
            let parsed = if relative.starts_with("//") {
                // A reference starting `//` would name a host: join and parse instead.
                Url::parse(&format!("{}{}", config.base.origin().ascii_serialization(), relative))
            } else {
                Url::options().base_url(Some(&config.base)).parse(&relative)
            };
            parsed.map_err(|error| SendError::InvalidRequest(format!("the URL does not parse: {error}")))
        };
        // Hooks and messages see the URL without API keys; it is made only
        // when the keys went into the query and a response hook will look.
        let public_url = if query.len() != public_query_length && !config.response_hooks.is_empty() {
            Some(url_with(&query[..public_query_length])?)
        } else {
            None
        };
        let mut request = reqwest::Request::new(self.method.clone(), url_with(&query)?);
        let request = match self.body.take() {
            Some(body) => {
                let (request, left) = body.attach(&config.http, request, headers)?;
                self.body = Some(left);
                request
            }
            None => {
                *request.headers_mut() = headers;
                request
            }
        };
        Ok(Prepared { request, public_url })
    }
}

// For walking pages (`paginate.rs`): the same call again, with one thing changed.
impl<'a, Op> Call<'a, Op> {
    /// A copy of this call to send again; `None` when its body is a
    /// multipart form, which is streamed and cannot be sent twice.
    pub(crate) fn try_clone(&self) -> Option<Self> {
        self.request.try_clone().map(|request| Call { request, op: PhantomData })
    }
}

impl Request<'_> {
    /// A copy of this request; `None` when its body is a multipart form.
    pub(crate) fn try_clone(&self) -> Option<Self> {
        let body = match &self.body {
            None => None,
            Some(body) => Some(body.try_clone()?),
        };
        Some(Request {
            config: self.config,
            method: self.method.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            accept: self.accept,
            headers: self.headers.clone(),
            cookies: self.cookies.clone(),
            body,
            security: self.security,
            timeout: self.timeout,
            deadline: self.deadline,
            retry: self.retry,
            retry_safe: self.retry_safe,
            max_response_bytes: self.max_response_bytes,
            #[cfg(feature = "tracing")]
            operation: self.operation,
            #[cfg(feature = "tracing")]
            template: self.template,
            walk_deadline: self.walk_deadline,
            single_use: self.single_use,
            invalid: self.invalid.clone(),
        })
    }

    /// The value the query parameter `name` was set to, decoded; the first
    /// one when it repeats.
    pub(crate) fn query_value(&self, name: &str) -> Option<String> {
        let (_, pair) = self.query.iter().find(|(parameter, _)| parameter == name)?;
        let (_, value) = pair.split_once('=')?;
        Some(percent_encoding::percent_decode_str(value).decode_utf8_lossy().into_owned())
    }

    /// Sets the top-level property `name` of the JSON body to `value`,
    /// starting from `{}` when there is no body yet.
    pub(crate) fn json_field(&mut self, name: &str, value: &str) {
        let mut object = match self.body.as_ref().and_then(Body::bytes) {
            Some(bytes) => match serde_json::from_slice::<serde_json::Value>(bytes) {
                Ok(serde_json::Value::Object(object)) => object,
                _ => return self.refuse(format!("the request body is not a JSON object, so `{name}` cannot be set in it")),
            },
            None => serde_json::Map::new(),
        };
        object.insert(name.to_owned(), serde_json::Value::String(value.to_owned()));
        self.json(&object);
    }

    /// The value of the header `name` set on the call, if it is text.
    pub(crate) fn header_value(&self, name: &str) -> Option<String> {
        let (_, value) = self.headers.iter().find(|(header, _)| header.as_str().eq_ignore_ascii_case(name))?;
        value.to_str().ok().map(str::to_owned)
    }

    /// The top-level string property `name` of the JSON body, if there is one.
    pub(crate) fn json_field_value(&self, name: &str) -> Option<String> {
        let bytes = self.body.as_ref()?.bytes()?;
        match serde_json::from_slice::<serde_json::Value>(bytes).ok()?.get(name)? {
            serde_json::Value::String(value) => Some(value.clone()),
            _ => None,
        }
    }

    /// The single-use header the call carries, if any.
    pub(crate) fn single_use_header_name(&self) -> Option<&'static str> {
        self.single_use
    }

    /// The deadline of a whole walk over pages: the call's, else the client's.
    pub(crate) fn walk_deadline(&self) -> Option<Duration> {
        self.walk_deadline.or(self.config.walk_deadline)
    }

    /// Sets the deadline of a whole walk over pages.
    pub(crate) fn set_walk_deadline(&mut self, deadline: Duration) {
        self.walk_deadline = Some(deadline);
    }

    /// Shortens the call's deadline to `left` when that is sooner; whether it did.
    pub(crate) fn cap_deadline(&mut self, left: Duration) -> bool {
        let own = self.deadline.unwrap_or(self.config.deadline);
        self.deadline = Some(own.min(left));
        left < own
    }
}
