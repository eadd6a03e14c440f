//! The keys of `.shipshape.toml`, declared once: the settings reader
//! matches on them (exhaustively, so a new key can't be read without being
//! declared), "did you mean" suggests from them, and
//! `docs/settings-schema.json` (a JSON Schema, draft-07, which taplo and
//! Even Better TOML read) is written from them, with each key's doc
//! comment as its description.

use crate::diagnostic::Severity;
use crate::rules::vocab::{Vocab, vocab};
use serde_json::{Map, Value, json};

vocab! {
    /// A top-level key of `.shipshape.toml`.
    pub enum SettingsKey: "settings key" {
        /// Only run these rules: ids, id prefixes (`SEC`), names, categories or aliases (`DL3002`). Default: every rule.
        Select = "select",
        /// Don't run these rules (the same selectors as `select`).
        Ignore = "ignore",
        /// The lowest severity that makes the exit code 1: `error`, `warning`, `info`, `style` (the default: any finding fails) or `none`.
        FailOn = "fail-on",
        /// Folders of rule files (`*.toml`) to add to the built-in rules, relative to this file.
        Rules = "rules",
        /// Severity overrides by selector (`security = "error"`); narrower selectors win.
        Severity = "severity",
        /// Rules not to run on paths matching a glob (relative to this file): `"legacy/**" = ["SEC001"]`.
        PerPathIgnores = "per-path-ignores",
        /// Values rules consult.
        Options = "options",
        /// Globs of paths not to lint, relative to this file; one without a `/` also matches any file or folder name.
        Exclude = "exclude",
        /// Also report unused codes in `# hadolint ignore=` and `# check=skip=` pragmas (by default only shipshape's own suppressions are judged).
        ReportUnusedForeignSuppressions = "report-unused-foreign-suppressions",
    }
}

vocab! {
    /// A key of the `[options]` table.
    pub enum OptionKey: "option" {
        /// Registries (and registry/namespace prefixes) base images may come from (SUP003); empty means any.
        TrustedRegistries = "trusted-registries",
        /// Users the final stage may run as (SEC018), names or UIDs; empty means any non-root user.
        AllowedUsers = "allowed-users",
        /// More words that make an ENV, ARG or LABEL key secret-like.
        SecretKeyNames = "secret-key-names",
        /// Values never reported as secrets (test fixtures, public defaults).
        AllowedSecretValues = "allowed-secret-values",
    }
}

/// The values of `fail-on`.
pub const FAIL_ON_VALUES: [&str; 5] = ["error", "warning", "info", "style", "none"];

/// The JSON Schema for `.shipshape.toml`.
pub fn settings_schema() -> Value {
    let mut properties = Map::new();
    for &key in SettingsKey::ALL {
        let mut schema = value_schema(key);
        if let Value::Object(map) = &mut schema {
            map.insert("description".into(), Value::String(key.doc()));
        }
        properties.insert(key.as_str().into(), schema);
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://raw.githubusercontent.com/shipshape-lint/shipshape/main/docs/settings-schema.json",
        "title": "shipshape settings (.shipshape.toml)",
        "description": "Settings for shipshape, the Dockerfile linter: which rules run, how severe they are, and the values they consult. Every key is optional.",
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
    })
}

fn strings(what: &str) -> Value {
    json!({ "type": "array", "items": { "type": "string", "description": what } })
}

fn severities() -> Value {
    json!({ "enum": Severity::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>() })
}

fn value_schema(key: SettingsKey) -> Value {
    match key {
        SettingsKey::Select | SettingsKey::Ignore => {
            strings("A rule id, id prefix, name, category or alias.")
        }
        SettingsKey::FailOn => json!({ "enum": FAIL_ON_VALUES }),
        SettingsKey::Rules => strings("A folder of rule files."),
        SettingsKey::Severity => json!({
            "type": "object",
            "additionalProperties": severities(),
        }),
        SettingsKey::PerPathIgnores => json!({
            "type": "object",
            "additionalProperties": strings("A rule id, id prefix, name, category or alias."),
        }),
        SettingsKey::Exclude => strings("A glob of paths not to lint."),
        SettingsKey::ReportUnusedForeignSuppressions => json!({ "type": "boolean" }),
        SettingsKey::Options => {
            let mut properties = Map::new();
            for &key in OptionKey::ALL {
                let mut schema = strings(match key {
                    OptionKey::TrustedRegistries => "A registry, or a registry/namespace prefix.",
                    OptionKey::AllowedUsers => "A user name or UID.",
                    OptionKey::SecretKeyNames => "A word.",
                    OptionKey::AllowedSecretValues => "A value.",
                });
                if let Value::Object(map) = &mut schema {
                    map.insert("description".into(), Value::String(key.doc()));
                }
                properties.insert(key.as_str().into(), schema);
            }
            json!({
                "type": "object",
                "additionalProperties": false,
                "properties": properties,
            })
        }
    }
}
