//! Binary bodies as streams (Cargo feature `streaming`): a download read
//! chunk by chunk as it arrives, and an upload read from a stream or a file.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;

use super::body::Body;
use super::error::{Error, SendError};
use super::request::Request;
use super::response::{ResponseValue, Streamed};
use super::send::{Limits, read};

/// A response body read as it arrives, chunk by chunk: a `Stream` of
/// [`Bytes`], so a download of any size takes the memory of a chunk or two.
///
/// The client's limit on the response body
/// ([`ClientBuilder::max_response_bytes`](super::ClientBuilder::max_response_bytes))
/// still holds, counted as the chunks arrive: the chunk that passes it is
/// an [`Error::ResponseTooLarge`] instead, and the stream ends. A call lifts
/// the limit with [`Call::max_response_bytes(None)`](super::Call::max_response_bytes).
///
/// The call's timeout and deadline cover the wait for the response's head;
/// after it, each chunk must arrive within the call's timeout, or the stream
/// yields [`Error::Timeout`] and ends. The stream has no deadline of its own:
/// the caller reads at its own pace.
pub struct ByteStream {
    inner: Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// Where reading a streamed body stands.
struct Reading {
    response: reqwest::Response,
    limits: Limits,
    /// Bytes read so far.
    total: u64,
}

impl ByteStream {
    /// The body of `response`, read within `limits`.
    pub(crate) fn new(response: reqwest::Response, limits: Limits) -> Self {
        let state = Some(Reading { response, limits, total: 0 });
        let inner = futures_util::stream::unfold(state, |state| async move {
            let mut reading = state?;
            let status = reading.response.status();
            let limit = reading.limits.max_response_bytes;
            let chunk = match tokio::time::timeout(reading.limits.timeout, reading.response.chunk()).await {
                Err(_) => return Some((Err(Error::Timeout), None)),
                Ok(Err(error)) => return Some((Err(SendError::from_reqwest(error).into()), None)),
                Ok(Ok(None)) => return None,
                Ok(Ok(Some(chunk))) => chunk,
            };
            reading.total = reading.total.saturating_add(chunk.len() as u64);
            if reading.total > limit {
                return Some((Err(Error::ResponseTooLarge { status, limit }), None));
            }
            Some((Ok(chunk), Some(reading)))
        });
        ByteStream { inner: Box::pin(inner) }
    }
}

impl Request<'_> {
    /// Sends the request like `send`, but hands on the body of a 2XX answer
    /// as a [`ByteStream`]; other answers are read in full (within the limit).
    pub(crate) async fn send_streaming(self) -> Result<Streamed<ResponseValue<ByteStream>>, SendError> {
        self.send_with(|mut response, limits| async move {
            if !response.status().is_success() {
                return read(response, limits.max_response_bytes).await.map(Streamed::Read);
            }
            let (status, limit) = (response.status(), limits.max_response_bytes);
            if response.content_length().is_some_and(|length| length > limit) {
                return Err(SendError::TooLarge { status, limit });
            }
            let headers = std::mem::take(response.headers_mut());
            Ok(Streamed::Open(ResponseValue::new(ByteStream::new(response, limits), status, headers)))
        })
        .await
    }

    /// Sets a binary body with its media type: bytes, which a retry sends
    /// again, or a stream, which goes out once.
    pub(crate) fn binary(&mut self, content_type: &'static str, body: impl Into<BinaryBody>) {
        self.body = Some(match body.into().0 {
            Upload::Bytes(bytes) => Body::Bytes { content_type, bytes },
            Upload::Stream { body, length } => Body::Stream { content_type, body, length },
        });
    }
}

/// A binary request body: bytes in memory, or a stream or file read as the
/// request goes out.
///
/// Bytes convert into it (`Bytes`, `Vec<u8>`, `String`, `&'static [u8]`,
/// `&'static str`). A body from [`BinaryBody::stream`] or [`BinaryBody::file`]
/// is read once, so **a call carrying one is never retried**, whatever its
/// retry policy: there is nothing to send again.
pub struct BinaryBody(Upload);

enum Upload {
    Bytes(Bytes),
    Stream { body: reqwest::Body, length: Option<u64> },
}

impl fmt::Debug for BinaryBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The bytes may be personal data; their length says enough.
        match &self.0 {
            Upload::Bytes(bytes) => f.debug_struct("BinaryBody").field("length", &bytes.len()).finish(),
            Upload::Stream { length, .. } => f.debug_struct("BinaryBody").field("stream_length", length).finish(),
        }
    }
}

impl BinaryBody {
    /// A body read from `stream` as the request goes out. With `length`, it
    /// is sent with that `Content-Length` (the stream must then yield exactly
    /// that many bytes); without, in chunks. The call is never retried.
    pub fn stream<S, B, E>(stream: S, length: Option<u64>) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        Bytes: From<B>,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        BinaryBody(Upload::Stream { body: reqwest::Body::wrap_stream(stream), length })
    }

    /// A body read from `file`, from where it stands to its end, sent with
    /// the file's length as `Content-Length`. The call is never retried.
    pub async fn file(file: tokio::fs::File) -> std::io::Result<Self> {
        use tokio::io::AsyncSeekExt as _;
        let mut file = file;
        let length = file.metadata().await?.len();
        let position = file.stream_position().await?;
        let length = length.saturating_sub(position);
        Ok(BinaryBody(Upload::Stream { body: reqwest::Body::from(file), length: Some(length) }))
    }
}

/// Bytes in memory, which a retry can send again.
macro_rules! from_bytes {
    ($($source:ty),*) => {
        $(impl From<$source> for BinaryBody {
            fn from(bytes: $source) -> Self {
                BinaryBody(Upload::Bytes(bytes.into()))
            }
        })*
    };
}

from_bytes!(Bytes, Vec<u8>, String, &'static [u8], &'static str);
