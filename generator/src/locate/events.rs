//! The structure of a YAML or JSON text as a stream of events, each with the
//! 1-based line and column where its node starts: where libyaml (the parser
//! that read the document, through serde_yaml) starts it.
//!
//! yaml-rust2 places some nodes elsewhere, and this layer moves them back: a
//! block mapping's start event comes after its first key (`- name: id` was
//! located at the end of `name`), a node with an anchor or a tag starts at
//! its content instead of its `&anchor`/`!tag`, and a block scalar at its
//! first line instead of its `|` or `>`.

use std::borrow::Cow;

use yaml_rust2::parser::{Event as YamlEvent, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// What an event opens, closes or is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind<'t> {
    /// A mapping starts; its entries follow, key then value, until [`Kind::End`].
    Mapping,
    /// A sequence starts; its items follow until [`Kind::End`].
    Sequence,
    /// The innermost open mapping or sequence ends.
    End,
    /// A scalar; the text matters for keys only (JSON values keep their source text).
    Scalar(Cow<'t, str>),
    /// A YAML alias of the node with this anchor id.
    Alias(usize),
}

/// One event and where its node starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event<'t> {
    /// What it is.
    pub kind: Kind<'t>,
    /// 1-based line and column (in characters).
    pub at: (usize, usize),
    /// The YAML anchor id the node defines, 0 when none.
    pub anchor: usize,
}

/// The text stopped being readable here: yaml-rust2 rejects some documents
/// that libyaml reads (a multi-line flow mapping whose closing brace is less
/// indented than its key, for one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable;

/// The events of `source`: a JSON text (one that starts with `{`, as the
/// loader decides) is scanned directly, anything else is read as YAML.
pub fn events(source: &str) -> Box<dyn Iterator<Item = Result<Event<'_>, Unreadable>> + '_> {
    if source.trim_start().starts_with('{') {
        Box::new(JsonEvents::new(source))
    } else {
        Box::new(YamlEvents::new(source))
    }
}

/// yaml-rust2's events, moved to where their nodes start.
struct YamlEvents<'t> {
    parser: Parser<std::str::Chars<'t>>,
    lines: Vec<&'t str>,
    peeked: Option<Result<(YamlEvent, Marker), Unreadable>>,
    done: bool,
}

impl<'t> YamlEvents<'t> {
    fn new(source: &'t str) -> Self {
        YamlEvents { parser: Parser::new_from_str(source), lines: source.lines().collect(), peeked: None, done: false }
    }

    fn raw(&mut self) -> Result<(YamlEvent, Marker), Unreadable> {
        match self.peeked.take() {
            Some(event) => event,
            None => self.parser.next_token().map_err(|_| Unreadable),
        }
    }

    fn peek(&mut self) -> Option<&(YamlEvent, Marker)> {
        if self.peeked.is_none() {
            self.peeked = Some(self.parser.next_token().map_err(|_| Unreadable));
        }
        self.peeked.as_ref().and_then(|event| event.as_ref().ok())
    }
}

impl<'t> Iterator for YamlEvents<'t> {
    type Item = Result<Event<'t>, Unreadable>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let (event, marker) = match self.raw() {
                Ok(event) => event,
                Err(unreadable) => {
                    self.done = true;
                    return Some(Err(unreadable));
                }
            };
            let mut at = (marker.line(), marker.col() + 1);
            let (kind, anchor, has_properties) = match event {
                YamlEvent::StreamEnd => {
                    self.done = true;
                    return None;
                }
                YamlEvent::Nothing | YamlEvent::StreamStart | YamlEvent::DocumentStart | YamlEvent::DocumentEnd => continue,
                YamlEvent::MappingEnd | YamlEvent::SequenceEnd => (Kind::End, 0, false),
                YamlEvent::Alias(id) => (Kind::Alias(id), 0, false),
                YamlEvent::SequenceStart(anchor, tag) => (Kind::Sequence, anchor, tag.is_some()),
                YamlEvent::MappingStart(anchor, tag) => {
                    // A block mapping's event comes at the end of its first key,
                    // a flow mapping's at its `{`, before its first key.
                    if let Some((first, key)) = self.peek()
                        && !matches!(first, YamlEvent::MappingEnd)
                        && (key.line(), key.col() + 1) < at
                    {
                        at = (key.line(), key.col() + 1);
                    }
                    (Kind::Mapping, anchor, tag.is_some())
                }
                YamlEvent::Scalar(text, style, anchor, tag) => {
                    if matches!(style, TScalarStyle::Literal | TScalarStyle::Folded) {
                        at = self.block_indicator(at);
                    }
                    (Kind::Scalar(Cow::Owned(text)), anchor, tag.is_some())
                }
            };
            if anchor != 0 || has_properties {
                at = self.properties(at);
            }
            return Some(Ok(Event { kind, at, anchor }));
        }
        None
    }
}

impl YamlEvents<'_> {
    /// The token that ends before `at` (over blanks, line ends and comments),
    /// as its start and text; `None` at the start of the text.
    fn token_before(&self, (line, column): (usize, usize)) -> Option<((usize, usize), &str)> {
        let mut line_index = line.checked_sub(1)?;
        let mut end = column - 1;
        loop {
            let text = *self.lines.get(line_index)?;
            let chars: Vec<char> = text.chars().take(end).collect();
            // A comment runs to the end of its line; `#` starts one at the line
            // start or after a blank.
            let mut content = chars.len();
            if line_index + 1 != line {
                if let Some(hash) = (0..chars.len()).find(|&i| chars[i] == '#' && (i == 0 || chars[i - 1].is_whitespace())) {
                    content = hash;
                }
            }
            let trimmed = chars[..content].iter().rposition(|c| !c.is_whitespace()).map(|last| last + 1);
            if let Some(token_end) = trimmed {
                let start = chars[..token_end].iter().rposition(|c| c.is_whitespace()).map_or(0, |blank| blank + 1);
                let byte_start: usize = chars[..start].iter().map(|c| c.len_utf8()).sum();
                let byte_end: usize = byte_start + chars[start..token_end].iter().map(|c| c.len_utf8()).sum::<usize>();
                return Some(((line_index + 1, start + 1), &text[byte_start..byte_end]));
            }
            line_index = line_index.checked_sub(1)?;
            end = usize::MAX;
        }
    }

    /// The start of the `&anchor` and `!tag` written before the node at `at`.
    fn properties(&self, mut at: (usize, usize)) -> (usize, usize) {
        while let Some((start, token)) = self.token_before(at) {
            if !(token.starts_with('&') || token.starts_with('!')) {
                break;
            }
            at = start;
        }
        at
    }

    /// The `|` or `>` header of the block scalar whose content starts at `at`.
    fn block_indicator(&self, at: (usize, usize)) -> (usize, usize) {
        match self.token_before(at) {
            Some((start, token)) if token.starts_with(['|', '>']) => start,
            _ => at,
        }
    }
}

/// The events of a JSON text, scanned directly: the YAML scanner holds a
/// one-line document (minified specs) in memory whole before its first event
/// (EC2's took 120 MB and half a second).
struct JsonEvents<'t> {
    source: &'t str,
    at: usize,
    /// The line of `at`, and a byte offset on that line with its 1-based
    /// column (columns are counted forward from there).
    line: usize,
    counted: (usize, usize),
    /// Whether the next string of the innermost object is a key.
    expect_key: bool,
    /// Per open container: true for objects.
    objects: Vec<bool>,
    done: bool,
}

impl<'t> JsonEvents<'t> {
    fn new(source: &'t str) -> Self {
        JsonEvents { source, at: 0, line: 1, counted: (0, 1), expect_key: false, objects: Vec::new(), done: false }
    }

    /// Line and column of byte offset `to`, at or after every earlier one asked.
    fn position(&mut self, to: usize) -> (usize, usize) {
        let (from, column) = self.counted;
        let column = column + self.source[from..to].chars().count();
        self.counted = (to, column);
        (self.line, column)
    }
}

impl<'t> Iterator for JsonEvents<'t> {
    type Item = Result<Event<'t>, Unreadable>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.source.as_bytes();
        while !self.done && self.at < bytes.len() {
            let byte = bytes[self.at];
            match byte {
                b'\n' => {
                    self.at += 1;
                    self.line += 1;
                    self.counted = (self.at, 1);
                    continue;
                }
                b':' => {
                    self.at += 1;
                    continue;
                }
                b',' => {
                    self.expect_key = self.objects.last() == Some(&true);
                    self.at += 1;
                    continue;
                }
                _ if byte.is_ascii_whitespace() => {
                    self.at += 1;
                    continue;
                }
                _ => {}
            }
            let start = self.at;
            let at = self.position(start);
            let event = |kind| Some(Ok(Event { kind, at, anchor: 0 }));
            match byte {
                b'{' | b'[' => {
                    self.objects.push(byte == b'{');
                    self.expect_key = byte == b'{';
                    self.at += 1;
                    return event(if byte == b'{' { Kind::Mapping } else { Kind::Sequence });
                }
                b'}' | b']' => {
                    self.objects.pop();
                    self.expect_key = false;
                    self.at += 1;
                    return event(Kind::End);
                }
                b'"' => {
                    let end = string_end(bytes, start);
                    self.at = end;
                    self.expect_key = false;
                    // Between the quotes; an unterminated string at the end has no closing one.
                    let inner = self.source.get(start + 1..end.saturating_sub(1).max(start + 1)).unwrap_or_default();
                    let text = if inner.contains('\\') {
                        Cow::Owned(serde_json::from_str::<String>(&self.source[start..end]).unwrap_or_default())
                    } else {
                        Cow::Borrowed(inner)
                    };
                    return event(Kind::Scalar(text));
                }
                _ if self.expect_key => {
                    // An unquoted key: not JSON.
                    self.done = true;
                    return Some(Err(Unreadable));
                }
                _ => {
                    // A number or literal: up to the next delimiter.
                    let length = bytes[start..]
                        .iter()
                        .position(|b| matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace())
                        .unwrap_or(bytes.len() - start);
                    self.at = start + length;
                    return event(Kind::Scalar(Cow::Borrowed(&self.source[start..self.at])));
                }
            }
        }
        None
    }
}

/// The offset just past the string literal that opens at `open`.
fn string_end(bytes: &[u8], open: usize) -> usize {
    let mut at = open + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return at + 1,
            _ => at += 1,
        }
    }
    bytes.len()
}
