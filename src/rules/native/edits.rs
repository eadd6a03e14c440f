//! Small pieces the fixable native rules share: the case a keyword is
//! written in, and edits aimed at words of the Dockerfile.

use crate::diagnostic::Edit;
use crate::span::Span;
use crate::syntax::{Dockerfile, Word};

/// How a keyword is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Case {
    /// Every letter lower case: `run`.
    Lower,
    /// Every letter upper case: `RUN`.
    Upper,
    /// Both: `Run`, `rUN`.
    Mixed,
}

impl Case {
    pub(crate) fn of(word: &str) -> Case {
        let upper = word.bytes().any(|b| b.is_ascii_uppercase());
        let lower = word.bytes().any(|b| b.is_ascii_lowercase());
        match (upper, lower) {
            (true, true) => Case::Mixed,
            (false, true) => Case::Lower,
            _ => Case::Upper,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Case::Lower => "lowercase",
            Case::Upper => "uppercase",
            Case::Mixed => "mixed case",
        }
    }

    /// `word` in this case; a mixed case capitalises it (`Copy`).
    pub(crate) fn apply(self, word: &str) -> String {
        match self {
            Case::Lower => word.to_ascii_lowercase(),
            Case::Upper => word.to_ascii_uppercase(),
            Case::Mixed => {
                let lower = word.to_ascii_lowercase();
                let mut chars = lower.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_ascii_uppercase().to_string() + chars.as_str()
                })
            }
        }
    }
}

/// Whether `word` is written in one piece, as it reads: no line
/// continuation, quote or escape inside it. Only such words are replaced
/// whole by a fix, so that no continuation or comment line is lost.
pub(crate) fn verbatim(source: &str, word: &Word<'_>) -> bool {
    word.span.text(source) == word.text
}

/// Replace `word` with `text`, when the word is [`verbatim`].
pub(crate) fn replace_word(source: &str, word: &Word<'_>, text: String) -> Option<Edit> {
    verbatim(source, word).then_some(Edit {
        span: word.span,
        text,
    })
}

/// Whether a comment line lies inside `span` (in a continued
/// instruction): replacing the span would delete it.
pub(crate) fn comment_inside(file: &Dockerfile<'_>, span: Span) -> bool {
    file.comments
        .iter()
        .any(|c| c.in_continuation && span.start <= c.span.start && c.span.end <= span.end)
}

/// Insert `text` right after `span`.
pub(crate) fn insert_after(span: Span, text: impl Into<String>) -> Edit {
    Edit {
        span: Span::empty(span.end),
        text: text.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_applies_keyword_case() {
        assert_eq!(Case::of("run"), Case::Lower);
        assert_eq!(Case::of("RUN"), Case::Upper);
        assert_eq!(Case::of("Run"), Case::Mixed);
        assert_eq!(Case::Lower.apply("COPY"), "copy");
        assert_eq!(Case::Upper.apply("copy"), "COPY");
        assert_eq!(Case::Mixed.apply("COPY"), "Copy");
    }
}
