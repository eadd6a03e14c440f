//! The human format: codespan-reporting's compiler-style diagnostics.
//!
//! ```text
//! warning[SEC001]: final stage `app` has no USER instruction, so the container runs as root
//!   ┌─ Dockerfile:4:1
//!   │
//! 4 │ FROM python:3.12 AS app
//!   │ ^^^^^^^^^^^^^^^^^^^^^^^
//!   │
//!   = help: create an unprivileged user and add `USER <name>` ...
//! ```
//!
//! Dockerfiles are untrusted input: control characters and bidi overrides in
//! the source, messages and paths are made visible ([`sanitize`]) before
//! they reach the terminal. Source is shown from an [`excerpt`] of the lines
//! each diagnostic needs, so a megabyte-long line is not printed whole.
//!
//! [`excerpt`]: super::excerpt

use super::excerpt::Source;
use super::{Counts, Run, ordered, sanitize};
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::rules::{ExampleFailure, ExampleOutcome, LoadError, SourceFile};
use codespan_reporting::diagnostic::{self as cs, Label, LabelStyle};
use codespan_reporting::files::{Files, SimpleFile, SimpleFiles};
use codespan_reporting::term::{self, Config, termcolor};
use std::borrow::Cow;
use std::io::{self, Write};

pub(super) fn write(
    run: &Run,
    color: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    let config = Config::default();
    let no_files = SimpleFiles::<&str, &str>::new();
    for e in &run.errors {
        let diag = cs::Diagnostic::error()
            .with_message(sanitize(&format!("{}: {}", e.path, e.message)).into_owned());
        emit(err, color, &config, &no_files, &diag)?;
    }
    for report in &run.reports {
        if report.diagnostics.is_empty() {
            continue;
        }
        let source = Source::new(&report.path, &report.source);
        for d in ordered(&report.diagnostics) {
            emit_in(out, color, &config, &source, to_codespan(d))?;
        }
    }
    let counts = Counts::of(run);
    if (counts.files > 0 || !run.errors.is_empty()) && !run.quiet {
        let mut line = summary(&counts);
        if !run.errors.is_empty() {
            line.push_str(&format!(
                " {} could not be linted.",
                plural(run.errors.len(), "file")
            ));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// `Found 3 problems in 2 of 5 files (1 error, 2 warnings).`
fn summary(c: &Counts) -> String {
    if c.total() == 0 {
        return format!("No problems found in {}.", plural(c.files, "file"));
    }
    let parts: Vec<String> = [
        (c.error, "error"),
        (c.warning, "warning"),
        (c.info, "info"),
        (c.style, "style"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| match what {
        "error" | "warning" => plural(n, what),
        _ => format!("{n} {what}"),
    })
    .collect();
    format!(
        "Found {} in {} of {} ({}).",
        plural(c.total(), "problem"),
        c.files_with_findings,
        plural(c.files, "file"),
        parts.join(", ")
    )
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn severity(s: Severity) -> cs::Severity {
    match s {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Info => cs::Severity::Note,
        Severity::Style => cs::Severity::Help,
    }
}

fn to_codespan(d: &Diagnostic) -> cs::Diagnostic<()> {
    let mut labels = vec![Label::new(LabelStyle::Primary, (), d.span.range())];
    labels.extend(
        d.labels
            .iter()
            .map(|l| Label::secondary((), l.span.range()).with_message(&l.message)),
    );
    let mut diag = cs::Diagnostic::new(severity(d.severity))
        .with_code(&d.rule)
        .with_message(&d.message)
        .with_labels(labels);
    let mut notes = Vec::new();
    if let Some(help) = &d.help {
        notes.push(format!("help: {help}"));
    }
    if let Some(fix) = &d.fix {
        notes.push(match fix.applicability {
            Applicability::Safe => format!("fix: {} (`--fix`)", fix.title),
            Applicability::Unsafe => {
                format!("fix: {} (`--fix --unsafe-fixes`)", fix.title)
            }
            Applicability::DisplayOnly => format!("suggestion: {}", fix.title),
        });
    }
    if !notes.is_empty() {
        diag = diag.with_notes(notes);
    }
    diag
}

fn emit<'f, F: Files<'f> + ?Sized>(
    out: &mut dyn Write,
    color: bool,
    config: &Config,
    files: &'f F,
    diag: &cs::Diagnostic<F::FileId>,
) -> io::Result<()> {
    let result = if color {
        term::emit_to_write_style(&mut termcolor::Ansi::new(&mut *out), config, files, diag)
    } else {
        term::emit_to_io_write(out, config, files, diag)
    };
    result.map_err(|e| match e {
        codespan_reporting::files::Error::Io(e) => e,
        other => io::Error::other(other.to_string()),
    })
}

/// Emits `diag`, whose labels point into `source`: its text [`sanitize`]d,
/// the source shown from an excerpt.
fn emit_in(
    out: &mut dyn Write,
    color: bool,
    config: &Config,
    source: &Source,
    mut diag: cs::Diagnostic<()>,
) -> io::Result<()> {
    let clean = |s: &mut String| {
        if let Cow::Owned(clean) = sanitize(s) {
            *s = clean;
        }
    };
    clean(&mut diag.message);
    diag.code.iter_mut().for_each(clean);
    diag.notes.iter_mut().for_each(clean);
    diag.labels.iter_mut().for_each(|l| clean(&mut l.message));
    let ranges: Vec<_> = diag.labels.iter().map(|l| l.range.clone()).collect();
    let (excerpt, moved) = source.excerpt(&ranges, config);
    for (label, range) in diag.labels.iter_mut().zip(moved) {
        label.range = range;
    }
    emit(out, color, config, &excerpt, &diag)
}

/// Renders diagnostics whose labels point into one file (`name`, `text`),
/// as the human format shows findings.
pub fn render_in_file(
    name: &str,
    text: &str,
    diags: Vec<cs::Diagnostic<()>>,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let source = Source::new(name, text);
    let config = Config::default();
    for diag in diags {
        emit_in(out, color, &config, &source, diag)?;
    }
    Ok(())
}

fn source_files(sources: &[SourceFile]) -> Vec<Source<'_>> {
    sources
        .iter()
        .map(|s| Source::new(&s.name, &s.text))
        .collect()
}

/// Emits `diag`, whose labels point into `files[file]`; without the
/// labels should there be no such file.
fn emit_in_file(
    out: &mut dyn Write,
    color: bool,
    files: &[Source],
    file: usize,
    mut diag: cs::Diagnostic<()>,
) -> io::Result<()> {
    let config = Config::default();
    match files.get(file) {
        Some(source) => emit_in(out, color, &config, source, diag),
        None => {
            diag.labels.clear();
            emit(out, color, &config, &SimpleFile::new("", ""), &diag)
        }
    }
}

/// Renders rule-file problems as diagnostics pointing into the TOML.
pub fn render_load_errors(
    sources: &[SourceFile],
    errors: &[LoadError],
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let files = source_files(sources);
    for e in errors {
        let diag = cs::Diagnostic::error()
            .with_message(&e.message)
            .with_labels(vec![
                Label::primary((), e.span.clone()).with_message(&e.label),
            ])
            .with_notes(e.notes.clone());
        emit_in_file(out, color, &files, e.file, diag)?;
    }
    let n = errors.len();
    let files_hit = {
        let mut f: Vec<usize> = errors.iter().map(|e| e.file).collect();
        f.sort_unstable();
        f.dedup();
        f.len()
    };
    writeln!(
        out,
        "{} in {}.",
        plural(n, "error"),
        plural(files_hit, "rule file")
    )
}

/// Renders failed rule examples as diagnostics pointing at the examples.
pub fn render_example_failures(
    sources: &[SourceFile],
    failures: &[ExampleFailure],
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let files = source_files(sources);
    for f in failures {
        let label = match f.outcome {
            ExampleOutcome::Untested(_) => "this rule",
            _ => "this example",
        };
        let diag = cs::Diagnostic::error()
            .with_code(&f.rule)
            .with_message(f.message())
            .with_labels(vec![Label::primary((), f.span.clone()).with_message(label)])
            .with_notes(f.notes());
        emit_in_file(out, color, &files, f.file, diag)?;
    }
    Ok(())
}
