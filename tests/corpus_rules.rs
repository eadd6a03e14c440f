//! Every built-in rule over ../shared/corpus: the number of findings (and
//! files) per rule is a reviewed snapshot, so any change in what the rules
//! report, false positives included, shows up in review.

mod common;

use shipshape::lint::lint_bytes;
use shipshape::rules::{CheckOptions, RuleSet};
use std::collections::BTreeMap;
use std::fmt::Write as _;

#[test]
fn findings_per_rule() {
    let Some(files) = common::corpus_files() else {
        return;
    };
    let set = RuleSet::builtin().expect("the built-in rules load");
    // Rule id → (findings, files with a finding).
    let mut findings: BTreeMap<String, (usize, usize)> = set
        .rules
        .iter()
        .map(|r| (r.meta.id.clone(), (0, 0)))
        .collect();
    let mut clean = 0;
    for path in &files {
        let bytes = std::fs::read(path).expect("corpus file is readable");
        let name = path.file_name().unwrap().to_string_lossy();
        let report = lint_bytes(&name, bytes, set, CheckOptions::default(), &|_| true);
        if report.diagnostics.is_empty() {
            clean += 1;
        }
        let mut rules: Vec<&str> = report.diagnostics.iter().map(|d| d.rule.as_str()).collect();
        for id in &rules {
            findings.get_mut(*id).expect("a built-in rule").0 += 1;
        }
        rules.sort_unstable();
        rules.dedup();
        for id in rules {
            findings.get_mut(id).expect("a built-in rule").1 += 1;
        }
    }
    let mut table = format!(
        "{} files, {clean} without findings\n\nrule     findings  files\n",
        files.len()
    );
    for (id, (n, f)) in &findings {
        let _ = writeln!(table, "{id:<8} {n:>8} {f:>6}");
    }
    insta::assert_snapshot!("corpus-findings-per-rule", table);
}
