//! The event stream parser of the runtime (`templates/runtime/sse.rs`), fed
//! the same bytes split at every place a TCP read could split them.

use std::collections::VecDeque;

use crate::runtime::sse::{Event, EventParser, EventStreamError};

/// Type, data and id of each event parsed from `chunks`, then the end.
fn parse(chunks: &[&[u8]]) -> Result<Vec<(String, String, Option<String>)>, EventStreamError> {
    parse_limited(chunks, 1024, 4096)
}

fn parse_limited(chunks: &[&[u8]], line: usize, event: usize) -> Result<Vec<(String, String, Option<String>)>, EventStreamError> {
    let mut parser = EventParser::new(line, event);
    let mut events: VecDeque<Event> = VecDeque::new();
    for chunk in chunks {
        parser.feed(chunk, &mut events)?;
    }
    parser.end();
    Ok(events
        .into_iter()
        .map(|event| (event.event().to_owned(), event.data().clone(), event.id().map(str::to_owned)))
        .collect())
}

/// Asserts that `bytes` parse to the same events whole and split at any one
/// or two places; returns them.
fn same_however_split(bytes: &[u8]) -> Vec<(String, String, Option<String>)> {
    let whole = parse(&[bytes]).expect("the stream parses");
    for first in 0..=bytes.len() {
        for second in first..=bytes.len() {
            let chunks = [&bytes[..first], &bytes[first..second], &bytes[second..]];
            assert_eq!(parse(&chunks).expect("the stream parses"), whole, "split at {first} and {second}");
        }
    }
    whole
}

fn event(kind: &str, data: &str, id: Option<&str>) -> (String, String, Option<String>) {
    (kind.to_owned(), data.to_owned(), id.map(str::to_owned))
}

#[test]
fn events_split_anywhere_even_inside_a_crlf_parse_the_same() {
    let stream = b"data: a\r\ndata: b\r\n\r\nevent: tick\nid: 7\ndata: {\"x\":1}\n\n: a comment\r\rdata:c\r\r";
    assert_eq!(
        same_however_split(stream),
        vec![event("message", "a\nb", None), event("tick", "{\"x\":1}", Some("7")), event("message", "c", Some("7"))]
    );
}

#[test]
fn a_crlf_split_between_two_reads_ends_one_line_not_two() {
    // Were the LF read as a second line end, `data: a` would be dispatched alone.
    let events = parse(&[b"data: a\r", b"\ndata: b\r", b"\n\r\n"]).unwrap();
    assert_eq!(events, vec![event("message", "a\nb", None)]);
}

#[test]
fn comments_and_unknown_fields_are_ignored_and_a_space_after_the_colon_is_dropped_once() {
    let events = same_however_split(b":hello\nfoo: bar\ndata:  two spaces\ndata\n\n");
    assert_eq!(events, vec![event("message", " two spaces\n", None)]);
}

#[test]
fn a_leading_byte_order_mark_is_dropped_and_a_later_one_is_not() {
    let events = same_however_split(b"\xEF\xBB\xBFdata: first\n\n\xEF\xBB\xBFdata: second\n\ndata: third\n\n");
    // The second BOM makes the line's field `\u{FEFF}data`, which is unknown.
    assert_eq!(events, vec![event("message", "first", None), event("message", "third", None)]);
}

#[test]
fn an_event_without_its_blank_line_at_the_end_of_the_stream_is_dropped() {
    assert_eq!(same_however_split(b"data: whole\n\ndata: cut off"), vec![event("message", "whole", None)]);
    assert_eq!(same_however_split(b"data: whole\n\ndata: cut off\n"), vec![event("message", "whole", None)]);
}

#[test]
fn an_id_lasts_until_another_and_one_with_nul_is_ignored_and_retry_takes_digits_only() {
    let mut parser = EventParser::new(1024, 4096);
    let mut events = VecDeque::new();
    parser.feed(b"id: 1\nretry: 2500\ndata: a\n\nid: 2\0\nretry: soon\ndata: b\n\nid\ndata: c\n\n", &mut events).unwrap();
    let ids: Vec<Option<&str>> = events.iter().map(Event::id).collect();
    assert_eq!(ids, [Some("1"), Some("1"), None]);
    assert_eq!(events[0].retry(), Some(std::time::Duration::from_millis(2500)));
    assert_eq!(events[1].retry(), None);
    assert_eq!(parser.reconnect(), Some(std::time::Duration::from_millis(2500)));
}

#[test]
fn bytes_that_are_not_utf8_become_replacement_characters() {
    assert_eq!(same_however_split(b"data: caf\xC3\xA9 \xFF\xFE\n\n"), vec![event("message", "café \u{FFFD}\u{FFFD}", None)]);
}

#[test]
fn a_line_over_the_limit_is_an_error_however_it_arrives() {
    let long = [b'x'; 40];
    let limited = |chunks: &[&[u8]]| parse_limited(chunks, 32, 4096);
    assert_eq!(limited(&[b"data: ", &long, b"\n\n"]), Err(EventStreamError::LineTooLong { limit: 32 }));
    // In small reads, none of which is long on its own.
    let pieces: Vec<&[u8]> = long.chunks(3).collect();
    assert_eq!(limited(&pieces), Err(EventStreamError::LineTooLong { limit: 32 }));
    // A line exactly at the limit is read.
    assert_eq!(limited(&[&[b'x'; 32], b"\n"]), Ok(Vec::new()));
}

#[test]
fn an_event_over_the_limit_is_an_error_even_in_short_lines() {
    let stream = b"data: 0123456789\n".repeat(10);
    assert_eq!(parse_limited(&[&stream], 64, 100), Err(EventStreamError::EventTooLarge { limit: 100 }));
    // Events under the limit one by one are fine, whatever they add up to.
    let many = b"data: 0123456789\n\n".repeat(50);
    assert_eq!(parse_limited(&[&many], 64, 100).map(|events| events.len()), Ok(50));
}
