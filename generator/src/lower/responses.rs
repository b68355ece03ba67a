//! The responses of an operation → its success and failure outcomes, the
//! `Accept` header naming the media types they come in, and the example of
//! each success.

use openapiv3::{Response, StatusCode};

use crate::diagnostics::Reporter;
use crate::pointer::pointer_push;
use crate::ir::{Outcome, OutcomeType, Payload, ResponseArm, StatusMatch, TypeRef};
use crate::lower::examples::{self, Found};
use crate::lower::media::{MediaKind, binary_schema, media_kind, pick_media, text_schema};
use crate::lower::context::OperationContext;
use crate::lower::types::TypeLowering;
use crate::naming::{Scope, pascal};

/// What an operation's responses lower to.
pub struct Responses {
    /// The documented successes (a 2XX without body when none is documented).
    pub success: Outcome,
    /// The documented errors.
    pub failure: Outcome,
    /// The `Accept` header: every media type the responses come in.
    pub accept: Option<String>,
    /// The example of each success arm, from the media type it is read in.
    pub success_examples: Vec<Option<Found>>,
    /// The example of each failure arm, likewise.
    pub failure_examples: Vec<Option<Found>>,
}

impl<'a> OperationContext<'_, 'a> {
    /// Success and failure outcomes, and the `Accept` header naming the media
    /// types they come in. With no 2XX response documented, a `default`
    /// response is the success.
    pub(crate) fn responses(
        &self,
        responses: &'a openapiv3::Responses,
        types: &mut TypeLowering<'a>,
        items: &mut Scope,
        reporter: &mut Reporter<'_>,
    ) -> Responses {
        let pointer = pointer_push(self.op_pointer, "responses");
        let mut success = Vec::new();
        let mut failure = Vec::new();
        let mut success_examples = Vec::new();
        let mut failure_examples = Vec::new();
        let mut accept: Vec<&str> = Vec::new();
        let has_success = responses.responses.keys().any(|code| match code {
            StatusCode::Code(code) => (200..300).contains(code),
            StatusCode::Range(hundred) => *hundred == 2,
        });
        let entries = responses
            .responses
            .iter()
            .map(|(code, response)| {
                let status = match code {
                    StatusCode::Code(code) => StatusMatch::Code(*code),
                    StatusCode::Range(hundred) => StatusMatch::Range(hundred * 100),
                };
                (status, code.to_string(), response)
            })
            .chain(responses.default.iter().map(|response| (StatusMatch::Default, String::from("default"), response)));
        for (status, key, response) in entries {
            let at = pointer_push(&pointer, &key);
            let Some((response, at)) = self.pins.resolve(response, &at) else { continue };
            if let Some((media, _)) = pick_media(&response.content)
                && !accept.contains(&media)
            {
                accept.push(media);
            }
            let is_success = match status {
                StatusMatch::Code(code) => (200..300).contains(&code),
                StatusMatch::Range(start) => start == 200,
                StatusMatch::Default => !has_success,
            };
            let label = status_label(status);
            let hint = if is_success {
                format!("{}Response{}", self.type_hint, if label == "Ok" { String::new() } else { label.clone() })
            } else {
                format!("{}{}Error", self.type_hint, label)
            };
            // HTTP gives 204 and 304 answers, and answers to `HEAD`, no body,
            // whatever the spec documents.
            let payload = match status {
                _ if self.head && !response.content.is_empty() => {
                    reporter.warning(
                        &pointer_push(&at, "content"),
                        format!("an answer to HEAD has no body in HTTP; the documented content of its {key} response is ignored"),
                    );
                    Payload::Empty
                }
                StatusMatch::Code(204 | 304) if !response.content.is_empty() => {
                    reporter.warning(
                        &pointer_push(&at, "content"),
                        format!("a {key} response has no body in HTTP; its documented content is ignored"),
                    );
                    Payload::Empty
                }
                _ => self.payload(response, &hint, &at, types, reporter),
            };
            let arm = ResponseArm {
                status,
                payload,
                variant: None,
                description: response.description.trim().to_owned(),
            };
            let example = pick_media(&response.content)
                .and_then(|(media, content)| examples::of_media(self.pins, content, &pointer_push(&pointer_push(&at, "content"), media)));
            if is_success {
                success.push(arm);
                success_examples.push(example);
            } else {
                failure.push(arm);
                failure_examples.push(example);
            }
        }
        // A success needs an arm: an operation documenting none still succeeds on 2XX.
        if success.is_empty() {
            success.push(ResponseArm {
                status: StatusMatch::Range(200),
                payload: Payload::Empty,
                variant: None,
                description: String::from("Success."),
            });
            success_examples.push(None);
        }
        let success = outcome(success, format!("{}Response", self.type_hint), "The documented successful responses of", &self.type_hint, items);
        let failure = outcome(failure, format!("{}Error", self.type_hint), "The documented error responses of", &self.type_hint, items);
        let accept = (!accept.is_empty()).then(|| accept.join(", "));
        Responses { success, failure, accept, success_examples, failure_examples }
    }

    fn payload(
        &self,
        response: &'a Response,
        hint: &str,
        pointer: &str,
        types: &mut TypeLowering<'a>,
        reporter: &mut Reporter<'_>,
    ) -> Payload {
        let Some((media, content)) = pick_media(&response.content) else { return Payload::Empty };
        // An event stream's data is the schema (raw text where it has none);
        // `*/*` with a binary string schema is a download, whatever the
        // media type says.
        let at = pointer_push(&pointer_push(&pointer_push(pointer, "content"), media), "schema");
        if media_kind(media) == MediaKind::EventStream {
            return Payload::Events(match &content.schema {
                Some(schema) if !text_schema(content) => Some(types.type_of(schema.into(), hint, &at, reporter)),
                _ => None,
            });
        }
        if binary_schema(content) {
            return Payload::Binary;
        }
        match media_kind(media) {
            MediaKind::Json => Payload::Json(match &content.schema {
                Some(schema) => types.type_of(schema.into(), hint, &at, reporter),
                None => TypeRef::Json,
            }),
            MediaKind::EventStream => Payload::Text,
            MediaKind::Text | MediaKind::Form => Payload::Text,
            MediaKind::Binary | MediaKind::Multipart => Payload::Binary,
        }
    }
}

/// Picks the single type of an outcome, or an enum when the arms disagree.
fn outcome(mut arms: Vec<ResponseArm>, name: String, doc: &str, operation: &str, items: &mut Scope) -> Outcome {
    let first = arms.first().map(|arm| arm.payload.clone()).unwrap_or(Payload::Empty);
    if arms.iter().all(|arm| arm.payload == first) {
        return Outcome { ty: OutcomeType::Single(first), arms };
    }
    let mut variants = Scope::default();
    for arm in &mut arms {
        arm.variant = Some(variants.claim(status_label(arm.status)));
    }
    let name = items.claim(name);
    Outcome { ty: OutcomeType::Enum { name, doc: format!("{doc} [`{operation}`].") }, arms }
}

/// A variant name for a status: `Ok`, `Created`, `NotFound`… or `Status418`.
fn status_label(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => reqwest_reason(code).map_or_else(|| format!("Status{code}"), |r| pascal(r, "Status")),
        StatusMatch::Range(start) => format!("Status{}xx", start / 100),
        StatusMatch::Default => String::from("Default"),
    }
}

/// The reason phrases of the statuses APIs commonly document.
fn reqwest_reason(code: u16) -> Option<&'static str> {
    Some(match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "Non Authoritative",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        423 => "Locked",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return None,
    })
}

