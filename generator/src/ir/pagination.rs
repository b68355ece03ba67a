//! Pagination in the IR (`x-pagination`): how an operation's answers are
//! walked page by page.

use crate::ir::TypeRef;

/// How an operation's answers are walked page by page (`x-pagination`).
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// From the success body to the array of items.
    pub items: Vec<FieldStep>,
    /// The type of one item.
    pub item: TypeRef,
    /// How the next page is asked for.
    pub style: PageStyle,
}

/// How the next page is asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum PageStyle {
    /// Numbered pages: the parameter `param` (an index in
    /// `Operation::params`, a query parameter) counts up from `first`.
    PageNumber {
        /// The page-number parameter.
        param: usize,
        /// The number of the first page, used when the call sets none.
        first: i64,
        /// From the success body to a boolean saying whether another page
        /// follows; without it, the walk ends at a page with no items.
        has_more: Option<Vec<FieldStep>>,
    },
    /// An opaque cursor read from each answer and sent with the next request.
    Cursor {
        /// Where the cursor goes.
        target: CursorTarget,
        /// From the success body to the next cursor; absent, null or empty
        /// ends the walk.
        next: Vec<FieldStep>,
    },
}

/// Where a cursor goes in the next request.
#[derive(Debug, Clone, PartialEq)]
pub enum CursorTarget {
    /// The parameter with this index in `Operation::params` (query or header).
    Param(usize),
    /// A top-level property of the JSON request body, by its wire name.
    BodyField(String),
}

/// One step into a body: a struct field, and what wraps the value it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldStep {
    /// The Rust field name.
    pub ident: String,
    /// The wrappers around the field's value, outermost first.
    pub layers: Vec<Layer>,
}

/// A wrapper around a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// `Option` (an optional or nullable field).
    Option,
    /// `Box` (a field that breaks a cycle of types).
    Box,
}
