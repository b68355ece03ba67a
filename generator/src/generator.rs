//! The one way from a spec to Rust code. The command line's workspace and
//! standalone crates, a build script's module and the tests differ only in
//! the [`Generator`] they make; each runs load → lower → (per-tag features or
//! a choice of tags) → emit through it.

use std::path::Path;

use crate::emit::{self, DocPaths, ModuleFiles, RuntimePath};
use crate::ir::{Api, FeatureLayout};
use crate::progress::Progress;
use crate::{Error, Generated, features, load, lower, select};

/// How one spec becomes one API module: everything that differs between the
/// places a module goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generator {
    /// Names the spec in header comments and docs.
    origin: String,
    /// Where the module's code reaches the runtime.
    runtime: RuntimePath,
    /// Whether the module is its crate's root.
    crate_root: bool,
    /// Which operations are generated, and behind which features.
    tags: Tags,
    /// How doctests reach the module: its path and its crate's name.
    docs: Option<(String, String)>,
}

/// Which of an API's operations a module has, and how they are gated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tags {
    /// Every operation, none gated.
    All,
    /// Every operation, each tag's behind a Cargo feature named
    /// `<prefix><tag>` that avoids the names `taken` in the crate.
    Features {
        /// Before each feature's name: `<api>-` in a crate of several APIs.
        prefix: String,
        /// The crate's feature names so far.
        taken: Vec<String>,
    },
    /// Only the operations of these tags, and exactly the types they reach
    /// (see [`select::only_tags`]).
    Only(Vec<String>),
}

/// An API lowered for one module, with its feature layout.
#[derive(Debug, Clone, PartialEq)]
pub struct Lowered {
    /// The API (only the chosen tags' part, with [`Tags::Only`]).
    pub api: Api,
    /// With [`Tags::Features`], which feature compiles in what.
    pub features: Option<FeatureLayout>,
}

/// One API module, generated.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// What it was emitted from.
    pub lowered: Lowered,
    /// Its files.
    pub files: ModuleFiles,
}

impl Generator {
    fn new(origin: impl Into<String>, runtime: RuntimePath, crate_root: bool) -> Self {
        Generator { origin: origin.into(), runtime, crate_root, tags: Tags::All, docs: None }
    }

    /// A module of a crate whose root declares the runtime (`crate::runtime`):
    /// an API of the workspace's crate, a golden module. `origin` names the
    /// spec in headers and docs.
    pub fn crate_module(origin: impl Into<String>) -> Self {
        Generator::new(origin, RuntimePath::Crate, false)
    }

    /// The root of a crate of its own (`clientgen generate --spec`): it
    /// declares the runtime and re-exports what its public API is made of.
    pub fn crate_root(origin: impl Into<String>) -> Self {
        Generator::new(origin, RuntimePath::Crate, true)
    }

    /// A module that carries its runtime as its child `runtime`, so that it
    /// can sit anywhere in a crate: a build script's file.
    pub fn self_contained(origin: impl Into<String>) -> Self {
        Generator::new(origin, RuntimePath::Child, false)
    }

    /// Puts each tag's operations, and the types they reach, behind a Cargo
    /// feature (see [`Tags::Features`]).
    pub fn tag_features(mut self, prefix: impl Into<String>, taken: Vec<String>) -> Self {
        self.tags = Tags::Features { prefix: prefix.into(), taken };
        self
    }

    /// Generates only the operations of `tags` and the types they reach.
    pub fn only_tags(mut self, tags: Vec<String>) -> Self {
        self.tags = Tags::Only(tags);
        self
    }

    /// Gives each operation's method its example as a doctest, and the module
    /// a usage guide; `module` is the module's path from outside its crate,
    /// `krate` the crate's name.
    pub fn documented(mut self, module: impl Into<String>, krate: impl Into<String>) -> Self {
        self.docs = Some((module.into(), krate.into()));
        self
    }

    /// The spec's name in headers and docs.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Lowers a loaded document and lays out its features (or keeps only the
    /// chosen tags); warnings of loading and lowering come along.
    pub fn lower(&self, document: &load::Document) -> Result<Generated<Lowered>, Error> {
        let api = lower::lower(document)?;
        let (api, features) = match &self.tags {
            Tags::All => (api, None),
            Tags::Features { prefix, taken } => {
                let layout = features::layout(&api, prefix, taken);
                (api, Some(layout))
            }
            Tags::Only(tags) => (select::only_tags(api, tags).map_err(Error::Config)?, None),
        };
        let lowered = Lowered { api, features };
        Ok(Generated { output: lowered, warnings: document.warnings(), files_read: document.files_read.clone() })
    }

    /// Emits the module of a lowered API, telling `progress` how far it got.
    pub fn emit(&self, lowered: &Lowered, progress: &Progress) -> Result<ModuleFiles, Error> {
        let settings = emit::Settings {
            origin: &self.origin,
            runtime: self.runtime,
            crate_root: self.crate_root,
            features: lowered.features.as_ref(),
            docs: self.docs.as_ref().map(|(module, krate)| DocPaths { module, krate }),
        };
        emit::render(&lowered.api, &settings, progress).map_err(Error::Internal)
    }

    /// [`Generator::lower`], then [`Generator::emit`].
    pub fn generate(&self, document: &load::Document, progress: &Progress) -> Result<Generated<Module>, Error> {
        let lowered = self.lower(document)?;
        let files = self.emit(&lowered.output, progress)?;
        Ok(lowered.map(|lowered| Module { lowered, files }))
    }

    /// Loads the spec at `spec` (and the files it references) and generates it.
    pub fn generate_file(&self, spec: &Path, progress: &Progress) -> Result<Generated<Module>, Error> {
        self.generate(&load::load_file(spec)?, progress)
    }
}
