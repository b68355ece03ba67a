//! The five hand-maintained specs: each parses as OpenAPI 3.0.3, every `$ref`
//! resolves, and the operation inventory is exactly the one `DESIGN.md` fixes,
//! so an edit that drops or renames an operation fails CI.

use std::path::Path;

use openapiv3::OpenAPI;
use serde_json::Value;

/// (spec, method, path, operationId), as in DESIGN.md's table and the seeds.
const INVENTORY: &[(&str, &str, &str, &str)] = &[
    ("klarna-payments", "post", "/payments/v1/sessions", "createCreditSession"),
    ("klarna-payments", "get", "/payments/v1/sessions/{session_id}", "readCreditSession"),
    ("klarna-payments", "post", "/payments/v1/sessions/{session_id}", "updateCreditSession"),
    ("payrix", "get", "/sessions/{id}", "getSessionsId"),
    ("payrix", "delete", "/sessions/{id}", "deleteSessionsId"),
    ("payrix", "get", "/sessions", "getSessions"),
    ("payrix", "post", "/sessions", "postSessions"),
    ("inbank", "post", "/partner/v3/shops/{shopUuid}/pos-sessions", "createPosSession"),
    ("talon-one", "post", "/v1/coupon_reservations/{couponValue}", "createCouponReservation"),
    ("talon-one", "post", "/v1/referrals", "createReferral"),
    ("talon-one", "delete", "/v1/coupon_reservations/{couponValue}", "deleteCouponReservation"),
    ("talon-one", "delete", "/v1/customer_data/{integrationId}", "deleteCustomerData"),
    ("talon-one", "get", "/v1/customer_profiles/{integrationId}/inventory", "getCustomerInventory"),
    ("talon-one", "get", "/v1/coupon_reservations/customerprofiles/{couponValue}", "getReservedCustomers"),
    ("talon-one", "post", "/v1/events", "trackEvent"),
    ("talon-one", "put", "/v1/customer_profiles/{integrationId}", "updateCustomerProfile"),
    ("talon-one", "post", "/v2/customer_audiences", "updateCustomerProfileAudiences"),
    ("talon-one", "put", "/v2/customer_profiles/{integrationId}", "updateCustomerProfileV2"),
    ("talon-one", "put", "/v2/customer_profiles", "updateCustomerProfilesV2"),
    ("talon-one", "put", "/v1/customer_sessions/{customerSessionId}", "updateCustomerSession"),
    ("talon-one", "put", "/v2/customer_sessions/{customerSessionId}", "updateCustomerSessionV2"),
    ("ksef", "get", "/api/v2/sessions", "getSessionList"),
    ("ksef", "get", "/api/v2/sessions/{referenceNumber}", "getSessionStatus"),
    ("ksef", "get", "/api/v2/sessions/{referenceNumber}/upo/{upoReferenceNumber}", "getSessionUpo"),
    ("ksef", "post", "/api/v2/sessions/online", "openOnlineSession"),
    ("ksef", "post", "/api/v2/sessions/online/{referenceNumber}/close", "closeOnlineSession"),
    ("ksef", "post", "/api/v2/sessions/batch/{referenceNumber}/close", "closeBatchSession"),
];

const SPECS: &[&str] = &["klarna-payments", "payrix", "inbank", "talon-one", "ksef"];

/// The tag every operation of a spec carries first.
fn tag(spec: &str) -> &'static str {
    match spec {
        "inbank" => "pos-sessions",
        "talon-one" => "integration",
        _ => "sessions",
    }
}

fn load(spec: &str) -> (OpenAPI, Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs").join(format!("{spec}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let openapi: OpenAPI = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{spec}.yaml is not OpenAPI 3.0: {e}"));
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    (openapi, serde_json::to_value(yaml).unwrap())
}

fn references<'v>(node: &'v Value, found: &mut Vec<&'v str>) {
    match node {
        Value::Object(fields) => {
            if let Some(Value::String(target)) = fields.get("$ref") {
                found.push(target);
            }
            fields.values().for_each(|child| references(child, found));
        }
        Value::Array(items) => items.iter().for_each(|child| references(child, found)),
        _ => {}
    }
}

#[test]
fn specs_are_openapi_3_0_3_with_every_reference_resolved() {
    for spec in SPECS {
        let (openapi, raw) = load(spec);
        assert_eq!(openapi.openapi, "3.0.3", "{spec}.yaml");
        let mut targets = Vec::new();
        references(&raw, &mut targets);
        assert!(!targets.is_empty(), "{spec}.yaml uses no $ref at all");
        for target in targets {
            let pointer = target.strip_prefix('#').unwrap_or_else(|| panic!("{spec}.yaml: external $ref {target}"));
            assert!(raw.pointer(pointer).is_some(), "{spec}.yaml: dangling $ref {target}");
        }
    }
}

#[test]
fn operation_inventory_matches_the_design() {
    for spec in SPECS {
        let (openapi, _) = load(spec);
        let mut found: Vec<(String, String, String)> = Vec::new();
        for (path, item) in &openapi.paths.paths {
            let item = item.as_item().unwrap_or_else(|| panic!("{spec}.yaml: {path} is a $ref"));
            for (method, operation) in item.iter() {
                let id = operation.operation_id.clone().unwrap_or_else(|| panic!("{spec}.yaml: {method} {path} has no operationId"));
                assert_eq!(operation.tags.first().map(String::as_str), Some(tag(spec)), "{spec}.yaml: tag of {id}");
                found.push((method.to_owned(), path.clone(), id));
            }
        }
        found.sort();
        let mut expected: Vec<(String, String, String)> = INVENTORY
            .iter()
            .filter(|(s, ..)| s == spec)
            .map(|(_, method, path, id)| ((*method).to_owned(), (*path).to_owned(), (*id).to_owned()))
            .collect();
        expected.sort();
        assert_eq!(found, expected, "{spec}.yaml operations");
    }
    assert_eq!(INVENTORY.len(), 27);
}
