//! Sending a request: attempts within the call's deadline, hooks, retries,
//! and reading the response body up to the client's limit.

use std::future::Future;
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use reqwest::StatusCode;

use super::config::Config;
use super::hooks::{OutgoingRequest, ResponseHead};
use super::error::SendError;
use super::request::{Prepared, Request, Settings, is_framing_header};
use super::provider::Current;
use super::response::RawResponse;
use super::retry::retry_after;

impl Request<'_> {
    /// Sends the request, retrying as the call's [`RetryPolicy`](super::RetryPolicy)
    /// allows within its deadline, and reads the whole response.
    pub(crate) async fn send(self) -> Result<RawResponse, SendError> {
        self.send_with(|response, limits| read(response, limits.max_response_bytes)).await
    }

    /// Sends the request like [`Request::send`]; `finish` takes the
    /// answer's head within the attempt's timeout, and reads (or hands on)
    /// its body.
    pub(crate) async fn send_with<T, F>(self, finish: impl Fn(reqwest::Response, Limits) -> F) -> Result<T, SendError>
    where
        F: Future<Output = Result<T, SendError>>,
    {
        #[cfg(feature = "tracing")]
        let span = super::trace::call_span(&self);
        let attempts = self.attempts(finish);
        #[cfg(feature = "tracing")]
        let attempts = tracing::Instrument::instrument(attempts, span);
        // Boxed: an attempt's state is kilobytes (timer, response, body
        // reader), and every future holding it would be moved with it.
        Box::pin(attempts).await
    }

    async fn attempts<T, F>(mut self, finish: impl Fn(reqwest::Response, Limits) -> F) -> Result<T, SendError>
    where
        F: Future<Output = Result<T, SendError>>,
    {
        let config = self.config;
        let Settings { retry_safe, replayable, retry, timeout, deadline, max_response_bytes } = self.settings();
        let limits = Limits { max_response_bytes, timeout };
        let start = Instant::now();
        let call_end = start.checked_add(deadline);
        let max_retries = if retry_safe { retry.max_retries } else { 0 };
        // Waiting is worth it only when the next attempt can start before the
        // deadline. (Sums of instants and durations are checked throughout:
        // `Duration::MAX` means "no limit", and a server may ask for any wait.)
        let fits = |wait| match call_end {
            None => true,
            Some(end) => Instant::now().checked_add(wait).is_some_and(|ready| ready < end),
        };
        let mut attempt = 0u32;
        // A `401` to a provided credential renews it and sends the call once more.
        let mut renewed = false;
        loop {
            let can_retry = attempt < max_retries;
            let fetching = config.credentials.tokens(self.security_requirement(), config.refresh_skew);
            let tokens = within(call_end.map(tokio::time::Instant::from_std), fetching).await.map_err(|_| SendError::Timeout)??;
            let resend_on_401 = replayable && !renewed && !tokens.is_empty();
            let Prepared { request: mut current, public_url } = self.prepare(&tokens)?;
            run_request_hooks(config, &mut current)?;
            let now = if attempt == 0 { start } else { Instant::now() };
            let left = call_end.map_or(timeout, |end| end.saturating_duration_since(now).min(timeout));
            if left.is_zero() {
                return Err(SendError::Timeout);
            }
            // One timer covers the whole attempt: sending, deciding, reading;
            // none when the attempt's end is past what an `Instant` can hold.
            let attempt_end = now.checked_add(left).map(tokio::time::Instant::from_std);
            #[cfg(feature = "tracing")]
            let span = super::trace::attempt_span(attempt);
            let outcome = within(attempt_end, async {
                // What the response hooks see of the request, kept only when there are hooks.
                let sent = (!config.response_hooks.is_empty())
                    .then(|| (current.method().clone(), public_url.clone().unwrap_or_else(|| current.url().clone())));
                let response = match config.http.execute(current).await {
                    Ok(response) => response,
                    Err(error) => return Attempt::Failed(error),
                };
                let status = response.status();
                #[cfg(feature = "tracing")]
                super::trace::record_status(&span, status);
                if let Some((method, url)) = &sent {
                    let head = ResponseHead { method, url, status, headers: response.headers(), attempt };
                    for hook in &config.response_hooks {
                        hook(&head);
                    }
                }
                if resend_on_401 && status == StatusCode::UNAUTHORIZED {
                    return Attempt::Unauthorized;
                }
                if can_retry && (status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE) {
                    let wait = match retry_after(response.headers()) {
                        // A server asking for more than the policy allows is answered now.
                        Some(asked) if asked > retry.max_backoff => None,
                        Some(asked) => Some(asked),
                        None => Some(retry.backoff(attempt)),
                    };
                    if let Some(wait) = wait.filter(|&wait| fits(wait)) {
                        return Attempt::Again(wait);
                    }
                }
                Attempt::Answered(finish(response, limits).await)
            });
            #[cfg(feature = "tracing")]
            let outcome = tracing::Instrument::instrument(outcome, span.clone());
            let outcome = outcome.await;
            match outcome {
                Err(_) => return Err(SendError::Timeout),
                Ok(Attempt::Answered(read)) => return read,
                Ok(Attempt::Unauthorized) => {
                    tokens.iter().for_each(Current::invalidate);
                    renewed = true;
                }
                Ok(Attempt::Again(wait)) => {
                    #[cfg(feature = "tracing")]
                    super::trace::record_wait(&span, wait);
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Ok(Attempt::Failed(error)) => {
                    let wait = retry.backoff(attempt);
                    if can_retry && error.is_connect() && fits(wait) {
                        #[cfg(feature = "tracing")]
                        super::trace::record_wait(&span, wait);
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                        continue;
                    }
                    return Err(SendError::from_reqwest(error));
                }
            }
        }
    }
}

/// `attempt`, unless it is still running at `end`.
async fn within<T>(end: Option<tokio::time::Instant>, attempt: impl Future<Output = T>) -> Result<T, tokio::time::error::Elapsed> {
    match end {
        Some(end) => tokio::time::timeout_at(end, attempt).await,
        None => Ok(attempt.await),
    }
}

/// What reading an answer may take: the call's limits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// The largest body to read.
    pub(crate) max_response_bytes: u64,
    /// The timeout of an attempt, which a stream read later gives each chunk.
    pub(crate) timeout: std::time::Duration,
}

/// How one attempt ended.
enum Attempt<T> {
    /// A response, read (or refused for its size).
    Answered(Result<T, SendError>),
    /// A 429 or 503 to retry after this wait.
    Again(std::time::Duration),
    /// No response.
    Failed(reqwest::Error),
    /// A `401` to a provided credential, to send again with a new one.
    Unauthorized,
}

fn run_request_hooks(config: &Config, request: &mut reqwest::Request) -> Result<(), SendError> {
    for hook in &config.request_hooks {
        hook(&mut OutgoingRequest { inner: request })
            .map_err(|problem| SendError::InvalidRequest(format!("a request hook refused the request: {problem}")))?;
        if let Some(name) = request.headers().keys().find(|name| is_framing_header(name)) {
            return Err(SendError::InvalidRequest(format!(
                "a request hook set `{name}`, which frames the message on the wire and is set by the HTTP client alone"
            )));
        }
    }
    Ok(())
}

/// Reads the whole body, stopping as soon as it is known to exceed `limit`.
pub(crate) async fn read(mut response: reqwest::Response, limit: u64) -> Result<RawResponse, SendError> {
    let status = response.status();
    let too_large = || SendError::TooLarge { status, limit };
    if response.content_length().is_some_and(|length| length > limit) {
        return Err(too_large());
    }
    let headers = std::mem::take(response.headers_mut());
    // Most bodies arrive in one chunk, which is kept without copying.
    let mut first: Option<Bytes> = None;
    let mut rest = BytesMut::new();
    let mut total: u64 = 0;
    while let Some(chunk) = response.chunk().await.map_err(SendError::from_reqwest)? {
        total += chunk.len() as u64;
        if total > limit {
            return Err(too_large());
        }
        match &first {
            None => first = Some(chunk),
            Some(head) => {
                if rest.is_empty() {
                    rest.extend_from_slice(head);
                }
                rest.extend_from_slice(&chunk);
            }
        }
    }
    let body = if rest.is_empty() { first.unwrap_or_default() } else { rest.freeze() };
    Ok(RawResponse::new(status, headers, body))
}
