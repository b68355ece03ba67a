//! The values of server variables (`https://{tenant}.example.com`), checked
//! before they go into a base URL.

use super::Error;

/// Checks the value of a server variable before it goes into a URL: one
/// placed in the host must be a host label (letters, digits, `-`), or a whole
/// host name when the variable is the entire host; one in the port, digits;
/// one in the path, path characters only; a scheme, `http` or `https`. Anything else could point the
/// client at another origin.
pub(crate) fn server_variable(name: &str, value: &str, place: ServerPlace) -> Result<(), Error> {
    let label = |text: &str| {
        !text.is_empty()
            && text.len() <= 63
            && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !text.starts_with('-')
            && !text.ends_with('-')
    };
    let valid = match place {
        ServerPlace::Scheme => matches!(value, "http" | "https"),
        ServerPlace::HostLabel => label(value),
        ServerPlace::Host => value.split('.').all(label),
        ServerPlace::Port => !value.is_empty() && value.len() <= 5 && value.bytes().all(|b| b.is_ascii_digit()),
        ServerPlace::Path => value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@%".contains(&b)),
    };
    if valid {
        Ok(())
    } else {
        let what = match place {
            ServerPlace::Scheme => "`http` or `https`",
            ServerPlace::HostLabel => "a host label (letters, digits and `-`)",
            ServerPlace::Host => "a host name",
            ServerPlace::Port => "a port number",
            ServerPlace::Path => "a URL path",
        };
        Err(Error::InvalidRequest(format!("server variable `{name}` must be {what}, not `{}`", value.escape_debug())))
    }
}

/// Where a server variable stands in its URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ServerPlace {
    /// The scheme.
    Scheme,
    /// Part of the host, beside literal text (`{tenant}.example.com`).
    HostLabel,
    /// The whole host (`https://{host}/api`).
    Host,
    /// The port.
    Port,
    /// In the path.
    Path,
}
