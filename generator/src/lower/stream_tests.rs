//! Lowering rules for bodies that stream: binary media types and
//! `format: binary` schemas, and `text/event-stream` answers.

use expect_test::{Expect, expect};

use crate::ir::{Api, BodyKind, OutcomeType, Payload};

/// One line per operation: its request body, its success payload, what
/// streams; then the runtime features the API needs.
fn streams(paths: &str) -> String {
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}components:\n  schemas:\n    Tick: {{type: object, properties: {{price: {{type: number}}}}}}\n"
    );
    let api: Api = super::lower_snippet(&text).expect("the snippet lowers");
    let mut out = String::new();
    for op in api.groups.iter().flat_map(|group| &group.operations) {
        let body = match op.body.as_ref().map(|body| &body.kind) {
            None => String::from("-"),
            Some(BodyKind::Binary(media)) => format!("binary {media}"),
            Some(BodyKind::Text(media)) => format!("text {media}"),
            Some(other) => format!("{other:?}"),
        };
        let success = match &op.success.ty {
            OutcomeType::Single(Payload::Events(data)) => format!("events of {data:?}"),
            OutcomeType::Single(payload) => format!("{payload:?}"),
            OutcomeType::Enum { name, .. } => format!("enum {name}"),
        };
        out.push_str(&format!("{}: body {body}; success {success}; streams {:?}\n", op.id, op.streams_bytes()));
    }
    out.push_str(&format!("features {:?}\n", api.runtime_features()));
    out
}

fn check(paths: &str, expected: Expect) {
    expected.assert_eq(&streams(paths));
}

#[test]
fn binary_media_types_and_binary_strings_stream_both_ways() {
    check(
        "  /pdf:
    get:
      operationId: pdf
      responses:
        '200': {description: ok, content: {application/pdf: {}}}
  /png:
    get:
      operationId: png
      responses:
        '200': {description: ok, content: {image/png: {schema: {type: string, format: binary}}}}
  /any:
    post:
      operationId: anyBinary
      requestBody:
        content: {'*/*': {schema: {type: string, format: binary}}}
      responses:
        '200': {description: ok, content: {'*/*': {schema: {type: string, format: binary}}}}
  /upload:
    put:
      operationId: upload
      requestBody:
        required: true
        content: {application/octet-stream: {}}
      responses:
        '204': {description: stored}
  /json:
    get:
      operationId: json
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Tick'}}}}
        '404': {description: none, content: {application/octet-stream: {}}}
",
        expect![[r#"
            pdf: body -; success Binary; streams Some(ByteStreams { upload: false, download: true })
            png: body -; success Binary; streams Some(ByteStreams { upload: false, download: true })
            anyBinary: body binary application/octet-stream; success Binary; streams Some(ByteStreams { upload: true, download: true })
            upload: body binary application/octet-stream; success Empty; streams Some(ByteStreams { upload: true, download: false })
            json: body -; success Json(Named(#0 Tick)); streams None
            features ["streaming"]
        "#]],
    );
}

#[test]
fn an_event_stream_decodes_its_data_into_the_schema_or_keeps_the_text() {
    check(
        "  /ticks:
    get:
      operationId: ticks
      responses:
        '200': {description: ok, content: {text/event-stream: {schema: {$ref: '#/components/schemas/Tick'}}}}
  /raw:
    get:
      operationId: raw
      responses:
        '200': {description: ok, content: {text/event-stream: {}}}
  /strings:
    get:
      operationId: strings
      responses:
        '200': {description: ok, content: {'text/event-stream; charset=utf-8': {schema: {type: string}}}}
  /offered:
    get:
      operationId: jsonOrEvents
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {$ref: '#/components/schemas/Tick'}}
            text/event-stream: {schema: {$ref: '#/components/schemas/Tick'}}
",
        expect![[r#"
            ticks: body -; success events of Some(Named(#0 Tick)); streams None
            raw: body -; success events of None; streams None
            strings: body -; success events of None; streams None
            jsonOrEvents: body -; success Json(Named(#0 Tick)); streams None
            features ["sse"]
        "#]],
    );
}
