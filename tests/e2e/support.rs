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
