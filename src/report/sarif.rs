//! The SARIF format: one SARIF 2.1.0 log with one run, shaped for GitHub
//! code scanning (`docs/output-formats.md`).
//!
//! Paths are relative to the repository root (`%SRCROOT%`), columns count
//! Unicode code points (`columnKind`), region ends are exclusive, and every
//! result carries a `primaryLocationLineHash` that does not depend on the
//! line number, so alerts survive unrelated edits above them.

use super::{Positions, RuleInfo, Run, note_level, ordered, repo_relative, stable_hash};
use crate::diagnostic::Diagnostic;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::Path;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
/// GitHub's limit for rule descriptions.
const MAX_DESCRIPTION: usize = 1024;

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [SarifRun<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun<'a> {
    tool: Tool<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BTreeMap<&'static str, ArtifactLocation>>,
    column_kind: &'static str,
    invocations: [Invocation; 1],
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<&'a str>,
    default_configuration: Configuration,
    properties: Properties<'a>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Properties<'a> {
    tags: Vec<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: [NotificationLocation; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NotificationLocation {
    physical_location: FileOnly,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileOnly {
    artifact_location: ArtifactLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

/// A proposed fix (SARIF §3.55): replacements in the result's file.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: [ArtifactChange; 1],
    properties: FixProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    #[serde(skip_serializing_if = "Option::is_none")]
    inserted_content: Option<Content>,
}

#[derive(Serialize)]
struct Content {
    text: String,
}

#[derive(Serialize)]
struct FixProperties {
    applicability: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fingerprints {
    primary_location_line_hash: String,
}

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    let root = run.root.as_deref();
    let (rules, index) = descriptors(run);
    let mut results = Vec::new();
    for report in &run.reports {
        if report.diagnostics.is_empty() {
            continue;
        }
        let artifact = artifact(&report.path, root);
        let positions = Positions::new(&report.source);
        let mut seen: HashMap<u64, usize> = HashMap::new();
        for d in ordered(&report.diagnostics) {
            let location = |span, id, message: Option<&str>| Location {
                id,
                physical_location: PhysicalLocation {
                    artifact_location: artifact.clone(),
                    region: region(&positions, span),
                },
                message: message.map(|m| Text { text: m.to_owned() }),
            };
            let line = positions.line_text(positions.at(d.span.start).line).trim();
            let hash = stable_hash(&[d.rule.as_bytes(), line.as_bytes()]) as u64;
            let earlier = seen.entry(hash).or_insert(0);
            let fingerprint = format!("{hash:016x}:{earlier}");
            *earlier += 1;
            results.push(SarifResult {
                rule_id: d.rule.clone(),
                rule_index: index[d.rule.as_str()],
                level: note_level(d.severity),
                message: Text {
                    text: non_empty(&d.message, &d.rule),
                },
                locations: [location(d.span, None, None)],
                related_locations: d
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| location(l.span, Some(i + 1), Some(&l.message)))
                    .collect(),
                partial_fingerprints: Fingerprints {
                    primary_location_line_hash: fingerprint,
                },
                fixes: d
                    .fix
                    .iter()
                    .map(|f| SarifFix {
                        description: Text {
                            text: f.title.clone(),
                        },
                        artifact_changes: [ArtifactChange {
                            artifact_location: artifact.clone(),
                            replacements: f
                                .edits
                                .iter()
                                .map(|e| Replacement {
                                    deleted_region: region(&positions, e.span),
                                    inserted_content: (!e.text.is_empty()).then(|| Content {
                                        text: e.text.clone(),
                                    }),
                                })
                                .collect(),
                        }],
                        properties: FixProperties {
                            applicability: f.applicability.as_str(),
                        },
                    })
                    .collect(),
            });
        }
    }
    let notifications: Vec<Notification> = run
        .errors
        .iter()
        .map(|e| Notification {
            level: "error",
            message: Text {
                text: e.to_string(),
            },
            locations: [NotificationLocation {
                physical_location: FileOnly {
                    artifact_location: artifact(&e.path, root),
                },
            }],
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [SarifRun {
            tool: Tool {
                driver: Driver {
                    name: "shipshape",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules,
                },
            },
            original_uri_base_ids: root.and_then(root_uri).map(|uri| {
                BTreeMap::from([(
                    SRCROOT,
                    ArtifactLocation {
                        uri,
                        uri_base_id: None,
                    },
                )])
            }),
            column_kind: "unicodeCodePoints",
            invocations: [Invocation {
                execution_successful: run.errors.is_empty(),
                tool_execution_notifications: notifications,
            }],
            results,
        }],
    };
    super::write_json(out, &log, true)
}

/// The run's rules, then any rule a diagnostic names that the run's list
/// lacks (so every `ruleIndex` points somewhere), with each id's index.
fn descriptors(run: &Run) -> (Vec<Descriptor<'_>>, HashMap<&str, usize>) {
    let mut rules: Vec<Descriptor<'_>> = run.rules.iter().map(descriptor).collect();
    let mut extra: BTreeMap<&str, &Diagnostic> = BTreeMap::new();
    for d in run.reports.iter().flat_map(|r| &r.diagnostics) {
        if !run.rules.iter().any(|r| r.id == d.rule) {
            extra.entry(d.rule.as_str()).or_insert(d);
        }
    }
    rules.extend(extra.values().map(|d| {
        let summary = non_empty("", &d.rule);
        Descriptor {
            id: &d.rule,
            name: &d.name,
            short_description: Text {
                text: summary.clone(),
            },
            full_description: Text {
                text: summary.clone(),
            },
            help: Help {
                text: summary.clone(),
                markdown: summary,
            },
            help_uri: None,
            default_configuration: Configuration {
                level: note_level(d.severity),
            },
            properties: Properties {
                tags: tags(&d.category),
            },
        }
    }));
    let index = rules.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    (rules, index)
}

fn descriptor(rule: &RuleInfo) -> Descriptor<'_> {
    let summary = truncate(rule.summary.trim());
    let first_paragraph = rule.help.trim().split("\n\n").next().unwrap_or("");
    let full = if summary.is_empty() {
        truncate(first_paragraph)
    } else {
        summary.clone()
    };
    let short = non_empty(&summary, &rule.id);
    let full = non_empty(&full, &rule.id);
    let help = if rule.help.trim().is_empty() {
        full.clone()
    } else {
        rule.help.clone()
    };
    Descriptor {
        id: &rule.id,
        name: &rule.name,
        short_description: Text { text: short },
        full_description: Text { text: full },
        help: Help {
            text: help.clone(),
            markdown: help,
        },
        help_uri: rule.url.as_deref(),
        default_configuration: Configuration {
            level: note_level(rule.severity),
        },
        properties: Properties {
            tags: tags(&rule.category),
        },
    }
}

/// The category, and `security` for security rules (GitHub shows those as
/// security alerts).
fn tags(category: &str) -> Vec<&str> {
    if category == "security" {
        vec!["security"]
    } else {
        vec![category]
    }
}

/// GitHub rejects empty texts.
fn non_empty(text: &str, fallback: &str) -> String {
    if text.trim().is_empty() {
        fallback.to_owned()
    } else {
        text.to_owned()
    }
}

/// At most [`MAX_DESCRIPTION`] bytes, cut at a character boundary.
fn truncate(text: &str) -> String {
    if text.len() <= MAX_DESCRIPTION {
        return text.to_owned();
    }
    let mut end = MAX_DESCRIPTION - '…'.len_utf8();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

fn region(positions: &Positions<'_>, span: crate::span::Span) -> Region {
    let (start, end) = positions.range(span);
    Region {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

/// Where a report's file is: relative to `%SRCROOT%` when it is inside the
/// root, an absolute `file:` URI when it is outside, otherwise the name as
/// given (stdin's name), percent-encoded.
fn artifact(path: &str, root: Option<&Path>) -> ArtifactLocation {
    let rel = repo_relative(path, root);
    let absolute = Path::new(&rel).is_absolute() || rel.starts_with('/');
    if absolute {
        ArtifactLocation {
            uri: file_uri(&rel),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encode(&rel),
            uri_base_id: Some(SRCROOT),
        }
    }
}

/// `file:///abs/path/`, for `originalUriBaseIds`.
fn root_uri(root: &Path) -> Option<String> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let text = root.to_str()?.replace('\\', "/");
    let mut uri = file_uri(&text);
    if !uri.ends_with('/') {
        uri.push('/');
    }
    Some(uri)
}

fn file_uri(absolute: &str) -> String {
    let path = encode(absolute);
    if path.starts_with('/') {
        format!("file://{path}")
    } else {
        // A Windows drive path: `C:/x` becomes `file:///C:/x`.
        format!("file:///{}", path.replacen("%3A", ":", 1))
    }
}

/// Percent-encodes everything but unreserved characters and `/`, so the
/// result is a valid URI reference whatever the file is called.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded() {
        assert_eq!(encode("a b/we,ird:ü"), "a%20b/we%2Cird%3A%C3%BC");
        assert_eq!(file_uri("/srv/my repo"), "file:///srv/my%20repo");
        assert_eq!(file_uri("C:/src"), "file:///C:/src");
    }

    #[test]
    fn long_descriptions_are_cut() {
        let long = "é".repeat(700);
        let cut = truncate(&long);
        assert!(cut.len() <= MAX_DESCRIPTION);
        assert!(cut.ends_with('…'));
    }
}
