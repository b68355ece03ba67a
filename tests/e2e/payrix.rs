//! End-to-end tests: payrix (to be written).
