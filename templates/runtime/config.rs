//! The settings a client's calls share, apart from the client that holds
//! them, so that requests and sending read them without depending on the
//! client.

use std::time::Duration;

use reqwest::Url;

use super::auth::Credentials;
use super::hooks::{RequestHook, ResponseHook};
use super::retry::RetryPolicy;

/// Settings shared by every call of one client.
pub(crate) struct Config {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    /// The base URL parsed once: each call's URL is parsed against it, so its
    /// host is not parsed again on every call.
    pub(crate) base: Url,
    pub(crate) credentials: Credentials,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Duration,
    /// The deadline of each walk over pages, if any.
    pub(crate) walk_deadline: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    /// How long before its expiry a provided token is renewed.
    pub(crate) refresh_skew: Duration,
    pub(crate) max_response_bytes: u64,
    pub(crate) request_hooks: Vec<RequestHook>,
    pub(crate) response_hooks: Vec<ResponseHook>,
}
