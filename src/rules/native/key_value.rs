//! `legacy-key-value-format`: `ENV key value` and `LABEL key value`, and
//! the fix that writes them as `key=value` with the very value BuildKit
//! read. The rewrite must follow BuildKit's word splitting and quote
//! processing, which is code, not a template.

use super::edits::comment_inside;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::rules::eval::{Bind, Facts, Finding};
use crate::span::Span;
use crate::syntax::{Arguments, Instruction, InstructionKind, KeyValue};

/// Each ENV or LABEL in the legacy form, ONBUILD triggers included.
pub(super) fn legacy_key_value_format(facts: &Facts<'_, '_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for inst in &facts.file.instructions {
        let inst = inst.trigger().unwrap_or(inst);
        if !matches!(inst.kind, InstructionKind::Env | InstructionKind::Label) {
            continue;
        }
        let Arguments::KeyValues(pairs) = &inst.args else {
            continue;
        };
        for pair in pairs.iter().filter(|p| p.equals.is_none()) {
            let Some(value) = &pair.value else { continue };
            let mut finding = Finding::new(
                pair.span,
                vec![
                    Bind::new("instruction", inst.keyword.text.clone()).at(inst.keyword.span),
                    Bind::new("key", pair.key.text.clone()).at(pair.key.span),
                    Bind::new("value", value.text.clone())
                        .at(value.span)
                        .cut(40),
                ],
            );
            finding.fix = fix(facts, inst, pair);
            out.push(finding);
        }
    }
    out
}

/// `key value` → `key=value`, on one line: the separator and the value are
/// replaced by `=` and the value rewritten so that BuildKit reads one word
/// that means the same. `None` when that can't be done exactly: a key that
/// quotes, escapes or expands; a value with an unterminated quote (a build
/// error either way); a comment line inside the pair, which would be lost.
fn fix(facts: &Facts<'_, '_>, inst: &Instruction<'_>, pair: &KeyValue<'_>) -> Option<Fix> {
    let file = facts.file;
    let value = pair.value.as_ref()?;
    let escape = file.escape;
    if pair
        .key
        .text
        .chars()
        .any(|c| matches!(c, '"' | '\'' | '$' | '=') || c == escape)
        || comment_inside(file, pair.span)
    {
        return None;
    }
    let word = one_word(&value.text, escape)?;
    let edit = Edit {
        span: Span::new(pair.key.span.end, value.span.end),
        text: format!("={word}"),
    };
    let shown = match word.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &word[..cut]),
        None => word,
    };
    let title = format!("Write `{} {}={shown}`", inst.keyword.text, pair.key.text);
    Fix::new(title, Applicability::Safe, vec![edit])
}

/// A word that BuildKit's parser keeps whole and its word processing reads
/// as it reads the legacy `value` (quote removal, escapes, `$` expansion):
/// - `value` as is, when it has no blank outside quotes;
/// - else `"value"`, when it has no quote and no escape character, since
///   inside double quotes only `"`, `$` and the escape character are
///   special, and `$` expands there just the same;
/// - else `value` with the escape character put before each blank outside
///   quotes.
///
/// `None` when a quote is not closed.
pub(crate) fn one_word(value: &str, escape: char) -> Option<String> {
    let blanks = unquoted_blanks(value, escape)?;
    if blanks.is_empty() {
        return Some(value.to_owned());
    }
    if !value.contains(['"', '\'']) && !value.contains(escape) {
        return Some(format!("\"{value}\""));
    }
    let mut out = String::with_capacity(value.len() + blanks.len());
    let mut at = 0;
    for b in blanks {
        out.push_str(&value[at..b]);
        out.push(escape);
        at = b;
    }
    out.push_str(&value[at..]);
    Some(out)
}

/// Byte offsets of the blanks that split `value` into words, as BuildKit's
/// parser splits (`parseWords`): outside quotes, not after the escape
/// character. `None` when a quote is not closed.
fn unquoted_blanks(value: &str, escape: char) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    let mut quote: Option<char> = None;
    let mut chars = value.char_indices();
    while let Some((i, c)) = chars.next() {
        match quote {
            None if c == escape => {
                chars.next();
            }
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c.is_whitespace() => out.push(i),
            None => {}
            // No escape inside single quotes.
            Some('\'') if c == '\'' => quote = None,
            Some('\'') => {}
            Some(_) if c == escape => {
                chars.next();
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
        }
    }
    quote.is_none().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Value, expand};

    /// What BuildKit's word processing makes of a value, with every
    /// variable set to a value of its own.
    fn read(word: &str, escape: char) -> String {
        let lookup = |name: &str| Some(Value::Known(format!("<{name}>")));
        expand(word, escape, &lookup).text
    }

    #[test]
    fn rewrites_values_into_one_word_that_reads_the_same() {
        let cases = [
            ("1", "1"),
            ("$HOME/bin:$PATH", "$HOME/bin:$PATH"),
            ("\"quoted value\"", "\"quoted value\""),
            ("a\\ b", "a\\ b"),
            ("two  spaces   here", "\"two  spaces   here\""),
            ("${X:-a b} $Y", "\"${X:-a b} $Y\""),
            ("'x y' z", "'x y'\\ z"),
            ("it\\'s me", "it\\'s\\ me"),
            ("John \"JD\" Doe", "John\\ \"JD\"\\ Doe"),
            ("a\\b c", "a\\b\\ c"),
        ];
        for (legacy, want) in cases {
            let got = one_word(legacy, '\\').expect("a closed value");
            assert_eq!(got, want, "{legacy}");
            assert_eq!(read(&got, '\\'), read(legacy, '\\'), "{legacy}");
            assert!(unquoted_blanks(&got, '\\').is_some_and(|b| b.is_empty()));
        }
    }

    #[test]
    fn follows_the_escape_directive() {
        let got = one_word("C:\\a b", '`').expect("closed");
        assert_eq!(got, "\"C:\\a b\"");
        assert_eq!(read(&got, '`'), "C:\\a b");
        let got = one_word("a`b c'd'", '`').expect("closed");
        assert_eq!(got, "a`b` c'd'");
        assert_eq!(read(&got, '`'), read("a`b c'd'", '`'));
    }

    #[test]
    fn refuses_an_unterminated_quote() {
        assert_eq!(one_word("it's", '\\'), None);
        assert_eq!(one_word("a\"b c", '\\'), None);
    }
}
