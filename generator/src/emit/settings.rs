//! What emission takes besides the IR: where the module sits, where it
//! reaches the runtime, its per-tag features, and how doctests reach it.
//! Every way in (`clientgen::Generator`) fills one [`Settings`].

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::FeatureLayout;

/// How one API module is emitted.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    /// Names the spec in header comments and the module's docs.
    pub origin: &'a str,
    /// Where the generated code reaches the runtime.
    pub runtime: RuntimePath,
    /// Whether the module is its crate's root: it then declares `runtime`,
    /// re-exports the crates of its public API and forbids `unsafe`.
    pub crate_root: bool,
    /// Per-tag Cargo features: which feature compiles in which operations and
    /// types (the `types` and `operations` modules are then split into files).
    pub features: Option<&'a FeatureLayout>,
    /// With paths, each operation's example is the doctest of its method, and
    /// emission also writes the usage guide.
    pub docs: Option<DocPaths<'a>>,
}

/// Where the doctests of the operations' examples reach the module: its path
/// (`api_clients::payrix`) and the crate's name (`api_clients`).
#[derive(Debug, Clone, Copy)]
pub struct DocPaths<'p> {
    /// The API module's path.
    pub module: &'p str,
    /// The crate's name.
    pub krate: &'p str,
}

/// Where the runtime module is, as generated code names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuntimePath {
    /// `crate::runtime`, the same from every module: a generated crate's
    /// root declares the runtime.
    Crate,
    /// `runtime`, a child of the API module's root, named relative to each
    /// module: `self::runtime` from the root, `super::runtime` from `types`
    /// and `operations`. A module that carries its own runtime, and so can be
    /// included anywhere (a build script's file).
    Child,
}

impl RuntimePath {
    /// The runtime as reached from the API module's root.
    pub(crate) fn at_root(self) -> Runtime {
        Runtime { path: self, depth: 0 }
    }
}

/// The runtime's path from one module of the generated API: its
/// [`RuntimePath`] and how deep the module is below the API's root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Runtime {
    path: RuntimePath,
    depth: usize,
}

impl Runtime {
    /// The same runtime, reached from a submodule.
    pub fn inner(self) -> Runtime {
        Runtime { depth: self.depth + 1, ..self }
    }

    /// The path as tokens: `crate::runtime`, `self::runtime`, `super::runtime`…
    pub fn tokens(self) -> TokenStream {
        match (self.path, self.depth) {
            (RuntimePath::Crate, _) => quote!(crate::runtime),
            (RuntimePath::Child, 0) => quote!(self::runtime),
            (RuntimePath::Child, depth) => {
                let supers = std::iter::repeat_n(quote!(super::), depth);
                quote!(#(#supers)* runtime)
            }
        }
    }

    /// The path as text, for intra-doc links.
    pub fn text(self) -> String {
        match (self.path, self.depth) {
            (RuntimePath::Crate, _) => String::from("crate::runtime"),
            (RuntimePath::Child, 0) => String::from("self::runtime"),
            (RuntimePath::Child, depth) => format!("{}runtime", "super::".repeat(depth)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_the_runtime_from_each_depth() {
        let crate_wide = RuntimePath::Crate.at_root();
        assert_eq!(crate_wide.inner().inner().text(), "crate::runtime");
        assert_eq!(crate_wide.inner().tokens().to_string(), "crate :: runtime");
        let child = RuntimePath::Child.at_root();
        assert_eq!(child.text(), "self::runtime");
        assert_eq!(child.tokens().to_string(), "self :: runtime");
        assert_eq!(child.inner().text(), "super::runtime");
        assert_eq!(child.inner().inner().text(), "super::super::runtime");
        assert_eq!(child.inner().inner().tokens().to_string(), "super :: super :: runtime");
    }
}
