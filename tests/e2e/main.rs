//! End-to-end tests: every operation of every generated client is called
//! against a real HTTP server on loopback (wiremock), checking what goes on
//! the wire and how each documented response decodes; plus the runtime's wire
//! safety and resilience.

mod inbank;
mod klarna_payments;
mod credentials;
mod durations;
mod form_bodies;
mod inline_unions_and_auth_param;
mod limits;
mod mock;
mod oauth2;
mod objects;
mod owned_headers;
mod ksef;
mod pagination;
mod payrix;
mod raw_http;
mod redirects;
mod refusals;
mod resilience;
mod runtime_paths;
mod sdk;
mod seed_examples;
mod servers;
mod sse;
mod streams;
mod support;
mod talon_one;
mod tokens;
mod tracing_spans;
mod walks;
mod wire_paths;
mod wire_manners;
mod wire_safety;
