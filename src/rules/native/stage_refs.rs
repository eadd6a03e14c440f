//! Stage references BuildKit refuses to build: a `COPY --from` index past
//! the last stage, and stages that depend on themselves through `COPY
//! --from` and `RUN --mount=from=` (`circular dependency detected on
//! stage`). Part of `syntax-error`, since BuildKit rejects the file
//! before building anything.

use super::super::eval::{Bind, Facts, Finding};
use crate::syntax::{InstructionKind, mount_fields};

/// One instruction's reference to a stage of the file.
struct Reference {
    /// The instruction that makes it.
    inst: usize,
    /// The stage it is in.
    from: usize,
    /// The stage it names.
    to: usize,
}

/// The findings of both checks, in file order.
pub(super) fn stage_reference_errors(facts: &Facts<'_, '_>) -> Vec<Finding> {
    let model = &facts.model;
    let count = model.stages.len();
    let mut out = Vec::new();
    let mut refs = Vec::new();
    for (from, stage) in model.stages.iter().enumerate() {
        for i in stage.instructions.clone() {
            let Some(inst) = facts.file.instructions.get(i) else {
                continue;
            };
            for (value, index_allowed) in sources(inst) {
                let value = value.as_str();
                // A name built from variables is left alone: what it
                // names depends on the build's arguments.
                if value.contains('$') {
                    continue;
                }
                if index_allowed && let Ok(n) = value.parse::<i64>() {
                    match usize::try_from(n).ok().filter(|&n| n < count) {
                        Some(to) => refs.push(Reference { inst: i, from, to }),
                        None => out.push(syntax_finding(
                            inst.span,
                            format!("invalid stage index {n}"),
                            "invalid-stage-index",
                            format!(
                                "the file has {count} stage{}, numbered from 0",
                                if count == 1 { "" } else { "s" }
                            ),
                        )),
                    }
                    continue;
                }
                // Any stage of the file, earlier or later, by its name; a
                // name no stage has is an image.
                if let Some(to) = model.stage_named(value) {
                    refs.push(Reference { inst: i, from, to });
                }
            }
        }
    }
    // A reference is part of a cycle when the stage it names depends,
    // through references, on the stage that makes it: both are in one
    // strongly connected component of the reference graph.
    let component = components(&refs, count);
    for r in &refs {
        if component[r.from] == component[r.to] {
            let name = match &model.stages[r.from].alias {
                Some(alias) => alias.clone(),
                None => format!("stage-{}", r.from),
            };
            out.push(syntax_finding(
                facts.file.instructions[r.inst].span,
                format!("circular dependency detected on stage: {name}"),
                "circular-dependency",
                "a stage can't copy or mount from itself, or from a stage that depends on it"
                    .to_owned(),
            ));
        }
    }
    out.sort_by_key(|f| f.span.start);
    out
}

/// The stage references an instruction makes: `COPY --from` (a name or an
/// index) and each `RUN --mount=...,from=NAME` (a name only, as BuildKit
/// reads it).
fn sources(inst: &crate::syntax::Instruction<'_>) -> Vec<(String, bool)> {
    match inst.kind {
        InstructionKind::Copy => inst
            .flag("from")
            .and_then(|f| f.value.as_ref())
            .map(|v| (v.text.to_string(), true))
            .into_iter()
            .collect(),
        InstructionKind::Run => inst
            .flags
            .iter()
            .filter(|f| f.name.text == "mount")
            .filter_map(|f| f.value.as_ref())
            .filter_map(|v| {
                mount_fields(&v.text)
                    .into_iter()
                    .find(|(k, v)| k == "from" && !v.is_empty())
                    .map(|(_, from)| (from, false))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Each stage's strongly connected component in the graph of references
/// (Tarjan's algorithm, without recursion so that a long chain of stages
/// can't overflow the stack): linear in stages and references.
fn components(refs: &[Reference], count: usize) -> Vec<usize> {
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); count];
    for r in refs {
        edges[r.from].push(r.to);
    }
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let mut component = vec![UNSEEN; count];
    let (mut next_index, mut next_component) = (0, 0);
    for root in 0..count {
        if index[root] != UNSEEN {
            continue;
        }
        // (stage, how many of its edges have been followed)
        let mut walk = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut followed)) = walk.last_mut() {
            if let Some(&w) = edges[v].get(*followed) {
                *followed += 1;
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    walk.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            walk.pop();
            if let Some(&(parent, _)) = walk.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// A SYN001 finding that the model finds rather than the parser: its
/// message, the code of the error and a help line.
pub(super) fn syntax_finding(
    span: crate::span::Span,
    message: String,
    code: &str,
    help: String,
) -> Finding {
    Finding::new(
        span,
        vec![
            Bind::new("message", message),
            Bind::new("code", code.to_owned()),
            Bind::new("help", help),
        ],
    )
}
