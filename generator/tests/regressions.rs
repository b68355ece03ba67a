//! Inputs that once crashed or hung clientgen (most found by `fuzz/`): each
//! must now end in output or diagnostics.

use std::path::Path;

#[test]
fn past_crashes_end_in_output_or_diagnostics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no regression inputs in {}", dir.display());
    for input in inputs {
        let text = String::from_utf8_lossy(&std::fs::read(&input).unwrap()).into_owned();
        let outcome = std::panic::catch_unwind(|| match clientgen::load::load_str(&input, text) {
            Ok(document) => match clientgen::lower::lower(&document) {
                Ok(api) => clientgen::emit::render_module(&api, "regression", false).map(|_| ()).map_err(|e| e.to_string()),
                Err(diagnostics) => Err(diagnostics.to_string()),
            },
            Err(diagnostics) => Err(diagnostics.to_string()),
        });
        assert!(outcome.is_ok(), "{} panics", input.display());
    }
}
