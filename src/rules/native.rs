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
];

pub fn find(name: &str) -> Option<NativeFn> {
    NATIVE.iter().find(|f| f.name == name).copied()
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
                labels: e
                    .labels
                    .iter()
                    .map(|l| Label {
                        span: l.span,
                        message: l.message.clone(),
                    })
                    .collect(),
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
        let Some(first) = stages[..i].iter().find(|s| s.alias.as_ref() == Some(alias)) else {
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
