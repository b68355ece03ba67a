//! The values of server variables (`https://{tenant}.example.com`), checked
//! before they go into a base URL.

use super::Error;

/// Checks the value of server variable `name` before it goes into a URL: when
/// the spec lists the values the variable takes (its `enum`, here `allowed`),
/// it must be one of them; and it must fit its place in the URL (see
/// [`ServerPlace`]), so that no value can point the client at another origin.
pub(crate) fn server_variable(name: &str, value: &str, place: ServerPlace, allowed: &[&str]) -> Result<(), Error> {
    let refuse = |what: &str| {
        Err(Error::InvalidRequest(format!("server variable `{name}` must be {what}, not `{}`", value.escape_debug())))
    };
    if !allowed.is_empty() && !allowed.contains(&value) {
        let listed: Vec<String> = allowed.iter().map(|v| format!("`{}`", v.escape_debug())).collect();
        return refuse(&format!("one of {}", listed.join(", ")));
    }
    if place.fits(value) { Ok(()) } else { refuse(place.shape()) }
}

/// Checks the origin a relative server (`/v2`) is joined to: an `http` or
/// `https` URL with a host and nothing after it but an optional `/`
/// (`https://api.example.com`); returns it without that `/`.
pub(crate) fn server_origin(origin: &str) -> Result<&str, Error> {
    let refuse = || {
        Err(Error::InvalidRequest(format!(
            "the origin of a relative server must be an http(s) URL with a host and no path, query or fragment, not `{}`",
            origin.escape_debug()
        )))
    };
    let trimmed = origin.strip_suffix('/').unwrap_or(origin);
    let Some((scheme, authority)) = trimmed.split_once("://") else { return refuse() };
    let web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
    if !web || authority.is_empty() || authority.contains(['/', '?', '#', '@', '\\']) || authority.starts_with(':') {
        return refuse();
    }
    Ok(trimmed)
}

/// Where a server variable stands in its URL, which decides the values it takes.
///
/// In the host, the question is whether a value could choose the registrable
/// domain (`example.com`) the client talks to:
/// - [`Subdomain`](Self::Subdomain): whole fixed labels follow the variable
///   (`{tenant}.example.com`, `{tenant}-eu.example.com`). Whatever labels
///   the value holds, the host still ends in those fixed labels, so the value
///   only adds depth under them: `a.b` reaches no registrable domain that one
///   label could not (where the fixed part is a bare public suffix, as in
///   `{name}.com`, one label already picks the domain). So several labels
///   are fine, each a valid label, none empty: no `/`, `@`, `:`, `?`, `#`
///   or empty label can end the host early or make an odd one.
/// - [`HostLabel`](Self::HostLabel): the variable ends the host, or only
///   other variables follow it (`api.example.{tld}`, `{a}.{b}`). Here labels
///   would choose the domain: `com.evil.net` makes `api.example.{tld}`
///   `api.example.com.evil.net`. One label only.
/// - [`Host`](Self::Host): the spec leaves the whole host to the caller, so
///   any host name will do, but never a port, user info or path beside it.
///
/// (`pub` rather than `pub(crate)`: clientgen compiles this file too and
/// exports the type as the place in its IR.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerPlace {
    /// The scheme: `http` or `https`.
    Scheme,
    /// In the host, followed by fixed labels (`{tenant}.example.com`):
    /// dot-separated host labels.
    Subdomain,
    /// In the host, with no fixed label after it (`api.example.{tld}`): one host label.
    HostLabel,
    /// The whole host (`https://{host}/api`): a host name.
    Host,
    /// The port: digits.
    Port,
    /// In the path: path characters only (no `?` or `#`).
    Path,
}

impl ServerPlace {
    /// Whether `value` may stand in this place.
    fn fits(self, value: &str) -> bool {
        let label = |text: &str| {
            !text.is_empty()
                && text.len() <= 63
                && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !text.starts_with('-')
                && !text.ends_with('-')
        };
        let labels = |text: &str| text.len() <= 253 && text.split('.').all(label);
        match self {
            ServerPlace::Scheme => matches!(value, "http" | "https"),
            ServerPlace::Subdomain | ServerPlace::Host => labels(value),
            ServerPlace::HostLabel => label(value),
            ServerPlace::Port => !value.is_empty() && value.len() <= 5 && value.bytes().all(|b| b.is_ascii_digit()),
            ServerPlace::Path => value.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@%".contains(&b)),
        }
    }

    /// What a value in this place must be, for a refusal.
    fn shape(self) -> &'static str {
        match self {
            ServerPlace::Scheme => "`http` or `https`",
            ServerPlace::Subdomain => "host labels (letters, digits and `-`) separated by dots",
            ServerPlace::HostLabel => "a host label (letters, digits and `-`)",
            ServerPlace::Host => "a host name",
            ServerPlace::Port => "a port number",
            ServerPlace::Path => "a URL path",
        }
    }
}
