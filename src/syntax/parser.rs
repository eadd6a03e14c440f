//! The line-level driver: physical lines → directives, comments, logical
//! lines (continuations joined) and heredoc bodies, following BuildKit's
//! `parser.Parse` step by step. Each logical line is handed to
//! [`super::instruction`] for its words.

use super::ast::{
    Comment, Directive, DirectiveKind, Dockerfile, Heredoc, Instruction, InstructionKind,
    LogicalMap, Segment, Word,
};
use super::error::{SyntaxError, SyntaxErrorKind};
use super::instruction::{self, PendingHeredoc};
use super::validate;
use crate::span::{Span, trim_start_ws};
use std::borrow::Cow;
use std::sync::OnceLock;

/// A physical line: `start..content_end` is its text, `content_end..end` its
/// line ending (any trailing `\r` and the `\n`).
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    content_end: usize,
    end: usize,
}

struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// The first line too long for BuildKit's line scanner.
    too_long: Option<Line>,
}

/// BuildKit reads lines with Go's `bufio.Scanner`, whose buffer holds 64 KiB
/// including the line ending.
const MAX_LINE: usize = 64 * 1024;

impl Lines<'_> {
    fn next_line(&mut self) -> Option<Line> {
        let bytes = self.bytes;
        let start = self.pos;
        if start >= bytes.len() {
            return None;
        }
        let newline = find_newline(bytes, start);
        let end = newline.map_or(bytes.len(), |i| i + 1);
        let mut content_end = newline.unwrap_or(bytes.len());
        while content_end > start && bytes[content_end - 1] == b'\r' {
            content_end -= 1;
        }
        self.pos = end;
        let line = Line {
            start,
            content_end,
            end,
        };
        let too_long = if newline.is_some() {
            end - start > MAX_LINE
        } else {
            end - start >= MAX_LINE
        };
        if too_long && self.too_long.is_none() {
            self.too_long = Some(line);
        }
        Some(line)
    }
}

/// Parses a Dockerfile. Never fails: problems are collected in
/// [`Dockerfile::errors`] and parsing resumes with the next instruction.
pub fn parse(source: &str) -> Dockerfile<'_> {
    let mut file = Dockerfile {
        source,
        bom: None,
        directives: Vec::new(),
        escape: '\\',
        instructions: Vec::new(),
        comments: Vec::new(),
        errors: Vec::new(),
        line_index: OnceLock::new(),
    };
    if source.len() > u32::MAX as usize {
        file.errors.push(SyntaxError::new(
            SyntaxErrorKind::FileTooLarge,
            Span::empty(0),
            "file is larger than 4 GiB",
        ));
        return file;
    }
    Parser {
        source,
        file: &mut file,
        directives_done: false,
        segments: Vec::new(),
        may_have_heredocs: instruction::has_double_lt(source.as_bytes()),
    }
    .run();
    file
}

struct Parser<'a, 'f> {
    source: &'a str,
    file: &'f mut Dockerfile<'a>,
    directives_done: bool,
    /// Segments after the first of the logical line being gathered (reused).
    segments: Vec<Segment>,
    /// Whether `<<` occurs anywhere: without it no line can open a heredoc.
    may_have_heredocs: bool,
}

/// The next `\n` at or after `from`. Dockerfile lines are short, so the
/// first bytes are checked eight at a time before handing over to `memchr`.
fn find_newline(bytes: &[u8], from: usize) -> Option<usize> {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const NL: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    let mut at = from;
    let limit = bytes.len().min(from + 128);
    while at + 8 <= limit {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[at..at + 8]);
        let x = u64::from_le_bytes(word) ^ NL;
        // High bit set exactly in the zero bytes of `x`.
        let zero = !(((x & LOW7) + LOW7) | x | LOW7);
        if zero != 0 {
            return Some(at + zero.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    memchr::memchr(b'\n', &bytes[at..]).map(|i| at + i)
}

/// Where the continuation marker of `line` starts, if the line continues.
///
/// BuildKit: the line ends with the escape character, optionally followed by
/// spaces and tabs, and that escape character is either the first character
/// of the line or not itself preceded by an escape character.
fn continuation_at(line: &str, escape: u8) -> Option<usize> {
    let b = line.as_bytes();
    let mut e = b.len();
    while e > 0 && matches!(b[e - 1], b' ' | b'\t') {
        e -= 1;
    }
    if e == 0 || b[e - 1] != escape {
        return None;
    }
    if e == 1 || b[e - 2] != escape {
        Some(e - 1)
    } else {
        None
    }
}

/// Matches BuildKit's directive regex `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`
/// on the text after `#`. Returns the name and value ranges relative to `text`.
fn match_directive(text: &str) -> Option<((usize, usize), (usize, usize))> {
    let b = text.as_bytes();
    let is_space = |c: u8| matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ');
    if !b.first()?.is_ascii_alphabetic() {
        return None;
    }
    let mut i = 1;
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    let name = (0, i);
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    if b.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    let after_eq = i;
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    let value = if i < b.len() {
        let mut end = b.len();
        while end > i && is_space(b[end - 1]) {
            end -= 1;
        }
        (i, end)
    } else if i > after_eq {
        // Only blanks after `=`: the lazy `(.+?)` takes the last one.
        (i - 1, i)
    } else {
        return None;
    };
    Some((name, value))
}

impl<'a> Parser<'a, '_> {
    fn escape_byte(&self) -> u8 {
        self.file.escape as u8
    }

    fn word(&self, start: usize, end: usize) -> Word<'a> {
        Word {
            span: Span::from_usize(start, end),
            text: Cow::Borrowed(&self.source[start..end]),
        }
    }

    fn error(&mut self, error: SyntaxError) {
        self.file.errors.push(error);
    }

    /// BuildKit's `DirectiveParser.ParseLine`, applied to a line whose leading
    /// whitespace is already trimmed. Returns true when the line is a directive.
    fn directive(&mut self, start: usize, end: usize) -> bool {
        if self.directives_done {
            return false;
        }
        let text = &self.source[start..end];
        let Some(after_hash) = text.strip_prefix('#') else {
            self.directives_done = true;
            return false;
        };
        let body = trim_start_ws(after_hash);
        let body_start = end - body.len();
        let Some(((ns, ne), (vs, ve))) = match_directive(body) else {
            self.directives_done = true;
            return false;
        };
        let Some(kind) = DirectiveKind::from_name(&body[ns..ne]) else {
            self.directives_done = true;
            return false;
        };
        let directive = Directive {
            kind,
            span: Span::from_usize(start, end),
            name: self.word(body_start + ns, body_start + ne),
            value: self.word(body_start + vs, body_start + ve),
        };
        if let Some(first) = self.file.directives.iter().find(|d| d.kind == kind) {
            let first_span = first.span;
            self.error(
                SyntaxError::new(
                    SyntaxErrorKind::DuplicateDirective,
                    directive.span,
                    format!("only one {} parser directive can be used", kind.as_str()),
                )
                .with_label(first_span, "first set here"),
            );
        } else if kind == DirectiveKind::Escape {
            match &*directive.value.text {
                "\\" => self.file.escape = '\\',
                "`" => self.file.escape = '`',
                other => {
                    let message = format!("invalid escape token '{other}' does not match ` or \\");
                    self.error(
                        SyntaxError::new(
                            SyntaxErrorKind::InvalidEscape,
                            directive.value.span,
                            message,
                        )
                        .with_help("use `# escape=\\` (the default) or `# escape=``"),
                    );
                }
            }
        }
        self.file.directives.push(directive);
        true
    }

    fn comment(&mut self, start: usize, end: usize, in_continuation: bool) {
        self.file.comments.push(Comment {
            span: Span::from_usize(start, end),
            text: &self.source[start..end],
            in_continuation,
        });
    }

    fn run(&mut self) {
        let source = self.source;
        let mut lines = Lines {
            bytes: source.as_bytes(),
            pos: 0,
            too_long: None,
        };
        self.file.instructions.reserve(source.len() / 80 + 1);
        self.file.comments.reserve(source.len() / 512);
        let mut seen_from = false;
        if source.starts_with('\u{feff}') {
            self.file.bom = Some(Span::new(0, 3));
            lines.pos = 3;
        }

        while let Some(line) = lines.next_line() {
            let raw = &source[line.start..line.content_end];
            let trimmed = trim_start_ws(raw);
            let start = line.content_end - trimmed.len();
            if self.directive(start, line.content_end) {
                continue;
            }
            if trimmed.starts_with('#') {
                self.comment(start, line.content_end, false);
                continue;
            }
            let escape = self.escape_byte();
            let mut continues = continuation_at(trimmed, escape);
            if continues.is_none() && trimmed.is_empty() {
                continue;
            }

            // Gather the logical line.
            let first_end = continues.map_or(line.content_end, |at| start + at);
            let first = Segment {
                logical: 0,
                source: start as u32,
                len: (first_end - start) as u32,
            };
            self.segments.clear();
            let mut logical_len = first_end - start;
            let mut last_end = line.content_end;
            while continues.is_some() {
                let Some(next) = lines.next_line() else {
                    break;
                };
                last_end = next.content_end;
                let text = &source[next.start..next.content_end];
                let trimmed = trim_start_ws(text);
                if trimmed.starts_with('#') {
                    let comment_start = next.content_end - trimmed.len();
                    self.comment(comment_start, next.content_end, true);
                    continue;
                }
                if trimmed.is_empty() {
                    continue;
                }
                continues = continuation_at(text, escape);
                let seg_end = continues.map_or(next.content_end, |at| next.start + at);
                self.segments.push(Segment {
                    logical: logical_len as u32,
                    source: next.start as u32,
                    len: (seg_end - next.start) as u32,
                });
                logical_len += seg_end - next.start;
            }
            let map = LogicalMap::new(first, &self.segments);
            let logical: Cow<'_, str> = if map.is_single() {
                Cow::Borrowed(&source[start..first_end])
            } else {
                let mut joined = String::with_capacity(logical_len);
                for seg in map.segments() {
                    joined.push_str(&source[seg.source as usize..(seg.source + seg.len) as usize]);
                }
                Cow::Owned(joined)
            };

            let (instruction, heredocs) = instruction::parse_line(
                source,
                logical,
                map,
                self.file.escape,
                self.may_have_heredocs,
                &mut self.file.errors,
            );
            let mut end = last_end;
            let heredocs = if heredocs.is_empty() {
                Vec::new()
            } else {
                self.read_heredocs(&mut lines, heredocs, &mut end)
            };
            self.file.instructions.push(instruction);
            let Dockerfile {
                instructions,
                errors,
                ..
            } = &mut *self.file;
            let Some(instruction) = instructions.last_mut() else {
                continue;
            };
            if !heredocs.is_empty() {
                heredoc_target(instruction).heredocs = heredocs;
            }
            finish_spans(instruction, end as u32);
            validate::instruction(instruction, errors);
            match instruction.kind {
                InstructionKind::From => seen_from = true,
                InstructionKind::Arg | InstructionKind::Unknown => {}
                _ if !seen_from => {
                    // Reported once: every later instruction has the same problem.
                    seen_from = true;
                    errors.push(
                        SyntaxError::new(
                            SyntaxErrorKind::NoBuildStage,
                            instruction.keyword.span,
                            "no build stage in current context",
                        )
                        .with_help("only ARG may come before the first FROM"),
                    );
                }
                _ => {}
            }
        }

        if let Some(line) = lines.too_long {
            self.error(SyntaxError::new(
                SyntaxErrorKind::LineTooLong,
                Span::from_usize(line.start, line.content_end),
                format!(
                    "dockerfile line greater than max allowed size of {}",
                    MAX_LINE - 1
                ),
            ));
        }

        if self.file.instructions.is_empty() {
            let end = source.len() as u32;
            self.error(
                SyntaxError::new(
                    SyntaxErrorKind::NoInstructions,
                    Span::empty(end),
                    "file with no instructions",
                )
                .with_help("a Dockerfile needs at least a FROM instruction"),
            );
        }
    }

    /// Reads the bodies of the heredocs opened on an instruction line, in
    /// order, from the lines that follow it.
    fn read_heredocs(
        &mut self,
        lines: &mut Lines<'_>,
        pending: Vec<PendingHeredoc<'a>>,
        end: &mut usize,
    ) -> Vec<Heredoc<'a>> {
        let source = self.source;
        let mut out = Vec::with_capacity(pending.len());
        let mut reported = false;
        for doc in pending {
            let body_start = lines.pos.min(source.len());
            let mut terminator = None;
            let mut body_end = body_start;
            while let Some(line) = lines.next_line() {
                let text = &source[line.start..line.content_end];
                let candidate = if doc.chomp {
                    text.trim_start_matches('\t')
                } else {
                    text
                };
                if candidate == doc.name {
                    terminator = Some(Span::from_usize(line.start, line.content_end));
                    *end = line.content_end;
                    break;
                }
                body_end = line.end;
            }
            if terminator.is_none() {
                *end = source.len();
                if !reported {
                    reported = true;
                    self.error(
                        SyntaxError::new(
                            SyntaxErrorKind::UnterminatedHeredoc,
                            doc.opener.span,
                            "unterminated heredoc",
                        )
                        .with_help(format!(
                            "end the heredoc with a line that is exactly `{}`",
                            doc.name
                        )),
                    );
                }
            }
            out.push(Heredoc {
                opener: doc.opener,
                name: doc.name,
                fd: doc.fd,
                chomp: doc.chomp,
                expand: doc.expand,
                body: Span::from_usize(body_start, body_end),
                content: &source[body_start..body_end],
                terminator,
            });
        }
        out
    }
}

/// Heredocs belong to the instruction that runs them: an ONBUILD's trigger.
fn heredoc_target<'i, 'a>(instruction: &'i mut Instruction<'a>) -> &'i mut Instruction<'a> {
    match instruction.args {
        super::ast::Arguments::Onbuild(ref mut inner) => inner,
        _ => instruction,
    }
}

fn finish_spans(instruction: &mut Instruction<'_>, end: u32) {
    instruction.span = Span::new(instruction.keyword.span.start, end);
    if let super::ast::Arguments::Onbuild(inner) = &mut instruction.args {
        finish_spans(inner, end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_rule() {
        assert_eq!(continuation_at("RUN a \\", b'\\'), Some(6));
        assert_eq!(continuation_at("RUN a \\  \t", b'\\'), Some(6));
        assert_eq!(continuation_at("\\", b'\\'), Some(0));
        assert_eq!(continuation_at("RUN a \\\\", b'\\'), None);
        assert_eq!(
            continuation_at("ENV C trailing\\\\backslash\\\\", b'\\'),
            None
        );
        assert_eq!(continuation_at("RUN a `", b'`'), Some(6));
        assert_eq!(continuation_at("RUN a \\", b'`'), None);
        assert_eq!(continuation_at("", b'\\'), None);
    }

    #[test]
    fn directive_regex() {
        fn m(s: &str) -> Option<(&str, &str)> {
            match_directive(s).map(|((a, b), (c, d))| (&s[a..b], &s[c..d]))
        }
        assert_eq!(
            m("syntax=docker/dockerfile:1"),
            Some(("syntax", "docker/dockerfile:1"))
        );
        assert_eq!(m("escape = `  "), Some(("escape", "`")));
        assert_eq!(m("escape=   "), Some(("escape", " ")));
        assert_eq!(m("escape="), None);
        assert_eq!(m("Comment here. Should"), None);
        assert_eq!(m("1x=y"), None);
    }
}
