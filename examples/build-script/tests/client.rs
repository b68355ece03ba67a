//! The client generated in build.rs runs: it builds requests and reports a
//! transport failure as the runtime's `Error`.

#[tokio::test]
async fn the_generated_client_sends_requests() {
    // Nothing listens on port 9 of loopback (discard): the call fails to connect.
    let client = clientgen_build_example::petstore::Client::builder("http://127.0.0.1:9")
        .retries(0)
        .build()
        .expect("a valid base URL");
    let error = clientgen_build_example::pet_names(&client).await.expect_err("no server");
    assert!(matches!(error, clientgen_build_example::petstore::Error::Transport(_)), "{error:?}");
    assert_eq!(clientgen_build_example::petstore::servers::PRODUCTION, "https://pets.example.com/v1");
}
