//! The parts of the rule format reference that are generated from
//! shipshape's declarations of subjects and vocabularies: the subject
//! tables in docs/rule-format.md and the JSON Schema docs/rule-schema.json.
//! These tests fail when either is stale. To regenerate both:
//!
//!     SHIPSHAPE_BLESS=1 cargo test --test docs_rule_reference

use shipshape::rules::subjects_markdown;
use std::path::Path;

const BEGIN: &str = "<!-- begin subjects: generated from src/rules/subjects/ -->\n";
const END: &str = "<!-- end subjects -->";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn bless() -> bool {
    std::env::var_os("SHIPSHAPE_BLESS").is_some_and(|v| v == "1")
}

/// Compares `actual` with the file, or rewrites the file when blessing.
fn check(rel: &str, expected: &str, actual: &str) {
    if expected == actual {
        return;
    }
    if bless() {
        std::fs::write(repo().join(rel), actual).unwrap();
        return;
    }
    let line = expected
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()))
        + 1;
    panic!(
        "{rel} is stale (first difference on line {line}); regenerate it with\n    \
         SHIPSHAPE_BLESS=1 cargo test --test docs_rule_reference"
    );
}

#[test]
fn subject_tables_are_current() {
    let doc = std::fs::read_to_string(repo().join("docs/rule-format.md")).expect("the reference");
    let start = doc
        .find(BEGIN)
        .expect("docs/rule-format.md has the subjects' begin marker")
        + BEGIN.len();
    let end = start + doc[start..].find(END).expect("and their end marker");
    let updated = format!("{}{}{}", &doc[..start], subjects_markdown(), &doc[end..]);
    check("docs/rule-format.md", &doc, &updated);
}
