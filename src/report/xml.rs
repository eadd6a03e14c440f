//! Escaping for the XML formats (checkstyle, JUnit): attribute values and
//! character data escape differently, and both replace what XML 1.0
//! can't hold.

/// Text escaped for a double-quoted XML attribute. Tabs and line breaks
/// become character references so parsers don't normalise them to spaces;
/// characters XML 1.0 forbids even as references (other C0 controls,
/// U+FFFE, U+FFFF) become `?`.
pub(super) fn attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\0'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

/// Text escaped for XML character data; characters XML 1.0 forbids become
/// `?`.
pub(super) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' | '\r' => out.push(c),
            '\0'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{attr, text};

    #[test]
    fn attributes_are_escaped() {
        assert_eq!(
            attr("a<b>&\"c'\n\u{1b}[1m\u{ffff}"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;?[1m?"
        );
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a<b>&\"c\n\u{1b}"), "a&lt;b&gt;&amp;\"c\n?");
    }
}
