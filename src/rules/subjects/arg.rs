//! `on = "arg"`: each positional argument of the instructions that take
//! plain arguments.

use super::instruction;
use super::{FieldText, Leaf, Spec, owned};
use crate::rules::eval::{Bind, Facts, InstRef, word_origin};
use crate::rules::vocab::vocab;
use crate::span::Span;
use crate::syntax::Word;
use std::borrow::Cow;

pub const SPEC: Spec = Spec {
    doc: "One per positional argument of the instructions that take plain \
arguments: `COPY`/`ADD` sources and destination, `VOLUME`, `EXPOSE`, \
`USER`, `WORKDIR`, `STOPSIGNAL`, `MAINTAINER`. (RUN, CMD and ENTRYPOINT \
are `command` and `text` subjects; ENV, ARG and LABEL are `pair`s.)",
    leaves: &[Leaf::Analyze, Leaf::Lookup],
};

vocab! {
    pub enum Text: "field of `arg`" {
        /// As written.
        Value = "value",
        /// After ARG and ENV expansion, when every variable has a value; else as written.
        Expanded = "expanded",
    }
}

vocab! {
    pub enum Bool: "boolean of `arg`" {
        /// Every variable has a value.
        Resolved = "resolved",
        /// The last argument: COPY's destination.
        Last = "last",
    }
}

vocab! {
    pub enum Role: "report role for `arg`" {
        /// The argument.
        Arg = "arg",
        /// What the predicate matched.
        Match = "match",
    }
}

vocab! {
    pub enum Placeholder: "placeholder of `arg`" {
        /// As written.
        Arg = "arg",
        /// After expansion.
        Expanded = "expanded",
        /// The instruction's keyword.
        Instruction = "instruction",
    }
}

pub(crate) fn text<'s>(
    field: Text,
    r: &InstRef<'s, '_>,
    word: &'s Word<'_>,
    facts: &Facts<'_, '_>,
) -> Option<FieldText<'s>> {
    match field {
        Text::Value => Some((
            Cow::Borrowed(word.text.as_ref()),
            Some(word_origin(r.inst, word)),
        )),
        Text::Expanded => {
            let e = facts.model.expand_at(r.idx, &word.text);
            owned(if e.resolved {
                e.text
            } else {
                word.text.to_string()
            })
        }
    }
}

pub(crate) fn boolean(
    field: Bool,
    r: &InstRef<'_, '_>,
    word: &Word<'_>,
    last: bool,
    facts: &Facts<'_, '_>,
) -> bool {
    match field {
        Bool::Resolved => facts.model.expand_at(r.idx, &word.text).resolved,
        Bool::Last => last,
    }
}

/// The span a finding points at when the reported role has none.
pub const WHOLE: Role = Role::Arg;

pub(crate) fn bind(
    p: Placeholder,
    r: &InstRef<'_, '_>,
    word: &Word<'_>,
    facts: &Facts<'_, '_>,
) -> Bind {
    match p {
        Placeholder::Arg => Bind::new(p.as_str(), word.text.clone()).at(word.span),
        Placeholder::Expanded => {
            let e = facts.model.expand_at(r.idx, &word.text);
            let expanded = if e.resolved {
                e.text
            } else {
                word.text.to_string()
            };
            Bind::new(p.as_str(), expanded).at(word.span)
        }
        Placeholder::Instruction => instruction::keyword(p.as_str(), r),
    }
}

pub(crate) fn role_span(role: Role, word: &Word<'_>, hit: Option<Span>) -> Option<Span> {
    match role {
        Role::Arg => Some(word.span),
        Role::Match => hit,
    }
}
