//! The github format: GitHub Actions workflow commands, one per finding,
//! which the runner turns into annotations on the pull request:
//!
//! ```text
//! ::warning file=docker/Dockerfile,line=3,endLine=3,col=6,endColumn=19,title=shipshape (SUP002)::`ubuntu:latest` uses the `latest` tag
//! ```
//!
//! Error findings are `error`, warnings `warning`, info and style `notice`.
//! Paths are relative to the repository root; columns are 1-based
//! characters, `endColumn` is exclusive, and both are left out when a
//! finding spans lines (GitHub ignores them then). Nothing else is printed,
//! so the output stays machine-clean; a file that could not be read is an
//! `::error file=PATH::` command.

use super::{Positions, Run, ordered, repo_relative, sanitize};
use crate::diagnostic::Severity;
use std::io::{self, Write};

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    let root = run.root.as_deref();
    for report in &run.reports {
        if report.diagnostics.is_empty() {
            continue;
        }
        let file = property(&repo_relative(&report.path, root));
        let positions = Positions::new(&report.source);
        for d in ordered(&report.diagnostics) {
            let (start, end) = positions.range(d.span);
            let columns = if start.line == end.line {
                format!(",col={},endColumn={}", start.column, end.column)
            } else {
                String::new()
            };
            writeln!(
                out,
                "::{} file={file},line={},endLine={}{columns},title={}::{}",
                command(d.severity),
                start.line,
                end.line,
                property(&format!("shipshape ({})", d.rule)),
                message(&d.message)
            )?;
        }
    }
    for e in &run.errors {
        writeln!(
            out,
            "::error file={}::{}",
            property(&repo_relative(&e.path, root)),
            message(&e.message)
        )?;
    }
    Ok(())
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "notice",
    }
}

/// A command's message: `%`, CR and LF escaped as the runner expects;
/// terminal control characters made visible.
fn message(text: &str) -> String {
    sanitize(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: escaped like a message, plus `:` and `,`.
fn property(text: &str) -> String {
    message(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::{message, property};

    #[test]
    fn escapes() {
        assert_eq!(message("50%\r\nnext: a,b"), "50%25%0D%0Anext: a,b");
        assert_eq!(property("we,ird:50%\n"), "we%2Cird%3A50%25%0A");
        assert_eq!(message("\u{1b}[31m"), "?[31m");
    }
}
