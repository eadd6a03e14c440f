//! docs/settings-schema.json, the JSON Schema of `.shipshape.toml`, is
//! generated from the keys the settings reader knows; this test fails when
//! it is stale. To regenerate it:
//!
//!     SHIPSHAPE_BLESS=1 cargo test --test docs_settings
//!
//! Every settings example in the docs (each TOML block of README.md and
//! docs/*.md but the rule format reference) passes the schema and is read
//! without a problem.

mod common;

use common::{check_generated, repo, schema_problems};
use shipshape::config::{Config, settings_schema};
use std::path::PathBuf;

#[test]
fn settings_schema_is_current() {
    let rel = "docs/settings-schema.json";
    let current = std::fs::read_to_string(repo().join(rel)).unwrap_or_default();
    let generated =
        serde_json::to_string_pretty(&settings_schema()).expect("the schema serialises") + "\n";
    check_generated(rel, &current, &generated);
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft7::options()
        .build(&settings_schema())
        .expect("the schema compiles")
}

/// The ```toml blocks of a Markdown file, with their line numbers.
fn toml_blocks(markdown: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in markdown.lines().enumerate() {
        match &mut current {
            None if line.trim_start() == "```toml" => current = Some((n + 1, String::new())),
            Some(_) if line.trim_start().starts_with("```") => blocks.extend(current.take()),
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    blocks
}

fn settings_docs() -> Vec<PathBuf> {
    let mut docs = vec![repo().join("README.md")];
    let mut others: Vec<PathBuf> = std::fs::read_dir(repo().join("docs"))
        .expect("docs/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| !p.ends_with("rule-format.md"))
        .collect();
    others.sort();
    docs.extend(others);
    docs
}

#[test]
fn every_settings_example_in_the_docs_passes_the_schema_and_reads() {
    let validator = validator();
    let mut seen = 0;
    let mut failures = Vec::new();
    for doc in settings_docs() {
        let text = std::fs::read_to_string(&doc).expect("readable docs");
        let name = doc
            .strip_prefix(repo())
            .unwrap_or(&doc)
            .display()
            .to_string();
        for (line, block) in toml_blocks(&text) {
            seen += 1;
            for p in schema_problems(&validator, &block) {
                failures.push(format!("{name}:{line}: schema: {p}"));
            }
            match Config::parse(&block, repo().join(".shipshape.toml"), repo().to_path_buf()) {
                Ok(c) => failures.extend(
                    c.errors
                        .iter()
                        .map(|e| format!("{name}:{line}: settings: {}", e.message)),
                ),
                Err(errors) => failures.extend(
                    errors
                        .iter()
                        .map(|e| format!("{name}:{line}: settings: {}", e.message)),
                ),
            }
        }
    }
    assert!(seen >= 2, "only {seen} settings examples found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_schema_rejects_what_the_reader_rejects() {
    let validator = validator();
    for bad in [
        "fail_on = \"warning\"\n",
        "fail-on = \"loud\"\n",
        "select = \"SEC001\"\n",
        "[severity]\nSEC001 = \"fatal\"\n",
        "[options]\ntrusted-registry = [\"ghcr.io\"]\n",
        "report-unused-foreign-suppressions = \"yes\"\n",
    ] {
        assert!(
            !schema_problems(&validator, bad).is_empty(),
            "the schema accepts {bad:?}"
        );
        let read = Config::parse(bad, PathBuf::from(".shipshape.toml"), PathBuf::from("."));
        assert!(
            read.map_or(true, |c| !c.errors.is_empty()),
            "the reader accepts {bad:?}"
        );
    }
}

#[test]
fn every_key_is_described() {
    let schema = settings_schema();
    let keys = schema["properties"].as_object().expect("properties");
    assert!(keys.len() >= 9);
    for (key, value) in keys {
        assert!(
            value["description"].as_str().is_some_and(|d| d.len() > 10),
            "{key}"
        );
    }
    let options = keys["options"]["properties"].as_object().expect("options");
    for (key, value) in options {
        assert!(
            value["description"].as_str().is_some_and(|d| d.len() > 10),
            "{key}"
        );
    }
}
