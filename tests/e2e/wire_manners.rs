//! Wire manners: a `User-Agent`, compressed responses, text in the charset
//! the server names, and JSON after a byte order mark.

use std::io::Write;

use api_clients::{klarna_payments, ksef};
use wiremock::matchers::{any, header};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn klarna(server: &MockServer) -> klarna_payments::ClientBuilder {
    klarna_payments::Client::builder(server.uri()).basic_auth("user", "password").retries(0)
}

fn session_json() -> serde_json::Value {
    serde_json::json!({"status": "incomplete", "purchase_country": "SE", "acquiring_channel": "ECOMMERCE"})
}

#[tokio::test]
async fn a_user_agent_names_the_crate_unless_the_caller_names_another() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(session_json())).mount(&server).await;
    klarna(&server).build().unwrap().sessions().read_credit_session("s").send().await.unwrap();
    klarna(&server).user_agent("shop-backend/4.2").build().unwrap().sessions().read_credit_session("s").send().await.unwrap();
    let agents: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers["user-agent"].to_str().unwrap().to_owned())
        .collect();
    // The crate's name and version, as clientgen.toml sets them.
    assert_eq!(agents, vec!["api-clients/0.1.0", "shop-backend/4.2"]);
}

#[tokio::test]
async fn a_header_set_on_the_call_replaces_the_credential_of_the_same_name() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(session_json())).mount(&server).await;
    let client = klarna(&server).build().unwrap();
    client.sessions().read_credit_session("s").send().await.unwrap();
    client.sessions().read_credit_session("s").header("Authorization", "Basic b3RoZXI6b25l").send().await.unwrap();
    let sent: Vec<Vec<String>> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers.get_all("authorization").iter().map(|v| v.to_str().unwrap().to_owned()).collect())
        .collect();
    // base64("user:password"), then the call's own value alone.
    assert_eq!(sent, [vec!["Basic dXNlcjpwYXNzd29yZA==".to_owned()], vec!["Basic b3RoZXI6b25l".to_owned()]]);
}

#[tokio::test]
async fn gzip_responses_are_asked_for_and_decoded() {
    let server = MockServer::start().await;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(session_json().to_string().as_bytes()).unwrap();
    let compressed = encoder.finish().unwrap();
    Mock::given(header("accept-encoding", "gzip"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", "gzip")
                .set_body_raw(compressed, "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let session = klarna(&server).build().unwrap().sessions().read_credit_session("s").send().await.unwrap();
    assert_eq!(session.purchase_country.as_deref(), Some("SE"));
}

#[tokio::test]
async fn text_is_decoded_in_the_charset_the_server_names() {
    let server = MockServer::start().await;
    let upo = "<Potwierdzenie>Zażółć gęślą jaźń</Potwierdzenie>";
    let (latin2, _, unmappable) = encoding_rs::ISO_8859_2.encode(upo);
    assert!(!unmappable);
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(latin2.into_owned(), "application/xml; charset=ISO-8859-2"))
        .mount(&server)
        .await;
    let client = ksef::Client::builder(server.uri()).bearer_token("t").retries(0).build().unwrap();
    let document = client.sessions().get_session_upo("r", "u").send().await.unwrap();
    assert_eq!(document.as_str(), upo);
}

#[tokio::test]
async fn text_that_is_not_in_its_charset_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0x3c, 0xff, 0xfe, 0x3e], "application/xml"))
        .mount(&server)
        .await;
    let client = ksef::Client::builder(server.uri()).bearer_token("t").retries(0).build().unwrap();
    let result = client.sessions().get_session_upo("r", "u").send().await;
    assert!(matches!(result, Err(ksef::Error::Decode { .. })), "{result:?}");
}

#[tokio::test]
async fn json_after_a_byte_order_mark_decodes() {
    let server = MockServer::start().await;
    let body = [b"\xEF\xBB\xBF".as_slice(), session_json().to_string().as_bytes()].concat();
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json")).mount(&server).await;
    let session = klarna(&server).build().unwrap().sessions().read_credit_session("s").send().await.unwrap();
    assert_eq!(session.purchase_country.as_deref(), Some("SE"));
}
