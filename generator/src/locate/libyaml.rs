//! Positions from libyaml itself, the parser that read the document (through
//! serde_yaml): for the documents yaml-rust2 rejects, and for duplicate keys.
//!
//! serde_yaml keeps no positions, except in its errors: an error raised while
//! a node is being deserialized carries that node's line and column. So a
//! seed walks down to the node and fails there. Each answer reads the whole
//! document once; the index of [`super::Locations`] is the fast path.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, IgnoredAny, MapAccess, SeqAccess, VariantAccess, Visitor};

use crate::pointer::{push_segment, unescape_segment};

/// The message of the error a seed raises at the node it was looking for.
const FOUND: &str = "clientgen: the node is here";

/// Where libyaml starts the node at `pointer` (a mapping entry at its key), or
/// its nearest ancestor; `None` when `source` is not YAML serde_yaml reads.
pub fn find(source: &str, pointer: &str) -> Option<(usize, usize)> {
    let segments: Vec<String> = pointer.split('/').skip(1).map(unescape_segment).collect();
    let mut depth = segments.len();
    loop {
        if depth == 0 {
            return Some((1, 1));
        }
        let seed = Seek { segments: &segments[..depth], depth: 0 };
        match seed.deserialize(serde_yaml::Deserializer::from_str(source)) {
            // Not there: the deepest ancestor that is.
            Ok(reached) if reached < depth => depth = reached,
            Ok(_) => return None,
            Err(error) if error.to_string().contains(FOUND) => {
                return error.location().map(|location| (location.line(), location.column()));
            }
            Err(_) => return None,
        }
    }
}

/// A mapping key that appears twice in one mapping, found where libyaml
/// reads the second one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// JSON pointer of the entry (of both).
    pub pointer: String,
    /// The key as the tree names it.
    pub key: String,
    /// 1-based line and column of the second key.
    pub at: (usize, usize),
    /// 1-based line and column of the first.
    pub first: (usize, usize),
}

/// The first key, in document order, that repeats a key of its mapping.
pub fn duplicate_key(source: &str) -> Option<Duplicate> {
    let found = RefCell::new(None);
    let error = Duplicates { pointer: String::new(), found: &found }.deserialize(serde_yaml::Deserializer::from_str(source)).err()?;
    let (pointer, key) = found.into_inner()?;
    let location = error.location()?;
    let first = find(source, &pointer)?;
    Some(Duplicate { pointer, key, at: (location.line(), location.column()), first })
}

/// The scalar visits of a visitor, each giving `$value` (which may use `self`).
macro_rules! scalars {
    ($value:ty, |$this:ident| $body:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<$value, E> {
            let $this = self;
            $body
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<$value, E> {
            let $this = self;
            $body
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<$value, E> {
            let $this = self;
            $body
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<$value, E> {
            let $this = self;
            $body
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<$value, E> {
            let $this = self;
            $body
        }
        fn visit_unit<E: de::Error>(self) -> Result<$value, E> {
            let $this = self;
            $body
        }
    };
}

/// Reads a mapping key and hands its name to the closure, as the JSON tree
/// names it (`200` → `"200"`, `~` → `"null"`, as `load::parse` converts keys;
/// `None` for a complex key). An `Err` of the closure is raised from inside
/// the key's own deserialization, so it carries the key's position.
struct Key<F>(F);

impl<F> Key<F> {
    fn name<T, E: de::Error>(self, name: Option<String>) -> Result<T, E>
    where
        F: FnOnce(Option<String>) -> Result<T, String>,
    {
        (self.0)(name).map_err(E::custom)
    }
}

impl<'de, T, F: FnOnce(Option<String>) -> Result<T, String>> DeserializeSeed<'de> for Key<F> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, T, F: FnOnce(Option<String>) -> Result<T, String>> Visitor<'de> for Key<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        self.name(Some(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        self.name(Some(serde_yaml::Number::from(v).to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        self.name(Some(serde_yaml::Number::from(v).to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        self.name(Some(serde_yaml::Number::from(v).to_string()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        self.name(Some(v.to_owned()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        self.name(Some(String::from("null")))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.name(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.name(None)
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<T, A::Error> {
        // A tagged key: the tree keeps what is under the tag.
        let (_, value) = data.variant::<IgnoredAny>()?;
        value.newtype_variant_seed(self)
    }
}

/// Fails at the first node it is given, so the error carries its position.
struct Here;

impl<'de> DeserializeSeed<'de> for Here {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Here {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any node")
    }
    scalars!(usize, |_this| Err(E::custom(FOUND)));
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<usize, A::Error> {
        Err(de::Error::custom(FOUND))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<usize, A::Error> {
        Err(de::Error::custom(FOUND))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, _: A) -> Result<usize, A::Error> {
        Err(de::Error::custom(FOUND))
    }
}

/// Walks down `segments` and fails at the node they lead to (a mapping entry
/// at its key); `Ok(depth)` when only the first `depth` segments exist.
struct Seek<'s> {
    segments: &'s [String],
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        if self.depth == self.segments.len() {
            return Here.deserialize(deserializer);
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a container")
    }
    scalars!(usize, |this| Ok(this.depth));
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<usize, A::Error> {
        let wanted = &self.segments[self.depth];
        let last = self.depth + 1 == self.segments.len();
        let mut reached = self.depth;
        loop {
            let key = Key(|name: Option<String>| match name {
                Some(name) if name == *wanted && last => Err(String::from(FOUND)),
                Some(name) => Ok(name == *wanted),
                None => Ok(false),
            });
            let Some(matched) = map.next_key_seed(key)? else { return Ok(reached) };
            // The first of equal keys, as the index keeps it.
            if matched && reached == self.depth {
                reached = map.next_value_seed(Seek { segments: self.segments, depth: self.depth + 1 })?.max(self.depth + 1);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let wanted = self.segments[self.depth].parse::<usize>().ok();
        let mut reached = self.depth;
        for index in 0.. {
            if Some(index) == wanted {
                match seq.next_element_seed(Seek { segments: self.segments, depth: self.depth + 1 })? {
                    Some(deeper) => reached = deeper.max(self.depth + 1),
                    None => break,
                }
            } else if seq.next_element::<IgnoredAny>()?.is_none() {
                break;
            }
        }
        Ok(reached)
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<usize, A::Error> {
        // A tagged node: the tree keeps what is under the tag.
        let (_, value) = data.variant::<IgnoredAny>()?;
        value.newtype_variant_seed(self)
    }
}

/// Reads every mapping and fails at the first key its mapping already has,
/// recording the entry's pointer and the key in `found`.
struct Duplicates<'f> {
    pointer: String,
    found: &'f RefCell<Option<(String, String)>>,
}

impl<'de> DeserializeSeed<'de> for Duplicates<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Duplicates<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any node")
    }
    scalars!((), |_this| Ok(()));
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        loop {
            let key = Key(|name: Option<String>| {
                let Some(name) = name else { return Ok(String::from("<complex key>")) };
                if seen.insert(name.clone()) {
                    return Ok(name);
                }
                let mut pointer = self.pointer.clone();
                push_segment(&mut pointer, &name);
                *self.found.borrow_mut() = Some((pointer, name));
                Err(String::from("duplicate key"))
            });
            let Some(name) = map.next_key_seed(key)? else { return Ok(()) };
            let mut pointer = self.pointer.clone();
            push_segment(&mut pointer, &name);
            map.next_value_seed(Duplicates { pointer, found: self.found })?;
        }
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        for index in 0usize.. {
            let mut pointer = self.pointer.clone();
            push_segment(&mut pointer, &index.to_string());
            if seq.next_element_seed(Duplicates { pointer, found: self.found })?.is_none() {
                break;
            }
        }
        Ok(())
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        let (_, value) = data.variant::<IgnoredAny>()?;
        value.newtype_variant_seed(self)
    }
}
