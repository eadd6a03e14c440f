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
    if !args.require_label.is_empty() || args.strict_labels {
        eprintln!(
            "warning: shipshape has no label-schema checks; --require-label and --strict-labels have no effect"
        );
    }
    let paths: Vec<String> = if !args.paths.is_empty() {
        args.paths.clone()
    } else if args.stdin_filename.is_some() {
        // A name for stdin and nothing else to lint: stdin is what is meant.
        vec!["-".to_owned()]
    } else {
        vec![".".to_owned()]
    };
    let (mut inputs, mut errors) = discover(&paths);
    if let Some(name) = &args.file_path_in_report
        && inputs.len() + errors.len() > 1
    {
        eprintln!(
            "error: --file-path-in-report {name} names the path of one file, but {} were given",
            inputs.len() + errors.len()
        );
        return EXIT_ERROR;
    }
    let stdin_name = args
        .stdin_filename
        .as_deref()
        .or(args.file_path_in_report.as_deref())
        .unwrap_or("<stdin>");
    let name_of = |input: &Input| match input {
        Input::Stdin => (PathBuf::from(stdin_name), stdin_name.to_owned()),
        Input::File(p) => (
            p.clone(),
            args.file_path_in_report
                .clone()
                .unwrap_or_else(|| p.display().to_string()),
        ),
    };
    let files: Vec<(PathBuf, String)> = inputs.iter().map(name_of).collect();

    let linter = Linter::new(
        lint_options(args),
        &files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
    );
    let linter = match linter {
        Ok(linter) => linter,
        Err(problems) => {
            show_problems(&problems, args, color_err);
            return EXIT_ERROR;
        }
    };
    let excluded: Vec<PathBuf> = files
        .iter()
        .zip(&inputs)
        .filter(|(_, i)| matches!(i, Input::File(_)))
        .map(|((p, _), _)| p.clone())
        .filter(|p| linter.excluded(p))
        .collect();
    if !excluded.is_empty() {
        inputs.retain(|i| !matches!(i, Input::File(p) if excluded.contains(p)));
    }
    let files: Vec<(PathBuf, String)> = inputs.iter().map(name_of).collect();
    if inputs.is_empty() && errors.is_empty() {
        eprintln!("warning: no Dockerfiles found in {}", paths.join(", "));
    }
    let problems = linter.problems();
    show_problems(&problems, args, color_err);
    let failed = problems.iter().any(Problem::is_error);
    if args.verbose {
        verbose(&linter, args, &files, &excluded);
    }

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
    // Problems found while linting (a settings file met late) come last.
    let late = linter.problems();
    if late.len() > problems.len() {
        show_problems(&late[problems.len()..], args, color_err);
    }
    let failed = failed || late.iter().any(Problem::is_error);
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
        severity: args.severity_overrides(),
        trusted_registries: args.trusted_registry.clone(),
        exclude: args.exclude.clone(),
    }
}

/// `--verbose`: on stderr, the files and the settings that govern each,
/// the files excluded, the rules that run, and what each code of another
/// tool among the selectors stands for.
fn verbose(linter: &Linter, args: &LintArgs, files: &[(PathBuf, String)], excluded: &[PathBuf]) {
    let mut err = std::io::stderr().lock();
    for (path, name) in files {
        let settings = linter.settings_file(path).map_or_else(
            || "no settings file".to_owned(),
            |s| format!("settings from {}", s.display()),
        );
        let rules = linter.enabled_rules(Some(path));
        let _ = writeln!(err, "verbose: {name}: {settings}, {} rules", rules.len());
    }
    for p in excluded {
        let _ = writeln!(err, "verbose: {}: excluded", p.display());
    }
    let selectors = args.select.iter().chain(&args.ignore).chain(
        args.error
            .iter()
            .chain(&args.warning)
            .chain(&args.info)
            .chain(&args.style),
    );
    for sel in selectors {
        if crate::suppress::foreign_tool(sel).is_none() {
            continue;
        }
        let rules: Vec<String> = linter
            .rules()
            .rules
            .iter()
            .filter(|r| r.selected_by(sel))
            .map(|r| format!("{} ({})", r.meta.id, r.meta.name))
            .collect();
        if !rules.is_empty() {
            let _ = writeln!(err, "verbose: {sel} is shipshape's {}", rules.join(", "));
        }
    }
}

/// Problems in settings and rule files, on stderr: shown with the file's
/// lines in the pretty format, one line each in the others (which CI logs
/// read); notes are left out with `--quiet`.
fn show_problems(problems: &[Problem], args: &LintArgs, color: bool) {
    let shown: Vec<Problem> = problems
        .iter()
        .filter(|p| !args.quiet || p.severity >= Severity::Warning)
        .cloned()
        .collect();
    let mut err = std::io::stderr().lock();
    let _ = if args.format == Format::Human {
        report::write_problems(&shown, color, &mut err)
    } else {
        report::write_problems_plain(&shown, &mut err)
    };
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
    let mut out: Box<dyn Write> = if let Some(file) = &args.output {
        match std::fs::File::create(file) {
            Ok(f) => Box::new(std::io::BufWriter::new(f)),
            Err(e) => {
                eprintln!("error: {}: cannot write the report: {e}", file.display());
                return false;
            }
        }
    } else if to_stderr {
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
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe || args.output.is_some() => {
            let to = args
                .output
                .as_ref()
                .map_or_else(String::new, |f| format!("{}: ", f.display()));
            eprintln!("error: {to}cannot write the report: {e}");
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
