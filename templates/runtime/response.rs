//! Responses: the typed value a call returns, and the raw response an
//! operation decodes as its spec documents.

use std::ops::Deref;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::error::{ApiError, Error, ErrorResponse, RawBody};

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
    #[cfg(any(feature = "streaming", feature = "sse"))]
    pub(crate) fn new(body: T, status: StatusCode, headers: HeaderMap) -> Self {
        ResponseValue { body, status, headers }
    }

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

/// How a call whose answer streams ended: a 2XX answer handed on as it
/// arrives, or any other answer read in full, for the operation to decode.
#[cfg(any(feature = "streaming", feature = "sse"))]
pub(crate) enum Streamed<T> {
    Open(T),
    Read(RawResponse),
}

/// The byte order mark some servers put before a UTF-8 body.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A response read in full, waiting for the operation to decode it.
pub(crate) struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl RawResponse {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        RawResponse { status, headers, body }
    }

    /// The status code, for the operation to pick the documented response.
    pub(crate) fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// Status, headers and body, for a reader of its own (the OAuth 2 token response).
    pub(crate) fn into_parts(self) -> (StatusCode, HeaderMap, Bytes) {
        (self.status, self.headers, self.body)
    }

    /// True when the response has no body at all.
    pub(crate) fn has_empty_body(&self) -> bool {
        self.body.is_empty()
    }

    fn value<T>(self, body: T) -> ResponseValue<T> {
        ResponseValue { body, status: self.status, headers: self.headers }
    }

    fn kept(self) -> ErrorResponse {
        ErrorResponse { status: self.status, headers: self.headers, body: RawBody(self.body) }
    }

    fn decode_error<E>(self, source: Box<dyn std::error::Error + Send + Sync>) -> Error<E> {
        Error::Decode { response: Box::new(self.kept()), source }
    }

    fn api<E>(self, body: E) -> Error<E> {
        Error::Api(Box::new(ApiError::new(body, self.kept())))
    }

    fn decode_json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(self.body.strip_prefix(UTF8_BOM).unwrap_or(&self.body))
    }

    /// The body as text, in the charset the `Content-Type` names (UTF-8
    /// unless it names another), a byte order mark taking precedence.
    fn decode_text(&self) -> Result<String, String> {
        let named = self
            .headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<mime::Mime>().ok())
            .and_then(|media| media.get_param(mime::CHARSET).map(|charset| charset.as_str().to_owned()));
        let (encoding, skip) = match encoding_rs::Encoding::for_bom(&self.body) {
            Some(found) => found,
            None => {
                let encoding = match &named {
                    Some(label) => encoding_rs::Encoding::for_label(label.as_bytes())
                        .ok_or_else(|| format!("unknown charset `{label}`"))?,
                    None => encoding_rs::UTF_8,
                };
                (encoding, 0)
            }
        };
        encoding
            .decode_without_bom_handling_and_without_replacement(&self.body[skip..])
            .map(|text| text.into_owned())
            .ok_or_else(|| format!("the body is not valid {}", encoding.name()))
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
    pub(crate) fn json_into<T: DeserializeOwned, R, E>(self, wrap: impl FnOnce(T) -> R) -> Result<ResponseValue<R>, Error<E>> {
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

    // Documented error responses: `Error::Api` with the decoded body and the
    // raw one, or a decode error when the body does not match.

    /// A JSON error body.
    pub(crate) fn api_json<E: DeserializeOwned>(self) -> Error<E> {
        self.api_json_into(|body: E| body)
    }

    /// A JSON error body, wrapped into the operation's error enum.
    pub(crate) fn api_json_into<T: DeserializeOwned, E>(self, wrap: impl FnOnce(T) -> E) -> Error<E> {
        match self.decode_json::<T>() {
            Ok(body) => self.api(wrap(body)),
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
            Ok(text) => self.api(wrap(text)),
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
        self.api(body)
    }

    /// An error without a documented body.
    pub(crate) fn api_empty(self) -> Error<()> {
        self.api(())
    }

    /// An error without a documented body, standing for one variant of the error enum.
    pub(crate) fn api_empty_into<E>(self, variant: E) -> Error<E> {
        self.api(variant)
    }

    /// A response with a status the API does not document.
    pub(crate) fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus(Box::new(self.kept()))
    }
}
