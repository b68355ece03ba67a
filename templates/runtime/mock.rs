//! A stand-in server for tests (the `mock` feature): a loopback HTTP server
//! (wiremock's) whose stubs are typed by the API's operations, and which
//! checks every request it receives against the spec.
//!
//! wiremock serves HTTP; every request goes to one responder of ours, which
//! routes it to its operation, checks it (required parameters, the body
//! decoding as the request type, credentials), then picks the first stub
//! whose matchers accept it. A request that breaks the spec is recorded and
//! reported when the server is dropped (or by [`Server::verify`]); one no
//! stub accepts is answered 501 with every stub and why it declined.

use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;

pub use super::mock_spec::{
    BodySpec, CursorIn, Location, Needs, OperationSpec, PageSpec, PageStyle, ParamSpec, Request, Segment, bytes, empty,
    form, json, optional_form, optional_json, text,
};
use super::mock_spec::{RawRequest, page};

/// An API the stand-in serves: its marker type (`Api` of the API module).
pub trait MockApi: 'static {
    /// The API's title, for messages.
    const TITLE: &'static str;
    /// Every operation of the API.
    const OPERATIONS: &'static [&'static OperationSpec];
}

/// One operation the stand-in serves: its marker type (in
/// `operations::markers`) names its request body and its answers.
pub trait Operation: 'static {
    /// The request body as the client sends it: `()` without one,
    /// `Option<T>` when optional.
    type Body: fmt::Debug + Clone + PartialEq + Send + Sync + 'static;
    /// The answers the spec documents, one variant per status.
    type Answer: Answer;
    /// What the spec says about the operation.
    const SPEC: &'static OperationSpec;
    /// Decodes a request body, saying why it does not decode.
    fn decode_body(body: &[u8]) -> Result<Self::Body, String>;
}

/// `BodySpec::check` of an operation: its body decodes.
pub fn checked<Op: Operation>(body: &[u8]) -> Result<(), String> {
    Op::decode_body(body).map(drop)
}

/// A documented answer of an operation, turned into what the stand-in sends.
pub trait Answer {
    /// The status and body.
    fn into_reply(self) -> Reply;
}

/// What the stand-in answers: a status, a body, headers, after a delay.
/// Made from an operation's typed answer ([`Reply::new`]) or, to test how a
/// client copes with what the spec does not allow, from raw bytes ([`Reply::raw`]).
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    body: Option<(String, Bytes)>,
    headers: Vec<(String, String)>,
    delay: Option<Duration>,
}

impl Reply {
    /// A documented answer.
    pub fn new(answer: impl Answer) -> Self {
        answer.into_reply()
    }

    /// Any status and body, which the spec may not allow.
    pub fn raw(status: u16, body: impl Into<Bytes>) -> Self {
        Reply { status, body: Some((String::from("application/octet-stream"), body.into())), headers: Vec::new(), delay: None }
    }

    /// A JSON answer (generated answers use it).
    pub fn json(status: u16, body: &impl Serialize) -> Self {
        let body = serde_json::to_vec(body).unwrap_or_default();
        Reply { status, body: Some((String::from("application/json"), Bytes::from(body))), headers: Vec::new(), delay: None }
    }

    /// A text answer.
    pub fn text(status: u16, body: String) -> Self {
        Reply { status, body: Some((String::from("text/plain; charset=utf-8"), Bytes::from(body))), headers: Vec::new(), delay: None }
    }

    /// A `text/event-stream` answer: the events as the server writes them
    /// (`data: …` lines, each event ended by a blank line).
    pub fn events(status: u16, body: String) -> Self {
        Reply { status, body: Some((String::from("text/event-stream"), Bytes::from(body))), headers: Vec::new(), delay: None }
    }

    /// A binary answer.
    pub fn bytes(status: u16, body: Bytes) -> Self {
        Reply { status, body: Some((String::from("application/octet-stream"), body)), headers: Vec::new(), delay: None }
    }

    /// An answer without a body.
    pub fn empty(status: u16) -> Self {
        Reply { status, body: None, headers: Vec::new(), delay: None }
    }

    /// `status` for an answer documented as a range (`4XX`, `start` 400) or
    /// as `default` (`start` 0): a status outside it is a mistake in the test.
    pub fn in_range(status: u16, start: u16) -> u16 {
        let fits = if start == 0 { (100..=599).contains(&status) } else { (start..start + 100).contains(&status) };
        assert!(fits, "the stand-in cannot answer HTTP {status} here: the spec documents {}", range_text(start));
        status
    }

    /// Adds a header to the answer.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Answers after `delay`.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    fn template(&self) -> wiremock::ResponseTemplate {
        let mut template = wiremock::ResponseTemplate::new(self.status);
        if let Some((media, body)) = &self.body {
            template = template.set_body_raw(body.to_vec(), media);
        }
        for (name, value) in &self.headers {
            template = template.append_header(name.as_str(), value.as_str());
        }
        match self.delay {
            Some(delay) => template.set_delay(delay),
            None => template,
        }
    }
}

fn range_text(start: u16) -> String {
    if start == 0 { String::from("statuses 100 to 599") } else { format!("{}XX", start / 100) }
}

/// A stand-in of the API `A` on loopback; give [`Server::uri`] to the
/// client's builder. Dropped, it panics when a stub's `expect(n)` was not
/// met or a request broke the spec (unless the test is already panicking).
pub struct Server<A> {
    server: wiremock::MockServer,
    state: Arc<Mutex<State>>,
    api: PhantomData<fn() -> A>,
}

impl<A> fmt::Debug for Server<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server").field("uri", &self.server.uri()).finish_non_exhaustive()
    }
}

#[derive(Default)]
struct State {
    stubs: Vec<Arc<dyn Entry>>,
    violations: Vec<String>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A test that panicked holding the lock leaves state worth reporting.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<A: MockApi> Server<A> {
    /// Starts the stand-in on a free loopback port.
    pub async fn start() -> Self {
        let server = wiremock::MockServer::start().await;
        let state = Arc::new(Mutex::new(State::default()));
        let responder = Responder { title: A::TITLE, operations: A::OPERATIONS, state: Arc::clone(&state) };
        wiremock::Mock::given(wiremock::matchers::any()).respond_with(responder).mount(&server).await;
        Server { server, state, api: PhantomData }
    }

    /// The base URL to give `Client::builder`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A stub of `Op`, for generated code: each operation's method names it.
    pub fn stub<Op: Operation>(&self) -> Stub<'_, Op> {
        Stub { state: &self.state, matchers: Matchers::default(), replies: Vec::new(), pages: None, expected: None, op: PhantomData }
    }

    /// Panics now with what [`Drop`] would report: requests that broke the
    /// spec and stubs called another number of times than they expect.
    pub fn verify(&self) {
        let problems = self.problems();
        assert!(problems.is_empty(), "the stand-in of {}:\n{}", A::TITLE, problems.join("\n"));
    }

    fn problems(&self) -> Vec<String> {
        let state = lock(&self.state);
        let unmet = state.stubs.iter().filter_map(|stub| stub.unmet());
        state.violations.iter().cloned().chain(unmet).collect()
    }
}

impl<A> Drop for Server<A> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let state = lock(&self.state);
        let unmet = state.stubs.iter().filter_map(|stub| stub.unmet());
        let problems: Vec<String> = state.violations.iter().cloned().chain(unmet).collect();
        drop(state);
        assert!(problems.is_empty(), "the stand-in found problems:\n{}", problems.join("\n"));
    }
}

/// A matcher over the decoded request: `with_body`'s, or a `matching` closure.
type Accepts<B> = Box<dyn Fn(&Request<B>) -> bool + Send + Sync>;

/// What the stand-in checks before a stub answers; each is a reason to decline.
struct Matchers<B> {
    path: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Vec<(&'static str, Accepts<B>)>,
}

impl<B> Default for Matchers<B> {
    fn default() -> Self {
        Matchers { path: Vec::new(), query: Vec::new(), headers: Vec::new(), body: Vec::new() }
    }
}

impl<B> Matchers<B> {
    fn decline(&self, request: &Request<B>) -> Option<String> {
        for (name, want) in &self.path {
            let got = request.path_param(name).unwrap_or_default();
            if got != want {
                return Some(format!("path parameter `{name}` is `{got}`, the stub wants `{want}`"));
            }
        }
        let shown = |value: Option<&str>| value.map_or_else(|| String::from("absent"), |value| format!("`{value}`"));
        for (name, want) in &self.query {
            if request.query(name) != Some(want.as_str()) {
                return Some(format!("query parameter `{name}` is {}, the stub wants `{want}`", shown(request.query(name))));
            }
        }
        for (name, want) in &self.headers {
            if request.header(name) != Some(want.as_str()) {
                return Some(format!("header `{name}` is {}, the stub wants `{want}`", shown(request.header(name))));
            }
        }
        self.body.iter().find(|(_, accepts)| !accepts(request)).map(|(what, _)| format!("{what} declined the request"))
    }
}

/// A stub of one operation being set up: chained matchers and answers, then
/// [`Stub::mount`]. Made by the stand-in's methods, which mirror the client's.
#[must_use = "a stub does nothing until it is mounted with `mount()`"]
pub struct Stub<'s, Op: Operation> {
    state: &'s Arc<Mutex<State>>,
    matchers: Matchers<Op::Body>,
    replies: Vec<Reply>,
    pages: Option<Pages>,
    expected: Option<u64>,
    op: PhantomData<fn() -> Op>,
}

struct Pages {
    template: Value,
    items: Vec<Value>,
    per_page: usize,
}

impl<Op: Operation> Stub<'_, Op> {
    /// Matches a path parameter (generated methods take the required ones).
    pub fn path_param(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.matchers.path.push((name, value.to_string()));
        self
    }

    /// Matches requests whose query parameter `name` is `value`.
    pub fn with_query(mut self, name: &str, value: impl fmt::Display) -> Self {
        self.matchers.query.push((name.to_owned(), value.to_string()));
        self
    }

    /// Matches requests whose header `name` is `value`.
    pub fn with_header(mut self, name: &str, value: impl fmt::Display) -> Self {
        self.matchers.headers.push((name.to_owned(), value.to_string()));
        self
    }

    /// Matches requests whose query parameter `name` carries `value` as the
    /// client writes it (the generated setters named after the client's).
    pub fn query_is(self, name: &str, value: &impl Serialize) -> Self {
        self.with_query(name, scalar_text(value))
    }

    /// Matches requests whose header `name` carries `value` as the client
    /// writes it (the generated setters named after the client's).
    pub fn header_is(self, name: &str, value: &impl Serialize) -> Self {
        self.with_header(name, scalar_text(value))
    }

    /// Matches requests whose decoded body equals `body`.
    pub fn with_body(mut self, body: Op::Body) -> Self {
        self.matchers.body.push(("the body matcher", Box::new(move |request| *request.body() == body)));
        self
    }

    /// Matches requests `accepts` returns `true` for.
    pub fn matching(mut self, accepts: impl Fn(&Request<Op::Body>) -> bool + Send + Sync + 'static) -> Self {
        self.matchers.body.push(("the `matching` closure", Box::new(accepts)));
        self
    }

    /// Answers with a documented answer. Several answers are a sequence:
    /// each call gets the next, and the last one answers every call after.
    pub fn answer(mut self, answer: Op::Answer) -> Self {
        self.replies.push(answer.into_reply());
        self
    }

    /// Answers with a reply made from a documented answer
    /// ([`Reply::new`], with headers or a delay) or a raw one.
    pub fn reply(mut self, reply: Reply) -> Self {
        self.replies.push(reply);
        self
    }

    /// Answers with any status and body, which the spec may not allow: for
    /// testing how a client copes.
    pub fn raw(self, status: u16, body: impl Into<Bytes>) -> Self {
        self.reply(Reply::raw(status, body))
    }

    /// Fails the test, when the server is dropped, unless exactly `calls`
    /// requests reached this stub.
    pub fn expect(mut self, calls: u64) -> Self {
        self.expected = Some(calls);
        self
    }

    /// Serves `items`, `per_page` a page, as the operation's pagination asks
    /// for them; `template` fills the rest of each page (generated methods
    /// take typed values).
    pub fn serve_pages(mut self, template: &impl Serialize, items: &[impl Serialize], per_page: usize) -> Self {
        let template = serde_json::to_value(template).unwrap_or(Value::Null);
        let items = items.iter().map(|item| serde_json::to_value(item).unwrap_or(Value::Null)).collect();
        self.pages = Some(Pages { template, items, per_page });
        self
    }

    /// Mounts the stub; the handle counts its calls.
    pub fn mount(self) -> Mounted<Op> {
        let no_answer = self.replies.is_empty() && self.pages.is_none();
        assert!(!no_answer, "a stub of `{}` needs an answer: `answer(..)`, `reply(..)`, `raw(..)` or pages", Op::SPEC.stub);
        let pages_without_spec = self.pages.is_some() && Op::SPEC.pages.is_none();
        assert!(!pages_without_spec, "`{}` is not paginated: its stub cannot serve pages", Op::SPEC.id);
        let shared = Arc::new(Shared::<Op> {
            matchers: self.matchers,
            replies: self.replies,
            pages: self.pages,
            expected: self.expected,
            calls: Mutex::new(Vec::new()),
        });
        lock(self.state).stubs.push(Arc::clone(&shared) as Arc<dyn Entry>);
        Mounted { shared }
    }
}

/// A scalar parameter's text on the wire: a string as it is, a number or a
/// boolean as JSON writes it.
fn scalar_text(value: &impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// A mounted stub: the requests it answered.
pub struct Mounted<Op: Operation> {
    shared: Arc<Shared<Op>>,
}

impl<Op: Operation> fmt::Debug for Mounted<Op> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mounted").field("operation", &Op::SPEC.id).field("calls", &self.calls()).finish()
    }
}

impl<Op: Operation> Mounted<Op> {
    /// How many requests the stub answered.
    pub fn calls(&self) -> usize {
        lock(&self.shared.calls).len()
    }

    /// The requests the stub answered, their bodies decoded, in order.
    pub fn requests(&self) -> Vec<Request<Op::Body>> {
        lock(&self.shared.calls).clone()
    }
}

struct Shared<Op: Operation> {
    matchers: Matchers<Op::Body>,
    replies: Vec<Reply>,
    pages: Option<Pages>,
    expected: Option<u64>,
    calls: Mutex<Vec<Request<Op::Body>>>,
}

/// A mounted stub, whatever its operation.
trait Entry: Send + Sync {
    fn spec(&self) -> &'static OperationSpec;
    /// The answer, or why the stub declines `request`.
    fn answer(&self, request: &RawRequest, path: &[(String, String)]) -> Result<Reply, String>;
    /// The unmet expectation, if any.
    fn unmet(&self) -> Option<String>;
}

impl<Op: Operation> Entry for Shared<Op> {
    fn spec(&self) -> &'static OperationSpec {
        Op::SPEC
    }

    fn answer(&self, raw: &RawRequest, path: &[(String, String)]) -> Result<Reply, String> {
        let body = Op::decode_body(&raw.body)?;
        let request = Request::new(body, path.to_vec(), raw);
        if let Some(reason) = self.matchers.decline(&request) {
            return Err(reason);
        }
        let mut calls = lock(&self.calls);
        let reply = match (&self.pages, &Op::SPEC.pages) {
            (Some(pages), Some(spec)) => {
                let body = page(spec, &pages.template, &pages.items, pages.per_page, raw)?;
                Reply { status: spec.status, body: Some((String::from("application/json"), body)), headers: Vec::new(), delay: None }
            }
            _ => self.replies.get(calls.len()).or(self.replies.last()).cloned().unwrap_or_else(|| Reply::empty(501)),
        };
        calls.push(request);
        Ok(reply)
    }

    fn unmet(&self) -> Option<String> {
        let expected = self.expected?;
        let calls = lock(&self.calls).len() as u64;
        (calls != expected).then(|| format!("`{}`: expected {expected} calls, got {calls}", Op::SPEC.stub))
    }
}

/// The one wiremock responder: routes, checks and answers every request.
struct Responder {
    title: &'static str,
    operations: &'static [&'static OperationSpec],
    state: Arc<Mutex<State>>,
}

impl wiremock::Respond for Responder {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let raw = RawRequest {
            method: request.method.as_str().to_owned(),
            path: request.url.path().to_owned(),
            query: request.url.query_pairs().map(|(key, value)| (key.into_owned(), value.into_owned())).collect(),
            headers: request
                .headers
                .iter()
                .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
                .collect(),
            body: Bytes::copy_from_slice(&request.body),
        };
        let routed = self
            .operations
            .iter()
            .filter(|op| op.method == raw.method)
            .filter_map(|op| op.route(&raw.path).map(|path| (*op, path)))
            .max_by_key(|(op, _)| op.specificity());
        let mut state = lock(&self.state);
        let Some((op, path)) = routed else {
            let listing = listing(&state.stubs, |stub| format!("is a stub of `{}`", stub.spec().id));
            return not_implemented(format!("no operation of {} is `{} {}`\n{listing}", self.title, raw.method, raw.path));
        };
        let problems = op.violations(&raw);
        if !problems.is_empty() {
            let message: Vec<String> = problems.iter().map(|problem| format!("`{}`: {problem}", op.id)).collect();
            state.violations.extend(message.iter().cloned());
            return not_implemented(format!("the request breaks the spec:\n{}", message.join("\n")));
        }
        let mut reasons = Vec::new();
        for stub in state.stubs.iter().filter(|stub| std::ptr::eq(stub.spec(), op)) {
            match stub.answer(&raw, &path) {
                Ok(reply) => return reply.template(),
                Err(reason) => reasons.push(reason),
            }
        }
        let mut reasons = reasons.into_iter();
        let listing = listing(&state.stubs, |stub| {
            if std::ptr::eq(stub.spec(), op) {
                reasons.next().unwrap_or_default()
            } else {
                format!("is a stub of `{}`", stub.spec().id)
            }
        });
        not_implemented(format!("no stub of `{}` answers `{} {}`\n{listing}", op.id, raw.method, raw.path))
    }
}

/// One line per stub: what it stubs and why it declined.
fn listing(stubs: &[Arc<dyn Entry>], mut why: impl FnMut(&dyn Entry) -> String) -> String {
    if stubs.is_empty() {
        return String::from("no stubs are mounted");
    }
    let lines: Vec<String> = stubs
        .iter()
        .enumerate()
        .map(|(index, stub)| format!("stub {} `{}`: {}", index + 1, stub.spec().stub, why(stub.as_ref())))
        .collect();
    lines.join("\n")
}

fn not_implemented(message: String) -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(501).set_body_raw(message.into_bytes(), "text/plain; charset=utf-8")
}
