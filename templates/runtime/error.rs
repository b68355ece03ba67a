//! The one error type every operation returns, and the responses it keeps.

use std::fmt;
use std::ops::Deref;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// How much of a raw body `Debug` and `Display` show.
const SHOWN_BYTES: usize = 256;

/// Everything that can go wrong with a call; `E` is the operation's documented
/// error body (`()` where the API documents none).
///
/// Responses are boxed so that a `Result` stays small on the happy path.
///
/// The enum is `#[non_exhaustive]`: a later version of the runtime may add a
/// variant, so a `match` on it needs a `_` arm.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = ()> {
    /// The server answered with an error status the API documents; the body
    /// is decoded into `E`, and the raw body is kept too.
    #[error("the API answered with HTTP {}: {}", .0.status(), .0.raw_body())]
    Api(Box<ApiError<E>>),
    /// The server answered with a status the API does not document (a 3xx
    /// redirect that was not followed among them); the raw body is kept.
    #[error("unexpected HTTP status {}: {}", .0.status(), .0.body())]
    UnexpectedStatus(Box<ErrorResponse>),
    /// The response body did not match the documented schema; the raw body is kept.
    #[error("could not decode the HTTP {} response body ({}): {source}", .response.status(), .response.body())]
    Decode {
        /// The response, with its raw body.
        response: Box<ErrorResponse>,
        /// Why decoding failed.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The response body is larger than the client's limit; it was not read further.
    #[error("the HTTP {status} response body exceeds the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The status of the response.
        status: StatusCode,
        /// The limit in bytes ([`ClientBuilder::max_response_bytes`](super::ClientBuilder::max_response_bytes)).
        limit: u64,
    },
    /// No complete response arrived within the timeout of an attempt or the
    /// deadline of the call.
    #[error("the request timed out")]
    Timeout,
    /// The request could not be sent or its response not read (DNS, TCP, TLS, HTTP framing).
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// The request was refused before sending: a header value containing
    /// CR/LF, an empty path parameter, a blank idempotency key, missing
    /// credentials, a base URL that cannot be used, or a request hook's error.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// A walk over pages (`pages()`, `items()`) stopped before the end of the
    /// list, because the server's answers could not be walked further or the
    /// walk ran out of time. The pages before it were yielded.
    #[error("the walk over pages stopped before the end of the list: {0}")]
    Pagination(PaginationError),
    /// An event stream was given up: the server sent a line or an event
    /// larger than the stream's limits.
    #[cfg(feature = "sse")]
    #[error("the event stream was given up: {0}")]
    EventStream(super::sse::EventStreamError),
    /// The provider of a credential (a [`CredentialProvider`](super::CredentialProvider),
    /// or OAuth 2 client credentials with their [`TokenError`](super::TokenError))
    /// gave none; nothing was sent.
    #[error("could not obtain the credential of security scheme `{scheme}`: {source}")]
    Credentials {
        /// The security scheme, as the spec names it.
        scheme: &'static str,
        /// The provider's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Why a walk over pages stopped before the end of the list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaginationError {
    /// A page handed back a cursor already sent earlier in the walk: following
    /// it would go round the same pages forever. Pages count from 1; the
    /// cursor the call started with counts as page 0's.
    #[error("page {page} handed back the cursor page {first_seen} had handed back, a cycle")]
    RepeatedCursor {
        /// The page that handed the cursor back again.
        page: u64,
        /// The page that handed it back first.
        first_seen: u64,
    },
    /// A page had no items but said that more follow.
    #[error("page {page} has no items but says more follow")]
    EmptyPageClaimsMore {
        /// The empty page.
        page: u64,
    },
    /// A numbered page held exactly the items of the page before it: the
    /// server ignores the page number. The repeated page is not yielded.
    #[error("page {page} holds exactly the items of the page before it (the server ignores the page number)")]
    RepeatedPage {
        /// The repeated page.
        page: u64,
    },
    /// The walk's deadline passed; `pages` pages had been fetched.
    #[error("the walk's deadline passed after {pages} pages")]
    WalkDeadline {
        /// How many pages were fetched in time.
        pages: u64,
    },
}

impl<E> Error<E> {
    /// The HTTP status, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(error) => Some(error.status()),
            Error::UnexpectedStatus(response) | Error::Decode { response, .. } => Some(response.status()),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::Timeout
            | Error::Transport(_)
            | Error::InvalidRequest(_)
            | Error::Pagination(_)
            | Error::Credentials { .. } => None,
            #[cfg(feature = "sse")]
            Error::EventStream(_) => None,
        }
    }

    /// The response headers, when a response was received.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(error) => Some(error.headers()),
            Error::UnexpectedStatus(response) | Error::Decode { response, .. } => Some(response.headers()),
            Error::ResponseTooLarge { .. }
            | Error::Timeout
            | Error::Transport(_)
            | Error::InvalidRequest(_)
            | Error::Pagination(_)
            | Error::Credentials { .. } => None,
            #[cfg(feature = "sse")]
            Error::EventStream(_) => None,
        }
    }

    /// The raw response body, when a response was read.
    pub fn raw_body(&self) -> Option<&RawBody> {
        match self {
            Error::Api(error) => Some(error.raw_body()),
            Error::UnexpectedStatus(response) | Error::Decode { response, .. } => Some(response.body()),
            Error::ResponseTooLarge { .. }
            | Error::Timeout
            | Error::Transport(_)
            | Error::InvalidRequest(_)
            | Error::Pagination(_)
            | Error::Credentials { .. } => None,
            #[cfg(feature = "sse")]
            Error::EventStream(_) => None,
        }
    }
}

/// A documented error response: status, headers, the body decoded into `E`,
/// and the raw body, so nothing the server said is lost.
///
/// It dereferences to the decoded body.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    body: E,
    response: ErrorResponse,
}

impl<E> ApiError<E> {
    pub(crate) fn new(body: E, response: ErrorResponse) -> Self {
        ApiError { body, response }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.response.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.response.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &E {
        &self.body
    }

    /// The body as received.
    pub fn raw_body(&self) -> &RawBody {
        &self.response.body
    }

    /// The decoded body, dropping the rest.
    pub fn into_inner(self) -> E {
        self.body
    }
}

impl<E> Deref for ApiError<E> {
    type Target = E;

    fn deref(&self) -> &E {
        &self.body
    }
}

/// A response kept as received: status, headers and raw body.
#[derive(Debug, Clone)]
pub struct ErrorResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: RawBody,
}

impl ErrorResponse {
    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as received.
    pub fn body(&self) -> &RawBody {
        &self.body
    }
}

/// A response body as received. `Debug` and `Display` show its length and at
/// most its first 256 bytes, so logging an error never floods a log.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RawBody(pub(crate) Bytes);

impl RawBody {
    /// The bytes.
    pub fn as_bytes(&self) -> &Bytes {
        &self.0
    }

    /// The bytes, owned.
    pub fn into_bytes(self) -> Bytes {
        self.0
    }

    /// The body as text, with invalid UTF-8 replaced.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.0)
    }

    fn shown(&self) -> (std::borrow::Cow<'_, str>, bool) {
        let cut = self.0.len().min(SHOWN_BYTES);
        (String::from_utf8_lossy(&self.0[..cut]), cut < self.0.len())
    }
}

impl Deref for RawBody {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for RawBody {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (shown, cut) = self.shown();
        let ellipsis = if cut { "…" } else { "" };
        write!(f, "RawBody({} bytes: {:?}{ellipsis})", self.0.len(), shown)
    }
}

impl fmt::Display for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("empty body");
        }
        let (shown, cut) = self.shown();
        let ellipsis = if cut { "…" } else { "" };
        write!(f, "{} bytes: {}{ellipsis}", self.0.len(), shown.escape_debug())
    }
}

/// Why a request got no response; converts into every [`Error`].
#[derive(Debug)]
pub(crate) enum SendError {
    Timeout,
    TooLarge { status: StatusCode, limit: u64 },
    Transport(reqwest::Error),
    InvalidRequest(String),
    Credentials { scheme: &'static str, source: Box<dyn std::error::Error + Send + Sync> },
}

impl SendError {
    pub(crate) fn from_reqwest(error: reqwest::Error) -> Self {
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
            SendError::TooLarge { status, limit } => Error::ResponseTooLarge { status, limit },
            SendError::Transport(error) => Error::Transport(error),
            SendError::InvalidRequest(problem) => Error::InvalidRequest(problem),
            SendError::Credentials { scheme, source } => Error::Credentials { scheme, source },
        }
    }
}
