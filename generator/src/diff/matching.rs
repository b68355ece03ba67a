//! Pairing the items of the old and new API by the Rust name user code
//! reaches them by: an item whose name changed is one removed and one added,
//! as it is for the code that called it.

use std::collections::HashMap;
use std::hash::Hash;

/// The items of two lists paired by key: those in both (in the old list's
/// order), those only in the old one, and those only in the new one.
#[derive(Debug)]
pub struct Matched<'a, T> {
    /// (old, new) pairs with the same key.
    pub both: Vec<(&'a T, &'a T)>,
    /// Only in the old list.
    pub removed: Vec<&'a T>,
    /// Only in the new list.
    pub added: Vec<&'a T>,
}

/// Pairs `old` and `new` by `key`; a key met twice in one list pairs its first item.
pub fn by_key<'a, T, K: Eq + Hash>(
    old: impl IntoIterator<Item = &'a T>,
    new: impl IntoIterator<Item = &'a T>,
    key: impl Fn(&'a T) -> K,
) -> Matched<'a, T> {
    let new: Vec<&T> = new.into_iter().collect();
    let mut index: HashMap<K, usize> = HashMap::with_capacity(new.len());
    for (i, item) in new.iter().enumerate() {
        index.entry(key(item)).or_insert(i);
    }
    let mut taken = vec![false; new.len()];
    let mut both = Vec::new();
    let mut removed = Vec::new();
    for item in old {
        match index.get(&key(item)) {
            Some(&i) if !taken[i] => {
                taken[i] = true;
                both.push((item, new[i]));
            }
            _ => removed.push(item),
        }
    }
    let added = new.into_iter().zip(taken).filter(|(_, taken)| !taken).map(|(item, _)| item).collect();
    Matched { both, removed, added }
}
