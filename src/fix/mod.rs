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
use std::collections::BTreeMap;

/// The text after applying as many of `fixes` as can be applied together,
/// in order of their first edit, and the indices of the fixes applied.
///
/// A fix is skipped when one of its edits overlaps an edit of a fix already
/// chosen, when two insertions land on the same point, or when an edit's
/// span is out of range or not on character boundaries.
pub fn apply<'f>(text: &str, fixes: impl IntoIterator<Item = &'f Fix>) -> (String, Vec<usize>) {
    let mut order: Vec<(usize, &Fix)> = fixes.into_iter().enumerate().collect();
    order.sort_by_key(|(i, f)| (f.span().map(|s| (s.start, s.end)), *i));
    // Chosen edits by (start, end): they never overlap, so an edit can only
    // clash with its neighbours, and each check is a logarithmic lookup.
    let mut chosen: BTreeMap<(u32, u32), &Edit> = BTreeMap::new();
    let mut applied = Vec::new();
    for (i, fix) in order {
        let mut added = Vec::with_capacity(fix.edits.len());
        let fits = fix.edits.iter().all(|e| {
            let key = (e.span.start, e.span.end);
            let fits = text.get(e.span.range()).is_some() && !clashes(&chosen, e);
            if fits {
                chosen.insert(key, e);
                added.push(key);
            }
            fits
        });
        if fits && !added.is_empty() {
            applied.push(i);
        } else {
            added.iter().for_each(|k| {
                chosen.remove(k);
            });
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in chosen.into_values() {
        let start = e.span.start as usize;
        out.push_str(&text[at..start]);
        out.push_str(&e.text);
        at = e.span.end as usize;
    }
    out.push_str(&text[at..]);
    applied.sort_unstable();
    (out, applied)
}

/// Whether `e` can't be applied with the (non-overlapping) `chosen` edits:
/// one starts where it does, or its nearest neighbour on either side
/// conflicts with it.
fn clashes(chosen: &BTreeMap<(u32, u32), &Edit>, e: &Edit) -> bool {
    let at = e.span.start;
    chosen.range((at, 0)..=(at, u32::MAX)).next().is_some()
        || chosen
            .range(..(at, 0))
            .next_back()
            .is_some_and(|(_, c)| conflicts(c, e))
        || chosen
            .range((at.saturating_add(1), 0)..)
            .next()
            .is_some_and(|(_, c)| conflicts(c, e))
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
    fn a_fix_whose_own_edits_overlap_is_skipped() {
        let fixes = [fix(&[(0, 2, "x"), (1, 3, "y")]), fix(&[(3, 4, "D")])];
        assert_eq!(apply("abcd", &fixes), ("abcD".to_owned(), vec![1]));
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
