//! IR → the API module's root: the client, its credential setters and servers.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::doc_blocks;
use crate::emit::settings::Runtime;
use crate::emit::docs::doc_attrs;
use crate::emit::tokens::ident;
use crate::ir::{Api, ApiKeyLocation, AuthKind, SecurityScheme, Server, ServerPlace, TokenRefresh};

/// The items of the API module's root (`mod.rs`, or `lib.rs` of a standalone crate).
/// With `doc_module` (the module's path from outside its crate), each server
/// helper's examples run as its doctest; `runtime` is reached from the root.
pub fn root_module(api: &Api, deprecated_types: bool, doc_module: Option<&str>, runtime: Runtime) -> TokenStream {
    let allow_deprecated = deprecated_types.then(|| {
        quote!(#[allow(deprecated, reason = "the spec's deprecated types are still used by its operations")])
    });
    let servers = servers_module(&api.servers, doc_module, runtime.inner());
    let example = ProviderExample { doc_module, base: example_base(api) };
    let setters = api.security_schemes.iter().map(|scheme| {
        let fixed = setter(scheme, runtime);
        let provided = provider_setters(scheme, runtime, &example);
        quote!(#fixed #provided)
    });
    // The constants live in `schemes`, a module of the root.
    let in_schemes = runtime.inner().tokens();
    let constants = api.security_schemes.iter().enumerate().map(|(index, scheme)| {
        let name = ident(&scheme.constant);
        let index = Literal::usize_unsuffixed(index);
        let (key, setter) = (&scheme.key, scheme.setter.trim_start_matches("r#"));
        let doc = format!(" `{key}`, set with [`super::ClientBuilder::{setter}`].");
        quote! {
            #[doc = #doc]
            pub(crate) const #name: #in_schemes::Scheme = #in_schemes::Scheme::new(#index, #key, #setter);
        }
    });
    let setters = (!api.security_schemes.is_empty()).then(|| {
        quote! {
            impl ClientBuilder {
                #(#setters)*
            }

            /// The security schemes of this API, as its operations require them.
            mod schemes {
                #(#constants)*
            }
        }
    });
    let title = &api.title;
    let client_doc = format!(" A client of {title}; start with [`Client::builder`].");
    let runtime = runtime.tokens();
    // What the provider setters take, where the API has them.
    let providers = api.security_schemes.iter().any(|scheme| scheme.provider_setter.is_some()).then(|| {
        quote!(pub use #runtime::{BoxError, CredentialProvider, Token};)
    });
    let client_credentials = api.security_schemes.iter().any(|scheme| scheme.client_credentials.is_some()).then(|| {
        quote!(pub use #runtime::{ClientCredentials, TokenError};)
    });
    quote! {
        #allow_deprecated
        pub mod operations;
        #allow_deprecated
        pub mod types;

        pub use #runtime::{Error, ResponseValue, RetryPolicy};
        #providers
        #client_credentials

        /// Marks the runtime's client as a client of this API, which gives it
        /// this API's operations and credential setters.
        #[derive(Debug)]
        pub enum Api {}

        #[doc = #client_doc]
        pub type Client = #runtime::Client<Api>;

        /// Configures a [`Client`]: base URL, credentials, timeout, retries.
        pub type ClientBuilder = #runtime::ClientBuilder<Api>;

        #setters
        #servers
    }
}

/// The credential setter of `scheme`, on `ClientBuilder` in the root.
fn setter(scheme: &SecurityScheme, runtime: Runtime) -> TokenStream {
    let runtime = runtime.tokens();
    let name = ident(&scheme.setter);
    let constant = ident(&scheme.constant);
    let key = &scheme.key;
    let (summary, args, credential) = match &scheme.kind {
        AuthKind::Basic => (
            format!("Authenticates with HTTP Basic credentials (security scheme `{key}`)."),
            quote!(username: impl Into<String>, password: impl Into<String>),
            quote!(#runtime::Credential::basic(username.into(), password.into())),
        ),
        AuthKind::Bearer => (
            format!("Authenticates with a bearer token (security scheme `{key}`)."),
            quote!(token: impl Into<String>),
            quote!(#runtime::Credential::bearer(token.into())),
        ),
        AuthKind::BodySignature { header, format } => (
            format!(
                "Signs each request's body for the `{header}` header (security scheme `{key}`): \
                 an HMAC-MD5 of the exact body, keyed with the hex-decoded `key_hex`, sent as \
                 `{}`. A key that is not hexadecimal makes each call fail with \
                 `Error::InvalidRequest` before sending.",
                format.replace("{signer}", "<signer>").replace("{signature}", "<signature>")
            ),
            quote!(signer: impl Into<String>, key_hex: impl AsRef<str>),
            quote!(#runtime::Credential::hmac_md5_signature(#header, #format, signer.into(), key_hex.as_ref())),
        ),
        AuthKind::ApiKey { location, name, prefix } => {
            let (place, constructor) = match location {
                ApiKeyLocation::Query => ("query parameter", quote!(query)),
                ApiKeyLocation::Cookie => ("cookie", quote!(cookie)),
                ApiKeyLocation::Header => ("header", quote!(header)),
            };
            let value = match prefix {
                Some(prefix) => {
                    let prefix = format!("{} ", prefix.trim_end());
                    quote!(format!("{}{}", #prefix, key.into()))
                }
                None => quote!(key.into()),
            };
            let sent = match prefix {
                Some(prefix) => format!(" as `{} <key>`", prefix.trim_end()),
                None => String::new(),
            };
            (
                format!("Authenticates with an API key sent in the `{name}` {place}{sent} (security scheme `{key}`)."),
                quote!(key: impl Into<String>),
                quote!(#runtime::Credential::#constructor(#name, #value)),
            )
        }
    };
    let docs = doc_attrs(Some(&match &scheme.description {
        Some(description) => format!("{summary}\n\n{description}"),
        None => summary,
    }));
    quote! {
        #docs
        pub fn #name(self, #args) -> Self {
            self.credential(schemes::#constant, #credential)
        }
    }
}

/// What the provider setters' doctests build the client with.
struct ProviderExample<'a> {
    /// The module's path from outside its crate; no doctest without it.
    doc_module: Option<&'a str>,
    /// The base URL expression (`servers::PRODUCTION`) and whether it needs `servers`.
    base: (String, bool),
}

/// The base URL the examples use: the first server without variables, else
/// the placeholder origin.
pub(crate) fn example_base(api: &Api) -> (String, bool) {
    match api.servers.iter().find(|server| server.variables.is_empty() && !server.relative) {
        Some(server) => (format!("servers::{}", server.name), true),
        None => (format!("{EXAMPLE_ORIGIN:?}"), false),
    }
}

/// The setters taking a provider of the credential and, for an OAuth 2
/// client credentials flow, the client's id and secret.
fn provider_setters(scheme: &SecurityScheme, runtime: Runtime, example: &ProviderExample<'_>) -> TokenStream {
    let runtime = runtime.tokens();
    let constant = ident(&scheme.constant);
    let key = &scheme.key;
    let provider = scheme.provider_setter.as_ref().map(|name| {
        let placement = match &scheme.kind {
            AuthKind::ApiKey { location, name, prefix } => {
                let location = match location {
                    ApiKeyLocation::Query => quote!(Query),
                    ApiKeyLocation::Cookie => quote!(Cookie),
                    ApiKeyLocation::Header => quote!(Header),
                };
                let prefix = match prefix {
                    Some(prefix) => {
                        let prefix = prefix.trim_end();
                        quote!(::std::option::Option::Some(#prefix))
                    }
                    None => quote!(::std::option::Option::None),
                };
                quote!(#runtime::Placement::ApiKey { location: #runtime::ApiKeyLocation::#location, name: #name, prefix: #prefix })
            }
            _ => quote!(#runtime::Placement::Bearer),
        };
        let what = if matches!(scheme.kind, AuthKind::ApiKey { .. }) { "API keys" } else { "bearer tokens" };
        let doc = format!(
            "Authenticates with {what} asked of `provider` when needed (security scheme `{key}`), instead of \
             a fixed value set with `{}`.\n\nThe client caches the token until shortly before it expires \
             (see `ClientBuilder::refresh_skew`), asks the provider once however many calls need a new \
             one at the same moment, and when the API answers `401 Unauthorized` to a call, asks for a \
             new token and sends the call once more (a second `401` is returned as the API's answer). \
             An error of the provider ends the calls waiting for it with `Error::Credentials`.",
            scheme.setter.trim_start_matches("r#")
        );
        let setter = name.trim_start_matches("r#");
        let refresh = scheme.token_refresh.as_ref().zip(example.doc_module).map(|(refresh, module)| {
            let mut lines = vec![String::new(), String::from(" With the API's refresh token:")];
            lines.extend(doctest_lines(module, &refresh_example(module, &example.base, setter, refresh)).into_iter().skip(2));
            doc_blocks::doc_attrs(lines)
        });
        let example = example.doc_module.map(|module| doc_blocks::doc_attrs(doctest_lines(module, &provider_example(module, &example.base, setter))));
        let docs = doc_attrs(Some(&doc));
        let name = ident(name);
        quote! {
            #docs
            #example
            #refresh
            pub fn #name(self, provider: impl #runtime::CredentialProvider) -> Self {
                self.credential(schemes::#constant, #runtime::Credential::provided(#placement, provider))
            }
        }
    });
    let flow = scheme.client_credentials.as_ref().map(|flow| {
        let scopes = &flow.scopes;
        let token_url = &flow.token_url;
        let asked = if scopes.is_empty() {
            String::from("no scope")
        } else {
            let listed: Vec<String> = scopes.iter().map(|scope| format!("`{scope}`")).collect();
            format!("the scopes the operations list ({})", listed.join(", "))
        };
        let doc = format!(
            "Authenticates with OAuth 2 client credentials (security scheme `{key}`): bearer tokens \
             are fetched from `{token_url}` (RFC 6749 §4.4; a relative URL is resolved against the \
             client's base URL) with the client id and secret in HTTP Basic, asking for {asked} unless \
             `credentials` names others.\n\nThe token request goes through the client's HTTP client, \
             redirect policy, response size limit and timeout. Tokens are cached until shortly before \
             their `expires_in`, fetched once for any number of concurrent calls, and renewed once when \
             the API answers `401`. A refusal or an unusable answer of the token endpoint ends the call \
             with `Error::Credentials`, whose source is a `TokenError`; no message carries the secret."
        );
        let setter = flow.setter.trim_start_matches("r#");
        let example =
            example.doc_module.map(|module| doc_blocks::doc_attrs(doctest_lines(module, &client_credentials_example(module, &example.base, setter))));
        let docs = doc_attrs(Some(&doc));
        let name = ident(&flow.setter);
        quote! {
            #docs
            #example
            pub fn #name(self, credentials: #runtime::ClientCredentials) -> Self {
                self.credential(schemes::#constant, #runtime::Credential::client_credentials(credentials, #token_url, &[#(#scopes),*]))
            }
        }
    });
    quote!(#provider #flow)
}

/// The example of a provider setter, as a doctest that compiles (the
/// provider would be asked only when a call is made).
pub(crate) fn provider_example(module: &str, base: &(String, bool), setter: &str) -> String {
    let servers = if base.1 { ", servers" } else { "" };
    format!(
        "use std::time::Duration;\n\
         use {module}::{{Client, Token{servers}}};\n\n\
         let client = Client::builder({base})\n    \
         .{setter}(|| async {{\n        \
         // Fetch the credential here: from your identity provider, a vault…\n        \
         let secret = String::from(\"<token>\");\n        \
         Ok(Token::new(secret).expires_in(Duration::from_secs(3600)))\n    \
         }})\n    \
         .build()?;\n",
        base = base.0
    )
}

/// `code` as the `# Example` doctest of an item, returning the module's `Error`.
fn doctest_lines(module: &str, code: &str) -> Vec<String> {
    let mut lines = vec![String::new(), String::from(" # Example"), String::new(), String::from(" ```")];
    lines.extend(code.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") }));
    lines.push(format!(" # Ok::<(), {module}::Error>(())"));
    lines.push(String::from(" ```"));
    lines
}

/// The example of a provider that trades the API's refresh token for access
/// tokens at the endpoint `x-token-refresh` names.
pub(crate) fn refresh_example(module: &str, base: &(String, bool), setter: &str, refresh: &TokenRefresh) -> String {
    let krate = module.split("::").next().unwrap_or(module);
    let servers = if base.1 { ", servers" } else { "" };
    let TokenRefresh { path, token, expires_at } = refresh;
    format!(
        "use std::sync::Arc;\n\
         use std::time::{{Duration, SystemTime}};\n\
         use {krate}::{{chrono, reqwest, serde_json}};\n\
         use {module}::{{Client, Token{servers}}};\n\n\
         // The refresh token the API's authentication handed out, kept for the client's life.\n\
         let refresh_token: Arc<str> = Arc::from(\"<refresh token>\");\n\
         let refresh_url = format!(\"{{}}{path}\", {base});\n\
         let http = reqwest::Client::new();\n\
         let client = Client::builder({base})\n    \
         .{setter}(move || {{\n        \
         let (http, url, refresh_token) = (http.clone(), refresh_url.clone(), Arc::clone(&refresh_token));\n        \
         async move {{\n            \
         // Trades the refresh token (sent as the bearer) for a new access token.\n            \
         let answer = http.post(url).bearer_auth(&*refresh_token).send().await?.error_for_status()?.bytes().await?;\n            \
         let answer: serde_json::Value = serde_json::from_slice(&answer)?;\n            \
         let text = |pointer: &str| answer.pointer(pointer).and_then(serde_json::Value::as_str);\n            \
         let token = text({token:?}).ok_or(\"the answer has no access token\")?;\n            \
         let expiry = text({expires_at:?}).ok_or(\"the answer has no expiry\")?;\n            \
         let expiry = SystemTime::from(chrono::DateTime::parse_from_rfc3339(expiry)?);\n            \
         let lifetime = expiry.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO);\n            \
         Ok(Token::new(token).expires_in(lifetime))\n        \
         }}\n    \
         }})\n    \
         .build()?;\n",
        base = base.0
    )
}

/// The example of a client-credentials setter.
pub(crate) fn client_credentials_example(module: &str, base: &(String, bool), setter: &str) -> String {
    let servers = if base.1 { ", servers" } else { "" };
    format!(
        "use {module}::{{Client, ClientCredentials{servers}}};\n\n\
         let client = Client::builder({base})\n    \
         .{setter}(ClientCredentials::new(\"<client id>\", \"<client secret>\"))\n    \
         .build()?;\n",
        base = base.0
    )
}


/// The `servers` module; with `doc_module`, each helper's examples run as its
/// doctest. `runtime` is reached from `servers`.
fn servers_module(servers: &[Server], doc_module: Option<&str>, runtime: Runtime) -> Option<TokenStream> {
    if servers.is_empty() {
        return None;
    }
    let runtime = runtime.tokens();
    let items = servers.iter().map(|server| {
        let name = ident(&server.name);
        let url = &server.url;
        let mut doc = server.description.clone().unwrap_or_else(|| String::from("A server of this API."));
        doc.push_str(&format!("\n\n`{url}`"));
        let example = doc_module.and_then(|module| server_doctest(module, server));
        if server.variables.is_empty() && !server.relative {
            let docs = doc_attrs(Some(&doc));
            return quote! { #docs #example pub const #name: &str = #url; };
        }
        if server.relative {
            doc.push_str(
                "\n\nA path on the API's host, which the spec does not name: this joins it to `origin`, \
                 an http(s) URL with no path, query or fragment (`https://api.example.com`).",
            );
        }
        let path = if server.relative { url.trim_end_matches('/') } else { url };
        let mut template = path.replace('{', "{{").replace('}', "}}");
        if server.relative {
            template.insert_str(0, "{origin}");
        }
        for variable in &server.variables {
            let bare = variable.ident.trim_start_matches("r#");
            template = template.replace(&format!("{{{{{}}}}}", variable.wire), &format!("{{{bare}}}"));
            let values: Vec<String> = variable.values.iter().map(|value| format!("`{value}`")).collect();
            let values = if values.is_empty() { String::new() } else { format!("; one of {}", values.join(", ")) };
            doc.push_str(&format!(
                "\n\n- `{}`: {} (default `{}`{values})",
                bare,
                variable.description.as_deref().unwrap_or("a server variable").trim(),
                variable.default
            ));
        }
        if !server.variables.is_empty() {
            doc.push_str("\n\nA value that could point the client elsewhere (a host label holding `/`, say) is refused.");
        }
        let docs = doc_attrs(Some(&doc));
        let origin = server.relative.then(|| quote!(origin: &str));
        let origin_check = server.relative.then(|| quote!(let origin = #runtime::server_origin(origin)?;));
        let params = origin.into_iter().chain(server.variables.iter().map(|v| {
            let name = ident(&v.ident);
            quote!(#name: &str)
        }));
        let checks = server.variables.iter().map(|v| {
            let name = ident(&v.ident);
            let wire = &v.wire;
            let place = match v.place {
                ServerPlace::Scheme => quote!(Scheme),
                ServerPlace::Subdomain => quote!(Subdomain),
                ServerPlace::HostLabel => quote!(HostLabel),
                ServerPlace::Host => quote!(Host),
                ServerPlace::Port => quote!(Port),
                ServerPlace::Path => quote!(Path),
            };
            let values = &v.values;
            quote!(#runtime::server_variable(#wire, #name, #runtime::ServerPlace::#place, &[#(#values),*])?;)
        });
        // A URL that is one variable is that variable's value.
        let whole = (!server.relative && server.variables.len() == 1 && server.url == format!("{{{}}}", server.variables[0].wire))
            .then(|| ident(&server.variables[0].ident));
        let url = match whole {
            Some(variable) => quote!(#variable.to_owned()),
            // A relative server `/` is the origin itself.
            None if template == "{origin}" => quote!(origin.to_owned()),
            None => quote!(format!(#template)),
        };
        quote! {
            #docs
            #example
            pub fn #name(#(#params),*) -> Result<String, #runtime::Error> {
                #origin_check
                #(#checks)*
                Ok(#url)
            }
        }
    });
    Some(quote! {
        /// The servers this API is documented at; pass one to [`Client::builder`].
        /// A server the spec gives as a path (`/v2`) is a function joining it
        /// to the origin the caller gives.
        pub mod servers {
            #(#items)*
        }
    })
}

/// The origin a relative server's doctest joins it to.
pub(super) const EXAMPLE_ORIGIN: &str = "https://api.example.com";

/// A doctest of the item of `server` (reached at `doc_module::servers`),
/// proving `Client::builder` takes its URL. For a helper: one call with each
/// variable's first example (its default, unless the helper refuses that),
/// then one per further example of each variable, each asserting the URL
/// made. None when a variable has no example the helper takes.
fn server_doctest(doc_module: &str, server: &Server) -> Option<TokenStream> {
    let mut lines = vec![String::new(), String::from(" # Example"), String::new(), String::from(" ```")];
    lines.push(format!(" use {doc_module}::{{Client, servers}};"));
    if server.variables.is_empty() && !server.relative {
        lines.push(format!(" Client::builder(servers::{}).build()?;", server.name));
        lines.push(format!(" # Ok::<(), {doc_module}::Error>(())"));
        lines.push(String::from(" ```"));
        return Some(doc_blocks::doc_attrs(lines));
    }
    let firsts: Vec<&str> =
        server.variables.iter().map(|v| v.examples.first().map(String::as_str)).collect::<Option<_>>()?;
    let mut calls = vec![firsts.clone()];
    for (index, variable) in server.variables.iter().enumerate() {
        for value in variable.examples.iter().skip(1) {
            let mut call = firsts.clone();
            call[index] = value;
            calls.push(call);
        }
    }
    let (start, origin) = if server.relative {
        (server.url.trim_end_matches('/'), Some(format!("{EXAMPLE_ORIGIN:?}")))
    } else {
        (server.url.as_str(), None)
    };
    for (index, call) in calls.into_iter().enumerate() {
        let url = server.variables.iter().zip(&call).fold(start.to_owned(), |url, (variable, value)| {
            url.replace(&format!("{{{}}}", variable.wire), value)
        });
        let url = if server.relative { format!("{EXAMPLE_ORIGIN}{url}") } else { url };
        let args: Vec<String> = origin.iter().cloned().chain(call.iter().map(|value| format!("{value:?}"))).collect();
        let made = format!("servers::{}({})?", server.name, args.join(", "));
        lines.push(format!(" assert_eq!({made}, {url:?});"));
        if index == 0 {
            lines.push(format!(" Client::builder({made}).build()?;"));
        }
    }
    lines.push(format!(" # Ok::<(), {doc_module}::Error>(())"));
    lines.push(String::from(" ```"));
    Some(doc_blocks::doc_attrs(lines))
}
