//! A progress line on stderr for long runs (a spec of tens of megabytes takes
//! seconds): silent for the first two seconds and whenever stderr is not a
//! terminal, so quick runs, scripts and CI logs never see it.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a run goes quietly before its progress is shown.
const QUIET: Duration = Duration::from_secs(2);
/// How often the line is redrawn.
const TICK: Duration = Duration::from_millis(200);

#[derive(Default)]
struct State {
    stage: String,
    done: bool,
}

/// Receives the stage a run is in; shows it only when asked to.
#[derive(Default)]
pub struct Progress {
    shared: Option<Arc<(Mutex<State>, Condvar)>>,
    painter: Option<JoinHandle<()>>,
}

impl Progress {
    /// A progress that shows nothing (the library default, and tests).
    pub fn silent() -> Self {
        Progress::default()
    }

    /// Shows the stage on stderr after two seconds, if stderr is a terminal.
    pub fn on_terminal() -> Self {
        if !std::io::stderr().is_terminal() {
            return Progress::silent();
        }
        let shared = Arc::new((Mutex::new(State::default()), Condvar::new()));
        let painter = {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || paint(&shared))
        };
        Progress { shared: Some(shared), painter: Some(painter) }
    }

    /// Records what the run is doing now.
    pub fn stage(&self, stage: impl Into<String>) {
        if let Some(shared) = &self.shared
            && let Ok(mut state) = shared.0.lock()
        {
            state.stage = stage.into();
        }
    }

    /// Whether stages are shown at all (lets callers skip formatting them).
    pub fn is_shown(&self) -> bool {
        self.shared.is_some()
    }
}

impl Drop for Progress {
    /// Stops the painter and erases its line, before the run's own output.
    fn drop(&mut self) {
        if let Some(shared) = &self.shared {
            if let Ok(mut state) = shared.0.lock() {
                state.done = true;
            }
            shared.1.notify_all();
        }
        if let Some(painter) = self.painter.take() {
            let _ = painter.join();
        }
    }
}

fn paint(shared: &(Mutex<State>, Condvar)) {
    let (lock, wake) = shared;
    let Ok(state) = lock.lock() else { return };
    // Quiet at first: a run that ends within `QUIET` prints nothing.
    let Ok((mut state, _)) = wake.wait_timeout_while(state, QUIET, |state| !state.done) else { return };
    let mut painted = false;
    while !state.done {
        let line = format!("\r\x1b[2Kclientgen: {}…", state.stage);
        let _ = std::io::stderr().write_all(line.as_bytes());
        painted = true;
        state = match wake.wait_timeout_while(state, TICK, |state| !state.done) {
            Ok((state, _)) => state,
            Err(_) => return,
        };
    }
    if painted {
        let _ = std::io::stderr().write_all(b"\r\x1b[2K");
    }
}
