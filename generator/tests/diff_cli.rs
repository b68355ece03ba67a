//! `clientgen diff` as users run it: exit codes, JSON, `--against` in a git
//! repository, a spec split across files, and the report of a real pair.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn clientgen(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clientgen")).args(args).current_dir(cwd).output().expect("clientgen runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clientgen-diff-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn git(args: &[&str], cwd: &Path) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(cwd)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// A spec with one operation; `thing` is the schema of what it returns.
fn spec(thing: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: Tiny, version: '1'}}
paths:
  /things/{{id}}:
    get:
      operationId: getThing
      tags: [things]
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {thing}
"
    )
}

const THING: &str = "{type: object, required: [id], properties: {id: {type: string}, note: {type: string}}}";

#[test]
fn exit_codes_say_whether_a_change_breaks() {
    let dir = scratch("exit-codes");
    std::fs::write(dir.join("a.yaml"), spec(THING)).unwrap();
    std::fs::write(dir.join("same.yaml"), spec(THING)).unwrap();
    let added = THING.replace("note: {type: string}", "note: {type: string}, size: {type: integer}");
    std::fs::write(dir.join("added.yaml"), spec(&added)).unwrap();
    std::fs::write(dir.join("bad.yaml"), "openapi: 3.0.3\ninfo: {title: t}\npaths: []\n").unwrap();

    let same = clientgen(&["diff", "a.yaml", "same.yaml"], &dir);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    assert_eq!(stdout(&same), "no change to the generated API\n");

    let additive = clientgen(&["diff", "a.yaml", "added.yaml"], &dir);
    assert_eq!(additive.status.code(), Some(0), "{}", stderr(&additive));
    assert!(stdout(&additive).ends_with("suggested bump: patch (0.1.0 → 0.1.1)\n"), "{}", stdout(&additive));

    let breaking = clientgen(&["diff", "added.yaml", "a.yaml"], &dir);
    assert_eq!(breaking.status.code(), Some(3), "{}", stderr(&breaking));
    assert!(stdout(&breaking).starts_with("breaking: types::GetThingResponse::size: field removed"), "{}", stdout(&breaking));

    let bad = clientgen(&["diff", "a.yaml", "bad.yaml"], &dir);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).starts_with("bad.yaml:"), "diagnostics are located: {}", stderr(&bad));
    let missing = clientgen(&["diff", "a.yaml", "nowhere.yaml"], &dir);
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
}

#[test]
fn json_output_has_the_bump_and_each_change() {
    let dir = scratch("json");
    std::fs::write(dir.join("old.yaml"), spec(THING)).unwrap();
    std::fs::write(dir.join("new.yaml"), spec(&THING.replace("required: [id]", "required: [id, note]"))).unwrap();
    let output = clientgen(&["diff", "old.yaml", "new.yaml", "--format", "json"], &dir);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("the output is JSON");
    assert_eq!(json["bump"], "minor");
    let first = &json["changes"][0];
    assert_eq!(first["class"], "breaking");
    assert_eq!(first["item"], "types::GetThingResponse::note");
    assert_eq!(first["message"], "Option<String> → String");
    // An inline type is located at the operation that uses it.
    assert_eq!(first["old"], "old.yaml:5:5, #/paths/~1things~1{id}/get");
    assert!(first["new"].as_str().is_some_and(|new| new.starts_with("new.yaml:")), "{first}");
}

/// A workspace whose one API's spec is `specs/tiny.yaml`, committed.
fn workspace(name: &str, files: &[(&str, String)]) -> PathBuf {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("specs")).unwrap();
    std::fs::write(
        dir.join("clientgen.toml"),
        "[crate]\nname = \"clients\"\nversion = \"1.2.3\"\ndescription = \"d\"\npath = \"generated\"\n\n[[api]]\nname = \"tiny\"\nspec = \"specs/tiny.yaml\"\n",
    )
    .unwrap();
    for (path, text) in files {
        std::fs::write(dir.join(path), text).unwrap();
    }
    git(&["init", "-q"], &dir);
    git(&["add", "."], &dir);
    git(&["commit", "-q", "-m", "first"], &dir);
    dir
}

#[test]
fn against_compares_the_working_tree_with_a_revision() {
    let dir = workspace("against", &[("specs/tiny.yaml", spec(THING))]);
    let unchanged = clientgen(&["diff"], &dir);
    assert_eq!(unchanged.status.code(), Some(0), "{}", stderr(&unchanged));
    std::fs::write(dir.join("specs/tiny.yaml"), spec(&THING.replace(", note: {type: string}", ""))).unwrap();
    let output = clientgen(&["diff"], &dir);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("breaking: tiny::types::GetThingResponse::note: field removed (old specs/tiny.yaml:5:5, "), "{text}");
    assert!(text.ends_with("suggested bump: major (1.2.3 → 2.0.0)\n"), "{text}");
    // Committed, the change is no longer a change against HEAD, but is against the first commit.
    git(&["commit", "-q", "-am", "second"], &dir);
    assert_eq!(clientgen(&["diff"], &dir).status.code(), Some(0));
    assert_eq!(clientgen(&["diff", "--against", "HEAD~1"], &dir).status.code(), Some(3));
    let unknown = clientgen(&["diff", "--against", "no-such-rev"], &dir);
    assert_eq!(unknown.status.code(), Some(2), "{}", stderr(&unknown));
}

#[test]
fn a_change_in_a_referenced_file_alone_is_found() {
    let root = spec("{$ref: 'thing.yaml'}");
    let thing = "type: object\nrequired: [id]\nproperties:\n  id: {type: string}\n  note: {type: string}\n";
    let dir = workspace("multi-file", &[("specs/tiny.yaml", root), ("specs/thing.yaml", thing.to_owned())]);
    std::fs::write(dir.join("specs/thing.yaml"), thing.replace("  note: {type: string}\n", "  note: {type: integer}\n")).unwrap();
    let output = clientgen(&["diff"], &dir);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("tiny::types::Thing::note: Option<String> → Option<i64> (at specs/thing.yaml:5:3, #/properties/note)"),
        "{}",
        stdout(&output)
    );
}

/// Inbank's spec when it was added, and as it is now.
#[test]
fn report_of_a_real_pair() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff");
    let output = clientgen(&["diff", "inbank-a28676f.yaml", "inbank-d851620.yaml"], &dir);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    expect_test::expect_file!["diff/inbank.txt"].assert_eq(&stdout(&output));
}

#[test]
fn check_says_what_a_stale_crate_means_and_generate_bumps_the_version() {
    let dir = workspace("bump", &[("specs/tiny.yaml", spec(THING))]);
    let first = clientgen(&["generate"], &dir);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    std::fs::write(dir.join("specs/tiny.yaml"), spec(&THING.replace(", note: {type: string}", ""))).unwrap();

    let check = clientgen(&["check"], &dir);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    assert!(
        stderr(&check).contains(
            "the specs changed since HEAD: 1 breaking, 0 behaviour, 0 additive, 0 docs; suggested bump: major (1.2.3 → 2.0.0)\n  breaking: tiny::types::GetThingResponse::note: field removed"
        ),
        "{}",
        stderr(&check)
    );

    // Twice before a commit: measured from HEAD's version each time, one entry.
    for _ in 0..2 {
        let bumped = clientgen(&["generate", "--bump"], &dir);
        assert_eq!(bumped.status.code(), Some(0), "{}", stderr(&bumped));
    }
    let config = std::fs::read_to_string(dir.join("clientgen.toml")).unwrap();
    assert!(config.contains("version = \"2.0.0\""), "{config}");
    let manifest = std::fs::read_to_string(dir.join("generated/Cargo.toml")).unwrap();
    assert!(manifest.contains("version = \"2.0.0\""), "{manifest}");
    let changelog = std::fs::read_to_string(dir.join("generated/CHANGELOG.md")).unwrap();
    assert_eq!(changelog.matches("## 2.0.0").count(), 1, "{changelog}");
    assert!(changelog.contains("### Breaking\n\n- `tiny::types::GetThingResponse::note`: field removed\n"), "{changelog}");
    assert_eq!(clientgen(&["check"], &dir).status.code(), Some(0), "the crate is up to date and CHANGELOG.md is not stale");
}
