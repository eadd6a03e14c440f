//! `on = "instruction"`: each instruction, and each ONBUILD trigger.

use super::{FieldText, Leaf, Spec, owned};
use crate::rules::eval::{Facts, InstRef, args_text};
use crate::rules::vocab::vocab;
use crate::shell::Origin;
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
