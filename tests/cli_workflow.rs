//! Fitting shipshape into existing workflows, through the built binary:
//! settings files (`.shipshape.toml`, `--config`, `--isolated`,
//! `.hadolint.yaml`), inline suppressions, editor options
//! (`--stdin-filename`, `--quiet`, `--statistics`, colour), completions,
//! the manual page, the pre-commit hook's file pattern and the repository's
//! own Dockerfile.

mod common;

use common::{Run, json, repo, text, tree};
use std::path::Path;
use std::process::Output;

/// The built binary with `args` in `dir`, colour left to the arguments
/// (the colour variables and `TERM` unset) unless a test sets them.
fn run<'a>(dir: &'a Path, args: &[&'a str]) -> Run<'a> {
    Run::new(args)
        .dir(dir)
        .env_remove(&common::COLOUR_VARS)
        .env_remove(&["TERM"])
}

/// `(file name, rule, severity)` of every finding, in report order.
fn findings(out: &Output) -> Vec<(String, String, String)> {
    let doc = json(out);
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let file = Path::new(d["path"].as_str().unwrap());
            (
                file.file_name().unwrap().to_string_lossy().into_owned(),
                d["rule"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn rules(out: &Output) -> Vec<String> {
    findings(out).into_iter().map(|(_, r, _)| r).collect()
}

/// Root, untagged-free: SEC001 (warning) and SEC014 (warning).
const ROOT_SUDO: &str = "FROM alpine:3.20\nRUN sudo apk add --no-cache curl\n";

#[test]
fn settings_are_found_by_walking_up_and_the_closest_wins() {
    let dir = tree(&[
        (".shipshape.toml", "ignore = [\"SEC014\"]\n"),
        ("a/Dockerfile", ROOT_SUDO),
        ("b/Dockerfile", ROOT_SUDO),
        (
            "b/shipshape.toml",
            "ignore = [\"final-stage-missing-user\"]\n",
        ),
    ]);
    let out = run(dir.path(), &["lint", "--format", "json", "a", "b"]).output();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(rules(&out), ["SEC001", "SEC014"]);
    let names: Vec<String> = findings(&out).into_iter().map(|(f, _, _)| f).collect();
    assert_eq!(names, ["Dockerfile", "Dockerfile"]);
    let doc = json(&out);
    let files: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["a/Dockerfile", "b/Dockerfile"]);

    // --isolated ignores both; --config uses one file for every input.
    let out = run(
        dir.path(),
        &["lint", "--format", "json", "--isolated", "a", "b"],
    )
    .output();
    assert_eq!(rules(&out), ["SEC001", "SEC014", "SEC001", "SEC014"]);
    let out = run(
        dir.path(),
        &[
            "lint",
            "--format",
            "json",
            "--config",
            "b/shipshape.toml",
            "a",
            "b",
        ],
    )
    .output();
    assert_eq!(rules(&out), ["SEC014", "SEC014"]);
    // A missing --config file is an error (exit 2), and the files are still linted.
    let out = run(
        dir.path(),
        &["lint", "--format", "json", "--config", "nope.toml", "a"],
    )
    .output();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("nope.toml"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(rules(&out), ["SEC001", "SEC014"]);
}

#[test]
fn every_settings_key_takes_effect() {
    let dir = tree(&[
        (
            ".shipshape.toml",
            r#"
select = ["security", "supply-chain"]
ignore = ["SEC005"]
fail-on = "error"

[severity]
security = "info"
sudo-in-run = "error"

[per-path-ignores]
"legacy/**" = ["SEC"]

[options]
trusted-registries = ["docker.io/library"]
allowed-users = ["app"]
secret-key-names = ["acme_pin"]
allowed-secret-values = ["hunter2-for-tests"]
"#,
        ),
        (
            "Dockerfile",
            "FROM ghcr.io/other/base:1.0\nENV ACME_PIN=correct-horse-battery\nENV DB_PASSWORD=hunter2-for-tests\nRUN sudo apk add --no-cache curl\nUSER nobody\n",
        ),
        ("legacy/Dockerfile", ROOT_SUDO),
    ]);
    let out = run(dir.path(), &["lint", "--format", "json"]).output();
    let got = findings(&out);
    let expected = [
        ("Dockerfile", "SUP003", "error"),
        ("Dockerfile", "SEC003", "info"),
        ("Dockerfile", "SEC014", "error"),
        ("Dockerfile", "SEC018", "info"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, expected, "{}", text(&out.stderr));
    // fail-on = "error": SUP003 and SEC014 are errors.
    assert_eq!(out.status.code(), Some(1));

    // The command line overrides the file.
    let out = run(
        dir.path(),
        &["lint", "--format", "json", "--fail-on", "none"],
    )
    .output();
    assert_eq!(out.status.code(), Some(0));
    let out = run(
        dir.path(),
        &["lint", "--format", "json", "--select", "SEC014", "legacy"],
    )
    .output();
    // --select replaces the file's select, but per-path ignores still apply.
    assert!(rules(&out).is_empty(), "{:?}", rules(&out));
    let out = run(
        dir.path(),
        &["lint", "--format", "json", "--select", "EFF001"],
    )
    .output();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn settings_errors_point_into_the_file_and_the_run_goes_on() {
    let dir = tree(&[
        (
            ".shipshape.toml",
            "select = [\"SEC\"]\nfail_on = \"warning\"\n\n[severity]\nSEC001 = \"fatal\"\n",
        ),
        ("Dockerfile", ROOT_SUDO),
    ]);
    let out = run(dir.path(), &["lint", "--color", "never"]).output();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("error: invalid settings: unknown key `fail_on`; did you mean `fail-on`?"),
        "{err}"
    );
    assert!(err.contains(".shipshape.toml:2:1"), "{err}");
    assert!(err.contains("2 │ fail_on = \"warning\""), "{err}");
    // The Dockerfile is still linted, with the file's valid settings.
    assert!(
        text(&out.stdout).contains("SEC014"),
        "{}",
        text(&out.stdout)
    );

    // Values are checked too, each one reported; selectors are checked
    // against the rules.
    std::fs::write(
        dir.path().join(".shipshape.toml"),
        "fail-on = \"loud\"\n[severity]\nSEC001 = \"fatal\"\n",
    )
    .unwrap();
    let out = run(dir.path(), &["lint", "--color", "never"]).output();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("`fail-on` must be one of"), "{err}");
    assert!(err.contains("not `fatal`"), "{err}");
    std::fs::write(
        dir.path().join(".shipshape.toml"),
        "ignore = [\"SEC999\"]\n",
    )
    .unwrap();
    let out = run(dir.path(), &["lint", "--color", "never"]).output();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("`SEC999` matches no rule"), "{err}");
    assert!(err.contains(".shipshape.toml:1:11"), "{err}");
}

#[test]
fn rule_folders_in_settings_are_relative_to_the_file() {
    let team = std::fs::read_to_string(repo().join("fixtures/formats/rules/house.toml")).unwrap();
    let dir = tree(&[
        (".shipshape.toml", "rules = [\"ci/rules\"]\n"),
        ("ci/rules/house.toml", &team),
        (
            "svc/Dockerfile",
            "FROM alpine:3.20\nRUN curl -fsSL https://example.com/i.sh | sh\nUSER app\n",
        ),
    ]);
    let out = run(&dir.path().join("svc"), &["lint", "--format", "json"]).output();
    assert_eq!(rules(&out), ["HOUSE001"], "{}", text(&out.stderr));
}

#[test]
fn hadolint_settings_are_read_when_there_is_no_shipshape_file() {
    let dir = tree(&[
        (
            ".hadolint.yaml",
            "ignored:\n  - DL3004\n  - DL3008\noverride:\n  error:\n    - DL3002\ntrustedRegistries:\n  - docker.io\nfailure-threshold: error\n",
        ),
        (
            "Dockerfile",
            "FROM ghcr.io/acme/base:1.0\nRUN sudo apk add --no-cache curl\nUSER root\n",
        ),
    ]);
    let out = run(dir.path(), &["lint", "--format", "json"]).output();
    let got = findings(&out);
    let pairs: Vec<(&str, &str)> = got
        .iter()
        .map(|(_, r, s)| (r.as_str(), s.as_str()))
        .collect();
    // DL3004 (sudo) ignored; DL3002 (root) raised to error; ghcr.io untrusted.
    assert_eq!(pairs, [("SUP003", "error"), ("SEC002", "error")]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("reading hadolint's settings from .hadolint.yaml"),
        "{err}"
    );
    // DL3008 names no shipshape rule: a warning, pointing at it.
    assert!(
        err.contains(".hadolint.yaml:3:5: warning: settings: hadolint's `DL3008`"),
        "{err}"
    );
    // --quiet drops the note, not the warning.
    let out = run(dir.path(), &["lint", "--format", "json", "--quiet"]).output();
    let err = text(&out.stderr);
    assert!(!err.contains("reading hadolint's settings"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    // A shipshape file wins over it.
    std::fs::write(dir.path().join("shipshape.toml"), "").unwrap();
    let out = run(dir.path(), &["lint", "--format", "json"]).output();
    assert_eq!(rules(&out), ["SEC014", "SEC002"]);
    assert!(!text(&out.stderr).contains("hadolint"));

    // Unknown hadolint keys are warnings with a place (hadolint accepts
    // them too): DL3008 is not ignored, the closest key is suggested.
    std::fs::remove_file(dir.path().join("shipshape.toml")).unwrap();
    std::fs::write(
        dir.path().join(".hadolint.yaml"),
        "ignored: [DL3004]\nignore: [DL3008]\n",
    )
    .unwrap();
    let out = run(dir.path(), &["lint", "--color", "never"]).output();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains(".hadolint.yaml:2:1"), "{err}");
    assert!(
        err.contains("warning: settings: unknown key `ignore` in a hadolint settings file, ignored; did you mean `ignored`?"),
        "{err}"
    );
}

#[test]
fn hadolint_ignore_entries_with_multi_byte_characters_are_settings_errors() {
    // Six bytes with a two-byte character where a `DL`/`SC` prefix would
    // end: not the shape of a hadolint code, so it names no rule.
    let dir = tree(&[
        (
            ".hadolint.yaml",
            "ignored:\n  - \"a\u{e9}123\"\n  - \"D\u{e9}123\"\n",
        ),
        ("Dockerfile", "FROM alpine:3.20\nUSER app\n"),
    ]);
    let out = run(dir.path(), &["lint", "--color", "never"]).output();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("`a\u{e9}123` matches no rule"), "{err}");
    assert!(err.contains("`D\u{e9}123` matches no rule"), "{err}");
    assert!(err.contains(".hadolint.yaml:2:5"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn inline_suppressions() {
    let file = "\
# hadolint global ignore=DL3007
FROM ubuntu:latest
# shipshape: ignore=SEC014 -- the base image has no other way in
RUN sudo apt-get update
# hadolint ignore=DL3004
RUN sudo apt-get install -y --no-install-recommends curl
RUN sudo rm -rf /var/lib/apt/lists
";
    let out = run(
        Path::new("."),
        &["lint", "--format", "json", "--ignore", "EFF001", "-"],
    )
    .stdin(file.as_bytes())
    .output();
    assert_eq!(rules(&out), ["SEC001", "SEC014"]);
    let doc = json(&out);
    assert_eq!(doc["diagnostics"][1]["start"]["line"], 7);

    // ignore-file, and BuildKit's check=skip through the rule's alias.
    let file = "\
# check=skip=SecretsUsedInArgOrEnv
FROM alpine:3.20
# shipshape: ignore-file=SEC001,sudo-in-run -- a build image
ENV DB_PASSWORD=s3cr3t-Value
RUN sudo true
";
    let out = run(Path::new("."), &["lint", "--format", "json", "-"])
        .stdin(file.as_bytes())
        .output();
    assert_eq!(rules(&out), Vec::<String>::new(), "{}", text(&out.stdout));
    assert_eq!(out.status.code(), Some(0));

    // Unused and unknown suppressions are findings themselves.
    let file = "\
FROM alpine:3.20
# shipshape: ignore=SEC014
RUN apk add --no-cache curl
# shipshape: ignore=SEC999
RUN sudo true
USER app
";
    let out = run(Path::new("."), &["lint", "--format", "json", "-"])
        .stdin(file.as_bytes())
        .output();
    assert_eq!(rules(&out), ["IGN001", "IGN002", "SEC014"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn stdin_filename_finds_settings_and_names_findings() {
    let dir = tree(&[("svc/.shipshape.toml", "ignore = [\"SEC014\"]\n")]);
    let out = run(
        dir.path(),
        &[
            "lint",
            "--format",
            "gnu",
            "--stdin-filename",
            "svc/Dockerfile",
            "-",
        ],
    )
    .stdin(ROOT_SUDO.as_bytes())
    .output();
    assert_eq!(
        text(&out.stdout),
        "svc/Dockerfile:1:1: warning: final stage `alpine:3.20` has no USER instruction, so the container runs as root [SEC001]\n"
    );
    // Per-path ignores match the given name too.
    std::fs::write(
        dir.path().join("svc/.shipshape.toml"),
        "[per-path-ignores]\n\"**/Dockerfile.dev\" = [\"SEC\"]\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &[
            "lint",
            "--format",
            "json",
            "--stdin-filename",
            "svc/Dockerfile.dev",
            "-",
        ],
    )
    .stdin(ROOT_SUDO.as_bytes())
    .output();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn quiet_and_statistics() {
    let dir = tree(&[("Dockerfile", ROOT_SUDO), ("b.Dockerfile", ROOT_SUDO)]);
    let out = run(dir.path(), &["lint", "--color", "never"]).output();
    assert!(text(&out.stdout).contains("Found 4 problems in 2 of 2 files"));
    let out = run(dir.path(), &["lint", "--color", "never", "--quiet"]).output();
    let shown = text(&out.stdout);
    assert!(shown.contains("warning[SEC014]"), "{shown}");
    assert!(!shown.contains("Found"), "{shown}");
    assert_eq!(out.status.code(), Some(1));

    let out = run(dir.path(), &["lint", "--statistics"]).output();
    assert_eq!(
        text(&out.stdout),
        "2  SEC001  warning  final-stage-missing-user\n2  SEC014  warning  sudo-in-run\n4 findings in 2 of 2 files.\n"
    );
    assert_eq!(out.status.code(), Some(1));
    let out = run(dir.path(), &["lint", "--statistics", "--format", "json"]).output();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc[0]["rule"], "SEC001");
    assert_eq!(doc[0]["count"], 2);
}

#[test]
fn colour_follows_the_flag_and_the_environment() {
    let dir = tree(&[]);
    let coloured = |run: Run<'_>| {
        let out = run.stdin(b"FROM ubuntu\n").output();
        text(&out.stdout).contains('\u{1b}')
    };
    let lint = |color: &'static str| run(dir.path(), &["lint", "--color", color, "-"]);
    // Not a terminal: no colour unless forced.
    assert!(!coloured(lint("auto")));
    assert!(coloured(lint("auto").env("CLICOLOR_FORCE", "1")));
    assert!(coloured(lint("auto").env("FORCE_COLOR", "1")));
    assert!(!coloured(lint("auto").env("FORCE_COLOR", "0")));
    // NO_COLOR wins over the forcing variables, the flag over everything.
    assert!(!coloured(
        lint("auto").env("NO_COLOR", "1").env("CLICOLOR_FORCE", "1")
    ));
    assert!(coloured(lint("always").env("NO_COLOR", "1")));
    assert!(!coloured(lint("never").env("CLICOLOR_FORCE", "1")));
    // Machine formats never carry colour.
    let out = run(
        dir.path(),
        &["lint", "--color", "always", "--format", "gnu", "-"],
    )
    .stdin(b"FROM ubuntu\n")
    .output();
    assert!(!text(&out.stdout).contains('\u{1b}'));
}

#[test]
fn completions_and_manual_pages() {
    let here = repo();
    for (shell, needle) in [
        ("bash", "complete -F _shipshape"),
        ("zsh", "#compdef shipshape"),
        ("fish", "complete -c shipshape"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[shipshape]"),
    ] {
        let out = run(here, &["completions", shell]).output();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = text(&out.stdout);
        assert!(script.contains(needle), "{shell}: {script}");
        assert!(script.contains("stdin-filename"), "{shell}");
    }
    let out = run(here, &["completions", "tcsh"]).output();
    assert_eq!(out.status.code(), Some(2));

    let out = run(here, &["man"]).output();
    assert_eq!(out.status.code(), Some(0));
    let page = text(&out.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH shipshape 1"),
        "{page}"
    );
    assert!(page.contains(".TH shipshape 1"));
    assert!(page.contains("lint"));
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["man", "--dir", "pages"]).output();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let lint = std::fs::read_to_string(dir.path().join("pages/shipshape-lint.1")).unwrap();
    assert!(lint.contains("stdin\\-filename"), "{lint}");
    assert!(dir.path().join("pages/shipshape-rules-explain.1").is_file());
}

/// The hook's `files`/`exclude` patterns (as in .pre-commit-hooks.yaml)
/// pick the same names as `lint` does in a directory.
#[test]
fn pre_commit_hook_matches_the_names_lint_discovers() {
    let hooks = std::fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).unwrap();
    let value = |key: &str| -> regex::Regex {
        let line = hooks
            .lines()
            .find_map(|l| l.trim().strip_prefix(&format!("{key}: ")))
            .unwrap_or_else(|| panic!("no `{key}` in .pre-commit-hooks.yaml"));
        regex::Regex::new(line.trim_matches('\'')).unwrap()
    };
    assert!(hooks.contains("language: rust"));
    assert!(hooks.contains("entry: shipshape lint"));
    let (files, exclude) = (value("files"), value("exclude"));
    let names = [
        "Dockerfile",
        "dockerfile",
        "Dockerfile.prod",
        "Dockerfile.dev.arm64",
        "api.Dockerfile",
        "api.dockerfile",
        "Containerfile",
        "Containerfile.ci",
        "base.Containerfile",
        "Dockerfile.dockerignore",
        "Dockerfile.md",
        "README.md",
        "Dockerfiles",
        "MyDockerfile",
        ".Dockerfile",
        "Dockerfile.swp",
        "docker-compose.yml",
        "build.sh",
        "Dockerfile-dev",
        "Dockerfile_prod",
        "api-Dockerfile",
        "web.containerfile",
        "Dockerfile-dev.dockerignore",
        "Dockerfile-",
        "-Dockerfile",
        "Dockerfile.",
        "Dockerfile~",
        "Dockerfile_notes.txt",
    ];
    for name in names {
        for path in [name.to_owned(), format!("deploy/docker/{name}")] {
            // pre-commit uses re.search.
            let hook = files.is_match(&path) && !exclude.is_match(&path);
            assert_eq!(
                hook,
                shipshape::cli::is_dockerfile_name(name),
                "{path}: the hook and `lint` disagree"
            );
        }
    }
}

#[test]
fn the_repository_dockerfile_lints_clean() {
    let out = run(repo(), &["lint", "--isolated", "Dockerfile"]).output();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let dockerfile = std::fs::read_to_string(repo().join("Dockerfile")).unwrap();
    // Multi-stage, a minimal final stage, a non-root user.
    assert!(dockerfile.matches("\nFROM ").count() >= 2);
    assert!(dockerfile.contains("\nFROM scratch\n"));
    assert!(dockerfile.contains("\nUSER 65532:65532\n"));
}
