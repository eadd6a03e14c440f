//! The JSON format: one document per run, specified in `docs/json-output.md`.
//! Fields are only ever added; `format_version` changes if one is removed or
//! changes meaning.

use super::{Counts, Run, ordered};
use crate::span::{LineIndex, Span};
use serde::Serialize;
use std::io::{self, Write};

/// Bumped when a field is removed or changes meaning.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    format_version: u32,
    tool: Tool,
    summary: Summary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    errors: Vec<JsonError<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    files_with_findings: usize,
    findings: usize,
    error: usize,
    warning: usize,
    info: usize,
    style: usize,
}

#[derive(Serialize)]
struct Position {
    /// 1-based line.
    line: u32,
    /// 1-based column, in characters.
    column: u32,
    /// 0-based byte offset.
    offset: u32,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    rule: &'a str,
    name: &'a str,
    category: &'a str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    start: Position,
    end: Position,
    labels: Vec<JsonLabel<'a>>,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start: Position,
    end: Position,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct JsonError<'a> {
    path: &'a str,
    message: &'a str,
}

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    let counts = Counts::of(run);
    let mut diagnostics = Vec::with_capacity(counts.total());
    for report in &run.reports {
        if report.diagnostics.is_empty() {
            continue;
        }
        let source = report.source.as_str();
        let lines = LineIndex::new(source);
        let pos = |offset: u32| {
            let lc = lines.line_col(source, offset);
            Position {
                line: lc.line,
                column: lc.column,
                offset,
            }
        };
        let range = |s: Span| (pos(s.start), pos(s.end));
        for d in ordered(&report.diagnostics) {
            let (start, end) = range(d.span);
            diagnostics.push(JsonDiagnostic {
                path: &report.path,
                rule: &d.rule,
                name: &d.name,
                category: &d.category,
                severity: d.severity.as_str(),
                message: &d.message,
                help: d.help.as_deref(),
                start,
                end,
                labels: d
                    .labels
                    .iter()
                    .map(|l| {
                        let (start, end) = range(l.span);
                        JsonLabel {
                            message: &l.message,
                            start,
                            end,
                        }
                    })
                    .collect(),
                fix: d.fix.as_ref().map(|f| JsonFix {
                    title: &f.title,
                    applicability: f.applicability.as_str(),
                    edits: f
                        .edits
                        .iter()
                        .map(|e| {
                            let (start, end) = range(e.span);
                            JsonEdit {
                                start,
                                end,
                                text: &e.text,
                            }
                        })
                        .collect(),
                }),
            });
        }
    }
    let doc = Document {
        format_version: FORMAT_VERSION,
        tool: Tool {
            name: "shipshape",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            files: counts.files,
            files_with_findings: counts.files_with_findings,
            findings: counts.total(),
            error: counts.error,
            warning: counts.warning,
            info: counts.info,
            style: counts.style,
        },
        diagnostics,
        errors: run
            .errors
            .iter()
            .map(|e| JsonError {
                path: &e.path,
                message: &e.message,
            })
            .collect(),
    };
    super::write_json(out, &doc, true)
}
