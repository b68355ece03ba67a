//! Every Rust name the generator makes: case conversion, ASCII folding,
//! keyword escaping and collision resolution live here and nowhere else.

use std::collections::HashSet;

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves; a raw identifier (`r#type`) is used for them.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; `_` is appended instead.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self", "_"];

/// Type names the generated `types` module refers to unqualified (the prelude
/// types it uses); a schema with such a name gets a `Type` suffix.
const RESERVED_TYPES: &[&str] = &["Box", "Option", "Result", "String", "Vec"];

/// Folds `raw` to ASCII words: transliterates non-ASCII letters and keeps
/// only letters, digits and separators.
fn ascii_words(raw: &str) -> String {
    let ascii: Vec<char> = deunicode::deunicode(raw)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    // A plural acronym (`IDs`, `URLs`) is one word: `integrationIDs` is
    // `integration_ids`, not `integration_i_ds`.
    let mut out = String::with_capacity(ascii.len());
    let mut i = 0;
    while i < ascii.len() {
        let run = ascii[i..].iter().take_while(|c| c.is_ascii_uppercase()).count();
        let plural = run >= 2
            && ascii.get(i + run) == Some(&'s')
            && !ascii.get(i + run + 1).is_some_and(char::is_ascii_lowercase);
        if plural {
            out.push(ascii[i]);
            out.extend(ascii[i + 1..i + run].iter().map(char::to_ascii_lowercase));
            out.push('s');
            i += run + 1;
        } else {
            out.push(ascii[i]);
            i += 1;
        }
    }
    out
}

/// A PascalCase type or variant name for `raw`; `fallback` when nothing of
/// `raw` survives.
pub fn pascal(raw: &str, fallback: &str) -> String {
    let mut name = ascii_words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// A type name: like [`pascal`], also steering clear of prelude types.
pub fn type_name(raw: &str, fallback: &str) -> String {
    let mut name = pascal(raw, fallback);
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Type");
    }
    name
}

/// A snake_case field, method or argument name for `raw`, as a raw identifier
/// (`r#type`) when it is a keyword.
pub fn snake(raw: &str, fallback: &str) -> String {
    let mut name = ascii_words(raw).to_snake_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if KEYWORDS.contains(&name.as_str()) {
        name.insert_str(0, "r#");
    }
    name
}

/// A kebab-case Cargo feature name; `fallback` when nothing of `raw` survives.
pub fn kebab(raw: &str, fallback: &str) -> String {
    let name = ascii_words(raw).to_kebab_case();
    if name.is_empty() { fallback.to_owned() } else { name }
}

/// An UPPER_SNAKE_CASE constant name.
pub fn constant(raw: &str, fallback: &str) -> String {
    let name = snake(raw, fallback);
    name.trim_start_matches("r#").trim_end_matches('_').to_ascii_uppercase()
}

/// Checks a Cargo package name as Cargo and rustc will: ASCII letters,
/// digits, `-` and `_`, starting with a letter, at most 64 characters, and
/// not a Rust keyword once `-` becomes `_` (it is the library's name).
pub fn check_package_name(name: &str) -> Result<(), String> {
    let snake = name.replace('-', "_");
    let problem = if name.is_empty() {
        "is empty"
    } else if name.len() > 64 {
        "is longer than 64 characters"
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        "must start with an ASCII letter"
    } else if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        "may contain only ASCII letters, digits, `-` and `_`"
    } else if KEYWORDS.contains(&snake.as_str()) || NOT_RAW.contains(&snake.as_str()) || snake == "test" {
        "is a Rust keyword or reserved name"
    } else {
        return Ok(());
    };
    Err(format!("crate name `{}` {problem}", name.escape_debug()))
}

/// Hands out names unique within one scope (a module, a struct, an enum).
///
/// The first claimant of a name keeps it; later ones get `2`, `3`, … appended,
/// so names depend only on the order of claims, which follows the document.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope { taken: reserved.iter().map(|name| (*name).to_owned()).collect() }
    }

    /// Claims `name`, or the first free `name2`, `name3`…
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        // A raw identifier gets its suffix on the bare word (`r#type` → `type2`),
        // and an escaped one instead of its underscore (`Self_` → `Self2`).
        let base = name.trim_start_matches("r#").trim_end_matches('_');
        let separator = if base.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_valid_rust() {
        assert_eq!(snake("page[number]", "p"), "page_number");
        assert_eq!(snake("integrationIDs", "p"), "integration_ids");
        assert_eq!(snake("URLsForIDs", "p"), "urls_for_ids");
        assert_eq!(snake("APIKEY", "p"), "apikey");
        assert_eq!(snake("type", "p"), "r#type");
        assert_eq!(snake("self", "p"), "self_");
        assert_eq!(snake("2fa", "p"), "n2fa");
        assert_eq!(snake("Żądanie", "p"), "zadanie");
        assert_eq!(snake("???", "p"), "p");
        assert_eq!(type_name("string", "T"), "StringType");
        assert_eq!(type_name("self", "T"), "Self_");
        assert_eq!(pascal("PAY_LATER", "V"), "PayLater");
        assert_eq!(pascal("1", "V"), "N1");
        assert_eq!(constant("Playground (EU)", "S"), "PLAYGROUND_EU");
        assert_eq!(kebab("users.contactFolder", "f"), "users-contact-folder");
        assert_eq!(kebab("Pet Store", "f"), "pet-store");
        assert_eq!(kebab("???", "f"), "f");
    }

    #[test]
    fn package_names_are_checked_as_cargo_does() {
        assert_eq!(check_package_name("ksef-client"), Ok(()));
        assert_eq!(check_package_name("api_v2"), Ok(()));
        assert_eq!(check_package_name("Bad Name!"), Err("crate name `Bad Name!` may contain only ASCII letters, digits, `-` and `_`".to_owned()));
        assert_eq!(check_package_name("2fa"), Err("crate name `2fa` must start with an ASCII letter".to_owned()));
        assert_eq!(check_package_name("self"), Err("crate name `self` is a Rust keyword or reserved name".to_owned()));
        assert_eq!(check_package_name(""), Err("crate name `` is empty".to_owned()));
    }

    #[test]
    fn collisions_get_numbered_in_claim_order() {
        let mut scope = Scope::with_reserved(&["send"]);
        assert_eq!(scope.claim("send".into()), "send2");
        assert_eq!(scope.claim("FooBar".into()), "FooBar");
        assert_eq!(scope.claim("FooBar".into()), "FooBar2");
        assert_eq!(scope.claim("r#type".into()), "r#type");
        assert_eq!(scope.claim("r#type".into()), "type2");
        assert_eq!(scope.claim("v1".into()), "v1");
        assert_eq!(scope.claim("v1".into()), "v1_2");
        assert_eq!(scope.claim("Self_".into()), "Self_");
        assert_eq!(scope.claim("Self_".into()), "Self2");
    }
}
