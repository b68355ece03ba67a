//! IR → the API module's root: the client, its credential setters and servers.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::doc_blocks;
use crate::emit::settings::Runtime;
use crate::emit::docs::doc_attrs;
use crate::emit::tokens::ident;
use crate::ir::{Api, AuthKind, ParamLocation, SecurityScheme, Server, ServerPlace};

/// The items of the API module's root (`mod.rs`, or `lib.rs` of a standalone crate).
/// With `doc_module` (the module's path from outside its crate), each server
/// helper's examples run as its doctest; `runtime` is reached from the root.
pub fn root_module(api: &Api, deprecated_types: bool, doc_module: Option<&str>, runtime: Runtime) -> TokenStream {
    let allow_deprecated = deprecated_types.then(|| {
        quote!(#[allow(deprecated, reason = "the spec's deprecated types are still used by its operations")])
    });
    let servers = servers_module(&api.servers, doc_module, runtime.inner());
    let setters = api.security_schemes.iter().map(|scheme| setter(scheme, runtime));
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
    quote! {
        #allow_deprecated
        pub mod operations;
        #allow_deprecated
        pub mod types;

        pub use #runtime::{Error, ResponseValue, RetryPolicy};

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
                ParamLocation::Query => ("query parameter", quote!(query)),
                ParamLocation::Cookie => ("cookie", quote!(cookie)),
                ParamLocation::Header | ParamLocation::Path => ("header", quote!(header)),
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
        if server.variables.is_empty() {
            let docs = doc_attrs(Some(&doc));
            return quote! { #docs pub const #name: &str = #url; };
        }
        let mut template = url.replace('{', "{{").replace('}', "}}");
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
        doc.push_str("\n\nA value that could point the client elsewhere (a host label holding `/`, say) is refused.");
        let docs = doc_attrs(Some(&doc));
        let example = doc_module.and_then(|module| server_doctest(module, server));
        let params = server.variables.iter().map(|v| {
            let name = ident(&v.ident);
            quote!(#name: &str)
        });
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
        let whole = (server.variables.len() == 1 && server.url == format!("{{{}}}", server.variables[0].wire))
            .then(|| ident(&server.variables[0].ident));
        let url = match whole {
            Some(variable) => quote!(#variable.to_owned()),
            None => quote!(format!(#template)),
        };
        quote! {
            #docs
            #example
            pub fn #name(#(#params),*) -> Result<String, #runtime::Error> {
                #(#checks)*
                Ok(#url)
            }
        }
    });
    Some(quote! {
        /// The servers this API is documented at; pass one to [`Client::builder`].
        pub mod servers {
            #(#items)*
        }
    })
}

/// A doctest of the helper of `server` (reached at `doc_module::servers`):
/// one call with each variable's first example (its default, unless the
/// helper refuses that), then one per further example of each variable, each
/// asserting the URL made. None when a variable has no example the helper takes.
fn server_doctest(doc_module: &str, server: &Server) -> Option<TokenStream> {
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
    let mut lines = vec![String::new(), String::from(" # Example"), String::new(), String::from(" ```")];
    lines.push(format!(" use {doc_module}::servers;"));
    for call in calls {
        let url = server.variables.iter().zip(&call).fold(server.url.clone(), |url, (variable, value)| {
            url.replace(&format!("{{{}}}", variable.wire), value)
        });
        let args: Vec<String> = call.iter().map(|value| format!("{value:?}")).collect();
        lines.push(format!(" assert_eq!(servers::{}({})?, {url:?});", server.name, args.join(", ")));
    }
    lines.push(format!(" # Ok::<(), {doc_module}::Error>(())"));
    lines.push(String::from(" ```"));
    Some(doc_blocks::doc_attrs(lines))
}
