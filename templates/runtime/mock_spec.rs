//! What the stand-in server (the `mock` feature) knows of each operation:
//! its method, path, parameters, body, credentials and pages, as the spec
//! says; and the check of every request that reaches the stand-in against it.

use std::fmt;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// One operation as the spec describes it, for the stand-in to route and
/// check requests. Generated code writes one per operation.
#[derive(Debug)]
pub struct OperationSpec {
    /// `operationId`.
    pub id: &'static str,
    /// How a stub of it is made, shown in messages (`sessions().create_session()`).
    pub stub: &'static str,
    /// Upper-case HTTP method.
    pub method: &'static str,
    /// The path template.
    pub path: &'static [Segment],
    /// The query, header and cookie parameters.
    pub params: &'static [ParamSpec],
    /// The request body, when the operation takes one.
    pub body: Option<BodySpec>,
    /// Security alternatives: any one, all of its parts present, will do; an
    /// empty alternative allows anonymous calls; no alternative at all, too.
    pub security: &'static [&'static [Needs]],
    /// How its answers are walked page by page, when it is paginated.
    pub pages: Option<PageSpec>,
}

/// A piece of a path template.
#[derive(Debug)]
pub enum Segment {
    /// Text matched as is.
    Literal(&'static str),
    /// A path parameter, by name.
    Param(&'static str),
}

/// A query, header or cookie parameter.
#[derive(Debug)]
pub struct ParamSpec {
    /// Its name on the wire.
    pub name: &'static str,
    /// Where it travels.
    pub location: Location,
    /// Whether a request must carry it.
    pub required: bool,
}

/// Where a parameter or a credential travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The query string.
    Query,
    /// A header.
    Header,
    /// The `Cookie` header.
    Cookie,
}

/// A request body.
#[derive(Debug)]
pub struct BodySpec {
    /// Whether a request must carry one.
    pub required: bool,
    /// The Rust type it decodes as, for messages.
    pub type_name: &'static str,
    /// Decodes it, saying why it does not.
    pub check: fn(&[u8]) -> Result<(), String>,
}

/// One credential a security alternative needs.
#[derive(Debug)]
pub enum Needs {
    /// `Authorization` starting with this scheme (`Basic`, `Bearer`).
    Authorization(&'static str),
    /// An API key (or a signature) in the header, query parameter or cookie
    /// of this name, starting with the prefix.
    Key(Location, &'static str, &'static str),
}

impl fmt::Display for Needs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Needs::Authorization(scheme) => write!(f, "header `Authorization: {scheme} …`"),
            Needs::Key(location, name, prefix) => {
                let place = match location {
                    Location::Query => "query parameter",
                    Location::Header => "header",
                    Location::Cookie => "cookie",
                };
                write!(f, "{place} `{name}`")?;
                if !prefix.is_empty() {
                    write!(f, " starting with `{prefix}`")?;
                }
                Ok(())
            }
        }
    }
}

/// How a paginated operation's pages are asked for and told apart
/// (`x-pagination`); JSON paths are lists of property names.
#[derive(Debug)]
pub struct PageSpec {
    /// The success status pages are answered with.
    pub status: u16,
    /// From the success body to the array of items.
    pub items: &'static [&'static str],
    /// How the next page is asked for.
    pub style: PageStyle,
}

/// How the next page is asked for.
#[derive(Debug)]
pub enum PageStyle {
    /// Numbered pages in the query parameter `param`, from `first`.
    Number {
        /// The query parameter.
        param: &'static str,
        /// The first page's number.
        first: i64,
        /// From the success body to the boolean saying another page follows.
        has_more: Option<&'static [&'static str]>,
    },
    /// An opaque cursor, sent where `target` says and read from `next`.
    Cursor {
        /// Where the request carries the cursor.
        target: CursorIn,
        /// From the success body to the next cursor.
        next: &'static [&'static str],
    },
}

/// Where a request carries a cursor.
#[derive(Debug)]
pub enum CursorIn {
    /// A query parameter or header.
    Param(Location, &'static str),
    /// A top-level property of the JSON body.
    BodyField(&'static str),
}

/// A request as it reached the stand-in, before it is decoded.
#[derive(Debug, Clone)]
pub(crate) struct RawRequest {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    /// Header names in lower case.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Bytes,
}

impl RawRequest {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(key, _)| *key == name).map(|(_, value)| value.as_str())
    }

    pub(crate) fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    pub(crate) fn cookie(&self, name: &str) -> Option<&str> {
        self.header("cookie")?.split(';').find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then_some(value)
        })
    }

    pub(crate) fn param(&self, location: Location, name: &str) -> Option<&str> {
        match location {
            Location::Query => self.query(name),
            Location::Header => self.header(name),
            Location::Cookie => self.cookie(name),
        }
    }
}

/// A request a stub received, with its body decoded as the operation's
/// request type `B` (`()` without a body, `Option<T>` for an optional one).
#[derive(Debug, Clone, PartialEq)]
pub struct Request<B> {
    body: B,
    path: Vec<(String, String)>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
}

impl<B> Request<B> {
    pub(crate) fn new(body: B, path: Vec<(String, String)>, raw: &RawRequest) -> Self {
        Request { body, path, query: raw.query.clone(), headers: raw.headers.clone() }
    }

    /// The body, decoded.
    pub fn body(&self) -> &B {
        &self.body
    }

    /// A path parameter's value, percent-decoded, by its name in the spec.
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.path.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The first value of a query parameter, decoded.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// A header's value (names compare without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(key, _)| *key == name).map(|(_, value)| value.as_str())
    }
}

impl OperationSpec {
    /// The path parameters of `path` when it fits the template, in order.
    pub(crate) fn route(&self, path: &str) -> Option<Vec<(String, String)>> {
        let mut rest = path;
        let mut params = Vec::new();
        for (index, segment) in self.path.iter().enumerate() {
            match segment {
                Segment::Literal(text) => rest = rest.strip_prefix(text)?,
                Segment::Param(name) => {
                    // A value runs to the next literal, never across a `/`.
                    let end = match self.path.get(index + 1) {
                        Some(Segment::Literal(next)) => rest.find(next).unwrap_or(rest.len()),
                        _ => rest.len(),
                    };
                    let value = &rest[..end];
                    if value.is_empty() || value.contains('/') {
                        return None;
                    }
                    let decoded = percent_encoding::percent_decode_str(value).decode_utf8_lossy().into_owned();
                    params.push(((*name).to_owned(), decoded));
                    rest = &rest[end..];
                }
            }
        }
        rest.is_empty().then_some(params)
    }

    /// How many literal characters the template has: the more specific
    /// template wins when two fit a path.
    pub(crate) fn specificity(&self) -> usize {
        self.path.iter().map(|segment| if let Segment::Literal(text) = segment { text.len() } else { 0 }).sum()
    }

    /// What in `request` breaks the spec: each problem names the field.
    pub(crate) fn violations(&self, request: &RawRequest) -> Vec<String> {
        let mut problems = Vec::new();
        for param in self.params.iter().filter(|param| param.required) {
            if request.param(param.location, param.name).is_none() {
                let place = match param.location {
                    Location::Query => "query parameter",
                    Location::Header => "header",
                    Location::Cookie => "cookie",
                };
                problems.push(format!("the required {place} `{}` is missing", param.name));
            }
        }
        match &self.body {
            Some(body) if request.body.is_empty() && body.required => {
                problems.push(format!("the required body (`{}`) is missing", body.type_name));
            }
            Some(_) if request.body.is_empty() => {}
            Some(body) => {
                if let Err(error) = (body.check)(&request.body) {
                    problems.push(format!("the body does not decode as `{}`: {error}", body.type_name));
                }
            }
            None if !request.body.is_empty() => {
                problems.push(String::from("the request carries a body; the operation takes none"));
            }
            None => {}
        }
        if let Some(problem) = self.missing_credentials(request) {
            problems.push(problem);
        }
        problems
    }

    fn missing_credentials(&self, request: &RawRequest) -> Option<String> {
        let present = |needs: &Needs| match needs {
            Needs::Authorization(scheme) => request
                .header("authorization")
                .and_then(|value| value.split_once(' '))
                .is_some_and(|(given, value)| given.eq_ignore_ascii_case(scheme) && !value.trim().is_empty()),
            Needs::Key(location, name, prefix) => {
                request.param(*location, name).is_some_and(|value| value.len() > prefix.len() && value.starts_with(prefix))
            }
        };
        if self.security.is_empty() || self.security.iter().any(|alternative| alternative.iter().all(present)) {
            return None;
        }
        let alternatives: Vec<String> = self
            .security
            .iter()
            .map(|alternative| alternative.iter().map(ToString::to_string).collect::<Vec<_>>().join(" and "))
            .collect();
        Some(format!("the credentials are missing: send {}", alternatives.join("; or ")))
    }
}

/// Decodes a JSON body; what `BodySpec::check` and stubs use.
pub fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|error| error.to_string())
}

/// Decodes an optional JSON body: an empty one is `None`.
pub fn optional_json<T: DeserializeOwned>(body: &[u8]) -> Result<Option<T>, String> {
    if body.is_empty() { Ok(None) } else { json(body).map(Some) }
}

/// Decodes an `application/x-www-form-urlencoded` body.
pub fn form<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    serde_urlencoded::from_bytes(body).map_err(|error| error.to_string())
}

/// Decodes an optional form body: an empty one is `None`.
pub fn optional_form<T: DeserializeOwned>(body: &[u8]) -> Result<Option<T>, String> {
    if body.is_empty() { Ok(None) } else { form(body).map(Some) }
}

/// A text body, which must be UTF-8.
pub fn text(body: &[u8]) -> Result<String, String> {
    String::from_utf8(body.to_vec()).map_err(|error| error.to_string())
}

/// A body kept as bytes (binary and multipart bodies).
pub fn bytes(body: &[u8]) -> Result<Bytes, String> {
    Ok(Bytes::copy_from_slice(body))
}

/// No body.
pub fn empty(_: &[u8]) -> Result<(), String> {
    Ok(())
}

/// One page of `items` as `spec` walks them, built on `template` (the rest
/// of the success body); `request` asks for the page.
pub(crate) fn page(spec: &PageSpec, template: &Value, items: &[Value], per_page: usize, request: &RawRequest) -> Result<Bytes, String> {
    let per_page = per_page.max(1);
    let start = match &spec.style {
        PageStyle::Number { param, first, .. } => {
            let number = match request.query(param) {
                Some(text) => text.parse::<i64>().map_err(|_| format!("page number `{param}` is not a number: {text}"))?,
                None => *first,
            };
            usize::try_from(number - first).map_err(|_| format!("page number `{param}` is before the first page: {number}"))?
                * per_page
        }
        PageStyle::Cursor { target, .. } => {
            let cursor = match target {
                CursorIn::Param(location, name) => request.param(*location, name).map(str::to_owned),
                CursorIn::BodyField(field) => serde_json::from_slice::<Value>(&request.body)
                    .ok()
                    .and_then(|body| body.get(field).and_then(Value::as_str).map(str::to_owned)),
            };
            match cursor {
                Some(cursor) => cursor.parse::<usize>().map_err(|_| format!("cursor `{cursor}` is not one the stand-in gave"))?,
                None => 0,
            }
        }
    };
    let end = start.saturating_add(per_page).min(items.len());
    let page = items.get(start..end).unwrap_or_default().to_vec();
    let mut body = template.clone();
    set(&mut body, spec.items, Some(Value::Array(page)));
    match &spec.style {
        PageStyle::Number { has_more: Some(path), .. } => set(&mut body, path, Some(Value::Bool(end < items.len()))),
        PageStyle::Number { has_more: None, .. } => {}
        PageStyle::Cursor { next, .. } => set(&mut body, next, (end < items.len()).then(|| Value::String(end.to_string()))),
    }
    serde_json::to_vec(&body).map(Bytes::from).map_err(|error| error.to_string())
}

/// Puts `value` at `path` in `body`, making the objects on the way; `None`
/// removes what is there.
fn set(body: &mut Value, path: &[&str], value: Option<Value>) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut at = body;
    for key in parents {
        if !at.is_object() {
            *at = Value::Object(serde_json::Map::new());
        }
        let Value::Object(object) = at else { return };
        at = object.entry((*key).to_owned()).or_insert(Value::Null);
    }
    if !at.is_object() {
        *at = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(object) = at {
        match value {
            Some(value) => object.insert((*last).to_owned(), value),
            None => object.remove(*last),
        };
    }
}
