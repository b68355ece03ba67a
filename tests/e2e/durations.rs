//! Durations and waits never panic: `Duration::MAX` means "no limit" for the
//! timeout and the deadline, client-wide or per call, and whatever a server
//! writes in `Retry-After` (huge, negative, fractional, a date in year 9999)
//! is a wait that fits the deadline or an answer returned now.

use std::time::Duration;

use api_clients::payrix;
use api_clients::runtime::RetryPolicy;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn ok_body() -> serde_json::Value {
    serde_json::json!({"response": {"data": [], "errors": []}})
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is on")
}

#[tokio::test]
async fn duration_max_means_no_limit_client_wide_and_per_call() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(ok_body())).mount(&server).await;
    let client = payrix::Client::builder(server.uri())
        .api_key("k")
        .timeout(Duration::MAX)
        .deadline(Duration::MAX)
        .walk_deadline(Duration::MAX)
        .build()
        .unwrap();
    assert_eq!(client.sessions().get_sessions_id("s1").send().await.unwrap().status(), 200);

    let client = payrix::Client::builder(server.uri()).api_key("k").build().unwrap();
    let call = client.sessions().get_sessions_id("s1").timeout(Duration::MAX).deadline(Duration::MAX);
    assert_eq!(call.send().await.unwrap().status(), 200);
    let pages = client.sessions().get_sessions().walk_deadline(Duration::MAX).deadline(Duration::MAX).send().await;
    assert_eq!(pages.unwrap().status(), 200);
}

/// A client whose retry policy allows any wait, within a deadline of 5 s.
fn patient(server: &MockServer, initial_backoff: Duration) -> payrix::Client {
    let policy = RetryPolicy { max_retries: 1, initial_backoff, max_backoff: Duration::MAX };
    payrix::Client::builder(server.uri()).api_key("k").retry_policy(policy).deadline(Duration::from_secs(5)).build().unwrap()
}

#[tokio::test]
async fn a_retry_after_past_the_deadline_is_answered_now() {
    for asked in ["18446744073709551615", "Fri, 31 Dec 9999 23:59:59 GMT", "99999999999"] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", asked))
            .mount(&server)
            .await;
        let result = patient(&server, Duration::from_millis(10)).sessions().get_sessions_id("s1").send().await;
        assert_eq!(result.unwrap_err().status().map(|s| s.as_u16()), Some(503), "Retry-After: {asked}");
        assert_eq!(requests(&server).await.len(), 1, "no retry for Retry-After: {asked}");
    }
}

#[tokio::test]
async fn a_retry_after_that_is_not_a_number_of_seconds_or_a_date_falls_back_to_the_backoff() {
    for asked in ["-5", "1.5", "soon", ""] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", asked))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(ok_body())).mount(&server).await;
        let result = patient(&server, Duration::from_millis(10)).sessions().get_sessions_id("s1").send().await;
        assert_eq!(result.unwrap().status(), 200, "retried after the backoff for Retry-After: {asked:?}");
        assert_eq!(requests(&server).await.len(), 2);
    }
}

#[tokio::test]
async fn a_backoff_of_duration_max_is_answered_now() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let result = patient(&server, Duration::MAX).sessions().get_sessions_id("s1").send().await;
    assert_eq!(result.unwrap_err().status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests(&server).await.len(), 1);
}
