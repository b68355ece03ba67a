//! Server-sent events (Cargo feature `sse`): the `text/event-stream` format
//! of the WHATWG HTML standard, parsed as the bytes arrive.
//!
//! The parser keeps at most one line and one event in memory, each bounded:
//! a longer line or a larger event ends the stream with an
//! [`EventStreamError`] rather than growing without end.

use std::collections::VecDeque;
use std::time::Duration;

/// The longest line of an event stream a client reads, unless the stream
/// sets another limit: 256 KiB.
pub const DEFAULT_MAX_EVENT_LINE: usize = 256 * 1024;

/// The largest event (its `data` lines together) a client reads, unless the
/// stream sets another limit: 1 MiB.
pub const DEFAULT_MAX_EVENT_BYTES: usize = 1024 * 1024;

/// One server-sent event: its type, its data (decoded into the operation's
/// schema, or the raw text where the spec gives none) and the stream's last
/// event id as of this event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T = String> {
    kind: String,
    data: T,
    id: Option<String>,
    retry: Option<Duration>,
}

impl<T> Event<T> {
    /// The event type: the `event` field, `message` when the event has none.
    pub fn event(&self) -> &str {
        &self.kind
    }

    /// The data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The data, without the rest.
    pub fn into_data(self) -> T {
        self.data
    }

    /// The last event id the stream set (an `id` field of this event or of an
    /// earlier one), which a resumed stream sends back as `Last-Event-ID`.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The reconnection time this event set with a `retry` field, if it did.
    pub fn retry(&self) -> Option<Duration> {
        self.retry
    }

    pub(crate) fn with_data<U>(self, data: U) -> Event<U> {
        Event { kind: self.kind, data, id: self.id, retry: self.retry }
    }
}

/// Why an event stream was given up: the server sent more than the
/// client's limits allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EventStreamError {
    /// A line of the stream is longer than the limit.
    #[error("a line of the event stream is longer than {limit} bytes")]
    LineTooLong {
        /// The limit in bytes.
        limit: usize,
    },
    /// An event's data is larger than the limit.
    #[error("an event of the stream is larger than {limit} bytes")]
    EventTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
}

/// Turns the bytes of an event stream into events, however they are split.
pub(crate) struct EventParser {
    max_line: usize,
    max_event: usize,
    /// The line read so far, without its end.
    line: Vec<u8>,
    /// The last byte was a CR: a LF right after it ends no other line.
    after_cr: bool,
    /// No line has ended yet, so a byte order mark may still start the stream.
    first_line: bool,
    data: String,
    kind: String,
    /// The last event id buffer: it outlives the event that set it.
    last_id: String,
    retry: Option<Duration>,
    /// The reconnection time the stream asked for last.
    reconnect: Option<Duration>,
}

impl EventParser {
    pub(crate) fn new(max_line: usize, max_event: usize) -> Self {
        EventParser {
            max_line,
            max_event,
            line: Vec::new(),
            after_cr: false,
            first_line: true,
            data: String::new(),
            kind: String::new(),
            last_id: String::new(),
            retry: None,
            reconnect: None,
        }
    }

    /// The last event id seen, if any.
    pub(crate) fn last_id(&self) -> Option<&str> {
        (!self.last_id.is_empty()).then_some(self.last_id.as_str())
    }

    /// The reconnection time the stream set with `retry`, if it did.
    pub(crate) fn reconnect(&self) -> Option<Duration> {
        self.reconnect
    }

    /// Reads `bytes`, appending the events they complete to `events`.
    pub(crate) fn feed(&mut self, bytes: &[u8], events: &mut VecDeque<Event>) -> Result<(), EventStreamError> {
        let mut rest = bytes;
        if rest.is_empty() {
            return Ok(());
        }
        if self.after_cr && rest.first() == Some(&b'\n') {
            rest = &rest[1..];
        }
        self.after_cr = false;
        while let Some(end) = rest.iter().position(|&byte| byte == b'\r' || byte == b'\n') {
            self.push(&rest[..end])?;
            let crlf = rest[end] == b'\r' && rest.get(end + 1) == Some(&b'\n');
            if rest[end] == b'\r' && end + 1 == rest.len() {
                self.after_cr = true;
            }
            self.line_ended(events)?;
            rest = &rest[end + if crlf { 2 } else { 1 }..];
        }
        self.push(rest)
    }

    /// The stream ended: an event not ended by a blank line is dropped, as
    /// the standard says, and the next connection starts afresh.
    pub(crate) fn end(&mut self) {
        self.line.clear();
        self.data.clear();
        self.kind.clear();
        self.retry = None;
        self.after_cr = false;
        self.first_line = true;
    }

    fn push(&mut self, bytes: &[u8]) -> Result<(), EventStreamError> {
        if self.line.len() + bytes.len() > self.max_line {
            return Err(EventStreamError::LineTooLong { limit: self.max_line });
        }
        self.line.extend_from_slice(bytes);
        Ok(())
    }

    fn line_ended(&mut self, events: &mut VecDeque<Event>) -> Result<(), EventStreamError> {
        let mut line = std::mem::take(&mut self.line);
        if std::mem::take(&mut self.first_line) && line.starts_with(b"\xEF\xBB\xBF") {
            line.drain(..3);
        }
        // Decoded as the standard says: UTF-8, invalid bytes replaced.
        let text = String::from_utf8_lossy(&line);
        self.process(&text, events)?;
        line.clear();
        self.line = line;
        Ok(())
    }

    fn process(&mut self, line: &str, events: &mut VecDeque<Event>) -> Result<(), EventStreamError> {
        if line.is_empty() {
            self.dispatch(events);
            return Ok(());
        }
        if line.starts_with(':') {
            return Ok(());
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => value.clone_into(&mut self.kind),
            "data" => {
                if self.data.len() + value.len() + 1 > self.max_event {
                    return Err(EventStreamError::EventTooLarge { limit: self.max_event });
                }
                self.data.push_str(value);
                self.data.push('\n');
            }
            "id" if !value.contains('\0') => value.clone_into(&mut self.last_id),
            "retry" if !value.is_empty() && value.bytes().all(|byte| byte.is_ascii_digit()) => {
                // Digits beyond what a `u64` holds ask for "never": the longest wait there is.
                let wait = Duration::from_millis(value.parse().unwrap_or(u64::MAX));
                self.retry = Some(wait);
                self.reconnect = Some(wait);
            }
            _ => {}
        }
        Ok(())
    }

    fn dispatch(&mut self, events: &mut VecDeque<Event>) {
        let retry = self.retry.take();
        if self.data.is_empty() {
            self.kind.clear();
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        let kind = if self.kind.is_empty() { String::from("message") } else { std::mem::take(&mut self.kind) };
        events.push_back(Event { kind, data, id: self.last_id().map(str::to_owned), retry });
    }
}
