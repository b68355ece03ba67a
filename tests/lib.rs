//! Compiles every golden module against the runtime template, so that
//! `cargo test` fails when the generator writes code that does not build.
//! `golden.rs` checks that each fixture has its module declared here.
//!
//! The modules sit behind the default feature `golden-modules`, so that after a
//! change to the generated code's shape the golden files can be rewritten
//! (`--no-default-features`) before they compile again.
#![allow(missing_docs)]

#[path = "../templates/runtime/mod.rs"]
pub mod runtime;

// What the examples of the golden modules reach through the crate, as they
// would in a generated crate.
pub use ::{bytes, futures_core, futures_util, reqwest, serde_json};

#[cfg(test)]
mod sse_parser;

/// The README's Rust examples, compiled (and, unless marked otherwise, run)
/// as doctests of this crate.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;

#[cfg(feature = "golden-modules")]
#[path = "golden/all_of/mod.rs"]
pub mod all_of;

#[cfg(feature = "golden-modules")]
#[path = "golden/bodies/mod.rs"]
pub mod bodies;

#[cfg(feature = "golden-modules")]
#[path = "golden/enums/mod.rs"]
pub mod enums;

#[cfg(feature = "golden-modules")]
#[path = "golden/examples/mod.rs"]
pub mod examples;

#[cfg(feature = "golden-modules")]
#[path = "golden/form_arrays/mod.rs"]
pub mod form_arrays;

#[cfg(feature = "golden-modules")]
#[path = "golden/keywords/mod.rs"]
pub mod keywords;

#[cfg(feature = "golden-modules")]
#[path = "golden/lenient/mod.rs"]
pub mod lenient;

#[cfg(feature = "golden-modules")]
#[path = "golden/multi_file/mod.rs"]
pub mod multi_file;

#[cfg(feature = "golden-modules")]
#[path = "golden/nested/mod.rs"]
pub mod nested;

#[cfg(feature = "golden-modules")]
#[path = "golden/nullable/mod.rs"]
pub mod nullable;

#[cfg(feature = "golden-modules")]
#[path = "golden/openapi31/mod.rs"]
pub mod openapi31;

#[cfg(feature = "golden-modules")]
#[path = "golden/openapi31_webhooks_only/mod.rs"]
pub mod openapi31_webhooks_only;

#[cfg(feature = "golden-modules")]
#[path = "golden/pagination_cursor_body/mod.rs"]
pub mod pagination_cursor_body;

#[cfg(feature = "golden-modules")]
#[path = "golden/pagination_cursor_header/mod.rs"]
pub mod pagination_cursor_header;

#[cfg(feature = "golden-modules")]
#[path = "golden/pagination_page/mod.rs"]
pub mod pagination_page;

#[cfg(feature = "golden-modules")]
#[path = "golden/params/mod.rs"]
pub mod params;

#[cfg(feature = "golden-modules")]
#[path = "golden/recursion/mod.rs"]
pub mod recursion;

#[cfg(feature = "golden-modules")]
#[path = "golden/responses/mod.rs"]
pub mod responses;

#[cfg(feature = "golden-modules")]
#[path = "golden/security/mod.rs"]
pub mod security;

#[cfg(feature = "golden-modules")]
#[path = "golden/streams/mod.rs"]
pub mod streams;

#[cfg(feature = "golden-modules")]
#[path = "golden/swagger2/mod.rs"]
pub mod swagger2;

#[cfg(feature = "golden-modules")]
#[path = "golden/tag_features/mod.rs"]
pub mod tag_features;

#[cfg(feature = "golden-modules")]
#[path = "golden/tokens/mod.rs"]
pub mod tokens;

#[cfg(feature = "golden-modules")]
#[path = "golden/unions/mod.rs"]
pub mod unions;

#[cfg(feature = "golden-modules")]
#[path = "golden/warnings/mod.rs"]
pub mod warnings;

#[cfg(feature = "golden-modules")]
#[path = "golden/servers_missing/mod.rs"]
pub mod servers_missing;

#[cfg(feature = "golden-modules")]
#[path = "golden/servers_relative/mod.rs"]
pub mod servers_relative;

#[cfg(feature = "golden-modules")]
#[path = "golden/servers_scheme_relative/mod.rs"]
pub mod servers_scheme_relative;
