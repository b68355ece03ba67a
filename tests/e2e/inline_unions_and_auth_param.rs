//! Two things a spec states that the client must keep: a discriminator over
//! inline variants picks each variant by the value it fixes for the
//! discriminator property (a one-value `enum` in 3.0, `const` in 3.1, or the
//! mapping naming the variant's location), and a header parameter
//! `Authorization` that no security scheme of its operation sets is the
//! caller's to pass, and goes out on the wire.

use std::sync::{Arc, Mutex};

use clientgen_tests::openapi31::types::Shape;
use clientgen_tests::security;
use clientgen_tests::unions::types::PaymentEvent;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::only_request;

/// Decodes `value`, checks the variant with `expected`, and writes it back unchanged.
fn round_trip<T>(value: Value, expected: impl Fn(&T) -> bool)
where
    T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
{
    let decoded: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value} does not decode: {e}"));
    assert!(expected(&decoded), "{value} decoded as {decoded:?}");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), value, "written back as received");
}

#[test]
fn each_inline_variant_is_chosen_by_the_one_value_its_discriminator_property_allows() {
    round_trip(json!({"type": "payment.captured", "paymentId": "p1", "amount": 1200}), |event| {
        matches!(event, PaymentEvent::PaymentCaptured(captured) if captured.amount == 1200)
    });
    round_trip(json!({"type": "payment.refused", "paymentId": "p1", "reason": "insufficient funds"}), |event| {
        matches!(event, PaymentEvent::PaymentRefused(refused) if refused.reason == "insufficient funds")
    });
    // Chosen by the mapping, which names the variant by its location.
    round_trip(json!({"type": "payment.disputed", "paymentId": "p1", "dueBy": "2025-03-01"}), |event| {
        matches!(event, PaymentEvent::PaymentDisputed(disputed) if disputed.due_by.is_some())
    });
    // A value no variant fixes is kept as received.
    round_trip(json!({"type": "payment.settled", "paymentId": "p1"}), |event| matches!(event, PaymentEvent::Unknown(_)));
    // The value picks the variant, so a body that does not fit it is an error, not another variant.
    let wrong = serde_json::from_value::<PaymentEvent>(json!({"type": "payment.refused", "paymentId": "p1"}));
    assert!(wrong.unwrap_err().to_string().contains("missing field `reason`"));
}

#[test]
fn each_inline_variant_is_chosen_by_the_const_of_its_discriminator_property() {
    round_trip(json!({"kind": "circle", "radius": 1.5}), |shape| {
        matches!(shape, Shape::Circle(circle) if circle.radius == 1.5)
    });
    round_trip(json!({"kind": "rectangle", "width": 2.0, "height": 3.0}), |shape| {
        matches!(shape, Shape::Rectangle(rectangle) if rectangle.width == 2.0 && rectangle.height == 3.0)
    });
    round_trip(json!({"kind": "triangle", "base": 1.0}), |shape| matches!(shape, Shape::Unknown(_)));
}

async fn answering_job() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/jobs/42"))
        .and(header("Authorization", "Bearer worker-jwt"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"command": "run"})))
        .expect(1)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_required_authorization_parameter_no_scheme_sets_is_sent_as_given() {
    let server = answering_job().await;
    let client = security::Client::builder(server.uri()).retries(0).build().unwrap();
    let job = client.system().fetch_job("42", "Bearer worker-jwt").send().await.unwrap();
    assert_eq!(job.command.as_deref(), Some("run"));
    let request = only_request(&server).await;
    let sent: Vec<_> = request.headers.get_all("authorization").iter().collect();
    assert_eq!(sent, ["Bearer worker-jwt"], "one Authorization header, the parameter's");
}

#[tokio::test]
async fn credentials_of_schemes_the_operation_does_not_name_do_not_replace_it() {
    // `fetchJob` has `security: []`: the client's bearer token is not sent,
    // and the parameter's value goes out unchanged.
    let server = answering_job().await;
    let client = security::Client::builder(server.uri()).bearer_auth("client-token").retries(0).build().unwrap();
    client.system().fetch_job("42", "Bearer worker-jwt").send().await.unwrap();
    let request = only_request(&server).await;
    let sent: Vec<_> = request.headers.get_all("authorization").iter().collect();
    assert_eq!(sent, ["Bearer worker-jwt"]);
}

#[tokio::test]
async fn an_optional_authorization_parameter_is_a_setter_beside_the_schemes_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/feed"))
        .and(header("X-API-Key", "dashboard-key"))
        .and(header("Authorization", "Delegation account-7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(["news"])))
        .expect(1)
        .mount(&server)
        .await;
    // A request hook sees the value marked sensitive, as credentials are:
    // a hook that logs the headers shows it redacted.
    let marked = Arc::new(Mutex::new(None));
    let seen = Arc::clone(&marked);
    let client = security::Client::builder(server.uri())
        .api_key_header("dashboard-key")
        .retries(0)
        .on_request(move |request| {
            let value = request.headers().get("authorization").expect("the parameter is set");
            *seen.lock().unwrap() = Some((value.is_sensitive(), format!("{:?}", request.headers())));
            Ok(())
        })
        .build()
        .unwrap();
    let feed = client.system().get_feed().authorization("Delegation account-7").send().await.unwrap();
    assert_eq!(*feed, ["news"]);
    let (sensitive, logged) = marked.lock().unwrap().take().expect("the hook ran");
    assert!(sensitive, "the Authorization parameter is marked sensitive");
    assert!(!logged.contains("account-7"), "{logged}");
    let request = only_request(&server).await;
    assert_eq!(request.headers.get("authorization").unwrap(), "Delegation account-7");
}
