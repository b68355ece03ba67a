//! What both benchmarks share: a loopback HTTP/1.1 server that answers every
//! request with one canned response, as fast as a server can (the benchmarks
//! measure the client), the three clients, and the call each makes.

use std::net::SocketAddr;
use std::time::Duration;

use api_clients::ksef::{Client, types::SessionStatusResponse};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The KSeF session status example from `specs/ksef.yaml`.
pub const BODY: &str = r#"{"status":{"code":200,"description":"Sesja interaktywna przetworzona pomyślnie"},"upo":{"pages":[{"referenceNumber":"20250918-EU-2EBD6FA000-242EB9B66D-43","downloadUrl":"https://ksef-test.mf.gov.pl/storage/01/20250918-sb-3789a40000-20373e1269-a3/session-upo/upo_00.xml?sv=2025-01-05&st=2025-09-18T14%3A55%3A50Z&se=2025-09-21T15%3A00%3A50Z&sr=b&sp=r&sig=ZlQO6Xtzu3VQQDwmEMfb0VryMxe9WcUgWtkdiB6X2Qo%3D","downloadUrlExpirationDate":"2025-09-21T15:00:50+00:00"}]},"invoiceCount":10,"successfulInvoiceCount":8,"failedInvoiceCount":2}"#;

/// Starts the server on a free loopback port; it serves until the runtime stops.
pub async fn serve() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds a loopback port");
    let address = listener.local_addr().expect("has an address");
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let response = response.clone();
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 16 * 1024];
                let mut filled = 0;
                loop {
                    match socket.read(&mut buffer[filled..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => filled += n,
                    }
                    // Requests here are GETs without a body: one ends at the blank line.
                    while let Some(end) = buffer[..filled].windows(4).position(|w| w == b"\r\n\r\n") {
                        if socket.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                        buffer.copy_within(end + 4..filled, 0);
                        filled -= end + 4;
                    }
                    if filled == buffer.len() {
                        return;
                    }
                }
            });
        }
    });
    address
}

/// The session the calls ask about (it needs no percent-encoding).
pub const REFERENCE: &str = "20250918-EE-2F20AD2000-242386DF86-52";
const TOKEN: &str = "bench-token";

/// The clients compared, each with its own connection pool built from the same defaults.
pub struct Clients {
    /// The server's base URL.
    pub base: String,
    /// `reqwest` alone, for the hand-written call.
    pub http: reqwest::Client,
    /// The generated client with its default settings (retries on).
    pub generated: Client,
    /// The generated client with retries off.
    pub no_retries: Client,
}

/// Starts the server and builds the clients.
pub async fn clients() -> Clients {
    let base = format!("http://{}", serve().await);
    Clients {
        http: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client"),
        generated: Client::builder(base.clone()).bearer_token(TOKEN).build().expect("client"),
        no_retries: Client::builder(base.clone()).bearer_token(TOKEN).retries(0).build().expect("client"),
        base,
    }
}

/// The call as a careful hand-written client makes it: authenticate, ask for
/// JSON, check the status, decode.
pub async fn hand_written(http: &reqwest::Client, base: &str) -> SessionStatusResponse {
    let response = http
        .get(format!("{base}/api/v2/sessions/{REFERENCE}"))
        .bearer_auth(TOKEN)
        .header("accept", "application/json")
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .expect("sent");
    assert!(response.status().is_success());
    let bytes = response.bytes().await.expect("read");
    serde_json::from_slice(&bytes).expect("decodes")
}

/// The call through a generated client.
pub async fn generated(client: &Client) -> SessionStatusResponse {
    client.sessions().get_session_status(REFERENCE).send().await.expect("decodes").into_inner()
}
