//! One Rust example per operation, made from the spec's examples: build the
//! client, build the body, make the call with its parameters, send it.
//!
//! The same example is shown in the usage guide and compiled and run as the
//! doctest of the operation's method. The doctest runs it against a local
//! stand-in server (wiremock, a dev-dependency) that answers with the spec's
//! example of the first documented success, so the example sends a real
//! request, decodes a real answer and needs no network; the lines that set up
//! the stand-in are hidden (`# `), and the visible client line names the
//! API's real server.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::parallel::{self, workers};
use crate::emit::format::format_file;
use crate::emit::client::EXAMPLE_ORIGIN;
use crate::emit::settings::DocPaths;
use crate::emit::tokens::ident;
use crate::emit::values::Values;
use crate::ir::{
    self, Api, AuthKind, BodyKind, HeaderRole, Operation, OutcomeType, ParamLocation, Payload, ResponseArm, StatusMatch,
    TypeRef,
};

/// An operation's example, in the pieces the guide and the doctest arrange.
pub struct Example {
    /// `use …;` and the client, visible.
    setup: String,
    /// The same client pointed at the stand-in server, hidden.
    stand_in_client: String,
    /// The body, the call and what is done with the answer, visible.
    call: String,
    /// For a paginated operation: the body, and walks over every item and every page.
    walk: Option<String>,
    /// For an operation whose answer streams: the body, and the stream read
    /// chunk by chunk or event by event.
    stream: Option<String>,
    /// For an operation with documented errors: the call matching
    /// `Error::Api`, and the first documented error the stand-in answers with.
    failure: Option<Failure>,
    /// The path parameters' values, as literals a typed stub matches on.
    path_literals: Vec<String>,
    /// How the stand-in answers: the method it expects, status, media type and body.
    method: String,
    status: u16,
    answer: Option<(&'static str, String)>,
}

impl Example {
    /// The pieces a test against the typed stand-in (`mock`) is made of: the
    /// path parameters' values, the client built on the stand-in, the call,
    /// and the answer of the first documented success (media type and body).
    pub fn stand_in_parts(&self) -> (&[String], &str, &str, Option<&(&'static str, String)>) {
        (&self.path_literals, &self.stand_in_client, &self.call, self.answer.as_ref())
    }

    /// The example as the guide shows it: the code inside an async function
    /// returning `Result<_, Box<dyn std::error::Error>>`.
    pub fn visible(&self) -> String {
        format!("{}\n{}", self.setup, self.call)
    }

    /// For a paginated operation, the walk over its items as the guide shows it.
    pub fn walk_visible(&self) -> Option<String> {
        self.walk.as_ref().map(|walk| format!("{}\n{walk}", self.setup))
    }

    /// For a paginated operation, the walk over its items as a doctest that
    /// is compiled, not run (the stand-in answers one page; a real list has more).
    pub fn walk_doctest(&self) -> Option<String> {
        let walk = self.walk.as_ref()?;
        let hidden = |text: &str| text.lines().map(|line| format!("# {line}\n")).collect::<String>();
        let mut out = hidden(
            "#[tokio::main(flavor = \"current_thread\")]\n\
             async fn main() -> Result<(), Box<dyn std::error::Error>> {",
        );
        out.push_str(&self.setup);
        out.push_str(walk);
        out.push_str(&hidden("Ok(())\n}"));
        Some(out)
    }

    /// For an operation whose answer streams, the stream read as the guide shows it.
    pub fn stream_visible(&self) -> Option<String> {
        self.stream.as_ref().map(|stream| format!("{}\n{stream}", self.setup))
    }

    /// For an operation whose answer streams, the stream read as a doctest
    /// run against the stand-in (which answers the documented success).
    pub fn stream_doctest(&self) -> Option<String> {
        let stream = self.stream.as_ref()?;
        Some(self.runnable(stream, self.status, self.answer.as_ref()))
    }

    /// For an operation with documented errors, how a caller reads one, as
    /// the guide shows it.
    pub fn failure_visible(&self) -> Option<String> {
        self.failure.as_ref().map(|failure| format!("{}\n{}", self.setup, failure.call))
    }

    /// For an operation with documented errors, the doctest reading one: the
    /// stand-in answers with the first documented error.
    pub fn failure_doctest(&self) -> Option<String> {
        let failure = self.failure.as_ref()?;
        Some(self.runnable(&failure.call, failure.status, failure.answer.as_ref()))
    }

    /// The doctest: the visible example with its hidden stand-in server.
    pub fn doctest(&self) -> String {
        self.runnable(&self.call, self.status, self.answer.as_ref())
    }

    /// `call` run against a stand-in answering `status` with `answer`.
    fn runnable(&self, call: &str, status: u16, answer: Option<&(&'static str, String)>) -> String {
        let hidden = |text: &str| text.lines().map(|line| format!("# {line}\n")).collect::<String>();
        let method = &self.method;
        let respond = match answer {
            Some((media, body)) => {
                format!("wiremock::ResponseTemplate::new({status}).set_body_raw({}, \"{media}\")", raw_string(body))
            }
            None => format!("wiremock::ResponseTemplate::new({status})"),
        };
        let mut out = String::new();
        out.push_str(&hidden(&format!(
            "#[tokio::main(flavor = \"current_thread\")]\n\
             async fn main() {{\n\
             let server = wiremock::MockServer::start().await;\n\
             wiremock::Mock::given(wiremock::matchers::method(\"{method}\"))\n    \
             .respond_with({respond})\n    .expect(1)\n    .mount(&server)\n    .await;"
        )));
        // The example runs in a block of its own: an error it returns is
        // printed by the panic below, while the stand-in is still alive. Were
        // `main` to return it, dropping the stand-in first would panic with
        // "expected 1 request, got 0" and hide the error.
        out.push_str(&hidden("let run: Result<(), Box<dyn std::error::Error>> = async {"));
        out.push_str(&self.setup);
        out.push_str(&hidden(&self.stand_in_client));
        out.push_str(call);
        out.push_str(&hidden(
            "Ok(())\n}\n.await;\n\
             if let Err(error) = run {\n    panic!(\"the example failed: {error}\");\n}\n}",
        ));
        out
    }
}

/// The error-handling example of an operation and the answer it is run against.
struct Failure {
    call: String,
    status: u16,
    answer: Option<(&'static str, String)>,
}

/// `text` as a raw string literal.
pub(super) fn raw_string(text: &str) -> String {
    let hashes = (1..).map(|n| "#".repeat(n)).find(|h| !text.contains(&format!("\"{h}"))).unwrap_or_default();
    format!("r{hashes}\"{text}\"{hashes}")
}

/// The examples of `api`'s operations, group by group, for its module reached
/// through `paths`.
///
/// Operations are shared out in equal runs to the cores: formatting thousands
/// of snippets is a tenth of a large API's run. Each worker has its own index
/// of values (token streams cannot cross threads) and its own cache.
pub fn examples(api: &Api, paths: DocPaths<'_>) -> Result<Vec<Vec<Example>>, String> {
    let operations: Vec<(&Operation, &str)> = api
        .groups
        .iter()
        .flat_map(|group| group.operations.iter().map(move |op| (op, group.accessor.as_str())))
        .collect();
    let run = operations.len().div_ceil(workers()).max(1);
    let make_run = |part: &[(&Operation, &str)]| -> Result<Vec<Example>, String> {
        let values = Values::new(api, paths.krate);
        // Most operations of an API build the same client; format that once.
        let mut formatted = HashMap::new();
        part.iter().map(|&(op, accessor)| example(api, &values, &mut formatted, op, accessor, paths)).collect()
    };
    let parts: Vec<&[(&Operation, &str)]> = operations.chunks(run).collect();
    let runs = parallel::map(parts.len(), &|part| make_run(parts[part]))?;
    let mut made = Vec::with_capacity(operations.len());
    for run in runs {
        made.extend(run?);
    }
    let mut made = made.into_iter();
    Ok(api.groups.iter().map(|group| made.by_ref().take(group.operations.len()).collect()).collect())
}

/// The example of `op`, whose module is reached through `paths`; `formatted`
/// keeps the statements already formatted, by their tokens.
fn example(
    api: &Api,
    values: &Values<'_>,
    formatted: &mut HashMap<String, String>,
    op: &Operation,
    group_accessor: &str,
    paths: DocPaths<'_>,
) -> Result<Example, String> {
    let DocPaths { module, krate } = paths;
    let module_path: TokenStream = module.parse().map_err(|_| format!("internal error: bad module path {module}"))?;

    // With a relative server or none, the example's origin is a placeholder,
    // said so in a comment.
    let (base, uses_servers, placeholder) = match api.servers.first() {
        Some(server) if server.variables.is_empty() && !server.relative => {
            let name = ident(&server.name);
            (quote!(servers::#name), true, None)
        }
        Some(server) => {
            let name = ident(&server.name);
            let origin = server.relative.then_some(EXAMPLE_ORIGIN);
            // A variable's first value its helper accepts (the default, where it does).
            let values = server.variables.iter().map(|v| v.examples.first().unwrap_or(&v.default).as_str());
            let args = origin.into_iter().chain(values);
            let note = "// The spec gives this server as a path: join it to the API's origin.\n";
            (quote!(&servers::#name(#(#args),*)?), true, server.relative.then_some(note))
        }
        None => {
            let note = "// The spec names no server: give the API's base URL.\n";
            (quote!(#EXAMPLE_ORIGIN), false, Some(note))
        }
    };
    let credentials: Vec<TokenStream> = op
        .security
        .first()
        .into_iter()
        .flatten()
        .filter_map(|&index| api.security_schemes.get(index))
        .map(|scheme| {
            let setter = ident(&scheme.setter);
            match &scheme.kind {
                AuthKind::Basic => quote!(.#setter("username", "password")),
                AuthKind::Bearer => quote!(.#setter("your-token")),
                AuthKind::ApiKey { .. } => quote!(.#setter("your-api-key")),
                AuthKind::BodySignature { .. } => quote!(.#setter("your-application-id", "0123456789abcdef")),
            }
        })
        .collect();

    let mut call_statements = Vec::new();
    let mut arguments = Vec::new();
    let mut setters = Vec::new();
    // A walk over pages refuses what the server accepts once only.
    let mut walk_setters = Vec::new();
    let mut path_literals = Vec::new();
    for (index, param) in op.params.iter().enumerate() {
        // Lowering gives every required parameter an example.
        let example = op.examples.params.get(index).cloned().flatten().map(|example| example.value);
        let value = match (param.required, example) {
            (true, example) => example.unwrap_or_default(),
            (false, Some(example)) if !param.deprecated => example,
            (false, _) => continue,
        };
        if param.location == ParamLocation::Path {
            path_literals.push(match value.as_str() {
                Some(text) => format!("{text:?}"),
                None => value.to_string(),
            });
        }
        let argument = param_argument(values, &param.ty, &value);
        if param.required {
            arguments.push(argument);
        } else {
            let setter = ident(&param.ident);
            if param.role == HeaderRole::Plain {
                walk_setters.push(quote!(.#setter(#argument)));
            }
            setters.push(quote!(.#setter(#argument)));
        }
    }
    if let Some(body) = &op.body {
        let example = op.examples.body.clone().map(|example| example.value);
        if body.required || example.is_some() {
            let (construction, argument) = body_value(values, &body.kind, example.as_ref(), krate);
            call_statements.push(quote!(let body = #construction;));
            if body.required {
                arguments.push(argument);
            } else {
                walk_setters.push(quote!(.body(#argument)));
                setters.push(quote!(.body(#argument)));
            }
        }
    }
    let accessor = ident(group_accessor);
    let method_name = ident(&op.method_name);
    let call = quote!(client.#accessor().#method_name(#(#arguments),*) #(#setters)*);
    let walk_call = quote!(client.#accessor().#method_name(#(#arguments),*) #(#walk_setters)*);
    let walk = op.pagination.as_ref().map(|_| {
        let krate_ident = ident(krate);
        let mut statements = call_statements.clone();
        statements.push(quote! {
            use #krate_ident::futures_util::TryStreamExt;
            let mut items = #walk_call.items();
            while let Some(item) = items.try_next().await? {
                println!("{:?}", item);
            }
            let mut pages = #walk_call.pages();
            while let Some(page) = pages.try_next().await? {
                println!("{}: {:?}", page.status(), page.body());
            }
        });
        statements
    });
    let stream = stream_statements(op, &call, krate).map(|read| {
        let mut statements = call_statements.clone();
        statements.push(read);
        statements
    });
    // Not 429 or 503: the client retries those, and the stand-in answers once.
    let first_failure = op
        .failure
        .arms
        .iter()
        .enumerate()
        .find(|(_, arm)| !matches!(arm.status, StatusMatch::Default | StatusMatch::Code(429 | 503)));
    let failure_statements = first_failure.map(|_| {
        let mut statements = call_statements.clone();
        statements.push(quote! {
            match #call.send().await {
                Ok(response) => println!("{}", response.status()),
                Err(#module_path::Error::Api(error)) => println!("HTTP {}: {:?}", error.status(), error.body()),
                Err(other) => return Err(other.into()),
            }
        });
        statements
    });
    call_statements.push(quote! {
        let response = #call.send().await?;
    });
    let success_payload = match &op.success.ty {
        OutcomeType::Single(payload) => Some(payload),
        OutcomeType::Enum { .. } => None,
    };
    call_statements.push(match success_payload {
        Some(Payload::Empty) => quote!(println!("{}", response.status());),
        _ => quote!(println!("{:?}", response.body());),
    });

    let mentions_types = call_statements.iter().any(|s| s.to_string().contains("types ::"));
    let mut imports = vec![quote!(Client)];
    if uses_servers {
        imports.push(quote!(servers));
    }
    if mentions_types {
        imports.push(quote!(types));
    }
    let setup = quote! {
        use #module_path::{#(#imports),*};
        let client = Client::builder(#base) #(#credentials)* .build()?;
    };
    let stand_in = quote! {
        let client = Client::builder(server.uri()) #(#credentials)* .build()?;
    };

    let (status, answer) = match op.success.arms.first() {
        Some(arm) => stand_in_answer(arm, op.examples.success.first().cloned().flatten()),
        None => (200, None),
    };
    Ok(Example {
        setup: cached_statements(formatted, setup)?.replacen("let client", &format!("{}let client", placeholder.unwrap_or("")), 1),
        stand_in_client: cached_statements(formatted, stand_in)?,
        call: statements(quote!(#(#call_statements)*))?,
        walk: walk.map(|walk| statements(quote!(#(#walk)*))).transpose()?,
        stream: stream.map(|stream| statements(quote!(#(#stream)*))).transpose()?,
        failure: match (first_failure, failure_statements) {
            (Some((index, arm)), Some(calls)) => {
                let (status, answer) = stand_in_answer(arm, op.examples.failure.get(index).cloned().flatten());
                Some(Failure { call: statements(quote!(#(#calls)*))?, status, answer })
            }
            _ => None,
        },
        path_literals,
        method: op.http_method.clone(),
        status,
        answer,
    })
}

/// For an operation whose answer streams, `call` sent with its streaming
/// send and read to the end: chunks of bytes counted, events printed.
fn stream_statements(op: &Operation, call: &TokenStream, krate: &str) -> Option<TokenStream> {
    let krate = ident(krate);
    if op.streams_bytes().is_some_and(|streams| streams.download) {
        return Some(quote! {
            use #krate::futures_util::StreamExt;
            let mut body = #call.send_streaming().await?.into_inner();
            let mut read = 0;
            while let Some(chunk) = body.next().await {
                read += chunk?.len();
            }
            println!("{read} bytes");
        });
    }
    op.event_data()?;
    Some(quote! {
        use #krate::futures_util::StreamExt;
        let mut events = #call.send_events().await?.into_inner();
        while let Some(event) = events.next().await {
            let event = event?;
            println!("{} {:?}: {:?}", event.event(), event.id(), event.data());
        }
    })
}

/// How the stand-in answers for `arm`: its status (200 for a success `default`,
/// the range's first code for `2XX`) and body, from `example` (lowering gives
/// every JSON answer one).
fn stand_in_answer(arm: &ResponseArm, example: Option<ir::Example>) -> (u16, Option<(&'static str, String)>) {
    let example = example.map(|example| example.value);
    let status = match arm.status {
        StatusMatch::Code(code) => code,
        StatusMatch::Range(start) => start,
        StatusMatch::Default => 200,
    };
    let answer = match &arm.payload {
        Payload::Json(_) => Some(("application/json", example.unwrap_or_default().to_string())),
        Payload::Text => Some(("text/plain", example.as_ref().and_then(Value::as_str).unwrap_or("text").to_owned())),
        Payload::Binary => Some(("application/octet-stream", String::from("bytes"))),
        Payload::Events(_) => {
            // Lowering gives a typed stream's data an example.
            let data = match &example {
                Some(Value::String(text)) => text.clone(),
                Some(value) => value.to_string(),
                None => String::from("text"),
            };
            // One event: each line of the data its own `data` field.
            let fields: Vec<String> = data.lines().map(|line| format!("data: {line}\n")).collect();
            Some(("text/event-stream", format!("{}\n", fields.concat())))
        }
        Payload::Empty => None,
    };
    (status, answer)
}

/// A parameter's value as its argument or setter takes it (see
/// `operations::argument_type`): `&str`, scalars by value, slices, references.
fn param_argument(values: &Values<'_>, ty: &TypeRef, value: &Value) -> TokenStream {
    match ty {
        TypeRef::String => values.expr(ty, value, true),
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::Uuid | TypeRef::Date | TypeRef::DateTime => {
            values.expr(ty, value, false)
        }
        TypeRef::Vec(item) => {
            let items = value.as_array().into_iter().flatten().map(|v| values.expr(item, v, false));
            quote!(&[#(#items),*])
        }
        other => {
            let value = values.expr(other, value, false);
            quote!(&#value)
        }
    }
}

/// How the body is built, and how it is passed (see `operations::body_argument`).
fn body_value(values: &Values<'_>, kind: &BodyKind, example: Option<&Value>, krate: &str) -> (TokenStream, TokenStream) {
    let krate = ident(krate);
    let text = || example.and_then(Value::as_str).unwrap_or("example").to_owned();
    match kind {
        // Lowering gives every required JSON or form body an example.
        BodyKind::Json(ty) | BodyKind::Form(ty) => {
            let value = example.cloned().unwrap_or_default();
            (values.expr(ty, &value, false), quote!(&body))
        }
        BodyKind::Multipart => (quote!(#krate::reqwest::multipart::Form::new().text("field", "value")), quote!(body)),
        BodyKind::Text(_) => {
            let text = text();
            (quote!(#text), quote!(body))
        }
        BodyKind::Binary(_) => {
            let bytes = proc_macro2::Literal::byte_string(text().as_bytes());
            (quote!(#krate::bytes::Bytes::from_static(#bytes)), quote!(body))
        }
    }
}

/// [`statements`], formatted once per distinct `tokens`.
fn cached_statements(formatted: &mut HashMap<String, String>, tokens: TokenStream) -> Result<String, String> {
    let key = tokens.to_string();
    if let Some(text) = formatted.get(&key) {
        return Ok(text.clone());
    }
    let text = statements(tokens)?;
    formatted.insert(key, text.clone());
    Ok(text)
}

/// Statements formatted as a person would write them.
fn statements(tokens: TokenStream) -> Result<String, String> {
    let formatted = format_file("", quote!(fn wrapper() { #tokens }))?;
    let mut lines: Vec<&str> = formatted.lines().skip_while(|line| !line.starts_with("fn wrapper")).skip(1).collect();
    while lines.last().is_some_and(|line| line.trim().is_empty() || *line == "}") {
        lines.pop();
    }
    Ok(lines.iter().map(|line| format!("{}\n", line.strip_prefix("    ").unwrap_or(line))).collect())
}
