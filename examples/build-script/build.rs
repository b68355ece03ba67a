//! Generates the Pet Store client from `spec/petstore.yaml` (and the files it
//! references) into `OUT_DIR/petstore.rs`; Cargo reruns this when any of them
//! changes. The application uses the `pets` operations only, so only they, and
//! the types they use, are generated.

fn main() {
    let generated = clientgen::Builder::new("spec/petstore.yaml").only_tags(["pets"]).deny_warnings(true).generate();
    if let Err(error) = generated {
        // Diagnostics name the file, line, column and JSON pointer of each problem.
        eprint!("{error}");
        std::process::exit(1);
    }
}
