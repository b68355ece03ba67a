//! A `text/event-stream` answer as a stream of typed events (Cargo feature
//! `sse`), resumed with `Last-Event-ID` when the caller asks.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::error::{Error, ErrorResponse, RawBody, SendError};
use super::request::Request;
use super::response::{ResponseValue, Streamed};
use super::send::read;
use super::sse::{DEFAULT_MAX_EVENT_BYTES, DEFAULT_MAX_EVENT_LINE, Event, EventParser};

/// How long a resumed stream waits before reconnecting, unless the server
/// set another time with a `retry` field.
const DEFAULT_RECONNECT: Duration = Duration::from_secs(3);

/// The events of a `text/event-stream` answer, as they arrive: a `Stream` of
/// [`Event`]s whose data is decoded into `T` (the operation's schema, or the
/// raw text where the spec gives none).
///
/// Lines and events are bounded ([`DEFAULT_MAX_EVENT_LINE`],
/// [`DEFAULT_MAX_EVENT_BYTES`], set with [`EventStream::max_line_bytes`] and
/// [`EventStream::max_event_bytes`]): the server sending more ends the stream
/// with [`Error::EventStream`]. The client's limit on response bodies does not
/// apply, as an event stream has no end; nor does the call's timeout, which
/// covers the wait for the response's head only.
///
/// Data that is not valid UTF-8 is read with replacement characters, as the
/// standard says; data that does not decode into `T` is an [`Error::Decode`]
/// holding the data, and the stream goes on. An event cut off by the end of
/// the stream is dropped.
///
/// By default the stream ends when the server closes it. With
/// [`EventStream::resume`], it reconnects instead, sending the last event id
/// seen as `Last-Event-ID` and waiting the reconnection time the server set
/// with `retry` (3 seconds unless it did), at most the given number of times.
#[must_use = "a stream does nothing unless polled"]
pub struct EventStream<'a, T> {
    state: Option<State<'a, T>>,
    running: Option<Running<'a, T>>,
}

/// The stream once polled: reading, reconnecting as asked.
type Running<'a, T> = Pin<Box<dyn Stream<Item = Result<Event<T>, Error>> + Send + 'a>>;

impl<T> fmt::Debug for EventStream<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").finish_non_exhaustive()
    }
}

struct State<'a, T> {
    response: Option<reqwest::Response>,
    /// The head of the first answer, kept with data that does not decode.
    status: StatusCode,
    headers: HeaderMap,
    parser: EventParser,
    max_line: usize,
    max_event: usize,
    events: VecDeque<Event>,
    /// What ends the stream once the events read before it are yielded.
    failed: Option<Error>,
    decode: fn(&str) -> Result<T, serde_json::Error>,
    /// The request, to send again when resuming.
    again: Option<Request<'a>>,
    reconnects_left: u32,
    done: bool,
}

impl<'a, T: Send + 'a> EventStream<'a, T> {
    fn new(
        response: reqwest::Response,
        again: Option<Request<'a>>,
        decode: fn(&str) -> Result<T, serde_json::Error>,
    ) -> Self {
        let state = State {
            status: response.status(),
            headers: response.headers().clone(),
            response: Some(response),
            parser: EventParser::new(DEFAULT_MAX_EVENT_LINE, DEFAULT_MAX_EVENT_BYTES),
            max_line: DEFAULT_MAX_EVENT_LINE,
            max_event: DEFAULT_MAX_EVENT_BYTES,
            events: VecDeque::new(),
            failed: None,
            decode,
            again,
            reconnects_left: 0,
            done: false,
        };
        EventStream { state: Some(state), running: None }
    }

    /// Reconnects when the server closes the stream or the connection
    /// breaks, at most `reconnects` times in all, sending the last event id
    /// seen as `Last-Event-ID`. A request whose body was streamed cannot be
    /// sent again, so its stream is not resumed. Set before the first event
    /// is read.
    pub fn resume(mut self, reconnects: u32) -> Self {
        if let Some(state) = &mut self.state {
            state.reconnects_left = reconnects;
        }
        self
    }

    /// The longest line to read (default [`DEFAULT_MAX_EVENT_LINE`]). Set
    /// before the first event is read.
    pub fn max_line_bytes(mut self, limit: usize) -> Self {
        if let Some(state) = &mut self.state {
            state.max_line = limit;
            state.parser = EventParser::new(state.max_line, state.max_event);
        }
        self
    }

    /// The largest event to read (default [`DEFAULT_MAX_EVENT_BYTES`]). Set
    /// before the first event is read.
    pub fn max_event_bytes(mut self, limit: usize) -> Self {
        if let Some(state) = &mut self.state {
            state.max_event = limit;
            state.parser = EventParser::new(state.max_line, state.max_event);
        }
        self
    }
}

impl<'a, T: Send + 'a> Stream for EventStream<'a, T> {
    type Item = Result<Event<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(state) = self.state.take() {
            self.running = Some(Box::pin(futures_util::stream::unfold(state, next)));
        }
        match &mut self.running {
            Some(running) => running.as_mut().poll_next(cx),
            None => Poll::Ready(None),
        }
    }
}

/// The next event of the stream, reading and reconnecting as needed.
async fn next<T>(mut state: State<'_, T>) -> Option<(Result<Event<T>, Error>, State<'_, T>)> {
    loop {
        if let Some(event) = state.events.pop_front() {
            let item = match (state.decode)(event.data()) {
                Ok(data) => Ok(event.with_data(data)),
                Err(error) => Err(Error::Decode {
                    response: Box::new(ErrorResponse {
                        status: state.status,
                        headers: state.headers.clone(),
                        body: RawBody(event.into_data().into()),
                    }),
                    source: error.into(),
                }),
            };
            return Some((item, state));
        }
        if let Some(error) = state.failed.take() {
            state.done = true;
            return Some((Err(error), state));
        }
        if state.done {
            return None;
        }
        let Some(response) = &mut state.response else {
            if let Err(error) = state.reconnect().await {
                state.failed = Some(error);
            }
            continue;
        };
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if let Err(error) = state.parser.feed(&chunk, &mut state.events) {
                    state.failed = Some(Error::EventStream(error));
                }
            }
            Ok(None) => state.closed(None),
            Err(error) => state.closed(Some(SendError::from_reqwest(error).into())),
        }
    }
}

impl<T> State<'_, T> {
    /// The connection ended, cleanly or with `error`: resume if asked, else end.
    fn closed(&mut self, error: Option<Error>) {
        self.parser.end();
        self.response = None;
        if self.reconnects_left == 0 || self.again.is_none() {
            self.done = error.is_none();
            self.failed = error;
        }
    }

    /// Sends the request again after the reconnection time, with the last
    /// event id; an answer of `204 No Content` ends the stream, as the
    /// standard says, and any other but a 2XX is an error.
    async fn reconnect(&mut self) -> Result<(), Error> {
        let Some(mut request) = self.again.as_ref().and_then(Request::try_clone).filter(|_| self.reconnects_left > 0)
        else {
            self.done = true;
            return Ok(());
        };
        self.reconnects_left -= 1;
        tokio::time::sleep(self.parser.reconnect().unwrap_or(DEFAULT_RECONNECT)).await;
        if let Some(id) = self.parser.last_id() {
            request.header("Last-Event-ID", id);
        }
        let answer = request.send_with(|response, limits| async move {
            if response.status().is_success() && response.status() != StatusCode::NO_CONTENT {
                Ok(Streamed::Open(response))
            } else {
                read(response, limits.max_response_bytes).await.map(Streamed::Read)
            }
        });
        match answer.await {
            Ok(Streamed::Open(response)) => self.response = Some(response),
            Ok(Streamed::Read(response)) if response.status() == 204 => self.done = true,
            Ok(Streamed::Read(response)) => return Err(response.unexpected()),
            // A failed reconnection counts as one; the next may still work.
            Err(_) if self.reconnects_left > 0 => {}
            Err(error) => return Err(error.into()),
        }
        Ok(())
    }
}

/// The data of an event as JSON.
fn json<T: DeserializeOwned>(data: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(data)
}

/// The data of an event as text.
fn text(data: &str) -> Result<String, serde_json::Error> {
    Ok(data.to_owned())
}

impl<'a> Request<'a> {
    /// Sends the request like `send`, but hands on a 2XX answer as a stream
    /// of events whose data is JSON; other answers are read in full.
    pub(crate) async fn send_events<T: DeserializeOwned + Send + 'a>(self) -> Result<Streamed<ResponseValue<EventStream<'a, T>>>, SendError> {
        self.send_decoding(json::<T>).await
    }

    /// Like [`Request::send_events`], with the data as text.
    pub(crate) async fn send_text_events(self) -> Result<Streamed<ResponseValue<EventStream<'a, String>>>, SendError> {
        self.send_decoding(text).await
    }

    async fn send_decoding<T: Send + 'a>(
        self,
        decode: fn(&str) -> Result<T, serde_json::Error>,
    ) -> Result<Streamed<ResponseValue<EventStream<'a, T>>>, SendError> {
        let again = self.try_clone();
        let answer = self
            .send_with(|response, limits| async move {
                if response.status().is_success() {
                    Ok(Streamed::Open(response))
                } else {
                    read(response, limits.max_response_bytes).await.map(Streamed::Read)
                }
            })
            .await?;
        Ok(match answer {
            Streamed::Open(response) => {
                let (status, headers) = (response.status(), response.headers().clone());
                Streamed::Open(ResponseValue::new(EventStream::new(response, again, decode), status, headers))
            }
            Streamed::Read(response) => Streamed::Read(response),
        })
    }
}
