//! The exec-form test: is the rest of a line a JSON array of strings?
//!
//! BuildKit calls Go's `json.Unmarshal` on the whole rest of the line: valid
//! JSON that is an array of strings is exec form, valid JSON holding anything
//! else is an error, and everything else (single quotes, trailing text, bad
//! escapes, control characters) falls back to shell form. This module follows
//! Go's grammar exactly, including its nesting limit, and keeps the byte range
//! of every element. It uses an explicit stack, so deep input cannot overflow.

use std::borrow::Cow;

/// Go's `encoding/json` refuses to nest deeper than this.
const MAX_DEPTH: usize = 10_000;

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum JsonArray<'t> {
    /// Not valid JSON: BuildKit reads the text as shell form.
    Invalid,
    /// Valid JSON, but the top-level element at `start..end` is not a string.
    NotStrings { start: usize, end: usize },
    /// An array of strings; `close` is the offset of the closing `]`.
    Strings {
        elements: Vec<JsonString<'t>>,
        close: usize,
    },
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct JsonString<'t> {
    /// Offset of the opening quote.
    pub start: usize,
    /// Offset just past the closing quote.
    pub end: usize,
    pub value: Cow<'t, str>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Value,
    ValueOrClose,
    CommaOrClose,
    Key,
    KeyOrClose,
    Colon,
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Parses `text`, which starts with `[`, as Go's `json.Unmarshal` into `[]any`.
pub(crate) fn parse_array(text: &str) -> JsonArray<'_> {
    let b = text.as_bytes();
    if b.first() != Some(&b'[') {
        return JsonArray::Invalid;
    }
    let mut stack: Vec<u8> = Vec::new();
    let mut want = Want::Value;
    let mut i = 0;
    let mut elements = Vec::new();
    let mut not_string: Option<(usize, usize)> = None;
    // Start of the current top-level element when it is a container.
    let mut element_start = 0;
    let mut close = 0;

    loop {
        while i < b.len() && is_ws(b[i]) {
            i += 1;
        }
        let Some(&c) = b.get(i) else {
            return JsonArray::Invalid;
        };
        let mut value_done = false;
        match want {
            Want::Value | Want::ValueOrClose => {
                if want == Want::ValueOrClose && c == b']' {
                    stack.pop();
                    i += 1;
                    if stack.is_empty() {
                        close = i - 1;
                    } else if stack.len() == 1 && not_string.is_none() {
                        not_string = Some((element_start, i));
                    }
                    value_done = true;
                } else {
                    let depth = stack.len();
                    match c {
                        b'[' | b'{' => {
                            if depth == 1 {
                                element_start = i;
                            }
                            stack.push(c);
                            if stack.len() > MAX_DEPTH {
                                return JsonArray::Invalid;
                            }
                            i += 1;
                            want = if c == b'[' {
                                Want::ValueOrClose
                            } else {
                                Want::KeyOrClose
                            };
                        }
                        b'"' => {
                            let Some((end, value)) = scan_string(text, i) else {
                                return JsonArray::Invalid;
                            };
                            if depth == 1 {
                                elements.push(JsonString {
                                    start: i,
                                    end,
                                    value,
                                });
                            }
                            i = end;
                            value_done = true;
                        }
                        _ => {
                            let Some(end) = scan_scalar(b, i) else {
                                return JsonArray::Invalid;
                            };
                            if depth == 1 && not_string.is_none() {
                                not_string = Some((i, end));
                            }
                            i = end;
                            value_done = true;
                        }
                    }
                }
            }
            Want::CommaOrClose => {
                let top = stack.last().copied().unwrap_or(b'[');
                let closer = if top == b'[' { b']' } else { b'}' };
                if c == b',' {
                    i += 1;
                    want = if top == b'[' { Want::Value } else { Want::Key };
                } else if c == closer {
                    stack.pop();
                    i += 1;
                    if stack.is_empty() {
                        close = i - 1;
                    } else if stack.len() == 1 && not_string.is_none() {
                        not_string = Some((element_start, i));
                    }
                    value_done = true;
                } else {
                    return JsonArray::Invalid;
                }
            }
            Want::Key | Want::KeyOrClose => {
                if want == Want::KeyOrClose && c == b'}' {
                    stack.pop();
                    i += 1;
                    if stack.len() == 1 && not_string.is_none() {
                        not_string = Some((element_start, i));
                    }
                    value_done = true;
                } else if c == b'"' {
                    let Some((end, _)) = scan_string(text, i) else {
                        return JsonArray::Invalid;
                    };
                    i = end;
                    want = Want::Colon;
                } else {
                    return JsonArray::Invalid;
                }
            }
            Want::Colon => {
                if c != b':' {
                    return JsonArray::Invalid;
                }
                i += 1;
                want = Want::Value;
            }
        }
        if value_done {
            if stack.is_empty() {
                break;
            }
            want = Want::CommaOrClose;
        }
    }

    while i < b.len() && is_ws(b[i]) {
        i += 1;
    }
    if i != b.len() {
        return JsonArray::Invalid;
    }
    match not_string {
        Some((start, end)) => JsonArray::NotStrings { start, end },
        None => JsonArray::Strings { elements, close },
    }
}

/// Scans `true`, `false`, `null` or a number starting at `i`; returns its end.
fn scan_scalar(b: &[u8], i: usize) -> Option<usize> {
    for lit in [&b"true"[..], b"false", b"null"] {
        if b[i..].starts_with(lit) {
            return Some(i + lit.len());
        }
    }
    let mut j = i;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    match b.get(j) {
        Some(b'0') => j += 1,
        Some(b'1'..=b'9') => {
            while matches!(b.get(j), Some(b'0'..=b'9')) {
                j += 1;
            }
        }
        _ => return None,
    }
    if b.get(j) == Some(&b'.') {
        j += 1;
        if !matches!(b.get(j), Some(b'0'..=b'9')) {
            return None;
        }
        while matches!(b.get(j), Some(b'0'..=b'9')) {
            j += 1;
        }
    }
    if matches!(b.get(j), Some(b'e' | b'E')) {
        j += 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if !matches!(b.get(j), Some(b'0'..=b'9')) {
            return None;
        }
        while matches!(b.get(j), Some(b'0'..=b'9')) {
            j += 1;
        }
    }
    Some(j)
}

fn hex4(b: &[u8], at: usize) -> Option<u32> {
    let digits = b.get(at..at + 4)?;
    let mut v = 0u32;
    for &d in digits {
        v = v * 16 + (d as char).to_digit(16)?;
    }
    Some(v)
}

/// Scans a JSON string whose opening quote is at `start`. Returns the offset
/// past the closing quote and the decoded value, or `None` if Go would reject it.
fn scan_string(text: &str, start: usize) -> Option<(usize, Cow<'_, str>)> {
    let b = text.as_bytes();
    let mut i = start + 1;
    let mut owned: Option<String> = None;
    let mut run_start = i;
    loop {
        let c = *b.get(i)?;
        match c {
            b'"' => {
                let value = match owned {
                    None => Cow::Borrowed(&text[start + 1..i]),
                    Some(mut s) => {
                        s.push_str(&text[run_start..i]);
                        Cow::Owned(s)
                    }
                };
                return Some((i + 1, value));
            }
            0..=0x1f => return None,
            b'\\' => {
                let s = owned.get_or_insert_with(String::new);
                s.push_str(&text[run_start..i]);
                let esc = *b.get(i + 1)?;
                i += 2;
                match esc {
                    b'"' => s.push('"'),
                    b'\\' => s.push('\\'),
                    b'/' => s.push('/'),
                    b'b' => s.push('\u{8}'),
                    b'f' => s.push('\u{c}'),
                    b'n' => s.push('\n'),
                    b'r' => s.push('\r'),
                    b't' => s.push('\t'),
                    b'u' => {
                        let unit = hex4(b, i)?;
                        i += 4;
                        let ch = if (0xD800..0xDC00).contains(&unit) {
                            // A high surrogate pairs with an immediately following low one;
                            // otherwise Go writes U+FFFD and leaves the next escape alone.
                            match (b.get(i..i + 2), hex4(b, i + 2)) {
                                (Some(br"\u"), Some(low)) if (0xDC00..0xE000).contains(&low) => {
                                    i += 6;
                                    char::from_u32(
                                        0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00),
                                    )
                                    .unwrap_or('\u{FFFD}')
                                }
                                _ => '\u{FFFD}',
                            }
                        } else {
                            char::from_u32(unit).unwrap_or('\u{FFFD}')
                        };
                        s.push(ch);
                    }
                    _ => return None,
                }
                run_start = i;
            }
            _ => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(text: &str) -> Option<Vec<String>> {
        match parse_array(text) {
            JsonArray::Strings { elements, .. } => {
                Some(elements.into_iter().map(|e| e.value.into_owned()).collect())
            }
            _ => None,
        }
    }

    #[test]
    fn arrays_of_strings() {
        assert_eq!(strings("[]"), Some(vec![]));
        assert_eq!(
            strings(r#"[ "a", "b" ]"#),
            Some(vec!["a".into(), "b".into()])
        );
        assert_eq!(
            strings(r#"["\" \\ \/ \b \f \n \r \t \u0000"]"#),
            Some(vec!["\" \\ / \u{8} \u{c} \n \r \t \0".into()])
        );
        assert_eq!(strings(r#"["\ud83d\ude00"]"#), Some(vec!["😀".into()]));
        assert_eq!(strings(r#"["\ud83d"]"#), Some(vec!["\u{FFFD}".into()]));
        assert_eq!(strings("[\"a\"]\t \n"), Some(vec!["a".into()]));
    }

    #[test]
    fn invalid_json_falls_back() {
        for text in [
            "['a']",
            r#"["a""#,
            r#"["a"] # comment"#,
            r#"["a",]"#,
            r#"["\x"]"#,
            "[\"a\tb\"]",
            "[01]",
            "[1.]",
            "[",
            r#"["a" "b"]"#,
        ] {
            assert_eq!(parse_array(text), JsonArray::Invalid, "{text}");
        }
    }

    #[test]
    fn valid_json_with_non_strings_is_an_error() {
        assert_eq!(
            parse_array(r#"[ "echo", [ "nested json" ] ]"#),
            JsonArray::NotStrings { start: 10, end: 27 }
        );
        assert_eq!(
            parse_array("[1]"),
            JsonArray::NotStrings { start: 1, end: 2 }
        );
        assert!(matches!(
            parse_array(r#"["a", {"k": [1, null]}]"#),
            JsonArray::NotStrings { .. }
        ));
        assert!(matches!(
            parse_array("[null]"),
            JsonArray::NotStrings { .. }
        ));
    }

    #[test]
    fn nesting_limit_is_goes() {
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(matches!(parse_array(&deep), JsonArray::NotStrings { .. }));
        let deeper = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(parse_array(&deeper), JsonArray::Invalid);
    }
}
