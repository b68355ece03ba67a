//! Spec prose → rustdoc attributes that render well and never trip rustdoc or
//! clippy: no doctests, no broken intra-doc links, no stray HTML, no bare URLs.

use proc_macro2::TokenStream;

use crate::emit::doc_blocks;
use crate::ir::FeatureLayout;

/// `#[doc = "…"]` attributes for `text`; nothing for empty text.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return TokenStream::new();
    };
    doc_blocks::doc_attrs(sanitize(text))
}

/// Rewrites markdown so rustdoc shows it as the spec author meant it.
pub fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    // Width of the marker of the list item being continued, if any.
    let mut list_indent: Option<usize> = None;
    // Tabs become four spaces, as clippy asks of doc comments.
    for raw in text.replace("\r\n", "\n").replace('\r', "\n").replace('\t', "    ").lines() {
        let trimmed = raw.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            // Fenced blocks become plain text: rustdoc would compile them as Rust.
            out.push(if in_fence { String::from(" ```") } else { String::from(" ```text") });
            in_fence = !in_fence;
            list_indent = None;
            continue;
        }
        if in_fence {
            out.push(format!(" {}", raw.trim_end()));
            continue;
        }
        if trimmed.is_empty() {
            out.push(String::new());
            list_indent = None;
            continue;
        }
        // Leading spaces are dropped (four would start a doctest); a line that
        // continues a list item is indented to the item's text, as clippy asks.
        if let Some((indent, item)) = list_item(trimmed) {
            list_indent = Some(indent);
            out.push(format!(" {}", escape(&item)));
            continue;
        }
        let line = escape(trimmed);
        if let Some(indent) = list_indent {
            out.push(format!(" {}{line}", " ".repeat(indent)));
        } else {
            out.push(format!(" {line}"));
        }
    }
    if in_fence {
        out.push(String::from(" ```"));
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// A list item (`- `, `* `, `+ `, `1. `) starting `line`: the width its
/// continuation lines are indented to, and the line to write. Five spaces or
/// more after the marker would make the item's text an indented code block,
/// which rustdoc compiles as a doctest: they become one.
fn list_item(line: &str) -> Option<(usize, String)> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let marker = if line.starts_with(['-', '*', '+']) {
        1
    } else if digits > 0 && line[digits..].starts_with('.') {
        digits + 1
    } else {
        return None;
    };
    let text = line[marker..].trim_start_matches(' ');
    match line[marker..].len() - text.len() {
        0 => None,
        spaces @ 1..=4 => Some((marker + spaces, line.to_owned())),
        _ => Some((marker + 1, format!("{} {text}", &line[..marker]))),
    }
}

/// Escapes what rustdoc would misread and turns bare URLs into autolinks.
fn escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while !rest.is_empty() {
        // Code spans are shown as written; nothing in them needs escaping.
        if rest.starts_with('`') {
            let ticks = rest.len() - rest.trim_start_matches('`').len();
            let fence = &rest[..ticks];
            if let Some(close) = rest[ticks..].find(fence) {
                let end = ticks + close + ticks;
                out.push_str(&rest[..end]);
                rest = &rest[end..];
                continue;
            }
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            // A URL template (`https://{server}.example.com/{id}`) is no link:
            // it is shown as code, whole.
            let whole = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let template = rest[..whole].trim_end_matches(['.', ',', ';', ':', '!', '?', ')']);
            if template.contains('{') && !template.contains('`') {
                out.push('`');
                out.push_str(template);
                out.push('`');
                rest = &rest[template.len()..];
                continue;
            }
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | ')' | '(' | '`' | '[' | ']' | '{' | '}' | '|' | '\\'))
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        // A Markdown link to a web page renders as it is; other brackets would
        // be read as intra-doc links.
        if let Some(link) = web_link(rest) {
            out.push_str(&rest[..link]);
            rest = &rest[link..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The length of a `[text](https://…)` link starting `text`, if one does.
fn web_link(text: &str) -> Option<usize> {
    let inner = text.strip_prefix('[')?;
    let close = inner.find("](")?;
    let label = &inner[..close];
    if label.contains(['[', ']', '<', '>']) {
        return None;
    }
    let target = &inner[close + 2..];
    if !(target.starts_with("https://") || target.starts_with("http://")) {
        return None;
    }
    let end = target.find(|c: char| c == ')' || c.is_whitespace())?;
    (target.as_bytes()[end] == b')').then_some(1 + close + 2 + end + 1)
}

/// The rustdoc lines that list the per-tag features of an API.
pub fn features_table(layout: &FeatureLayout) -> Vec<String> {
    let all = &layout.all;
    let mut lines = vec![
        String::from(" ## Cargo features"),
        String::new(),
        String::from(" Each tag is a Cargo feature that compiles in its operations and exactly the types they"),
        String::from(" use (operations without a tag count under the first segment of their path)."),
        format!(" `{all}` turns on every one of them, and the types no operation uses."),
        String::new(),
        String::from(" | feature | tag | operations |"),
        String::from(" | --- | --- | --- |"),
    ];
    lines.extend(layout.features.iter().map(|feature| {
        let source = feature.source.replace('`', "'").replace('|', "\\|");
        format!(" | `{}` | `{source}` | {} |", feature.name, feature.operations)
    }));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_templates_are_shown_as_code() {
        assert_eq!(
            sanitize("Format: GET https://{server}.payrix.com/{endpoint}?embed={relatedObject}."),
            vec![" Format: GET `https://{server}.payrix.com/{endpoint}?embed={relatedObject}`.".to_owned()]
        );
    }

    #[test]
    fn markdown_is_made_safe() {
        let lines = sanitize("See [docs](https://x.io/a). <b>bold</b>\n\n    code\n```json\n{\"a\": 1}\n```\n- item\ncontinued");
        assert_eq!(
            lines,
            vec![
                " See [docs](https://x.io/a). &lt;b&gt;bold&lt;/b&gt;",
                "",
                " code",
                " ```text",
                " {\"a\": 1}",
                " ```",
                " - item",
                "   continued",
            ]
        );
    }

    #[test]
    fn a_list_item_whose_text_would_be_indented_code_keeps_one_space() {
        // GraphHopper's matrix table: rustdoc compiled the item's text as Rust.
        let lines = sanitize("-          |to_point1|to_point2\n  :----|:----\n  from_point1 |0");
        assert_eq!(lines, vec![" - |to_point1|to_point2", "   :----|:----", "   from_point1 |0"]);
    }

    #[test]
    fn list_continuations_are_indented_to_the_item_text_and_tabs_become_spaces() {
        let lines = sanitize("*   wide marker\ncontinued\n10.  ordered\nmore\n**bold** line\n\n| a\t| b |");
        assert_eq!(
            lines,
            vec![" *   wide marker", "     continued", " 10.  ordered", "      more", "      **bold** line", "", " | a    | b |"]
        );
    }
}
