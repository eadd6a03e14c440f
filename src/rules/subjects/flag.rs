//! `on = "flag"`: each instruction flag.

use super::instruction;
use super::{FieldText, Leaf, Spec};
use crate::rules::eval::{Bind, InstRef};
use crate::rules::vocab::vocab;
use crate::shell::Origin;
use crate::span::Span;
use crate::syntax::Flag;
use std::borrow::Cow;

pub const SPEC: Spec = Spec {
    doc: "One per instruction flag: `RUN --mount=...`, `COPY --chmod=...`, \
`FROM --platform=...`.",
    leaves: &[Leaf::Analyze],
};

vocab! {
    pub enum Text: "field of `flag`" {
        /// Without `--`: `mount`.
        Name = "name",
        /// The value; absent when none.
        Value = "value",
    }
}

vocab! {
    pub enum Bool: "boolean of `flag`" {
        /// The flag has a value.
        HasValue = "has_value",
    }
}

vocab! {
    pub enum Role: "report role for `flag`" {
        /// The whole flag.
        Flag = "flag",
        /// The name.
        Name = "name",
        /// The value (the flag when there is none).
        Value = "value",
        /// What the predicate matched.
        Match = "match",
    }
}

vocab! {
    pub enum Placeholder: "placeholder of `flag`" {
        /// The name.
        Flag = "flag",
        /// The value.
        Value = "value",
        /// The instruction's keyword.
        Instruction = "instruction",
    }
}

pub(crate) fn text<'s>(field: Text, flag: &'s Flag<'_>) -> Option<FieldText<'s>> {
    let word = match field {
        Text::Name => &flag.name,
        Text::Value => flag.value.as_ref()?,
    };
    Some((
        Cow::Borrowed(word.text.as_ref()),
        Some(Origin::Fixed(word.span)),
    ))
}

pub(crate) fn boolean(field: Bool, flag: &Flag<'_>) -> bool {
    match field {
        Bool::HasValue => flag.value.is_some(),
    }
}

/// The span a finding points at when the reported role has none.
pub const WHOLE: Role = Role::Flag;

pub(crate) fn bind(p: Placeholder, r: &InstRef<'_, '_>, flag: &Flag<'_>) -> Bind {
    match p {
        Placeholder::Flag => Bind::new(p.as_str(), flag.name.text.clone()).at(flag.name.span),
        Placeholder::Value => match &flag.value {
            Some(v) => Bind::new(p.as_str(), v.text.clone()).at(v.span),
            None => Bind::new(p.as_str(), ""),
        },
        Placeholder::Instruction => instruction::keyword(p.as_str(), r),
    }
}

pub(crate) fn role_span(role: Role, flag: &Flag<'_>, hit: Option<Span>) -> Option<Span> {
    match role {
        Role::Flag => Some(flag.span),
        Role::Name => Some(flag.name.span),
        Role::Value => flag.value.as_ref().map(|v| v.span),
        Role::Match => hit,
    }
}
