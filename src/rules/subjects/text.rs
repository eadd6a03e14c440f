//! `on = "text"`: each piece of free text, by source.

use super::{FieldText, Leaf, Spec};
use crate::rules::eval::TextRef;
use crate::rules::vocab::vocab;
use std::borrow::Cow;

pub const SPEC: Spec = Spec {
    doc: "One per piece of free text. Match spans are mapped back to the bytes of \
the Dockerfile, across line continuations and through `printf` arguments. \
`source` in `[rule.match]` chooses the texts:",
    leaves: &[Leaf::Analyze],
};

vocab! {
    pub enum Text: "field of `text`" {
        /// The text.
        Text = "text",
    }
}

vocab! {
    pub enum Bool: "boolean of `text`" {}
}

vocab! {
    pub enum Role: "report role for `text`" {
        /// What the predicate matched (the text when nothing was).
        Match = "match",
        /// The text.
        Text = "text",
    }
}

vocab! {
    pub enum Placeholder: "placeholder of `text`" {
        /// The source: `comment`, `heredoc`, `shell`, `value` or `output`.
        Source = "source",
        /// `comment`, `RUN heredoc`, `RUN command`, `ENV value` or `printf output`.
        Place = "place",
    }
}

pub(crate) fn text<'s>(field: Text, t: &'s TextRef<'_>) -> Option<FieldText<'s>> {
    match field {
        Text::Text => Some((Cow::Borrowed(t.text.as_ref()), Some(t.origin))),
    }
}

pub(crate) fn boolean(field: Bool) -> bool {
    match field {}
}
