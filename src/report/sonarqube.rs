//! The sonarqube format: SonarQube's generic external issue report (the
//! format of SonarQube Server 10.3 and later, and SonarQube Cloud), for
//! `sonar.externalIssuesReportPaths`.
//!
//! `rules` describes each rule that has a finding: its id, name, summary
//! as description, `engineId` `shipshape`, a clean-code attribute and one
//! impact chosen from its category (security and supply-chain rules:
//! `TRUSTWORTHY`, impact on `SECURITY`; correctness: `LOGICAL`,
//! `RELIABILITY`; efficiency: `EFFICIENT`, `MAINTAINABILITY`; style:
//! `FORMATTED`, `MAINTAINABILITY`; others `CONVENTIONAL`,
//! `MAINTAINABILITY`), with its severity as the impact's (error `HIGH`,
//! warning `MEDIUM`, info and style `LOW`). `issues` holds one issue per
//! finding: the rule id, the message, the path relative to the repository
//! root and a text range whose lines are 1-based and whose columns are
//! 0-based characters, the end exclusive, as SonarQube counts them. File
//! errors go to stderr.

use super::{Positions, Run, ordered, repo_relative};
use crate::diagnostic::Severity;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

#[derive(Serialize)]
struct Report<'a> {
    rules: Vec<Rule<'a>>,
    issues: Vec<Issue<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: &'a str,
    description: &'a str,
    engine_id: &'static str,
    clean_code_attribute: &'static str,
    impacts: [Impact; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Impact {
    software_quality: &'static str,
    severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Issue<'a> {
    rule_id: &'a str,
    primary_location: Location<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    message: &'a str,
    file_path: String,
    text_range: TextRange,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TextRange {
    start_line: u32,
    end_line: u32,
    start_column: u32,
    end_column: u32,
}

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    let mut rules: BTreeMap<&str, Rule<'_>> = BTreeMap::new();
    let mut issues = Vec::new();
    for report in &run.reports {
        if report.diagnostics.is_empty() {
            continue;
        }
        let path = repo_relative(&report.path, run.root.as_deref());
        let positions = Positions::new(&report.source);
        for d in ordered(&report.diagnostics) {
            let (start, end) = positions.range(d.span);
            rules.entry(&d.rule).or_insert_with(|| {
                let info = run.rules.iter().find(|r| r.id == d.rule);
                let (attribute, quality) = kind(&d.category);
                Rule {
                    id: &d.rule,
                    name: info.map_or(&d.name, |i| &i.name),
                    description: info.map_or(&d.message, |i| &i.summary),
                    engine_id: "shipshape",
                    clean_code_attribute: attribute,
                    impacts: [Impact {
                        software_quality: quality,
                        severity: severity(d.severity),
                    }],
                }
            });
            issues.push(Issue {
                rule_id: &d.rule,
                primary_location: Location {
                    message: &d.message,
                    file_path: path.clone(),
                    text_range: TextRange {
                        start_line: start.line,
                        end_line: end.line,
                        start_column: start.column - 1,
                        end_column: end.column - 1,
                    },
                },
            });
        }
    }
    let report = Report {
        rules: rules.into_values().collect(),
        issues,
    };
    super::write_json(out, &report, true)
}

/// The clean-code attribute and software quality of a rule category.
fn kind(category: &str) -> (&'static str, &'static str) {
    match category {
        "security" | "supply-chain" => ("TRUSTWORTHY", "SECURITY"),
        "correctness" => ("LOGICAL", "RELIABILITY"),
        "efficiency" => ("EFFICIENT", "MAINTAINABILITY"),
        "style" => ("FORMATTED", "MAINTAINABILITY"),
        _ => ("CONVENTIONAL", "MAINTAINABILITY"),
    }
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "HIGH",
        Severity::Warning => "MEDIUM",
        Severity::Info | Severity::Style => "LOW",
    }
}
