//! The lossless token stream: every byte of the source in exactly one token.
//!
//! Tokens come from the tree (keywords, flags, words, heredocs, comments,
//! directives, continuation markers); what lies between them must be
//! whitespace or line endings. Anything else would be a byte the parser did
//! not account for, and shows up as [`TokenKind::Unknown`]; the corpus tests
//! assert there is none.

use super::ast::{Arguments, Dockerfile, Instruction, TriviaKind};
use crate::span::Span;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    Bom,
    Directive,
    Comment,
    /// Blanks (spaces, tabs, other Unicode whitespace) within a line.
    Whitespace,
    /// A line ending: `\n`, possibly preceded by `\r`s.
    Newline,
    /// The escape character ending a continued line, with blanks after it.
    LineContinuation,
    Keyword,
    Flag,
    /// An argument, key, value, JSON string or shell text.
    Word,
    /// `=` between key and value, JSON `[`, `,`, `]`, and the `--` ending flags.
    Punct,
    HeredocBody,
    HeredocEnd,
    /// Bytes the tree does not account for (never produced for valid trees).
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// The tokens of `file`, in source order, covering the source exactly.
pub fn tokens(file: &Dockerfile<'_>) -> Vec<Token> {
    let mut items: Vec<Token> = Vec::with_capacity(file.instructions.len() * 8 + 16);
    let mut push = |kind, span: Span| {
        if !span.is_empty() {
            items.push(Token { kind, span });
        }
    };
    if let Some(bom) = file.bom {
        push(TokenKind::Bom, bom);
    }
    for d in &file.directives {
        push(TokenKind::Directive, d.span);
    }
    for c in &file.comments {
        push(TokenKind::Comment, c.span);
    }
    for t in file.trivia() {
        if t.kind == TriviaKind::LineContinuation {
            push(TokenKind::LineContinuation, t.span);
        }
    }
    for inst in &file.instructions {
        instruction_tokens(file.source, inst, &mut push);
    }
    items.sort_by_key(|t| (t.span.start, t.span.end));
    fill(file.source, items)
}

fn instruction_tokens(
    source: &str,
    inst: &Instruction<'_>,
    push: &mut impl FnMut(TokenKind, Span),
) {
    let segments: Vec<Span> = inst
        .map
        .segments()
        .map(|s| Span::new(s.source, s.source + s.len))
        .collect();
    // A span from the logical line may cross continuations: keep only the
    // parts that lie on segments (the rest is trivia, tokenised separately).
    let mut emit = |kind, span: Span| {
        if segments.len() == 1 {
            push(kind, span);
            return;
        }
        let first = segments.partition_point(|s| s.end <= span.start);
        for seg in &segments[first..] {
            if seg.start >= span.end {
                break;
            }
            push(
                kind,
                Span::new(seg.start.max(span.start), seg.end.min(span.end)),
            );
        }
    };
    semantic(source, inst, &mut emit);
    for doc in &inst.heredocs {
        push(TokenKind::HeredocBody, doc.body);
        if let Some(t) = doc.terminator {
            push(TokenKind::HeredocEnd, t);
        }
    }
    if let Arguments::Onbuild(inner) = &inst.args {
        for doc in &inner.heredocs {
            push(TokenKind::HeredocBody, doc.body);
            if let Some(t) = doc.terminator {
                push(TokenKind::HeredocEnd, t);
            }
        }
    }
}

fn semantic(source: &str, inst: &Instruction<'_>, emit: &mut impl FnMut(TokenKind, Span)) {
    emit(TokenKind::Keyword, inst.keyword.span);
    for flag in &inst.flags {
        emit(TokenKind::Flag, flag.span);
    }
    if let Some(t) = inst.flag_terminator {
        emit(TokenKind::Punct, t);
    }
    arguments(source, &inst.args, emit);
}

fn arguments(source: &str, args: &Arguments<'_>, emit: &mut impl FnMut(TokenKind, Span)) {
    match args {
        Arguments::Empty => {}
        Arguments::Exec(e) => {
            let mut at = e.span.start;
            for el in &e.elements {
                punct_between(source, at, el.span.start, emit);
                emit(TokenKind::Word, el.span);
                at = el.span.end;
            }
            punct_between(source, at, e.span.end, emit);
        }
        Arguments::Shell(w) => emit(TokenKind::Word, w.span),
        Arguments::List(ws) => ws.iter().for_each(|w| emit(TokenKind::Word, w.span)),
        Arguments::KeyValues(pairs) => {
            for p in pairs {
                emit(TokenKind::Word, p.key.span);
                if let Some(eq) = p.equals {
                    emit(TokenKind::Punct, eq);
                }
                if let Some(v) = &p.value {
                    emit(TokenKind::Word, v.span);
                }
            }
        }
        Arguments::ArgDecls(decls) => {
            for d in decls {
                emit(TokenKind::Word, d.name.span);
                if let Some(eq) = d.equals {
                    emit(TokenKind::Punct, eq);
                }
                if let Some(v) = &d.default {
                    emit(TokenKind::Word, v.span);
                }
            }
        }
        Arguments::Healthcheck(h) => {
            emit(TokenKind::Word, h.kind.span);
            arguments(source, &h.command, emit);
        }
        Arguments::Onbuild(inner) => semantic(source, inner, emit),
    }
}

/// JSON punctuation between exec-form elements: one token per `[`, `,`, `]`.
fn punct_between(source: &str, from: u32, to: u32, emit: &mut impl FnMut(TokenKind, Span)) {
    let bytes = source.as_bytes();
    for i in from..to {
        if matches!(bytes.get(i as usize), Some(b'[' | b']' | b',')) {
            emit(TokenKind::Punct, Span::new(i, i + 1));
        }
    }
}

/// Orders tokens and fills the gaps between them with whitespace, newline
/// and (should the tree miss something) unknown tokens.
fn fill(source: &str, items: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::with_capacity(items.len() * 2);
    let mut at = 0u32;
    for item in items {
        if item.span.start < at {
            // Overlap: the tree claimed these bytes twice.
            if item.span.end > at {
                out.push(Token {
                    kind: TokenKind::Unknown,
                    span: Span::new(at, item.span.end),
                });
                at = item.span.end;
            }
            continue;
        }
        gap(source, at, item.span.start, &mut out);
        out.push(item);
        at = item.span.end;
    }
    gap(source, at, source.len() as u32, &mut out);
    out
}

fn gap(source: &str, from: u32, to: u32, out: &mut Vec<Token>) {
    let text = &source[from as usize..to as usize];
    let mut run_start = from;
    let mut run_kind: Option<TokenKind> = None;
    for (i, c) in text.char_indices() {
        let at = from + i as u32;
        let kind = match c {
            '\n' => TokenKind::Newline,
            '\r' if text[i..].trim_start_matches('\r').starts_with('\n') => TokenKind::Newline,
            c if c.is_whitespace() => TokenKind::Whitespace,
            _ => TokenKind::Unknown,
        };
        if run_kind != Some(kind)
            || kind == TokenKind::Newline && run_ends_line(source, run_start, at)
        {
            if let Some(k) = run_kind {
                out.push(Token {
                    kind: k,
                    span: Span::new(run_start, at),
                });
            }
            run_start = at;
            run_kind = Some(kind);
        }
    }
    if let Some(k) = run_kind {
        out.push(Token {
            kind: k,
            span: Span::new(run_start, to),
        });
    }
}

/// Whether the newline run that started at `start` already holds a `\n`
/// before `at` (each line ending is its own token).
fn run_ends_line(source: &str, start: u32, at: u32) -> bool {
    source.as_bytes()[start as usize..at as usize].contains(&b'\n')
}
