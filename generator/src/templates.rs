//! The hand-written files under `templates/`, embedded at build time, and
//! their fills.

use std::path::{Path, PathBuf};

use crate::output::MARKER;

/// The client runtime: its files under `templates/runtime/`, written as
/// `src/runtime/` behind a generated-file header.
pub(crate) const RUNTIME: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../../templates/runtime/mod.rs")),
    ("auth.rs", include_str!("../../templates/runtime/auth.rs")),
    ("body.rs", include_str!("../../templates/runtime/body.rs")),
    ("client.rs", include_str!("../../templates/runtime/client.rs")),
    ("config.rs", include_str!("../../templates/runtime/config.rs")),
    ("error.rs", include_str!("../../templates/runtime/error.rs")),
    ("events.rs", include_str!("../../templates/runtime/events.rs")),
    ("form.rs", include_str!("../../templates/runtime/form.rs")),
    ("hooks.rs", include_str!("../../templates/runtime/hooks.rs")),
    ("mock.rs", include_str!("../../templates/runtime/mock.rs")),
    ("mock_spec.rs", include_str!("../../templates/runtime/mock_spec.rs")),
    ("oauth2.rs", include_str!("../../templates/runtime/oauth2.rs")),
    ("object.rs", include_str!("../../templates/runtime/object.rs")),
    ("paginate.rs", include_str!("../../templates/runtime/paginate.rs")),
    ("params.rs", include_str!("../../templates/runtime/params.rs")),
    ("provider.rs", include_str!("../../templates/runtime/provider.rs")),
    ("request.rs", include_str!("../../templates/runtime/request.rs")),
    ("response.rs", include_str!("../../templates/runtime/response.rs")),
    ("retry.rs", include_str!("../../templates/runtime/retry.rs")),
    ("send.rs", include_str!("../../templates/runtime/send.rs")),
    ("servers.rs", include_str!("../../templates/runtime/servers.rs")),
    ("signing.rs", include_str!("../../templates/runtime/signing.rs")),
    ("sse.rs", include_str!("../../templates/runtime/sse.rs")),
    ("stream.rs", include_str!("../../templates/runtime/stream.rs")),
    ("trace.rs", include_str!("../../templates/runtime/trace.rs")),
];
/// The generated crate's manifest.
const CARGO_TOML: &str = include_str!("../../templates/Cargo.toml");
/// The generated crate's README.
const README: &str = include_str!("../../templates/README.md");

/// The runtime's files, relative to the crate root, each behind the
/// generated-file marker.
pub fn runtime_files() -> impl Iterator<Item = (PathBuf, String)> {
    RUNTIME.iter().map(|(name, content)| {
        let header = format!(
            "// {MARKER} from templates/runtime/{name}; edit the template and regenerate, not this file.\n\n"
        );
        (Path::new("src/runtime").join(name), header + content)
    })
}

/// Replaces each `{{key}}` of `template` with its value.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (key, value) in values {
        out = out.replace(&format!("{{{{{key}}}}}"), value);
    }
    out
}

/// What the manifest and README say about the crate.
#[derive(Debug, Clone)]
pub struct CrateInfo<'a> {
    /// Package name.
    pub name: &'a str,
    /// Package version.
    pub version: &'a str,
    /// One-line description.
    pub description: &'a str,
    /// Cargo features: one per module, and per tag where asked for.
    pub features: &'a [FeatureDecl],
    /// The default features.
    pub default: &'a [String],
    /// For each API split into per-tag features, the feature that turns on all its tags.
    pub all_tags: &'a [String],
    /// Whether the crate is its own workspace (standalone output).
    pub standalone: bool,
    /// Rows of the README's table: module, feature, title, version.
    pub apis: &'a [(String, String, String, String)],
}

/// One Cargo feature of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureDecl {
    /// Its name.
    pub name: String,
    /// The features it turns on.
    pub enables: Vec<String>,
}

/// `["a", "b"]`.
fn toml_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("\"{name}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

/// The generated `Cargo.toml`.
pub fn cargo_toml(info: &CrateInfo<'_>) -> String {
    let mut features = String::new();
    // Every crate has a default: its APIs (or their per-tag slices), the
    // runtime parts a standalone crate needs, and TLS.
    let mut defaults: Vec<String> = info.default.to_vec();
    defaults.push(String::from("rustls-tls"));
    features.push_str(&format!("default = {}\n", toml_list(&defaults)));
    for feature in info.features {
        features.push_str(&format!("{} = {}\n", feature.name, toml_list(&feature.enables)));
    }
    let workspace = if info.standalone {
        "\n# A crate of its own, even when generated inside another workspace.\n[workspace]\n"
    } else {
        ""
    };
    fill(
        CARGO_TOML,
        &[
            ("crate_name", info.name),
            ("crate_version", info.version),
            ("description", &info.description.replace('"', "'")),
            ("features", &features),
            ("workspace", workspace),
        ],
    )
}

/// The generated `README.md`.
pub fn readme(info: &CrateInfo<'_>) -> String {
    let table: Vec<String> = info
        .apis
        .iter()
        .map(|(module, feature, title, version)| format!("| `{module}` | `{feature}` | {title} | {version} |"))
        .collect();
    let (example_crate, example_module) = match info.apis.first() {
        Some((module, ..)) if !info.standalone => (info.name.replace('-', "_"), module.clone()),
        _ => (String::from("crate"), String::new()),
    };
    let example_path = if example_module.is_empty() { example_crate.clone() } else { format!("{example_crate}::{example_module}") };
    let features_section = if info.all_tags.is_empty() {
        String::new()
    } else {
        let all: Vec<String> = info.all_tags.iter().map(|name| format!("`{name}`")).collect();
        format!(
            "\n## Per-tag features\n\n\
             Operations are split into Cargo features, one per tag (operations without a tag count under\n\
             the first segment of their path). A feature compiles in its operations and exactly the types\n\
             they use, so a program that calls one part of a large API compiles only that part. {} (on by\n\
             default) turns on every tag; to compile one tag only, depend with\n\
             `default-features = false, features = [\"<tag feature>\"]`. The crate's documentation lists\n\
             the features with their tags.\n",
            all.join(", ")
        )
    };
    let readme = fill(
        &README.replace("{{example_crate}}::{{example_module}}", &example_path),
        &[
            ("crate_name", info.name),
            ("description", info.description),
            ("api_table", &table.join("\n")),
            ("features_section", &features_section),
        ],
    );
    format!("<!-- {MARKER} from templates/README.md; edit the template and regenerate, not this file. -->\n{readme}")
}
