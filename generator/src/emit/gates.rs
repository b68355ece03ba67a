//! `#[cfg(feature = …)]` attributes from the feature layout of the IR.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{FeatureLayout, OperationFile, TypeFile};

/// The feature gates of one API; every gate is empty when the API has no
/// per-tag features.
#[derive(Debug, Clone, Copy)]
pub struct Gates<'a> {
    layout: Option<&'a FeatureLayout>,
}

impl<'a> Gates<'a> {
    /// The gates of a feature layout; none without one.
    pub fn new(layout: Option<&'a FeatureLayout>) -> Self {
        Gates { layout }
    }

    /// Whether anything is gated.
    pub fn enabled(&self) -> bool {
        self.layout.is_some()
    }

    /// The gate of a group's handle: on when any of its operations is.
    pub fn of_group(&self, group: usize) -> TokenStream {
        let Some(layout) = self.layout else { return TokenStream::new() };
        let mut features = layout.operations[group].clone();
        features.sort_unstable();
        features.dedup();
        self.any(&features)
    }

    /// The names of `features`.
    pub fn feature_names(&self, features: &[usize]) -> Vec<&'a str> {
        let Some(layout) = self.layout else { return Vec::new() };
        features.iter().map(|&f| layout.features[f].name.as_str()).collect()
    }

    /// The name of the feature that turns on all the others.
    pub fn all_name(&self) -> &'a str {
        self.layout.map_or("", |layout| layout.all.as_str())
    }

    /// The gate of a file that `features` need (the `all` feature when none does).
    pub fn of_features(&self, features: &[usize]) -> TokenStream {
        let Some(layout) = self.layout else { return TokenStream::new() };
        if features.is_empty() { cfg(&[layout.all.as_str()]) } else { self.any(features) }
    }

    /// The types grouped by gate, one file each (see [`FeatureLayout::type_files`]).
    pub fn type_files(&self) -> &'a [TypeFile] {
        self.layout.map_or(&[], |layout| layout.type_files.as_slice())
    }

    /// The operations grouped by feature, one file each (see [`FeatureLayout::operation_files`]).
    pub fn operation_files(&self) -> &'a [OperationFile] {
        self.layout.map_or(&[], |layout| layout.operation_files.as_slice())
    }

    fn any(&self, features: &[usize]) -> TokenStream {
        cfg(&self.feature_names(features))
    }
}

fn cfg(names: &[&str]) -> TokenStream {
    match names {
        [] => TokenStream::new(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}
