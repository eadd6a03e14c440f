//! Fixes: applying the edits that diagnostics carry.
//!
//! Edits are byte replacements into one text. Fixes are applied all or
//! none; a fix whose edits overlap an already chosen fix's waits for the
//! next round, so overlapping edits are never applied together. Rounds
//! repeat until the text is stable ([`fix_text`]), each checked by
//! [`guard`] and undone when it would change what it did not target.

mod converge;
mod diff;
pub mod guard;
mod write;

pub use converge::{Applied, Fixed, MAX_ROUNDS, RolledBack, fix_text};
pub use diff::unified as unified_diff;
pub use guard::Refusal;
pub use write::{WriteError, write_fixed};

use crate::diagnostic::{Edit, Fix};

/// The text after applying as many of `fixes` as can be applied together,
/// in order of their first edit, and the indices of the fixes applied.
///
/// A fix is skipped when one of its edits overlaps an edit of a fix already
/// chosen, when two insertions land on the same point, or when an edit's
/// span is out of range or not on character boundaries.
pub fn apply<'f>(text: &str, fixes: impl IntoIterator<Item = &'f Fix>) -> (String, Vec<usize>) {
    let mut order: Vec<(usize, &Fix)> = fixes.into_iter().enumerate().collect();
    order.sort_by_key(|(i, f)| (f.span().map(|s| (s.start, s.end)), *i));
    let mut chosen: Vec<&Edit> = Vec::new();
    let mut applied = Vec::new();
    for (i, fix) in order {
        let fits = |e: &Edit| {
            text.get(e.span.range()).is_some() && !chosen.iter().any(|c| conflicts(c, e))
        };
        if !fix.edits.is_empty() && fix.edits.iter().all(fits) {
            chosen.extend(&fix.edits);
            applied.push(i);
        }
    }
    chosen.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in chosen {
        let start = e.span.start as usize;
        out.push_str(&text[at..start]);
        out.push_str(&e.text);
        at = e.span.end as usize;
    }
    out.push_str(&text[at..]);
    applied.sort_unstable();
    (out, applied)
}

/// Whether two edits can't both be applied: their spans overlap, or they
/// insert at (or one replaces from) the same point, where the order of the
/// results would be arbitrary.
fn conflicts(a: &Edit, b: &Edit) -> bool {
    let (a, b) = (a.span, b.span);
    (a.start < b.end && b.start < a.end) || a.start == b.start
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Applicability;
    use crate::span::Span;

    fn fix(edits: &[(u32, u32, &str)]) -> Fix {
        Fix {
            title: "t".into(),
            applicability: Applicability::Safe,
            edits: edits
                .iter()
                .map(|&(s, e, t)| Edit {
                    span: Span::new(s, e),
                    text: t.into(),
                })
                .collect(),
        }
    }

    #[test]
    fn applies_disjoint_fixes_in_one_pass() {
        let fixes = [fix(&[(5, 7, "AS")]), fix(&[(0, 4, "FROM")])];
        assert_eq!(
            apply("from as x", &fixes),
            ("FROM AS x".to_owned(), vec![0, 1])
        );
    }

    #[test]
    fn never_applies_overlapping_fixes_together() {
        let fixes = [fix(&[(0, 4, "FROM")]), fix(&[(2, 6, "xx")])];
        assert_eq!(apply("from a", &fixes), ("FROM a".to_owned(), vec![0]));
    }

    #[test]
    fn a_fix_is_all_or_none() {
        let fixes = [fix(&[(0, 1, "A")]), fix(&[(2, 3, "C"), (0, 1, "Z")])];
        assert_eq!(apply("abc", &fixes), ("Abc".to_owned(), vec![0]));
    }

    #[test]
    fn two_insertions_at_one_point_conflict() {
        let fixes = [fix(&[(1, 1, "x")]), fix(&[(1, 1, "y")])];
        assert_eq!(apply("ab", &fixes), ("axb".to_owned(), vec![0]));
    }

    #[test]
    fn adjacent_edits_both_apply() {
        let fixes = [
            fix(&[(0, 1, "A")]),
            fix(&[(1, 2, "B")]),
            fix(&[(2, 2, "!")]),
        ];
        assert_eq!(apply("ab", &fixes), ("AB!".to_owned(), vec![0, 1, 2]));
    }

    #[test]
    fn skips_edits_off_the_text_or_inside_a_character() {
        let fixes = [fix(&[(0, 9, "x")]), fix(&[(1, 2, "x")])];
        assert_eq!(apply("é", &fixes), ("é".to_owned(), vec![]));
    }
}
