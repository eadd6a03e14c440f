//! Fixing a text until it is stable: lint, apply the fixes that may be
//! applied together, check the round, and repeat.

use super::apply;
use super::guard::{Guard, Refusal};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use std::collections::HashSet;

/// At most this many rounds of lint → apply; a text still changing after
/// them is left as the last round made it.
pub const MAX_ROUNDS: usize = 10;

/// A fix that was applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub rule: String,
    pub title: String,
    /// 1-based line of the finding, in the text the fix was applied to.
    pub line: u32,
}

/// A fix that was refused, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RolledBack {
    pub rule: String,
    pub title: String,
    /// 1-based line of the finding, in the text the fix was tried on.
    pub line: u32,
    pub reason: Refusal,
}

/// What fixing a text gave.
#[derive(Debug)]
pub struct Fixed {
    pub text: String,
    pub applied: Vec<Applied>,
    pub rolled_back: Vec<RolledBack>,
    /// Rounds that changed the text.
    pub rounds: usize,
    /// False when the text was still changing after [`MAX_ROUNDS`] rounds,
    /// or came back to an earlier state.
    pub converged: bool,
    /// The findings of the final text.
    pub diagnostics: Vec<Diagnostic>,
}

impl Fixed {
    pub fn changed(&self, original: &str) -> bool {
        self.text != original
    }
}

/// Lints `text` with `lint` and applies the fixes of at least `min`
/// applicability, round after round, until no fix applies.
///
/// Fixes whose edits overlap wait for a later round. A round whose result
/// adds a syntax error or changes how BuildKit reads an instruction that no
/// applied edit touches is undone; the fixes to blame (each tried alone)
/// are refused for the rest of the run and reported, and the round is
/// retried without them.
pub fn fix_text(
    text: &str,
    min: Applicability,
    lint: &mut dyn FnMut(&str) -> Vec<Diagnostic>,
) -> Fixed {
    let min = min.max(Applicability::Unsafe);
    let mut current = text.to_owned();
    let mut seen: HashSet<String> = HashSet::new();
    let mut refused: HashSet<String> = HashSet::new();
    let mut applied_all = Vec::new();
    let mut rolled_back = Vec::new();
    let mut rounds = 0;
    let mut diagnostics = lint(&current);
    let converged = loop {
        let candidates: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| {
                d.fix.as_ref().is_some_and(|f| {
                    f.applicability >= min
                        && (refused.is_empty() || !refused.contains(&key(d, f, &current)))
                })
            })
            .collect();
        let Some(next) = round(&current, candidates, &mut refused, &mut rolled_back) else {
            break true;
        };
        if rounds == MAX_ROUNDS || !seen.insert(current.clone()) {
            break false;
        }
        let (new_text, applied) = next;
        applied_all.extend(applied);
        current = new_text;
        rounds += 1;
        diagnostics = lint(&current);
    };
    Fixed {
        text: current,
        applied: applied_all,
        rolled_back,
        rounds,
        converged,
        diagnostics,
    }
}

/// One round: the text with every fix of `candidates` that can be applied
/// together and passes the guard, or `None` when nothing applies.
fn round(
    text: &str,
    mut candidates: Vec<&Diagnostic>,
    refused: &mut HashSet<String>,
    rolled_back: &mut Vec<RolledBack>,
) -> Option<(String, Vec<Applied>)> {
    let guard = Guard::new(text);
    loop {
        let fixes: Vec<&Fix> = candidates.iter().filter_map(|d| d.fix.as_ref()).collect();
        let (new_text, chosen) = apply(text, fixes.iter().copied());
        if chosen.is_empty() || new_text == text {
            return None;
        }
        let edits = edits_of(chosen.iter().map(|&i| fixes[i]));
        let Err(reason) = guard.check(&new_text, &edits) else {
            let applied = chosen
                .iter()
                .map(|&i| applied(&guard, candidates[i]))
                .collect();
            return Some((new_text, applied));
        };
        // Blame each fix that fails alone; if none does, the combination
        // is at fault and the round's fixes are all refused.
        let mut blamed: Vec<(usize, Refusal)> = chosen
            .iter()
            .filter_map(|&i| {
                let (alone, _) = apply(text, [fixes[i]]);
                let edits = edits_of([fixes[i]]);
                guard.check(&alone, &edits).err().map(|r| (i, r))
            })
            .collect();
        if blamed.is_empty() {
            blamed = chosen.iter().map(|&i| (i, reason.clone())).collect();
        }
        for (i, reason) in &blamed {
            let d = candidates[*i];
            if let Some(f) = &d.fix {
                refused.insert(key(d, f, text));
                rolled_back.push(RolledBack {
                    rule: d.rule.clone(),
                    title: f.title.clone(),
                    line: guard.line(d.span.start),
                    reason: reason.clone(),
                });
            }
        }
        let drop: HashSet<usize> = blamed.iter().map(|(i, _)| *i).collect();
        candidates = candidates
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !drop.contains(i))
            .map(|(_, d)| d)
            .collect();
    }
}

fn edits_of<'f>(fixes: impl IntoIterator<Item = &'f Fix>) -> Vec<&'f Edit> {
    let mut edits: Vec<&Edit> = fixes.into_iter().flat_map(|f| &f.edits).collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    edits
}

fn applied(guard: &Guard<'_>, d: &Diagnostic) -> Applied {
    Applied {
        rule: d.rule.clone(),
        title: d.fix.as_ref().map(|f| f.title.clone()).unwrap_or_default(),
        line: guard.line(d.span.start),
    }
}

/// What identifies a fix across rounds, where offsets move: its rule, its
/// title, and what each edit replaces with what.
fn key(d: &Diagnostic, f: &Fix, text: &str) -> String {
    let mut k = format!("{}\u{0}{}", d.rule, f.title);
    for e in &f.edits {
        k.push('\u{0}');
        k.push_str(e.span.text(text));
        k.push('\u{0}');
        k.push_str(&e.text);
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::span::Span;

    /// A finding on every match of `from` with a fix replacing it by `to`.
    fn finding(text: &str, from: &str, to: &str, applicability: Applicability) -> Vec<Diagnostic> {
        text.match_indices(from)
            .map(|(at, _)| {
                let span = Span::from_usize(at, at + from.len());
                Diagnostic {
                    rule: "T001".into(),
                    name: "t".into(),
                    category: "style".into(),
                    severity: Severity::Style,
                    message: "m".into(),
                    span,
                    labels: Vec::new(),
                    help: None,
                    redact: Vec::new(),
                    fix: Fix::new(
                        format!("Replace `{from}`"),
                        applicability,
                        vec![Edit {
                            span,
                            text: to.into(),
                        }],
                    ),
                }
            })
            .collect()
    }

    #[test]
    fn repeats_rounds_until_nothing_changes() {
        // Each round turns `aa` into `a`: overlapping fixes wait their turn.
        let mut lint = |t: &str| finding(t, "aa", "a", Applicability::Safe);
        let fixed = fix_text("FROM x\nRUN aaaa\n", Applicability::Safe, &mut lint);
        assert_eq!(fixed.text, "FROM x\nRUN a\n");
        assert!(fixed.converged);
        assert!(fixed.rounds >= 2);
        assert!(fixed.diagnostics.is_empty());
    }

    #[test]
    fn applies_unsafe_fixes_only_when_asked() {
        let mut lint = |t: &str| finding(t, "as", "AS", Applicability::Unsafe);
        let text = "FROM x as y\n";
        assert_eq!(fix_text(text, Applicability::Safe, &mut lint).text, text);
        let fixed = fix_text(text, Applicability::Unsafe, &mut lint);
        assert_eq!(fixed.text, "FROM x AS y\n");
        assert_eq!(fixed.applied.len(), 1);
        assert_eq!(fixed.applied[0].line, 1);
    }

    #[test]
    fn never_applies_display_only_fixes() {
        let mut lint = |t: &str| finding(t, "as", "AS", Applicability::DisplayOnly);
        let text = "FROM x as y\n";
        let fixed = fix_text(text, Applicability::DisplayOnly, &mut lint);
        assert_eq!(fixed.text, text);
        assert_eq!(fixed.diagnostics.len(), 1);
    }

    #[test]
    fn rolls_back_a_fix_that_breaks_another_instruction() {
        // Adding an escape directive changes how the RUN below reads.
        let mut lint = |t: &str| finding(t, "# esc\n", "# escape=`\n", Applicability::Safe);
        let text = "# esc\nFROM a\nRUN a \\\n b\n";
        let fixed = fix_text(text, Applicability::Safe, &mut lint);
        assert_eq!(fixed.text, text);
        assert_eq!(fixed.rolled_back.len(), 1);
        assert!(fixed.applied.is_empty());
        assert!(fixed.converged);
    }

    #[test]
    fn a_round_of_many_fixes_finishes() {
        // 50,000 instructions, each with a fix: the guard pairs instructions
        // and edits in one pass, so the round is linear in both.
        let text = "FROM a\n".to_owned() + &"RUN as\n".repeat(50_000);
        let mut lint = |t: &str| finding(t, "as", "AS", Applicability::Safe);
        let fixed = fix_text(&text, Applicability::Safe, &mut lint);
        assert_eq!(fixed.applied.len(), 50_000);
        assert!(fixed.converged);
        assert_eq!(
            fixed.text,
            "FROM a\n".to_owned() + &"RUN AS\n".repeat(50_000)
        );
    }

    #[test]
    fn stops_after_the_round_limit() {
        // A fix that always finds more to do.
        let mut lint = |t: &str| finding(t, "x\n", "xx\n", Applicability::Safe);
        let fixed = fix_text("FROM a\nRUN x\n", Applicability::Safe, &mut lint);
        assert_eq!(fixed.rounds, MAX_ROUNDS);
        assert!(!fixed.converged);
    }

    #[test]
    fn stops_when_fixes_go_round_in_a_circle() {
        let mut lint = |t: &str| {
            let mut d = finding(t, "RUN a", "RUN b", Applicability::Safe);
            d.extend(finding(t, "RUN b", "RUN a", Applicability::Safe));
            d
        };
        let fixed = fix_text("FROM a\nRUN a\n", Applicability::Safe, &mut lint);
        assert!(!fixed.converged);
        assert!(fixed.rounds < MAX_ROUNDS);
    }
}
