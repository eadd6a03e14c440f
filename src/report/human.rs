//! The human format: codespan-reporting's compiler-style diagnostics,
//! with shipshape's severity words (`info` and `style` where
//! codespan-reporting says `note` and `help`).
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
use super::{Counts, Run, ordered, sanitize, single_line};
use crate::diagnostic::{Applicability, Diagnostic, Place, Problem, ProblemKind, Severity};
use codespan_reporting::diagnostic::{self as cs, Label, LabelStyle};
use codespan_reporting::files::{Files, SimpleFiles};
use codespan_reporting::term::{self, Config, termcolor};
use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::Arc;

pub(super) fn write(
    run: &Run,
    color: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    let config = Config::default();
    let no_files = SimpleFiles::<&str, &str>::new();
    for e in &run.errors {
        let diag = cs::Diagnostic::error().with_message(sanitize(&e.to_string()).into_owned());
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

/// Emits one diagnostic. codespan-reporting names the severities `note`
/// and `help`; shipshape's are `info` and `style`, as in every other
/// format, so the header's word is replaced.
fn emit<'f, F: Files<'f> + ?Sized>(
    out: &mut dyn Write,
    color: bool,
    config: &Config,
    files: &'f F,
    diag: &cs::Diagnostic<F::FileId>,
) -> io::Result<()> {
    let mut buf = Vec::new();
    let result = if color {
        term::emit_to_write_style(&mut termcolor::Ansi::new(&mut buf), config, files, diag)
    } else {
        term::emit_to_io_write(&mut buf, config, files, diag)
    };
    result.map_err(|e| match e {
        codespan_reporting::files::Error::Io(e) => e,
        other => io::Error::other(other.to_string()),
    })?;
    let renamed = match diag.severity {
        cs::Severity::Note => Some((&b"note"[..], &b"info"[..])),
        cs::Severity::Help => Some((&b"help"[..], &b"style"[..])),
        _ => None,
    };
    if let Some((from, to)) = renamed
        && let Some(at) = buf.windows(from.len()).position(|w| w == from)
    {
        buf.splice(at..at + from.len(), to.iter().copied());
    }
    out.write_all(&buf)
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

/// Writes problems found outside the Dockerfiles (settings and rule files),
/// in order: those that point into a file as diagnostics showing it, the
/// others as one line each. Each run of rule-file errors ends with a count.
pub fn write_problems(problems: &[Problem], color: bool, out: &mut dyn Write) -> io::Result<()> {
    let config = Config::default();
    // Consecutive problems in one file share its line index.
    let mut shown: Option<(&Arc<str>, Source)> = None;
    for (i, p) in problems.iter().enumerate() {
        match &p.at {
            Some(place) => {
                if !shown
                    .as_ref()
                    .is_some_and(|(t, _)| Arc::ptr_eq(t, &place.text))
                {
                    let name = p.path.as_deref().unwrap_or("");
                    shown = Some((&place.text, Source::new(name, &place.text)));
                }
                if let Some((_, source)) = &shown {
                    emit_in(out, color, &config, source, problem_diagnostic(p, place))?;
                }
            }
            None => {
                let level = p.severity.as_str();
                match &p.path {
                    Some(path) => writeln!(
                        out,
                        "{level}: {}: {}",
                        single_line(path),
                        single_line(&p.message)
                    )?,
                    None => writeln!(out, "{level}: {}", single_line(&p.message))?,
                }
            }
        }
        let in_rule_file = |p: &Problem| p.kind == ProblemKind::RuleFile;
        if in_rule_file(p) && !problems.get(i + 1).is_some_and(in_rule_file) {
            let start = problems[..i]
                .iter()
                .rposition(|p| !in_rule_file(p))
                .map_or(0, |s| s + 1);
            write_rule_file_count(&problems[start..=i], out)?;
        }
    }
    Ok(())
}

/// Writes problems found outside the Dockerfiles one line each,
/// `path:line:column: severity: message`, for logs that machine formats
/// leave to stderr.
pub fn write_problems_plain(problems: &[Problem], out: &mut dyn Write) -> io::Result<()> {
    for p in problems {
        let mut at = String::new();
        if let Some(path) = &p.path {
            at.push_str(&single_line(path));
            if let Some(place) = &p.at {
                let lc = super::Positions::new(&place.text).at(place.span.start);
                at.push_str(&format!(":{}:{}", lc.line, lc.column));
            }
            at.push_str(": ");
        }
        writeln!(
            out,
            "{at}{}: {}",
            p.severity.as_str(),
            single_line(&p.message)
        )?;
    }
    Ok(())
}

fn problem_diagnostic(p: &Problem, place: &Place) -> cs::Diagnostic<()> {
    let mut diag = cs::Diagnostic::new(severity(p.severity))
        .with_message(&p.message)
        .with_labels(vec![
            Label::primary((), place.span.range()).with_message(&place.label),
        ])
        .with_notes(p.notes.clone());
    if let Some(rule) = &p.rule {
        diag = diag.with_code(rule);
    }
    diag
}

/// `7 errors in 2 rule files.`
fn write_rule_file_count(errors: &[Problem], out: &mut dyn Write) -> io::Result<()> {
    let mut files: Vec<Option<&str>> = errors.iter().map(|e| e.path.as_deref()).collect();
    files.sort_unstable();
    files.dedup();
    writeln!(
        out,
        "{} in {}.",
        plural(errors.len(), "error"),
        plural(files.len(), "rule file")
    )
}
