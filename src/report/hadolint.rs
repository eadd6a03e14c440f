//! The `hadolint-json` format: hadolint's `--format json`, for tools that
//! already parse it. A JSON array of objects with exactly hadolint's keys,
//! in hadolint's order: `code` (the shipshape rule id), `column` (1-based,
//! in characters; the real start column, where hadolint always says 1),
//! `file` (as given), `level` (`error`, `warning`, `info` or `style`),
//! `line` and `message`. File errors go to stderr.

use super::{Positions, Run, ordered};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Finding<'a> {
    code: &'a str,
    column: u32,
    file: &'a str,
    level: &'static str,
    line: u32,
    message: &'a str,
}

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    let mut findings = Vec::new();
    for report in &run.reports {
        if report.diagnostics.is_empty() {
            continue;
        }
        let positions = Positions::new(&report.source);
        for d in ordered(&report.diagnostics) {
            let at = positions.at(d.span.start);
            findings.push(Finding {
                code: &d.rule,
                column: at.column,
                file: &report.path,
                level: d.severity.as_str(),
                line: at.line,
                message: &d.message,
            });
        }
    }
    super::write_json(out, &findings, false)
}
