//! `shipshape lint`: options → [`Linter`] → discover → lint in parallel →
//! report in order → exit code. The policy (settings, selection, severities,
//! panic isolation) is the linter's; this is input and output only.

use super::discover::{Input, discover};
use super::fix::{self, Outcome};
use super::input;
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, LintArgs};
use crate::diagnostic::{FileError, Problem, Severity};
use crate::linter::{LintOptions, Linter, SettingsFiles};
use crate::report::{self, Counts, Format, RuleInfo, Run};
use crate::rules::documentation_url;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

pub(super) fn run(args: &LintArgs, color: bool, color_err: bool) -> u8 {
    let paths: Vec<String> = if args.paths.is_empty() {
        vec![".".to_owned()]
    } else {
        args.paths.clone()
    };
    let (inputs, mut errors) = discover(&paths);
    if inputs.is_empty() && errors.is_empty() {
        eprintln!("warning: no Dockerfiles found in {}", paths.join(", "));
    }
    let stdin_name = args.stdin_filename.as_deref().unwrap_or("<stdin>");
    let files: Vec<(PathBuf, String)> = inputs
        .iter()
        .map(|input| match input {
            Input::Stdin => (PathBuf::from(stdin_name), stdin_name.to_owned()),
            Input::File(p) => (p.clone(), p.display().to_string()),
        })
        .collect();

    let linter = Linter::new(
        lint_options(args),
        &files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
    );
    let linter = match linter {
        Ok(linter) => linter,
        Err(problems) => {
            show_problems(&problems, args.quiet, color_err);
            return EXIT_ERROR;
        }
    };
    let problems = linter.problems();
    show_problems(&problems, args.quiet, color_err);
    let failed = problems.iter().any(Problem::is_error);

    let stdin_bytes = if inputs.contains(&Input::Stdin) {
        match input::read_stdin(args.max_file_size) {
            Ok(b) => Some(b),
            Err(message) => {
                errors.push(FileError {
                    path: stdin_name.to_owned(),
                    message,
                });
                None
            }
        }
    } else {
        None
    };
    let outcomes = lint_all(&linter, &inputs, &files, stdin_bytes.as_deref(), args);

    let first_governed = files
        .iter()
        .map(|(p, _)| p.as_path())
        .find(|p| linter.settings_file(p).is_some());
    let mut run = Run {
        rules: rule_infos(&linter, first_governed),
        root: report_root(),
        quiet: args.quiet,
        ..Run::default()
    };
    let mut fail = false;
    let mut fixes = Vec::new();
    for (i, outcome) in outcomes {
        match outcome.report {
            Ok(r) => {
                let threshold = linter.fail_on(&files[i].0);
                fail |= r.diagnostics.iter().any(|d| threshold.fails(d.severity));
                run.reports.push(crate::report::redacted(r));
            }
            Err(e) => errors.push(e),
        }
        errors.extend(outcome.error);
        fixes.extend(outcome.fix);
    }
    run.errors = errors;

    if args.diff {
        return show_diffs(&run, &fixes, args);
    }
    // With stdin fixed, stdout carries the fixed text; the report moves to stderr.
    let fixed_stdin = fixes.iter().find_map(|f| f.stdout.as_deref());
    if let Some(text) = fixed_stdin {
        let mut out = std::io::stdout().lock();
        if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush())
            && e.kind() != std::io::ErrorKind::BrokenPipe
        {
            eprintln!("error: cannot write the fixed text: {e}");
            return EXIT_ERROR;
        }
    }
    let _ = fix::tell(&fixes, args, &mut std::io::stderr().lock());
    let to_stderr = fixed_stdin.is_some();
    let color = if to_stderr { color_err } else { color };
    if !write_report(&run, args, color, to_stderr) {
        return EXIT_ERROR;
    }
    if !run.errors.is_empty() || failed {
        EXIT_ERROR
    } else if fail && !args.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// `--diff`: every file's diff on stdout, in input order, and the errors on
/// stderr. Exit code 1 when anything would change.
fn show_diffs(run: &Run, fixes: &[fix::FileFix], args: &LintArgs) -> u8 {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = fixes
        .iter()
        .try_for_each(|f| out.write_all(f.diff.as_bytes()))
        .and_then(|_| out.flush());
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write the diff: {e}");
        return EXIT_ERROR;
    }
    let mut err = std::io::stderr().lock();
    for e in &run.errors {
        let _ = writeln!(err, "error: {e}");
    }
    let _ = fix::tell(fixes, args, &mut err);
    if !run.errors.is_empty() {
        EXIT_ERROR
    } else if fixes.iter().any(|f| f.changed) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// The command line's choices for the linter.
fn lint_options(args: &LintArgs) -> LintOptions {
    LintOptions {
        rule_dirs: args.rules.clone(),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        fail_on: args.fail_on,
        target: args.target.clone(),
        settings: match (&args.config, args.isolated) {
            (_, true) => SettingsFiles::Ignore,
            (Some(file), false) => SettingsFiles::Use(file.clone()),
            (None, false) => SettingsFiles::Discover,
        },
    }
}

/// Problems in settings and rule files, on stderr; notes are left out
/// with `--quiet`.
fn show_problems(problems: &[Problem], quiet: bool, color: bool) {
    let shown: Vec<Problem> = problems
        .iter()
        .filter(|p| !quiet || p.severity >= Severity::Warning)
        .cloned()
        .collect();
    let _ = report::write_problems(&shown, color, &mut std::io::stderr().lock());
}

/// Lints (and with `--fix` or `--diff`, fixes) every input in parallel;
/// the outcomes come back in input order, each with its input's index.
/// Stdin is linted only if it was read.
fn lint_all(
    linter: &Linter,
    inputs: &[Input],
    files: &[(PathBuf, String)],
    stdin: Option<&[u8]>,
    args: &LintArgs,
) -> Vec<(usize, Outcome)> {
    inputs
        .par_iter()
        .zip(files)
        .enumerate()
        .filter_map(|(i, (input, (path, name)))| {
            let bytes = match input {
                Input::Stdin => Ok(stdin?.to_vec()),
                Input::File(p) => input::read_file(p, args.max_file_size),
            };
            let outcome = match bytes {
                Ok(bytes) => fix::lint_file(linter, input, path, name, bytes, args),
                Err(message) => Outcome {
                    report: Err(FileError {
                        path: name.clone(),
                        message,
                    }),
                    fix: None,
                    error: None,
                },
            };
            Some((i, outcome))
        })
        .collect()
}

/// Writes the report (or `--statistics`) to stdout, or to stderr when
/// stdout holds fixed text; false when it could not be written (a closed
/// pipe is no failure).
fn write_report(run: &Run, args: &LintArgs, color: bool, to_stderr: bool) -> bool {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out: Box<dyn Write> = if to_stderr {
        Box::new(std::io::BufWriter::new(std::io::stderr()))
    } else {
        Box::new(std::io::BufWriter::new(stdout.lock()))
    };
    let mut err = stderr.lock();
    let written = if args.statistics {
        statistics(run, args.format, &mut out, &mut err)
    } else {
        report::write(run, args.format, color, &mut out, &mut err)
    }
    .and_then(|_| out.flush());
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write the report: {e}");
            false
        }
        _ => true,
    }
}

/// `--statistics`: findings per rule, most frequent first.
fn statistics(
    run: &Run,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<()> {
    for e in &run.errors {
        writeln!(err, "error: {e}")?;
    }
    let mut counts: BTreeMap<(&str, &str), (usize, Severity)> = BTreeMap::new();
    for d in run.reports.iter().flat_map(|r| &r.diagnostics) {
        let slot = counts
            .entry((d.rule.as_str(), d.name.as_str()))
            .or_insert((0, d.severity));
        slot.0 += 1;
        slot.1 = slot.1.max(d.severity);
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
    if format == Format::Json {
        let v: Vec<serde_json::Value> = rows
            .iter()
            .map(|((rule, name), (count, sev))| {
                serde_json::json!({ "rule": rule, "name": name, "severity": sev.as_str(), "count": count })
            })
            .collect();
        return crate::report::write_json(out, &v, true);
    }
    let width = rows
        .iter()
        .map(|(_, (n, _))| n.to_string().len())
        .max()
        .unwrap_or(1);
    for ((rule, name), (count, sev)) in &rows {
        writeln!(
            out,
            "{count:>width$}  {rule:<7} {:<7}  {name}",
            sev.as_str()
        )?;
    }
    let c = Counts::of(run);
    writeln!(
        out,
        "{} findings in {} of {} files.",
        c.total(),
        c.files_with_findings,
        c.files
    )
}

/// What machine formats say about the enabled rules, by id: as the
/// settings of the file at `path` (or of no settings file) enable them.
fn rule_infos(linter: &Linter, path: Option<&std::path::Path>) -> Vec<RuleInfo> {
    let rules = linter.rules();
    let mut v: Vec<RuleInfo> = linter
        .enabled_rules(path)
        .into_iter()
        .map(|(r, severity)| RuleInfo {
            id: r.meta.id.clone(),
            name: r.meta.name.clone(),
            category: r.meta.category.to_string(),
            severity,
            summary: r.meta.summary.clone(),
            help: r.meta.help.clone(),
            url: documentation_url(rules, r),
        })
        .collect();
    v.sort_by(|a, b| a.id.cmp(&b.id));
    v
}

/// The directory machine formats make paths relative to: the enclosing
/// Git work tree's root, else the working directory.
fn report_root() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let git_root = cwd.ancestors().find(|d| d.join(".git").exists());
    Some(git_root.unwrap_or(&cwd).to_path_buf())
}
