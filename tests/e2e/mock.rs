//! The typed stand-in servers of the `mock` feature, on real loopback HTTP:
//! typed answers decode in the client, requests that break the spec are
//! named (operation and field) and fail the test at drop, unmatched requests
//! get a 501 listing the stubs, `expect(n)` is checked at drop, paginated
//! operations serve pages as `x-pagination` walks them, and `.raw` answers
//! what the spec does not allow.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use api_clients::futures_util::TryStreamExt;
use api_clients::klarna_payments::mock::{CreateCreditSessionAnswer, ReadCreditSessionAnswer, UpdateCreditSessionAnswer};
use api_clients::klarna_payments::types::{ErrorV2, MerchantSession, OrderLine, Session, SessionCreate};
use api_clients::klarna_payments::{Client, Error, mock};
use api_clients::payrix::types::{SessionPostResponse, SessionsPostResponseResult};
use api_clients::runtime::mock::Reply;

fn client(server: &mock::Server) -> Client {
    Client::builder(server.uri()).basic_auth("K123456_abcd12345", "password").retries(0).build().unwrap()
}

fn session_create() -> SessionCreate {
    SessionCreate::new(2500, vec![OrderLine::new("Running shoe", 1, 2500, 2500)], "GB", "GBP")
}

/// The message of the panic `run` ends with, if it panics.
fn panic_message(run: impl FnOnce()) -> Option<String> {
    let payload = catch_unwind(AssertUnwindSafe(run)).err()?;
    payload.downcast_ref::<String>().cloned().or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
}

#[tokio::test]
async fn typed_answers_decode_in_the_client_and_stubs_keep_the_typed_requests() {
    let server = mock::Server::start().await;
    let created = server
        .sessions()
        .create_credit_session()
        .answer(CreateCreditSessionAnswer::Status200(MerchantSession::new("token-1", "session-1")))
        .expect(1)
        .mount();
    let missing = server
        .sessions()
        .read_credit_session("gone")
        .answer(ReadCreditSessionAnswer::Status404(ErrorV2::new("NOT_FOUND").correlation_id("c-1")))
        .mount();
    let client = client(&server);
    let session = client.sessions().create_credit_session(&session_create()).send().await.unwrap();
    assert_eq!((session.status().as_u16(), session.session_id.as_str(), session.client_token.as_str()), (200, "session-1", "token-1"));
    match client.sessions().read_credit_session("gone").send().await {
        Err(Error::Api(error)) => {
            assert_eq!(error.status().as_u16(), 404);
            assert_eq!(error.body().error_code, "NOT_FOUND");
        }
        other => panic!("expected the documented 404, got {other:?}"),
    }
    assert_eq!(created.calls(), 1);
    assert_eq!(created.requests()[0].body(), &session_create(), "the stub keeps the typed request body");
    assert!(created.requests()[0].header("authorization").is_some_and(|value| value.starts_with("Basic ")));
    assert_eq!(missing.requests()[0].path_param("session_id"), Some("gone"));
}

#[tokio::test]
async fn matchers_pick_the_stub_and_sequences_headers_and_delays_shape_the_answers() {
    let server = mock::Server::start().await;
    let by_body = server
        .sessions()
        .create_credit_session()
        .with_body(session_create().locale("sv-SE"))
        .answer(CreateCreditSessionAnswer::Status200(MerchantSession::new("t", "swedish")))
        .mount();
    let by_closure = server
        .sessions()
        .create_credit_session()
        .matching(|request| request.body().purchase_country == "DE")
        .reply(Reply::new(CreateCreditSessionAnswer::Status200(MerchantSession::new("t", "german"))).header("x-trace", "abc"))
        .mount();
    // A sequence: a 503 the spec does not document (raw), then a typed answer.
    let sequence = server
        .sessions()
        .update_credit_session("s-1")
        .raw(503, "busy")
        .reply(Reply::new(UpdateCreditSessionAnswer::Status204).delay(Duration::from_millis(150)))
        .expect(2)
        .mount();
    let client = client(&server);
    let swedish = client.sessions().create_credit_session(&session_create().locale("sv-SE")).send().await.unwrap();
    assert_eq!(swedish.session_id, "swedish");
    let mut german = session_create();
    german.purchase_country = String::from("DE");
    let german = client.sessions().create_credit_session(&german).send().await.unwrap();
    assert_eq!((german.session_id.as_str(), german.headers().get("x-trace").unwrap().to_str().unwrap()), ("german", "abc"));
    assert_eq!((by_body.calls(), by_closure.calls()), (1, 1));
    let body = Session::default();
    match client.sessions().update_credit_session("s-1", &body).send().await {
        Err(Error::UnexpectedStatus(response)) => assert_eq!(response.status().as_u16(), 503),
        other => panic!("the first answer of the sequence is the raw 503, got {other:?}"),
    }
    let started = Instant::now();
    let updated = client.sessions().update_credit_session("s-1", &body).send().await.unwrap();
    assert_eq!(updated.status().as_u16(), 204);
    assert!(started.elapsed() >= Duration::from_millis(150), "the delay holds the answer back");
    assert_eq!(sequence.calls(), 2);
}

#[tokio::test]
async fn a_request_breaking_the_spec_is_named_and_fails_the_test_when_the_server_drops() {
    let server = mock::Server::start().await;
    let stub = server
        .sessions()
        .create_credit_session()
        .answer(CreateCreditSessionAnswer::Status200(MerchantSession::new("t", "s")))
        .mount();
    // A body without `purchase_currency`, and no credentials.
    let answer = reqwest::Client::new()
        .post(format!("{}/payments/v1/sessions", server.uri()))
        .header("content-type", "application/json")
        .body(r#"{"order_amount":1,"order_lines":[],"purchase_country":"GB"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 501);
    let text = answer.text().await.unwrap();
    assert!(text.contains("`createCreditSession`: the body does not decode as `SessionCreate`"), "{text}");
    assert!(text.contains("purchase_currency"), "the message names the field: {text}");
    assert!(text.contains("`createCreditSession`: the credentials are missing: send header `Authorization: Basic …`"), "{text}");
    assert_eq!(stub.calls(), 0, "a request that breaks the spec reaches no stub");
    let verified = panic_message(|| server.verify()).expect("verify() reports the violation");
    assert!(verified.contains("purchase_currency"), "{verified}");
    let dropped = panic_message(move || drop(server)).expect("dropping the server reports the violation");
    assert!(dropped.contains("`createCreditSession`: the body does not decode"), "{dropped}");
}

#[tokio::test]
async fn a_request_no_stub_accepts_gets_501_listing_every_stub_and_why() {
    let server = mock::Server::start().await;
    let _kept = server
        .sessions()
        .read_credit_session("session-a")
        .answer(ReadCreditSessionAnswer::Status404(ErrorV2::new("NOT_FOUND")))
        .mount();
    let _other = server
        .sessions()
        .create_credit_session()
        .answer(CreateCreditSessionAnswer::Status200(MerchantSession::new("t", "s")))
        .mount();
    match client(&server).sessions().read_credit_session("session-b").send().await {
        Err(Error::UnexpectedStatus(response)) => {
            assert_eq!(response.status().as_u16(), 501);
            let text = String::from_utf8_lossy(response.body()).into_owned();
            assert!(text.contains("no stub of `readCreditSession` answers `GET /payments/v1/sessions/session-b`"), "{text}");
            assert!(
                text.contains("stub 1 `sessions().read_credit_session(..)`: path parameter `session_id` is `session-b`, the stub wants `session-a`"),
                "{text}"
            );
            assert!(text.contains("stub 2 `sessions().create_credit_session(..)`: is a stub of `createCreditSession`"), "{text}");
        }
        other => panic!("expected a 501, got {other:?}"),
    }
    let unknown = reqwest::get(format!("{}/nowhere", server.uri())).await.unwrap();
    assert_eq!(unknown.status(), 501);
    assert!(unknown.text().await.unwrap().contains("no operation of Klarna Payments API V1 is `GET /nowhere`"));
}

#[tokio::test]
async fn expect_n_is_checked_when_the_server_drops() {
    let server = mock::Server::start().await;
    let _stub = server
        .sessions()
        .create_credit_session()
        .answer(CreateCreditSessionAnswer::Status200(MerchantSession::new("t", "s")))
        .expect(2)
        .mount();
    client(&server).sessions().create_credit_session(&session_create()).send().await.unwrap();
    let message = panic_message(move || drop(server)).expect("an unmet expect(2) fails the test at drop");
    assert!(message.contains("`sessions().create_credit_session(..)`: expected 2 calls, got 1"), "{message}");
}

#[tokio::test]
#[should_panic(expected = "the stand-in cannot answer HTTP 200 here: the spec documents 4XX")]
async fn a_status_outside_a_documented_range_panics_at_stub_time() {
    use clientgen_tests::responses::mock::{Server, UpsertCartAnswer};
    use clientgen_tests::responses::types::Problem;
    let server = Server::start().await;
    // upsertCart documents `4XX`: a 200 there is a mistake in the test, caught where it is written.
    let _stub = server.carts().upsert_cart("c-1").answer(UpsertCartAnswer::Status4XX(200, Problem::new("not a 4XX")));
}

#[tokio::test]
async fn a_default_answer_carries_its_status_to_the_client() {
    use clientgen_tests::responses::mock::{DeleteCartAnswer, Server};
    use clientgen_tests::responses::types::Problem;
    let server = Server::start().await;
    let _stub = server.carts().delete_cart("c-1").answer(DeleteCartAnswer::Other(409, Problem::new("locked"))).mount();
    let client = clientgen_tests::responses::Client::builder(server.uri()).retries(0).build().unwrap();
    match client.carts().delete_cart("c-1").send().await {
        Err(clientgen_tests::responses::Error::Api(error)) => {
            assert_eq!(error.status().as_u16(), 409);
            match error.body() {
                clientgen_tests::responses::operations::DeleteCartError::Default(problem) => assert_eq!(problem.title, "locked"),
                other => panic!("expected the `default` body, got {other:?}"),
            }
        }
        other => panic!("expected the documented `default` error, got {other:?}"),
    }
}

#[tokio::test]
async fn pages_are_served_as_x_pagination_walks_them() {
    let server = api_clients::payrix::mock::Server::start().await;
    let items: Vec<SessionPostResponse> = (1..=5)
        .map(|n| serde_json::from_value(serde_json::json!({ "id": format!("p1_ssn_{n}") })).expect("a session"))
        .collect();
    let pages = server.sessions().get_sessions().pages(&SessionsPostResponseResult::default(), &items, 2).expect(3).mount();
    let client = api_clients::payrix::Client::builder(server.uri()).api_key("key").retries(0).build().unwrap();
    let walked: Vec<String> =
        client.sessions().get_sessions().items().map_ok(|item| item.id.unwrap_or_default()).try_collect().await.unwrap();
    assert_eq!(walked, ["p1_ssn_1", "p1_ssn_2", "p1_ssn_3", "p1_ssn_4", "p1_ssn_5"]);
    let asked: Vec<Option<String>> =
        pages.requests().iter().map(|request| request.query("page[number]").map(str::to_owned)).collect();
    assert_eq!(asked, [Some("1".to_owned()), Some("2".to_owned()), Some("3".to_owned())]);
}

#[tokio::test]
async fn cursor_pages_follow_the_continuation_header() {
    use api_clients::ksef::types::{SessionType, SessionsQueryResponse, SessionsQueryResponseItem};
    let server = api_clients::ksef::mock::Server::start().await;
    let item = |n: u32| -> SessionsQueryResponseItem {
        serde_json::from_value(serde_json::json!({
            "referenceNumber": format!("20250625-SO-2C3E6C8000-B675CF5D68-{n:02}"),
            "status": {"code": 200, "description": "ok"},
            "dateCreated": "2025-06-25T10:00:00+00:00",
            "dateUpdated": "2025-06-25T10:00:00+00:00",
            "totalInvoiceCount": 0,
            "successfulInvoiceCount": 0,
            "failedInvoiceCount": 0
        }))
        .expect("a session list item")
    };
    let items: Vec<SessionsQueryResponseItem> = (1..=3).map(item).collect();
    let _pages = server
        .sessions()
        .get_session_list()
        .session_type(&SessionType::Online) // a string enum, matched as the client writes it
        .pages(&SessionsQueryResponse::new(Vec::new()), &items, 2)
        .expect(2)
        .mount();
    let client = api_clients::ksef::Client::builder(server.uri()).bearer_token("token").retries(0).build().unwrap();
    let walked: Vec<_> = client.sessions().get_session_list(&SessionType::Online).items().try_collect().await.unwrap();
    assert_eq!(walked, items);
}

#[tokio::test]
async fn a_missing_required_query_parameter_is_named_and_parameter_matchers_say_why_they_decline() {
    use api_clients::payrix::mock::GetSessionsIdAnswer;
    use api_clients::payrix::types::SessionsResponseResult;
    let ksef = api_clients::ksef::mock::Server::start().await;
    // getSessionList requires `sessionType`; the client always sends it, a hand-made request may not.
    let answer = reqwest::Client::new()
        .get(format!("{}/api/v2/sessions", ksef.uri()))
        .bearer_auth("token")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 501);
    let text = answer.text().await.unwrap();
    assert!(text.contains("`getSessionList`: the required query parameter `sessionType` is missing"), "{text}");
    let dropped = panic_message(move || drop(ksef)).expect("the violation fails the test at drop");
    assert!(dropped.contains("`getSessionList`: the required query parameter `sessionType` is missing"), "{dropped}");

    let payrix = api_clients::payrix::mock::Server::start().await;
    let _with_token = payrix
        .sessions()
        .get_sessions_id("p1_ssn_1")
        .token("t-1") // named after the client's setters, typed as they are
        .embed("login")
        .answer(GetSessionsIdAnswer::Status200(SessionsResponseResult::default()))
        .mount();
    let client = api_clients::payrix::Client::builder(payrix.uri()).api_key("key").retries(0).build().unwrap();
    let found = client.sessions().get_sessions_id("p1_ssn_1").token("t-1").embed("login").send().await.unwrap();
    assert_eq!(found.status().as_u16(), 200);
    match client.sessions().get_sessions_id("p1_ssn_1").token("t-2").embed("login").send().await {
        Err(api_clients::payrix::Error::UnexpectedStatus(response)) => {
            let text = String::from_utf8_lossy(response.body()).into_owned();
            assert!(text.contains("header `token` is `t-2`, the stub wants `t-1`"), "{text}");
        }
        other => panic!("expected a 501, got {other:?}"),
    }
}

#[tokio::test]
async fn cursor_pages_follow_a_cursor_in_the_request_body() {
    use clientgen_tests::pagination_cursor_body as search;
    let server = search::mock::Server::start().await;
    let hits: Vec<search::types::Hit> = (1..=5).map(|n| search::types::Hit::new(format!("hit-{n}"))).collect();
    let pages = server.catalog().search().pages(&search::types::SearchPage::new(Vec::new()), &hits, 2).expect(3).mount();
    let client = search::Client::builder(server.uri()).retries(0).build().unwrap();
    let body = search::types::SearchRequest::new("shoes");
    let walked: Vec<search::types::Hit> = client.catalog().search(&body).items().try_collect().await.unwrap();
    assert_eq!(walked, hits);
    let cursors: Vec<Option<String>> = pages.requests().iter().map(|request| request.body().cursor.clone()).collect();
    assert_eq!(cursors, [None, Some("2".to_owned()), Some("4".to_owned())], "each page's next cursor goes back in the body");
}
