//! `on = "instruction"`: each instruction, and each ONBUILD trigger.

use super::{FieldText, Leaf, Spec, owned};
use crate::rules::eval::{Bind, Facts, InstRef, args_text};
use crate::rules::vocab::vocab;
use crate::shell::Origin;
use crate::span::Span;
use crate::syntax::{Arguments, Instruction};
use std::borrow::Cow;

pub const SPEC: Spec = Spec {
    doc: "One per instruction, and one per ONBUILD trigger.",
    leaves: &[
        Leaf::HasFlag,
        Leaf::LacksFlag,
        Leaf::FlagValue,
        Leaf::LaterInStage,
        Leaf::NotLaterInStage,
        Leaf::Analyze,
    ],
};

vocab! {
    pub enum Text: "field of `instruction`" {
        /// Upper case: `RUN`.
        Keyword = "keyword",
        /// The instruction's source text, continuation lines included.
        Raw = "raw",
        /// The arguments, normalised to one line.
        Args = "args",
    }
}

vocab! {
    pub enum Bool: "boolean of `instruction`" {
        /// JSON (exec) form.
        ExecForm = "exec_form",
        /// Has heredocs.
        Heredoc = "heredoc",
        /// An ONBUILD trigger.
        Onbuild = "onbuild",
    }
}

vocab! {
    pub enum Role: "report role for `instruction`" {
        /// From the keyword to the end of the arguments.
        Instruction = "instruction",
        /// The keyword.
        Keyword = "keyword",
        /// The flags and arguments.
        Args = "args",
        /// What the predicate matched.
        Match = "match",
    }
}

vocab! {
    pub enum Placeholder: "placeholder of `instruction`" {
        /// The keyword.
        Instruction = "instruction",
        /// The arguments, up to 60 characters.
        Args = "args",
    }
}

pub(crate) fn text<'s>(
    field: Text,
    r: &InstRef<'s, '_>,
    facts: &'s Facts<'_, '_>,
) -> Option<FieldText<'s>> {
    match field {
        Text::Keyword => owned(r.inst.kind.as_str().to_owned()),
        Text::Raw => Some((
            Cow::Borrowed(r.inst.span.text(facts.file.source)),
            Some(Origin::Source {
                base: r.inst.span.start,
            }),
        )),
        Text::Args => owned(args_text(r.inst).into_owned()),
    }
}

pub(crate) fn boolean(field: Bool, r: &InstRef<'_, '_>) -> bool {
    match field {
        Bool::ExecForm => r.inst.is_exec_form(),
        Bool::Heredoc => !r.inst.heredocs.is_empty(),
        Bool::Onbuild => r.onbuild,
    }
}

/// The span a finding points at when the reported role has none.
pub const WHOLE: Role = Role::Instruction;

pub(crate) fn bind(p: Placeholder, r: &InstRef<'_, '_>) -> Bind {
    match p {
        Placeholder::Instruction => keyword(p.as_str(), r),
        Placeholder::Args => Bind::new(p.as_str(), args_text(r.inst))
            .at(args_span(r.inst))
            .cut(60),
    }
}

/// The keyword of the instruction a subject belongs to, bound as `name`.
pub(crate) fn keyword(name: &str, r: &InstRef<'_, '_>) -> Bind {
    Bind::new(name, r.inst.kind.as_str()).at(r.inst.keyword.span)
}

pub(crate) fn role_span(role: Role, r: &InstRef<'_, '_>, hit: Option<Span>) -> Option<Span> {
    match role {
        Role::Instruction => Some(instruction_line(r.inst)),
        Role::Keyword => Some(r.inst.keyword.span),
        Role::Args => Some(args_span(r.inst)),
        Role::Match => hit,
    }
}

/// From the keyword to the end of the arguments (heredoc bodies excluded).
pub(crate) fn instruction_line(inst: &Instruction<'_>) -> Span {
    let end = args_span(inst).end.max(inst.keyword.span.end);
    Span::new(inst.keyword.span.start, end)
}

/// From the first flag to the end of the arguments.
fn args_span(inst: &Instruction<'_>) -> Span {
    let last = match &inst.args {
        Arguments::Empty => None,
        Arguments::Exec(e) => Some(e.span),
        Arguments::Shell(w) => Some(w.span),
        Arguments::List(ws) => ws.last().map(|w| w.span),
        Arguments::KeyValues(kv) => kv.last().map(|p| p.span),
        Arguments::ArgDecls(d) => d.last().map(|d| d.word.span),
        Arguments::Healthcheck(h) => Some(h.command.words().last().map_or(h.kind.span, |w| w.span)),
        Arguments::Onbuild(inner) => Some(args_span(inner)),
    };
    let first = inst
        .flags
        .first()
        .map(|f| f.span)
        .or(last)
        .unwrap_or(inst.keyword.span);
    match last {
        Some(l) => Span::new(first.start, l.end.max(first.end)),
        None => inst
            .flags
            .last()
            .map_or(inst.keyword.span, |f| Span::new(first.start, f.span.end)),
    }
}
