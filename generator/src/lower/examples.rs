//! The spec's `example`s of each operation (parameters, request body, success
//! answers) → [`crate::ir::OperationExamples`], for the usage guide and the Rust examples.
//!
//! An example is taken from, in order: the object's `example`, the first of
//! its `examples` (`value`), its schema's `example`. Local `$ref`s are
//! followed. A body's or response's example comes from the media type the
//! client sends or reads it in (JSON first), the one its type comes from.

use indexmap::IndexMap;
use openapiv3::{Example, MediaType, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema};
use serde_json::Value;

use crate::lower::Pins;

/// The example of a parameter: its `example`, its first `examples`, or its schema's.
pub fn of_parameter<'a>(pins: Pins<'a>, parameter: &'a Parameter) -> Option<Value> {
    let data = parameter.parameter_data_ref();
    let schema = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => Some(schema),
        ParameterSchemaOrContent::Content(_) => None,
    };
    first_of(pins, data.example.as_ref(), &data.examples, schema)
}

/// The example of a body or response in one media type: its `example`, its
/// first `examples`, or its schema's.
pub fn of_media<'a>(pins: Pins<'a>, media: &'a MediaType) -> Option<Value> {
    first_of(pins, media.example.as_ref(), &media.examples, media.schema.as_ref())
}

fn first_of<'a>(
    pins: Pins<'a>,
    example: Option<&Value>,
    examples: &'a IndexMap<String, ReferenceOr<Example>>,
    schema: Option<&'a ReferenceOr<Schema>>,
) -> Option<Value> {
    if let Some(example) = example {
        return Some(example.clone());
    }
    let first = examples.values().next().and_then(|example| pins.resolve(example, ""));
    if let Some(value) = first.and_then(|(example, _)| example.value.as_ref()) {
        return Some(value.clone());
    }
    let (schema, _) = pins.resolve(schema?, "")?;
    schema.schema_data.example.clone()
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
                failure: [],
            }"#]]
        .assert_eq(&format!("{params:?}\n{:#?}", op.examples));
    }
}
