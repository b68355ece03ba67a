use serde_json::json;

use super::*;

fn document(components: Value) -> Value {
    json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": components}})
}

fn schemas(upgraded: &Upgraded) -> &Value {
    &upgraded.tree["components"]["schemas"]
}


#[test]
fn type_lists_become_nullable_or_untagged_unions() {
    let upgraded = upgrade(document(json!({
        "Name": {"type": ["string", "null"], "maxLength": 9},
        "Id": {"type": ["string", "integer"], "description": "Either.", "format": "uuid", "minimum": 1, "enum": ["a", 1, null]},
        "Nothing": {"type": ["null"]}
    })));
    assert_eq!(schemas(&upgraded)["Name"], json!({"maxLength": 9, "nullable": true, "type": "string"}));
    assert_eq!(
        schemas(&upgraded)["Id"],
        json!({"description": "Either.", "oneOf": [
            {"type": "string", "format": "uuid", "enum": ["a"]},
            {"type": "integer", "format": "uuid", "minimum": 1, "enum": [1]}
        ]})
    );
    assert_eq!(schemas(&upgraded)["Nothing"], json!({"type": "null"}));
    assert_eq!(upgraded.input_pointer("/components/schemas/Id/oneOf/1/minimum"), "/components/schemas/Id/minimum");
}

#[test]
fn const_examples_and_numeric_exclusive_bounds() {
    let upgraded = upgrade(document(json!({
        "Kind": {"const": "pet", "examples": ["pet", "other"]},
        "Age": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 150}
    })));
    assert_eq!(schemas(&upgraded)["Kind"], json!({"enum": ["pet"], "example": "pet"}));
    assert_eq!(
        schemas(&upgraded)["Age"],
        json!({"type": "integer", "exclusiveMinimum": true, "exclusiveMaximum": true, "minimum": 0, "maximum": 150})
    );
    assert_eq!(upgraded.input_pointer("/components/schemas/Kind/enum"), "/components/schemas/Kind/const");
}

#[test]
fn references_with_siblings_keep_them_in_an_all_of() {
    let upgraded = upgrade(document(json!({
        "Owner": {"properties": {
            "pet": {"$ref": "#/components/schemas/Pet", "description": "The pet."},
            "tagged": {"$ref": "#/components/schemas/Pet", "required": ["tag"], "properties": {"tag": {"type": "string"}}}
        }},
        "Pet": {"type": "object"}
    })));
    let properties = &schemas(&upgraded)["Owner"]["properties"];
    assert_eq!(properties["pet"], json!({"description": "The pet.", "allOf": [{"$ref": "#/components/schemas/Pet"}]}));
    assert_eq!(
        properties["tagged"],
        json!({"allOf": [{"$ref": "#/components/schemas/Pet"}, {"required": ["tag"], "properties": {"tag": {"type": "string"}}}]})
    );
    assert_eq!(
        upgraded.input_pointer("/components/schemas/Owner/properties/tagged/allOf/1/properties/tag"),
        "/components/schemas/Owner/properties/tagged/properties/tag"
    );
}

#[test]
fn references_into_moved_keywords_follow_them() {
    let mut document = document(json!({
        "A": {"$ref": "#/components/schemas/B", "properties": {"x": {"type": "string"}}},
        "B": {"type": "object"},
        "C": {"$ref": "#/components/schemas/A/properties/x"}
    }));
    document["components"]["schemas"]["D"] = json!({"$ref": "#/components/schemas/A/properties/x", "description": "Again."});
    let upgraded = upgrade(document);
    assert_eq!(schemas(&upgraded)["C"], json!({"$ref": "#/components/schemas/A/allOf/1/properties/x"}));
    assert_eq!(schemas(&upgraded)["D"]["allOf"][0], json!({"$ref": "#/components/schemas/A/allOf/1/properties/x"}));
}

#[test]
fn content_encoding_and_media_type_become_formats() {
    let upgraded = upgrade(document(json!({
        "Photo": {"type": "string", "contentMediaType": "image/png"},
        "Encoded": {"type": "string", "contentEncoding": "base64"}
    })));
    assert_eq!(schemas(&upgraded)["Photo"]["format"], json!("binary"));
    assert_eq!(schemas(&upgraded)["Encoded"]["format"], json!("byte"));
}

#[test]
fn what_cannot_be_typed_is_dropped_with_a_note() {
    let upgraded = upgrade(document(json!({
        "Pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]},
        "Shipping": {"type": "object", "if": {"required": ["a"]}, "then": {"required": ["b"]}, "unevaluatedProperties": false}
    })));
    assert_eq!(schemas(&upgraded)["Pair"], json!({"type": "array", "items": {}}));
    assert_eq!(schemas(&upgraded)["Shipping"], json!({"type": "object"}));
    let notes: Vec<&str> = upgraded.notes.iter().map(|n| n.pointer.as_str()).collect();
    assert_eq!(
        notes,
        [
            "/components/schemas/Pair/prefixItems",
            "/components/schemas/Shipping/if",
            "/components/schemas/Shipping/unevaluatedProperties",
        ]
    );
}

#[test]
fn boolean_schemas_become_objects() {
    let upgraded = upgrade(document(json!({"Any": true, "Box": {"properties": {"never": false}, "items": true}})));
    assert_eq!(schemas(&upgraded)["Any"], json!({}));
    assert_eq!(schemas(&upgraded)["Box"], json!({"properties": {"never": {"not": {}}}, "items": {}}));
}

#[test]
fn defs_become_component_schemas_with_their_own_names() {
    let upgraded = upgrade(document(json!({
        "Order": {"properties": {"line": {"$ref": "#/components/schemas/Order/$defs/Line"}},
                  "$defs": {"Line": {"properties": {"sku": {"$ref": "#/components/schemas/Order/$defs/Line/$defs/Sku"}},
                                      "$defs": {"Sku": {"type": "string"}}}}},
        "Line": {"type": "integer"}
    })));
    assert_eq!(schemas(&upgraded)["Order"], json!({"properties": {"line": {"$ref": "#/components/schemas/Line2"}}}));
    assert_eq!(schemas(&upgraded)["Line2"], json!({"properties": {"sku": {"$ref": "#/components/schemas/Sku"}}}));
    assert_eq!(schemas(&upgraded)["Sku"], json!({"type": "string"}));
    assert_eq!(upgraded.input_pointer("/components/schemas/Sku"), "/components/schemas/Order/$defs/Line/$defs/Sku");
}

#[test]
fn document_fields_of_3_1() {
    let upgraded = upgrade(json!({
        "openapi": "3.1.0", "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {"title": "t", "version": "1", "summary": "Short.", "license": {"name": "MIT", "identifier": "MIT"}},
        "webhooks": {"newPet": {"post": {"responses": {"200": {"description": "ok"}}}}},
        "components": {"securitySchemes": {"mtls": {"type": "mutualTLS"}, "key": {"type": "apiKey", "name": "k", "in": "header"}}},
        "security": [{"mtls": [], "key": []}]
    }));
    assert_eq!(
        upgraded.tree,
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1", "license": {"name": "MIT"}, "description": "Short."},
            "components": {"securitySchemes": {"key": {"type": "apiKey", "name": "k", "in": "header"}}},
            "security": [{"key": []}],
            "paths": {}
        })
    );
    let notes: Vec<&str> = upgraded.notes.iter().map(|n| n.pointer.as_str()).collect();
    assert_eq!(notes, ["/components/securitySchemes/mtls", "/webhooks"]);
    assert_eq!(upgraded.input_pointer("/info/description"), "/info/summary");
}

#[test]
fn operations_may_document_no_responses() {
    let upgraded = upgrade(json!({"openapi": "3.1.0", "paths": {"/a": {"get": {"operationId": "a"}}}}));
    assert_eq!(upgraded.tree["paths"]["/a"]["get"], json!({"operationId": "a", "responses": {}}));
}
