//! The gitlab format: a GitLab Code Quality report
//! (`artifacts:reports:codequality`), a JSON array of Code Climate issues
//! with the fields GitLab reads.
//!
//! `check_name` is the plain rule id (`SEC001`), the id every other format
//! shows, and `description` is `RULE: message`, so the tool is clear where
//! GitLab merges several tools' reports. Severities: error → `critical`,
//! warning → `major`, info → `minor`, style → `info`. Paths are relative
//! to the repository root. The fingerprint hashes the rule id, the path,
//! the trimmed text of the finding's lines and how many identical
//! (rule, path, text) findings come before it in the file, but not the line
//! number, so a finding keeps its fingerprint when unrelated lines move.
//! File errors go to stderr: they are not code quality issues.
//!
//! The codeclimate format is the same issues as a Code Climate engine
//! writes them (and as hadolint's `codeclimate` does): each issue's JSON
//! followed by a NUL byte, not an array.

use super::{Positions, Run, ordered, repo_relative, stable_hash};
use crate::diagnostic::Severity;
use serde::Serialize;
use std::collections::HashMap;
use std::io::{self, Write};

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'a str,
    description: String,
    categories: [&'static str; 1],
    severity: &'static str,
    fingerprint: String,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    super::write_json(out, &issues(run), true)
}

/// The codeclimate format: each issue as JSON, then a NUL byte.
pub(super) fn write_codeclimate(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    for issue in issues(run) {
        let mut bytes = serde_json::to_vec(&issue).map_err(io::Error::other)?;
        bytes.push(0);
        out.write_all(&bytes)?;
    }
    Ok(())
}

fn issues(run: &Run) -> Vec<Issue<'_>> {
    let mut issues = Vec::new();
    for report in &run.reports {
        if report.diagnostics.is_empty() {
            continue;
        }
        let path = repo_relative(&report.path, run.root.as_deref());
        let positions = Positions::new(&report.source);
        let mut seen: HashMap<(&str, String), u64> = HashMap::new();
        for d in ordered(&report.diagnostics) {
            let (start, end) = positions.range(d.span);
            let text: Vec<&str> = (start.line..=end.line)
                .map(|l| positions.line_text(l).trim())
                .collect();
            let text = text.join("\n");
            let count = seen.entry((d.rule.as_str(), text.clone())).or_insert(0);
            let hash = stable_hash(&[
                d.rule.as_bytes(),
                path.as_bytes(),
                text.as_bytes(),
                &count.to_le_bytes(),
            ]);
            *count += 1;
            issues.push(Issue {
                kind: "issue",
                check_name: &d.rule,
                description: format!("{}: {}", d.rule, d.message),
                categories: [category(&d.category)],
                severity: severity(d.severity),
                fingerprint: format!("{hash:032x}"),
                location: Location {
                    path: path.clone(),
                    lines: Lines {
                        begin: start.line,
                        end: end.line,
                    },
                },
            });
        }
    }
    issues
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "minor",
        Severity::Style => "info",
    }
}

/// The Code Climate category closest to a rule category.
fn category(c: &str) -> &'static str {
    match c {
        "security" | "supply-chain" => "Security",
        "correctness" => "Bug Risk",
        "efficiency" => "Performance",
        _ => "Style",
    }
}
