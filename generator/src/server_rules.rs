//! The runtime's check of server variables (`templates/runtime/servers.rs`),
//! compiled into the generator too: the places lowering finds are the
//! runtime's own type, and a value the spec gives is refused at generation
//! time exactly when the generated helper would refuse it.

#[path = "../../templates/runtime/servers.rs"]
#[allow(dead_code, reason = "the origin check of relative servers runs in generated crates only")]
mod runtime;

pub use runtime::ServerPlace;

/// The one variant of the runtime's `Error` the check makes.
pub(crate) enum Error {
    InvalidRequest(String),
}

/// Why the helper of variable `name` in `place` refuses `value` (any value
/// outside `allowed`, when that is not empty), if it does.
pub(crate) fn refusal(name: &str, value: &str, place: ServerPlace, allowed: &[&str]) -> Result<(), String> {
    runtime::server_variable(name, value, place, allowed).map_err(|Error::InvalidRequest(message)| message)
}

#[cfg(test)]
mod tests {
    /// The origin a relative server's helper joins its path to.
    #[test]
    fn an_origin_is_an_http_url_with_a_host_and_nothing_after_it() {
        fn joined(origin: &str) -> Result<&str, String> {
            super::runtime::server_origin(origin).map_err(|super::Error::InvalidRequest(message)| message)
        }
        assert_eq!(joined("https://api.example.com/").ok(), Some("https://api.example.com"));
        assert_eq!(joined("HTTP://localhost:8080").ok(), Some("HTTP://localhost:8080"));
        for refused in ["api.example.com", "ftp://h", "https://", "https://h/v1", "https://h?q", "https://h#f", "https://u@h", "https://:80"] {
            assert!(joined(refused).is_err(), "{refused}");
        }
    }
}
