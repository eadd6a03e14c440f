//! The check every round of fixes must pass: the edited text has no syntax
//! error the original lacked, and every instruction no edit touched is read
//! by BuildKit exactly as before.

use crate::diagnostic::Edit;
use crate::syntax::{self, Dockerfile, Instruction, SyntaxErrorKind, dump_buildkit_instruction};
use std::collections::HashMap;

/// Why a round of edits was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The edited text has a syntax error the original did not.
    AddsSyntaxError { message: String },
    /// An instruction that no edit touched would be read differently (its
    /// line in the original text, 1-based).
    ChangesInstruction { line: u32, keyword: String },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::AddsSyntaxError { message } => {
                write!(f, "it would add a syntax error: {message}")
            }
            Refusal::ChangesInstruction { line, keyword } => write!(
                f,
                "it would change how BuildKit reads the `{keyword}` on line {line}, which it does not target"
            ),
        }
    }
}

/// The text a round of fixes starts from, parsed once (with what BuildKit
/// reads of each instruction) however many candidate edits are checked
/// against it.
pub struct Guard<'t> {
    before: Dockerfile<'t>,
    readings: Vec<Reading<'t>>,
}

/// What BuildKit takes from an instruction: its dump, and the heredoc
/// bodies it carries.
type Reading<'t> = (String, Vec<&'t str>);

impl<'t> Guard<'t> {
    pub fn new(old: &'t str) -> Self {
        let before = syntax::parse(old);
        let readings = before.instructions.iter().map(reading).collect();
        Guard { before, readings }
    }

    /// 1-based line of an offset of the text the round starts from.
    pub fn line(&self, offset: u32) -> u32 {
        self.before.lines().line_of(offset) + 1
    }

    /// Checks that `edits` (sorted, non-overlapping), which turn the old text
    /// into `new`, add no syntax error and leave every instruction they
    /// don't touch as BuildKit reads it. One pass over the instructions and
    /// the edits together, so a round of many fixes stays linear.
    pub fn check(&self, new: &str, edits: &[&Edit]) -> Result<(), Refusal> {
        let after = syntax::parse(new);
        if let Some(message) = added_error(&self.before, &after) {
            return Err(Refusal::AddsSyntaxError { message });
        }
        let by_start: HashMap<u32, &Instruction<'_>> = after
            .instructions
            .iter()
            .map(|i| (i.span.start, i))
            .collect();
        // Edits ending before the instruction move it by `delta`; the next
        // one, if it reaches the instruction, touches it.
        let (mut next, mut delta) = (0, 0i64);
        for (inst, was) in self.before.instructions.iter().zip(&self.readings) {
            while let Some(e) = edits.get(next).filter(|e| e.span.end < inst.span.start) {
                delta += e.text.len() as i64 - i64::from(e.span.len());
                next += 1;
            }
            if edits.get(next).is_some_and(|e| touches(e, inst)) {
                continue;
            }
            let start = (i64::from(inst.span.start) + delta) as u32;
            let same = by_start
                .get(&start)
                .is_some_and(|moved| reading(moved) == *was);
            if !same {
                return Err(Refusal::ChangesInstruction {
                    line: self.line(inst.span.start),
                    keyword: inst.keyword.text.to_string(),
                });
            }
        }
        Ok(())
    }
}

/// [`Guard::check`] for a text that is checked once.
#[cfg(test)]
fn check(old: &str, new: &str, edits: &[&Edit]) -> Result<(), Refusal> {
    Guard::new(old).check(new, edits)
}

/// The message of a syntax error `after` has more of (by kind) than `before`.
fn added_error(before: &Dockerfile<'_>, after: &Dockerfile<'_>) -> Option<String> {
    let mut counts: HashMap<SyntaxErrorKind, i64> = HashMap::new();
    for e in &before.errors {
        *counts.entry(e.kind).or_default() += 1;
    }
    for e in &after.errors {
        let n = counts.entry(e.kind).or_default();
        *n -= 1;
        if *n < 0 {
            return Some(e.message.clone());
        }
    }
    None
}

/// Whether an edit changes or borders on the instruction's bytes (an
/// insertion at either end counts: it may join the instruction).
fn touches(edit: &Edit, inst: &Instruction<'_>) -> bool {
    let (e, i) = (edit.span, inst.span);
    e.start <= i.end && i.start <= e.end
}

fn reading<'a>(inst: &Instruction<'a>) -> Reading<'a> {
    (
        dump_buildkit_instruction(inst),
        inst.heredocs.iter().map(|h| h.content).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    fn edit(start: u32, end: u32, text: &str) -> Edit {
        Edit {
            span: Span::new(start, end),
            text: text.into(),
        }
    }

    #[test]
    fn accepts_an_edit_confined_to_its_instruction() {
        let old = "FROM a as b\nRUN x\n";
        let e = edit(7, 9, "AS");
        assert_eq!(check(old, "FROM a AS b\nRUN x\n", &[&e]), Ok(()));
    }

    #[test]
    fn refuses_an_edit_that_adds_a_syntax_error() {
        let old = "FROM a\nRUN x\n";
        let e = edit(6, 6, "\nFROM");
        assert!(matches!(
            check(old, "FROM a\nFROM\nRUN x\n", &[&e]),
            Err(Refusal::AddsSyntaxError { .. })
        ));
    }

    #[test]
    fn refuses_an_edit_that_changes_an_untouched_instruction() {
        // A new escape directive changes how the later RUN's backslash reads.
        let old = "\nFROM a\nRUN a \\\n b\n";
        let e = edit(0, 0, "# escape=`");
        let new = "# escape=`\nFROM a\nRUN a \\\n b\n";
        assert!(matches!(
            check(old, new, &[&e]),
            Err(Refusal::ChangesInstruction { line: 3, .. }) | Err(Refusal::AddsSyntaxError { .. })
        ));
    }

    #[test]
    fn deleting_a_comment_line_moves_later_instructions_only() {
        let old = "FROM a\n# note\nRUN x\n";
        let e = edit(7, 14, "");
        assert_eq!(check(old, "FROM a\nRUN x\n", &[&e]), Ok(()));
    }
}
