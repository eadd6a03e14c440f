//! Reports: diagnostics and the files they are about, written in one of the
//! output formats. Renderers take reports and nothing else; they never parse.

mod human;
mod json;

pub use human::{render_example_failures, render_load_errors};

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::FileReport;
use std::io::{self, Write};

/// An output format for `shipshape lint`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Compiler-style diagnostics with source snippets (codespan-reporting).
    Human,
    /// One JSON document (`docs/json-output.md`).
    Json,
}

/// A file that could not be linted at all (unreadable, missing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    pub path: String,
    pub message: String,
}

/// What machine formats say about a rule (SARIF's `rules` array, help
/// links). One entry per rule the run used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleInfo {
    pub id: String,
    pub name: String,
    pub category: String,
    /// The severity the rule reports with in this run (after overrides).
    pub severity: Severity,
    /// One line.
    pub summary: String,
    /// Long help, markdown.
    pub help: String,
    /// The rule's documentation page.
    pub url: String,
}

/// Everything one run produced, in output order.
#[derive(Debug, Default)]
pub struct Run {
    pub reports: Vec<FileReport>,
    pub errors: Vec<FileError>,
    /// The rules the run used, sorted by id.
    pub rules: Vec<RuleInfo>,
    /// The directory that paths in machine formats are made relative to
    /// (the repository root, else the working directory); `None` leaves
    /// paths as given.
    pub root: Option<std::path::PathBuf>,
}

/// Counts for the summary line and the exit code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub files: usize,
    pub files_with_findings: usize,
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    pub style: usize,
}

impl Counts {
    pub fn of(run: &Run) -> Counts {
        let mut c = Counts {
            files: run.reports.len(),
            ..Counts::default()
        };
        for r in &run.reports {
            if !r.diagnostics.is_empty() {
                c.files_with_findings += 1;
            }
            for d in &r.diagnostics {
                *c.slot(d.severity) += 1;
            }
        }
        c
    }

    fn slot(&mut self, s: Severity) -> &mut usize {
        match s {
            Severity::Error => &mut self.error,
            Severity::Warning => &mut self.warning,
            Severity::Info => &mut self.info,
            Severity::Style => &mut self.style,
        }
    }

    pub fn total(&self) -> usize {
        self.error + self.warning + self.info + self.style
    }

    /// Findings of severity `threshold` or above.
    pub fn at_least(&self, threshold: Severity) -> usize {
        Severity::ALL
            .into_iter()
            .filter(|&s| s >= threshold)
            .map(|s| match s {
                Severity::Error => self.error,
                Severity::Warning => self.warning,
                Severity::Info => self.info,
                Severity::Style => self.style,
            })
            .sum()
    }
}

/// Writes a run's diagnostics to `out` in `format`. File errors are part of
/// the JSON document; in the human format they go to `err` (stderr), with
/// the summary line at the end of `out`.
pub fn write(
    run: &Run,
    format: Format,
    color: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(run, color, out, err),
        Format::Json => json::write(run, out),
    }
}

/// Diagnostics sorted the way every format prints them: by position, then
/// rule id.
pub(crate) fn ordered(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut v: Vec<&Diagnostic> = diagnostics.iter().collect();
    v.sort_by(|a, b| (a.span.start, &a.rule, a.span.end).cmp(&(b.span.start, &b.rule, b.span.end)));
    v
}
