//! Command-line interface: argument definitions and dispatch to subcommands.
//!
//! Exit codes: 0 clean, 1 problems found, 2 usage or I/O error.

mod debug;
mod input;

use clap::{Parser, Subcommand, ValueEnum};

/// Exit code: nothing to report.
pub const EXIT_OK: u8 = 0;
/// Exit code: problems found (findings, syntax errors).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage, configuration or I/O error.
pub const EXIT_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "shipshape",
    version,
    about = "A Dockerfile linter",
    max_term_width = 100
)]
pub struct Cli {
    /// When to use colours in diagnostics.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour when writing to a terminal and `NO_COLOR` is unset.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Inspect how shipshape reads a Dockerfile.
    #[command(subcommand)]
    Debug(DebugCommand),
}

#[derive(Debug, Subcommand)]
pub enum DebugCommand {
    /// Print the syntax tree of a Dockerfile (`-` reads stdin).
    ///
    /// Syntax errors go to stderr. Exit code 0 when there are none, 1 when
    /// there are some, 2 when the file can't be read.
    Ast {
        /// Output format.
        #[arg(long, value_enum, default_value_t = AstFormat::Tree)]
        format: AstFormat,
        /// The Dockerfile, or `-` for stdin.
        path: String,
    },
    /// Print the lossless token stream of a Dockerfile (`-` reads stdin).
    Tokens {
        /// The Dockerfile, or `-` for stdin.
        path: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AstFormat {
    /// An indented tree with positions.
    Tree,
    /// The tree as JSON, byte spans as `[start, end]`.
    Json,
    /// BuildKit's S-expression dump, one line per instruction.
    Buildkit,
}

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Debug(DebugCommand::Ast { format, path }) => debug::ast(&path, format, cli.color),
        Command::Debug(DebugCommand::Tokens { path }) => debug::tokens(&path, cli.color),
    }
}
