//! Rule-file load errors and failing examples, turned into [`Problem`]s
//! that point into the rule files, so that front ends show them without
//! knowing the engine's types.

use super::{ExampleFailure, ExampleOutcome, LoadFailure, SourceFile};
use crate::diagnostic::{Problem, ProblemKind, Severity};
use crate::span::Span;
use std::sync::Arc;

/// The rule files' texts, each shared by every problem in it.
struct Files<'s> {
    sources: &'s [SourceFile],
    texts: Vec<Option<Arc<str>>>,
}

impl<'s> Files<'s> {
    fn new(sources: &'s [SourceFile]) -> Self {
        Files {
            sources,
            texts: vec![None; sources.len()],
        }
    }

    /// A problem in file `file` at `span`, or about no file should there
    /// be no such file.
    fn problem(
        &mut self,
        kind: ProblemKind,
        file: usize,
        span: std::ops::Range<usize>,
        message: String,
        label: &str,
    ) -> Problem {
        let Some(source) = self.sources.get(file) else {
            return Problem::new(kind, Severity::Error, None, message);
        };
        let text = self.texts[file]
            .get_or_insert_with(|| Arc::from(source.text.as_str()))
            .clone();
        Problem::new(kind, Severity::Error, Some(source.name.clone()), message).at(
            text,
            Span::from_usize(span.start, span.end),
            label,
        )
    }
}

impl LoadFailure {
    /// Every load error, pointing into its rule file.
    pub fn problems(&self) -> Vec<Problem> {
        let mut files = Files::new(&self.sources);
        self.errors
            .iter()
            .map(|e| {
                let mut p = files.problem(
                    ProblemKind::RuleFile,
                    e.file,
                    e.span.clone(),
                    e.message.clone(),
                    &e.label,
                );
                p.notes = e.notes.clone();
                p
            })
            .collect()
    }
}

/// Failing examples, each pointing at the example (or at the rule, when
/// it lacks one).
pub fn example_problems(sources: &[SourceFile], failures: &[ExampleFailure]) -> Vec<Problem> {
    let mut files = Files::new(sources);
    failures
        .iter()
        .map(|f| {
            let label = match f.outcome {
                ExampleOutcome::Untested(_) => "this rule",
                _ => "this example",
            };
            let mut p = files.problem(
                ProblemKind::Example,
                f.file,
                f.span.clone(),
                f.message(),
                label,
            );
            p.rule = Some(f.rule.clone());
            p.notes = f.notes();
            p
        })
        .collect()
}
