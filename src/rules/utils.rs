//! Named predicates (`[utils.NAME]`) that rules reuse with `matches =
//! "NAME"`: reading their definitions from every file, and finding cycles
//! among them before anything compiles. Compiling a use is
//! `compile::read_leaf`'s job: a util's predicate is read again at each use,
//! for the subject and nesting depth it is used at.

use super::subjects::SubjectKind;
use super::vocab::{UtilKey, Vocab};
use super::walk::{Errors, LoadError, Obj, closest};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use toml::de::DeValue;

/// One `[utils.NAME]` table.
pub(crate) struct UtilDef<'a, 'i> {
    /// Index of the file that defines it.
    pub file: usize,
    /// `None` when `on` is missing or unknown (already reported).
    pub subject: Option<SubjectKind>,
    /// The `where` table; `None` when missing or not a table.
    pub body: Option<Obj<'a, 'i>>,
    /// The utils its body names with `matches`, with the span of each name.
    pub uses: Vec<(String, Range<usize>)>,
}

/// Every util of the loaded files, by name.
pub(crate) type Utils<'a, 'i> = BTreeMap<String, UtilDef<'a, 'i>>;

/// Whether `name` may name a util: snake or kebab case.
fn valid_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_' || c == b'-')
}

/// Reads the `[utils]` table of one file into `utils`.
pub(crate) fn read<'a, 'i>(
    top: &Obj<'a, 'i>,
    file: usize,
    utils: &mut Utils<'a, 'i>,
    sources: &[String],
    errors: &mut Errors,
) {
    let Some(node) = top.get("utils") else {
        return;
    };
    let Some(table) = node.table(errors, "`utils`") else {
        return;
    };
    for (name, name_span, node) in table.keys() {
        if !valid_name(name) {
            errors.push(
                name_span.clone(),
                format!("invalid util name `{name}`"),
                "expected lowercase letters, digits, `-` and `_`, like `downloads-script`",
            );
            continue;
        }
        if let Some(first) = utils.get(name) {
            errors.push_note(
                name_span,
                format!("util `{name}` is defined twice"),
                "defined again here",
                format!("first defined in {}", sources[first.file]),
            );
            continue;
        }
        let ctx = format!("util `{name}`");
        let Some(obj) = node.table(errors, &ctx) else {
            continue;
        };
        let subject = obj.need("on", errors, &ctx).and_then(|on| {
            let s = on.str(errors, "`on`")?;
            let parsed = SubjectKind::parse(s);
            if parsed.is_none() {
                let names: Vec<&str> = SubjectKind::ALL.iter().map(|k| k.as_str()).collect();
                let mut message = format!("unknown subject `{s}`");
                if let Some(c) = closest(s, names.iter().copied()) {
                    message.push_str(&format!(" (did you mean `{c}`?)"));
                }
                errors.push_note(
                    on.span.clone(),
                    message,
                    "not a subject",
                    format!("subjects: {}", names.join(", ")),
                );
            }
            parsed
        });
        if let Some(summary) = obj.get("summary") {
            summary.str(errors, "`summary`");
        }
        let body = obj
            .need("where", errors, &ctx)
            .and_then(|w| w.table(errors, &format!("`where` of util `{name}`")));
        obj.finish(errors, &format!("util `{name}`"), &UtilKey::names());
        let mut uses = Vec::new();
        if let Some(body) = &body {
            for (key, _, node) in body.keys() {
                if key == "matches" {
                    names_of(node.value, node.span.clone(), &mut uses);
                } else {
                    uses_in(node.value, &mut uses);
                }
            }
        }
        utils.insert(
            name.to_owned(),
            UtilDef {
                file,
                subject,
                body,
                uses,
            },
        );
    }
}

/// The util names under every `matches` key inside `value`.
fn uses_in(value: &DeValue<'_>, out: &mut Vec<(String, Range<usize>)>) {
    match value {
        DeValue::Table(t) => {
            for (k, v) in t.iter() {
                if k.get_ref().as_ref() == "matches" {
                    names_of(v.get_ref(), v.span(), out);
                } else {
                    uses_in(v.get_ref(), out);
                }
            }
        }
        DeValue::Array(a) => {
            for v in a.iter() {
                uses_in(v.get_ref(), out);
            }
        }
        _ => {}
    }
}

fn names_of(value: &DeValue<'_>, span: Range<usize>, out: &mut Vec<(String, Range<usize>)>) {
    match value {
        DeValue::String(s) => out.push((s.to_string(), span)),
        DeValue::Array(a) => {
            for v in a.iter() {
                if let Some(s) = v.get_ref().as_str() {
                    out.push((s.to_owned(), v.span()));
                }
            }
        }
        _ => {}
    }
}

/// Finds every cycle among utils (`a` uses `b` uses `a`) and reports each
/// once, at the `matches` that closes it. Returns every util name with the
/// ones it uses before it, and the utils on a cycle (they and everything
/// that uses them fail to load).
pub(crate) fn cycles(utils: &Utils<'_, '_>) -> (Vec<String>, BTreeSet<String>, Vec<LoadError>) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut marks: BTreeMap<&str, Mark> = BTreeMap::new();
    let mut order = Vec::with_capacity(utils.len());
    let mut on_cycle = BTreeSet::new();
    let mut errors = Vec::new();
    // Iterative depth-first search: (util, index of its next use).
    for start in utils.keys() {
        if marks.contains_key(start.as_str()) {
            continue;
        }
        let mut path: Vec<(&str, usize)> = vec![(start.as_str(), 0)];
        marks.insert(start.as_str(), Mark::Open);
        while let Some(&mut (name, ref mut next)) = path.last_mut() {
            let def = &utils[name];
            let Some((used, span)) = def.uses.get(*next) else {
                marks.insert(name, Mark::Done);
                order.push(name.to_owned());
                path.pop();
                continue;
            };
            *next += 1;
            let Some((used, _)) = utils.get_key_value(used.as_str()) else {
                continue; // unknown: reported where it is compiled
            };
            match marks.get(used.as_str()) {
                Some(Mark::Done) => {}
                Some(Mark::Open) => {
                    let from = path.iter().position(|(n, _)| *n == used).unwrap_or(0);
                    let names: Vec<&str> = path[from..].iter().map(|(n, _)| *n).collect();
                    on_cycle.extend(names.iter().map(|n| (*n).to_owned()));
                    let mut shown: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                    shown.push(format!("`{used}`"));
                    errors.push(LoadError {
                        file: def.file,
                        span: span.clone(),
                        message: format!("utils use each other in a cycle: {}", shown.join(" → ")),
                        label: "closes the cycle".into(),
                        notes: vec!["a util may use other utils, but never itself".into()],
                    });
                }
                None => {
                    marks.insert(used.as_str(), Mark::Open);
                    path.push((used.as_str(), 0));
                }
            }
        }
    }
    (order, on_cycle, errors)
}
