//! `on = "image"`: each image reference.

use super::stage;
use super::{FieldText, Leaf, Spec, owned};
use crate::rules::eval::{Bind, Facts, ImageView};
use crate::rules::vocab::vocab;
use crate::span::Span;

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

/// The span a finding points at when the reported role has none.
pub const WHOLE: Role = Role::Image;

pub(crate) fn bind(p: Placeholder, v: &ImageView, facts: &Facts<'_, '_>) -> Bind {
    let img = v.image.as_ref();
    let source = facts.file.source;
    // A span only when the reference spells the part out.
    let part = |text: Option<String>, span: fn(&Parts) -> Option<Span>| {
        let text = text.unwrap_or_default();
        let span = span(&parts(v, source)).filter(|sp| sp.text(source) == text);
        Bind::new(p.as_str(), text).at(span)
    };
    match p {
        Placeholder::Image => Bind::new(p.as_str(), v.text.clone()).at(v.span),
        Placeholder::Registry => part(img.map(|i| i.registry.clone()), |p| p.registry),
        Placeholder::Repo => part(img.map(|i| i.repository.clone()), |p| p.repo),
        Placeholder::Name => part(img.map(|i| i.short_name().to_owned()), |p| p.name),
        Placeholder::Tag => part(img.and_then(|i| i.tag.clone()), |p| p.tag),
        Placeholder::Digest => part(img.and_then(|i| i.digest.clone()), |p| p.digest),
        Placeholder::Stage => match v.stage {
            Some(st) => {
                Bind::new(p.as_str(), stage::label(facts, st)).at(stage::label_span(facts, st))
            }
            None => Bind::new(p.as_str(), ""),
        },
    }
}

pub(crate) fn role_span(role: Role, v: &ImageView, hit: Option<Span>) -> Option<Span> {
    match role {
        Role::Image => Some(v.span),
        Role::Match => hit,
    }
}

/// Where the parts of an image reference are written, when the reference
/// is written out in the Dockerfile as it reads (no variables, no quotes).
#[derive(Default)]
struct Parts {
    registry: Option<Span>,
    repo: Option<Span>,
    name: Option<Span>,
    tag: Option<Span>,
    digest: Option<Span>,
}

fn parts(v: &ImageView, source: &str) -> Parts {
    let written = v.span.text(source);
    let Some(img) = v.image.as_ref().filter(|_| written == v.text) else {
        return Parts::default();
    };
    let base = v.span.start as usize;
    let at = |start: usize, end: usize| Some(Span::from_usize(base + start, base + end));
    let mut parts = Parts::default();
    let mut rest = written;
    if let Some(i) = rest.find('@') {
        parts.digest = at(i + 1, rest.len());
        rest = &rest[..i];
    }
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    if let Some(i) = rest[last_slash..].find(':') {
        let colon = last_slash + i;
        parts.tag = at(colon + 1, rest.len());
        rest = &rest[..colon];
    }
    parts.name = at(last_slash, rest.len());
    let repo_start = if img.explicit_registry {
        let end = rest.find('/').unwrap_or(0);
        parts.registry = at(0, end);
        end + 1
    } else {
        0
    };
    parts.repo = at(repo_start.min(rest.len()), rest.len());
    parts
}
