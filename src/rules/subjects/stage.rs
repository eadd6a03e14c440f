//! `on = "stage"`: a `FROM` and the instructions up to the next.

use super::{FieldText, Leaf, Spec, owned};
use crate::rules::eval::{Facts, root_image_text};
use crate::rules::vocab::vocab;

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
