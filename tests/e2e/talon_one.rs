//! Talon.One Integration API: all 13 operations on the wire with the spec's
//! example payloads and `Authorization: ApiKey-v1 <key>`; the optional query
//! flags sent only when set; the v1 operations also with only the
//! `Content-Signature` credential; 200/201/204 answers (and the 200-or-204
//! bulk profile update); undocumented statuses.
//!
//! Two operations are deprecated in the spec, so the tests calling them allow
//! `deprecated`.

use api_clients::talon_one::operations::UpdateCustomerProfilesV2Response;
use api_clients::talon_one::types::{
    CampaignFeaturesItem, CampaignState, CouponRejectionReasonReason, CouponReservations,
    CustomerProfileAudienceRequest, CustomerProfileAudienceRequestItemAction, CustomerProfileIntegrationRequestV2,
    CustomerSessionState, CustomerSessionV2State, IntegrationRequest, LimitConfigEntitiesItem,
    MultipleCustomerProfileIntegrationRequest, NewCustomerProfile, NewCustomerSession, NewEvent, NewReferral,
};
use api_clients::talon_one::{Client, Error};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use wiremock::matchers::{any, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{JsonBody, SameJsonBody, json_of, only_request, same_json, spec_example};

const API_KEY: &str = "dbc644d33aa74d582bd9479c59e16f970fe13bf3";
/// The Application id that signs, and its key (hex), for `integration_auth`.
const SIGNER: &str = "322";
const APPLICATION_KEY: &str = "6a9f0c1e5b7d3a2f8c4e1b0d9a7f5c3e";

// Path parameters: the spec's examples.
const SESSION_ID: &str = "customer_session_id_example";
const INTEGRATION_ID: &str = "integration_id_example";
const COUPON: &str = "coupon_value_example";

// The operations in the spec (JSON pointers).
const SESSION_V2: &str = "/paths/~1v2~1customer_sessions~1{customerSessionId}/put";
const SESSION_V1: &str = "/paths/~1v1~1customer_sessions~1{customerSessionId}/put";
const PROFILE_V2: &str = "/paths/~1v2~1customer_profiles~1{integrationId}/put";
const PROFILES_V2: &str = "/paths/~1v2~1customer_profiles/put";
const PROFILE_V1: &str = "/paths/~1v1~1customer_profiles~1{integrationId}/put";
const AUDIENCES: &str = "/paths/~1v2~1customer_audiences/post";
const INVENTORY: &str = "/paths/~1v1~1customer_profiles~1{integrationId}~1inventory/get";
const EVENTS: &str = "/paths/~1v1~1events/post";
const REFERRALS: &str = "/paths/~1v1~1referrals/post";
const RESERVE: &str = "/paths/~1v1~1coupon_reservations~1{couponValue}/post";
const UNRESERVE: &str = "/paths/~1v1~1coupon_reservations~1{couponValue}/delete";
const RESERVED: &str = "/paths/~1v1~1coupon_reservations~1customerprofiles~1{couponValue}/get";

fn request_example(operation: &str) -> Value {
    spec_example("talon-one", &format!("{operation}/requestBody/content/application~1json/example"))
}

fn response_example(operation: &str, status: u16) -> Value {
    spec_example("talon-one", &format!("{operation}/responses/{status}/content/application~1json/example"))
}

/// The operation's request example as its generated request type.
fn typed<T: DeserializeOwned>(operation: &str) -> T {
    serde_json::from_value(request_example(operation))
        .unwrap_or_else(|e| panic!("the request example of {operation} does not decode: {e}"))
}

/// A client with the `api_key_v1` credential, the one every operation accepts.
fn client(server: &MockServer) -> Client {
    Client::builder(server.uri()).api_key_v1(API_KEY).retries(0).build().unwrap()
}

/// A client with only the `integration_auth` credential (`Content-Signature`).
fn signature_client(server: &MockServer) -> Client {
    Client::builder(server.uri()).integration_auth(SIGNER, APPLICATION_KEY).retries(0).build().unwrap()
}

fn api_key() -> wiremock::matchers::HeaderExactMatcher {
    header("Authorization", format!("ApiKey-v1 {API_KEY}").as_str())
}

fn json_content() -> wiremock::matchers::HeaderExactMatcher {
    header("Content-Type", "application/json")
}

fn answer(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// The query string of every request the server received, in order.
async fn queries(server: &MockServer) -> Vec<Option<String>> {
    server.received_requests().await.unwrap().iter().map(|r| r.url.query().map(str::to_owned)).collect()
}

/// The decoded response encodes back to the example it came from: nothing was
/// dropped or misread on the way in.
fn assert_lossless<T: Serialize>(decoded: &T, example: &Value) {
    let encoded = serde_json::to_value(decoded).unwrap();
    assert!(same_json(&encoded, example), "decoded and re-encoded:\n{encoded:#}\nexample:\n{example:#}");
}

#[tokio::test]
async fn update_customer_session_v2_puts_the_session_and_sends_dry_only_when_set() {
    let server = MockServer::start().await;
    let request_body = request_example(SESSION_V2);
    let response_body = response_example(SESSION_V2, 200);
    Mock::given(method("PUT"))
        .and(path(format!("/v2/customer_sessions/{SESSION_ID}")))
        .and(api_key())
        .and(json_content())
        // `additionalCosts.shipping.price: 9` is a `type: number` (f64): it goes out as 9.0.
        .and(SameJsonBody(request_body.clone()))
        .respond_with(answer(200, &response_body))
        .expect(2)
        .mount(&server)
        .await;

    let body: IntegrationRequest = typed(SESSION_V2);
    let talon = client(&server);
    let state = talon.integration().update_customer_session_v2(SESSION_ID, &body).send().await.unwrap();
    talon.integration().update_customer_session_v2(SESSION_ID, &body).dry(true).send().await.unwrap();

    assert_eq!(queries(&server).await, [None, Some("dry=true".to_owned())]);
    assert_eq!(state.status(), 200);
    let session = state.customer_session.as_ref().unwrap();
    assert_eq!((session.integration_id.as_str(), session.state.clone()), (SESSION_ID, CustomerSessionV2State::Open));
    assert_eq!((session.total, session.cart_item_total, session.additional_cost_total), (108.99, 99.99, 9.0));
    assert_eq!(session.additional_costs.as_ref().unwrap()["shipping"].price, 9.0);
    let campaign = &state.triggered_campaigns.as_ref().unwrap()[0];
    assert_eq!((campaign.state.clone(), campaign.features.clone()), (CampaignState::Enabled, vec![CampaignFeaturesItem::Coupons]));
    assert_eq!(campaign.limits[0].entities, [LimitConfigEntitiesItem::Coupon]);
    assert_eq!(state.effects[1].props["value"], json!(10.9));
    assert_eq!(state.rule_failure_reasons.as_ref().unwrap()[0].ruleset_id, 5);
    assert!(state.created_coupons.is_empty() && state.created_referrals.is_empty());
    assert_lossless(state.body(), &response_body);
}

#[tokio::test]
#[allow(deprecated, reason = "updateCustomerSession is deprecated in the spec")]
async fn update_customer_session_puts_the_v1_session_and_sends_dry_only_when_set() {
    let server = MockServer::start().await;
    let request_body = request_example(SESSION_V1);
    let response_body = response_example(SESSION_V1, 200);
    Mock::given(method("PUT"))
        .and(path(format!("/v1/customer_sessions/{SESSION_ID}")))
        .and(api_key())
        .and(json_content())
        .and(JsonBody(request_body))
        .respond_with(answer(200, &response_body))
        .expect(2)
        .mount(&server)
        .await;

    let body: NewCustomerSession = typed(SESSION_V1);
    let talon = client(&server);
    let state = talon.integration().update_customer_session(SESSION_ID, &body).send().await.unwrap();
    talon.integration().update_customer_session(SESSION_ID, &body).dry(false).send().await.unwrap();

    assert_eq!(queries(&server).await, [None, Some("dry=false".to_owned())]);
    assert_eq!(state.status(), 200);
    assert_eq!((state.session.coupon.as_str(), state.session.state.clone()), ("SUMMER-A2B4-5C8D", CustomerSessionState::Open));
    assert_eq!(state.profile.total_sales, 299.97);
    assert_eq!(state.event.effects[0]["effectType"], "rejectCoupon");
    let rejection = state.event.meta.as_ref().unwrap().coupon_rejection_reason.as_ref().unwrap();
    assert_eq!(rejection.reason, CouponRejectionReasonReason::CouponExpired);
    assert_lossless(state.body(), &response_body);
}

#[tokio::test]
async fn update_customer_profile_v2_puts_the_profile_and_sends_its_flags_only_when_set() {
    let server = MockServer::start().await;
    let request_body = request_example(PROFILE_V2);
    let response_body = response_example(PROFILE_V2, 200);
    Mock::given(method("PUT"))
        .and(path(format!("/v2/customer_profiles/{INTEGRATION_ID}")))
        .and(api_key())
        .and(json_content())
        .and(JsonBody(request_body))
        .respond_with(answer(200, &response_body))
        .expect(2)
        .mount(&server)
        .await;

    let body: CustomerProfileIntegrationRequestV2 = typed(PROFILE_V2);
    let talon = client(&server);
    let state = talon.integration().update_customer_profile_v2(INTEGRATION_ID, &body).send().await.unwrap();
    talon
        .integration()
        .update_customer_profile_v2(INTEGRATION_ID, &body)
        .run_rule_engine(true)
        .dry(false)
        .send()
        .await
        .unwrap();

    assert_eq!(queries(&server).await, [None, Some("runRuleEngine=true&dry=false".to_owned())]);
    assert_eq!(state.status(), 200);
    let profile = state.customer_profile.as_ref().unwrap();
    assert_eq!(profile.attributes["ShippingCountry"], "DE");
    assert_eq!(profile.audience_memberships.as_ref().unwrap()[0].name, "Travel audience");
    assert_eq!(profile.loyalty_memberships.as_ref().unwrap()[0].loyalty_program_id, 323414);
    assert_lossless(state.body(), &response_body);
}

#[tokio::test]
async fn update_customer_profiles_v2_decodes_200_with_states_and_silent_204() {
    let server = MockServer::start().await;
    let request_body = request_example(PROFILES_V2);
    let response_body = response_example(PROFILES_V2, 200);
    Mock::given(method("PUT"))
        .and(path("/v2/customer_profiles"))
        .and(api_key())
        .and(json_content())
        .and(JsonBody(request_body.clone()))
        .and(query_param_is_missing("silent"))
        .respond_with(answer(200, &response_body))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v2/customer_profiles"))
        .and(api_key())
        .and(json_content())
        .and(JsonBody(request_body))
        .and(query_param("silent", "yes"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let body: MultipleCustomerProfileIntegrationRequest = typed(PROFILES_V2);
    let talon = client(&server);
    let loud = talon.integration().update_customer_profiles_v2(&body).send().await.unwrap();
    let silent = talon.integration().update_customer_profiles_v2(&body).silent("yes").send().await.unwrap();

    assert_eq!(queries(&server).await, [None, Some("silent=yes".to_owned())]);
    assert_eq!(loud.status(), 200);
    let UpdateCustomerProfilesV2Response::Ok(states) = loud.body() else {
        panic!("a 200 carries the integration states, got {:?}", loud.body());
    };
    let ids: Vec<&str> = states
        .integration_states
        .as_ref()
        .unwrap()
        .iter()
        .map(|state| state.customer_profile.as_ref().unwrap().integration_id.as_str())
        .collect();
    assert_eq!(ids, ["R195412", "G244519"]);
    assert_lossless(states, &response_body);
    assert_eq!(silent.status(), 204);
    assert_eq!(silent.into_inner(), UpdateCustomerProfilesV2Response::NoContent);
}

#[tokio::test]
#[allow(deprecated, reason = "updateCustomerProfile is deprecated in the spec")]
async fn update_customer_profile_puts_the_v1_profile_and_sends_dry_only_when_set() {
    let server = MockServer::start().await;
    let request_body = request_example(PROFILE_V1);
    let response_body = response_example(PROFILE_V1, 200);
    Mock::given(method("PUT"))
        .and(path(format!("/v1/customer_profiles/{INTEGRATION_ID}")))
        .and(api_key())
        .and(json_content())
        .and(JsonBody(request_body))
        .respond_with(answer(200, &response_body))
        .expect(2)
        .mount(&server)
        .await;

    let body: NewCustomerProfile = typed(PROFILE_V1);
    let talon = client(&server);
    let state = talon.integration().update_customer_profile(INTEGRATION_ID, &body).send().await.unwrap();
    talon.integration().update_customer_profile(INTEGRATION_ID, &body).dry(true).send().await.unwrap();

    assert_eq!(queries(&server).await, [None, Some("dry=true".to_owned())]);
    assert_eq!(state.status(), 200);
    assert_eq!(state.profile.attributes["Name"], "Jane Doe");
    assert_eq!(state.event.r#type, "talon_profile_updated");
    assert_eq!(state.session.profile_id, INTEGRATION_ID);
    assert_lossless(state.body(), &response_body);
}

#[tokio::test]
async fn update_customer_profile_audiences_posts_the_changes_and_decodes_204() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/customer_audiences"))
        .and(api_key())
        .and(json_content())
        .and(JsonBody(request_example(AUDIENCES)))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let body: CustomerProfileAudienceRequest = typed(AUDIENCES);
    let actions: Vec<_> = body.data.iter().flatten().map(|item| item.action.clone()).collect();
    assert_eq!(actions, [CustomerProfileAudienceRequestItemAction::Add, CustomerProfileAudienceRequestItemAction::Delete]);
    let done = client(&server).integration().update_customer_profile_audiences(&body).send().await.unwrap();

    assert_eq!(done.status(), 204);
    let () = done.into_inner();
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn get_customer_inventory_sends_its_flags_only_when_set() {
    let server = MockServer::start().await;
    let response_body = response_example(INVENTORY, 200);
    Mock::given(method("GET"))
        .and(path(format!("/v1/customer_profiles/{INTEGRATION_ID}/inventory")))
        .and(api_key())
        .respond_with(answer(200, &response_body))
        .expect(2)
        .mount(&server)
        .await;

    let talon = client(&server);
    let inventory = talon.integration().get_customer_inventory(INTEGRATION_ID).send().await.unwrap();
    talon
        .integration()
        .get_customer_inventory(INTEGRATION_ID)
        .profile(true)
        .referrals(true)
        .coupons(false)
        .loyalty(true)
        .send()
        .await
        .unwrap();

    assert_eq!(queries(&server).await, [None, Some("profile=true&referrals=true&coupons=false&loyalty=true".to_owned())]);
    for request in server.received_requests().await.unwrap() {
        assert!(request.body.is_empty() && !request.headers.contains_key("content-type"), "a GET carries no body");
    }
    assert_eq!(inventory.status(), 200);
    assert_eq!(inventory.profile.as_ref().unwrap().integration_id, INTEGRATION_ID);
    let program = &inventory.loyalty.as_ref().unwrap().programs["323414"];
    assert_eq!((program.ledger.current_balance, program.sub_ledgers.as_ref().unwrap()["shoes"].current_balance), (100.0, 40.0));
    assert_eq!(inventory.referrals.as_ref().unwrap()[0].code, "27G47Y54VH9L");
    assert_eq!(inventory.coupons.as_ref().unwrap()[0].reservation, Some(true));
    assert_lossless(inventory.body(), &response_body);
}

#[tokio::test]
async fn delete_customer_data_deletes_without_a_body_and_decodes_204() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v1/customer_data/{INTEGRATION_ID}")))
        .and(api_key())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let deleted = client(&server).integration().delete_customer_data(INTEGRATION_ID).send().await.unwrap();

    assert_eq!(deleted.status(), 204);
    let () = deleted.into_inner();
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), None);
    assert!(request.body.is_empty() && !request.headers.contains_key("content-type"));
}

#[tokio::test]
async fn track_event_posts_the_event_decodes_201_and_sends_dry_only_when_set() {
    let server = MockServer::start().await;
    let response_body = response_example(EVENTS, 201);
    Mock::given(method("POST"))
        .and(path("/v1/events"))
        .and(api_key())
        .and(json_content())
        .and(JsonBody(request_example(EVENTS)))
        .respond_with(answer(201, &response_body))
        .expect(2)
        .mount(&server)
        .await;

    let body: NewEvent = typed(EVENTS);
    let talon = client(&server);
    let state = talon.integration().track_event(&body).send().await.unwrap();
    talon.integration().track_event(&body).dry(true).send().await.unwrap();

    assert_eq!(queries(&server).await, [None, Some("dry=true".to_owned())]);
    assert_eq!(state.status(), 201);
    assert_eq!((state.event.r#type.as_str(), state.event.session_id.as_deref()), ("pageViewed", Some("175KJPS947296")));
    assert_eq!(state.event.ledger_entries[0].amount, 10);
    assert_eq!(state.loyalty.as_ref().unwrap().programs["323414"].ledger.current_balance, 110.0);
    assert_lossless(state.body(), &response_body);
}

#[tokio::test]
async fn create_referral_posts_the_referral_and_decodes_201() {
    let server = MockServer::start().await;
    let request_body = request_example(REFERRALS);
    let response_body = response_example(REFERRALS, 201);
    Mock::given(method("POST"))
        .and(path("/v1/referrals"))
        .and(api_key())
        .and(json_content())
        .and(JsonBody(request_body))
        .respond_with(answer(201, &response_body))
        .expect(1)
        .mount(&server)
        .await;

    let body: NewReferral = typed(REFERRALS);
    let referral = client(&server).integration().create_referral(&body).send().await.unwrap();

    assert_eq!(referral.status(), 201);
    assert_eq!((referral.id, referral.campaign_id, referral.code.as_str()), (6, 78, "27G47Y54VH9L"));
    assert_eq!(referral.friend_profile_integration_id.as_deref(), Some("BZGGC2454PA"));
    assert_eq!(referral.expiry_date.unwrap().to_rfc3339(), "2021-12-31T23:59:59+00:00");
    assert_lossless(referral.body(), &response_body);
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), None);
    assert_eq!(json_of(&request)["startDate"], "2021-07-10T00:00:00Z", "a date-time goes out as written");
}

#[tokio::test]
async fn create_coupon_reservation_posts_the_profiles_and_decodes_201() {
    let server = MockServer::start().await;
    let response_body = response_example(RESERVE, 201);
    Mock::given(method("POST"))
        .and(path(format!("/v1/coupon_reservations/{COUPON}")))
        .and(api_key())
        .and(json_content())
        .and(JsonBody(request_example(RESERVE)))
        .respond_with(answer(201, &response_body))
        .expect(1)
        .mount(&server)
        .await;

    let body: CouponReservations = typed(RESERVE);
    let coupon = client(&server).integration().create_coupon_reservation(COUPON, &body).send().await.unwrap();

    assert_eq!(coupon.status(), 201);
    assert_eq!((coupon.value.as_str(), coupon.batch_id.as_deref()), (COUPON, Some("axghjfdy")));
    assert_eq!((coupon.discount_remainder, coupon.reservation), (Some(30.0), Some(true)));
    assert_lossless(coupon.body(), &response_body);
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn delete_coupon_reservation_deletes_with_a_json_body_and_decodes_204() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v1/coupon_reservations/{COUPON}")))
        .and(api_key())
        .and(json_content())
        .and(JsonBody(request_example(UNRESERVE)))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let body: CouponReservations = typed(UNRESERVE);
    let released = client(&server).integration().delete_coupon_reservation(COUPON, &body).send().await.unwrap();

    assert_eq!(released.status(), 204);
    let () = released.into_inner();
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn get_reserved_customers_gets_the_profiles_of_a_coupon() {
    let server = MockServer::start().await;
    let response_body = response_example(RESERVED, 200);
    Mock::given(method("GET"))
        .and(path(format!("/v1/coupon_reservations/customerprofiles/{COUPON}")))
        .and(api_key())
        .respond_with(answer(200, &response_body))
        .expect(1)
        .mount(&server)
        .await;

    let reserved = client(&server).integration().get_reserved_customers(COUPON).send().await.unwrap();

    assert_eq!(reserved.status(), 200);
    assert_eq!(reserved.total_result_size, 1);
    assert_eq!(reserved.data[0].integration_id, "R195412");
    assert_eq!(reserved.data[0].closed_sessions, 3);
    assert_lossless(reserved.body(), &response_body);
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), None);
    assert!(request.body.is_empty());
}

/// Answers every operation (by method and path) with its documented success.
async fn serve_every_operation(server: &MockServer) {
    let routes = [
        ("PUT", format!("/v2/customer_sessions/{SESSION_ID}"), 200, Some(response_example(SESSION_V2, 200))),
        ("PUT", format!("/v1/customer_sessions/{SESSION_ID}"), 200, Some(response_example(SESSION_V1, 200))),
        ("PUT", format!("/v2/customer_profiles/{INTEGRATION_ID}"), 200, Some(response_example(PROFILE_V2, 200))),
        ("PUT", "/v2/customer_profiles".to_owned(), 204, None),
        ("PUT", format!("/v1/customer_profiles/{INTEGRATION_ID}"), 200, Some(response_example(PROFILE_V1, 200))),
        ("POST", "/v2/customer_audiences".to_owned(), 204, None),
        ("GET", format!("/v1/customer_profiles/{INTEGRATION_ID}/inventory"), 200, Some(response_example(INVENTORY, 200))),
        ("DELETE", format!("/v1/customer_data/{INTEGRATION_ID}"), 204, None),
        ("POST", "/v1/events".to_owned(), 201, Some(response_example(EVENTS, 201))),
        ("POST", "/v1/referrals".to_owned(), 201, Some(response_example(REFERRALS, 201))),
        ("POST", format!("/v1/coupon_reservations/{COUPON}"), 201, Some(response_example(RESERVE, 201))),
        ("DELETE", format!("/v1/coupon_reservations/{COUPON}"), 204, None),
        ("GET", format!("/v1/coupon_reservations/customerprofiles/{COUPON}"), 200, Some(response_example(RESERVED, 200))),
    ];
    for (verb, route, status, body) in routes {
        let response = match body {
            Some(body) => answer(status, &body),
            None => ResponseTemplate::new(status),
        };
        Mock::given(method(verb)).and(path(route)).respond_with(response).mount(server).await;
    }
}

/// Calls the nine v1 operations, which accept `api_key_v1` or `integration_auth`.
#[allow(deprecated, reason = "two of the v1 operations are deprecated in the spec")]
async fn call_every_v1_operation(talon: &Client) {
    let api = talon.integration();
    api.update_customer_session(SESSION_ID, &typed(SESSION_V1)).send().await.unwrap();
    api.update_customer_profile(INTEGRATION_ID, &typed(PROFILE_V1)).send().await.unwrap();
    api.get_customer_inventory(INTEGRATION_ID).send().await.unwrap();
    api.delete_customer_data(INTEGRATION_ID).send().await.unwrap();
    api.track_event(&typed(EVENTS)).send().await.unwrap();
    api.create_referral(&typed(REFERRALS)).send().await.unwrap();
    api.create_coupon_reservation(COUPON, &typed(RESERVE)).send().await.unwrap();
    api.delete_coupon_reservation(COUPON, &typed(UNRESERVE)).send().await.unwrap();
    api.get_reserved_customers(COUPON).send().await.unwrap();
}

/// Calls the four v2 operations, which accept only `api_key_v1`.
async fn call_every_v2_operation(talon: &Client) {
    let api = talon.integration();
    api.update_customer_session_v2(SESSION_ID, &typed(SESSION_V2)).send().await.unwrap();
    api.update_customer_profile_v2(INTEGRATION_ID, &typed(PROFILE_V2)).send().await.unwrap();
    api.update_customer_profiles_v2(&typed(PROFILES_V2)).send().await.unwrap();
    api.update_customer_profile_audiences(&typed(AUDIENCES)).send().await.unwrap();
}

#[tokio::test]
async fn every_v1_operation_authenticates_with_only_the_content_signature() {
    let server = MockServer::start().await;
    serve_every_operation(&server).await;

    call_every_v1_operation(&signature_client(&server)).await;

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 9);
    for request in requests {
        let route = format!("{} {}", request.method, request.url.path());
        // Checked with an HMAC written out from RFC 2104, not the runtime's `hmac` crate.
        let key = hex::decode(APPLICATION_KEY).unwrap();
        let expected = format!("signer={SIGNER}; signature={}", crate::support::hmac_md5_hex(&key, &request.body));
        assert_eq!(request.headers.get("Content-Signature").map(|v| v.to_str().unwrap()), Some(expected.as_str()), "{route}");
        assert!(!request.headers.contains_key("Authorization"), "{route} sent an Authorization header");
    }
}

#[tokio::test]
async fn with_both_credentials_every_operation_sends_only_the_api_key() {
    let server = MockServer::start().await;
    serve_every_operation(&server).await;
    let talon =
        Client::builder(server.uri()).api_key_v1(API_KEY).integration_auth(SIGNER, APPLICATION_KEY).retries(0).build().unwrap();

    call_every_v1_operation(&talon).await;
    call_every_v2_operation(&talon).await;

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 13);
    let expected = format!("ApiKey-v1 {API_KEY}");
    for request in requests {
        let route = format!("{} {}", request.method, request.url.path());
        let authorization: Vec<_> = request.headers.get_all("Authorization").iter().map(|v| v.to_str().unwrap()).collect();
        assert_eq!(authorization, [expected.as_str()], "{route}");
        assert!(!request.headers.contains_key("Content-Signature"), "{route} sent both credentials");
    }
}

#[tokio::test]
async fn v2_operations_never_send_the_content_signature() {
    let server = MockServer::start().await;
    serve_every_operation(&server).await;

    // v2 does not accept integration_auth, and no api_key_v1 is configured:
    // each call is refused before sending, naming the scheme it needs.
    let talon = signature_client(&server);
    let api = talon.integration();
    let refusals = [
        api.update_customer_session_v2(SESSION_ID, &typed(SESSION_V2)).send().await.map(|_| ()),
        api.update_customer_profile_v2(INTEGRATION_ID, &typed(PROFILE_V2)).send().await.map(|_| ()),
        api.update_customer_profiles_v2(&typed(PROFILES_V2)).send().await.map(|_| ()),
        api.update_customer_profile_audiences(&typed(AUDIENCES)).send().await.map(|_| ()),
    ];
    for refusal in refusals {
        assert!(
            matches!(&refusal, Err(Error::InvalidRequest(message)) if message.contains("`api_key_v1`")),
            "{refusal:?}"
        );
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn undocumented_statuses_are_unexpected_with_the_raw_body() {
    // Talon.One documents no error responses, so every error status is undocumented.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_raw("{\"message\":\"unauthorized\"}", "application/json"))
        .mount(&server)
        .await;
    match client(&server).integration().get_reserved_customers(COUPON).send().await {
        Err(Error::UnexpectedStatus(response)) => {
            assert_eq!(response.status(), 401);
            assert_eq!(response.body().as_ref(), b"{\"message\":\"unauthorized\"}");
        }
        other => panic!("expected UnexpectedStatus(401), got {other:?}"),
    }

    // A 200 where only 204 is documented.
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_string("ok")).mount(&server).await;
    match client(&server).integration().delete_customer_data(INTEGRATION_ID).send().await {
        Err(Error::UnexpectedStatus(response)) => {
            assert_eq!(response.status(), 200);
            assert_eq!(response.body().as_ref(), b"ok");
        }
        other => panic!("expected UnexpectedStatus(200), got {other:?}"),
    }
}

#[tokio::test]
async fn operations_answering_json_send_accept_application_json() {
    let server = MockServer::start().await;
    serve_every_operation(&server).await;
    let talon = client(&server);

    call_every_v1_operation(&talon).await;
    call_every_v2_operation(&talon).await;

    // All but the three operations documented with a 204 only.
    let without_body = ["DELETE /v1/customer_data/", "DELETE /v1/coupon_reservations/", "POST /v2/customer_audiences"];
    for request in server.received_requests().await.unwrap() {
        let route = format!("{} {}", request.method, request.url.path());
        if without_body.iter().any(|prefix| route.starts_with(prefix)) {
            continue;
        }
        let accept: Vec<_> = request.headers.get_all("Accept").iter().map(|v| v.to_str().unwrap()).collect();
        assert_eq!(accept, ["application/json"], "{route}");
    }
}
