//! `clientgen::Builder` as a `build.rs` uses it: what it prints for Cargo on
//! stdout (`cargo:rerun-if-changed`, `cargo:warning`), what it fails with, and
//! what it leaves in the output directory.
//!
//! The Builder prints to the process's stdout, which the test harness
//! captures; so each case runs this test binary again as a child process,
//! whose ignored test `build_script` plays the build script, and reads its
//! output as Cargo would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The build script of the child process: generates the spec named by
/// `CLIENTGEN_TEST_SPEC` into `CLIENTGEN_TEST_OUT`, as `examples/build-script/build.rs` does;
/// with `CLIENTGEN_TEST_TAGS` (comma-separated), only those tags.
#[test]
#[ignore = "the build script that the other tests of this file run in a child process"]
fn build_script() {
    let (Some(spec), Some(out)) = (std::env::var_os("CLIENTGEN_TEST_SPEC"), std::env::var_os("CLIENTGEN_TEST_OUT")) else {
        return;
    };
    let deny = std::env::var_os("CLIENTGEN_TEST_DENY_WARNINGS").is_some();
    let mut builder = clientgen::Builder::new(spec).out_dir(out).deny_warnings(deny);
    if let Ok(tags) = std::env::var("CLIENTGEN_TEST_TAGS") {
        builder = builder.only_tags(tags.split(','));
    }
    if let Err(error) = builder.generate() {
        eprint!("{error}");
        std::process::exit(1);
    }
}

/// Runs the build script in `dir` on `spec.yaml` (relative, as a package's
/// build script names its spec), writing into `dir/out`.
fn run_build_script(dir: &Path, deny_warnings: bool) -> Output {
    run_build_script_with(dir, deny_warnings, None)
}

/// [`run_build_script`], generating only `tags` when given.
fn run_build_script_with(dir: &Path, deny_warnings: bool, tags: Option<&str>) -> Output {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["build_script", "--exact", "--ignored", "--nocapture", "--test-threads=1", "-q"])
        .current_dir(dir)
        .env("CLIENTGEN_TEST_SPEC", "spec.yaml")
        .env("CLIENTGEN_TEST_OUT", dir.join("out"))
        .env_remove("CLIENTGEN_TEST_DENY_WARNINGS")
        .env_remove("CLIENTGEN_TEST_TAGS");
    if deny_warnings {
        command.env("CLIENTGEN_TEST_DENY_WARNINGS", "1");
    }
    if let Some(tags) = tags {
        command.env("CLIENTGEN_TEST_TAGS", tags);
    }
    command.output().expect("the test binary runs again")
}

/// The lines Cargo reads from a build script's stdout (the harness's own lines left out).
fn cargo_lines(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stdout).lines().filter(|line| line.starts_with("cargo:")).map(str::to_owned).collect()
}

/// A spec in three files that warns in two of them; `parts/unused.yaml` is
/// beside them but not referenced.
fn warning_spec(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clientgen-build-script-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("parts")).unwrap();
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::fs::write(
        dir.join("spec.yaml"),
        "openapi: 3.0.3
info: {title: Warns, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: Accept, in: header, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'parts/thing.yaml#/Thing'}
",
    )
    .unwrap();
    std::fs::write(dir.join("parts/thing.yaml"), "Thing:\n  type: object\n  properties:\n    kind: {$ref: 'kind.yaml'}\n    mixed: {enum: [a, 1]}\n")
        .unwrap();
    std::fs::write(dir.join("parts/kind.yaml"), "type: string\nenum: [small, large]\n").unwrap();
    std::fs::write(dir.join("parts/unused.yaml"), "type: string\n").unwrap();
    dir
}

const RERUN: [&str; 3] = [
    "cargo:rerun-if-changed=spec.yaml",
    "cargo:rerun-if-changed=parts/thing.yaml",
    "cargo:rerun-if-changed=parts/kind.yaml",
];

/// The spec's warnings, located and in the order they are reported (by file, then position).
const WARNINGS: [(&str, &str); 2] = [
    ("parts/thing.yaml:5:13", "an enum whose values are of several JSON types is a `serde_json::Value` (at #/Thing/properties/mixed/enum)"),
    (
        "spec.yaml:8:11",
        "header parameter `Accept` is ignored: the client sets it from the media types and credentials (at #/paths/~1things/get/parameters/0)",
    ),
];

#[test]
fn warnings_are_located_cargo_warnings_and_every_file_read_reruns_the_build() {
    let dir = warning_spec("warns");
    let output = run_build_script(&dir, false);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut expected: Vec<String> = RERUN.iter().map(|line| line.to_string()).collect();
    expected.extend(WARNINGS.iter().map(|(place, message)| format!("cargo:warning={place}: warning: {message}")));
    assert_eq!(cargo_lines(&output), expected);
    let module = std::fs::read_to_string(dir.join("out/spec.rs")).expect("out/spec.rs is written");
    assert!(module.contains("pub mod spec {"), "the module is named after the spec");
}

#[test]
fn deny_warnings_fails_with_the_located_warnings_as_errors_and_writes_nothing() {
    let dir = warning_spec("deny");
    let output = run_build_script(&dir, true);
    assert_eq!(output.status.code(), Some(1));
    let errors: String = WARNINGS.iter().map(|(place, message)| format!("{place}: {message}\n")).collect();
    assert_eq!(String::from_utf8_lossy(&output.stderr), errors);
    // Cargo still reruns the build script once the spec is fixed; no warning is left to print.
    assert_eq!(cargo_lines(&output), RERUN);
    assert_eq!(std::fs::read_dir(dir.join("out")).unwrap().count(), 0, "nothing is written");
}

/// A spec of two tags and an untagged operation, each with a type of its own,
/// and a type both tags use.
fn tagged_spec(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clientgen-build-script-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("out")).unwrap();
    let schema = |name: &str| format!("{{application/json: {{schema: {{$ref: '#/components/schemas/{name}'}}}}}}");
    std::fs::write(
        dir.join("spec.yaml"),
        format!(
            "openapi: 3.0.3
info: {{title: Shop, version: '1'}}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [Pet Store]
      responses: {{'200': {{description: ok, content: {pet}}}}}
  /inventory:
    get:
      operationId: getInventory
      tags: [store]
      responses: {{'200': {{description: ok, content: {inventory}}}}}
  /v1/charges:
    get:
      operationId: listCharges
      responses: {{'200': {{description: ok, content: {charge}}}}}
components:
  schemas:
    Pet: {{type: object, properties: {{price: {{$ref: '#/components/schemas/Price'}}}}}}
    Inventory: {{type: object, properties: {{total: {{$ref: '#/components/schemas/Price'}}}}}}
    Charge: {{type: object, properties: {{id: {{type: string}}}}}}
    Price: {{type: object, properties: {{cents: {{type: integer}}}}}}
",
            pet = schema("Pet"),
            inventory = schema("Inventory"),
            charge = schema("Charge"),
        ),
    )
    .unwrap();
    dir
}

/// The operations (methods of the groups) and types of a generated module.
fn operations_and_types(module: &str) -> (Vec<&str>, Vec<&str>) {
    let names = |prefix: &str| -> Vec<&str> {
        module
            .lines()
            .filter_map(|line| line.trim().strip_prefix(prefix))
            .filter_map(|rest| rest.split(['(', ' ', '<']).next())
            .collect()
    };
    let mut operations = names("pub fn ");
    operations.retain(|name| ["list_pets", "get_inventory", "list_charges"].contains(name));
    let mut types = names("pub struct ");
    types.retain(|name| ["Pet", "Inventory", "Charge", "Price"].contains(name));
    (operations, types)
}

#[test]
fn only_tags_generates_their_operations_and_the_types_they_reach() {
    let dir = tagged_spec("tags");
    let output = run_build_script_with(&dir, true, None);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let everything = std::fs::read_to_string(dir.join("out/spec.rs")).unwrap();
    assert_eq!(
        operations_and_types(&everything),
        (vec!["list_pets", "get_inventory", "list_charges"], vec!["Pet", "Inventory", "Charge", "Price"])
    );
    // A tag as the spec writes it, and an untagged operation by its path's first segment.
    let output = run_build_script_with(&dir, true, Some("Pet Store,/charges"));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let chosen = std::fs::read_to_string(dir.join("out/spec.rs")).unwrap();
    assert_eq!(operations_and_types(&chosen), (vec!["list_pets", "list_charges"], vec!["Pet", "Charge", "Price"]));
    let output = run_build_script_with(&dir, true, Some("store"));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let store = std::fs::read_to_string(dir.join("out/spec.rs")).unwrap();
    assert_eq!(operations_and_types(&store), (vec!["get_inventory"], vec!["Inventory", "Price"]));
    // A tag by its name as a per-tag feature.
    let output = run_build_script_with(&dir, true, Some("pet-store"));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let pets = std::fs::read_to_string(dir.join("out/spec.rs")).unwrap();
    assert_eq!(operations_and_types(&pets), (vec!["list_pets"], vec!["Pet", "Price"]));
}

#[test]
fn a_tag_the_spec_does_not_have_fails_the_build_naming_those_it_has() {
    let dir = tagged_spec("unknown-tag");
    let output = run_build_script_with(&dir, false, Some("pets,store"));
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "`pets` is not a tag of Shop; its tags: `Pet Store`, `store`, `/charges`\n"
    );
    assert_eq!(std::fs::read_dir(dir.join("out")).unwrap().count(), 0, "nothing is written");
}
