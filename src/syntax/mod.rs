//! Dockerfile source → lossless, error-tolerant syntax tree.
//!
//! The parser follows BuildKit's reading of a Dockerfile rule for rule
//! (directives, continuations, comments inside continuations, JSON-or-shell,
//! flags, heredocs, ONBUILD, HEALTHCHECK) and reports everything BuildKit
//! would reject as a [`SyntaxError`] with a span, then carries on with the
//! next instruction. It never panics and runs in time linear in the input.
//!
//! Every byte of the source belongs to exactly one [`Token`]; see
//! [`tokens`]. Concatenating the tokens gives back the source.

mod ast;
mod buildkit;
mod error;
mod instruction;
mod json;
mod lex;
mod parser;
mod source;

mod tokens;
mod validate;

pub use crate::span::{LineCol, LineIndex, Span};
pub use ast::{
    ArgDecl, Arguments, Comment, Directive, DirectiveKind, Dockerfile, ExecForm, Flag, Healthcheck,
    Heredoc, Instruction, InstructionKind, KeyValue, LogicalMap, Segment, Trivia, TriviaKind, Word,
};
pub use buildkit::{dump as dump_buildkit, dump_instruction as dump_buildkit_instruction};
pub use error::{Label, SyntaxError, SyntaxErrorKind};
pub use parser::parse;
pub use source::{Decoded, decode};
pub use tokens::{Token, TokenKind, tokens};
pub use validate::mount_fields;
