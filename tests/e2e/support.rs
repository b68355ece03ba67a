//! Helpers shared by the end-to-end tests.

use serde_json::Value;
use wiremock::{Match, Request};

/// Matches a request whose JSON body equals `expected` as JSON (key order and
/// whitespace do not matter, and a missing or extra field does).
pub struct JsonBody(pub Value);

impl Match for JsonBody {
    fn matches(&self, request: &Request) -> bool {
        serde_json::from_slice::<Value>(&request.body).is_ok_and(|body| body == self.0)
    }
}

/// Loads `components.examples`-style example values out of a spec: the
/// `example` at a JSON pointer of `specs/<name>.yaml`.
pub fn spec_example(spec: &str, pointer: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs").join(format!("{spec}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let json: Value = serde_json::to_value(yaml).unwrap();
    json.pointer(pointer).cloned().unwrap_or_else(|| panic!("{spec}.yaml has nothing at {pointer}"))
}

/// Like [`JsonBody`], for bodies whose typed fields write the same JSON value
/// in another spelling: see [`same_json`].
pub struct SameJsonBody(pub Value);

impl Match for SameJsonBody {
    fn matches(&self, request: &Request) -> bool {
        serde_json::from_slice::<Value>(&request.body).is_ok_and(|body| same_json(&body, &self.0))
    }
}

/// JSON equality up to the spelling of numbers: `24` and `24.0` are the same
/// JSON number (a `type: number` field is an `f64`, which writes `24.0`).
/// Everything else must be equal, with no field missing or extra.
pub fn same_json(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(l), Value::Number(r)) => l == r || l.as_f64().is_some_and(|l| r.as_f64() == Some(l)),
        (Value::Array(l), Value::Array(r)) => l.len() == r.len() && l.iter().zip(r).all(|(l, r)| same_json(l, r)),
        (Value::Object(l), Value::Object(r)) => {
            l.len() == r.len() && l.iter().all(|(key, l)| r.get(key).is_some_and(|r| same_json(l, r)))
        }
        _ => left == right,
    }
}

/// Mounts an answer of 503 with `Retry-After: 0` to the first request, and
/// `answer` to every later one.
pub async fn unavailable_once_then(server: &wiremock::MockServer, answer: wiremock::ResponseTemplate) {
    use wiremock::{Mock, ResponseTemplate, matchers::any};
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(any()).respond_with(answer).mount(server).await;
}

/// The one request the server received (panics unless there was exactly one).
pub async fn only_request(server: &wiremock::MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("request recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

/// The request's body as JSON.
pub fn json_of(request: &Request) -> Value {
    serde_json::from_slice(&request.body)
        .unwrap_or_else(|e| panic!("the body is not JSON ({e}): {}", String::from_utf8_lossy(&request.body)))
}

/// HMAC-MD5 in lowercase hex, written out from RFC 2104 with the bare MD5
/// hash: an independent check of the runtime's signatures (which use the
/// `hmac` crate).
pub fn hmac_md5_hex(key: &[u8], message: &[u8]) -> String {
    use md5::{Digest, Md5};
    let mut block = [0u8; 64];
    if key.len() > block.len() {
        block[..16].copy_from_slice(&Md5::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
    let inner = Md5::new().chain_update(pad(0x36)).chain_update(message).finalize();
    let outer = Md5::new().chain_update(pad(0x5c)).chain_update(inner).finalize();
    outer.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_independent_hmac_md5_matches_rfc_2202() {
    // RFC 2202, HMAC-MD5 test cases 2 and 6.
    assert_eq!(hmac_md5_hex(b"Jefe", b"what do ya want for nothing?"), "750c783e6ab0b503eaa86e310a5db738");
    assert_eq!(
        hmac_md5_hex(&[0xaa; 80], b"Test Using Larger Than Block-Size Key - Hash Key First"),
        "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd"
    );
}

/// Makes `n` calls with `call` at once, each on a task of its own, and
/// panics unless every one succeeded.
pub async fn all_at_once<F, Fut, T, E>(n: usize, call: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: std::fmt::Debug + Send + 'static,
{
    let tasks: Vec<_> = (0..n).map(|_| tokio::spawn(call())).collect();
    for task in tasks {
        task.await.expect("the call's task ran").expect("the call succeeded");
    }
}
