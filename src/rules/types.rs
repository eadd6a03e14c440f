//! Compiled rules: what loading produces and evaluation consumes.

use super::schema::{
    BoolField, Field, OnbuildFilter, Position, StageFilter, SubjectKind, TextSource,
};
use crate::detect::{EntropyDetector, Literal, NameSplit};
use crate::diagnostic::Severity;
use crate::syntax::InstructionKind;
use regex::Regex;
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
    pub category: String,
    pub severity: Severity,
    pub summary: String,
    pub message: Template,
    /// A one-line fix suggestion shown as the diagnostic's help.
    pub hint: Option<Template>,
    /// Long help (markdown) for `rules explain`.
    pub help: String,
    pub since: Option<String>,
    pub status: String,
    pub tags: Vec<String>,
    pub confidence: Option<String>,
    /// `cis`, `cwe`, `owasp`, `urls`.
    pub refs: BTreeMap<String, Vec<String>>,
    /// Foreign ids by namespace (`hadolint` → `DL3002`).
    pub aliases: BTreeMap<String, Vec<String>>,
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
    pub examples: Vec<Example>,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub struct Example {
    pub kind: ExampleKind,
    pub text: String,
    /// The exact 1-based lines a `bad` example must be reported on.
    pub lines: Option<Vec<u32>>,
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
    /// `Some(true)`: exec form only; `Some(false)`: shell form only.
    pub exec_form: Option<bool>,
    pub sources: Option<Vec<TextSource>>,
    /// Commands: also the shell scripts COPY/ADD heredocs write.
    pub copied_scripts: bool,
    /// The role whose span the diagnostic points at.
    pub report: String,
    pub predicate: Option<Pred>,
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
    pub fn parse(key: &str) -> Option<RelationKind> {
        Some(match key {
            "has" => RelationKind::Has,
            "lacks" => RelationKind::Lacks,
            "later_in_stage" => RelationKind::LaterInStage,
            "not_later_in_stage" => RelationKind::NotLaterInStage,
            "followed_by" => RelationKind::FollowedBy,
            "not_followed_by" => RelationKind::NotFollowedBy,
            "preceded_by" => RelationKind::PrecededBy,
            "not_preceded_by" => RelationKind::NotPrecededBy,
            "piped_to" => RelationKind::PipedTo,
            _ => return None,
        })
    }

    /// The subject the related predicate talks about.
    pub fn inner_subject(self) -> SubjectKind {
        match self {
            RelationKind::Has
            | RelationKind::Lacks
            | RelationKind::LaterInStage
            | RelationKind::NotLaterInStage => SubjectKind::Instruction,
            _ => SubjectKind::Command,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagState {
    Latest,
    Missing,
    Present,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// A value with no variable reference.
    Literal,
    /// A value that refers to a variable.
    Variable,
    Empty,
    /// No value at all (`ARG NAME`).
    None,
}

/// A text test; every given part must hold.
#[derive(Clone, Debug, Default)]
pub struct TextTest {
    pub regex: Option<Regex>,
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

/// A message template: text with `{placeholder}`s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplatePart {
    Text(String),
    Placeholder(String),
}

impl Template {
    /// Parses `{name}` placeholders; `{{` and `}}` are literal braces.
    /// Returns the template and the byte offsets of unbalanced braces.
    pub fn parse(s: &str) -> (Template, Vec<usize>) {
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
                    let mut name = String::new();
                    let mut closed = false;
                    for (_, n) in chars.by_ref() {
                        if n == '}' {
                            closed = true;
                            break;
                        }
                        name.push(n);
                    }
                    if !closed || name.is_empty() {
                        bad.push(i);
                        continue;
                    }
                    if !text.is_empty() {
                        parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                    }
                    parts.push(TemplatePart::Placeholder(name));
                }
                '}' => bad.push(i),
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(TemplatePart::Text(text));
        }
        (Template { parts }, bad)
    }

    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            TemplatePart::Placeholder(n) => Some(n.as_str()),
            TemplatePart::Text(_) => None,
        })
    }

    pub fn render(&self, lookup: &dyn Fn(&str) -> Option<String>) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                TemplatePart::Text(t) => out.push_str(t),
                TemplatePart::Placeholder(n) => match lookup(n) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('{');
                        out.push_str(n);
                        out.push('}');
                    }
                },
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        let (t, bad) = Template::parse("`{image}` uses {{latest}} {x");
        assert_eq!(bad, vec![26]);
        assert_eq!(t.placeholders().collect::<Vec<_>>(), ["image"]);
        assert_eq!(
            t.render(&|n| (n == "image").then(|| "node".to_owned())),
            "`node` uses {latest} "
        );
    }
}
