//! A small HTTP/1.1 server on loopback that writes its answers in pieces,
//! flushing and pausing between them, so that the client reads them in
//! separate TCP reads; for streams that wiremock would send in one go.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The request heads the server received, in order, lowercased.
pub type Heads = Arc<Mutex<Vec<String>>>;

/// Reads a request's head (up to the blank line), lowercased.
pub async fn read_head(socket: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match socket.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).to_lowercase()
}

/// Serves one connection per script, in order: each answers with the
/// script's pieces, written one by one with a pause between, then closes.
pub async fn serve_scripts(scripts: Vec<Vec<Vec<u8>>>) -> (String, Heads) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let heads: Heads = Arc::default();
    let seen = heads.clone();
    tokio::spawn(async move {
        for script in scripts {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            socket.set_nodelay(true).unwrap();
            let head = read_head(&mut socket).await;
            seen.lock().unwrap().push(head);
            for piece in script {
                if socket.write_all(&piece).await.is_err() || socket.flush().await.is_err() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(15)).await;
            }
            let _ = socket.shutdown().await;
        }
    });
    (url, heads)
}

/// The head of a `200` event stream whose end is the connection's.
pub fn event_stream_head() -> Vec<u8> {
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-store\r\nconnection: close\r\n\r\n".to_vec()
}
