//! How each special leaf holds on a subject: flags, arguments, wrappers,
//! tag states, value kinds, lookups and `base`. `eval::eval` dispatches a
//! compiled predicate here; loading has already checked that the leaf
//! belongs to the subject's kind (see `subjects/`).

use super::data::TableValue;
use super::eval::{
    Bind, Facts, Hit, InstRef, Subject, eval, find_bind, from_image, pair_texts, placeholders,
    test_text,
};
use super::types::{Lookup, Pred, TextTest};
use super::vocab::{TagState, ValueKind};
use crate::shell::{self, Command, GivenFlag, Origin, Reading, ShellWord};
use crate::span::Span;
use crate::syntax::Flag;

/// A hit at `span` that binds one placeholder read from there.
fn hit_at(span: Span, name: &str, text: impl Into<String>) -> Hit {
    Hit {
        span: Some(span),
        binds: vec![Bind::new(name, text).at(span)],
        more: Vec::new(),
    }
}

/// Whether an instruction flag is one of `names` (written with or without
/// `--`).
fn names_flag(names: &[String], flag: &Flag<'_>) -> bool {
    names
        .iter()
        .any(|n| n.trim_start_matches('-') == flag.name.text)
}

/// The flags of a command the flag tables know, found by name: each given
/// flag that is one of `names`, with the argument it is written in.
fn table_flags<'c>(
    names: &'c [String],
    c: &'c Command,
    reading: &'c Reading,
) -> impl Iterator<Item = (&'c GivenFlag, &'c ShellWord)> + 'c {
    reading.flags.iter().filter_map(move |f| {
        names
            .contains(&f.name)
            .then(|| c.args.get(f.arg).map(|w| (f, w)))
            .flatten()
    })
}

/// `has_flag`: the first of the flags that is given.
pub(crate) fn has_flag(
    names: &[String],
    s: &Subject<'_, '_>,
    facts: &Facts<'_, '_>,
) -> Option<Hit> {
    if let Some(c) = s.command()
        && let Some(reading) = facts.data.read_command(c)
    {
        return table_flags(names, c, reading)
            .next()
            .map(|(_, w)| hit_at(w.span, "flag", w.text.clone()));
    }
    match s {
        Subject::Instruction(r) => r
            .inst
            .flags
            .iter()
            .find(|f| names_flag(names, f))
            .map(|f| hit_at(f.span, "flag", f.name.text.clone())),
        Subject::Command(..) => {
            let c = s.command()?;
            names.iter().find_map(|n| {
                c.flag_word(n)
                    .map(|w| hit_at(w.span, "flag", w.text.clone()))
            })
        }
        _ => None,
    }
}

/// `lacks_flag`: none of the flags is given (instructions and commands
/// only).
pub(crate) fn lacks_flag(
    names: &[String],
    s: &Subject<'_, '_>,
    facts: &Facts<'_, '_>,
) -> Option<Hit> {
    let judged = match s {
        Subject::Instruction(_) => true,
        Subject::Command(..) => s.command().is_some(),
        _ => false,
    };
    if !judged {
        return None;
    }
    has_flag(names, s, facts).is_none().then(Hit::default)
}

/// `flag_value`: a flag whose value passes the test.
pub(crate) fn flag_value(
    names: &[String],
    test: &TextTest,
    s: &Subject<'_, '_>,
    facts: &Facts<'_, '_>,
) -> Option<Hit> {
    match s {
        Subject::Instruction(r) => r
            .inst
            .flags
            .iter()
            .filter(|f| names_flag(names, f))
            .find_map(|f| {
                let v = f.value.as_ref()?;
                let mut hit = test_text(test, &v.text, Some(Origin::Fixed(v.span)), facts)?;
                hit.binds.push(Bind::new("flag", f.text.clone()).at(f.span));
                Some(hit)
            }),
        Subject::Command(..) => command_flag_value(names, test, s.command()?, facts),
        _ => None,
    }
}

/// A command's flag values, every occurrence (`--cap-add A --cap-add B`),
/// up to `--`, or for a command the flag tables know, up to its operand.
fn command_flag_value(
    names: &[String],
    test: &TextTest,
    c: &Command,
    facts: &Facts<'_, '_>,
) -> Option<Hit> {
    if let Some(reading) = facts.data.read_command(c) {
        for (f, w) in table_flags(names, c, reading) {
            let Some((value, at)) = f.value_in(c) else {
                continue;
            };
            let Some(v) = c.args.get(at) else { continue };
            if let Some(mut hit) = test_text(test, value, Some(Origin::Fixed(v.span)), facts) {
                let span = w.span.cover(v.span);
                let written = if at == f.arg {
                    w.text.clone()
                } else {
                    format!("{} {}", w.text, v.text)
                };
                hit.span = Some(span);
                hit.binds.push(Bind::new("flag", written).at(span));
                return Some(hit);
            }
        }
        return None;
    }
    for i in 0..c.args.len() {
        if c.args[i].text == "--" {
            break;
        }
        for flag in names.iter().map(String::as_str) {
            let Some(value) = flag_argument(c, i, flag) else {
                continue;
            };
            if let Some(mut hit) = test_text(test, value.text, Some(Origin::Fixed(value.at)), facts)
            {
                hit.span = Some(value.span);
                hit.binds
                    .push(Bind::new("flag", value.written).at(value.span));
                return Some(hit);
            }
        }
    }
    None
}

/// A flag's value on a command line.
struct FlagArgument<'c> {
    text: &'c str,
    /// Where the value is written.
    at: Span,
    /// The flag and its value.
    span: Span,
    /// The flag and its value as written: `--net host`.
    written: String,
}

/// The value of `flag` if argument `i` gives it: `--flag value`,
/// `--flag=value`, `-fvalue` or Go-style `-f=value`.
fn flag_argument<'c>(c: &'c Command, i: usize, flag: &str) -> Option<FlagArgument<'c>> {
    let a = &c.args[i];
    if a.text == flag {
        let n = c.args.get(i + 1)?;
        return Some(FlagArgument {
            text: n.text.as_str(),
            at: n.span,
            span: a.span.cover(n.span),
            written: format!("{} {}", a.text, n.text),
        });
    }
    let rest = a.text.strip_prefix(flag)?;
    let text = if flag.starts_with("--") {
        rest.strip_prefix('=')?
    } else if flag.len() == 2 && !rest.is_empty() {
        rest.strip_prefix('=').unwrap_or(rest)
    } else {
        return None;
    };
    Some(FlagArgument {
        text,
        at: a.span,
        span: a.span,
        written: a.text.clone(),
    })
}

/// `arg`: the first argument that passes the test.
pub(crate) fn arg(test: &TextTest, s: &Subject<'_, '_>, facts: &Facts<'_, '_>) -> Option<Hit> {
    s.command()?
        .args
        .iter()
        .find_map(|a| test_text(test, &a.text, Some(Origin::Fixed(a.span)), facts))
}

/// `wrapped_by`: the first wrapper with one of these base names.
pub(crate) fn wrapped_by(names: &[String], s: &Subject<'_, '_>) -> Option<Hit> {
    let w = s
        .command()?
        .wrappers
        .iter()
        .find(|w| names.iter().any(|n| shell::base_name(&w.text) == n))?;
    Some(hit_at(w.span, "wrapper", w.text.clone()))
}

/// `tag_is`: the image's tag is in one of these states.
pub(crate) fn tag_is(states: &[TagState], s: &Subject<'_, '_>) -> Option<Hit> {
    let Subject::Image(_, v) = s else { return None };
    let img = v.image.as_ref()?;
    let state = match img.tag.as_deref() {
        Some("latest") => TagState::Latest,
        Some(_) => TagState::Present,
        None => TagState::Missing,
    };
    states.contains(&state).then(Hit::default)
}

/// `value_is`: the pair's value, as written, is one of these kinds.
pub(crate) fn value_is(kinds: &[ValueKind], s: &Subject<'_, '_>) -> Option<Hit> {
    let Subject::Pair(_, pv) = s else { return None };
    let kind = match pair_texts(pv).1 {
        None => ValueKind::None,
        Some(v) if v.is_empty() || v == "\"\"" || v == "''" => ValueKind::Empty,
        Some(v) if v.contains('$') => ValueKind::Variable,
        Some(_) => ValueKind::Literal,
    };
    kinds.contains(&kind).then(Hit::default)
}

/// `lookup`: the key, rendered with the subject's placeholders, is in the
/// table; binds the entry.
pub(crate) fn lookup(l: &Lookup, s: &Subject<'_, '_>, facts: &Facts<'_, '_>) -> Option<Hit> {
    let binds = placeholders(s, facts);
    let key = l
        .key
        .render(&|n| find_bind(&binds, n).map(|b| b.text.clone()));
    let value = facts.data.tables.get(&l.table)?.get(&key)?;
    if let Some(filter) = facts
        .data
        .tag_filters
        .get(&l.table)
        .and_then(|t| t.get(&key))
    {
        // Only an image has a tag; a reference without one means `latest`.
        let Subject::Image(..) = s else { return None };
        let tag = find_bind(&binds, "tag").map_or("", |b| b.text.as_str());
        if !filter.is_match(if tag.is_empty() { "latest" } else { tag }) {
            return None;
        }
    }
    let mut hit = Hit::default();
    match value {
        TableValue::Text(t) => hit.binds.push(Bind::new(l.bind.clone(), t.clone())),
        TableValue::Fields(fields) => {
            for (k, v) in fields {
                hit.binds
                    .push(Bind::new(format!("{}.{k}", l.bind), v.clone()));
            }
            hit.binds.push(Bind::new(l.bind.clone(), key));
        }
    }
    Some(hit)
}

/// `base`: an image predicate on the image the stage is built on. Its
/// placeholders bind; its span doesn't.
pub(crate) fn base(inner: &Pred, s: &Subject<'_, '_>, facts: &Facts<'_, '_>) -> Option<Hit> {
    let Subject::Stage(i) = s else { return None };
    let root = facts.model.root(*i)?;
    let view = from_image(facts, root.from)?;
    let r = InstRef {
        idx: root.from,
        inst: &facts.file.instructions[root.from],
        onbuild: false,
    };
    eval(inner, &Subject::Image(r, view), facts).map(|mut h| {
        h.span = None;
        h
    })
}
