//! Runtime paths the five APIs do not take, run on the wire through the
//! golden fixture clients (`clientgen_tests::{params, bodies, security}`):
//! every query style, arrays and objects in the path, cookies, form and
//! multipart bodies, API keys in the query and in a cookie, redaction, and the
//! retry rules for dates in `Retry-After` and for DELETE, HEAD and OPTIONS.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use clientgen_tests::params::types::{OrderFilter, Point, SearchOrdersStatus};
use clientgen_tests::runtime::RetryPolicy;
use clientgen_tests::{bodies, params, security};
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::only_request;

const QUICK: RetryPolicy =
    RetryPolicy { max_retries: 2, initial_backoff: Duration::from_millis(10), max_backoff: Duration::from_secs(5) };

async fn answering(status: u16, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(status).set_body_json(body)).mount(&server).await;
    server
}

fn orders(server: &MockServer) -> params::Client {
    params::Client::builder(server.uri()).retries(0).build().unwrap()
}

#[tokio::test]
async fn every_query_style_is_written_as_openapi_says() {
    let server = answering(200, serde_json::json!([])).await;
    let filter = OrderFilter::default().min_total(10.5).customer("Ann & Bo");
    orders(&server)
        .orders()
        .search_orders("s/1", "red shoes")
        .limit(5)
        .include_archived(true)
        .status(&SearchOrdersStatus::Shipped)
        .tags(&["new".into(), "on sale".into()])
        .ids(&[1, 2])
        .filter(&filter)
        .send()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/stores/s%2F1/orders");
    assert_eq!(
        request.url.query(),
        Some(
            "q=red%20shoes&limit=5&includeArchived=true&status=shipped\
             &tags=new%20on%20sale&ids=1%7C2\
             &filter%5BminTotal%5D=10.5&filter%5Bcustomer%5D=Ann%20%26%20Bo"
        )
    );
}

#[tokio::test]
async fn form_arrays_explode_or_join_with_literal_commas_and_cookies_are_encoded() {
    let server = answering(200, serde_json::json!({"number": 7, "total": 1.5})).await;
    orders(&server)
        .orders()
        .get_order("s1", 7)
        .expand(&["items".into(), "customer".into()])
        .fields(&["number".into(), "a,b".into()])
        .x_trace_sampled(true)
        .session("abc def;x=1")
        .send()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/stores/s1/orders/7");
    // The delimiter of `explode: false` is a literal comma; a comma inside a value is encoded.
    assert_eq!(request.url.query(), Some("expand=items&expand=customer&fields=number,a%2Cb"));
    assert_eq!(request.headers["x-trace-sampled"], "true");
    assert_eq!(request.headers["cookie"], "session=abc%20def%3Bx%3D1");
}

#[tokio::test]
async fn arrays_and_objects_in_the_path_use_the_simple_style() {
    let server = answering(204, serde_json::json!(null)).await;
    let origin = Point::new(-1, 2);
    orders(&server).grid().get_grid(&[1, 22, 333], &origin).send().await.unwrap();
    assert_eq!(only_request(&server).await.url.path(), "/grid/1,22,333/x,-1,y,2");
    let empty = orders(&server).grid().get_grid(&[], &origin).send().await;
    assert!(matches!(empty, Err(params::Error::InvalidRequest(_))), "an empty array would drop a segment: {empty:?}");
}

#[tokio::test]
async fn a_path_parameter_fills_only_its_own_placeholder() {
    let server = answering(204, serde_json::json!(null)).await;
    orders(&server).grid().get_neighbour("a/b", "{cell}").send().await.unwrap();
    assert_eq!(only_request(&server).await.url.path(), "/grid/a%2Fb/neighbours/%7Bcell%7D");
}

#[tokio::test]
async fn a_base_url_with_a_path_prefixes_every_operation_path() {
    let server = answering(200, serde_json::json!([])).await;
    let client = params::Client::builder(format!("{}/tenants/acme%20co/v2/", server.uri())).retries(0).build().unwrap();
    client.orders().search_orders("s/1", "red shoes").limit(5).send().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/tenants/acme%20co/v2/stores/s%2F1/orders");
    assert_eq!(request.url.query(), Some("q=red%20shoes&limit=5"));
}

#[tokio::test]
async fn a_query_in_the_path_key_is_joined_by_the_other_parameters() {
    let server = answering(204, serde_json::json!(null)).await;
    orders(&server).grid().look_up("a b&c").limit(3).send().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/lookup");
    assert_eq!(request.url.query(), Some("kind=a%20b%26c&limit=3"));
}

#[tokio::test]
async fn a_form_body_is_urlencoded() {
    let server = answering(200, serde_json::json!({"token": "t"})).await;
    let client = bodies::Client::builder(server.uri()).retries(0).build().unwrap();
    let body = bodies::types::LogInBody::new("ann", "p&ss w=rd").remember(true);
    client.sessions().log_in(&body).send().await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.headers["content-type"], "application/x-www-form-urlencoded");
    assert_eq!(String::from_utf8_lossy(&request.body), "username=ann&password=p%26ss+w%3Drd&remember=true");
}

fn attachment_form() -> reqwest::multipart::Form {
    let file = reqwest::multipart::Part::bytes(b"%PDF-1.7 fake".to_vec())
        .file_name("scan.pdf")
        .mime_str("application/pdf")
        .unwrap();
    reqwest::multipart::Form::new().text("caption", "Front page").part("file", file)
}

#[tokio::test]
async fn a_multipart_body_carries_its_fields_and_file_parts() {
    let server = answering(201, serde_json::json!({"id": "d1", "title": "t"})).await;
    let client = bodies::Client::builder(server.uri()).retries(0).build().unwrap();
    let _ = client.attachments().add_attachment("d1", attachment_form()).send().await;
    let request = only_request(&server).await;
    let content_type = request.headers["content-type"].to_str().unwrap().to_owned();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect(&content_type);
    let body = String::from_utf8_lossy(&request.body).replace("\r\n", "\n");
    let expected = format!(
        "--{boundary}\nContent-Disposition: form-data; name=\"caption\"\n\nFront page\n\
         --{boundary}\nContent-Disposition: form-data; name=\"file\"; filename=\"scan.pdf\"\n\
         Content-Type: application/pdf\n\n%PDF-1.7 fake\n--{boundary}--\n"
    );
    assert_eq!(body, expected);
}

#[tokio::test]
async fn a_multipart_body_is_never_retried_even_on_a_put() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = bodies::Client::builder(server.uri()).retry_policy(QUICK).build().unwrap();
    let result = client.attachments().replace_attachments("d1", attachment_form()).send().await;
    assert!(matches!(&result, Err(bodies::Error::UnexpectedStatus(r)) if r.status() == 503), "{result:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "a streamed body cannot be sent again");

    // The same PUT with a body that can be replayed (text) is retried.
    server.reset().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let _ = client.notes().replace_notes("d1", "notes").send().await;
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn api_keys_in_the_query_and_cookie_are_sent_and_never_shown() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/session")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    Mock::given(wiremock::matchers::path("/reports")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let seen_urls = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&seen_urls);
    let client = security::Client::builder(server.uri())
        .basic_auth("me", "basic-secret")
        .api_key_query("query-secret")
        .session_cookie("cookie-secret")
        .on_response(move |head| seen.lock().unwrap().push(head.url().to_string()))
        .retries(0)
        .build()
        .unwrap();
    client.invoices().download_report().send().await.unwrap();
    client.system().get_session().send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.query(), Some("api_key=query-secret"));
    assert_eq!(requests[1].headers["cookie"], "SESSION=cookie-secret");
    // Hooks see the URL without the key, so logging it is safe.
    assert_eq!(*seen_urls.lock().unwrap(), vec![format!("{}/reports", server.uri()), format!("{}/session", server.uri())]);

    let unreachable = security::Client::builder("http://127.0.0.1:9")
        .api_key_query("query-secret")
        .basic_auth("me", "basic-secret")
        .retries(0)
        .build()
        .unwrap();
    let error = unreachable.invoices().download_report().send().await.unwrap_err();
    assert!(matches!(error, security::Error::Transport(_)), "{error:?}");
    for text in [format!("{client:?}"), format!("{error}"), format!("{error:?}")] {
        for secret in ["query-secret", "cookie-secret", "basic-secret"] {
            assert!(!text.contains(secret), "{secret} shown in {text}");
        }
    }
}

#[tokio::test]
async fn bearer_tokens_are_never_shown() {
    let builder = security::Client::builder("http://127.0.0.1:9").bearer_auth("bearer-secret").retries(0);
    let builder_text = format!("{builder:?}");
    let client = builder.build().unwrap();
    let error = client.invoices().list_invoices().send().await.unwrap_err();
    for text in [builder_text, format!("{client:?}"), format!("{error}"), format!("{error:?}")] {
        assert!(!text.contains("bearer-secret"), "shown in {text}");
    }
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let server = MockServer::start().await;
    let when = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", when.as_str()))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([]))).with_priority(2).mount(&server).await;
    let client = params::Client::builder(server.uri()).retry_policy(QUICK).build().unwrap();
    let started = Instant::now();
    client.orders().search_orders("s", "q").send().await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    // The date has one-second resolution: the wait is between one and two seconds.
    assert!(started.elapsed() >= Duration::from_millis(900), "waited only {:?}", started.elapsed());
}

#[tokio::test]
async fn a_retry_after_beyond_the_maximum_backoff_ends_the_retries() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "120")).mount(&server).await;
    // The deadline would allow the wait; only the policy's maximum stops it.
    let client =
        params::Client::builder(server.uri()).retry_policy(QUICK).deadline(Duration::from_secs(600)).build().unwrap();
    // Answered at once, not after waiting: bounded so that a client that waits fails quickly.
    let result = tokio::time::timeout(Duration::from_secs(5), client.orders().search_orders("s", "q").send())
        .await
        .expect("the 429 is answered without waiting the 120 s it asks for");
    assert!(matches!(&result, Err(params::Error::UnexpectedStatus(r)) if r.status() == 429), "{result:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn delete_head_and_options_are_retried_like_get() {
    for (verb, expected) in [("DELETE", 204), ("HEAD", 200), ("OPTIONS", 204)] {
        let server = MockServer::start().await;
        Mock::given(method(verb)).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).with_priority(1).mount(&server).await;
        Mock::given(method(verb)).respond_with(ResponseTemplate::new(expected)).with_priority(2).mount(&server).await;
        let client = params::Client::builder(server.uri()).retry_policy(QUICK).build().unwrap();
        let status = match verb {
            "DELETE" => client.orders().cancel_order("s", 7, "mistake").send().await.map(|r| r.status()),
            "HEAD" => client.health().check_health().send().await.map(|r| r.status()),
            _ => client.health().health_options().send().await.map(|r| r.status()),
        };
        assert_eq!(status.unwrap(), expected, "{verb}");
        assert_eq!(server.received_requests().await.unwrap().len(), 2, "{verb} is retried once");
    }
}
