//! Server-sent events through the generated client (`send_events`), from a
//! server on loopback that writes them split across TCP reads.

use clientgen_tests::runtime::{Error, EventStreamError};
use clientgen_tests::streams::Client;
use futures_util::StreamExt as _;

use crate::raw_http::{event_stream_head, serve_scripts};

fn client(url: &str) -> Client {
    Client::builder(url).build().unwrap()
}

#[tokio::test]
async fn typed_events_split_across_reads_mid_line_and_mid_crlf_decode_into_the_schema() {
    let script: Vec<Vec<u8>> = vec![
        event_stream_head(),
        b": connected\r\n\r\nevent: tick\r\nid: 1\r\ndata: {\"symbol\":\"AC".to_vec(),
        b"ME\",\"price\":12.5}\r".to_vec(),
        b"\n\r\n".to_vec(),
        b"data: {\"symbol\":\"B\",\n".to_vec(),
        b"data: \"price\":1}\n\n".to_vec(),
    ];
    let (url, heads) = serve_scripts(vec![script]).await;
    let client = client(&url);
    let response = client.events().watch_ticks("ACME").send_events().await.unwrap();
    assert_eq!(response.status(), 200);
    let events: Vec<_> = response.into_inner().collect().await;
    assert_eq!(events.len(), 2, "{events:?}");
    let first = events[0].as_ref().unwrap();
    assert_eq!((first.event(), first.id(), first.data().symbol.as_str(), first.data().price), ("tick", Some("1"), "ACME", 12.5));
    // Two data lines join with a line feed, which JSON reads as space.
    let second = events[1].as_ref().unwrap();
    assert_eq!((second.event(), second.id(), second.data().symbol.as_str()), ("message", Some("1"), "B"));
    let head = heads.lock().unwrap()[0].clone();
    assert!(head.starts_with("get /ticks?symbol=acme "), "{head}");
    assert!(head.contains("accept: text/event-stream"), "{head}");
}

/// The data of the raw events a server writes in `pieces` after the head.
async fn raw_data(pieces: &[&[u8]]) -> Vec<String> {
    let script = std::iter::once(event_stream_head()).chain(pieces.iter().map(|piece| piece.to_vec())).collect();
    let (url, _) = serve_scripts(vec![script]).await;
    let client = client(&url);
    let events: Vec<_> = client.events().follow_feed().send_events().await.unwrap().into_inner().collect().await;
    events.into_iter().map(|event| event.unwrap().into_data()).collect()
}

#[tokio::test]
async fn raw_events_keep_their_text_and_a_server_closing_mid_event_drops_only_that_event() {
    let data = raw_data(&[b"data: line one\ndata: line two\n\ndata: cut o", b"ff"]).await;
    assert_eq!(data, ["line one\nline two"]);
}

#[tokio::test]
async fn data_that_is_not_utf8_is_read_with_replacement_characters() {
    assert_eq!(raw_data(&[b"data: caf\xC3", b"\xA9 \xFF!\n\n"]).await, ["café \u{FFFD}!"]);
}

#[tokio::test]
async fn a_line_over_the_limit_ends_the_stream_with_a_typed_error_without_reading_on() {
    // A line that never ends: the client must give up, not buffer it.
    let endless: Vec<Vec<u8>> =
        std::iter::once(event_stream_head()).chain(std::iter::repeat_n(vec![b'x'; 16 * 1024], 64)).collect();
    let (url, _) = serve_scripts(vec![endless]).await;
    let client = client(&url);
    let stream = client.events().follow_feed().send_events().await.unwrap().into_inner().max_line_bytes(4096);
    let events: Vec<_> = stream.collect().await;
    assert_eq!(events.len(), 1, "{events:?}");
    match &events[0] {
        Err(Error::EventStream(EventStreamError::LineTooLong { limit: 4096 })) => {}
        other => panic!("expected a line too long, got {other:?}"),
    }
}

#[tokio::test]
async fn data_that_does_not_decode_is_a_decode_error_holding_it_and_the_stream_goes_on() {
    let script = vec![event_stream_head(), b"data: not json\n\ndata: {\"symbol\":\"C\",\"price\":2}\n\n".to_vec()];
    let (url, _) = serve_scripts(vec![script]).await;
    let client = client(&url);
    let events: Vec<_> = client.events().watch_ticks("C").send_events().await.unwrap().into_inner().collect().await;
    match &events[..] {
        [Err(Error::Decode { response, .. }), Ok(tick)] => {
            assert_eq!(&response.body()[..], b"not json");
            assert_eq!(tick.data().symbol, "C");
        }
        other => panic!("expected a decode error then a tick, got {other:?}"),
    }
}

#[tokio::test]
async fn a_documented_error_answer_decodes_as_send_decodes_it() {
    let answer = b"HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: 21\r\nconnection: close\r\n\r\n{\"title\":\"sign in\"}  ".to_vec();
    let (url, _) = serve_scripts(vec![vec![answer]]).await;
    let client = client(&url);
    match client.events().watch_ticks("A").send_events().await {
        Err(Error::Api(error)) => assert_eq!(error.title, "sign in"),
        other => panic!("expected the documented 401, got {:?}", other.map(|_| ())),
    }
}

#[tokio::test]
async fn a_resumed_stream_reconnects_with_the_last_event_id_after_the_retry_time_and_stops_at_its_bound() {
    let first = vec![event_stream_head(), b"retry: 20\nid: 5\ndata: a\n\ndata: partial".to_vec()];
    let second = vec![event_stream_head(), b"data: b\n\n".to_vec()];
    let third = vec![event_stream_head(), b"data: never read\n\n".to_vec()];
    let (url, heads) = serve_scripts(vec![first, second, third]).await;
    let client = client(&url);
    let stream = client.events().follow_feed().send_events().await.unwrap().into_inner().resume(1);
    let events: Vec<_> = stream.collect().await;
    let data: Vec<(String, Option<String>)> = events
        .into_iter()
        .map(|event| event.unwrap())
        .map(|event| (event.id().map(str::to_owned), event.into_data()))
        .map(|(id, data)| (data, id))
        .collect();
    assert_eq!(data, [(String::from("a"), Some(String::from("5"))), (String::from("b"), Some(String::from("5")))]);
    let heads = heads.lock().unwrap();
    assert_eq!(heads.len(), 2, "one reconnection only");
    assert!(!heads[0].contains("last-event-id"), "{}", heads[0]);
    assert!(heads[1].contains("last-event-id: 5\r\n"), "{}", heads[1]);
}

#[tokio::test]
async fn a_resumed_stream_ends_when_the_server_answers_no_content() {
    let first = vec![event_stream_head(), b"retry: 1\ndata: a\n\n".to_vec()];
    let done = vec![b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n".to_vec()];
    let (url, heads) = serve_scripts(vec![first, done]).await;
    let client = client(&url);
    let stream = client.events().follow_feed().send_events().await.unwrap().into_inner().resume(5);
    let events: Vec<_> = stream.collect().await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(heads.lock().unwrap().len(), 2);
}
