//! `#[cfg(feature = …)]` attributes from the feature layout of the IR.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, FeatureLayout};

/// The feature gates of one API; every gate is empty when the API has no
/// per-tag features.
#[derive(Debug, Clone, Copy)]
pub struct Gates<'a> {
    layout: Option<&'a FeatureLayout>,
}

impl<'a> Gates<'a> {
    /// The gates of `api`.
    pub fn new(api: &'a Api) -> Self {
        Gates { layout: api.features.as_ref() }
    }

    /// Whether anything is gated.
    pub fn enabled(&self) -> bool {
        self.layout.is_some()
    }

    /// The gate of the type at `index` in `Api::types`.
    pub fn of_type(&self, index: usize) -> TokenStream {
        let Some(layout) = self.layout else { return TokenStream::new() };
        match layout.types.get(index).map(Vec::as_slice) {
            None | Some([]) => cfg(&[layout.all.as_str()]),
            Some(features) => self.any(features.iter().copied()),
        }
    }

    /// The gate of one operation.
    pub fn of_operation(&self, group: usize, operation: usize) -> TokenStream {
        let Some(layout) = self.layout else { return TokenStream::new() };
        self.any(layout.operations[group].get(operation).copied())
    }

    /// The gate of a group's handle: on when any of its operations is.
    pub fn of_group(&self, group: usize) -> TokenStream {
        let Some(layout) = self.layout else { return TokenStream::new() };
        let mut features = layout.operations[group].clone();
        features.sort_unstable();
        features.dedup();
        self.any(features)
    }

    fn any(&self, features: impl IntoIterator<Item = usize>) -> TokenStream {
        let Some(layout) = self.layout else { return TokenStream::new() };
        let names: Vec<&str> = features.into_iter().map(|f| layout.features[f].name.as_str()).collect();
        cfg(&names)
    }
}

fn cfg(names: &[&str]) -> TokenStream {
    match names {
        [] => TokenStream::new(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}
