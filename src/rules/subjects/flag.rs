//! `on = "flag"`: each instruction flag.

use super::{FieldText, Leaf, Spec};
use crate::rules::vocab::vocab;
use crate::shell::Origin;
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
