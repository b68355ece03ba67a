//! Which kind of document this is: Swagger 2.0, OpenAPI 3.0 or 3.1.

use serde_json::Value;

use crate::diagnostics::Reporter;

/// The versions clientgen reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// Swagger 2.0: upgraded to 3.0.
    Swagger2,
    /// OpenAPI 3.0.x: read as it is.
    OpenApi30,
    /// OpenAPI 3.1.x (and 3.2.x, read as 3.1): upgraded to 3.0.
    OpenApi31,
}

/// The version of `raw`, or `None` after reporting why it is not one clientgen reads.
pub fn detect(raw: &Value, reporter: &mut Reporter<'_>) -> Option<Version> {
    let Value::Object(root) = raw else {
        reporter.error("", "the document must be a mapping with an `openapi` or `swagger` field");
        return None;
    };
    if let Some(swagger) = root.get("swagger") {
        return match swagger {
            Value::String(version) if version == "2.0" => Some(Version::Swagger2),
            other => {
                reporter.error(
                    "/swagger",
                    format!("unsupported version: Swagger {}; clientgen reads Swagger 2.0 and OpenAPI 3.0 and 3.1", scalar(other)),
                );
                None
            }
        };
    }
    match root.get("openapi") {
        None => {
            reporter.error("", "missing `openapi` field: this is not an OpenAPI document");
            None
        }
        Some(Value::String(version)) if version.starts_with("3.0") => Some(Version::OpenApi30),
        Some(Value::String(version)) if version.starts_with("3.1") => Some(Version::OpenApi31),
        Some(Value::String(version)) if version.starts_with("3.2") => {
            reporter.warning("/openapi", format!("OpenAPI {version} is read as 3.1; what 3.2 adds is ignored"));
            Some(Version::OpenApi31)
        }
        Some(version) => {
            reporter.error(
                "/openapi",
                format!("unsupported version: OpenAPI {}; clientgen reads Swagger 2.0 and OpenAPI 3.0 and 3.1", scalar(version)),
            );
            None
        }
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
