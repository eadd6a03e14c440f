//! Rules written in Rust, for checks the match language can't express.
//! Their metadata, examples and docs still live in TOML (`engine =
//! "native"`, `native = "<name>"`). Each one here hints at a missing
//! primitive in the language.

use super::eval::{Facts, Finding};
use crate::diagnostic::Label;
use std::fmt;

pub type NativeCheck = fn(&Facts<'_, '_>) -> Vec<Finding>;

#[derive(Clone, Copy)]
pub struct NativeFn {
    pub name: &'static str,
    /// Placeholders its findings bind for the rule's message.
    pub placeholders: &'static [&'static str],
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
        check: syntax_errors,
    },
    NativeFn {
        name: "duplicate-stage-name",
        placeholders: &["stage"],
        check: duplicate_stage_name,
    },
    NativeFn {
        name: "untrusted-registry",
        placeholders: &["image", "registry"],
        check: untrusted_registry,
    },
    NativeFn {
        name: "final-user-not-allowed",
        placeholders: &["user"],
        check: final_user_not_allowed,
    },
    NativeFn {
        name: "suppression-pass",
        placeholders: &["message"],
        check: suppression_pass,
    },
];

/// `IGN001` and `IGN002` are reported by the suppression pass of
/// [`super::RuleSet::check_some`], after every other rule has run: they
/// judge the other rules' findings. Their TOML names this function.
fn suppression_pass(_: &Facts<'_, '_>) -> Vec<Finding> {
    Vec::new()
}

/// Native checks of debug builds only, for testing the driver:
/// `test-panic` panics on a file that holds the text
/// `shipshape-test-panic`, to prove that one file's panic is reported as
/// that file's internal error and the run goes on.
#[cfg(debug_assertions)]
static TEST_NATIVE: &[NativeFn] = &[NativeFn {
    name: "test-panic",
    placeholders: &[],
    check: test_panic,
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
                ("message".to_owned(), e.message.clone()),
                ("code".to_owned(), e.kind.code().to_owned()),
            ];
            if let Some(help) = &e.help {
                binds.push(("help".to_owned(), help.clone()));
            }
            Finding {
                span: e.span,
                binds,
                labels: e.labels.clone(),
            }
        })
        .collect();
    // A `--target` that names no stage fails the build, as in BuildKit.
    if let (Some(target), Some(first)) = (&facts.model.missing_target, facts.model.stages.first()) {
        out.push(Finding {
            span: facts.file.instructions[first.from].span,
            binds: vec![
                (
                    "message".to_owned(),
                    format!("target stage `{target}` could not be found"),
                ),
                ("code".to_owned(), "unknown-target".to_owned()),
                (
                    "help".to_owned(),
                    "name a stage defined with `FROM <image> AS <name>`".to_owned(),
                ),
            ],
            labels: Vec::new(),
        });
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
            span: name_span(stage),
            binds: vec![("stage".into(), alias.clone())],
            labels: vec![Label {
                span: name_span(first),
                message: "first defined here".into(),
            }],
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
        out.push(Finding {
            span,
            binds: vec![
                ("image".into(), image.text.clone()),
                ("registry".into(), image.registry.clone()),
            ],
            labels: Vec::new(),
        });
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
    vec![Finding {
        span,
        binds: vec![("user".into(), user.value.clone())],
        labels: Vec::new(),
    }]
}
