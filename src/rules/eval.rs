//! Evaluation: the subjects of one file, the filters and predicates of the
//! rules that look at them, and the findings they produce.
//!
//! Subjects of a kind are built once per file and only for kinds some rule
//! uses; relations are bounded (a stage, a file, one script), so a file
//! costs O(rules × size).

use super::data::Data;
use super::fixes;
use super::leaves;
use super::subjects::{self, BoolField, Field, FieldText, Placeholder, Role, SubjectKind};
use super::types::{
    Analyzer, FixTemplate, Matcher, OnbuildFilter, Pred, RelationKind, Report, TextTest,
};
use super::vocab::{Form, Position, Scripts, StageFilter, TextSource};
use crate::detect::assign::{self, Assignment};
use crate::detect::{Literal, classify_literal};
use crate::diagnostic::{Fix, Label};
use crate::model::{Base, ImageRef, Model};
use crate::redact::{public_prefix, redact};
use crate::shell::{self, Command, Op, Origin, Script};
use crate::syntax::{Arguments, Dockerfile, Flag, Instruction, InstructionKind, Span, Word};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;

/// A rule's verdict on one subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub span: Span,
    /// Placeholder values for the message, the hint and the fix. When a
    /// name is bound twice, the later value wins.
    pub binds: Vec<Bind>,
    pub labels: Vec<Label>,
    /// The edit that mends it: a native check's own, or the rule's
    /// `[rule.fix]` rendered for this finding.
    pub fix: Option<Fix>,
}

impl Finding {
    /// A finding at `span` with these placeholder values.
    pub fn new(span: Span, binds: Vec<Bind>) -> Finding {
        Finding {
            span,
            binds,
            labels: Vec::new(),
            fix: None,
        }
    }

    /// The value bound to `name` (the last one, when bound twice).
    pub fn bind(&self, name: &str) -> Option<&Bind> {
        find_bind(&self.binds, name)
    }
}

/// The last value bound to `name`: leaves bind after the subject, so a
/// leaf's value wins over the subject's.
pub(crate) fn find_bind<'b>(binds: &'b [Bind], name: &str) -> Option<&'b Bind> {
    binds.iter().rev().find(|b| b.name == name)
}

/// A placeholder's value in one finding, and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bind {
    pub name: String,
    /// The whole value. Fix templates use it as is; messages may cut it
    /// (see `max_chars`).
    pub text: String,
    /// The bytes of the Dockerfile the value was read from: a word, a key,
    /// a flag, a regex group whose text is those very bytes. `None` for
    /// values that have no one place (a path, a table entry, a group inside
    /// a decoded or unquoted word). Fixes aim at these spans.
    pub span: Option<Span>,
    /// Messages show at most this many characters of the value's first
    /// line, then `…`.
    pub max_chars: Option<usize>,
    /// The value is a secret: messages show only this many of its first
    /// bytes (its public prefix), then `****`, and reports mask its bytes.
    pub secret: Option<u32>,
}

impl Bind {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Bind {
        Bind {
            name: name.into(),
            text: text.into(),
            span: None,
            max_chars: None,
            secret: None,
        }
    }

    /// The same value, read from `span`.
    pub fn at(self, span: impl Into<Option<Span>>) -> Bind {
        Bind {
            span: span.into(),
            ..self
        }
    }

    /// The same value, cut to `max` characters in messages.
    pub fn cut(self, max: usize) -> Bind {
        Bind {
            max_chars: Some(max),
            ..self
        }
    }

    /// The same value, a secret whose first `keep` bytes are public.
    pub fn secret(self, keep: usize) -> Bind {
        Bind {
            secret: Some(keep.min(self.text.len()) as u32),
            ..self
        }
    }

    /// The value as a message shows it: a secret redacted.
    pub fn shown(&self) -> String {
        match (self.secret, self.max_chars) {
            (Some(keep), _) => crate::redact::redact(&self.text, keep as usize),
            (None, Some(max)) => truncate(&self.text, max),
            (None, None) => self.text.clone(),
        }
    }
}

/// Everything known about one file while rules run.
pub struct Facts<'f, 'a> {
    pub file: &'f Dockerfile<'a>,
    pub model: Model<'f, 'a>,
    pub path: &'f str,
    pub data: &'f Data,
    /// Per instruction: the scripts it runs (built on first use).
    scripts: OnceCell<Vec<Vec<Script>>>,
    /// Text that commands put together (`printf`), by instruction.
    outputs: OnceCell<Vec<(usize, shell::Output)>>,
    /// Values given to names in scripts and written files, by instruction.
    assignments: OnceCell<Vec<(usize, Assignment)>>,
}

impl<'f, 'a> Facts<'f, 'a> {
    pub fn new(
        file: &'f Dockerfile<'a>,
        path: &'f str,
        target: Option<&str>,
        data: &'f Data,
    ) -> Self {
        Facts {
            file,
            model: Model::new(file, target),
            path,
            data,
            scripts: OnceCell::new(),
            outputs: OnceCell::new(),
            assignments: OnceCell::new(),
        }
    }

    /// Values given to names: by shell commands first, then by the lines
    /// of heredoc bodies that no command already gave.
    fn assignments(&self) -> &[(usize, Assignment)] {
        self.assignments.get_or_init(|| {
            let source = self.source();
            let mut out = Vec::new();
            for (idx, scripts) in self.scripts().iter().enumerate() {
                // What `echo` and `printf` write is read from their output.
                for script in scripts.iter().filter(|s| !s.printed) {
                    for c in &script.commands {
                        out.extend(
                            assign::from_command(c, source)
                                .into_iter()
                                .map(|a| (idx, a)),
                        );
                    }
                    for w in &script.assignments {
                        out.extend(assign::from_word(w, source).map(|a| (idx, a)));
                    }
                }
            }
            let mut seen: std::collections::HashSet<(u32, u32)> = out
                .iter()
                .map(|(_, a)| (a.span.start, a.span.end))
                .collect();
            for (idx, top) in self.file.instructions.iter().enumerate() {
                let inst = top.trigger().unwrap_or(top);
                for doc in &inst.heredocs {
                    for a in assign::from_heredoc(doc.content, doc.body.start) {
                        // A line a command already gave (`export X=…` in
                        // a RUN heredoc script) is not given twice.
                        if seen.insert((a.span.start, a.span.end)) {
                            out.push((idx, a));
                        }
                    }
                }
            }
            out
        })
    }

    fn outputs(&self) -> &[(usize, shell::Output)] {
        self.outputs.get_or_init(|| {
            let mut out = Vec::new();
            for (idx, scripts) in self.scripts().iter().enumerate() {
                for c in scripts
                    .iter()
                    .filter(|s| !s.printed)
                    .flat_map(|s| &s.commands)
                {
                    if let Some(o) = c.printf_output() {
                        out.push((idx, o));
                    }
                }
            }
            out
        })
    }

    pub fn scripts(&self) -> &[Vec<Script>] {
        self.scripts.get_or_init(|| {
            self.file
                .instructions
                .iter()
                .enumerate()
                .map(|(i, inst)| shell::scripts_of(inst, self.model.shell_of[i]))
                .collect()
        })
    }

    fn source(&self) -> &'a str {
        self.file.source
    }

    fn stage_of(&self, idx: usize) -> Option<usize> {
        self.model.stage_of.get(idx).copied().flatten()
    }
}

/// An image reference as rules see it.
pub(crate) struct ImageView {
    pub(crate) text: String,
    pub(crate) image: Option<ImageRef>,
    pub(crate) stage_ref: bool,
    pub(crate) scratch: bool,
    pub(crate) uses_arg: bool,
    pub(crate) resolved: bool,
    pub(crate) span: Span,
    pub(crate) stage: Option<usize>,
}

pub(crate) enum PairView<'x, 'a> {
    KeyValue(&'x crate::syntax::KeyValue<'a>),
    Arg(&'x crate::syntax::ArgDecl<'a>),
}

/// One thing a rule can look at.
pub(crate) enum Subject<'x, 'a> {
    File,
    Stage(usize),
    Instruction(InstRef<'x, 'a>),
    Image(InstRef<'x, 'a>, ImageView),
    Pair(InstRef<'x, 'a>, PairView<'x, 'a>),
    Flag(InstRef<'x, 'a>, &'x Flag<'a>),
    Arg(InstRef<'x, 'a>, &'x Word<'a>, bool),
    Command(InstRef<'x, 'a>, &'x Script, usize),
    Text(TextRef<'x>),
}

/// The instruction a subject belongs to.
#[derive(Clone, Copy)]
pub(crate) struct InstRef<'x, 'a> {
    /// Index of the top-level instruction.
    pub(crate) idx: usize,
    /// The instruction itself (an ONBUILD's trigger for `onbuild`).
    pub(crate) inst: &'x Instruction<'a>,
    pub(crate) onbuild: bool,
}

impl<'x, 'a> InstRef<'x, 'a> {
    /// Top-level instruction `idx`, then its ONBUILD trigger if it has one.
    fn with_trigger(idx: usize, inst: &'x Instruction<'a>) -> impl Iterator<Item = Self> {
        let top = InstRef {
            idx,
            inst,
            onbuild: false,
        };
        let trigger = inst.trigger().map(|t| InstRef {
            idx,
            inst: t,
            onbuild: true,
        });
        std::iter::once(top).chain(trigger)
    }
}

pub(crate) struct TextRef<'x> {
    idx: Option<usize>,
    pub(crate) kind: Option<InstructionKind>,
    pub(crate) source: TextSource,
    pub(crate) text: Cow<'x, str>,
    pub(crate) origin: Origin<'x>,
    pub(crate) span: Span,
    /// The name a `value` or `assignment` text is assigned to.
    pub(crate) name: Option<&'x str>,
    /// Where an `assignment` or `decoded` text was written.
    pub(crate) place: Option<assign::Place>,
}

/// Placeholder bindings.
type Binds = Vec<Bind>;

/// What a predicate matched on a subject.
#[derive(Default, Debug)]
pub(crate) struct Hit {
    pub(crate) span: Option<Span>,
    pub(crate) binds: Binds,
    /// Further matches of the same leaf (every credential in a text), each
    /// reported as a finding of its own.
    pub(crate) more: Vec<(Option<Span>, Binds)>,
}

impl Hit {
    fn merge(&mut self, other: Hit) {
        if self.span.is_none() {
            self.span = other.span;
        }
        self.binds.extend(other.binds);
        if self.more.is_empty() {
            self.more = other.more;
        }
    }
}

/// A secret redacted, after the end of the word that leads up to it (at
/// most 24 characters) so that a short password still says where it is:
/// `amqp://guest:****`.
fn redact_in(text: &str, start: usize, end: usize, keep: usize) -> String {
    let before = text.get(..start).unwrap_or_default();
    let word = before
        .rfind(|c: char| c.is_whitespace() || matches!(c, '"' | '\''))
        .map_or(before, |i| &before[i + 1..]);
    let skip = word.chars().count().saturating_sub(24);
    let lead: String = word.chars().skip(skip).collect();
    let secret = text.get(start..end).unwrap_or_default();
    format!("{lead}{}", redact(secret, keep))
}

/// Where a PEM private key block that starts at `start` (its armour line)
/// ends: after its `-----END ...-----` line, when the text has one. The
/// block, not only the armour line the pattern finds, is the secret.
fn pem_block_end(text: &str, start: usize, end: usize) -> usize {
    let armour = text.get(start..end).unwrap_or_default();
    if !armour.starts_with("-----BEGIN ") || !armour.contains("PRIVATE KEY") {
        return end;
    }
    let rest = text.get(end..).unwrap_or_default();
    rest.find("-----END ")
        .and_then(|i| {
            let close = rest[i + 9..].find("-----")?;
            // The END line names the same kind of key, on its own line.
            let line = &rest[i..i + 9 + close];
            (!line.contains('\n')).then_some(end + i + 9 + close + 5)
        })
        .unwrap_or(end)
}

impl<'x, 'a> Subject<'x, 'a> {
    fn inst_ref(&self) -> Option<&InstRef<'x, 'a>> {
        match self {
            Subject::Instruction(r)
            | Subject::Image(r, _)
            | Subject::Pair(r, _)
            | Subject::Flag(r, _)
            | Subject::Arg(r, _, _)
            | Subject::Command(r, _, _) => Some(r),
            _ => None,
        }
    }

    /// The top-level instruction index, for stage and position filters.
    fn index(&self) -> Option<usize> {
        match self {
            Subject::Text(t) => t.idx,
            _ => self.inst_ref().map(|r| r.idx),
        }
    }

    fn kind(&self) -> Option<InstructionKind> {
        match self {
            Subject::Text(t) => t.kind,
            _ => self.inst_ref().map(|r| r.inst.kind),
        }
    }

    fn subject_kind(&self) -> SubjectKind {
        match self {
            Subject::File => SubjectKind::File,
            Subject::Stage(_) => SubjectKind::Stage,
            Subject::Instruction(_) => SubjectKind::Instruction,
            Subject::Image(..) => SubjectKind::Image,
            Subject::Pair(..) => SubjectKind::Pair,
            Subject::Flag(..) => SubjectKind::Flag,
            Subject::Arg(..) => SubjectKind::Arg,
            Subject::Command(..) => SubjectKind::Command,
            Subject::Text(_) => SubjectKind::Text,
        }
    }

    pub(crate) fn command(&self) -> Option<&'x Command> {
        match self {
            Subject::Command(_, script, i) => script.commands.get(*i),
            _ => None,
        }
    }
}

/// Builds the subjects of one kind.
pub(crate) fn subjects<'x, 'a>(
    facts: &'x Facts<'x, 'a>,
    kind: SubjectKind,
) -> Vec<Subject<'x, 'a>> {
    let file = facts.file;
    let mut out = Vec::new();
    // Top-level instructions and ONBUILD triggers.
    let each = || {
        file.instructions
            .iter()
            .enumerate()
            .flat_map(|(idx, inst)| InstRef::with_trigger(idx, inst))
    };
    match kind {
        SubjectKind::File => out.push(Subject::File),
        SubjectKind::Stage => out.extend((0..facts.model.stages.len()).map(Subject::Stage)),
        SubjectKind::Instruction => out.extend(each().map(Subject::Instruction)),
        SubjectKind::Image => {
            for r in each() {
                if r.onbuild {
                    continue;
                }
                if r.inst.kind == InstructionKind::From
                    && let Some(view) = from_image(facts, r.idx)
                {
                    out.push(Subject::Image(r, view));
                }
                if r.inst.kind == InstructionKind::Copy
                    && let Some(flag) = r.inst.flag("from")
                    && let Some(value) = &flag.value
                {
                    out.extend(copy_from_image(facts, r.idx, value).map(|v| Subject::Image(r, v)));
                }
            }
        }
        SubjectKind::Pair => {
            for r in each() {
                match &r.inst.args {
                    Arguments::KeyValues(pairs) => out.extend(
                        pairs
                            .iter()
                            .map(|p| Subject::Pair(r, PairView::KeyValue(p))),
                    ),
                    Arguments::ArgDecls(decls) => {
                        out.extend(decls.iter().map(|d| Subject::Pair(r, PairView::Arg(d))))
                    }
                    _ => {}
                }
            }
        }
        SubjectKind::Flag => {
            for r in each() {
                out.extend(r.inst.flags.iter().map(|f| Subject::Flag(r, f)));
            }
        }
        SubjectKind::Arg => {
            for r in each() {
                let words: &[Word<'a>] = match (r.inst.kind, &r.inst.args) {
                    (InstructionKind::From | InstructionKind::Onbuild, _) => &[],
                    (
                        InstructionKind::Run
                        | InstructionKind::Cmd
                        | InstructionKind::Entrypoint
                        | InstructionKind::Shell,
                        _,
                    ) => &[],
                    (_, Arguments::List(w)) => w,
                    (_, Arguments::Exec(e)) => &e.elements,
                    (_, Arguments::Shell(w)) => std::slice::from_ref(w),
                    _ => &[],
                };
                let n = words.len();
                out.extend(
                    words
                        .iter()
                        .enumerate()
                        .map(|(i, w)| Subject::Arg(r, w, i + 1 == n)),
                );
            }
        }
        SubjectKind::Command => {
            let scripts = facts.scripts();
            for r in each() {
                if r.onbuild
                    || r.inst.kind == InstructionKind::Onbuild && r.inst.trigger().is_none()
                {
                    continue;
                }
                let Some(list) = scripts.get(r.idx) else {
                    continue;
                };
                let r = match r.inst.trigger() {
                    Some(t) => InstRef {
                        idx: r.idx,
                        inst: t,
                        onbuild: true,
                    },
                    None => r,
                };
                for script in list {
                    out.extend((0..script.commands.len()).map(|i| Subject::Command(r, script, i)));
                }
            }
        }
        SubjectKind::Text => text_subjects(facts, &mut out),
    }
    out
}

pub(crate) fn from_image(facts: &Facts<'_, '_>, idx: usize) -> Option<ImageView> {
    let inst = &facts.file.instructions[idx];
    let word = inst.args.words().first()?;
    let stage_index = facts.stage_of(idx)?;
    let stage = &facts.model.stages[stage_index];
    let expanded = facts.model.expand_global(idx, &word.text);
    let (image, stage_ref, scratch) = match &stage.base {
        Base::Image(b) => (Some(b.image.clone()), false, false),
        Base::Stage(_) => (None, true, false),
        Base::Scratch => (None, false, true),
        Base::Unknown => (None, false, false),
    };
    Some(ImageView {
        text: stage.base_text.clone(),
        image,
        stage_ref,
        scratch,
        uses_arg: expanded.uses_vars,
        resolved: expanded.resolved,
        span: word.span,
        stage: Some(stage_index),
    })
}

fn copy_from_image(facts: &Facts<'_, '_>, idx: usize, value: &Word<'_>) -> Option<ImageView> {
    let expanded = facts.model.expand_at(idx, &value.text);
    let text = if expanded.resolved {
        expanded.text
    } else {
        value.text.to_string()
    };
    let is_stage =
        text.bytes().all(|c| c.is_ascii_digit()) || facts.model.stage_named(&text).is_some();
    if is_stage || !expanded.resolved {
        return None;
    }
    Some(ImageView {
        image: ImageRef::parse(&text),
        text,
        stage_ref: false,
        scratch: false,
        uses_arg: expanded.uses_vars,
        resolved: true,
        span: value.span,
        stage: facts.stage_of(idx),
    })
}

fn text_subjects<'x, 'a>(facts: &'x Facts<'x, 'a>, out: &mut Vec<Subject<'x, 'a>>) {
    let file = facts.file;
    // Comments belong to the instruction they precede or sit inside.
    let mut next = 0usize;
    for c in &file.comments {
        while next < file.instructions.len() && file.instructions[next].span.end <= c.span.start {
            next += 1;
        }
        let idx = (next < file.instructions.len())
            .then_some(next)
            .or(file.instructions.len().checked_sub(1));
        out.push(Subject::Text(TextRef {
            idx,
            kind: None,
            source: TextSource::Comment,
            text: Cow::Borrowed(c.text),
            origin: Origin::Source { base: c.span.start },
            span: c.span,
            name: None,
            place: None,
        }));
    }
    for (idx, o) in facts.outputs() {
        let inst = &file.instructions[*idx];
        let inst = inst.trigger().unwrap_or(inst);
        out.push(Subject::Text(TextRef {
            idx: Some(*idx),
            kind: Some(inst.kind),
            source: TextSource::Output,
            text: Cow::Borrowed(&o.text),
            origin: Origin::Pieces {
                pieces: &o.pieces,
                base: 0,
            },
            span: o.pieces.first().map_or(inst.span, |p| p.1),
            name: None,
            place: None,
        }));
    }
    for (idx, a) in facts.assignments() {
        let inst = &file.instructions[*idx];
        let kind = Some(inst.trigger().unwrap_or(inst).kind);
        let origin = if a.exact {
            Origin::Source { base: a.span.start }
        } else {
            Origin::Fixed(a.span)
        };
        let sources: &[TextSource] = if a.decoded {
            &[TextSource::Assignment, TextSource::Decoded]
        } else {
            &[TextSource::Assignment]
        };
        for &source in sources {
            out.push(Subject::Text(TextRef {
                idx: Some(*idx),
                kind,
                source,
                text: Cow::Borrowed(&a.value),
                origin,
                span: a.span,
                name: Some(&a.name),
                place: Some(a.place),
            }));
        }
    }
    for (idx, top) in file.instructions.iter().enumerate() {
        let inst = top.trigger().unwrap_or(top);
        let kind = Some(inst.kind);
        for doc in &inst.heredocs {
            out.push(Subject::Text(TextRef {
                idx: Some(idx),
                kind,
                source: TextSource::Heredoc,
                text: Cow::Borrowed(doc.content),
                origin: Origin::Source {
                    base: doc.body.start,
                },
                span: doc.body,
                name: None,
                place: None,
            }));
        }
        let logical = |w: &'x Word<'a>| Origin::Logical {
            map: &inst.map,
            base: inst.map.logical(w.span.start),
        };
        let mut push_word =
            |w: &'x Word<'a>, source: TextSource, exec: bool, name: Option<&'x str>| {
                out.push(Subject::Text(TextRef {
                    idx: Some(idx),
                    kind,
                    source,
                    text: Cow::Borrowed(&w.text),
                    origin: if exec {
                        Origin::Fixed(w.span)
                    } else {
                        logical(w)
                    },
                    span: w.span,
                    name,
                    place: None,
                }));
            };
        let command_args = match (inst.kind, &inst.args) {
            (InstructionKind::Healthcheck, Arguments::Healthcheck(h)) => Some(&*h.command),
            (InstructionKind::Run | InstructionKind::Cmd | InstructionKind::Entrypoint, a) => {
                Some(a)
            }
            _ => None,
        };
        match command_args {
            Some(Arguments::Shell(w)) => push_word(w, TextSource::Shell, false, None),
            Some(Arguments::Exec(e)) => e
                .elements
                .iter()
                .for_each(|w| push_word(w, TextSource::Shell, true, None)),
            _ => {}
        }
        match &inst.args {
            Arguments::KeyValues(pairs) => {
                for p in pairs {
                    if let Some(v) = &p.value {
                        push_word(v, TextSource::Value, false, Some(&p.key.text));
                    }
                }
            }
            Arguments::ArgDecls(decls) => {
                for d in decls {
                    if let Some(v) = &d.default {
                        push_word(v, TextSource::Value, false, Some(&d.name.text));
                    }
                }
            }
            _ => {}
        }
    }
}

/// Runs a matcher over the subjects of its kind; each finding carries the
/// rule's fix, rendered for it, when the fix can be aimed.
pub(crate) fn run(
    matcher: &Matcher,
    fix: Option<&FixTemplate>,
    subjects: &[Subject<'_, '_>],
    facts: &Facts<'_, '_>,
) -> Vec<Finding> {
    let candidates: Vec<&Subject<'_, '_>> = subjects
        .iter()
        .filter(|s| passes_filters(matcher, s, facts))
        .collect();
    let candidates = match matcher.position {
        Position::Any => candidates,
        pos => {
            // First or last per (stage, instruction kind), found through a
            // map so that many stages cost linear time.
            let mut keep: Vec<&Subject<'_, '_>> = Vec::new();
            let mut slot = HashMap::new();
            for s in candidates {
                let key = (s.index().and_then(|i| facts.stage_of(i)), s.kind());
                match (slot.get(&key), pos) {
                    (None, _) => {
                        slot.insert(key, keep.len());
                        keep.push(s);
                    }
                    (Some(&i), Position::Last) => keep[i] = s,
                    _ => {}
                }
            }
            keep
        }
    };
    let mut out = Vec::new();
    for s in candidates {
        let hit = match &matcher.predicate {
            Some(p) => match eval(p, s, facts) {
                Some(h) => h,
                None => continue,
            },
            None => Hit::default(),
        };
        let subject_binds = placeholders(s, facts);
        let first = std::iter::once((hit.span, hit.binds.clone()));
        let others = hit.more.into_iter().map(|(span, more)| {
            // Later matches share the other leaves' bindings, not the
            // first match's own (its `{secret}` is not theirs).
            let mut binds: Vec<Bind> = hit
                .binds
                .iter()
                .filter(|b| !more.iter().any(|m| m.name == b.name))
                .cloned()
                .collect();
            binds.extend(more);
            (span, binds)
        });
        for (span, binds) in first.chain(others) {
            let mut all = subject_binds.clone();
            all.extend(binds);
            let subject_span = |role: Role| report_span(role, s, span, facts);
            let reported = match &matcher.report {
                Report::Role(role) => subject_span(*role),
                // A value with no bytes of its own (text put together from
                // pieces) is reported where the predicate matched it.
                Report::Placeholder(name) => find_bind(&all, name)
                    .and_then(|b| b.span)
                    .or(span)
                    .unwrap_or_else(|| subject_span(whole_role(s))),
            };
            place_secrets(&mut all, reported, facts.source());
            let mut finding = Finding::new(reported, all);
            if let Some(t) = fix {
                let role = |r: Role| role_span(r, s, span, facts);
                finding.fix = fixes::render(t, &finding, &role, facts.file.escape);
            }
            out.push(finding);
        }
    }
    out
}

fn passes_filters(m: &Matcher, s: &Subject<'_, '_>, facts: &Facts<'_, '_>) -> bool {
    if let Some(kinds) = &m.instructions {
        match s.kind() {
            Some(k) if kinds.contains(&k) => {}
            _ => return false,
        }
    }
    let onbuild = s.inst_ref().is_some_and(|r| r.onbuild);
    match m.onbuild {
        OnbuildFilter::Include => {}
        OnbuildFilter::Exclude if onbuild => return false,
        OnbuildFilter::Only if !onbuild => return false,
        _ => {}
    }
    if let Some(form) = m.form {
        let is_exec = match s {
            Subject::Instruction(r) | Subject::Command(r, _, _) => r.inst.is_exec_form(),
            _ => false,
        };
        if is_exec != (form == Form::Exec) {
            return false;
        }
    }
    if let Subject::Command(_, script, _) = s
        && script.file
        && m.scripts == Scripts::Run
    {
        return false;
    }
    if let Subject::Text(t) = s {
        let chosen = match &m.sources {
            Some(sources) => sources.contains(&t.source),
            // Assignments are parts of other sources' texts.
            None => t.source != TextSource::Assignment,
        };
        if !chosen {
            return false;
        }
    }
    let stage = match s {
        Subject::File => return true,
        Subject::Stage(i) => Some(*i),
        _ => s.index().and_then(|i| facts.stage_of(i)),
    };
    match m.stage {
        StageFilter::Any => true,
        StageFilter::Final => stage.is_some() && stage == facts.model.final_stage,
        StageFilter::Build => stage.is_some() && stage != facts.model.final_stage,
    }
}

fn truncate(s: &str, max: usize) -> String {
    let one_line = s.lines().next().unwrap_or("");
    if one_line.chars().count() <= max && one_line.len() == s.len() {
        return one_line.to_owned();
    }
    let mut out: String = one_line.chars().take(max).collect();
    out.push('…');
    out
}

/// The placeholders a subject binds, each with the span it was read from.
pub(crate) fn placeholders(s: &Subject<'_, '_>, facts: &Facts<'_, '_>) -> Vec<Bind> {
    s.subject_kind()
        .placeholders()
        .into_iter()
        .filter_map(|p| placeholder(p, s, facts))
        .collect()
}

fn placeholder(p: Placeholder, s: &Subject<'_, '_>, facts: &Facts<'_, '_>) -> Option<Bind> {
    Some(match (p, s) {
        (Placeholder::File(p), Subject::File) => subjects::file::bind(p, facts),
        (Placeholder::Stage(p), Subject::Stage(i)) => subjects::stage::bind(p, *i, facts),
        (Placeholder::Instruction(p), Subject::Instruction(r)) => subjects::instruction::bind(p, r),
        (Placeholder::Image(p), Subject::Image(_, v)) => subjects::image::bind(p, v, facts),
        (Placeholder::Pair(p), Subject::Pair(r, pv)) => subjects::pair::bind(p, r, pv),
        (Placeholder::Flag(p), Subject::Flag(r, f)) => subjects::flag::bind(p, r, f),
        (Placeholder::Arg(p), Subject::Arg(r, w, _)) => subjects::arg::bind(p, r, w, facts),
        (Placeholder::Command(p), Subject::Command(..)) => {
            subjects::command::bind(p, s.command()?, facts)
        }
        (Placeholder::Text(p), Subject::Text(t)) => subjects::text::bind(p, t),
        // Each subject binds its own kind's placeholders only.
        _ => return None,
    })
}

pub(crate) fn root_image_text(facts: &Facts<'_, '_>, stage: usize) -> String {
    facts
        .model
        .root(stage)
        .map(|s| s.base_text.clone())
        .unwrap_or_default()
}

pub(crate) fn args_text<'x>(inst: &'x Instruction<'_>) -> Cow<'x, str> {
    match &inst.args {
        Arguments::Shell(w) => Cow::Borrowed(&w.text),
        Arguments::Healthcheck(h) => match &*h.command {
            Arguments::Shell(w) => Cow::Owned(format!("{} {}", h.kind.text, w.text)),
            other => Cow::Owned(format!("{} {}", h.kind.text, join_words(other.words()))),
        },
        Arguments::KeyValues(pairs) => Cow::Owned(
            pairs
                .iter()
                .map(|p| match &p.value {
                    Some(v) if p.equals.is_some() => format!("{}={}", p.key.text, v.text),
                    Some(v) => format!("{} {}", p.key.text, v.text),
                    None => p.key.text.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
        Arguments::ArgDecls(d) => Cow::Owned(
            d.iter()
                .map(|d| d.word.text.to_string())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        Arguments::Onbuild(inner) => Cow::Owned(format!("{} {}", inner.kind, args_text(inner))),
        other => Cow::Owned(join_words(other.words())),
    }
}

fn join_words(words: &[Word<'_>]) -> String {
    words
        .iter()
        .map(|w| w.text.as_ref())
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn join_args(c: &Command) -> String {
    c.args
        .iter()
        .map(|a| a.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn pair_texts<'x>(pv: &'x PairView<'_, '_>) -> (&'x str, Option<&'x str>) {
    let (k, v) = pair_words(pv);
    (&k.text, v.map(|v| v.text.as_ref()))
}

pub(crate) fn pair_words<'x, 'a>(pv: &'x PairView<'_, 'a>) -> (&'x Word<'a>, Option<&'x Word<'a>>) {
    match pv {
        PairView::KeyValue(kv) => (&kv.key, kv.value.as_ref()),
        PairView::Arg(d) => (&d.name, d.default.as_ref()),
    }
}

/// A secret read from text that is not the source's bytes one for one (an
/// unquoted or decoded word) still has a place: where it first occurs in
/// the reported span, when it does.
fn place_secrets(binds: &mut [Bind], reported: Span, source: &str) {
    let around = reported.text(source);
    for b in binds.iter_mut() {
        if b.secret.is_some()
            && b.span.is_none()
            && !b.text.is_empty()
            && let Some(at) = around.find(b.text.as_str())
        {
            let start = reported.start + at as u32;
            b.span = Some(Span::new(start, start + b.text.len() as u32));
        }
    }
}

/// The role that is a subject as a whole.
fn whole_role(s: &Subject<'_, '_>) -> Role {
    match s {
        Subject::File => Role::File(subjects::file::WHOLE),
        Subject::Stage(_) => Role::Stage(subjects::stage::WHOLE),
        Subject::Instruction(_) => Role::Instruction(subjects::instruction::WHOLE),
        Subject::Image(..) => Role::Image(subjects::image::WHOLE),
        Subject::Pair(..) => Role::Pair(subjects::pair::WHOLE),
        Subject::Flag(..) => Role::Flag(subjects::flag::WHOLE),
        Subject::Arg(..) => Role::Arg(subjects::arg::WHOLE),
        Subject::Command(..) => Role::Command(subjects::command::WHOLE),
        Subject::Text(_) => Role::Text(subjects::text::WHOLE),
    }
}

/// The span a diagnostic points at, by report role: the role's span, or
/// when the subject lacks it (no USER in the stage, no value, no match
/// with a position), the subject as a whole.
fn report_span(role: Role, s: &Subject<'_, '_>, hit: Option<Span>, facts: &Facts<'_, '_>) -> Span {
    role_span(role, s, hit, facts)
        .or_else(|| role_span(whole_role(s), s, hit, facts))
        .unwrap_or(Span::empty(0))
}

/// The span of a role of a subject, if the subject has it. `hit` is where
/// the predicate matched (the `match` role).
pub(crate) fn role_span(
    role: Role,
    s: &Subject<'_, '_>,
    hit: Option<Span>,
    facts: &Facts<'_, '_>,
) -> Option<Span> {
    match (role, s) {
        (Role::File(r), Subject::File) => subjects::file::role_span(r, facts),
        (Role::Stage(r), Subject::Stage(i)) => subjects::stage::role_span(r, *i, facts),
        (Role::Instruction(r), Subject::Instruction(x)) => {
            subjects::instruction::role_span(r, x, hit)
        }
        (Role::Image(r), Subject::Image(_, v)) => subjects::image::role_span(r, v, hit),
        (Role::Pair(r), Subject::Pair(_, pv)) => subjects::pair::role_span(r, pv, hit),
        (Role::Flag(r), Subject::Flag(_, f)) => subjects::flag::role_span(r, f, hit),
        (Role::Arg(r), Subject::Arg(_, w, _)) => subjects::arg::role_span(r, w, hit),
        (Role::Command(r), Subject::Command(..)) => {
            subjects::command::role_span(r, s.command()?, hit)
        }
        (Role::Text(r), Subject::Text(t)) => subjects::text::role_span(r, t, hit),
        // Loading takes roles from the rule's own subject kind.
        _ => None,
    }
}

/// A field's value, and where its text lies (for match spans).
pub(crate) fn field_value<'s>(
    f: Field,
    s: &'s Subject<'_, '_>,
    facts: &'s Facts<'_, '_>,
) -> Option<FieldText<'s>> {
    match (f, s) {
        (Field::File(f), Subject::File) => subjects::file::text(f, facts),
        (Field::Stage(f), Subject::Stage(i)) => subjects::stage::text(f, *i, facts),
        (Field::Instruction(f), Subject::Instruction(r)) => {
            subjects::instruction::text(f, r, facts)
        }
        (Field::Image(f), Subject::Image(_, v)) => subjects::image::text(f, v),
        (Field::Pair(f), Subject::Pair(r, pv)) => subjects::pair::text(f, r, pv),
        (Field::Flag(f), Subject::Flag(_, fl)) => subjects::flag::text(f, fl),
        (Field::Arg(f), Subject::Arg(r, w, _)) => subjects::arg::text(f, r, w, facts),
        (Field::Command(f), Subject::Command(..)) => {
            subjects::command::text(f, s.command()?, facts)
        }
        (Field::Text(f), Subject::Text(t)) => subjects::text::text(f, t),
        // Loading reads a predicate's fields from the predicate's own
        // subject kind, so a field never meets a subject of another kind.
        _ => None,
    }
}

/// `{secret}`: a whole value that is a secret literal, at its own bytes
/// when they are the source's (inside its quotes).
fn whole_secret(text: &str, origin: Option<Origin<'_>>, facts: &Facts<'_, '_>) -> Bind {
    let exact = origin.and_then(|o| exact_origin(o, text, facts.source()));
    // A raw value keeps its quotes (`"k9-Xq2"`): they are not the secret.
    let (start, end) = match text.as_bytes() {
        [q @ (b'"' | b'\''), .., last] if text.len() >= 2 && last == q => (1, text.len() - 1),
        _ => (0, text.len()),
    };
    Bind::new("secret", &text[start..end])
        .at(exact.map(|o| o.span(start, end)))
        .secret(0)
}

/// The origin to map a field's text with when its bytes are the source's
/// bytes one for one; `None` when they are not (a decoded JSON string, an
/// unquoted word whose quotes are gone, text put together from pieces).
fn exact_origin<'o>(origin: Origin<'o>, text: &str, source: &str) -> Option<Origin<'o>> {
    match origin {
        Origin::Logical { .. } | Origin::Source { .. } => Some(origin),
        Origin::Fixed(span) if span.text(source) == text => {
            Some(Origin::Source { base: span.start })
        }
        // A quoted word whose quotes are the only change: `'pw'`, `"pw"`.
        Origin::Fixed(span)
            if span.len() as usize == text.len() + 2
                && matches!(
                    span.text(source).as_bytes(),
                    [q @ (b'"' | b'\''), inner @ .., last] if last == q && inner == text.as_bytes()
                ) =>
        {
            Some(Origin::Source {
                base: span.start + 1,
            })
        }
        Origin::Fixed(_) | Origin::Pieces { .. } => None,
    }
}

/// Where a word's text lies: byte for byte on the logical line, unless it
/// was unquoted or decoded (then the word as a whole).
pub(crate) fn word_origin<'w>(inst: &'w Instruction<'_>, w: &'w Word<'_>) -> Origin<'w> {
    let base = inst.map.logical(w.span.start);
    if inst.map.span(base, base + w.text.len() as u32) == w.span
        || inst.map.is_single() && w.span.len() as usize == w.text.len()
    {
        Origin::Logical {
            map: &inst.map,
            base,
        }
    } else {
        Origin::Fixed(w.span)
    }
}

pub(crate) fn bool_value(f: BoolField, s: &Subject<'_, '_>, facts: &Facts<'_, '_>) -> Option<bool> {
    Some(match (f, s) {
        (BoolField::File(f), Subject::File) => subjects::file::boolean(f),
        (BoolField::Stage(f), Subject::Stage(i)) => subjects::stage::boolean(f, *i, facts),
        (BoolField::Instruction(f), Subject::Instruction(r)) => {
            subjects::instruction::boolean(f, r)
        }
        (BoolField::Image(f), Subject::Image(_, v)) => subjects::image::boolean(f, v, facts),
        (BoolField::Pair(f), Subject::Pair(_, pv)) => subjects::pair::boolean(f, pv),
        (BoolField::Flag(f), Subject::Flag(_, fl)) => subjects::flag::boolean(f, fl),
        (BoolField::Arg(f), Subject::Arg(r, w, last)) => {
            subjects::arg::boolean(f, r, w, *last, facts)
        }
        (BoolField::Command(f), Subject::Command(r, script, _)) => {
            subjects::command::boolean(f, r, script, s.command()?)
        }
        (BoolField::Text(f), Subject::Text(_)) => subjects::text::boolean(f),
        // As for fields: never a boolean of another subject kind.
        _ => return None,
    })
}

pub(crate) fn test_text(
    test: &TextTest,
    text: &str,
    origin: Option<Origin<'_>>,
    facts: &Facts<'_, '_>,
) -> Option<Hit> {
    let eq = |a: &str, b: &str| {
        if test.icase {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    if let Some(e) = &test.equals
        && !eq(e, text)
    {
        return None;
    }
    if let Some(list) = &test.one_of
        && !list.iter().any(|v| eq(v, text))
    {
        return None;
    }
    let mut hit = Hit::default();
    let mut secret = None;
    if let Some(re) = &test.regex {
        let re = re.get()?;
        // Most tests fail: a plain search, which needs no capture slots,
        // settles those, and a regex without groups needs nothing more.
        let m = re.find(text)?;
        let caps = if re.captures_len() > 1 {
            re.captures_at(text, m.start())
        } else {
            None
        };
        // Groups have spans of their own where the text is the source's.
        let exact = origin.and_then(|o| exact_origin(o, text, facts.source()));
        let bind = |name: &str, g: regex::Match<'_>| {
            let b = Bind::new(name, g.as_str()).at(exact.map(|o| o.span(g.start(), g.end())));
            // A group named `secret` holds one, whatever the rule.
            if name == "secret" { b.secret(0) } else { b }
        };
        hit.binds.push(bind("match", m));
        let mut at = m;
        if let Some(caps) = &caps {
            for name in re.capture_names().flatten() {
                if let Some(g) = caps.name(name) {
                    hit.binds.push(bind(name, g));
                }
            }
            // A group named `at` narrows the label to the bytes at fault.
            at = caps.name("at").unwrap_or(m);
            secret = caps.name("secret").map(|g| g.as_str());
        }
        hit.span = origin.map(|o| o.span(at.start(), at.end()));
    }
    if let Some(kinds) = &test.literal {
        // The regex's `secret` group, else the whole value.
        let kind = classify_literal(secret.unwrap_or(text), &facts.data.secrets.placeholders);
        if !kinds.contains(&kind) {
            return None;
        }
        // A value that passes as a secret literal is one: `{secret}`.
        if kind == Literal::Secret && secret.is_none() {
            hit.binds.push(whole_secret(text, origin, facts));
        }
    }
    Some(hit)
}

/// Whether a predicate holds on a subject, and what it matched.
pub(crate) fn eval(p: &Pred, s: &Subject<'_, '_>, facts: &Facts<'_, '_>) -> Option<Hit> {
    match p {
        Pred::All(ps) => {
            let mut hit = Hit::default();
            for p in ps {
                hit.merge(eval(p, s, facts)?);
            }
            Some(hit)
        }
        // The match that comes first in the text, so that a diagnostic
        // points at the first offending flag whatever the branch order.
        Pred::Any(ps) => ps
            .iter()
            .filter_map(|p| eval(p, s, facts))
            .min_by_key(|h| h.span.map_or(u32::MAX, |sp| sp.start)),
        Pred::Not(p) => match eval(p, s, facts) {
            Some(_) => None,
            None => Some(Hit::default()),
        },
        Pred::Text { field, test } => {
            let (text, origin) = field_value(*field, s, facts)?;
            test_text(test, &text, origin, facts)
        }
        Pred::Bool { field, value } => (bool_value(*field, s, facts)? == *value).then(Hit::default),
        Pred::HasFlag(names) => leaves::has_flag(names, s, facts),
        Pred::LacksFlag(names) => leaves::lacks_flag(names, s, facts),
        Pred::FlagValue { names, test } => leaves::flag_value(names, test, s, facts),
        Pred::Arg(test) => leaves::arg(test, s, facts),
        Pred::WrappedBy(names) => leaves::wrapped_by(names, s),
        Pred::TagIs(states) => leaves::tag_is(states, s),
        Pred::ValueIs(kinds) => leaves::value_is(kinds, s),
        Pred::Lookup(l) => leaves::lookup(l, s, facts),
        Pred::Analyze(a) => analyze(a, s, facts),
        Pred::Base(inner) => leaves::base(inner, s, facts),
        Pred::Relation { kind, pred } => relation(*kind, pred, s, facts),
    }
}

fn analyze(a: &Analyzer, s: &Subject<'_, '_>, facts: &Facts<'_, '_>) -> Option<Hit> {
    let field = match a {
        Analyzer::KeyName { field, .. }
        | Analyzer::SecretValue { field }
        | Analyzer::Entropy { field, .. }
        | Analyzer::Literal { field, .. } => *field,
    };
    let (text, origin) = field_value(field, s, facts)?;
    match a {
        Analyzer::KeyName { split, strong, .. } => {
            let names = &facts.data.key_names;
            let word = if *strong {
                names.matches_strong(&text, *split)?
            } else {
                names.matches(&text, *split)?
            };
            Some(Hit {
                span: origin.map(|o| o.span(0, text.len())),
                binds: vec![Bind::new("word", word)],
                more: Vec::new(),
            })
        }
        Analyzer::Literal { kinds, .. } => {
            let kind: Literal = classify_literal(&text, &facts.data.secrets.placeholders);
            kinds.contains(&kind).then(|| Hit {
                span: origin.map(|o| o.span(0, text.len())),
                binds: if kind == Literal::Secret {
                    vec![whole_secret(&text, origin, facts)]
                } else {
                    Vec::new()
                },
                more: Vec::new(),
            })
        }
        Analyzer::SecretValue { field } => {
            // A value is read with the name it is assigned to, for the
            // patterns that need a context word, when that name says it
            // holds a secret (`DD_API_KEY`, not `CLOUDFLARE_FILE_MD5SUM`).
            let name = match (s, field) {
                (Subject::Pair(_, pv), Field::Pair(subjects::pair::Text::Value)) => {
                    Some(pair_texts(pv).0)
                }
                (Subject::Text(t), _) => t.name,
                _ => None,
            }
            .filter(|n| {
                facts
                    .data
                    .key_names
                    .matches(n, crate::detect::NameSplit::Extended)
                    .is_some()
            });
            let found = facts.data.secrets.find_in(&text, name);
            let exact = origin.and_then(|o| exact_origin(o, &text, facts.source()));
            let mut matches = found.iter().map(|m| {
                let pattern = &facts.data.secrets.patterns[m.pattern];
                let end = pem_block_end(&text, m.start, m.end);
                let secret = &text[m.start..end];
                let keep = public_prefix(secret, &pattern.keywords);
                let span = exact.map(|o| o.span(m.start, end));
                (
                    origin.map(|o| o.span(m.start, end)),
                    vec![
                        Bind::new("detector", pattern.id.clone()),
                        Bind::new("family", pattern.family.clone()),
                        // Redacted text, but the span is the secret's own.
                        Bind::new("match", redact_in(&text, m.start, end, keep)).at(span),
                        Bind::new("secret", secret).at(span).secret(keep),
                    ],
                )
            });
            let (span, binds) = matches.next()?;
            Some(Hit {
                span,
                binds,
                more: matches.collect(),
            })
        }
        Analyzer::Entropy { detector, .. } => {
            let found = detector.find(&text);
            let exact = origin.and_then(|o| exact_origin(o, &text, facts.source()));
            let mut matches = found.iter().map(|&(start, end)| {
                (
                    origin.map(|o| o.span(start, end)),
                    vec![
                        Bind::new("match", redact(&text[start..end], 0))
                            .at(exact.map(|o| o.span(start, end))),
                        Bind::new("secret", &text[start..end])
                            .at(exact.map(|o| o.span(start, end)))
                            .secret(0),
                    ],
                )
            });
            let (span, binds) = matches.next()?;
            Some(Hit {
                span,
                binds,
                more: matches.collect(),
            })
        }
    }
}

fn relation(
    kind: RelationKind,
    pred: &Pred,
    s: &Subject<'_, '_>,
    facts: &Facts<'_, '_>,
) -> Option<Hit> {
    let file = facts.file;
    let instruction_range = |range: std::ops::Range<usize>| {
        range.flat_map(move |idx| InstRef::with_trigger(idx, &file.instructions[idx]))
    };
    let any_instruction = |range: std::ops::Range<usize>| {
        instruction_range(range).any(|r| eval(pred, &Subject::Instruction(r), facts).is_some())
    };
    let yes = || Some(Hit::default());
    match kind {
        RelationKind::Has | RelationKind::Lacks => {
            let range = match s {
                Subject::File => 0..file.instructions.len(),
                Subject::Stage(i) => facts.model.stages[*i].instructions.clone(),
                _ => return None,
            };
            let found = any_instruction(range);
            if found == (kind == RelationKind::Has) {
                yes()
            } else {
                None
            }
        }
        RelationKind::LaterInStage | RelationKind::NotLaterInStage => {
            let Subject::Instruction(r) = s else {
                return None;
            };
            let stage = facts.stage_of(r.idx)?;
            let end = facts.model.stages[stage].instructions.end;
            let found = any_instruction(r.idx + 1..end);
            if found == (kind == RelationKind::LaterInStage) {
                yes()
            } else {
                None
            }
        }
        _ => {
            let Subject::Command(r, script, i) = s else {
                return None;
            };
            let check = |j: usize| eval(pred, &Subject::Command(*r, script, j), facts).is_some();
            let found = match kind {
                RelationKind::FollowedBy | RelationKind::NotFollowedBy => {
                    (i + 1..script.commands.len()).any(check)
                }
                RelationKind::PrecededBy | RelationKind::NotPrecededBy => (0..*i).any(check),
                _ => {
                    script.commands[*i].op_after == Op::Pipe
                        && i + 1 < script.commands.len()
                        && check(i + 1)
                }
            };
            let wanted = matches!(
                kind,
                RelationKind::FollowedBy | RelationKind::PrecededBy | RelationKind::PipedTo
            );
            if found == wanted { yes() } else { None }
        }
    }
}
