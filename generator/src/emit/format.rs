//! Token streams → formatted Rust source: `prettyplease`, then blank lines
//! between items as a person would put them.

use proc_macro2::TokenStream;

use crate::emit::doc_blocks;
use crate::parallel;
use crate::progress::Progress;

/// How many items a worker formats before taking the next batch.
const BATCH: usize = 64;

/// Formats one file with `prettyplease`, after a header comment.
pub fn format_file(header: &str, tokens: TokenStream) -> Result<String, String> {
    format_items(header, tokens, 0, &|_| TokenStream::new(), &Progress::silent(), "")
}

/// Formats a file given as its inner attributes and `count` items, item `i`
/// made by `item(i)`.
pub fn format_items(
    header: &str,
    inner: TokenStream,
    count: usize,
    item: &(dyn Fn(usize) -> TokenStream + Sync),
    progress: &Progress,
    what: &str,
) -> Result<String, String> {
    let pieces = format_pieces(count, item, progress, what)?;
    assemble(header, inner, pieces.iter().map(String::as_str))
}

/// Formats `count` items, item `i` made by `item(i)`, each on its own and
/// spaced; the result holds item `i`'s text at index `i`, for [`assemble`] to
/// put in files.
///
/// Items are made, parsed and printed one at a time, so memory follows the
/// largest item rather than the whole file (for Microsoft Graph, gigabytes of
/// token trees), and in batches on every core: token streams cannot cross
/// threads, so each worker makes its own from the shared IR.
pub fn format_pieces(
    count: usize,
    item: &(dyn Fn(usize) -> TokenStream + Sync),
    progress: &Progress,
    what: &str,
) -> Result<Vec<String>, String> {
    let batches = count.div_ceil(BATCH);
    let done = parallel::map(batches, &|batch| -> Result<Vec<String>, String> {
        let mut pieces = Vec::with_capacity(BATCH);
        for index in batch * BATCH..((batch + 1) * BATCH).min(count) {
            let (tokens, docs) = doc_blocks::collect(|| item(index));
            let mut out = String::new();
            doc_blocks::splice_into(&mut out, &prettyplease::unparse(&parse(tokens)?), &docs);
            pieces.push(space_items(&out));
        }
        if progress.is_shown() {
            progress.stage(format!("{what}: {} of {count} items", (batch + 1) * BATCH));
        }
        Ok(pieces)
    })?;
    let mut pieces = Vec::with_capacity(count);
    for batch in done {
        pieces.extend(batch?);
    }
    Ok(pieces)
}

/// Formats a few items made outside the parallel formatter (declarations,
/// imports), as one piece for [`assemble`].
pub fn format_piece(tokens: TokenStream) -> Result<String, String> {
    Ok(space_items(&prettyplease::unparse(&parse(tokens)?)))
}

/// One file: the header comment, the inner attributes and the formatted
/// pieces in order. `prettyplease` ends every item with a line break and
/// separates none, so the pieces join into exactly what one pass over the
/// whole file prints.
///
/// Each piece comes spaced by its worker ([`space_items`]); here only the
/// line where two pieces meet is looked at, so the file reads exactly as
/// spacing it whole would.
pub fn assemble<'p>(header: &str, inner: TokenStream, pieces: impl IntoIterator<Item = &'p str>) -> Result<String, String> {
    let inner = space_items(&prettyplease::unparse(&parse(inner)?));
    let pieces: Vec<&str> = pieces.into_iter().filter(|piece| !piece.is_empty()).collect();
    let length = header.len() + 1 + inner.len() + pieces.iter().map(|piece| piece.len() + 1).sum::<usize>();
    let mut text = String::with_capacity(length);
    text.push_str(header);
    text.push('\n');
    text.push_str(&inner);
    let mut previous = last_line(&inner);
    for piece in pieces {
        if let (Some(previous), Some(first)) = (previous, piece.lines().next())
            && blank_between(previous, first)
        {
            text.push('\n');
        }
        text.push_str(piece);
        previous = last_line(piece);
    }
    Ok(text)
}

/// The last line of spaced text (which ends each line with a line break).
fn last_line(text: &str) -> Option<&str> {
    let body = text.strip_suffix('\n')?;
    body.rsplit('\n').next()
}

fn parse(tokens: TokenStream) -> Result<syn::File, String> {
    syn::parse2::<syn::File>(tokens).map_err(|error| format!("internal error: generated code does not parse: {error}"))
}

/// Puts a blank line between items, as a person would; `prettyplease` leaves
/// none. Fields, variants, statements and runs of one-line declarations
/// (`use`, `pub mod x;`) stay together.
fn space_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous: Option<&str> = None;
    for line in text.lines() {
        if previous.is_some_and(|previous| blank_between(previous, line)) {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

/// Whether a blank line goes between two consecutive lines.
fn blank_between(previous: &str, line: &str) -> bool {
    const STARTS: &[&str] = &[
        "///", "#[", "pub ", "impl", "fn ", "mod ", "use ", "const ", "type ", "struct ", "enum ", "async fn ",
    ];
    let trimmed = line.trim_start();
    let prev_trimmed = previous.trim_start();
    let same_indent = previous.len() - prev_trimmed.len() == line.len() - trimmed.len();
    let item_ended = prev_trimmed.ends_with('}') || prev_trimmed.ends_with(';');
    let starts_item = STARTS.iter().any(|start| trimmed.starts_with(start));
    let after_inner_docs = prev_trimmed.starts_with("//!") || prev_trimmed.starts_with("#![");
    let one_line_run = prev_trimmed.ends_with(';') && first_words(prev_trimmed) == first_words(trimmed);
    let inner = trimmed.starts_with("//!") || trimmed.starts_with("#![");
    // A doc comment goes on, even past a line ending in `}` (a doctest's).
    // A doc comment or attribute belongs to the item after it, whatever it ends with.
    let doc_goes_on = prev_trimmed.starts_with("///") || prev_trimmed.starts_with("#[");
    same_indent && starts_item && !inner && !doc_goes_on && ((item_ended && !one_line_run) || after_inner_docs)
}

/// The leading keywords of a one-line declaration (`pub mod`, `use`, `pub use`).
fn first_words(line: &str) -> &str {
    let end = match line.strip_prefix("pub ") {
        Some(rest) => rest.find(' ').map_or(line.len(), |i| i + 4),
        None => line.find(' ').unwrap_or(line.len()),
    };
    &line[..end]
}
