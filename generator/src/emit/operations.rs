//! IR operations → the `operations` module: group handles and request
//! builders (what their `send` returns is `responses.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::doc_blocks;
use crate::emit::docs::doc_attrs;
use crate::emit::example::Example;
use crate::emit::pagination;
use crate::emit::responses;
use crate::emit::settings::Runtime;
use crate::emit::tokens::{Context, ident, type_tokens};
use crate::ir::{
    Api, BodyKind, FormField, FormStyle, Group, HeaderRole, Operation, Param, ParamLocation, PathPart, QueryStyle, RequestBody, TypeRef,
};

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
/// method carries its operation's example as a doctest; `runtime` is reached
/// from the `operations` module.
pub fn render(api: &Api, item: Item, examples: Option<&[Vec<Example>]>, runtime: Runtime) -> TokenStream {
    match item {
        Item::Head => operations_head(api, runtime),
        Item::Group(g) => {
            let examples = examples.and_then(|examples| examples.get(g)).map(Vec::as_slice);
            group_handle(api, &api.groups[g], examples, runtime)
        }
        Item::Builder(g, o) => {
            let group = &api.groups[g];
            let example = examples.and_then(|examples| examples.get(g)).and_then(|examples| examples.get(o));
            builder(group, &group.operations[o], example, runtime)
        }
        Item::Markers => markers_module(api, runtime.inner()),
    }
}

/// One type per operation, naming it in the runtime's `Call` (`runtime` as
/// reached from `markers`).
fn markers_module(api: &Api, runtime: Runtime) -> TokenStream {
    let markers = api.groups.iter().flat_map(|group| group.operations.iter().map(|op| marker(op, runtime)));
    let doc = format!(" One type per operation, naming it in [`{}::Call`]: the", runtime.text());
    quote! {
        #[doc = #doc]
        /// calls above are `Call`s of these.
        pub mod markers {
            #(#markers)*
        }
    }
}

/// The type naming one operation in the runtime's `Call` (`runtime` as
/// reached from `markers`).
pub(super) fn marker(op: &Operation, runtime: Runtime) -> TokenStream {
    let name = ident(&op.builder);
    let doc = format!(" Names the operation `{}` in [`super::{}`].", op.id.replace('`', "'"), op.builder);
    let id = &op.id;
    let runtime = runtime.tokens();
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        pub enum #name {}
        impl #runtime::Operation for #name {
            const ID: &'static str = #id;
        }
    }
}

fn operations_head(api: &Api, runtime: Runtime) -> TokenStream {
    let uses_types = api.groups.iter().flat_map(|g| &g.operations).any(uses_named_types);
    let import_types = uses_types.then(|| quote!(use super::types;));
    // A spec without schemes has no schemes module to import.
    let uses_schemes = api.groups.iter().flat_map(|g| &g.operations).any(Operation::names_security_schemes);
    let import_schemes = uses_schemes.then(|| quote!(use super::schemes;));
    let accessors = accessors(api, |_| TokenStream::new());
    let runtime = runtime.tokens();
    quote! {
        #import_types
        #import_schemes
        use super::Client;
        use #runtime::{Error, ResponseValue};

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
    operation.type_refs().into_iter().any(|ty| ty.named().is_some())
}

/// A group's handle: the struct `client.<group>()` returns, with one method per operation.
fn group_handle(api: &Api, group: &Group, examples: Option<&[Example]>, runtime: Runtime) -> TokenStream {
    let handle = handle_struct(group, &TokenStream::new());
    let methods = handle_methods(api, group, 0..group.operations.len(), examples, runtime);
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
    runtime: Runtime,
) -> TokenStream {
    let type_name = ident(&group.type_name);
    let methods = operations
        .into_iter()
        .map(|o| method(api, &group.operations[o], examples.and_then(|examples| examples.get(o)), runtime));
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
fn apply_param(request: &TokenStream, param: &Param, runtime: Runtime) -> TokenStream {
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
                let runtime = runtime.tokens();
                quote!(#request.query_with_style(#wire, #value, #runtime::QueryStyle::#style);)
            }
        },
        ParamLocation::Header => match param.role {
            HeaderRole::IdempotencyKey => quote!(#request.idempotency_key(#wire, #value);),
            HeaderRole::SingleUse => quote!(#request.single_use_header(#wire, #value);),
            HeaderRole::Plain => quote!(#request.header(#wire, #value);),
        },
        ParamLocation::Cookie => quote!(#request.cookie(#wire, #value);),
        ParamLocation::Path if param.ty == TypeRef::String => quote!(#request.path_text(#wire, #value);),
        ParamLocation::Path => quote!(#request.path_param(#wire, #value);),
    }
}

fn body_argument(request: &TokenStream, body: &RequestBody, runtime: Runtime) -> (TokenStream, TokenStream) {
    match &body.kind {
        BodyKind::Json(ty) => {
            let ty = type_tokens(ty, Context::Operations);
            (quote!(&#ty), quote!(#request.json(body);))
        }
        BodyKind::Form(ty) => {
            let ty = type_tokens(ty, Context::Operations);
            let runtime = runtime.tokens();
            let fields = body.form_fields.iter().map(|field| {
                let FormField { name, explode, json, .. } = field;
                let style = match field.style {
                    FormStyle::Form => quote!(Form),
                    FormStyle::SpaceDelimited => quote!(SpaceDelimited),
                    FormStyle::PipeDelimited => quote!(PipeDelimited),
                    FormStyle::DeepObject => quote!(DeepObject),
                };
                quote!(#runtime::FormField { name: #name, style: #runtime::FormStyle::#style, explode: #explode, json: #json })
            });
            (quote!(&#ty), quote!(#request.form(body, &[#(#fields),*]);))
        }
        BodyKind::Multipart => (quote!(::reqwest::multipart::Form), quote!(#request.multipart(body);)),
        BodyKind::Text(media) => (quote!(impl Into<String>), quote!(#request.raw(#media, body.into());)),
        BodyKind::Binary(media) => {
            let runtime = runtime.tokens();
            (quote!(impl Into<#runtime::BinaryBody>), quote!(#request.binary(#media, body);))
        }
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

fn method(api: &Api, op: &Operation, example: Option<&Example>, runtime: Runtime) -> TokenStream {
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
        let (ty, statement) = body_argument(&quote!(request), body, runtime);
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
        if let Some(failure) = example.failure_doctest() {
            lines.extend([String::new(), String::from(" A documented error, read from `Error::Api`:"), String::new()]);
            lines.push(String::from(" ```"));
            lines.extend(failure.lines().map(|line| format!(" {line}")));
            lines.push(String::from(" ```"));
        }
        doc_blocks::doc_attrs(lines)
    });
    let deprecated = op.deprecated.then(|| quote!(#[deprecated(note = "the API marks this operation deprecated")]));
    let mut statements: Vec<TokenStream> = Vec::new();
    statements.extend(
        positional.iter().filter(|p| p.location == ParamLocation::Path).map(|p| apply_param(&quote!(request), p, runtime)),
    );
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
    statements.extend(
        positional.iter().filter(|p| p.location != ParamLocation::Path).map(|p| apply_param(&quote!(request), p, runtime)),
    );
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

/// An operation's request builder: the runtime's `Call` with its optional
/// parameters' setters and `send`; `runtime` as reached from where it is.
pub(super) fn builder(group: &Group, op: &Operation, example: Option<&Example>, runtime: Runtime) -> TokenStream {
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
        let apply = apply_param(&quote!(self.request), p, runtime);
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
        let (ty, statement) = body_argument(&quote!(self.request), body, runtime);
        let docs = doc_attrs(Some(body.description.as_deref().unwrap_or("Sets the request body.")));
        quote! {
            #docs
            pub fn body(mut self, body: #ty) -> Self {
                #statement
                self
            }
        }
    });
    let (success_type, success_enum) = responses::outcome_type(&op.success);
    let (failure_type, failure_enum) = responses::outcome_type(&op.failure);
    let walk_example = example.and_then(Example::walk_doctest);
    let walkers = pagination::walkers(op, &success_type, &failure_type, walk_example.as_deref(), runtime);
    let decode = responses::decode(op);
    let streaming = streaming_sends(op, &failure_type, example.and_then(Example::stream_doctest).as_deref(), runtime);
    let runtime = runtime.tokens();
    // A streaming send's answer borrows the client, so the block names the lifetime.
    let lifetime = if streaming.is_some() { quote!(impl<'a> #builder<'a>) } else { quote!(impl #builder<'_>) };
    quote! {
        #[doc = #doc]
        pub type #builder<'a> = #runtime::Call<'a, markers::#builder>;
        #lifetime {
            #(#setters)*
            #body_setter

            /// Sends the request and decodes the documented response.
            pub async fn send(self) -> Result<ResponseValue<#success_type>, Error<#failure_type>> {
                let response = self.request.send().await?;
                #decode
            }

            #streaming
        }

        #walkers
        #success_enum
        #failure_enum
    }
}

/// The sends of an operation whose successful answer streams: `send_streaming`
/// for bytes, `send_events` for server-sent events; other answers decode as
/// `send` decodes them.
fn streaming_sends(op: &Operation, failure_type: &TokenStream, example: Option<&str>, runtime: Runtime) -> Option<TokenStream> {
    let failures = responses::decode_failures(op);
    let path = runtime.tokens();
    let (method, doc, body, send) = if op.streams_bytes().is_some_and(|streams| streams.download) {
        let doc = " Sends the request and hands on a successful answer's body as it arrives, a\n \
                   [`ByteStream`](runtime::ByteStream) of chunks, without holding it in memory; any\n \
                   other answer decodes as [`send`](Self::send) decodes it. The body's size limit\n \
                   holds as the chunks arrive, unless the call lifts it with\n \
                   [`max_response_bytes(None)`](runtime::Call::max_response_bytes).";
        (quote!(send_streaming), doc, quote!(#path::ByteStream), quote!(self.request.send_streaming().await?))
    } else {
        let data = op.event_data()?;
        let doc = " Sends the request and hands on a successful answer as it arrives, an\n \
                   [`EventStream`](runtime::EventStream) of server-sent events; any other answer\n \
                   decodes as [`send`](Self::send) decodes it. Call `resume(n)` on the stream to\n \
                   reconnect with `Last-Event-ID` when the connection ends.";
        let (data_type, send) = match data {
            Some(ty) => {
                let ty = type_tokens(ty, Context::Operations);
                (ty.clone(), quote!(self.request.send_events::<#ty>().await?))
            }
            None => (quote!(String), quote!(self.request.send_text_events().await?)),
        };
        (quote!(send_events), doc, quote!(#path::EventStream<'a, #data_type>), send)
    };
    let doc = doc.replace("runtime::", &format!("{}::", runtime.text()));
    let mut lines: Vec<String> = doc.split('\n').map(str::to_owned).collect();
    if let Some(example) = example {
        lines.extend([String::new(), String::from(" # Example"), String::new(), String::from(" ```")]);
        lines.extend(example.lines().map(|line| format!(" {line}")));
        lines.push(String::from(" ```"));
    }
    let docs = doc_blocks::doc_attrs(lines);
    Some(quote! {
        #docs
        pub async fn #method(self) -> Result<ResponseValue<#body>, Error<#failure_type>> {
            let response = match #send {
                #path::Streamed::Open(answer) => return Ok(answer),
                #path::Streamed::Read(response) => response,
            };
            #failures
        }
    })
}
