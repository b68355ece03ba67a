//! Generating a client from a build script (`build.rs`) into `OUT_DIR`.

use std::path::{Path, PathBuf};

use syn::visit_mut::{self, VisitMut};

use crate::diagnostics::Diagnostics;
use crate::emit::ModuleFiles;
use crate::progress::Progress;
use crate::{Error, Generator, templates};

/// Generates the client of one spec into one Rust file, for `include!` from
/// a crate's own code; meant to run in `build.rs`.
///
/// The file holds one module (named after the spec's file stem unless
/// [`Builder::module`] says otherwise) with the client, its `types`, and its
/// own copy of the runtime, so it can be included anywhere in the crate:
///
/// ```no_run
/// // build.rs, in `fn main`
/// clientgen::Builder::new("petstore.yaml").generate().expect("petstore.yaml generates");
/// ```
///
/// ```ignore
/// // src/lib.rs: defines `mod petstore`
/// include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
/// ```
///
/// The crate needs the dependencies the generated code uses: those of
/// `templates/Cargo.toml` in clientgen's repository (reqwest, serde,
/// serde_json, chrono, uuid, bytes, thiserror, tokio, …).
///
/// In a build script, [`Builder::generate`] prints `cargo:rerun-if-changed`
/// for every spec file it read (the root and every file it references) and
/// each warning as `cargo:warning`.
///
/// With [`Builder::only_tags`], the module has only the operations of some
/// tags, and exactly the types they reach.
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    module: Option<String>,
    out_dir: Option<PathBuf>,
    tags: Option<Vec<String>>,
    deny_warnings: bool,
    cargo_instructions: bool,
}

impl Builder {
    /// A builder for the spec at `spec` (relative paths are relative to the
    /// package root, where Cargo runs build scripts).
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Builder {
            spec: spec.into(),
            module: None,
            out_dir: None,
            tags: None,
            deny_warnings: false,
            cargo_instructions: true,
        }
    }

    /// The module's name (default: the snake case of the spec's file stem);
    /// the file is `<module>.rs`.
    pub fn module(mut self, name: impl Into<String>) -> Self {
        self.module = Some(name.into());
        self
    }

    /// Where the file goes (default: the `OUT_DIR` Cargo gives build scripts).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Generates only the operations of these tags and the types they reach
    /// (default: every operation). A tag is named as the spec writes it, or in
    /// kebab case as a per-tag Cargo feature of a generated crate would be
    /// (`pet-store`); an operation without tags counts under the first
    /// segment of its path (`/charges`). A name that is not a tag of the spec
    /// fails the build, listing the tags there are.
    ///
    /// A build script's file has no Cargo features of its own; to follow the
    /// including crate's, pass the tags whose features are on, which Cargo
    /// tells build scripts in `CARGO_FEATURE_<NAME>` variables.
    pub fn only_tags<I>(mut self, tags: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.tags = Some(tags.into_iter().map(Into::into).collect());
        self
    }

    /// Makes warnings errors (default: warnings are reported, generation goes on).
    pub fn deny_warnings(mut self, deny: bool) -> Self {
        self.deny_warnings = deny;
        self
    }

    /// Whether to print `cargo:` instructions (default: yes).
    pub fn cargo_instructions(mut self, print: bool) -> Self {
        self.cargo_instructions = print;
        self
    }

    /// Generates the file and returns its path. Warnings (and, on failure, the
    /// diagnostics) are located in the spec's files, as on the command line.
    pub fn generate(self) -> Result<PathBuf, Error> {
        let loaded = crate::load::load_file(&self.spec);
        if self.cargo_instructions {
            // Even a failed run depends on the root spec: Cargo must rerun when it is fixed.
            println!("cargo:rerun-if-changed={}", self.spec.display());
        }
        let document = loaded?;
        let origin = self.spec.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let mut generator = Generator::self_contained(origin.as_str());
        if let Some(tags) = self.tags {
            generator = generator.only_tags(tags);
        }
        if self.cargo_instructions {
            for file in document.files_read.iter().skip(1) {
                println!("cargo:rerun-if-changed={}", file.display());
            }
        }
        let lowered = generator.lower(document)?;
        let warnings = lowered.warnings.clone();
        if self.deny_warnings && !warnings.0.is_empty() {
            return Err(Error::Input(warnings.denied()));
        }
        if self.cargo_instructions {
            for warning in &warnings.0 {
                println!("cargo:warning={warning}");
            }
        }
        let module = match self.module {
            Some(module) => module,
            None => crate::naming::snake(&self.spec.file_stem().unwrap_or_default().to_string_lossy(), "api")
                .trim_start_matches("r#")
                .to_owned(),
        };
        if syn::parse_str::<syn::Ident>(&module).is_err() {
            return Err(Error::Config(format!("module name `{module}` is not a Rust identifier")));
        }
        let files = generator.emit(&lowered.output, &Progress::silent())?;
        let runtime = runtime_module(&lowered.output.api.runtime_features())?;
        let text = single_file(&module, &origin, files, runtime)?;
        let dir = match self.out_dir {
            Some(dir) => dir,
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| Error::Config(String::from("OUT_DIR is not set: run from build.rs or call out_dir()")))?,
        };
        let path = dir.join(format!("{module}.rs"));
        write_if_changed(&path, &text)?;
        Ok(path)
    }
}

/// One module holding the API's root, its `operations` and `types` inline, and
/// its own copy of the runtime, which the emitted code reaches relative to
/// itself ([`RuntimePath::Child`](crate::emit::RuntimePath::Child)).
fn single_file(module: &str, origin: &str, files: ModuleFiles, runtime: syn::Item) -> Result<String, Error> {
    // A build script's module has no per-tag features, so none is split into files.
    if !files.parts.is_empty() {
        return Err(Error::Internal(String::from("internal error: a build script's module was split into files")));
    }
    let parse = |text: &str, what: &str| {
        syn::parse_file(text).map_err(|e| Error::Internal(format!("internal error: {what} does not parse: {e}")))
    };
    let mut root = parse(&files.root, "the module root")?;
    let inline = |text: &str, name: &str| -> Result<syn::Item, Error> {
        let file = parse(text, name)?;
        let ident = syn::Ident::new(name, proc_macro2::Span::call_site());
        let attrs = &file.attrs;
        let items = &file.items;
        Ok(syn::parse_quote! { pub mod #ident { #(#attrs)* #(#items)* } })
    };
    let mut operations = Some(inline(&files.operations, "operations")?);
    let mut types = Some(inline(&files.types, "types")?);
    let mut items = Vec::with_capacity(root.items.len() + 1);
    for item in root.items.drain(..) {
        match &item {
            syn::Item::Mod(declared) if declared.content.is_none() && declared.ident == "operations" => {
                items.extend(operations.take());
            }
            syn::Item::Mod(declared) if declared.content.is_none() && declared.ident == "types" => {
                items.extend(types.take());
            }
            _ => items.push(item),
        }
    }
    items.push(runtime);
    let ident = syn::Ident::new(module, proc_macro2::Span::call_site());
    let attrs = &root.attrs;
    let file: syn::File = syn::parse_quote! {
        pub mod #ident {
            #(#attrs)*
            #(#items)*
        }
    };
    let header = format!("// @generated by clientgen from {origin} (build script); edit the spec, not this file.\n\n");
    Ok(format!("{header}{}", prettyplease::unparse(&file)))
}

/// The runtime as one inline module: `templates/runtime/mod.rs` with each of
/// its `mod x;` replaced by the file's items. The optional parts, which a
/// generated crate has behind Cargo features, are kept exactly when the API
/// needs them (`needed`, by feature name), and their `cfg`s go: the including
/// crate has no such features.
fn runtime_module(needed: &[&str]) -> Result<syn::Item, Error> {
    let mut selector = FeatureSelector { on: needed };
    let mut source = |name: &str| -> Result<syn::File, Error> {
        let (_, text) = templates::RUNTIME
            .iter()
            .find(|(file, _)| *file == name)
            .ok_or_else(|| Error::Internal(format!("internal error: the runtime has no {name}")))?;
        let mut file = syn::parse_file(text)
            .map_err(|e| Error::Internal(format!("internal error: runtime {name} does not parse: {e}")))?;
        selector.visit_file_mut(&mut file);
        Ok(file)
    };
    let root = source("mod.rs")?;
    let mut items = Vec::with_capacity(root.items.len());
    for item in root.items {
        match item {
            syn::Item::Mod(declared) if declared.content.is_none() => {
                let file = source(&format!("{}.rs", declared.ident))?;
                let (attrs, vis, ident, inner_attrs, inner) = (&declared.attrs, &declared.vis, &declared.ident, &file.attrs, &file.items);
                items.push(syn::parse_quote! { #(#attrs)* #vis mod #ident { #(#inner_attrs)* #(#inner)* } });
            }
            other => items.push(other),
        }
    }
    let attrs = &root.attrs;
    Ok(syn::parse_quote! { pub mod runtime { #(#attrs)* #(#items)* } })
}

/// Settles `#[cfg(..)]`s on Cargo features: an item (or variant, field,
/// match arm, statement) whose features are on loses the attribute; one whose
/// features are off goes. Other `cfg`s are left to rustc.
struct FeatureSelector<'a> {
    /// The features that are on.
    on: &'a [&'a str],
}

impl FeatureSelector<'_> {
    /// Whether to keep what carries `attrs`; settled `cfg`s are removed.
    fn keep(&self, attrs: &mut Vec<syn::Attribute>) -> bool {
        let mut keep = true;
        attrs.retain(|attr| {
            if !attr.path().is_ident("cfg") {
                return true;
            }
            match attr.parse_args::<syn::Meta>().ok().and_then(|meta| self.holds(&meta)) {
                Some(holds) => {
                    keep &= holds;
                    false
                }
                None => true,
            }
        });
        keep
    }

    /// The value of a `cfg` predicate made of `feature = ".."`, `all`, `any`
    /// and `not`; `None` when it tests anything else.
    fn holds(&self, meta: &syn::Meta) -> Option<bool> {
        match meta {
            syn::Meta::NameValue(pair) if pair.path.is_ident("feature") => match &pair.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(name), .. }) => {
                    Some(self.on.contains(&name.value().as_str()))
                }
                _ => None,
            },
            syn::Meta::List(list) => {
                let nested = list
                    .parse_args_with(syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
                    .ok()?;
                let values = nested.iter().map(|meta| self.holds(meta)).collect::<Option<Vec<bool>>>()?;
                if list.path.is_ident("all") {
                    Some(values.iter().all(|&v| v))
                } else if list.path.is_ident("any") {
                    Some(values.iter().any(|&v| v))
                } else if list.path.is_ident("not") && values.len() == 1 {
                    Some(!values[0])
                } else {
                    None
                }
            }
            _ => None,
        }
    }
}

/// The attributes of an item, when it can have any.
fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    use syn::Item;
    Some(match item {
        Item::Const(item) => &mut item.attrs,
        Item::Enum(item) => &mut item.attrs,
        Item::ExternCrate(item) => &mut item.attrs,
        Item::Fn(item) => &mut item.attrs,
        Item::ForeignMod(item) => &mut item.attrs,
        Item::Impl(item) => &mut item.attrs,
        Item::Macro(item) => &mut item.attrs,
        Item::Mod(item) => &mut item.attrs,
        Item::Static(item) => &mut item.attrs,
        Item::Struct(item) => &mut item.attrs,
        Item::Trait(item) => &mut item.attrs,
        Item::TraitAlias(item) => &mut item.attrs,
        Item::Type(item) => &mut item.attrs,
        Item::Union(item) => &mut item.attrs,
        Item::Use(item) => &mut item.attrs,
        _ => return None,
    })
}

impl VisitMut for FeatureSelector<'_> {
    fn visit_file_mut(&mut self, file: &mut syn::File) {
        file.items.retain_mut(|item| item_attrs(item).is_none_or(|attrs| self.keep(attrs)));
        visit_mut::visit_file_mut(self, file);
    }

    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        if let Some((_, items)) = &mut module.content {
            items.retain_mut(|item| item_attrs(item).is_none_or(|attrs| self.keep(attrs)));
        }
        visit_mut::visit_item_mod_mut(self, module);
    }

    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        block.items.retain_mut(|item| match item {
            syn::ImplItem::Const(item) => self.keep(&mut item.attrs),
            syn::ImplItem::Fn(item) => self.keep(&mut item.attrs),
            syn::ImplItem::Type(item) => self.keep(&mut item.attrs),
            syn::ImplItem::Macro(item) => self.keep(&mut item.attrs),
            _ => true,
        });
        visit_mut::visit_item_impl_mut(self, block);
    }

    fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
        retain(&mut item.variants, |variant| self.keep(&mut variant.attrs));
        visit_mut::visit_item_enum_mut(self, item);
    }

    fn visit_fields_named_mut(&mut self, fields: &mut syn::FieldsNamed) {
        retain(&mut fields.named, |field| self.keep(&mut field.attrs));
        visit_mut::visit_fields_named_mut(self, fields);
    }

    fn visit_expr_struct_mut(&mut self, expr: &mut syn::ExprStruct) {
        retain(&mut expr.fields, |field| self.keep(&mut field.attrs));
        visit_mut::visit_expr_struct_mut(self, expr);
    }

    fn visit_expr_match_mut(&mut self, expr: &mut syn::ExprMatch) {
        expr.arms.retain_mut(|arm| self.keep(&mut arm.attrs));
        visit_mut::visit_expr_match_mut(self, expr);
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        block.stmts.retain_mut(|stmt| match stmt {
            syn::Stmt::Local(local) => self.keep(&mut local.attrs),
            syn::Stmt::Item(item) => item_attrs(item).is_none_or(|attrs| self.keep(attrs)),
            syn::Stmt::Macro(mac) => self.keep(&mut mac.attrs),
            syn::Stmt::Expr(expr, _) => expr_attrs(expr).is_none_or(|attrs| self.keep(attrs)),
        });
        visit_mut::visit_block_mut(self, block);
    }
}

/// The attributes of an expression statement, for the kinds the runtime puts
/// a `cfg` on.
fn expr_attrs(expr: &mut syn::Expr) -> Option<&mut Vec<syn::Attribute>> {
    use syn::Expr;
    Some(match expr {
        Expr::Call(expr) => &mut expr.attrs,
        Expr::MethodCall(expr) => &mut expr.attrs,
        Expr::Block(expr) => &mut expr.attrs,
        Expr::Assign(expr) => &mut expr.attrs,
        _ => return None,
    })
}

/// `Vec::retain_mut` for a punctuated list; a trailing separator stays (in
/// `Walk { call, ..walk }`, the one before the rest).
fn retain<T, P: Default>(list: &mut syn::punctuated::Punctuated<T, P>, mut keep: impl FnMut(&mut T) -> bool) {
    let trailing = list.trailing_punct();
    let mut kept: syn::punctuated::Punctuated<T, P> =
        std::mem::take(list).into_iter().filter_map(|mut value| keep(&mut value).then_some(value)).collect();
    if trailing && !kept.empty_or_trailing() {
        kept.push_punct(P::default());
    }
    *list = kept;
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), Error> {
    if std::fs::read_to_string(path).is_ok_and(|existing| existing == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| Error::Io(format!("{}: cannot write: {e}", path.display())))
}

impl Diagnostics {
    /// True when there is no problem.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    /// The runtime's text for a build script that needs `features`.
    fn runtime_text(features: &[&str]) -> String {
        runtime_module(features).expect("the runtime template parses").into_token_stream().to_string()
    }

    #[test]
    fn the_runtime_keeps_exactly_the_optional_parts_the_api_needs_and_no_feature_cfg() {
        let sets = [&[][..], &["signing"], &["multipart"], &["multipart", "signing"], &["streaming"], &["sse"], &["streaming", "sse"]];
        for features in sets {
            let text = runtime_text(features);
            assert!(!text.contains("feature ="), "a feature cfg is left with {features:?}");
            assert_eq!(text.contains("mod signing"), features.contains(&"signing"), "{features:?}");
            assert_eq!(text.contains("BodySignature"), features.contains(&"signing"), "{features:?}");
            assert_eq!(text.contains("Multipart"), features.contains(&"multipart"), "{features:?}");
            assert_eq!(text.contains("mod stream"), features.contains(&"streaming"), "{features:?}");
            assert_eq!(text.contains("mod events"), features.contains(&"sse"), "{features:?}");
            // Tracing is the including crate's choice, which a build script cannot see.
            assert!(!text.contains("mod trace") && !text.contains("operation :"), "{features:?}");
        }
    }

    #[test]
    fn cfgs_on_other_things_than_features_are_left_to_rustc() {
        let selector = FeatureSelector { on: &["a"] };
        let mut file: syn::File = syn::parse_quote! {
            #[cfg(test)] mod tests {}
            #[cfg(all(feature = "a", not(feature = "b")))] fn kept() {}
            #[cfg(any(feature = "b", feature = "c"))] fn dropped() {}
            #[cfg(all(feature = "a", unix))] fn undecided() {}
        };
        let mut selector = selector;
        selector.visit_file_mut(&mut file);
        let expected: syn::File = syn::parse_quote! {
            #[cfg(test)] mod tests {}
            fn kept() {}
            #[cfg(all(feature = "a", unix))] fn undecided() {}
        };
        assert_eq!(file.into_token_stream().to_string(), expected.into_token_stream().to_string());
    }
}
