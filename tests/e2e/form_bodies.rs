//! Form bodies with arrays and objects, on the wire, in each style OpenAPI's
//! `encoding` object gives (`clientgen_tests::form_arrays`).

use std::collections::BTreeMap;

use clientgen_tests::form_arrays::types::{CreateCommitBody, SearchBody, SearchBodyFilter, SearchBodyMeta, SearchBodyPoint};
use clientgen_tests::form_arrays::{Client, Error};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::only_request;

async fn answering(status: u16) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(status).set_body_json(serde_json::json!({}))).mount(&server).await;
    let client = Client::builder(server.uri()).retries(0).build().unwrap();
    (server, client)
}

async fn sent_body(server: &MockServer) -> String {
    let request = only_request(server).await;
    assert_eq!(request.headers["content-type"], "application/x-www-form-urlencoded");
    String::from_utf8(request.body).unwrap()
}

#[tokio::test]
async fn an_array_of_objects_is_sent_in_bracket_notation() {
    let (server, client) = answering(201).await;
    let create = BTreeMap::from([
        (String::from("action"), serde_json::json!("create")),
        (String::from("file_path"), serde_json::json!("docs/a b.md")),
    ]);
    let delete = BTreeMap::from([(String::from("action"), serde_json::json!("delete"))]);
    let body = CreateCommitBody::new("main", vec![create, delete]);
    client.commits().create_commit("42", &body).send().await.unwrap();
    assert_eq!(
        sent_body(&server).await,
        "branch=main&actions%5B0%5D%5Baction%5D=create&actions%5B0%5D%5Bfile_path%5D=docs%2Fa+b.md&actions%5B1%5D%5Baction%5D=delete"
    );
}

#[tokio::test]
#[allow(clippy::field_reassign_with_default, reason = "generated structs are `#[non_exhaustive]`: no struct literals")]
async fn each_property_is_sent_in_its_style() {
    let (server, client) = answering(204).await;
    let mut point = SearchBodyPoint::default();
    point.x = Some(1);
    point.y = Some(2);
    let mut filter = SearchBodyFilter::default();
    filter.color = Some(String::from("red"));
    filter.size = Some(9);
    let mut meta = SearchBodyMeta::default();
    meta.source = Some(String::from("app"));
    let body = SearchBody::new("shoes & socks")
        .tags(vec![String::from("a"), String::from("b,c")])
        .ids(vec![1, 2, 3])
        .words(vec![String::from("big"), String::from("blue")])
        .flags(vec![String::from("x"), String::from("y|z")])
        .point(point)
        .filter(filter)
        .meta(meta);
    client.search().search(&body).send().await.unwrap();
    let sent = sent_body(&server).await;
    let pairs: Vec<&str> = sent.split('&').collect();
    assert_eq!(
        pairs,
        [
            "q=shoes+%26+socks",
            // form, exploded (the default): the key repeated
            "tags=a",
            "tags=b%2Cc",
            // form, not exploded: comma-joined
            "ids=1,2,3",
            // spaceDelimited and pipeDelimited
            "words=big+blue",
            "flags=x%7Cy%7Cz",
            // an object, form, exploded: one pair per property
            "x=1",
            "y=2",
            // deepObject
            "filter%5Bcolor%5D=red",
            "filter%5Bsize%5D=9",
            // contentType JSON
            "meta=%7B%22source%22%3A%22app%22%7D",
        ]
    );
}

#[tokio::test]
async fn what_a_joined_style_cannot_carry_is_refused_naming_the_field() {
    let (server, client) = answering(204).await;
    let corner = BTreeMap::from([(String::from("x"), serde_json::json!(1))]);
    let body = SearchBody::new("q").corners(vec![corner]);
    let error = client.search().search(&body).send().await.unwrap_err();
    match error {
        Error::InvalidRequest(message) => assert!(message.contains("form field `corners`"), "{message}"),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing is sent");
}

#[tokio::test]
async fn a_swagger_2_array_form_field_is_comma_joined_as_its_default_collection_format_says() {
    use clientgen_tests::swagger2;
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    let client = swagger2::Client::builder(server.uri()).basic_auth("ann", "secret").retries(0).build().unwrap();
    let body = swagger2::types::RenamePetBody::new("Rex").nicknames(vec![String::from("T-Rex"), String::from("Rexy boy")]);
    client.pets().rename_pet(7, &body).send().await.unwrap();
    assert_eq!(sent_body(&server).await, "name=Rex&nicknames=T-Rex,Rexy+boy");
}
