//! Inbank e-POS `createPosSession`: the seed's Smart Rent request on the wire
//! with a bearer token, the 201 answer, the typed `{message}` bodies of the
//! documented 401/403/404/500 answers, and undocumented statuses.

use api_clients::inbank::types::{
    CreatePosSessionRequest, CreatePosSessionRequestCurrency, CustomerDataGender, Purchase,
    RentalApplicationData, RentalAsset, RentalAssetType,
};
use api_clients::inbank::{Client, Error};
use serde_json::{Value, json};
use uuid::Uuid;
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{JsonBody, SameJsonBody, json_of, only_request, spec_example};

const TOKEN: &str = "inbank-api-key-0f9e8d7c";
const SHOP: &str = "a93f1f44-d5dd-4469-bfcc-c1de9e969213";
const OPERATION: &str = "/paths/~1partner~1v3~1shops~1{shopUuid}~1pos-sessions/post";

fn example(pointer: &str) -> Value {
    spec_example("inbank", pointer)
}

fn client(server: &MockServer) -> Client {
    Client::builder(server.uri()).bearer_token(TOKEN).retries(0).build().unwrap()
}

fn shop() -> Uuid {
    SHOP.parse().unwrap()
}

fn request_example() -> Value {
    example(&format!("{OPERATION}/requestBody/content/application~1json/example"))
}

fn seed_request() -> CreatePosSessionRequest {
    serde_json::from_value(request_example()).expect("the request example is a CreatePosSessionRequest")
}

async fn answering(status: u16, body: &Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(status).set_body_json(body)).expect(1).mount(&server).await;
    server
}

#[tokio::test]
async fn create_pos_session_posts_the_seed_request_with_the_bearer_token_and_decodes_201() {
    let server = MockServer::start().await;
    let request_body = request_example();
    let response_body = example(&format!("{OPERATION}/responses/201/content/application~1json/example"));
    Mock::given(method("POST"))
        .and(path(format!("/partner/v3/shops/{SHOP}/pos-sessions")))
        .and(header("Authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("Content-Type", "application/json"))
        // `period: 24`, `grossTradeInAmount: 50` and `grossCampaignDiscount: 0` are
        // `type: number` (f64) fields and go out as 24.0, 50.0 and 0.0: the same JSON numbers.
        .and(SameJsonBody(request_body.clone()))
        .respond_with(ResponseTemplate::new(201).set_body_json(&response_body))
        .expect(1)
        .mount(&server)
        .await;

    let body = seed_request();
    assert_eq!(body.currency, CreatePosSessionRequestCurrency::Eur);
    assert_eq!(body.customer_data.as_ref().unwrap().gender, Some(CustomerDataGender::F));
    assert_eq!(body.rental_application_data.assets[0].r#type, Some(RentalAssetType::ModelBased));
    let created = client(&server).pos_sessions().create_pos_session(shop(), &body).send().await.unwrap();

    assert_eq!(created.status(), 201);
    assert_eq!(created.uuid.as_deref(), Some("5e3a459a-aada-4d81-b6ad-09cb9483c8bf"));
    assert_eq!(created.status.as_deref(), Some("pending"));
    assert_eq!(
        created.redirect_url.as_deref(),
        Some("https://demo-epos.inbank.ee/session/5e3a459a-aada-4d81-b6ad-09cb9483c8bf")
    );

    let request = only_request(&server).await;
    assert_eq!(request.url.query(), None);
    let sent = json_of(&request);
    assert_eq!(sent["validUntil"], "2021-02-17T11:10:00+02:00", "the offset is kept");
    assert_eq!(sent["rentalApplicationData"]["assets"][0]["netPrice"], json!(699.17));
    assert_eq!(sent["integrationInfo"], request_body["integrationInfo"]);
}

#[tokio::test]
async fn create_pos_session_leaves_the_optional_objects_out() {
    let server = MockServer::start().await;
    let response_body = example(&format!("{OPERATION}/responses/201/content/application~1json/example"));
    let minimal = json!({
        "productCode": "smart_rent_ee",
        "currency": "EUR",
        "locale": "et-ET",
        "purchase": {"description": "A phone"},
        "rentalApplicationData": {"assets": [{"modelName": "Phone", "netPrice": 100.5}], "period": 12.5}
    });
    Mock::given(method("POST"))
        .and(path(format!("/partner/v3/shops/{SHOP}/pos-sessions")))
        .and(JsonBody(minimal))
        .respond_with(ResponseTemplate::new(201).set_body_json(&response_body))
        .expect(1)
        .mount(&server)
        .await;
    // The required fields go to `new`, optional ones to chained setters.
    let body = CreatePosSessionRequest::new(
        "smart_rent_ee",
        CreatePosSessionRequestCurrency::Eur,
        "et-ET",
        Purchase::new("A phone"),
        RentalApplicationData::new(vec![RentalAsset::new("Phone", 100.5)], 12.5),
    );
    let created = client(&server).pos_sessions().create_pos_session(shop(), &body).send().await.unwrap();
    assert_eq!(created.status(), 201);
}

#[tokio::test]
async fn create_pos_session_401_403_404_and_500_are_typed_message_bodies() {
    for status in [401, 403, 404, 500] {
        let body = example(&format!("{OPERATION}/responses/{status}/content/application~1json/example"));
        let server = answering(status, &body).await;
        match client(&server).pos_sessions().create_pos_session(shop(), &seed_request()).send().await {
            Err(Error::Api(response)) => {
                assert_eq!(response.status(), status);
                assert_eq!(response.body().message.as_deref(), body["message"].as_str());
            }
            other => panic!("expected the typed {status} body, got {other:?}"),
        }
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "a POST is sent once");
    }
}

#[tokio::test]
async fn a_201_without_redirect_url_or_with_a_non_uuid_identifier_is_still_a_session() {
    // The documentation promises neither a UUID-formatted `uuid` nor a `redirectUrl`.
    for answer in [json!({"uuid": "ps-000123", "status": "pending"}), json!({}), json!({"redirectUrl": "https://epos.example/s/1"})] {
        let server = answering(201, &answer).await;
        let created = client(&server).pos_sessions().create_pos_session(shop(), &seed_request()).send().await.unwrap();
        assert_eq!(created.uuid.as_deref(), answer["uuid"].as_str());
        assert_eq!(created.redirect_url.as_deref(), answer["redirectUrl"].as_str());
    }
}

#[tokio::test]
async fn undocumented_statuses_are_unexpected_with_the_raw_body() {
    for status in [418, 200] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(status).set_body_raw("{\"message\":\"teapot\"}", "application/json"))
            .mount(&server)
            .await;
        match client(&server).pos_sessions().create_pos_session(shop(), &seed_request()).send().await {
            Err(Error::UnexpectedStatus(response)) => {
                assert_eq!(response.status(), status);
                assert_eq!(response.body().as_ref(), b"{\"message\":\"teapot\"}");
            }
            other => panic!("expected UnexpectedStatus({status}), got {other:?}"),
        }
    }
}
