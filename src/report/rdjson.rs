//! The rdjson format: reviewdog's Diagnostic Format as one JSON document
//! (`reviewdog -f=rdjson`), so reviewdog can comment on a pull request and
//! offer fixes as suggestions.
//!
//! One diagnostic per finding: the message, the path relative to the
//! repository root, a range whose lines and columns are 1-based with
//! columns in UTF-8 bytes and an exclusive end (as the format defines
//! them), a severity (`ERROR`, `WARNING`, or `INFO` for info and style),
//! the rule id and its documentation link as `code`, and the finding's fix,
//! when it has one that `--fix` or `--unsafe-fixes` would apply, as
//! `suggestions`. File errors go to stderr.

use super::{Positions, Run, ordered, repo_relative};
use crate::diagnostic::{Applicability, Severity};
use crate::span::{LineCol, Span};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct DiagnosticResult<'a> {
    source: Source,
    diagnostics: Vec<Diagnostic<'a>>,
}

#[derive(Serialize)]
struct Source {
    name: &'static str,
    url: &'static str,
}

#[derive(Serialize)]
struct Diagnostic<'a> {
    message: &'a str,
    location: Location,
    severity: &'static str,
    code: Code<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suggestions: Vec<Suggestion<'a>>,
}

#[derive(Serialize)]
struct Location {
    path: String,
    range: Range,
}

#[derive(Serialize)]
struct Range {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct Code<'a> {
    value: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct Suggestion<'a> {
    range: Range,
    text: &'a str,
}

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    let mut diagnostics = Vec::new();
    for report in &run.reports {
        if report.diagnostics.is_empty() {
            continue;
        }
        let path = repo_relative(&report.path, run.root.as_deref());
        let positions = Positions::new(&report.source);
        let range = |span: Span| {
            let (start, end) = positions.byte_range(span);
            Range {
                start: position(start),
                end: position(end),
            }
        };
        for d in ordered(&report.diagnostics) {
            let suggestions = d
                .fix
                .iter()
                .filter(|f| f.applicability >= Applicability::Unsafe)
                .flat_map(|f| &f.edits)
                .map(|e| Suggestion {
                    range: range(e.span),
                    text: &e.text,
                })
                .collect();
            diagnostics.push(Diagnostic {
                message: &d.message,
                location: Location {
                    path: path.clone(),
                    range: range(d.span),
                },
                severity: severity(d.severity),
                code: Code {
                    value: &d.rule,
                    url: run
                        .rules
                        .iter()
                        .find(|r| r.id == d.rule)
                        .and_then(|r| r.url.as_deref()),
                },
                suggestions,
            });
        }
    }
    let result = DiagnosticResult {
        source: Source {
            name: "shipshape",
            url: env!("CARGO_PKG_REPOSITORY"),
        },
        diagnostics,
    };
    super::write_json(out, &result, true)
}

fn position(at: LineCol) -> Position {
    Position {
        line: at.line,
        column: at.column,
    }
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info | Severity::Style => "INFO",
    }
}
