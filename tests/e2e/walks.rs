//! Walks over pages that must end: against servers that answer empty pages
//! claiming more, go round in cursor cycles, ignore the page number or are
//! slow, every walk ends with an error the caller can tell from the list's
//! end; single-use headers are never sent twice; and the ordinary walks the
//! golden fixtures describe (query cursors, numbered pages without `hasMore`,
//! numbering from 0) go on the wire as their specs say.

use std::time::Duration;

use api_clients::payrix;
use api_clients::runtime::PaginationError;
use clientgen_tests::runtime::PaginationError as FixturePaginationError;
use clientgen_tests::{pagination_cursor_body as feed, pagination_cursor_header as events, pagination_page as orders};
use futures_util::{Stream, StreamExt, TryStreamExt};
use serde_json::{Value, json};
use wiremock::matchers::{method, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Today's code walked some of these servers forever: every test reads at
/// most this many stream items and gives up after this long, so that it fails
/// rather than hangs.
const AT_MOST: usize = 20;
const GIVE_UP: Duration = Duration::from_secs(20);

async fn first_items<S: Stream + Unpin>(stream: S) -> Vec<S::Item> {
    tokio::time::timeout(GIVE_UP, stream.take(AT_MOST).collect()).await.expect("the walk ended in time")
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is on")
}

fn query_of(request: &Request, name: &str) -> Option<String> {
    request.url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
}

fn payrix_page(ids: &[&str], has_more: bool) -> Value {
    let data: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
    json!({"response": {"data": data, "details": {"page": {"hasMore": has_more}}, "errors": []}})
}

fn payrix(server: &MockServer) -> payrix::Client {
    payrix::Client::builder(server.uri()).api_key("key-1").retries(0).build().unwrap()
}

#[tokio::test]
async fn an_empty_numbered_page_that_claims_more_ends_the_walk_with_a_typed_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(payrix_page(&[], true)))
        .mount(&server)
        .await;
    let pages = first_items(payrix(&server).sessions().get_sessions().pages()).await;
    assert_eq!(pages.len(), 1, "{pages:?}");
    assert!(
        matches!(&pages[0], Err(payrix::Error::Pagination(PaginationError::EmptyPageClaimsMore { page: 1 }))),
        "{pages:?}"
    );
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_server_ignoring_the_page_number_ends_the_walk_without_repeating_items() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(payrix_page(&["s1", "s2"], true)))
        .mount(&server)
        .await;
    let items = first_items(payrix(&server).sessions().get_sessions().items()).await;
    let ids: Vec<&str> = items.iter().filter_map(|item| item.as_ref().ok()?.id.as_deref()).collect();
    assert_eq!(ids, ["s1", "s2"], "the repeated page's items are not yielded again");
    assert!(
        matches!(items.last(), Some(Err(payrix::Error::Pagination(PaginationError::RepeatedPage { page: 2 })))),
        "{items:?}"
    );
    assert_eq!(items.len(), 3);
    let numbers: Vec<Option<String>> = requests(&server).await.iter().map(|r| query_of(r, "page[number]")).collect();
    assert_eq!(numbers, [Some("1".to_owned()), Some("2".to_owned())]);
}

#[tokio::test]
async fn an_empty_cursor_page_that_claims_more_ends_the_walk_with_a_typed_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"events": [], "continuationToken": "again"})))
        .mount(&server)
        .await;
    let client = events::Client::builder(server.uri()).retries(0).build().unwrap();
    let items = first_items(client.events().list_events("all").items()).await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(
        matches!(&items[0], Err(events::Error::Pagination(FixturePaginationError::EmptyPageClaimsMore { page: 1 }))),
        "{items:?}"
    );
    assert_eq!(requests(&server).await.len(), 1);
}

/// The feed's pages by the `after` query parameter they answer (`None`: the first).
async fn feed_server(pages: &[(Option<&'static str>, Value)]) -> MockServer {
    let server = MockServer::start().await;
    for (after, page) in pages.iter().cloned() {
        Mock::given(method("GET"))
            .and(move |request: &Request| query_of(request, "after").as_deref() == after)
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .mount(&server)
            .await;
    }
    server
}

#[tokio::test]
async fn a_query_cursor_is_sent_back_in_the_query_until_a_page_has_none() {
    let server = feed_server(&[
        (None, json!({"items": ["a", "b"], "next": "c2"})),
        (Some("c2"), json!({"items": ["c"], "next": "c3"})),
        (Some("c3"), json!({"items": ["d"], "next": ""})),
    ])
    .await;
    let client = feed::Client::builder(server.uri()).retries(0).build().unwrap();
    let items: Vec<String> = client.catalog().read_feed().items().try_collect().await.unwrap();
    assert_eq!(items, ["a", "b", "c", "d"]);
    let cursors: Vec<Option<String>> = requests(&server).await.iter().map(|r| query_of(r, "after")).collect();
    assert_eq!(cursors, [None, Some("c2".to_owned()), Some("c3".to_owned())]);
}

#[tokio::test]
async fn the_cursor_a_call_starts_from_counts_as_seen() {
    // The first page hands back the very cursor the call started from.
    let server = feed_server(&[(Some("c0"), json!({"items": ["a"], "next": "c0"}))]).await;
    let client = feed::Client::builder(server.uri()).retries(0).build().unwrap();
    let pages = first_items(client.catalog().read_feed().after("c0").pages()).await;
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(pages[0].is_ok());
    assert!(
        matches!(
            &pages[1],
            Err(feed::Error::Pagination(FixturePaginationError::RepeatedCursor { page: 1, first_seen: 0 }))
        ),
        "{pages:?}"
    );
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn numbered_pages_without_has_more_end_at_the_first_empty_page() {
    let server = MockServer::start().await;
    for (page, ids) in [("1", &["o1", "o2"][..]), ("2", &["o3"][..]), ("3", &[][..])] {
        let orders: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
        Mock::given(query_param("page", page))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"orders": orders})))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = orders::Client::builder(server.uri()).retries(0).build().unwrap();
    let ids: Vec<String> = client.orders().list_archived().items().map_ok(|order| order.id).try_collect().await.unwrap();
    assert_eq!(ids, ["o1", "o2", "o3"]);
    assert_eq!(requests(&server).await.len(), 3, "the empty page is the list's end, not an error");
}

#[tokio::test]
async fn pages_numbered_from_zero_start_at_zero() {
    let server = MockServer::start().await;
    for (page, id, more) in [("0", "o0", true), ("1", "o1", false)] {
        Mock::given(query_param("page[number]", page))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"result": {"orders": [{"id": id}], "paging": {"more": more}}}),
            ))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = orders::Client::builder(server.uri()).retries(0).build().unwrap();
    let ids: Vec<String> =
        client.orders().list_orders().page_size(1).items().map_ok(|order| order.id).try_collect().await.unwrap();
    assert_eq!(ids, ["o0", "o1"]);
    let numbers: Vec<Option<String>> = requests(&server).await.iter().map(|r| query_of(r, "page[number]")).collect();
    assert_eq!(numbers, [Some("0".to_owned()), Some("1".to_owned())]);
}

#[tokio::test]
async fn a_walk_refuses_single_use_headers_before_the_first_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(payrix_page(&["s1"], true)))
        .mount(&server)
        .await;
    let client = payrix(&server);
    // Payrix processes only the first request carrying a request token, and an
    // auth token authorizes one request: pages 2… would be refused.
    for (header, items) in [
        ("request-token", first_items(client.sessions().get_sessions().request_token("rt-1").items()).await),
        ("token", first_items(client.sessions().get_sessions().token("one-time").items()).await),
    ] {
        assert_eq!(items.len(), 1, "{items:?}");
        match &items[0] {
            Err(payrix::Error::InvalidRequest(message)) => {
                assert!(message.starts_with(&format!("the single-use header `{header}` cannot be sent with a walk")), "{message}")
            }
            other => panic!("expected the walk to be refused, got {other:?}"),
        }
    }
    assert!(requests(&server).await.is_empty(), "nothing is sent");
    // The same header on a single call is fine.
    let page = client.sessions().get_sessions().request_token("rt-2").send().await.unwrap();
    assert_eq!(page.status(), 200);
}

/// Numbered pages, each answered after `delay`, forever.
async fn slow_pages(delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(move |request: &Request| {
            let number = query_of(request, "page[number]").unwrap_or_default();
            ResponseTemplate::new(200).set_body_json(payrix_page(&[&format!("s{number}")], true)).set_delay(delay)
        })
        .mount(&server)
        .await;
    server
}

fn ends_with_walk_deadline<T: std::fmt::Debug>(pages: &[Result<T, payrix::Error<payrix::types::ErrorFourHundred>>]) -> u64 {
    match pages.last() {
        Some(Err(payrix::Error::Pagination(PaginationError::WalkDeadline { pages: fetched }))) => *fetched,
        other => panic!("expected the walk's deadline to end it, got {other:?} after {} items", pages.len()),
    }
}

#[tokio::test]
async fn a_walk_deadline_bounds_the_whole_walk_not_each_page() {
    // Five 250 ms pages do not fit in 700 ms, although each fits the per-call deadline.
    let server = slow_pages(Duration::from_millis(250)).await;
    let client = payrix(&server);
    let call = client.sessions().get_sessions().deadline(Duration::from_secs(5)).walk_deadline(Duration::from_millis(700));
    let pages = first_items(call.pages()).await;
    let fetched = ends_with_walk_deadline(&pages);
    assert_eq!(pages.len() as u64, fetched + 1, "every page fetched in time is yielded: {pages:?}");
    assert!((1..=2).contains(&fetched), "250 ms pages within 700 ms: {fetched}");
    assert!(requests(&server).await.len() <= 3);
}

#[tokio::test]
async fn a_client_wide_walk_deadline_applies_to_every_walk() {
    let server = slow_pages(Duration::from_millis(200)).await;
    let client =
        payrix::Client::builder(server.uri()).api_key("k").retries(0).walk_deadline(Duration::from_millis(500)).build().unwrap();
    let pages = first_items(client.sessions().get_sessions().pages()).await;
    let fetched = ends_with_walk_deadline(&pages);
    assert!((1..=2).contains(&fetched), "200 ms pages within 500 ms: {fetched}");
}
