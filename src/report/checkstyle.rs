//! The checkstyle format: Checkstyle's XML report, read by reviewdog
//! (`-f=checkstyle`), Jenkins warnings-ng and many CI plugins.
//!
//! One `<file>` per linted file (with or without findings), one `<error>`
//! per finding with its 1-based line and character column, a severity of
//! `error`, `warning` or `info` (style findings are `info`, Checkstyle has
//! no style level) and the rule id as `source`. Paths are as given. A file
//! that could not be read gets an `<error severity="error" source="io">`
//! without a position.

use super::xml::attr;
use super::{Positions, Run, ordered};
use crate::diagnostic::Severity;
use std::io::{self, Write};

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    for report in &run.reports {
        let name = attr(&report.path);
        if report.diagnostics.is_empty() {
            writeln!(out, r#"  <file name="{name}"/>"#)?;
            continue;
        }
        writeln!(out, r#"  <file name="{name}">"#)?;
        let positions = Positions::new(&report.source);
        for d in ordered(&report.diagnostics) {
            let at = positions.at(d.span.start);
            writeln!(
                out,
                r#"    <error line="{}" column="{}" severity="{}" message="{}" source="{}"/>"#,
                at.line,
                at.column,
                severity(d.severity),
                attr(&d.message),
                attr(&d.rule)
            )?;
        }
        writeln!(out, "  </file>")?;
    }
    for e in &run.errors {
        writeln!(out, r#"  <file name="{}">"#, attr(&e.path))?;
        writeln!(
            out,
            r#"    <error severity="error" message="{}" source="io"/>"#,
            attr(&e.message)
        )?;
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "info",
    }
}
