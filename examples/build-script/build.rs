//! Generates the Pet Store client from `spec/petstore.yaml` (and the files it
//! references) into `OUT_DIR/petstore.rs`; Cargo reruns this when any of them
//! changes.

fn main() {
    let generated = clientgen::Builder::new("spec/petstore.yaml").deny_warnings(true).generate();
    if let Err(error) = generated {
        // Diagnostics name the file, line, column and JSON pointer of each problem.
        eprint!("{error}");
        std::process::exit(1);
    }
}
