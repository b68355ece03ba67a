use serde_json::json;

use super::*;

fn up(input: Value) -> Upgraded {
    upgrade(input)
}


#[test]
fn definitions_become_component_schemas_and_references_follow() {
    let upgraded = up(json!({
        "swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {},
        "definitions": {"Pet": {"type": "object", "properties": {"tag": {"$ref": "#/definitions/Tag"}}}, "Tag": {"type": "string"}}
    }));
    assert_eq!(upgraded.tree["openapi"], json!("3.0.3"));
    assert_eq!(upgraded.tree["components"]["schemas"]["Pet"]["properties"]["tag"], json!({"$ref": "#/components/schemas/Tag"}));
    assert_eq!(upgraded.input_pointer("/components/schemas/Pet/properties/tag"), "/definitions/Pet/properties/tag");
    assert_eq!(upgraded.input_pointer("/openapi"), "/swagger");
}

#[test]
fn host_base_path_and_schemes_become_servers() {
    let upgraded = up(json!({"swagger": "2.0", "host": "api.example.com", "basePath": "/v2", "schemes": ["http", "https", "ws"], "paths": {}}));
    assert_eq!(upgraded.tree["servers"], json!([{"url": "http://api.example.com/v2"}, {"url": "https://api.example.com/v2"}]));
    let no_scheme = up(json!({"swagger": "2.0", "host": "h.io", "basePath": "/", "paths": {}}));
    assert_eq!(no_scheme.tree["servers"], json!([{"url": "https://h.io"}]));
    let relative = up(json!({"swagger": "2.0", "basePath": "/api", "paths": {}}));
    assert_eq!(relative.tree["servers"], json!([{"url": "/api"}]));
    assert!(up(json!({"swagger": "2.0", "paths": {}})).tree.get("servers").is_none());
}

#[test]
fn body_parameters_become_request_bodies_in_each_consumed_media_type() {
    let upgraded = up(json!({
        "swagger": "2.0", "consumes": ["application/json", "application/xml"],
        "paths": {"/pets": {"post": {
            "parameters": [
                {"name": "pet", "in": "body", "required": true, "description": "The pet.", "schema": {"$ref": "#/definitions/Pet"}},
                {"name": "dry", "in": "query", "type": "boolean"}
            ],
            "responses": {"204": {"description": "done"}}
        }}}
    }));
    let operation = &upgraded.tree["paths"]["/pets"]["post"];
    assert_eq!(
        operation["requestBody"],
        json!({"description": "The pet.", "required": true, "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}},
            "application/xml": {"schema": {"$ref": "#/components/schemas/Pet"}}
        }})
    );
    assert_eq!(operation["parameters"], json!([{"name": "dry", "in": "query", "schema": {"type": "boolean"}}]));
    assert_eq!(
        upgraded.input_pointer("/paths/~1pets/post/requestBody/content/application~1xml/schema"),
        "/paths/~1pets/post/parameters/0/schema"
    );
    assert_eq!(upgraded.input_pointer("/paths/~1pets/post/parameters/0/schema/type"), "/paths/~1pets/post/parameters/1/type");
}

#[test]
fn form_fields_become_one_body_multipart_when_a_field_is_a_file() {
    let form = |file_type: &str| {
        up(json!({"swagger": "2.0", "paths": {"/upload": {"post": {
            "consumes": ["application/x-www-form-urlencoded"],
            "parameters": [
                {"name": "note", "in": "formData", "type": "string", "description": "A note."},
                {"name": "data", "in": "formData", "type": file_type, "required": true}
            ],
            "responses": {"200": {"description": "ok"}}
        }}}}))
    };
    let multipart = form("file");
    assert_eq!(
        multipart.tree["paths"]["/upload"]["post"]["requestBody"],
        json!({"required": true, "content": {"multipart/form-data": {"schema": {
            "type": "object",
            "properties": {"note": {"type": "string", "description": "A note."}, "data": {"type": "string", "format": "binary"}},
            "required": ["data"]
        }}}})
    );
    assert_eq!(
        multipart.input_pointer("/paths/~1upload/post/requestBody/content/multipart~1form-data/schema/properties/data/type"),
        "/paths/~1upload/post/parameters/1/type"
    );
    let urlencoded = form("string");
    assert!(urlencoded.tree["paths"]["/upload"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"].is_object());
}

#[test]
fn array_form_fields_keep_their_collection_format_as_an_encoding() {
    let upgraded = up(json!({"swagger": "2.0", "paths": {"/tags": {"post": {
        "consumes": ["application/x-www-form-urlencoded"],
        "parameters": [
            {"name": "csv", "in": "formData", "type": "array", "items": {"type": "string"}},
            {"name": "multi", "in": "formData", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
            {"name": "pipes", "in": "formData", "type": "array", "items": {"type": "string"}, "collectionFormat": "pipes"},
            {"name": "note", "in": "formData", "type": "string"}
        ],
        "responses": {"204": {"description": "ok"}}
    }}}}));
    assert_eq!(
        upgraded.tree["paths"]["/tags"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]["encoding"],
        json!({
            "csv": {"style": "form", "explode": false},
            "multi": {"style": "form", "explode": true},
            "pipes": {"style": "pipeDelimited", "explode": false}
        })
    );
}

#[test]
fn collection_formats_become_styles() {
    let upgraded = up(json!({"swagger": "2.0", "paths": {"/a": {"get": {
        "parameters": [
            {"name": "csv", "in": "query", "type": "array", "items": {"type": "string"}},
            {"name": "multi", "in": "query", "type": "array", "items": {"type": "integer"}, "collectionFormat": "multi"},
            {"name": "pipes", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "pipes"},
            {"name": "tsv", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "tsv"},
            {"name": "ids", "in": "header", "type": "array", "items": {"type": "string"}}
        ],
        "responses": {"200": {"description": "ok"}}
    }}}}));
    let parameters = &upgraded.tree["paths"]["/a"]["get"]["parameters"];
    let styles: Vec<(Value, Value)> =
        (0..5).map(|i| (parameters[i]["style"].clone(), parameters[i]["explode"].clone())).collect();
    assert_eq!(
        styles,
        [
            (json!("form"), json!(false)),
            (json!("form"), json!(true)),
            (json!("pipeDelimited"), json!(false)),
            (json!("form"), json!(false)),
            (Value::Null, Value::Null),
        ]
    );
    assert_eq!(parameters[1]["schema"], json!({"type": "array", "items": {"type": "integer"}}));
    assert_eq!(
        upgraded.notes,
        [Note {
            pointer: "/paths/~1a/get/parameters/3/collectionFormat".into(),
            message: "collectionFormat `tsv` has no OpenAPI 3 form here; the values are sent comma-separated".into(),
        }]
    );
}

#[test]
fn security_definitions_become_security_schemes() {
    let upgraded = up(json!({"swagger": "2.0", "paths": {}, "securityDefinitions": {
        "basic": {"type": "basic", "description": "Login."},
        "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
        "oauth": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {"read": "Read."}},
        "app": {"type": "oauth2", "flow": "application", "tokenUrl": "https://t", "scopes": {}}
    }}));
    assert_eq!(
        upgraded.tree["components"]["securitySchemes"],
        json!({
            "basic": {"description": "Login.", "type": "http", "scheme": "basic"},
            "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
            "oauth": {"type": "oauth2", "flows": {"authorizationCode": {"authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {"read": "Read."}}}},
            "app": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {}}}}
        })
    );
}

#[test]
fn schema_keywords_of_2_0() {
    let mut schema = json!({"type": "object", "discriminator": "kind", "x-nullable": true});
    upgrade_schema(&mut schema);
    assert_eq!(schema, json!({"type": "object", "discriminator": {"propertyName": "kind"}, "nullable": true}));
    let mut file = json!({"type": "file"});
    upgrade_schema(&mut file);
    assert_eq!(file, json!({"type": "string", "format": "binary"}));
}

#[test]
fn responses_get_produced_media_types_and_typed_headers() {
    let upgraded = up(json!({
        "swagger": "2.0", "produces": ["application/json"],
        "paths": {"/a": {"get": {"produces": ["text/csv"], "responses": {
            "200": {"description": "ok", "schema": {"type": "string"}, "headers": {"X-Rate": {"type": "integer", "description": "Left."}}},
            "404": {"$ref": "#/responses/NotFound"}
        }}}},
        "responses": {"NotFound": {"description": "gone", "schema": {"$ref": "#/definitions/Error"}}}
    }));
    let responses = &upgraded.tree["paths"]["/a"]["get"]["responses"];
    assert_eq!(
        responses["200"],
        json!({"description": "ok", "headers": {"X-Rate": {"description": "Left.", "schema": {"type": "integer"}}},
               "content": {"text/csv": {"schema": {"type": "string"}}}})
    );
    assert_eq!(responses["404"], json!({"$ref": "#/components/responses/NotFound"}));
    assert_eq!(
        upgraded.tree["components"]["responses"]["NotFound"],
        json!({"description": "gone", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
    );
    assert_eq!(upgraded.input_pointer("/paths/~1a/get/responses/200/headers/X-Rate/schema/type"), "/paths/~1a/get/responses/200/headers/X-Rate/type");
}

#[test]
fn top_level_parameters_split_by_kind_and_form_fields_are_inlined() {
    let upgraded = up(json!({
        "swagger": "2.0",
        "parameters": {
            "Body": {"name": "b", "in": "body", "schema": {"type": "object"}},
            "Page": {"name": "page", "in": "query", "type": "integer"},
            "Note": {"name": "note", "in": "formData", "type": "string"}
        },
        "paths": {"/a": {
            "parameters": [{"$ref": "#/parameters/Page"}],
            "post": {"parameters": [{"$ref": "#/parameters/Body"}], "responses": {"204": {"description": "done"}}},
            "put": {"parameters": [{"$ref": "#/parameters/Note"}], "responses": {"204": {"description": "done"}}}
        }}
    }));
    let components = &upgraded.tree["components"];
    assert_eq!(components["parameters"], json!({"Page": {"name": "page", "in": "query", "schema": {"type": "integer"}}}));
    assert_eq!(components["requestBodies"]["Body"]["content"]["application/json"]["schema"], json!({"type": "object"}));
    let item = &upgraded.tree["paths"]["/a"];
    assert_eq!(item["post"]["requestBody"], json!({"$ref": "#/components/requestBodies/Body"}));
    assert_eq!(item["post"]["parameters"], json!([{"$ref": "#/components/parameters/Page"}]));
    assert_eq!(
        item["put"]["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]["properties"],
        json!({"note": {"type": "string"}})
    );
}
