//! What the hooks of a client see: each outgoing request before it is sent,
//! and each response's head.

use std::sync::Arc;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode, Url};

/// An outgoing request as a request hook sees it, before each attempt.
pub struct OutgoingRequest<'r> {
    pub(crate) inner: &'r mut reqwest::Request,
}

impl OutgoingRequest<'_> {
    /// The HTTP method.
    pub fn method(&self) -> &Method {
        self.inner.method()
    }

    /// The full URL, query included.
    pub fn url(&self) -> &Url {
        self.inner.url()
    }

    /// The headers, which the hook may change (to sign the request, say).
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.inner.headers_mut()
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        self.inner.headers()
    }

    /// The body exactly as it will be sent; empty for a request without body,
    /// `None` for a streamed (multipart) body.
    pub fn body(&self) -> Option<&[u8]> {
        match self.inner.body() {
            None => Some(&[]),
            Some(body) => body.as_bytes(),
        }
    }
}

/// What a response hook sees of each response: the request it answers, its
/// status and headers.
#[derive(Debug)]
pub struct ResponseHead<'r> {
    pub(crate) method: &'r Method,
    pub(crate) url: &'r Url,
    pub(crate) status: StatusCode,
    pub(crate) headers: &'r HeaderMap,
    pub(crate) attempt: u32,
}

impl ResponseHead<'_> {
    /// The method of the request.
    pub fn method(&self) -> &Method {
        self.method
    }

    /// The URL of the request (without any API key sent in the query: those are
    /// left out, as the hook may log it).
    pub fn url(&self) -> &Url {
        self.url
    }

    /// The status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// Which attempt of the call this answers: 0 for the first, then 1, 2… for retries.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }
}

/// A request hook, as [`ClientBuilder::on_request`](super::ClientBuilder::on_request) keeps it.
pub(crate) type RequestHook = Arc<dyn Fn(&mut OutgoingRequest<'_>) -> Result<(), String> + Send + Sync>;
/// A response hook, as [`ClientBuilder::on_response`](super::ClientBuilder::on_response) keeps it.
pub(crate) type ResponseHook = Arc<dyn Fn(&ResponseHead<'_>) + Send + Sync>;
