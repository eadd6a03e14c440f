//! `shipshape lint --fix`, `--unsafe-fixes`, `--diff` and `--show-fixes`
//! through the built binary, with the built-in rules' fixes and the test
//! rules in fixtures/fix-rules (an unsafe fix, a display-only one, and one
//! whose fix would swallow the next instruction).

mod common;

use common::{Run, text};
use std::path::Path;
use std::process::Output;

/// The built binary with `args` in `dir`, with `stdin` written to its
/// standard input and `NO_COLOR=1`.
fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    Run::new(args)
        .dir(dir)
        .env("NO_COLOR", "1")
        .stdin(stdin.unwrap_or_default())
        .output()
}

fn rules_dir() -> String {
    format!("{}/fixtures/fix-rules", env!("CARGO_MANIFEST_DIR"))
}

/// A folder holding one Dockerfile with `content`.
fn project(content: &str) -> tempfile::TempDir {
    common::tree(&[("Dockerfile", content)])
}

fn dockerfile(dir: &tempfile::TempDir) -> String {
    std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap()
}

const FIXABLE: &str = "FROM alpine:3.20 as build\nMAINTAINER Jane \"JD\" Doe\n# shipshape: ignore=SEC014\nRUN echo hello\nFROM build\nUSER app\n";
const SAFELY_FIXED: &str = "FROM alpine:3.20 AS build\nLABEL org.opencontainers.image.authors=\"Jane \\\"JD\\\" Doe\"\nRUN echo hello\nFROM build\nUSER app\n";

#[test]
fn fix_applies_safe_fixes_and_reports_what_remains() {
    let dir = project(FIXABLE);
    let out = run_in(
        dir.path(),
        &[
            "lint",
            "--isolated",
            "--rules",
            &rules_dir(),
            "--fix",
            "--format",
            "gnu",
        ],
        None,
    );
    assert_eq!(dockerfile(&dir), SAFELY_FIXED);
    // The unsafe fix is not applied; its finding remains and fails the run.
    let stdout = text(&out.stdout);
    assert_eq!(
        stdout,
        "Dockerfile:3:5: warning: `hello` is not in upper case [TFIX001]\n",
        "stderr: {}",
        text(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("Fixed 3 findings in 1 file."));
}

#[test]
fn unsafe_fixes_apply_with_fix_and_leave_a_clean_file() {
    let dir = project(FIXABLE);
    let out = run_in(
        dir.path(),
        &[
            "lint",
            "--isolated",
            "--rules",
            &rules_dir(),
            "--fix",
            "--unsafe-fixes",
        ],
        None,
    );
    assert_eq!(dockerfile(&dir), SAFELY_FIXED.replace("hello", "HELLO"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("No problems found in 1 file."));
    // Unsafe fixes alone do nothing.
    let dir = project(FIXABLE);
    let out = run_in(
        dir.path(),
        &[
            "lint",
            "--isolated",
            "--rules",
            &rules_dir(),
            "--unsafe-fixes",
        ],
        None,
    );
    assert_eq!(dockerfile(&dir), FIXABLE);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn diff_prints_the_changes_and_writes_nothing() {
    let dir = project(FIXABLE);
    let out = run_in(dir.path(), &["lint", "--isolated", "--diff"], None);
    assert_eq!(dockerfile(&dir), FIXABLE, "--diff writes nothing");
    assert_eq!(out.status.code(), Some(1), "something would change");
    assert_eq!(
        text(&out.stdout),
        "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,6 +1,5 @@\n-FROM alpine:3.20 as build\n-MAINTAINER Jane \"JD\" Doe\n-# shipshape: ignore=SEC014\n+FROM alpine:3.20 AS build\n+LABEL org.opencontainers.image.authors=\"Jane \\\"JD\\\" Doe\"\n RUN echo hello\n FROM build\n USER app\n"
    );
    assert!(text(&out.stderr).contains("Would fix 3 findings in 1 file."));
    // Nothing to change: exit 0, no diff, though findings remain.
    let dir = project("FROM busybox\nUSER app\n");
    let out = run_in(
        dir.path(),
        &["lint", "--isolated", "--rules", &rules_dir(), "--diff"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn display_only_fixes_are_shown_never_applied() {
    let dir = project("FROM busybox\nUSER app\n");
    let out = run_in(
        dir.path(),
        &[
            "lint",
            "--isolated",
            "--rules",
            &rules_dir(),
            "--fix",
            "--unsafe-fixes",
        ],
        None,
    );
    assert_eq!(dockerfile(&dir), "FROM busybox\nUSER app\n");
    assert!(
        text(&out.stdout).contains("= suggestion: Pin a tag"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn stdin_fix_prints_the_fixed_text_and_findings_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(
        dir.path(),
        &[
            "lint",
            "--isolated",
            "--rules",
            &rules_dir(),
            "--fix",
            "--format",
            "gnu",
            "-",
        ],
        Some(FIXABLE.as_bytes()),
    );
    assert_eq!(text(&out.stdout), SAFELY_FIXED);
    assert!(
        text(&out.stderr).contains("<stdin>:3:5: warning: `hello` is not in upper case [TFIX001]"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn show_fixes_lists_what_was_fixed_per_rule() {
    let dir = project(FIXABLE);
    let out = run_in(
        dir.path(),
        &["lint", "--isolated", "--fix", "--show-fixes", "--quiet"],
        None,
    );
    let stderr = text(&out.stderr);
    assert!(stderr.contains("Fixed in Dockerfile:\n"), "{stderr}");
    for line in [
        "  1 × BP001: Replace `MAINTAINER` with an `org.opencontainers.image.authors` label",
        "  1 × IGN001: Remove the unused suppression",
        "  1 × STY001: Write `as` in the case of `FROM`",
    ] {
        assert!(stderr.contains(line), "{line} in {stderr}");
    }
    assert!(
        !stderr.contains("Fixed 3 findings"),
        "--quiet drops the count"
    );
}

#[test]
fn a_fix_that_would_change_another_instruction_is_rolled_back_and_reported() {
    let original = "FROM alpine:3.20\nRUN join-me\nUSER app\n";
    let dir = project(original);
    let out = run_in(
        dir.path(),
        &[
            "lint",
            "--isolated",
            "--rules",
            &rules_dir(),
            "--fix",
            "--format",
            "gnu",
        ],
        None,
    );
    assert_eq!(dockerfile(&dir), original);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("warning: Dockerfile:2: fix not applied: Continue the line [TFIX002]: it would change how BuildKit reads the `USER` on line 3, which it does not target"),
        "{stderr}"
    );
    assert!(
        text(&out.stdout).contains("[TFIX002]"),
        "the finding remains"
    );
}

#[test]
fn json_and_sarif_carry_fixes() {
    let dir = project("FROM alpine:3.20 as build\nUSER app\n");
    let out = run_in(
        dir.path(),
        &["lint", "--isolated", "--format", "json"],
        None,
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fix = &doc["diagnostics"][0]["fix"];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(fix["edits"][0]["text"], "AS");
    assert_eq!(fix["edits"][0]["start"]["offset"], 17);
    assert_eq!(fix["edits"][0]["end"]["column"], 20);
    let out = run_in(
        dir.path(),
        &["lint", "--isolated", "--format", "sarif"],
        None,
    );
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fix = &log["runs"][0]["results"][0]["fixes"][0];
    assert_eq!(fix["properties"]["applicability"], "safe");
    let change = &fix["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "Dockerfile");
    assert_eq!(change["replacements"][0]["insertedContent"]["text"], "AS");
    assert_eq!(
        change["replacements"][0]["deletedRegion"]["startColumn"],
        18
    );
}

#[cfg(unix)]
#[test]
fn fixed_files_keep_their_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project(FIXABLE);
    let path = dir.path().join("Dockerfile");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    run_in(dir.path(), &["lint", "--isolated", "--fix"], None);
    assert_eq!(dockerfile(&dir), SAFELY_FIXED);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn a_file_that_is_not_utf8_is_never_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = b"FROM alpine:3.20 as build\nLABEL x=\"\xff\"\nUSER app\n";
    std::fs::write(dir.path().join("Dockerfile"), bytes).unwrap();
    let out = run_in(dir.path(), &["lint", "--isolated", "--fix"], None);
    assert_eq!(std::fs::read(dir.path().join("Dockerfile")).unwrap(), bytes);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the invalid byte is an error finding"
    );
}
