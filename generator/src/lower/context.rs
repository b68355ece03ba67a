//! What lowering the parts of one operation (parameters, body, responses)
//! needs to know of the operation.

use crate::lower::Pins;

/// What lowering one operation's parts needs to know of the operation.
pub(crate) struct OperationContext<'r, 'a> {
    pub(crate) pins: Pins<'a>,
    pub(crate) op_pointer: &'r str,
    /// The path template (`/pets/{id}`).
    pub(crate) template: &'r str,
    /// PascalCase operation id, the prefix of inline type names.
    pub(crate) type_hint: String,
    /// A `HEAD` operation: HTTP gives its answers no body.
    pub(crate) head: bool,
}

