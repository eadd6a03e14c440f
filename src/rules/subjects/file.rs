//! `on = "file"`: the Dockerfile as a whole.

use super::{FieldText, Leaf, Spec, owned};
use crate::rules::eval::{Bind, Facts};
use crate::rules::vocab::vocab;
use crate::span::Span;

pub const SPEC: Spec = Spec {
    doc: "One per Dockerfile.",
    leaves: &[Leaf::Has, Leaf::Lacks],
};

vocab! {
    pub enum Text: "field of `file`" {
        /// The file name as given on the command line; `example` in rule examples.
        Path = "path",
    }
}

vocab! {
    pub enum Bool: "boolean of `file`" {}
}

vocab! {
    pub enum Role: "report role for `file`" {
        /// The first instruction's keyword.
        File = "file",
    }
}

vocab! {
    pub enum Placeholder: "placeholder of `file`" {
        /// The file name.
        Path = "path",
    }
}

pub(crate) fn text<'s>(field: Text, facts: &'s Facts<'_, '_>) -> Option<FieldText<'s>> {
    match field {
        Text::Path => owned(facts.path.to_owned()),
    }
}

pub(crate) fn boolean(field: Bool) -> bool {
    match field {}
}

/// The span a finding points at when the reported role has none.
pub const WHOLE: Role = Role::File;

pub(crate) fn bind(p: Placeholder, facts: &Facts<'_, '_>) -> Bind {
    match p {
        Placeholder::Path => Bind::new(p.as_str(), facts.path),
    }
}

pub(crate) fn role_span(role: Role, facts: &Facts<'_, '_>) -> Option<Span> {
    match role {
        Role::File => facts.file.instructions.first().map(|i| i.keyword.span),
    }
}
