//! JSON pointers (RFC 6901), as diagnostics name the nodes of a document:
//! building them a segment at a time, and reading a segment back as its key.

/// Appends `segment` to a JSON pointer, escaping `~` and `/` as RFC 6901 says.
pub fn pointer_push(pointer: &str, segment: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + segment.len() + 1);
    out.push_str(pointer);
    push_segment(&mut out, segment);
    out
}

/// Appends `segment` to `pointer` in place, escaped as [`pointer_push`] does:
/// for walks that extend one pointer and `truncate` it back after each child.
pub fn push_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    for c in segment.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// A segment of a JSON pointer as the key it names: `~1` is `/`, `~0` is `~`.
pub fn unescape_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_segments_are_escaped() {
        assert_eq!(pointer_push("/paths", "/pets/{id}"), "/paths/~1pets~1{id}");
        assert_eq!(pointer_push("", "a~b"), "/a~0b");
        assert_eq!(unescape_segment("~1pets~1{id}~0x"), "/pets/{id}~x");
    }
}
