//! Timeouts, retries and tolerance of servers that misbehave or grow.

use std::time::{Duration, Instant};

use api_clients::klarna_payments::{self, Error, RetryPolicy};
use api_clients::talon_one;
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Retries without waiting long: tests stay quick, the policy stays real.
const QUICK: RetryPolicy = RetryPolicy {
    max_retries: 2,
    initial_backoff: Duration::from_millis(10),
    max_backoff: Duration::from_secs(5),
};

fn klarna(base_url: &str, policy: RetryPolicy) -> klarna_payments::Client {
    klarna_payments::Client::builder(base_url)
        .basic_auth("user", "password")
        .retry_policy(policy)
        .build()
        .unwrap()
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

fn session_json() -> serde_json::Value {
    serde_json::json!({"status": "incomplete", "purchase_country": "SE", "acquiring_channel": "ECOMMERCE"})
}

#[tokio::test]
async fn a_stalled_server_gives_a_timeout_in_about_the_time_set() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(session_json()).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = klarna_payments::Client::builder(server.uri())
        .basic_auth("user", "password")
        .timeout(Duration::from_millis(200))
        .retries(0)
        .build()
        .unwrap();
    let started = Instant::now();
    let result = client.sessions().read_credit_session("s").send().await;
    assert!(matches!(result, Err(Error::Timeout)), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "gave up after {:?}", started.elapsed());

    // A per-call timeout overrides the client's.
    let patient = klarna(&server.uri(), RetryPolicy::NONE);
    let started = Instant::now();
    let result = patient.sessions().read_credit_session("s").timeout(Duration::from_millis(200)).send().await;
    assert!(matches!(result, Err(Error::Timeout)), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_get_is_retried_on_503_and_429_honouring_retry_after() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(session_json())).with_priority(3).mount(&server).await;
    let started = Instant::now();
    let session = klarna(&server.uri(), QUICK).sessions().read_credit_session("s").send().await.unwrap();
    assert_eq!(session.status(), 200);
    assert_eq!(request_count(&server).await, 3);
    assert!(started.elapsed() >= Duration::from_millis(900), "Retry-After: 1 was not honoured");
}

#[tokio::test]
async fn retries_are_counted_and_zero_disables_them() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let result = klarna(&server.uri(), QUICK).sessions().read_credit_session("s").send().await;
    assert!(matches!(result, Err(Error::UnexpectedStatus(ref response)) if response.status() == 503), "{result:?}");
    assert_eq!(request_count(&server).await, 3, "one attempt and two retries");

    server.reset().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = klarna_payments::Client::builder(server.uri()).basic_auth("user", "password").retries(0).build().unwrap();
    let _ = client.sessions().read_credit_session("s").send().await;
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn a_post_without_idempotency_key_is_sent_exactly_once_on_503() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let body: klarna_payments::types::SessionCreate = serde_json::from_value(serde_json::json!({
        "purchase_country": "SE", "purchase_currency": "SEK", "order_amount": 100,
        "order_lines": [{"name": "thing", "quantity": 1, "total_amount": 100, "unit_price": 100}]
    }))
    .unwrap();
    let result = klarna(&server.uri(), QUICK).sessions().create_credit_session(&body).send().await;
    assert!(matches!(result, Err(Error::UnexpectedStatus(_))), "{result:?}");
    assert_eq!(request_count(&server).await, 1);
}

#[tokio::test]
async fn a_put_is_retried_too() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).with_priority(1).mount(&server).await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).with_priority(2).mount(&server).await;
    let client = talon_one::Client::builder(server.uri()).api_key_v1("k").retry_policy(QUICK).build().unwrap();
    let body = talon_one::types::MultipleCustomerProfileIntegrationRequest::default();
    let done = client.integration().update_customer_profiles_v2(&body).send().await.unwrap();
    assert_eq!(done.status(), 204);
    assert_eq!(request_count(&server).await, 2);
}

#[tokio::test]
async fn connect_errors_are_retried_until_the_server_is_up() {
    // Reserve a port, free it, and start the server there only after the first attempts failed.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base_url = format!("http://127.0.0.1:{port}");
    let policy = RetryPolicy { max_retries: 8, initial_backoff: Duration::from_millis(100), max_backoff: Duration::from_millis(400) };
    let late_server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
        let server = MockServer::builder().listener(listener).start().await;
        Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(session_json())).mount(&server).await;
        tokio::time::sleep(Duration::from_secs(10)).await;
        drop(server);
    });
    let result = klarna(&base_url, policy).sessions().read_credit_session("s").send().await;
    assert!(result.is_ok(), "{result:?}");
    late_server.abort();
}

#[tokio::test]
async fn unknown_fields_and_enum_values_decode_and_round_trip() {
    let server = MockServer::start().await;
    let body = serde_json::json!({
        "status": "incomplete",
        "acquiring_channel": "METAVERSE",
        "intent": "buy",
        "a_field_from_the_future": {"nested": [1, 2, 3]}
    });
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;
    let session = klarna(&server.uri(), RetryPolicy::NONE).sessions().read_credit_session("s").send().await.unwrap();
    let channel = session.acquiring_channel.clone().unwrap();
    assert_eq!(channel, klarna_payments::types::AcquiringChannel::Unknown("METAVERSE".into()));
    assert_eq!(serde_json::to_value(&channel).unwrap(), serde_json::json!("METAVERSE"));
    assert_eq!(session.intent, Some(klarna_payments::types::Intent::Buy));
    let intent = klarna_payments::types::Intent::Buy;
    assert_eq!(serde_json::to_value(&intent).unwrap(), serde_json::json!("buy"));
    assert_eq!((intent.as_str(), channel.as_str()), ("buy", "METAVERSE"));
    assert!(serde_json::from_value::<klarna_payments::types::Intent>(serde_json::json!(3)).is_err());
}

#[tokio::test]
async fn a_malformed_or_empty_body_is_a_decode_error_keeping_the_raw_body() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw("{\"status\": [not json", "application/json"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200)).with_priority(2).mount(&server).await;
    let client = klarna(&server.uri(), RetryPolicy::NONE);
    match client.sessions().read_credit_session("s").send().await {
        Err(Error::Decode { response, .. }) => {
            assert_eq!(response.status(), 200);
            assert_eq!(response.body().as_ref(), b"{\"status\": [not json");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    match client.sessions().read_credit_session("s").send().await {
        Err(Error::Decode { response, .. }) => assert!(response.body().is_empty()),
        other => panic!("an empty 200 must be a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_undeclared_status_is_unexpected_with_its_body() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(418).set_body_string("I'm a teapot")).mount(&server).await;
    match klarna(&server.uri(), RetryPolicy::NONE).sessions().read_credit_session("s").send().await {
        Err(Error::UnexpectedStatus(response)) => {
            assert_eq!(response.status(), 418);
            assert_eq!(response.body().as_ref(), b"I'm a teapot");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
}
