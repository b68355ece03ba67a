//! Walking a paginated list: the calls of operations the spec marks with
//! `x-pagination` get `pages()` and `items()`, streams that send the call,
//! then the same call again for each next page, until the answers say there
//! is no more.
//!
//! - `pages()` yields each page as the operation returns it
//!   (`ResponseValue<T>`: body, status and headers).
//! - `items()` yields the items of every page, one by one.
//!
//! Pages are fetched one at a time, only as the stream is polled; each request
//! is the original call (parameters, headers, per-call settings) with only the
//! page number or cursor changed, and is sent, retried and bounded like any
//! call. An error ends the stream after it is yielded, so the pages before it
//! have been seen and nothing after it is fetched.
//!
//! A walk always ends. Besides the list's own end (no next cursor, `hasMore`
//! false, or an empty page where the list has no `hasMore`), it stops with
//! [`Error::Pagination`] when the server's answers cannot be walked further:
//! a cursor already handed back earlier in the walk (a cycle), an empty page
//! that claims more, a numbered page holding exactly the items of the page
//! before it (a server ignoring the page number), or the walk's deadline.

use std::collections::HashMap;
use std::future::Future;
use std::time::{Duration, Instant};

use futures_core::Stream;
use futures_util::{TryStreamExt, stream};

use super::error::{Error, PaginationError};
use super::request::{Call, Request};
use super::response::ResponseValue;

/// How an operation asks for the next page and how its answers say there is one.
pub(crate) enum Advance<T> {
    /// Numbered pages, in the query parameter `param`, from `first` (or the
    /// number the call already carries).
    PageNumber {
        param: &'static str,
        first: i64,
        /// Whether another page follows this one.
        more: fn(&T) -> bool,
    },
    /// An opaque cursor, read from each answer by `next` and sent back where `target` says.
    Cursor { target: CursorTarget, next: fn(&T) -> Option<&str> },
}

/// Where a cursor goes in the next request.
pub(crate) enum CursorTarget {
    /// A query parameter.
    Query(&'static str),
    /// A header.
    Header(&'static str),
    /// A top-level property of the JSON request body.
    BodyField(&'static str),
}

impl CursorTarget {
    fn set(&self, request: &mut Request<'_>, cursor: &str) {
        match self {
            CursorTarget::Query(name) => request.query(name, cursor),
            CursorTarget::Header(name) => request.header(name, cursor),
            CursorTarget::BodyField(name) => request.json_field(name, cursor),
        }
    }

    /// The cursor the caller set on the first call, if any.
    fn get(&self, request: &Request<'_>) -> Option<String> {
        match self {
            CursorTarget::Query(name) => request.query_value(name),
            CursorTarget::Header(name) => request.header_value(name),
            CursorTarget::BodyField(name) => request.json_field_value(name),
        }
    }
}

/// Where the walk stands, between two pages.
struct Walk<'a, Op, T, I, F> {
    /// The call for the next page.
    call: Call<'a, Op>,
    send: F,
    advance: Advance<T>,
    listed: fn(&T) -> &[I],
    /// The page number just asked for (numbered pages).
    number: i64,
    /// How many pages the walk has fetched.
    fetched: u64,
    /// Every cursor sent so far, with the page (counted from 1) that handed it back.
    cursors: HashMap<String, u64>,
    /// The items of the page before (numbered pages), to notice a server that
    /// ignores the page number and answers the same page again.
    previous: Option<Vec<I>>,
    /// The time the whole walk may take, and when it ends once started.
    deadline: Option<Duration>,
    end: Option<Instant>,
}

/// What the stream does when polled next.
enum Step<W, E> {
    Fetch(W),
    Fail(E),
}

/// Every page of `first` and the calls after it, `send` sending each;
/// `listed` reads the items out of a page.
pub(crate) fn pages<'a, Op, T, I, E, F, Fut>(
    first: Call<'a, Op>,
    send: F,
    advance: Advance<T>,
    listed: fn(&T) -> &[I],
) -> impl Stream<Item = Result<ResponseValue<T>, Error<E>>> + Unpin + 'a
where
    Op: 'a,
    T: 'a,
    I: Clone + PartialEq + 'a,
    E: 'a,
    F: Fn(Call<'a, Op>) -> Fut + 'a,
    Fut: Future<Output = Result<ResponseValue<T>, Error<E>>> + 'a,
{
    let mut first = first;
    // One key, one request: an idempotency key or a one-time token sent with
    // every page would make the server refuse (or silently drop) pages 2….
    let start = match first.request.single_use_header_name() {
        Some(header) => Step::Fail(Error::InvalidRequest(format!(
            "the single-use header `{header}` cannot be sent with a walk over pages, which sends one \
             request per page; send the call with `send()` instead, or leave the header out"
        ))),
        None => {
            let mut number = 0;
            let mut cursors = HashMap::new();
            match &advance {
                Advance::PageNumber { param, first: start, .. } => {
                    number = first.request.query_value(param).and_then(|value| value.parse().ok()).unwrap_or(*start);
                    first.request.query(param, &number);
                }
                Advance::Cursor { target, .. } => {
                    if let Some(cursor) = target.get(&first.request).filter(|cursor| !cursor.is_empty()) {
                        cursors.insert(cursor, 0);
                    }
                }
            }
            let deadline = first.request.walk_deadline();
            Step::Fetch(Walk {
                call: first,
                send,
                advance,
                listed,
                number,
                fetched: 0,
                cursors,
                previous: None,
                deadline,
                end: None,
            })
        }
    };
    // Boxed, so that the stream is `Unpin` and `try_next()` works on it as it is.
    Box::pin(stream::unfold(Some(start), |step| async move {
        match step? {
            Step::Fail(error) => Some((Err(error), None)),
            Step::Fetch(walk) => Some(fetch(walk).await),
        }
    }))
}

type Next<'a, Op, T, I, E, F> = (Result<ResponseValue<T>, Error<E>>, Option<Step<Walk<'a, Op, T, I, F>, Error<E>>>);

/// Fetches the page `walk` stands at: what to yield, and what comes next.
async fn fetch<'a, Op, T, I, E, F, Fut>(mut walk: Walk<'a, Op, T, I, F>) -> Next<'a, Op, T, I, E, F>
where
    I: Clone + PartialEq,
    F: Fn(Call<'a, Op>) -> Fut,
    Fut: Future<Output = Result<ResponseValue<T>, Error<E>>>,
{
    let page = walk.fetched + 1;
    let stopped = |reason| (Err(Error::Pagination(reason)), None);
    // The walk's clock starts with its first request, not when the stream is made.
    let now = Instant::now();
    if walk.end.is_none() {
        walk.end = walk.deadline.and_then(|deadline| now.checked_add(deadline));
    }
    let mut call = walk.call;
    // Each page gets what is left of the walk, if that is less than its own deadline.
    let capped = match walk.end {
        Some(end) => {
            let left = end.saturating_duration_since(now);
            if left.is_zero() {
                return stopped(PaginationError::WalkDeadline { pages: walk.fetched });
            }
            call.request.cap_deadline(left)
        }
        None => false,
    };
    // The next call is copied before this one is consumed by sending.
    let mut next = call.try_clone();
    let answer = match (walk.send)(call).await {
        Ok(answer) => answer,
        Err(Error::Timeout) if capped => return stopped(PaginationError::WalkDeadline { pages: walk.fetched }),
        Err(error) => return (Err(error), None),
    };
    walk.fetched = page;
    let listed = (walk.listed)(&answer);
    match &walk.advance {
        Advance::PageNumber { param, more, .. } => {
            if walk.previous.as_deref().is_some_and(|previous| !listed.is_empty() && previous == listed) {
                // Not yielded: its items were yielded with the page before.
                return stopped(PaginationError::RepeatedPage { page });
            }
            let claims_more = more(&answer);
            if claims_more && listed.is_empty() {
                return stopped(PaginationError::EmptyPageClaimsMore { page });
            }
            walk.number = walk.number.saturating_add(1);
            match next.as_mut().filter(|_| claims_more) {
                Some(call) => call.request.query(param, &walk.number),
                None => next = None,
            }
            walk.previous = next.is_some().then(|| listed.to_vec());
        }
        Advance::Cursor { target, next: read } => {
            match (next.as_mut(), read(&answer).filter(|cursor| !cursor.is_empty())) {
                (Some(_), Some(_)) if listed.is_empty() => {
                    return stopped(PaginationError::EmptyPageClaimsMore { page });
                }
                (Some(call), Some(cursor)) => {
                    if let Some(&first_seen) = walk.cursors.get(cursor) {
                        // The page itself is new: it is yielded, and the error after it.
                        let error = Error::Pagination(PaginationError::RepeatedCursor { page, first_seen });
                        return (Ok(answer), Some(Step::Fail(error)));
                    }
                    walk.cursors.insert(cursor.to_owned(), page);
                    target.set(&mut call.request, cursor);
                }
                _ => next = None,
            }
        }
    }
    let after = next.map(|call| Step::Fetch(Walk { call, ..walk }));
    (Ok(answer), after)
}

/// The items of every page of `pages`, taken out of each body by `items`.
pub(crate) fn items<'a, T, E, I>(
    pages: impl Stream<Item = Result<ResponseValue<T>, Error<E>>> + Unpin + 'a,
    items: fn(T) -> Vec<I>,
) -> impl Stream<Item = Result<I, Error<E>>> + Unpin + 'a
where
    T: 'a,
    E: 'a,
    I: 'a,
{
    pages.map_ok(move |page| stream::iter(items(page.into_inner()).into_iter().map(Ok))).try_flatten()
}
