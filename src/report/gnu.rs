//! The GNU format: `file:line:col: severity: message [RULE]`, one line per
//! finding, as compilers print them, for editors' quickfix lists and
//! problem matchers.
//!
//! The path is the one given on the command line, lines and columns are
//! 1-based (columns in characters), and the severity is one of shipshape's
//! own four words (`error`, `warning`, `info`, `style`), so nothing is lost.
//! Line breaks and control characters in messages become spaces. File
//! errors go to stderr as `file: error: message`.

use super::{Positions, Run, ordered, single_line};
use std::io::{self, Write};

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    for report in &run.reports {
        if report.diagnostics.is_empty() {
            continue;
        }
        let path = single_line(&report.path);
        let positions = Positions::new(&report.source);
        for d in ordered(&report.diagnostics) {
            let at = positions.at(d.span.start);
            writeln!(
                out,
                "{path}:{}:{}: {}: {} [{}]",
                at.line,
                at.column,
                d.severity,
                single_line(&d.message),
                single_line(&d.rule)
            )?;
        }
    }
    Ok(())
}
