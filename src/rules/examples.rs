//! The example harness: every rule's `good` and `bad` examples are linted
//! with that rule alone. `cargo test` runs it on the built-in pack and
//! `shipshape rules test DIR` on a user's rules.

use super::types::{Example, ExampleKind, Rule};
use super::{CheckOptions, Data, RuleSet};
use crate::syntax;
use std::ops::Range;

/// What went wrong with an example (ast-grep's outcome names).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExampleOutcome {
    /// A `bad` example produced no diagnostic.
    Missing,
    /// A `good` example produced diagnostics, on these lines.
    Noisy(Vec<u32>),
    /// A `bad` example was reported on other lines than `lines`.
    Wrong { expected: Vec<u32>, got: Vec<u32> },
    /// The rule lacks a `bad` or a `good` example.
    Untested(&'static str),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleFailure {
    pub rule: String,
    /// Index of the rule file in the set's sources.
    pub file: usize,
    pub span: Range<usize>,
    pub outcome: ExampleOutcome,
}

impl ExampleFailure {
    /// What went wrong, without the rule id.
    pub fn message(&self) -> String {
        let list = |lines: &[u32]| {
            let v: Vec<String> = lines.iter().map(u32::to_string).collect();
            match v.len() {
                1 => format!("line {}", v[0]),
                _ => format!("lines {}", v.join(", ")),
            }
        };
        match &self.outcome {
            ExampleOutcome::Missing => "a `bad` example produced no diagnostic".to_owned(),
            ExampleOutcome::Noisy(lines) => {
                format!("a `good` example was reported on {}", list(lines))
            }
            ExampleOutcome::Wrong { expected, got } => format!(
                "a `bad` example was reported on {}, expected {}",
                list(got),
                list(expected)
            ),
            ExampleOutcome::Untested(what) => format!("the rule has no `{what}` example"),
        }
    }
}

/// The set's data with an example's `tables` entries added, when it has
/// any (as a settings file's options would add them).
pub fn example_data(set: &RuleSet, ex: &Example) -> Option<Data> {
    (!ex.tables.is_empty()).then(|| {
        let mut data = set.data.clone();
        for (name, keys) in &ex.tables {
            data.add_entries(name, keys);
        }
        data
    })
}

/// Runs the examples of the rules `keep` selects.
pub fn check_examples(set: &RuleSet, keep: impl Fn(&Rule) -> bool) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for rule in set.rules.iter().filter(|r| keep(r)) {
        let fail = |span: Range<usize>, outcome| ExampleFailure {
            rule: rule.meta.id.clone(),
            file: rule.origin.file,
            span,
            outcome,
        };
        for (kind, what) in [(ExampleKind::Bad, "bad"), (ExampleKind::Good, "good")] {
            if !rule.examples.iter().any(|e| e.kind == kind) {
                failures.push(fail(
                    rule.origin.span.start..rule.origin.span.start,
                    ExampleOutcome::Untested(what),
                ));
            }
        }
        for ex in &rule.examples {
            let file = syntax::parse(&ex.text);
            let data = example_data(set, ex);
            let options = CheckOptions {
                data: data.as_ref(),
                ..CheckOptions::default()
            };
            let diags = set.check_some(&file, "example", options, |r| r.meta.id == rule.meta.id);
            let mut lines: Vec<u32> = diags
                .iter()
                .map(|d| file.lines().line_of(d.span.start) + 1)
                .collect();
            lines.sort_unstable();
            lines.dedup();
            match ex.kind {
                ExampleKind::Good if !lines.is_empty() => {
                    failures.push(fail(ex.span.clone(), ExampleOutcome::Noisy(lines)))
                }
                ExampleKind::Bad if lines.is_empty() => {
                    failures.push(fail(ex.span.clone(), ExampleOutcome::Missing))
                }
                ExampleKind::Bad => {
                    if let Some(expected) = &ex.lines {
                        let mut expected = expected.clone();
                        expected.sort_unstable();
                        expected.dedup();
                        if expected != lines {
                            failures.push(fail(
                                ex.span.clone(),
                                ExampleOutcome::Wrong {
                                    expected,
                                    got: lines,
                                },
                            ));
                        }
                    }
                }
                ExampleKind::Good => {}
            }
        }
    }
    failures
}
