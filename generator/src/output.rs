//! Generated files in memory, and writing them: atomic per run, and only the
//! files whose content changed.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// The complete output of one run for one crate: relative path → content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSet {
    /// The crate directory.
    pub root: PathBuf,
    /// Files relative to `root`.
    pub files: BTreeMap<PathBuf, String>,
}

/// How the files on disk differ from a [`FileSet`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files to create.
    pub added: Vec<PathBuf>,
    /// Files whose content differs.
    pub modified: Vec<PathBuf>,
    /// Generated files on disk that the run no longer produces.
    pub removed: Vec<PathBuf>,
}

impl Changes {
    /// True when disk and memory agree.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.modified.is_empty() && self.removed.is_empty()
    }

    /// One line per change, `+`/`~`/`-` and the path.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for (mark, paths) in [("+", &self.added), ("~", &self.modified), ("-", &self.removed)] {
            for path in paths {
                out.push_str(&format!("  {mark} {}\n", path.display()));
            }
        }
        out
    }
}

impl FileSet {
    /// Compares with the disk. Under `src/`, any `.rs` file not in the set
    /// counts as generated and stale; nothing outside the set's own files and
    /// `src/` is looked at.
    pub fn changes(&self) -> io::Result<Changes> {
        let mut changes = Changes::default();
        for (relative, content) in &self.files {
            match std::fs::read(self.root.join(relative)) {
                Ok(existing) if existing == content.as_bytes() => {}
                Ok(_) => changes.modified.push(relative.clone()),
                Err(e) if e.kind() == io::ErrorKind::NotFound => changes.added.push(relative.clone()),
                Err(e) => return Err(e),
            }
        }
        for existing in rust_files(&self.root.join("src"))? {
            let relative = existing.strip_prefix(&self.root).map(Path::to_path_buf).unwrap_or(existing);
            if !self.files.contains_key(&relative) {
                changes.removed.push(relative);
            }
        }
        Ok(changes)
    }

    /// Brings the disk in line with the set. Every new content is first
    /// written to a temporary file beside its target; only when all of them
    /// are written are they renamed into place, so a failure (disk full, no
    /// permission) leaves the previous output as it was.
    pub fn write(&self) -> io::Result<Changes> {
        let changes = self.changes()?;
        let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
        let result = (|| {
            for relative in changes.added.iter().chain(&changes.modified) {
                let target = self.root.join(relative);
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                let temporary = temporary_path(&target);
                std::fs::write(&temporary, &self.files[relative])?;
                staged.push((temporary, target));
            }
            Ok(())
        })();
        if let Err(error) = result {
            for (temporary, _) in &staged {
                let _ = std::fs::remove_file(temporary);
            }
            return Err(error);
        }
        for (temporary, target) in &staged {
            std::fs::rename(temporary, target)?;
        }
        for relative in &changes.removed {
            std::fs::remove_file(self.root.join(relative))?;
        }
        remove_empty_dirs(&self.root.join("src"))?;
        Ok(changes)
    }
}

fn temporary_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    target.with_file_name(name)
}

fn rust_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            found.extend(rust_files(&path)?);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

fn remove_empty_dirs(dir: &Path) -> io::Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            remove_empty_dirs(&path)?;
            if std::fs::read_dir(&path)?.next().is_none() {
                std::fs::remove_dir(&path)?;
            }
        }
    }
    Ok(())
}
