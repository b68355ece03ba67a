//! A JSON tree seen by serde with some of its nodes stood in for by `{}`.
//!
//! A schema that does not fit its type is parsed again at every level of
//! schemas above it: `openapiv3`'s `ReferenceOr` parses a failed item twice to
//! word its error, so a bad node 40 levels down costs 2^40 parses. Checking
//! each schema alone, its subschemas replaced by `{}` (which always fits),
//! costs each node one parse.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// `{}`.
static EMPTY: LazyLock<Value> = LazyLock::new(|| Value::Object(serde_json::Map::new()));

/// The nodes to stand in for, by address.
#[derive(Debug, Default)]
pub struct Stubs(HashSet<usize, BuildHasherDefault<AddressHasher>>);

/// A hasher for addresses: one multiplication mixes them (SipHash on every
/// node of a large document would cost more than the check).
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(byte)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, address: usize) {
        // The product's high bits, which depend on every bit of the address,
        // folded into the low ones that pick the bucket.
        let mixed = (address as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = mixed ^ (mixed >> 32);
    }
}

impl Stubs {
    /// Stands in for each of `nodes`.
    pub fn new<'v>(nodes: impl IntoIterator<Item = &'v Value>) -> Self {
        Stubs(nodes.into_iter().map(address).collect())
    }

    /// `value` as serde sees it: itself, with every node below it that is
    /// one of the stubs read as `{}`.
    pub fn view<'v>(&'v self, value: &'v Value) -> Stubbed<'v> {
        Stubbed { value, stubs: self }
    }

    fn child<'v>(&'v self, value: &'v Value) -> Stubbed<'v> {
        let value = if self.0.contains(&address(value)) { &*EMPTY } else { value };
        Stubbed { value, stubs: self }
    }
}

fn address(value: &Value) -> usize {
    std::ptr::from_ref(value) as usize
}

/// A node of the tree, for serde; see [`Stubs::view`].
#[derive(Clone, Copy)]
pub struct Stubbed<'v> {
    value: &'v Value,
    stubs: &'v Stubs,
}

impl<'de> Deserializer<'de> for Stubbed<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.value {
            Value::Object(map) => {
                let mut access = Entries { entries: map.iter(), value: None, stubs: self.stubs };
                let result = visitor.visit_map(&mut access)?;
                match access.entries.len() {
                    0 => Ok(result),
                    left => Err(de::Error::invalid_length(map.len() - left, &"fewer elements in map")),
                }
            }
            Value::Array(items) => {
                let mut access = Items { items: items.iter(), stubs: self.stubs };
                let result = visitor.visit_seq(&mut access)?;
                match access.items.len() {
                    0 => Ok(result),
                    left => Err(de::Error::invalid_length(items.len() - left, &"fewer elements in array")),
                }
            }
            scalar => scalar.deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        // Externally tagged enums of `openapiv3` are unit variants named by strings.
        self.value.deserialize_enum(name, variants, visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

struct Entries<'v> {
    entries: serde_json::map::Iter<'v>,
    value: Option<&'v Value>,
    stubs: &'v Stubs,
}

impl<'v> MapAccess<'v> for Entries<'v> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'v>>(&mut self, seed: K) -> Result<Option<K::Value>, Self::Error> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.value = Some(value);
        seed.deserialize(de::value::BorrowedStrDeserializer::new(key)).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'v>>(&mut self, seed: S) -> Result<S::Value, Self::Error> {
        let value = self.value.take().ok_or_else(|| de::Error::custom("value is missing"))?;
        seed.deserialize(self.stubs.child(value))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct Items<'v> {
    items: std::slice::Iter<'v, Value>,
    stubs: &'v Stubs,
}

impl<'v> SeqAccess<'v> for Items<'v> {
    type Error = serde_json::Error;

    fn next_element_seed<S: DeserializeSeed<'v>>(&mut self, seed: S) -> Result<Option<S::Value>, Self::Error> {
        self.items.next().map(|item| seed.deserialize(self.stubs.child(item))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    /// With no stubs, the view deserializes as the tree does.
    #[test]
    fn a_view_without_stubs_is_the_tree() {
        let tree = serde_json::json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}],
                "responses": {"200": {"description": "ok"}, "default": {"$ref": "#/components/responses/E"}}}}},
            "components": {"schemas": {"A": {"type": "object", "properties": {"n": {"type": "integer", "format": "int64", "nullable": true}},
                "additionalProperties": false, "x-note": [1, null]}}}});
        let stubs = Stubs::default();
        let whole = openapiv3::OpenAPI::deserialize(&tree).unwrap();
        assert_eq!(openapiv3::OpenAPI::deserialize(stubs.view(&tree)).unwrap(), whole);
        let bad = serde_json::json!({"type": "object", "properties": {"n": {"type": 5}}});
        assert_eq!(
            openapiv3::Schema::deserialize(stubs.view(&bad)).unwrap_err().to_string(),
            openapiv3::Schema::deserialize(&bad).unwrap_err().to_string()
        );
    }

    /// A stub reads as `{}`, below the node viewed (never the node itself).
    #[test]
    fn stubs_read_as_empty_objects() {
        let tree = serde_json::json!({"type": "array", "items": ""});
        let stubs = Stubs::new([&tree["items"]]);
        let schema = openapiv3::Schema::deserialize(stubs.view(&tree)).unwrap();
        let expected: openapiv3::Schema = serde_json::from_value(serde_json::json!({"type": "array", "items": {}})).unwrap();
        assert_eq!(schema, expected);
        assert!(openapiv3::Schema::deserialize(stubs.view(&tree["items"])).is_err());
    }
}
