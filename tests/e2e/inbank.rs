//! End-to-end tests: inbank (to be written).
