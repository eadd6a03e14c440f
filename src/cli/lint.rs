//! `shipshape lint`: discover, lint in parallel, report in order.

use super::discover::{Input, discover};
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, LintArgs, OutputFormat, load_rules};
use crate::diagnostic::Severity;
use crate::lint::{FileReport, lint_bytes};
use crate::report::{self, Counts, FileError, Format, RuleInfo, Run};
use crate::rules::{CheckOptions, Rule, RuleSet, rule_url};
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::{Read, Write};

pub(super) fn run(args: &LintArgs, color: bool, color_err: bool) -> u8 {
    // Rule files that fail to load are reported and left out; the files
    // are still linted with the other rules, and the run exits 2.
    let (loaded, rules_failed) = match load_rules(&args.rules, color_err, true) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let rules: &RuleSet = loaded.get();
    let enabled = match select(rules, &args.select, &args.ignore) {
        Ok(e) => e,
        Err(msg) => {
            eprintln!("error: {msg}");
            return EXIT_ERROR;
        }
    };
    let keep = |r: &Rule| enabled.contains(r.meta.id.as_str());

    let paths: Vec<String> = if args.paths.is_empty() {
        vec![".".to_owned()]
    } else {
        args.paths.clone()
    };
    let (inputs, mut errors) = discover(&paths);
    if inputs.is_empty() && errors.is_empty() {
        eprintln!("warning: no Dockerfiles found in {}", paths.join(", "));
    }

    let options = CheckOptions {
        target: args.target.as_deref(),
    };
    let stdin_name = args.stdin_filename.as_deref().unwrap_or("<stdin>");
    let stdin_bytes = if inputs.contains(&Input::Stdin) {
        let mut buf = Vec::new();
        match std::io::stdin().lock().read_to_end(&mut buf) {
            Ok(_) => Some(buf),
            Err(e) => {
                errors.push(FileError {
                    path: stdin_name.to_owned(),
                    message: format!("cannot read: {e}"),
                });
                None
            }
        }
    } else {
        None
    };

    let outcomes: Vec<Result<FileReport, FileError>> = inputs
        .par_iter()
        .filter_map(|input| {
            let (name, bytes) = match input {
                Input::Stdin => (stdin_name.to_owned(), Ok(stdin_bytes.clone()?)),
                Input::File(p) => (p.display().to_string(), std::fs::read(p)),
            };
            Some(match bytes {
                Ok(bytes) => Ok(lint_bytes(&name, bytes, rules, options, &keep)),
                Err(e) => Err(FileError {
                    path: name,
                    message: format!("cannot read: {e}"),
                }),
            })
        })
        .collect();
    let mut run = Run {
        rules: rule_infos(rules, &enabled),
        root: report_root(),
        ..Run::default()
    };
    for o in outcomes {
        match o {
            Ok(r) => run.reports.push(r),
            Err(e) => errors.push(e),
        }
    }
    run.errors = errors;

    let format = match args.format {
        OutputFormat::Human => Format::Human,
        OutputFormat::Json => Format::Json,
    };
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = stderr.lock();
    let written = report::write(&run, format, color, &mut out, &mut err).and_then(|_| out.flush());
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write the report: {e}");
        return EXIT_ERROR;
    }

    let counts = Counts::of(&run);
    if !run.errors.is_empty() || rules_failed {
        EXIT_ERROR
    } else if !args.exit_zero && counts.at_least(args.fail_on.into()) > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// What machine formats say about the enabled rules, by id.
fn rule_infos(rules: &RuleSet, enabled: &HashSet<&str>) -> Vec<RuleInfo> {
    let mut v: Vec<RuleInfo> = rules
        .rules
        .iter()
        .filter(|r| enabled.contains(r.meta.id.as_str()))
        .map(|r| RuleInfo {
            id: r.meta.id.clone(),
            name: r.meta.name.clone(),
            category: r.meta.category.clone(),
            severity: r.meta.severity,
            summary: r.meta.summary.clone(),
            help: r.meta.help.clone(),
            url: rule_url(&r.meta.id),
        })
        .collect();
    v.sort_by(|a, b| a.id.cmp(&b.id));
    v
}

/// The directory machine formats make paths relative to: the enclosing
/// Git work tree's root, else the working directory.
fn report_root() -> Option<std::path::PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let git_root = cwd.ancestors().find(|d| d.join(".git").exists());
    Some(git_root.unwrap_or(&cwd).to_path_buf())
}

/// The ids of the rules `--select` and `--ignore` leave enabled. A selector
/// is a rule id, an id prefix (`SEC`), a rule name, a category or a foreign
/// alias (`DL3002`); one that matches no rule is an error.
pub(super) fn select<'r>(
    rules: &'r RuleSet,
    select: &[String],
    ignore: &[String],
) -> Result<HashSet<&'r str>, String> {
    let matching = |sel: &str| -> Result<Vec<&'r str>, String> {
        let hits: Vec<&'r str> = rules
            .rules
            .iter()
            .filter(|r| selects(r, sel))
            .map(|r| r.meta.id.as_str())
            .collect();
        if hits.is_empty() {
            Err(format!(
                "`{sel}` matches no rule (try `shipshape rules` for the list)"
            ))
        } else {
            Ok(hits)
        }
    };
    let mut enabled: HashSet<&str> = if select.is_empty() {
        rules.rules.iter().map(|r| r.meta.id.as_str()).collect()
    } else {
        let mut s = HashSet::new();
        for sel in select {
            s.extend(matching(sel)?);
        }
        s
    };
    for sel in ignore {
        for id in matching(sel)? {
            enabled.remove(id);
        }
    }
    Ok(enabled)
}

fn selects(rule: &Rule, sel: &str) -> bool {
    let sel = sel.trim();
    if sel.is_empty() {
        return false;
    }
    let m = &rule.meta;
    let id_prefix = sel.len() < m.id.len()
        && m.id.is_char_boundary(sel.len())
        && m.id[..sel.len()].eq_ignore_ascii_case(sel)
        && m.id[sel.len()..].bytes().all(|b| b.is_ascii_digit());
    m.id.eq_ignore_ascii_case(sel)
        || id_prefix
        || m.name == sel
        || m.category == sel
        || m.aliases
            .values()
            .any(|ids| ids.iter().any(|a| a.eq_ignore_ascii_case(sel)))
}

impl From<super::FailOn> for Severity {
    fn from(f: super::FailOn) -> Severity {
        match f {
            super::FailOn::Error => Severity::Error,
            super::FailOn::Warning => Severity::Warning,
            super::FailOn::Info => Severity::Info,
            super::FailOn::Style => Severity::Style,
        }
    }
}
