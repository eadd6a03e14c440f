//! shipshape: a Dockerfile linter.
//!
//! The pipeline runs one way: source text → [`syntax`] (lossless tree) →
//! model → rules → diagnostics → report. This crate is both the library and
//! the `shipshape` binary; its front door is [`Linter`], which every front
//! end (the command line, the fixer, an editor server) lints through.

pub mod cli;
pub mod config;
pub mod detect;
pub mod diagnostic;
mod files;
pub mod fix;
pub mod lint;
pub mod linter;
pub mod model;
pub mod redact;
pub mod report;
pub mod rules;
pub mod shell;
pub mod span;
pub mod suppress;
pub mod syntax;

pub use linter::{LintOptions, Linter, SettingsFiles};
