//! IR → the `mock` module of an API (behind the crate's `mock` feature): a
//! typed stand-in server whose stubs mirror the client's groups and methods,
//! with one answer enum per operation (a variant per documented response),
//! and what the runtime needs to check requests against the spec.

mod spec;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::docs::doc_attrs;
use crate::emit::example::{Example, raw_string};
use crate::emit::format::format_file;
use crate::emit::settings::{DocPaths, Runtime, Settings};
use crate::emit::tokens::{Context, ident, type_tokens};
use crate::ir::{Api, Group, Operation, Payload, ResponseArm, StatusMatch, TypeKind, TypeRef};

/// Whether the API module gets a `mock` module: a crate's (not a build
/// script's, which has no Cargo features) with operations, without per-tag
/// features (which would gate its operations).
pub fn emitted(api: &Api, settings: &Settings<'_>) -> bool {
    let has_operations = api.groups.iter().any(|group| !group.operations.is_empty());
    settings.docs.is_some() && settings.features.is_none() && has_operations
}

/// A test against the stand-in, as its statements: the operation whose
/// example is shortest among those whose first success is one status, its
/// stub answering that success with the spec's example, the client pointed at
/// the stand-in, the call, and the count of calls.
pub fn testing_example(api: &Api, paths: DocPaths<'_>, examples: &[Vec<Example>]) -> Option<String> {
    let DocPaths { module, krate } = paths;
    let candidates = api.groups.iter().zip(examples).flat_map(|(group, examples)| {
        group.operations.iter().zip(examples).map(move |(op, example)| (group, op, example))
    });
    let (group, op, example) = candidates
        .filter(|(_, op, _)| matches!(op.success.arms.first(), Some(arm) if matches!(arm.status, StatusMatch::Code(_))))
        .min_by_key(|(_, _, example)| example.stand_in_parts().2.len())?;
    let arm = op.success.arms.first()?;
    let (path_literals, client, call, answer) = example.stand_in_parts();
    let variant = answer_variant(arm);
    let payload = match (&arm.payload, answer) {
        (Payload::Empty, _) => String::new(),
        (Payload::Json(_), Some((_, body))) => format!("({krate}::serde_json::from_str({})?)", raw_string(body)),
        (Payload::Text, Some((_, body))) => format!("(String::from({body:?}))"),
        (Payload::Binary, _) => format!("({krate}::bytes::Bytes::from_static(b\"bytes\"))"),
        _ => return None,
    };
    let imports = if call.contains("types::") { "Client, mock, types" } else { "Client, mock" };
    let method = op.method_name.trim_start_matches("r#");
    Some(format!(
        "use {module}::{{{imports}}};\n\
         let server = mock::Server::start().await;\n\
         let stub = server\n    .{}()\n    .{method}({})\n    \
         .answer(mock::{}::{variant}{payload})\n    .expect(1)\n    .mount();\n\
         {client}{call}assert_eq!(stub.calls(), 1);\n",
        group.accessor.trim_start_matches("r#"),
        path_literals.join(", "),
        answer_name(op),
    ))
}

/// The `mock` module's file; `doctest` is its module-level example, run
/// against the stand-in (from the operations' examples).
pub fn render(api: &Api, header: &str, runtime: Runtime, doctest: Option<&str>) -> Result<String, String> {
    let runtime_path = runtime.tokens();
    let mock = quote!(mock);
    let title = api.title.trim();
    let operations = || api.groups.iter().flat_map(|group| group.operations.iter().map(move |op| (group, op)));
    let uses_types = operations().any(|(_, op)| crate::emit::operations::uses_named_types(op));
    let import_types = uses_types.then(|| quote!(use super::types;));
    let specs = operations().map(|(_, op)| {
        let marker = ident(&op.builder);
        quote!(<markers::#marker as #mock::Operation>::SPEC)
    });
    let accessors = api.groups.iter().map(|group| {
        let (accessor, type_name) = (ident(&group.accessor), stubs_name(group));
        let doc = format!(" Stubs of the operations tagged `{}`.", group.tag.replace('`', "'"));
        quote! {
            #[doc = #doc]
            pub fn #accessor(&self) -> #type_name<'_> {
                #type_name { server: self }
            }
        }
    });
    let groups = api.groups.iter().map(|group| group_handle(group, &mock));
    let ops = operations().map(|(group, op)| operation_items(api, group, op, &mock));
    let module_doc = module_doc(title, doctest);
    let server_doc = [
        format!(" A stand-in of {title} on loopback, for tests: [`Server::start`], give"),
        String::from(" [`Server::uri`] to [`super::Client::builder`], then stub operations by"),
        String::from(" their client's names. Dropped, it panics when a request broke the spec"),
        String::from(" or a stub's `expect(n)` was not met."),
    ];
    let title_text = title.to_owned();
    // Answers hold the spec's bodies unboxed, as the client's response enums do.
    let tokens = quote! {
        #module_doc
        #![allow(clippy::large_enum_variant, reason = "answers hold the spec's bodies unboxed")]
        #import_types
        use super::operations::markers;
        use #runtime_path::mock;

        #( #[doc = #server_doc] )*
        pub type Server = #mock::Server<super::Api>;

        impl #mock::MockApi for super::Api {
            const TITLE: &'static str = #title_text;
            const OPERATIONS: &'static [&'static #mock::OperationSpec] = &[#(#specs),*];
        }

        impl Server {
            #(#accessors)*
        }

        #(#groups)*
        #(#ops)*
    };
    format_file(header, tokens)
}

fn module_doc(title: &str, doctest: Option<&str>) -> TokenStream {
    let mut lines = vec![
        format!(" A typed stand-in server of {title}, for tests (the `mock` feature)."),
        String::new(),
        String::from(" Each stub mirrors a client method: the same group and name, the"),
        String::from(" required path parameters to match, optional matchers (the client's setters"),
        String::from(" of query and header parameters, `with_query`, `with_header`, `with_body`,"),
        String::from(" `matching`) and a typed answer, one variant"),
        String::from(" per documented response. Every request is checked against the spec"),
        String::from(" (required parameters, the body's type, credentials); one that breaks it,"),
        String::from(" and a stub's unmet `expect(n)`, fail the test when the server is"),
        String::from(" dropped. A request no stub accepts is answered 501, listing the stubs"),
        String::from(" and why each declined."),
    ];
    if let Some(code) = doctest {
        lines.extend([String::new(), String::from(" # Example"), String::new(), String::from(" ```")]);
        let hidden_start = ["#[tokio::main(flavor = \"current_thread\")]", "async fn main() -> Result<(), Box<dyn std::error::Error>> {"];
        lines.extend(hidden_start.iter().map(|line| format!(" # {line}")));
        lines.extend(code.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") }));
        lines.extend([String::from(" # Ok(())"), String::from(" # }"), String::from(" ```")]);
    }
    quote!(#( #![doc = #lines] )*)
}

/// A group's handle in the stand-in: `server.sessions()`.
fn group_handle(group: &Group, mock: &TokenStream) -> TokenStream {
    let type_name = stubs_name(group);
    let doc = format!(" Stubs of the operations tagged `{}`, as the client's groups them.", group.tag.replace('`', "'"));
    let methods = group.operations.iter().map(|op| {
        let name = ident(&op.method_name);
        let marker = ident(&op.builder);
        let path_params: Vec<_> = op
            .params
            .iter()
            .filter(|param| param.location == crate::ir::ParamLocation::Path)
            .map(|param| (ident(&param.ident), param.wire.as_str()))
            .collect();
        let args = path_params.iter().map(|(name, _)| quote!(#name: impl ::std::fmt::Display));
        let matchers = path_params.iter().map(|(name, wire)| quote!(.path_param(#wire, #name)));
        let path: String = op
            .path
            .iter()
            .map(|part| match part {
                crate::ir::PathPart::Literal(text) => text.clone(),
                crate::ir::PathPart::Param(index) => format!("{{{}}}", op.params[*index].wire),
            })
            .collect();
        let matching = if path_params.is_empty() { "" } else { ", matching the path parameters given" };
        let doc = format!(" Stubs `{}` (`{} {}`){matching}.", op.id, op.http_method, path);
        quote! {
            #[doc = #doc]
            pub fn #name(&self, #(#args),*) -> #mock::Stub<'a, markers::#marker> {
                self.server.stub() #(#matchers)*
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #type_name<'a> {
            server: &'a Server,
        }

        impl<'a> #type_name<'a> {
            #(#methods)*
        }
    }
}

/// The name of a group's handle in the stand-in: `SessionsStubs`. The
/// suffix keeps it apart from `Server` (a tag `server`) and the answer enums.
fn stubs_name(group: &Group) -> proc_macro2::Ident {
    // A keyword's trailing `_` (`Self_`) is not needed once suffixed.
    format_ident!("{}Stubs", group.type_name.trim_end_matches('_'))
}

/// The name of an operation's answer enum.
pub(crate) fn answer_name(op: &Operation) -> String {
    format!("{}Answer", op.builder)
}

/// The variant of `arm` in its operation's answer enum.
pub(crate) fn answer_variant(arm: &ResponseArm) -> String {
    match arm.status {
        StatusMatch::Code(code) => format!("Status{code}"),
        StatusMatch::Range(start) => format!("Status{}XX", start / 100),
        StatusMatch::Default => String::from("Other"),
    }
}

/// The answer enum, its `Answer` impl, the `Operation` impl of the marker and,
/// for a paginated operation, the stub's `pages`.
fn operation_items(api: &Api, group: &Group, op: &Operation, mock: &TokenStream) -> TokenStream {
    let answer = format_ident!("{}", answer_name(op));
    let marker = ident(&op.builder);
    let arms: Vec<&ResponseArm> = op.success.arms.iter().chain(&op.failure.arms).collect();
    let variants = arms.iter().map(|arm| {
        let variant = format_ident!("{}", answer_variant(arm));
        let docs = doc_attrs(Some(&format!("{}: {}", status_doc(arm.status), arm.description)));
        let status = match arm.status {
            StatusMatch::Code(_) => None,
            _ => Some(quote!(u16)),
        };
        let payload = payload_type(&arm.payload);
        let fields: Vec<TokenStream> = status.into_iter().chain(payload).collect();
        if fields.is_empty() { quote!(#docs #variant,) } else { quote!(#docs #variant(#(#fields),*),) }
    });
    let into_reply = arms.iter().map(|arm| {
        let variant = format_ident!("{}", answer_variant(arm));
        let (pattern_status, status) = match arm.status {
            StatusMatch::Code(code) => {
                let code = Literal::u16_unsuffixed(code);
                (None, quote!(#code))
            }
            StatusMatch::Range(start) => {
                let start = Literal::u16_unsuffixed(start);
                (Some(quote!(status)), quote!(#mock::Reply::in_range(status, #start)))
            }
            StatusMatch::Default => (Some(quote!(status)), quote!(#mock::Reply::in_range(status, 0))),
        };
        let (pattern_body, reply) = match &arm.payload {
            Payload::Empty => (None, quote!(#mock::Reply::empty(#status))),
            Payload::Json(_) => (Some(quote!(body)), quote!(#mock::Reply::json(#status, &body))),
            Payload::Text => (Some(quote!(body)), quote!(#mock::Reply::text(#status, body))),
            Payload::Binary => (Some(quote!(body)), quote!(#mock::Reply::bytes(#status, body))),
            Payload::Events(_) => (Some(quote!(body)), quote!(#mock::Reply::events(#status, body))),
        };
        let bindings: Vec<TokenStream> = pattern_status.into_iter().chain(pattern_body).collect();
        let pattern = if bindings.is_empty() { quote!(Self::#variant) } else { quote!(Self::#variant(#(#bindings),*)) };
        quote!(#pattern => #reply,)
    });
    let answer_doc = format!(" What the stand-in answers to `{}`: one variant per documented response.", op.id);
    let into_reply_body = if arms.is_empty() { quote!(match self {}) } else { quote!(match self { #(#into_reply)* }) };
    let (body_type, decode) = spec::body_type(op);
    let stub = format!("{}().{}(..)", group.accessor, op.method_name.trim_start_matches("r#"));
    let operation_spec = spec::operation_spec(api, op, &stub, mock);
    let pages = spec::page_type(op).zip(op.pagination.as_ref()).map(|(success, pagination)| {
        let (success, item) = (type_tokens(success, Context::Operations), type_tokens(&pagination.item, Context::Operations));
        quote! {
            /// Serves `items`, `per_page` a page, as the operation's
            /// pagination (`x-pagination`) walks them; `page` fills the
            /// rest of each page's body.
            pub fn pages(self, page: &#success, items: &[#item], per_page: usize) -> Self {
                self.serve_pages(page, items, per_page)
            }
        }
    });
    let setters: Vec<TokenStream> = op.params.iter().filter_map(|param| param_matcher(api, param)).collect();
    let stub_methods = (pages.is_some() || !setters.is_empty()).then(|| {
        quote! {
            impl #mock::Stub<'_, markers::#marker> {
                #(#setters)*
                #pages
            }
        }
    });
    quote! {
        #[doc = #answer_doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #answer {
            #(#variants)*
        }

        impl #mock::Answer for #answer {
            fn into_reply(self) -> #mock::Reply {
                #into_reply_body
            }
        }

        impl #mock::Operation for markers::#marker {
            type Body = #body_type;
            type Answer = #answer;
            const SPEC: &'static #mock::OperationSpec = #operation_spec;
            fn decode_body(body: &[u8]) -> Result<Self::Body, String> {
                #mock::#decode(body)
            }
        }

        #stub_methods
    }
}

/// The methods of `mock::Stub` itself, which a parameter's matcher must not shadow.
const STUB_METHODS: &[&str] = &[
    "path_param", "with_query", "with_header", "query_is", "header_is", "with_body", "matching", "answer", "reply", "raw",
    "expect", "serve_pages", "mount", "pages",
];

/// A matcher named after the client's setter of a query or header parameter
/// whose value is one scalar (or a string enum): `.page_limit(100)`.
fn param_matcher(api: &Api, param: &crate::ir::Param) -> Option<TokenStream> {
    let method = match param.location {
        crate::ir::ParamLocation::Query => quote!(query_is),
        crate::ir::ParamLocation::Header => quote!(header_is),
        crate::ir::ParamLocation::Path | crate::ir::ParamLocation::Cookie => return None,
    };
    if STUB_METHODS.contains(&param.ident.trim_start_matches("r#")) {
        return None;
    }
    let argument = match &param.ty {
        TypeRef::String => quote!(&str),
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Uuid | TypeRef::Date | TypeRef::DateTime => {
            type_tokens(&param.ty, Context::Operations)
        }
        TypeRef::Named(id) if matches!(api.types.get(id.index()).map(|def| &def.kind), Some(TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. })) => {
            let ty = type_tokens(&param.ty, Context::Operations);
            quote!(&#ty)
        }
        _ => return None,
    };
    let name = ident(&param.ident);
    let wire = &param.wire;
    let place = if param.location == crate::ir::ParamLocation::Query { "query parameter" } else { "header" };
    let doc = format!(" Matches requests whose {place} `{wire}` carries this value, as the client sends it.");
    let value = if matches!(param.ty, TypeRef::Named(_)) { quote!(#name) } else { quote!(&#name) };
    Some(quote! {
        #[doc = #doc]
        pub fn #name(self, #name: #argument) -> Self {
            self.#method(#wire, #value)
        }
    })
}

fn payload_type(payload: &Payload) -> Option<TokenStream> {
    match payload {
        Payload::Empty => None,
        Payload::Json(ty) => Some(type_tokens(ty, Context::Operations)),
        Payload::Text => Some(quote!(String)),
        Payload::Binary => Some(quote!(::bytes::Bytes)),
        // The stream as the server writes it, `data: …` lines and blank lines.
        Payload::Events(_) => Some(quote!(String)),
    }
}

fn status_doc(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => format!("HTTP {code}"),
        StatusMatch::Range(start) => format!("HTTP {}XX, with its status", start / 100),
        StatusMatch::Default => String::from("any other status, with its status"),
    }
}
