//! Inputs that once crashed, hung or made clientgen write code that does not
//! parse (most found by `fuzz/`): each must now end in output or diagnostics.
//! A panic and an internal error (`generated code does not parse`) both fail.

use std::path::Path;

/// Runs the whole pipeline on `text`: `Err` only for an internal error.
fn run(input: &Path, text: String) -> Result<(), String> {
    let document = match clientgen::load::load_str(input, text) {
        Ok(document) => document,
        Err(diagnostics) => {
            let _ = diagnostics.to_string();
            return Ok(());
        }
    };
    let _ = document.warnings().to_string();
    let generator = clientgen::Generator::crate_module("regression");
    match generator.generate(&document, &clientgen::progress::Progress::silent()) {
        Ok(_) => Ok(()),
        Err(clientgen::Error::Internal(internal)) => Err(internal),
        Err(other) => {
            let _ = other.to_string();
            Ok(())
        }
    }
}

#[test]
fn past_crashes_end_in_output_or_diagnostics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no regression inputs in {}", dir.display());
    for input in inputs {
        let text = String::from_utf8_lossy(&std::fs::read(&input).unwrap()).into_owned();
        let outcome = std::panic::catch_unwind(|| run(&input, text));
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(internal)) => panic!("{}: {internal}", input.display()),
            Err(_) => panic!("{} panics", input.display()),
        }
    }
}
