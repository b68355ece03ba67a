//! clientgen: typed async Rust clients from OpenAPI 3.0 documents.
//!
//! The pipeline runs one way: [`load`] (YAML/JSON → `openapiv3`, with node
//! positions) → [`lower`] (references, names, cycles → the plain-data [`ir`])
//! → [`emit`] (IR → Rust source via `quote` and `prettyplease`) → [`output`]
//! (atomic, write-if-changed files).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod config;
pub mod diagnostics;
pub mod emit;
pub mod features;
pub mod ir;
pub mod load;
mod locate;
pub mod lower;
pub mod naming;
pub mod output;
pub mod progress;
pub mod resolve;
pub mod templates;

use std::path::{Path, PathBuf};

use quote::quote;

use crate::diagnostics::Diagnostics;
use crate::emit::ModuleFiles;
use crate::ir::Api;
use crate::output::FileSet;
use crate::progress::Progress;
use crate::templates::{CrateInfo, FeatureDecl};

/// Why a run produced no output.
#[derive(Debug)]
pub enum Error {
    /// The input has problems, each located in its file.
    Input(Diagnostics),
    /// The workspace configuration is missing or wrong.
    Config(String),
    /// A bug in clientgen: the generated code did not parse.
    Internal(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Input(diagnostics) => write!(f, "{diagnostics}"),
            Error::Config(message) | Error::Internal(message) => writeln!(f, "{message}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<Diagnostics> for Error {
    fn from(diagnostics: Diagnostics) -> Self {
        Error::Input(diagnostics)
    }
}

/// Loads and lowers one spec.
pub fn api_from_file(spec: &Path) -> Result<Api, Diagnostics> {
    let document = load::load_file(spec)?;
    lower::lower(&document)
}

/// How one API is generated, beyond its spec.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApiOptions {
    /// Put each tag's operations and the types they reach behind a Cargo feature.
    pub tag_features: bool,
}

/// Renders the module of one spec, as the golden tests see it; `origin` is
/// the spec's name in header comments. Per-tag features get the names a
/// standalone crate gives them.
pub fn module_from_file(spec: &Path, origin: &str, options: ApiOptions) -> Result<ModuleFiles, Error> {
    let mut api = api_from_file(spec)?;
    if options.tag_features {
        api.features = Some(features::layout(&api, "", &[]));
    }
    emit::render_module(&api, origin, false).map_err(Error::Internal)
}

/// Everything `clientgen generate` writes for the workspace at `root`.
pub fn workspace_files(root: &Path) -> Result<FileSet, Error> {
    workspace_files_with(root, &Progress::silent())
}

/// [`workspace_files`], telling `progress` what it is doing.
pub fn workspace_files_with(root: &Path, progress: &Progress) -> Result<FileSet, Error> {
    let config = config::read(root).map_err(Error::Config)?;
    let mut problems = Vec::new();
    let mut rendered = Vec::new();
    for api_config in &config.apis {
        progress.stage(format!("reading {}", api_config.spec.display()));
        let spec = root.join(&api_config.spec);
        // Diagnostics name the spec as the configuration does, relative to the root.
        match load::load_file(&spec).map(|mut doc| {
            doc.path = api_config.spec.clone();
            doc
        }) {
            Ok(document) => match lower::lower(&document) {
                Ok(api) => rendered.push((api_config, api)),
                Err(diagnostics) => problems.extend(diagnostics.0),
            },
            Err(diagnostics) => problems.extend(diagnostics.0.into_iter().map(|mut d| {
                d.file = api_config.spec.clone();
                d
            })),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(Diagnostics(problems)));
    }
    let mut files = FileSet { root: root.join(&config.krate.path), ..FileSet::default() };
    let mut rows = Vec::new();
    let mut modules = Vec::new();
    // Feature names are unique crate-wide: the APIs' first, then each API's tags.
    let mut taken: Vec<String> = config.apis.iter().map(|a| a.name.clone()).collect();
    let mut declared = Vec::new();
    let mut default = Vec::new();
    let mut all_tags = Vec::new();
    for (api_config, api) in &mut rendered {
        let name = api_config.name.clone();
        if !api_config.tag_features {
            declared.push(FeatureDecl { name: name.clone(), enables: Vec::new() });
            default.push(name);
            continue;
        }
        let layout = features::layout(api, &format!("{name}-"), &taken);
        declared.push(FeatureDecl { name: name.clone(), enables: Vec::new() });
        for feature in &layout.features {
            declared.push(FeatureDecl { name: feature.name.clone(), enables: vec![name.clone()] });
        }
        let every = layout.features.iter().map(|f| f.name.clone()).collect();
        declared.push(FeatureDecl { name: layout.all.clone(), enables: every });
        default.push(layout.all.clone());
        all_tags.push(layout.all.clone());
        taken.extend(layout.features.iter().map(|f| f.name.clone()));
        taken.push(layout.all.clone());
        api.features = Some(layout);
    }
    for (api_config, api) in &rendered {
        let module = api_config.module();
        let origin = api_config.spec.to_string_lossy().replace('\\', "/");
        progress.stage(format!("writing {origin}"));
        let ModuleFiles { root: mod_rs, operations, types } =
            emit::render_module_with(api, &origin, false, progress).map_err(Error::Internal)?;
        let dir = PathBuf::from("src").join(&module);
        files.files.insert(dir.join("mod.rs"), mod_rs);
        files.files.insert(dir.join("operations.rs"), operations);
        files.files.insert(dir.join("types.rs"), types);
        rows.push((module.clone(), api_config.name.clone(), api.title.clone(), api.version.clone()));
        modules.push((module, api_config.name.clone(), api.title.clone()));
    }
    let info = CrateInfo {
        name: &config.krate.name,
        version: &config.krate.version,
        description: &config.krate.description,
        features: &declared,
        default: &default,
        all_tags: &all_tags,
        standalone: false,
        apis: &rows,
    };
    files.files.insert(PathBuf::from("Cargo.toml"), templates::cargo_toml(&info));
    files.files.insert(PathBuf::from("README.md"), templates::readme(&info));
    files.files.insert(PathBuf::from("src/runtime.rs"), templates::RUNTIME.to_owned());
    files.files.insert(PathBuf::from("src/lib.rs"), crate_root(&info, &modules)?);
    Ok(files)
}

/// The `lib.rs` of the multi-API crate: the runtime and one feature-gated module per API.
fn crate_root(info: &CrateInfo<'_>, modules: &[(String, String, String)]) -> Result<String, Error> {
    let title = format!(" # {}", info.name);
    let description = format!(" {}", info.description);
    let rows = modules.iter().map(|(module, feature, title)| format!(" | [`{module}`] | `{feature}` | {title} |"));
    let declarations = modules.iter().map(|(module, feature, _)| {
        let module = emit_ident(module);
        quote! {
            #[cfg(feature = #feature)]
            pub mod #module;
        }
    });
    let tokens = quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = #description]
        #![doc = ""]
        #![doc = " | module | Cargo feature | API |"]
        #![doc = " | --- | --- | --- |"]
        #( #![doc = #rows] )*
        #![doc = ""]
        #![doc = " Each module has a `Client`, its operations grouped by tag, and `types`;"]
        #![doc = " all share [`runtime`]: errors, responses, authentication and retries."]
        #![forbid(unsafe_code)]

        pub mod runtime;

        #(#declarations)*
    };
    let header = "// @generated by clientgen from clientgen.toml; edit the specs and regenerate, not this file.\n";
    emit::format_file(header, tokens).map_err(Error::Internal)
}

fn emit_ident(name: &str) -> proc_macro2::Ident {
    proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
}

/// Everything `clientgen generate --spec FILE --out DIR` writes: a crate that
/// builds on its own. `name` defaults to the spec's file stem.
pub fn standalone_files(spec: &Path, out: &Path, name: Option<&str>) -> Result<FileSet, Error> {
    standalone_files_with(spec, out, name, ApiOptions::default(), &Progress::silent())
}

/// [`standalone_files`] with options, telling `progress` what it is doing.
pub fn standalone_files_with(
    spec: &Path,
    out: &Path,
    name: Option<&str>,
    options: ApiOptions,
    progress: &Progress,
) -> Result<FileSet, Error> {
    progress.stage(format!("reading {}", spec.display()));
    let document = load::load_file(spec)?;
    progress.stage("resolving references and lowering");
    let mut api = lower::lower(&document)?;
    // The document is no longer needed; free it before the output grows.
    drop(document);
    let mut declared = Vec::new();
    let mut default = Vec::new();
    if options.tag_features {
        let layout = features::layout(&api, "", &[]);
        declared.extend(layout.features.iter().map(|f| FeatureDecl { name: f.name.clone(), enables: Vec::new() }));
        let every = layout.features.iter().map(|f| f.name.clone()).collect();
        declared.push(FeatureDecl { name: layout.all.clone(), enables: every });
        default.push(layout.all.clone());
        api.features = Some(layout);
    }
    let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let crate_name = match name {
        Some(name) => name.to_owned(),
        None => {
            let kebab: String = stem
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
                .collect();
            let kebab = kebab.trim_matches('-').to_owned();
            if kebab.is_empty() || kebab.starts_with(|c: char| c.is_ascii_digit()) { format!("api-{kebab}") } else { kebab }
        }
    };
    let origin = spec.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ModuleFiles { root, operations, types } =
        emit::render_module_with(&api, &origin, true, progress).map_err(Error::Internal)?;
    let description = format!("A typed async client of the {} API", api.title.trim());
    let rows = [(String::from("crate root"), String::from("-"), api.title.clone(), api.version.clone())];
    let info = CrateInfo {
        name: &crate_name,
        version: "0.1.0",
        description: &description,
        features: &declared,
        default: &default,
        all_tags: &default,
        standalone: true,
        apis: &rows,
    };
    let mut files = FileSet { root: out.to_path_buf(), ..FileSet::default() };
    files.files.insert(PathBuf::from("Cargo.toml"), templates::cargo_toml(&info));
    files.files.insert(PathBuf::from("README.md"), templates::readme(&info));
    files.files.insert(PathBuf::from("src/runtime.rs"), templates::RUNTIME.to_owned());
    files.files.insert(PathBuf::from("src/lib.rs"), root);
    files.files.insert(PathBuf::from("src/operations.rs"), operations);
    files.files.insert(PathBuf::from("src/types.rs"), types);
    Ok(files)
}
