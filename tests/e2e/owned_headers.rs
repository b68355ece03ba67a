//! Headers the HTTP client owns: `Content-Length`, `Transfer-Encoding`,
//! `Host`, `Connection` and the other hop-by-hop headers frame the message, so
//! a call or a hook that sets one is refused before anything is sent (a
//! `Content-Length: 0` before a body would cut it on the wire). Every other
//! header set on the call wins over the runtime's: `Content-Type`,
//! `Authorization`.

use api_clients::klarna_payments;
use api_clients::klarna_payments::types::SessionCreate;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answering_anything() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({}))).mount(&server).await;
    server
}

fn body() -> SessionCreate {
    SessionCreate::new(100, Vec::new(), "SE", "SEK")
}

fn refusal<T: std::fmt::Debug, E: std::fmt::Debug>(result: Result<T, api_clients::runtime::Error<E>>) -> String {
    match result {
        Err(api_clients::runtime::Error::InvalidRequest(message)) => message,
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

#[tokio::test]
async fn a_call_cannot_set_the_headers_that_frame_the_message() {
    let server = answering_anything().await;
    let client = klarna_payments::Client::builder(server.uri()).basic_auth("u", "p").retries(0).build().unwrap();
    for name in ["Content-Length", "transfer-encoding", "Host", "Connection", "Keep-Alive", "Upgrade", "TE"] {
        let call = client.sessions().create_credit_session(&body()).header(name, "0");
        let message = refusal(call.send().await);
        assert_eq!(
            message,
            format!(
                "header `{}` frames the message on the wire and is set by the HTTP client, not by a call",
                name.to_ascii_lowercase()
            )
        );
    }
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing is sent");
}

#[tokio::test]
async fn a_hook_cannot_set_the_headers_that_frame_the_message() {
    let server = answering_anything().await;
    let client = klarna_payments::Client::builder(server.uri())
        .basic_auth("u", "p")
        .retries(0)
        .on_request(|request| {
            request.headers_mut().insert("content-length", "0".parse().unwrap());
            Ok(())
        })
        .build()
        .unwrap();
    let message = refusal(client.sessions().create_credit_session(&body()).send().await);
    assert_eq!(
        message,
        "a request hook set `content-length`, which frames the message on the wire and is set by the HTTP client alone"
    );
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing is sent");
}

#[tokio::test]
async fn a_content_type_or_authorization_set_on_the_call_wins() {
    let server = answering_anything().await;
    let client = klarna_payments::Client::builder(server.uri()).basic_auth("u", "p").retries(0).build().unwrap();
    let _ = client
        .sessions()
        .create_credit_session(&body())
        .header("Content-Type", "application/vnd.klarna+json")
        .header("Authorization", "Bearer per-call")
        .send()
        .await;
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].headers["content-type"], "application/vnd.klarna+json");
    assert_eq!(requests[0].headers["authorization"], "Bearer per-call");
    assert_eq!(requests[0].headers.get_all("content-type").iter().count(), 1);
    let sent: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(sent["order_amount"], 100, "the body goes out whole");
}
