//! `shipshape lint`: discover, find each file's settings, lint in
//! parallel (a panic while linting one file is that file's internal
//! error, not the run's end), report in order.

use super::discover::{Input, discover};
use super::input;
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, LintArgs, load_rules};
use crate::config::{self, Config, ConfigError, FailOn, Kind};
use crate::diagnostic::Severity;
use crate::lint::{FileReport, lint_bytes};
use crate::report::{self, Counts, FileError, Format, RuleInfo, Run};
use crate::rules::native::{ALLOWED_USERS, TRUSTED_REGISTRIES};
use crate::rules::{CheckOptions, Data, Rule, RuleSet, documentation_url};
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What applies to the files one settings file governs (or, with `config`
/// `None`, the files no settings file governs).
struct Settings {
    config: Option<usize>,
    enabled: HashSet<String>,
    severity: HashMap<String, Severity>,
    fail_on: FailOn,
    /// The rule set's data plus the settings' options, when there are any.
    data: Option<Data>,
}

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

    // Settings files: which one governs each input, read once each.
    let mut failed = false;
    let (configs, config_of) = find_configs(args, &inputs, color_err, &mut failed);
    if !args.quiet {
        for c in configs.iter().filter(|c| c.kind == Kind::Hadolint) {
            eprintln!(
                "note: no .shipshape.toml found; reading hadolint's settings from {} (ignored, override, trustedRegistries, failure-threshold, no-fail)",
                c.path.display()
            );
        }
    }

    // Rule folders from the command line and from every settings file.
    let mut dirs: Vec<PathBuf> = args.rules.clone();
    for c in &configs {
        for d in &c.rules {
            if !dirs.contains(d) {
                dirs.push(d.clone());
            }
        }
    }
    let (loaded, rules_failed) = match load_rules(&dirs, color_err, true) {
        Ok(r) => r,
        Err(code) => return code,
    };
    failed |= rules_failed;
    let rules: &RuleSet = loaded.get();

    // The command line's selectors are usage errors when they match nothing.
    for sel in args.select.iter().chain(&args.ignore) {
        if !rules.rules.iter().any(|r| r.selected_by(sel)) {
            eprintln!("error: `{sel}` matches no rule (try `shipshape rules` for the list)");
            return EXIT_ERROR;
        }
    }
    let mut settings: Vec<Settings> = Vec::with_capacity(configs.len() + 1);
    settings.push(resolve(args, rules, None, &configs, &dirs));
    for (i, c) in configs.iter().enumerate() {
        let problems = c.check_selectors(rules);
        if !problems.is_empty() {
            render_config_errors(&c.path, &c.text, &problems, color_err);
            failed = true;
        }
        settings.push(resolve(args, rules, Some(i), &configs, &dirs));
    }
    let settings_of = |input: usize| config_of[input].map_or(0, |c| c + 1);

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

    let outcomes: Vec<(usize, Result<FileReport, FileError>)> = inputs
        .par_iter()
        .enumerate()
        .filter_map(|(i, input)| {
            let (name, path, bytes) = match input {
                Input::Stdin => (
                    stdin_name.to_owned(),
                    PathBuf::from(stdin_name),
                    Ok(stdin_bytes.clone()?),
                ),
                Input::File(p) => (
                    p.display().to_string(),
                    p.clone(),
                    input::read_file(p, args.max_file_size),
                ),
            };
            let s = &settings[settings_of(i)];
            let outcome = match bytes {
                Ok(bytes) => lint_one(&name, &path, bytes, rules, s, &configs, args),
                Err(message) => Err(FileError {
                    path: name,
                    message,
                }),
            };
            Some((settings_of(i), outcome))
        })
        .collect();

    let first_settings = config_of.iter().flatten().next().map_or(0, |c| c + 1);
    let mut run = Run {
        rules: rule_infos(rules, &settings[first_settings]),
        root: report_root(),
        quiet: args.quiet,
        ..Run::default()
    };
    let mut fail = false;
    for (s, o) in outcomes {
        match o {
            Ok(r) => {
                let threshold = args.fail_on.unwrap_or(settings[s].fail_on);
                fail |= r.diagnostics.iter().any(|d| threshold.fails(d.severity));
                run.reports.push(r);
            }
            Err(e) => errors.push(e),
        }
    }
    run.errors = errors;

    let format = args.format;
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = stderr.lock();
    let written = if args.statistics {
        statistics(&run, args.format, &mut out, &mut err)
    } else {
        report::write(&run, format, color, &mut out, &mut err)
    }
    .and_then(|_| out.flush());
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write the report: {e}");
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

/// Lints one file with its settings. A panic inside is caught and becomes
/// the file's internal error.
fn lint_one(
    name: &str,
    path: &Path,
    bytes: Vec<u8>,
    rules: &RuleSet,
    s: &Settings,
    configs: &[Config],
    args: &LintArgs,
) -> Result<FileReport, FileError> {
    let config = s.config.map(|c| &configs[c]);
    let ignored: HashSet<&str> = config
        .map(|c| {
            c.ignored_for(path)
                .into_iter()
                .flat_map(|sel| {
                    rules
                        .rules
                        .iter()
                        .filter(|r| r.selected_by(&sel.text))
                        .map(|r| r.meta.id.as_str())
                })
                .collect()
        })
        .unwrap_or_default();
    let keep = |r: &Rule| s.enabled.contains(&r.meta.id) && !ignored.contains(r.meta.id.as_str());
    let options = CheckOptions {
        target: args.target.as_deref(),
        data: s.data.as_ref(),
    };
    let linted = catch_panic(|| lint_bytes(name, bytes, rules, options, &keep));
    match linted {
        Ok(mut report) => {
            for d in &mut report.diagnostics {
                if let Some(&sev) = s.severity.get(&d.rule) {
                    d.severity = sev;
                }
            }
            Ok(report)
        }
        Err(panic) => Err(FileError {
            path: name.to_owned(),
            message: format!("internal error while linting this file (please report it): {panic}"),
        }),
    }
}

thread_local! {
    static PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f`, turning a panic into its message (with where it happened).
fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_owned());
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let captured = PANIC.with(|p| {
                let mut p = p.borrow_mut();
                let was_armed = p.as_deref() == Some("");
                if was_armed {
                    *p = Some(format!("{message}{at}"));
                }
                was_armed
            });
            if !captured {
                default(info);
            }
        }));
    });
    PANIC.with(|p| *p.borrow_mut() = Some(String::new()));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    let message = PANIC.with(|p| p.borrow_mut().take());
    result.map_err(|_| {
        message
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| "panic".to_owned())
    })
}

/// Finds the settings file of every input and reads each once. Problems
/// are rendered; the files they govern are linted with the defaults.
fn find_configs(
    args: &LintArgs,
    inputs: &[Input],
    color: bool,
    failed: &mut bool,
) -> (Vec<Config>, Vec<Option<usize>>) {
    let mut configs: Vec<Config> = Vec::new();
    let mut by_path: HashMap<PathBuf, Option<usize>> = HashMap::new();
    let mut read = |path: PathBuf, configs: &mut Vec<Config>, failed: &mut bool| -> Option<usize> {
        if let Some(&known) = by_path.get(&path) {
            return known;
        }
        let index = match Config::read(&path) {
            Ok(c) => {
                configs.push(c);
                Some(configs.len() - 1)
            }
            Err((text, problems)) => {
                *failed = true;
                match text {
                    Some(text) => render_config_errors(&path, &text, &problems, color),
                    None => {
                        for p in &problems {
                            eprintln!("error: {}: {}", path.display(), p.message);
                        }
                    }
                }
                None
            }
        };
        by_path.insert(path, index);
        index
    };
    if args.isolated {
        return (configs, vec![None; inputs.len()]);
    }
    if let Some(path) = &args.config {
        let c = read(path.clone(), &mut configs, failed);
        return (configs, vec![c; inputs.len()]);
    }
    let mut by_dir: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    let stdin_dir = args
        .stdin_filename
        .as_deref()
        .map(|n| Path::new(n).parent().unwrap_or(Path::new("")).to_path_buf())
        .unwrap_or_default();
    let of = inputs
        .iter()
        .map(|input| {
            let dir = match input {
                Input::Stdin => stdin_dir.clone(),
                Input::File(p) => p.parent().unwrap_or(Path::new("")).to_path_buf(),
            };
            let found = by_dir
                .entry(dir.clone())
                .or_insert_with(|| config::find(&dir))
                .clone();
            found.and_then(|p| read(p, &mut configs, failed))
        })
        .collect();
    (configs, of)
}

/// The settings for the files of `config` (or of no settings file).
fn resolve(
    args: &LintArgs,
    rules: &RuleSet,
    config: Option<usize>,
    configs: &[Config],
    dirs: &[PathBuf],
) -> Settings {
    let c = config.map(|i| &configs[i]);
    let matching = |sel: &str| -> Vec<String> {
        rules
            .rules
            .iter()
            .filter(|r| r.selected_by(sel))
            .map(|r| r.meta.id.clone())
            .collect()
    };
    // Rules from another settings file's folders don't apply here.
    let own_dirs: Vec<&PathBuf> = args
        .rules
        .iter()
        .chain(c.iter().flat_map(|c| &c.rules))
        .collect();
    let foreign = |r: &Rule| {
        let Some(source) = rules.sources.get(r.origin.file) else {
            return false;
        };
        let under = |d: &PathBuf| Path::new(&source.name).starts_with(d);
        dirs.iter().any(under) && !own_dirs.iter().any(|d| under(d))
    };
    let mut enabled: HashSet<String> = if !args.select.is_empty() {
        args.select.iter().flat_map(|s| matching(s)).collect()
    } else if let Some(select) = c.and_then(|c| c.select.as_ref()) {
        select.iter().flat_map(|s| matching(&s.text)).collect()
    } else {
        rules.rules.iter().map(|r| r.meta.id.clone()).collect()
    };
    for sel in c
        .iter()
        .flat_map(|c| c.ignore.iter().map(|s| s.text.as_str()))
        .chain(args.ignore.iter().map(String::as_str))
    {
        for id in matching(sel) {
            enabled.remove(&id);
        }
    }
    enabled.retain(|id| rules.find_id(id).is_some_and(|r| !foreign(r)));

    // Severity overrides: broad selectors first, so that one naming a
    // single rule wins.
    let mut severity = HashMap::new();
    if let Some(c) = c {
        let mut by_breadth: Vec<(usize, Vec<String>, Severity)> = c
            .severity
            .iter()
            .map(|(sel, sev)| {
                let ids = matching(&sel.text);
                (usize::MAX - ids.len(), ids, *sev)
            })
            .collect();
        by_breadth.sort_by_key(|(breadth, _, _)| *breadth);
        for (_, ids, sev) in by_breadth {
            for id in ids {
                severity.insert(id, sev);
            }
        }
    }

    let data = c.filter(|c| !c.options.is_empty()).map(|c| {
        let o = &c.options;
        let mut data = rules.data.clone();
        data.add_entries(TRUSTED_REGISTRIES, &o.trusted_registries);
        data.add_entries(ALLOWED_USERS, &o.allowed_users);
        data.key_names
            .deny
            .extend(o.secret_key_names.iter().map(|k| k.to_ascii_lowercase()));
        data.secrets.placeholders.values.extend(
            o.allowed_secret_values
                .iter()
                .map(|v| v.to_ascii_lowercase()),
        );
        data
    });
    Settings {
        config,
        enabled,
        severity,
        fail_on: c
            .and_then(|c| c.fail_on)
            .unwrap_or(FailOn::At(Severity::Style)),
        data,
    }
}

/// Renders problems in a settings file as diagnostics pointing into it.
fn render_config_errors(path: &Path, text: &str, problems: &[ConfigError], color: bool) {
    let name = path.display().to_string();
    let diags = problems
        .iter()
        .map(|p| {
            CsDiagnostic::error()
                .with_message(format!("invalid settings: {}", p.message))
                .with_labels(vec![
                    Label::primary((), p.span.clone()).with_message("here"),
                ])
        })
        .collect();
    let _ = report::render_in_file(&name, text, diags, color, &mut std::io::stderr().lock());
}

/// `--statistics`: findings per rule, most frequent first.
fn statistics(
    run: &Run,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<()> {
    for e in &run.errors {
        writeln!(err, "error: {}: {}", e.path, e.message)?;
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
        serde_json::to_writer_pretty(&mut *out, &v).map_err(std::io::Error::other)?;
        return writeln!(out);
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

/// What machine formats say about the enabled rules, by id.
fn rule_infos(rules: &RuleSet, s: &Settings) -> Vec<RuleInfo> {
    let mut v: Vec<RuleInfo> = rules
        .rules
        .iter()
        .filter(|r| s.enabled.contains(&r.meta.id))
        .map(|r| RuleInfo {
            id: r.meta.id.clone(),
            name: r.meta.name.clone(),
            category: r.meta.category.clone(),
            severity: s
                .severity
                .get(&r.meta.id)
                .copied()
                .unwrap_or(r.meta.severity),
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
