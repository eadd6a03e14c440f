//! The parts of the rule format reference that are generated from
//! shipshape's declarations of subjects and vocabularies: the subject
//! tables in docs/rule-format.md and the JSON Schema docs/rule-schema.json.
//! These tests fail when either is stale. To regenerate both:
//!
//!     SHIPSHAPE_BLESS=1 cargo test --test docs_rule_reference

mod common;

use common::{check_generated, repo, schema_problems};
use shipshape::rules::{rule_schema, subjects_markdown};
use std::path::{Path, PathBuf};

const BEGIN: &str = "<!-- begin subjects: generated from src/rules/subjects/ -->\n";
const END: &str = "<!-- end subjects -->";

#[test]
fn subject_tables_are_current() {
    let doc = std::fs::read_to_string(repo().join("docs/rule-format.md")).expect("the reference");
    let start = doc
        .find(BEGIN)
        .expect("docs/rule-format.md has the subjects' begin marker")
        + BEGIN.len();
    let end = start + doc[start..].find(END).expect("and their end marker");
    let updated = format!("{}{}{}", &doc[..start], subjects_markdown(), &doc[end..]);
    check_generated("docs/rule-format.md", &doc, &updated);
}

#[test]
fn rule_schema_is_current() {
    let current = std::fs::read_to_string(repo().join("docs/rule-schema.json")).unwrap_or_default();
    let generated =
        serde_json::to_string_pretty(&rule_schema()).expect("the schema serialises") + "\n";
    check_generated("docs/rule-schema.json", &current, &generated);
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&rule_schema())
        .expect("the schema compiles")
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            toml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

/// The ```toml blocks of the format reference that are whole files.
fn doc_files() -> Vec<String> {
    let doc = std::fs::read_to_string(repo().join("docs/rule-format.md")).expect("the reference");
    let mut out = Vec::new();
    let mut block: Option<String> = None;
    for line in doc.lines() {
        match (&mut block, line) {
            (None, "```toml") => block = Some(String::new()),
            (Some(text), "```") => {
                if text.starts_with("schema = 1") {
                    out.push(text.clone());
                }
                block = None;
            }
            (Some(text), _) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, _) => {}
        }
    }
    out
}

#[test]
fn every_valid_rule_file_validates_against_the_schema() {
    let validator = validator();
    let mut files = Vec::new();
    toml_files(&repo().join("rules"), &mut files);
    // Rule files that load: the team example, and one whose examples fail
    // (which is no concern of the schema's).
    toml_files(&repo().join("fixtures/rules/team"), &mut files);
    toml_files(&repo().join("fixtures/rules/failing"), &mut files);
    assert!(files.len() >= 10, "{files:?}");
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable");
        for p in schema_problems(&validator, &text) {
            failures.push(format!("{}: {p}", path.display()));
        }
    }
    let snippets = doc_files();
    assert!(
        snippets.len() >= 5,
        "{} whole files in the reference",
        snippets.len()
    );
    for (i, text) in snippets.iter().enumerate() {
        for p in schema_problems(&validator, text) {
            failures.push(format!("docs/rule-format.md, whole file {}: {p}", i + 1));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_schema_rejects_what_loading_rejects() {
    let validator = validator();
    let rule = |match_: &str| {
        format!(
            "schema = 1\n\n[[rule]]\nid = \"TEAM001\"\nname = \"a-rule\"\ncategory = \"style\"\n\
             severity = \"info\"\nsummary = \"A rule\"\nmessage = \"m\"\n\n[rule.match]\n{match_}\n"
        )
    };
    assert_eq!(
        schema_problems(
            &validator,
            &rule("on = \"command\"\nwhere = { name = [\"curl\"] }")
        ),
        Vec::<String>::new()
    );
    for bad in [
        // A field of another subject.
        "on = \"command\"\nwhere = { keyword = [\"RUN\"] }",
        // A typo in a key, a subject, a role.
        "on = \"command\"\nreprot = \"name\"",
        "on = \"comand\"",
        "on = \"command\"\nreport = \"keyword\"",
        // A filter for another subject.
        "on = \"file\"\ninstruction = [\"RUN\"]",
        // A relation on the wrong subject; a wrong predicate inside one.
        "on = \"command\"\nwhere = { has = { keyword = [\"RUN\"] } }",
        "on = \"file\"\nwhere = { has = { name = [\"curl\"] } }",
        // A word outside its vocabulary.
        "on = \"image\"\nwhere = { tag_is = [\"newest\"] }",
        "on = \"pair\"\nwhere = { analyze = { detector = \"entropy\", min_bits = 3.0 } }",
        "on = \"pair\"\nwhere = { value = { literal = \"secrets\" } }",
    ] {
        assert!(
            !schema_problems(&validator, &rule(bad)).is_empty(),
            "the schema accepts:\n{bad}"
        );
    }
}
