//! Rules for the named types of the `types` module: structs with their
//! fields and constructor, string and integer enums, unions, aliases.

use crate::ir::{Field, FieldDefault, TypeDef, TypeKind, TypeRef};
use crate::pointer::pointer_push;

use super::matching::by_key;
use super::side::rust_type;
use super::{Class, Recorder, text_changed};

/// Compares the types, matched by Rust name.
pub(super) fn compare(r: &mut Recorder<'_>) {
    let matched = by_key(&r.old.api.types, &r.new.api.types, |def| def.name.as_str());
    for def in matched.removed {
        let pointer = r.old.type_pointer(&def.name).map(str::to_owned);
        r.push(Class::Breaking, &item(def), "type removed".to_owned(), pointer.as_deref(), None);
    }
    for def in matched.added {
        let pointer = r.new.type_pointer(&def.name).map(str::to_owned);
        r.push(Class::Additive, &item(def), format!("new: {}", kind_name(&def.kind)), None, pointer.as_deref());
    }
    for (old, new) in matched.both {
        compare_type(r, old, new);
    }
}

fn item(def: &TypeDef) -> String {
    format!("types::{}", def.name)
}

/// Records changes of one type at `types::Name` + `member`, at `member_pointer`
/// below each side's pointer of the type.
struct TypeAt {
    name: String,
    old: Option<String>,
    new: Option<String>,
}

impl TypeAt {
    fn push(&self, r: &mut Recorder<'_>, class: Class, member: &str, below: &str, message: String) {
        self.push_on(r, (true, true), class, member, below, message);
    }

    /// [`TypeAt::push`] for a member only one side has: `(in old, in new)`.
    fn push_on(&self, r: &mut Recorder<'_>, sides: (bool, bool), class: Class, member: &str, below: &str, message: String) {
        let under = |pointer: &Option<String>, here: bool| {
            // Below an inline type's stand-in place (an operation) there is no member to point at.
            let inline = |p: &String| !p.starts_with("/components/");
            pointer.as_ref().filter(|_| here).map(|p| if below.is_empty() || inline(p) { p.clone() } else { format!("{p}{below}") })
        };
        let item = if member.is_empty() { format!("types::{}", self.name) } else { format!("types::{}::{member}", self.name) };
        r.push(class, &item, message, under(&self.old, sides.0).as_deref(), under(&self.new, sides.1).as_deref());
    }
}

fn compare_type(r: &mut Recorder<'_>, old: &TypeDef, new: &TypeDef) {
    let at = TypeAt {
        name: new.name.clone(),
        old: r.old.type_pointer(&old.name).map(str::to_owned),
        new: r.new.type_pointer(&new.name).map(str::to_owned),
    };
    if text_changed(old.doc.as_deref(), new.doc.as_deref()) || old.deprecated != new.deprecated {
        at.push(r, Class::Docs, "", "", "description or deprecation changed".to_owned());
    }
    match (&old.kind, &new.kind) {
        (
            TypeKind::Struct { fields: old_fields, additional: old_more, default: old_default },
            TypeKind::Struct { fields: new_fields, additional: new_more, default: new_default },
        ) => {
            compare_fields(r, &at, old_fields, new_fields);
            let (before, after) = (constructor(old_fields, *old_default), constructor(new_fields, *new_default));
            if before != after {
                at.push(r, Class::Breaking, "", "", format!("constructor {before} → {after}"));
            }
            compare_additional(r, &at, old_more.as_ref(), new_more.as_ref());
        }
        (TypeKind::StringEnum { variants: a, default: da }, TypeKind::StringEnum { variants: b, default: db }) => {
            let names = |v: &[crate::ir::EnumVariant]| v.iter().map(|v| (v.ident.clone(), v.wire.clone())).collect::<Vec<_>>();
            compare_variants(r, &at, &names(a), &names(b));
            let default = |variants: &[crate::ir::EnumVariant], d: &Option<usize>| d.map(|i| variants[i].ident.clone());
            compare_default(r, &at, default(a, da), default(b, db));
        }
        (TypeKind::IntEnum { variants: a }, TypeKind::IntEnum { variants: b }) => {
            let names = |v: &[crate::ir::IntVariant]| v.iter().map(|v| (v.ident.clone(), v.value.to_string())).collect::<Vec<_>>();
            compare_variants(r, &at, &names(a), &names(b));
        }
        (TypeKind::Union { tagging: ta, variants: a }, TypeKind::Union { tagging: tb, variants: b }) => {
            if ta != tb {
                at.push(r, Class::Behaviour, "", "", "how the variant is recognised changed".to_owned());
            }
            let matched = by_key(a, b, |v| v.ident.as_str());
            for v in matched.removed {
                at.push_on(r, (true, false), Class::Breaking, &v.ident, "", "variant removed".to_owned());
            }
            for v in matched.added {
                // Unions are `#[non_exhaustive]` like every generated enum.
                at.push_on(r, (false, true), Class::Additive, &v.ident, "", format!("new variant holding {}", rust_type(&v.ty)));
            }
            for (va, vb) in matched.both {
                if rust_type(&va.ty) != rust_type(&vb.ty) {
                    at.push(r, Class::Breaking, &vb.ident, "", format!("holds {} (was {})", rust_type(&vb.ty), rust_type(&va.ty)));
                } else if va.tags != vb.tags {
                    at.push(r, Class::Behaviour, &vb.ident, "", format!("tags {:?} → {:?}", va.tags, vb.tags));
                }
            }
        }
        (TypeKind::Alias(a), TypeKind::Alias(b)) | (TypeKind::Newtype(a), TypeKind::Newtype(b)) => {
            if rust_type(a) != rust_type(b) {
                at.push(r, Class::Breaking, "", "", format!("is {} (was {})", rust_type(b), rust_type(a)));
            }
        }
        (a, b) => {
            at.push(r, Class::Breaking, "", "", format!("is {} (was {})", kind_name(b), kind_name(a)));
        }
    }
}

/// A field is read as `T` when required and `Option<T>` when optional, so a
/// change of either its type or its presence changes the type of the field
/// code reads: breaking both ways (a required field made optional too). A
/// new optional field is additive: structs are `#[non_exhaustive]`, built
/// with `new` and setters. A new required field changes the constructor,
/// reported once as such.
fn compare_fields(r: &mut Recorder<'_>, at: &TypeAt, old: &[Field], new: &[Field]) {
    let matched = by_key(old, new, |f| f.ident.as_str());
    for field in matched.removed {
        at.push_on(r, (true, false), Class::Breaking, &field.ident, &property(field), "field removed".to_owned());
    }
    for field in matched.added {
        let (class, presence) = if field.required { (Class::Breaking, "required") } else { (Class::Additive, "optional") };
        at.push_on(r, (false, true), class, &field.ident, &property(field), format!("new {presence} field: {}", field_type(field)));
    }
    for (before, after) in matched.both {
        let below = property(after);
        if field_type(before) != field_type(after) {
            let message = format!("{} → {}", field_type(before), field_type(after));
            at.push(r, Class::Breaking, &after.ident, &below, message);
        }
        // Every field `new` does not take has a setter; one that moved in or
        // out of `new` is the constructor's change, reported once.
        if before.setter != after.setter && !takes(before) && !takes(after) {
            let message = format!("setter `{}()` → `{}()`", before.setter, after.setter);
            at.push(r, Class::Breaking, &after.ident, &below, message);
        }
        if before.wire != after.wire {
            let message = format!("JSON name `{}` → `{}`", before.wire, after.wire);
            at.push(r, Class::Behaviour, &after.ident, &below, message);
        }
        if text_changed(before.doc.as_deref(), after.doc.as_deref()) || before.deprecated != after.deprecated {
            at.push(r, Class::Docs, &after.ident, &below, "description or deprecation changed".to_owned());
        }
    }
}

fn property(field: &Field) -> String {
    pointer_push("/properties", &field.wire)
}

/// The field's Rust type: `Option<T>` when it is optional.
fn field_type(field: &Field) -> String {
    let ty = rust_type(&field.ty);
    if field.required { ty } else { format!("Option<{ty}>") }
}

/// How a struct is built: `Default` when every field has one, else
/// `new(required fields without a default)`.
fn constructor(fields: &[Field], derives_default: bool) -> String {
    if derives_default {
        return "Default::default()".to_owned();
    }
    let arguments: Vec<String> = fields
        .iter()
        .filter(|f| takes(f))
        .map(|f| format!("{}: {}", f.ident, rust_type(&f.ty)))
        .collect();
    format!("new({})", arguments.join(", "))
}

/// Whether `new` takes the field as an argument (emit's rule): required,
/// with no default from the spec.
fn takes(field: &Field) -> bool {
    field.required && field.default == FieldDefault::None
}

/// The map of further properties: a public field `additional_properties`.
fn compare_additional(r: &mut Recorder<'_>, at: &TypeAt, old: Option<&TypeRef>, new: Option<&TypeRef>) {
    let below = "/additionalProperties";
    match (old, new) {
        (None, Some(ty)) => {
            let message = format!("new field: BTreeMap<String, {}> of further properties", rust_type(ty));
            at.push(r, Class::Additive, "additional_properties", below, message);
        }
        (Some(_), None) => at.push(r, Class::Breaking, "additional_properties", below, "field removed".to_owned()),
        (Some(a), Some(b)) if rust_type(a) != rust_type(b) => {
            let message = format!("BTreeMap<String, {}> → BTreeMap<String, {}>", rust_type(a), rust_type(b));
            at.push(r, Class::Breaking, "additional_properties", below, message);
        }
        _ => {}
    }
}

/// Enum values: a removed variant is breaking, a new one additive (the
/// enums are `#[non_exhaustive]` and keep unknown values in `Unknown`), a
/// variant sent as another value behaviour.
fn compare_variants(r: &mut Recorder<'_>, at: &TypeAt, old: &[(String, String)], new: &[(String, String)]) {
    let matched = by_key(old, new, |(ident, _)| ident.as_str());
    for (ident, wire) in matched.removed {
        at.push(r, Class::Breaking, ident, "/enum", format!("value `{wire}` removed"));
    }
    for (ident, wire) in matched.added {
        at.push(r, Class::Additive, ident, "/enum", format!("new value `{wire}`"));
    }
    for ((_, a), (ident, b)) in matched.both {
        if a != b {
            at.push(r, Class::Behaviour, ident, "/enum", format!("sent as `{b}` (was `{a}`)"));
        }
    }
}

/// An enum's `Default` impl exists when the spec names a default value:
/// losing it is breaking, gaining it additive, another default behaviour.
fn compare_default(r: &mut Recorder<'_>, at: &TypeAt, old: Option<String>, new: Option<String>) {
    match (old, new) {
        (Some(_), None) => at.push(r, Class::Breaking, "", "/default", "no longer implements Default".to_owned()),
        (None, Some(v)) => at.push(r, Class::Additive, "", "/default", format!("implements Default ({v})")),
        (Some(a), Some(b)) if a != b => at.push(r, Class::Behaviour, "", "/default", format!("Default is {b} (was {a})")),
        _ => {}
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "a struct",
        TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => "an enum",
        TypeKind::Union { .. } => "a union enum",
        TypeKind::Alias(_) => "a type alias",
        TypeKind::Newtype(_) => "a wrapper struct",
    }
}
