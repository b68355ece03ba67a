//! Trace spans of calls (Cargo feature `tracing`): one span per call and one
//! per attempt, with OpenTelemetry's names for HTTP client attributes.
//!
//! The spans carry the operation, the method, the server and the path
//! *template* (`/files/{id}`), never the URL itself: its path and query may
//! carry personal data or API keys. Headers and bodies are never recorded.

use std::time::Duration;

use reqwest::StatusCode;
use tracing::Span;
use tracing::field::Empty;

use super::request::Request;

/// The span of a whole call, attempts and the waits between them included.
pub(crate) fn call_span(request: &Request<'_>) -> Span {
    let base = &request.config.base;
    let method = request.method.as_str();
    tracing::info_span!(
        "http.client.request",
        otel.name = format_args!("{method} {}", request.template),
        otel.kind = "client",
        operation.id = request.operation,
        http.request.method = method,
        server.address = base.host_str().unwrap_or_default(),
        server.port = base.port_or_known_default(),
        url.template = request.template,
    )
}

/// The span of one attempt; `attempt` counts from 0, so it is the number of
/// times the request was sent before.
pub(crate) fn attempt_span(attempt: u32) -> Span {
    tracing::info_span!(
        "http.client.attempt",
        http.request.resend_count = attempt,
        http.response.status_code = Empty,
        retry.wait_ms = Empty,
    )
}

/// Notes the status of the answer on the attempt's span.
pub(crate) fn record_status(span: &Span, status: StatusCode) {
    span.record("http.response.status_code", status.as_u16());
}

/// Notes on an attempt's span how long the call waits before the next one.
pub(crate) fn record_wait(span: &Span, wait: Duration) {
    span.record("retry.wait_ms", u64::try_from(wait.as_millis()).unwrap_or(u64::MAX));
}
