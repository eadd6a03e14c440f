//! Reports: diagnostics and the files they are about, written in one of the
//! output formats (`docs/output-formats.md`). Renderers take reports and
//! nothing else; they never parse. What several formats share lives here:
//! positions, repository-relative paths, control-character sanitising and
//! stable fingerprints.

mod checkstyle;
mod codacy;
mod excerpt;
mod github;
mod gitlab;
mod gnu;
mod hadolint;
mod human;
mod json;
mod junit;
mod rdjson;
mod sarif;
mod sonarqube;
mod xml;

pub use human::{render_in_file, write_problems, write_problems_plain};

use crate::diagnostic::{Diagnostic, Edit, FileError, FileReport, Fix, Label, Severity};
use crate::redact::{Redaction, Redactor, is_masked, mask_source};
use crate::span::{LineCol, LineIndex, Span};
use std::borrow::Cow;
use std::io::{self, Write};
use std::path::{Component, Path};

/// An output format for `shipshape lint` (`--format`). The variants' docs
/// are the command line's help; `docs/output-formats.md` has the rest.
/// hadolint's format names are accepted as aliases where they mean the
/// same thing (`tty`, `gitlab_codeclimate`); `json` is shipshape's own
/// document, and `hadolint-json` is hadolint's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Compiler-style diagnostics with source snippets (alias: human, tty).
    #[value(name = "pretty", aliases = ["human", "tty"])]
    Human,
    /// shipshape's own JSON document (see docs/json-output.md); not
    /// hadolint's `json`, which is `hadolint-json`.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// `file:line:col: severity: message [RULE]`, one line per finding.
    Gnu,
    /// Checkstyle XML, for reviewdog and CI plugins.
    Checkstyle,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// A GitLab Code Quality report (alias: gitlab_codeclimate).
    #[value(name = "gitlab", aliases = ["gitlab_codeclimate", "gitlab-codeclimate"])]
    Gitlab,
    /// Code Climate engine issues, each followed by a NUL byte.
    Codeclimate,
    /// Codacy's tool results, one JSON object per line.
    Codacy,
    /// SonarQube's generic external issue report.
    Sonarqube,
    /// JUnit XML: a test suite per file, a failed test case per finding.
    Junit,
    /// reviewdog's diagnostic format (rdjson), with fixes as suggestions.
    Rdjson,
    /// hadolint's JSON format.
    #[value(name = "hadolint-json", alias = "hadolint_json")]
    HadolintJson,
}

impl Format {
    pub const ALL: [Format; 13] = [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Gnu,
        Format::Checkstyle,
        Format::Github,
        Format::Gitlab,
        Format::Codeclimate,
        Format::Codacy,
        Format::Sonarqube,
        Format::Junit,
        Format::Rdjson,
        Format::HadolintJson,
    ];
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
    /// The rule's documentation page, when it has one.
    pub url: Option<String>,
}

/// Everything one run produced, in output order.
#[derive(Debug, Default)]
pub struct Run {
    pub reports: Vec<FileReport>,
    pub errors: Vec<FileError>,
    /// Only the diagnostics: no summary line (`--quiet`).
    pub quiet: bool,
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

/// Writes a run's diagnostics to `out` in `format`. File errors go where
/// the format has room for them (the JSON and SARIF documents, a
/// checkstyle `<file>`, a GitHub annotation, a JUnit `<error>`), and to
/// `err` (stderr) in every format, one line each, so that a CI log says
/// what failed whatever the format. Only the pretty format adds a summary
/// line.
pub fn write(
    run: &Run,
    format: Format,
    color: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    let redacted;
    let run = match redacted_run(run) {
        Some(r) => {
            redacted = r;
            &redacted
        }
        None => run,
    };
    if format != Format::Human {
        write_errors_plain(run, err)?;
    }
    match format {
        Format::Human => human::write(run, color, out, err),
        Format::Json => json::write(run, out),
        Format::Sarif => sarif::write(run, out),
        Format::Gnu => gnu::write(run, out),
        Format::Checkstyle => checkstyle::write(run, out),
        Format::Github => github::write(run, out),
        Format::Gitlab => gitlab::write(run, out),
        Format::Codeclimate => gitlab::write_codeclimate(run, out),
        Format::Codacy => codacy::write(run, out),
        Format::Sonarqube => sonarqube::write(run, out),
        Format::Junit => junit::write(run, out),
        Format::Rdjson => rdjson::write(run, out),
        Format::HadolintJson => hadolint::write(run, out),
    }
}

/// The run as every format shows it, when some finding is about a secret:
/// each file's source text with its secrets masked (snippets, SARIF
/// regions, GitLab fingerprints read it) and every text about the file
/// (messages, help, labels, fixes) with them redacted. Spans are kept, so
/// machine formats still say where each secret is.
fn redacted_run(run: &Run) -> Option<Run> {
    if !run.reports.iter().any(shows_secret) {
        return None;
    }
    Some(Run {
        reports: run.reports.iter().map(redacted_report).collect(),
        errors: run.errors.clone(),
        quiet: run.quiet,
        rules: run.rules.clone(),
        root: run.root.clone(),
    })
}

/// Whether a report still shows a secret: some finding's secret bytes,
/// in its source, are not masked yet.
fn shows_secret(report: &FileReport) -> bool {
    report.diagnostics.iter().flat_map(|d| &d.redact).any(|r| {
        let hidden = r.hidden();
        report
            .source
            .get(hidden.start as usize..hidden.end as usize)
            .is_some_and(|s| !is_masked(s))
    })
}

/// A report as every format shows it: with its secrets masked and redacted
/// when it has any (see [`redacted_run`]), else as it is. A front end that
/// calls this on each file as it is linted spares [`write`] a copy of the
/// whole run.
pub fn redacted(report: FileReport) -> FileReport {
    if shows_secret(&report) {
        redacted_report(&report)
    } else {
        report
    }
}

/// One file's report with its secrets masked and redacted (see
/// [`redacted_run`]).
pub fn redacted_report(report: &FileReport) -> FileReport {
    let all: Vec<Redaction> = report
        .diagnostics
        .iter()
        .flat_map(|d| d.redact.iter().copied())
        .collect();
    let redactor = Redactor::new(&report.source, &all);
    let diagnostics = report
        .diagnostics
        .iter()
        .map(|d| {
            // The places the finding's texts are about.
            let near: Vec<Span> = std::iter::once(d.span)
                .chain(d.labels.iter().map(|l| l.span))
                .chain(d.fix.iter().flat_map(|f| f.edits.iter().map(|e| e.span)))
                .collect();
            let text = |s: &str| redactor.apply_near(s, &near).into_owned();
            Diagnostic {
                message: text(&d.message),
                help: d.help.as_deref().map(text),
                labels: d
                    .labels
                    .iter()
                    .map(|l| Label {
                        span: l.span,
                        message: text(&l.message),
                    })
                    .collect(),
                fix: d.fix.as_ref().map(|f| Fix {
                    title: text(&f.title),
                    applicability: f.applicability,
                    edits: f
                        .edits
                        .iter()
                        .map(|e| Edit {
                            span: e.span,
                            text: text(&e.text),
                        })
                        .collect(),
                }),
                ..d.clone()
            }
        })
        .collect();
    FileReport {
        path: report.path.clone(),
        source: mask_source(&report.source, &all).into_owned(),
        diagnostics,
    }
}

/// Diagnostics sorted the way every format prints them: by position, then
/// rule id.
pub(crate) fn ordered(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut v: Vec<&Diagnostic> = diagnostics.iter().collect();
    v.sort_by(|a, b| (a.span.start, &a.rule, a.span.end).cmp(&(b.span.start, &b.rule, b.span.end)));
    v
}

/// Lines and columns of one file's spans. Every format counts the same way:
/// 1-based lines, 1-based columns in characters (Unicode scalar values).
pub(crate) struct Positions<'a> {
    source: &'a str,
    index: LineIndex,
}

impl<'a> Positions<'a> {
    pub(crate) fn new(source: &'a str) -> Self {
        Positions {
            source,
            index: LineIndex::new(source),
        }
    }

    pub(crate) fn at(&self, offset: u32) -> LineCol {
        self.index.line_col(self.source, offset)
    }

    /// The start and the exclusive end of a span. The end is the column just
    /// after the span's last character, on that character's line, so a span
    /// that ends with its line's newline does not spill onto the next line.
    pub(crate) fn range(&self, span: Span) -> (LineCol, LineCol) {
        let start = self.at(span.start);
        let Some(last) = self.last_char(span) else {
            return (start, start);
        };
        let lc = self.at(last as u32);
        (
            start,
            LineCol {
                line: lc.line,
                column: lc.column + 1,
            },
        )
    }

    /// Where the span's last character starts; `None` for an empty span.
    fn last_char(&self, span: Span) -> Option<usize> {
        let end = (span.end as usize).min(self.source.len());
        if end <= span.start as usize {
            return None;
        }
        let mut last = end - 1;
        while !self.source.is_char_boundary(last) {
            last -= 1;
        }
        Some(last)
    }

    /// The start and the exclusive end of a span as [`Positions::range`]
    /// gives them, with columns in UTF-8 bytes instead of characters.
    pub(crate) fn byte_range(&self, span: Span) -> (LineCol, LineCol) {
        let at = |offset: u32, extra: u32| LineCol {
            line: self.index.line_of(offset) + 1,
            column: self.index.utf8_col(self.source, offset) + extra + 1,
        };
        let start = at(span.start, 0);
        let Some(last) = self.last_char(span) else {
            return (start, start);
        };
        let width = self.source[last..].chars().next().map_or(1, char::len_utf8);
        (start, at(last as u32, width as u32))
    }

    /// The text of a 1-based line, without its line break.
    pub(crate) fn line_text(&self, line: u32) -> &'a str {
        let zero = line.saturating_sub(1);
        let start = self.index.line_start(zero) as usize;
        let end = self.index.line_start(zero + 1) as usize;
        let text = self.source.get(start..end).unwrap_or("");
        text.strip_suffix('\n')
            .map_or(text, |t| t.strip_suffix('\r').unwrap_or(t))
    }
}

/// A report's path relative to `root`, with `/` separators, for formats
/// whose consumers resolve paths against the repository (SARIF, GitLab,
/// GitHub). Both sides are canonicalized when possible. A path outside
/// `root`, one that cannot be canonicalized (stdin's name) or a run
/// without a root keeps the path as given, minus a leading `./` and with
/// `\` turned into `/`.
pub(crate) fn repo_relative(path: &str, root: Option<&Path>) -> String {
    if let Some(root) = root
        && let Ok(full) = Path::new(path).canonicalize()
    {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        if let Ok(rel) = full.strip_prefix(&root) {
            let parts: Option<Vec<&str>> = rel
                .components()
                .map(|c| match c {
                    Component::Normal(s) => s.to_str(),
                    _ => None,
                })
                .collect();
            if let Some(parts) = parts
                && !parts.is_empty()
            {
                return parts.join("/");
            }
        }
    }
    let mut p = path.replace('\\', "/");
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.trim_start_matches('/').to_owned();
    }
    p
}

/// Characters that must not reach a terminal or a log viewer as they are:
/// C0 controls other than tab, line feed and carriage return, DEL, C1
/// controls, and the bidirectional overrides and isolates that can make
/// text display differently from what it is.
pub(crate) fn is_unsafe_char(c: char) -> bool {
    matches!(c,
        '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Replaces [unsafe characters](is_unsafe_char), and carriage returns
/// that do not end a line (a terminal would move back and print over the
/// line), with visible ones of the same UTF-8 length, so byte spans into
/// the text stay valid: `?` for an ASCII control, `¿` for a C1 control,
/// `\u{fffd}` for a bidi control.
pub(crate) fn sanitize(text: &str) -> Cow<'_, str> {
    let shown_as_is = |(i, c): (usize, char)| {
        !is_unsafe_char(c) && (c != '\r' || text.as_bytes().get(i + 1) == Some(&b'\n'))
    };
    if text.char_indices().all(shown_as_is) {
        return Cow::Borrowed(text);
    }
    let out: String = text
        .char_indices()
        .map(|(i, c)| {
            if shown_as_is((i, c)) {
                c
            } else {
                match c.len_utf8() {
                    1 => '?',
                    2 => '\u{bf}',
                    _ => '\u{fffd}',
                }
            }
        })
        .collect();
    debug_assert_eq!(out.len(), text.len());
    Cow::Owned(out)
}

/// [`sanitize`]d text on one line: line breaks and tabs become spaces.
pub(crate) fn single_line(text: &str) -> String {
    sanitize(&text.replace(['\n', '\r', '\t'], " ")).into_owned()
}

/// A 128-bit hash that is the same on every platform and in every release:
/// FNV-1a 64 run twice with different offset bases. Each part is
/// length-prefixed, so `["ab", "c"]` and `["a", "bc"]` differ.
pub(crate) fn stable_hash(parts: &[&[u8]]) -> u128 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    const SEEDS: [u64; 2] = [0xcbf2_9ce4_8422_2325, 0x6c62_272e_07bb_0142];
    let [hi, lo] = SEEDS.map(|seed| {
        let mut h = seed;
        let mut eat = |bytes: &[u8]| {
            for &b in bytes {
                h ^= u64::from(b);
                h = h.wrapping_mul(PRIME);
            }
        };
        for part in parts {
            eat(&(part.len() as u64).to_le_bytes());
            eat(part);
        }
        h
    });
    (u128::from(hi) << 64) | u128::from(lo)
}

/// The severity words of formats that only know error, warning and note
/// (SARIF, Visual Studio and others): info and style are notes.
pub(crate) fn note_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "note",
    }
}

/// Writes `value` as one JSON document (indented when `pretty`) and a
/// newline. The document is built in memory and written at once: a
/// serializer writing token by token through `dyn Write` costs several
/// times more.
pub(crate) fn write_json(
    out: &mut dyn Write,
    value: &impl serde::Serialize,
    pretty: bool,
) -> io::Result<()> {
    let mut bytes = if pretty {
        serde_json::to_vec_pretty(value)
    } else {
        serde_json::to_vec(value)
    }
    .map_err(io::Error::other)?;
    bytes.push(b'\n');
    out.write_all(&bytes)
}

/// `path: error: message` on `err`, one line per file error: what every
/// format but pretty (which shows them as diagnostics) prints on stderr.
pub(crate) fn write_errors_plain(run: &Run, err: &mut dyn Write) -> io::Result<()> {
    for e in &run.errors {
        writeln!(
            err,
            "{}: error: {}",
            single_line(&e.path),
            single_line(&e.message)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_keeps_byte_lengths() {
        let text = "a\u{1b}[31mb\u{7}\u{0}\u{7f}\u{85}\u{202e}\u{2066}\t\r\nz";
        let clean = sanitize(text);
        assert_eq!(clean.len(), text.len());
        assert_eq!(clean, "a?[31mb???\u{bf}\u{fffd}\u{fffd}\t\r\nz");
        assert!(matches!(sanitize("plain ü\r\n"), Cow::Borrowed(_)));
        assert_eq!(sanitize("RUN a\rRUN b\r\r\n\r"), "RUN a?RUN b?\r\n?");
    }

    #[test]
    fn single_line_has_no_breaks() {
        assert_eq!(single_line("a\nb\r\tc\u{1b}"), "a b  c?");
    }

    #[test]
    fn paths_outside_root_are_kept_as_given() {
        let root = Path::new("/nonexistent-root");
        assert_eq!(
            repo_relative("./a\\b/Dockerfile", Some(root)),
            "a/b/Dockerfile"
        );
        assert_eq!(repo_relative("<stdin>", Some(root)), "<stdin>");
        assert_eq!(repo_relative("/abs/Dockerfile", None), "/abs/Dockerfile");
    }

    #[test]
    fn end_is_exclusive_and_stays_on_the_last_line() {
        let src = "FROM ä\nRUN x\n";
        let p = Positions::new(src);
        let (s, e) = p.range(Span::new(5, 7));
        assert_eq!((s.line, s.column, e.line, e.column), (1, 6, 1, 7));
        let (_, e) = p.range(Span::new(0, 8));
        assert_eq!((e.line, e.column), (1, 8));
        let (s, e) = p.range(Span::new(3, 3));
        assert_eq!((s.column, e.column), (4, 4));
        assert_eq!(p.line_text(2), "RUN x");
        assert_eq!(p.line_text(3), "");
    }

    #[test]
    fn hash_parts_are_delimited() {
        assert_ne!(stable_hash(&[b"ab", b"c"]), stable_hash(&[b"a", b"bc"]));
        assert_eq!(stable_hash(&[b"x"]), stable_hash(&[b"x"]));
    }
}
