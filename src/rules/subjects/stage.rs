//! `on = "stage"`: a `FROM` and the instructions up to the next.

use super::instruction::instruction_line;
use super::{FieldText, Leaf, Spec, owned};
use crate::rules::eval::{Bind, Facts, root_image_text};
use crate::rules::vocab::vocab;
use crate::span::Span;
use crate::syntax::{Arguments, Dockerfile, Instruction};

pub const SPEC: Spec = Spec {
    doc: "One per `FROM` and the instructions up to the next.",
    leaves: &[Leaf::Base, Leaf::Has, Leaf::Lacks],
};

vocab! {
    pub enum Text: "field of `stage`" {
        /// The `AS` name, lower-cased; empty when unnamed.
        Name = "name",
        /// The image the stage is built on, following `FROM <earlier stage>` to its root.
        Image = "image",
        /// The USER in force at the end of the stage, inherited from the parent stage; absent when none.
        User = "user",
    }
}

vocab! {
    pub enum Bool: "boolean of `stage`" {
        /// The stage that is built (the last one, or `lint --target`'s).
        Final = "final",
        /// A USER is in force, possibly inherited.
        UserSet = "user_set",
        /// The USER's value doesn't depend on an ARG without a default.
        UserResolved = "user_resolved",
        /// A Windows base image.
        Windows = "windows",
        /// Built `FROM` an earlier stage.
        FromStage = "from_stage",
    }
}

vocab! {
    pub enum Role: "report role for `stage`" {
        /// The FROM line.
        From = "from",
        /// The USER instruction in force.
        User = "user",
        /// The image in FROM.
        Image = "image",
    }
}

vocab! {
    pub enum Placeholder: "placeholder of `stage`" {
        /// The `AS` name, or the image for an unnamed stage.
        Stage = "stage",
        /// The root image.
        Image = "image",
        /// The USER in force; empty when none.
        User = "user",
    }
}

pub(crate) fn text<'s>(
    field: Text,
    stage: usize,
    facts: &'s Facts<'_, '_>,
) -> Option<FieldText<'s>> {
    let st = &facts.model.stages[stage];
    match field {
        Text::Name => owned(st.alias.clone().unwrap_or_default()),
        Text::Image => owned(root_image_text(facts, stage)),
        Text::User => owned(st.user.as_ref()?.value.clone()),
    }
}

pub(crate) fn boolean(field: Bool, stage: usize, facts: &Facts<'_, '_>) -> bool {
    let st = &facts.model.stages[stage];
    match field {
        Bool::Final => facts.model.final_stage == Some(stage),
        Bool::UserSet => st.user.is_some(),
        Bool::UserResolved => st.user.as_ref().is_some_and(|u| u.resolved),
        Bool::Windows => st.windows,
        Bool::FromStage => st.parent.is_some(),
    }
}

/// The span a finding points at when the reported role has none.
pub const WHOLE: Role = Role::From;

pub(crate) fn bind(p: Placeholder, stage: usize, facts: &Facts<'_, '_>) -> Bind {
    let file = facts.file;
    let st = &facts.model.stages[stage];
    match p {
        Placeholder::Stage => {
            Bind::new(p.as_str(), label(facts, stage)).at(label_span(facts, stage))
        }
        Placeholder::Image => {
            let root = facts.model.root(stage).map(|s| s.from);
            Bind::new(p.as_str(), root_image_text(facts, stage))
                .at(root.and_then(|r| image_word(file, r)))
        }
        Placeholder::User => match &st.user {
            Some(u) => Bind::new(p.as_str(), u.value.clone())
                .at(user_word(&file.instructions[u.instruction])),
            None => Bind::new(p.as_str(), ""),
        },
    }
}

pub(crate) fn role_span(role: Role, stage: usize, facts: &Facts<'_, '_>) -> Option<Span> {
    let file = facts.file;
    let st = &facts.model.stages[stage];
    let from = &file.instructions[st.from];
    match role {
        Role::From => Some(instruction_line(from)),
        Role::User => st
            .user
            .as_ref()
            .map(|u| instruction_line(&file.instructions[u.instruction])),
        Role::Image => from.args.words().first().map(|w| w.span),
    }
}

/// A stage's name, or for an unnamed one, the image it is built from.
pub(crate) fn label(facts: &Facts<'_, '_>, stage: usize) -> String {
    let st = &facts.model.stages[stage];
    st.alias.clone().unwrap_or_else(|| st.base_text.clone())
}

/// Where a stage's label is written: its `AS` name, else its image.
pub(crate) fn label_span(facts: &Facts<'_, '_>, stage: usize) -> Option<Span> {
    let st = &facts.model.stages[stage];
    let words = facts.file.instructions[st.from].args.words();
    let word = if st.alias.is_some() {
        words.get(2)
    } else {
        words.first()
    };
    word.map(|w| w.span)
}

/// The image word of the FROM instruction at `idx`.
fn image_word(file: &Dockerfile<'_>, idx: usize) -> Option<Span> {
    file.instructions[idx].args.words().first().map(|w| w.span)
}

/// The argument of a USER instruction.
fn user_word(inst: &Instruction<'_>) -> Option<Span> {
    match &inst.args {
        Arguments::Shell(w) => Some(w.span),
        other => other.words().first().map(|w| w.span),
    }
}
