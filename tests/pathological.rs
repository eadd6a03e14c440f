//! Pathological inputs, at the sizes that break naive linters: each one is
//! linted with every built-in rule and rendered, and must finish with the
//! right diagnostics, including the finding placed after the pathology.
//! How the cost grows with size is measured by `cargo bench --bench
//! scaling`, not here.

mod common;

use common::pathological::{self as make, Input};
use shipshape::config::Config;
use shipshape::diagnostic::FileReport;
use shipshape::lint::lint_bytes;
use shipshape::report::{self, Format, Run};
use shipshape::rules::{CheckOptions, RuleSet, SourceFile};
use shipshape::span::LineIndex;

fn rules() -> &'static RuleSet {
    RuleSet::builtin().unwrap_or_else(|_| panic!("the built-in rules load"))
}

/// The built-in rules and a user rule that keeps only the last COPY of
/// each stage (`position = "last"`).
fn rules_with_last_copy() -> RuleSet {
    let mut sources = RuleSet::builtin_sources();
    sources.push(SourceFile {
        name: "team.toml".into(),
        text: r#"schema = 1

[[rule]]
id = "TEAM001"
name = "last-copy"
category = "best-practice"
severity = "info"
summary = "The last COPY of a stage"
message = "the last COPY of its stage"

[rule.match]
on = "instruction"
instruction = ["COPY"]
position = "last"
"#
        .into(),
    });
    RuleSet::load(sources).unwrap_or_else(|_| panic!("the rules load"))
}

/// `(rule, 1-based line)` of every diagnostic, through one line index, so
/// that a report with many findings costs linear time here too.
fn rules_on(report: &FileReport) -> Vec<(String, u32)> {
    let lines = LineIndex::new(&report.source);
    report
        .diagnostics
        .iter()
        .map(|d| (d.rule.clone(), lines.line_of(d.span.start) + 1))
        .collect()
}

/// Lints and renders `input`, checks every span and the expected last
/// finding, and returns the report and its pretty output.
fn lint(input: Input) -> (FileReport, String) {
    lint_with(input, rules())
}

/// [`lint`] with the given rules.
fn lint_with(input: Input, rules: &RuleSet) -> (FileReport, String) {
    let report = lint_bytes(
        "Dockerfile",
        input.bytes,
        rules,
        CheckOptions::default(),
        &|_| true,
    );
    for d in &report.diagnostics {
        for span in std::iter::once(d.span).chain(d.labels.iter().map(|l| l.span)) {
            assert!(
                report.source.get(span.range()).is_some(),
                "{}: {} span {span:?} is not on character boundaries",
                input.name,
                d.rule
            );
        }
    }
    let (rule, line) = input.last;
    let places = rules_on(&report);
    assert!(
        places.contains(&(rule.to_owned(), line)),
        "{}: no {rule} on line {line}; got {:?}",
        input.name,
        &places[..places.len().min(20)]
    );
    // Every format renders it; the terminal one shows no raw controls.
    let mut run = Run::default();
    run.reports.push(report);
    let mut pretty = Vec::new();
    for format in Format::ALL {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        report::write(&run, format, false, &mut out, &mut err).expect("renders");
        assert!(!out.is_empty(), "{}: {format:?} wrote nothing", input.name);
        if format == Format::Human {
            pretty = out;
        }
    }
    assert!(
        !pretty.contains(&0),
        "{}: a NUL reached the terminal",
        input.name
    );
    let pretty = String::from_utf8(pretty).expect("UTF-8");
    (run.reports.pop().expect("the report"), pretty)
}

#[test]
fn a_10_mb_single_line() {
    let (report, pretty) = lint(make::long_line(10 << 20));
    // BuildKit rejects a line over 64 KiB; the rest is still analysed.
    assert_eq!(
        rules_on(&report),
        [("SYN001".to_owned(), 2), ("SEC014".to_owned(), 2)]
    );
    // The terminal gets the line cut down around each finding, not 10 MB
    // per finding.
    assert!(
        pretty.len() < 5_000,
        "{} bytes of pretty output",
        pretty.len()
    );
    assert!(pretty.contains("2 │ …xxxx"), "{pretty}");
    assert!(pretty.contains("xxxx && sudo true\n"), "{pretty}");
    assert!(
        report.diagnostics[0]
            .message
            .contains("line greater than max allowed size of 65535"),
        "{}",
        report.diagnostics[0].message
    );
}

#[test]
fn two_hundred_thousand_continuation_lines() {
    let (report, _) = lint(make::continuations(200_000));
    assert_eq!(report.diagnostics.len(), 1, "{:?}", rules_on(&report));
}

#[test]
fn fifty_thousand_instructions() {
    let (report, _) = lint(make::instructions(50_000));
    assert_eq!(rules_on(&report), [("SEC002".to_owned(), 50_002)]);
}

#[test]
fn ten_thousand_heredocs() {
    let (report, _) = lint(make::heredocs(10_000));
    assert_eq!(report.diagnostics.len(), 1, "{:?}", rules_on(&report));
}

#[test]
fn deeply_nested_quotes_and_command_substitutions() {
    let (report, _) = lint(make::nesting(10_000));
    assert_eq!(report.diagnostics.len(), 1, "{:?}", rules_on(&report));
    // Unbalanced: opened and never closed.
    let mut text = String::from("FROM alpine:3.20\nRUN echo ");
    // 50,000 levels over 20 lines (BuildKit's lines stop at 64 KiB).
    for i in 0..20 {
        if i > 0 {
            text.push_str("\\\n");
        }
        text.push_str(&"\"$(".repeat(2_500));
    }
    text.push_str("\nRUN sudo true\nUSER app\n");
    let (report, _) = lint(Input {
        name: "unclosed nesting",
        bytes: text.into_bytes(),
        last: ("SEC014", 22),
    });
    assert_eq!(report.diagnostics.len(), 1, "{:?}", rules_on(&report));
}

#[test]
fn very_long_words() {
    let (report, _) = lint(make::long_words(1 << 20));
    let found = rules_on(&report);
    // The 1 MiB image is untagged-free (`w...:w...`) but not a stage; no
    // rule may choke on it.
    assert!(found.iter().all(|(_, line)| *line <= 10), "{found:?}");
}

#[test]
fn nul_bytes() {
    let (report, _) = lint(make::nul_bytes(60_000));
    assert_eq!(rules_on(&report), [("SEC014".to_owned(), 8)]);
}

#[test]
fn invalid_utf8() {
    let (report, _) = lint(make::invalid_utf8(20_000));
    let found = rules_on(&report);
    assert_eq!(found[0], ("SYN001".to_owned(), 2), "{found:?}");
    assert!(report.diagnostics[0].message.contains("not valid UTF-8"));
    assert_eq!(found.len(), 2, "{found:?}");
}

#[test]
fn mixed_line_endings() {
    let (report, _) = lint(make::mixed_line_ends(30_000));
    assert_eq!(report.diagnostics.len(), 1, "{:?}", rules_on(&report));
}

#[test]
fn byte_order_marks_in_mid_file() {
    let (report, _) = lint(make::mid_file_boms(10_000));
    let found = rules_on(&report);
    // Each `\u{feff}RUN` line is an unknown instruction; parsing goes on.
    let unknown: Vec<u32> = found
        .iter()
        .filter(|(r, _)| r == "SYN001")
        .map(|(_, l)| *l)
        .collect();
    assert_eq!(unknown.len(), 5_000, "{:?}", &found[..10]);
    assert_eq!(unknown[0], 3);
    assert!(
        report
            .diagnostics
            .iter()
            .find(|d| d.rule == "SYN001")
            .is_some_and(|d| d.message.contains("unknown instruction")),
        "{:?}",
        report.diagnostics.first()
    );
}

#[test]
fn twenty_thousand_stages() {
    let (report, _) = lint(make::stages(20_000));
    // Three COPY lines per stage after the first two lines.
    let last = 2 + 4 * 19_999 + 2;
    assert_eq!(
        rules_on(&report),
        [("COR001".to_owned(), last - 1), ("SEC002".to_owned(), last)]
    );
    // The name is first defined in the first stage.
    let first = &report.diagnostics[0].labels[0];
    assert_eq!(&report.source[first.span.range()], "s0");
    assert!(first.span.start < 30, "{first:?}");
}

#[test]
fn twenty_thousand_unnamed_stages() {
    let (report, _) = lint(make::unnamed_stages(20_000));
    assert_eq!(rules_on(&report), [("SEC014".to_owned(), 40_001)]);
}

#[test]
fn a_chain_of_twenty_thousand_stages() {
    let (report, _) = lint(make::stage_chain(20_000));
    // Two lines for the first stage, three for each of the others.
    let last = 2 + 3 * 19_999 + 1;
    assert_eq!(rules_on(&report), [("SEC002".to_owned(), last)]);
    assert!(
        report.diagnostics[0].message.contains("`root`"),
        "{}",
        report.diagnostics[0].message
    );
}

#[test]
fn a_rule_on_the_last_instruction_of_each_of_ten_thousand_stages() {
    let mut input = make::stages(10_000);
    input.last = ("TEAM001", 2 + 4 * 9_999);
    let (report, _) = lint_with(input, &rules_with_last_copy());
    let last_copies: Vec<u32> = rules_on(&report)
        .into_iter()
        .filter(|(r, _)| r == "TEAM001")
        .map(|(_, line)| line)
        .collect();
    // Stage `i` (from 1) holds lines 4i-1 to 4i+2; its last COPY is 4i+2.
    let expected: Vec<u32> = (1..10_000).map(|i| 4 * i + 2).collect();
    assert_eq!(last_copies, expected);
}

#[test]
fn a_hadolint_settings_file_of_a_hundred_thousand_codes() {
    let text = make::hadolint_settings(50_000);
    let config = Config::parse_hadolint(&text, ".hadolint.yaml".into(), ".".into())
        .unwrap_or_else(|e| panic!("{:?}", &e[..e.len().min(3)]));
    assert_eq!(config.ignore.len(), 50_000);
    assert_eq!(config.severity.len(), 50_000);
    // Spans are bytes, right after every multi-byte comment before them.
    let last = &config.severity[49_999].0;
    assert_eq!(
        (&text[last.span.clone()], last.text.as_str()),
        ("SC1999", "SC1999")
    );
    assert!(
        text[last.span.end..].starts_with(" # \u{1f600}\nfailure-threshold"),
        "{:?}",
        last.span
    );
}
