//! The built-in rule pack: it loads, every rule's examples pass, every rule
//! is documented, and its bad examples render as reviewed (one insta
//! snapshot per rule).

use shipshape::lint::lint_bytes;
use shipshape::report::{self, Format, Run};
use shipshape::rules::{CheckOptions, ExampleKind, RuleSet, check_examples, example_data};

fn pack() -> &'static RuleSet {
    match RuleSet::builtin() {
        Ok(set) => set,
        Err(failure) => {
            let mut out = Vec::new();
            report::write_problems(&failure.problems(), false, &mut out).unwrap();
            panic!(
                "the built-in rules do not load:\n{}",
                String::from_utf8_lossy(&out)
            );
        }
    }
}

#[test]
fn every_example_passes() {
    let set = pack();
    let failures = check_examples(set, |_| true);
    if !failures.is_empty() {
        let mut out = Vec::new();
        let problems = shipshape::rules::example_problems(&set.sources, &failures);
        report::write_problems(&problems, false, &mut out).unwrap();
        panic!("{}", String::from_utf8_lossy(&out));
    }
    let examples: usize = set.rules.iter().map(|r| r.examples.len()).sum();
    eprintln!("{} rules, {examples} examples", set.rules.len());
}

#[test]
fn every_rule_is_documented() {
    for rule in &pack().rules {
        let m = &rule.meta;
        assert!(!m.help.trim().is_empty(), "{}: no help", m.id);
        assert!(m.help.contains("**Why**"), "{}: help lacks **Why**", m.id);
        assert!(m.since.is_some(), "{}: no `since`", m.id);
        assert!(m.confidence.is_some(), "{}: no `confidence`", m.id);
        if m.category == "security" {
            assert!(
                m.refs.contains_key("cwe") || m.refs.contains_key("cis"),
                "{}: a security rule needs a CWE or CIS reference",
                m.id
            );
        }
        let bad = rule.examples.iter().filter(|e| e.kind == ExampleKind::Bad);
        assert!(
            bad.clone().all(|e| e.lines.is_some()),
            "{}: every bad example states its `lines`",
            m.id
        );
    }
}

/// The bad examples of one rule, linted by that rule alone and rendered in
/// the human format.
fn rendered_bad_examples(set: &RuleSet, id: &str) -> String {
    let rule = set.find(id).unwrap();
    let mut run = Run::default();
    for (i, e) in rule
        .examples
        .iter()
        .filter(|e| e.kind == ExampleKind::Bad)
        .enumerate()
    {
        let path = format!("{id}/bad-{}.Dockerfile", i + 1);
        let data = example_data(set, e);
        let options = CheckOptions {
            data: data.as_ref(),
            ..CheckOptions::default()
        };
        run.reports.push(lint_bytes(
            &path,
            e.text.clone().into_bytes(),
            set,
            options,
            &|r| r.meta.id == id,
        ));
    }
    let (mut out, mut err) = (Vec::new(), Vec::new());
    report::write(&run, Format::Human, false, &mut out, &mut err).unwrap();
    assert!(err.is_empty());
    String::from_utf8(out).unwrap()
}

#[test]
fn bad_examples_render() {
    let set = pack();
    let mut ids: Vec<&str> = set.rules.iter().map(|r| r.meta.id.as_str()).collect();
    ids.sort_unstable();
    for id in ids {
        let text = rendered_bad_examples(set, id);
        insta::assert_snapshot!(format!("bad-examples-{id}"), text);
    }
}

/// Every credential shape in `rules/data/` finds its `bad` examples, and no
/// shape finds a `good` one; each failure names the kind.
#[test]
fn every_secret_pattern_example_passes() {
    let pack = &pack().data.secrets;
    let failures = pack.check_examples();
    assert!(
        failures.is_empty(),
        "{} failing pattern examples:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        pack.patterns.len() >= 150,
        "only {} credential kinds",
        pack.patterns.len()
    );
    let ids: std::collections::BTreeSet<_> = pack.patterns.iter().map(|p| &p.id).collect();
    assert_eq!(ids.len(), pack.patterns.len(), "pattern ids are unique");
}
