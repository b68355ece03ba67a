//! The five hand-maintained specs: each parses as OpenAPI 3.0.3, every `$ref`
//! resolves, and their operations are exactly those of the README's table, so
//! an edit that drops or renames an operation fails CI.

use std::path::Path;

use openapiv3::OpenAPI;
use serde_json::Value;

/// (spec, method, path, operationId), read from the table between the
/// `operations:start` and `operations:end` markers of the README.
fn inventory() -> Vec<(String, String, String, String)> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md")).unwrap();
    let table = readme
        .split("<!-- operations:start -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- operations:end -->").next())
        .expect("README.md has the operations table between its markers");
    table
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("| spec") && !line.starts_with("| ---"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let (method, path) = cells[1].split_once(' ').unwrap_or_else(|| panic!("README row {line}"));
            (
                cells[0].to_owned(),
                method.to_ascii_lowercase(),
                path.trim_matches('`').to_owned(),
                cells[2].trim_matches('`').to_owned(),
            )
        })
        .collect()
}

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
fn operations_are_those_the_readme_lists() {
    let inventory = inventory();
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
        let mut expected: Vec<(String, String, String)> = inventory
            .iter()
            .filter(|(s, ..)| s == spec)
            .map(|(_, method, path, id)| (method.clone(), path.clone(), id.clone()))
            .collect();
        expected.sort();
        assert_eq!(found, expected, "{spec}.yaml operations");
    }
    let listed: Vec<&str> = inventory.iter().map(|(spec, ..)| spec.as_str()).collect();
    assert!(listed.iter().all(|spec| SPECS.contains(spec)), "the README lists a spec that does not exist: {listed:?}");
}
