//! The syntax tree: what a Dockerfile says, with a byte span on every part.
//!
//! The tree keeps BuildKit's view of each instruction (the raw words BuildKit's
//! parser hands to its instruction layer) and adds what a linter needs on top:
//! spans for every keyword, flag, argument, key, value, heredoc and comment,
//! and a map from an instruction's logical line (continuations joined) back to
//! the source bytes. Interpretation (stages, images, ARG expansion) lives in
//! `model`, not here.

use super::error::SyntaxError;
use crate::span::{LineIndex, Span};
use serde::Serialize;
use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

/// A parsed Dockerfile. It borrows the source text it was parsed from.
#[derive(Debug, Serialize)]
pub struct Dockerfile<'a> {
    #[serde(skip)]
    pub source: &'a str,
    /// The UTF-8 byte order mark, when the file starts with one.
    pub bom: Option<Span>,
    /// Parser directives (`# syntax=`, `# escape=`, `# check=`) at the top.
    pub directives: Vec<Directive<'a>>,
    /// The escape character in force: `\` or, by directive, `` ` ``.
    pub escape: char,
    pub instructions: Vec<Instruction<'a>>,
    /// Every comment line, including those inside continued instructions.
    /// Directives are not comments.
    pub comments: Vec<Comment<'a>>,
    pub errors: Vec<SyntaxError>,
    /// Built on first use: parsing itself never needs line numbers.
    #[serde(skip)]
    pub(crate) line_index: OnceLock<LineIndex>,
}

impl<'a> Dockerfile<'a> {
    /// Instructions in order, with ONBUILD triggers as the ONBUILD itself
    /// (use [`Instruction::trigger`] to look inside).
    pub fn instructions(&self) -> impl Iterator<Item = &Instruction<'a>> {
        self.instructions.iter()
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Line starts of the source, for offset → line/column.
    pub fn lines(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(self.source))
    }

    /// 1-based first and last line a span occupies.
    pub fn line_range(&self, span: Span) -> (u32, u32) {
        let lines = self.lines();
        let start = lines.line_of(span.start) + 1;
        let end = lines.line_of(span.end.max(span.start + 1) - 1) + 1;
        (start, end.max(start))
    }

    /// Line continuations and empty continuation lines, in source order.
    ///
    /// They are not stored: each instruction's logical map says where its
    /// segments are, and what lies between two segments is a continuation
    /// marker, then comment and blank lines.
    pub fn trivia(&self) -> Vec<Trivia> {
        let mut out = Vec::new();
        for inst in &self.instructions {
            inst.trivia(self.source, self.escape, &mut out);
        }
        out
    }
}

/// `end` moved back over the `\r`s that precede a line's `\n`.
fn trim_cr(bytes: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && bytes[end - 1] == b'\r' {
        end -= 1;
    }
    end
}

/// The instructions BuildKit knows, plus anything else as `Unknown`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum InstructionKind {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    Unknown,
}

impl InstructionKind {
    pub const ALL: [InstructionKind; 18] = [
        InstructionKind::Add,
        InstructionKind::Arg,
        InstructionKind::Cmd,
        InstructionKind::Copy,
        InstructionKind::Entrypoint,
        InstructionKind::Env,
        InstructionKind::Expose,
        InstructionKind::From,
        InstructionKind::Healthcheck,
        InstructionKind::Label,
        InstructionKind::Maintainer,
        InstructionKind::Onbuild,
        InstructionKind::Run,
        InstructionKind::Shell,
        InstructionKind::Stopsignal,
        InstructionKind::User,
        InstructionKind::Volume,
        InstructionKind::Workdir,
    ];

    /// Matches a keyword case-insensitively, as BuildKit does.
    pub fn from_keyword(word: &str) -> InstructionKind {
        if word.len() > 11 {
            return InstructionKind::Unknown;
        }
        let mut buf = [0u8; 11];
        for (dst, src) in buf.iter_mut().zip(word.bytes()) {
            *dst = src.to_ascii_uppercase();
        }
        match &buf[..word.len()] {
            b"ADD" => InstructionKind::Add,
            b"ARG" => InstructionKind::Arg,
            b"CMD" => InstructionKind::Cmd,
            b"COPY" => InstructionKind::Copy,
            b"ENTRYPOINT" => InstructionKind::Entrypoint,
            b"ENV" => InstructionKind::Env,
            b"EXPOSE" => InstructionKind::Expose,
            b"FROM" => InstructionKind::From,
            b"HEALTHCHECK" => InstructionKind::Healthcheck,
            b"LABEL" => InstructionKind::Label,
            b"MAINTAINER" => InstructionKind::Maintainer,
            b"ONBUILD" => InstructionKind::Onbuild,
            b"RUN" => InstructionKind::Run,
            b"SHELL" => InstructionKind::Shell,
            b"STOPSIGNAL" => InstructionKind::Stopsignal,
            b"USER" => InstructionKind::User,
            b"VOLUME" => InstructionKind::Volume,
            b"WORKDIR" => InstructionKind::Workdir,
            _ => InstructionKind::Unknown,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            InstructionKind::Add => "ADD",
            InstructionKind::Arg => "ARG",
            InstructionKind::Cmd => "CMD",
            InstructionKind::Copy => "COPY",
            InstructionKind::Entrypoint => "ENTRYPOINT",
            InstructionKind::Env => "ENV",
            InstructionKind::Expose => "EXPOSE",
            InstructionKind::From => "FROM",
            InstructionKind::Healthcheck => "HEALTHCHECK",
            InstructionKind::Label => "LABEL",
            InstructionKind::Maintainer => "MAINTAINER",
            InstructionKind::Onbuild => "ONBUILD",
            InstructionKind::Run => "RUN",
            InstructionKind::Shell => "SHELL",
            InstructionKind::Stopsignal => "STOPSIGNAL",
            InstructionKind::User => "USER",
            InstructionKind::Volume => "VOLUME",
            InstructionKind::Workdir => "WORKDIR",
            InstructionKind::Unknown => "UNKNOWN",
        }
    }

    /// Instructions whose shell-form arguments may open heredocs.
    pub fn takes_heredocs(self) -> bool {
        matches!(
            self,
            InstructionKind::Run | InstructionKind::Copy | InstructionKind::Add
        )
    }
}

impl fmt::Display for InstructionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A piece of text from the source. `span` covers the bytes as written
/// (continuation markers included when the piece spans lines); `text` is the
/// piece as BuildKit reads it (continuations removed; for JSON strings and
/// flags, also unquoted and unescaped).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Word<'a> {
    pub span: Span,
    pub text: Cow<'a, str>,
}

impl Word<'_> {
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// One instruction, from its keyword to the end of its last line (heredoc
/// bodies and terminators included).
#[derive(Clone, Debug, Serialize)]
pub struct Instruction<'a> {
    pub kind: InstructionKind,
    /// The keyword as written (any case).
    pub keyword: Word<'a>,
    pub flags: Vec<Flag<'a>>,
    /// A bare `--` that ended the flags, if any.
    pub flag_terminator: Option<Span>,
    pub args: Arguments<'a>,
    pub heredocs: Vec<Heredoc<'a>>,
    pub span: Span,
    #[serde(skip)]
    pub map: LogicalMap,
}

impl<'a> Instruction<'a> {
    /// The instruction an ONBUILD registers, if this is an ONBUILD.
    pub fn trigger(&self) -> Option<&Instruction<'a>> {
        match &self.args {
            Arguments::Onbuild(inner) => Some(inner),
            _ => None,
        }
    }

    /// The flag named `name` (without `--`), first occurrence.
    pub fn flag(&self, name: &str) -> Option<&Flag<'a>> {
        self.flags.iter().find(|f| f.name.text == name)
    }

    pub fn is_exec_form(&self) -> bool {
        matches!(self.args, Arguments::Exec(_))
            || matches!(&self.args, Arguments::Healthcheck(h) if matches!(*h.command, Arguments::Exec(_)))
    }

    /// Appends this instruction's continuation trivia to `out`.
    fn trivia(&self, source: &str, escape: char, out: &mut Vec<Trivia>) {
        let bytes = source.as_bytes();
        let docs = self.trigger().map_or(&self.heredocs, |t| &t.heredocs);
        // Where the logical line's last physical line may end.
        let limit = docs.first().map_or(self.span.end, |d| d.body.start) as usize;
        let segments: Vec<Segment> = self.map.segments().collect();
        for (k, seg) in segments.iter().enumerate() {
            let at = (seg.source + seg.len) as usize;
            if at >= limit.min(bytes.len()) || bytes[at] != escape as u8 {
                continue;
            }
            let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
            let content_end = trim_cr(bytes, at, line_end);
            out.push(Trivia {
                kind: TriviaKind::LineContinuation,
                span: Span::from_usize(at, content_end),
            });
            let next = segments
                .get(k + 1)
                .map_or(limit, |s| s.source as usize)
                .min(bytes.len());
            let mut line_start = line_end + 1;
            while line_start < next {
                let end = memchr::memchr(b'\n', &bytes[line_start..next])
                    .map_or(next, |i| line_start + i);
                let text = &source[line_start..end];
                if !text.trim_start().starts_with('#') {
                    out.push(Trivia {
                        kind: TriviaKind::EmptyContinuationLine,
                        span: Span::from_usize(line_start, trim_cr(bytes, line_start, end)),
                    });
                }
                line_start = end + 1;
            }
        }
    }

    /// Maps a byte range of this instruction's logical line to a source span.
    pub fn span_of_logical(&self, start: u32, end: u32) -> Span {
        self.map.span(start, end)
    }
}

/// A `--name[=value]` flag between the keyword and the arguments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Flag<'a> {
    /// The whole flag as written.
    pub span: Span,
    /// The name without the leading `--`.
    pub name: Word<'a>,
    /// The value after the first `=`, unquoted; `None` for `--name` alone.
    pub value: Option<Word<'a>>,
    /// The flag as BuildKit reads it, e.g. `--mount=type=cache,target=/x`.
    pub text: Cow<'a, str>,
}

/// The arguments of an instruction, in the shape BuildKit's parser gives them.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "form", content = "value", rename_all = "snake_case")]
pub enum Arguments<'a> {
    /// Nothing after the keyword and flags.
    Empty,
    /// A JSON array of strings (exec form).
    Exec(ExecForm<'a>),
    /// The rest of the line as one raw string: shell form of RUN, CMD,
    /// ENTRYPOINT and SHELL, and the single argument of USER, WORKDIR,
    /// MAINTAINER and STOPSIGNAL.
    Shell(Word<'a>),
    /// Whitespace-separated words: FROM, EXPOSE, and the non-JSON form of
    /// ADD, COPY and VOLUME.
    List(Vec<Word<'a>>),
    /// ENV and LABEL pairs, `k=v` or legacy `k v`.
    KeyValues(Vec<KeyValue<'a>>),
    /// ARG declarations, `NAME` or `NAME=default`.
    ArgDecls(Vec<ArgDecl<'a>>),
    Healthcheck(Healthcheck<'a>),
    /// The instruction an ONBUILD registers.
    Onbuild(Box<Instruction<'a>>),
}

impl<'a> Arguments<'a> {
    /// The words of a list or exec form, in order.
    pub fn words(&self) -> &[Word<'a>] {
        match self {
            Arguments::List(w) => w,
            Arguments::Exec(e) => &e.elements,
            Arguments::Shell(w) => std::slice::from_ref(w),
            _ => &[],
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ExecForm<'a> {
    /// From `[` to `]`.
    pub span: Span,
    /// Each string's span includes its quotes; its text is the decoded value.
    pub elements: Vec<Word<'a>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct KeyValue<'a> {
    pub key: Word<'a>,
    /// `None` only in a malformed pair (reported as a syntax error).
    pub value: Option<Word<'a>>,
    /// The `=`; `None` in the legacy `KEY value` form.
    pub equals: Option<Span>,
    pub span: Span,
}

#[derive(Clone, Debug, Serialize)]
pub struct ArgDecl<'a> {
    /// The declaration as written.
    pub word: Word<'a>,
    pub name: Word<'a>,
    pub equals: Option<Span>,
    pub default: Option<Word<'a>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Healthcheck<'a> {
    /// `CMD` or `NONE` (any case; other words are reported as errors).
    pub kind: Word<'a>,
    pub command: Box<Arguments<'a>>,
}

/// A heredoc opened on an instruction line (`<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`).
#[derive(Clone, Debug, Serialize)]
pub struct Heredoc<'a> {
    /// The opening word as written, e.g. `<<-'EOF'`.
    pub opener: Word<'a>,
    /// The delimiter, unquoted.
    pub name: Cow<'a, str>,
    /// The file descriptor prefix (`3<<EOF`), if any.
    pub fd: Option<u32>,
    /// `<<-`: leading tabs are stripped from the body and the terminator.
    pub chomp: bool,
    /// False when any part of the delimiter was quoted.
    pub expand: bool,
    /// The body, verbatim, from the line after the instruction up to the
    /// terminator line (newlines included).
    pub body: Span,
    #[serde(skip)]
    pub content: &'a str,
    /// The terminator line's text; `None` when the heredoc is unterminated.
    pub terminator: Option<Span>,
}

/// A parser directive at the top of the file.
#[derive(Clone, Debug, Serialize)]
pub struct Directive<'a> {
    pub kind: DirectiveKind,
    pub span: Span,
    pub name: Word<'a>,
    pub value: Word<'a>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DirectiveKind {
    Syntax,
    Escape,
    Check,
}

impl DirectiveKind {
    pub fn from_name(name: &str) -> Option<DirectiveKind> {
        if name.eq_ignore_ascii_case("syntax") {
            Some(DirectiveKind::Syntax)
        } else if name.eq_ignore_ascii_case("escape") {
            Some(DirectiveKind::Escape)
        } else if name.eq_ignore_ascii_case("check") {
            Some(DirectiveKind::Check)
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DirectiveKind::Syntax => "syntax",
            DirectiveKind::Escape => "escape",
            DirectiveKind::Check => "check",
        }
    }
}

/// A comment line: from `#` to the end of the line.
#[derive(Clone, Debug, Serialize)]
pub struct Comment<'a> {
    pub span: Span,
    pub text: &'a str,
    /// True for a comment line inside a continued instruction.
    pub in_continuation: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Trivia {
    pub kind: TriviaKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TriviaKind {
    /// The escape character ending a line, with any blanks after it.
    LineContinuation,
    /// A whitespace-only line inside a continued instruction (BuildKit warns).
    EmptyContinuationLine,
}

/// Maps offsets in an instruction's logical line (continuations joined)
/// back to source offsets. Logical text is the concatenation of segments,
/// each a verbatim slice of the source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogicalMap {
    first: Segment,
    rest: Box<[Segment]>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Segment {
    /// Start in the logical line.
    pub logical: u32,
    /// Start in the source.
    pub source: u32,
    pub len: u32,
}

impl LogicalMap {
    /// A map from its segments, in logical (and source) order.
    pub(crate) fn new(first: Segment, rest: &[Segment]) -> Self {
        LogicalMap {
            first,
            rest: rest.into(),
        }
    }

    pub fn segments(&self) -> impl Iterator<Item = Segment> + '_ {
        std::iter::once(self.first).chain(self.rest.iter().copied())
    }

    pub fn is_single(&self) -> bool {
        self.rest.is_empty()
    }

    /// The segment holding logical offset `at`. With `end_bias`, an offset on
    /// a segment boundary belongs to the earlier segment, so that the end of
    /// a range never reaches over the continuation that follows it.
    #[inline]
    fn segment(&self, at: u32, end_bias: bool) -> Segment {
        if self.rest.is_empty() {
            return self.first;
        }
        let idx = if end_bias {
            self.rest.partition_point(|s| s.logical < at)
        } else {
            self.rest.partition_point(|s| s.logical <= at)
        };
        if idx == 0 {
            self.first
        } else {
            self.rest[idx - 1]
        }
    }

    /// Source offset of a logical offset (as a start position).
    #[inline]
    pub fn offset(&self, at: u32) -> u32 {
        let s = self.segment(at, false);
        s.source + (at - s.logical).min(s.len)
    }

    /// Source offset of a logical offset used as the end of a range.
    #[inline]
    pub fn end_offset(&self, at: u32) -> u32 {
        let s = self.segment(at, true);
        s.source + at.saturating_sub(s.logical).min(s.len)
    }

    #[inline]
    pub fn span(&self, start: u32, end: u32) -> Span {
        let s = self.offset(start);
        let e = if end > start { self.end_offset(end) } else { s };
        Span::new(s, e.max(s))
    }

    /// The logical offset of a source offset that lies on a segment (the
    /// inverse of [`LogicalMap::offset`]); offsets inside continuation trivia
    /// map to the start of the next segment.
    pub fn logical(&self, source_offset: u32) -> u32 {
        let seg = if self.rest.is_empty() {
            self.first
        } else {
            let idx = self.rest.partition_point(|s| s.source <= source_offset);
            if idx == 0 {
                self.first
            } else {
                self.rest[idx - 1]
            }
        };
        seg.logical + source_offset.saturating_sub(seg.source).min(seg.len)
    }

    /// True when logical `start..end` lies within one segment, so its text is
    /// a verbatim slice of the source.
    #[inline]
    pub fn is_contiguous(&self, start: u32, end: u32) -> bool {
        if self.rest.is_empty() {
            return true;
        }
        let s = self.segment(start, false);
        end <= s.logical + s.len
    }
}
