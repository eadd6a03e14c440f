//! `on = "image"`: each image reference.

use super::{FieldText, Leaf, Spec, owned};
use crate::rules::eval::{Facts, ImageView};
use crate::rules::vocab::vocab;

pub const SPEC: Spec = Spec {
    doc: "One per image reference: the image of each `FROM` and of `COPY --from=` \
when that names an image rather than a stage. ARG defaults are expanded \
first (`ARG BASE=node:22` then `FROM $BASE` is `node:22`). A `FROM \
<stage>`, `FROM scratch` or a `FROM` reference that doesn't resolve is a \
subject too, with only the `image` field and the booleans; such a \
`COPY --from=` is not.",
    leaves: &[Leaf::TagIs, Leaf::Lookup],
};

vocab! {
    pub enum Text: "field of `image`" {
        /// As written, after expansion.
        Image = "image",
        /// `docker.io` when not written.
        Registry = "registry",
        /// The path on the registry; Docker Hub's `library/` dropped: `python`, `bitnami/redis`.
        Repo = "repo",
        /// The last path segment.
        Name = "name",
        /// The tag; absent when none.
        Tag = "tag",
        /// The digest; absent when none.
        Digest = "digest",
        /// `registry/repo`.
        Full = "full",
    }
}

vocab! {
    pub enum Bool: "boolean of `image`" {
        /// Has a digest.
        Pinned = "pinned",
        /// Names an earlier stage.
        StageRef = "stage_ref",
        /// `scratch`.
        Scratch = "scratch",
        /// Refers to a variable.
        UsesArg = "uses_arg",
        /// Every variable had a value.
        Resolved = "resolved",
        /// The registry is written out.
        ExplicitRegistry = "explicit_registry",
        /// In the final stage.
        Final = "final",
    }
}

vocab! {
    pub enum Role: "report role for `image`" {
        /// The reference.
        Image = "image",
        /// What the predicate matched.
        Match = "match",
    }
}

vocab! {
    pub enum Placeholder: "placeholder of `image`" {
        /// As written, after expansion.
        Image = "image",
        /// The registry; empty when not an image.
        Registry = "registry",
        /// The repository; empty when not an image.
        Repo = "repo",
        /// The last path segment; empty when not an image.
        Name = "name",
        /// The tag; empty when none.
        Tag = "tag",
        /// The digest; empty when none.
        Digest = "digest",
        /// The stage it is used in; empty when none.
        Stage = "stage",
    }
}

pub(crate) fn text<'s>(field: Text, v: &ImageView) -> Option<FieldText<'s>> {
    let img = v.image.as_ref();
    owned(match field {
        Text::Image => v.text.clone(),
        Text::Registry => img?.registry.clone(),
        Text::Repo => img?.repository.clone(),
        Text::Name => img?.short_name().to_owned(),
        Text::Tag => img?.tag.clone()?,
        Text::Digest => img?.digest.clone()?,
        Text::Full => img?.full_name(),
    })
}

pub(crate) fn boolean(field: Bool, v: &ImageView, facts: &Facts<'_, '_>) -> bool {
    match field {
        Bool::Pinned => v.image.as_ref().is_some_and(|i| i.digest.is_some()),
        Bool::StageRef => v.stage_ref,
        Bool::Scratch => v.scratch,
        Bool::UsesArg => v.uses_arg,
        Bool::Resolved => v.resolved,
        Bool::ExplicitRegistry => v.image.as_ref().is_some_and(|i| i.explicit_registry),
        Bool::Final => v.stage.is_some() && v.stage == facts.model.final_stage,
    }
}
