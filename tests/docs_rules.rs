//! docs/rules.md and the rule table in README.md are generated from the
//! rule files; these tests fail when either is stale. To regenerate both:
//!
//!     SHIPSHAPE_BLESS=1 cargo test --test docs_rules

use shipshape::cli::table_markdown;
use shipshape::rules::RuleSet;
use std::path::Path;
use std::process::Command;

const BEGIN: &str = "<!-- begin rules table: generated from the rule files -->\n";
const END: &str = "<!-- end rules table -->";

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
         SHIPSHAPE_BLESS=1 cargo test --test docs_rules"
    );
}

#[test]
fn rules_reference_is_current() {
    let out = Command::new(env!("CARGO_BIN_EXE_shipshape"))
        .args(["rules", "--format", "markdown"])
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(0));
    let generated = String::from_utf8(out.stdout).expect("UTF-8");
    let rules = RuleSet::builtin().unwrap_or_else(|_| panic!("the built-in rules load"));
    for rule in &rules.rules {
        let anchor = format!("<a id=\"{}\"></a>", rule.meta.id.to_ascii_lowercase());
        assert!(generated.contains(&anchor), "{anchor}");
    }
    let current = std::fs::read_to_string(repo().join("docs/rules.md")).unwrap_or_default();
    check("docs/rules.md", &current, &generated);
}

#[test]
fn readme_rule_table_is_current() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let start = readme
        .find(BEGIN)
        .expect("README has the rules table's begin marker")
        + BEGIN.len();
    let end = start + readme[start..].find(END).expect("and its end marker");
    let rules = RuleSet::builtin().unwrap_or_else(|_| panic!("the built-in rules load"));
    let table = table_markdown(rules);
    let updated = format!("{}{}{}", &readme[..start], table, &readme[end..]);
    check("README.md", &readme, &updated);
}
