//! Credentials that can never be sent right are refused when the client is
//! built, naming the setter and never the secret: a Basic user name with `:`
//! (RFC 7617 splits at the first one), an empty or non-hex signing key (an
//! HMAC with an empty key proves nothing), and a signer that would add fields
//! to the signature header.

use api_clients::{klarna_payments, talon_one};

fn build_error<T: std::fmt::Debug>(result: Result<T, api_clients::runtime::Error>) -> String {
    match result {
        Err(api_clients::runtime::Error::InvalidRequest(message)) => message,
        other => panic!("expected the client to be refused, got {other:?}"),
    }
}

#[test]
fn a_basic_user_name_containing_a_colon_is_refused() {
    let message = build_error(klarna_payments::Client::builder("https://api.example.com").basic_auth("merchant:eu", "s3cret").build());
    assert_eq!(
        message,
        "the credential set with `basic_auth` (security scheme basicAuth) has a user name containing `:`, \
         which HTTP Basic cannot carry unambiguously"
    );
    assert!(!message.contains("s3cret"));
    // A colon in the password is fine: only the first one separates.
    klarna_payments::Client::builder("https://api.example.com").basic_auth("merchant", "s3:cret").build().unwrap();
}

#[test]
fn an_empty_signing_key_is_refused() {
    let message = build_error(talon_one::Client::builder("https://x.talon.one").integration_auth("322", "").build());
    assert_eq!(message, "the credential set with `integration_auth` (security scheme integration_auth) has an empty signing key");
}

#[test]
fn a_signer_that_would_add_fields_to_the_signature_header_is_refused() {
    for signer in ["32;2", "a=b", "a,b", "x\r\ny", "x\ny", ""] {
        let result = talon_one::Client::builder("https://x.talon.one").integration_auth(signer, "6a9f0c1e").build();
        let message = build_error(result);
        assert!(message.starts_with("the credential set with `integration_auth`"), "{signer:?}: {message}");
        assert!(!message.contains("6a9f0c1e"), "the key is never shown");
    }
    talon_one::Client::builder("https://x.talon.one").integration_auth("322", "6a9f0c1e").build().unwrap();
}
