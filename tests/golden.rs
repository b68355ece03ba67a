//! Golden-file tests: each fixture spec under `fixtures/` is generated and
//! compared byte for byte with `golden/<fixture>/`. `lib.rs` compiles every
//! golden module, so a golden file that does not build fails too.
//!
//! The warnings a fixture raises are kept beside its output, in `warnings.txt`
//! (absent when there are none).
//!
//! Only the files directly in `fixtures/` are fixtures; the files they reference
//! (multi-file specs) live in subdirectories such as `fixtures/parts/`.
//!
//! Each fixture's usage guide is `golden/<fixture>/guide.md`, and the examples
//! in it run as doctests of the golden modules (`cargo test --doc -p clientgen-tests`).
//!
//! To accept a deliberate change: `UPDATE_EXPECT=1 cargo test -p clientgen-tests --test golden
//! --no-default-features` (so the old golden modules need not compile), then review the diff of
//! `tests/golden/` and run the tests again with the default features. A new fixture: add the spec, run that
//! command, then declare its module in `lib.rs` (the test says how). A removed fixture: remove
//! `golden/<fixture>/` and its module in `lib.rs` too (a test names what is left).

use std::path::{Path, PathBuf};

use expect_test::expect_file;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures exists")
        .map(|entry| entry.expect("readable fixtures directory").path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|ext| ext == "yaml" || ext == "json"))
        .collect();
    specs.sort();
    specs
}

/// How a fixture is generated: as a module of this crate, named after `origin`
/// in its headers. Fixtures named `tag-features*` get per-tag Cargo features;
/// `Cargo.toml` of this crate declares (and turns on) the features they use.
fn generator(spec: &Path, origin: &str) -> clientgen::Generator {
    let generator = clientgen::Generator::crate_module(origin);
    let stem = spec.file_stem().expect("fixture has a name").to_string_lossy();
    if stem.starts_with("tag-features") { generator.tag_features("", Vec::new()) } else { generator }
}

fn module_name(spec: &Path) -> String {
    spec.file_stem().expect("fixture has a name").to_string_lossy().replace('-', "_")
}

#[test]
fn generated_modules_match_golden_files() {
    let specs = fixtures();
    assert!(!specs.is_empty(), "no fixture specs found");
    for spec in &specs {
        let module = module_name(spec);
        let origin = format!("tests/fixtures/{}", spec.file_name().unwrap().to_string_lossy());
        // The golden modules are compiled in this crate, which runs each
        // operation's example as a doctest.
        let generated = generator(spec, &origin)
            .documented(format!("clientgen_tests::{module}"), "clientgen_tests")
            .generate_file(spec, &clientgen::progress::Progress::silent())
            .unwrap_or_else(|error| panic!("{} does not generate:\n{error}", spec.display()));
        let files = &generated.output.files;
        let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden").join(&module);
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            // A new fixture: expect-test writes files but not their directory.
            std::fs::create_dir_all(&golden).unwrap();
        }
        expect_file![golden.join("mod.rs")].assert_eq(&files.root);
        expect_file![golden.join("operations.rs")].assert_eq(&files.operations);
        expect_file![golden.join("types.rs")].assert_eq(&files.types);
        for (path, text) in &files.parts {
            if std::env::var_os("UPDATE_EXPECT").is_some() {
                std::fs::create_dir_all(golden.join(path).parent().unwrap()).unwrap();
            }
            expect_file![golden.join(path)].assert_eq(text);
        }
        let parts: Vec<&str> = files.parts.iter().map(|(path, _)| path.as_str()).collect();
        assert_golden_parts(&golden, &parts);
        expect_file![golden.join("guide.md")].assert_eq(files.guide.as_deref().unwrap_or_default());
        let prefix = format!("{}/", env!("CARGO_MANIFEST_DIR"));
        let warnings = generated.warnings.to_string().replace(&prefix, "");
        let warnings_file = golden.join("warnings.txt");
        if !warnings.is_empty() || warnings_file.exists() {
            expect_file![warnings_file].assert_eq(&warnings);
        }
    }
}

/// The files under `golden/<fixture>/operations/` and `types/` are exactly
/// the generated ones; with `UPDATE_EXPECT`, stale ones are removed.
fn assert_golden_parts(golden: &Path, parts: &[&str]) {
    for dir in ["operations", "types"] {
        let Ok(entries) = std::fs::read_dir(golden.join(dir)) else { continue };
        for entry in entries {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let path = format!("{dir}/{name}");
            if parts.contains(&path.as_str()) {
                continue;
            }
            if std::env::var_os("UPDATE_EXPECT").is_some() {
                std::fs::remove_file(golden.join(&path)).unwrap();
            } else {
                panic!("{} is no longer generated; run with UPDATE_EXPECT=1 to remove it", golden.join(path).display());
            }
        }
    }
}

#[test]
fn every_golden_module_is_compiled() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("lib.rs")).unwrap();
    for spec in fixtures() {
        let module = module_name(&spec);
        let declaration = format!("#[cfg(feature = \"golden-modules\")]\n#[path = \"golden/{module}/mod.rs\"]\npub mod {module};");
        assert!(lib.contains(&declaration), "tests/lib.rs must declare\n{declaration}");
    }
}

/// A fixture's golden output goes with it: a directory under `golden/` or a
/// `#[path = "golden/…"]` module in `lib.rs` left from a deleted (or renamed)
/// fixture is named, so that it is removed rather than compiled and kept forever.
#[test]
fn every_golden_directory_and_module_has_a_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let modules: Vec<String> = fixtures().iter().map(|spec| module_name(spec)).collect();
    let mut leftovers = Vec::new();
    for entry in std::fs::read_dir(root.join("golden")).expect("tests/golden exists") {
        let entry = entry.expect("readable golden directory");
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && !modules.contains(&name) {
            leftovers.push(format!("tests/golden/{name}/ (remove the directory)"));
        }
    }
    let lib = std::fs::read_to_string(root.join("lib.rs")).unwrap();
    for (number, line) in lib.lines().enumerate() {
        let Some(rest) = line.trim().strip_prefix("#[path = \"golden/") else { continue };
        let name = rest.split('/').next().unwrap_or_default();
        if !modules.iter().any(|module| module == name) {
            leftovers.push(format!("tests/lib.rs:{}: module of golden/{name} (remove its declaration)", number + 1));
        }
    }
    leftovers.sort();
    assert!(
        leftovers.is_empty(),
        "golden output without a fixture in tests/fixtures/ (a fixture `a-b.yaml` is golden/a_b):\n  {}",
        leftovers.join("\n  ")
    );
}

#[test]
fn generated_crate_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let generated = clientgen::workspace_files(root).unwrap_or_else(|error| panic!("{error}"));
    let changes = generated.output.changes().unwrap();
    assert!(
        changes.is_empty(),
        "generated/ is stale; run `cargo run --release -p clientgen -- generate`:\n{}",
        changes.summary()
    );
}

#[test]
fn generation_is_deterministic() {
    for spec in fixtures() {
        let generate = || generator(&spec, "x").generate_file(&spec, &clientgen::progress::Progress::silent()).unwrap();
        let (first, second) = (generate(), generate());
        assert_eq!(first.warnings, second.warnings, "{} warns differently twice", spec.display());
        assert_eq!(first, second, "{} generates differently twice", spec.display());
    }
}
