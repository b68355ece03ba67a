//! What the generated structs' serde impls call: JSON objects read and written
//! field by field.
//!
//! The impls are written out by clientgen rather than derived because serde's
//! derive makes several visitors per struct (sequence, map, field names as
//! strings, bytes and indices) and a wrapper type per `with` field, and rustc
//! pays for every line of it: on a spec with thousands of schemas, the derive
//! doubled `cargo check` time and memory. The written impls read an object as
//! a map only, which is all JSON sends.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap};

/// A struct read from the entries of a JSON object.
pub(crate) trait FromObject<'de>: Sized {
    /// What a decoding error says was expected, e.g. `an object (TaxRate)`.
    const EXPECTING: &'static str;

    /// Reads the struct from `fields`: unknown fields are skipped, a field
    /// given twice is an error, a missing required field is an error.
    fn from_object<A: MapAccess<'de>>(fields: Fields<A>) -> Result<Self, A::Error>;
}

/// `T` deserialized from a JSON object; what `T`'s `Deserialize` impl calls.
pub(crate) fn deserialize_object<'de, T: FromObject<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: FromObject<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_object(Fields(map))
    }
}

/// The fields of an object being read, name by name.
pub(crate) struct Fields<A>(A);

impl<'de, A: MapAccess<'de>> Fields<A> {
    /// The next field's name, or `None` at the end of the object.
    pub(crate) fn next_name(&mut self) -> Result<Option<FieldName<'de>>, A::Error> {
        self.0.next_key()
    }

    /// Reads the value of the field `name` into `slot`; a second value for
    /// the same field is an error, as it is for serde's derive.
    pub(crate) fn read<T: Deserialize<'de>>(&mut self, slot: &mut Option<T>, name: &'static str) -> Result<(), A::Error> {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(name));
        }
        *slot = Some(self.0.next_value()?);
        Ok(())
    }

    /// Skips the value of a field the struct does not have.
    pub(crate) fn skip(&mut self) -> Result<(), A::Error> {
        self.0.next_value::<IgnoredAny>().map(|_| ())
    }

    /// Keeps the value of a field the spec does not describe among the
    /// struct's additional properties.
    pub(crate) fn keep<V: Deserialize<'de>>(&mut self, name: FieldName<'de>, into: &mut BTreeMap<String, V>) -> Result<(), A::Error> {
        into.insert(name.0.into_owned(), self.0.next_value()?);
        Ok(())
    }

    /// The value of a required field, or the error naming it.
    pub(crate) fn required<T>(&self, slot: Option<T>, name: &'static str) -> Result<T, A::Error> {
        slot.ok_or_else(|| de::Error::missing_field(name))
    }
}

/// A field's name as the object spells it, borrowed from the input when it
/// can be.
pub(crate) struct FieldName<'de>(Cow<'de, str>);

impl FieldName<'_> {
    /// The name.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for FieldName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;

        impl<'de> Visitor<'de> for NameVisitor {
            type Value = FieldName<'de>;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a field name")
            }

            fn visit_borrowed_str<E: de::Error>(self, name: &'de str) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Borrowed(name)))
            }

            fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Owned(name.to_owned())))
            }

            fn visit_string<E: de::Error>(self, name: String) -> Result<Self::Value, E> {
                Ok(FieldName(Cow::Owned(name)))
            }
        }

        deserializer.deserialize_identifier(NameVisitor)
    }
}

/// Writes an optional field when it is set: `Some(v)` as `v`; for a nullable
/// field, `Some(None)` as `null`.
pub(crate) fn optional_entry<M: SerializeMap, T: Serialize>(map: &mut M, name: &'static str, value: &Option<T>) -> Result<(), M::Error> {
    match value {
        Some(value) => map.serialize_entry(name, value),
        None => Ok(()),
    }
}
