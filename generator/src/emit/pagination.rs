//! IR pagination → the `pages()` and `items()` walkers of a paginated call,
//! built on the runtime's `paginate` module.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::docs::doc_attrs;
use crate::emit::settings::Runtime;
use crate::emit::tokens::{Context, ident, type_tokens};
use crate::ir::{CursorTarget, FieldStep, Layer, Operation, PageStyle, ParamLocation};

/// The walkers of `op`'s call type, when the operation is paginated; `success`
/// and `failure` are the types its `send()` returns; `runtime` as reached
/// from where the call type is.
pub fn walkers(op: &Operation, success: &TokenStream, failure: &TokenStream, runtime: Runtime) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    let runtime = runtime.tokens();
    let builder = ident(&op.builder);
    let item = type_tokens(&pagination.item, Context::Operations);
    let items_doc = pointer_text(&pagination.items);
    let (advance, how) = match &pagination.style {
        PageStyle::PageNumber { param, first, has_more } => {
            let wire = op.params.get(*param).map_or("", |p| p.wire.as_str());
            let first_literal = Literal::i64_unsuffixed(*first);
            let (more, until) = match has_more {
                Some(steps) => {
                    let flag = read(steps);
                    let value = if ends_optional(steps) { quote!(#flag.copied().unwrap_or(false)) } else { quote!(*#flag) };
                    (value, format!("while `{}` is true", pointer_text(steps)))
                }
                None => {
                    let list = read(&pagination.items);
                    let value = if ends_optional(&pagination.items) {
                        quote!(#list.is_some_and(|items| !items.is_empty()))
                    } else {
                        quote!(!#list.is_empty())
                    };
                    (value, String::from("until a page has no items"))
                }
            };
            (
                quote! {
                    fn more(body: &#success) -> bool {
                        #more
                    }
                    let advance = #runtime::Advance::PageNumber { param: #wire, first: #first_literal, more };
                },
                format!(
                    "asks for the following pages by number in `{wire}` (counting from the\n\
                     number the call sets, or from {first}) {until}"
                ),
            )
        }
        PageStyle::Cursor { target, next } => {
            let (target, place) = match target {
                CursorTarget::Param(index) => {
                    let param = op.params.get(*index);
                    let wire = param.map_or("", |p| p.wire.as_str());
                    match param.map(|p| p.location) {
                        Some(ParamLocation::Header) => (quote!(Header(#wire)), format!("the `{wire}` header")),
                        _ => (quote!(Query(#wire)), format!("the `{wire}` query parameter")),
                    }
                }
                CursorTarget::BodyField(name) => {
                    (quote!(BodyField(#name)), format!("the `{name}` property of the request body"))
                }
            };
            let token = read(next);
            let value = if ends_optional(next) { quote!(#token.map(String::as_str)) } else { quote!(Some(#token.as_str())) };
            (
                quote! {
                    fn next(body: &#success) -> Option<&str> {
                        #value
                    }
                    let advance = #runtime::Advance::Cursor { target: #runtime::CursorTarget::#target, next };
                },
                format!(
                    "sends the cursor found at `{}` of each page back in\n{place}, until a page has none",
                    pointer_text(next)
                ),
            )
        }
    };
    let take = take(&pagination.items);
    let listed = read(&pagination.items);
    let listed = if ends_optional(&pagination.items) {
        quote!(#listed.map(Vec::as_slice).unwrap_or_default())
    } else {
        quote!(&#listed)
    };
    let pages_doc = doc_attrs(Some(&format!(
        "Walks every page of the list: sends this call, then {how}.\n\n\
         Yields each page as `send()` returns it. Pages are fetched one at a time as the\n\
         stream is polled, each sent like this call (same parameters, headers and per-call\n\
         settings); an error is yielded last and ends the walk.\n\n\
         The walk always ends: a cursor handed back a second time, an empty page that\n\
         claims more, a numbered page repeating the page before it, and the walk's deadline\n\
         ([`walk_deadline`](Self::walk_deadline)) end it with `Error::Pagination`. A call\n\
         carrying a single-use header (an idempotency key) is refused with\n\
         `Error::InvalidRequest` before the first request, as each page is a request of its own.",
    )));
    let items_doc = doc_attrs(Some(&format!(
        "Every item of every page (`{items_doc}` of each), in order, fetching pages as\n\
         `pages()` does; an error is yielded last and ends the walk."
    )));
    Some(quote! {
        impl<'a> #builder<'a> {
            /// Sets the time the whole walk of `pages()` or `items()` may take, every
            /// page's attempts and waits included (each page keeps its own deadline
            /// too); overrides the client's `walk_deadline`. A walk that runs out of
            /// time ends with `Error::Pagination`.
            pub fn walk_deadline(mut self, deadline: ::std::time::Duration) -> Self {
                self.request.set_walk_deadline(deadline);
                self
            }

            #pages_doc
            pub fn pages(self) -> impl ::futures_core::Stream<Item = Result<ResponseValue<#success>, Error<#failure>>> + Unpin + 'a {
                #advance
                fn listed(body: &#success) -> &[#item] {
                    #listed
                }
                #runtime::pages(self, |call| call.send(), advance, listed)
            }

            #items_doc
            pub fn items(self) -> impl ::futures_core::Stream<Item = Result<#item, Error<#failure>>> + Unpin + 'a {
                fn items(body: #success) -> Vec<#item> {
                    #take
                }
                #runtime::items(self.pages(), items)
            }
        }
    })
}

/// The steps as the JSON pointer the spec wrote them with (Rust names).
fn pointer_text(steps: &[FieldStep]) -> String {
    if steps.is_empty() {
        return String::from("the body");
    }
    steps.iter().map(|step| step.ident.trim_start_matches("r#")).collect::<Vec<_>>().join(".")
}

/// Whether reading along `steps` ends in an `Option`.
fn ends_optional(steps: &[FieldStep]) -> bool {
    steps.iter().flat_map(|step| &step.layers).any(|layer| *layer == Layer::Option)
}

/// An expression reading along `steps` from `body: &T`: a place of the value
/// (`body.a.b`) while no `Option` was met, else an `Option<&_>`.
fn read(steps: &[FieldStep]) -> TokenStream {
    along(steps, false)
}

/// An expression taking the items out of `body: T`: the `Vec`, or an empty one
/// where an `Option` on the way is `None`.
fn take(steps: &[FieldStep]) -> TokenStream {
    let expression = along(steps, true);
    if ends_optional(steps) { quote!(#expression.unwrap_or_default()) } else { expression }
}

/// Follows `steps` from `body`, borrowing or (`owned`) moving: a place while
/// no `Option` was met, then an `Option` carried through `map`/`and_then`.
fn along(steps: &[FieldStep], owned: bool) -> TokenStream {
    let mut expression = quote!(body);
    let mut optional = false;
    for step in steps {
        let field = ident(&step.ident);
        let mut layers = step.layers.iter().peekable();
        let opens_option = layers.next_if_eq(&&Layer::Option).is_some();
        expression = match (optional, opens_option, owned) {
            (false, true, false) => quote!(#expression.#field.as_ref()),
            (false, _, _) => quote!(#expression.#field),
            (true, false, false) => quote!(#expression.map(|v| &v.#field)),
            (true, true, false) => quote!(#expression.and_then(|v| v.#field.as_ref())),
            (true, false, true) => quote!(#expression.map(|v| v.#field)),
            (true, true, true) => quote!(#expression.and_then(|v| v.#field)),
        };
        optional |= opens_option;
        for layer in layers {
            expression = match (layer, optional, owned) {
                (Layer::Option, false, false) => quote!(#expression.as_ref()),
                (Layer::Option, false, true) => expression,
                (Layer::Option, true, false) => quote!(#expression.and_then(|v| v.as_ref())),
                (Layer::Option, true, true) => quote!(#expression.flatten()),
                (Layer::Box, false, _) => quote!((*#expression)),
                (Layer::Box, true, false) => quote!(#expression.map(|v| &**v)),
                (Layer::Box, true, true) => quote!(#expression.map(|v| *v)),
            };
            optional |= *layer == Layer::Option;
        }
    }
    expression
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    fn step(ident: &str, layers: &[Layer]) -> FieldStep {
        FieldStep { ident: ident.to_owned(), layers: layers.to_vec() }
    }

    #[test]
    fn paths_through_boxes_and_nullable_fields_borrow_and_move() {
        // `body.a` is a required `Box<A>`, `a.b` an optional nullable field, `b.c` an optional `Box`.
        let steps = [step("a", &[Layer::Box]), step("b", &[Layer::Option, Layer::Option]), step("c", &[Layer::Option, Layer::Box])];
        expect![[r#"(* body . a) . b . as_ref () . and_then (| v | v . as_ref ()) . and_then (| v | v . c . as_ref ()) . map (| v | & * * v)"#]]
            .assert_eq(&read(&steps).to_string());
        expect![[r#"(* body . a) . b . flatten () . and_then (| v | v . c) . map (| v | * v) . unwrap_or_default ()"#]]
            .assert_eq(&take(&steps).to_string());
        expect!["body . items"].assert_eq(&take(&[step("items", &[])]).to_string());
    }
}
