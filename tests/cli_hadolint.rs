//! hadolint users' habits, through the built binary: hadolint's command
//! line (`shipshape Dockerfile`, `-f`, `-t`, `--no-fail`, severity
//! options, ...), other tools' codes that never break a run, and the
//! surprises a first run should not hold (stdin names, settings errors,
//! rule folders named twice, discovery, `--exclude`, `--output`).

mod common;

use common::{Run, json, text, tree};
use std::path::Path;
use std::process::Output;

/// The built binary with `args` in `dir`, with `stdin` written to its
/// standard input, colour left to the arguments.
fn run(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    Run::new(args)
        .dir(dir)
        .stdin(stdin.unwrap_or_default())
        .env_remove(&common::COLOUR_VARS)
        .output()
}

/// The rule ids of a `--format json` report, in order.
fn rules(out: &Output) -> Vec<String> {
    common::rule_ids(&json(out))
}

/// Root in the final stage (SEC001, warning) and sudo (SEC014, warning).
const ROOT_SUDO: &str = "FROM alpine:3.20\nRUN sudo apk add --no-cache curl\n";
/// Nothing to report.
const CLEAN: &str = "FROM alpine:3.20\nRUN adduser -D app\nUSER app\nCMD [\"app\"]\n";

#[test]
fn files_and_stdin_without_a_subcommand_are_linted() {
    let dir = tree(&[("Dockerfile", ROOT_SUDO), ("lint", ROOT_SUDO)]);
    let d = dir.path();
    let plain = run(d, &["--color", "never", "Dockerfile"], None);
    assert_eq!(plain.status.code(), Some(1), "{}", text(&plain.stderr));
    let lint = run(d, &["lint", "--color", "never", "Dockerfile"], None);
    assert_eq!(plain.stdout, lint.stdout);

    let stdin = run(d, &["-f", "json", "-"], Some(ROOT_SUDO.as_bytes()));
    assert_eq!(stdin.status.code(), Some(1));
    assert_eq!(rules(&stdin), ["SEC001", "SEC014"]);

    // Options first, then files: still `lint`.
    let out = run(d, &["--no-color", "-f", "json", "Dockerfile"], None);
    assert_eq!(rules(&out), ["SEC001", "SEC014"]);

    // A file named like a subcommand, by path or after `--`.
    for args in [&["-f", "json", "./lint"][..], &["-f", "json", "--", "lint"]] {
        let out = run(d, args, None);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(rules(&out), ["SEC001", "SEC014"], "{args:?}");
    }

    // Subcommands and the version are still themselves.
    let out = run(d, &["rules"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("SEC001"));
    for flag in ["-v", "-V", "--version"] {
        let out = run(d, &[flag], None);
        assert_eq!(out.status.code(), Some(0), "{flag}");
        assert!(text(&out.stdout).starts_with("shipshape "), "{flag}");
    }
    // A missing file is an I/O error, as `lint` says.
    let out = run(d, &["frobnicate"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("frobnicate"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn hadolint_options_are_accepted() {
    let dir = tree(&[
        ("Dockerfile", ROOT_SUDO),
        ("ci/hadolint.yaml", "ignored:\n  - DL3004\n"),
    ]);
    let d = dir.path();
    // `-t error`: warnings don't fail; `--failure-threshold` is the same.
    for args in [
        &["-t", "error", "Dockerfile"][..],
        &["--failure-threshold", "error", "Dockerfile"],
        &["--no-fail", "Dockerfile"],
        &["-t", "ignore", "Dockerfile"],
    ] {
        let out = run(d, args, None);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    // `--no-color` wins over `--color always`'s absence and `-f tty` is
    // the pretty format.
    let out = run(d, &["--no-color", "-f", "tty", "Dockerfile"], None);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("warning[SEC001]"), "{stdout}");
    assert!(!stdout.contains('\u{1b}'), "{stdout}");
    let out = run(d, &["--color", "always", "--no-color", "Dockerfile"], None);
    assert!(!text(&out.stdout).contains('\u{1b}'));

    // Severity overrides, by id or by another tool's code.
    let out = run(
        d,
        &[
            "-f",
            "json",
            "--error",
            "DL3004",
            "--style",
            "SEC001",
            "Dockerfile",
        ],
        None,
    );
    let doc = json(&out);
    let severities: Vec<(&str, &str)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["rule"].as_str().unwrap(), d["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(severities, [("SEC001", "style"), ("SEC014", "error")]);
    let out = run(d, &["--error", "SEC014", "-t", "error", "Dockerfile"], None);
    assert_eq!(out.status.code(), Some(1));

    // `-c` with a hadolint settings file.
    let out = run(
        d,
        &["-f", "json", "-c", "ci/hadolint.yaml", "Dockerfile"],
        None,
    );
    assert_eq!(rules(&out), ["SEC001"], "{}", text(&out.stderr));

    // `--trusted-registry` feeds the untrusted-registry rule.
    let file = "FROM quay.io/acme/base:1.0\nUSER app\n";
    let out = run(
        d,
        &[
            "-f",
            "json",
            "--select",
            "SUP003",
            "--trusted-registry",
            "ghcr.io",
            "-",
        ],
        Some(file.as_bytes()),
    );
    assert_eq!(rules(&out), ["SUP003"], "{}", text(&out.stderr));
    let out = run(
        d,
        &[
            "-f",
            "json",
            "--select",
            "SUP003",
            "--trusted-registry",
            "quay.io",
            "-",
        ],
        Some(file.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // The label options are accepted and say they do nothing.
    let out = run(
        d,
        &["--require-label", "maintainer:text", "--strict-labels", "-"],
        Some(CLEAN.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("no label-schema checks"));

    // `-v` says which settings govern the file and what a code stands for.
    let out = run(d, &["-v", "--ignore", "DL3002", "Dockerfile"], None);
    let err = text(&out.stderr);
    assert!(err.contains("Dockerfile: no settings file"), "{err}");
    assert!(err.contains("DL3002 is shipshape's SEC002"), "{err}");
}

#[test]
fn every_hadolint_format_name_is_accepted() {
    let dir = tree(&[("Dockerfile", ROOT_SUDO)]);
    for format in [
        "tty",
        "json",
        "checkstyle",
        "codeclimate",
        "gitlab_codeclimate",
        "gnu",
        "codacy",
        "sonarqube",
        "sarif",
        "junit",
        "rdjson",
        "hadolint-json",
    ] {
        let out = run(dir.path(), &["-f", format, "Dockerfile"], None);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: {}",
            text(&out.stderr)
        );
        assert!(!out.stdout.is_empty(), "{format}");
    }
    // `--help` names every option a hadolint user reaches for.
    let help = text(&run(dir.path(), &["lint", "--help"], None).stdout);
    for option in [
        "--format",
        "-f,",
        "--output",
        "--no-color",
        "--failure-threshold",
        "--no-fail",
        "--config",
        "--trusted-registry",
        "--require-label",
        "--strict-labels",
        "--error",
        "--warning",
        "--info",
        "--style",
        "--ignore",
        "--verbose",
        "hadolint-json",
    ] {
        assert!(help.contains(option), "{option} missing from\n{help}");
    }
}

#[test]
fn other_tools_codes_never_break_a_run() {
    let dir = tree(&[("Dockerfile", ROOT_SUDO)]);
    let d = dir.path();
    for codes in [
        "DL3008",
        "SC2086",
        "StageNameCasing",
        "DS-0026",
        "CKV_DOCKER_2",
    ] {
        for option in ["--ignore", "--select", "--warning"] {
            let out = run(d, &["-f", "json", option, codes, "Dockerfile"], None);
            assert_ne!(out.status.code(), Some(2), "{option} {codes}");
            let err = text(&out.stderr);
            assert!(err.contains(&format!("`{codes}`")), "{err}");
            assert!(err.contains("shipshape does not have"), "{err}");
            assert_eq!(err.lines().count(), 1, "{err}");
        }
    }
    // `--ignore DL3008`, the README's own example, still lints.
    let out = run(
        d,
        &["-f", "json", "--ignore", "DL3008,DL3004", "Dockerfile"],
        None,
    );
    assert_eq!(rules(&out), ["SEC001"]);
    assert_eq!(out.status.code(), Some(1));
    // A code that could be shipshape's is still a usage error, with help.
    let out = run(d, &["--ignore", "SEC0014", "Dockerfile"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did you mean"),
        "{}",
        text(&out.stderr)
    );

    // In a settings file: a warning pointing at the code.
    let dir = tree(&[
        (".shipshape.toml", "ignore = [\"DL3008\", \"SEC014\"]\n"),
        ("Dockerfile", ROOT_SUDO),
    ]);
    let out = run(dir.path(), &["-f", "json", "Dockerfile"], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(rules(&out), ["SEC001"]);
    let err = text(&out.stderr);
    assert!(err.contains(".shipshape.toml:1:11: warning:"), "{err}");
    assert!(err.contains("hadolint's `DL3008`"), "{err}");
}

/// A code whose check shipshape makes differently is a warning that names
/// shipshape's rule, and does not select or ignore that rule.
#[test]
fn other_tools_codes_name_the_rule_that_differs() {
    const ADD: &str = "FROM alpine:3.20\nADD app.py /app/\nUSER app\n";
    let dir = tree(&[("Dockerfile", ADD)]);
    let d = dir.path();
    let out = run(
        d,
        &["-f", "json", "--ignore", "CKV_DOCKER_4", "Dockerfile"],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(rules(&out), ["BP002"]);
    let err = text(&out.stderr);
    assert_eq!(
        err.trim_end(),
        "warning: Checkov's `CKV_DOCKER_4` names a check that shipshape's BP002 \
         (prefer-copy) makes differently, so it does nothing here (`shipshape rules` lists \
         what shipshape checks, with the other tools' codes it takes)"
    );
    // Trivy's check is the same as BP002: an alias, which ignores it.
    let out = run(
        d,
        &["-f", "json", "--ignore", "DS-0005", "Dockerfile"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");

    // Both kinds in one settings file: one warning says which is which.
    std::fs::write(
        d.join(".shipshape.toml"),
        "ignore = [\"CKV_SECRET_6\", \"DL3008\"]\n",
    )
    .unwrap();
    let out = run(d, &["-f", "gnu", "Dockerfile"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "hadolint's `DL3008` names a check shipshape does not have; Checkov's \
             `CKV_SECRET_6` names a check that shipshape's SEC005 (high-entropy-value) makes \
             differently, so they do nothing here"
        ),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");

    // In shipshape's own pragma, the finding says the same.
    let own = "FROM alpine:3.20\n# shipshape: ignore=CKV_DOCKER_4\nADD app.py /app/\nUSER app\n";
    let out = run(d, &["-f", "json", "--isolated", "-"], Some(own.as_bytes()));
    assert_eq!(rules(&out), ["IGN002", "BP002"]);
    let message = json(&out)["diagnostics"][0]["message"].clone();
    assert_eq!(
        message,
        "`CKV_DOCKER_4` in `# shipshape: ignore=` names no rule: Checkov's `CKV_DOCKER_4` \
         names a check that shipshape's BP002 (prefer-copy) makes differently"
    );

    // `rules explain` explains the rule that differs; a code shipshape
    // lacks is an error that says so.
    let out = run(d, &["rules", "explain", "CKV_DOCKER_4"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("BP002 (prefer-copy)\n"));
    assert!(text(&out.stderr).starts_with("note: Checkov's `CKV_DOCKER_4` names a check"));
    let out = run(d, &["rules", "explain", "DL3008"], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), "");
    assert!(
        text(&out.stderr)
            .starts_with("error: hadolint's `DL3008` names a check shipshape does not have"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn shared_pragmas_stay_quiet_unless_asked() {
    // hadolint needs the pragma on a build stage; shipshape finds nothing
    // there.
    let file = "FROM alpine:3.20 AS build\n# hadolint ignore=DL3002\nUSER root\nRUN make\n\
                FROM alpine:3.20\n# check=skip=JSONArgsRecommended\nUSER app\nCMD [\"app\"]\n";
    let dir = tree(&[("Dockerfile", file)]);
    let out = run(dir.path(), &["-f", "json", "Dockerfile"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));

    std::fs::write(
        dir.path().join(".shipshape.toml"),
        "report-unused-foreign-suppressions = true\n",
    )
    .unwrap();
    let out = run(dir.path(), &["-f", "json", "Dockerfile"], None);
    assert_eq!(rules(&out), ["IGN001"]);
    assert_eq!(out.status.code(), Some(1));

    // shipshape's own unused suppressions are reported either way.
    let own = "FROM alpine:3.20\n# shipshape: ignore=SEC014\nUSER app\n";
    let out = run(
        dir.path(),
        &["-f", "json", "--isolated", "-"],
        Some(own.as_bytes()),
    );
    assert_eq!(rules(&out), ["IGN001"]);
}

#[test]
fn hadolint_settings_unknown_keys_are_warnings() {
    let dir = tree(&[
        (
            ".hadolint.yaml",
            "ignored:\n  - DL3004\ntrustedRegistry:\n  - ghcr.io\nlabel-schema:\n  owner: text\n",
        ),
        ("Dockerfile", ROOT_SUDO),
    ]);
    let out = run(dir.path(), &["-f", "json", "Dockerfile"], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(rules(&out), ["SEC001"]);
    let err = text(&out.stderr);
    assert!(
        err.contains("warning: settings: unknown key `trustedRegistry`"),
        "{err}"
    );
    assert!(err.contains("did you mean `trustedRegistries`?"), "{err}");
    assert!(!err.contains("label-schema"), "{err}");
}

#[test]
fn stdin_filename_alone_reads_stdin() {
    let dir = tree(&[("Dockerfile", CLEAN)]);
    let out = run(
        dir.path(),
        &["lint", "-f", "json", "--stdin-filename", "svc/Dockerfile"],
        Some(ROOT_SUDO.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(doc["diagnostics"][0]["path"], "svc/Dockerfile");
    // hadolint's --file-path-in-report names stdin the same way.
    let out = run(
        dir.path(),
        &["-f", "json", "--file-path-in-report", "x/Dockerfile", "-"],
        Some(ROOT_SUDO.as_bytes()),
    );
    assert_eq!(json(&out)["diagnostics"][0]["path"], "x/Dockerfile");
}

#[test]
fn settings_errors_come_all_at_once_and_keep_the_rest() {
    let dir = tree(&[
        (
            ".shipshape.toml",
            "ignore = [\"SEC014\"]\nfail_on = \"warning\"\nexcludes = []\n\n[severity]\nSEC001 = \"fatal\"\n\n[options]\ntrusted-registry = []\n",
        ),
        ("Dockerfile", ROOT_SUDO),
    ]);
    let out = run(dir.path(), &["-f", "json", "Dockerfile"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    for expected in [
        ".shipshape.toml:2:1: error: invalid settings: unknown key `fail_on`; did you mean `fail-on`?",
        ".shipshape.toml:3:1: error: invalid settings: unknown key `excludes`; did you mean `exclude`?",
        ".shipshape.toml:6:10: error: invalid settings: a severity must be one of",
        ".shipshape.toml:9:1: error: invalid settings: unknown option `trusted-registry`; did you mean `trusted-registries`?",
    ] {
        assert!(err.contains(expected), "{expected}\nnot in\n{err}");
    }
    assert_eq!(err.lines().count(), 4, "{err}");
    // `ignore` is right, so it applies.
    assert_eq!(rules(&out), ["SEC001"]);
}

#[test]
fn a_rule_folder_named_twice_is_loaded_once() {
    let rule = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/formats/rules/house.toml"),
    )
    .unwrap();
    let dir = tree(&[
        ("rules/house.toml", rule.as_str()),
        (".shipshape.toml", "rules = [\"./rules\"]\n"),
        (
            "Dockerfile",
            "FROM alpine:3.20\nRUN curl -fsSL x | sh\nUSER app\n",
        ),
    ]);
    for args in [
        &["-f", "json", "--rules", "rules", "Dockerfile"][..],
        &[
            "-f",
            "json",
            "--rules",
            "./rules",
            "--rules",
            "rules/",
            "Dockerfile",
        ],
    ] {
        let out = run(dir.path(), args, None);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(rules(&out), ["HOUSE001"], "{args:?}");
        assert!(out.stderr.is_empty(), "{args:?}: {}", text(&out.stderr));
    }
}

#[test]
fn info_is_info_in_the_pretty_format() {
    let out = run(
        Path::new("."),
        &["--no-color", "-"],
        Some(b"FROM ubuntu:24.04\nUSER app\n"),
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("info[EFF001]"), "{stdout}");
    assert!(!stdout.contains("note["), "{stdout}");
}

#[test]
fn io_errors_reach_stderr_in_every_format() {
    let dir = tree(&[("Dockerfile", CLEAN)]);
    for format in common::FORMATS {
        let out = run(
            dir.path(),
            &["-f", format, "Dockerfile", "missing/Dockerfile"],
            None,
        );
        assert_eq!(out.status.code(), Some(2), "{format}");
        let err = text(&out.stderr);
        assert!(
            err.contains("missing/Dockerfile") && err.contains("error"),
            "{format}: {err}"
        );
        if format != "pretty" {
            assert_eq!(err.lines().count(), 1, "{format}: {err}");
        }
    }
}

#[test]
fn discovery_finds_hadolint_users_names() {
    let dir = tree(&[
        ("Dockerfile-dev", CLEAN),
        ("Dockerfile_prod", CLEAN),
        ("api-Dockerfile", CLEAN),
        ("web.containerfile", CLEAN),
        ("Dockerfile-dev.dockerignore", "*\n"),
        ("api.Dockerfile.dockerignore", "*\n"),
        ("notes.md", "# Dockerfile\n"),
    ]);
    let out = run(dir.path(), &["lint", "-f", "checkstyle"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let files: Vec<String> = text(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<file name=\""))
        .map(|l| l.split('"').next().unwrap().to_owned())
        .collect();
    assert_eq!(
        files,
        [
            "Dockerfile-dev",
            "Dockerfile_prod",
            "api-Dockerfile",
            "web.containerfile"
        ]
    );
}

#[test]
fn exclude_on_the_command_line_and_in_settings() {
    let dir = tree(&[
        ("Dockerfile", ROOT_SUDO),
        ("vendor/x/Dockerfile", ROOT_SUDO),
        ("legacy/Dockerfile", ROOT_SUDO),
        ("legacy/keep/Dockerfile", CLEAN),
    ]);
    let d = dir.path();
    let linted = |out: &Output| -> Vec<String> {
        let mut paths: Vec<String> = json(out)["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["path"].as_str().unwrap().to_owned())
            .collect();
        paths.dedup();
        paths
    };
    let out = run(
        d,
        &[
            "lint",
            "-f",
            "json",
            "--exclude",
            "vendor",
            "--exclude",
            "legacy/Dockerfile",
        ],
        None,
    );
    assert_eq!(linted(&out), ["Dockerfile"], "{}", text(&out.stderr));
    std::fs::write(
        d.join(".shipshape.toml"),
        "exclude = [\"vendor\", \"legacy/*\"]\n",
    )
    .unwrap();
    let out = run(d, &["lint", "-f", "json"], None);
    assert_eq!(linted(&out), ["Dockerfile"], "{}", text(&out.stderr));
    let out = run(d, &["lint", "--exclude", "[", "Dockerfile"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn output_goes_to_a_file() {
    let dir = tree(&[("Dockerfile", ROOT_SUDO)]);
    let out = run(
        dir.path(),
        &["-f", "sarif", "-o", "report.sarif", "Dockerfile"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let report = std::fs::read_to_string(dir.path().join("report.sarif")).unwrap();
    assert!(report.contains("\"ruleId\": \"SEC001\""), "{report}");
    let out = run(
        dir.path(),
        &["-o", "no/such/dir/report", "Dockerfile"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no/such/dir/report"));
}

#[test]
fn rules_explain_renders_markdown() {
    let out = run(Path::new("."), &["rules", "explain", "IGN001"], None);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("IGN001 (unused-suppression)\n═"),
        "{stdout}"
    );
    assert!(!stdout.contains("**"), "{stdout}");
    assert!(stdout.contains("\nReported\n"), "{stdout}");
    assert!(
        stdout.contains("\n    # shipshape: ignore=SEC014"),
        "{stdout}"
    );
    for line in stdout.lines().filter(|l| !l.starts_with("    ")) {
        assert!(line.chars().count() <= 80, "{line}");
    }
}
