//! Reading a spec as it was at a git revision, without a checkout: each
//! file the loader asks for comes from `git show REV:./path`.

use std::io;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

/// Files of the work tree at `root` as they were at `rev`.
#[derive(Debug, Clone)]
pub struct GitFiles {
    root: PathBuf,
    rev: String,
}

impl GitFiles {
    /// Reads from the repository holding `root`, at `rev`.
    pub fn new(root: &Path, rev: &str) -> Self {
        GitFiles { root: root.to_path_buf(), rev: rev.to_owned() }
    }

    /// The text of `path` (under `root`, or relative to it) at the revision.
    /// A file the revision lacks is `NotFound`.
    pub fn read(&self, path: &Path) -> io::Result<String> {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        // git does not resolve `..`: the loader's `specs/a/../b.yaml` is `specs/b.yaml`.
        let mut parts: Vec<String> = Vec::new();
        for component in relative.components() {
            match component {
                Component::ParentDir => {
                    parts.pop();
                }
                Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
                _ => {}
            }
        }
        let name = parts.join("/");
        // `./` makes git resolve the path from the current directory (the
        // workspace root), which need not be the repository's top.
        let output = Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .arg("show")
            .arg(format!("{}:./{name}", self.rev))
            .output()?;
        if !output.status.success() {
            let reason = String::from_utf8_lossy(&output.stderr).trim().to_owned();
            return Err(io::Error::new(io::ErrorKind::NotFound, format!("not at {}: {reason}", self.rev)));
        }
        String::from_utf8(output.stdout).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    /// Whether `rev` names a commit.
    pub fn check(&self) -> Result<(), String> {
        let output = Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .args(["rev-parse", "--verify", "--quiet"])
            .arg(format!("{}^{{commit}}", self.rev))
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if output.status.success() { Ok(()) } else { Err(format!("`{}` is not a commit of the repository at {}", self.rev, self.root.display())) }
    }
}
