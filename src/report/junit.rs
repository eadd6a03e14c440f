//! The junit format: JUnit XML, which CI systems (GitLab's
//! `artifacts:reports:junit`, Jenkins, Azure Pipelines) show as test
//! results.
//!
//! One `<testsuite>` per linted file, named by its path as given. A file
//! without findings holds one passing `<testcase>`; otherwise each finding
//! is a `<testcase>` named `RULE: message` whose `classname` is
//! `path:line:column`, with a `<failure>` whose `type` is the severity and
//! whose text says where and what. A file that could not be read is a
//! suite with one `<testcase>` holding an `<error>`. There are no times or
//! timestamps, so the same input gives the same bytes.

use super::xml::{attr, text};
use super::{Positions, Run, ordered};
use std::io::{self, Write};

pub(super) fn write(run: &Run, out: &mut dyn Write) -> io::Result<()> {
    let findings: usize = run.reports.iter().map(|r| r.diagnostics.len()).sum();
    let cases: usize = run
        .reports
        .iter()
        .map(|r| r.diagnostics.len().max(1))
        .sum::<usize>()
        + run.errors.len();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="shipshape" tests="{cases}" failures="{findings}" errors="{}">"#,
        run.errors.len()
    )?;
    for report in &run.reports {
        let name = attr(&report.path);
        let n = report.diagnostics.len();
        writeln!(
            out,
            r#"  <testsuite name="{name}" tests="{}" failures="{n}" errors="0">"#,
            n.max(1)
        )?;
        if n == 0 {
            writeln!(out, r#"    <testcase name="{name}" classname="{name}"/>"#)?;
        }
        let positions = Positions::new(&report.source);
        for d in ordered(&report.diagnostics) {
            let at = positions.at(d.span.start);
            writeln!(
                out,
                r#"    <testcase name="{}: {}" classname="{name}:{}:{}">"#,
                attr(&d.rule),
                attr(&d.message),
                at.line,
                at.column
            )?;
            writeln!(
                out,
                r#"      <failure message="{}" type="{}">{}:{}:{}: {} [{}] {}</failure>"#,
                attr(&d.message),
                d.severity,
                text(&report.path),
                at.line,
                at.column,
                d.severity,
                text(&d.rule),
                text(&d.message)
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    for e in &run.errors {
        let name = attr(&e.path);
        writeln!(
            out,
            r#"  <testsuite name="{name}" tests="1" failures="0" errors="1">"#
        )?;
        writeln!(out, r#"    <testcase name="{name}" classname="{name}">"#)?;
        writeln!(
            out,
            r#"      <error message="{}" type="io"/>"#,
            attr(&e.message)
        )?;
        writeln!(out, "    </testcase>")?;
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}
