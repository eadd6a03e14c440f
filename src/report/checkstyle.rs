//! The checkstyle format: Checkstyle's XML report, read by reviewdog
//! (`-f=checkstyle`), Jenkins warnings-ng and many CI plugins.
//!
//! One `<file>` per linted file (with or without findings), one `<error>`
//! per finding with its 1-based line and character column, a severity of
//! `error`, `warning` or `info` (style findings are `info`, Checkstyle has
//! no style level) and the rule id as `source`. Paths are as given. A file
//! that could not be read gets an `<error severity="error" source="io">`
//! without a position.

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

/// Text escaped for a double-quoted XML attribute. Tabs and line breaks
/// become character references so parsers don't normalise them to spaces;
/// characters XML 1.0 forbids even as references (other C0 controls,
/// U+FFFE, U+FFFF) become `?`.
pub(super) fn attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\0'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::attr;

    #[test]
    fn attributes_are_escaped() {
        assert_eq!(
            attr("a<b>&\"c'\n\u{1b}[1m\u{ffff}"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;?[1m?"
        );
    }
}
