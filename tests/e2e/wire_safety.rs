//! What reaches the wire is exactly what the caller meant: parameters cannot
//! change the URL's structure, headers cannot be split, secrets never print.

use api_clients::klarna_payments::{self, Error};
use api_clients::talon_one;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn klarna(server: &MockServer) -> klarna_payments::Client {
    klarna_payments::Client::builder(server.uri())
        .basic_auth("K123456_abcd", "s3cr3t-password")
        .retries(0)
        .build()
        .unwrap()
}

async fn received_paths(server: &MockServer) -> Vec<String> {
    server.received_requests().await.unwrap().iter().map(|r| r.url.path().to_owned()).collect()
}

#[tokio::test]
async fn path_parameters_are_percent_encoded_into_one_segment() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(404)).mount(&server).await;
    let client = klarna(&server).await;
    for id in ["../admin?x=1#y", "a b/ż"] {
        let result = client.sessions().read_credit_session(id).send().await;
        assert!(matches!(result, Err(Error::Api(_) | Error::Decode { .. })), "{id}: {result:?}");
    }
    // URL normalization would drop these segments, so they are never sent.
    for id in ["..", "."] {
        let result = client.sessions().read_credit_session(id).send().await;
        assert!(matches!(result, Err(Error::InvalidRequest(_))), "{id}: {result:?}");
    }
    assert_eq!(
        received_paths(&server).await,
        vec!["/payments/v1/sessions/..%2Fadmin%3Fx%3D1%23y", "/payments/v1/sessions/a%20b%2F%C5%BC"]
    );
    let queries: Vec<Option<String>> =
        server.received_requests().await.unwrap().iter().map(|r| r.url.query().map(str::to_owned)).collect();
    assert_eq!(queries, vec![None, None], "nothing leaked into the query");
}

#[tokio::test]
async fn query_values_are_encoded() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = talon_one::Client::builder(server.uri()).api_key_v1("key").retries(0).build().unwrap();
    let body: talon_one::types::MultipleCustomerProfileIntegrationRequest = Default::default();
    let result = client.integration().update_customer_profiles_v2(&body).silent("yes&dry=true ü").send().await;
    assert!(result.is_ok(), "{result:?}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.query(), Some("silent=yes%26dry%3Dtrue%20%C3%BC"));
    let pairs: Vec<(String, String)> = requests[0].url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    assert_eq!(pairs, vec![("silent".to_owned(), "yes&dry=true ü".to_owned())]);
}

#[tokio::test]
async fn a_credential_with_cr_lf_is_refused_when_the_client_is_built() {
    let result = talon_one::Client::builder("http://127.0.0.1:9").api_key_v1("key\r\nX-Injected: yes").retries(0).build();
    let message = match result {
        Err(talon_one::Error::InvalidRequest(message)) => message,
        other => panic!("expected InvalidRequest, got {other:?}"),
    };
    assert_eq!(
        message,
        "the credential set with `api_key_v1` (security scheme api_key_v1) contains characters a header cannot carry"
    );
    assert!(!message.contains("X-Injected"), "the error must not echo the credential: {message}");
}

#[tokio::test]
async fn debug_and_display_never_show_credentials() {
    let builder = klarna_payments::Client::builder("https://api.example.com").basic_auth("K123456_abcd", "s3cr3t-password");
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let talon = talon_one::Client::builder("https://x.talon.one")
        .api_key_v1("k3y-v1-secret")
        .integration_auth("322", "5ec12e7aa5ec12e7")
        .build()
        .unwrap();
    for text in [builder_debug, format!("{client:?}"), format!("{talon:?}")] {
        for secret in ["s3cr3t-password", "k3y-v1-secret", "5ec12e7aa5ec12e7"] {
            assert!(!text.contains(secret), "{secret} shown in {text}");
        }
        assert!(text.contains("redacted"), "credentials are listed, redacted: {text}");
    }

    // Errors of a call that carried credentials: transport failure and API error.
    let unreachable = klarna_payments::Client::builder("http://127.0.0.1:9")
        .basic_auth("K123456_abcd", "s3cr3t-password")
        .retries(0)
        .build()
        .unwrap();
    let error = unreachable.sessions().read_credit_session("id").send().await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(403).set_body_json(serde_json::json!({"error_code": "FORBIDDEN"})))
        .mount(&server)
        .await;
    let api_error = klarna(&server).await.sessions().read_credit_session("id").send().await.unwrap_err();
    assert!(matches!(&api_error, Error::Api(response) if response.error_code == "FORBIDDEN"), "{api_error:?}");
    for text in [format!("{error}"), format!("{error:?}"), format!("{api_error}"), format!("{api_error:?}")] {
        assert!(!text.contains("s3cr3t-password"), "{text}");
        // The whole Basic credential, as it would appear encoded.
        assert!(!text.contains("SzEyMzQ1Nl9hYmNkOnMzY3IzdC1wYXNzd29yZA=="), "encoded credential shown in {text}");
    }
}

#[tokio::test]
async fn a_base_url_that_is_not_http_is_refused_at_build() {
    for url in ["not a url", "mailto:someone@example.com", "ftp://example.com"] {
        let result = klarna_payments::Client::builder(url).build();
        assert!(matches!(result, Err(Error::InvalidRequest(_))), "{url}: {result:?}");
    }
}
