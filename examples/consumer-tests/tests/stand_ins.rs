//! The shop's flows against the typed stand-ins (`mock` feature) of the five
//! APIs, written the way the usage guides' "Testing your code" shows.

use api_clients::{inbank, klarna_payments, ksef, payrix, talon_one};
use clientgen_consumer_example::{CartLine, Checkout};

fn cart() -> Vec<CartLine> {
    vec![
        CartLine { name: String::from("Running shoe"), quantity: 2, unit_price: 2500 },
        CartLine { name: String::from("Socks"), quantity: 1, unit_price: 500 },
    ]
}

#[tokio::test]
async fn checkout_creates_a_klarna_session_for_the_whole_cart() {
    use klarna_payments::mock::{self, CreateCreditSessionAnswer};
    use klarna_payments::types::MerchantSession;
    let server = mock::Server::start().await;
    let created = server
        .sessions()
        .create_credit_session()
        .matching(|request| request.body().purchase_currency == "EUR")
        .answer(CreateCreditSessionAnswer::Status200(MerchantSession::new("token-1", "session-1")))
        .expect(1)
        .mount();
    let klarna = klarna_payments::Client::builder(server.uri()).basic_auth("K123456_shop", "secret").build().unwrap();
    let checkout = clientgen_consumer_example::start_checkout(&klarna, &cart(), "DE", "EUR").await.unwrap();
    assert_eq!(checkout, Checkout { session_id: String::from("session-1"), client_token: String::from("token-1") });
    let sent = &created.requests()[0];
    assert_eq!(sent.body().order_amount, 5500, "the session covers the whole cart");
    assert_eq!(sent.body().order_lines.len(), 2);
}

#[tokio::test]
async fn a_declined_checkout_reports_klarnas_error() {
    use klarna_payments::mock::{self, CreateCreditSessionAnswer};
    use klarna_payments::types::ErrorV2;
    let server = mock::Server::start().await;
    let _declined = server
        .sessions()
        .create_credit_session()
        .answer(CreateCreditSessionAnswer::Status400(ErrorV2::new("BAD_VALUE").correlation_id("c-1")))
        .mount();
    let klarna = klarna_payments::Client::builder(server.uri()).basic_auth("K123456_shop", "secret").build().unwrap();
    let failure = clientgen_consumer_example::start_checkout(&klarna, &cart(), "DE", "EUR").await.unwrap_err();
    assert!(failure.to_string().contains("BAD_VALUE"), "{failure}");
}

#[tokio::test]
async fn the_payrix_list_walks_every_page() {
    use payrix::types::{SessionPostResponse, SessionsPostResponseResult};
    let server = payrix::mock::Server::start().await;
    let sessions: Vec<SessionPostResponse> = (1..=7)
        .map(|n| serde_json::from_value(serde_json::json!({ "id": format!("p1_ssn_{n}") })).unwrap())
        .collect();
    let _pages = server.sessions().get_sessions().pages(&SessionsPostResponseResult::default(), &sessions, 3).mount();
    let client = payrix::Client::builder(server.uri()).api_key("shop-key").build().unwrap();
    let ids = clientgen_consumer_example::payrix_session_ids(&client).await.unwrap();
    assert_eq!(ids.len(), 7);
    assert_eq!((ids[0].as_str(), ids[6].as_str()), ("p1_ssn_1", "p1_ssn_7"));
}

#[tokio::test]
async fn invoices_go_through_a_ksef_session_opened_then_closed() {
    use api_clients::chrono::DateTime;
    use ksef::mock::{self, CloseOnlineSessionAnswer, OpenOnlineSessionAnswer};
    use ksef::types::OpenOnlineSessionResponse;
    let reference = "20250625-SO-2C3E6C8000-B675CF5D68-07";
    let server = mock::Server::start().await;
    let valid_until = DateTime::parse_from_rfc3339("2025-07-11T12:23:56+00:00").unwrap();
    let opened = server
        .sessions()
        .open_online_session()
        .answer(OpenOnlineSessionAnswer::Status201(OpenOnlineSessionResponse::new(reference.to_owned(), valid_until)))
        .expect(1)
        .mount();
    let closed = server.sessions().close_online_session(reference).answer(CloseOnlineSessionAnswer::Status204).expect(1).mount();
    let client = ksef::Client::builder(server.uri()).bearer_token("access-token").build().unwrap();
    let sent = clientgen_consumer_example::send_invoices(&client, "c2VjcmV0LWtleQ==", "aXYtMTIzNDU2Nzg=").await.unwrap();
    assert_eq!(sent, reference);
    assert_eq!(opened.requests()[0].body().form_code.system_code, "FA (3)");
    assert_eq!(closed.calls(), 1);
}

#[tokio::test]
async fn an_inbank_rental_offer_sends_the_customer_to_inbank() {
    use inbank::mock::{self, CreatePosSessionAnswer};
    use inbank::types::{CreatePosSessionRequest, PosSession};
    let shop = "a93f1f44-d5dd-4469-bfcc-c1de9e969213";
    let server = mock::Server::start().await;
    let session: PosSession = serde_json::from_value(serde_json::json!({
        "uuid": "5e3a459a-aada-4d81-b6ad-09cb9483c8bf",
        "status": "pending",
        "redirectUrl": "https://demo-epos.inbank.ee/session/5e3a459a"
    }))
    .unwrap();
    let _offer = server.pos_sessions().create_pos_session(shop).answer(CreatePosSessionAnswer::Status201(session)).expect(1).mount();
    let request: CreatePosSessionRequest = serde_json::from_value(serde_json::json!({
        "productCode": "smart_rent_ee",
        "currency": "EUR",
        "locale": "et-ET",
        "purchase": { "description": "Smart Rent of a smartphone" },
        "rentalApplicationData": { "assets": [], "period": 24 }
    }))
    .unwrap();
    let client = inbank::Client::builder(server.uri()).bearer_token("partner-token").build().unwrap();
    let redirect = clientgen_consumer_example::offer_rental(&client, shop.parse().unwrap(), &request).await.unwrap();
    assert_eq!(redirect.as_deref(), Some("https://demo-epos.inbank.ee/session/5e3a459a"));
}

#[tokio::test]
async fn the_cart_is_synced_to_talon_one() {
    use talon_one::mock::{self, UpdateCustomerSessionV2Answer};
    use talon_one::types::IntegrationStateV2;
    let server = mock::Server::start().await;
    let synced = server
        .integration()
        .update_customer_session_v2("cart-42")
        .answer(UpdateCustomerSessionV2Answer::Status200(IntegrationStateV2::new(Vec::new(), Vec::new(), Vec::new())))
        .expect(1)
        .mount();
    let client = talon_one::Client::builder(server.uri()).api_key_v1("integration-key").build().unwrap();
    assert_eq!(clientgen_consumer_example::sync_cart(&client, "cart-42").await.unwrap(), 0);
    assert_eq!(synced.requests()[0].path_param("customerSessionId"), Some("cart-42"));
}
