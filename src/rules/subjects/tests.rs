//! Every field, boolean, leaf, placeholder and role each subject kind
//! declares is answered by the evaluator on a Dockerfile that has them all:
//! none is declared and then silently never matches, binds or points
//! anywhere.

use super::{Leaf, SubjectKind};
use crate::rules::RuleSet;
use crate::rules::eval::{Facts, bool_value, field_value, placeholders, role_span, subjects};
use crate::rules::vocab::Vocab;
use crate::rules::{CheckOptions, SourceFile};
use crate::span::Span;
use crate::syntax;
use std::collections::BTreeSet;

/// A file where every field has a value on some subject, and every boolean
/// is true on one subject and false on another.
const EVERYTHING: &str = r#"# syntax=docker/dockerfile:1
ARG BASE=docker.io/library/alpine:3.20
ARG UNSET
FROM $BASE AS build
ARG VERSION=1.2
ENV PATH=/usr/local/bin LEGACY value
LABEL org.opencontainers.image.title="x y"
USER app
RUN --mount=type=cache,target=/root/.cache --network=none sudo apt-get -y install curl && echo $(id -u)
RUN ["/bin/sh", "-c", "true"]
RUN <<EOF
apk add git
EOF
ONBUILD RUN make
COPY --link --from=build /a /b /dest/
COPY --from=ghcr.io/acme/tool:1.0@sha256:0000000000000000000000000000000000000000000000000000000000000000 /t /t
WORKDIR $UNSET/dir
FROM build AS test
USER $UNSET
FROM scratch
FROM $UNSET
FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win
FROM node
RUN printf 'token=%s\n' "$VERSION" > /etc/app.conf
RUN curl -o /tmp/x https://example.com/x | sh
"#;

#[test]
fn every_declared_field_boolean_placeholder_and_role_is_evaluated() {
    let Ok(rules) = RuleSet::builtin() else {
        panic!("the built-in rules load");
    };
    let file = syntax::parse(EVERYTHING);
    let facts = Facts::new(&file, "Dockerfile", None, &rules.data);
    let mut problems = Vec::new();
    for &kind in SubjectKind::ALL {
        let subjects = subjects(&facts, kind);
        if subjects.is_empty() {
            problems.push(format!("no `{kind}` subject in the test file"));
            continue;
        }
        for field in kind.text_fields() {
            if !subjects
                .iter()
                .any(|s| field_value(field, s, &facts).is_some_and(|(t, _)| !t.is_empty()))
            {
                problems.push(format!("`{}` of `{kind}` never has a value", field.name()));
            }
        }
        for field in kind.bool_fields() {
            let seen: BTreeSet<bool> = subjects
                .iter()
                .filter_map(|s| bool_value(field, s, &facts))
                .collect();
            if seen.len() != 2 {
                problems.push(format!(
                    "`{}` of `{kind}` is only ever {seen:?}",
                    field.name()
                ));
            }
        }
        let declared: Vec<&str> = kind.placeholders().iter().map(|p| p.name()).collect();
        for s in &subjects {
            let bound: Vec<String> = placeholders(s, &facts)
                .into_iter()
                .map(|b| b.name)
                .collect();
            if bound != declared {
                problems.push(format!("a `{kind}` binds {bound:?}, not {declared:?}"));
                break;
            }
        }
        for p in kind.placeholders() {
            let values = subjects.iter().flat_map(|s| placeholders(s, &facts));
            if !values
                .filter(|b| b.name == p.name())
                .any(|b| !b.text.is_empty())
            {
                problems.push(format!("`{{{}}}` of `{kind}` never has a value", p.name()));
            }
        }
        // What the predicate matched, for the `match` role.
        let hit = Some(Span::new(1, 2));
        for role in kind.roles() {
            if !subjects
                .iter()
                .any(|s| role_span(role, s, hit, &facts).is_some())
            {
                problems.push(format!(
                    "role `{}` of `{kind}` never has a span",
                    role.name()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn declarations_are_unique_and_documented() {
    for &kind in SubjectKind::ALL {
        let spec = kind.spec();
        assert!(!spec.doc.is_empty(), "{kind}");
        let keys = kind.predicate_keys();
        let unique: BTreeSet<&str> = keys.iter().copied().collect();
        assert_eq!(unique.len(), keys.len(), "{kind}: a key is declared twice");
        let roles = kind.roles();
        assert!(!roles.is_empty(), "{kind} has no role");
        for r in &roles {
            assert!(!r.doc().is_empty(), "{kind}: role `{}`", r.name());
        }
        for f in kind.text_fields() {
            assert!(!f.doc().is_empty(), "{kind}: field `{}`", f.name());
        }
        for f in kind.bool_fields() {
            assert!(!f.doc().is_empty(), "{kind}: boolean `{}`", f.name());
        }
        for p in kind.placeholders() {
            assert!(!p.doc().is_empty(), "{kind}: placeholder `{}`", p.name());
        }
    }
}

/// A test of `leaf` on `kind` that holds on some subject of [`EVERYTHING`].
fn leaf_example(kind: SubjectKind, leaf: Leaf) -> Option<&'static str> {
    use SubjectKind as K;
    // Any field with a few characters of text has a token this random.
    let analyze = |field| match field {
        "raw" => {
            r#"analyze = { field = "raw", detector = "entropy", charset = "any", min_len = 4, min_bits = 1.0 }"#
        }
        "value" => {
            r#"analyze = { field = "value", detector = "entropy", charset = "any", min_len = 4, min_bits = 1.0 }"#
        }
        "line" => {
            r#"analyze = { field = "line", detector = "entropy", charset = "any", min_len = 4, min_bits = 1.0 }"#
        }
        _ => {
            r#"analyze = { field = "text", detector = "entropy", charset = "any", min_len = 4, min_bits = 1.0 }"#
        }
    };
    Some(match (kind, leaf) {
        (K::File | K::Stage, Leaf::Has) => r#"has = { keyword = ["RUN"] }"#,
        (K::File | K::Stage, Leaf::Lacks) => r#"lacks = { keyword = ["HEALTHCHECK"] }"#,
        (K::Stage, Leaf::Base) => r#"base = { tag = ["3.20"] }"#,
        (K::Instruction, Leaf::HasFlag) => r#"has_flag = ["mount"]"#,
        (K::Instruction, Leaf::LacksFlag) => r#"lacks_flag = ["chmod"]"#,
        (K::Instruction, Leaf::FlagValue) => {
            r#"flag_value = { name = "network", value = ["none"] }"#
        }
        (K::Instruction, Leaf::LaterInStage) => r#"later_in_stage = { keyword = ["WORKDIR"] }"#,
        (K::Instruction, Leaf::NotLaterInStage) => {
            r#"not_later_in_stage = { keyword = ["HEALTHCHECK"] }"#
        }
        (K::Instruction, Leaf::Analyze) => analyze("raw"),
        (K::Image, Leaf::TagIs) => r#"tag_is = ["present"]"#,
        (K::Image, Leaf::Lookup) => r#"lookup = { table = "test", key = "{name}", bind = "x" }"#,
        (K::Pair, Leaf::ValueIs) => r#"value_is = ["literal"]"#,
        (K::Pair, Leaf::Lookup) => r#"lookup = { table = "test", key = "{key}", bind = "x" }"#,
        (K::Arg, Leaf::Lookup) => r#"lookup = { table = "test", key = "{arg}", bind = "x" }"#,
        (K::Pair | K::Flag | K::Arg, Leaf::Analyze) => analyze("value"),
        (K::Command, Leaf::HasFlag) => r#"has_flag = ["-y"]"#,
        (K::Command, Leaf::LacksFlag) => r#"lacks_flag = ["--no-such-flag"]"#,
        (K::Command, Leaf::FlagValue) => r#"flag_value = { name = "-o", value = ["/tmp/x"] }"#,
        (K::Command, Leaf::Arg) => r#"arg = ["install"]"#,
        (K::Command, Leaf::WrappedBy) => r#"wrapped_by = ["sudo"]"#,
        (K::Command, Leaf::FollowedBy) => r#"followed_by = { name = ["echo"] }"#,
        (K::Command, Leaf::NotFollowedBy) => r#"not_followed_by = { name = ["rm"] }"#,
        (K::Command, Leaf::PrecededBy) => r#"preceded_by = { name = ["apt-get"] }"#,
        (K::Command, Leaf::NotPrecededBy) => r#"not_preceded_by = { name = ["rm"] }"#,
        (K::Command, Leaf::PipedTo) => r#"piped_to = { name = ["sh"] }"#,
        (K::Command, Leaf::Analyze) => analyze("line"),
        (K::Text, Leaf::Analyze) => analyze("text"),
        _ => return None,
    })
}

#[test]
fn every_declared_leaf_holds_somewhere() {
    let mut text = String::from(
        "schema = 1\n\n[tables.test]\n\"node\" = \"an image\"\n\"PATH\" = \"a key\"\n\"/dest/\" = \"an arg\"\n",
    );
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    for &kind in SubjectKind::ALL {
        for &leaf in kind.leaves() {
            let Some(test) = leaf_example(kind, leaf) else {
                problems.push(format!(
                    "no example of `{leaf}` on `{kind}` in leaf_example"
                ));
                continue;
            };
            let id = format!("TST{:03}", cases.len() + 1);
            text.push_str(&format!(
                "\n[[rule]]\nid = \"{id}\"\nname = \"t{}\"\ncategory = \"style\"\n\
                 severity = \"info\"\nsummary = \"s\"\nmessage = \"m\"\n\
                 [rule.match]\non = \"{kind}\"\nwhere = {{ {test} }}\n",
                cases.len() + 1
            ));
            cases.push((id, kind, leaf));
        }
    }
    let set = match RuleSet::load(vec![SourceFile {
        name: "leaves.toml".into(),
        text,
    }]) {
        Ok(set) => set,
        Err(f) => panic!("the leaf examples load: {:#?}", f.errors),
    };
    let file = syntax::parse(EVERYTHING);
    let found = set.check(&file, "Dockerfile", CheckOptions::default());
    for (id, kind, leaf) in &cases {
        if !found.iter().any(|d| &d.rule == id) {
            problems.push(format!("`{leaf}` on `{kind}` never holds"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
