//! What makes the clients pleasant SDKs: required fields that cannot be
//! skipped, re-exported dependencies, hooks on every attempt, per-call
//! overrides, and success for an empty 2XX where no body is documented.

use std::marker::PhantomData;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use api_clients::klarna_payments::types::{OrderLine, SessionCreate};
use api_clients::klarna_payments::{self, Error, RetryPolicy};
use api_clients::{ksef, talon_one};
use wiremock::matchers::{any, header};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::only_request;

/// Tells at run time whether `T` implements `Default`: the inherent method
/// exists only when it does, and wins over the trait's fallback.
struct Probe<T>(PhantomData<T>);

trait NoDefault {
    fn has_default(&self) -> bool {
        false
    }
}

impl<T> NoDefault for Probe<T> {}

impl<T: Default> Probe<T> {
    fn has_default(&self) -> bool {
        true
    }
}

#[test]
fn types_with_required_fields_have_no_default_and_get_a_constructor() {
    assert!(!Probe::<SessionCreate>(PhantomData).has_default(), "SessionCreate has required fields");
    assert!(!Probe::<OrderLine>(PhantomData).has_default(), "OrderLine has required fields");
    assert!(Probe::<talon_one::types::MultipleCustomerProfileIntegrationRequest>(PhantomData).has_default());

    let line = OrderLine::new("Sneakers", 1, 100, 100).reference("sku-1").tax_rate(2500);
    let body = SessionCreate::new(100, vec![line], "SE", "SEK").locale("sv-SE");
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        serde_json::json!({
            "order_amount": 100,
            "order_lines": [{"name": "Sneakers", "quantity": 1, "total_amount": 100, "unit_price": 100,
                             "reference": "sku-1", "tax_rate": 2500}],
            "purchase_country": "SE",
            "purchase_currency": "SEK",
            "locale": "sv-SE"
        })
    );
}

#[test]
fn dependencies_in_the_public_api_are_re_exported() {
    // Callers name these types through the crate, without depending on the crates themselves.
    let _: api_clients::uuid::Uuid = api_clients::uuid::Uuid::nil();
    let _: api_clients::bytes::Bytes = api_clients::bytes::Bytes::from_static(b"x");
    let _: api_clients::serde_json::Value = api_clients::serde_json::json!({});
    let _: api_clients::chrono::NaiveDate = api_clients::chrono::NaiveDate::MIN;
    let builder: api_clients::reqwest::ClientBuilder = api_clients::reqwest::Client::builder();
    klarna_payments::Client::builder("https://api.example.com").http_client(builder).build().unwrap();
}

fn session_json() -> serde_json::Value {
    serde_json::json!({"status": "incomplete", "purchase_country": "SE", "acquiring_channel": "ECOMMERCE"})
}

#[tokio::test]
async fn hooks_see_and_change_every_attempt() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).with_priority(1).mount(&server).await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(session_json())).with_priority(2).mount(&server).await;
    let attempts = Arc::new(Mutex::new(Vec::new()));
    let responses = Arc::new(Mutex::new(Vec::new()));
    let (seen, answered) = (Arc::clone(&attempts), Arc::clone(&responses));
    let client = klarna_payments::Client::builder(server.uri())
        .basic_auth("user", "password")
        .retry_policy(RetryPolicy { max_retries: 2, initial_backoff: Duration::from_millis(5), max_backoff: Duration::from_secs(1) })
        .on_request(move |request| {
            let mut seen = seen.lock().unwrap();
            seen.push(format!("{} {} body={}", request.method(), request.url().path(), request.body().map_or(0, <[u8]>::len)));
            let attempt = seen.len().to_string();
            request.headers_mut().insert("x-attempt", attempt.parse().unwrap());
            Ok(())
        })
        .on_response(move |head| answered.lock().unwrap().push((head.status().as_u16(), head.attempt())))
        .build()
        .unwrap();
    client.sessions().read_credit_session("s1").send().await.unwrap();
    assert_eq!(*attempts.lock().unwrap(), vec!["GET /payments/v1/sessions/s1 body=0"; 2]);
    assert_eq!(*responses.lock().unwrap(), vec![(503, 0), (200, 1)]);
    let sent: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers["x-attempt"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(sent, vec!["1", "2"], "the hook ran again on the retry");
}

#[tokio::test]
async fn a_hook_that_refuses_stops_the_call_before_sending() {
    let server = MockServer::start().await;
    let client = klarna_payments::Client::builder(server.uri())
        .basic_auth("user", "password")
        .on_request(|_| Err("no signing key".to_owned()))
        .build()
        .unwrap();
    let result = client.sessions().read_credit_session("s1").send().await;
    assert!(
        matches!(&result, Err(Error::InvalidRequest(message)) if message == "a request hook refused the request: no signing key"),
        "{result:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn per_call_headers_and_retry_policy_override_the_client() {
    let server = MockServer::start().await;
    Mock::given(header("x-correlation-id", "c-42")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = klarna_payments::Client::builder(server.uri()).basic_auth("user", "password").retries(0).build().unwrap();
    let policy = RetryPolicy { max_retries: 2, initial_backoff: Duration::from_millis(5), max_backoff: Duration::from_secs(1) };
    let result = client
        .sessions()
        .read_credit_session("s1")
        .header("x-correlation-id", "c-42")
        .retry_policy(policy)
        .send()
        .await;
    assert!(matches!(&result, Err(Error::UnexpectedStatus(r)) if r.status() == 503), "{result:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "the call's policy, not the client's, applied");

    let refused = client.sessions().read_credit_session("s1").header("x-bad", "a\r\nb").send().await;
    assert!(matches!(refused, Err(Error::InvalidRequest(_))), "{refused:?}");
}

#[tokio::test]
async fn an_empty_2xx_is_success_where_no_body_is_documented() {
    // Klarna documents 204 for updateCreditSession; the seed SDK checks for 200.
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200)).expect(1).mount(&server).await;
    let client = klarna_payments::Client::builder(server.uri()).basic_auth("user", "password").build().unwrap();
    let body: klarna_payments::types::Session = serde_json::from_value(serde_json::json!({})).unwrap();
    let updated = client.sessions().update_credit_session("s1", &body).send().await.unwrap();
    assert_eq!(updated.status(), 200);
    only_request(&server).await;

    // KSeF documents 204 for closing a session; a 201 without body is accepted too.
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(201)).mount(&server).await;
    let ksef = ksef::Client::builder(server.uri()).bearer_token("t").build().unwrap();
    assert_eq!(ksef.sessions().close_online_session("ref").send().await.unwrap().status(), 201);

    // A 2XX that does carry a body is still unexpected: nothing is dropped silently.
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_string("{\"changed\":true}")).mount(&server).await;
    let result = ksef::Client::builder(server.uri()).bearer_token("t").build().unwrap().sessions().close_batch_session("r").send().await;
    assert!(matches!(&result, Err(ksef::Error::UnexpectedStatus(r)) if r.status() == 200), "{result:?}");
}

#[test]
fn a_signing_key_that_is_not_hex_is_refused_when_the_client_is_built() {
    let builder = talon_one::Client::builder("http://127.0.0.1:9").integration_auth("322", "not-hex!");
    assert!(!format!("{builder:?}").contains("not-hex"), "the key is never shown");
    let result = builder.build();
    assert!(
        matches!(&result, Err(talon_one::Error::InvalidRequest(message)) if message == "the credential set with `integration_auth` (security scheme integration_auth) has a signing key that is not hexadecimal"),
        "{result:?}"
    );
}
