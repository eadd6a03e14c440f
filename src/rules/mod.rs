//! The rule engine: rules are data (TOML files, checked when loaded and
//! compiled once), run over a parsed Dockerfile and its facts.
//!
//! The format is specified in `docs/rule-format.md`. The built-in pack
//! (`rules/`) is embedded in the binary; `--rules DIR` adds a user's rules.

mod compile;
mod data;
mod eval;
mod examples;
mod fixes;
pub mod foreign;
mod json_schema;
mod leaves;
pub mod native;
mod problem;
mod reference;
mod subjects;
mod types;
mod utils;
pub(crate) mod vocab;
mod walk;

pub use compile::SourceFile;
pub use data::{Data, TableValue};
pub use eval::{Bind, Facts, Finding};
pub use examples::{
    ExampleFailure, ExampleOutcome, apply_fixes, check_examples, example_data, text_diff,
};
pub use json_schema::rule_schema;
pub use native::{CodeOutcome, NATIVE, NativeCheck, NativeFn, SuppressionOutcome};
pub use problem::example_problems;
pub use reference::subjects_markdown;
pub use subjects::SubjectKind;
pub use types::{
    Check, EditOp, EditTemplate, Example, ExampleKind, Filter, FixTemplate, Rule, RuleMeta, Target,
    Template,
};
pub use vocab::{Category, Confidence, Status, TextSource, Vocab};
pub use walk::LoadError;

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::redact::Redaction;
use crate::span::Span;
use crate::suppress;
use crate::syntax::Dockerfile;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
}

/// Whether a source is the built-in pack's file of the same index.
pub(crate) fn is_builtin_source(index: usize, source: &compile::SourceFile) -> bool {
    builtin::BUILTIN_RULES
        .get(index)
        .is_some_and(|(name, text)| *name == source.name && *text == source.text)
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
    /// Rule indices by id (ids are unique in a set).
    by_id: HashMap<String, usize>,
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
    /// Data to use instead of the rule set's (settings add to its tables).
    pub data: Option<&'o Data>,
    /// Judge the codes of other tools' suppressions (`# hadolint ignore=`,
    /// `# check=skip=`) too: by default an unused one is not reported, so
    /// a file shared with those tools can be clean for both.
    pub foreign_unused: bool,
}

impl RuleSet {
    /// Compiles rules from source files, or reports every problem in them.
    pub fn load(sources: Vec<SourceFile>) -> Result<RuleSet, LoadFailure> {
        let (mut rules, data, mut errors) = compile::load(&sources);
        if !errors.is_empty() {
            errors.sort_by_key(|e| (e.file, e.span.start));
            return Err(LoadFailure { sources, errors });
        }
        let mut by_subject: BTreeMap<SubjectKind, Vec<usize>> = BTreeMap::new();
        let mut by_id = HashMap::with_capacity(rules.len());
        for (i, r) in rules.iter_mut().enumerate() {
            r.index = i;
            by_id.insert(r.meta.id.clone(), i);
            if let Check::Match(m) = &r.check {
                by_subject.entry(m.subject).or_default().push(i);
            }
        }
        Ok(RuleSet {
            rules,
            sources,
            data,
            by_subject,
            by_id,
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

    /// Whether a rule of this set comes from the built-in pack (whose
    /// files are always loaded first).
    pub fn is_builtin(&self, rule: &Rule) -> bool {
        rule.origin.file < builtin::BUILTIN_RULES.len()
            && self.sources.get(rule.origin.file).is_some_and(|s| {
                builtin::BUILTIN_RULES
                    .iter()
                    .any(|(name, _)| *name == s.name)
            })
    }

    /// The built-in pack, compiled once per process.
    pub fn builtin() -> Result<&'static RuleSet, &'static LoadFailure> {
        static BUILTIN: OnceLock<Result<RuleSet, LoadFailure>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| RuleSet::load(Self::builtin_sources()))
            .as_ref()
    }

    /// Rule files (`*.toml`, recursively) under `dir`, sorted by path, and
    /// the files and folders under it that could not be read. A folder is
    /// read once, however many links lead to it, so a link back up is no
    /// loop. Only an unreadable `dir` itself is an `Err`.
    pub fn read_dir(dir: &Path) -> std::io::Result<RuleDir> {
        let mut found = Vec::new();
        let mut problems = Vec::new();
        let mut seen = std::collections::HashSet::new();
        seen.insert(std::fs::canonicalize(dir)?);
        let entries = std::fs::read_dir(dir)?;
        collect_toml(entries, &mut seen, &mut found, &mut problems);
        found.sort();
        let mut files = Vec::with_capacity(found.len());
        for p in found {
            match crate::files::read_text(&p) {
                Ok(text) => files.push(SourceFile {
                    name: p.display().to_string(),
                    text,
                }),
                Err(e) => problems.push((p.display().to_string(), e)),
            }
        }
        problems.sort();
        Ok(RuleDir { files, problems })
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

    /// The rules that list `code` as a related check of another tool: the
    /// same ground, a different check (`CKV_DOCKER_4` flags every ADD,
    /// shipshape's `prefer-copy` only those COPY could do).
    pub fn related_to(&self, code: &str) -> Vec<&Rule> {
        let code = code.trim();
        self.rules
            .iter()
            .filter(|r| {
                r.meta
                    .related
                    .values()
                    .flatten()
                    .any(|c| c.eq_ignore_ascii_case(code))
            })
            .collect()
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

    /// Runs the rules `keep` selects, in three phases: evaluation (match
    /// rules and native checks), suppression (the file's inline
    /// suppressions drop the findings they cover, and what each code did is
    /// recorded), and the checks that judge the suppressions themselves
    /// (native checks of the after-suppression phase, see
    /// [`native::NativeCheck`]).
    pub fn check_some(
        &self,
        file: &Dockerfile<'_>,
        path: &str,
        options: CheckOptions<'_>,
        keep: impl Fn(&Rule) -> bool,
    ) -> Vec<Diagnostic> {
        let facts = Facts::new(
            file,
            path,
            options.target,
            options.data.unwrap_or(&self.data),
        );
        let (suppressions, malformed) = suppress::collect(file);
        // The rules each code names. A named rule runs even when not kept,
        // so that whether its suppression is used doesn't depend on the
        // selection; its findings are dropped afterwards.
        let resolved: Vec<Vec<Vec<&str>>> = suppressions
            .iter()
            .map(|s| {
                s.codes
                    .iter()
                    .map(|c| self.resolve(s.origin, &c.text))
                    .collect()
            })
            .collect();
        let named: HashSet<&str> = resolved.iter().flatten().flatten().copied().collect();
        let mut out = self.evaluate(&facts, &|r: &Rule| {
            keep(r) || named.contains(r.meta.id.as_str())
        });

        let mut used: Vec<Vec<bool>> = resolved.iter().map(|s| vec![false; s.len()]).collect();
        let mut suppressed = |d: &Diagnostic| {
            let mut hit = false;
            for (i, s) in suppressions.iter().enumerate() {
                if !s.covers(d.span.start) {
                    continue;
                }
                for (j, rules) in resolved[i].iter().enumerate() {
                    if rules.contains(&d.rule.as_str()) {
                        used[i][j] = true;
                        hit = true;
                    }
                }
            }
            hit
        };
        out.retain(|d| !suppressed(d));
        if !named.is_empty() {
            out.retain(|d| self.find_id(&d.rule).is_some_and(&keep));
        }

        let late = |id: &str| {
            self.find_id(id).is_some_and(|r| {
                matches!(
                    r.check,
                    Check::Native(NativeFn {
                        check: NativeCheck::AfterSuppression(_),
                        ..
                    })
                )
            })
        };
        let outcome = SuppressionOutcome {
            rules: self,
            foreign_unused: options.foreign_unused,
            suppressions: &suppressions,
            malformed: &malformed,
            codes: resolved
                .iter()
                .zip(&used)
                .map(|(codes, used)| {
                    codes
                        .iter()
                        .zip(used)
                        .map(|(rules, &used)| CodeOutcome {
                            rules: rules.clone(),
                            used,
                            late: !rules.is_empty() && rules.iter().all(|id| late(id)),
                        })
                        .collect()
                })
                .collect(),
        };
        let mut judged = Vec::new();
        for rule in self.rules.iter().filter(|r| keep(r)) {
            if let Check::Native(NativeFn {
                check: NativeCheck::AfterSuppression(f),
                ..
            }) = &rule.check
            {
                judged.extend(native_diagnostics(rule, f(&facts, &outcome), file));
            }
        }
        // These findings can be suppressed too (without counting as a use).
        judged.retain(|d| {
            !suppressions.iter().zip(&resolved).any(|(s, codes)| {
                s.covers(d.span.start) && codes.iter().any(|rules| rules.contains(&d.rule.as_str()))
            })
        });
        out.extend(judged);
        sort_and_dedup(&mut out);
        out
    }

    /// The ids of the rules a suppression code names.
    fn resolve(&self, origin: suppress::Origin, code: &str) -> Vec<&str> {
        let hits = |f: &dyn Fn(&Rule) -> bool| -> Vec<&str> {
            self.rules
                .iter()
                .filter(|r| f(r))
                .map(|r| r.meta.id.as_str())
                .collect()
        };
        match origin {
            suppress::Origin::Own => hits(&|r| r.selected_by(code)),
            suppress::Origin::Hadolint => hits(&|r| r.has_alias("hadolint", code)),
            suppress::Origin::BuildKit if code == "all" => {
                hits(&|r| r.meta.aliases.contains_key("buildkit"))
            }
            suppress::Origin::BuildKit => hits(&|r| r.has_alias("buildkit", code)),
        }
    }

    /// A rule by exact id.
    pub fn find_id(&self, id: &str) -> Option<&Rule> {
        self.by_id.get(id).and_then(|&i| self.rules.get(i))
    }

    /// Runs the rules `keep` selects, without suppressions: the match
    /// rules and the native checks of the evaluation phase.
    fn evaluate(&self, facts: &Facts<'_, '_>, keep: &dyn Fn(&Rule) -> bool) -> Vec<Diagnostic> {
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
            let subjects = eval::subjects(facts, *kind);
            for rule in rules {
                if let Check::Match(m) = &rule.check {
                    out.extend(
                        eval::run(m, rule.fix.as_ref(), &subjects, facts)
                            .into_iter()
                            .map(|f| diagnostic(rule, f)),
                    );
                }
            }
        }
        for rule in self.rules.iter().filter(|r| keep(r)) {
            if let Check::Native(NativeFn {
                check: NativeCheck::Eval(f),
                ..
            }) = &rule.check
            {
                out.extend(native_diagnostics(rule, f(facts), facts.file));
            }
        }
        sort_and_dedup(&mut out);
        let confidence = |id: &str| self.find_id(id).and_then(|r| r.meta.confidence);
        one_per_secret(&mut out, &confidence);
        out
    }
}

/// Keeps one finding per secret: of the findings whose secrets overlap
/// (several rules, or several patterns, on the same bytes), the one that
/// says most about them wins: the rule with the higher confidence (a rule
/// without one counts as medium), then the higher severity, then the one
/// whose secrets are fewer bytes (the most precise), then the lower rule
/// id and the earlier position. Findings about no secret are kept as
/// they are; the order of `out` is kept.
fn one_per_secret(out: &mut Vec<Diagnostic>, confidence: &dyn Fn(&str) -> Option<Confidence>) {
    let secret: Vec<usize> = (0..out.len())
        .filter(|&i| !out[i].redact.is_empty())
        .collect();
    if secret.len() < 2 {
        return;
    }
    let rank = |c: Option<Confidence>| match c {
        Some(Confidence::High) => 0,
        Some(Confidence::Medium) | None => 1,
        Some(Confidence::Low) => 2,
    };
    let key = |i: usize| {
        let d = &out[i];
        let bytes: u32 = d.redact.iter().map(|r| r.span.len()).sum();
        (
            rank(confidence(&d.rule)),
            std::cmp::Reverse(d.severity),
            bytes,
            d.rule.clone(),
            d.span.start,
        )
    };
    let mut order = secret;
    order.sort_by_cached_key(|&i| key(i));
    // The secrets of the findings kept so far: start -> end, disjoint.
    let mut taken: BTreeMap<u32, u32> = BTreeMap::new();
    let overlaps = |taken: &BTreeMap<u32, u32>, s: Span| {
        taken
            .range(..s.end.max(s.start + 1))
            .next_back()
            .is_some_and(|(_, &end)| end > s.start)
    };
    let mut drop = vec![false; out.len()];
    for i in order {
        let spans: Vec<Span> = out[i].redact.iter().map(|r| r.span).collect();
        if spans.iter().any(|&s| overlaps(&taken, s)) {
            drop[i] = true;
            continue;
        }
        for s in spans {
            // Merge with what it touches, so the map stays disjoint.
            let (mut start, mut end) = (s.start, s.end.max(s.start + 1));
            while let Some((&a, &b)) = taken.range(..end).next_back() {
                if b < start {
                    break;
                }
                taken.remove(&a);
                start = start.min(a);
                end = end.max(b);
            }
            taken.insert(start, end);
        }
    }
    let mut i = 0;
    out.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}

/// A native check's findings as diagnostics. A finding without a fix of
/// its own gets the rule's `[rule.fix]`, aimed at the reported span or a
/// placeholder (a native check has no roles).
fn native_diagnostics<'r>(
    rule: &'r Rule,
    findings: Vec<Finding>,
    file: &Dockerfile<'_>,
) -> impl Iterator<Item = Diagnostic> + 'r {
    let escape = file.escape;
    findings.into_iter().map(move |mut f| {
        if f.fix.is_none()
            && let Some(t) = &rule.fix
        {
            f.fix = fixes::render(t, &f, &|_| None, escape);
        }
        diagnostic(rule, f)
    })
}

/// Sorts by position and keeps one finding per place: the same rule and
/// message on overlapping spans (a secret seen both in a command and in
/// what it prints).
fn sort_and_dedup(out: &mut Vec<Diagnostic>) {
    out.sort_by(|a, b| {
        (a.span.start, &a.rule, a.span.end).cmp(&(b.span.start, &b.rule, b.span.end))
    });
    out.dedup_by(|later, kept| {
        later.rule == kept.rule
            && (later.span == kept.span
                || (later.span.start < kept.span.end && later.message == kept.message))
    });
}

/// What [`RuleSet::read_dir`] found in a folder.
pub struct RuleDir {
    pub files: Vec<SourceFile>,
    /// `(path, problem)` for each entry that could not be read.
    pub problems: Vec<(String, String)>,
}

fn collect_toml(
    entries: std::fs::ReadDir,
    seen: &mut std::collections::HashSet<std::path::PathBuf>,
    out: &mut Vec<std::path::PathBuf>,
    problems: &mut Vec<(String, String)>,
) {
    let problem =
        |path: &Path, e: std::io::Error| (path.display().to_string(), format!("cannot read: {e}"));
    for entry in entries {
        let path = match entry {
            Ok(e) => e.path(),
            Err(e) => {
                problems.push(problem(Path::new("(a folder entry)"), e));
                continue;
            }
        };
        let is_toml = path.extension().is_some_and(|e| e == "toml");
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => {
                match std::fs::canonicalize(&path) {
                    Ok(real) => {
                        if !seen.insert(real) {
                            continue;
                        }
                    }
                    Err(e) => {
                        problems.push(problem(&path, e));
                        continue;
                    }
                }
                match std::fs::read_dir(&path) {
                    Ok(inner) => collect_toml(inner, seen, out, problems),
                    Err(e) => problems.push(problem(&path, e)),
                }
            }
            // Files, FIFOs and devices alike: reading says what is wrong.
            Ok(_) if is_toml => out.push(path),
            Ok(_) => {}
            Err(e) if is_toml => problems.push(problem(&path, e)),
            Err(_) => {}
        }
    }
}

/// Turns a finding into a diagnostic with the rule's message and hint.
fn diagnostic(rule: &Rule, f: Finding) -> Diagnostic {
    let lookup = |n: &str| f.bind(n).map(|b| b.shown());
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
    // The secrets the finding binds; one with no place in the file hides
    // the whole finding's span.
    let mut redact: Vec<Redaction> = f
        .binds
        .iter()
        .filter_map(|b| {
            let keep = b.secret?;
            Some(match b.span {
                Some(span) => Redaction { span, keep },
                None => Redaction {
                    span: f.span,
                    keep: 0,
                },
            })
        })
        .collect();
    redact.sort();
    redact.dedup();
    Diagnostic {
        redact,
        rule: rule.meta.id.clone(),
        name: rule.meta.name.clone(),
        category: rule.meta.category.to_string(),
        severity: rule.meta.severity,
        message,
        span: f.span,
        labels: f.labels,
        help,
        fix: f.fix,
    }
}

/// The documentation page of a rule (its section of `docs/rules.md`).
/// The documentation page of a rule: the built-in pack's reference for
/// built-in rules, the first of `refs.urls` for a user's rule.
pub fn documentation_url(set: &RuleSet, rule: &Rule) -> Option<String> {
    if set.is_builtin(rule) {
        Some(rule_url(&rule.meta.id))
    } else {
        rule.meta.refs.get("urls").and_then(|u| u.first()).cloned()
    }
}

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

    /// How far its fixes can be trusted, most trusted first; empty when it
    /// has none: its `[rule.fix]`'s applicability, else what its native
    /// check declares.
    pub fn fix_applicabilities(&self) -> &[Applicability] {
        match (&self.fix, &self.check) {
            (Some(f), _) => std::slice::from_ref(&f.applicability),
            (None, Check::Native(f)) => f.fixes,
            (None, Check::Match(_)) => &[],
        }
    }

    /// Whether a selector names this rule: its id (any case), an id prefix
    /// (`SEC`), its name, its category or a foreign alias (`DL3002`).
    pub fn selected_by(&self, selector: &str) -> bool {
        let sel = selector.trim();
        if sel.is_empty() {
            return false;
        }
        let m = &self.meta;
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

    /// Whether `code` is this rule's id in a foreign namespace
    /// (`hadolint`: `DL3002`, case-insensitive; `buildkit`: exact).
    pub fn has_alias(&self, namespace: &str, code: &str) -> bool {
        self.meta.aliases.get(namespace).is_some_and(|ids| {
            ids.iter().any(|a| {
                if namespace == "buildkit" {
                    a == code
                } else {
                    a.eq_ignore_ascii_case(code)
                }
            })
        })
    }
}
