//! The runtime shared by the generated API clients: client configuration,
//! authentication, request execution with timeouts, a deadline and retries,
//! and the one error type every operation returns.
//!
//! clientgen writes these files verbatim from `templates/runtime/`; edit the
//! templates and regenerate rather than editing a copy.
//!
//! What the runtime promises, whatever the API:
//! - **Redirects are not followed** unless the client opts in with
//!   [`ClientBuilder::redirects`], and then only to the same origin (scheme,
//!   host and port), so credentials, idempotency keys and bodies never reach
//!   another server. A 3xx answer is returned like any other status.
//! - **Response bodies are bounded** ([`DEFAULT_MAX_RESPONSE_BYTES`], set with
//!   [`ClientBuilder::max_response_bytes`]); a larger body ends the call with
//!   [`Error::ResponseTooLarge`] and is not read further.
//! - **Every call has a deadline** ([`DEFAULT_DEADLINE`]) covering all its
//!   attempts and the waits between them, besides the timeout of each attempt.
//! - **Nothing is sent that cannot be right:** empty path parameters, blank
//!   idempotency keys, header values with CR/LF and operations whose
//!   credentials are not configured are refused with [`Error::InvalidRequest`].
#![allow(dead_code, reason = "each generated API uses only the helpers its spec needs")]

mod auth;
mod body;
mod client;
mod config;
mod error;
mod form;
mod hooks;
#[cfg(feature = "mock")]
pub mod mock;
#[cfg(feature = "mock")]
mod mock_spec;
mod oauth2;
mod object;
mod paginate;
mod params;
mod provider;
mod request;
mod response;
mod retry;
mod send;
mod servers;
#[cfg(feature = "signing")]
mod signing;
#[cfg(feature = "sse")]
mod events;
// Reachable from the crate so that its parser can be tested on its own.
#[cfg(feature = "sse")]
pub(crate) mod sse;
#[cfg(feature = "streaming")]
mod stream;
#[cfg(feature = "tracing")]
mod trace;

pub use auth::Scheme;
pub use client::{Client, ClientBuilder, RedirectPolicy};
pub use error::{ApiError, Error, ErrorResponse, PaginationError, RawBody};
pub use hooks::{OutgoingRequest, ResponseHead};
pub use oauth2::{ClientCredentials, TokenError};
pub use provider::{BoxError, CredentialFuture, CredentialProvider, DEFAULT_REFRESH_SKEW, Token};
pub use request::{Call, Operation};
pub use response::ResponseValue;
pub use retry::RetryPolicy;
#[cfg(feature = "sse")]
pub use events::EventStream;
#[cfg(feature = "sse")]
pub use sse::{DEFAULT_MAX_EVENT_BYTES, DEFAULT_MAX_EVENT_LINE, Event, EventStreamError};
#[cfg(feature = "streaming")]
pub use stream::{BinaryBody, ByteStream};

// What generated operations and types use; which of it depends on the spec.
#[allow(unused_imports, reason = "each generated API uses only the helpers its spec needs")]
pub(crate) use {
    auth::{ApiKeyLocation, Credential, Placement},
    servers::{ServerPlace, server_origin, server_variable},
    paginate::{Advance, CursorTarget, items, pages},
    object::{Fields, FromObject, deserialize_object, optional_entry},
    form::{FormField, FormStyle},
    params::QueryStyle,
    request::Request,
    response::RawResponse,
};
#[cfg(any(feature = "streaming", feature = "sse"))]
#[allow(unused_imports, reason = "each generated API uses only the helpers its spec needs")]
pub(crate) use response::Streamed;

use std::time::Duration;

/// The timeout of each attempt of a call, unless the client or the call sets another.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The time a call may take in all, attempts and waits between them included,
/// unless the client or the call sets another.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);

/// The largest response body a client reads, unless its builder sets another
/// limit: 16 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// The `User-Agent` sent unless the client sets another: this crate's name and version.
pub const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
