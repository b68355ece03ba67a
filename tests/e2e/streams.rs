//! Binary bodies as streams through the generated client: downloads read as
//! they arrive (`send_streaming`), uploads from a stream or a file.

use bytes::Bytes;
use clientgen_tests::runtime::{BinaryBody, Error};
use clientgen_tests::streams::Client;
use futures_util::StreamExt as _;
use tokio::io::AsyncWriteExt as _;
use wiremock::matchers::{body_bytes, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::raw_http::read_head;
use crate::support::unavailable_once_then;

/// A server answering each request with `total` bytes, `byte(i)` at offset
/// `i`, made as they are sent (64 KiB at a time), so it holds no more of
/// them than the client should.
async fn lazy_download_server(total: u64, announce_length: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                read_head(&mut socket).await;
                let framing = if announce_length { format!("content-length: {total}") } else { String::from("connection: close") };
                let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\n{framing}\r\n\r\n");
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let block: Vec<u8> = (0..64 * 1024).map(byte).collect();
                let mut sent = 0u64;
                while sent < total {
                    let take = (total - sent).min(block.len() as u64) as usize;
                    if socket.write_all(&block[..take]).await.is_err() {
                        return;
                    }
                    sent += take as u64;
                }
                let _ = socket.shutdown().await;
            });
        }
    });
    url
}

/// The byte at offset `i` of a download (the pattern repeats every 64 KiB).
fn byte(i: usize) -> u8 {
    (i % (64 * 1024) % 251) as u8
}

/// The process's peak resident memory (`VmHWM`), in KiB.
fn peak_memory_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux has /proc/self/status");
    let line = status.lines().find(|line| line.starts_with("VmHWM:")).expect("VmHWM is reported");
    line.split_whitespace().nth(1).and_then(|kib| kib.parse().ok()).expect("VmHWM is a number of KiB")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_gib_download_streams_in_bounded_memory() {
    const GIB: u64 = 1024 * 1024 * 1024;
    let url = lazy_download_server(GIB, true).await;
    let client = Client::builder(url).build().unwrap();
    // Resets the peak (Linux `clear_refs`); where that is refused, the peak
    // so far stands, which the bound below leaves room for.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before = peak_memory_kib();
    let response = client.files().download_file("big").max_response_bytes(None).send_streaming().await.unwrap();
    assert_eq!(response.headers()["content-length"], GIB.to_string().as_str());
    let mut stream = response.into_inner();
    let mut total: u64 = 0;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.unwrap();
        // The first byte of each chunk is where the pattern says.
        if let Some(&first) = chunk.first() {
            assert_eq!(first, byte(total as usize), "at offset {total}");
        }
        total += chunk.len() as u64;
    }
    assert_eq!(total, GIB);
    let grown_mib = peak_memory_kib().saturating_sub(before) / 1024;
    eprintln!("streaming 1 GiB: peak memory {before} KiB before, grew by {grown_mib} MiB");
    // Buffering the body would take 1024 MiB; streaming it, a few chunks.
    assert!(grown_mib < 128, "the peak memory grew by {grown_mib} MiB while streaming 1 GiB");
}

#[tokio::test]
async fn the_size_limit_holds_as_the_chunks_arrive_and_ends_the_stream() {
    let url = lazy_download_server(4 * 1024 * 1024, false).await;
    let client = Client::builder(url).max_response_bytes(1024 * 1024).build().unwrap();
    let stream = client.files().download_file("f").send_streaming().await.unwrap().into_inner();
    let items: Vec<Result<Bytes, Error>> = stream.collect().await;
    let (last, read) = items.split_last().expect("some items");
    let read: usize = read.iter().map(|chunk| chunk.as_ref().expect("chunks before the limit").len()).sum();
    assert!(read <= 1024 * 1024, "{read} bytes read past the limit");
    assert!(matches!(last, Err(Error::ResponseTooLarge { limit: 1_048_576, .. })), "{last:?}");
}

#[tokio::test]
async fn an_announced_length_over_the_limit_is_refused_before_streaming() {
    let url = lazy_download_server(4 * 1024 * 1024, true).await;
    let client = Client::builder(url).max_response_bytes(1024 * 1024).build().unwrap();
    let result = client.files().download_file("f").send_streaming().await;
    assert!(matches!(result, Err(Error::ResponseTooLarge { .. })), "{:?}", result.map(|_| ()));
}

#[tokio::test]
async fn a_documented_error_of_a_streaming_call_decodes_as_send_decodes_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/files/gone"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(r#"{"title":"no such file"}"#, "application/json"))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    match client.files().download_file("gone").send_streaming().await {
        Err(Error::Api(error)) => assert_eq!(error.title, "no such file"),
        other => panic!("expected the documented 404, got {:?}", other.map(|_| ())),
    }
}

fn chunks() -> impl futures_core::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    futures_util::stream::iter([&b"first "[..], b"second ", b"third"].map(|piece| Ok(Bytes::from_static(piece))))
}

#[tokio::test]
async fn a_streamed_upload_goes_out_with_its_length_and_whole() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/files/up"))
        .and(header("content-length", "18"))
        .and(header("content-type", "application/octet-stream"))
        .and(body_bytes(&b"first second third"[..]))
        .respond_with(ResponseTemplate::new(201).set_body_raw(r#"{"size":18}"#, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    let stored = client.files().upload_file("up", BinaryBody::stream(chunks(), Some(18))).send().await.unwrap();
    assert_eq!(stored.size, 18);
}

#[tokio::test]
async fn a_streamed_upload_is_never_retried_where_bytes_would_be() {
    let stored = || ResponseTemplate::new(201).set_body_raw(r#"{"size":5}"#, "application/json");
    let server = MockServer::start().await;
    unavailable_once_then(&server, stored()).await;
    let client = Client::builder(server.uri()).build().unwrap();
    // A stream cannot be sent twice: the 503 is the answer.
    let streamed = client.files().upload_file("a", BinaryBody::stream(chunks(), None)).send().await;
    assert_eq!(streamed.map(|_| ()).unwrap_err().status().map(|status| status.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    // Bytes can (PUT is idempotent): the same 503 is retried.
    server.reset().await;
    unavailable_once_then(&server, stored()).await;
    let stored = client.files().upload_file("a", Bytes::from_static(b"bytes")).send().await.unwrap();
    assert_eq!(stored.size, 5);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_file_uploads_from_where_it_stands_with_its_length() {
    let path_on_disk = std::env::temp_dir().join(format!("clientgen-upload-{}.bin", std::process::id()));
    std::fs::write(&path_on_disk, b"skip:the file's bytes").unwrap();
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/files/doc"))
        .and(header("content-length", "16"))
        .and(body_bytes(&b"the file's bytes"[..]))
        .respond_with(ResponseTemplate::new(201).set_body_raw(r#"{"size":16}"#, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    let mut file = tokio::fs::File::open(&path_on_disk).await.unwrap();
    tokio::io::AsyncSeekExt::seek(&mut file, std::io::SeekFrom::Start(5)).await.unwrap();
    let body = BinaryBody::file(file).await.unwrap();
    let stored = client.files().upload_file("doc", body).send().await;
    std::fs::remove_file(&path_on_disk).unwrap();
    assert_eq!(stored.unwrap().size, 16);
}

#[tokio::test]
async fn a_stalled_download_ends_with_a_timeout_after_the_chunks_that_came() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        read_head(&mut socket).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: 1000\r\n\r\n0123456789";
        socket.write_all(head.as_bytes()).await.unwrap();
        // The other 990 bytes never come.
        tokio::time::sleep(std::time::Duration::from_secs(10)).await;
    });
    let client = Client::builder(url).timeout(std::time::Duration::from_millis(300)).build().unwrap();
    let stream = client.files().download_file("slow").send_streaming().await.unwrap().into_inner();
    let items: Vec<Result<Bytes, Error>> = stream.collect().await;
    match &items[..] {
        [Ok(chunk), Err(Error::Timeout)] => assert_eq!(&chunk[..], b"0123456789"),
        other => panic!("expected the ten bytes, then a timeout: {other:?}"),
    }
}
