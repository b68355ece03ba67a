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
use crate::emit::settings::DocPaths;
use crate::emit::tokens::ident;
use crate::emit::values::Values;
use crate::ir::{Api, AuthKind, BodyKind, Operation, OutcomeType, Payload, StatusMatch, TypeRef};

/// An operation's example, in the pieces the guide and the doctest arrange.
pub struct Example {
    /// `use …;` and the client, visible.
    setup: String,
    /// The same client pointed at the stand-in server, hidden.
    stand_in_client: String,
    /// The body, the call and what is done with the answer, visible.
    call: String,
    /// How the stand-in answers: the method it expects, status, media type and body.
    method: String,
    status: u16,
    answer: Option<(&'static str, String)>,
}

impl Example {
    /// The example as the guide shows it: the code inside an async function
    /// returning `Result<_, Box<dyn std::error::Error>>`.
    pub fn visible(&self) -> String {
        format!("{}\n{}", self.setup, self.call)
    }

    /// The doctest: the visible example with its hidden stand-in server.
    pub fn doctest(&self) -> String {
        let hidden = |text: &str| text.lines().map(|line| format!("# {line}\n")).collect::<String>();
        let method = &self.method;
        let status = self.status;
        let respond = match &self.answer {
            Some((media, body)) => {
                format!("wiremock::ResponseTemplate::new({status}).set_body_raw({}, \"{media}\")", raw_string(body))
            }
            None => format!("wiremock::ResponseTemplate::new({status})"),
        };
        let mut out = String::new();
        out.push_str(&hidden(&format!(
            "#[tokio::main(flavor = \"current_thread\")]\n\
             async fn main() -> Result<(), Box<dyn std::error::Error>> {{\n\
             let server = wiremock::MockServer::start().await;\n\
             wiremock::Mock::given(wiremock::matchers::method(\"{method}\"))\n    \
             .respond_with({respond})\n    .expect(1)\n    .mount(&server)\n    .await;"
        )));
        out.push_str(&self.setup);
        out.push_str(&hidden(&self.stand_in_client));
        out.push_str(&self.call);
        out.push_str(&hidden("Ok(())\n}"));
        out
    }
}

/// `text` as a raw string literal.
fn raw_string(text: &str) -> String {
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

    let (base, uses_servers) = match api.servers.first() {
        Some(server) if server.variables.is_empty() => {
            let name = ident(&server.name);
            (quote!(servers::#name), true)
        }
        Some(server) => {
            let name = ident(&server.name);
            let defaults = server.variables.iter().map(|v| v.default.as_str());
            (quote!(&servers::#name(#(#defaults),*)?), true)
        }
        None => (quote!("https://api.example.com"), false),
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
    for (index, param) in op.params.iter().enumerate() {
        let example = op.examples.params.get(index).cloned().flatten();
        let value = match (param.required, example) {
            (true, example) => example.unwrap_or_else(|| values.sample(&param.ty)),
            (false, Some(example)) if !param.deprecated => example,
            (false, _) => continue,
        };
        let argument = param_argument(values, &param.ty, &value);
        if param.required {
            arguments.push(argument);
        } else {
            let setter = ident(&param.ident);
            setters.push(quote!(.#setter(#argument)));
        }
    }
    if let Some(body) = &op.body {
        let example = op.examples.body.clone();
        if body.required || example.is_some() {
            let (construction, argument) = body_value(values, &body.kind, example.as_ref(), krate);
            call_statements.push(quote!(let body = #construction;));
            if body.required {
                arguments.push(argument);
            } else {
                setters.push(quote!(.body(#argument)));
            }
        }
    }
    let accessor = ident(group_accessor);
    let method_name = ident(&op.method_name);
    call_statements.push(quote! {
        let response = client.#accessor().#method_name(#(#arguments),*) #(#setters)* .send().await?;
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

    let first = op.success.arms.first();
    let status = match first.map(|arm| arm.status) {
        Some(StatusMatch::Code(code)) => code,
        Some(StatusMatch::Range(start)) => start,
        _ => 200,
    };
    let example_answer = op.examples.success.first().cloned().flatten();
    let answer = match first.map(|arm| &arm.payload) {
        Some(Payload::Json(ty)) => {
            let value = example_answer.unwrap_or_else(|| values.sample(ty));
            Some(("application/json", value.to_string()))
        }
        Some(Payload::Text) => Some(("text/plain", example_answer.as_ref().and_then(Value::as_str).unwrap_or("text").to_owned())),
        Some(Payload::Binary) => Some(("application/octet-stream", String::from("bytes"))),
        Some(Payload::Empty) | None => None,
    };
    Ok(Example {
        setup: cached_statements(formatted, setup)?,
        stand_in_client: cached_statements(formatted, stand_in)?,
        call: statements(quote!(#(#call_statements)*))?,
        method: op.http_method.clone(),
        status,
        answer,
    })
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
        BodyKind::Json(ty) | BodyKind::Form(ty) => {
            let value = example.cloned().unwrap_or_else(|| values.sample(ty));
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
