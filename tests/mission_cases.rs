//! The four mission families scored on labelled Dockerfiles: our own
//! variants in `fixtures/mission/`, and ../shared/mission-cases (generated
//! with its Python generator). Scoring is strict, as the cases' scorer does
//! it: a labelled finding is hit by a report of its family on its line or
//! one of its `alt_lines`; a report that hits no finding and no `optional`
//! entry is a false alarm.

mod common;

use shipshape::lint::lint_bytes;
use shipshape::rules::{CheckOptions, RuleSet};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;

/// Mission family → its rule ids, shared with the scripts in `scripts/`.
static FAMILIES: LazyLock<Vec<(&'static str, Vec<&'static str>)>> = LazyLock::new(|| {
    let map: BTreeMap<&'static str, Vec<&'static str>> =
        serde_json::from_str(include_str!("../scripts/families.json"))
            .expect("scripts/families.json maps families to rule ids");
    map.into_iter().collect()
});

fn family(rule: &str) -> Option<&'static str> {
    FAMILIES
        .iter()
        .find(|(_, rules)| rules.contains(&rule))
        .map(|(f, _)| *f)
}

#[derive(Default, Debug)]
struct Score {
    expected: usize,
    hits: usize,
    true_reports: usize,
    false_alarms: usize,
}

impl Score {
    fn precision(&self) -> f64 {
        let n = self.true_reports + self.false_alarms;
        if n == 0 {
            1.0
        } else {
            self.true_reports as f64 / n as f64
        }
    }

    fn recall(&self) -> f64 {
        if self.expected == 0 {
            1.0
        } else {
            self.hits as f64 / self.expected as f64
        }
    }
}

/// Lines a label accepts.
fn accepted(entry: &toml::Value) -> BTreeSet<i64> {
    let mut lines: BTreeSet<i64> = entry["line"].as_integer().into_iter().collect();
    if let Some(alt) = entry.get("alt_lines").and_then(|a| a.as_array()) {
        lines.extend(alt.iter().filter_map(|v| v.as_integer()));
    }
    lines
}

/// Scores every `NAME.Dockerfile` with a `NAME.expect.toml` in `dir`;
/// returns the scores and a list of misses and false alarms.
fn score(dir: &Path) -> (BTreeMap<&'static str, Score>, Vec<String>) {
    let set = RuleSet::builtin().expect("the built-in rules load");
    let mut scores: BTreeMap<&'static str, Score> = FAMILIES
        .iter()
        .map(|(f, _)| (*f, Score::default()))
        .collect();
    let mut problems = Vec::new();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("cases directory")
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".expect.toml"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", dir.display());
    for labels_path in cases {
        let name = labels_path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .trim_end_matches(".expect.toml")
            .to_owned();
        let labels: toml::Table = std::fs::read_to_string(&labels_path)
            .unwrap()
            .parse()
            .expect("labels parse");
        let bytes = std::fs::read(dir.join(format!("{name}.Dockerfile"))).unwrap();
        let report = lint_bytes(&name, bytes, set, CheckOptions::default(), &|_| true);
        let index = shipshape::syntax::LineIndex::new(&report.source);
        let reported: BTreeSet<(&str, i64)> = report
            .diagnostics
            .iter()
            .filter_map(|d| {
                let line = index.line_of(d.span.start) as i64 + 1;
                Some((family(&d.rule)?, line))
            })
            .collect();
        let scored: Vec<&str> = labels
            .get("scored")
            .and_then(|s| s.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_else(|| FAMILIES.iter().map(|(f, _)| *f).collect());
        let entries = |kind: &str, fam: &str| -> Vec<toml::Value> {
            labels
                .get(kind)
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter(|e| e["category"].as_str() == Some(fam))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default()
        };
        for (fam, _) in FAMILIES.iter() {
            if !scored.contains(fam) {
                continue;
            }
            let score = scores.get_mut(fam).unwrap();
            let expected = entries("finding", fam);
            let optional = entries("optional", fam);
            let lines: BTreeSet<i64> = reported
                .iter()
                .filter(|(f, _)| f == fam)
                .map(|(_, l)| *l)
                .collect();
            for e in &expected {
                score.expected += 1;
                if accepted(e).intersection(&lines).next().is_some() {
                    score.hits += 1;
                } else {
                    problems.push(format!("{name}:{} {fam}: missed", e["line"]));
                }
            }
            for l in &lines {
                if expected.iter().any(|e| accepted(e).contains(l)) {
                    score.true_reports += 1;
                } else if !optional.iter().any(|e| accepted(e).contains(l)) {
                    score.false_alarms += 1;
                    problems.push(format!("{name}:{l} {fam}: false alarm"));
                }
            }
        }
    }
    (scores, problems)
}

fn check(dir: &Path, min_precision: f64, min_recall: f64) {
    let (scores, problems) = score(dir);
    eprintln!("{}", dir.display());
    eprintln!("family          expected  hits  FA  precision  recall");
    for (fam, s) in &scores {
        eprintln!(
            "{fam:<15} {:>8} {:>5} {:>3} {:>10.3} {:>7.3}",
            s.expected,
            s.hits,
            s.false_alarms,
            s.precision(),
            s.recall()
        );
    }
    for p in &problems {
        eprintln!("  {p}");
    }
    for (fam, s) in &scores {
        assert!(
            s.precision() >= min_precision && s.recall() >= min_recall,
            "{fam}: precision {:.3}, recall {:.3} in {}:\n{}",
            s.precision(),
            s.recall(),
            dir.display(),
            problems.join("\n")
        );
    }
}

#[test]
fn own_variants() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/mission");
    check(&dir, 1.0, 1.0);
}

#[test]
fn shared_mission_cases() {
    let Some(shared) = common::shared_dir("mission-cases") else {
        return;
    };
    let tools = shared.join("mission-cases/tools/generate.py");
    let out = tempfile::tempdir().unwrap();
    let status = Command::new("python3")
        .arg(&tools)
        .arg("--out")
        .arg(out.path())
        .arg("--quiet")
        .status();
    match status {
        Ok(s) if s.success() => {}
        other => {
            assert!(
                std::env::var_os("SHIPSHAPE_REQUIRE_SHARED").is_none(),
                "the mission-case generator did not run: {other:?}"
            );
            eprintln!("skipped: python3 could not generate the mission cases ({other:?})");
            return;
        }
    }
    check(out.path(), 0.95, 0.90);
}
