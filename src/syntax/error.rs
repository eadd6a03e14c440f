//! Syntax errors: everything BuildKit would refuse to build, with a span.

use crate::span::Span;
use serde::Serialize;

/// What is wrong. Each kind names one reason BuildKit rejects a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SyntaxErrorKind {
    /// The bytes are not valid UTF-8 (reported by the loader).
    NotUtf8,
    /// The source is too large to address with 32-bit offsets.
    FileTooLarge,
    /// Empty file, or only comments and directives.
    NoInstructions,
    DuplicateDirective,
    InvalidEscape,
    UnknownInstruction,
    /// Too few or too many arguments for the instruction.
    ArgumentCount,
    /// `ENV KEY` / `LABEL key` without a value.
    MissingValue,
    /// A `k=v` list with a word that has no `=`.
    MissingEquals,
    /// An empty key (`ENV =x`) or an ARG without a name.
    EmptyName,
    /// A JSON array holding something other than strings.
    JsonNotStrings,
    UnknownFlag,
    DuplicateFlag,
    FlagMissingValue,
    FlagInvalidValue,
    UnterminatedHeredoc,
    /// A heredoc where it is not allowed (e.g. as COPY's destination).
    MisplacedHeredoc,
    InvalidOnbuildTrigger,
    InvalidHealthcheck,
    /// SHELL needs the JSON form.
    ShellNotJson,
    /// `FROM image AS name` written wrongly, or an invalid stage name.
    InvalidStage,
    /// An instruction other than ARG before the first FROM.
    NoBuildStage,
    /// A physical line longer than BuildKit's 64 KiB scanner buffer.
    LineTooLong,
}

impl SyntaxErrorKind {
    pub fn code(self) -> &'static str {
        match self {
            SyntaxErrorKind::NotUtf8 => "not-utf8",
            SyntaxErrorKind::FileTooLarge => "file-too-large",
            SyntaxErrorKind::NoInstructions => "no-instructions",
            SyntaxErrorKind::DuplicateDirective => "duplicate-directive",
            SyntaxErrorKind::InvalidEscape => "invalid-escape",
            SyntaxErrorKind::UnknownInstruction => "unknown-instruction",
            SyntaxErrorKind::ArgumentCount => "argument-count",
            SyntaxErrorKind::MissingValue => "missing-value",
            SyntaxErrorKind::MissingEquals => "missing-equals",
            SyntaxErrorKind::EmptyName => "empty-name",
            SyntaxErrorKind::JsonNotStrings => "json-not-strings",
            SyntaxErrorKind::UnknownFlag => "unknown-flag",
            SyntaxErrorKind::DuplicateFlag => "duplicate-flag",
            SyntaxErrorKind::FlagMissingValue => "flag-missing-value",
            SyntaxErrorKind::FlagInvalidValue => "flag-invalid-value",
            SyntaxErrorKind::UnterminatedHeredoc => "unterminated-heredoc",
            SyntaxErrorKind::MisplacedHeredoc => "misplaced-heredoc",
            SyntaxErrorKind::InvalidOnbuildTrigger => "invalid-onbuild-trigger",
            SyntaxErrorKind::InvalidHealthcheck => "invalid-healthcheck",
            SyntaxErrorKind::ShellNotJson => "shell-not-json",
            SyntaxErrorKind::InvalidStage => "invalid-stage",
            SyntaxErrorKind::NoBuildStage => "no-build-stage",
            SyntaxErrorKind::LineTooLong => "line-too-long",
        }
    }
}

/// A secondary label: another place relevant to the error. The same type
/// as a diagnostic's, so an error's labels become a finding's unchanged.
pub use crate::diagnostic::Label;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    pub span: Span,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<Label>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl SyntaxError {
    pub fn new(kind: SyntaxErrorKind, span: Span, message: impl Into<String>) -> Self {
        SyntaxError {
            kind,
            span,
            message: message.into(),
            labels: Vec::new(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }
}
