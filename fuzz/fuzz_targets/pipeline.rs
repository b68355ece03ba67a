//! Any text through load → upgrade → lower → emit: clientgen must answer with
//! output or diagnostics, never a panic, a hang, a stack overflow, or code that
//! does not parse (`clientgen::Error::Internal`, which fails like a panic).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // Referenced files are looked up beside this name; none exist, which the
    // loader must report as diagnostics too.
    let document = match clientgen::load::load_str(Path::new("fuzz-input/spec.yaml"), text.to_owned()) {
        Ok(document) => document,
        Err(diagnostics) => {
            // Rendering locates each pointer in the text: exercise it too.
            let _ = diagnostics.to_string();
            return;
        }
    };
    let _ = document.warnings().to_string();
    match clientgen::Generator::crate_module("fuzz.yaml").generate(&document, &clientgen::progress::Progress::silent()) {
        Ok(_) => {}
        Err(clientgen::Error::Internal(internal)) => panic!("{internal}"),
        Err(other) => {
            let _ = other.to_string();
        }
    }
});
