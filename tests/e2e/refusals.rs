//! Requests that cannot be right are refused before anything is sent: empty
//! path parameters, blank idempotency keys, operations whose credentials are
//! not configured, and base URLs or server variables that would send the
//! client somewhere else.

use api_clients::{klarna_payments, ksef, payrix, talon_one};
use clientgen_tests::security;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answering_anything() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([]))).mount(&server).await;
    server
}

async fn nothing_sent(server: &MockServer) {
    let received = server.received_requests().await.unwrap();
    assert!(received.is_empty(), "nothing may be sent, but {} request(s) were", received.len());
}

fn refusal<E: std::fmt::Debug>(result: Result<impl std::fmt::Debug, api_clients::runtime::Error<E>>) -> String {
    match result {
        Err(api_clients::runtime::Error::InvalidRequest(message)) => message,
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

#[tokio::test]
async fn empty_path_parameters_are_refused() {
    let server = answering_anything().await;
    let payrix = payrix::Client::builder(server.uri()).api_key("k").build().unwrap();
    let message = refusal(payrix.sessions().delete_sessions_id("").send().await);
    assert_eq!(message, "path parameter `id` is empty, which would change the path");
    let ksef = ksef::Client::builder(server.uri()).bearer_token("t").build().unwrap();
    let message = refusal(ksef.sessions().close_online_session("").send().await);
    assert_eq!(message, "path parameter `referenceNumber` is empty, which would change the path");
    nothing_sent(&server).await;
}

#[tokio::test]
async fn a_blank_idempotency_key_is_refused() {
    let server = answering_anything().await;
    let client = payrix::Client::builder(server.uri()).api_key("k").build().unwrap();
    let body = payrix::types::SessionsPostRequest::default();
    for blank in ["", "   ", "\t"] {
        let message = refusal(client.sessions().post_sessions(&body).request_token(blank).send().await);
        assert_eq!(
            message,
            "the idempotency key `request-token` is blank; a blank key cannot make the call safe to repeat",
            "{blank:?}"
        );
    }
    nothing_sent(&server).await;
}

#[tokio::test]
async fn an_operation_without_usable_credentials_is_refused_naming_the_schemes() {
    let server = answering_anything().await;
    // A username without its password satisfies none of postSessions' alternatives.
    let client = payrix::Client::builder(server.uri()).username("user").build().unwrap();
    let body = payrix::types::SessionsPostRequest::default();
    let message = refusal(client.sessions().post_sessions(&body).send().await);
    assert_eq!(
        message,
        "this operation needs credentials, and none of its security alternatives is configured; set one of: \
         `api_key` (security scheme apiKey); `session_key` (security scheme sessionKey); \
         `txn_session_key` (security scheme txnSessionKey); `username` and `password` (security scheme username + password)"
    );
    // Talon.One's v2 operations take only `api_key_v1`; the content signature is not enough.
    let talon = talon_one::Client::builder(server.uri()).integration_auth("322", "6a9f0c1e5b7d3a2f").build().unwrap();
    let profiles = talon_one::types::MultipleCustomerProfileIntegrationRequest::default();
    let message = refusal(talon.integration().update_customer_profiles_v2(&profiles).send().await);
    assert!(message.ends_with("set one of: `api_key_v1` (security scheme api_key_v1)"), "{message}");
    nothing_sent(&server).await;
}

#[tokio::test]
async fn a_token_a_header_cannot_carry_is_refused_at_build_without_showing_it() {
    let error = ksef::Client::builder("http://127.0.0.1:9").bearer_token("tok\r\nX-Injected: 1").build().unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid request: the credential set with `bearer_token` (security scheme Bearer) contains characters \
         a header cannot carry"
    );
}

#[tokio::test]
async fn operations_that_allow_anonymous_calls_are_sent_without_credentials() {
    let server = answering_anything().await;
    let client = security::Client::builder(server.uri()).build().unwrap();
    // `security: []`: no requirement at all.
    let status = client.system().get_status().send().await;
    assert!(!matches!(status, Err(security::Error::InvalidRequest(_))), "{status:?}");
    // `- {}` among the alternatives: anonymous access allowed.
    let feed = client.system().get_feed().send().await.unwrap();
    assert_eq!(feed.status(), 200);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| !r.headers.contains_key("X-API-Key")));
    // With the key configured, the first alternative is used.
    let keyed = security::Client::builder(server.uri()).api_key_header("hk").build().unwrap();
    keyed.system().get_feed().send().await.unwrap();
    assert_eq!(server.received_requests().await.unwrap()[2].headers["X-API-Key"], "hk");
}

#[test]
fn base_urls_that_would_misroute_requests_are_refused_at_build() {
    let refused = |url: &str| match klarna_payments::Client::builder(url).build() {
        Err(klarna_payments::Error::InvalidRequest(message)) => message,
        other => panic!("{url}: expected a refusal, got {other:?}"),
    };
    assert_eq!(
        refused("http://h.example/base?tenant=7"),
        "base URL `http://h.example/base?tenant=7` has a query or fragment; a base URL ends with its path"
    );
    assert_eq!(
        refused("http://h.example/base#top"),
        "base URL `http://h.example/base#top` has a query or fragment; a base URL ends with its path"
    );
    let message = refused("http://user:pa55word@h.example/base");
    assert_eq!(
        message,
        "base URL `http://<redacted>@h.example/base` carries user info; use the client's credential setters instead"
    );
    for url in ["not a url", "mailto:someone@example.com", "ftp://example.com"] {
        refused(url);
    }
    // The builder's Debug never shows the password either.
    let builder = klarna_payments::Client::builder("http://user:pa55word@h.example");
    assert!(!format!("{builder:?}").contains("pa55word"), "{builder:?}");
    // Surrounding whitespace (a newline from an environment file, say) is trimmed.
    let client = klarna_payments::Client::builder("  https://api.example.com/base/ \n").build().unwrap();
    assert_eq!(client.base_url(), "https://api.example.com/base");
}

#[test]
fn server_variables_must_stay_in_their_place() {
    assert_eq!(talon_one::servers::your_talon_one_deployment("acme-eu").unwrap(), "https://acme-eu.talon.one");
    for bad in ["evil.example/x", "evil.example#", "user@evil.example", "", "a b", "-acme", "acme.evil.example:8080"] {
        let result = talon_one::servers::your_talon_one_deployment(bad);
        assert!(matches!(result, Err(talon_one::Error::InvalidRequest(_))), "{bad:?}: {result:?}");
    }
}
