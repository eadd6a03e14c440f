//! Secrets in reports, through the built binary: every output format of a
//! file full of (fake, real-shaped) credentials carries none of their
//! bodies, each finding points at its secret's own bytes, the pretty
//! snippet masks them column for column, and one secret gives one finding.

mod common;

use common::{FORMATS, run_in};
use std::path::Path;

const FIXTURE: &str = "fixtures/secrets/Dockerfile";

/// The secrets of the fixture, each with the rule that reports it and the
/// part of it a report may show (its public prefix).
const SECRETS: [(&str, &str, &str); 9] = [
    (
        "SEC004",
        "ghp_Zq8Xr2Lp9Wm4Nt6Vb1Kc3Hd5Fj7Gs0Ay9Qe2U",
        "ghp_",
    ),
    ("SEC003", "Pässwörd-Vq7Lz9✓", ""),
    ("SEC003", "Tk4Vn8Qz2Lp6Wm0Xr3", ""),
    ("SEC005", "Zt8pQ2vL9xW4mN6bR1cK3hD5fJ7gY0sA2eU4iO6", ""),
    ("SEC016", "S3cr3tPw9", ""),
    ("SEC016", "Wq82kLz9Px", ""),
    (
        "SEC004",
        "-----BEGIN OPENSSH PRIVATE KEY-----\n\
         b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n\
         QyNTUxOQAAACBQk0tYJ3x2Vx2KsJbV1Lk3Kx9NRXvKx8p7Y2uD0j1mAAAAJjQ9xH10PcR9\n\
         -----END OPENSSH PRIVATE KEY-----",
        "-----BEGIN OPENSSH PRIVATE KEY-----",
    ),
    ("SEC004", "Hq3Wz8Lm5Tp1Vc7Rn2Kd9Fs4Jg6Yb0Xa", ""),
    // A second credential in the same text is a finding of its own.
    ("SEC004", "npm_Rk5Tq8Vn2Lp7Wz4Mc9Xb1Hd6Fj3Gs0Ay8Qe5", "npm_"),
];

/// A PEM block's armour lines, public by the format.
const ARMOUR: &str = "-----BEGIN OPENSSH PRIVATE KEY-----\n-----END OPENSSH PRIVATE KEY-----";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn lint(format: &str) -> String {
    let out = run_in(
        root(),
        &[
            "lint",
            "--isolated",
            "--color",
            "never",
            "--format",
            format,
            FIXTURE,
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{format}: findings exit 1");
    assert!(out.stderr.is_empty(), "{format}: no errors");
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Pieces of a secret's hidden part long enough to be telling: every run
/// of 6 characters, on each line.
fn telltales(secret: &str, shown: &str) -> Vec<String> {
    let hidden = &secret[shown.len()..];
    hidden
        .lines()
        .flat_map(|line| {
            let chars: Vec<char> = line.chars().collect();
            (0..chars.len().saturating_sub(5))
                .map(|i| chars[i..i + 6].iter().collect::<String>())
                .collect::<Vec<_>>()
        })
        // The armour lines are public.
        .filter(|t| !ARMOUR.contains(t.as_str()))
        .collect()
}

#[test]
fn no_format_prints_a_secret() {
    for format in FORMATS {
        let text = lint(format);
        for (rule, secret, shown) in SECRETS {
            for t in telltales(secret, shown) {
                assert!(
                    !text.contains(&t),
                    "{format} prints `{t}` of the {rule} secret:\n{text}"
                );
            }
        }
        // JSON-escaped non-ASCII text would hide a leak from the check
        // above; the JSON formats write UTF-8 as it is.
        if format != "pretty" {
            assert!(!text.contains("\\u00e4"), "{format} escapes non-ASCII");
        }
    }
}

#[test]
fn each_finding_points_at_its_secret_and_keeps_the_span() {
    let source = std::fs::read_to_string(root().join(FIXTURE)).expect("fixture");
    let doc: serde_json::Value = serde_json::from_str(&lint("json")).expect("JSON");
    let diags = doc["diagnostics"].as_array().expect("diagnostics");
    for (rule, secret, shown) in SECRETS {
        let start = source.find(secret).expect("secret in fixture") as u64;
        let end = start + secret.len() as u64;
        let found: Vec<&serde_json::Value> = diags
            .iter()
            .filter(|d| d["start"]["offset"] == start)
            .filter(|d| d["rule"].as_str().is_some_and(|r| r.starts_with("SEC")))
            .collect();
        assert_eq!(found.len(), 1, "one finding at `{secret}`: {found:?}");
        let d = found[0];
        assert_eq!(d["rule"], rule, "{secret}");
        assert_eq!(d["end"]["offset"], end, "{rule} ends where `{secret}` ends");
        let message = d["message"].as_str().unwrap_or_default();
        if !shown.is_empty() {
            assert!(
                message.contains(&format!("{shown}****")),
                "{rule}: `{message}` shows the public prefix, then ****"
            );
        }
    }
    // The fix of the legacy `ENV KEY value` form writes the value: its
    // text and title are redacted, its span kept.
    let legacy = diags
        .iter()
        .find(|d| d["rule"] == "STY003")
        .expect("STY003 on the legacy ENV");
    assert_eq!(legacy["fix"]["title"], "Write `ENV SESSION_TOKEN=****`");
    assert_eq!(legacy["fix"]["edits"][0]["text"], "=****");
}

#[test]
fn pretty_snippets_mask_secrets_column_for_column() {
    let text = lint("pretty");
    // Carets stay under the masked columns, non-ASCII characters included.
    assert!(text.contains(
        "4 │ ENV DATABASE_PASSWORD=\"*\u{b7}***\u{b7}*********\u{2217}\"\n  \
         │                        ^^^^^^^^^^^^^^^^\n"
    ));
    insta::assert_snapshot!("pretty", text);
}

/// A user rule that reports the same bytes as a built-in one: the built-in
/// vendor pattern is surer (high confidence), so its finding stays.
#[test]
fn one_finding_per_secret() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("team.toml"),
        r#"schema = 1

[[rule]]
id = "ACME001"
name = "acme-github-token"
category = "security"
severity = "error"
summary = "A GitHub token"
message = "a GitHub token `{secret}`"
confidence = "medium"

[rule.match]
on = "text"
source = ["value"]
report = "{secret}"
where = { text = '(?P<secret>gh[pousr]_[A-Za-z0-9]{36})' }
"#,
    )
    .expect("rule file");
    let dockerfile = dir.path().join("Dockerfile");
    std::fs::write(
        &dockerfile,
        "FROM alpine:3.20\nENV GITHUB_TOKEN=ghp_Zq8Xr2Lp9Wm4Nt6Vb1Kc3Hd5Fj7Gs0Ay9Qe2U\nUSER app\n",
    )
    .expect("Dockerfile");
    let lint_with = |select: &str| -> Vec<String> {
        let out = run_in(
            dir.path(),
            &[
                "lint",
                "--isolated",
                "--rules",
                ".",
                "--select",
                select,
                "--format",
                "json",
                "Dockerfile",
            ],
        );
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let rules = doc["diagnostics"].as_array().expect("diagnostics").iter();
        let rules: Vec<String> = rules
            .map(|d| d["rule"].as_str().unwrap_or_default().to_owned())
            .collect();
        // The user rule's message redacts its `{secret}` as well.
        assert!(!String::from_utf8_lossy(&out.stdout).contains("Zq8Xr2Lp9"));
        rules
    };
    assert_eq!(lint_with("SEC004,ACME001"), ["SEC004"]);
    // Alone, the user rule reports the secret.
    assert_eq!(lint_with("ACME001"), ["ACME001"]);
}

/// `--diff` prints lines around each change: the secrets on them are
/// redacted as in the reports, and the change itself still shows.
#[test]
fn diffs_redact_secrets() {
    let out = run_in(root(), &["lint", "--isolated", "--diff", FIXTURE]);
    let diff = String::from_utf8(out.stdout).expect("UTF-8 diff");
    assert!(
        diff.contains("-ENV SESSION_TOKEN ****\n+ENV SESSION_TOKEN=****\n"),
        "{diff}"
    );
    assert!(diff.contains(" ENV GITHUB_TOKEN=ghp_****\n"), "{diff}");
    for (rule, secret, shown) in SECRETS {
        for t in telltales(secret, shown) {
            assert!(
                !diff.contains(&t),
                "the diff prints `{t}` of the {rule} secret:\n{diff}"
            );
        }
    }
}

/// A password that is a plain word is hidden where it is the secret (its
/// own `ENV`, and the fix that rewrites it), not where the same word means
/// something else (the image name).
#[test]
fn a_word_password_is_hidden_only_where_it_is_the_secret() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM postgres\nENV POSTGRES_PASSWORD postgres\nUSER app\n",
    )
    .expect("Dockerfile");
    let out = run_in(
        dir.path(),
        &["lint", "--isolated", "--format", "json", "Dockerfile"],
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let diags = doc["diagnostics"].as_array().expect("diagnostics");
    let of = |rule: &str| {
        diags
            .iter()
            .find(|d| d["rule"] == rule)
            .unwrap_or_else(|| panic!("{rule} in {diags:?}"))
    };
    assert_eq!(of("SEC003")["start"]["offset"], 36);
    assert_eq!(
        of("STY003")["fix"]["title"],
        "Write `ENV POSTGRES_PASSWORD=****`"
    );
    assert_eq!(of("STY003")["fix"]["edits"][0]["text"], "=****");
    assert!(
        of("SUP001")["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("`postgres` has no tag")),
        "{diags:?}"
    );
}

/// The library's `report::write` masks a run whose reports are raw, and
/// writes the same as for reports redacted one by one beforehand (as the
/// CLI does, so that `write` need not copy the run).
#[test]
fn write_masks_raw_reports_the_same_as_redacted_ones() {
    use shipshape::lint::lint_bytes;
    use shipshape::report::{self, Format, Run};
    use shipshape::rules::{CheckOptions, RuleSet};

    let rules = RuleSet::builtin().expect("the built-in rules load");
    let bytes = std::fs::read(root().join(FIXTURE)).expect("the fixture reads");
    let raw = lint_bytes(FIXTURE, bytes, rules, CheckOptions::default(), &|_| true);
    let write = |report| {
        let run = Run {
            reports: vec![report],
            ..Run::default()
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        report::write(&run, Format::Json, false, &mut out, &mut err).expect("writes");
        String::from_utf8(out).expect("UTF-8")
    };
    let from_raw = write(raw.clone());
    let redacted = report::redacted(raw);
    assert_eq!(report::redacted(redacted.clone()), redacted);
    assert_eq!(from_raw, write(redacted));
    for (rule, secret, shown) in SECRETS {
        for t in telltales(secret, shown) {
            assert!(!from_raw.contains(&t), "prints `{t}` of the {rule} secret");
        }
    }
}
