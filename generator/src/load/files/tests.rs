use std::collections::HashMap;
use std::io;
use std::path::Path;

use serde_json::json;

use crate::load::{Document, Loader};

/// Loads `root.yaml` of `files` (path → text), reading nothing from disk.
fn load(files: &[(&str, &str)]) -> Result<Document, String> {
    let map: HashMap<&Path, String> = files.iter().map(|(p, t)| (Path::new(*p), (*t).to_owned())).collect();
    let read = |path: &Path| map.get(path).cloned().ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"));
    let loader = Loader::new("", &read);
    let root = map.get(Path::new("api/root.yaml")).cloned().unwrap_or_default();
    loader.load_text(Path::new("api/root.yaml"), root).map_err(|d| d.to_string())
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

#[test]
fn referenced_schemas_are_named_after_their_own_key_and_references_inside_follow_their_file() {
    let root = format!(
        "{HEAD}paths:\n  /pets:\n    get:\n      parameters:\n        - $ref: 'common.yaml#/components/parameters/Page'\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: './schemas/pet.yaml#/Pet'}}\n"
    );
    let document = load(&[
        ("api/root.yaml", &root),
        ("api/schemas/pet.yaml", "Pet:\n  type: object\n  properties:\n    owner: {$ref: '#/Owner'}\n    tag: {$ref: '../common.yaml#/components/schemas/Tag'}\nOwner:\n  type: string\n"),
        ("api/common.yaml", "components:\n  parameters:\n    Page: {name: page, in: query, schema: {type: integer}}\n  schemas:\n    Tag: {type: string}\n"),
    ])
    .unwrap();
    let tree = typed_tree(&document);
    let components = &tree["components"];
    assert_eq!(
        components["schemas"]["Pet"],
        json!({"type": "object", "properties": {"owner": {"$ref": "#/components/schemas/Owner"}, "tag": {"$ref": "#/components/schemas/Tag"}}})
    );
    assert_eq!(components["schemas"]["Owner"], json!({"type": "string"}));
    assert_eq!(components["parameters"]["Page"]["name"], json!("page"));
    assert_eq!(
        tree["paths"]["/pets"]["get"]["parameters"][0],
        json!({"$ref": "#/components/parameters/Page"})
    );
    let place = document.sources.locate("/components/schemas/Pet/properties/owner");
    assert_eq!((place.file.as_path(), place.line, place.pointer.as_str()), (Path::new("api/schemas/pet.yaml"), 4, "/Pet/properties/owner"));
    let files: Vec<&Path> = document.sources.paths().collect();
    // In the order first referenced: the parameter comes before the response.
    assert_eq!(files, [Path::new("api/root.yaml"), Path::new("api/common.yaml"), Path::new("api/schemas/pet.yaml")]);
}

#[test]
fn a_component_entry_that_is_only_a_reference_takes_the_node_and_keeps_its_name() {
    let root = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Pet: {{$ref: 'pet.yaml'}}\n    Pets: {{type: array, items: {{$ref: 'pet.yaml'}}}}\n"
    );
    let document = load(&[("api/root.yaml", &root), ("api/pet.yaml", "type: object\nproperties:\n  next: {$ref: 'pet.yaml'}\n")]).unwrap();
    let tree = typed_tree(&document);
    let schemas = &tree["components"]["schemas"];
    assert_eq!(schemas["Pet"], json!({"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Pet"}}}));
    assert_eq!(schemas["Pets"]["items"], json!({"$ref": "#/components/schemas/Pet"}));
    assert_eq!(schemas.as_object().unwrap().len(), 2, "nothing else added: {schemas}");
}

#[test]
fn cycles_across_files_end_at_nodes_already_copied_and_taken_names_get_numbers() {
    let root = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Node: {{type: string}}\n    Tree: {{$ref: 'a.yaml#/Node'}}\n"
    );
    let document = load(&[
        ("api/root.yaml", &root),
        ("api/a.yaml", "Node:\n  properties:\n    child: {$ref: 'b.yaml#/Node'}\n"),
        ("api/b.yaml", "Node:\n  properties:\n    parent: {$ref: 'a.yaml#/Node'}\n"),
    ])
    .unwrap();
    let tree = typed_tree(&document);
    let schemas = &tree["components"]["schemas"];
    assert_eq!(schemas["Tree"]["properties"]["child"], json!({"$ref": "#/components/schemas/Node2"}));
    assert_eq!(schemas["Node2"]["properties"]["parent"], json!({"$ref": "#/components/schemas/Tree"}));
}

#[test]
fn path_items_are_inlined_where_referenced() {
    let root = format!("{HEAD}paths:\n  /pets: {{$ref: 'paths/pets.yaml'}}\n");
    let document = load(&[
        ("api/root.yaml", &root),
        ("api/paths/pets.yaml", "get:\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {$ref: '../schemas.yaml#/Pet'}\n"),
        ("api/schemas.yaml", "Pet: {type: object}\n"),
    ])
    .unwrap();
    let tree = typed_tree(&document);
    let schema = &tree["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(schema, &json!({"$ref": "#/components/schemas/Pet"}));
    assert_eq!(document.sources.locate("/paths/~1pets/get").file, Path::new("api/paths/pets.yaml"));
}

#[test]
fn problems_name_the_file_that_holds_them() {
    let root = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: 'missing.yaml#/A'}}\n    B: {{$ref: 'https://example.com/b.yaml'}}\n    C: {{$ref: 'c.yaml#/C'}}\n    D: {{$ref: 'broken.yaml#/D'}}\n"
    );
    let errors = load(&[
        ("api/root.yaml", &root),
        ("api/c.yaml", "C:\n  properties:\n    d: {$ref: '#/Nowhere'}\n"),
        ("api/broken.yaml", "D: [unclosed\n"),
    ])
    .unwrap_err();
    let lines: Vec<&str> = errors.lines().collect();
    assert_eq!(
        lines,
        [
            "api/broken.yaml:2:1: not valid YAML or JSON: did not find expected ',' or ']' at line 2 column 1, while parsing a flow sequence at line 1 column 4 (at #)",
            "api/c.yaml:3:9: dangling reference: `#/Nowhere` points to nothing (at #/C/properties/d/$ref)",
            "api/root.yaml:6:9: cannot read `api/missing.yaml`: no such file (at #/components/schemas/A/$ref)",
            "api/root.yaml:7:9: remote reference `https://example.com/b.yaml` is not supported; download the file and refer to it by a relative path (at #/components/schemas/B/$ref)",
        ]
    );
}

/// The loaded document as JSON: what the bundler made, as the typed document keeps it.
fn typed_tree(document: &crate::load::Document) -> serde_json::Value {
    serde_json::to_value(&document.openapi).expect("the typed document serializes")
}
