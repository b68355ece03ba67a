//! Redirects never carry credentials, idempotency keys or bodies to another
//! origin: by default none is followed, and the opt-in policy follows only
//! those that stay on the request's origin.

use std::future::Future;

use api_clients::{inbank, klarna_payments, payrix, talon_one};
use api_clients::runtime::RedirectPolicy;
use clientgen_tests::security;
use serde_json::json;
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{JsonBody, only_request, spec_example};

const REDIRECTS: [u16; 5] = [301, 302, 303, 307, 308];

/// Runs `call` against an origin answering each redirect status with a
/// `Location` on a second loopback server; the call must get the 3xx back,
/// and the second server must receive nothing at all.
async fn never_followed<F, Fut>(what: &str, call: F)
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Option<u16>>,
{
    for status in REDIRECTS {
        let elsewhere = MockServer::start().await;
        Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&elsewhere).await;
        let origin = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(status).insert_header("Location", format!("{}/landed", elsewhere.uri())))
            .expect(1)
            .mount(&origin)
            .await;
        assert_eq!(call(origin.uri()).await, Some(status), "{what}: the {status} must come back to the caller");
        let leaked = elsewhere.received_requests().await.unwrap();
        assert!(leaked.is_empty(), "{what}: a {status} sent {} request(s) to another origin", leaked.len());
    }
}

fn klarna_session() -> klarna_payments::types::SessionCreate {
    serde_json::from_value(json!({
        "purchase_country": "SE", "purchase_currency": "SEK", "order_amount": 100,
        "order_lines": [{"name": "thing", "quantity": 1, "total_amount": 100, "unit_price": 100}]
    }))
    .unwrap()
}

fn inbank_session() -> inbank::types::CreatePosSessionRequest {
    let example = spec_example(
        "inbank",
        "/paths/~1partner~1v3~1shops~1{shopUuid}~1pos-sessions/post/requestBody/content/application~1json/example",
    );
    serde_json::from_value(example).unwrap()
}

#[tokio::test]
async fn header_api_keys_and_idempotency_keys_stay_home() {
    never_followed("Payrix APIKEY, POST with request-token", |base| async move {
        let client = payrix::Client::builder(base).api_key("pk-secret").retries(0).build().unwrap();
        let body = payrix::types::SessionsPostRequest::default().login("p1_log_1");
        client.sessions().post_sessions(&body).request_token("idem-1").send().await.err()?.status().map(|s| s.as_u16())
    })
    .await;
    never_followed("Payrix USERNAME + PASSWORD", |base| async move {
        let client = payrix::Client::builder(base).username("user").password("pw-secret").retries(0).build().unwrap();
        let body = payrix::types::SessionsPostRequest::default();
        client.sessions().post_sessions(&body).send().await.err()?.status().map(|s| s.as_u16())
    })
    .await;
    never_followed("Talon.One Content-Signature, PUT with body", |base| async move {
        let client = talon_one::Client::builder(base).integration_auth("322", "6a9f0c1e5b7d3a2f").retries(0).build().unwrap();
        let body = talon_one::types::NewCustomerProfile::default();
        #[allow(deprecated, reason = "the v1 update is deprecated by the vendor and still served")]
        let call = client.integration().update_customer_profile("someone", &body);
        call.send().await.err()?.status().map(|s| s.as_u16())
    })
    .await;
    never_followed("header API key (fixture)", |base| async move {
        let client = security::Client::builder(base).api_key_header("hk-secret").retries(0).build().unwrap();
        client.invoices().list_invoices().send().await.err()?.status().map(|s| s.as_u16())
    })
    .await;
}

#[tokio::test]
async fn basic_bearer_query_and_cookie_credentials_stay_home() {
    never_followed("Klarna Basic, POST with body", |base| async move {
        let client = klarna_payments::Client::builder(base).basic_auth("K1", "pw-secret").retries(0).build().unwrap();
        client.sessions().create_credit_session(&klarna_session()).send().await.err()?.status().map(|s| s.as_u16())
    })
    .await;
    never_followed("Inbank bearer, POST with body", |base| async move {
        let client = inbank::Client::builder(base).bearer_token("bearer-secret").retries(0).build().unwrap();
        let shop = uuid::Uuid::nil();
        client.pos_sessions().create_pos_session(shop, &inbank_session()).send().await.err()?.status().map(|s| s.as_u16())
    })
    .await;
    never_followed("Basic + API key in the query (fixture)", |base| async move {
        let client =
            security::Client::builder(base).basic_auth("me", "pw-secret").api_key_query("qk-secret").retries(0).build().unwrap();
        client.invoices().download_report().send().await.err()?.status().map(|s| s.as_u16())
    })
    .await;
    never_followed("API key in a cookie (fixture)", |base| async move {
        let client = security::Client::builder(base).session_cookie("ck-secret").retries(0).build().unwrap();
        client.system().get_session().send().await.err()?.status().map(|s| s.as_u16())
    })
    .await;
}

#[tokio::test]
async fn the_same_origin_policy_follows_only_redirects_that_stay() {
    // Across origins: still not followed, even when opted in.
    never_followed("same-origin policy, Klarna read", |base| async move {
        let client = klarna_payments::Client::builder(base)
            .basic_auth("K1", "pw-secret")
            .redirects(RedirectPolicy::same_origin(3))
            .retries(0)
            .build()
            .unwrap();
        client.sessions().read_credit_session("s1").send().await.err()?.status().map(|s| s.as_u16())
    })
    .await;

    // Within the origin: a 307 is followed with method, body and credentials.
    let server = MockServer::start().await;
    let shop = uuid::Uuid::nil();
    let moved = "/partner/v3/shops/00000000-0000-0000-0000-000000000001/pos-sessions";
    Mock::given(path(format!("/partner/v3/shops/{shop}/pos-sessions")))
        .respond_with(ResponseTemplate::new(307).insert_header("Location", moved))
        .expect(1)
        .mount(&server)
        .await;
    let body = serde_json::to_value(inbank_session()).unwrap();
    Mock::given(method("POST"))
        .and(path(moved))
        .and(header("Authorization", "Bearer bearer-secret"))
        .and(JsonBody(body))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"uuid": "9d4b1a9e-6c1e-4d6a-9a8e-1f5b3c2d7e6a", "redirectUrl": "https://x"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = inbank::Client::builder(server.uri())
        .bearer_token("bearer-secret")
        .redirects(RedirectPolicy::same_origin(3))
        .build()
        .unwrap();
    let created = client.pos_sessions().create_pos_session(shop, &inbank_session()).send().await.unwrap();
    assert_eq!(created.status(), 201);
}

#[tokio::test]
async fn a_redirect_not_followed_keeps_its_location() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "https://elsewhere.example/x"))
        .mount(&server)
        .await;
    let client = klarna_payments::Client::builder(server.uri()).basic_auth("K1", "pw").build().unwrap();
    match client.sessions().read_credit_session("s1").send().await {
        Err(klarna_payments::Error::UnexpectedStatus(response)) => {
            assert_eq!(response.status(), 302);
            assert_eq!(response.headers()["location"], "https://elsewhere.example/x");
        }
        other => panic!("expected the 302 back, got {other:?}"),
    }
    only_request(&server).await;
}
