//! `servers` → the IR's servers: each URL template's variables, where each
//! stands in the URL, and the values the spec gives for them, checked by the
//! same code the generated helpers run.

use openapiv3::OpenAPI;

use crate::diagnostics::Reporter;
use crate::pointer::pointer_push;
use crate::ir::{Server, ServerVariable};
use crate::naming::{Scope, constant, snake};
use crate::server_rules::{self, ServerPlace};

/// The servers of `openapi`; a `default`, `enum` value or `x-examples` value
/// the variable's helper would refuse is a warning at that value.
pub(super) fn servers(openapi: &OpenAPI, reporter: &mut Reporter<'_>) -> Vec<Server> {
    let mut scope = Scope::default();
    openapi
        .servers
        .iter()
        .enumerate()
        .map(|(index, server)| {
            let pointer = format!("/servers/{index}");
            let fallback = format!("server_{}", index + 1);
            let raw_name = server.description.as_deref().filter(|d| d.len() <= 40).unwrap_or(&fallback);
            let variables = server.variables.as_ref();
            let (url, relative) = absolute(&server.url, &pointer_push(&pointer, "url"), reporter);
            // Variables in the order the URL uses them.
            let mut ordered = Vec::new();
            let mut rest = url.as_str();
            let mut names = Scope::default();
            if relative {
                // The helper's first parameter.
                names.claim(String::from("origin"));
            }
            while let Some(open) = rest.find('{') {
                let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
                let wire = &rest[open + 1..close];
                // A variable used twice is checked for its first place. The
                // places come in the order scheme, host, port, path, and what
                // an earlier one takes (letters, digits, `-`, `.`) moves no
                // later one to another origin: at worst the URL does not parse.
                if !ordered.iter().any(|v: &ServerVariable| v.wire == wire) {
                    let at = url.len() - rest.len();
                    let mut variable = ServerVariable {
                        wire: wire.to_owned(),
                        ident: names.claim(capturable(snake(wire, "variable"))),
                        default: String::new(),
                        description: None,
                        place: server_place(&url, at + open, at + close + 1, variables.and_then(|v| v.get(wire)).map(|v| v.default.as_str())),
                        values: Vec::new(),
                        examples: Vec::new(),
                    };
                    match variables.and_then(|v| v.get(wire)) {
                        Some(found) => {
                            let here = pointer_push(&pointer_push(&pointer, "variables"), wire);
                            spec_values(&mut variable, found, &here, reporter);
                        }
                        None => reporter.warning(
                            &pointer_push(&pointer, "url"),
                            format!("server variable `{wire}` is not declared under `variables`; its default is empty"),
                        ),
                    }
                    ordered.push(variable);
                }
                rest = &rest[close + 1..];
            }
            let constant_url = ordered.is_empty() && !relative;
            let name = if constant_url { constant(raw_name, &fallback) } else { snake(raw_name, &fallback) };
            Server { name: scope.claim(name), url, description: server.description.clone(), variables: ordered, relative }
        })
        .collect()
}

/// The server URL `url` (at `pointer`) as the client takes it, and whether it
/// is a path to join to the caller's origin (`/v2`, `/`, or an empty URL).
/// A scheme-relative URL (`//host/p`) or a bare host (`host/p`) becomes
/// `https://host/p`, with a warning.
fn absolute(url: &str, pointer: &str, reporter: &mut Reporter<'_>) -> (String, bool) {
    if url.is_empty() {
        return (String::from("/"), true);
    }
    if url.starts_with("//") {
        reporter.warning(pointer, format!("server URL `{url}` has no scheme; the client uses `https:{url}`"));
        return (format!("https:{url}"), false);
    }
    if url.starts_with('/') {
        return (url.to_owned(), true);
    }
    if url.contains("://") {
        return (url.to_owned(), false);
    }
    // A variable standing for the whole origin (Azure's `{Endpoint}/anomalyfinder/v2.0`,
    // "protocol and hostname"): the path after it is joined to the origin the caller gives.
    if let Some((variable, path)) = url.strip_prefix('{').and_then(|rest| rest.split_once('}'))
        && (path.is_empty() || path.starts_with('/'))
    {
        let path = if path.is_empty() { "/" } else { path };
        reporter.warning(
            pointer,
            format!("server URL `{url}` starts with the variable `{variable}`, an origin; its helper takes the origin and joins `{path}` to it"),
        );
        return (path.to_owned(), true);
    }
    reporter.warning(pointer, format!("server URL `{url}` has no scheme; the client uses `https://{url}`"));
    (format!("https://{url}"), false)
}

/// Fills in what the spec says of `variable` (declared at `pointer`): its
/// default, `enum` and examples (`x-examples`: a list of strings). Each value
/// goes through the helper's check; the ones it passes are the examples the
/// helper's doctest calls it with: the default, one other `enum` value and
/// the `x-examples`.
fn spec_values(variable: &mut ServerVariable, found: &openapiv3::ServerVariable, pointer: &str, reporter: &mut Reporter<'_>) {
    variable.default = found.default.clone();
    variable.description = found.description.clone();
    variable.values = found.enumeration.clone();
    let mut given: Vec<(String, &str, String)> = vec![(pointer_push(pointer, "default"), "the `default`", found.default.clone())];
    let enum_pointer = pointer_push(pointer, "enum");
    for (index, value) in found.enumeration.iter().enumerate() {
        given.push((pointer_push(&enum_pointer, &index.to_string()), "an `enum` value", value.clone()));
    }
    if let Some(examples) = found.extensions.get("x-examples") {
        let examples_pointer = pointer_push(pointer, "x-examples");
        match examples.as_array().filter(|items| items.iter().all(serde_json::Value::is_string)) {
            Some(items) => {
                for (index, item) in items.iter().enumerate() {
                    let value = item.as_str().unwrap_or_default().to_owned();
                    given.push((pointer_push(&examples_pointer, &index.to_string()), "an `x-examples` value", value));
                }
            }
            None => reporter.warning(&examples_pointer, "`x-examples` of a server variable is a list of strings; it is ignored"),
        }
    }
    let mut enum_example = false;
    for (here, what, value) in given {
        if let Err(message) = check(variable, &value) {
            reporter.warning(&here, format!("{what} of a server variable is refused by its helper: {message}"));
            continue;
        }
        // One enum value besides the default is enough for an example.
        let is_enum = what == "an `enum` value";
        if variable.examples.contains(&value) || (is_enum && enum_example) {
            continue;
        }
        enum_example |= is_enum;
        variable.examples.push(value);
    }
}

/// What the generated helper says of `value` for `variable`.
fn check(variable: &ServerVariable, value: &str) -> Result<(), String> {
    let allowed: Vec<&str> = variable.values.iter().map(String::as_str).collect();
    server_rules::refusal(&variable.wire, value, variable.place, &allowed)
}

/// Where the variable spanning `start..end` of the URL template `url` stands
/// (see the runtime's `ServerPlace` for why the host has three places). One
/// ending the authority whose `default` starts with `/` is the path
/// (`https://api.ebay.com{basePath}`, `basePath: /buy/deal/v1`).
fn server_place(url: &str, start: usize, end: usize, default: Option<&str>) -> ServerPlace {
    let Some(scheme_end) = url.find("://") else { return ServerPlace::Path };
    if start < scheme_end {
        return ServerPlace::Scheme;
    }
    let authority_start = scheme_end + 3;
    let authority_end = url[authority_start..].find('/').map_or(url.len(), |i| authority_start + i);
    if start >= authority_end || (end == authority_end && default.is_some_and(|d| d.starts_with('/'))) {
        return ServerPlace::Path;
    }
    let authority = &url[authority_start..authority_end];
    let host_start = authority.rfind('@').map_or(authority_start, |at| authority_start + at + 1);
    let port_colon = url[host_start..authority_end].rfind(':').map(|i| host_start + i);
    let host_end = port_colon.unwrap_or(authority_end);
    if port_colon.is_some_and(|colon| start > colon) {
        return ServerPlace::Port;
    }
    if start == host_start && end == host_end {
        return ServerPlace::Host;
    }
    // The literal end of the host, after its last variable: `.example.com`
    // of `{tenant}.example.com`. Whole labels in it keep the domain fixed.
    let tail_start = url[host_start..host_end].rfind('}').map_or(host_start, |i| host_start + i + 1);
    let fixed_label = url[tail_start..host_end].trim_end_matches('.').contains('.');
    if start >= host_start && fixed_label { ServerPlace::Subdomain } else { ServerPlace::HostLabel }
}

/// `format!` captures plain identifiers only: `r#type` becomes `type_`.
fn capturable(ident: String) -> String {
    match ident.strip_prefix("r#") {
        Some(bare) => format!("{bare}_"),
        None => ident,
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    /// Each variable of each server URL with its place, then the examples
    /// its doctest uses, then the warnings.
    fn places(servers: &str) -> String {
        let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nservers:\n{servers}");
        let document =
            crate::load::load_str(std::path::Path::new("spec.yaml"), text).expect("the snippet loads");
        let api = super::super::lower(&document).expect("the snippet lowers");
        let mut out = String::new();
        for server in &api.servers {
            out.push_str(&server.url);
            out.push('\n');
            for variable in &server.variables {
                out.push_str(&format!("  {}: {:?} {:?}\n", variable.wire, variable.place, variable.examples));
            }
        }
        out + &document.warnings().to_string()
    }

    #[test]
    fn a_variable_followed_by_fixed_labels_is_a_subdomain() {
        expect![[r#"
            https://{tenant}.talon.one
              tenant: Subdomain ["yourbaseurl"]
            https://{tenant}-eu.example.com:{port}/{base}
              tenant: Subdomain ["t"]
              port: Port ["443"]
              base: Path ["v1"]
            https://api.{region}.{zone}.example.com.
              region: Subdomain ["eu"]
              zone: Subdomain ["a"]
            https://api.example.{tld}
              tld: HostLabel ["com"]
            https://{a}.x.{b}
              a: HostLabel ["a"]
              b: HostLabel ["b"]
            https://{name}.
              name: HostLabel ["n"]
            https://{name}x
              name: HostLabel ["n"]
            {scheme}://{host}/api
              scheme: Scheme ["https"]
              host: Host ["example.com"]
            /{base}
              base: Path ["v2"]
            https://api.ebay.com{basePath}
              basePath: Path ["/buy/deal/v1"]
            /anomalyfinder/v2.0
            spec.yaml:18:6: warning: server URL `{Endpoint}/anomalyfinder/v2.0` starts with the variable `Endpoint`, an origin; its helper takes the origin and joins `/anomalyfinder/v2.0` to it (at #/servers/10/url)
        "#]]
        .assert_eq(&places(
            "  - {url: 'https://{tenant}.talon.one', variables: {tenant: {default: yourbaseurl}}}
  - url: 'https://{tenant}-eu.example.com:{port}/{base}'
    variables: {tenant: {default: t}, port: {default: '443'}, base: {default: v1}}
  - url: 'https://api.{region}.{zone}.example.com.'
    variables: {region: {default: eu}, zone: {default: a}}
  - {url: 'https://api.example.{tld}', variables: {tld: {default: com}}}
  - {url: 'https://{a}.x.{b}', variables: {a: {default: a}, b: {default: b}}}
  - {url: 'https://{name}.', variables: {name: {default: n}}}
  - {url: 'https://{name}x', variables: {name: {default: n}}}
  - url: '{scheme}://{host}/api'
    variables: {scheme: {default: https}, host: {default: example.com}}
  - {url: '/{base}', variables: {base: {default: v2}}}
  - {url: 'https://api.ebay.com{basePath}', variables: {basePath: {default: /buy/deal/v1}}}
  - {url: '{Endpoint}/anomalyfinder/v2.0', variables: {Endpoint: {default: none}}}
",
        ));
    }

    #[test]
    fn spec_values_the_helper_would_refuse_are_warnings_and_no_examples() {
        expect![[r#"
            https://{tenant}.example.com:{port}
              tenant: Subdomain ["acme", "acme.eu-west1"]
              port: Port ["8443"]
            https://api.example.{tld}
              tld: HostLabel ["com", "de"]
            https://{x}.example.com
              x: Subdomain ["a"]
            spec.yaml:9:37: warning: an `x-examples` value of a server variable is refused by its helper: server variable `tenant` must be host labels (letters, digits and `-`) separated by dots, not `evil.com/` (at #/servers/0/variables/tenant/x-examples/1)
            spec.yaml:9:48: warning: an `x-examples` value of a server variable is refused by its helper: server variable `tenant` must be host labels (letters, digits and `-`) separated by dots, not `a..b` (at #/servers/0/variables/tenant/x-examples/2)
            spec.yaml:11:9: warning: the `default` of a server variable is refused by its helper: server variable `port` must be one of `8443`, `9443`, not `443` (at #/servers/0/variables/port/default)
            spec.yaml:13:22: warning: an `x-examples` value of a server variable is refused by its helper: server variable `port` must be one of `8443`, `9443`, not `80` (at #/servers/0/variables/port/x-examples/0)
            spec.yaml:18:25: warning: an `enum` value of a server variable is refused by its helper: server variable `tld` must be a host label (letters, digits and `-`), not `co.uk` (at #/servers/1/variables/tld/enum/2)
            spec.yaml:19:22: warning: an `x-examples` value of a server variable is refused by its helper: server variable `tld` must be one of `com`, `de`, `co.uk`, `fr`, not `uk.com` (at #/servers/1/variables/tld/x-examples/0)
            spec.yaml:20:66: warning: `x-examples` of a server variable is a list of strings; it is ignored (at #/servers/2/variables/x/x-examples)
        "#]]
        .assert_eq(&places(
            "  - url: 'https://{tenant}.example.com:{port}'
    variables:
      tenant:
        default: acme
        x-examples: [acme.eu-west1, evil.com/, a..b]
      port:
        default: '443'
        enum: ['8443', '9443']
        x-examples: ['80']
  - url: 'https://api.example.{tld}'
    variables:
      tld:
        default: com
        enum: [com, de, co.uk, fr]
        x-examples: [uk.com]
  - {url: 'https://{x}.example.com', variables: {x: {default: a, x-examples: mycompany}}}
",
        ));
    }

    /// Each server of `spec` (a whole document) as its name, URL and whether
    /// it is relative, then the warnings.
    fn shapes(spec: &str) -> String {
        let document = crate::load::load_str(std::path::Path::new("spec.yaml"), spec.to_owned()).expect("the snippet loads");
        let api = super::super::lower(&document).expect("the snippet lowers");
        let mut out = String::new();
        for server in &api.servers {
            let kind = if server.relative { "relative" } else { "absolute" };
            out.push_str(&format!("{} {} {kind}\n", server.name, server.url));
        }
        out + &document.warnings().to_string()
    }

    #[test]
    fn scheme_relative_and_bare_hosts_become_https_and_paths_stay_relative() {
        expect![[r#"
            SERVER_1 https://api-test.qualpay.com/pg absolute
            SERVER_2 https://config2.gamesparks.net absolute
            server_3 /v2 relative
            server_4 / relative
            SERVER_5 https://api.example.com/v1 absolute
            server_6 /{version} relative
            spec.yaml:5:5: warning: server URL `//api-test.qualpay.com/pg` has no scheme; the client uses `https://api-test.qualpay.com/pg` (at #/servers/0/url)
            spec.yaml:6:5: warning: server URL `config2.gamesparks.net` has no scheme; the client uses `https://config2.gamesparks.net` (at #/servers/1/url)
        "#]]
        .assert_eq(&shapes(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nservers:
  - url: //api-test.qualpay.com/pg
  - url: config2.gamesparks.net
  - url: /v2
  - url: /
  - url: https://api.example.com/v1
  - {url: '/{version}', variables: {version: {default: v1}}}
",
        ));
    }

    #[test]
    fn no_server_and_a_swagger_base_path_alone() {
        expect![""].assert_eq(&shapes("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"));
        expect![[r#"
            server_1 /api relative
        "#]]
        .assert_eq(&shapes("swagger: '2.0'\ninfo: {title: t, version: '1'}\nbasePath: /api/\npaths: {}\n"));
    }

    #[test]
    fn a_variable_missing_from_variables_is_a_warning() {
        expect![[r#"
            https://{tenant}.example.com
              tenant: Subdomain []
            spec.yaml:5:5: warning: server variable `tenant` is not declared under `variables`; its default is empty (at #/servers/0/url)
        "#]]
        .assert_eq(&places("  - url: 'https://{tenant}.example.com'\n"));
    }
}
