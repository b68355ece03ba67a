//! Types in the IR: uses of types (`TypeRef`) and the named types of the
//! `types` module, with their fields, variants and tagging.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// The identity of a named type of the `types` module: its index in
/// [`Api::types`](super::Api::types). It carries the Rust name lowering chose
/// for the type, so that emitting a use needs no lookup; two ids are equal
/// when their indexes are.
#[derive(Clone)]
pub struct TypeId {
    index: usize,
    name: Arc<str>,
}

impl TypeId {
    /// The type at `index`, named `name`.
    pub fn new(index: usize, name: Arc<str>) -> Self {
        TypeId { index, name }
    }

    /// Its index in `Api::types`.
    pub fn index(&self) -> usize {
        self.index
    }

    /// Its Rust name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The same type at another index (after the types are reordered).
    pub(crate) fn moved_to(&self, index: usize) -> Self {
        TypeId { index, name: Arc::clone(&self.name) }
    }
}

impl PartialEq for TypeId {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
    }
}

impl Eq for TypeId {}

impl Hash for TypeId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.index.hash(state);
    }
}

impl PartialOrd for TypeId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TypeId {
    fn cmp(&self, other: &Self) -> Ordering {
        self.index.cmp(&other.index)
    }
}

impl fmt::Debug for TypeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{} {}", self.index, self.name)
    }
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `String`.
    String,
    /// `chrono::NaiveDate` (`format: date`).
    Date,
    /// `chrono::DateTime<FixedOffset>` (`format: date-time`).
    DateTime,
    /// `uuid::Uuid` (`format: uuid`).
    Uuid,
    /// Any JSON value.
    Json,
    /// A named type in `types`.
    Named(TypeId),
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `Option<T>` (a nullable value).
    Option(Box<TypeRef>),
    /// `Box<T>` (breaks a cycle of types that contain each other).
    Boxed(Box<TypeRef>),
}

impl TypeRef {
    /// The named type this use mentions, however wrapped, to change it.
    pub fn named_mut(&mut self) -> Option<&mut TypeId> {
        match self {
            TypeRef::Named(id) => Some(id),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Boxed(inner) => {
                inner.named_mut()
            }
            _ => None,
        }
    }

    /// The named type this use mentions, however wrapped.
    pub fn named(&self) -> Option<&TypeId> {
        match self {
            TypeRef::Named(id) => Some(id),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Boxed(inner) => inner.named(),
            _ => None,
        }
    }
}

/// A named type in the `types` module.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// Rustdoc text.
    pub doc: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// What it is.
    pub kind: TypeKind,
}

/// The shape of a named type. Equal kinds are the same type: that is how
/// duplicates are found.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// An object with known fields.
    Struct {
        /// Fields in document order.
        fields: Vec<Field>,
        /// `additionalProperties` with a schema: other keys, flattened into a map.
        additional: Option<TypeRef>,
        /// Whether `Default` can be derived (every field has a default).
        default: bool,
    },
    /// A string enum, open to values added later.
    StringEnum {
        /// Known values.
        variants: Vec<EnumVariant>,
        /// The variant `Default` gives: the spec's `default`, or the only value.
        default: Option<usize>,
    },
    /// An integer enum, open to values added later.
    IntEnum {
        /// Known values.
        variants: Vec<IntVariant>,
    },
    /// One of several shapes (`oneOf`/`anyOf`).
    Union {
        /// How the shape is recognised.
        tagging: Tagging,
        /// The shapes.
        variants: Vec<UnionVariant>,
    },
    /// Another name for a type (`type Foo = Vec<Bar>`).
    Alias(TypeRef),
    /// A transparent wrapper (`struct Foo(Vec<Foo>)`), for what an alias
    /// cannot say: a type that contains itself.
    Newtype(TypeRef),
}

impl TypeKind {
    /// Every use of a type inside the definition.
    pub fn uses(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct { fields, additional, .. } => fields.iter().map(|f| &f.ty).chain(additional.as_ref()).collect(),
            TypeKind::Union { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
            TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => Vec::new(),
        }
    }

    /// Every use of a type inside the definition, mutable.
    pub fn uses_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            TypeKind::Struct { fields, additional, .. } => {
                fields.iter_mut().map(|f| &mut f.ty).chain(additional.as_mut()).collect()
            }
            TypeKind::Union { variants, .. } => variants.iter_mut().map(|v| &mut v.ty).collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
            TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => Vec::new(),
        }
    }
}

/// One field of a struct.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// Name on the wire.
    pub wire: String,
    /// Rust name.
    pub ident: String,
    /// The name of the struct's chained setter for it (used when `new` does not take it).
    pub setter: String,
    /// Type, without the `Option` of optional fields.
    pub ty: TypeRef,
    /// Required fields are always present; optional ones are `Option` and
    /// skipped when `None`.
    pub required: bool,
    /// The default the spec gives the property, as far as `Default` can honour it.
    pub default: FieldDefault,
    /// Rustdoc text.
    pub doc: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
}

/// The default a spec gives a property, as far as Rust's `Default` can
/// reproduce it: a required field may be left to `Default` only when the spec
/// says what it is and `Default` gives exactly that.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldDefault {
    /// No default.
    None,
    /// The zero of its type (`false`, `0`, `""`, `[]`, `{}`): what `Default` gives.
    Zero,
    /// Another value: only an enum whose default variant is that value honours it.
    Other,
}

/// A known value of a string enum.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumVariant {
    /// The Rust variant.
    pub ident: String,
    /// The value on the wire.
    pub wire: String,
}

/// A known value of an integer enum.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IntVariant {
    /// The Rust variant.
    pub ident: String,
    /// The value on the wire.
    pub value: i64,
    /// Rustdoc text (from `x-enum-descriptions`).
    pub doc: Option<String>,
}

/// How the variant of a union is told apart.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Tagging {
    /// By trying each shape in turn.
    Untagged,
    /// By a property holding a tag (`discriminator`).
    Internal {
        /// The property name.
        property: String,
    },
}

/// One shape of a union.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnionVariant {
    /// The Rust variant.
    pub ident: String,
    /// The payload.
    pub ty: TypeRef,
    /// The discriminator values selecting it (internal tagging only).
    pub tags: Vec<String>,
}

