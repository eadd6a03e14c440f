//! `shipshape lint` and `shipshape rules` through the built binary: exit
//! codes, stdin, directory discovery, formats, rule folders.

mod common;

use common::{Run, json, rule_ids, text};
use std::path::Path;
use std::process::Output;

/// The built binary with `args`, in `dir` when given, with `stdin` written
/// to its standard input (`NO_COLOR` unset, so colour follows the
/// arguments).
fn run_in(dir: Option<&Path>, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut run = Run::new(args)
        .env_remove(&["NO_COLOR"])
        .stdin(stdin.unwrap_or_default());
    if let Some(d) = dir {
        run = run.dir(d);
    }
    run.output()
}

fn shipshape(args: &[&str], stdin: Option<&[u8]>) -> Output {
    run_in(None, args, stdin)
}

fn manifest(rel: &str) -> String {
    format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))
}

const CLEAN: &[u8] = b"FROM alpine:3.20\nRUN adduser -D app\nUSER app\nCMD [\"app\"]\n";

#[test]
fn the_bundled_example_has_findings() {
    let example = manifest("fixtures/example/Dockerfile");
    let out = shipshape(&["lint", "--color", "never", &example], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for expected in [
        "warning[SEC001]: final stage",
        "error[SEC004]: hardcoded GitHub personal access token",
        "┌─ ",
        "= help: ",
        "Found 7 problems in 1 of 1 file (2 errors, 3 warnings, 2 info).",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in\n{stdout}"
        );
    }
    assert!(!stdout.contains('\u{1b}'), "no colour when asked for none");
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn a_clean_file_exits_zero() {
    let out = shipshape(&["lint", "-"], Some(CLEAN));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(text(&out.stdout), "No problems found in 1 file.\n");
}

#[test]
fn stdin_takes_the_given_file_name() {
    let out = shipshape(
        &[
            "lint",
            "--stdin-filename",
            "services/api/Dockerfile",
            "--format",
            "json",
            "-",
        ],
        Some(b"FROM ubuntu\nCMD [\"x\"]\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    let paths: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert!(!paths.is_empty());
    assert!(paths.iter().all(|p| *p == "services/api/Dockerfile"));
}

#[test]
fn json_document_shape() {
    let out = shipshape(
        &["lint", "--format", "json", "-"],
        Some("FROM alpine:latest\nENV DB_PASSWORD=hunter22 \\\n    X=1\n".as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(doc["format_version"], 1);
    assert_eq!(doc["tool"]["name"], "shipshape");
    assert_eq!(doc["summary"]["files"], 1);
    assert_eq!(doc["summary"]["findings"], 3);
    assert_eq!(doc["errors"], serde_json::json!([]));
    assert_eq!(rule_ids(&doc), ["SEC001", "SUP002", "SEC003"]);
    let secret = &doc["diagnostics"][2];
    assert_eq!(secret["name"], "secret-in-env-arg-or-label");
    assert_eq!(secret["category"], "security");
    assert_eq!(secret["severity"], "error");
    assert_eq!(
        secret["start"],
        serde_json::json!({"line": 2, "column": 17, "offset": 35})
    );
    assert_eq!(
        secret["end"],
        serde_json::json!({"line": 2, "column": 25, "offset": 43})
    );
    assert!(
        secret["help"]
            .as_str()
            .unwrap()
            .contains("--mount=type=secret")
    );
}

#[test]
fn directories_are_searched_for_dockerfiles() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |rel: &str, body: &[u8]| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    };
    let bad = b"FROM ubuntu\n";
    write("Dockerfile", bad);
    write("svc/Dockerfile.dev", bad);
    write("svc/api.Dockerfile", bad);
    write("svc/Containerfile", bad);
    write(".devcontainer/Dockerfile", bad);
    write("ignored/Dockerfile", bad);
    write(".gitignore", b"ignored/\n");
    write(".git/Dockerfile", bad);
    write("README.md", b"# FROM ubuntu\n");
    write("svc/Dockerfile.dockerignore", b"node_modules\n");
    let out = run_in(Some(root), &["lint", "--format", "json", "."], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let doc = json(&out);
    let mut paths: Vec<String> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_owned())
        .collect();
    paths.dedup();
    assert_eq!(
        paths,
        [
            ".devcontainer/Dockerfile",
            "Dockerfile",
            "svc/Containerfile",
            "svc/Dockerfile.dev",
            "svc/api.Dockerfile",
        ]
    );
    assert_eq!(doc["summary"]["files"], 5);
    // Named explicitly, any file is linted.
    let out = run_in(Some(root), &["lint", "README.md"], None);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn an_empty_directory_warns_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(Some(dir.path()), &["lint"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("no Dockerfiles found"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_missing_file_is_an_error_but_the_others_are_linted() {
    let example = manifest("fixtures/example/Dockerfile");
    let out = shipshape(
        &[
            "lint",
            "--format",
            "json",
            "does/not/exist/Dockerfile",
            &example,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let doc = json(&out);
    assert_eq!(doc["summary"]["files"], 1);
    assert_eq!(doc["errors"][0]["path"], "does/not/exist/Dockerfile");
    assert!(
        doc["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("cannot read:")
    );
    let out = shipshape(&["lint", "--color", "never", "nope", &example], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("error: nope: cannot read:"));
    assert!(text(&out.stdout).contains("warning[SEC001]"));
}

#[test]
fn invalid_utf8_is_a_diagnostic() {
    let out = shipshape(
        &["lint", "--color", "never", "-"],
        Some(b"FROM alpine:3.20\nLABEL note=\"caf\xe9\"\nUSER app\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("error[SYN001]"), "{stdout}");
    assert!(stdout.contains("UTF-8"), "{stdout}");
}

#[test]
fn syntax_errors_are_findings() {
    let out = shipshape(
        &["lint", "--format", "json", "-"],
        Some(b"FROM alpine:3.20\nFORM x\nUSER app\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(rule_ids(&json(&out)), ["SYN001"]);
}

#[test]
fn commands_after_an_escaped_multi_byte_character_are_checked() {
    for run in [
        "RUN echo $(printf \\\u{e9}) && sudo true",
        "RUN echo `printf \\\u{e9}` && sudo true",
    ] {
        let file = format!("FROM alpine:3.20\n{run}\nUSER app\n");
        let out = shipshape(
            &["lint", "--isolated", "--format", "json", "-"],
            Some(file.as_bytes()),
        );
        assert_eq!(rule_ids(&json(&out)), ["SEC014"], "{run}");
    }
}

#[test]
fn select_ignore_and_thresholds() {
    let input = b"FROM ubuntu:latest\nRUN sudo make\n";
    let run = |args: &[&str]| {
        let mut all = vec!["lint", "--format", "json"];
        all.extend_from_slice(args);
        all.push("-");
        shipshape(&all, Some(input))
    };
    let out = run(&[]);
    assert_eq!(
        rule_ids(&json(&out)),
        ["SEC001", "EFF001", "SUP002", "SEC014"]
    );
    let out = run(&["--select", "SEC"]);
    assert_eq!(rule_ids(&json(&out)), ["SEC001", "SEC014"]);
    let out = run(&[
        "--ignore",
        "DL3004,supply-chain",
        "--ignore",
        "bloated-base-image",
    ]);
    assert_eq!(rule_ids(&json(&out)), ["SEC001"]);
    // Only warnings and below: not failing at `error`.
    let out = run(&["--fail-on", "error"]);
    assert_eq!(out.status.code(), Some(0));
    let out = run(&["--fail-on", "warning"]);
    assert_eq!(out.status.code(), Some(1));
    let out = run(&["--exit-zero"]);
    assert_eq!(out.status.code(), Some(0));
    let out = run(&["--select", "NOPE999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("`NOPE999` matches no rule"));
}

#[test]
fn target_picks_the_final_stage() {
    let input = b"FROM alpine:3.20 AS dev\nRUN make\nFROM alpine:3.20 AS prod\nUSER app\n";
    let out = shipshape(&["lint", "--format", "json", "-"], Some(input));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let out = shipshape(
        &["lint", "--format", "json", "--target", "dev", "-"],
        Some(input),
    );
    assert_eq!(rule_ids(&json(&out)), ["SEC001"]);
    // A target the file doesn't define fails, as the build would.
    let out = shipshape(
        &["lint", "--format", "json", "--target", "nosuch", "-"],
        Some(input),
    );
    let doc = json(&out);
    assert_eq!(rule_ids(&doc), ["SYN001"]);
    assert!(
        doc["diagnostics"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("`nosuch`"))
    );
}

#[test]
fn colour_is_used_only_when_asked() {
    let out = shipshape(&["lint", "--color", "always", "-"], Some(b"FROM ubuntu\n"));
    assert!(text(&out.stdout).contains("\u{1b}["));
    // Not a terminal: `auto` means none.
    let out = shipshape(&["lint", "-"], Some(b"FROM ubuntu\n"));
    assert!(!text(&out.stdout).contains('\u{1b}'));
}

#[test]
fn user_rules_are_added_with_rules() {
    let dir = manifest("fixtures/rules/team");
    let out = shipshape(
        &["lint", "--rules", &dir, "--format", "json", "-"],
        Some(b"FROM debian:12-slim\nRUN apt-get update && apt-get -y upgrade\nUSER app\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    assert_eq!(rule_ids(&doc), ["TEAM001"]);
    assert_eq!(
        doc["diagnostics"][0]["message"],
        "`apt-get upgrade` upgrades the whole base image in this layer"
    );
}

#[test]
fn a_broken_rule_folder_is_rendered_into_the_toml() {
    let dir = manifest("fixtures/rules/broken");
    let out = shipshape(
        &["lint", "--color", "never", "--rules", &dir, "-"],
        Some(CLEAN),
    );
    // The broken files are reported and left out; the input is still
    // linted with the other rules, and the run exits 2.
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), "No problems found in 1 file.\n");
    let stderr = text(&out.stderr).replace(env!("CARGO_MANIFEST_DIR"), "<repo>");
    insta::assert_snapshot!("broken-rule-folder", stderr);
    let out = shipshape(
        &["lint", "--format", "json", "--rules", &dir, "-"],
        Some(b"FROM ubuntu:latest\n"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(rule_ids(&json(&out)), ["SEC001", "EFF001", "SUP002"]);
}

#[test]
fn rules_test_runs_a_folders_examples() {
    let out = shipshape(&["rules", "test", &manifest("fixtures/rules/team")], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(
        text(&out.stdout),
        "Tested 1 rule with 2 examples: all passed.\n"
    );
    let out = shipshape(
        &[
            "--color",
            "never",
            "rules",
            "test",
            &manifest("fixtures/rules/failing"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout).replace(env!("CARGO_MANIFEST_DIR"), "<repo>");
    insta::assert_snapshot!("failing-rule-examples", stdout);
    let out = shipshape(&["rules", "test", &manifest("fixtures/rules/broken")], None);
    assert_eq!(out.status.code(), Some(2));
    // `--rules` folders are tested too.
    let out = shipshape(
        &[
            "rules",
            "test",
            "--rules",
            &manifest("fixtures/rules/failing"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    // Without a folder: the built-in rules.
    let out = shipshape(&["rules", "test"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn rules_are_listed_and_explained() {
    let out = shipshape(&["rules"], None);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    for id in ["SEC001", "SEC004", "SEC016", "SUP002", "EFF001", "SYN001"] {
        assert!(stdout.contains(id), "{id} missing from\n{stdout}");
    }
    let out = shipshape(&["rules", "--format", "json"], None);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sec002 = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "SEC002")
        .unwrap();
    assert_eq!(sec002["aliases"]["hadolint"], serde_json::json!(["DL3002"]));
    assert_eq!(sec002["related"], serde_json::json!({}));
    let bp002 = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "BP002")
        .unwrap();
    assert_eq!(
        bp002["related"]["checkov"],
        serde_json::json!(["CKV_DOCKER_4"])
    );

    for key in ["SEC002", "final-user-is-root", "DL3002", "sec002"] {
        let out = shipshape(&["rules", "explain", key], None);
        assert_eq!(out.status.code(), Some(0), "{key}");
        let stdout = text(&out.stdout);
        assert!(
            stdout.starts_with("SEC002 (final-user-is-root)\n"),
            "{stdout}"
        );
        assert!(stdout.contains("CIS Docker Benchmark 4.1"), "{stdout}");
        assert!(stdout.contains("\nReported\n"), "{stdout}");
    }
    let out = shipshape(&["rules", "explain", "nope"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn usage_errors_exit_two() {
    let out = shipshape(&["lint", "--format", "yaml", "-"], Some(CLEAN));
    assert_eq!(out.status.code(), Some(2));
    let out = shipshape(&["frobnicate"], None);
    assert_eq!(out.status.code(), Some(2));
}
