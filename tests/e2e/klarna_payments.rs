//! End-to-end tests: klarna_payments (to be written).
