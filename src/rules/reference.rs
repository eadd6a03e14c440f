//! The subject tables of `docs/rule-format.md`, written from the subject
//! declarations so that the reference can't drift from what loading
//! accepts (`tests/docs_rule_reference.rs` checks the file is current).

use super::subjects::{Leaf, SubjectKind};
use super::vocab::{TextSource, Vocab};
use std::fmt::Write;

/// The `### file` ... `### text` sections of `docs/rule-format.md`.
pub fn subjects_markdown() -> String {
    let mut out = String::new();
    for &kind in SubjectKind::ALL {
        subject_section(&mut out, kind);
    }
    out
}

fn subject_section(out: &mut String, kind: SubjectKind) {
    let spec = kind.spec();
    let _ = writeln!(out, "### {kind}\n\n{}\n", spec.doc);
    if kind == SubjectKind::Text {
        out.push_str("| source | texts |\n|---|---|\n");
        for s in TextSource::ALL {
            let _ = writeln!(out, "| `{s}` | {} |", s.doc());
        }
        out.push('\n');
    }

    let texts = kind.text_fields();
    let bools = kind.bool_fields();
    if texts.is_empty() && bools.is_empty() {
        out.push_str("No fields.\n\n");
    } else {
        out.push_str("| field | type | meaning |\n|---|---|---|\n");
        for f in &texts {
            let _ = writeln!(out, "| `{}` | text | {} |", f.name(), f.doc());
        }
        for f in &bools {
            let _ = writeln!(out, "| `{}` | boolean | {} |", f.name(), f.doc());
        }
        out.push('\n');
    }

    let leaves: Vec<String> = spec
        .leaves
        .iter()
        .map(|l| format!("[`{l}`](#{})", section(*l)))
        .collect();
    let _ = writeln!(out, "Leaves: {}.\n", leaves.join(", "));

    out.push_str("| placeholder | value |\n|---|---|\n");
    for p in kind.placeholders() {
        let _ = writeln!(out, "| `{{{}}}` | {} |", p.name(), p.doc());
    }
    out.push('\n');

    out.push_str("| role | span |\n|---|---|\n");
    for (i, r) in kind.roles().iter().enumerate() {
        let default = if i == 0 { " (default)" } else { "" };
        let _ = writeln!(out, "| `{}`{default} | {} |", r.name(), r.doc());
    }
    out.push('\n');
}

/// The section of the format reference that documents a leaf.
fn section(leaf: Leaf) -> &'static str {
    match leaf {
        Leaf::HasFlag | Leaf::LacksFlag | Leaf::FlagValue | Leaf::Arg | Leaf::WrappedBy => {
            "command-and-instruction-leaves"
        }
        Leaf::Base | Leaf::TagIs | Leaf::ValueIs => "image-pair-and-stage-leaves",
        Leaf::Lookup => "data-tables-and-data-files",
        Leaf::Analyze => "analyzers",
        Leaf::Has
        | Leaf::Lacks
        | Leaf::LaterInStage
        | Leaf::NotLaterInStage
        | Leaf::FollowedBy
        | Leaf::NotFollowedBy
        | Leaf::PrecededBy
        | Leaf::NotPrecededBy
        | Leaf::PipedTo => "relations",
    }
}
