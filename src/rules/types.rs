//! Compiled rules: what loading produces and evaluation consumes.

use super::data::RuleRegex;
use super::subjects::{BoolField, Field, Role, SubjectKind};
use super::vocab::{
    Category, Confidence, Form, Position, Scripts, StageFilter, Status, TagState, TextSource,
    ValueKind, Vocab, vocab,
};
use crate::detect::{EntropyDetector, Literal, NameSplit};
use crate::diagnostic::{Applicability, Severity};
use crate::syntax::InstructionKind;
use std::collections::BTreeMap;
use std::ops::Range;

/// Where a rule was defined.
#[derive(Clone, Debug)]
pub struct Origin {
    /// Index into the rule set's sources.
    pub file: usize,
    /// The `[[rule]]` table.
    pub span: Range<usize>,
}

/// A rule's documentation and identity.
#[derive(Clone, Debug)]
pub struct RuleMeta {
    pub id: String,
    pub name: String,
    pub category: Category,
    pub severity: Severity,
    pub summary: String,
    pub message: Template,
    /// A one-line fix suggestion shown as the diagnostic's help.
    pub hint: Option<Template>,
    /// Long help (markdown) for `rules explain`.
    pub help: String,
    pub since: Option<String>,
    pub status: Status,
    pub tags: Vec<String>,
    pub confidence: Option<Confidence>,
    /// `cis`, `cwe`, `owasp`, `urls`.
    pub refs: BTreeMap<String, Vec<String>>,
    /// Foreign ids by namespace (`hadolint` → `DL3002`).
    pub aliases: BTreeMap<String, Vec<String>>,
    /// Foreign ids of checks on the same ground that differ from this
    /// rule (`checkov` → `CKV_DOCKER_4`, which flags every ADD): they name
    /// no rule, but a warning about them points here.
    pub related: BTreeMap<String, Vec<String>>,
}

/// How a rule decides.
#[derive(Clone, Debug)]
pub enum Check {
    Match(Matcher),
    /// A rule written in Rust; its name is in [`super::native::NATIVE`].
    Native(super::native::NativeFn),
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub meta: RuleMeta,
    pub check: Check,
    /// `[rule.fix]`: how each finding is mended.
    pub fix: Option<FixTemplate>,
    pub examples: Vec<Example>,
    pub origin: Origin,
    /// The rule's position in its [`super::RuleSet`], set when the set is
    /// built, so per-rule settings are tables indexed by it.
    pub index: usize,
}

#[derive(Clone, Debug)]
pub struct Example {
    pub kind: ExampleKind,
    pub text: String,
    /// The exact 1-based lines a `bad` example must be reported on.
    pub lines: Option<Vec<u32>>,
    /// `bad` only: the text once the rule's fixes are applied, and where
    /// it is in the rule file.
    pub fixed: Option<(String, Range<usize>)>,
    /// Entries added to lookup tables for this example (`[tables]`), as
    /// settings do: `trusted_registries = ["ghcr.io/acme"]`.
    pub tables: Vec<(String, Vec<String>)>,
    /// The example's text in the rule file, for pointing at failures.
    pub span: Range<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExampleKind {
    Bad,
    Good,
}

/// The `[rule.match]` table, compiled.
#[derive(Clone, Debug)]
pub struct Matcher {
    pub subject: SubjectKind,
    pub instructions: Option<Vec<InstructionKind>>,
    pub stage: StageFilter,
    pub position: Position,
    pub onbuild: OnbuildFilter,
    /// Only subjects of instructions in this form.
    pub form: Option<Form>,
    pub sources: Option<Vec<TextSource>>,
    /// Commands: whether the shell scripts COPY/ADD heredocs write count.
    pub scripts: Scripts,
    /// Where the diagnostic points.
    pub report: Report,
    pub predicate: Option<Pred>,
}

/// Where a match rule's diagnostic points (`report`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Report {
    /// A report role of the rule's subject.
    Role(Role),
    /// The bytes a placeholder's value was read from (`report =
    /// "{secret}"`), else the subject as a whole.
    Placeholder(String),
}

/// A predicate tree.
#[derive(Clone, Debug)]
pub enum Pred {
    All(Vec<Pred>),
    Any(Vec<Pred>),
    Not(Box<Pred>),
    Text {
        field: Field,
        test: TextTest,
    },
    Bool {
        field: BoolField,
        value: bool,
    },
    /// Instruction flags (names without `--`) or command flags (as spelled).
    HasFlag(Vec<String>),
    LacksFlag(Vec<String>),
    FlagValue {
        names: Vec<String>,
        test: TextTest,
    },
    /// A command argument matches.
    Arg(TextTest),
    WrappedBy(Vec<String>),
    TagIs(Vec<TagState>),
    ValueIs(Vec<ValueKind>),
    Lookup(Lookup),
    Analyze(Analyzer),
    /// Stage: an image predicate on the image the stage builds on.
    Base(Box<Pred>),
    Relation {
        kind: RelationKind,
        pred: Box<Pred>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelationKind {
    Has,
    Lacks,
    LaterInStage,
    NotLaterInStage,
    FollowedBy,
    NotFollowedBy,
    PrecededBy,
    NotPrecededBy,
    PipedTo,
}

impl RelationKind {
    /// The subject the related predicate talks about.
    pub fn inner_subject(self) -> SubjectKind {
        match self {
            RelationKind::Has
            | RelationKind::Lacks
            | RelationKind::LaterInStage
            | RelationKind::NotLaterInStage => SubjectKind::Instruction,
            RelationKind::FollowedBy
            | RelationKind::NotFollowedBy
            | RelationKind::PrecededBy
            | RelationKind::NotPrecededBy
            | RelationKind::PipedTo => SubjectKind::Command,
        }
    }
}

/// Whether subjects from ONBUILD triggers count (`onbuild = true | false | "only"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnbuildFilter {
    /// Instructions and ONBUILD triggers alike (the default).
    Include,
    Exclude,
    Only,
}

/// A text test; every given part must hold.
#[derive(Clone, Debug, Default)]
pub struct TextTest {
    pub regex: Option<RuleRegex>,
    pub equals: Option<String>,
    pub one_of: Option<Vec<String>>,
    pub icase: bool,
    /// The value (or the regex's `secret` group) must be a literal of one
    /// of these kinds.
    pub literal: Option<Vec<Literal>>,
}

#[derive(Clone, Debug)]
pub struct Lookup {
    pub table: String,
    pub key: Template,
    /// The placeholder the found value binds.
    pub bind: String,
    /// `{bind.field}` placeholders every entry of the table binds.
    pub fields: Vec<String>,
}

#[derive(Clone, Debug)]
pub enum Analyzer {
    /// A secret-looking key name.
    KeyName {
        field: Field,
        split: NameSplit,
        /// Ignore the weak deny words.
        strong: bool,
    },
    /// A credential-shaped value (the data pack's patterns).
    SecretValue { field: Field },
    /// A random-looking token.
    Entropy {
        field: Field,
        detector: EntropyDetector,
    },
    /// The value classifies as one of these literal kinds.
    Literal { field: Field, kinds: Vec<Literal> },
}

/// A template: text with `{placeholder}`s, each optionally passed through
/// filters (`{name|upper}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplatePart {
    Text(String),
    Placeholder { name: String, filters: Vec<Filter> },
}

vocab! {
    /// A transformation of a placeholder's value: `{name|upper}`.
    pub enum Filter: "filter" {
        /// Upper case (ASCII letters only, as Dockerfile keywords).
        Upper = "upper",
        /// Lower case (ASCII letters only).
        Lower = "lower",
        /// A double-quoted Dockerfile word that reads back as the value: `"`, `$` and the escape character are escaped with the escape character.
        Quote = "quote",
        /// A JSON string, as in the exec form `["a", "b"]`.
        Json = "json",
    }
}

impl Filter {
    /// The filtered value; `escape` is the Dockerfile's escape character.
    pub fn apply(self, text: &str, escape: char) -> String {
        match self {
            Filter::Upper => text.to_ascii_uppercase(),
            Filter::Lower => text.to_ascii_lowercase(),
            Filter::Quote => {
                let mut out = String::with_capacity(text.len() + 2);
                out.push('"');
                for c in text.chars() {
                    if c == '"' || c == '$' || c == escape {
                        out.push(escape);
                    }
                    out.push(c);
                }
                out.push('"');
                out
            }
            Filter::Json => serde_json::Value::from(text).to_string(),
        }
    }
}

/// A problem in a template's text, at a byte offset into it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateError {
    /// An unbalanced `{` or `}`, or an empty `{}`.
    Brace(usize),
    /// `{name|filter}` with a filter that doesn't exist.
    Filter { at: usize, name: String },
}

impl Template {
    /// Parses `{name}` and `{name|filter|...}` placeholders; `{{` and `}}`
    /// are literal braces. Returns the template and what is wrong in it.
    pub fn parse(s: &str) -> (Template, Vec<TemplateError>) {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut bad = Vec::new();
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|&(_, n)| n) == Some('{') => {
                    chars.next();
                    text.push('{');
                }
                '}' if chars.peek().map(|&(_, n)| n) == Some('}') => {
                    chars.next();
                    text.push('}');
                }
                '{' => {
                    let mut inner = String::new();
                    let mut closed = false;
                    for (_, n) in chars.by_ref() {
                        if n == '}' {
                            closed = true;
                            break;
                        }
                        inner.push(n);
                    }
                    let mut pieces = inner.split('|');
                    let name = pieces.next().unwrap_or_default().trim().to_owned();
                    if !closed || name.is_empty() {
                        bad.push(TemplateError::Brace(i));
                        continue;
                    }
                    let mut filters = Vec::new();
                    let mut at = i + 1 + inner.find('|').unwrap_or(inner.len());
                    for f in pieces {
                        match Filter::parse(f.trim()) {
                            Some(f) => filters.push(f),
                            None => bad.push(TemplateError::Filter {
                                at: at + 1,
                                name: f.trim().to_owned(),
                            }),
                        }
                        at += 1 + f.len();
                    }
                    if !text.is_empty() {
                        parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                    }
                    parts.push(TemplatePart::Placeholder { name, filters });
                }
                '}' => bad.push(TemplateError::Brace(i)),
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(TemplatePart::Text(text));
        }
        (Template { parts }, bad)
    }

    /// A template of plain text.
    pub fn text(s: &str) -> Template {
        Template {
            parts: vec![TemplatePart::Text(s.to_owned())],
        }
    }

    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            TemplatePart::Placeholder { name, .. } => Some(name.as_str()),
            TemplatePart::Text(_) => None,
        })
    }

    /// The text with each placeholder's value, filtered; a placeholder
    /// without a value is written back as `{name}`.
    pub fn render(&self, lookup: &dyn Fn(&str) -> Option<String>) -> String {
        self.render_in(lookup, '\\')
    }

    /// [`Template::render`] for a Dockerfile whose escape character is
    /// `escape` (the `quote` filter uses it).
    pub fn render_in(&self, lookup: &dyn Fn(&str) -> Option<String>, escape: char) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                TemplatePart::Text(t) => out.push_str(t),
                TemplatePart::Placeholder { name, filters } => match lookup(name) {
                    Some(v) => {
                        let v = filters.iter().fold(v, |v, f| f.apply(&v, escape));
                        out.push_str(&v);
                    }
                    None => {
                        out.push('{');
                        out.push_str(name);
                        for f in filters {
                            out.push('|');
                            out.push_str(f.as_str());
                        }
                        out.push('}');
                    }
                },
            }
        }
        out
    }
}

/// A `[rule.fix]` table, compiled: rendered for each finding of the rule.
#[derive(Clone, Debug)]
pub struct FixTemplate {
    pub title: Template,
    pub applicability: Applicability,
    pub edits: Vec<EditTemplate>,
}

/// One edit of a fix template.
#[derive(Clone, Debug)]
pub struct EditTemplate {
    pub op: EditOp,
    pub at: Target,
    /// The text to write; `None` for `delete`.
    pub text: Option<Template>,
}

vocab! {
    /// What an edit does to the span it is aimed at.
    pub enum EditOp: "edit op" {
        /// Replaces the span with `text`.
        Replace = "replace",
        /// Deletes the span.
        Delete = "delete",
        /// Inserts `text` before the span.
        InsertBefore = "insert-before",
        /// Inserts `text` after the span.
        InsertAfter = "insert-after",
    }
}

/// The span an edit is aimed at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The diagnostic's span (`report`).
    Reported,
    /// A report role of the rule's subject: `keyword`, `value`, ...
    Role(Role),
    /// Where a placeholder's value was read: `{subcommand}`.
    Placeholder(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        let (t, bad) = Template::parse("`{image}` uses {{latest}} {x");
        assert_eq!(bad, vec![TemplateError::Brace(26)]);
        assert_eq!(t.placeholders().collect::<Vec<_>>(), ["image"]);
        assert_eq!(
            t.render(&|n| (n == "image").then(|| "node".to_owned())),
            "`node` uses {latest} "
        );
    }

    #[test]
    fn filters() {
        let (t, bad) = Template::parse("{a|upper} {a | lower} {b|quote} {b|json} {a|uper}");
        assert_eq!(
            bad,
            vec![TemplateError::Filter {
                at: 44,
                name: "uper".into()
            }]
        );
        let value = |n: &str| Some(if n == "a" { "Ab" } else { r#"x "$y" \ z"# }.to_owned());
        assert_eq!(
            t.render(&value),
            r#"AB ab "x \"\$y\" \\ z" "x \"$y\" \\ z" Ab"#
        );
        assert_eq!(
            t.render_in(&|n| (n == "b").then(|| "a\\`b".to_owned()), '`'),
            "{a|upper} {a|lower} \"a\\``b\" \"a\\\\`b\" {a}"
        );
    }
}
