//! Every warning's `line:col` is where its pointer's node is, found here by a
//! scan of its own (indentation only, no YAML parser), not by the code under test.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One warning line: `file:line:col: warning: message (at #/pointer)`.
#[derive(Debug)]
struct Warning {
    file: PathBuf,
    at: (usize, usize),
    pointer: String,
    line: String,
}

/// The warnings of `clientgen generate` on `spec`, run from `dir`.
fn warnings(spec: &Path, dir: &Path) -> Vec<Warning> {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, Ordering::Relaxed);
    let out = std::env::temp_dir().join(format!("clientgen-locations-{}-{run}", std::process::id()));
    let output = Command::new(env!("CARGO_BIN_EXE_clientgen"))
        .args(["generate", "--name", "located", "--out"])
        .arg(&out)
        .arg("--spec")
        .arg(spec)
        .current_dir(dir)
        .output()
        .expect("clientgen runs");
    let _ = std::fs::remove_dir_all(&out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{}: {stderr}", spec.display());
    stderr
        .lines()
        .filter_map(|line| {
            let (place, rest) = line.split_once(": warning: ")?;
            let mut parts = place.rsplitn(3, ':');
            let column = parts.next()?.parse().ok()?;
            let row = parts.next()?.parse().ok()?;
            let file = dir.join(parts.next()?);
            let pointer = rest.rsplit_once("(at #")?.1.strip_suffix(')')?.to_owned();
            Some(Warning { file, at: (row, column), pointer, line: line.to_owned() })
        })
        .collect()
}

/// Where the node at `pointer` starts in a block-style YAML text, by
/// indentation alone: a mapping entry at its key, a sequence item at its
/// content after `- `. `None` where the path goes into a value written on
/// its key's line (a scalar, a flow collection) or a line this scan does not
/// read (a complex key).
fn scan(text: &str, pointer: &str) -> Option<(usize, usize)> {
    // Content lines: line number, indentation, text after it.
    let lines: Vec<(usize, usize, &str)> = text
        .lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let content = line.trim_start_matches(' ');
            let skip = content.is_empty() || content.starts_with('#') || content == "---";
            (!skip).then_some((index + 1, line.len() - content.len(), content))
        })
        .collect();
    let is_item = |content: &str| content == "-" || content.starts_with("- ");
    // The lines of the node reached so far; an item's first line starts after its `- `.
    let mut node = lines;
    let mut at = (1, 1);
    for segment in pointer.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~")) {
        let &(_, indent, first) = node.first()?;
        if is_item(first) {
            let starts: Vec<usize> =
                (0..node.len()).filter(|&i| node[i].1 == indent && is_item(node[i].2)).collect();
            let index: usize = segment.parse().ok()?;
            let start = *starts.get(index)?;
            let end = starts.get(index + 1).copied().unwrap_or(node.len());
            let (line, _, content) = node[start];
            let rest = content[1..].trim_start_matches(' ');
            let mut item = Vec::new();
            if !rest.is_empty() {
                item.push((line, indent + content.len() - rest.len(), rest));
            }
            item.extend_from_slice(&node[start + 1..end]);
            let &(line, column, _) = item.first()?;
            at = (line, column + 1);
            node = item;
        } else {
            let (index, value) = (0..node.len()).find_map(|i| {
                let (_, column, content) = node[i];
                let (key, value) = if column == indent { split_key(content)? } else { return None };
                (key == segment).then_some((i, value))
            })?;
            let (line, ..) = node[index];
            at = (line, indent + 1);
            // The value: the lines below the key, indented more (or items at the
            // key's own indentation).
            let below = &node[index + 1..];
            let indentless = below.first().is_some_and(|&(_, column, content)| column == indent && is_item(content));
            let end = below
                .iter()
                .position(|&(_, column, content)| column < indent || (column == indent && !(indentless && is_item(content))))
                .unwrap_or(below.len());
            let written_here = !value.is_empty() && !value.starts_with(['&', '!']);
            node = if written_here { Vec::new() } else { below[..end].to_vec() };
        }
    }
    Some(at)
}

/// The key and what follows its `:` on a `key: value` line.
fn split_key(content: &str) -> Option<(String, &str)> {
    let (key, rest) = if let Some(quoted) = content.strip_prefix('"') {
        let mut escaped = false;
        let close = quoted.char_indices().find(|&(_, c)| {
            let closes = c == '"' && !escaped;
            escaped = c == '\\' && !escaped;
            closes
        })?;
        let key: String = serde_json::from_str(&content[..close.0 + 2]).ok()?;
        (key, &quoted[close.0 + 1..])
    } else if let Some(quoted) = content.strip_prefix('\'') {
        let bytes = quoted.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            if bytes[at] == b'\'' {
                if bytes.get(at + 1) == Some(&b'\'') {
                    at += 2;
                    continue;
                }
                break;
            }
            at += 1;
        }
        (quoted[..at].replace("''", "'"), quoted.get(at + 1..)?)
    } else {
        let colon = content.find(": ").or_else(|| content.strip_suffix(':').map(str::len))?;
        (content[..colon].to_owned(), &content[colon..])
    };
    let value = rest.strip_prefix(':')?;
    let value = value.split(" #").next().unwrap_or_default().trim();
    Some((key, value))
}

/// Checks every warning of `spec` against [`scan`]; returns how many were checked.
fn check_warnings(spec: &Path, dir: &Path) -> usize {
    let mut checked = 0;
    let mut mislocated = Vec::new();
    for warning in warnings(spec, dir) {
        let text = std::fs::read_to_string(&warning.file).expect("the warning's file is readable");
        match scan(&text, &warning.pointer) {
            Some(at) if at == warning.at => checked += 1,
            Some(at) => mislocated.push(format!("{} (the node is at {}:{})", warning.line, at.0, at.1)),
            None => eprintln!("not checked (not plain block YAML there): {}", warning.line),
        }
    }
    assert!(mislocated.is_empty(), "{}: mislocated warnings:\n{}", spec.display(), mislocated.join("\n"));
    checked
}

/// Docker Engine's `/build` parameters after a flow mapping that libyaml
/// reads and yaml-rust2 rejects: the warnings were at 1:1.
#[test]
fn warnings_after_what_yaml_rust2_rejects_are_at_their_nodes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/locations");
    let found = warnings(Path::new("docker-build.yaml"), &dir);
    let lines: Vec<&str> = found.iter().map(|warning| warning.line.as_str()).collect();
    assert_eq!(
        lines,
        [
            "docker-build.yaml:135:11: warning: collectionFormat `tsv` has no OpenAPI 3 form here; the values are sent comma-separated (at #/paths/~1build/post/parameters/24/collectionFormat)",
            "docker-build.yaml:123:11: warning: header parameter `Content-type` is ignored: the client sets it from the media types and credentials (at #/paths/~1build/post/parameters/22)",
        ]
    );
    assert_eq!(check_warnings(Path::new("docker-build.yaml"), &dir), 2);
}

/// The scan itself, on the shapes it reads.
#[test]
fn the_scan_finds_keys_and_items() {
    let text = "a:\n  'q''k': 1\n  \"x/y\":\n    - b: 2\n      c:\n      - 3\n    -\n      d: |\n        - not: an item\n      e: 4 # note\n";
    assert_eq!(scan(text, "/a/q'k"), Some((2, 3)));
    assert_eq!(scan(text, "/a/x~1y/0"), Some((4, 7)));
    assert_eq!(scan(text, "/a/x~1y/0/c/0"), Some((6, 9)));
    assert_eq!(scan(text, "/a/x~1y/1"), Some((8, 7)));
    assert_eq!(scan(text, "/a/x~1y/1/e"), Some((10, 7)));
    assert_eq!(scan(text, "/a/x~1y/1/d/0"), None);
    assert_eq!(scan(text, "/a/x~1y/2"), None);
}

/// Every warning of large real specs (Swagger 2.0 YAML, such as Docker Engine's
/// `swagger.yaml`), when they are at hand: `CLIENTGEN_LOCATION_SPECS` lists
/// them (as `PATH` does). `bench/locations.sh` fetches a corpus and runs this.
#[test]
#[ignore = "needs large specs: set CLIENTGEN_LOCATION_SPECS (see bench/locations.sh)"]
fn every_warning_of_large_specs_is_at_its_node() {
    let specs = std::env::var_os("CLIENTGEN_LOCATION_SPECS").expect("CLIENTGEN_LOCATION_SPECS lists the specs");
    let mut checked = 0;
    for spec in std::env::split_paths(&specs) {
        let spec = std::path::absolute(&spec).expect("an absolute path");
        let count = check_warnings(&spec, spec.parent().expect("a file in a directory"));
        eprintln!("{}: {count} warnings at their nodes", spec.display());
        checked += count;
    }
    assert!(checked > 0, "no warning was checked");
}
