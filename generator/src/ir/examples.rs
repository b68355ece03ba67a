//! The examples of an operation, with where each comes from.

/// The examples of one operation, for its documentation and doctests: the
/// spec's where they are values of their types, else made from the types.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OperationExamples {
    /// The example of each parameter, by index in `Operation::params`; a
    /// required parameter always has one.
    pub params: Vec<Option<Example>>,
    /// The request body's example; a required JSON or form body always has one.
    pub body: Option<Example>,
    /// The example of each success response, by index in the success arms;
    /// a JSON answer always has one.
    pub success: Vec<Option<Example>>,
    /// The example of each documented error response, by index in the
    /// failure arms; a JSON answer always has one.
    pub failure: Vec<Option<Example>>,
}

/// One example value, and where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The value, a value of its place's type (JSON and form places checked).
    pub value: serde_json::Value,
    /// Where it comes from.
    pub source: ExampleSource,
}

impl Example {
    /// Whether the docs show it: the spec's own, or one standing in for the
    /// spec's, never one made where the spec gives none.
    pub fn shown(&self) -> bool {
        self.source != ExampleSource::Made
    }
}

/// Where an example comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExampleSource {
    /// The spec's, as written.
    Spec,
    /// The spec's, written as JSON inside a string, parsed.
    Parsed,
    /// Made from the type: the spec's is not a value of it.
    Replaced,
    /// Made from the type: the spec gives none.
    Made,
}
