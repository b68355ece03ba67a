//! Pagination (`x-pagination`) on the wire: Payrix's numbered pages, KSeF's
//! continuation token in a header, and a cursor in the JSON request body (the
//! golden client `pagination_cursor_body`): each walk's requests, the items
//! it yields, where it stops, and an error on a later page.

use api_clients::ksef::types::SessionType;
use api_clients::runtime::PaginationError;
use api_clients::{ksef, payrix};
use clientgen_tests::pagination_cursor_body as search;
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A Payrix list page: sessions with these ids, and whether more follow.
fn payrix_page(ids: &[&str], page: i32, has_more: bool) -> Value {
    let data: Vec<Value> = ids.iter().map(|id| json!({"id": id, "public": 0})).collect();
    json!({"response": {"data": data, "details": {"requestId": "1", "totals": [],
        "page": {"current": page, "last": 3, "hasMore": has_more}}, "errors": []}})
}

fn payrix(server: &MockServer) -> payrix::Client {
    payrix::Client::builder(server.uri()).api_key("key-1").retries(0).build().unwrap()
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is on")
}

fn query_of(request: &Request, name: &str) -> Option<String> {
    request.url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
}

#[tokio::test]
async fn payrix_items_walks_numbered_pages_until_has_more_is_false() {
    let server = MockServer::start().await;
    for (page, ids, more) in [(1, &["s1", "s2"][..], true), (2, &["s3"][..], true), (3, &["s4", "s5"][..], false)] {
        Mock::given(method("GET"))
            .and(query_param("page[number]", page.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(payrix_page(ids, page, more)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let ids: Vec<String> = payrix(&server)
        .sessions()
        .get_sessions()
        .page_limit(2)
        .search("created[greater]=2025-01-01")
        .items()
        .map_ok(|session| session.id.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["s1", "s2", "s3", "s4", "s5"]);

    let sent = requests(&server).await;
    assert_eq!(sent.len(), 3, "stops after the page whose hasMore is false");
    for (request, page) in sent.iter().zip(1..) {
        assert_eq!(query_of(request, "page[number]"), Some(page.to_string()));
        assert_eq!(query_of(request, "page[limit]").as_deref(), Some("2"), "every page keeps the call's parameters");
        assert_eq!(request.headers["search"], "created[greater]=2025-01-01");
        assert_eq!(request.headers["APIKEY"], "key-1");
    }
}

#[tokio::test]
async fn payrix_pages_start_at_the_page_the_call_asks_for() {
    let server = MockServer::start().await;
    Mock::given(query_param("page[number]", "7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(payrix_page(&["s70"], 7, false)))
        .expect(1)
        .mount(&server)
        .await;
    let pages: Vec<_> = payrix(&server).sessions().get_sessions().page_number(7).pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].status(), 200);
    let details = pages[0].response.as_ref().and_then(|r| r.details.as_ref()).unwrap();
    assert_eq!(details.page.as_ref().and_then(|p| p.current), Some(7));
}

#[tokio::test]
async fn payrix_an_error_on_page_two_is_yielded_after_page_one_and_ends_the_walk() {
    let server = MockServer::start().await;
    Mock::given(query_param("page[number]", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(payrix_page(&["s1"], 1, true)))
        .mount(&server)
        .await;
    let error = json!({"response": {"data": [], "errors": [{"code": 15, "msg": "page out of range"}]}});
    Mock::given(query_param("page[number]", "2"))
        .respond_with(ResponseTemplate::new(400).set_body_json(&error))
        .mount(&server)
        .await;
    let items: Vec<_> = payrix(&server).sessions().get_sessions().items().collect().await;
    assert_eq!(items.len(), 2, "one item, then the error: {items:?}");
    assert_eq!(items[0].as_ref().unwrap().id.as_deref(), Some("s1"));
    match &items[1] {
        Err(payrix::Error::Api(response)) => {
            assert_eq!(response.status(), 400);
            let errors = response.response.as_ref().and_then(|r| r.errors.as_deref()).unwrap();
            assert_eq!(errors[0].msg.as_deref(), Some("page out of range"));
        }
        other => panic!("expected the 400 of page 2, got {other:?}"),
    }
    assert_eq!(requests(&server).await.len(), 2, "nothing is fetched after the error");
}

fn ksef_page(references: &[&str], token: Option<&str>) -> Value {
    let sessions: Vec<Value> = references
        .iter()
        .map(|reference| {
            json!({"referenceNumber": reference, "status": {"code": 200, "description": "ok"},
                "dateCreated": "2025-09-25T13:48:26+00:00", "dateUpdated": "2025-09-26T02:16:07+00:00",
                "totalInvoiceCount": 1, "successfulInvoiceCount": 1, "failedInvoiceCount": 0})
        })
        .collect();
    json!({"continuationToken": token, "sessions": sessions})
}

fn ksef(server: &MockServer) -> ksef::Client {
    ksef::Client::builder(server.uri()).bearer_token("ksef-token").retries(0).build().unwrap()
}

/// KSeF answers: the first page without a token header, then one page per token.
async fn ksef_server(pages: &[(Option<&str>, ResponseTemplate)]) -> MockServer {
    let server = MockServer::start().await;
    for (token, response) in pages {
        match token {
            Some(token) => {
                Mock::given(method("GET"))
                    .and(header("x-continuation-token", *token))
                    .respond_with(response.clone())
                    .with_priority(1)
                    .mount(&server)
                    .await
            }
            None => Mock::given(method("GET")).respond_with(response.clone()).with_priority(5).mount(&server).await,
        }
    }
    server
}

#[tokio::test]
async fn ksef_items_sends_each_continuation_token_back_in_the_header() {
    let server = ksef_server(&[
        (None, ResponseTemplate::new(200).set_body_json(ksef_page(&["R-1", "R-2"], Some("tok-A")))),
        (Some("tok-A"), ResponseTemplate::new(200).set_body_json(ksef_page(&["R-3"], Some("tok-B")))),
        // The last page: a null token (an empty one, or none at all, ends the walk too).
        (Some("tok-B"), ResponseTemplate::new(200).set_body_json(ksef_page(&["R-4"], None))),
    ])
    .await;
    let references: Vec<String> = ksef(&server)
        .sessions()
        .get_session_list(&SessionType::Online)
        .page_size(10)
        .items()
        .map_ok(|session| session.reference_number.to_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(references, ["R-1", "R-2", "R-3", "R-4"]);

    let sent = requests(&server).await;
    let tokens: Vec<Option<&str>> =
        sent.iter().map(|r| r.headers.get("x-continuation-token").map(|v| v.to_str().unwrap())).collect();
    assert_eq!(tokens, [None, Some("tok-A"), Some("tok-B")]);
    for request in &sent {
        assert_eq!(query_of(request, "sessionType").as_deref(), Some("Online"));
        assert_eq!(query_of(request, "pageSize").as_deref(), Some("10"));
        assert_eq!(request.headers["authorization"], "Bearer ksef-token");
    }
}

#[tokio::test]
async fn ksef_an_empty_token_ends_the_walk() {
    let server = ksef_server(&[
        (None, ResponseTemplate::new(200).set_body_json(ksef_page(&["R-1"], Some("tok-A")))),
        (Some("tok-A"), ResponseTemplate::new(200).set_body_json(ksef_page(&["R-2"], Some("")))),
    ])
    .await;
    let pages: Vec<_> =
        ksef(&server).sessions().get_session_list(&SessionType::Batch).pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 2, "an empty token is the list's end");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn ksef_a_token_handed_back_again_ends_the_walk_with_a_typed_error() {
    // tok-A → tok-B → tok-A: a cycle, noticed although no token repeats twice in a row.
    let server = ksef_server(&[
        (None, ResponseTemplate::new(200).set_body_json(ksef_page(&["R-1"], Some("tok-A")))),
        (Some("tok-A"), ResponseTemplate::new(200).set_body_json(ksef_page(&["R-2"], Some("tok-B")))),
        (Some("tok-B"), ResponseTemplate::new(200).set_body_json(ksef_page(&["R-3"], Some("tok-A")))),
    ])
    .await;
    // At most 10 items within 20 s: a walk that follows the cycle fails here instead of hanging.
    let client = ksef(&server);
    let walk = client.sessions().get_session_list(&SessionType::Batch).items().take(10).collect::<Vec<_>>();
    let items = tokio::time::timeout(std::time::Duration::from_secs(20), walk).await.expect("the walk ends");
    let references: Vec<String> =
        items.iter().filter_map(|item| item.as_ref().ok()).map(|s| s.reference_number.to_string()).collect();
    assert_eq!(references, ["R-1", "R-2", "R-3"], "every new page is yielded");
    match items.last() {
        Some(Err(ksef::Error::Pagination(PaginationError::RepeatedCursor { page, first_seen }))) => {
            assert_eq!((*page, *first_seen), (3, 1));
        }
        other => panic!("expected the cycle to end the walk with an error, got {other:?}"),
    }
    assert_eq!(items.len(), 4);
    assert_eq!(requests(&server).await.len(), 3, "the cycle is not followed");
}

#[tokio::test]
async fn ksef_an_error_on_page_three_surfaces_as_the_typed_error() {
    let invalid = json!({"exception": {"exceptionDetailList": [{"exceptionCode": 21418,
        "exceptionDescription": "Przekazany token kontynuacji ma nieprawidłowy format."}]}});
    let server = ksef_server(&[
        (None, ResponseTemplate::new(200).set_body_json(ksef_page(&["R-1"], Some("tok-A")))),
        (Some("tok-A"), ResponseTemplate::new(200).set_body_json(ksef_page(&["R-2"], Some("tok-B")))),
        (Some("tok-B"), ResponseTemplate::new(400).set_body_json(&invalid)),
    ])
    .await;
    let pages: Vec<_> = ksef(&server).sessions().get_session_list(&SessionType::Online).pages().collect().await;
    assert_eq!(pages.len(), 3);
    assert!(pages[..2].iter().all(Result::is_ok));
    match &pages[2] {
        Err(ksef::Error::Api(response)) => {
            assert_eq!(response.status(), 400);
            assert!(matches!(response.body(), ksef::operations::GetSessionListError::BadRequest(_)));
        }
        other => panic!("expected the 400 of page 3, got {other:?}"),
    }
}

#[tokio::test]
async fn a_cursor_in_the_request_body_is_set_in_the_json_of_each_next_request() {
    let server = MockServer::start().await;
    let pages = [
        json!({"hits": [{"id": "h1"}, {"id": "h2"}], "meta": {"nextCursor": "c2"}}),
        json!({"hits": [{"id": "h3"}], "meta": {"nextCursor": "c3"}}),
        json!({"hits": [], "meta": {}}),
    ];
    for (index, page) in pages.iter().enumerate() {
        let cursor = [None, Some("c2"), Some("c3")][index];
        Mock::given(method("POST"))
            .and(move |request: &Request| {
                serde_json::from_slice::<Value>(&request.body).is_ok_and(|body| body["cursor"].as_str() == cursor)
            })
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = search::Client::builder(server.uri()).retries(0).build().unwrap();
    let body = search::types::SearchRequest::new("shoes");
    let ids: Vec<String> =
        client.catalog().search(&body).items().map_ok(|hit| hit.id).try_collect().await.unwrap();
    assert_eq!(ids, ["h1", "h2", "h3"]);
    let bodies: Vec<Value> = requests(&server).await.iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect();
    assert_eq!(bodies, [json!({"query": "shoes"}), json!({"query": "shoes", "cursor": "c2"}), json!({"query": "shoes", "cursor": "c3"})]);
}
