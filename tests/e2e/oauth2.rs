//! OAuth 2 client credentials from the spec's `clientCredentials` flow
//! (golden fixture `tokens`, whose `tokenUrl` is relative to the server):
//! one token request for any number of concurrent calls, `expires_in`
//! honoured, a `401` answered with one renewal, and every way a token
//! endpoint can answer badly a typed error that never shows the secret.

use std::time::Duration;

use clientgen_tests::runtime::{Error, RedirectPolicy, TokenError};
use clientgen_tests::tokens::{Client, ClientCredentials};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::all_at_once;

const SECRET: &str = "s3cr3t-shh";

/// `Basic base64("client-1:s3cr3t-shh")`.
const BASIC: &str = "Basic Y2xpZW50LTE6czNjcjN0LXNoaA==";

async fn token_endpoint(server: &MockServer, answer: ResponseTemplate) {
    Mock::given(method("POST")).and(path("/oauth/token")).respond_with(answer).mount(server).await;
}

fn token(expires_in: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": "at-1", "token_type": "Bearer", "expires_in": expires_in
    }))
}

async fn server_with_items() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items"))
        .and(header("authorization", "Bearer at-1"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri()).client_credentials(ClientCredentials::new("client-1", SECRET)).build().unwrap()
}

fn token_requests(requests: &[wiremock::Request]) -> Vec<&wiremock::Request> {
    requests.iter().filter(|request| request.url.path() == "/oauth/token").collect()
}

/// The token endpoint's error of a call, checked never to show the secret.
async fn token_error(client: &Client) -> String {
    let error = client.items().list_items().send().await.unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(SECRET), "{shown}");
    match error {
        Error::Credentials { scheme: "oauth", source } => match source.downcast::<TokenError>() {
            Ok(token_error) => format!("{token_error:?} | {token_error}"),
            Err(other) => panic!("expected a TokenError, got {other:?}"),
        },
        other => panic!("expected a credentials error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_calls_make_one_token_request() {
    let server = server_with_items().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("authorization", BASIC))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        // The scopes the operations list for the scheme, in order.
        .and(body_string("grant_type=client_credentials&scope=items%3Aread+items%3Awrite"))
        .respond_with(token(3600.into()).set_delay(Duration::from_millis(50)))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    all_at_once(50, || {
        let client = client.clone();
        async move { client.items().list_items().send().await }
    })
    .await;
    let requests = server.received_requests().await.unwrap();
    assert_eq!(token_requests(&requests).len(), 1);
    assert_eq!(requests.len(), 51);
}

#[tokio::test]
async fn the_secret_can_go_in_the_body_and_the_scopes_be_chosen() {
    let server = server_with_items().await;
    token_endpoint(&server, token(3600.into())).await;
    let credentials = ClientCredentials::new("client-1", SECRET).scopes(["items:read"]).secret_in_body();
    let client = Client::builder(server.uri()).client_credentials(credentials).build().unwrap();
    client.items().list_items().send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let request = token_requests(&requests)[0];
    assert!(!request.headers.contains_key("authorization"));
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "grant_type=client_credentials&scope=items%3Aread&client_id=client-1&client_secret=s3cr3t-shh"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_expired_token_is_fetched_again_once() {
    let server = server_with_items().await;
    // Lives one second: renewed half a second early at most.
    token_endpoint(&server, token(1.into())).await;
    let client = client(&server);
    client.items().list_items().send().await.unwrap();
    client.items().list_items().send().await.unwrap();
    assert_eq!(token_requests(&server.received_requests().await.unwrap()).len(), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    all_at_once(10, || {
        let client = client.clone();
        async move { client.items().list_items().send().await }
    })
    .await;
    assert_eq!(token_requests(&server.received_requests().await.unwrap()).len(), 2);
}

#[tokio::test]
async fn a_401_fetches_a_new_token_and_resends_once_and_a_second_is_returned() {
    let server = MockServer::start().await;
    // No `expires_in`: the token is kept until the API refuses it.
    token_endpoint(&server, token(serde_json::Value::Null)).await;
    Mock::given(method("GET")).and(path("/items")).respond_with(ResponseTemplate::new(401)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).and(path("/items")).respond_with(ResponseTemplate::new(200).set_body_string("[]")).mount(&server).await;
    let client = client(&server);
    client.items().list_items().send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(token_requests(&requests).len(), 2, "one renewal");
    assert_eq!(requests.len(), 4, "token, call, token, call again");

    let refusing = MockServer::start().await;
    token_endpoint(&refusing, token(3600.into())).await;
    Mock::given(method("GET")).and(path("/items")).respond_with(ResponseTemplate::new(401)).mount(&refusing).await;
    let error = client_for(&refusing).items().list_items().send().await.unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(401));
    let requests = refusing.received_requests().await.unwrap();
    assert_eq!(token_requests(&requests).len(), 2);
    assert_eq!(requests.len(), 4, "one resend, then the second 401 is returned");
}

fn client_for(server: &MockServer) -> Client {
    client(server)
}

#[tokio::test]
async fn a_malformed_expires_in_is_a_typed_error() {
    for expires_in in [serde_json::json!("soon"), serde_json::json!(-5), serde_json::json!(1.5), serde_json::json!({})] {
        let server = server_with_items().await;
        token_endpoint(&server, token(expires_in.clone())).await;
        let error = token_error(&client(&server)).await;
        assert!(error.starts_with("Malformed("), "{expires_in}: {error}");
        assert!(error.contains("`expires_in` is not a whole, non-negative number of seconds"), "{error}");
    }
    // One too long for the clock means no expiry, never an overflow.
    let server = server_with_items().await;
    token_endpoint(&server, token(u64::MAX.into())).await;
    client(&server).items().list_items().send().await.unwrap();
}

#[tokio::test]
async fn a_token_endpoint_answering_html_is_a_typed_error() {
    let server = server_with_items().await;
    let page = format!("<html><body>Sign in. {SECRET}</body></html>");
    token_endpoint(&server, ResponseTemplate::new(200).set_body_raw(page, "text/html")).await;
    let error = token_error(&client(&server)).await;
    assert!(error.ends_with("the token endpoint answered HTTP 200 OK with `text/html`, not a JSON token response"), "{error}");
}

#[tokio::test]
async fn an_oauth_error_is_a_typed_error_without_the_secret() {
    let server = server_with_items().await;
    let answer = serde_json::json!({"error": "invalid_client", "error_description": "unknown client"});
    token_endpoint(&server, ResponseTemplate::new(401).set_body_json(answer)).await;
    let error = token_error(&client(&server)).await;
    assert!(
        error.ends_with("the token endpoint answered HTTP 401 Unauthorized with OAuth error `invalid_client`: unknown client"),
        "{error}"
    );
    // No access token, or one of another type, is refused too.
    let server = server_with_items().await;
    token_endpoint(&server, ResponseTemplate::new(200).set_body_json(serde_json::json!({"access_token": "x", "token_type": "mac"}))).await;
    assert!(token_error(&client(&server)).await.contains("token type `mac` is not `bearer`"));
}

#[tokio::test]
async fn the_token_request_follows_the_clients_redirect_policy_and_size_limit() {
    let elsewhere = MockServer::start().await;
    token_endpoint(&elsewhere, token(3600.into())).await;
    let server = server_with_items().await;
    let moved = ResponseTemplate::new(307).insert_header("location", format!("{}/oauth/token", elsewhere.uri()));
    token_endpoint(&server, moved).await;
    let client = Client::builder(server.uri())
        .client_credentials(ClientCredentials::new("client-1", SECRET))
        .redirects(RedirectPolicy::same_origin(3))
        .build()
        .unwrap();
    let error = token_error(&client).await;
    assert!(error.contains("HTTP 307"), "{error}");
    assert!(elsewhere.received_requests().await.unwrap().is_empty(), "the secret never goes to another origin");

    let server = server_with_items().await;
    let huge = serde_json::json!({"access_token": "x".repeat(4096), "token_type": "bearer"});
    token_endpoint(&server, ResponseTemplate::new(200).set_body_json(huge)).await;
    let client = Client::builder(server.uri())
        .client_credentials(ClientCredentials::new("client-1", SECRET))
        .max_response_bytes(1024)
        .build()
        .unwrap();
    assert_eq!(token_error(&client).await, "TooLarge(1024) | the token endpoint's answer exceeds the limit of 1024 bytes");
}

#[tokio::test]
async fn no_secret_in_debug() {
    let server = server_with_items().await;
    token_endpoint(&server, token(3600.into())).await;
    let builder = Client::builder(server.uri()).client_credentials(ClientCredentials::new("client-1", SECRET));
    let shown = format!("{builder:?}");
    assert!(shown.contains("client-1") && !shown.contains(SECRET), "{shown}");
    let client = builder.build().unwrap();
    client.items().list_items().send().await.unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains(SECRET) && !shown.contains("at-1"), "{shown}");
}
