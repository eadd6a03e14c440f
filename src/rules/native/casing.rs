//! `consistent-instruction-casing`: instruction keywords written in the
//! case most of the file uses. Needs a count over the whole file before
//! any keyword can be judged, which the match language can't express.

use super::edits::{Case, replace_word};
use crate::diagnostic::{Applicability, Fix};
use crate::rules::eval::{Bind, Facts, Finding};
use crate::syntax::InstructionKind;

/// Every keyword not in the file's majority case, as BuildKit's
/// ConsistentInstructionCasing counts it: each top-level keyword (ONBUILD
/// itself, not the instruction it registers) that is all lower case counts
/// for lower case, all upper case for upper case, mixed case for neither;
/// lower case wins only with more keywords than upper case.
pub(super) fn consistent_instruction_casing(facts: &Facts<'_, '_>) -> Vec<Finding> {
    let file = facts.file;
    let keywords = file
        .instructions
        .iter()
        .filter(|i| i.kind != InstructionKind::Unknown)
        .map(|i| &i.keyword);
    let (mut lower, mut upper) = (0usize, 0usize);
    for k in keywords.clone() {
        match Case::of(&k.text) {
            Case::Lower => lower += 1,
            Case::Upper => upper += 1,
            Case::Mixed => {}
        }
    }
    let majority = if lower > upper {
        Case::Lower
    } else {
        Case::Upper
    };
    keywords
        .filter(|k| Case::of(&k.text) != majority)
        .map(|k| {
            let want = majority.apply(&k.text);
            let mut finding = Finding::new(
                k.span,
                vec![
                    Bind::new("keyword", k.text.clone()).at(k.span),
                    Bind::new("case", majority.as_str()),
                ],
            );
            finding.fix = replace_word(file.source, k, want.clone()).and_then(|edit| {
                Fix::new(format!("Write `{want}`"), Applicability::Safe, vec![edit])
            });
            finding
        })
        .collect()
}
