//! The client generated in build.rs runs: it builds requests and reports a
//! transport failure as the runtime's `Error`.

use clientgen_build_example::petstore;

#[tokio::test]
async fn the_generated_client_sends_requests() {
    // Nothing listens on port 9 of loopback (discard): the call fails to connect.
    let client = petstore::Client::builder("http://127.0.0.1:9")
        .api_key("secret")
        .retries(0)
        .build()
        .expect("a valid base URL");
    let error = clientgen_build_example::pet_names(&client).await.expect_err("no server");
    assert!(matches!(error, petstore::Error::Transport(_)), "{error:?}");
}

/// The module's own nested modules (`servers`, and `schemes` behind the
/// credential setter above) reach the module's runtime too.
#[test]
fn server_helpers_check_their_variables() {
    assert_eq!(petstore::servers::PRODUCTION, "https://pets.example.com/v1");
    assert_eq!(petstore::servers::regional("us").expect("a listed region"), "https://us.pets.example.com/v1");
    assert!(matches!(petstore::servers::regional("mars"), Err(petstore::Error::InvalidRequest(_))));
}
