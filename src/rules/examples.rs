//! The example harness: every rule's `good` and `bad` examples are linted
//! with that rule alone, and a `bad` example's fixes are applied until
//! nothing changes and compared with its `fixed` text. `cargo test` runs it
//! on the built-in pack and `shipshape rules test DIR` on a user's rules.

use super::types::{Example, ExampleKind, Rule};
use super::{CheckOptions, Data, RuleSet};
use crate::diagnostic::{Applicability, Diagnostic};
use crate::syntax;
use std::ops::Range;

/// Whether `lint --fix --unsafe-fixes` would apply the diagnostic's fix.
fn applies(d: &Diagnostic) -> bool {
    d.fix
        .as_ref()
        .is_some_and(|f| f.applicability != Applicability::DisplayOnly)
}

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
    /// Applying a `bad` example's fixes gave other text than its `fixed`.
    WrongFix { expected: String, got: String },
    /// A `bad` example's diagnostics carry fixes, but the example has no
    /// `fixed` text to check them against.
    UncheckedFix,
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
            ExampleOutcome::WrongFix { .. } => {
                "applying the fixes of a `bad` example gives other text than `fixed`".to_owned()
            }
            ExampleOutcome::UncheckedFix => {
                "a `bad` example is fixed, but has no `fixed` text to check the fix".to_owned()
            }
        }
    }

    /// More about what went wrong: for a wrong fix, the lines that differ.
    pub fn notes(&self) -> Vec<String> {
        match &self.outcome {
            ExampleOutcome::WrongFix { expected, got } => vec![text_diff(expected, got)],
            ExampleOutcome::UncheckedFix => vec![
                "add `fixed = '''...'''`: the example's text once the fixes are applied".into(),
            ],
            _ => Vec::new(),
        }
    }
}

/// The lines where `expected` and `got` part, in the manner of a unified
/// diff: the common lines around them are left out, `-` lines are
/// expected, `+` lines are what the fixes gave.
pub fn text_diff(expected: &str, got: &str) -> String {
    let a: Vec<&str> = expected.split_inclusive('\n').collect();
    let b: Vec<&str> = got.split_inclusive('\n').collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let show = |line: &str| match line.strip_suffix('\n') {
        Some(l) => l.to_owned(),
        None => format!("{line}⏎ (no newline at the end)"),
    };
    let mut out = format!("@@ line {} @@ (- expected, + got)", head + 1);
    for line in &a[head..a.len() - tail] {
        out.push_str(&format!("\n-{}", show(line)));
    }
    for line in &b[head..b.len() - tail] {
        out.push_str(&format!("\n+{}", show(line)));
    }
    out
}

/// The text `lint --fix --unsafe-fixes` makes of `text` with `rule` alone:
/// every fix but `display-only` ones, round after round, each round
/// checked as the fixer checks it ([`crate::fix::fix_text`]).
pub fn apply_fixes(set: &RuleSet, rule: &Rule, text: &str, options: CheckOptions<'_>) -> String {
    let mut lint = |t: &str| {
        let file = syntax::parse(t);
        set.check_some(&file, "example", options, |r| r.index == rule.index)
    };
    crate::fix::fix_text(text, Applicability::Unsafe, &mut lint).text
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
            let diags = set.check_some(&file, "example", options, |r| r.index == rule.index);
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
                    match &ex.fixed {
                        Some((expected, span)) => {
                            let got = apply_fixes(set, rule, &ex.text, options);
                            if &got != expected {
                                failures.push(fail(
                                    span.clone(),
                                    ExampleOutcome::WrongFix {
                                        expected: expected.clone(),
                                        got,
                                    },
                                ));
                            }
                        }
                        None if diags.iter().any(applies) => {
                            failures.push(fail(ex.span.clone(), ExampleOutcome::UncheckedFix))
                        }
                        None => {}
                    }
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
