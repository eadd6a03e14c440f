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
use super::span::Span;
use std::borrow::Cow;

/// A heredoc opened on an instruction line, before its body is read.
pub(crate) struct PendingHeredoc<'a> {
    pub opener: Word<'a>,
    pub name: Cow<'a, str>,
    pub fd: Option<u32>,
    pub chomp: bool,
    pub expand: bool,
}

pub(crate) struct ParsedLine<'a> {
    pub instruction: Instruction<'a>,
    pub heredocs: Vec<PendingHeredoc<'a>>,
}

struct LineCtx<'a, 'l> {
    source: &'a str,
    logical: &'l str,
    map: &'l LogicalMap,
    escape: char,
}

/// ASCII whitespace as in BuildKit's `[\t\v\f\r ]` (and Go's byte-wise
/// `unicode.IsSpace` for ASCII).
fn is_ascii_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\x0b' | b'\x0c' | b'\r' | b'\n')
}

impl<'a> LineCtx<'a, '_> {
    fn text(&self, start: usize, end: usize) -> Cow<'a, str> {
        if self.map.is_contiguous(start as u32, end as u32) {
            let span = self.map.span(start as u32, end as u32);
            Cow::Borrowed(span.text(self.source))
        } else {
            Cow::Owned(self.logical[start..end].to_owned())
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        self.map.span(start as u32, end as u32)
    }

    /// A word whose text is the logical text of `start..end`.
    fn word(&self, start: usize, end: usize) -> Word<'a> {
        Word {
            span: self.span(start, end),
            text: self.text(start, end),
            offset: start as u32,
        }
    }

    /// A word covering `start..end` whose text is `text_end`-limited (BuildKit
    /// drops a lone escape character at the very end of the input).
    fn word_until(&self, start: usize, end: usize, text_end: usize) -> Word<'a> {
        Word {
            span: self.span(start, end),
            text: self.text(start, text_end.max(start)),
            offset: start as u32,
        }
    }

    /// A word over `start..end` with text that is not a slice of the line
    /// (unquoted, unescaped). Borrowed text that *is* a slice is re-borrowed
    /// from the source.
    fn word_with(&self, start: usize, end: usize, text: Cow<'_, str>) -> Word<'a> {
        Word {
            span: self.span(start, end),
            text: Cow::Owned(text.into_owned()),
            offset: start as u32,
        }
    }

    /// `strings.TrimSpace` of `start..end`, as a range.
    fn trim(&self, start: usize, end: usize) -> (usize, usize) {
        let s = &self.logical[start..end];
        let t = s.trim_start();
        let ts = end - t.len();
        let t = t.trim_end();
        (ts, ts + t.len())
    }
}

/// Parses a logical line (continuations joined) into an instruction.
pub(crate) fn parse_line<'a>(
    source: &'a str,
    logical: &str,
    map: &LogicalMap,
    escape: char,
    errors: &mut Vec<SyntaxError>,
) -> ParsedLine<'a> {
    let ctx = LineCtx {
        source,
        logical,
        map,
        escape,
    };
    let instruction = parse_command(&ctx, 0, logical.len(), errors);
    let target = match &instruction.args {
        Arguments::Onbuild(inner) => inner,
        _ => &instruction,
    };
    let heredocs = if target.kind.takes_heredocs()
        && !matches!(target.args, Arguments::Exec(_))
        && memchr::memmem::find(logical.as_bytes(), b"<<").is_some()
    {
        heredocs_in(&ctx)
    } else {
        Vec::new()
    };
    ParsedLine {
        instruction,
        heredocs,
    }
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
        map: ctx.map.clone(),
    }
}

/// BuildKit's `extractBuilderFlags`: leading words starting with `--`, with
/// quotes removed and `\` escapes applied; a bare `--` ends the flags.
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
        let mut text = String::new();
        let mut quote: Option<u8> = None;
        // Raw position of the first `=` that lands in the flag text.
        let mut eq_raw: Option<usize> = None;
        let mut eq_text: Option<usize> = None;
        while pos < end {
            let c = b[pos];
            match quote {
                None if is_ascii_ws(c) => break,
                None if c == b'\'' || c == b'"' => {
                    quote = Some(c);
                    pos += 1;
                    continue;
                }
                Some(q) if c == q => {
                    quote = None;
                    pos += 1;
                    continue;
                }
                _ => {}
            }
            if c == escape {
                if pos + 1 == end {
                    pos += 1;
                    quote = None;
                    continue;
                }
                pos += 1;
            }
            let ch_len = utf8_len(b[pos]);
            let ch_end = (pos + ch_len).min(end);
            if b[pos] == b'=' && eq_raw.is_none() {
                eq_raw = Some(pos);
                eq_text = Some(text.len());
            }
            text.push_str(&line[pos..ch_end]);
            pos = ch_end;
        }
        if text == "--" {
            return (flags, pos, Some(ctx.span(word_start, pos)));
        }
        let raw_text_matches = text.len() == pos - word_start && line[word_start..pos] == text;
        let text: Cow<'a, str> = if raw_text_matches {
            ctx.text(word_start, pos)
        } else {
            Cow::Owned(text)
        };
        let (name, value) = match (eq_raw, eq_text) {
            (Some(raw), Some(at)) => (
                ctx.word_with(word_start + 2, raw, Cow::Borrowed(&text[2.min(at)..at])),
                Some(ctx.word_with(raw + 1, pos, Cow::Borrowed(&text[at + 1..]))),
            ),
            _ => (
                ctx.word_with(
                    word_start + 2,
                    pos,
                    Cow::Borrowed(text.get(2..).unwrap_or("")),
                ),
                None,
            ),
        };
        flags.push(Flag {
            span: ctx.span(word_start, pos),
            name,
            value,
            text,
        });
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
        None => Arguments::Shell(ctx.word(start, end)),
    }
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
                            offset: s as u32,
                        },
                        Cow::Owned(v) => Word {
                            span: ctx.span(s, e),
                            text: Cow::Owned(v),
                            offset: s as u32,
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
    let mut words = Vec::new();
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

/// BuildKit's `parseWords`: words separated by Unicode whitespace, with
/// quotes and escapes kept in the text.
fn parse_words(line: &str, start: usize, end: usize, escape: char) -> Vec<RawWord> {
    let mut words = Vec::new();
    let mut chars = line[start..end]
        .char_indices()
        .map(|(i, c)| (start + i, c))
        .peekable();
    let mut word_start: Option<usize> = None;
    let mut quote: Option<char> = None;
    let mut text_end = start;
    while let Some((i, c)) = chars.next() {
        let Some(ws) = word_start else {
            if c.is_whitespace() {
                continue;
            }
            word_start = Some(i);
            text_end = i;
            // Fall through to handle `c` as the first character of the word.
            handle_word_char(&mut chars, &mut quote, &mut text_end, i, c, escape);
            continue;
        };
        if quote.is_none() && c.is_whitespace() {
            words.push(RawWord {
                start: ws,
                end: i,
                text_end,
            });
            word_start = None;
            continue;
        }
        handle_word_char(&mut chars, &mut quote, &mut text_end, i, c, escape);
    }
    if let Some(ws) = word_start {
        words.push(RawWord {
            start: ws,
            end,
            text_end,
        });
    }
    words
}

fn handle_word_char(
    chars: &mut std::iter::Peekable<impl Iterator<Item = (usize, char)>>,
    quote: &mut Option<char>,
    text_end: &mut usize,
    i: usize,
    c: char,
    escape: char,
) {
    match *quote {
        None => {
            if c == '\'' || c == '"' {
                *quote = Some(c);
            }
            if c == escape {
                match chars.next() {
                    None => return, // a lone escape at the very end is dropped
                    Some((j, n)) => {
                        *text_end = j + n.len_utf8();
                        return;
                    }
                }
            }
        }
        Some(q) => {
            if c == q {
                *quote = None;
            }
            if c == escape && q != '\'' {
                match chars.next() {
                    None => {
                        *quote = None;
                        return;
                    }
                    Some((j, n)) => {
                        *text_end = j + n.len_utf8();
                        return;
                    }
                }
            }
        }
    }
    *text_end = i + c.len_utf8();
}

/// `parseNameVal` for ENV and LABEL.
fn name_values<'a>(
    ctx: &LineCtx<'a, '_>,
    kind: InstructionKind,
    start: usize,
    end: usize,
    errors: &mut Vec<SyntaxError>,
) -> Arguments<'a> {
    let words = parse_words(ctx.logical, start, end, ctx.escape);
    let Some(first) = words.first() else {
        return Arguments::Empty;
    };
    let line = ctx.logical;
    if !line[first.start..first.text_end].contains('=') {
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
    let mut pairs = Vec::with_capacity(words.len());
    for w in words {
        let text = &line[w.start..w.text_end];
        match text.find('=') {
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
    let words = parse_words(ctx.logical, start, end, ctx.escape);
    if words.is_empty() {
        return Arguments::Empty;
    }
    let line = ctx.logical;
    let decls = words
        .into_iter()
        .map(|w| {
            let text = &line[w.start..w.text_end];
            let word = ctx.word_until(w.start, w.end, w.text_end);
            match text.find('=') {
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
            .into_iter()
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
