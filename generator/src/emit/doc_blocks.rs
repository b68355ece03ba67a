//! Doc comments kept away from the Rust parser.
//!
//! Formatting goes through `syn` and `prettyplease`, which parse every
//! `#[doc = "…"]` string, unescape it and print it again: for a large API a
//! sixth of the run, for text that needs no formatting at all. While a
//! formatter [`collect`]s an item, [`doc_attrs`] keeps each block of doc lines
//! aside and puts one placeholder attribute in its place; after printing,
//! [`splice_into`] replaces the placeholder's line with the block, indented
//! like it. Outside a collection (unit tests comparing token streams) the
//! attributes are emitted as they are.
//!
//! The output is exactly what printing the attributes gives: `prettyplease`
//! writes a one-line outer doc as `///` followed by its text without trailing
//! spaces, and blocks with a line it would write otherwise (a line break
//! inside, a leading `/`) are left to it.

use std::cell::RefCell;

use proc_macro2::TokenStream;
use quote::quote;

/// Marks a placeholder's doc text; control characters never reach the printed
/// code otherwise (string literals are printed escaped, and spec prose inside
/// a collection goes into blocks).
const MARK: char = '\u{1}';

thread_local! {
    /// The blocks of the item being collected on this thread, if any.
    static BLOCKS: RefCell<Option<Vec<Vec<String>>>> = const { RefCell::new(None) };
}

/// The doc blocks put aside while making one item.
#[derive(Debug, Default)]
pub struct DocBlocks(Vec<Vec<String>>);

/// `#[doc = "…"]` attributes for `lines` (each as rustdoc shows it after
/// `///`), or a placeholder for them while a formatter collects.
pub fn doc_attrs(lines: Vec<String>) -> TokenStream {
    if lines.is_empty() {
        return TokenStream::new();
    }
    let printable = lines.iter().all(|line| !line.contains('\n') && !line.starts_with('/'));
    let lines = if printable {
        match BLOCKS.with_borrow_mut(|blocks| set_aside(blocks.as_mut(), lines)) {
            Ok(placeholder) => return quote!(#[doc = #placeholder]),
            Err(lines) => lines,
        }
    } else {
        lines
    };
    quote! { #( #[doc = #lines] )* }
}

/// Keeps `lines` in `blocks` and gives the placeholder's text; gives the lines
/// back when nothing collects.
fn set_aside(blocks: Option<&mut Vec<Vec<String>>>, lines: Vec<String>) -> Result<String, Vec<String>> {
    let Some(blocks) = blocks else { return Err(lines) };
    blocks.push(lines);
    Ok(format!("{MARK}{}", blocks.len() - 1))
}

/// Runs `make` with doc blocks collected on this thread; gives what it made
/// and the blocks its placeholders stand for.
pub fn collect<T>(make: impl FnOnce() -> T) -> (T, DocBlocks) {
    let outer = BLOCKS.replace(Some(Vec::new()));
    let made = make();
    let blocks = BLOCKS.replace(outer).unwrap_or_default();
    (made, DocBlocks(blocks))
}

/// Appends `printed` to `out` with every placeholder line replaced by its block.
pub fn splice_into(out: &mut String, printed: &str, blocks: &DocBlocks) {
    if blocks.0.is_empty() {
        out.push_str(printed);
        return;
    }
    for line in printed.split_inclusive('\n') {
        match placeholder(line).and_then(|(indent, index)| Some((indent, blocks.0.get(index)?))) {
            Some((indent, block)) => {
                for text in block {
                    out.push_str(indent);
                    out.push_str("///");
                    out.push_str(text.trim_end_matches(' '));
                    out.push('\n');
                }
            }
            None => out.push_str(line),
        }
    }
}

/// The indentation and block number of a placeholder line.
fn placeholder(line: &str) -> Option<(&str, usize)> {
    let body = line.trim_end_matches('\n');
    let code = body.trim_start_matches(' ');
    let number = code.strip_prefix("///")?.strip_prefix(MARK)?;
    Some((&body[..body.len() - code.len()], number.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::format::format_file;

    fn lines(text: &[&str]) -> Vec<String> {
        text.iter().map(|line| (*line).to_owned()).collect()
    }

    /// Prints an item whose docs were set aside, and the same item with its attributes.
    fn both_ways(make: impl Fn() -> TokenStream) -> (String, String) {
        let (tokens, blocks) = collect(&make);
        let mut spliced = String::new();
        splice_into(&mut spliced, &format_file("", tokens).expect("formats"), &blocks);
        (spliced, format_file("", make()).expect("formats"))
    }

    #[test]
    fn spliced_docs_print_exactly_as_their_attributes() {
        let (spliced, printed) = both_ways(|| {
            let outer = doc_attrs(lines(&[" A thing.  ", "", " ```", " let x = \"a\\b\";", " ```"]));
            let field = doc_attrs(lines(&[" Its part, with a `{` and a \u{e9}."]));
            let variant = doc_attrs(lines(&[" One way."]));
            quote! {
                #outer
                pub struct Thing {
                    #field
                    pub part: String,
                }
                pub mod inner {
                    #variant
                    pub enum Way { One }
                }
            }
        });
        assert_eq!(spliced, printed);
        assert!(spliced.contains("    /// Its part, with a `{` and a \u{e9}.\n"), "{spliced}");
        assert!(!spliced.contains(MARK));
    }

    #[test]
    fn lines_prettyplease_prints_otherwise_are_left_to_it() {
        let (spliced, printed) = both_ways(|| {
            let docs = doc_attrs(lines(&["/ starts with a slash", " two\nlines"]));
            quote!(#docs pub struct Thing;)
        });
        assert_eq!(spliced, printed);
    }

    #[test]
    fn outside_a_collection_the_attributes_are_emitted() {
        assert_eq!(doc_attrs(lines(&[" A.", " B."])).to_string(), quote!(#[doc = " A."] #[doc = " B."]).to_string());
        assert!(doc_attrs(Vec::new()).is_empty());
    }
}
