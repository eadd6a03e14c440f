//! `shipshape debug ast` and `debug tokens` through the built binary.

mod common;

use common::{Run, text};
use std::process::Output;

/// The built binary with `args`, with `stdin` written to its standard input.
fn shipshape(args: &[&str], stdin: Option<&[u8]>) -> Output {
    Run::new(args).stdin(stdin.unwrap_or_default()).output()
}

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/example/Dockerfile");

#[test]
fn ast_of_a_valid_file_exits_zero() {
    let out = shipshape(&["debug", "ast", EXAMPLE], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("FROM (lines 5-5)"), "{stdout}");
    assert!(stdout.contains("heredoc \"EOF\""), "{stdout}");
    assert!(out.stderr.is_empty());
}

#[test]
fn buildkit_format() {
    let out = shipshape(
        &["debug", "ast", "--format", "buildkit", "-"],
        Some(b"FROM alpine AS base\nCOPY --from=base a b\n"),
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "(from \"alpine\" \"AS\" \"base\")\n(copy [\"--from=base\"] \"a\" \"b\")\n"
    );
}

#[test]
fn json_format_has_spans() {
    let out = shipshape(
        &["debug", "ast", "--format", "json", "-"],
        Some(b"FROM alpine\n"),
    );
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let inst = &v["instructions"][0];
    assert_eq!(inst["kind"], "FROM");
    assert_eq!(inst["keyword"]["span"], serde_json::json!([0, 4]));
    assert_eq!(inst["args"]["form"], "list");
    assert_eq!(inst["args"]["value"][0]["text"], "alpine");
}

#[test]
fn syntax_errors_go_to_stderr_with_exit_one() {
    let out = shipshape(
        &["debug", "ast", "--color", "never", "-"],
        Some(b"FROM alpine\nFORM x\nRUN <<EOF\necho\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "error[syntax/unknown-instruction]: unknown instruction: FORM (did you mean FROM?)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("<stdin>:2:1"), "{stderr}");
    assert!(
        stderr.contains("error[syntax/unterminated-heredoc]"),
        "{stderr}"
    );
    // The tree is still printed.
    assert!(text(&out.stdout).contains("RUN"));
}

#[test]
fn syntax_errors_show_long_lines_cut_and_controls_visible() {
    let mut input = b"FROM alpine\nFO\x1b[2JRM x\n".to_vec();
    input.extend(b"RUN echo ");
    input.extend(std::iter::repeat_n(b'x', 1 << 20));
    input.extend(b"\n");
    let out = shipshape(&["debug", "ast", "--color", "never", "-"], Some(&input));
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
    assert!(stderr.contains("FO?[2JRM"), "{stderr}");
    // The 1 MiB line is over BuildKit's limit: shown cut, not whole.
    assert!(
        stderr.contains("line greater than max allowed size"),
        "{stderr}"
    );
    assert!(stderr.len() < 5_000, "{} bytes", stderr.len());
    assert!(stderr.contains("3 │ RUN echo xxxx"), "{stderr}");
}

#[test]
fn invalid_utf8_is_a_diagnostic_not_a_crash() {
    let out = shipshape(
        &["debug", "ast", "-"],
        Some(b"FROM alpine\nLABEL a=\"\xff\"\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("not valid UTF-8"));
    assert!(text(&out.stdout).contains("LABEL"));
}

#[test]
fn unreadable_file_exits_two() {
    let out = shipshape(&["debug", "ast", "/nonexistent/Dockerfile"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/nonexistent/Dockerfile: cannot read"));
}

#[test]
fn usage_errors_exit_two() {
    let out = shipshape(&["debug", "ast", "--format", "yaml", "-"], Some(b""));
    assert_eq!(out.status.code(), Some(2));
    let out = shipshape(&["frobnicate"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn tokens_cover_the_file() {
    let out = shipshape(
        &["debug", "tokens", "-"],
        Some(b"FROM a\r\nRUN b \\\r\n  c\r\n"),
    );
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("2:7 LineContinuation \"\\\\\""), "{stdout}");
    assert!(stdout.contains("Newline \"\\r\\n\""), "{stdout}");
}
