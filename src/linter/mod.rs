//! The linter every front end uses (`shipshape lint`, its fixer, an editor
//! server): a rule set and the settings that govern each file, built once
//! from [`LintOptions`] and the settings files, then asked to lint any
//! number of texts.
//!
//! It owns the policy a front end would otherwise repeat: loading the rule
//! folders (from the options and from settings files, each folder once),
//! rule selection, per-path ignores, severity overrides, rule options as
//! data tables, the failure threshold, and per-file panic isolation.
//! Problems in settings and rule files are returned as [`Problem`]s, never
//! printed. Linting the same path again reads no file and compiles nothing:
//! settings are looked up once per directory and resolved once per file.

mod load;
mod panic;
mod settings;

pub use load::{LoadedRules, load_rules};

use crate::config::{self, Config, FailOn, Kind, Unknown};
use crate::diagnostic::{Applicability, FileError, FileReport, Problem, ProblemKind, Severity};
use crate::fix::{self, Fixed};
use crate::lint;
use crate::rules::{CheckOptions, Rule, RuleSet};
use crate::span::Span;
use settings::Resolved;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// How to lint: the command line's choices, as plain data.
#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// Rule folders to add to the built-in rules (`--rules`).
    pub rule_dirs: Vec<PathBuf>,
    /// Run only these rules (selectors: ids, prefixes, names, categories,
    /// aliases); empty leaves the choice to the settings file.
    pub select: Vec<String>,
    /// Don't run these rules, whatever the settings file says.
    pub ignore: Vec<String>,
    /// Overrides every settings file's failure threshold.
    pub fail_on: Option<FailOn>,
    /// The stage to treat as final (`--target`).
    pub target: Option<String>,
    pub settings: SettingsFiles,
    /// Severity overrides (`--error RULE`, ...), applied after the
    /// settings file's.
    pub severity: Vec<(String, Severity)>,
    /// Registries added to every file's `trusted-registries`.
    pub trusted_registries: Vec<String>,
    /// Globs of paths not to lint, relative to the working directory
    /// (`--exclude`).
    pub exclude: Vec<String>,
}

/// Which settings files govern the linted files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum SettingsFiles {
    /// The closest one above each file (see [`config::find`]).
    #[default]
    Discover,
    /// This one for every file (`--config`).
    Use(PathBuf),
    /// None (`--isolated`).
    Ignore,
}

/// A rule set with resolved settings. Shared by reference across threads.
#[derive(Debug)]
pub struct Linter {
    rules: LoadedRules,
    options: LintOptions,
    /// Every rule folder loaded, from the options and the settings files.
    loaded_dirs: Vec<PathBuf>,
    /// `--exclude`, compiled.
    exclude: Vec<globset::GlobMatcher>,
    /// The settings of a file no settings file governs.
    default: Arc<Resolved>,
    state: Mutex<State>,
}

/// What the linter learns as it is asked about paths.
#[derive(Debug, Default)]
struct State {
    /// The settings file governing each directory looked up (`None`: none).
    by_dir: HashMap<PathBuf, Option<PathBuf>>,
    /// Each settings file read, resolved; `None` when it could not be read
    /// (its files get the defaults).
    by_file: HashMap<PathBuf, Option<Arc<Resolved>>>,
    /// Every problem found so far, in order.
    problems: Vec<Problem>,
}

impl Linter {
    /// Builds a linter for the files at `paths` (files or stdin's name):
    /// reads the settings files that govern them, then loads the built-in
    /// rules and the rule folders of the options and of those settings
    /// files. A file linted later that is governed by another settings file
    /// gets it read then (its rule folders are not loaded).
    ///
    /// Problems that leave the linter usable (a bad settings file, a rule
    /// file that does not load) are kept in [`Linter::problems`]; an `Err`
    /// carries every problem found when it is not usable (a selector in
    /// the options that names no rule).
    pub fn new(options: LintOptions, paths: &[PathBuf]) -> Result<Linter, Vec<Problem>> {
        let mut state = State::default();
        let configs = read_settings_of(&options.settings, paths, &mut state);
        for c in configs.iter().filter(|c| c.kind == Kind::Hadolint) {
            state.problems.push(hadolint_note(c));
        }

        // Each folder once, however it is spelled (`rules`, `./rules`, a
        // link to it): the first spelling is kept.
        let mut loaded_dirs: Vec<PathBuf> = Vec::new();
        for d in options
            .rule_dirs
            .iter()
            .chain(configs.iter().flat_map(|c| &c.rules))
        {
            if !loaded_dirs.iter().any(|l| same_dir(l, d)) {
                loaded_dirs.push(d.clone());
            }
        }
        let rules = match load_rules(&loaded_dirs, true) {
            Ok((rules, mut problems)) => {
                state.problems.append(&mut problems);
                rules
            }
            Err(mut problems) => {
                state.problems.append(&mut problems);
                return Err(state.problems);
            }
        };

        // The options' selectors: another tool's code shipshape has no
        // check for is a warning; anything else that names nothing is a
        // usage error.
        let selectors = options
            .select
            .iter()
            .chain(&options.ignore)
            .chain(options.severity.iter().map(|(s, _)| s));
        let mut foreign: Vec<&str> = Vec::new();
        let mut usage = false;
        for sel in selectors {
            match config::unknown_selector(&rules, sel) {
                None => {}
                Some(Unknown::Foreign(_)) if !foreign.contains(&sel.as_str()) => {
                    foreign.push(sel);
                }
                Some(Unknown::Foreign(_)) => {}
                Some(Unknown::NoRule(message)) => {
                    usage = true;
                    state.problems.push(Problem::new(
                        ProblemKind::Settings,
                        Severity::Error,
                        None,
                        message,
                    ));
                }
            }
        }
        if !foreign.is_empty() {
            state.problems.push(Problem::new(
                ProblemKind::Settings,
                Severity::Warning,
                None,
                crate::rules::foreign::message(&rules, foreign.iter().copied()),
            ));
        }
        if usage {
            return Err(state.problems);
        }
        let mut exclude = Vec::new();
        for g in &options.exclude {
            match globset::Glob::new(g) {
                Ok(g) => exclude.push(g.compile_matcher()),
                Err(e) => {
                    state.problems.push(Problem::new(
                        ProblemKind::Settings,
                        Severity::Error,
                        None,
                        format!("invalid glob `{g}` in --exclude: {}", e.kind()),
                    ));
                    return Err(state.problems);
                }
            }
        }

        let default = Arc::new(settings::resolve(&options, &rules, None, &loaded_dirs));
        let mut linter = Linter {
            rules,
            options,
            loaded_dirs,
            exclude,
            default,
            state: Mutex::new(State::default()),
        };
        for c in configs {
            let path = c.path.clone();
            let resolved = linter.resolve(c, &mut state.problems);
            state.by_file.insert(path, Some(resolved));
        }
        linter.state = Mutex::new(state);
        Ok(linter)
    }

    /// The rules, for their metadata.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Every problem found in settings and rule files so far, in order.
    pub fn problems(&self) -> Vec<Problem> {
        self.state().problems.clone()
    }

    /// Lints the text of the file at `path` (which decides its settings and
    /// per-path ignores), naming it `display` in diagnostics. A panic while
    /// linting is caught and becomes the file's error.
    pub fn lint_text(
        &self,
        path: &Path,
        display: &str,
        text: &str,
    ) -> Result<FileReport, FileError> {
        self.lint_with(path, display, |rules, options, keep| {
            lint::lint_text(display, text, rules, options, keep)
        })
    }

    /// Lints a file's bytes as [`Linter::lint_text`] does its text; bytes
    /// that are not UTF-8 are a diagnostic at the first invalid one.
    pub fn lint_bytes(
        &self,
        path: &Path,
        display: &str,
        bytes: Vec<u8>,
    ) -> Result<FileReport, FileError> {
        self.lint_with(path, display, |rules, options, keep| {
            lint::lint_bytes(display, bytes, rules, options, keep)
        })
    }

    /// Fixes the text of the file at `path` as `lint --fix` does: rounds of
    /// the fixes of at least `min` applicability until the text is stable
    /// (see [`fix::fix_text`]). A panic while linting any round is the
    /// file's error, and nothing of the fixing is kept.
    pub fn fix_text(
        &self,
        path: &Path,
        display: &str,
        text: &str,
        min: Applicability,
    ) -> Result<Fixed, FileError> {
        let mut failure = None;
        let fixed = fix::fix_text(text, min, &mut |t| {
            if failure.is_some() {
                return Vec::new();
            }
            match self.lint_text(path, display, t) {
                Ok(report) => report.diagnostics,
                Err(e) => {
                    failure = Some(e);
                    Vec::new()
                }
            }
        });
        match failure {
            Some(e) => Err(e),
            None => Ok(fixed),
        }
    }

    /// The failure threshold for the file at `path`: the options', else its
    /// settings file's, else any finding.
    pub fn fail_on(&self, path: &Path) -> FailOn {
        self.governing(path).fail_on
    }

    /// The settings file that governs the file at `path`, if one was read.
    pub fn settings_file(&self, path: &Path) -> Option<PathBuf> {
        self.governing(path).config.as_ref().map(|c| c.path.clone())
    }

    /// Whether the file at `path` is excluded from linting: by a glob of
    /// `--exclude` (relative to the working directory) or of its settings
    /// file's `exclude` (relative to that file's directory). A glob
    /// matches the path or any folder above it, and one without a `/` also
    /// matches any single name in it (`vendor` excludes `a/vendor/b`).
    pub fn excluded(&self, path: &Path) -> bool {
        if glob_excludes(&self.exclude, &config::relative_to(path, Path::new("."))) {
            return true;
        }
        match &self.governing(path).config {
            Some(c) if !c.exclude.is_empty() => {
                glob_excludes(&c.exclude, &config::relative_to(path, &c.dir))
            }
            _ => false,
        }
    }

    /// The rules that run on the files a settings file governs (before
    /// per-path ignores), with the severity each reports at: those of the
    /// file at `path`, or with `None` of a file no settings file governs.
    pub fn enabled_rules(&self, path: Option<&Path>) -> Vec<(&Rule, Severity)> {
        let settings = path.map_or_else(|| self.default.clone(), |p| self.governing(p));
        self.rules
            .rules
            .iter()
            .enumerate()
            .filter(|&(i, _)| settings.enabled[i])
            .map(|(i, r)| (r, settings.severity[i].unwrap_or(r.meta.severity)))
            .collect()
    }

    fn lint_with(
        &self,
        path: &Path,
        display: &str,
        lint: impl FnOnce(&RuleSet, CheckOptions<'_>, &dyn Fn(&Rule) -> bool) -> FileReport,
    ) -> Result<FileReport, FileError> {
        let settings = self.governing(path);
        let keep = settings.keep_for(&self.rules, path);
        let kept = |r: &Rule| keep.get(r.index).copied().unwrap_or(false);
        let options = CheckOptions {
            target: self.options.target.as_deref(),
            data: settings.data.as_ref(),
            foreign_unused: settings
                .config
                .as_ref()
                .is_some_and(|c| c.report_unused_foreign_suppressions),
        };
        let mut report =
            panic::catch(|| lint(&self.rules, options, &kept)).map_err(|panic| FileError {
                path: display.to_owned(),
                message: format!(
                    "internal error while linting this file (please report it): {panic}"
                ),
            })?;
        for d in &mut report.diagnostics {
            if let Some(severity) = self
                .rules
                .find_id(&d.rule)
                .and_then(|r| settings.severity[r.index])
            {
                d.severity = severity;
            }
        }
        Ok(report)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while the lock was held left the maps whole.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The settings of the file at `path`.
    fn governing(&self, path: &Path) -> Arc<Resolved> {
        let mut state = self.state();
        let file = match &self.options.settings {
            SettingsFiles::Ignore => return self.default.clone(),
            SettingsFiles::Use(file) => file.clone(),
            SettingsFiles::Discover => {
                let dir = dir_of(path);
                let found = match state.by_dir.get(&dir) {
                    Some(found) => found.clone(),
                    None => {
                        let found = config::find(&dir);
                        state.by_dir.insert(dir, found.clone());
                        found
                    }
                };
                let Some(file) = found else {
                    return self.default.clone();
                };
                file
            }
        };
        let resolved = match state.by_file.get(&file) {
            Some(known) => known.clone(),
            None => {
                let state = &mut *state;
                let read = read_settings(&file, &mut state.problems).map(|c| {
                    if c.kind == Kind::Hadolint {
                        state.problems.push(hadolint_note(&c));
                    }
                    for d in c
                        .rules
                        .iter()
                        .filter(|d| !self.loaded_dirs.iter().any(|l| same_dir(l, d)))
                    {
                        state.problems.push(unloaded_folder(&c, d));
                    }
                    self.resolve(c, &mut state.problems)
                });
                state.by_file.insert(file, read.clone());
                read
            }
        };
        resolved.unwrap_or_else(|| self.default.clone())
    }

    /// A settings file's selectors checked against the rules, and its
    /// settings resolved.
    fn resolve(&self, c: Config, problems: &mut Vec<Problem>) -> Arc<Resolved> {
        let (errors, warnings) = c.check_selectors(&self.rules);
        if !errors.is_empty() || !warnings.is_empty() {
            let text: Arc<str> = Arc::from(c.text.as_str());
            problems.extend(
                errors
                    .into_iter()
                    .map(|e| settings_problem(&c.path, &text, e, Severity::Error))
                    .chain(
                        warnings
                            .into_iter()
                            .map(|e| settings_problem(&c.path, &text, e, Severity::Warning)),
                    ),
            );
        }
        Arc::new(settings::resolve(
            &self.options,
            &self.rules,
            Some(Arc::new(c)),
            &self.loaded_dirs,
        ))
    }
}

/// Whether a glob matches `rel` or a folder above it, or (without a `/`)
/// one of its names.
fn glob_excludes(globs: &[globset::GlobMatcher], rel: &Path) -> bool {
    if globs.is_empty() {
        return false;
    }
    let mut prefix = PathBuf::new();
    for part in rel.components() {
        prefix.push(part);
        let name = Path::new(part.as_os_str());
        if globs
            .iter()
            .any(|g| g.is_match(&prefix) || (!g.glob().glob().contains('/') && g.is_match(name)))
        {
            return true;
        }
    }
    false
}

/// Whether two folder paths name the same folder: the same once
/// canonicalized (or, for one that can't be, once made absolute and
/// normalized).
fn same_dir(a: &Path, b: &Path) -> bool {
    canonical(a) == canonical(b)
}

pub(crate) fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| {
        let abs = std::env::current_dir().map_or_else(|_| p.to_path_buf(), |c| c.join(p));
        config::normalize(&abs)
    })
}

/// The directory whose settings govern a file: its parent (`""`, the
/// working directory, for a bare name).
fn dir_of(path: &Path) -> PathBuf {
    path.parent().unwrap_or(Path::new("")).to_path_buf()
}

/// Reads the settings files that govern `paths`, each once, in the order
/// first met, recording which governs each directory and the problems.
fn read_settings_of(how: &SettingsFiles, paths: &[PathBuf], state: &mut State) -> Vec<Config> {
    let mut files: Vec<PathBuf> = Vec::new();
    match how {
        SettingsFiles::Ignore => {}
        SettingsFiles::Use(file) => files.push(file.clone()),
        SettingsFiles::Discover => {
            for path in paths {
                let dir = dir_of(path);
                let found = state
                    .by_dir
                    .entry(dir)
                    .or_insert_with_key(|dir| config::find(dir));
                if let Some(file) = found
                    && !files.contains(file)
                {
                    files.push(file.clone());
                }
            }
        }
    }
    let mut configs = Vec::new();
    for file in files {
        match read_settings(&file, &mut state.problems) {
            Some(c) => configs.push(c),
            None => {
                state.by_file.insert(file, None);
            }
        }
    }
    configs
}

/// Reads a settings file; its problems go to `problems`.
fn read_settings(path: &Path, problems: &mut Vec<Problem>) -> Option<Config> {
    match Config::read(path) {
        Ok(mut c) => {
            let text: Arc<str> = Arc::from(c.text.as_str());
            let errors = std::mem::take(&mut c.errors);
            let warnings = std::mem::take(&mut c.warnings);
            problems.extend(
                errors
                    .into_iter()
                    .map(|e| settings_problem(path, &text, e, Severity::Error))
                    .chain(
                        warnings
                            .into_iter()
                            .map(|e| settings_problem(path, &text, e, Severity::Warning)),
                    ),
            );
            Some(c)
        }
        Err((Some(text), errors)) => {
            let text: Arc<str> = Arc::from(text);
            problems.extend(
                errors
                    .into_iter()
                    .map(|e| settings_problem(path, &text, e, Severity::Error)),
            );
            None
        }
        Err((None, errors)) => {
            problems.extend(errors.into_iter().map(|e| {
                Problem::new(
                    ProblemKind::Settings,
                    Severity::Error,
                    Some(path.display().to_string()),
                    e.message,
                )
            }));
            None
        }
    }
}

fn settings_problem(
    path: &Path,
    text: &Arc<str>,
    e: config::ConfigError,
    severity: Severity,
) -> Problem {
    let what = if severity == Severity::Error {
        "invalid settings"
    } else {
        "settings"
    };
    Problem::new(
        ProblemKind::Settings,
        severity,
        Some(path.display().to_string()),
        format!("{what}: {}", e.message),
    )
    .at(
        text.clone(),
        Span::from_usize(e.span.start, e.span.end),
        "here",
    )
}

/// Says that a `.hadolint.yaml` is read, and for which of its settings.
fn hadolint_note(c: &Config) -> Problem {
    Problem::new(
        ProblemKind::Settings,
        Severity::Info,
        None,
        format!(
            "no .shipshape.toml found; reading hadolint's settings from {} (ignored, override, trustedRegistries, failure-threshold, no-fail)",
            c.path.display()
        ),
    )
}

/// A settings file found after the rules were loaded names a rule folder
/// that was not loaded with them.
fn unloaded_folder(c: &Config, dir: &Path) -> Problem {
    Problem::new(
        ProblemKind::RuleFolder,
        Severity::Warning,
        Some(c.path.display().to_string()),
        format!(
            "the rule folder {} was not loaded, so its rules do not run",
            dir.display()
        ),
    )
}

#[cfg(test)]
mod tests;
