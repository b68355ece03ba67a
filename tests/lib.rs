//! Compiles every golden module against the runtime template, so that
//! `cargo test` fails when the generator writes code that does not build.
//! `golden.rs` checks that each fixture has its module declared here.
#![allow(missing_docs)]

#[path = "../templates/runtime.rs"]
pub mod runtime;

#[path = "golden/all_of/mod.rs"]
pub mod all_of;

#[path = "golden/bodies/mod.rs"]
pub mod bodies;

#[path = "golden/enums/mod.rs"]
pub mod enums;

#[path = "golden/keywords/mod.rs"]
pub mod keywords;

#[path = "golden/lenient/mod.rs"]
pub mod lenient;

#[path = "golden/nested/mod.rs"]
pub mod nested;

#[path = "golden/nullable/mod.rs"]
pub mod nullable;

#[path = "golden/params/mod.rs"]
pub mod params;

#[path = "golden/recursion/mod.rs"]
pub mod recursion;

#[path = "golden/responses/mod.rs"]
pub mod responses;

#[path = "golden/security/mod.rs"]
pub mod security;

#[path = "golden/tag_features/mod.rs"]
pub mod tag_features;

#[path = "golden/unions/mod.rs"]
pub mod unions;
