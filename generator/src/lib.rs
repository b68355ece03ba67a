//! clientgen: typed async Rust clients from OpenAPI documents (Swagger 2.0,
//! OpenAPI 3.0 and 3.1, in one file or several).
//!
//! From a build script, [`Builder`] generates one spec into `OUT_DIR`.
//!
//! The pipeline runs one way: [`load`] (YAML/JSON files → one tree → upgraded
//! to 3.0 → `openapiv3`, with a map back to the user's files) → [`lower`] (references, names, cycles → the plain-data [`ir`])
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
mod parallel;
pub mod progress;
pub mod resolve;
mod server_rules;
pub mod templates;
mod build_script;

pub use build_script::Builder;

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
    /// A command-line argument cannot be used (a crate name Cargo rejects, say).
    Usage(String),
    /// A file could not be read or written (`path: cannot read …: reason`).
    Io(String),
    /// A bug in clientgen: the generated code did not parse.
    Internal(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Input(diagnostics) => write!(f, "{diagnostics}"),
            Error::Config(message) | Error::Usage(message) | Error::Io(message) | Error::Internal(message) => {
                writeln!(f, "{message}")
            }
        }
    }
}

impl std::error::Error for Error {}

impl From<Diagnostics> for Error {
    fn from(diagnostics: Diagnostics) -> Self {
        Error::Input(diagnostics)
    }
}

impl From<load::LoadError> for Error {
    fn from(error: load::LoadError) -> Self {
        match error {
            load::LoadError::Unreadable { path, error } => {
                Error::Io(format!("{}: cannot read the spec: {error}", path.display()))
            }
            load::LoadError::Input(diagnostics) => Error::Input(diagnostics),
        }
    }
}

/// What a successful run made, with the warnings raised on the way and every
/// input file it read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated<T> {
    /// The output.
    pub output: T,
    /// Degraded constructs, each located in its file.
    pub warnings: Diagnostics,
    /// Every spec file read (the root first), as opened.
    pub files_read: Vec<PathBuf>,
}

impl<T> Generated<T> {
    /// The same warnings and files with another output.
    fn with<U>(self, output: U) -> Generated<U> {
        Generated { output, warnings: self.warnings, files_read: self.files_read }
    }
}

/// Loads and lowers a loaded document; warnings of both stages come along.
fn lower_document(document: &load::Document) -> Result<Generated<Api>, Error> {
    let api = lower::lower(document)?;
    Ok(Generated { output: api, warnings: document.warnings(), files_read: document.files_read.clone() })
}

/// Loads and lowers one spec (and the files it references).
pub fn api_from_file(spec: &Path) -> Result<Generated<Api>, Error> {
    lower_document(&load::load_file(spec)?)
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
pub fn module_from_file(spec: &Path, origin: &str, options: ApiOptions) -> Result<Generated<ModuleFiles>, Error> {
    let mut generated = api_from_file(spec)?;
    if options.tag_features {
        generated.output.features = Some(features::layout(&generated.output, "", &[]));
    }
    let module = emit::render_module(&generated.output, origin, false).map_err(Error::Internal)?;
    Ok(generated.with(module))
}

/// [`module_from_file`] with each operation's example as the doctest of its
/// method, and the usage guide; `paths` says how the module is reached from
/// the crate that compiles it.
pub fn documented_module_from_file(
    spec: &Path,
    origin: &str,
    options: ApiOptions,
    paths: emit::DocPaths<'_>,
) -> Result<Generated<(ModuleFiles, String)>, Error> {
    let mut generated = api_from_file(spec)?;
    if options.tag_features {
        generated.output.features = Some(features::layout(&generated.output, "", &[]));
    }
    let api = &generated.output;
    let (module, guide) =
        emit::render_documented(api, origin, false, &Progress::silent(), paths).map_err(Error::Internal)?;
    Ok(generated.with((module, guide)))
}

/// Everything `clientgen generate` writes for the workspace at `root`.
pub fn workspace_files(root: &Path) -> Result<Generated<FileSet>, Error> {
    workspace_files_with(root, &Progress::silent())
}

/// [`workspace_files`], telling `progress` what it is doing.
pub fn workspace_files_with(root: &Path, progress: &Progress) -> Result<Generated<FileSet>, Error> {
    let config = config::read(root).map_err(Error::Config)?;
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut files_read = Vec::new();
    let mut rendered = Vec::new();
    let loader = load::Loader::new(root, &load::read_regular_file);
    for api_config in &config.apis {
        progress.stage(format!("reading {}", api_config.spec.display()));
        // Diagnostics name the spec as the configuration does, relative to the root.
        let lowered = loader.load(&api_config.spec).map_err(Error::from).and_then(|doc| lower_document(&doc));
        match lowered {
            Ok(generated) => {
                warnings.extend(generated.warnings.0);
                files_read.extend(generated.files_read);
                rendered.push((api_config, generated.output));
            }
            Err(Error::Input(diagnostics)) => problems.extend(diagnostics.0),
            Err(other) => return Err(other),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(Diagnostics(problems)));
    }
    let mut files = FileSet { root: root.join(&config.krate.path), ..FileSet::default() };
    let mut rows = Vec::new();
    let mut modules = Vec::new();
    // Feature names are unique crate-wide: the APIs' first, then each API's tags.
    let mut taken: Vec<String> = config.apis.iter().map(|a| a.feature().to_owned()).collect();
    let mut declared = Vec::new();
    let mut default = Vec::new();
    let mut all_tags = Vec::new();
    for (api_config, api) in &mut rendered {
        let name = api_config.feature().to_owned();
        // An API's feature turns on the runtime parts its spec needs.
        let runtime = api.runtime_features().into_iter().map(str::to_owned).collect();
        declared.push(FeatureDecl { name: name.clone(), enables: runtime });
        if !api_config.tag_features {
            default.push(name);
            continue;
        }
        let layout = features::layout(api, &format!("{name}-"), &taken);
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
        let krate = config.krate.name.replace('-', "_");
        let paths = emit::DocPaths { module: &format!("{krate}::{module}"), krate: &krate };
        let (ModuleFiles { root: mod_rs, operations, types, parts }, guide) =
            emit::render_documented(api, &origin, false, progress, paths).map_err(Error::Internal)?;
        files.files.insert(PathBuf::from("docs").join(format!("{module}.md")), guide);
        let dir = PathBuf::from("src").join(&module);
        files.files.insert(dir.join("mod.rs"), mod_rs);
        files.files.insert(dir.join("operations.rs"), operations);
        files.files.insert(dir.join("types.rs"), types);
        files.files.extend(parts.into_iter().map(|(path, text)| (dir.join(path), text)));
        rows.push((module.clone(), api_config.feature().to_owned(), api.title.clone(), api.version.clone()));
        modules.push((module, api_config.feature().to_owned(), api.title.clone()));
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
    files.files.extend(templates::runtime_files());
    files.files.insert(PathBuf::from("src/lib.rs"), crate_root(&info, &modules)?);
    Ok(Generated { output: files, warnings: Diagnostics(warnings), files_read })
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
    let reexports = emit::reexports();
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

        #reexports

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
pub fn standalone_files(spec: &Path, out: &Path, name: Option<&str>) -> Result<Generated<FileSet>, Error> {
    standalone_files_with(spec, out, name, ApiOptions::default(), &Progress::silent())
}

/// [`standalone_files`] with options, telling `progress` what it is doing.
pub fn standalone_files_with(
    spec: &Path,
    out: &Path,
    name: Option<&str>,
    options: ApiOptions,
    progress: &Progress,
) -> Result<Generated<FileSet>, Error> {
    if let Some(name) = name {
        naming::check_package_name(name).map_err(|problem| Error::Usage(format!("--name: {problem}")))?;
    }
    progress.stage(format!("reading {}", spec.display()));
    let mut generated = api_from_file(spec)?;
    let mut declared: Vec<FeatureDecl> = Vec::new();
    // A standalone crate needs its runtime parts always.
    let mut default: Vec<String> = generated.output.runtime_features().into_iter().map(str::to_owned).collect();
    let mut all_tags = Vec::new();
    if options.tag_features {
        let layout = features::layout(&generated.output, "", &[]);
        declared.extend(layout.features.iter().map(|f| FeatureDecl { name: f.name.clone(), enables: Vec::new() }));
        let every = layout.features.iter().map(|f| f.name.clone()).collect();
        declared.push(FeatureDecl { name: layout.all.clone(), enables: every });
        default.push(layout.all.clone());
        all_tags.push(layout.all.clone());
        generated.output.features = Some(layout);
    }
    let api = &generated.output;
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
    let krate = crate_name.replace('-', "_");
    let paths = emit::DocPaths { module: &krate, krate: &krate };
    let (ModuleFiles { root, operations, types, parts }, guide) =
        emit::render_documented(api, &origin, true, progress, paths).map_err(Error::Internal)?;
    let description = format!("A typed async client of the {} API", api.title.trim());
    let rows = [(String::from("crate root"), String::from("-"), api.title.clone(), api.version.clone())];
    let info = CrateInfo {
        name: &crate_name,
        version: "0.1.0",
        description: &description,
        features: &declared,
        default: &default,
        all_tags: &all_tags,
        standalone: true,
        apis: &rows,
    };
    let mut files = FileSet { root: out.to_path_buf(), ..FileSet::default() };
    files.files.insert(PathBuf::from("Cargo.toml"), templates::cargo_toml(&info));
    files.files.insert(PathBuf::from("README.md"), templates::readme(&info));
    files.files.extend(templates::runtime_files());
    files.files.insert(PathBuf::from("src/lib.rs"), root);
    files.files.insert(PathBuf::from("src/operations.rs"), operations);
    files.files.insert(PathBuf::from("src/types.rs"), types);
    files.files.extend(parts.into_iter().map(|(path, text)| (PathBuf::from("src").join(path), text)));
    files.files.insert(PathBuf::from("docs/usage.md"), guide);
    Ok(generated.with(files))
}
