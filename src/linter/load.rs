//! Loading the rule set: the built-in pack plus rule folders, each folder
//! read once. Every problem is returned as data; with `keep_going`, the
//! rule files that failed are left out and the rest are used.

use crate::diagnostic::{Problem, ProblemKind, Severity};
use crate::rules::{RuleDir, RuleSet};
use std::collections::BTreeSet;
use std::ops::Deref;
use std::path::PathBuf;

/// The built-in rules, or the built-in rules plus folders' rules.
#[derive(Debug)]
pub enum LoadedRules {
    Builtin(&'static RuleSet),
    Owned(Box<RuleSet>),
}

impl Deref for LoadedRules {
    type Target = RuleSet;

    fn deref(&self) -> &RuleSet {
        match self {
            LoadedRules::Builtin(r) => r,
            LoadedRules::Owned(r) => r,
        }
    }
}

/// Loads the built-in rules and those under `dirs` (each folder once).
///
/// Without `keep_going`, any problem is an `Err` with every problem found.
/// With it, the files that failed are left out (and, should the rest still
/// fail, the folders' rules altogether) and the problems come with the
/// rules; only a built-in pack that fails is an `Err`.
pub fn load_rules(
    dirs: &[PathBuf],
    keep_going: bool,
) -> Result<(LoadedRules, Vec<Problem>), Vec<Problem>> {
    let builtin = || match RuleSet::builtin() {
        Ok(r) => Ok(LoadedRules::Builtin(r)),
        Err(f) => Err(f.problems()),
    };
    let mut problems = Vec::new();
    if dirs.is_empty() {
        return builtin().map(|r| (r, problems));
    }
    let mut sources = RuleSet::builtin_sources();
    let builtin_files = sources.len();
    let folder_problem = |path: String, message: String| {
        Problem::new(
            ProblemKind::RuleFolder,
            Severity::Error,
            Some(path),
            message,
        )
    };
    let mut seen = BTreeSet::new();
    for dir in dirs.iter().filter(|d| seen.insert(*d)) {
        let shown = dir.display().to_string();
        match RuleSet::read_dir(dir) {
            Ok(RuleDir {
                files,
                problems: unreadable,
            }) => {
                if files.is_empty() && unreadable.is_empty() {
                    problems.push(folder_problem(
                        shown,
                        "no rule files (*.toml) found".to_owned(),
                    ));
                }
                for (path, problem) in unreadable {
                    problems.push(folder_problem(path, problem));
                }
                sources.extend(files);
            }
            Err(e) => problems.push(folder_problem(shown, format!("cannot read rules: {e}"))),
        }
    }
    if !keep_going && !problems.is_empty() {
        return Err(problems);
    }
    let failure = match RuleSet::load(sources) {
        Ok(r) => return Ok((LoadedRules::Owned(Box::new(r)), problems)),
        Err(f) => f,
    };
    problems.extend(failure.problems());
    if !keep_going {
        return Err(problems);
    }
    // Leave out the files with errors; if the rest still fail (a data file
    // that breaks other rules), fall back to the built-in rules alone.
    let bad: BTreeSet<usize> = failure.errors.iter().map(|e| e.file).collect();
    let left_out: Vec<&str> = bad
        .iter()
        .filter_map(|&i| failure.sources.get(i).map(|s| s.name.as_str()))
        .collect();
    problems.push(Problem::new(
        ProblemKind::RuleFolder,
        Severity::Warning,
        None,
        format!(
            "linting without the rule files that failed to load: {}",
            left_out.join(", ")
        ),
    ));
    let rest: Vec<_> = failure
        .sources
        .iter()
        .enumerate()
        .filter(|(i, _)| !bad.contains(i))
        .map(|(_, s)| s.clone())
        .collect();
    let without_bad = bad.iter().all(|&i| i >= builtin_files);
    let loaded = match without_bad.then(|| RuleSet::load(rest).ok()).flatten() {
        Some(r) => LoadedRules::Owned(Box::new(r)),
        None => match builtin() {
            Ok(r) => r,
            Err(mut p) => {
                problems.append(&mut p);
                return Err(problems);
            }
        },
    };
    Ok((loaded, problems))
}
