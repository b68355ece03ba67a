//! The request body a call carries, and how each attempt puts it on the wire.

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue};

use super::error::SendError;

/// The request body: bytes serialized once, so retries can resend them, or a
/// stream that goes out once.
pub(crate) enum Body {
    Bytes { content_type: &'static str, bytes: Bytes },
    #[cfg(feature = "multipart")]
    Multipart(reqwest::multipart::Form),
    /// A binary body read from a stream or a file, `length` bytes when known.
    #[cfg(feature = "streaming")]
    Stream { content_type: &'static str, body: reqwest::Body, length: Option<u64> },
    /// A streamed body already sent.
    #[cfg(any(feature = "multipart", feature = "streaming"))]
    Spent,
}

impl Body {
    /// Whether the body can be sent again: a streamed one cannot.
    pub(crate) fn replayable(&self) -> bool {
        self.try_clone().is_some()
    }

    /// A copy to send again; `None` for a streamed body.
    pub(crate) fn try_clone(&self) -> Option<Body> {
        match self {
            Body::Bytes { content_type, bytes } => Some(Body::Bytes { content_type, bytes: bytes.clone() }),
            #[cfg(any(feature = "multipart", feature = "streaming"))]
            _ => None,
        }
    }

    /// The bytes of the body, when it is held in memory.
    pub(crate) fn bytes(&self) -> Option<&Bytes> {
        match self {
            Body::Bytes { bytes, .. } => Some(bytes),
            #[cfg(any(feature = "multipart", feature = "streaming"))]
            _ => None,
        }
    }

    /// Puts the body and `headers` into `request`; returns the request and
    /// what stays for another attempt (a streamed body is spent).
    pub(crate) fn attach(
        self,
        http: &reqwest::Client,
        mut request: reqwest::Request,
        mut headers: HeaderMap,
    ) -> Result<(reqwest::Request, Body), SendError> {
        // Only a multipart form is built with the client.
        let _ = http;
        match self {
            Body::Bytes { content_type, bytes } => {
                // A `Content-Type` set on the call (a vendor media type, say) wins.
                headers.entry(reqwest::header::CONTENT_TYPE).or_insert(HeaderValue::from_static(content_type));
                *request.headers_mut() = headers;
                *request.body_mut() = Some(bytes.clone().into());
                Ok((request, Body::Bytes { content_type, bytes }))
            }
            #[cfg(feature = "multipart")]
            Body::Multipart(form) => {
                *request.headers_mut() = headers;
                // The form's boundary and stream are set up by reqwest's builder.
                let request = reqwest::RequestBuilder::from_parts(http.clone(), request)
                    .multipart(form)
                    .build()
                    .map_err(|error| SendError::InvalidRequest(error.without_url().to_string()))?;
                Ok((request, Body::Spent))
            }
            #[cfg(feature = "streaming")]
            Body::Stream { content_type, body, length } => {
                headers.entry(reqwest::header::CONTENT_TYPE).or_insert(HeaderValue::from_static(content_type));
                // A known length goes out as `Content-Length` rather than chunked.
                if let Some(length) = length {
                    headers.insert(reqwest::header::CONTENT_LENGTH, HeaderValue::from(length));
                }
                *request.headers_mut() = headers;
                *request.body_mut() = Some(body);
                Ok((request, Body::Spent))
            }
            #[cfg(any(feature = "multipart", feature = "streaming"))]
            Body::Spent => Err(SendError::InvalidRequest("a streamed body cannot be sent twice".to_owned())),
        }
    }
}
