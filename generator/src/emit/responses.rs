//! IR outcomes → what a request builder's `send` returns: the result types,
//! the per-operation response enums, and the match from status to value.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::docs::doc_attrs;
use crate::emit::tokens::{Context, ident, type_tokens};
use crate::ir::{Operation, Outcome, OutcomeType, Payload, ResponseArm, StatusMatch};

/// The body of `send` after the response arrives: a match on its status, or
/// the one expression when `default` is the only response.
pub(super) fn decode(op: &Operation) -> TokenStream {
    let arms = match_arms(op, true);
    match arms.as_slice() {
        [only] if op.success.arms.iter().chain(&op.failure.arms).all(|a| a.status == StatusMatch::Default) => op
            .success
            .arms
            .iter()
            .map(|arm| arm_expression(arm, &op.success, true))
            .chain(op.failure.arms.iter().map(|arm| arm_expression(arm, &op.failure, false)))
            .next()
            .unwrap_or_else(|| only.clone()),
        _ => quote!(match response.status() { #(#arms)* }),
    }
}

fn payload_type(payload: &Payload) -> TokenStream {
    match payload {
        Payload::Empty => quote!(()),
        Payload::Json(ty) => type_tokens(ty, Context::Operations),
        Payload::Text | Payload::Events(_) => quote!(String),
        Payload::Binary => quote!(::bytes::Bytes),
    }
}

/// The Rust type of an outcome, and the enum declaring it when there is one.
pub(super) fn outcome_type(outcome: &Outcome) -> (TokenStream, Option<TokenStream>) {
    match &outcome.ty {
        OutcomeType::Single(payload) => (payload_type(payload), None),
        OutcomeType::Enum { name, doc } => {
            let enum_name = ident(name);
            let variants = outcome.arms.iter().map(|arm| {
                let variant = ident(arm.variant.as_deref().unwrap_or("Other"));
                let docs = doc_attrs(Some(&format!("{}: {}", status_text(arm.status), arm.description)));
                match &arm.payload {
                    Payload::Empty => quote!(#docs #variant,),
                    payload => {
                        let ty = payload_type(payload);
                        quote!(#docs #variant(#ty),)
                    }
                }
            });
            let doc = format!(" {doc}");
            (
                quote!(#enum_name),
                Some(quote! {
                    #[doc = #doc]
                    #[derive(Debug, Clone, PartialEq)]
                    // A status the spec documents later is then an addition.
                    #[non_exhaustive]
                    pub enum #enum_name {
                        #(#variants)*
                    }
                }),
            )
        }
    }
}

fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => format!("HTTP {code}"),
        StatusMatch::Range(start) => format!("HTTP {}XX", start / 100),
        StatusMatch::Default => String::from("Any other status"),
    }
}

/// The patterns of a status. A range leaves out the codes documented on
/// their own, which have arms before it, so no two arms overlap.
fn status_patterns(status: StatusMatch, codes: &[u16]) -> Vec<TokenStream> {
    match status {
        StatusMatch::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            vec![quote!(#code)]
        }
        StatusMatch::Range(start) => {
            let mut patterns = Vec::new();
            let mut low = start;
            let taken: Vec<u16> = codes.iter().copied().filter(|c| (start..start + 100).contains(c)).collect();
            for high in taken.iter().copied().chain([start + 100]) {
                if high > low {
                    let (from, to) = (Literal::u16_unsuffixed(low), Literal::u16_unsuffixed(high - 1));
                    patterns.push(if high - 1 == low { quote!(#from) } else { quote!(#from..=#to) });
                }
                low = high + 1;
            }
            patterns
        }
        StatusMatch::Default => vec![quote!(_)],
    }
}

/// The expression that turns the raw response into the call's result.
fn arm_expression(arm: &ResponseArm, outcome: &Outcome, success: bool) -> TokenStream {
    let wrap = match (&outcome.ty, &arm.variant) {
        (OutcomeType::Enum { name, .. }, Some(variant)) => {
            let (name, variant) = (ident(name), ident(variant));
            Some(quote!(#name::#variant))
        }
        _ => None,
    };
    // Read in full, an event stream is its text.
    match (success, &arm.payload, wrap) {
        (true, Payload::Empty, None) => quote!(response.empty()),
        (true, Payload::Json(_), None) => quote!(response.json()),
        (true, Payload::Text | Payload::Events(_), None) => quote!(response.text()),
        (true, Payload::Binary, None) => quote!(response.bytes()),
        (true, Payload::Empty, Some(w)) => quote!(response.empty_into(#w)),
        (true, Payload::Json(_), Some(w)) => quote!(response.json_into(#w)),
        (true, Payload::Text | Payload::Events(_), Some(w)) => quote!(response.text_into(#w)),
        (true, Payload::Binary, Some(w)) => quote!(response.bytes_into(#w)),
        (false, Payload::Empty, None) => quote!(Err(response.api_empty())),
        (false, Payload::Json(_), None) => quote!(Err(response.api_json())),
        (false, Payload::Text | Payload::Events(_), None) => quote!(Err(response.api_text())),
        (false, Payload::Binary, None) => quote!(Err(response.api_bytes())),
        (false, Payload::Empty, Some(w)) => quote!(Err(response.api_empty_into(#w))),
        (false, Payload::Json(_), Some(w)) => quote!(Err(response.api_json_into(#w))),
        (false, Payload::Text | Payload::Events(_), Some(w)) => quote!(Err(response.api_text_into(#w))),
        (false, Payload::Binary, Some(w)) => quote!(Err(response.api_bytes_into(#w))),
    }
}

/// Match arms on the status: documented statuses first (arms with the same
/// handling share one arm), then ranges, then `default` or the catch-all.
/// Where every documented success has no body (a 204, say), an undocumented
/// 2XX with an empty body is a success too: servers answer `200` where their
/// spec says `204`, and the vendors' own SDKs accept it. A 2XX with a body is
/// still unexpected, so nothing the server said is dropped silently.
fn empty_success_arm(op: &Operation) -> Option<TokenStream> {
    let all_empty_codes = op.success.ty == OutcomeType::Single(Payload::Empty)
        && op.success.arms.iter().all(|arm| matches!(arm.status, StatusMatch::Code(_)));
    let failure_covers_2xx = op.failure.arms.iter().any(|arm| arm.status == StatusMatch::Range(200));
    (all_empty_codes && !failure_covers_2xx).then(|| quote!(200..=299 if response.has_empty_body() => response.empty(),))
}

/// The body of a streaming call (`send_streaming`, `send_events`) after an
/// answer that did not stream arrives (any but a 2XX): the documented errors,
/// else an unexpected status.
pub(super) fn decode_failures(op: &Operation) -> TokenStream {
    let arms = &op.failure.arms;
    match arms.as_slice() {
        [] => quote!(Err(response.unexpected())),
        [only] if only.status == StatusMatch::Default => arm_expression(only, &op.failure, false),
        _ => {
            let arms = match_arms(op, false);
            quote!(match response.status() { #(#arms)* })
        }
    }
}

fn match_arms(op: &Operation, with_successes: bool) -> Vec<TokenStream> {
    let mut arms: Vec<(Vec<StatusMatch>, TokenStream)> = Vec::new();
    let mut fallback = None;
    let sides: &[(&Outcome, bool)] =
        if with_successes { &[(&op.success, true), (&op.failure, false)] } else { &[(&op.failure, false)] };
    for pass in 0..2 {
        for &(outcome, success) in sides {
            for arm in &outcome.arms {
                let is_code = matches!(arm.status, StatusMatch::Code(_));
                if (pass == 0) != is_code {
                    continue;
                }
                let expression = arm_expression(arm, outcome, success);
                if arm.status == StatusMatch::Default {
                    fallback = Some(expression);
                    continue;
                }
                let key = expression.to_string();
                match arms.iter_mut().find(|(_, e)| e.to_string() == key) {
                    Some((statuses, _)) => statuses.push(arm.status),
                    None => arms.push((vec![arm.status], expression)),
                }
            }
        }
    }
    let mut codes: Vec<u16> = sides
        .iter()
        .flat_map(|(outcome, _)| &outcome.arms)
        .filter_map(|arm| match arm.status {
            StatusMatch::Code(code) => Some(code),
            _ => None,
        })
        .collect();
    codes.sort_unstable();
    let first_range = arms.iter().position(|(statuses, _)| statuses.iter().any(|s| !matches!(s, StatusMatch::Code(_))));
    let mut out: Vec<TokenStream> = arms
        .into_iter()
        .filter_map(|(statuses, expression)| {
            let patterns: Vec<TokenStream> =
                statuses.into_iter().flat_map(|status| status_patterns(status, &codes)).collect();
            (!patterns.is_empty()).then(|| quote!(#(#patterns)|* => #expression,))
        })
        .collect();
    if let Some(arm) = empty_success_arm(op).filter(|_| with_successes) {
        out.insert(first_range.unwrap_or(out.len()), arm);
    }
    let fallback = fallback.unwrap_or_else(|| quote!(Err(response.unexpected())));
    out.push(quote!(_ => #fallback,));
    out
}
