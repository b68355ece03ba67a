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
    // Each diagnostic, whole: location, message and JSON pointer.
    let cases = [
        (
            "swagger.yaml",
            "swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "swagger.yaml:1:1: unsupported version: Swagger 1.2; clientgen reads Swagger 2.0 and OpenAPI 3.0 and 3.1 (at #/swagger)",
        ),
        (
            "v4.json",
            "{\n  \"openapi\": \"4.0.0\",\n  \"info\": {\"title\": \"t\", \"version\": \"1\"},\n  \"paths\": {}\n}\n",
            "v4.json:2:3: unsupported version: OpenAPI 4.0.0; clientgen reads Swagger 2.0 and OpenAPI 3.0 and 3.1 (at #/openapi)",
        ),
        (
            "broken.yaml",
            "openapi: 3.0.3\ninfo: [unclosed\n",
            "broken.yaml:3:1: not valid YAML or JSON: did not find expected ',' or ']' at line 3 column 1, while parsing a flow sequence at line 2 column 7 (at #)",
        ),
        ("broken.json", "{\"openapi\": \"3.0.3\",}", "broken.json:1:21: not valid JSON: trailing comma at line 1 column 21 (at #)"),
        (
            // serde_yaml places a duplicate key at its mapping's first key; this is the second `/a`.
            "duplicate.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {}\n  /b: {}\n  /a:\n    put: {}\n",
            "duplicate.yaml:7:3: not valid YAML or JSON: duplicate key \"/a\", first at line 4 column 3 (at #/paths/~1a)",
        ),
        (
            "shape.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n",
            "shape.yaml:6:7: not a valid OpenAPI document: invalid type: integer `7`, expected struct Responses (at #/paths/~1a/get/responses)",
        ),
    ];
    for (name, text, expected) in cases {
        std::fs::write(dir.join(name), text).unwrap();
        let output = clientgen(&["generate", "--spec", name, "--out", "out"], &dir);
        assert_eq!(output.status.code(), Some(2), "{name}: {}", stderr(&output));
        assert_eq!(stderr(&output), format!("{expected}\n"), "{name}");
    }
}

/// A value that is not a schema, 40 levels of `items`, `properties`, `allOf` and `oneOf` down.
/// Each level used to parse the levels below it twice on failure (`openapiv3`'s `ReferenceOr`
/// words its error by parsing again), 2^40 parses: this run did not end. Timings are in
/// `bench/malformed.sh`; here the run must end with the diagnostic at the node itself.
#[test]
fn a_broken_schema_40_levels_down_is_reported_at_itself() {
    let dir = scratch("deep");
    let mut text = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    D:\n");
    let mut pointer = String::from("#/components/schemas/D");
    let (depth, mut indent, mut at) = (40, 6, (0, 0));
    for level in 0..depth {
        let pad = " ".repeat(indent);
        // The last level holds `""` instead of a schema.
        let child = if level + 1 == depth { " \"\"" } else { "" };
        let next_line = |text: &String| text.lines().count() + 1;
        match level % 4 {
            0 => {
                text += &format!("{pad}type: array\n");
                at = (next_line(&text), indent + 1);
                text += &format!("{pad}items:{child}\n");
                pointer += "/items";
                indent += 2;
            }
            1 => {
                text += &format!("{pad}type: object\n{pad}properties:\n");
                at = (next_line(&text), indent + 3);
                text += &format!("{pad}  x:{child}\n");
                pointer += "/properties/x";
                indent += 4;
            }
            kind => {
                let keyword = if kind == 2 { "allOf" } else { "oneOf" };
                text += &format!("{pad}{keyword}:\n{pad}- {{type: string}}\n");
                // A sequence item starts at its content, after `- `.
                at = (next_line(&text), indent + 3);
                text += &format!("{pad}-{child}\n");
                pointer += &format!("/{keyword}/1");
                indent += 2;
            }
        }
    }
    std::fs::write(dir.join("spec.yaml"), &text).unwrap();
    let output = clientgen(&["generate", "--spec", "spec.yaml", "--out", "out"], &dir);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        format!(
            "spec.yaml:{}:{}: not a valid OpenAPI document: invalid type: string \"\", expected struct Schema (at {pointer})\n",
            at.0, at.1
        )
    );
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
    for file in ["src/lib.rs", "src/runtime/mod.rs", "src/operations.rs", "src/types.rs", "README.md"] {
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
    std::fs::write(dir.join("generated/src/tiny/leftover.rs"), "// @generated by clientgen from specs/old.yaml\n").unwrap();
    // A file of the user's own, without the marker, is never clientgen's to remove.
    std::fs::write(dir.join("generated/src/mine.rs"), "// my own helpers\n").unwrap();
    let output = clientgen(&["check"], &dir);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("- src/tiny/leftover.rs"), "{}", stderr(&output));
    assert!(!stderr(&output).contains("mine.rs"), "{}", stderr(&output));
    assert_eq!(clientgen(&["generate"], &dir).status.code(), Some(0));
    assert!(!dir.join("generated/src/tiny/leftover.rs").exists());
    assert_eq!(std::fs::read_to_string(dir.join("generated/src/mine.rs")).unwrap(), "// my own helpers\n");
}

#[test]
fn generate_out_never_touches_files_it_did_not_write() {
    let dir = scratch("foreign");
    std::fs::write(dir.join("spec.yaml"), GOOD).unwrap();
    let crate_dir = dir.join("existing");
    std::fs::create_dir_all(crate_dir.join("src")).unwrap();
    let manifest = "[package]\nname = \"mine\"\nversion = \"1.0.0\"\n";
    std::fs::write(crate_dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(crate_dir.join("src/lib.rs"), "pub fn mine() {}\n").unwrap();
    std::fs::write(crate_dir.join("src/extra.rs"), "pub fn extra() {}\n").unwrap();
    let output = clientgen(&["generate", "--spec", "spec.yaml", "--out", "existing"], &dir);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("not written by clientgen"), "{message}");
    assert!(message.contains("  Cargo.toml\n") && message.contains("  src/lib.rs\n"), "{message}");
    assert!(!message.contains("extra.rs"), "a file clientgen would not write is not in the way: {message}");
    assert_eq!(std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap(), manifest);
    assert_eq!(std::fs::read_to_string(crate_dir.join("src/lib.rs")).unwrap(), "pub fn mine() {}\n");
    assert_eq!(std::fs::read_to_string(crate_dir.join("src/extra.rs")).unwrap(), "pub fn extra() {}\n");
    assert!(!crate_dir.join("src/types.rs").exists(), "nothing is written when anything is in the way");
    assert!(!crate_dir.join("src/runtime").exists(), "nothing is written when anything is in the way");
}

#[test]
fn a_write_failure_part_way_leaves_the_previous_files() {
    let dir = scratch("write-failure");
    std::fs::write(dir.join("spec.yaml"), GOOD).unwrap();
    assert_eq!(clientgen(&["generate", "--spec", "spec.yaml", "--out", "out"], &dir).status.code(), Some(0));
    let types_before = std::fs::read_to_string(dir.join("out/src/types.rs")).unwrap();
    // The next run changes types.rs and must also create src/runtime/*.rs again;
    // a plain file where that directory goes makes the run fail part-way,
    // after types.rs was already staged.
    std::fs::remove_dir_all(dir.join("out/src/runtime")).unwrap();
    std::fs::write(dir.join("out/src/runtime"), "in the way").unwrap();
    std::fs::write(dir.join("spec.yaml"), GOOD.replace("id: {type: string}", "id: {type: integer}")).unwrap();
    let output = clientgen(&["generate", "--spec", "spec.yaml", "--out", "out"], &dir);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("the previous files are left as they were"), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(dir.join("out/src/types.rs")).unwrap(), types_before);
    let mut left: Vec<String> = std::fs::read_dir(dir.join("out/src"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, vec!["lib.rs", "mock.rs", "operations.rs", "runtime", "types.rs"], "no staged file is left behind");
}

#[test]
fn a_crate_name_cargo_would_reject_is_bad_input() {
    let dir = scratch("name");
    std::fs::write(dir.join("spec.yaml"), GOOD).unwrap();
    for (name, why) in [
        ("Bad Name!", "crate name `Bad Name!` may contain only ASCII letters, digits, `-` and `_`"),
        ("9lives", "crate name `9lives` must start with an ASCII letter"),
        ("self", "crate name `self` is a Rust keyword or reserved name"),
    ] {
        let output = clientgen(&["generate", "--spec", "spec.yaml", "--out", "out", "--name", name], &dir);
        assert_eq!(output.status.code(), Some(2), "{name}: {}", stderr(&output));
        assert_eq!(stderr(&output), format!("--name: {why}\n"));
        assert!(!dir.join("out").exists(), "nothing is written for {name}");
    }
}

#[test]
fn check_outside_a_workspace_offers_only_what_check_takes() {
    let dir = scratch("no-workspace");
    let output = clientgen(&["check"], &dir);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.starts_with("no clientgen.toml found in "), "{message}");
    assert!(message.ends_with(" or its parents; run from the workspace\n"), "{message}");
    let output = clientgen(&["generate"], &dir);
    assert!(stderr(&output).ends_with(" or its parents; run from the workspace or pass --spec and --out\n"));
}

#[test]
fn unusable_config_names_are_located_bad_input() {
    let dir = scratch("config-names");
    std::fs::create_dir_all(dir.join("specs")).unwrap();
    std::fs::write(dir.join("specs/tiny.yaml"), GOOD).unwrap();
    let config = |name: &str| {
        format!(
            "[crate]\nname = \"clients\"\nversion = \"0.1.0\"\ndescription = \"d\"\npath = \"generated\"\n\n[[api]]\nname = \"{name}\"\nspec = \"specs/tiny.yaml\"\n"
        )
    };
    for (name, problem) in [
        ("type", "API name `type` cannot be used: its module `type` is a Rust keyword or a name the crate uses"),
        ("self", "API name `self` cannot be used: its module `self` is a Rust keyword or a name the crate uses"),
        ("crate", "API name `crate` cannot be used: its module `crate` is a Rust keyword or a name the crate uses"),
        ("runtime", "API name `runtime` cannot be used: its module `runtime` is a Rust keyword or a name the crate uses"),
        ("Bad_Name", "API name `Bad_Name` must be kebab case (lowercase letters, digits, single `-`)"),
    ] {
        std::fs::write(dir.join("clientgen.toml"), config(name)).unwrap();
        let output = clientgen(&["generate"], &dir);
        assert_eq!(output.status.code(), Some(2), "{name}: {}", stderr(&output));
        let expected = format!("{}:8:8: {problem}\n", dir.join("clientgen.toml").display());
        assert_eq!(stderr(&output), expected, "{name}");
        assert!(!dir.join("generated").exists(), "{name}: nothing is written");
    }
    // A syntax error and an unknown key are located too.
    std::fs::write(dir.join("clientgen.toml"), "[crate]\nname = \"c\"\nversion = \"0.1.0\"\ndescription = \"d\"\npath = \"g\"\nflavour = 1\n").unwrap();
    let output = clientgen(&["generate"], &dir);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).starts_with(&format!("{}:6:1: unknown field `flavour`", dir.join("clientgen.toml").display())), "{}", stderr(&output));
}

#[test]
fn command_line_mistakes_are_usage_errors() {
    let dir = scratch("usage");
    for (args, expected) in [
        (vec!["generate", "--spec", "x.yaml"], "--out <OUT>"),
        (vec!["generate", "--out", "o"], "--spec <SPEC>"),
        (vec!["generate", "--name", "n"], "--spec <SPEC>"),
        (vec!["frobnicate"], "unrecognized subcommand 'frobnicate'"),
        (vec![], "Usage: clientgen [OPTIONS] <COMMAND>"),
    ] {
        let output = clientgen(&args, &dir);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(expected), "{args:?}: {}", stderr(&output));
    }
}

const DEGRADED: &str = "openapi: 3.0.3
info: {title: Degraded, version: '1'}
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
              schema: {enum: [a, 1]}
";

#[test]
fn warnings_are_located_and_generation_goes_on() {
    let dir = scratch("warnings");
    std::fs::write(dir.join("spec.yaml"), DEGRADED).unwrap();
    let output = clientgen(&["generate", "--spec", "spec.yaml", "--out", "out"], &dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines: Vec<String> = stderr(&output).lines().take(2).map(str::to_owned).collect();
    assert_eq!(
        lines,
        [
            "spec.yaml:8:11: warning: header parameter `Accept` is ignored: the client sets it from the media types and credentials (at #/paths/~1things/get/parameters/0)",
            "spec.yaml:14:24: warning: an enum whose values are of several JSON types is a `serde_json::Value` (at #/paths/~1things/get/responses/200/content/application~1json/schema/enum)",
        ]
    );
    assert!(dir.join("out/src/types.rs").is_file(), "warnings do not stop generation");
}

#[test]
fn deny_warnings_makes_them_errors_and_writes_nothing() {
    let dir = scratch("deny-warnings");
    std::fs::write(dir.join("spec.yaml"), DEGRADED).unwrap();
    let output = clientgen(&["generate", "--spec", "spec.yaml", "--out", "out", "--deny-warnings"], &dir);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        stderr(&output).lines().next(),
        Some("spec.yaml:8:11: header parameter `Accept` is ignored: the client sets it from the media types and credentials (at #/paths/~1things/get/parameters/0)")
    );
    assert_eq!(stderr(&output).lines().count(), 2);
    assert!(!dir.join("out").exists(), "a denied warning must not write output");
    // A spec without degraded constructs passes with the flag.
    std::fs::write(dir.join("good.yaml"), GOOD).unwrap();
    let output = clientgen(&["generate", "--spec", "good.yaml", "--out", "good", "--deny-warnings"], &dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn openapi_3_2_is_read_as_3_1_with_a_located_warning() {
    let dir = scratch("openapi-3-2");
    // `type: [string, 'null']` is 3.1's nullable (a 3.0 reading rejects it): optional and
    // nullable, `note` may be absent or null.
    let spec = GOOD.replace("openapi: 3.0.3", "openapi: 3.2.0").replace("id: {type: string}", "id: {type: string}\n        note: {type: [string, 'null']}");
    std::fs::write(dir.join("spec.yaml"), spec).unwrap();
    let warning = "spec.yaml:1:1: warning: OpenAPI 3.2.0 is read as 3.1; what 3.2 adds is ignored (at #/openapi)";
    let output = clientgen(&["generate", "--spec", "spec.yaml", "--out", "out"], &dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output).lines().next(), Some(warning));
    assert_eq!(stderr(&output).matches("warning:").count(), 1, "{}", stderr(&output));
    let types = std::fs::read_to_string(dir.join("out/src/types.rs")).unwrap();
    assert!(types.contains("pub note: Option<Option<String>>,"), "{types}");
    let output = clientgen(&["generate", "--spec", "spec.yaml", "--out", "denied", "--deny-warnings"], &dir);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(stderr(&output), format!("{}\n", warning.replace("warning: ", "")));
    assert!(!dir.join("denied").exists(), "a denied warning must not write output");
}

#[test]
fn an_unreadable_spec_is_an_io_failure_not_bad_input() {
    let dir = scratch("unreadable");
    let output = clientgen(&["generate", "--spec", "missing.yaml", "--out", "out"], &dir);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(stderr(&output), "missing.yaml: cannot read the spec: No such file or directory (os error 2)\n");
    std::fs::write(
        dir.join("clientgen.toml"),
        "[crate]\nname = \"clients\"\nversion = \"0.1.0\"\ndescription = \"d\"\npath = \"generated\"\n\n[[api]]\nname = \"gone\"\nspec = \"specs/gone.yaml\"\n",
    )
    .unwrap();
    let output = clientgen(&["generate"], &dir);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(stderr(&output), "specs/gone.yaml: cannot read the spec: No such file or directory (os error 2)\n");
}

#[test]
fn problems_in_referenced_files_are_located_where_they_are() {
    let dir = scratch("referenced");
    std::fs::create_dir_all(dir.join("parts")).unwrap();
    std::fs::write(
        dir.join("spec.yaml"),
        GOOD.replace("schema: {$ref: '#/components/schemas/Thing'}", "schema: {$ref: 'parts/thing.yaml#/Thing'}")
            .replace("components:\n  schemas:\n    Thing:\n      type: object\n      required: [id]\n      properties:\n        id: {type: string}\n", "components:\n  schemas:\n    Other: {$ref: 'parts/missing.yaml'}\n"),
    )
    .unwrap();
    std::fs::write(dir.join("parts/thing.yaml"), "Thing:\n  properties:\n    kind: {$ref: '#/Kind'}\n").unwrap();
    let output = clientgen(&["generate", "--spec", "spec.yaml", "--out", "out"], &dir);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let lines: Vec<String> = stderr(&output).lines().map(str::to_owned).collect();
    assert_eq!(
        lines,
        [
            "parts/thing.yaml:3:12: dangling reference: `#/Kind` points to nothing (at #/Thing/properties/kind/$ref)",
            "spec.yaml:17:13: cannot read `parts/missing.yaml`: No such file or directory (os error 2) (at #/components/schemas/Other/$ref)",
        ]
    );
}

#[test]
fn check_notices_a_change_in_a_referenced_file() {
    let dir = scratch("check-referenced");
    std::fs::create_dir_all(dir.join("specs/parts")).unwrap();
    std::fs::write(
        dir.join("specs/tiny.yaml"),
        GOOD.replace("schema: {$ref: '#/components/schemas/Thing'}", "schema: {$ref: 'parts/thing.yaml#/Thing'}"),
    )
    .unwrap();
    std::fs::write(dir.join("specs/parts/thing.yaml"), "Thing:\n  type: object\n  properties:\n    id: {type: string}\n").unwrap();
    std::fs::write(
        dir.join("clientgen.toml"),
        "[crate]\nname = \"clients\"\nversion = \"0.1.0\"\ndescription = \"d\"\npath = \"generated\"\n\n[[api]]\nname = \"tiny\"\nspec = \"specs/tiny.yaml\"\n",
    )
    .unwrap();
    assert_eq!(clientgen(&["generate"], &dir).status.code(), Some(0));
    assert_eq!(clientgen(&["check"], &dir).status.code(), Some(0));
    std::fs::write(dir.join("specs/parts/thing.yaml"), "Thing:\n  type: object\n  properties:\n    id: {type: string}\n    name: {type: string}\n").unwrap();
    let output = clientgen(&["check"], &dir);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("~ src/tiny/types.rs"), "{}", stderr(&output));
}

#[test]
fn swagger_2_problems_are_located_in_the_2_0_document() {
    let dir = scratch("swagger");
    std::fs::write(
        dir.join("spec.yaml"),
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      parameters:\n        - {name: b, in: body, schema: {$ref: '#/definitions/Missing'}}\n      responses:\n        '200': {description: ok, schema: {type: object, properties: {n: {type: 7}}}}\n",
    )
    .unwrap();
    let output = clientgen(&["generate", "--spec", "spec.yaml", "--out", "out"], &dir);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "spec.yaml:7:40: dangling reference: `#/definitions/Missing` points to nothing (at #/paths/~1a/post/parameters/0/schema/$ref)\n"
    );
    std::fs::write(
        dir.join("spec.yaml"),
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n  Pet:\n    type: object\n    properties: {n: {type: [1]}}\n",
    )
    .unwrap();
    let output = clientgen(&["generate", "--spec", "spec.yaml", "--out", "out"], &dir);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    // Checked as `#/components/schemas/Pet/properties/n` after the upgrade, reported where the
    // user wrote it: at the broken schema itself, not the component that holds it.
    assert_eq!(
        stderr(&output),
        "spec.yaml:7:18: not a valid OpenAPI document: invalid type: sequence, expected a string (at #/definitions/Pet/properties/n)\n"
    );
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
        manifest.contains("default = [\"full\", \"rustls-tls\"]\nalpha-team = []\nbeta = []\nfull = [\"alpha-team\", \"beta\"]\n"),
        "{manifest}"
    );
    let operations = std::fs::read_to_string(dir.join("out/src/operations.rs")).unwrap();
    assert!(operations.contains("#[cfg(feature = \"alpha-team\")]\nmod alpha_team;"), "{operations}");
    // Each feature's operations are a file of their own, read by rustc only when the feature is on.
    for feature in ["alpha_team", "beta"] {
        assert!(dir.join(format!("out/src/operations/{feature}.rs")).is_file(), "operations/{feature}.rs");
    }
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
            "default = [\"tags-full\", \"tiny\", \"rustls-tls\"]\ntags = []\ntags-alpha-team = [\"tags\"]\ntags-beta = [\"tags\"]\n\
             tags-full = [\"tags-alpha-team\", \"tags-beta\"]\ntiny = []\n"
        ),
        "{manifest}"
    );
    let readme = std::fs::read_to_string(dir.join("generated/README.md")).unwrap();
    assert!(readme.contains("## Per-tag features"), "{readme}");
    // The gated API's submodule files sit beside its module's files.
    for feature in ["tags_alpha_team", "tags_beta"] {
        assert!(dir.join(format!("generated/src/tags/operations/{feature}.rs")).is_file(), "{feature}");
    }
    assert!(!dir.join("generated/src/tiny/operations").exists());
}
