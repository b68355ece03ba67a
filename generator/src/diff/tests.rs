//! Classification rules on small spec pairs, each read both ways: old → new,
//! then new → old.

use std::io;
use std::path::Path;

use expect_test::{Expect, expect};

use super::{Side, compare};
use crate::load::Loader;

/// A spec with one operation `GET /pets/{id}` (`getPet`) and one schema
/// `Pet`; `edit` changes its text.
fn spec(edit: impl Fn(String) -> String) -> String {
    edit(String::from(
        "openapi: 3.0.3
info: {title: Pets, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /pets/{id}:
    get:
      operationId: getPet
      tags: [pets]
      description: One pet.
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: verbose, in: query, schema: {type: boolean}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
        '404': {description: missing}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        age: {type: integer, format: int32}
        kind: {type: string, enum: [cat, dog]}
",
    ))
}

/// The report of `old` → `new`, one change a line.
fn changes(old: &str, new: &str) -> String {
    let read = |path: &Path| -> io::Result<String> {
        match path.to_str() {
            Some("old.yaml") => Ok(old.to_owned()),
            Some("new.yaml") => Ok(new.to_owned()),
            _ => Err(io::Error::new(io::ErrorKind::NotFound, "no such file")),
        }
    };
    let loader = Loader::new("", &read);
    let old = Side::load(&loader, Path::new("old.yaml"), "").expect("the old spec lowers");
    let new = Side::load(&loader, Path::new("new.yaml"), "").expect("the new spec lowers");
    compare(&old, &new).iter().map(|change| format!("{change}\n")).collect()
}

/// Diffs the base spec against `edit` of it, both ways.
fn check(edit: impl Fn(String) -> String, forward: Expect, backward: Expect) {
    let (base, edited) = (spec(|s| s), spec(edit));
    forward.assert_eq(&changes(&base, &edited));
    backward.assert_eq(&changes(&edited, &base));
}

#[test]
fn the_same_spec_has_no_changes() {
    assert_eq!(changes(&spec(|s| s), &spec(|s| s)), "");
}

#[test]
fn an_operation_removed_is_breaking_and_added_additive() {
    check(
        |s| s.replace("operationId: getPet", "operationId: fetchPet"),
        expect![[r#"
            breaking: Client::pets().get_pet(): operation removed (`GET /pets/{id}`) (old old.yaml:6:5, #/paths/~1pets~1{id}/get)
            additive: Client::pets().fetch_pet(): new operation (`GET /pets/{id}`) (new new.yaml:6:5, #/paths/~1pets~1{id}/get)
        "#]],
        expect![[r#"
            breaking: Client::pets().fetch_pet(): operation removed (`GET /pets/{id}`) (old old.yaml:6:5, #/paths/~1pets~1{id}/get)
            additive: Client::pets().get_pet(): new operation (`GET /pets/{id}`) (new new.yaml:6:5, #/paths/~1pets~1{id}/get)
        "#]],
    );
}

#[test]
fn a_field_made_required_or_optional_is_breaking_both_ways() {
    check(
        |s| s.replace("required: [name]", "required: [name, age]"),
        expect![[r#"
            breaking: types::Pet::age: Option<i32> → i32 (old old.yaml:23:9, #/components/schemas/Pet/properties/age; new new.yaml:23:9, #/components/schemas/Pet/properties/age)
            breaking: types::Pet: constructor new(name: String) → new(name: String, age: i32) (old old.yaml:18:5, #/components/schemas/Pet; new new.yaml:18:5, #/components/schemas/Pet)
        "#]],
        expect![[r#"
            breaking: types::Pet::age: i32 → Option<i32> (old old.yaml:23:9, #/components/schemas/Pet/properties/age; new new.yaml:23:9, #/components/schemas/Pet/properties/age)
            breaking: types::Pet: constructor new(name: String, age: i32) → new(name: String) (old old.yaml:18:5, #/components/schemas/Pet; new new.yaml:18:5, #/components/schemas/Pet)
        "#]],
    );
}

#[test]
fn an_optional_field_added_is_additive_and_removed_breaking() {
    check(
        |s| s + "        nickname: {type: string}\n",
        expect![[r#"
            additive: types::Pet::nickname: new optional field: Option<String> (new new.yaml:25:9, #/components/schemas/Pet/properties/nickname)
        "#]],
        expect![[r#"
            breaking: types::Pet::nickname: field removed (old old.yaml:25:9, #/components/schemas/Pet/properties/nickname)
        "#]],
    );
}

#[test]
fn an_enum_value_added_is_additive_and_removed_breaking() {
    check(
        |s| s.replace("enum: [cat, dog]", "enum: [cat, dog, bird]"),
        expect![[r#"
            additive: types::PetKind::Bird: new value `bird` (old old.yaml:18:5, #/components/schemas/Pet/enum; new new.yaml:18:5, #/components/schemas/Pet/enum)
        "#]],
        expect![[r#"
            breaking: types::PetKind::Bird: value `bird` removed (old old.yaml:18:5, #/components/schemas/Pet/enum; new new.yaml:18:5, #/components/schemas/Pet/enum)
        "#]],
    );
}

#[test]
fn a_field_of_another_type_is_breaking() {
    check(
        |s| s.replace("age: {type: integer, format: int32}", "age: {type: string}"),
        expect![[r#"
            breaking: types::Pet::age: Option<i32> → Option<String> (old old.yaml:23:9, #/components/schemas/Pet/properties/age; new new.yaml:23:9, #/components/schemas/Pet/properties/age)
        "#]],
        expect![[r#"
            breaking: types::Pet::age: Option<String> → Option<i32> (old old.yaml:23:9, #/components/schemas/Pet/properties/age; new new.yaml:23:9, #/components/schemas/Pet/properties/age)
        "#]],
    );
}

#[test]
fn parameters_optional_added_is_additive_required_added_breaking() {
    check(
        |s| {
            s.replace(
                "        - {name: verbose, in: query, schema: {type: boolean}}\n",
                "        - {name: verbose, in: query, schema: {type: boolean}}\n        - {name: limit, in: query, schema: {type: integer}}\n        - {name: region, in: header, required: true, schema: {type: string}}\n",
            )
        },
        expect![[r#"
            additive: Client::pets().get_pet(): new optional parameter `limit` (setter) (old old.yaml:6:5, #/paths/~1pets~1{id}/get; new new.yaml:6:5, #/paths/~1pets~1{id}/get)
            breaking: Client::pets().get_pet(): new required parameter `region`: a new argument (old old.yaml:6:5, #/paths/~1pets~1{id}/get; new new.yaml:6:5, #/paths/~1pets~1{id}/get)
        "#]],
        expect![[r#"
            breaking: Client::pets().get_pet(): parameter `limit` removed (setter gone) (old old.yaml:6:5, #/paths/~1pets~1{id}/get; new new.yaml:6:5, #/paths/~1pets~1{id}/get)
            breaking: Client::pets().get_pet(): parameter `region` removed (argument gone) (old old.yaml:6:5, #/paths/~1pets~1{id}/get; new new.yaml:6:5, #/paths/~1pets~1{id}/get)
        "#]],
    );
}

#[test]
fn a_path_method_or_server_change_is_behaviour() {
    check(
        |s| s.replace("  /pets/{id}:\n    get:", "  /animals/{id}:\n    put:").replace("api.example.com", "api.example.org"),
        expect![[r#"
            behaviour: servers::SERVER_1: URL `https://api.example.com` → `https://api.example.org` (old old.yaml:3:11, #/servers/0; new new.yaml:3:11, #/servers/0)
            behaviour: Client::pets().get_pet(): method GET → PUT (old old.yaml:6:5, #/paths/~1pets~1{id}/get; new new.yaml:6:5, #/paths/~1animals~1{id}/put)
            behaviour: Client::pets().get_pet(): path `/pets/{id}` → `/animals/{id}` (old old.yaml:6:5, #/paths/~1pets~1{id}/get; new new.yaml:6:5, #/paths/~1animals~1{id}/put)
        "#]],
        expect![[r#"
            behaviour: servers::SERVER_1: URL `https://api.example.org` → `https://api.example.com` (old old.yaml:3:11, #/servers/0; new new.yaml:3:11, #/servers/0)
            behaviour: Client::pets().get_pet(): method PUT → GET (old old.yaml:6:5, #/paths/~1animals~1{id}/put; new new.yaml:6:5, #/paths/~1pets~1{id}/get)
            behaviour: Client::pets().get_pet(): path `/animals/{id}` → `/pets/{id}` (old old.yaml:6:5, #/paths/~1animals~1{id}/put; new new.yaml:6:5, #/paths/~1pets~1{id}/get)
        "#]],
    );
}

#[test]
fn a_new_success_status_makes_send_return_an_enum() {
    check(
        |s| s.replace("'404': {description: missing}", "'204': {description: missing}"),
        expect![[r#"
            breaking: Client::pets().get_pet(): returns types::Pet → GetPetResponse (old old.yaml:6:5, #/paths/~1pets~1{id}/get; new new.yaml:6:5, #/paths/~1pets~1{id}/get)
            additive: Client::pets().get_pet(): status 204 documented (old old.yaml:6:5, #/paths/~1pets~1{id}/get; new new.yaml:6:5, #/paths/~1pets~1{id}/get)
            behaviour: Client::pets().get_pet(): status 404 no longer documented (old old.yaml:6:5, #/paths/~1pets~1{id}/get; new new.yaml:6:5, #/paths/~1pets~1{id}/get)
        "#]],
        expect![[r#"
            breaking: Client::pets().get_pet(): returns GetPetResponse → types::Pet (old old.yaml:6:5, #/paths/~1pets~1{id}/get; new new.yaml:6:5, #/paths/~1pets~1{id}/get)
            additive: Client::pets().get_pet(): status 404 documented (old old.yaml:6:5, #/paths/~1pets~1{id}/get; new new.yaml:6:5, #/paths/~1pets~1{id}/get)
            behaviour: Client::pets().get_pet(): status 204 no longer documented (old old.yaml:6:5, #/paths/~1pets~1{id}/get; new new.yaml:6:5, #/paths/~1pets~1{id}/get)
        "#]],
    );
}

#[test]
fn descriptions_are_docs() {
    check(
        |s| s.replace("description: One pet.", "description: One pet, by id."),
        expect![[r#"
            docs: Client::pets().get_pet(): summary or description changed (old old.yaml:6:5, #/paths/~1pets~1{id}/get; new new.yaml:6:5, #/paths/~1pets~1{id}/get)
        "#]],
        expect![[r#"
            docs: Client::pets().get_pet(): summary or description changed (old old.yaml:6:5, #/paths/~1pets~1{id}/get; new new.yaml:6:5, #/paths/~1pets~1{id}/get)
        "#]],
    );
}

/// The enums of an operation's answers are `#[non_exhaustive]`: a new status
/// is an addition, a removed one breaks the code naming its variant.
#[test]
fn a_variant_of_a_response_enum_added_is_additive_and_removed_is_breaking() {
    let two = |s: String| s.replace("'404': {description: missing}", "'202': {description: accepted}\n        '404': {description: missing}");
    let three = |s: String| two(s).replace("'404': {description: missing}", "'204': {description: gone}\n        '404': {description: missing}");
    let (before, after) = (spec(two), spec(three));
    expect![[r#"
        additive: Client::pets().get_pet(): status 204 documented (old old.yaml:6:5, #/paths/~1pets~1{id}/get; new new.yaml:6:5, #/paths/~1pets~1{id}/get)
    "#]].assert_eq(&changes(&before, &after));
    expect![[r#"
        breaking: Client::pets().get_pet(): GetPetResponse::NoContent removed (old old.yaml:6:5, #/paths/~1pets~1{id}/get; new new.yaml:6:5, #/paths/~1pets~1{id}/get)
        behaviour: Client::pets().get_pet(): status 204 no longer documented (old old.yaml:6:5, #/paths/~1pets~1{id}/get; new new.yaml:6:5, #/paths/~1pets~1{id}/get)
    "#]].assert_eq(&changes(&after, &before));
}

/// A credential setter keeps its name when its scheme changes kind; its
/// arguments follow the kind (an API key: one; a body signature: two, the
/// change Talon.One's spec made).
#[test]
fn a_scheme_of_another_kind_breaks_when_its_setter_takes_other_arguments() {
    let with = |scheme: &str| {
        spec(|s| format!("{s}  securitySchemes:\n    auth: {scheme}\nsecurity: [{{auth: []}}]\n"))
    };
    let header = with("{type: apiKey, in: header, name: X-Key}");
    let query = with("{type: apiKey, in: query, name: key}");
    let signed = with("{type: apiKey, in: header, name: X-Key, x-content-signature: {algorithm: hmac-md5, key-encoding: hex, format: 'signer={signer}; signature={signature}'}}");
    expect![[r#"
        behaviour: ClientBuilder::auth(): sends an API key in the query `key` instead of an API key in the header `X-Key` (old old.yaml:26:5, #/components/securitySchemes/auth; new new.yaml:26:5, #/components/securitySchemes/auth)
    "#]].assert_eq(&changes(&header, &query));
    expect![[r#"
        breaking: ClientBuilder::auth(): sends a body signature in `X-Key` instead of an API key in the header `X-Key` (old old.yaml:26:5, #/components/securitySchemes/auth; new new.yaml:26:5, #/components/securitySchemes/auth)
    "#]].assert_eq(&changes(&header, &signed));
    expect![[r#"
        breaking: ClientBuilder::auth(): sends an API key in the header `X-Key` instead of a body signature in `X-Key` (old old.yaml:26:5, #/components/securitySchemes/auth; new new.yaml:26:5, #/components/securitySchemes/auth)
    "#]].assert_eq(&changes(&signed, &header));
}
