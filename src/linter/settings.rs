//! Settings resolved against the rule set: for the files one settings file
//! governs (or that none governs), which rules run, at what severity, with
//! what data, and the failure threshold. Resolved once per settings file.

use super::LintOptions;
use crate::config::{Config, FailOn, Options};
use crate::diagnostic::Severity;
use crate::rules::native::{ALLOWED_USERS, TRUSTED_REGISTRIES};
use crate::rules::{Data, Rule, RuleSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What applies to the files one settings file governs.
#[derive(Debug)]
pub(super) struct Resolved {
    /// `None`: no settings file governs them.
    pub config: Option<Arc<Config>>,
    /// Whether each rule (by index in the rule set) runs.
    pub enabled: Vec<bool>,
    /// Each rule's severity, when the file overrides it.
    pub severity: Vec<Option<Severity>>,
    pub fail_on: FailOn,
    /// The rule set's data plus the file's options, when it has any.
    pub data: Option<Data>,
}

/// The indices of the rules a selector names.
fn matching<'r>(rules: &'r RuleSet, sel: &'r str) -> impl Iterator<Item = usize> + 'r {
    rules
        .rules
        .iter()
        .enumerate()
        .filter(move |(_, r)| r.selected_by(sel))
        .map(|(i, _)| i)
}

/// Resolves the settings for the files of `config` (or of none).
/// `loaded_dirs` are every rule folder loaded, from the options and from
/// every settings file.
pub(super) fn resolve(
    options: &LintOptions,
    rules: &RuleSet,
    config: Option<Arc<Config>>,
    loaded_dirs: &[PathBuf],
) -> Resolved {
    let c = config.as_deref();
    // Rules from another settings file's folders don't apply here. A
    // folder is loaded under its first spelling, so the own folders are
    // the loaded ones that are the same folder as one named here.
    let named: Vec<PathBuf> = options
        .rule_dirs
        .iter()
        .chain(c.iter().flat_map(|c| &c.rules))
        .map(|d| super::canonical(d))
        .collect();
    let own_dirs: Vec<&PathBuf> = loaded_dirs
        .iter()
        .filter(|d| named.contains(&super::canonical(d)))
        .collect();
    let foreign = |r: &Rule| {
        let Some(source) = rules.sources.get(r.origin.file) else {
            return false;
        };
        let under = |d: &PathBuf| Path::new(&source.name).starts_with(d);
        loaded_dirs.iter().any(under) && !own_dirs.iter().any(|d| under(d))
    };

    let n = rules.rules.len();
    let mut enabled = vec![false; n];
    let mut enable = |sel: &str| matching(rules, sel).for_each(|i| enabled[i] = true);
    if !options.select.is_empty() {
        options.select.iter().for_each(|s| enable(s));
    } else if let Some(select) = c.and_then(|c| c.select.as_ref()) {
        select.iter().for_each(|s| enable(&s.text));
    } else {
        enabled.fill(true);
    }
    let ignores = c
        .iter()
        .flat_map(|c| c.ignore.iter().map(|s| s.text.as_str()))
        .chain(options.ignore.iter().map(String::as_str));
    for sel in ignores {
        matching(rules, sel).for_each(|i| enabled[i] = false);
    }
    for (on, rule) in enabled.iter_mut().zip(&rules.rules) {
        *on &= !foreign(rule);
    }

    // Severity overrides: broad selectors first, so that one naming a
    // single rule wins.
    // The command line's come after the file's, so they win.
    let mut severity = vec![None; n];
    let in_file = c.iter().flat_map(|c| {
        c.severity
            .iter()
            .map(|(sel, sev)| (sel.text.as_str(), *sev))
    });
    let on_command_line = options
        .severity
        .iter()
        .map(|(sel, sev)| (sel.as_str(), *sev));
    for overrides in [in_file.collect::<Vec<_>>(), on_command_line.collect()] {
        let mut by_breadth: Vec<(Vec<usize>, Severity)> = overrides
            .iter()
            .map(|(sel, sev)| (matching(rules, sel).collect(), *sev))
            .collect();
        by_breadth.sort_by_key(|(ids, _)| std::cmp::Reverse(ids.len()));
        for (ids, sev) in by_breadth {
            for i in ids {
                severity[i] = Some(sev);
            }
        }
    }

    Resolved {
        enabled,
        severity,
        fail_on: options
            .fail_on
            .or(c.and_then(|c| c.fail_on))
            .unwrap_or(FailOn::DEFAULT),
        data: options_data(rules, c, &options.trusted_registries),
        config,
    }
}

/// The rule set's data with a settings file's `[options]` and the
/// command line's trusted registries added to the tables the rules read;
/// `None` when neither sets any.
fn options_data(rules: &RuleSet, c: Option<&Config>, registries: &[String]) -> Option<Data> {
    let none = Options::default();
    let o = c.map_or(&none, |c| &c.options);
    if o.is_empty() && registries.is_empty() {
        return None;
    }
    let mut data = rules.data.clone();
    data.add_entries(TRUSTED_REGISTRIES, &o.trusted_registries);
    data.add_entries(TRUSTED_REGISTRIES, registries);
    data.add_entries(ALLOWED_USERS, &o.allowed_users);
    data.key_names
        .deny
        .extend(o.secret_key_names.iter().map(|k| k.to_ascii_lowercase()));
    data.secrets.placeholders.values.extend(
        o.allowed_secret_values
            .iter()
            .map(|v| v.to_ascii_lowercase()),
    );
    Some(data)
}

impl Resolved {
    /// Which rules run on `path`: the enabled ones less the settings
    /// file's per-path ignores that match it.
    pub fn keep_for(&self, rules: &RuleSet, path: &Path) -> Vec<bool> {
        let mut keep = self.enabled.clone();
        if let Some(c) = &self.config {
            for sel in c.ignored_for(path) {
                matching(rules, &sel.text).for_each(|i| keep[i] = false);
            }
        }
        keep
    }
}
