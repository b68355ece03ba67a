//! Lowering rules for what an operation sends and reads: form encodings,
//! parameters HTTP cannot carry, answers without a body.

use expect_test::expect;

use super::tests::lower_with_warnings;

#[test]
fn a_form_body_keeps_the_encoding_of_the_properties_not_sent_as_form_exploded() {
    let text = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /search:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                tags: {type: array, items: {type: string}}
                ids: {type: array, items: {type: integer}}
                words: {type: array, items: {type: string}}
                filter: {type: object}
                meta: {type: object}
                plain: {type: array, items: {type: string}}
            encoding:
              tags: {style: form}
              ids: {style: form, explode: false}
              words: {style: spaceDelimited}
              filter: {style: deepObject, explode: true}
              meta: {contentType: application/json}
              plain: {contentType: text/plain}
      responses:
        '204': {description: done}
"##;
    let (api, _) = lower_with_warnings(text);
    let body = api.groups[0].operations[0].body.as_ref().expect("a body");
    expect![[r#"
        [
            FormField {
                name: "ids",
                style: Form,
                explode: false,
                json: false,
            },
            FormField {
                name: "words",
                style: SpaceDelimited,
                explode: false,
                json: false,
            },
            FormField {
                name: "filter",
                style: DeepObject,
                explode: true,
                json: false,
            },
            FormField {
                name: "meta",
                style: Form,
                explode: true,
                json: true,
            },
        ]
    "#]].assert_debug_eq(&body.form_fields);
}

#[test]
fn a_204_answer_has_no_body_whatever_the_spec_documents() {
    let text = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /me:
    patch:
      responses:
        '204':
          description: updated
          content:
            application/json:
              schema: {type: object, properties: {name: {type: string}}}
              example: {name: Ann}
"##;
    let (api, warnings) = lower_with_warnings(text);
    let op = &api.groups[0].operations[0];
    expect![[r#"
        Empty
        [None]
        spec.yaml:10:11: warning: a 204 response has no body in HTTP; its documented content is ignored (at #/paths/~1me/patch/responses/204/content)
    "#]].assert_eq(&format!("{:?}\n{:?}\n{warnings}", op.success.arms[0].payload, op.examples.success));
}

/// A path segment always has a value: a `nullable` path parameter is taken
/// as its plain type (as `Option`, its example and every `None` were refused
/// at the call: "path parameter `id` is empty").
#[test]
fn a_nullable_path_parameter_takes_its_plain_type() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, nullable: true}}
        - {name: note, in: query, required: true, schema: {type: string, nullable: true}}
      responses: {'204': {description: ok}}
";
    let (api, _) = lower_with_warnings(text);
    let params: Vec<String> = api.groups[0].operations[0].params.iter().map(|p| format!("{}: {:?}", p.wire, p.ty)).collect();
    expect![[r#"
        id: String
        note: Option(String)
    "#]]
    .assert_eq(&(params.join("\n") + "\n"));
}

/// A header parameter whose name no request can carry (notion.com's
/// nameless one) is left out with a warning, rather than refused at every call.
#[test]
fn a_header_parameter_that_is_not_a_header_name_is_ignored_with_a_warning() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pages:
    get:
      operationId: getPage
      parameters:
        - {name: Notion-Version, in: header, schema: {type: string}}
        - {name: '', in: header, schema: {type: string}}
      responses: {'204': {description: ok}}
";
    let (api, warnings) = lower_with_warnings(text);
    let params: Vec<&str> = api.groups[0].operations[0].params.iter().map(|p| p.wire.as_str()).collect();
    expect![[r#"
        ["Notion-Version"]
        spec.yaml:9:12: warning: a header parameter with an empty name is ignored (at #/paths/~1pages/get/parameters/1/name)
    "#]]
    .assert_eq(&format!("{params:?}\n{warnings}"));
}

/// HTTP gives an answer to `HEAD` no body: a documented one (Kubernetes'
/// proxy operations document a string) is ignored with a warning, where the
/// client used to fail decoding the empty body.
#[test]
fn answers_to_head_have_no_body() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /proxy:
    head:
      operationId: headProxy
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
";
    let (api, warnings) = lower_with_warnings(text);
    let arms: Vec<String> = api.groups[0].operations[0].success.arms.iter().map(|arm| format!("{:?}", arm.payload)).collect();
    expect![[r#"
        ["Empty"]
        spec.yaml:8:34: warning: an answer to HEAD has no body in HTTP; the documented content of its 200 response is ignored (at #/paths/~1proxy/head/responses/200/content)
    "#]]
    .assert_eq(&format!("{arms:?}\n{warnings}"));
}
