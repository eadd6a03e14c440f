//! Diagnostics: what a rule (or the parser) says about a span of a file,
//! what linting one file produced, and the problems found outside the
//! Dockerfiles (in settings and rule files). Reports are written from these
//! types alone.

use crate::redact::Redaction;
use crate::span::Span;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

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
    /// The secrets the finding is about: every report masks these bytes
    /// and any text that repeats them.
    pub redact: Vec<Redaction>,
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

/// What linting one file produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileReport {
    /// The path shown in diagnostics.
    pub path: String,
    /// The file's text (invalid UTF-8 replaced), for rendering.
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// A file that could not be linted at all: unreadable, missing, or a
/// panic while linting it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// What a [`Problem`] is about, which decides how a front end groups it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// A settings file (`.shipshape.toml`, `.hadolint.yaml`): one that
    /// can't be read, a bad value, a selector that names no rule, or a
    /// note about which file is read.
    Settings,
    /// A rule folder: unreadable, empty, or some of its files left out.
    RuleFolder,
    /// An error in a rule file, found while loading it.
    RuleFile,
    /// A rule's example that does not give what it says.
    Example,
}

/// A problem found outside the Dockerfiles being linted, returned as data:
/// each front end (the command line, an editor) shows it its own way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub severity: Severity,
    /// The rule it is about, when it is about one (a failing example).
    pub rule: Option<String>,
    pub message: String,
    /// The file it is in, as shown; `None` for one about no single file.
    pub path: Option<String>,
    /// Where in that file, when it points into it.
    pub at: Option<Place>,
    /// More lines of explanation (valid keys, bound placeholders).
    pub notes: Vec<String>,
}

/// A span in a file other than a Dockerfile, with that file's text (shared
/// by every problem in the file) and what to say under the span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub text: Arc<str>,
    pub span: Span,
    pub label: String,
}

impl Problem {
    /// A problem about a file as a whole, or (with no path) about no file.
    pub fn new(
        kind: ProblemKind,
        severity: Severity,
        path: Option<String>,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            kind,
            severity,
            rule: None,
            message: message.into(),
            path,
            at: None,
            notes: Vec::new(),
        }
    }

    /// Points the problem at `span` of its file's `text`.
    pub fn at(mut self, text: Arc<str>, span: Span, label: impl Into<String>) -> Problem {
        self.at = Some(Place {
            text,
            span,
            label: label.into(),
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
