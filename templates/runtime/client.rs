//! The client of one API and its builder: base URL, credentials, timeouts,
//! retries, redirects, limits and hooks.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::{Method, Url};

use super::auth::{Credential, Credentials, Scheme};
use super::config::Config;
use super::hooks::{OutgoingRequest, RequestHook, ResponseHead, ResponseHook};
use super::request::Request;
use super::provider::DEFAULT_REFRESH_SKEW;
use super::{DEFAULT_DEADLINE, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT, Error, RetryPolicy};

/// Whether and where redirects are followed.
///
/// The default follows none: a 3xx answer is returned to the caller like any
/// other status. [`RedirectPolicy::same_origin`] follows redirects that stay on
/// the origin (scheme, host and port) of the request, so credentials, keys and
/// bodies are only ever sent where the caller sent them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RedirectPolicy {
    same_origin_hops: usize,
}

impl RedirectPolicy {
    /// Follows no redirect (the default).
    pub const fn none() -> Self {
        RedirectPolicy { same_origin_hops: 0 }
    }

    /// Follows up to `max_hops` redirects within the request's origin; a
    /// redirect to another origin is returned to the caller, not followed.
    pub const fn same_origin(max_hops: usize) -> Self {
        RedirectPolicy { same_origin_hops: max_hops }
    }

    fn to_reqwest(self) -> reqwest::redirect::Policy {
        if self.same_origin_hops == 0 {
            return reqwest::redirect::Policy::none();
        }
        let max = self.same_origin_hops;
        reqwest::redirect::Policy::custom(move |attempt| {
            let stays = attempt.previous().first().is_some_and(|first| same_origin(first, attempt.url()));
            if stays && attempt.previous().len() <= max { attempt.follow() } else { attempt.stop() }
        })
    }
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme() && a.host_str() == b.host_str() && a.port_or_known_default() == b.port_or_known_default()
}

/// A client of one API; `A` is that API's marker type, which decides the
/// operations and security schemes available. Cloning is cheap: clones share
/// the connection pool and settings.
pub struct Client<A> {
    config: Arc<Config>,
    api: PhantomData<fn() -> A>,
}

impl<A> Clone for Client<A> {
    fn clone(&self) -> Self {
        Client { config: Arc::clone(&self.config), api: PhantomData }
    }
}

impl<A> fmt::Debug for Client<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.config;
        f.debug_struct("Client")
            .field("base_url", &config.base_url)
            .field("credentials", &config.credentials)
            .field("timeout", &config.timeout)
            .field("deadline", &config.deadline)
            .field("walk_deadline", &config.walk_deadline)
            .field("retry", &config.retry)
            .field("max_response_bytes", &config.max_response_bytes)
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
            credentials: Credentials::default(),
            timeout: DEFAULT_TIMEOUT,
            deadline: DEFAULT_DEADLINE,
            walk_deadline: None,
            retry: RetryPolicy::default(),
            refresh_skew: DEFAULT_REFRESH_SKEW,
            redirects: RedirectPolicy::none(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            user_agent: None,
            request_hooks: Vec::new(),
            response_hooks: Vec::new(),
            api: PhantomData,
        }
    }

    /// The base URL every path is appended to.
    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    /// Starts a request to the path `template` (`/sessions/{id}`), whose
    /// parameters the operation fills in.
    pub(crate) fn request(&self, method: Method, template: &'static str) -> Request<'_> {
        Request::new(&self.config, method, template)
    }
}

/// Configures a [`Client`]; the API's module adds one setter per security scheme.
pub struct ClientBuilder<A> {
    base_url: String,
    http: Option<reqwest::ClientBuilder>,
    credentials: Credentials,
    timeout: Duration,
    deadline: Duration,
    walk_deadline: Option<Duration>,
    retry: RetryPolicy,
    refresh_skew: Duration,
    redirects: RedirectPolicy,
    max_response_bytes: u64,
    user_agent: Option<String>,
    request_hooks: Vec<RequestHook>,
    response_hooks: Vec<ResponseHook>,
    api: PhantomData<fn() -> A>,
}

impl<A> fmt::Debug for ClientBuilder<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &redact_userinfo(&self.base_url))
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("walk_deadline", &self.walk_deadline)
            .field("retry", &self.retry)
            .field("redirects", &self.redirects)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl<A> ClientBuilder<A> {
    /// Sets the timeout of each attempt of each call (default: [`DEFAULT_TIMEOUT`](super::DEFAULT_TIMEOUT)).
    /// A single call can override it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the time each call may take in all, retries and their waits
    /// included (default: [`DEFAULT_DEADLINE`](super::DEFAULT_DEADLINE)). A single call can override it.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Sets the time a whole walk over pages (`pages()`, `items()` of a
    /// paginated call) may take, every page's attempts and waits included
    /// (default: no limit besides each page's own deadline). A walk that runs
    /// out of time ends with [`Error::Pagination`]. A single call can override it.
    pub fn walk_deadline(mut self, deadline: Duration) -> Self {
        self.walk_deadline = Some(deadline);
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

    /// Sets how long before its expiry a token from a provider (or OAuth 2
    /// client credentials) is renewed (default:
    /// [`DEFAULT_REFRESH_SKEW`](super::DEFAULT_REFRESH_SKEW)); at most half
    /// of a token's lifetime is taken off, so a short-lived token is still used.
    pub fn refresh_skew(mut self, skew: Duration) -> Self {
        self.refresh_skew = skew;
        self
    }

    /// Sets which redirects are followed (default: none).
    pub fn redirects(mut self, policy: RedirectPolicy) -> Self {
        self.redirects = policy;
        self
    }

    /// Sets the largest response body read, in bytes (default:
    /// [`DEFAULT_MAX_RESPONSE_BYTES`](super::DEFAULT_MAX_RESPONSE_BYTES)); a larger body ends the call with
    /// [`Error::ResponseTooLarge`].
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Sets the `User-Agent` header (default: [`DEFAULT_USER_AGENT`](super::DEFAULT_USER_AGENT)).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Builds the HTTP client from this `reqwest::ClientBuilder` (for proxies,
    /// TLS roots or connection pool settings). The runtime still sets the
    /// redirect policy and the `User-Agent`, so the promises about redirects hold.
    pub fn http_client(mut self, http: reqwest::ClientBuilder) -> Self {
        self.http = Some(http);
        self
    }

    /// Adds a hook that sees each outgoing request before each attempt
    /// (retries included), and may change its headers: to sign it, or to add
    /// tracing headers. An error from the hook ends the call with
    /// [`Error::InvalidRequest`] before anything is sent.
    pub fn on_request<F>(mut self, hook: F) -> Self
    where
        F: Fn(&mut OutgoingRequest<'_>) -> Result<(), String> + Send + Sync + 'static,
    {
        self.request_hooks.push(Arc::new(hook));
        self
    }

    /// Adds a hook that observes each response (retried ones included), for
    /// logs and metrics.
    pub fn on_response<F>(mut self, hook: F) -> Self
    where
        F: Fn(&ResponseHead<'_>) + Send + Sync + 'static,
    {
        self.response_hooks.push(Arc::new(hook));
        self
    }

    /// Stores the credential of a security scheme.
    pub(crate) fn credential(mut self, scheme: Scheme, credential: Credential) -> Self {
        self.credentials.set(scheme, credential);
        self
    }

    /// Checks the base URL and the credentials, and builds the client.
    pub fn build(self) -> Result<Client<A>, Error> {
        let (base_url, base) = check_base_url(&self.base_url)?;
        self.credentials.check().map_err(Error::InvalidRequest)?;
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let http = self
            .http
            .unwrap_or_default()
            .redirect(self.redirects.to_reqwest())
            .user_agent(user_agent)
            .build()
            .map_err(|error| Error::Transport(error.without_url()))?;
        // Token requests go through the same HTTP client: same redirect policy.
        self.credentials.attach(&http, &base, self.timeout, self.max_response_bytes);
        Ok(Client {
            config: Arc::new(Config {
                http,
                base_url,
                base,
                credentials: self.credentials,
                timeout: self.timeout,
                deadline: self.deadline,
                walk_deadline: self.walk_deadline,
                retry: self.retry,
                refresh_skew: self.refresh_skew,
                max_response_bytes: self.max_response_bytes,
                request_hooks: self.request_hooks,
                response_hooks: self.response_hooks,
            }),
            api: PhantomData,
        })
    }
}

/// The base URL without surrounding whitespace or trailing `/`; refused when
/// it is not http(s), or carries what a base URL cannot: a query, a fragment
/// (paths would land inside them) or user info (which would be dropped, or
/// leak into logs; credentials have their own setters).
fn check_base_url(raw: &str) -> Result<(String, Url), Error> {
    let trimmed = raw.trim().trim_end_matches('/');
    let shown = redact_userinfo(trimmed);
    let refuse = |why: &str| Err(Error::InvalidRequest(format!("base URL `{shown}` {why}")));
    let url = match Url::parse(trimmed) {
        Ok(url) => url,
        Err(error) => return refuse(&format!("does not parse: {error}")),
    };
    if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https") {
        return refuse("is not an http(s) URL");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return refuse("carries user info; use the client's credential setters instead");
    }
    if url.query().is_some() || url.fragment().is_some() || trimmed.contains(['?', '#']) {
        return refuse("has a query or fragment; a base URL ends with its path");
    }
    Ok((trimmed.to_owned(), url))
}

/// `url` with any user info replaced, for messages and `Debug`.
fn redact_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://<redacted>@{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}
