//! IR operations → the `operations` module: group handles, request builders
//! and per-operation response enums.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::doc_blocks;
use crate::emit::docs::doc_attrs;
use crate::emit::example::Example;
use crate::emit::pagination;
use crate::emit::tokens::{Context, ident, mentions_named, type_tokens};
use crate::ir::{
    Api, BodyKind, Group, Operation, Outcome, OutcomeType, Param, ParamLocation, PathPart, Payload,
    QueryStyle, ResponseArm, StatusMatch, TypeRef,
};

/// Where the doctests of the operations' examples reach the module: its path
/// (`api_clients::payrix`) and the crate's name (`api_clients`).
#[derive(Debug, Clone, Copy)]
pub struct DocPaths<'p> {
    /// The API module's path.
    pub module: &'p str,
    /// The crate's name.
    pub krate: &'p str,
}

/// One piece of the `operations` module, rendered on its own (and on any
/// thread: pieces are named by index, token streams stay where they are made).
#[derive(Debug, Clone, Copy)]
pub enum Item {
    /// Imports and the group accessors on `Client`.
    Head,
    /// A group's handle, by group index.
    Group(usize),
    /// An operation's request builder (and response enums), by group and operation index.
    Builder(usize, usize),
    /// The operations' marker types.
    Markers,
}

/// The pieces of the `operations` module in file order: imports and group
/// accessors, then each group's handle followed by its request builders, then
/// the markers.
pub fn items(api: &Api) -> Vec<Item> {
    if api.groups.is_empty() {
        return Vec::new();
    }
    let mut items = vec![Item::Head];
    for (g, group) in api.groups.iter().enumerate() {
        items.push(Item::Group(g));
        items.extend((0..group.operations.len()).map(|o| Item::Builder(g, o)));
    }
    items.push(Item::Markers);
    items
}

/// The items of one piece. With `examples` (by group, then operation), each
/// method carries its operation's example as a doctest.
pub fn render(api: &Api, item: Item, examples: Option<&[Vec<Example>]>) -> TokenStream {
    match item {
        Item::Head => operations_head(api),
        Item::Group(g) => {
            let examples = examples.and_then(|examples| examples.get(g)).map(Vec::as_slice);
            group_handle(api, &api.groups[g], examples)
        }
        Item::Builder(g, o) => {
            let group = &api.groups[g];
            builder(group, &group.operations[o])
        }
        Item::Markers => markers_module(api),
    }
}

/// One type per operation, naming it in the runtime's `Call`.
fn markers_module(api: &Api) -> TokenStream {
    let markers = api.groups.iter().flat_map(|group| group.operations.iter().map(marker));
    quote! {
        /// One type per operation, naming it in [`crate::runtime::Call`]: the
        /// calls above are `Call`s of these.
        pub mod markers {
            #(#markers)*
        }
    }
}

/// The type naming one operation in the runtime's `Call`.
pub(super) fn marker(op: &Operation) -> TokenStream {
    let name = ident(&op.builder);
    let doc = format!(" Names the operation `{}` in [`super::{}`].", op.id.replace('`', "'"), op.builder);
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        pub enum #name {}
    }
}

fn operations_head(api: &Api) -> TokenStream {
    let uses_types = api.groups.iter().flat_map(|g| &g.operations).any(uses_named_types);
    let import_types = uses_types.then(|| quote!(use super::types;));
    // A spec without schemes has no schemes module to import.
    let uses_schemes = api.groups.iter().flat_map(|g| &g.operations).any(Operation::names_security_schemes);
    let import_schemes = uses_schemes.then(|| quote!(use super::schemes;));
    let accessors = accessors(api, |_| TokenStream::new());
    quote! {
        #import_types
        #import_schemes
        use super::Client;
        use crate::runtime::{Error, ResponseValue};

        #accessors
    }
}

/// The methods of `Client` that return the groups' handles, each behind
/// `cfg(group)`.
pub(super) fn accessors(api: &Api, cfg: impl Fn(usize) -> TokenStream) -> TokenStream {
    let accessors = api.groups.iter().enumerate().map(|(g, group)| {
        let docs = doc_attrs(Some(&group_doc(group)));
        let cfg = cfg(g);
        let accessor = ident(&group.accessor);
        let type_name = ident(&group.type_name);
        quote! {
            #cfg
            #docs
            pub fn #accessor(&self) -> #type_name<'_> {
                #type_name { client: self }
            }
        }
    });
    quote! {
        impl Client {
            #(#accessors)*
        }
    }
}

fn group_doc(group: &Group) -> String {
    match &group.description {
        Some(description) => description.clone(),
        None => format!("The operations tagged `{}`.", group.tag.replace('`', "'")),
    }
}

pub(super) fn uses_named_types(operation: &Operation) -> bool {
    let payload = |p: &Payload| matches!(p, Payload::Json(ty) if mentions_named(ty));
    operation.params.iter().any(|p| mentions_named(&p.ty))
        || matches!(&operation.body, Some(b) if matches!(&b.kind, BodyKind::Json(ty) | BodyKind::Form(ty) if mentions_named(ty)))
        || operation.success.arms.iter().chain(&operation.failure.arms).any(|arm| payload(&arm.payload))
}

/// A group's handle: the struct `client.<group>()` returns, with one method per operation.
fn group_handle(api: &Api, group: &Group, examples: Option<&[Example]>) -> TokenStream {
    let handle = handle_struct(group, &TokenStream::new());
    let methods = handle_methods(api, group, 0..group.operations.len(), examples);
    quote! {
        #handle
        #methods
    }
}

/// The struct of a group's handle, behind `cfg`.
pub(super) fn handle_struct(group: &Group, cfg: &TokenStream) -> TokenStream {
    let docs = doc_attrs(Some(&group_doc(group)));
    let type_name = ident(&group.type_name);
    quote! {
        #cfg
        #docs
        #[derive(Debug, Clone, Copy)]
        pub struct #type_name<'a> {
            client: &'a Client,
        }
    }
}

/// An `impl` of a group's handle with the methods of `operations` (indices in
/// the group); `examples` by index in the group.
pub(super) fn handle_methods(
    api: &Api,
    group: &Group,
    operations: impl IntoIterator<Item = usize>,
    examples: Option<&[Example]>,
) -> TokenStream {
    let type_name = ident(&group.type_name);
    let methods = operations
        .into_iter()
        .map(|o| method(api, &group.operations[o], examples.and_then(|examples| examples.get(o))));
    quote! {
        impl<'a> #type_name<'a> {
            #(#methods)*
        }
    }
}

/// How a parameter is taken as an argument: strings by `&str`, small copyable
/// values by value, everything else by reference.
fn argument_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(&str),
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Uuid | TypeRef::Date | TypeRef::DateTime => {
            type_tokens(ty, Context::Operations)
        }
        TypeRef::Vec(item) => {
            let item = type_tokens(item, Context::Operations);
            quote!(&[#item])
        }
        other => {
            let ty = type_tokens(other, Context::Operations);
            quote!(&#ty)
        }
    }
}

/// A reference to an argument's value, as the runtime's serializing helpers take it.
fn argument_ref(param: &Param) -> TokenStream {
    let name = ident(&param.ident);
    match &param.ty {
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Uuid | TypeRef::Date | TypeRef::DateTime => {
            quote!(&#name)
        }
        _ => quote!(#name),
    }
}

/// The statement that puts one parameter into `request` (an expression such
/// as `request` or `self.request`).
fn apply_param(request: &TokenStream, param: &Param) -> TokenStream {
    let wire = &param.wire;
    let value = argument_ref(param);
    match param.location {
        ParamLocation::Query => match param.style {
            QueryStyle::FormExploded => quote!(#request.query(#wire, #value);),
            style => {
                let style = match style {
                    QueryStyle::Form => quote!(Form),
                    QueryStyle::SpaceDelimited => quote!(SpaceDelimited),
                    QueryStyle::PipeDelimited => quote!(PipeDelimited),
                    QueryStyle::DeepObject | QueryStyle::FormExploded => quote!(DeepObject),
                    QueryStyle::Json => quote!(Json),
                };
                quote!(#request.query_with_style(#wire, #value, crate::runtime::QueryStyle::#style);)
            }
        },
        ParamLocation::Header if param.idempotency_key => quote!(#request.idempotency_key(#wire, #value);),
        ParamLocation::Header => quote!(#request.header(#wire, #value);),
        ParamLocation::Cookie => quote!(#request.cookie(#wire, #value);),
        ParamLocation::Path if param.ty == TypeRef::String => quote!(#request.path_text(#wire, #value);),
        ParamLocation::Path => quote!(#request.path_param(#wire, #value);),
    }
}

fn body_argument(request: &TokenStream, kind: &BodyKind) -> (TokenStream, TokenStream) {
    match kind {
        BodyKind::Json(ty) => {
            let ty = type_tokens(ty, Context::Operations);
            (quote!(&#ty), quote!(#request.json(body);))
        }
        BodyKind::Form(ty) => {
            let ty = type_tokens(ty, Context::Operations);
            (quote!(&#ty), quote!(#request.form(body);))
        }
        BodyKind::Multipart => (quote!(::reqwest::multipart::Form), quote!(#request.multipart(body);)),
        BodyKind::Text(media) => (quote!(impl Into<String>), quote!(#request.raw(#media, body.into());)),
        BodyKind::Binary(media) => (quote!(impl Into<::bytes::Bytes>), quote!(#request.raw(#media, body);)),
    }
}

/// The path template as the spec writes it.
fn path_text(op: &Operation) -> String {
    op.path
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => text.clone(),
            PathPart::Param(index) => format!("{{{}}}", op.params[*index].wire),
        })
        .collect()
}

fn method(api: &Api, op: &Operation, example: Option<&Example>) -> TokenStream {
    let method_name = ident(&op.method_name);
    let builder = ident(&op.builder);
    let http_method = ident(&op.http_method);
    let path_text = path_text(op);
    let mut doc = op.doc().unwrap_or_default();
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("`{} {}`", op.http_method, path_text));
    let positional: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let mut args: Vec<TokenStream> = positional
        .iter()
        .map(|p| {
            let name = ident(&p.ident);
            let ty = argument_type(&p.ty);
            quote!(#name: #ty)
        })
        .collect();
    let mut body_statement = None;
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let (ty, statement) = body_argument(&quote!(request), &body.kind);
        args.push(quote!(body: #ty));
        body_statement = Some(statement);
    }
    let mut arg_docs: Vec<String> = positional
        .iter()
        .filter_map(|p| {
            p.description
                .as_deref()
                .map(|d| format!("- `{}`: {}", p.ident.trim_start_matches("r#"), d.trim().replace('\n', " ")))
        })
        .collect();
    if let Some(description) = op.body.as_ref().filter(|b| b.required).and_then(|b| b.description.as_deref()) {
        arg_docs.push(format!("- `body`: {}", description.trim().replace('\n', " ")));
    }
    if !arg_docs.is_empty() {
        doc.push_str("\n\n");
        doc.push_str(&arg_docs.join("\n"));
    }
    let docs = doc_attrs(Some(&doc));
    let example_docs = example.map(|example| {
        let mut lines = vec![String::new(), String::from(" # Example"), String::new(), String::from(" ```")];
        lines.extend(example.doctest().lines().map(|line| format!(" {line}")));
        lines.push(String::from(" ```"));
        doc_blocks::doc_attrs(lines)
    });
    let deprecated = op.deprecated.then(|| quote!(#[deprecated(note = "the API marks this operation deprecated")]));
    let mut statements: Vec<TokenStream> = Vec::new();
    statements.extend(positional.iter().filter(|p| p.location == ParamLocation::Path).map(|p| apply_param(&quote!(request), p)));
    if op.names_security_schemes() {
        let alternatives = op.security.iter().map(|schemes| {
            let schemes = schemes.iter().map(|&index| {
                let constant = ident(&schemes_constant(api, index));
                quote!(schemes::#constant)
            });
            quote!(&[#(#schemes),*])
        });
        statements.push(quote!(request.security(&[#(#alternatives),*]);));
    }
    if let Some(media) = &op.accept {
        statements.push(quote!(request.accept(#media);));
    }
    statements.extend(positional.iter().filter(|p| p.location != ParamLocation::Path).map(|p| apply_param(&quote!(request), p)));
    statements.extend(body_statement);
    let mutable = (!statements.is_empty()).then(|| quote!(mut));
    // Clippy's threshold counts `&self`; a spec with more required parameters gets them all.
    let allow_many = (args.len() + 1 > 7)
        .then(|| quote!(#[allow(clippy::too_many_arguments, reason = "one argument per required parameter of the spec")]));
    quote! {
        #docs
        #example_docs
        #deprecated
        #allow_many
        pub fn #method_name(&self, #(#args),*) -> #builder<'a> {
            let #mutable request = self.client.request(::reqwest::Method::#http_method, #path_text);
            #(#statements)*
            #builder::new(request)
        }
    }
}

/// The constant naming security scheme `index` in the API's `schemes` module.
fn schemes_constant(api: &Api, index: usize) -> String {
    api.security_schemes.get(index).map_or_else(|| String::from("UNKNOWN"), |scheme| scheme.constant.clone())
}

pub(super) fn builder(group: &Group, op: &Operation) -> TokenStream {
    let builder = ident(&op.builder);
    let group_name = &group.type_name;
    let method_name = op.method_name.trim_start_matches("r#");
    let doc = format!(
        " A `{} {}` call, made by [`{group_name}::{method_name}`] and sent by `send()`.",
        op.http_method,
        path_text(op).replace('`', ""),
    );
    let setters = op.params.iter().filter(|p| !p.required).map(|p| {
        let name = ident(&p.ident);
        let ty = argument_type(&p.ty);
        let apply = apply_param(&quote!(self.request), p);
        let docs = doc_attrs(p.description.as_deref());
        let deprecated = p.deprecated.then(|| quote!(#[deprecated(note = "the API marks this parameter deprecated")]));
        quote! {
            #docs
            #deprecated
            pub fn #name(mut self, #name: #ty) -> Self {
                #apply
                self
            }
        }
    });
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|body| {
        let (ty, statement) = body_argument(&quote!(self.request), &body.kind);
        let docs = doc_attrs(Some(body.description.as_deref().unwrap_or("Sets the request body.")));
        quote! {
            #docs
            pub fn body(mut self, body: #ty) -> Self {
                #statement
                self
            }
        }
    });
    let (success_type, success_enum) = outcome_type(&op.success);
    let (failure_type, failure_enum) = outcome_type(&op.failure);
    let walkers = pagination::walkers(op, &success_type, &failure_type);
    let arms = match_arms(op);
    // With `default` the only response, there is nothing to match on.
    let decode = match arms.as_slice() {
        [only] if op.success.arms.iter().chain(&op.failure.arms).all(|a| a.status == StatusMatch::Default) => op
            .success
            .arms
            .iter()
            .map(|arm| arm_expression(arm, &op.success, true))
            .chain(op.failure.arms.iter().map(|arm| arm_expression(arm, &op.failure, false)))
            .next()
            .unwrap_or_else(|| only.clone()),
        _ => quote!(match response.status() { #(#arms)* }),
    };
    quote! {
        #[doc = #doc]
        pub type #builder<'a> = crate::runtime::Call<'a, markers::#builder>;
        impl #builder<'_> {
            #(#setters)*
            #body_setter

            /// Sends the request and decodes the documented response.
            pub async fn send(self) -> Result<ResponseValue<#success_type>, Error<#failure_type>> {
                let response = self.request.send().await?;
                #decode
            }
        }

        #walkers
        #success_enum
        #failure_enum
    }
}

fn payload_type(payload: &Payload) -> TokenStream {
    match payload {
        Payload::Empty => quote!(()),
        Payload::Json(ty) => type_tokens(ty, Context::Operations),
        Payload::Text => quote!(String),
        Payload::Binary => quote!(::bytes::Bytes),
    }
}

/// The Rust type of an outcome, and the enum declaring it when there is one.
fn outcome_type(outcome: &Outcome) -> (TokenStream, Option<TokenStream>) {
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
    match (success, &arm.payload, wrap) {
        (true, Payload::Empty, None) => quote!(response.empty()),
        (true, Payload::Json(_), None) => quote!(response.json()),
        (true, Payload::Text, None) => quote!(response.text()),
        (true, Payload::Binary, None) => quote!(response.bytes()),
        (true, Payload::Empty, Some(w)) => quote!(response.empty_into(#w)),
        (true, Payload::Json(_), Some(w)) => quote!(response.json_into(#w)),
        (true, Payload::Text, Some(w)) => quote!(response.text_into(#w)),
        (true, Payload::Binary, Some(w)) => quote!(response.bytes_into(#w)),
        (false, Payload::Empty, None) => quote!(Err(response.api_empty())),
        (false, Payload::Json(_), None) => quote!(Err(response.api_json())),
        (false, Payload::Text, None) => quote!(Err(response.api_text())),
        (false, Payload::Binary, None) => quote!(Err(response.api_bytes())),
        (false, Payload::Empty, Some(w)) => quote!(Err(response.api_empty_into(#w))),
        (false, Payload::Json(_), Some(w)) => quote!(Err(response.api_json_into(#w))),
        (false, Payload::Text, Some(w)) => quote!(Err(response.api_text_into(#w))),
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

fn match_arms(op: &Operation) -> Vec<TokenStream> {
    let mut arms: Vec<(Vec<StatusMatch>, TokenStream)> = Vec::new();
    let mut fallback = None;
    let sides = [(&op.success, true), (&op.failure, false)];
    for pass in 0..2 {
        for (outcome, success) in sides {
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
    let mut codes: Vec<u16> = op
        .success
        .arms
        .iter()
        .chain(&op.failure.arms)
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
    if let Some(arm) = empty_success_arm(op) {
        out.insert(first_range.unwrap_or(out.len()), arm);
    }
    let fallback = fallback.unwrap_or_else(|| quote!(Err(response.unexpected())));
    out.push(quote!(_ => #fallback,));
    out
}
