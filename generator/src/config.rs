//! `clientgen.toml`: which specs `clientgen generate` turns into which crate.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The name of the workspace configuration file.
pub const FILE_NAME: &str = "clientgen.toml";

/// The workspace configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The crate the clients are written into.
    #[serde(rename = "crate")]
    pub krate: CrateConfig,
    /// The APIs, one module and feature each, in this order.
    #[serde(rename = "api")]
    pub apis: Vec<ApiConfig>,
}

/// The generated crate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrateConfig {
    /// Package name.
    pub name: String,
    /// Package version.
    pub version: String,
    /// Package description.
    pub description: String,
    /// Directory, relative to the workspace root.
    pub path: PathBuf,
}

/// One API of the crate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiConfig {
    /// Kebab-case name: the Cargo feature; its snake case is the module.
    pub name: toml::Spanned<String>,
    /// The spec, relative to the workspace root.
    pub spec: PathBuf,
    /// Put each tag behind a Cargo feature `<name>-<tag>` (default: off).
    #[serde(default, rename = "tag-features")]
    pub tag_features: bool,
}

impl ApiConfig {
    /// The Cargo feature of this API.
    pub fn feature(&self) -> &str {
        self.name.get_ref()
    }

    /// The Rust module of this API.
    pub fn module(&self) -> String {
        self.feature().replace('-', "_")
    }
}

/// Names an API cannot take: its module would be a Rust keyword, or clash
/// with the crate's own `runtime` module.
const RESERVED_MODULES: &[&str] = &["runtime"];

/// Finds the workspace root: the nearest ancestor of `start` holding `clientgen.toml`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start.ancestors().find(|dir| dir.join(FILE_NAME).is_file()).map(Path::to_path_buf)
}

/// Reads the configuration of the workspace at `root`.
pub fn read(root: &Path) -> Result<Config, String> {
    let path = root.join(FILE_NAME);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let config: Config = toml::from_str(&text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |span| line_column(&text, span.start));
        format!("{}:{line}:{column}: {}", path.display(), e.message())
    })?;
    let mut seen = std::collections::HashSet::new();
    for api in &config.apis {
        let name = api.feature();
        let module = api.module();
        let problem = if name.is_empty()
            || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            || !name.starts_with(|c: char| c.is_ascii_lowercase())
            || name.ends_with('-')
            || name.contains("--")
        {
            Some(format!("API name `{name}` must be kebab case (lowercase letters, digits, single `-`)"))
        } else if crate::naming::snake(&module, "_") != module || RESERVED_MODULES.contains(&module.as_str()) {
            Some(format!("API name `{name}` cannot be used: its module `{module}` is a Rust keyword or a name the crate uses"))
        } else if !seen.insert(module.clone()) {
            Some(format!("API name `{name}` is used twice"))
        } else {
            None
        };
        if let Some(problem) = problem {
            let (line, column) = line_column(&text, api.name.span().start);
            return Err(format!("{}:{line}:{column}: {problem}", path.display()));
        }
    }
    Ok(config)
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
