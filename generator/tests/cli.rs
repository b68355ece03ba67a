//! The `clientgen` binary as users run it: exit codes, diagnostics, and what
//! it leaves on disk.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn clientgen(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clientgen")).args(args).current_dir(cwd).output().expect("clientgen runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clientgen-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const GOOD: &str = "openapi: 3.0.3
info: {title: Tiny, version: '1'}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
";

#[test]
fn every_dangling_reference_is_reported_with_its_location_and_nothing_is_written() {
    let dir = scratch("dangling");
    let spec = dir.join("spec.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Missing'}\n  /b:\n    post:\n      requestBody:\n        $ref: '#/components/requestBodies/Gone'\n      responses:\n        '204': {description: done}\n",
    )
    .unwrap();
    let out = dir.join("out");
    let output = clientgen(&["generate", "--spec", "spec.yaml", "--out", "out"], &dir);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let lines: Vec<String> = stderr(&output).lines().map(str::to_owned).collect();
    assert_eq!(
        lines,
        vec![
            "spec.yaml:11:24: dangling reference: `#/components/schemas/Missing` points to nothing (at #/paths/~1a/get/responses/200/content/application~1json/schema/$ref)",
            "spec.yaml:15:9: dangling reference: `#/components/requestBodies/Gone` points to nothing (at #/paths/~1b/post/requestBody/$ref)",
        ]
    );
    assert!(!out.exists(), "a failed run must not write output");
}

#[test]
fn unsupported_versions_and_non_openapi_input_exit_2() {
    let dir = scratch("versions");
    let cases = [
        ("swagger.yaml", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n", "swagger.yaml:1:1: unsupported version: Swagger 2.0"),
        ("v31.json", "{\n  \"openapi\": \"3.1.0\",\n  \"info\": {\"title\": \"t\", \"version\": \"1\"},\n  \"paths\": {}\n}\n", "v31.json:2:3: unsupported version: OpenAPI 3.1.0"),
        ("broken.yaml", "openapi: 3.0.3\ninfo: [unclosed\n", "broken.yaml:3:1: not valid YAML or JSON"),
        ("broken.json", "{\"openapi\": \"3.0.3\",}", "broken.json:1:"),
        ("shape.yaml", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n", "shape.yaml:6:7: not a valid OpenAPI 3.0 document"),
    ];
    for (name, text, expected) in cases {
        std::fs::write(dir.join(name), text).unwrap();
        let output = clientgen(&["generate", "--spec", name, "--out", "out"], &dir);
        assert_eq!(output.status.code(), Some(2), "{name}: {}", stderr(&output));
        let message = stderr(&output);
        assert!(message.starts_with(expected), "{name}: got {message}");
        assert!(message.contains("(at #"), "{name}: no JSON pointer in {message}");
        assert!(!message.contains("panicked"), "{name}: {message}");
    }
}

#[test]
fn a_failed_run_leaves_previous_output_untouched() {
    let dir = scratch("untouched");
    std::fs::write(dir.join("spec.yaml"), GOOD).unwrap();
    let output = clientgen(&["generate", "--spec", "spec.yaml", "--out", "out"], &dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let before = std::fs::read_to_string(dir.join("out/src/types.rs")).unwrap();
    std::fs::write(dir.join("spec.yaml"), GOOD.replace("#/components/schemas/Thing", "#/components/schemas/Nope")).unwrap();
    let output = clientgen(&["generate", "--spec", "spec.yaml", "--out", "out"], &dir);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(dir.join("out/src/types.rs")).unwrap(), before);
}

#[test]
fn standalone_output_is_a_crate_and_rewrites_only_what_changed() {
    let dir = scratch("standalone");
    std::fs::write(dir.join("spec.yaml"), GOOD).unwrap();
    let output = clientgen(&["generate", "--spec", "spec.yaml", "--out", "out", "--name", "tiny-client"], &dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let manifest = std::fs::read_to_string(dir.join("out/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"tiny-client\""));
    assert!(manifest.contains("[workspace]"), "a standalone crate is its own workspace");
    for file in ["src/lib.rs", "src/runtime.rs", "src/operations.rs", "src/types.rs", "README.md"] {
        assert!(dir.join("out").join(file).is_file(), "{file} missing");
    }
    let modified = std::fs::metadata(dir.join("out/src/types.rs")).unwrap().modified().unwrap();
    let output = clientgen(&["generate", "--spec", "spec.yaml", "--out", "out", "--name", "tiny-client"], &dir);
    assert!(stderr(&output).contains("unchanged"), "{}", stderr(&output));
    assert_eq!(std::fs::metadata(dir.join("out/src/types.rs")).unwrap().modified().unwrap(), modified);
}

#[test]
fn check_fails_on_stale_output_and_generate_removes_files_it_no_longer_makes() {
    let dir = scratch("check");
    std::fs::create_dir_all(dir.join("specs")).unwrap();
    std::fs::write(dir.join("specs/tiny.yaml"), GOOD).unwrap();
    std::fs::write(
        dir.join("clientgen.toml"),
        "[crate]\nname = \"clients\"\nversion = \"0.1.0\"\ndescription = \"d\"\npath = \"generated\"\n\n[[api]]\nname = \"tiny\"\nspec = \"specs/tiny.yaml\"\n",
    )
    .unwrap();
    assert_eq!(clientgen(&["check"], &dir).status.code(), Some(1), "nothing generated yet");
    assert_eq!(clientgen(&["generate"], &dir).status.code(), Some(0));
    assert_eq!(clientgen(&["check"], &dir).status.code(), Some(0));
    std::fs::write(dir.join("generated/src/tiny/leftover.rs"), "// stale").unwrap();
    let output = clientgen(&["check"], &dir);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("- src/tiny/leftover.rs"), "{}", stderr(&output));
    assert_eq!(clientgen(&["generate"], &dir).status.code(), Some(0));
    assert!(!dir.join("generated/src/tiny/leftover.rs").exists());
}

const TWO_TAGS: &str = "openapi: 3.0.3
info: {title: Tags, version: '1'}
paths:
  /a:
    get: {tags: [Alpha Team], operationId: a, responses: {'204': {description: done}}}
  /b:
    get: {tags: [beta], operationId: b, responses: {'204': {description: done}}}
";

#[test]
fn tag_features_flag_declares_one_feature_per_tag_and_full_by_default() {
    let dir = scratch("tag-features");
    std::fs::write(dir.join("spec.yaml"), TWO_TAGS).unwrap();
    let output = clientgen(&["generate", "--spec", "spec.yaml", "--out", "out", "--tag-features"], &dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let manifest = std::fs::read_to_string(dir.join("out/Cargo.toml")).unwrap();
    assert!(
        manifest.contains("default = [\"full\"]\nalpha-team = []\nbeta = []\nfull = [\"alpha-team\", \"beta\"]\n"),
        "{manifest}"
    );
    let operations = std::fs::read_to_string(dir.join("out/src/operations.rs")).unwrap();
    assert!(operations.contains("#[cfg(feature = \"alpha-team\")]"), "{operations}");
    // Without the flag, nothing is gated.
    let output = clientgen(&["generate", "--spec", "spec.yaml", "--out", "plain"], &dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let operations = std::fs::read_to_string(dir.join("plain/src/operations.rs")).unwrap();
    assert!(!operations.contains("cfg(feature"), "{operations}");
}

#[test]
fn tag_features_in_the_workspace_config_are_prefixed_with_the_api_name() {
    let dir = scratch("tag-features-config");
    std::fs::create_dir_all(dir.join("specs")).unwrap();
    std::fs::write(dir.join("specs/tags.yaml"), TWO_TAGS).unwrap();
    std::fs::write(dir.join("specs/tiny.yaml"), GOOD).unwrap();
    std::fs::write(
        dir.join("clientgen.toml"),
        "[crate]\nname = \"clients\"\nversion = \"0.1.0\"\ndescription = \"d\"\npath = \"generated\"\n\n\
         [[api]]\nname = \"tags\"\nspec = \"specs/tags.yaml\"\ntag-features = true\n\n\
         [[api]]\nname = \"tiny\"\nspec = \"specs/tiny.yaml\"\n",
    )
    .unwrap();
    let output = clientgen(&["generate"], &dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let manifest = std::fs::read_to_string(dir.join("generated/Cargo.toml")).unwrap();
    assert!(
        manifest.contains(
            "default = [\"tags-full\", \"tiny\"]\ntags = []\ntags-alpha-team = [\"tags\"]\ntags-beta = [\"tags\"]\n\
             tags-full = [\"tags-alpha-team\", \"tags-beta\"]\ntiny = []\n"
        ),
        "{manifest}"
    );
    let readme = std::fs::read_to_string(dir.join("generated/README.md")).unwrap();
    assert!(readme.contains("## Per-tag features"), "{readme}");
}
