//! Payrix `/sessions`: every operation on the wire, with the seed's payloads,
//! the `APIKEY` header, bracketed paging parameters, header parameters and the
//! 400 error envelope; and the idempotency key that makes a POST retryable.

use std::time::Duration;

use api_clients::payrix::types::{SessionPublic, SessionsPostRequest};
use api_clients::payrix::{Client, Error, RetryPolicy};
use serde_json::Value;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{JsonBody, only_request, spec_example};

const API_KEY: &str = "b6c4e2f0a1d3";

fn example(pointer: &str) -> Value {
    spec_example("payrix", pointer)
}

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri()).api_key(API_KEY).retries(0).build().unwrap()
}

#[tokio::test]
async fn get_sessions_id_sends_the_key_and_decodes_the_envelope() {
    let server = MockServer::start().await;
    let body = example("/paths/~1sessions~1{id}/get/responses/200/content/application~1json/example");
    Mock::given(method("GET"))
        .and(path("/sessions/p1_ssn_00c73b181e33818d7c0a13a"))
        .and(header("APIKEY", API_KEY))
        .and(header("token", "t-123"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;
    let found = client(&server)
        .sessions()
        .get_sessions_id("p1_ssn_00c73b181e33818d7c0a13a")
        .token("t-123")
        .send()
        .await
        .unwrap();
    let session = &found.response.as_ref().unwrap().data.as_ref().unwrap()[0];
    assert_eq!(session.id.as_deref(), Some("p1_ssn_00c73b181e33818d7c0a13a"));
    assert_eq!(session.public, Some(SessionPublic::PublicAccess));
    assert_eq!(session.created.as_deref(), Some("2025-03-04 12:40:40.1366"));
    assert_eq!(serde_json::to_value(found.into_inner()).unwrap(), body, "decodes and re-encodes losslessly");
    assert!(only_request(&server).await.url.query().is_none());
}

#[tokio::test]
async fn delete_sessions_id_uses_delete_on_the_session_path() {
    let server = MockServer::start().await;
    let body = example("/paths/~1sessions~1{id}/delete/responses/200/content/application~1json/example");
    Mock::given(method("DELETE"))
        .and(path("/sessions/p1_ssn_1"))
        .and(header("APIKEY", API_KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;
    let deleted = client(&server).sessions().delete_sessions_id("p1_ssn_1").send().await.unwrap();
    assert_eq!(deleted.status(), 200);
    assert!(deleted.response.is_some());
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn get_sessions_sends_paging_query_and_header_parameters() {
    let server = MockServer::start().await;
    let body = example("/paths/~1sessions/get/responses/200/content/application~1json/example");
    Mock::given(method("GET"))
        .and(path("/sessions"))
        .and(query_param("page[number]", "2"))
        .and(query_param("page[limit]", "50"))
        .and(header("search", "created[greater]=2025-01-01"))
        .and(header("totals", "count[]=id"))
        .and(header("request-token", "req-1"))
        .and(header("APIKEY", API_KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;
    let list = client(&server)
        .sessions()
        .get_sessions()
        .page_number(2)
        .page_limit(50)
        .search("created[greater]=2025-01-01")
        .totals("count[]=id")
        .request_token("req-1")
        .send()
        .await
        .unwrap();
    let data = list.response.as_ref().unwrap().data.as_ref().unwrap();
    assert_eq!(data[0].key.as_deref(), Some("c00a5aafb5dd5352dc1fd656f4a4252c"));
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("page%5Bnumber%5D=2&page%5Blimit%5D=50"));
}

#[tokio::test]
async fn get_sessions_without_options_sends_no_query_and_no_optional_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"response": {"data": []}})))
        .mount(&server)
        .await;
    client(&server).sessions().get_sessions().send().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), None);
    for name in ["search", "totals", "request-token", "token"] {
        assert!(!request.headers.contains_key(name), "{name} sent without being set");
    }
}

#[tokio::test]
async fn post_sessions_sends_the_seed_request_as_json() {
    let server = MockServer::start().await;
    let request_body = example("/paths/~1sessions/post/requestBody/content/application~1json/example");
    let response_body = example("/paths/~1sessions/post/responses/200/content/application~1json/example");
    Mock::given(method("POST"))
        .and(path("/sessions"))
        .and(header("APIKEY", API_KEY))
        .and(header("content-type", "application/json"))
        .and(JsonBody(request_body.clone()))
        .respond_with(ResponseTemplate::new(200).set_body_json(&response_body))
        .expect(1)
        .mount(&server)
        .await;
    let typed: SessionsPostRequest = serde_json::from_value(request_body).unwrap();
    assert_eq!(typed.public, Some(SessionPublic::PublicAccess));
    let created = client(&server).sessions().post_sessions(&typed).send().await.unwrap();
    assert_eq!(created.status(), 200);
    let data = created.response.as_ref().unwrap().data.as_ref().unwrap();
    assert_eq!(data[0].key.as_deref(), Some("c00a5aafb5dd5352dc1fd656f4a4252c"));
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn a_400_is_the_typed_error_envelope() {
    let server = MockServer::start().await;
    let body = example("/components/responses/errorFourHundred/content/application~1json/example");
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(400).set_body_json(&body)).mount(&server).await;
    match client(&server).sessions().get_sessions_id("p1_ssn_1").send().await {
        Err(Error::Api(response)) => {
            assert_eq!(response.status(), 400);
            // `Error::Api` derefs to the typed envelope; its errors carry the messages.
            let errors = response.response.as_ref().and_then(|envelope| envelope.errors.as_deref()).unwrap();
            assert_eq!(errors[0].msg.as_deref(), Some("Invalid value for field login"));
            assert_eq!(errors[0].field, Some(Some("login".to_owned())));
            assert_eq!(errors[0].code, Some(15));
        }
        other => panic!("expected the 400 envelope, got {other:?}"),
    }
}

#[tokio::test]
async fn a_400_in_the_vendor_specs_bare_shape_keeps_its_messages_in_the_raw_body() {
    // The vendor spec documents a bare `{"errors": [...]}`; the typed envelope has no
    // room for it, and the raw body of `Error::Api` keeps it whole.
    let server = MockServer::start().await;
    let bare = serde_json::json!({"errors": [{"code": 15, "severity": 2, "msg": "Invalid login", "field": null}]});
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(400).set_body_json(&bare)).mount(&server).await;
    match client(&server).sessions().get_sessions_id("p1_ssn_1").send().await {
        Err(Error::Api(response)) => {
            assert!(response.response.is_none());
            let raw: Value = serde_json::from_slice(response.raw_body().as_bytes()).unwrap();
            assert_eq!(raw, bare);
        }
        other => panic!("expected the 400 as Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn a_header_value_with_cr_lf_is_refused_and_nothing_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let result = client(&server).sessions().get_sessions().search("x\r\nAPIKEY: stolen").send().await;
    assert!(matches!(result, Err(Error::InvalidRequest(_))), "{result:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_post_with_request_token_is_retried_on_503_and_one_without_is_not() {
    let policy = RetryPolicy { max_retries: 2, initial_backoff: Duration::from_millis(10), max_backoff: Duration::from_secs(1) };
    let body = SessionsPostRequest::default().login("p1_log_1");
    let ok = serde_json::json!({"response": {"data": []}});

    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).with_priority(1).mount(&server).await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_json(&ok)).with_priority(2).mount(&server).await;
    let retrying = Client::builder(server.uri()).api_key(API_KEY).retry_policy(policy).build().unwrap();
    let created = retrying.sessions().post_sessions(&body).request_token("req-42").send().await.unwrap();
    assert_eq!(created.status(), 200);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2, "retried once with the idempotency key");
    assert!(requests.iter().all(|r| r.headers.get("request-token").is_some_and(|v| v == "req-42")));

    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let retrying = Client::builder(server.uri()).api_key(API_KEY).retry_policy(policy).build().unwrap();
    let result = retrying.sessions().post_sessions(&body).send().await;
    assert!(matches!(result, Err(Error::UnexpectedStatus(_))), "{result:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "never retried without the key");
}
