//! Shell text (RUN bodies, heredoc scripts, CMD and ENTRYPOINT) → simple
//! commands: the command word, its arguments and flags, the operators
//! between commands, with wrappers (`sudo`, `env`, `nice`, `xargs`, ...)
//! seen through and every word's byte span mapped back to the Dockerfile.
//!
//! This is a word-level splitter, not a shell interpreter: compound
//! commands (`if`, `for`, `case`, `{ }`, subshells) are flattened into the
//! simple commands they contain, and `$(...)`, backticks and `sh -c '...'`
//! are split as nested scripts.

mod flags;
mod lexer;
mod script;
mod windows;

pub use flags::{FlagTable, FlagValue, GivenFlag, Reading};
pub use lexer::{LexError, OpKind};
pub use script::{Origin, Script, ShellError, scripts_of, split};
pub use windows::split_windows;

/// Which shell reads a script.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// `sh -c` or another POSIX shell: split in full.
    #[default]
    Posix,
    /// cmd.exe: split into words and commands only.
    Cmd,
    /// PowerShell: split into words and commands only.
    PowerShell,
    /// Another program set by SHELL: not split.
    Other,
}

/// The programs that read a script, by the name they are run as: the one
/// list that SHELL instructions, `sh -c` and shebangs are judged by.
const SHELLS: &[(&str, Dialect)] = &[
    ("sh", Dialect::Posix),
    ("bash", Dialect::Posix),
    ("ash", Dialect::Posix),
    ("dash", Dialect::Posix),
    ("zsh", Dialect::Posix),
    ("ksh", Dialect::Posix),
    ("mksh", Dialect::Posix),
    ("powershell", Dialect::PowerShell),
    ("pwsh", Dialect::PowerShell),
    ("cmd", Dialect::Cmd),
];

impl Dialect {
    /// The dialect of the program a SHELL instruction names: a path or a
    /// bare name, in any case, with or without `.exe`. `busybox` runs its
    /// own POSIX shell (`SHELL ["busybox", "sh", "-c"]`).
    pub fn of_executable(exe: &str) -> Dialect {
        let base = exe
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(exe)
            .to_ascii_lowercase();
        let base = base.strip_suffix(".exe").unwrap_or(&base);
        if base == "busybox" {
            return Dialect::Posix;
        }
        SHELLS
            .iter()
            .find(|(name, _)| *name == base)
            .map_or(Dialect::Other, |&(_, d)| d)
    }
}

/// Whether a command word names a POSIX shell, whose `-c` argument is
/// itself a script.
pub fn is_posix_shell(name: &str) -> bool {
    let base = base_name(name);
    SHELLS
        .iter()
        .any(|&(n, d)| n == base && d == Dialect::Posix)
}

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
    /// Files its standard output is redirected to (`> run.sh`, `>> f`).
    pub writes: Vec<String>,
    pub op_before: Op,
    pub op_after: Op,
    /// Commands of one pipeline share this number.
    pub pipeline: u32,
    /// Inside `$(...)`, backticks or `sh -c '...'`.
    pub nested: bool,
    /// From the first word (wrappers and assignments included) to the last.
    pub span: Span,
    /// Its reading by the flag tables of the rule data, once made.
    #[serde(skip)]
    pub reading: flags::ReadingCell,
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

/// Text a command writes, put together from its words (`printf FORMAT
/// ARGS...` with the arguments substituted), and where each piece of it
/// comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub text: String,
    /// `(offset in text, span of the word it comes from)`, by offset.
    pub pieces: Vec<(u32, Span)>,
}

/// Longest output put together for one command.
const MAX_OUTPUT: usize = 64 * 1024;

impl Command {
    /// What `printf FORMAT ARGS...` writes, when its format substitutes
    /// arguments (`%s`, `%b`, `%d`, ...; the format repeats while arguments
    /// remain). `None` for other commands and formats without conversions,
    /// whose text is already in the script as written.
    pub fn printf_output(&self) -> Option<Output> {
        if self.name() != "printf" {
            return None;
        }
        let mut args = self.args.iter().peekable();
        while let Some(a) = args.peek() {
            match a.text.as_str() {
                "-v" => {
                    args.next();
                    args.next();
                }
                "--" => {
                    args.next();
                    break;
                }
                _ => break,
            }
        }
        let format = args.next()?;
        let rest: Vec<&ShellWord> = args.collect();
        if !format.text.contains('%') || rest.is_empty() {
            return None;
        }
        let mut out = Output {
            text: String::new(),
            pieces: Vec::new(),
        };
        let mut next_arg = 0;
        loop {
            let consumed = format_once(&format.text, format.span, &rest, &mut next_arg, &mut out);
            if !consumed || next_arg >= rest.len() || out.text.len() > MAX_OUTPUT {
                break;
            }
        }
        Some(out)
    }
}

impl Command {
    /// The words `echo` prints (after its `-n`/`-e`/`-E` options), or the
    /// format of `printf` (after `-v VAR` and `--`); `None` for other
    /// commands and when nothing is printed.
    pub fn printed_words(&self) -> Option<Vec<&ShellWord>> {
        match self.name() {
            "echo" => {
                let words: Vec<&ShellWord> = self
                    .args
                    .iter()
                    .skip_while(|a| {
                        a.text.len() > 1
                            && a.text.starts_with('-')
                            && a.text[1..].bytes().all(|c| matches!(c, b'n' | b'e' | b'E'))
                    })
                    .collect();
                (!words.is_empty()).then_some(words)
            }
            "printf" => {
                let mut args = self.args.iter();
                let mut format = args.next()?;
                loop {
                    match format.text.as_str() {
                        "-v" => {
                            args.next();
                            format = args.next()?;
                        }
                        "--" => format = args.next()?,
                        _ => break,
                    }
                }
                Some(vec![format])
            }
            _ => None,
        }
    }

    /// What `echo` or `printf` prints, escapes such as `\n` applied (as
    /// dash's `echo` and every `printf` do), and where each piece of it
    /// comes from. `None` for other commands.
    pub fn printed(&self) -> Option<Output> {
        if let Some(out) = self.printf_output() {
            return Some(out);
        }
        let words = self.printed_words()?;
        let mut out = Output {
            text: String::new(),
            pieces: Vec::with_capacity(words.len()),
        };
        if self.name() == "printf" {
            format_once(&words[0].text, words[0].span, &[], &mut 0, &mut out);
            return Some(out);
        }
        for w in words {
            if !out.text.is_empty() {
                out.text.push(' ');
            }
            out.pieces.push((out.text.len() as u32, w.span));
            push_unescaped(&mut out.text, &w.text);
            if out.text.len() > MAX_OUTPUT {
                break;
            }
        }
        Some(out)
    }
}

/// `text` with `\n`, `\t` and `\\` escapes applied.
fn push_unescaped(out: &mut String, text: &str) {
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
}

/// Appends one pass of `format`; whether it consumed an argument.
fn format_once(
    format: &str,
    format_span: Span,
    args: &[&ShellWord],
    next_arg: &mut usize,
    out: &mut Output,
) -> bool {
    let mut consumed = false;
    let mut in_format = false;
    let literal = |out: &mut Output, in_format: &mut bool, c: char| {
        if !*in_format {
            out.pieces.push((out.text.len() as u32, format_span));
            *in_format = true;
        }
        out.text.push(c);
    };
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let e = match chars.next() {
                    Some('n') => '\n',
                    Some('t') => '\t',
                    Some('r') => '\r',
                    Some(other) => other,
                    None => '\\',
                };
                literal(out, &mut in_format, e);
            }
            '%' if chars.peek() == Some(&'%') => {
                chars.next();
                literal(out, &mut in_format, '%');
            }
            '%' => {
                // Flags, width and precision, then the conversion.
                while chars
                    .peek()
                    .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | ' ' | '#' | '.'))
                {
                    chars.next();
                }
                let Some(conv) = chars.next() else { break };
                if !matches!(
                    conv,
                    's' | 'b' | 'd' | 'i' | 'u' | 'x' | 'X' | 'o' | 'q' | 'c' | 'f' | 'g' | 'e'
                ) {
                    continue;
                }
                in_format = false;
                consumed = true;
                if let Some(a) = args.get(*next_arg) {
                    out.pieces.push((out.text.len() as u32, a.span));
                    out.text.push_str(&a.text);
                }
                *next_arg += 1;
            }
            c => literal(out, &mut in_format, c),
        }
    }
    consumed
}

/// `/usr/bin/apt-get` → `apt-get`.
pub fn base_name(word: &str) -> &str {
    match memchr::memrchr(b'/', word.as_bytes()) {
        Some(i) => &word[i + 1..],
        None => word,
    }
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
    fn printf_output() {
        let text =
            r"printf 'machine %s\nlogin ci\npassword %s\n' git.example.com 's3cr3t' > ~/.netrc";
        let script = split(text, Origin::Source { base: 0 });
        let out = script.commands[0].printf_output().unwrap();
        assert_eq!(
            out.text,
            "machine git.example.com\nlogin ci\npassword s3cr3t\n"
        );
        let origin = Origin::Pieces {
            pieces: &out.pieces,
            base: 0,
        };
        let at = out.text.find("s3cr3t").unwrap();
        assert_eq!(origin.span(at, at + 6).text(text), "'s3cr3t'");
        // The format repeats for the remaining arguments.
        let script = split("printf '%s=%s;' a 1 b 2", Origin::Source { base: 0 });
        assert_eq!(script.commands[0].printf_output().unwrap().text, "a=1;b=2;");
        let script = split("printf 'no conversions\n'", Origin::Source { base: 0 });
        assert_eq!(script.commands[0].printf_output(), None);
    }

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
