//! When a call is repeated, and how long it waits first.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

/// When and how often a call is retried.
///
/// Only calls that are safe to repeat are retried: GET, HEAD, PUT, DELETE and
/// OPTIONS, and other methods when the caller set the idempotency key the API
/// defines. They are retried after connect errors and on HTTP 429 and 503, after
/// the delay the server asks for in `Retry-After`, or else an exponential backoff
/// with jitter. No wait goes past the call's deadline: when the next attempt
/// could not start before it, the last answer is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a call is repeated after its first attempt; 0 disables retries.
    pub max_retries: u32,
    /// The backoff before the first retry; it doubles with each further retry.
    pub initial_backoff: Duration,
    /// The longest wait between two attempts. A `Retry-After` asking for more
    /// ends the retries and returns the response.
    pub max_backoff: Duration,
}

impl RetryPolicy {
    /// No retries at all.
    pub const NONE: RetryPolicy = RetryPolicy {
        max_retries: 0,
        initial_backoff: Duration::ZERO,
        max_backoff: Duration::ZERO,
    };

    /// The wait before retry number `retry` (0-based) when the server names
    /// none: `initial_backoff` doubled for each retry before it, capped at
    /// `max_backoff`, of which half is fixed and half random ("equal
    /// jitter"), so the wait lies between half that delay and all of it.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponential = self
            .initial_backoff
            .saturating_mul(1 << retry.min(16))
            .min(self.max_backoff);
        // Equal jitter: half the delay is fixed, half is random, so clients that
        // failed together do not retry together.
        let half = exponential / 2;
        half.saturating_add(half.mul_f64(fastrand::f64()))
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(30),
        }
    }
}

/// How long a `Retry-After` header (seconds or an HTTP date) asks to wait.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}
