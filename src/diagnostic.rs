//! Diagnostics: what a rule (or the parser) says about a span of a file.

use crate::span::Span;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How serious a finding is (hadolint's scale).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Style,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Error,
        Severity::Warning,
        Severity::Info,
        Severity::Style,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Style => "style",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or(())
    }
}

/// A secondary location with its own message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One finding about one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The rule's stable id, e.g. `SEC001`.
    pub rule: String,
    /// The rule's kebab-case name.
    pub name: String,
    pub category: String,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// An edit that mends the finding, if the rule knows one.
    pub fix: Option<Fix>,
}

/// How far a fix can be trusted to keep the Dockerfile's meaning.
///
/// Ordered from least to most trusted, so `applicability >= Unsafe` selects
/// the fixes `--unsafe-fixes` applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown as a suggestion, never applied.
    DisplayOnly,
    /// Applied with `--unsafe-fixes`: it may change what the image does.
    Unsafe,
    /// Applied with `--fix`: the image is built the same, or as intended.
    Safe,
}

impl Applicability {
    pub const ALL: [Applicability; 3] = [
        Applicability::Safe,
        Applicability::Unsafe,
        Applicability::DisplayOnly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

impl fmt::Display for Applicability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Applicability {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Applicability::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or(())
    }
}

/// Replace the bytes of `span` with `text` (an insertion when the span is
/// empty, a deletion when the text is).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

/// A set of edits that together mend one finding. They are applied all
/// or none, and never overlap one another.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    /// What the fix does, in the imperative ("Replace `as` with `AS`").
    pub title: String,
    pub applicability: Applicability,
    /// Sorted by span, non-overlapping.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix from edits in any order; `None` if two of them overlap (or two
    /// insertions share a point), since no order would make them agree.
    pub fn new(title: String, applicability: Applicability, mut edits: Vec<Edit>) -> Option<Fix> {
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        edits.dedup();
        let overlaps = edits.windows(2).any(|w| {
            w[1].span.start < w[0].span.end
                || (w[1].span.start == w[0].span.start && w[0].span.is_empty())
        });
        (!overlaps).then_some(Fix {
            title,
            applicability,
            edits,
        })
    }

    /// The bytes the fix touches, from its first edit to its last.
    pub fn span(&self) -> Option<Span> {
        let first = self.edits.first()?;
        let last = self.edits.last()?;
        Some(first.span.cover(last.span))
    }
}
