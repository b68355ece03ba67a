//! The examples checked against their types: kept, parsed, or replaced.

use expect_test::expect;
use serde_json::json;

use crate::ir::{Example, TypeId, TypeRef};
use crate::lower::tests::lower_with_warnings;

use super::{check, synthesize};

/// Each example of the snippet's one operation as `place: source value`, then the warnings.
fn settled(text: &str) -> String {
    let (api, warnings) = lower_with_warnings(text);
    let op = &api.groups[0].operations[0];
    let line = |place: String, example: &Option<Example>| match example {
        Some(Example { value, source }) => format!("{place}: {source:?} {value}\n"),
        None => format!("{place}: none\n"),
    };
    let mut out = String::new();
    for (param, example) in op.params.iter().zip(&op.examples.params) {
        out.push_str(&line(format!("param {}", param.wire), example));
    }
    out.push_str(&line(String::from("body"), &op.examples.body));
    for (arm, example) in op.success.arms.iter().chain(&op.failure.arms).zip(op.examples.success.iter().chain(&op.examples.failure)) {
        out.push_str(&line(format!("answer {:?}", arm.status), example));
    }
    format!("{out}{warnings}")
}

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
                    Example {
                        value: String("from-operation"),
                        source: Spec,
                    },
                ),
                Some(
                    Example {
                        value: Number(10),
                        source: Spec,
                    },
                ),
                Some(
                    Example {
                        value: String("t-1"),
                        source: Spec,
                    },
                ),
            ],
            body: Some(
                Example {
                    value: Object {
                        "name": String("a whole item"),
                    },
                    source: Spec,
                },
            ),
            success: [
                Some(
                    Example {
                        value: Object {
                            "name": String("from the schema"),
                        },
                        source: Spec,
                    },
                ),
                None,
            ],
            failure: [],
        }"#]]
    .assert_eq(&format!("{params:?}\n{:#?}", op.examples));
}

#[test]
fn examples_are_kept_parsed_or_replaced_by_one_made_from_the_schema() {
    let text = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets/{day}:
    post:
      parameters:
        - {name: day, in: path, required: true, schema: {type: string, format: date}, example: 31/01/2024}
        - {name: count, in: query, required: true, schema: {type: integer}, example: '12'}
        - {name: at, in: query, schema: {type: string, format: date-time}, example: '2024-01-31T12:00:00.5+01:00'}
        - {name: id, in: header, required: true, schema: {type: string, format: uuid}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
            example: {name: Rex, born: '2020-02-29'}
      responses:
        '200':
          description: a pet, as JSON inside a string
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
              example: '{"name": "Rex", "kind": "dog", "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}'
        '201':
          description: a tree of the wrong type
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Tree'}
              example: 42
        '202':
          description: an enum value the enum does not have
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
              examples: {bird: {value: {name: Tweety, kind: bird}}}
        '203':
          description: no example
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
        '400':
          description: conforming
          content:
            application/json:
              schema:
                type: object
                required: [code]
                properties: {code: {type: integer}, detail: {type: string, nullable: true}}
              example: {code: 7, detail: null}
components:
  schemas:
    Pet:
      type: object
      required: [name, kind]
      properties:
        name: {type: string}
        kind: {type: string, enum: [cat, dog]}
        born: {type: string, format: date}
        id: {type: string, format: uuid}
        tags: {type: array, items: {type: string}}
        parent: {$ref: '#/components/schemas/Pet'}
    Tree:
      type: object
      required: [label, children]
      properties:
        label: {type: string}
        children: {type: array, items: {$ref: '#/components/schemas/Tree'}}
"##;
    expect![[r#"
        param day: Replaced "2024-01-31"
        param count: Parsed 12
        param at: Spec "2024-01-31T12:00:00.5+01:00"
        param id: Made "3fa85f64-5717-4562-b3fc-2c963f66afa6"
        body: Replaced {"name":"string","kind":"cat"}
        answer Code(200): Parsed {"name":"Rex","kind":"dog","id":"3fa85f64-5717-4562-b3fc-2c963f66afa6"}
        answer Code(201): Replaced {"label":"string","children":[]}
        answer Code(202): Replaced {"name":"string","kind":"cat"}
        answer Code(203): Made {"name":"string","kind":"cat"}
        answer Code(400): Spec {"code":7,"detail":null}
        spec.yaml:8:87: warning: the example does not match its schema (`31/01/2024` is not a date such as `2024-01-31`); the docs and doctests use one made from the schema (at #/paths/~1pets~1{day}/post/parameters/0/example)
        spec.yaml:9:77: warning: the example is JSON written inside a string; the docs and doctests use it parsed (at #/paths/~1pets~1{day}/post/parameters/1/example)
        spec.yaml:17:13: warning: the example does not match its schema (required property `kind` is missing); the docs and doctests use one made from the schema (at #/paths/~1pets~1{day}/post/requestBody/content/application~1json/example)
        spec.yaml:24:15: warning: the example is JSON written inside a string; the docs and doctests use it parsed (at #/paths/~1pets~1{day}/post/responses/200/content/application~1json/example)
        spec.yaml:30:15: warning: the example does not match its schema (expected an object, found an integer); the docs and doctests use one made from the schema (at #/paths/~1pets~1{day}/post/responses/201/content/application~1json/example)
        spec.yaml:36:55: warning: the example does not match its schema (`bird` is not one of the enum's values); the docs and doctests use one made from the schema (at #/paths/~1pets~1{day}/post/responses/202/content/application~1json/examples/bird/value/kind)
    "#]]
    .assert_eq(&settled(text));
}

#[test]
fn formats_are_checked_as_their_rust_types_read_them() {
    let cases = [
        (TypeRef::Date, json!("2024-02-29")),
        (TypeRef::Date, json!("2023-02-29")),
        (TypeRef::Date, json!("2024-1-31")),
        (TypeRef::DateTime, json!("2024-01-31T12:00:00Z")),
        (TypeRef::DateTime, json!("2024-01-31 12:00:00-05:30")),
        (TypeRef::DateTime, json!("2024-01-31T12:00Z")),
        (TypeRef::DateTime, json!("2024-01-31")),
        (TypeRef::Uuid, json!("3FA85F64-5717-4562-B3FC-2C963F66AFA6")),
        (TypeRef::Uuid, json!("3fa85f6457174562b3fc2c963f66afa6")),
        (TypeRef::Uuid, json!("not-a-uuid")),
        (TypeRef::I32, json!(3_000_000_000_i64)),
        (TypeRef::I64, json!(1.5)),
        (TypeRef::F64, json!(2)),
        (TypeRef::Vec(Box::new(TypeRef::I64)), json!([1, "2"])),
        (TypeRef::Option(Box::new(TypeRef::String)), json!(null)),
    ];
    let out: String = cases
        .iter()
        .map(|(ty, value)| match check(&[], ty, value) {
            Ok(()) => format!("{ty:?} {value}: ok\n"),
            Err(mismatch) => format!("{ty:?} {value}: at `{}`, {}\n", mismatch.at, mismatch.problem),
        })
        .collect();
    expect![[r#"
        Date "2024-02-29": ok
        Date "2023-02-29": at ``, `2023-02-29` is not a date such as `2024-01-31`
        Date "2024-1-31": at ``, `2024-1-31` is not a date such as `2024-01-31`
        DateTime "2024-01-31T12:00:00Z": ok
        DateTime "2024-01-31 12:00:00-05:30": ok
        DateTime "2024-01-31T12:00Z": at ``, `2024-01-31T12:00Z` is not a date-time such as `2024-01-31T12:00:00Z`
        DateTime "2024-01-31": at ``, `2024-01-31` is not a date-time such as `2024-01-31T12:00:00Z`
        Uuid "3FA85F64-5717-4562-B3FC-2C963F66AFA6": ok
        Uuid "3fa85f6457174562b3fc2c963f66afa6": ok
        Uuid "not-a-uuid": at ``, `not-a-uuid` is not a UUID
        I32 3000000000: at ``, 3000000000 does not fit a 32-bit integer
        I64 1.5: at ``, expected an integer, found a number
        F64 2: ok
        Vec(I64) [1,"2"]: at `/1`, expected an integer, found a string
        Option(String) null: ok
    "#]]
    .assert_eq(&out);
}

#[test]
fn a_recursive_type_is_made_with_its_arrays_ending_it() {
    let text = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /nodes:
    get:
      responses:
        '200':
          description: a node
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Node'}
components:
  schemas:
    Node:
      type: object
      required: [name, kids, meta, owner]
      properties:
        name: {type: string}
        kids: {type: array, items: {$ref: '#/components/schemas/Node'}}
        meta: {type: object, additionalProperties: {type: integer}}
        owner: {$ref: '#/components/schemas/Person'}
    Person:
      type: object
      required: [pets]
      properties:
        pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}
        best: {$ref: '#/components/schemas/Node'}
    Pet:
      oneOf:
        - {$ref: '#/components/schemas/Cat'}
        - {$ref: '#/components/schemas/Dog'}
      discriminator: {propertyName: kind}
    Cat: {type: object, required: [kind, lives], properties: {kind: {type: string}, lives: {type: integer}}}
    Dog: {type: object, required: [kind], properties: {kind: {type: string}}}
"##;
    let (api, _) = lower_with_warnings(text);
    let index = api.types.iter().position(|t| t.name == "Node").expect("Node is a type");
    let node = TypeRef::Named(TypeId::new(index, "Node".into()));
    let made = synthesize(&api.types, &node);
    expect![[r#"{"name":"string","kids":[],"meta":{},"owner":{"pets":[{"kind":"Cat","lives":1}]}}"#]].assert_eq(&made.to_string());
    assert_eq!(check(&api.types, &node, &made), Ok(()));
}
