//! Any text through load → lower → emit: clientgen must answer with output or
//! diagnostics, never a panic, a hang or a stack overflow.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let document = match clientgen::load::load_str(Path::new("fuzz.yaml"), text.to_owned()) {
        Ok(document) => document,
        Err(diagnostics) => {
            // Rendering locates each pointer in the text: exercise it too.
            let _ = diagnostics.to_string();
            return;
        }
    };
    match clientgen::lower::lower(&document) {
        Ok(api) => {
            let _ = clientgen::emit::render_module(&api, "fuzz.yaml", false);
        }
        Err(diagnostics) => {
            let _ = diagnostics.to_string();
        }
    }
});
