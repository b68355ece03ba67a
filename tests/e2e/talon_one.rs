//! End-to-end tests: talon_one (to be written).
