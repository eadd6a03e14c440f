//! `lint --fix` and `lint --diff`: each file fixed through the linter, then
//! written back, shown as a diff, or (stdin) printed; and what was done,
//! said on stderr.

use super::LintArgs;
use super::discover::Input;
use crate::diagnostic::{Applicability, FileError, FileReport};
use crate::fix::{self, Applied, RolledBack};
use crate::linter::Linter;
use crate::redact::{Redaction, Redactor};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// What fixing one file did.
pub(super) struct FileFix {
    pub name: String,
    pub applied: Vec<Applied>,
    pub rolled_back: Vec<RolledBack>,
    pub converged: bool,
    /// Whether the text changed (whether or not it was written).
    pub changed: bool,
    /// `--diff`: the unified diff; empty when nothing changes.
    pub diff: String,
    /// Stdin with `--fix`: the fixed text, for stdout.
    pub stdout: Option<String>,
}

/// One file's outcome: the findings to report, what fixing did, and an
/// error that kept the fixed file from being written.
pub(super) struct Outcome {
    pub report: Result<FileReport, FileError>,
    pub fix: Option<FileFix>,
    pub error: Option<FileError>,
}

/// Lints `bytes`, the content of `input`, and with `--fix` or `--diff`
/// fixes them as `args` ask. Text that is not UTF-8 is linted, never fixed.
pub(super) fn lint_file(
    linter: &Linter,
    input: &Input,
    path: &Path,
    name: &str,
    bytes: Vec<u8>,
    args: &LintArgs,
) -> Outcome {
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) if args.fix || args.diff => text,
        _ => {
            return Outcome {
                report: linter.lint_bytes(path, name, bytes),
                fix: None,
                error: None,
            };
        }
    };
    let min = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let fixed = match linter.fix_text(path, name, text, min) {
        Ok(fixed) => fixed,
        Err(e) => {
            return Outcome {
                report: Err(e),
                fix: None,
                error: None,
            };
        }
    };
    let changed = fixed.changed(text);
    let mut file_fix = FileFix {
        name: name.to_owned(),
        applied: fixed.applied,
        rolled_back: fixed.rolled_back,
        converged: fixed.converged,
        changed,
        diff: String::new(),
        stdout: None,
    };
    let remaining = FileReport {
        path: name.to_owned(),
        source: fixed.text,
        diagnostics: fixed.diagnostics,
    };
    let mut error = None;
    if args.diff {
        // A diff shows lines around each change: the secrets on them are
        // redacted as in every report.
        let secrets: Vec<Redaction> = remaining
            .diagnostics
            .iter()
            .flat_map(|d| d.redact.iter().copied())
            .collect();
        let diff = fix::unified_diff(name, text, &remaining.source);
        file_fix.diff = Redactor::new(&remaining.source, &secrets)
            .apply(&diff)
            .into_owned();
    } else if *input == Input::Stdin {
        file_fix.stdout = Some(remaining.source.clone());
    } else if changed && let Err(e) = fix::write_fixed(path, &bytes, &remaining.source) {
        error = Some(FileError {
            path: name.to_owned(),
            message: e.to_string(),
        });
        // Nothing was written: report the file as it is.
        file_fix.applied.clear();
        file_fix.changed = false;
        return Outcome {
            report: linter.lint_text(path, name, text),
            fix: Some(file_fix),
            error,
        };
    }
    Outcome {
        report: Ok(remaining),
        fix: Some(file_fix),
        error,
    }
}

/// Says on stderr what fixing did: fixes undone and files that did not
/// settle (always), what was fixed per file and rule (`--show-fixes`), and
/// a count (unless `--quiet`).
pub(super) fn tell(fixes: &[FileFix], args: &LintArgs, err: &mut dyn Write) -> std::io::Result<()> {
    for f in fixes {
        for r in &f.rolled_back {
            writeln!(
                err,
                "warning: {}:{}: fix not applied: {} [{}]: {}",
                f.name, r.line, r.title, r.rule, r.reason
            )?;
        }
        if !f.converged {
            writeln!(
                err,
                "warning: {}: fixes still change the file after {} rounds; stopped there",
                f.name,
                fix::MAX_ROUNDS
            )?;
        }
    }
    if args.show_fixes && !args.diff {
        for f in fixes.iter().filter(|f| !f.applied.is_empty()) {
            writeln!(err, "Fixed in {}:", f.name)?;
            let mut by_rule: BTreeMap<(&str, &str), usize> = BTreeMap::new();
            for a in &f.applied {
                *by_rule.entry((&a.rule, &a.title)).or_default() += 1;
            }
            for ((rule, title), n) in by_rule {
                writeln!(err, "  {n} × {rule}: {title}")?;
            }
        }
    }
    if !args.quiet {
        let count: usize = fixes.iter().map(|f| f.applied.len()).sum();
        let files = fixes.iter().filter(|f| f.changed).count();
        let findings = if count == 1 { "finding" } else { "findings" };
        let in_files = if files == 1 { "file" } else { "files" };
        if args.diff {
            writeln!(err, "Would fix {count} {findings} in {files} {in_files}.")?;
        } else if count > 0 {
            writeln!(err, "Fixed {count} {findings} in {files} {in_files}.")?;
        }
    }
    Ok(())
}
