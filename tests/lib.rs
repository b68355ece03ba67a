//! Compiles every golden module against the runtime template, so that
//! `cargo test` fails when the generator writes code that does not build.
//! `golden.rs` checks that each fixture has its module declared here.
#![allow(missing_docs)]

#[path = "../templates/runtime.rs"]
pub mod runtime;
