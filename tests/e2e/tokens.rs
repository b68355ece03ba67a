//! Credentials from a provider (golden fixture `tokens`): cached, asked once
//! for any number of concurrent calls, renewed when they expire and once on a
//! `401`, with the provider's errors typed and its secrets never shown.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use clientgen_tests::runtime::{CredentialFuture, CredentialProvider, Error};
use clientgen_tests::tokens::{Client, Token};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::all_at_once;

/// A provider handing out `t1`, `t2`, … each living `lifetime`, counting how
/// often it was asked; it takes a moment, as a real one does.
fn counting(lifetime: Option<Duration>) -> (Arc<AtomicUsize>, impl CredentialProvider) {
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&asked);
    let provider = move || -> CredentialFuture<'static> {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            let token = Token::new(format!("t{n}"));
            Ok(match lifetime {
                Some(lifetime) => token.expires_in(lifetime),
                None => token,
            })
        })
    };
    (asked, provider)
}

/// A provider failing with `message` after a moment, counting how often it was asked.
fn failing(message: &'static str) -> (Arc<AtomicUsize>, impl CredentialProvider) {
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&asked);
    let provider = move || -> CredentialFuture<'static> {
        counter.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            Err(message.into())
        })
    };
    (asked, provider)
}

async fn items_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/items")).respond_with(ResponseTemplate::new(200).set_body_string("[]")).mount(&server).await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_calls_ask_the_provider_once() {
    let server = items_server().await;
    let (asked, provider) = counting(None);
    let client = Client::builder(server.uri()).bearer_token_provider(provider).build().unwrap();
    all_at_once(50, || {
        let client = client.clone();
        async move { client.items().list_items().send().await }
    })
    .await;
    assert_eq!(asked.load(Ordering::SeqCst), 1);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 50);
    assert!(requests.iter().all(|request| request.headers["authorization"] == "Bearer t1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_expired_token_is_renewed_once_for_all_the_calls_after_it() {
    let server = items_server().await;
    let (asked, provider) = counting(Some(Duration::from_secs(1)));
    let client =
        Client::builder(server.uri()).bearer_token_provider(provider).refresh_skew(Duration::ZERO).build().unwrap();
    client.items().list_items().send().await.unwrap();
    client.items().list_items().send().await.unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 1, "a fresh token is reused");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    all_at_once(10, || {
        let client = client.clone();
        async move { client.items().list_items().send().await }
    })
    .await;
    assert_eq!(asked.load(Ordering::SeqCst), 2, "one renewal for the ten calls");
    let requests = server.received_requests().await.unwrap();
    assert!(requests[2..].iter().all(|request| request.headers["authorization"] == "Bearer t2"));
}

#[tokio::test]
async fn a_token_is_renewed_before_it_expires_by_the_skew() {
    let server = items_server().await;
    // Lives 10 s; renewed at most half its lifetime early, so 5 s from now.
    let (asked, provider) = counting(Some(Duration::from_secs(10)));
    let client = Client::builder(server.uri()).bearer_token_provider(provider).build().unwrap();
    client.items().list_items().send().await.unwrap();
    client.items().list_items().send().await.unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 1);
    let (asked, provider) = counting(Some(Duration::from_secs(10)));
    // A skew longer than the lifetime would renew it on every call; at most half is taken.
    let client = Client::builder(server.uri())
        .bearer_token_provider(provider)
        .refresh_skew(Duration::from_secs(3600))
        .build()
        .unwrap();
    client.items().list_items().send().await.unwrap();
    client.items().list_items().send().await.unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_401_renews_the_token_and_sends_the_call_once_more() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/items"))
        .and(header("authorization", "Bearer t1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/items"))
        .and(header("authorization", "Bearer t2"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let (asked, provider) = counting(None);
    let client = Client::builder(server.uri()).bearer_token_provider(provider).build().unwrap();
    // A POST without idempotency key is never retried, but a 401 means it was not taken.
    client.items().add_item(&"pen".to_owned()).send().await.unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 2);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].body, b"\"pen\"", "the body is sent again");
    // The renewed token is kept.
    client.items().add_item(&"ink".to_owned()).send().await.unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_second_401_is_returned_as_the_apis_answer() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/items")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let (asked, provider) = counting(None);
    let client = Client::builder(server.uri()).bearer_token_provider(provider).build().unwrap();
    // Were the second 401 answered with another renewal, the call would go round until its deadline.
    let error = client.items().list_items().deadline(Duration::from_secs(5)).send().await.unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.status() == 401), "{error:?}");
    assert_eq!(asked.load(Ordering::SeqCst), 2, "one renewal");
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "one resend");
}

#[tokio::test]
async fn a_fixed_token_answered_401_is_not_resent() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/items")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let client = Client::builder(server.uri()).bearer_token("fixed").build().unwrap();
    client.items().list_items().send().await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_provider_error_is_typed_and_nothing_is_sent() {
    let server = items_server().await;
    let (asked, provider) = failing("the vault is sealed");
    let client = Client::builder(server.uri()).bearer_token_provider(provider).build().unwrap();
    let error = client.items().list_items().send().await.unwrap_err();
    match &error {
        Error::Credentials { scheme, source } => {
            assert_eq!(*scheme, "oauth");
            assert_eq!(source.to_string(), "the vault is sealed");
        }
        other => panic!("expected a credentials error, got {other:?}"),
    }
    assert_eq!(error.to_string(), "could not obtain the credential of security scheme `oauth`: the vault is sealed");
    assert!(server.received_requests().await.unwrap().is_empty());
    // An error is not cached: the next call asks again.
    client.items().list_items().send().await.unwrap_err();
    assert_eq!(asked.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failing_provider_is_asked_once_by_the_calls_waiting_together() {
    let server = items_server().await;
    let (asked, provider) = failing("the identity provider is down");
    let client = Client::builder(server.uri()).bearer_token_provider(provider).build().unwrap();
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.items().list_items().send().await.map(|_| ()) })
        })
        .collect();
    for call in calls {
        let error = call.await.unwrap().unwrap_err();
        assert_eq!(error.to_string(), "could not obtain the credential of security scheme `oauth`: the identity provider is down");
    }
    assert_eq!(asked.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_api_key_provider_sends_its_key_with_the_prefix_and_never_shows_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/keyed"))
        .and(header("x-api-key", "Key k-secret-1"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let builder = Client::builder(server.uri()).key_provider(|| async { Ok(Token::new("k-secret-1")) });
    assert!(!format!("{builder:?}").contains("k-secret-1"));
    let client = builder.build().unwrap();
    client.keyed().get_keyed().send().await.unwrap();
    assert!(!format!("{client:?}").contains("k-secret-1"), "{client:?}");
    assert!(!format!("{:?}", Token::new("k-secret-1")).contains("k-secret-1"));
}

/// The provider KSeF's guide shows (`x-token-refresh`), against a stand-in:
/// the refresh token buys an access token, which the calls then carry.
#[tokio::test]
async fn ksefs_refresh_token_provider_from_its_guide_works_on_the_wire() {
    use std::time::SystemTime;

    use api_clients::ksef::{self, types::SessionType};
    let server = MockServer::start().await;
    let valid_until = chrono::DateTime::<chrono::Utc>::from(SystemTime::now() + Duration::from_secs(900)).to_rfc3339();
    Mock::given(method("POST"))
        .and(path("/api/v2/auth/token/refresh"))
        .and(header("authorization", "Bearer refresh-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "accessToken": {"token": "access-1", "validUntil": valid_until}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/sessions"))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"sessions": []})))
        .expect(2)
        .mount(&server)
        .await;
    // The guide's code, with the stand-in as the server.
    let refresh_token: Arc<str> = Arc::from("refresh-1");
    let refresh_url = format!("{}/api/v2/auth/token/refresh", server.uri());
    let http = reqwest::Client::new();
    let client = ksef::Client::builder(server.uri())
        .bearer_token_provider(move || {
            let (http, url, refresh_token) = (http.clone(), refresh_url.clone(), Arc::clone(&refresh_token));
            async move {
                let answer = http.post(url).bearer_auth(&*refresh_token).send().await?.error_for_status()?.bytes().await?;
                let answer: serde_json::Value = serde_json::from_slice(&answer)?;
                let text = |pointer: &str| answer.pointer(pointer).and_then(serde_json::Value::as_str);
                let token = text("/accessToken/token").ok_or("the answer has no access token")?;
                let expiry = text("/accessToken/validUntil").ok_or("the answer has no expiry")?;
                let expiry = SystemTime::from(chrono::DateTime::parse_from_rfc3339(expiry)?);
                let lifetime = expiry.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO);
                Ok(ksef::Token::new(token).expires_in(lifetime))
            }
        })
        .build()
        .unwrap();
    for _ in 0..2 {
        client.sessions().get_session_list(&SessionType::Online).send().await.unwrap();
    }
}
