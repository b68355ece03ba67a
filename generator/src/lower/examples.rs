//! The spec's `example`s of each operation (parameters, request body, success
//! answers) → [`OperationExamples`], for the usage guide and the Rust examples.
//!
//! An example is taken from, in order: the object's `example`, the first of
//! its `examples` (`value`), its schema's `example`. Local `$ref`s are followed.

use serde_json::Value;

use crate::ir::{Group, OperationExamples, ParamLocation, StatusMatch};
use crate::lower::routes::raw_operations;
use crate::resolve::lookup_raw;

/// Fills `Operation::examples` of every operation in `groups`.
pub fn collect_examples(raw: &Value, groups: &mut [Group]) {
    for found in raw_operations(raw, groups) {
        let (g, o) = found.at;
        let op = &groups[g].operations[o];
        let declared: Vec<&Value> = [found.operation, found.path_item]
            .iter()
            .flat_map(|holder| holder.get("parameters").and_then(Value::as_array).into_iter().flatten())
            .map(|parameter| follow(raw, parameter))
            .collect();
        let params = op
            .params
            .iter()
            .map(|param| {
                let place = match param.location {
                    ParamLocation::Path => "path",
                    ParamLocation::Query => "query",
                    ParamLocation::Header => "header",
                    ParamLocation::Cookie => "cookie",
                };
                // Operation-level parameters come first and override path-level ones.
                declared
                    .iter()
                    .find(|p| {
                        p.get("name").and_then(Value::as_str) == Some(param.wire.as_str())
                            && p.get("in").and_then(Value::as_str) == Some(place)
                    })
                    .and_then(|p| example_of(raw, p))
            })
            .collect();
        let body = found.operation.get("requestBody").map(|body| follow(raw, body)).and_then(|body| content_example(raw, body));
        let responses = found.operation.get("responses");
        let success = op
            .success
            .arms
            .iter()
            .map(|arm| {
                let key = match arm.status {
                    StatusMatch::Code(code) => code.to_string(),
                    StatusMatch::Range(start) => format!("{}XX", start / 100),
                    StatusMatch::Default => String::from("default"),
                };
                let response = responses.and_then(|r| r.get(&key).or_else(|| r.get(key.to_ascii_lowercase())));
                response.map(|r| follow(raw, r)).and_then(|r| content_example(raw, r))
            })
            .collect();
        groups[g].operations[o].examples = OperationExamples { params, body, success };
    }
}

/// The object a local `$ref` points to (a few hops at most), or the value itself.
fn follow<'v>(raw: &'v Value, mut value: &'v Value) -> &'v Value {
    for _ in 0..8 {
        match value.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')).and_then(|p| lookup_raw(raw, p)) {
            Some(target) => value = target,
            None => break,
        }
    }
    value
}

/// The example of a parameter or media type object, or of its schema.
fn example_of(raw: &Value, object: &Value) -> Option<Value> {
    if let Some(example) = object.get("example") {
        return Some(example.clone());
    }
    let first = object.get("examples").and_then(Value::as_object).and_then(|examples| examples.values().next());
    if let Some(value) = first.map(|example| follow(raw, example)).and_then(|example| example.get("value")) {
        return Some(value.clone());
    }
    object.get("schema").map(|schema| follow(raw, schema)).and_then(|schema| schema.get("example")).cloned()
}

/// The example of the first media type of a body or response that has one.
fn content_example(raw: &Value, holder: &Value) -> Option<Value> {
    holder.get("content")?.as_object()?.values().find_map(|media| example_of(raw, media))
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    #[test]
    fn examples_come_from_the_object_its_examples_or_its_schema_through_refs() {
        let text = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}, example: from-path-item}
      - {name: limit, in: query, schema: {type: integer, example: 10}}
    post:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}, example: from-operation}
        - $ref: '#/components/parameters/Trace'
      requestBody:
        $ref: '#/components/requestBodies/Item'
      responses:
        '201':
          description: made
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
        '204': {description: nothing}
components:
  parameters:
    Trace: {name: x-trace, in: header, schema: {type: string}, examples: {first: {value: t-1}, second: {value: t-2}}}
  requestBodies:
    Item:
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Item'}
          examples:
            whole: {$ref: '#/components/examples/Whole'}
  examples:
    Whole: {value: {name: a whole item}}
  schemas:
    Item:
      type: object
      properties: {name: {type: string}}
      example: {name: from the schema}
"##;
        let api = crate::lower::lower_snippet(text).expect("the snippet lowers");
        let op = &api.groups[0].operations[0];
        let params: Vec<String> = op.params.iter().map(|p| p.wire.clone()).collect();
        expect![[r#"
            ["id", "limit", "x-trace"]
            OperationExamples {
                params: [
                    Some(
                        String("from-operation"),
                    ),
                    Some(
                        Number(10),
                    ),
                    Some(
                        String("t-1"),
                    ),
                ],
                body: Some(
                    Object {
                        "name": String("a whole item"),
                    },
                ),
                success: [
                    Some(
                        Object {
                            "name": String("from the schema"),
                        },
                    ),
                    None,
                ],
            }"#]]
        .assert_eq(&format!("{params:?}\n{:#?}", op.examples));
    }
}
