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
//! have been seen and nothing after it is fetched. A cursor the server hands
//! back unchanged ends the walk too, rather than asking for the same page forever.

use std::future::Future;

use futures_core::Stream;
use futures_util::{TryStreamExt, stream};

use super::error::Error;
use super::request::Call;
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

/// Where the walk stands: the call for the next page, if any.
struct Walk<'a, Op, T, F> {
    call: Call<'a, Op>,
    send: F,
    advance: Advance<T>,
    /// The page number just asked for, or the cursor just sent.
    page: i64,
    cursor: Option<String>,
}

/// Every page of `first` and the calls after it, `send` sending each.
pub(crate) fn pages<'a, Op, T, E, F, Fut>(
    first: Call<'a, Op>,
    send: F,
    advance: Advance<T>,
) -> impl Stream<Item = Result<ResponseValue<T>, Error<E>>> + Unpin + 'a
where
    Op: 'a,
    T: 'a,
    E: 'a,
    F: Fn(Call<'a, Op>) -> Fut + 'a,
    Fut: Future<Output = Result<ResponseValue<T>, Error<E>>> + 'a,
{
    let page = match &advance {
        Advance::PageNumber { param, first: start, .. } => {
            first.request.query_value(param).and_then(|value| value.parse().ok()).unwrap_or(*start)
        }
        Advance::Cursor { .. } => 0,
    };
    let mut first = first;
    if let Advance::PageNumber { param, .. } = &advance {
        first.request.query(param, &page);
    }
    let walk = Walk { call: first, send, advance, page, cursor: None };
    // Boxed, so that the stream is `Unpin` and `try_next()` works on it as it is.
    Box::pin(stream::unfold(Some(walk), |walk| async move {
        let Walk { call, send, advance, page, cursor } = walk?;
        // The next call is copied before this one is consumed by sending.
        let mut next = call.try_clone();
        let answer = match send(call).await {
            Ok(answer) => answer,
            Err(error) => return Some((Err(error), None)),
        };
        let (page, cursor) = match &advance {
            Advance::PageNumber { param, more, .. } => {
                let next_page = page.saturating_add(1);
                match next.as_mut().filter(|_| more(&answer)) {
                    Some(call) => call.request.query(param, &next_page),
                    None => next = None,
                }
                (next_page, None)
            }
            Advance::Cursor { target, next: read } => {
                let found = read(&answer).filter(|token| !token.is_empty() && Some(*token) != cursor.as_deref());
                match (next.as_mut(), found) {
                    (Some(call), Some(token)) => match target {
                        CursorTarget::Query(name) => call.request.query(name, token),
                        CursorTarget::Header(name) => call.request.header(name, token),
                        CursorTarget::BodyField(name) => call.request.json_field(name, token),
                    },
                    _ => next = None,
                }
                (page, found.map(str::to_owned))
            }
        };
        let walk = next.map(|call| Walk { call, send, advance, page, cursor });
        Some((Ok(answer), walk))
    }))
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
