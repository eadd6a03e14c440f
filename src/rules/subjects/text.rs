//! `on = "text"`: each piece of free text, by source.

use super::{FieldText, Leaf, Spec};
use crate::rules::eval::{Bind, TextRef};
use crate::rules::vocab::TextSource;
use crate::rules::vocab::vocab;
use crate::span::Span;
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
        /// The name the text is assigned to, for the `value` and `assignment` sources (`DB_PASSWORD` in `export DB_PASSWORD=...`). Absent for other sources.
        Name = "name",
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
        /// `comment`, `RUN heredoc`, `RUN command`, `ENV value` or `printf output`; for assignments, where the value was given (`an \`export\` in RUN`, `a heredoc in COPY`).
        Place = "place",
        /// The name the text is assigned to (`value` and `assignment` sources).
        Name = "name",
    }
}

pub(crate) fn text<'s>(field: Text, t: &'s TextRef<'_>) -> Option<FieldText<'s>> {
    match field {
        Text::Text => Some((Cow::Borrowed(t.text.as_ref()), Some(t.origin))),
        Text::Name => Some((Cow::Borrowed(t.name?), None)),
    }
}

pub(crate) fn boolean(field: Bool) -> bool {
    match field {}
}

/// The span a finding points at when the reported role has none.
pub const WHOLE: Role = Role::Text;

pub(crate) fn bind(p: Placeholder, t: &TextRef<'_>) -> Bind {
    match p {
        Placeholder::Source => Bind::new(p.as_str(), t.source.as_str()),
        Placeholder::Place => {
            let kind = t.kind.map(|k| k.as_str()).unwrap_or("");
            let place = match t.source {
                TextSource::Comment => "comment".to_owned(),
                TextSource::Heredoc => format!("{kind} heredoc"),
                TextSource::Shell => format!("{kind} command"),
                TextSource::Value => format!("{kind} value"),
                TextSource::Output => "printf output".to_owned(),
                TextSource::Assignment | TextSource::Decoded => match t.place {
                    Some(at) => format!("{} in {kind}", at.as_str()),
                    None => format!("{kind} text"),
                },
            };
            Bind::new(p.as_str(), place)
        }
        Placeholder::Name => Bind::new(p.as_str(), t.name.unwrap_or("")),
    }
}

pub(crate) fn role_span(role: Role, t: &TextRef<'_>, hit: Option<Span>) -> Option<Span> {
    match role {
        Role::Match => hit,
        Role::Text => Some(t.span),
    }
}
