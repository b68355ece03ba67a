//! A small shop backend built on `api-clients`, as an application would use
//! it: a checkout that opens a Klarna payment session, the list of Payrix
//! sessions, invoices sent through a KSeF online session, a rental offer from
//! Inbank and the cart synced to Talon.One. Its tests (`tests/`) run it
//! against the typed stand-ins of the crate's `mock` feature, without the
//! network.

use api_clients::futures_util::TryStreamExt;
use api_clients::{inbank, klarna_payments, ksef, payrix, talon_one};

/// What a failed call of this shop reports.
pub type Failure = Box<dyn std::error::Error + Send + Sync>;

/// A line of the cart: name, quantity and unit price in minor units.
#[derive(Debug, Clone, PartialEq)]
pub struct CartLine {
    /// What is bought.
    pub name: String,
    /// How many.
    pub quantity: i64,
    /// The price of one, in minor units.
    pub unit_price: i64,
}

/// The payment session the browser continues with.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkout {
    /// Klarna's session, to read or update it later.
    pub session_id: String,
    /// Handed to Klarna's widget in the browser.
    pub client_token: String,
}

/// Opens a Klarna payment session for `cart`, paid in `currency` from `country`.
pub async fn start_checkout(
    klarna: &klarna_payments::Client,
    cart: &[CartLine],
    country: &str,
    currency: &str,
) -> Result<Checkout, Failure> {
    use klarna_payments::types::{OrderLine, SessionCreate};
    let lines: Vec<OrderLine> = cart
        .iter()
        .map(|line| OrderLine::new(line.name.as_str(), line.quantity, line.quantity * line.unit_price, line.unit_price))
        .collect();
    let total = cart.iter().map(|line| line.quantity * line.unit_price).sum();
    let body = SessionCreate::new(total, lines, country, currency);
    let session = klarna.sessions().create_credit_session(&body).send().await?.into_inner();
    Ok(Checkout { session_id: session.session_id, client_token: session.client_token })
}

/// The ids of every Payrix session, walking all pages.
pub async fn payrix_session_ids(payrix: &payrix::Client) -> Result<Vec<String>, Failure> {
    let sessions = payrix.sessions().get_sessions().page_limit(50).items();
    Ok(sessions.map_ok(|session| session.id.unwrap_or_default()).try_collect().await?)
}

/// Opens a KSeF online session for FA(3) invoices, then closes it (the
/// invoices would be sent in between); gives the session's reference number.
pub async fn send_invoices(ksef: &ksef::Client, encrypted_key: &str, iv: &str) -> Result<String, Failure> {
    use ksef::types::{EncryptionInfo, FormCode, OpenOnlineSessionRequest};
    let request = OpenOnlineSessionRequest::new(FormCode::new("FA (3)", "1-0E", "FA"), EncryptionInfo::new(encrypted_key, iv));
    let opened = ksef.sessions().open_online_session(&request).send().await?.into_inner();
    ksef.sessions().close_online_session(&opened.reference_number).send().await?;
    Ok(opened.reference_number)
}

/// Asks Inbank for a rental offer in the shop `shop`; gives the page the
/// customer is sent to.
pub async fn offer_rental(
    inbank: &inbank::Client,
    shop: api_clients::uuid::Uuid,
    request: &inbank::types::CreatePosSessionRequest,
) -> Result<Option<String>, Failure> {
    let session = inbank.pos_sessions().create_pos_session(shop, request).send().await?.into_inner();
    Ok(session.redirect_url)
}

/// Sends the customer session to Talon.One; gives how many effects its rules
/// triggered.
pub async fn sync_cart(talon: &talon_one::Client, session_id: &str) -> Result<usize, Failure> {
    use talon_one::types::{IntegrationRequest, NewCustomerSessionV2};
    let request = IntegrationRequest::new(NewCustomerSessionV2::default());
    let state = talon.integration().update_customer_session_v2(session_id, &request).send().await?.into_inner();
    Ok(state.effects.len())
}
