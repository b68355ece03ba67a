//! End-to-end tests: ksef (to be written).
