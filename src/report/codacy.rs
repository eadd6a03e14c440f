//! The codacy format: Codacy's result lines, one JSON object per finding
//! and line, with the keys hadolint's `codacy` format writes: `filename`
//! (as given), `line` (1-based), `message` and `patternId` (the shipshape
//! rule id). File errors go to stderr.

use super::{Positions, Run, ordered};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Result<'a> {
    filename: &'a str,
    line: u32,
    message: &'a str,
    pattern_id: &'a str,
}

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    for report in &run.reports {
        if report.diagnostics.is_empty() {
            continue;
        }
        let positions = Positions::new(&report.source);
        for d in ordered(&report.diagnostics) {
            let result = Result {
                filename: &report.path,
                line: positions.at(d.span.start).line,
                message: &d.message,
                pattern_id: &d.rule,
            };
            super::write_json(out, &result, false)?;
        }
    }
    Ok(())
}
