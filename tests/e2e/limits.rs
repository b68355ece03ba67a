//! Bounded responses and an overall deadline per call: a server can neither
//! make a client buffer without end nor keep it waiting past its deadline.

use std::time::{Duration, Instant};

use api_clients::klarna_payments::{self, Error, RetryPolicy};
use api_clients::runtime::DEFAULT_MAX_RESPONSE_BYTES;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn klarna(base_url: &str) -> klarna_payments::ClientBuilder {
    klarna_payments::Client::builder(base_url).basic_auth("user", "password")
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_typed_error() {
    let server = MockServer::start().await;
    let big = "x".repeat(2 * 1024 * 1024);
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_string(big)).mount(&server).await;
    let client = klarna(&server.uri()).max_response_bytes(1024 * 1024).retries(0).build().unwrap();
    match client.sessions().read_credit_session("s").send().await {
        Err(Error::ResponseTooLarge { status, limit }) => {
            assert_eq!(status, 200);
            assert_eq!(limit, 1024 * 1024);
        }
        other => panic!("expected ResponseTooLarge, got {:?}", other.map(|_| ())),
    }
    assert_eq!(DEFAULT_MAX_RESPONSE_BYTES, 16 * 1024 * 1024, "the documented default");
}

/// A server that answers with a chunked body (no `Content-Length`) it would
/// keep sending for `total` bytes, and reports how many bytes it got to send
/// before the client hung up.
async fn endless_chunked_server(total: usize) -> (String, tokio::task::JoinHandle<usize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let served = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = vec![0u8; 4096];
        let _ = socket.read(&mut request).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        if socket.write_all(head.as_bytes()).await.is_err() {
            return 0;
        }
        let chunk = vec![b' '; 64 * 1024];
        let mut sent = 0;
        while sent < total {
            let framed = [format!("{:x}\r\n", chunk.len()).into_bytes(), chunk.clone(), b"\r\n".to_vec()].concat();
            if socket.write_all(&framed).await.is_err() {
                break;
            }
            sent += chunk.len();
        }
        sent
    });
    (format!("http://{address}"), served)
}

#[tokio::test]
async fn reading_stops_at_the_limit_when_no_length_is_announced() {
    let total = 512 * 1024 * 1024;
    let (base_url, served) = endless_chunked_server(total).await;
    let client = klarna(&base_url).max_response_bytes(256 * 1024).retries(0).build().unwrap();
    let result = client.sessions().read_credit_session("s").send().await;
    assert!(matches!(result, Err(Error::ResponseTooLarge { limit: 262_144, .. })), "{:?}", result.map(|_| ()));
    drop(client);
    let sent = served.await.unwrap();
    assert!(sent < total / 4, "the client kept reading: the server sent {sent} of {total} bytes");
}

#[tokio::test]
async fn errors_show_a_bounded_prefix_of_a_large_raw_body() {
    let server = MockServer::start().await;
    let body = format!("{}{}", "begin ", "y".repeat(200_000));
    Mock::given(any()).respond_with(ResponseTemplate::new(418).set_body_string(body)).mount(&server).await;
    let client = klarna(&server.uri()).retries(0).build().unwrap();
    let error = client.sessions().read_credit_session("s").send().await.unwrap_err();
    let (debug, display) = (format!("{error:?}"), format!("{error}"));
    for text in [&debug, &display] {
        assert!(text.len() < 2_000, "{} characters shown", text.len());
        assert!(text.contains("200006 bytes"), "the length is shown: {text}");
        assert!(text.contains("begin yyyy"), "a prefix is shown: {text}");
    }
    assert_eq!(error.raw_body().map(|body| body.len()), Some(200_006), "the whole body is kept");
}

#[tokio::test]
async fn the_deadline_covers_every_attempt_and_wait() {
    // Every answer asks to come back in a second; with a 1.5 s deadline only
    // one retry fits, and the second 503 is the answer.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "1"))
        .mount(&server)
        .await;
    let policy = RetryPolicy { max_retries: 10, initial_backoff: Duration::from_millis(10), max_backoff: Duration::from_secs(5) };
    let client = klarna(&server.uri()).retry_policy(policy).deadline(Duration::from_millis(1_500)).build().unwrap();
    let started = Instant::now();
    let result = client.sessions().read_credit_session("s").send().await;
    assert!(matches!(&result, Err(Error::UnexpectedStatus(response)) if response.status() == 503), "{:?}", result.map(|_| ()));
    assert!(started.elapsed() < Duration::from_millis(1_500), "took {:?}", started.elapsed());
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_stalled_attempt_ends_at_the_deadline_client_wide_and_per_call() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(20)))
        .mount(&server)
        .await;
    // The attempt timeout alone (30 s) would wait far longer.
    let client = klarna(&server.uri()).deadline(Duration::from_millis(300)).build().unwrap();
    let started = Instant::now();
    let result = client.sessions().read_credit_session("s").send().await;
    assert!(matches!(result, Err(Error::Timeout)), "{:?}", result.map(|_| ()));
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());

    let patient = klarna(&server.uri()).build().unwrap();
    let started = Instant::now();
    let result = patient.sessions().read_credit_session("s").deadline(Duration::from_millis(300)).send().await;
    assert!(matches!(result, Err(Error::Timeout)), "{:?}", result.map(|_| ()));
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
}
