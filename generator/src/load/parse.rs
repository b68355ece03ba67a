//! Text → raw JSON tree, for YAML and JSON alike.

use serde_json::Value;

use crate::pointer::pointer_push;
use crate::locate::libyaml::duplicate_key;

/// Why a text is not a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// A syntax error at a 1-based line and column, and the pointer of the
    /// node it is in when known (empty otherwise).
    At { line: usize, column: usize, pointer: String, message: String },
    /// A node that has no JSON form, at a JSON pointer.
    Node { pointer: String, message: String },
}

/// Parses YAML or JSON `text` into a tree whose mapping keys are all strings.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str::<Value>(text).map_err(|error| ParseError::At {
            line: error.line(),
            column: error.column(),
            pointer: String::new(),
            message: format!("not valid JSON: {error}"),
        });
    }
    let yaml = serde_yaml::from_str::<serde_yaml::Value>(text).map_err(|error| {
        // serde_yaml places a duplicate key at its mapping's start: find the second one.
        if let Some(duplicate) = error.to_string().contains("duplicate entry").then(|| duplicate_key(text)).flatten() {
            let (line, column) = duplicate.at;
            let (first_line, first_column) = duplicate.first;
            return ParseError::At {
                line,
                column,
                pointer: duplicate.pointer,
                message: format!(
                    "not valid YAML or JSON: duplicate key {:?}, first at line {first_line} column {first_column}",
                    duplicate.key
                ),
            };
        }
        let (line, column) = error.location().map_or((1, 1), |l| (l.line(), l.column()));
        ParseError::At { line, column, pointer: String::new(), message: format!("not valid YAML or JSON: {error}") }
    })?;
    yaml_to_json(yaml, "").map_err(|(pointer, message)| ParseError::Node { pointer, message })
}

/// Converts a YAML tree to JSON, turning scalar mapping keys (`200:`) into
/// strings as JSON would have them.
fn yaml_to_json(yaml: serde_yaml::Value, pointer: &str) -> Result<Value, (String, String)> {
    use serde_yaml::Value as Yaml;
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                // NaN and infinities have no JSON form; keep them as text.
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f).map_or_else(|| Value::String(n.to_string()), Value::Number)
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, &pointer_push(pointer, &i.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(entries) => {
            let mut object = serde_json::Map::with_capacity(entries.len());
            for (key, value) in entries {
                let key = match key {
                    Yaml::String(s) => s,
                    Yaml::Number(n) => n.to_string(),
                    Yaml::Bool(b) => b.to_string(),
                    Yaml::Null => String::from("null"),
                    _ => {
                        return Err((
                            pointer.to_owned(),
                            String::from("a mapping key must be a string, number or boolean"),
                        ));
                    }
                };
                let child = pointer_push(pointer, &key);
                let value = yaml_to_json(value, &child)?;
                object.insert(key, value);
            }
            Value::Object(object)
        }
        Yaml::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_keys_become_strings_and_complex_keys_are_located() {
        assert_eq!(parse("200: {a: [1, true]}\n").unwrap(), serde_json::json!({"200": {"a": [1, true]}}));
        assert_eq!(
            parse("a:\n  ? [x]\n  : 1\n").unwrap_err(),
            ParseError::Node { pointer: "/a".into(), message: "a mapping key must be a string, number or boolean".into() }
        );
        assert!(matches!(parse("{\"a\": }"), Err(ParseError::At { line: 1, .. })));
    }

    /// serde_yaml puts a duplicate key at the first line of its mapping.
    #[test]
    fn a_duplicate_key_is_located_at_the_duplicate() {
        let text = "openapi: 3.0.3\npaths:\n  /a:\n    get: {}\n  /b: {}\n  /a:\n    put: {}\n";
        assert_eq!(
            parse(text).unwrap_err(),
            ParseError::At {
                line: 6,
                column: 3,
                pointer: "/paths/~1a".into(),
                message: "not valid YAML or JSON: duplicate key \"/a\", first at line 3 column 3".into()
            }
        );
    }
}
