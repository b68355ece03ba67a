//! clientgen: typed async Rust clients from OpenAPI documents (Swagger 2.0,
//! OpenAPI 3.0 and 3.1, in one file or several).
//!
//! From a build script, [`Builder`] generates one spec into `OUT_DIR`.
//!
//! The pipeline runs one way: [`load`] (YAML/JSON files → one tree → upgraded
//! to 3.0 → `openapiv3`, with a map back to the user's files) → [`lower`] (references, names, cycles → the plain-data [`ir`])
//! → [`features`] (per-tag Cargo features) or [`select`] (only some tags)
//! → [`emit`] (IR → Rust source via `quote` and `prettyplease`) → [`output`]
//! (atomic, write-if-changed files). Every way in (the workspace, a standalone
//! crate, [`Builder`], the tests) runs it through a [`Generator`], which holds
//! what differs between them.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod config;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod features;
pub mod ir;
pub mod load;
mod locate;
pub mod lower;
pub mod naming;
pub mod output;
mod parallel;
pub mod pointer;
pub mod progress;
pub mod resolve;
mod server_rules;
pub mod templates;
mod build_script;
mod generator;
pub mod select;

pub use build_script::Builder;
pub use generator::{Generator, Lowered, Module, Tags};

use std::path::{Path, PathBuf};

use quote::quote;

use crate::diagnostics::Diagnostics;
use crate::emit::ModuleFiles;
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
    /// The same warnings and files with the output turned into another.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Generated<U> {
        Generated { output: f(self.output), warnings: self.warnings, files_read: self.files_read }
    }
}

/// How one API of a standalone crate is generated, beyond its spec.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApiOptions {
    /// Put each tag's operations and the types they reach behind a Cargo feature.
    pub tag_features: bool,
}

/// Everything `clientgen generate` writes for the workspace at `root`.
pub fn workspace_files(root: &Path) -> Result<Generated<FileSet>, Error> {
    workspace_files_with(root, &Progress::silent())
}

/// [`workspace_files`], telling `progress` what it is doing.
pub fn workspace_files_with(root: &Path, progress: &Progress) -> Result<Generated<FileSet>, Error> {
    let config = config::read(root).map_err(Error::Config)?;
    let krate = config.krate.name.replace('-', "_");
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut files_read = Vec::new();
    let mut lowered = Vec::new();
    // Feature names are unique crate-wide: the APIs' first, then each API's tags.
    let mut taken: Vec<String> = config.apis.iter().map(|a| a.feature().to_owned()).collect();
    let loader = load::Loader::new(root, &load::read_regular_file);
    for api_config in &config.apis {
        progress.stage(format!("reading {}", api_config.spec.display()));
        let module = api_config.module();
        let origin = api_config.spec.to_string_lossy().replace('\\', "/");
        let mut generator = Generator::crate_module(origin).documented(format!("{krate}::{module}"), krate.as_str());
        if api_config.tag_features {
            generator = generator.tag_features(format!("{}-", api_config.feature()), taken.clone());
        }
        // Diagnostics name the spec as the configuration does, relative to the root.
        match loader.load(&api_config.spec).map_err(Error::from).and_then(|doc| generator.lower(doc)) {
            Ok(generated) => {
                warnings.extend(generated.warnings.0);
                files_read.extend(generated.files_read);
                if let Some(layout) = &generated.output.features {
                    taken.extend(layout.features.iter().map(|f| f.name.clone()));
                    taken.push(layout.all.clone());
                }
                lowered.push((api_config, generator, generated.output));
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
    let mut declared = Vec::new();
    let mut default = Vec::new();
    let mut all_tags = Vec::new();
    for (api_config, generator, lowered) in &lowered {
        let name = api_config.feature().to_owned();
        let module = api_config.module();
        let api = &lowered.api;
        // An API's feature turns on the runtime parts its spec needs.
        let runtime = api.runtime_features().into_iter().map(str::to_owned).collect();
        declared.push(FeatureDecl { name: name.clone(), enables: runtime });
        match &lowered.features {
            None => default.push(name.clone()),
            Some(layout) => {
                let tags = layout.features.iter().map(|f| FeatureDecl { name: f.name.clone(), enables: vec![name.clone()] });
                declared.extend(tags);
                declared.push(FeatureDecl { name: layout.all.clone(), enables: feature_names(layout) });
                default.push(layout.all.clone());
                all_tags.push(layout.all.clone());
            }
        }
        progress.stage(format!("writing {}", generator.origin()));
        let ModuleFiles { root: mod_rs, operations, types, parts, guide } = generator.emit(lowered, progress)?;
        files.files.insert(PathBuf::from("docs").join(format!("{module}.md")), guide.unwrap_or_default());
        let dir = PathBuf::from("src").join(&module);
        files.files.insert(dir.join("mod.rs"), mod_rs);
        files.files.insert(dir.join("operations.rs"), operations);
        files.files.insert(dir.join("types.rs"), types);
        files.files.extend(parts.into_iter().map(|(path, text)| (dir.join(path), text)));
        rows.push((module.clone(), name.clone(), api.title.clone(), api.version.clone()));
        modules.push((module, name, api.title.clone()));
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
    let mut generator = Generator::crate_root(origin).documented(krate.as_str(), krate.as_str());
    if options.tag_features {
        generator = generator.tag_features("", Vec::new());
    }
    progress.stage(format!("reading {}", spec.display()));
    let Generated { output, warnings, files_read } = generator.generate_file(spec, progress)?;
    let Module { lowered, files: ModuleFiles { root, operations, types, parts, guide } } = output;
    let api = &lowered.api;
    // A standalone crate needs its runtime parts always.
    let mut default: Vec<String> = api.runtime_features().into_iter().map(str::to_owned).collect();
    let mut declared: Vec<FeatureDecl> = Vec::new();
    let mut all_tags = Vec::new();
    if let Some(layout) = &lowered.features {
        declared.extend(layout.features.iter().map(|f| FeatureDecl { name: f.name.clone(), enables: Vec::new() }));
        declared.push(FeatureDecl { name: layout.all.clone(), enables: feature_names(layout) });
        default.push(layout.all.clone());
        all_tags.push(layout.all.clone());
    }
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
    files.files.insert(PathBuf::from("docs/usage.md"), guide.unwrap_or_default());
    Ok(Generated { output: files, warnings, files_read })
}

/// The names of a layout's per-tag features, in order.
fn feature_names(layout: &ir::FeatureLayout) -> Vec<String> {
    layout.features.iter().map(|f| f.name.clone()).collect()
}
