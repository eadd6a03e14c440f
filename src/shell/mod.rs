//! Shell text (RUN bodies, heredoc scripts, CMD and ENTRYPOINT) → simple
//! commands: the command word, its arguments and flags, the operators
//! between commands, with wrappers (`sudo`, `env`, `nice`, `xargs`, ...)
//! seen through and every word's byte span mapped back to the Dockerfile.
//!
//! This is a word-level splitter, not a shell interpreter: compound
//! commands (`if`, `for`, `case`, `{ }`, subshells) are flattened into the
//! simple commands they contain, and `$(...)`, backticks and `sh -c '...'`
//! are split as nested scripts.

mod lexer;
mod script;

pub use lexer::{LexError, OpKind};
pub use script::{Origin, Script, ShellError, is_posix_shell, scripts_of, split};

use crate::syntax::Span;
use serde::Serialize;

/// How a command is joined to its neighbour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Start or end of a list.
    None,
    And,
    Or,
    /// `;` or a newline.
    Seq,
    Pipe,
    Background,
}

/// A word of a command: `text` is what it says once quotes are removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShellWord {
    pub text: String,
    pub span: Span,
    pub quoted: bool,
}

/// A simple command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Command {
    /// The command word (after assignments and wrappers).
    pub name: ShellWord,
    pub args: Vec<ShellWord>,
    /// `NAME=value` words before the command.
    pub assignments: Vec<ShellWord>,
    /// Wrapper commands around it, outermost first (`sudo`, `env`, ...).
    pub wrappers: Vec<ShellWord>,
    /// Heredoc delimiters this command reads (`cat <<EOF`).
    pub heredocs: Vec<String>,
    pub op_before: Op,
    pub op_after: Op,
    /// Commands of one pipeline share this number.
    pub pipeline: u32,
    /// Inside `$(...)`, backticks or `sh -c '...'`.
    pub nested: bool,
    /// From the first word (wrappers and assignments included) to the last.
    pub span: Span,
}

impl Command {
    /// The command's base name: `apt-get` for `/usr/bin/apt-get`.
    pub fn name(&self) -> &str {
        base_name(&self.name.text)
    }

    /// Whether a wrapper named `name` runs this command (`sudo`).
    pub fn wrapped_by(&self, name: &str) -> bool {
        self.wrappers.iter().any(|w| base_name(&w.text) == name)
    }

    /// Arguments before a `--` that ends options.
    pub fn options(&self) -> impl Iterator<Item = &ShellWord> {
        self.args.iter().take_while(|a| a.text != "--")
    }

    /// Whether a flag is given: `-y` also matches bundled short flags
    /// (`-qy`); `--yes` also matches `--yes=value`.
    pub fn has_flag(&self, flag: &str) -> bool {
        self.options().any(|a| flag_matches(&a.text, flag))
    }

    /// The word giving `flag`, if any.
    pub fn flag_word(&self, flag: &str) -> Option<&ShellWord> {
        self.options().find(|a| flag_matches(&a.text, flag))
    }

    /// The value of `--flag=value`, `--flag value`, `-f value` or `-fvalue`.
    pub fn flag_value(&self, flag: &str) -> Option<&str> {
        let mut it = self.args.iter().peekable();
        while let Some(a) = it.next() {
            let t = a.text.as_str();
            if t == "--" {
                return None;
            }
            if t == flag {
                return it.peek().map(|n| n.text.as_str());
            }
            if let Some(v) = t.strip_prefix(flag) {
                if flag.starts_with("--") {
                    if let Some(v) = v.strip_prefix('=') {
                        return Some(v);
                    }
                } else if flag.len() == 2 && !v.is_empty() {
                    return Some(v);
                }
            }
        }
        None
    }

    /// Arguments that are not options (nor after-`--` options).
    pub fn positionals(&self) -> impl Iterator<Item = &ShellWord> {
        let mut after_dashes = false;
        self.args.iter().filter(move |a| {
            if after_dashes {
                return true;
            }
            if a.text == "--" {
                after_dashes = true;
                return false;
            }
            !(a.text.starts_with('-') && a.text.len() > 1)
        })
    }

    /// The first positional argument (`install` in `apt-get -y install x`).
    pub fn subcommand(&self) -> Option<&ShellWord> {
        self.positionals().next()
    }
}

/// `/usr/bin/apt-get` → `apt-get`.
pub fn base_name(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

fn flag_matches(arg: &str, flag: &str) -> bool {
    if let Some(long) = flag.strip_prefix("--") {
        return arg.strip_prefix("--").is_some_and(|a| {
            a == long
                || a.strip_prefix(long)
                    .is_some_and(|rest| rest.starts_with('='))
        });
    }
    match (flag.strip_prefix('-'), arg.strip_prefix('-')) {
        (Some(f), Some(a)) if f.len() == 1 && !a.starts_with('-') => {
            // A bundle of short flags: `-yq`; numbers (`-1`) are not flags.
            a == f || (a.len() > 1 && a.bytes().all(|c| c.is_ascii_alphabetic()) && a.contains(f))
        }
        (Some(f), Some(a)) => a == f,
        _ => arg == flag,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags() {
        assert!(flag_matches("-y", "-y"));
        assert!(flag_matches("-qy", "-y"));
        assert!(!flag_matches("-1", "-y"));
        assert!(flag_matches("--yes", "--yes"));
        assert!(flag_matches("--yes=1", "--yes"));
        assert!(!flag_matches("--yesterday", "--yes"));
        assert!(!flag_matches("--quiet", "-q"));
        assert!(flag_matches("-it", "-t"));
    }
}
