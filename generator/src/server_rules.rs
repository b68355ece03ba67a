//! The runtime's check of server variables (`templates/runtime/servers.rs`),
//! compiled into the generator too: the places lowering finds are the
//! runtime's own type, and a value the spec gives is refused at generation
//! time exactly when the generated helper would refuse it.

#[path = "../../templates/runtime/servers.rs"]
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
