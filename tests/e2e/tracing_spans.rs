//! The `tracing` feature: one span per call and one per attempt, with
//! OpenTelemetry's names for HTTP client attributes, captured by a
//! subscriber written here.

use std::sync::{Arc, Mutex};

use clientgen_tests::streams::Client;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::{MockServer, ResponseTemplate};

use crate::support::unavailable_once_then;

/// One span as the subscriber saw it: its name, parent and fields.
#[derive(Debug, Clone)]
struct Captured {
    id: u64,
    name: &'static str,
    parent: Option<u64>,
    fields: Vec<(String, String)>,
}

impl Captured {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(field, _)| field == name).map(|(_, value)| value.as_str())
    }
}

/// Records every span and every value recorded on it later.
#[derive(Default, Clone)]
struct Capture {
    spans: Arc<Mutex<Vec<Captured>>>,
    entered: Arc<Mutex<Vec<u64>>>,
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut spans = self.spans.lock().unwrap();
        let id = spans.len() as u64 + 1;
        let parent = match attributes.parent() {
            Some(parent) => Some(parent.into_u64()),
            None if attributes.is_contextual() => self.entered.lock().unwrap().last().copied(),
            None => None,
        };
        let mut fields = Vec::new();
        attributes.record(&mut Fields(&mut fields));
        spans.push(Captured { id, name: attributes.metadata().name(), parent, fields });
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        let captured = &mut spans[span.into_u64() as usize - 1];
        values.record(&mut Fields(&mut captured.fields));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, _: &Event<'_>) {}

    fn enter(&self, span: &Id) {
        self.entered.lock().unwrap().push(span.into_u64());
    }

    fn exit(&self, _: &Id) {
        self.entered.lock().unwrap().pop();
    }
}

#[tokio::test]
async fn a_call_has_one_span_and_each_attempt_one_below_it_with_opentelemetry_names_and_no_url() {
    let server = MockServer::start().await;
    unavailable_once_then(&server, ResponseTemplate::new(200).set_body_raw("bytes", "application/octet-stream")).await;
    let capture = Capture::default();
    let client = Client::builder(server.uri()).build().unwrap();
    {
        let _default = tracing::subscriber::set_default(capture.clone());
        let body = client.files().download_file("private-42").send().await.unwrap();
        assert_eq!(&body[..], b"bytes");
    }
    let spans = capture.spans.lock().unwrap().clone();
    let calls: Vec<&Captured> = spans.iter().filter(|span| span.name == "http.client.request").collect();
    assert_eq!(calls.len(), 1, "{spans:#?}");
    let call = calls[0];
    let port = server.address().port().to_string();
    for (name, value) in [
        ("operation.id", "downloadFile"),
        ("http.request.method", "GET"),
        ("url.template", "/files/{fileId}"),
        ("server.address", "127.0.0.1"),
        ("server.port", port.as_str()),
        ("otel.name", "GET /files/{fileId}"),
        ("otel.kind", "client"),
    ] {
        assert_eq!(call.field(name), Some(value), "{name} in {call:#?}");
    }
    let attempts: Vec<&Captured> = spans.iter().filter(|span| span.name == "http.client.attempt").collect();
    assert_eq!(attempts.len(), 2, "{spans:#?}");
    assert!(attempts.iter().all(|attempt| attempt.parent == Some(call.id)), "{spans:#?}");
    let summary: Vec<(Option<&str>, Option<&str>, Option<&str>)> = attempts
        .iter()
        .map(|a| (a.field("http.request.resend_count"), a.field("http.response.status_code"), a.field("retry.wait_ms")))
        .collect();
    assert_eq!(summary, [(Some("0"), Some("503"), Some("0")), (Some("1"), Some("200"), None)]);
    // The URL (its path carries the id; a query could carry an API key) is never recorded.
    for span in &spans {
        for (name, value) in &span.fields {
            assert!(!value.contains("private-42"), "{name} = {value} leaks the URL");
        }
    }
}
