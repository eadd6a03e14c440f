//! Rules written in Rust, for checks the match language can't express.
//! Their metadata, examples and docs still live in TOML (`engine =
//! "native"`, `native = "<name>"`). Each one here hints at a missing
//! primitive in the language.
//!
//! A native check runs in one of two phases: with the match rules, on the
//! file's facts; or after the suppression phase, on what the file's inline
//! suppressions did (the checks that judge suppressions themselves).

mod casing;
mod edits;
mod json_args;
mod key_value;
mod package_caches;
mod prefer_copy;
mod stage_refs;

pub use prefer_copy::ARCHIVE_EXTENSIONS;

use super::eval::{Bind, Facts, Finding};
use crate::diagnostic::{Applicability, Edit, Fix, Label};
use crate::span::Span;
use crate::suppress::{self, Malformed, Suppression};
use std::fmt;

/// A native check, by the phase it runs in.
#[derive(Clone, Copy)]
pub enum NativeCheck {
    /// Runs with the match rules, on the file's facts.
    Eval(fn(&Facts<'_, '_>) -> Vec<Finding>),
    /// Runs once every other rule has run and the file's suppressions have
    /// dropped the findings they cover, on what the suppressions did. Its
    /// own findings can still be suppressed, but they mark no suppression
    /// as used.
    AfterSuppression(fn(&Facts<'_, '_>, &SuppressionOutcome<'_>) -> Vec<Finding>),
}

/// What the suppression phase did with one file's inline suppressions.
pub struct SuppressionOutcome<'s> {
    /// The rules the codes were resolved against.
    pub rules: &'s super::RuleSet,
    /// Whether unused codes of other tools' suppressions are reported.
    pub foreign_unused: bool,
    pub suppressions: &'s [Suppression],
    /// Comments that start like a suppression but can't be read.
    pub malformed: &'s [Malformed],
    /// Per suppression, per code (in the order written): what became of it.
    pub codes: Vec<Vec<CodeOutcome<'s>>>,
}

/// What became of one code of a suppression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeOutcome<'s> {
    /// The ids of the rules the code names; empty when it names none.
    pub rules: Vec<&'s str>,
    /// Whether it suppressed a finding.
    pub used: bool,
    /// Whether every rule it names runs after the suppression phase, so
    /// that whether it is used can't be known when the outcome is made.
    pub late: bool,
}

#[derive(Clone, Copy)]
pub struct NativeFn {
    pub name: &'static str,
    /// Placeholders its findings bind for the rule's message.
    pub placeholders: &'static [&'static str],
    /// The applicabilities of the fixes its findings may carry, most
    /// trusted first; empty when they carry none (a rule's `[rule.fix]`
    /// may add one to those that don't).
    pub fixes: &'static [Applicability],
    pub check: NativeCheck,
}

impl fmt::Debug for NativeFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "native `{}`", self.name)
    }
}

pub static NATIVE: &[NativeFn] = &[
    NativeFn {
        name: "syntax-error",
        placeholders: &["message", "code", "help"],
        fixes: &[],
        check: NativeCheck::Eval(syntax_errors),
    },
    NativeFn {
        name: "duplicate-stage-name",
        placeholders: &["stage"],
        fixes: &[],
        check: NativeCheck::Eval(duplicate_stage_name),
    },
    NativeFn {
        name: "untrusted-registry",
        placeholders: &["image", "registry"],
        fixes: &[],
        check: NativeCheck::Eval(untrusted_registry),
    },
    NativeFn {
        name: "final-user-not-allowed",
        placeholders: &["user"],
        fixes: &[],
        check: NativeCheck::Eval(final_user_not_allowed),
    },
    NativeFn {
        name: "consistent-instruction-casing",
        placeholders: &["keyword", "case"],
        fixes: &[Applicability::Safe],
        check: NativeCheck::Eval(casing::consistent_instruction_casing),
    },
    NativeFn {
        name: "legacy-key-value-format",
        placeholders: &["instruction", "key", "value"],
        fixes: &[Applicability::Safe],
        check: NativeCheck::Eval(key_value::legacy_key_value_format),
    },
    NativeFn {
        name: "prefer-copy",
        placeholders: &["instruction"],
        // Unsafe when a source has no extension: see its help.
        fixes: &[Applicability::Safe, Applicability::Unsafe],
        check: NativeCheck::Eval(prefer_copy::prefer_copy),
    },
    NativeFn {
        name: "json-args-recommended",
        placeholders: &["instruction"],
        // Unsafe for ENTRYPOINT, and for CMD under an ENTRYPOINT.
        fixes: &[Applicability::Safe, Applicability::Unsafe],
        check: NativeCheck::Eval(json_args::json_args_recommended),
    },
    NativeFn {
        name: "pip-no-cache-dir",
        placeholders: &["command", "subcommand"],
        fixes: &[Applicability::Safe],
        check: NativeCheck::Eval(package_caches::pip_no_cache_dir),
    },
    NativeFn {
        name: "apk-no-cache",
        placeholders: &["command", "subcommand"],
        fixes: &[Applicability::Safe],
        check: NativeCheck::Eval(package_caches::apk_no_cache),
    },
    NativeFn {
        name: "unused-suppression",
        placeholders: &["message", "code"],
        fixes: &[Applicability::Safe],
        check: NativeCheck::AfterSuppression(unused_suppressions),
    },
    NativeFn {
        name: "invalid-suppression",
        placeholders: &["message"],
        fixes: &[],
        check: NativeCheck::AfterSuppression(invalid_suppressions),
    },
];

/// A finding whose message is all in `{message}`.
fn note(span: Span, message: String) -> Finding {
    Finding::new(span, vec![Bind::new("message", message)])
}

/// Codes that name rules, suppressed nothing, and could have: every
/// code naming a rule that runs before suppressions are judged. A
/// suppression whose codes are all unused is deleted whole (a safe fix);
/// otherwise each unused code is taken out of its list.
fn unused_suppressions(facts: &Facts<'_, '_>, outcome: &SuppressionOutcome<'_>) -> Vec<Finding> {
    let unused = |o: &CodeOutcome<'_>| !o.used && !o.rules.is_empty() && !o.late;
    let mut out = Vec::new();
    for (s, codes) in outcome.suppressions.iter().zip(&outcome.codes) {
        if s.origin != suppress::Origin::Own && !outcome.foreign_unused {
            continue;
        }
        let all = codes.iter().all(unused);
        for (j, (c, o)) in s.codes.iter().zip(codes).enumerate() {
            if !unused(o) {
                continue;
            }
            let scope = match s.scope {
                suppress::Scope::File => "in this file",
                suppress::Scope::Next(Some(_)) => "in the next instruction",
                suppress::Scope::Next(None) => "(no instruction follows it)",
            };
            let message = format!(
                "`{}` in {} suppresses nothing: no finding of {} {scope}",
                c.text,
                s.describe(),
                o.rules.join(", ")
            );
            let mut finding = note(c.span, message);
            finding
                .binds
                .push(Bind::new("code", c.text.clone()).at(c.span));
            let (title, edit) = if all {
                (
                    "Remove the unused suppression".to_owned(),
                    remove_suppression(facts.file, s),
                )
            } else {
                (
                    format!("Remove `{}` from the suppression", c.text),
                    remove_code(s, j),
                )
            };
            finding.fix = edit.and_then(|e| Fix::new(title, Applicability::Safe, vec![e]));
            out.push(finding);
        }
    }
    out
}

/// Deleting a whole suppression: its line, or for a `check=` directive
/// with other settings, its `skip=` clause and one `;`. `None` if the
/// spans don't fit the text (no fix rather than a wrong one).
fn remove_suppression(file: &crate::syntax::Dockerfile<'_>, s: &Suppression) -> Option<Edit> {
    let source = file.source;
    let (start, end) = (s.span.start as usize, s.span.end as usize);
    let (clause_start, clause_end) = (s.clause.start as usize, s.clause.end as usize);
    let delete = |from: usize, to: usize| Edit {
        span: Span::from_usize(from, to),
        text: String::new(),
    };
    if s.clause != s.span {
        // `# check=` then the settings; the clause is one of them.
        let before = source.get(start..clause_start)?;
        let after = source.get(clause_end..end)?;
        let others = before.split_once('=').map_or("", |(_, v)| v);
        let alone = others
            .chars()
            .chain(after.chars())
            .all(|c| c == ';' || c.is_whitespace());
        if !alone {
            let bytes = source.as_bytes();
            return Some(if bytes.get(clause_end) == Some(&b';') {
                delete(clause_start, clause_end + 1)
            } else if clause_start > 0 && bytes.get(clause_start - 1) == Some(&b';') {
                delete(clause_start - 1, clause_end)
            } else {
                delete(clause_start, clause_end)
            });
        }
    }
    let floor = file.bom.map_or(0, |b| b.end as usize);
    let line_start = source
        .get(..start)?
        .rfind('\n')
        .map_or(0, |i| i + 1)
        .max(floor);
    let line_end = source
        .get(end..)?
        .find('\n')
        .map_or(source.len(), |i| end + i + 1);
    // The last line, without a newline: the newline before it goes along.
    let line_start = if line_end == source.len() && !source.ends_with('\n') && line_start > floor {
        let before = source.get(..line_start - 1)?;
        line_start - 1 - usize::from(before.ends_with('\r'))
    } else {
        line_start
    };
    Some(delete(line_start, line_end))
}

/// Deleting code `j` of a list and the separator that joins it to a
/// neighbour: `A, B` less `B` is `A`.
fn remove_code(s: &Suppression, j: usize) -> Option<Edit> {
    let c = s.codes.get(j)?;
    let span = match (
        s.codes.get(j + 1),
        j.checked_sub(1).and_then(|i| s.codes.get(i)),
    ) {
        (Some(next), _) => Span::new(c.span.start, next.span.start),
        (None, Some(prev)) => Span::new(prev.span.end, c.span.end),
        (None, None) => return None,
    };
    Some(Edit {
        span,
        text: String::new(),
    })
}

/// Suppressions that can't be read, and codes that name no rule (a
/// hadolint or BuildKit code that shipshape doesn't map is fine in their
/// pragmas; in shipshape's own, the finding says what the code is).
fn invalid_suppressions(_: &Facts<'_, '_>, outcome: &SuppressionOutcome<'_>) -> Vec<Finding> {
    let mut out: Vec<Finding> = outcome
        .malformed
        .iter()
        .map(|m| note(m.span, m.message.clone()))
        .collect();
    for (s, codes) in outcome.suppressions.iter().zip(&outcome.codes) {
        for (c, o) in s.codes.iter().zip(codes) {
            if !o.rules.is_empty() || suppress::is_foreign_shape(s.origin, &c.text) {
                continue;
            }
            let what = match s.origin {
                suppress::Origin::Own if suppress::foreign_tool(&c.text).is_some() => {
                    format!(
                        "names no rule: {}",
                        super::foreign::note(outcome.rules, &c.text)
                    )
                }
                suppress::Origin::Own => "names no rule (try `shipshape rules`)".to_owned(),
                suppress::Origin::Hadolint => "is not a hadolint or ShellCheck code".to_owned(),
                suppress::Origin::BuildKit => "is not a BuildKit check name".to_owned(),
            };
            out.push(note(
                c.span,
                format!("`{}` in {} {what}", c.text, s.describe()),
            ));
        }
    }
    out
}

/// Native checks of debug builds only, for testing the driver:
/// `test-panic` panics on a file that holds the text
/// `shipshape-test-panic`, to prove that one file's panic is reported as
/// that file's internal error and the run goes on.
#[cfg(debug_assertions)]
static TEST_NATIVE: &[NativeFn] = &[NativeFn {
    name: "test-panic",
    placeholders: &[],
    fixes: &[],
    check: NativeCheck::Eval(test_panic),
}];
#[cfg(not(debug_assertions))]
static TEST_NATIVE: &[NativeFn] = &[];

#[cfg(debug_assertions)]
fn test_panic(facts: &Facts<'_, '_>) -> Vec<Finding> {
    if facts.file.source.contains("shipshape-test-panic") {
        panic!("test-panic: the file asked for a panic");
    }
    Vec::new()
}

pub fn find(name: &str) -> Option<NativeFn> {
    NATIVE
        .iter()
        .chain(TEST_NATIVE)
        .find(|f| f.name == name)
        .copied()
}

/// What the parser could not read, or BuildKit would reject: the parser's
/// syntax errors, reported through the rule system so that they can be
/// listed, explained and selected like any rule.
fn syntax_errors(facts: &Facts<'_, '_>) -> Vec<Finding> {
    let mut out: Vec<Finding> = facts
        .file
        .errors
        .iter()
        .map(|e| {
            let mut binds = vec![
                Bind::new("message", e.message.clone()),
                Bind::new("code", e.kind.code()),
            ];
            if let Some(help) = &e.help {
                binds.push(Bind::new("help", help.clone()));
            }
            Finding {
                labels: e.labels.clone(),
                ..Finding::new(e.span, binds)
            }
        })
        .collect();
    out.extend(stage_refs::stage_reference_errors(facts));
    // A `--target` that names no stage fails the build, as in BuildKit.
    if let (Some(target), Some(first)) = (&facts.model.missing_target, facts.model.stages.first()) {
        out.push(stage_refs::syntax_finding(
            facts.file.instructions[first.from].span,
            format!("target stage `{target}` could not be found"),
            "unknown-target",
            "name a stage defined with `FROM <image> AS <name>`".to_owned(),
        ));
    }
    out
}

/// Two stages with the same `AS` name: BuildKit refuses to build. (Needs a
/// comparison between subjects, which the match language does not have.)
fn duplicate_stage_name(facts: &Facts<'_, '_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let stages = &facts.model.stages;
    for (i, stage) in stages.iter().enumerate() {
        let Some(alias) = &stage.alias else { continue };
        let Some(first) = facts
            .model
            .stage_named(alias)
            .filter(|&first| first < i)
            .map(|first| &stages[first])
        else {
            continue;
        };
        let name_span = |s: &crate::model::Stage| {
            let inst = &facts.file.instructions[s.from];
            inst.args
                .words()
                .get(2)
                .map_or(inst.keyword.span, |w| w.span)
        };
        out.push(Finding {
            labels: vec![Label {
                span: name_span(first),
                message: "first defined here".into(),
            }],
            ..Finding::new(
                name_span(stage),
                vec![Bind::new("stage", alias.clone()).at(name_span(stage))],
            )
        });
    }
    out
}

/// The lookup table that `options.trusted-registries` fills.
pub const TRUSTED_REGISTRIES: &str = "trusted_registries";
/// The lookup table that `options.allowed-users` fills.
pub const ALLOWED_USERS: &str = "allowed_users";

/// Base images from registries outside `trusted_registries` (when the
/// table has entries). An entry is a registry (`ghcr.io`) or a registry
/// path prefix (`ghcr.io/acme`); Docker Hub is `docker.io`.
fn untrusted_registry(facts: &Facts<'_, '_>) -> Vec<Finding> {
    let Some(trusted) = facts
        .data
        .tables
        .get(TRUSTED_REGISTRIES)
        .filter(|t| !t.is_empty())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for stage in &facts.model.stages {
        let crate::model::Base::Image(base) = &stage.base else {
            continue;
        };
        let image = &base.image;
        let full = image.qualified_name();
        let allowed = trusted.keys().any(|entry| {
            let entry = entry.trim_end_matches('/');
            let entry = if entry == "index.docker.io" || entry == "registry-1.docker.io" {
                "docker.io"
            } else {
                entry
            };
            full == entry
                || full
                    .strip_prefix(entry)
                    .is_some_and(|rest| rest.starts_with('/'))
        });
        if allowed {
            continue;
        }
        let inst = &facts.file.instructions[stage.from];
        let span = inst.args.words().first().map_or(inst.span, |w| w.span);
        out.push(Finding::new(
            span,
            vec![
                Bind::new("image", image.text.clone()).at(span),
                Bind::new("registry", image.registry.clone()),
            ],
        ));
    }
    out
}

/// The final stage's USER, when `allowed_users` has entries and it isn't
/// one of them (by name or UID, `user` or `user:group`).
fn final_user_not_allowed(facts: &Facts<'_, '_>) -> Vec<Finding> {
    let Some(allowed) = facts
        .data
        .tables
        .get(ALLOWED_USERS)
        .filter(|t| !t.is_empty())
    else {
        return Vec::new();
    };
    let Some(user) = facts.model.final_stage().and_then(|s| s.user.as_ref()) else {
        return Vec::new();
    };
    if !user.resolved || allowed.contains_key(user.user()) || allowed.contains_key(&user.value) {
        return Vec::new();
    }
    let inst = &facts.file.instructions[user.instruction];
    let span = inst.args.words().first().map_or(inst.span, |w| w.span);
    let word = match &inst.args {
        crate::syntax::Arguments::Shell(w) => Some(w.span),
        other => other.words().first().map(|w| w.span),
    };
    vec![Finding::new(
        span,
        vec![Bind::new("user", user.value.clone()).at(word)],
    )]
}
