//! `docs/rule-schema.json`: a JSON Schema (draft-07, which taplo and so
//! Even Better TOML read) for rule files, written from the same
//! declarations loading reads: the keys of each table, the subjects with
//! their fields, booleans, leaves and roles, and every vocabulary. Editors
//! use it for completion, hover docs and checks as you type; loading stays
//! the authority (it also checks regexes, placeholders and nesting).
//!
//! Every match on a key vocabulary here is exhaustive, so a new key can't
//! be added to the format without a schema for it.

use super::native::NATIVE;
use super::subjects::{Compose, Leaf, SubjectKind};
use super::types::{EditOp, RelationKind};
use super::vocab::{
    AliasNamespace, AnalyzeKey, Category, CommandKey, Confidence, Detector, EditKey, Engine,
    ExampleKey, FixKey, FlagValueKey, Form, KeyNamesKey, LookupKey, MatchKey, PatternKey,
    PlaceholdersKey, Position, RefKind, RuleKey, Scripts, StageFilter, Status, TagState,
    TextSource, TextTestKey, TopKey, UtilKey, ValueKind, Vocab, Words,
};
use crate::detect::{Charset, Checksum, Literal, NameSplit};
use crate::diagnostic::{Applicability, Severity};
use crate::syntax::InstructionKind;
use serde_json::{Map, Value, json};

/// The JSON Schema for rule files.
pub fn rule_schema() -> Value {
    let mut definitions = Map::new();
    definitions.insert("strings".into(), strings());
    definitions.insert("text-test".into(), text_test());
    definitions.insert("instruction".into(), instruction_keyword());
    definitions.insert("rule".into(), rule());
    definitions.insert("example".into(), example());
    definitions.insert("fix".into(), fix());
    definitions.insert("edit".into(), edit(EditKey::ALL));
    definitions.insert("pattern".into(), pattern());
    definitions.insert("command".into(), command_table());
    let mut matches = Vec::new();
    let mut utils = Vec::new();
    for &kind in SubjectKind::ALL {
        definitions.insert(format!("match-{kind}"), match_table(kind));
        definitions.insert(format!("where-{kind}"), where_table(kind));
        matches.push(reference(&format!("match-{kind}")));
        utils.push(util(kind));
    }
    definitions.insert(
        "match".into(),
        json!({
            "description": "`[rule.match]`: the subject (`on`), filters, the reported span and the predicate.",
            "type": "object",
            "required": ["on"],
            "oneOf": matches,
        }),
    );
    definitions.insert(
        "util".into(),
        json!({
            "description": "A named predicate, used with `matches = \"NAME\"`.",
            "type": "object",
            "required": ["on", "where"],
            "oneOf": utils,
        }),
    );

    let mut properties = Map::new();
    for &key in TopKey::ALL {
        properties.insert(key.as_str().into(), described(top_key(key), key.doc()));
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "shipshape rule file",
        "description": "Rules and data for shipshape, the Dockerfile linter. Generated from shipshape's declarations; see docs/rule-format.md.",
        "type": "object",
        "required": ["schema"],
        "additionalProperties": false,
        "properties": properties,
        "definitions": definitions,
    })
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/definitions/{name}") })
}

/// `schema` with `description` added (a `$ref` is wrapped, since taplo
/// ignores the keys beside one).
fn described(mut schema: Value, doc: String) -> Value {
    if schema.get("$ref").is_some() {
        schema = json!({ "allOf": [schema] });
    }
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("description".into(), Value::String(doc));
    }
    schema
}

/// The words of a vocabulary, each with its doc for completion.
fn words<T: Vocab>() -> Value {
    let docs: Vec<String> = T::ALL.iter().map(|v| v.doc()).collect();
    json!({
        "type": "string",
        "enum": T::names(),
        "x-taplo": { "docs": { "enumValues": docs } },
    })
}

/// One word of a vocabulary, or an array of them.
fn some_words<T: Vocab>() -> Value {
    json!({ "anyOf": [words::<T>(), { "type": "array", "items": words::<T>() }] })
}

/// An object with these properties and no others.
fn closed(properties: Map<String, Value>, required: &[&str]) -> Value {
    let mut schema = json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    if !required.is_empty()
        && let Some(obj) = schema.as_object_mut()
    {
        obj.insert("required".into(), json!(required));
    }
    schema
}

fn strings() -> Value {
    json!({
        "description": "A string or an array of strings.",
        "anyOf": [
            { "type": "string" },
            { "type": "array", "items": { "type": "string" } },
        ],
    })
}

fn text_test() -> Value {
    let mut properties = Map::new();
    for &key in TextTestKey::ALL {
        let schema = match key {
            TextTestKey::Regex | TextTestKey::Equals => json!({ "type": "string" }),
            TextTestKey::In => json!({ "type": "array", "items": { "type": "string" } }),
            TextTestKey::Icase => json!({ "type": "boolean" }),
            TextTestKey::Literal => some_words::<Literal>(),
        };
        properties.insert(key.as_str().into(), described(schema, key.doc()));
    }
    json!({
        "description": "A text test: a regex, an array of exact values, or a table of tests that must all hold.",
        "anyOf": [
            { "type": "string", "description": "A regex that matches somewhere in the text." },
            { "type": "array", "items": { "type": "string" }, "description": "The text equals one of these." },
            closed(properties, &[]),
        ],
    })
}

fn top_key(key: TopKey) -> Value {
    match key {
        TopKey::Schema => json!({ "const": 1 }),
        TopKey::Rule => json!({ "type": "array", "items": reference("rule") }),
        TopKey::Utils => json!({
            "type": "object",
            "propertyNames": { "pattern": "^[a-z][a-z0-9_-]*$" },
            "additionalProperties": reference("util"),
        }),
        TopKey::Tables => json!({
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": {
                    "anyOf": [
                        { "type": "string" },
                        { "type": "object", "additionalProperties": { "type": "string" } },
                    ],
                },
            },
        }),
        TopKey::Pattern => json!({ "type": "array", "items": reference("pattern") }),
        TopKey::Command => json!({ "type": "array", "items": reference("command") }),
        TopKey::KeyNames => {
            let mut properties = Map::new();
            for &key in KeyNamesKey::ALL {
                let schema = match key {
                    KeyNamesKey::Deny
                    | KeyNamesKey::Allow
                    | KeyNamesKey::Qualifiers
                    | KeyNamesKey::Weak => reference("strings"),
                };
                properties.insert(key.as_str().into(), described(schema, key.doc()));
            }
            closed(properties, &[])
        }
        TopKey::Placeholders => {
            let mut properties = Map::new();
            for &key in PlaceholdersKey::ALL {
                let schema = match key {
                    PlaceholdersKey::Values
                    | PlaceholdersKey::Contains
                    | PlaceholdersKey::Public
                    | PlaceholdersKey::Documented => reference("strings"),
                };
                properties.insert(key.as_str().into(), described(schema, key.doc()));
            }
            closed(properties, &[])
        }
    }
}

fn pattern() -> Value {
    let mut properties = Map::new();
    for &key in PatternKey::ALL {
        let schema = match key {
            PatternKey::Id | PatternKey::Family | PatternKey::Regex => json!({ "type": "string" }),
            PatternKey::Keywords
            | PatternKey::Allow
            | PatternKey::Context
            | PatternKey::Bad
            | PatternKey::Good => reference("strings"),
            PatternKey::Checksum => words::<Checksum>(),
            PatternKey::MinEntropy => json!({ "type": "number" }),
        };
        properties.insert(key.as_str().into(), described(schema, key.doc()));
    }
    let mut schema = closed(properties, &["id", "family", "regex"]);
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "description".into(),
            "A credential shape for the `secret-value` analyzer.".into(),
        );
    }
    schema
}

fn command_table() -> Value {
    let mut properties = Map::new();
    for &key in CommandKey::ALL {
        let schema = match key {
            CommandKey::Names
            | CommandKey::Subcommands
            | CommandKey::GlobalValueFlags
            | CommandKey::ValueFlags
            | CommandKey::Flags => reference("strings"),
        };
        properties.insert(key.as_str().into(), described(schema, key.doc()));
    }
    let mut schema = closed(properties, &["names", "subcommands"]);
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "description".into(),
            "A command's flag table: which flags of its subcommands take a value.".into(),
        );
    }
    schema
}

/// Keys of a table of string lists whose keys are a vocabulary.
fn lists_by<T: Vocab>() -> Value {
    let mut properties = Map::new();
    for v in T::ALL {
        properties.insert(v.as_str().into(), described(reference("strings"), v.doc()));
    }
    closed(properties, &[])
}

fn rule() -> Value {
    let mut properties = Map::new();
    for &key in RuleKey::ALL {
        let schema = match key {
            RuleKey::Id => json!({ "type": "string", "pattern": "^[A-Z]{2,}[0-9]{3}$" }),
            RuleKey::Name => {
                json!({ "type": "string", "pattern": "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$" })
            }
            RuleKey::Category => words::<Category>(),
            RuleKey::Severity => words::<Severity>(),
            RuleKey::Summary => {
                json!({ "type": "string", "maxLength": 80, "pattern": "(^|[^.])$" })
            }
            RuleKey::Message | RuleKey::Hint | RuleKey::Help | RuleKey::Since => {
                json!({ "type": "string" })
            }
            RuleKey::Status => words::<Status>(),
            RuleKey::Tags => reference("strings"),
            RuleKey::Confidence => words::<Confidence>(),
            RuleKey::Refs => lists_by::<RefKind>(),
            RuleKey::Aliases | RuleKey::Related => lists_by::<AliasNamespace>(),
            RuleKey::Metadata => json!({ "type": "object" }),
            RuleKey::Match => reference("match"),
            RuleKey::Engine => words::<Engine>(),
            RuleKey::Native => {
                let names: Vec<&str> = NATIVE.iter().map(|n| n.name).collect();
                json!({ "type": "string", "enum": names })
            }
            RuleKey::Fix => reference("fix"),
            RuleKey::Examples => json!({ "type": "array", "items": reference("example") }),
        };
        properties.insert(key.as_str().into(), described(schema, key.doc()));
    }
    closed(
        properties,
        &["id", "name", "category", "severity", "summary", "message"],
    )
}

fn example() -> Value {
    let mut properties = Map::new();
    for &key in ExampleKey::ALL {
        let schema = match key {
            ExampleKey::Bad | ExampleKey::Good | ExampleKey::Fixed | ExampleKey::Note => {
                json!({ "type": "string" })
            }
            ExampleKey::Lines => {
                json!({ "type": "array", "items": { "type": "integer", "minimum": 1 } })
            }
            ExampleKey::Tables => json!({
                "type": "object",
                "additionalProperties": { "type": "array", "items": { "type": "string" } },
            }),
        };
        properties.insert(key.as_str().into(), described(schema, key.doc()));
    }
    let mut schema = closed(properties, &[]);
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "oneOf".into(),
            json!([{ "required": ["bad"] }, { "required": ["good"] }]),
        );
    }
    schema
}

fn fix() -> Value {
    let mut properties = Map::new();
    for &key in FixKey::ALL {
        let schema = match key {
            FixKey::Title => json!({ "type": "string" }),
            FixKey::Applicability => words::<Applicability>(),
            FixKey::Edits => json!({ "type": "array", "minItems": 1, "items": reference("edit") }),
            FixKey::Op => edit_key(EditKey::Op),
            FixKey::At => edit_key(EditKey::At),
            FixKey::Text => edit_key(EditKey::Text),
        };
        properties.insert(key.as_str().into(), described(schema, key.doc()));
    }
    let mut schema = closed(properties, &["title", "applicability"]);
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "description".into(),
            "`[rule.fix]`: how each finding is mended: `edits`, or one edit's `op`, `at` and `text` in the table itself.".into(),
        );
        obj.insert(
            "oneOf".into(),
            json!([{ "required": ["edits"] }, { "required": ["op"] }]),
        );
    }
    schema
}

fn edit(keys: &[EditKey]) -> Value {
    let mut properties = Map::new();
    for &key in keys {
        properties.insert(key.as_str().into(), described(edit_key(key), key.doc()));
    }
    closed(properties, &["op"])
}

fn edit_key(key: EditKey) -> Value {
    match key {
        EditKey::Op => words::<EditOp>(),
        EditKey::At => {
            let mut roles: Vec<&str> = SubjectKind::ALL
                .iter()
                .flat_map(|k| k.roles())
                .map(|r| r.name())
                .collect();
            roles.sort_unstable();
            roles.dedup();
            json!({
                "type": "string",
                "anyOf": [{ "enum": roles }, { "pattern": "^\\{[^{}|]+\\}$" }],
            })
        }
        EditKey::Text => json!({ "type": "string" }),
    }
}

/// Instruction keywords in any case, completed in upper case.
fn instruction_keyword() -> Value {
    let upper: Vec<&str> = InstructionKind::ALL.iter().map(|k| k.as_str()).collect();
    let any_case: Vec<String> = upper
        .iter()
        .map(|k| {
            k.chars()
                .map(|c| format!("[{}{}]", c, c.to_ascii_lowercase()))
                .collect()
        })
        .collect();
    json!({
        "description": "An instruction keyword, in any case.",
        "type": "string",
        "anyOf": [
            { "enum": upper },
            { "pattern": format!("^({})$", any_case.join("|")) },
        ],
    })
}

fn match_table(kind: SubjectKind) -> Value {
    let mut properties = Map::new();
    for &key in MatchKey::ALL {
        let schema = match key {
            MatchKey::On => json!({ "const": kind.as_str() }),
            MatchKey::Instruction if kind.has_instruction() => json!({
                "anyOf": [
                    reference("instruction"),
                    { "type": "array", "items": reference("instruction") },
                ],
            }),
            MatchKey::Instruction => continue,
            MatchKey::Stage => words::<StageFilter>(),
            MatchKey::Position => words::<Position>(),
            MatchKey::Onbuild => json!({ "anyOf": [{ "type": "boolean" }, { "const": "only" }] }),
            MatchKey::Form => words::<Form>(),
            MatchKey::Source if kind == SubjectKind::Text => some_words::<TextSource>(),
            MatchKey::Scripts if kind == SubjectKind::Command => words::<Scripts>(),
            MatchKey::Source | MatchKey::Scripts => continue,
            MatchKey::Report => {
                let roles = kind.roles();
                let names: Vec<&str> = roles.iter().map(|r| r.name()).collect();
                let docs: Vec<String> = roles.iter().map(|r| r.doc()).collect();
                json!({
                    "type": "string",
                    "anyOf": [
                        {
                            "enum": names,
                            "x-taplo": { "docs": { "enumValues": docs } },
                        },
                        { "pattern": "^\\{[^{}|]+\\}$" },
                    ],
                })
            }
            MatchKey::Where => reference(&format!("where-{kind}")),
        };
        properties.insert(key.as_str().into(), described(schema, key.doc()));
    }
    closed(properties, &["on"])
}

fn util(kind: SubjectKind) -> Value {
    let mut properties = Map::new();
    for &key in UtilKey::ALL {
        let schema = match key {
            UtilKey::On => json!({ "const": kind.as_str() }),
            UtilKey::Where => reference(&format!("where-{kind}")),
            UtilKey::Summary => json!({ "type": "string" }),
        };
        properties.insert(key.as_str().into(), described(schema, key.doc()));
    }
    closed(properties, &["on", "where"])
}

/// A predicate table for one subject kind.
fn where_table(kind: SubjectKind) -> Value {
    let this = reference(&format!("where-{kind}"));
    let mut properties = Map::new();
    for &key in Compose::ALL {
        let schema = match key {
            Compose::All | Compose::Any => {
                json!({ "type": "array", "minItems": 1, "items": this.clone() })
            }
            Compose::Not => this.clone(),
            Compose::Matches => reference("strings"),
        };
        properties.insert(key.as_str().into(), described(schema, key.doc()));
    }
    for f in kind.text_fields() {
        properties.insert(f.name().into(), described(reference("text-test"), f.doc()));
    }
    for f in kind.bool_fields() {
        properties.insert(
            f.name().into(),
            described(json!({ "type": "boolean" }), f.doc()),
        );
    }
    for &leaf in kind.leaves() {
        properties.insert(
            leaf.as_str().into(),
            described(leaf_schema(leaf, kind), leaf.doc()),
        );
    }
    let mut schema = closed(properties, &[]);
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("minProperties".into(), 1.into());
    }
    schema
}

fn relation(kind: RelationKind) -> Value {
    reference(&format!("where-{}", kind.inner_subject()))
}

fn leaf_schema(leaf: Leaf, subject: SubjectKind) -> Value {
    match leaf {
        Leaf::Base => reference("where-image"),
        Leaf::HasFlag | Leaf::LacksFlag | Leaf::WrappedBy => reference("strings"),
        Leaf::FlagValue => {
            let mut properties = Map::new();
            for &key in FlagValueKey::ALL {
                let schema = match key {
                    FlagValueKey::Name => reference("strings"),
                    FlagValueKey::Value => reference("text-test"),
                };
                properties.insert(key.as_str().into(), described(schema, key.doc()));
            }
            closed(properties, &["name", "value"])
        }
        Leaf::Arg => reference("text-test"),
        Leaf::TagIs => some_words::<TagState>(),
        Leaf::ValueIs => some_words::<ValueKind>(),
        Leaf::Lookup => {
            let mut properties = Map::new();
            for &key in LookupKey::ALL {
                let schema = match key {
                    LookupKey::Table | LookupKey::Key | LookupKey::Bind => {
                        json!({ "type": "string" })
                    }
                };
                properties.insert(key.as_str().into(), described(schema, key.doc()));
            }
            closed(properties, &["table", "key", "bind"])
        }
        Leaf::Analyze => {
            let analyzers: Vec<Value> = Detector::ALL
                .iter()
                .map(|&d| analyzer(d, subject))
                .collect();
            json!({ "type": "object", "required": ["detector"], "oneOf": analyzers })
        }
        Leaf::Has => relation(RelationKind::Has),
        Leaf::Lacks => relation(RelationKind::Lacks),
        Leaf::LaterInStage => relation(RelationKind::LaterInStage),
        Leaf::NotLaterInStage => relation(RelationKind::NotLaterInStage),
        Leaf::FollowedBy => relation(RelationKind::FollowedBy),
        Leaf::NotFollowedBy => relation(RelationKind::NotFollowedBy),
        Leaf::PrecededBy => relation(RelationKind::PrecededBy),
        Leaf::NotPrecededBy => relation(RelationKind::NotPrecededBy),
        Leaf::PipedTo => relation(RelationKind::PipedTo),
    }
}

/// `analyze` with one detector: `field`, `detector` and its options.
fn analyzer(detector: Detector, subject: SubjectKind) -> Value {
    let mut keys = vec![AnalyzeKey::Field, AnalyzeKey::Detector];
    keys.extend(detector.options());
    let mut properties = Map::new();
    for key in keys {
        let schema = match key {
            AnalyzeKey::Field => {
                let fields = subject.text_fields();
                let names: Vec<&str> = fields.iter().map(|f| f.name()).collect();
                json!({ "type": "string", "enum": names })
            }
            AnalyzeKey::Detector => json!({ "const": detector.as_str() }),
            AnalyzeKey::Split => words::<NameSplit>(),
            AnalyzeKey::Words => words::<Words>(),
            AnalyzeKey::MinBits => json!({ "type": "number" }),
            AnalyzeKey::MinLen => json!({ "type": "integer" }),
            AnalyzeKey::Charset => words::<Charset>(),
        };
        properties.insert(key.as_str().into(), described(schema, key.doc()));
    }
    let required: &[&str] = match detector {
        Detector::Entropy => &["detector", "min_bits", "min_len"],
        Detector::SecretKeyName | Detector::SecretValue | Detector::SecretLiteral => &["detector"],
    };
    let mut schema = closed(properties, required);
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("description".into(), detector.doc().into());
    }
    schema
}
