//! One logical line → one instruction: keyword, flags and arguments in the
//! shape BuildKit's line parsers give them, plus the heredocs the line opens.
//!
//! All positions here are offsets into the logical line; [`LineCtx`] maps
//! them back to source spans and borrows text from the source wherever the
//! logical text is a verbatim slice of it.

use super::ast::{
    ArgDecl, Arguments, ExecForm, Flag, Healthcheck, Instruction, InstructionKind, KeyValue,
    LogicalMap, Word,
};
use super::error::{SyntaxError, SyntaxErrorKind};
use super::json::{self, JsonArray};
use super::lex;
use crate::span::{Span, trim_end_ws, trim_start_ws};
use std::borrow::Cow;
use std::cell::Cell;

/// A heredoc opened on an instruction line, before its body is read.
pub(crate) struct PendingHeredoc<'a> {
    pub opener: Word<'a>,
    pub name: Cow<'a, str>,
    pub fd: Option<u32>,
    pub chomp: bool,
    pub expand: bool,
}

struct LineCtx<'a, 'l> {
    source: &'a str,
    logical: &'l str,
    map: &'l LogicalMap,
    /// Source offset of the logical line when it is one verbatim segment.
    single: Option<usize>,
    /// Set when a shell-form word runs to the end of a joined (multi-line)
    /// logical line: its text is then the joined line itself, handed over
    /// by [`parse_line`] instead of copied.
    tail_word_at: Cell<Option<usize>>,
    escape: char,
}

/// ASCII whitespace as in BuildKit's `[\t\v\f\r ]` (and Go's byte-wise
/// `unicode.IsSpace` for ASCII).
fn is_ascii_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\x0b' | b'\x0c' | b'\r' | b'\n')
}

impl<'a> LineCtx<'a, '_> {
    #[inline]
    fn text(&self, start: usize, end: usize) -> Cow<'a, str> {
        if let Some(base) = self.single {
            return Cow::Borrowed(&self.source[base + start..base + end]);
        }
        if self.map.is_contiguous(start as u32, end as u32) {
            let span = self.map.span(start as u32, end as u32);
            Cow::Borrowed(span.text(self.source))
        } else {
            Cow::Owned(self.logical[start..end].to_owned())
        }
    }

    #[inline]
    fn span(&self, start: usize, end: usize) -> Span {
        match self.single {
            Some(base) => Span::from_usize(base + start, base + end),
            None => self.map.span(start as u32, end as u32),
        }
    }

    /// A word whose text is the logical text of `start..end`.
    fn word(&self, start: usize, end: usize) -> Word<'a> {
        Word {
            span: self.span(start, end),
            text: self.text(start, end),
        }
    }

    /// A word covering `start..end` whose text is `text_end`-limited (BuildKit
    /// drops a lone escape character at the very end of the input).
    fn word_until(&self, start: usize, end: usize, text_end: usize) -> Word<'a> {
        Word {
            span: self.span(start, end),
            text: self.text(start, text_end.max(start)),
        }
    }

    /// A word over `start..end` with text that is not a slice of the line
    /// (unquoted, unescaped). Borrowed text that *is* a slice is re-borrowed
    /// from the source.
    fn word_with(&self, start: usize, end: usize, text: &str) -> Word<'a> {
        Word {
            span: self.span(start, end),
            text: Cow::Owned(text.to_owned()),
        }
    }

    /// `strings.TrimSpace` of `start..end`, as a range.
    fn trim(&self, start: usize, end: usize) -> (usize, usize) {
        let s = &self.logical[start..end];
        let t = trim_start_ws(s);
        let ts = end - t.len();
        let t = trim_end_ws(t);
        (ts, ts + t.len())
    }
}

/// Parses a logical line (continuations joined) into an instruction and
/// the heredocs it opens (whose bodies follow the line).
pub(crate) fn parse_line<'a>(
    source: &'a str,
    logical: Cow<'_, str>,
    map: LogicalMap,
    escape: char,
    may_have_heredocs: bool,
    errors: &mut Vec<SyntaxError>,
) -> (Instruction<'a>, Vec<PendingHeredoc<'a>>) {
    let ctx = LineCtx {
        source,
        logical: &logical,
        map: &map,
        single: map
            .is_single()
            .then(|| map.segments().next().map_or(0, |s| s.source as usize)),
        tail_word_at: Cell::new(None),
        escape,
    };
    let mut instruction = parse_command(&ctx, 0, logical.len(), errors);
    let target = match &instruction.args {
        Arguments::Onbuild(inner) => inner,
        _ => &instruction,
    };
    let heredocs = if may_have_heredocs
        && target.kind.takes_heredocs()
        && !matches!(target.args, Arguments::Exec(_))
        && has_double_lt(logical.as_bytes())
    {
        heredocs_in(&ctx)
    } else {
        Vec::new()
    };
    if let Some(at) = ctx.tail_word_at.take()
        && let Some(word) = tail_word(&mut instruction)
    {
        let mut text = logical.into_owned();
        text.drain(..at);
        word.text = Cow::Owned(text);
    }
    if let Arguments::Onbuild(inner) = &mut instruction.args {
        inner.map = map.clone();
    }
    instruction.map = map;
    (instruction, heredocs)
}

/// The shell-form word of an instruction (also under HEALTHCHECK and ONBUILD).
fn tail_word<'i, 'a>(inst: &'i mut Instruction<'a>) -> Option<&'i mut Word<'a>> {
    match &mut inst.args {
        Arguments::Shell(w) => Some(w),
        Arguments::Healthcheck(h) => match &mut *h.command {
            Arguments::Shell(w) => Some(w),
            _ => None,
        },
        Arguments::Onbuild(inner) => tail_word(inner),
        _ => None,
    }
}

/// Whether `<<` occurs (`<` is rare, so this beats a substring searcher).
pub(crate) fn has_double_lt(b: &[u8]) -> bool {
    memchr::memchr_iter(b'<', b).any(|i| b.get(i + 1) == Some(&b'<'))
}

/// BuildKit's `newNodeFromLine` on `logical[start..end]`.
fn parse_command<'a>(
    ctx: &LineCtx<'a, '_>,
    start: usize,
    end: usize,
    errors: &mut Vec<SyntaxError>,
) -> Instruction<'a> {
    let (ts, te) = ctx.trim(start, end);
    let bytes = ctx.logical.as_bytes();
    let mut kw_end = ts;
    while kw_end < te && !is_ascii_ws(bytes[kw_end]) {
        kw_end += 1;
    }
    let keyword = ctx.word(ts, kw_end);
    let kind = InstructionKind::from_keyword(&keyword.text);
    let mut rest = kw_end;
    while rest < te && is_ascii_ws(bytes[rest]) {
        rest += 1;
    }
    let (flags, args_start, flag_terminator) = if rest < te {
        extract_flags(ctx, rest, te)
    } else {
        (Vec::new(), te, None)
    };
    let (as_, ae) = ctx.trim(args_start, te);
    let args = match kind {
        InstructionKind::Add | InstructionKind::Copy | InstructionKind::Volume => {
            maybe_json_to_list(ctx, as_, ae, errors)
        }
        InstructionKind::Arg => arg_decls(ctx, as_, ae),
        InstructionKind::Cmd
        | InstructionKind::Entrypoint
        | InstructionKind::Run
        | InstructionKind::Shell => maybe_json(ctx, as_, ae, errors),
        InstructionKind::Env | InstructionKind::Label => name_values(ctx, kind, as_, ae, errors),
        InstructionKind::Expose | InstructionKind::From => whitespace_list(ctx, as_, ae),
        InstructionKind::Healthcheck => health_config(ctx, as_, ae, errors),
        InstructionKind::Maintainer
        | InstructionKind::Stopsignal
        | InstructionKind::User
        | InstructionKind::Workdir
        | InstructionKind::Unknown => string(ctx, as_, ae),
        InstructionKind::Onbuild => {
            if as_ == ae {
                Arguments::Empty
            } else {
                Arguments::Onbuild(Box::new(parse_command(ctx, as_, ae, errors)))
            }
        }
    };
    Instruction {
        kind,
        keyword,
        flags,
        flag_terminator,
        args,
        heredocs: Vec::new(),
        span: Span::default(),
        map: LogicalMap::default(),
    }
}

/// BuildKit's `extractBuilderFlags`: leading words starting with `--`, with
/// quotes removed and escapes applied; a bare `--` ends the flags.
/// Returns the flags, where the arguments start, and the `--` terminator.
fn extract_flags<'a>(
    ctx: &LineCtx<'a, '_>,
    start: usize,
    end: usize,
) -> (Vec<Flag<'a>>, usize, Option<Span>) {
    let escape = ctx.escape as u8;
    let line = &ctx.logical[..end];
    let b = line.as_bytes();
    let mut flags = Vec::new();
    let mut pos = start;
    loop {
        while pos < end && is_ascii_ws(b[pos]) {
            pos += 1;
        }
        if pos >= end {
            return (flags, end, None);
        }
        if !(b[pos] == b'-' && pos + 1 < end && b[pos + 1] == b'-') {
            return (flags, pos, None);
        }
        let word_start = pos;
        // The flag as BuildKit reads it; only built once a quote or an
        // escape makes it differ from the raw text.
        let mut unquoted: Option<String> = None;
        let mut quote: Option<u8> = None;
        // Raw position of the first `=` of the flag text, and its offset in that text.
        let mut eq: Option<(usize, usize)> = None;
        while pos < end {
            let c = b[pos];
            let special = match quote {
                None if is_ascii_ws(c) => break,
                None => c == b'\'' || c == b'"' || c == escape,
                Some(q) => c == q || c == escape,
            };
            if special {
                let text = unquoted.get_or_insert_with(|| line[word_start..pos].to_owned());
                if c == escape {
                    pos += 1;
                    if pos == end {
                        break;
                    }
                    let ch_end = (pos + utf8_len(b[pos])).min(end);
                    if b[pos] == b'=' && eq.is_none() {
                        eq = Some((pos, text.len()));
                    }
                    text.push_str(&line[pos..ch_end]);
                    pos = ch_end;
                } else {
                    quote = if quote.is_some() { None } else { Some(c) };
                    pos += 1;
                }
                continue;
            }
            let ch_end = (pos + utf8_len(c)).min(end);
            if c == b'=' && eq.is_none() {
                let at = unquoted.as_ref().map_or(pos - word_start, String::len);
                eq = Some((pos, at));
            }
            if let Some(text) = &mut unquoted {
                text.push_str(&line[pos..ch_end]);
            }
            pos = ch_end;
        }
        let flag = match unquoted {
            None if pos - word_start == 2 => {
                return (flags, pos, Some(ctx.span(word_start, pos)));
            }
            Some(t) if t == "--" => return (flags, pos, Some(ctx.span(word_start, pos))),
            None => Flag {
                span: ctx.span(word_start, pos),
                name: ctx.word(word_start + 2, eq.map_or(pos, |(raw, _)| raw)),
                value: eq.map(|(raw, _)| ctx.word(raw + 1, pos)),
                text: ctx.text(word_start, pos),
            },
            Some(text) => {
                let (name, value) = match eq {
                    Some((raw, at)) => (
                        ctx.word_with(word_start + 2, raw, text.get(2..at).unwrap_or("")),
                        Some(ctx.word_with(raw + 1, pos, &text[at + 1..])),
                    ),
                    None => (
                        ctx.word_with(word_start + 2, pos, text.get(2..).unwrap_or("")),
                        None,
                    ),
                };
                Flag {
                    span: ctx.span(word_start, pos),
                    name,
                    value,
                    text: Cow::Owned(text),
                }
            }
        };
        flags.push(flag);
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

/// `parseMaybeJSON`: exec form when the rest is a JSON array of strings,
/// otherwise the raw rest as one string.
fn maybe_json<'a>(
    ctx: &LineCtx<'a, '_>,
    start: usize,
    end: usize,
    errors: &mut Vec<SyntaxError>,
) -> Arguments<'a> {
    if start == end {
        return Arguments::Empty;
    }
    match exec_form(ctx, start, end, errors) {
        Some(args) => args,
        None => Arguments::Shell(shell_word(ctx, start, end)),
    }
}

/// The raw rest of a line as one word; a multi-line rest that runs to the
/// end of the line gets its text from [`parse_line`] without a copy.
fn shell_word<'a>(ctx: &LineCtx<'a, '_>, start: usize, end: usize) -> Word<'a> {
    if ctx.single.is_none()
        && end == ctx.logical.len()
        && !ctx.map.is_contiguous(start as u32, end as u32)
    {
        ctx.tail_word_at.set(Some(start));
        return Word {
            span: ctx.span(start, end),
            text: Cow::Borrowed(""),
        };
    }
    ctx.word(start, end)
}

/// Tries the JSON array form. `None` means "not JSON: fall back".
fn exec_form<'a>(
    ctx: &LineCtx<'a, '_>,
    start: usize,
    end: usize,
    errors: &mut Vec<SyntaxError>,
) -> Option<Arguments<'a>> {
    let text = &ctx.logical[start..end];
    if !text.starts_with('[') {
        return None;
    }
    match json::parse_array(text) {
        JsonArray::Invalid => None,
        JsonArray::NotStrings { start: s, end: e } => {
            errors.push(
                SyntaxError::new(
                    SyntaxErrorKind::JsonNotStrings,
                    ctx.span(start + s, start + e),
                    "when using JSON array syntax, arrays must be comprised of strings only",
                )
                .with_help("quote every element, e.g. [\"echo\", \"1\"]"),
            );
            // BuildKit stops here; keep the text so the rest of the tree is usable.
            Some(Arguments::Shell(ctx.word(start, end)))
        }
        JsonArray::Strings { elements, close } => {
            let elements = elements
                .into_iter()
                .map(|el| {
                    let (s, e) = (start + el.start, start + el.end);
                    match el.value {
                        Cow::Borrowed(_) => Word {
                            span: ctx.span(s, e),
                            text: ctx.text(s + 1, e - 1),
                        },
                        Cow::Owned(v) => Word {
                            span: ctx.span(s, e),
                            text: Cow::Owned(v),
                        },
                    }
                })
                .collect();
            Some(Arguments::Exec(ExecForm {
                span: ctx.span(start, start + close + 1),
                elements,
            }))
        }
    }
}

/// `parseMaybeJSONToList`: JSON array, or whitespace-separated words.
fn maybe_json_to_list<'a>(
    ctx: &LineCtx<'a, '_>,
    start: usize,
    end: usize,
    errors: &mut Vec<SyntaxError>,
) -> Arguments<'a> {
    match exec_form(ctx, start, end, errors) {
        Some(args) => args,
        None => whitespace_list(ctx, start, end),
    }
}

/// `parseStringsWhitespaceDelimited`: split on runs of `[\t\v\f\r ]`.
fn whitespace_list<'a>(ctx: &LineCtx<'a, '_>, start: usize, end: usize) -> Arguments<'a> {
    if start == end {
        return Arguments::Empty;
    }
    let b = ctx.logical.as_bytes();
    let mut words = Vec::with_capacity(4);
    let mut pos = start;
    loop {
        let ws = pos;
        while pos < end && !is_ascii_ws(b[pos]) {
            pos += 1;
        }
        words.push(ctx.word(ws, pos));
        if pos >= end {
            break;
        }
        while pos < end && is_ascii_ws(b[pos]) {
            pos += 1;
        }
        if pos >= end {
            // A trailing separator yields an empty last word, as regexp.Split does.
            words.push(ctx.word(end, end));
            break;
        }
    }
    Arguments::List(words)
}

/// `parseString`: the rest as one raw string.
fn string<'a>(ctx: &LineCtx<'a, '_>, start: usize, end: usize) -> Arguments<'a> {
    if start == end {
        Arguments::Empty
    } else {
        Arguments::Shell(ctx.word(start, end))
    }
}

/// A word found by [`parse_words`]: `start..end` as written, `text_end` where
/// its text ends (a trailing lone escape character is dropped).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct RawWord {
    start: usize,
    end: usize,
    text_end: usize,
}

/// Bytes that may end or change a word in [`parse_words`]: ASCII blanks,
/// quotes, both possible escape characters, and the lead bytes of the
/// multi-byte Unicode spaces.
static WORD_SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let special = [
        b' ', b'\t', b'\n', b'\x0b', b'\x0c', b'\r', b'\'', b'"', b'\\', b'`', 0xc2, 0xe1, 0xe2,
        0xe3,
    ];
    let mut i = 0;
    while i < special.len() {
        t[special[i] as usize] = true;
        i += 1;
    }
    t
};

/// BuildKit's `parseWords`: words separated by Unicode whitespace, with
/// quotes and escapes kept in the text.
fn parse_words(line: &str, start: usize, end: usize, escape: char) -> Words<'_> {
    Words {
        line,
        pos: start,
        end,
        escape: escape as u8,
    }
}

struct Words<'l> {
    line: &'l str,
    pos: usize,
    end: usize,
    escape: u8,
}

impl Words<'_> {
    /// Unicode whitespace at `i`, and its length.
    #[inline]
    fn space_at(&self, i: usize) -> Option<usize> {
        let c = self.line.as_bytes()[i];
        if c < 0x80 {
            return is_ascii_ws(c).then_some(1);
        }
        let ch = self.line[i..].chars().next()?;
        ch.is_whitespace().then_some(ch.len_utf8())
    }
}

impl Iterator for Words<'_> {
    type Item = RawWord;

    fn next(&mut self) -> Option<RawWord> {
        let b = self.line.as_bytes();
        let (end, esc) = (self.end, self.escape);
        let mut i = self.pos;
        while i < end {
            match self.space_at(i) {
                Some(n) => i += n,
                None => break,
            }
        }
        if i >= end {
            self.pos = end;
            return None;
        }
        let word_start = i;
        let mut text_end = None;
        while i < end {
            while i < end && !WORD_SPECIAL[b[i] as usize] {
                i += 1;
            }
            if i >= end || self.space_at(i).is_some() {
                break;
            }
            let c = b[i];
            if c == b'\'' || c == b'"' {
                i += 1;
                // Inside quotes only the closing quote and (outside single
                // quotes) the escape matter.
                loop {
                    let found = if c == b'\'' {
                        memchr::memchr(c, &b[i..end])
                    } else {
                        memchr::memchr2(c, esc, &b[i..end])
                    };
                    let Some(k) = found else {
                        i = end;
                        break;
                    };
                    i += k;
                    if b[i] == c {
                        i += 1;
                        break;
                    }
                    if i + 1 >= end {
                        // A lone escape at the very end is dropped.
                        text_end = Some(i);
                        i = end;
                        break;
                    }
                    i = (i + 1 + utf8_len(b[i + 1])).min(end);
                }
            } else if c == esc {
                if i + 1 >= end {
                    text_end = Some(i);
                    i = end;
                    break;
                }
                i = (i + 1 + utf8_len(b[i + 1])).min(end);
            } else {
                i += utf8_len(c);
            }
        }
        let i = i.min(end);
        self.pos = i;
        Some(RawWord {
            start: word_start,
            end: i,
            text_end: text_end.unwrap_or(i),
        })
    }
}

/// `parseNameVal` for ENV and LABEL.
fn name_values<'a>(
    ctx: &LineCtx<'a, '_>,
    kind: InstructionKind,
    start: usize,
    end: usize,
    errors: &mut Vec<SyntaxError>,
) -> Arguments<'a> {
    let mut words = parse_words(ctx.logical, start, end, ctx.escape).peekable();
    let Some(first) = words.peek() else {
        return Arguments::Empty;
    };
    let line = ctx.logical;
    if memchr::memchr(b'=', &line.as_bytes()[first.start..first.text_end]).is_none() {
        // Legacy `KEY value`: split the raw rest once on blanks.
        let b = line.as_bytes();
        let mut key_end = start;
        while key_end < end && !is_ascii_ws(b[key_end]) {
            key_end += 1;
        }
        let mut value_start = key_end;
        while value_start < end && is_ascii_ws(b[value_start]) {
            value_start += 1;
        }
        let key = ctx.word(start, key_end);
        if key_end == end {
            errors.push(
                SyntaxError::new(
                    SyntaxErrorKind::MissingValue,
                    ctx.span(start, end),
                    format!("{kind} must have two arguments"),
                )
                .with_help(format!("give a value: `{kind} {}=<value>`", key.text)),
            );
            return Arguments::KeyValues(vec![KeyValue {
                span: key.span,
                key,
                value: None,
                equals: None,
            }]);
        }
        let value = ctx.word(value_start, end);
        return Arguments::KeyValues(vec![KeyValue {
            span: key.span.cover(value.span),
            key,
            value: Some(value),
            equals: None,
        }]);
    }
    let mut pairs = Vec::new();
    for w in words {
        let text = &line[w.start..w.text_end];
        match memchr::memchr(b'=', text.as_bytes()) {
            Some(eq) => {
                let eq = w.start + eq;
                let key = ctx.word(w.start, eq);
                let value = ctx.word_until(eq + 1, w.end, w.text_end);
                pairs.push(KeyValue {
                    span: ctx.span(w.start, w.end),
                    key,
                    value: Some(value),
                    equals: Some(ctx.span(eq, eq + 1)),
                });
            }
            None => {
                let key = ctx.word_until(w.start, w.end, w.text_end);
                errors.push(
                    SyntaxError::new(
                        SyntaxErrorKind::MissingEquals,
                        key.span,
                        format!(
                            "Syntax error - can't find = in {:?}. Must be of the form: name=value",
                            key.text
                        ),
                    )
                    .with_help(format!(
                        "once one pair uses `=`, every word of {kind} must be `name=value`"
                    )),
                );
                pairs.push(KeyValue {
                    span: key.span,
                    key,
                    value: None,
                    equals: None,
                });
            }
        }
    }
    Arguments::KeyValues(pairs)
}

/// `parseNameOrNameVal` for ARG: each word is `NAME` or `NAME=default`.
fn arg_decls<'a>(ctx: &LineCtx<'a, '_>, start: usize, end: usize) -> Arguments<'a> {
    let line = ctx.logical;
    let decls: Vec<ArgDecl<'a>> = parse_words(line, start, end, ctx.escape)
        .map(|w| {
            let text = &line[w.start..w.text_end];
            let word = ctx.word_until(w.start, w.end, w.text_end);
            match memchr::memchr(b'=', text.as_bytes()) {
                Some(eq) => {
                    let eq = w.start + eq;
                    ArgDecl {
                        name: ctx.word(w.start, eq),
                        equals: Some(ctx.span(eq, eq + 1)),
                        default: Some(ctx.word_until(eq + 1, w.end, w.text_end)),
                        word,
                    }
                }
                None => ArgDecl {
                    name: word.clone(),
                    equals: None,
                    default: None,
                    word,
                },
            }
        })
        .collect();
    if decls.is_empty() {
        return Arguments::Empty;
    }
    Arguments::ArgDecls(decls)
}

/// `parseHealthConfig`: a type word (`CMD`, `NONE`), then JSON-or-shell.
fn health_config<'a>(
    ctx: &LineCtx<'a, '_>,
    start: usize,
    end: usize,
    errors: &mut Vec<SyntaxError>,
) -> Arguments<'a> {
    if start == end {
        return Arguments::Empty;
    }
    let b = ctx.logical.as_bytes();
    let mut sep = start;
    while sep < end && !is_ascii_ws(b[sep]) {
        sep += 1;
    }
    let mut next = sep;
    while next < end && is_ascii_ws(b[next]) {
        next += 1;
    }
    Arguments::Healthcheck(Healthcheck {
        kind: ctx.word(start, sep),
        command: Box::new(maybe_json(ctx, next, end, errors)),
    })
}

/// Heredoc openers on the line: BuildKit splits the whole logical line into
/// shell words and takes every word of the form `[fd]<<[-]DELIM`.
fn heredocs_in<'a>(ctx: &LineCtx<'a, '_>) -> Vec<PendingHeredoc<'a>> {
    let line = ctx.logical;
    let Some(words) = lex::raw_words(line) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (ws, we) in words {
        let word = &line[ws..we];
        let b = word.as_bytes();
        let mut i = 0;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if !word[i..].starts_with("<<") {
            continue;
        }
        let fd_digits = &word[..i];
        i += 2;
        let chomp = b.get(i) == Some(&b'-');
        if chomp {
            i += 1;
        }
        while matches!(b.get(i), Some(b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')) {
            i += 1;
        }
        let rest = &word[i..];
        if rest.is_empty() || rest.contains('<') {
            continue;
        }
        let Some(name) = lex::heredoc_name(rest) else {
            continue;
        };
        let quotes = |s: &str| s.bytes().filter(|&c| c == b'\'' || c == b'"').count();
        let expand = quotes(&name) == quotes(rest);
        let name: Cow<'a, str> = if name == rest {
            ctx.text(ws + i, we)
        } else {
            Cow::Owned(name)
        };
        out.push(PendingHeredoc {
            opener: ctx.word(ws, we),
            name,
            fd: if fd_digits.is_empty() {
                None
            } else {
                Some(fd_digits.parse().unwrap_or(u32::MAX))
            },
            chomp,
            expand,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<(&str, &str)> {
        parse_words(s, 0, s.len(), '\\')
            .map(|w| (&s[w.start..w.end], &s[w.start..w.text_end]))
            .collect()
    }

    #[test]
    fn parse_words_keeps_quotes_and_escapes() {
        assert_eq!(
            words(r#"abc="123 456" def"#),
            vec![(r#"abc="123 456""#, r#"abc="123 456""#), ("def", "def")]
        );
        assert_eq!(words(r"a=b\ c d"), vec![(r"a=b\ c", r"a=b\ c"), ("d", "d")]);
        assert_eq!(words(r"a=\\\"), vec![(r"a=\\\", r"a=\\")]);
        assert_eq!(words(r#"x='a\'b'"#), vec![(r#"x='a\'b'"#, r#"x='a\'b'"#)]);
        assert_eq!(words("a\u{a0}b"), vec![("a", "a"), ("b", "b")]);
    }
}
