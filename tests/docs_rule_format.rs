//! `docs/rule-format.md` stays true: its TOML snippets are run through the
//! built binary.
//!
//! Which fenced blocks are checked, by their info string and content:
//! - ```` ```toml ```` holding `[[rule]]`: a complete rule file. It is written
//!   to a folder of its own and `shipshape rules test DIR` must exit 0: the
//!   file loads (with the built-in pack) and every rule has `bad` and `good`
//!   examples that pass.
//! - ```` ```toml ```` holding `[rule.…]` tables but no `[[rule]]`: a fragment
//!   of one rule. It is appended to a minimal rule header (and given a
//!   `[rule.match]` if it has none), and `shipshape rules --rules DIR` must
//!   load it.
//! - ```` ```toml ```` starting with `schema = 1` and no rule: a data file; it
//!   must load the same way.
//! - Any other ```` ```toml ```` block fails this test. A block that is not
//!   meant to be checked is fenced as ```` ```toml fragment ````,
//!   ```` ```text ```` or anything but plain `toml`.

use std::path::Path;
use std::process::{Command, Output};

/// A ```` ```toml ```` block and the doc line its fence opens on.
struct Snippet {
    line: usize,
    text: String,
}

/// Fenced code blocks whose info string is exactly `toml`.
fn toml_blocks(markdown: &str) -> Vec<Snippet> {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize, bool, String)> = None;
    for (i, line) in markdown.lines().enumerate() {
        let fence = line.trim_start();
        let ticks = fence.bytes().take_while(|&b| b == b'`').count();
        match &mut open {
            None if ticks >= 3 => {
                let info = fence[ticks..].trim();
                open = Some((i + 1, ticks, info == "toml", String::new()));
            }
            None => {}
            Some((start, width, is_toml, text)) => {
                if ticks >= *width && fence[ticks..].trim().is_empty() {
                    if *is_toml {
                        out.push(Snippet {
                            line: *start,
                            text: std::mem::take(text),
                        });
                    }
                    open = None;
                } else {
                    text.push_str(line);
                    text.push('\n');
                }
            }
        }
    }
    assert!(open.is_none(), "docs/rule-format.md has an unclosed fence");
    out
}

const FRAGMENT_HEAD: &str = r#"schema = 1

[[rule]]
id = "DOC999"
name = "doc-fragment"
category = "style"
severity = "info"
summary = "A fragment of docs/rule-format.md"
message = "fragment"
"#;

fn has_table(text: &str, header: &str) -> bool {
    text.lines().any(|l| l.trim_start().starts_with(header))
}

fn shipshape(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shipshape"))
        .arg("--color=never")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn describe(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn every_toml_snippet_in_the_rule_format_doc_works() {
    let doc_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rule-format.md");
    let doc = std::fs::read_to_string(&doc_path).expect("docs/rule-format.md is readable");
    let snippets = toml_blocks(&doc);

    let mut failures = Vec::new();
    let (mut files, mut fragments, mut data) = (0, 0, 0);
    for s in &snippets {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let dir_arg = dir.path().to_str().expect("a UTF-8 temporary path");
        let (text, out) = if has_table(&s.text, "[[rule]]") {
            files += 1;
            let text = s.text.clone();
            std::fs::write(dir.path().join("rules.toml"), &text).unwrap();
            (text, shipshape(&["rules", "test", dir_arg]))
        } else if has_table(&s.text, "[rule.") {
            fragments += 1;
            let mut text = format!("{FRAGMENT_HEAD}\n{}", s.text);
            if !has_table(&s.text, "[rule.match]") {
                text.push_str("\n[rule.match]\non = \"file\"\n");
            }
            std::fs::write(dir.path().join("rules.toml"), &text).unwrap();
            (text, shipshape(&["rules", "--rules", dir_arg]))
        } else if s.text.trim_start().starts_with("schema = 1") {
            data += 1;
            let text = s.text.clone();
            std::fs::write(dir.path().join("data.toml"), &text).unwrap();
            (text, shipshape(&["rules", "--rules", dir_arg]))
        } else {
            failures.push(format!(
                "docs/rule-format.md:{}: a ```toml block that is neither a rule file, a rule \
                 fragment nor a data file; fence it as ```toml fragment if it is not meant to \
                 be checked",
                s.line
            ));
            continue;
        };
        if out.status.code() != Some(0) {
            failures.push(format!(
                "docs/rule-format.md:{}: the snippet does not work\n--- checked as:\n{text}--- {}",
                s.line,
                describe(&out)
            ));
        }
    }

    eprintln!(
        "checked {} snippets: {files} rule files, {fragments} fragments, {data} data files",
        snippets.len()
    );
    assert!(
        files >= 3,
        "expected complete rule files in docs/rule-format.md, found {files}"
    );
    assert!(
        failures.is_empty(),
        "{} of {} snippets failed ({files} rule files, {fragments} fragments, {data} data \
         files):\n\n{}",
        failures.len(),
        snippets.len(),
        failures.join("\n\n")
    );
}
