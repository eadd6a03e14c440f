//! docs/rules.md and the rule table in README.md are generated from the
//! rule files; these tests fail when either is stale. To regenerate both:
//!
//!     SHIPSHAPE_BLESS=1 cargo test --test docs_rules

mod common;

use common::{check_generated, repo};
use shipshape::cli::table_markdown;
use shipshape::rules::RuleSet;
use std::process::Command;

const BEGIN: &str = "<!-- begin rules table: generated from the rule files -->\n";
const END: &str = "<!-- end rules table -->";

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
    check_generated("docs/rules.md", &current, &generated);
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
    check_generated("README.md", &readme, &updated);
}
