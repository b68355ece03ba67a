//! With per-tag features, the `types` and `operations` modules as one file per
//! gate.
//!
//! Each submodule is declared behind the features that need it, and rustc
//! does not read the file of a module whose `cfg` is off: a user of one slice
//! of Microsoft Graph parses that slice, not four million lines, and no item
//! needs a `cfg` of its own (a shared type once carried a list of dozens of
//! features on each of its impls). The public paths do not change: the root
//! re-exports every submodule.

use std::collections::BTreeSet;
use std::ops::Range;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::example::Example;
use crate::emit::format::{assemble, format_piece, format_pieces};
use crate::emit::gates::Gates;
use crate::emit::settings::Runtime;
use crate::emit::tokens::ident;
use crate::emit::{operations, types};
use crate::ir::{Api, Operation, OperationFile, TypeId};
use crate::progress::Progress;

/// A module written as a root file and one file per submodule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitModule {
    /// The module's own file (`types.rs`): declarations and re-exports.
    pub root: String,
    /// The submodules' files, by path relative to the root's directory
    /// (`types/pet_store.rs`), in declaration order.
    pub parts: Vec<(String, String)>,
}

/// `#[cfg(..)] mod name; #[cfg(..)] pub use name::*;`
fn declare(module: &str, cfg: &TokenStream) -> TokenStream {
    let name = ident(module);
    quote! {
        #cfg
        mod #name;
        #cfg
        pub use #name::*;
    }
}

/// What turns a file on, for its inner doc.
fn gate_doc(gates: Gates<'_>, features: &[usize]) -> String {
    let names = gates.feature_names(features);
    match names.as_slice() {
        [] => format!(" Compiled in with `{}` only: no operation uses these.", gates.all_name()),
        [one] => format!(" Compiled in with the feature `{one}`."),
        many => {
            let list: Vec<String> = many.iter().map(|name| format!("`{name}`")).collect();
            format!(" Compiled in with any of the features {}.", list.join(", "))
        }
    }
}

/// The `types` module: `types.rs` declares one submodule per set of features
/// that need the same types; each file imports from its siblings exactly the
/// types its own mention. `runtime` as reached from `types`.
pub fn types_module(
    api: &Api,
    gates: Gates<'_>,
    header: &str,
    inner: TokenStream,
    progress: &Progress,
    runtime: Runtime,
) -> Result<SplitModule, String> {
    let names: Vec<&str> = api.types.iter().map(|def| def.name.as_str()).collect();
    let files = gates.type_files();
    let pieces = format_pieces(
        names.len(),
        &|index| types::render(&api.types[index], runtime.inner()),
        progress,
        "writing types",
    )?;
    let declarations = files.iter().map(|file| declare(&file.module, &gates.of_features(&file.features)));
    let root = assemble(header, inner, [format_piece(quote!(#(#declarations)*))?.as_str()])?;
    // Each type's file, by index.
    let mut file_of: Vec<Option<usize>> = vec![None; api.types.len()];
    for (number, file) in files.iter().enumerate() {
        for &t in &file.types {
            file_of[t] = Some(number);
        }
    }
    let mut parts = Vec::with_capacity(files.len());
    for (number, file) in files.iter().enumerate() {
        // Names from other files, sorted: the order `use` lists them in.
        let imported: BTreeSet<&str> = file
            .types
            .iter()
            .flat_map(|&t| api.types[t].kind.uses())
            .filter_map(|ty| ty.named())
            .filter(|id| file_of[id.index()].is_some_and(|file| file != number))
            .map(TypeId::name)
            .collect();
        let imports = use_list(quote!(super), imported.iter().map(|name| ident(name)).collect());
        let doc = gate_doc(gates, &file.features);
        let imports = format_piece(quote!(#imports))?;
        let text = assemble(
            header,
            quote!(#![doc = #doc]),
            std::iter::once(imports.as_str()).chain(file.types.iter().map(|&t| pieces[t].as_str())),
        )?;
        parts.push((format!("types/{}.rs", file.module), text));
    }
    Ok(SplitModule { root, parts })
}

/// One piece of the split `operations` module.
#[derive(Debug, Clone)]
enum Piece {
    /// The root's import of `Client` and its group accessors.
    Accessors,
    /// A group's handle struct, in the root.
    Handle(usize),
    /// The root's submodule declarations and its `markers` re-exports.
    Declarations,
    /// A feature file's imports.
    Imports(usize),
    /// The methods of one group in a feature file: a file and a range of its operations.
    Methods(usize, Range<usize>),
    /// An operation's request builder, by group and operation.
    Builder(usize, usize),
    /// A feature file's `markers` module.
    Markers(usize),
}

/// The `operations` module: `operations.rs` holds the group handles and
/// declares one submodule per feature, holding the feature's methods on the
/// handles, its request builders and its markers. `runtime` as reached from
/// `operations`.
pub fn operations_module(
    api: &Api,
    gates: Gates<'_>,
    header: &str,
    inner: TokenStream,
    progress: &Progress,
    examples: Option<&[Vec<Example>]>,
    runtime: Runtime,
) -> Result<SplitModule, String> {
    let files = gates.operation_files();
    let mut pieces = vec![Piece::Accessors];
    pieces.extend((0..api.groups.len()).map(Piece::Handle));
    pieces.push(Piece::Declarations);
    let root = 0..pieces.len();
    let mut ranges = Vec::with_capacity(files.len());
    for (number, file) in files.iter().enumerate() {
        let start = pieces.len();
        pieces.push(Piece::Imports(number));
        let mut run = 0;
        while run < file.operations.len() {
            let group = file.operations[run].0;
            let end = run + file.operations[run..].iter().take_while(|(g, _)| *g == group).count();
            pieces.push(Piece::Methods(number, run..end));
            pieces.extend(file.operations[run..end].iter().map(|&(g, o)| Piece::Builder(g, o)));
            run = end;
        }
        pieces.push(Piece::Markers(number));
        ranges.push(start..pieces.len());
    }
    let render = |index: usize| render_piece(api, gates, files, &pieces[index], examples, runtime);
    let texts = format_pieces(pieces.len(), &render, progress, "writing operations")?;
    let root = assemble(header, inner, texts[root].iter().map(String::as_str))?;
    let mut parts = Vec::with_capacity(files.len());
    for (file, range) in files.iter().zip(ranges) {
        let doc = gate_doc(gates, &[file.feature]);
        let text = assemble(header, quote!(#![doc = #doc]), texts[range].iter().map(String::as_str))?;
        parts.push((format!("operations/{}.rs", file.module), text));
    }
    Ok(SplitModule { root, parts })
}

fn render_piece(
    api: &Api,
    gates: Gates<'_>,
    files: &[OperationFile],
    piece: &Piece,
    examples: Option<&[Vec<Example>]>,
    runtime: Runtime,
) -> TokenStream {
    // The feature files are submodules of `operations`.
    let in_file = runtime.inner();
    match piece {
        Piece::Accessors => {
            let accessors = operations::accessors(api, |g| gates.of_group(g));
            quote! {
                use super::Client;

                #accessors
            }
        }
        Piece::Handle(g) => operations::handle_struct(&api.groups[*g], &gates.of_group(*g)),
        Piece::Declarations => {
            let declarations = files.iter().map(|file| declare(&file.module, &gates.of_features(&[file.feature])));
            let markers = files.iter().map(|file| {
                let cfg = gates.of_features(&[file.feature]);
                let module = ident(&file.module);
                quote! {
                    #cfg
                    pub use super::#module::markers::*;
                }
            });
            let doc = format!(" One type per operation, naming it in [`{}::Call`]: the", runtime.inner().text());
            quote! {
                #(#declarations)*

                #[doc = #doc]
                /// calls of this module are `Call`s of these.
                pub mod markers {
                    #(#markers)*
                }
            }
        }
        Piece::Imports(number) => file_imports(api, &files[*number], in_file),
        Piece::Methods(number, range) => {
            let file = &files[*number];
            let group = file.operations[range.start].0;
            let examples = examples.and_then(|examples| examples.get(group)).map(Vec::as_slice);
            let operations = file.operations[range.clone()].iter().map(|&(_, o)| o);
            operations::handle_methods(api, &api.groups[group], operations, examples, in_file)
        }
        Piece::Builder(g, o) => {
            let group = &api.groups[*g];
            let example = examples.and_then(|examples| examples.get(*g)).and_then(|examples| examples.get(*o));
            operations::builder(group, &group.operations[*o], example, in_file)
        }
        Piece::Markers(number) => {
            let markers = files[*number].operations.iter().map(|&(g, o)| operations::marker(&api.groups[g].operations[o], in_file.inner()));
            quote! {
                /// The markers of this feature's operations.
                pub mod markers {
                    #(#markers)*
                }
            }
        }
    }
}

/// What a feature file uses: the handles it adds methods to, `types` and
/// `schemes` of the API module when its operations mention them, and the
/// runtime's result types, which every `send` names (`runtime` as reached
/// from the file).
fn file_imports(api: &Api, file: &OperationFile, runtime: Runtime) -> TokenStream {
    let operations: Vec<&Operation> = file.operations.iter().map(|&(g, o)| &api.groups[g].operations[o]).collect();
    let mut api_items = Vec::new();
    if operations.iter().any(|op| operations::uses_named_types(op)) {
        api_items.push(ident("types"));
    }
    if operations.iter().any(|op| op.names_security_schemes()) {
        api_items.push(ident("schemes"));
    }
    let mut groups: Vec<usize> = file.operations.iter().map(|&(g, _)| g).collect();
    groups.dedup();
    let handles = groups.into_iter().map(|g| ident(&api.groups[g].type_name)).collect();
    let from_api = use_list(quote!(super::super), api_items);
    let from_operations = use_list(quote!(super), handles);
    let runtime = runtime.tokens();
    quote! {
        #from_api
        #from_operations
        use #runtime::{Error, ResponseValue};
    }
}

/// `use path::name;` or `use path::{a, b};`; nothing for no names.
fn use_list(path: TokenStream, names: Vec<proc_macro2::Ident>) -> Option<TokenStream> {
    match names.as_slice() {
        [] => None,
        [one] => Some(quote!(use #path::#one;)),
        many => Some(quote!(use #path::{#(#many),*};)),
    }
}
