//! Every example request and response body in the five specs (the seeds'
//! examples, kept as `example`s) deserializes into its generated type and
//! serializes back to the same JSON (numbers compared by value: see
//! [`same_json`]). Each test also checks that it covered every body example
//! of its spec, so an example added later cannot go untested.

use std::collections::BTreeSet;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::support::{same_json, spec_example};

/// The body examples of one spec, and which of them a test has checked.
struct Examples {
    spec: &'static str,
    pending: BTreeSet<String>,
}

impl Examples {
    /// Lists the spec's media-type examples (request bodies, responses,
    /// shared responses); parameter and schema examples are parts, not bodies.
    fn of(spec: &'static str) -> Self {
        let document = spec_example(spec, "");
        let mut pending = BTreeSet::new();
        let mut content = |content: Option<&Value>, at: String| {
            for (media, body) in content.and_then(Value::as_object).into_iter().flatten() {
                let at = format!("{at}/content/{}", escape(media));
                if body.get("example").is_some() {
                    pending.insert(format!("{at}/example"));
                }
                for name in body.get("examples").and_then(Value::as_object).into_iter().flatten().map(|(name, _)| name) {
                    pending.insert(format!("{at}/examples/{}/value", escape(name)));
                }
            }
        };
        for (path, item) in document["paths"].as_object().into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let at = format!("/paths/{}/{method}", escape(path));
                content(operation.pointer("/requestBody/content"), format!("{at}/requestBody"));
                for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                    content(response.get("content"), format!("{at}/responses/{status}"));
                }
            }
        }
        for kind in ["responses", "requestBodies"] {
            for (name, shared) in document["components"][kind].as_object().into_iter().flatten() {
                content(shared.get("content"), format!("/components/{kind}/{}", escape(name)));
            }
        }
        assert!(!pending.is_empty(), "{spec}.yaml has no body examples");
        Examples { spec, pending }
    }

    /// Decodes the example at `pointer` as `T`, encodes it again and compares.
    fn round_trip<T: DeserializeOwned + Serialize>(&mut self, pointer: &str) -> &mut Self {
        assert!(self.pending.remove(pointer), "{}.yaml: no unchecked body example at {pointer}", self.spec);
        let example = spec_example(self.spec, pointer);
        let typed: T = serde_json::from_value(example.clone())
            .unwrap_or_else(|e| panic!("{}.yaml {pointer} does not decode as {}: {e}", self.spec, std::any::type_name::<T>()));
        let back = serde_json::to_value(&typed).unwrap();
        if let Some(difference) = difference(&back, &example, String::new()) {
            panic!("{}.yaml {pointer} changed on the way back: {difference}", self.spec);
        }
        self
    }

    fn all_checked(&self) {
        assert!(self.pending.is_empty(), "{}.yaml: body examples no test decodes: {:#?}", self.spec, self.pending);
    }
}

/// Where `back` differs from `example`, if it does. Equal JSON as [`same_json`]
/// sees it, and one more spelling: a `format: date-time` field is a
/// `chrono::DateTime<FixedOffset>`, which writes `+00:00` as `Z` and fractions
/// in groups of three digits; two date-times with the same instant and offset
/// are the same value.
fn difference(back: &Value, example: &Value, at: String) -> Option<String> {
    match (back, example) {
        (Value::Array(b), Value::Array(e)) if b.len() == e.len() => {
            b.iter().zip(e).enumerate().find_map(|(i, (b, e))| difference(b, e, format!("{at}/{i}")))
        }
        (Value::Object(b), Value::Object(e)) if b.len() == e.len() => e.iter().find_map(|(key, e)| match b.get(key) {
            Some(b) => difference(b, e, format!("{at}/{}", escape(key))),
            None => Some(format!("{at}/{} is missing", escape(key))),
        }),
        (Value::String(b), Value::String(e)) if b != e => {
            let instant = |text: &str| chrono::DateTime::parse_from_rfc3339(text).ok();
            match (instant(b), instant(e)) {
                (Some(b), Some(e)) if b == e && b.offset() == e.offset() => None,
                _ => Some(format!("{at}: {back} instead of {example}")),
            }
        }
        _ if same_json(back, example) => None,
        _ => Some(format!("{at}: {back} instead of {example}")),
    }
}

/// A JSON pointer token: `~` and `/` escaped.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

const JSON: &str = "content/application~1json/example";

#[test]
fn klarna_payments() {
    use api_clients::klarna_payments::types::{ErrorV2, MerchantSession, Session, SessionCreate, SessionRead};
    let (sessions, session) = ("/paths/~1payments~1v1~1sessions", "/paths/~1payments~1v1~1sessions~1{session_id}");
    Examples::of("klarna-payments")
        .round_trip::<SessionCreate>(&format!("{sessions}/post/requestBody/{JSON}"))
        .round_trip::<MerchantSession>(&format!("{sessions}/post/responses/200/{JSON}"))
        .round_trip::<ErrorV2>(&format!("{sessions}/post/responses/400/{JSON}"))
        .round_trip::<SessionRead>(&format!("{session}/get/responses/200/{JSON}"))
        .round_trip::<ErrorV2>(&format!("{session}/get/responses/404/{JSON}"))
        .round_trip::<Session>(&format!("{session}/post/requestBody/{JSON}"))
        .all_checked();
}

#[test]
fn payrix() {
    use api_clients::payrix::types::{
        ErrorFourHundred, SessionsPostRequest, SessionsPostResponseResult, SessionsResponseResult,
    };
    let (sessions, session) = ("/paths/~1sessions", "/paths/~1sessions~1{id}");
    Examples::of("payrix")
        .round_trip::<SessionsResponseResult>(&format!("{session}/get/responses/200/{JSON}"))
        .round_trip::<SessionsResponseResult>(&format!("{session}/delete/responses/200/{JSON}"))
        .round_trip::<SessionsPostResponseResult>(&format!("{sessions}/get/responses/200/{JSON}"))
        .round_trip::<SessionsPostRequest>(&format!("{sessions}/post/requestBody/{JSON}"))
        .round_trip::<SessionsResponseResult>(&format!("{sessions}/post/responses/200/{JSON}"))
        .round_trip::<ErrorFourHundred>(&format!("/components/responses/errorFourHundred/{JSON}"))
        .all_checked();
}

#[test]
fn payrix_request_id_is_read_and_written_in_both_documented_forms() {
    use api_clients::payrix::types::{Details, RequestId};
    for (wire, typed) in [(r#"{"requestId":"1"}"#, RequestId::String("1".into())), (r#"{"requestId":1}"#, RequestId::Integer(1))] {
        let details: Details = serde_json::from_str(wire).unwrap();
        assert_eq!(details.request_id, Some(typed));
        assert_eq!(serde_json::to_string(&details).unwrap(), wire);
    }
}

#[test]
fn inbank() {
    use api_clients::inbank::types::{CreatePosSessionRequest, ErrorResponse, PosSession};
    let sessions = "/paths/~1partner~1v3~1shops~1{shopUuid}~1pos-sessions/post";
    let mut examples = Examples::of("inbank");
    examples
        .round_trip::<CreatePosSessionRequest>(&format!("{sessions}/requestBody/{JSON}"))
        .round_trip::<PosSession>(&format!("{sessions}/responses/201/{JSON}"));
    for status in [401, 403, 404, 500] {
        examples.round_trip::<ErrorResponse>(&format!("{sessions}/responses/{status}/{JSON}"));
    }
    examples.all_checked();
}

#[test]
fn talon_one() {
    use api_clients::talon_one::types::{
        Coupon, CouponReservations, CustomerInventory, CustomerProfileAudienceRequest,
        CustomerProfileIntegrationRequestV2, InlineResponse200, IntegrationRequest, IntegrationState,
        IntegrationStateV2, MultipleCustomerProfileIntegrationRequest, MultipleCustomerProfileIntegrationResponseV2,
        NewCustomerProfile, NewCustomerSession, NewEvent, NewReferral, Referral,
    };
    let session_v2 = "/paths/~1v2~1customer_sessions~1{customerSessionId}/put";
    let session_v1 = "/paths/~1v1~1customer_sessions~1{customerSessionId}/put";
    let profile_v2 = "/paths/~1v2~1customer_profiles~1{integrationId}/put";
    let profiles_v2 = "/paths/~1v2~1customer_profiles/put";
    let profile_v1 = "/paths/~1v1~1customer_profiles~1{integrationId}/put";
    let reservation = "/paths/~1v1~1coupon_reservations~1{couponValue}";
    Examples::of("talon-one")
        .round_trip::<IntegrationRequest>(&format!("{session_v2}/requestBody/{JSON}"))
        .round_trip::<IntegrationStateV2>(&format!("{session_v2}/responses/200/{JSON}"))
        .round_trip::<NewCustomerSession>(&format!("{session_v1}/requestBody/{JSON}"))
        .round_trip::<IntegrationState>(&format!("{session_v1}/responses/200/{JSON}"))
        .round_trip::<CustomerProfileIntegrationRequestV2>(&format!("{profile_v2}/requestBody/{JSON}"))
        .round_trip::<IntegrationStateV2>(&format!("{profile_v2}/responses/200/{JSON}"))
        .round_trip::<MultipleCustomerProfileIntegrationRequest>(&format!("{profiles_v2}/requestBody/{JSON}"))
        .round_trip::<MultipleCustomerProfileIntegrationResponseV2>(&format!("{profiles_v2}/responses/200/{JSON}"))
        .round_trip::<NewCustomerProfile>(&format!("{profile_v1}/requestBody/{JSON}"))
        .round_trip::<IntegrationState>(&format!("{profile_v1}/responses/200/{JSON}"))
        .round_trip::<CustomerProfileAudienceRequest>(&format!("/paths/~1v2~1customer_audiences/post/requestBody/{JSON}"))
        .round_trip::<CustomerInventory>(&format!(
            "/paths/~1v1~1customer_profiles~1{{integrationId}}~1inventory/get/responses/200/{JSON}"
        ))
        .round_trip::<NewEvent>(&format!("/paths/~1v1~1events/post/requestBody/{JSON}"))
        .round_trip::<IntegrationState>(&format!("/paths/~1v1~1events/post/responses/201/{JSON}"))
        .round_trip::<NewReferral>(&format!("/paths/~1v1~1referrals/post/requestBody/{JSON}"))
        .round_trip::<Referral>(&format!("/paths/~1v1~1referrals/post/responses/201/{JSON}"))
        .round_trip::<CouponReservations>(&format!("{reservation}/post/requestBody/{JSON}"))
        .round_trip::<Coupon>(&format!("{reservation}/post/responses/201/{JSON}"))
        .round_trip::<CouponReservations>(&format!("{reservation}/delete/requestBody/{JSON}"))
        .round_trip::<InlineResponse200>(&format!(
            "/paths/~1v1~1coupon_reservations~1customerprofiles~1{{couponValue}}/get/responses/200/{JSON}"
        ))
        .all_checked();
}

#[test]
fn ksef() {
    use api_clients::ksef::types::{
        OpenOnlineSessionRequest, OpenOnlineSessionResponse, SessionStatusResponse, SessionsQueryResponse,
    };
    Examples::of("ksef")
        .round_trip::<SessionsQueryResponse>(&format!("/paths/~1api~1v2~1sessions/get/responses/200/{JSON}"))
        .round_trip::<SessionStatusResponse>(&format!(
            "/paths/~1api~1v2~1sessions~1{{referenceNumber}}/get/responses/200/{JSON}"
        ))
        .round_trip::<OpenOnlineSessionRequest>(&format!("/paths/~1api~1v2~1sessions~1online/post/requestBody/{JSON}"))
        .round_trip::<OpenOnlineSessionResponse>(&format!("/paths/~1api~1v2~1sessions~1online/post/responses/201/{JSON}"))
        .all_checked();
}
