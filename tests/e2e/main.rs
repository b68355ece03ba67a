//! End-to-end tests: every operation of every generated client is called
//! against a real HTTP server on loopback (wiremock), checking what goes on
//! the wire and how each documented response decodes.

mod support;
