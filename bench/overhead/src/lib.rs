//! A loopback HTTP/1.1 server that answers every request with one canned
//! response, as fast as a server can: the benchmark measures the client.

use std::net::SocketAddr;

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
