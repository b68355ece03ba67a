//! Credentials fetched while the client runs: the provider trait, the tokens
//! it hands out, and the cache that shares one token among all calls and
//! renews it once, however many calls need it at the same moment.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use reqwest::Url;

use super::error::SendError;

/// The error type a [`CredentialProvider`] returns: any error.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What [`CredentialProvider::credential`] returns: a boxed future, so that
/// the trait can be used as `dyn CredentialProvider`.
pub type CredentialFuture<'a> = Pin<Box<dyn Future<Output = Result<Token, BoxError>> + Send + 'a>>;

/// The default time before a token's expiry at which it is renewed: a call
/// starting closer to the expiry than this gets a new token first.
pub const DEFAULT_REFRESH_SKEW: Duration = Duration::from_secs(30);

/// A credential a provider hands out (a bearer token or an API key) and when
/// it stops being valid. `Debug` never shows the secret.
#[derive(Clone)]
pub struct Token {
    secret: String,
    expires_at: Option<Instant>,
}

impl Token {
    /// A credential that does not expire by itself; it is still renewed when
    /// the API answers `401 Unauthorized` to it.
    pub fn new(secret: impl Into<String>) -> Self {
        Token { secret: secret.into(), expires_at: None }
    }

    /// Sets the token to expire `lifetime` from now. A lifetime too long for
    /// the clock to represent means no expiry.
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_at = Instant::now().checked_add(lifetime);
        self
    }

    /// Sets the moment the token expires.
    pub fn expires_at(mut self, at: Instant) -> Self {
        self.expires_at = Some(at);
        self
    }

    /// The secret.
    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// When the token expires, if it does.
    pub fn expiry(&self) -> Option<Instant> {
        self.expires_at
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token").field("secret", &"<redacted>").field("expires_at", &self.expires_at).finish()
    }
}

/// A source of credentials the client asks when it needs one: at the first
/// call, shortly before the last token expires, and after the API answered
/// `401 Unauthorized`. The client caches the token, and however many calls
/// need a new one at once, asks once.
///
/// Any `Fn() -> impl Future<Output = Result<Token, BoxError>>` closure is a
/// provider; implement the trait for a type of your own when it holds state
/// (a refresh token, say) or is shared between clients.
pub trait CredentialProvider: Send + Sync + 'static {
    /// Fetches a fresh credential. An error ends the calls waiting for it
    /// with [`Error::Credentials`](super::Error::Credentials) (the call that
    /// asked carries the error itself, the others that waited its message),
    /// and is not kept: the next call asks again.
    fn credential(&self) -> CredentialFuture<'_>;
}

impl<F, Fut> CredentialProvider for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Token, BoxError>> + Send + 'static,
{
    fn credential(&self) -> CredentialFuture<'_> {
        Box::pin(self())
    }
}

/// A source of tokens that sends its own requests through the client's HTTP
/// client (OAuth 2 client credentials): it is given that client, the base
/// URL and the limits once the client is built.
pub(crate) trait Attached: fmt::Debug + Send + Sync {
    fn attach(&self, http: &reqwest::Client, base: &Url, timeout: Duration, max_response_bytes: u64);
    fn fetch(&self) -> CredentialFuture<'_>;
}

/// Where the tokens of a provided credential come from.
pub(crate) enum Source {
    Custom(Box<dyn CredentialProvider>),
    Attached(Box<dyn Attached>),
}

/// The token in use, as a call saw it: the number tells a token renewed
/// since apart from the one a `401` answered.
#[derive(Clone)]
pub(crate) struct Current {
    pub(crate) provided: Arc<Provided>,
    pub(crate) secret: Arc<str>,
    generation: u64,
}

impl Current {
    /// Drops this token from the cache (unless it was renewed already), so
    /// the next call fetches another.
    pub(crate) fn invalidate(&self) {
        let mut state = self.provided.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.generation == self.generation {
            state.token = None;
        }
    }
}

#[derive(Default)]
struct State {
    token: Option<Cached>,
    /// How many tokens were fetched so far.
    generation: u64,
    /// How many answers the provider gave, and the error of the last one
    /// when it failed: the calls that waited while it was asked share that
    /// answer rather than each asking again.
    answered: u64,
    failure: Option<Arc<str>>,
}

/// What the calls that waited for a provider's failed answer get: its
/// message (the call that asked gets the error itself).
#[derive(Debug)]
struct SharedFailure(Arc<str>);

impl fmt::Display for SharedFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SharedFailure {}

struct Cached {
    secret: Arc<str>,
    /// When the token is renewed: its expiry less the skew.
    renew_at: Option<Instant>,
}

/// One provided credential and its cache, shared by the clones of a client.
pub(crate) struct Provided {
    pub(crate) source: Source,
    state: Mutex<State>,
    /// Held while a token is being fetched: the calls that find the cache
    /// stale wait here, and the first one fetches.
    flight: tokio::sync::Mutex<()>,
}

impl fmt::Debug for Provided {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::Custom(_) => f.write_str("Provider(<redacted>)"),
            Source::Attached(source) => source.fmt(f),
        }
    }
}

impl Provided {
    pub(crate) fn new(source: Source) -> Self {
        Provided { source, state: Mutex::new(State::default()), flight: tokio::sync::Mutex::new(()) }
    }

    fn cached(self: &Arc<Self>) -> Option<Current> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let token = state.token.as_ref()?;
        let fresh = token.renew_at.is_none_or(|at| Instant::now() < at);
        fresh.then(|| Current { provided: Arc::clone(self), secret: Arc::clone(&token.secret), generation: state.generation })
    }

    /// The token to send: the cached one while it is fresh, else a new one,
    /// fetched once for all the calls asking meanwhile. `skew` is how long
    /// before its expiry a token is renewed (at most half its lifetime, so a
    /// short-lived token is still used).
    pub(crate) async fn current(self: &Arc<Self>, scheme: &'static str, skew: Duration) -> Result<Current, SendError> {
        if let Some(current) = self.cached() {
            return Ok(current);
        }
        let answered_before = self.state.lock().unwrap_or_else(PoisonError::into_inner).answered;
        let _flight = self.flight.lock().await;
        // Another call may have fetched one while this one waited, or failed to.
        if let Some(current) = self.cached() {
            return Ok(current);
        }
        {
            let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(failure) = state.failure.as_ref().filter(|_| state.answered != answered_before) {
                let source = Box::new(SharedFailure(Arc::clone(failure)));
                return Err(SendError::Credentials { scheme, source });
            }
        }
        let fetched = match &self.source {
            Source::Custom(provider) => provider.credential().await,
            Source::Attached(source) => source.fetch().await,
        };
        let token = match fetched {
            Ok(token) => token,
            Err(source) => {
                // The calls waiting now get its message; later ones ask again.
                let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
                state.answered += 1;
                state.failure = Some(Arc::from(source.to_string()));
                return Err(SendError::Credentials { scheme, source });
            }
        };
        let now = Instant::now();
        let renew_at = token.expires_at.map(|at| {
            let lifetime = at.saturating_duration_since(now);
            at.checked_sub(skew.min(lifetime / 2)).unwrap_or(now)
        });
        let secret: Arc<str> = Arc::from(token.secret);
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.failure = None;
        state.answered += 1;
        state.generation += 1;
        state.token = Some(Cached { secret: Arc::clone(&secret), renew_at });
        Ok(Current { provided: Arc::clone(self), secret, generation: state.generation })
    }
}
