//! The rule engine: rules are data (TOML files, checked when loaded and
//! compiled once), run over a parsed Dockerfile and its facts.
//!
//! The format is specified in `docs/rule-format.md`. The built-in pack
//! (`rules/`) is embedded in the binary; `--rules DIR` adds a user's rules.

mod compile;
mod data;
mod eval;
mod examples;
mod native;
mod schema;
mod types;
mod walk;

pub use compile::SourceFile;
pub use data::{Data, TableValue};
pub use eval::{Facts, Finding};
pub use examples::{ExampleFailure, ExampleOutcome, check_examples};
pub use native::{NATIVE, NativeFn};
pub use schema::{CATEGORIES, SubjectKind, TextSource};
pub use types::{Check, Example, ExampleKind, Rule, RuleMeta, Template};
pub use walk::LoadError;

use crate::diagnostic::{Diagnostic, Severity};
use crate::syntax::Dockerfile;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
}

/// A loaded, compiled set of rules.
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// The files the rules came from (for rendering errors and sources).
    pub sources: Vec<SourceFile>,
    pub data: Data,
    /// Rule indices by subject kind (match rules only).
    by_subject: BTreeMap<SubjectKind, Vec<usize>>,
}

/// Rule files that did not load: every problem, with the files to render them.
#[derive(Debug)]
pub struct LoadFailure {
    pub sources: Vec<SourceFile>,
    pub errors: Vec<LoadError>,
}

/// Options for checking one file.
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckOptions<'o> {
    /// The stage to treat as final (`--target`).
    pub target: Option<&'o str>,
}

impl RuleSet {
    /// Compiles rules from source files, or reports every problem in them.
    pub fn load(sources: Vec<SourceFile>) -> Result<RuleSet, LoadFailure> {
        let (rules, data, mut errors) = compile::load(&sources);
        if !errors.is_empty() {
            errors.sort_by_key(|e| (e.file, e.span.start));
            return Err(LoadFailure { sources, errors });
        }
        let mut by_subject: BTreeMap<SubjectKind, Vec<usize>> = BTreeMap::new();
        for (i, r) in rules.iter().enumerate() {
            if let Check::Match(m) = &r.check {
                by_subject.entry(m.subject).or_default().push(i);
            }
        }
        Ok(RuleSet {
            rules,
            sources,
            data,
            by_subject,
        })
    }

    /// The built-in pack's files.
    pub fn builtin_sources() -> Vec<SourceFile> {
        builtin::BUILTIN_RULES
            .iter()
            .map(|(name, text)| SourceFile {
                name: (*name).to_owned(),
                text: (*text).to_owned(),
            })
            .collect()
    }

    /// The built-in pack, compiled once per process.
    pub fn builtin() -> Result<&'static RuleSet, &'static LoadFailure> {
        static BUILTIN: OnceLock<Result<RuleSet, LoadFailure>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| RuleSet::load(Self::builtin_sources()))
            .as_ref()
    }

    /// Rule files (`*.toml`, recursively) under `dir`, sorted by path.
    pub fn read_dir(dir: &Path) -> std::io::Result<Vec<SourceFile>> {
        let mut files = Vec::new();
        collect_toml(dir, &mut files)?;
        files.sort();
        files
            .into_iter()
            .map(|p| {
                Ok(SourceFile {
                    name: p.display().to_string(),
                    text: std::fs::read_to_string(&p).map_err(|e| {
                        std::io::Error::new(e.kind(), format!("{}: {e}", p.display()))
                    })?,
                })
            })
            .collect()
    }

    /// A rule by id, name or foreign alias (`DL3002`).
    pub fn find(&self, key: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.meta.id.eq_ignore_ascii_case(key) || r.meta.name == key)
            .or_else(|| {
                self.rules.iter().find(|r| {
                    r.meta
                        .aliases
                        .values()
                        .any(|ids| ids.iter().any(|a| a.eq_ignore_ascii_case(key)))
                })
            })
    }

    /// Runs every rule on a parsed file.
    pub fn check(
        &self,
        file: &Dockerfile<'_>,
        path: &str,
        options: CheckOptions<'_>,
    ) -> Vec<Diagnostic> {
        self.check_some(file, path, options, |_| true)
    }

    /// Runs the rules `keep` selects.
    pub fn check_some(
        &self,
        file: &Dockerfile<'_>,
        path: &str,
        options: CheckOptions<'_>,
        keep: impl Fn(&Rule) -> bool,
    ) -> Vec<Diagnostic> {
        let facts = Facts::new(file, path, options.target, &self.data);
        let mut out = Vec::new();
        for (kind, indices) in &self.by_subject {
            let rules: Vec<&Rule> = indices
                .iter()
                .map(|&i| &self.rules[i])
                .filter(|r| keep(r))
                .collect();
            if rules.is_empty() {
                continue;
            }
            let subjects = eval::subjects(&facts, *kind);
            for rule in rules {
                if let Check::Match(m) = &rule.check {
                    out.extend(
                        eval::run(m, &subjects, &facts)
                            .into_iter()
                            .map(|f| diagnostic(rule, f)),
                    );
                }
            }
        }
        for rule in self.rules.iter().filter(|r| keep(r)) {
            if let Check::Native(f) = &rule.check {
                out.extend(
                    (f.check)(&facts)
                        .into_iter()
                        .map(|finding| diagnostic(rule, finding)),
                );
            }
        }
        out.sort_by(|a, b| {
            (a.span.start, &a.rule, a.span.end).cmp(&(b.span.start, &b.rule, b.span.end))
        });
        // One finding per place: the same rule and message on overlapping
        // spans (a secret seen both in a command and in what it prints).
        out.dedup_by(|later, kept| {
            later.rule == kept.rule
                && (later.span == kept.span
                    || (later.span.start < kept.span.end && later.message == kept.message))
        });
        out
    }
}

fn collect_toml(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_toml(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Turns a finding into a diagnostic with the rule's message and hint.
fn diagnostic(rule: &Rule, f: Finding) -> Diagnostic {
    let lookup = |n: &str| {
        f.binds
            .iter()
            .rev()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.clone())
    };
    // A placeholder whose (optional) regex group didn't take part in the
    // match renders as nothing in the message; a hint that needs one is
    // left out.
    let message = rule
        .meta
        .message
        .render(&|n| Some(lookup(n).unwrap_or_default()));
    let help = rule
        .meta
        .hint
        .as_ref()
        .filter(|h| h.placeholders().all(|p| lookup(p).is_some()))
        .map(|h| h.render(&lookup));
    Diagnostic {
        rule: rule.meta.id.clone(),
        name: rule.meta.name.clone(),
        category: rule.meta.category.clone(),
        severity: rule.meta.severity,
        message,
        span: f.span,
        label: None,
        labels: f.labels,
        help,
    }
}

/// The documentation page of a rule (its section of `docs/rules.md`).
pub fn rule_url(id: &str) -> String {
    format!(
        "{}/blob/main/docs/rules.md#{}",
        env!("CARGO_PKG_REPOSITORY"),
        id.to_ascii_lowercase()
    )
}

impl Rule {
    pub fn severity(&self) -> Severity {
        self.meta.severity
    }
}
