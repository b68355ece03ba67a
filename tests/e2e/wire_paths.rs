//! Runtime paths that only golden files covered before, on the wire:
//! the same-origin redirect limit, a 303 turning a POST into a GET, a gzip
//! body that inflates past the size limit, the backoff's growth and jitter,
//! and the standard `Idempotency-Key` header.

use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use api_clients::klarna_payments;
use api_clients::runtime::{RedirectPolicy, RetryPolicy};
use clientgen_tests::params;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn session() -> klarna_payments::types::SessionCreate {
    klarna_payments::types::SessionCreate::new(100, Vec::new(), "SE", "SEK")
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is on")
}

#[tokio::test]
async fn same_origin_redirects_are_followed_up_to_the_limit() {
    let server = MockServer::start().await;
    // Every path redirects to the next one on the same origin, forever.
    Mock::given(any())
        .respond_with(|request: &Request| {
            let next = format!("{}x", request.url.path());
            ResponseTemplate::new(302).insert_header("Location", next.as_str())
        })
        .mount(&server)
        .await;
    for hops in [1, 3] {
        let client = klarna_payments::Client::builder(server.uri())
            .basic_auth("K1", "pw")
            .redirects(RedirectPolicy::same_origin(hops))
            .retries(0)
            .build()
            .unwrap();
        let before = requests(&server).await.len();
        let result = client.sessions().read_credit_session("s1").send().await;
        assert_eq!(result.unwrap_err().status().map(|s| s.as_u16()), Some(302), "the last redirect is returned");
        assert_eq!(requests(&server).await.len() - before, hops + 1, "the request and {hops} redirect(s) followed");
    }
}

#[tokio::test]
async fn a_303_after_a_post_is_followed_with_a_get_without_the_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(303).insert_header("Location", "/payments/v1/sessions/s1"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/payments/v1/sessions/s1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"client_token": "t", "session_id": "s1"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = klarna_payments::Client::builder(server.uri())
        .basic_auth("K1", "pw")
        .redirects(RedirectPolicy::same_origin(2))
        .build()
        .unwrap();
    let created = client.sessions().create_credit_session(&session()).send().await.unwrap();
    assert_eq!(created.session_id, "s1");
    let sent = requests(&server).await;
    assert_eq!(sent[1].method.as_str(), "GET");
    assert!(sent[1].body.is_empty(), "the POST's body is not sent with the GET");
}

#[tokio::test]
async fn a_gzip_body_that_inflates_past_the_limit_is_refused() {
    let server = MockServer::start().await;
    // 4 MiB of JSON whitespace, a few KiB on the wire.
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&vec![b' '; 4 << 20]).unwrap();
    let compressed = encoder.finish().unwrap();
    assert!(compressed.len() < 64 * 1024);
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).insert_header("content-encoding", "gzip").set_body_raw(compressed, "application/json"))
        .mount(&server)
        .await;
    let client =
        klarna_payments::Client::builder(server.uri()).basic_auth("K1", "pw").max_response_bytes(64 * 1024).build().unwrap();
    match client.sessions().read_credit_session("s1").send().await {
        Err(klarna_payments::Error::ResponseTooLarge { status, limit }) => {
            assert_eq!((status.as_u16(), limit), (200, 64 * 1024));
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
}

#[test]
fn the_backoff_doubles_up_to_its_cap_with_equal_jitter() {
    let policy =
        RetryPolicy { max_retries: 10, initial_backoff: Duration::from_millis(100), max_backoff: Duration::from_millis(1000) };
    for (retry, full) in [(0, 100), (1, 200), (2, 400), (3, 800), (4, 1000), (9, 1000), (40, 1000)] {
        let full = Duration::from_millis(full);
        let waits: Vec<Duration> = (0..200).map(|_| policy.backoff(retry)).collect();
        assert!(waits.iter().all(|wait| *wait >= full / 2 && *wait <= full), "retry {retry}: {waits:?}");
        let distinct: std::collections::BTreeSet<_> = waits.iter().collect();
        assert!(distinct.len() > 100, "retry {retry}: the random half varies ({} distinct waits)", distinct.len());
    }
    assert_eq!(RetryPolicy::NONE.backoff(3), Duration::ZERO);
}

#[tokio::test]
async fn retries_wait_at_least_the_fixed_half_of_the_growing_backoff() {
    let server = MockServer::start().await;
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&arrivals);
    Mock::given(any())
        .respond_with(move |_: &Request| {
            seen.lock().unwrap().push(Instant::now());
            ResponseTemplate::new(503)
        })
        .mount(&server)
        .await;
    let policy = RetryPolicy { max_retries: 3, initial_backoff: Duration::from_millis(80), max_backoff: Duration::from_secs(5) };
    let client = klarna_payments::Client::builder(server.uri()).basic_auth("K1", "pw").retry_policy(policy).build().unwrap();
    let _ = client.sessions().read_credit_session("s1").send().await;
    let arrivals = arrivals.lock().unwrap();
    assert_eq!(arrivals.len(), 4, "the first attempt and three retries");
    for (retry, pair) in arrivals.windows(2).enumerate() {
        let least = Duration::from_millis(40 << retry);
        assert!(pair[1] - pair[0] >= least, "retry {retry} came after {:?}, before {least:?}", pair[1] - pair[0]);
    }
}

#[tokio::test]
async fn the_standard_idempotency_key_makes_a_post_retryable_and_is_sent_on_each_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "o1"}))).mount(&server).await;
    let policy = clientgen_tests::runtime::RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_secs(1),
    };
    let client = params::Client::builder(server.uri()).retry_policy(policy).build().unwrap();
    let order = params::types::Order::new(7, 19.5);
    let _ = client.orders().create_order("store-1", &order).idempotency_key("key-7").send().await;
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2, "retried once after the 503");
    assert!(sent.iter().all(|request| request.headers["idempotency-key"] == "key-7"));

    // Without the key, the POST is sent once; a blank key is refused.
    let before = sent.len();
    let once = client.orders().create_order("store-1", &order).send().await;
    assert_eq!(requests(&server).await.len(), before + 1, "{once:?}");
    let blank = client.orders().create_order("store-1", &order).idempotency_key("  ").send().await;
    assert!(matches!(blank, Err(params::Error::InvalidRequest(_))), "{blank:?}");
}
