//! The spec's `example`s of each operation (parameters, request body,
//! success and error answers) → [`crate::ir::OperationExamples`], for the
//! usage guide and the Rust examples.
//!
//! An example is taken from, in order: the object's `example`, the first of
//! its `examples` (`value`), its schema's `example`. Local `$ref`s are
//! followed. A body's or response's example comes from the media type the
//! client sends or reads it in (JSON first), the one its type comes from.
//!
//! Once the types are final, each example of a JSON or form place is
//! [`check`]ed against its type: real specs write examples with wrong types,
//! missing fields, or as JSON inside a string, and the doctests would send or
//! answer with them. One that conforms is kept; a string whose JSON does is
//! kept parsed; any other is replaced by one [`synthesize`]d from the type,
//! as is a missing example the docs need (a required parameter or body, a
//! JSON answer). Each departure from the spec is a warning at the example.

mod check;
mod synthesize;
#[cfg(test)]
mod tests;

use indexmap::IndexMap;
use openapiv3::{Example as SpecExample, MediaType, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema};
use serde_json::Value;

use crate::diagnostics::Reporter;
use crate::ir::{BodyKind, Example, ExampleSource, Group, OperationExamples, Payload, ResponseArm, TypeDef, TypeRef};
use crate::lower::Pins;
use crate::pointer::pointer_push;

pub use check::{Mismatch, check};
pub use synthesize::synthesize;

/// An example as the spec writes it, and where.
#[derive(Debug, Clone)]
pub struct Found {
    /// The value.
    pub value: Value,
    /// The JSON pointer of the value.
    pub pointer: String,
}

/// The examples found for one operation, until the types are final.
pub struct Pending {
    /// The operation: (group, index in the group).
    pub at: (usize, usize),
    /// By parameter.
    pub params: Vec<Option<Found>>,
    /// The request body's.
    pub body: Option<Found>,
    /// By success arm.
    pub success: Vec<Option<Found>>,
    /// By failure arm.
    pub failure: Vec<Option<Found>>,
}

/// The example of the parameter at `pointer`: its `example`, its first
/// `examples`, or its schema's.
pub fn of_parameter<'a>(pins: Pins<'a>, parameter: &'a Parameter, pointer: &str) -> Option<Found> {
    let data = parameter.parameter_data_ref();
    let schema = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => Some(schema),
        ParameterSchemaOrContent::Content(_) => None,
    };
    first_of(pins, data.example.as_ref(), &data.examples, schema, pointer)
}

/// The example of a body or response in the media type at `pointer`: its
/// `example`, its first `examples`, or its schema's.
pub fn of_media<'a>(pins: Pins<'a>, media: &'a MediaType, pointer: &str) -> Option<Found> {
    first_of(pins, media.example.as_ref(), &media.examples, media.schema.as_ref(), pointer)
}

fn first_of<'a>(
    pins: Pins<'a>,
    example: Option<&Value>,
    examples: &'a IndexMap<String, ReferenceOr<SpecExample>>,
    schema: Option<&'a ReferenceOr<Schema>>,
    pointer: &str,
) -> Option<Found> {
    if let Some(example) = example {
        return Some(Found { value: example.clone(), pointer: pointer_push(pointer, "example") });
    }
    let first = examples
        .iter()
        .next()
        .and_then(|(name, example)| pins.resolve(example, &pointer_push(&pointer_push(pointer, "examples"), name)));
    if let Some((value, at)) = first.and_then(|(example, at)| Some((example.value.as_ref()?, at))) {
        return Some(Found { value: value.clone(), pointer: pointer_push(&at, "value") });
    }
    let (schema, at) = pins.resolve(schema?, &pointer_push(pointer, "schema"))?;
    let value = schema.schema_data.example.clone()?;
    Some(Found { value, pointer: pointer_push(&at, "example") })
}

/// Checks the examples found against the final types and puts them, or
/// their stand-ins, into the operations.
pub fn settle(pending: Vec<Pending>, groups: &mut [Group], types: &[TypeDef], reporter: &mut Reporter<'_>) {
    for found in pending {
        let Some(op) = groups.get_mut(found.at.0).and_then(|group| group.operations.get_mut(found.at.1)) else { continue };
        let mut settle = |ty: Option<&TypeRef>, found: Option<Found>, needed: bool| settle_one(types, ty, found, needed, reporter);
        let params = op.params.iter().zip(found.params).map(|(param, found)| settle(Some(&param.ty), found, param.required)).collect();
        let body = op.body.as_ref().and_then(|body| {
            let ty = match &body.kind {
                BodyKind::Json(ty) | BodyKind::Form(ty) => Some(ty),
                BodyKind::Multipart | BodyKind::Text(_) | BodyKind::Binary(_) => None,
            };
            settle(ty, found.body, body.required)
        });
        let mut answers = |arms: &[ResponseArm], found: Vec<Option<Found>>| -> Vec<Option<Example>> {
            arms.iter()
                .zip(found)
                .map(|(arm, found)| match &arm.payload {
                    Payload::Json(ty) => settle(Some(ty), found, true),
                    // An event stream's example is one event's data.
                    Payload::Events(Some(ty)) => settle(Some(ty), found, true),
                    Payload::Text | Payload::Binary | Payload::Events(None) => settle(None, found, false),
                    Payload::Empty => None,
                })
                .collect()
        };
        let success = answers(&op.success.arms, found.success);
        let failure = answers(&op.failure.arms, found.failure);
        op.examples = OperationExamples { params, body, success, failure };
    }
}

/// The example of a place of type `ty` (`None`: a place that is not JSON,
/// whose example is kept as written), where the spec gives `found`; one is
/// made when `needed` and the spec gives none.
fn settle_one(types: &[TypeDef], ty: Option<&TypeRef>, found: Option<Found>, needed: bool, reporter: &mut Reporter<'_>) -> Option<Example> {
    let example = |value, source| Some(Example { value, source });
    let Some(ty) = ty else { return found.and_then(|found| example(found.value, ExampleSource::Spec)) };
    let Some(Found { value, pointer }) = found else {
        return if needed { example(synthesize(types, ty), ExampleSource::Made) } else { None };
    };
    let mismatch = match check(types, ty, &value) {
        Ok(()) => return example(value, ExampleSource::Spec),
        Err(mismatch) => mismatch,
    };
    if let Some(parsed) = value.as_str().and_then(|text| serde_json::from_str::<Value>(text).ok())
        && !parsed.is_string()
        && check(types, ty, &parsed).is_ok()
    {
        reporter.warning(&pointer, "the example is JSON written inside a string; the docs and doctests use it parsed");
        return example(parsed, ExampleSource::Parsed);
    }
    let Mismatch { at, problem } = mismatch;
    reporter.warning(
        &format!("{pointer}{at}"),
        format!("the example does not match its schema ({problem}); the docs and doctests use one made from the schema"),
    );
    example(synthesize(types, ty), ExampleSource::Replaced)
}
