//! KSeF v2 sessions: every operation on the wire with a bearer token, the
//! seed's open-online request, 201/204 answers, the UPO as XML text and the
//! 400 `ExceptionResponse`.

use api_clients::ksef::operations::GetSessionUpoError;
use api_clients::ksef::types::{OpenOnlineSessionRequest, SessionType};
use api_clients::ksef::{Client, Error};
use serde_json::Value;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{JsonBody, only_request, spec_example};

const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.e30.sig";
const REFERENCE: &str = "20250925-SO-2F67776000-97273B191A-65";

fn example(pointer: &str) -> Value {
    spec_example("ksef", pointer)
}

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri()).bearer_token(TOKEN).retries(0).build().unwrap()
}

fn bearer() -> wiremock::matchers::HeaderExactMatcher {
    header("Authorization", format!("Bearer {TOKEN}").as_str())
}

#[tokio::test]
async fn get_session_list_sends_filters_and_continuation_token() {
    let server = MockServer::start().await;
    let body = example("/paths/~1api~1v2~1sessions/get/responses/200/content/application~1json/example");
    Mock::given(method("GET"))
        .and(path("/api/v2/sessions"))
        .and(query_param("sessionType", "Online"))
        .and(query_param("pageSize", "10"))
        .and(header("x-continuation-token", "abc"))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;
    let list = client(&server)
        .sessions()
        .get_session_list(&SessionType::Online)
        .page_size(10)
        .x_continuation_token("abc")
        .send()
        .await
        .unwrap();
    assert_eq!(list.continuation_token, Some(body["continuationToken"].as_str().map(str::to_owned)));
    assert_eq!(list.sessions.len(), body["sessions"].as_array().unwrap().len());
    let query = server.received_requests().await.unwrap()[0].url.query().map(str::to_owned);
    assert_eq!(query.as_deref(), Some("sessionType=Online&pageSize=10"));
}

#[tokio::test]
async fn get_session_status_decodes_the_polish_status() {
    let server = MockServer::start().await;
    let body = example("/paths/~1api~1v2~1sessions~1{referenceNumber}/get/responses/200/content/application~1json/example");
    Mock::given(method("GET"))
        .and(path(format!("/api/v2/sessions/{REFERENCE}")))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;
    let status = client(&server).sessions().get_session_status(REFERENCE).send().await.unwrap();
    assert_eq!(status.status.code, 200);
    assert_eq!(status.status.description, "Sesja interaktywna przetworzona pomyślnie");
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn get_session_upo_returns_the_xml_as_text() {
    let server = MockServer::start().await;
    let upo = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Potwierdzenie><NazwaPodmiotuPrzyjmujacego>Ministerstwo Finansów</NazwaPodmiotuPrzyjmujacego></Potwierdzenie>";
    Mock::given(method("GET"))
        .and(path(format!("/api/v2/sessions/{REFERENCE}/upo/20250918-EU-2EBD6FA000-242EB9B66D-43")))
        .and(bearer())
        .respond_with(ResponseTemplate::new(200).set_body_raw(upo, "application/xml"))
        .expect(1)
        .mount(&server)
        .await;
    let document = client(&server)
        .sessions()
        .get_session_upo(REFERENCE, "20250918-EU-2EBD6FA000-242EB9B66D-43")
        .send()
        .await
        .unwrap();
    assert_eq!(document.as_str(), upo);
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn open_online_session_sends_the_seed_request_and_decodes_201() {
    let server = MockServer::start().await;
    let request_body = example("/paths/~1api~1v2~1sessions~1online/post/requestBody/content/application~1json/example");
    let response_body = example("/paths/~1api~1v2~1sessions~1online/post/responses/201/content/application~1json/example");
    Mock::given(method("POST"))
        .and(path("/api/v2/sessions/online"))
        .and(bearer())
        .and(header("content-type", "application/json"))
        .and(JsonBody(request_body.clone()))
        .respond_with(ResponseTemplate::new(201).set_body_json(&response_body))
        .expect(1)
        .mount(&server)
        .await;
    let typed: OpenOnlineSessionRequest = serde_json::from_value(request_body).unwrap();
    let opened = client(&server).sessions().open_online_session(&typed).send().await.unwrap();
    assert_eq!(opened.status(), 201);
    assert_eq!(opened.reference_number, "20250625-SO-2C3E6C8000-B675CF5D68-07");
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn close_online_and_batch_sessions_answer_204() {
    let server = MockServer::start().await;
    for kind in ["online", "batch"] {
        Mock::given(method("POST"))
            .and(path(format!("/api/v2/sessions/{kind}/{REFERENCE}/close")))
            .and(bearer())
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
    }
    let closed = client(&server).sessions().close_online_session(REFERENCE).send().await.unwrap();
    assert_eq!(closed.status(), 204);
    let closed = client(&server).sessions().close_batch_session(REFERENCE).send().await.unwrap();
    assert_eq!(closed.status(), 204);
    for request in server.received_requests().await.unwrap() {
        assert!(request.body.is_empty(), "a close carries no body");
        assert_eq!(request.url.query(), None);
    }
}

#[tokio::test]
async fn a_400_is_the_typed_exception_response() {
    let server = MockServer::start().await;
    let body = example("/components/schemas/ExceptionResponse/example");
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(400).set_body_json(&body)).mount(&server).await;
    match client(&server).sessions().get_session_upo(REFERENCE, "x").send().await {
        Err(Error::Api(response)) => {
            assert_eq!(response.status(), 400);
            let GetSessionUpoError::BadRequest(exception) = response.body() else {
                panic!("expected the 400 variant, got {:?}", response.body());
            };
            let info = exception.exception.clone().flatten().unwrap();
            let details = info.exception_detail_list.flatten().unwrap();
            assert_eq!(details[0].exception_code, Some(12345));
        }
        other => panic!("expected the ExceptionResponse, got {other:?}"),
    }
}
