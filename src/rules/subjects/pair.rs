//! `on = "pair"`: each key/value of ENV and LABEL, and each name of ARG.

use super::instruction;
use super::{FieldText, Leaf, Spec};
use crate::rules::eval::{Bind, InstRef, PairView, pair_texts, pair_words, word_origin};
use crate::rules::vocab::vocab;
use crate::span::Span;
use std::borrow::Cow;

pub const SPEC: Spec = Spec {
    doc: "One per key/value of `ENV`, `LABEL` (`k=v` and the legacy `ENV k v`) and \
per name of `ARG`.",
    leaves: &[Leaf::ValueIs, Leaf::Analyze, Leaf::Lookup],
};

vocab! {
    pub enum Text: "field of `pair`" {
        /// The key (ARG's name).
        Key = "key",
        /// As written, quotes included: `ENV A="x y"` has the value `"x y"`; `literal` tests remove them. Absent for `ARG NAME`.
        Value = "value",
    }
}

vocab! {
    pub enum Bool: "boolean of `pair`" {
        /// `ENV k v` form.
        Legacy = "legacy",
        /// False for `ARG NAME`.
        HasValue = "has_value",
    }
}

vocab! {
    pub enum Role: "report role for `pair`" {
        /// The whole pair.
        Pair = "pair",
        /// The key.
        Key = "key",
        /// The value (the key when there is none).
        Value = "value",
        /// What the predicate matched.
        Match = "match",
    }
}

vocab! {
    pub enum Placeholder: "placeholder of `pair`" {
        /// The key.
        Key = "key",
        /// The value, up to 40 characters.
        Value = "value",
        /// The instruction's keyword.
        Instruction = "instruction",
    }
}

pub(crate) fn text<'s>(
    field: Text,
    r: &InstRef<'s, '_>,
    pv: &'s PairView<'_, '_>,
) -> Option<FieldText<'s>> {
    let word = match (pv, field) {
        (PairView::KeyValue(kv), Text::Key) => &kv.key,
        (PairView::KeyValue(kv), Text::Value) => kv.value.as_ref()?,
        (PairView::Arg(d), Text::Key) => &d.name,
        (PairView::Arg(d), Text::Value) => d.default.as_ref()?,
    };
    Some((
        Cow::Borrowed(word.text.as_ref()),
        Some(word_origin(r.inst, word)),
    ))
}

pub(crate) fn boolean(field: Bool, pv: &PairView<'_, '_>) -> bool {
    match field {
        Bool::Legacy => matches!(pv, PairView::KeyValue(kv) if kv.equals.is_none()),
        Bool::HasValue => pair_texts(pv).1.is_some(),
    }
}

/// The span a finding points at when the reported role has none.
pub const WHOLE: Role = Role::Pair;

pub(crate) fn bind(p: Placeholder, r: &InstRef<'_, '_>, pv: &PairView<'_, '_>) -> Bind {
    let (key, value) = pair_words(pv);
    match p {
        Placeholder::Key => Bind::new(p.as_str(), key.text.clone()).at(key.span),
        Placeholder::Value => match value {
            Some(v) => Bind::new(p.as_str(), v.text.clone()).at(v.span).cut(40),
            None => Bind::new(p.as_str(), ""),
        },
        Placeholder::Instruction => instruction::keyword(p.as_str(), r),
    }
}

pub(crate) fn role_span(role: Role, pv: &PairView<'_, '_>, hit: Option<Span>) -> Option<Span> {
    let (key, value) = pair_words(pv);
    match role {
        Role::Pair => Some(match pv {
            PairView::KeyValue(kv) => kv.span,
            PairView::Arg(d) => d.word.span,
        }),
        Role::Key => Some(key.span),
        Role::Value => value.map(|v| v.span),
        Role::Match => hit,
    }
}
