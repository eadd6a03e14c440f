//! Tokens → simple commands, and Dockerfile instructions → the scripts
//! they run.

use super::lexer::{HeredocBody, LexError, Lexer, OpKind, Token};
use super::windows::split_windows;
use super::{Command, Dialect, Op, ShellWord, base_name, is_posix_shell};
use crate::syntax::{Arguments, Instruction, InstructionKind, LogicalMap, Span, Word};
use serde::Serialize;

/// Where a script's text comes from, to map its offsets to source spans.
#[derive(Clone, Copy, Debug)]
pub enum Origin<'m> {
    /// An instruction's logical line, from logical offset `base`.
    Logical { map: &'m LogicalMap, base: u32 },
    /// Verbatim source text starting at `base` (heredoc bodies).
    Source { base: u32 },
    /// Text that does not map byte for byte (a decoded JSON string): every
    /// offset maps to this span.
    Fixed(Span),
    /// Text put together from several places (what `printf` writes): from
    /// each piece's text offset on, offsets map to the piece's span.
    Pieces {
        pieces: &'m [(u32, Span)],
        base: u32,
    },
}

impl Origin<'_> {
    /// The source span of `start..end` in the script's text.
    pub fn span(&self, start: usize, end: usize) -> Span {
        match *self {
            Origin::Logical { map, base } => map.span(base + start as u32, base + end as u32),
            Origin::Source { base } => Span::new(base + start as u32, base + end as u32),
            Origin::Fixed(span) => span,
            Origin::Pieces { pieces, base } => {
                let at = |offset: u32| {
                    let i = pieces.partition_point(|(o, _)| *o <= offset);
                    pieces.get(i.saturating_sub(1)).map(|(_, s)| *s)
                };
                let start = base + start as u32;
                let end = (base + end as u32).max(start + 1) - 1;
                match (at(start), at(end)) {
                    (Some(a), Some(b)) => a.cover(b),
                    (Some(a), None) | (None, Some(a)) => a,
                    (None, None) => Span::empty(0),
                }
            }
        }
    }

    fn shifted(&self, by: usize) -> Self {
        match *self {
            Origin::Logical { map, base } => Origin::Logical {
                map,
                base: base + by as u32,
            },
            Origin::Source { base } => Origin::Source {
                base: base + by as u32,
            },
            Origin::Fixed(span) => Origin::Fixed(span),
            Origin::Pieces { pieces, base } => Origin::Pieces {
                pieces,
                base: base + by as u32,
            },
        }
    }
}

/// The simple commands of one script.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Script {
    pub commands: Vec<Command>,
    /// The first thing the splitter could not read (an open quote, an
    /// unterminated `$(`); commands are still extracted around it.
    pub error: Option<ShellError>,
    /// Whether this script is a heredoc body.
    pub heredoc: bool,
    /// Whether this script is a file written from a heredoc (by COPY or
    /// ADD, or by `cat > file <<EOF` in a script): it runs later, if at
    /// all, rather than during the build step.
    pub file: bool,
    /// Whether this script is what `echo` or `printf` write to a file: its
    /// text is also read as those commands' output.
    pub printed: bool,
    pub dialect: Dialect,
    /// Shell scripts this script writes to files (`cat > run.sh <<EOF`);
    /// [`scripts_of`] lists them as scripts of their own.
    pub written: Vec<Script>,
    /// `NAME=value` words that stand alone, with no command after them
    /// (`TOKEN=abc; curl ...`): they set shell variables.
    pub assignments: Vec<ShellWord>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShellError {
    pub message: &'static str,
    pub span: Span,
}

/// Nesting limit for `sh -c` inside `$(...)` inside ...
const MAX_NESTING: usize = 16;

/// Words that start or end compound commands.
const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "select", "case",
    "esac", "in", "{", "}", "!", "[[", "]]", "function",
];

/// Commands that run another command given after their own options.
struct Wrapper {
    name: &'static str,
    /// Short options that take a value (`-u root`).
    value_opts: &'static [&'static str],
    /// Long options that take a value (`--user root` or `--user=root`).
    long_value_opts: &'static [&'static str],
    /// Positional arguments before the command (`timeout 10 cmd`).
    positionals: usize,
    /// Whether `NAME=value` words may come before the command (`env`).
    assignments: bool,
}

const WRAPPERS: &[Wrapper] = &[
    Wrapper {
        name: "sudo",
        value_opts: &[
            "-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "-T", "-c",
        ],
        long_value_opts: &[
            "--user",
            "--group",
            "--host",
            "--prompt",
            "--close-from",
            "--chdir",
            "--role",
            "--type",
            "--other-user",
            "--command-timeout",
        ],
        positionals: 0,
        assignments: true,
    },
    Wrapper {
        name: "doas",
        value_opts: &["-u", "-C"],
        long_value_opts: &[],
        positionals: 0,
        assignments: false,
    },
    Wrapper {
        name: "env",
        value_opts: &["-u", "-C", "-S"],
        long_value_opts: &["--unset", "--chdir", "--split-string"],
        positionals: 0,
        assignments: true,
    },
    Wrapper {
        name: "nice",
        value_opts: &["-n"],
        long_value_opts: &["--adjustment"],
        positionals: 0,
        assignments: false,
    },
    Wrapper {
        name: "ionice",
        value_opts: &["-c", "-n", "-p", "-P", "-u"],
        long_value_opts: &["--class", "--classdata"],
        positionals: 0,
        assignments: false,
    },
    Wrapper {
        name: "nohup",
        value_opts: &[],
        long_value_opts: &[],
        positionals: 0,
        assignments: false,
    },
    Wrapper {
        name: "time",
        value_opts: &["-f", "-o"],
        long_value_opts: &["--format", "--output"],
        positionals: 0,
        assignments: false,
    },
    Wrapper {
        name: "exec",
        value_opts: &["-a"],
        long_value_opts: &[],
        positionals: 0,
        assignments: false,
    },
    Wrapper {
        name: "command",
        value_opts: &[],
        long_value_opts: &[],
        positionals: 0,
        assignments: false,
    },
    Wrapper {
        name: "builtin",
        value_opts: &[],
        long_value_opts: &[],
        positionals: 0,
        assignments: false,
    },
    Wrapper {
        name: "stdbuf",
        value_opts: &["-i", "-o", "-e"],
        long_value_opts: &["--input", "--output", "--error"],
        positionals: 0,
        assignments: false,
    },
    Wrapper {
        name: "timeout",
        value_opts: &["-s", "-k"],
        long_value_opts: &["--signal", "--kill-after"],
        positionals: 1,
        assignments: false,
    },
    Wrapper {
        name: "chroot",
        value_opts: &[],
        long_value_opts: &["--userspec", "--groups"],
        positionals: 1,
        assignments: false,
    },
    Wrapper {
        name: "xargs",
        value_opts: &[
            "-I", "-n", "-P", "-d", "-E", "-L", "-s", "-a", "-e", "-l", "-i",
        ],
        long_value_opts: &[
            "--max-args",
            "--max-procs",
            "--delimiter",
            "--eof",
            "--max-lines",
            "--max-chars",
            "--arg-file",
            "--replace",
        ],
        positionals: 0,
        assignments: false,
    },
    Wrapper {
        name: "gosu",
        value_opts: &[],
        long_value_opts: &[],
        positionals: 1,
        assignments: false,
    },
    Wrapper {
        name: "su-exec",
        value_opts: &[],
        long_value_opts: &[],
        positionals: 1,
        assignments: false,
    },
    Wrapper {
        name: "setuidgid",
        value_opts: &[],
        long_value_opts: &[],
        positionals: 1,
        assignments: false,
    },
];

fn is_assignment(word: &str) -> bool {
    let Some((name, _)) = word.split_once('=') else {
        return false;
    };
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// Splits shell `text` into its simple commands.
pub fn split(text: &str, origin: Origin<'_>) -> Script {
    let mut script = Script::default();
    split_into(text, origin, false, 0, &mut script);
    script
}

fn split_into(text: &str, origin: Origin<'_>, nested: bool, depth: usize, out: &mut Script) {
    let (mut tokens, error, bodies) = Lexer::new(text).tokens_and_bodies();
    if let Some(LexError { message, at }) = error
        && out.error.is_none()
    {
        out.error = Some(ShellError {
            message,
            span: origin.span(at, (at + 1).min(text.len())),
        });
    }

    #[derive(PartialEq)]
    enum Mode {
        Normal,
        SkipUntilDo,
        CaseHead,
        CasePattern,
    }
    let mut mode = Mode::Normal;
    // Token indices of the words of the command being gathered.
    let mut current: Vec<usize> = Vec::new();
    let mut heredocs: Vec<String> = Vec::new();
    let mut writes: Vec<String> = Vec::new();
    let mut op_before = Op::None;
    let mut pipeline = 0u32;
    let mut built: Vec<Command> = Vec::new();
    let mut standalone: Vec<ShellWord> = Vec::new();

    let finish = |tokens: &mut [Token],
                  current: &mut Vec<usize>,
                  heredocs: &mut Vec<String>,
                  writes: &mut Vec<String>,
                  op_after: Op,
                  op_before: &mut Op,
                  pipeline: &mut u32,
                  built: &mut Vec<Command>,
                  standalone: &mut Vec<ShellWord>| {
        if !current.is_empty() {
            let words: Vec<ShellWord> = current
                .iter()
                .filter_map(|&i| match &mut tokens[i] {
                    Token::Word(w) => Some(ShellWord {
                        text: std::mem::take(&mut w.text),
                        span: origin.span(w.start, w.end),
                        quoted: w.quoted,
                    }),
                    _ => None,
                })
                .collect();
            if words.iter().all(|w| is_assignment(&w.text)) {
                standalone.extend(words);
            } else if let Some(mut cmd) = command_from(
                words,
                std::mem::take(heredocs),
                *op_before,
                op_after,
                *pipeline,
                nested,
            ) {
                cmd.writes = std::mem::take(writes);
                built.push(cmd);
            }
            current.clear();
        }
        heredocs.clear();
        writes.clear();
        *op_before = op_after;
        if op_after != Op::Pipe {
            *pipeline += 1;
        }
    };

    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Word(w) => {
                if current.is_empty() {
                    let bare = !w.quoted && w.substitutions.is_empty();
                    match mode {
                        Mode::SkipUntilDo => {
                            if bare && w.text == "do" {
                                mode = Mode::Normal;
                            }
                            i += 1;
                            continue;
                        }
                        Mode::CaseHead => {
                            if bare && w.text == "in" {
                                mode = Mode::CasePattern;
                            }
                            i += 1;
                            continue;
                        }
                        Mode::CasePattern => {
                            if bare && w.text == "esac" {
                                mode = Mode::Normal;
                            }
                            i += 1;
                            continue;
                        }
                        Mode::Normal if bare && RESERVED.contains(&w.text.as_str()) => {
                            match w.text.as_str() {
                                "for" | "select" => mode = Mode::SkipUntilDo,
                                "case" => mode = Mode::CaseHead,
                                "function" => {
                                    // `function name { ... }`: skip the name too.
                                    i += 1;
                                }
                                _ => {}
                            }
                            i += 1;
                            continue;
                        }
                        Mode::Normal => {}
                    }
                    // `name() { ... }`: a function definition.
                    if matches!(tokens.get(i + 1), Some(Token::Op(OpKind::Open, _, _)))
                        && matches!(tokens.get(i + 2), Some(Token::Op(OpKind::Close, _, _)))
                    {
                        i += 3;
                        continue;
                    }
                }
                current.push(i);
            }
            Token::Redirect {
                heredoc, writes: w, ..
            } => {
                if let Some(h) = heredoc {
                    heredocs.push(h.clone());
                }
                if let Some(f) = w {
                    writes.push(f.clone());
                }
            }
            Token::Op(kind, _, _) => {
                if mode == Mode::CasePattern {
                    if *kind == OpKind::Close {
                        mode = Mode::Normal;
                    }
                    i += 1;
                    continue;
                }
                let op = match kind {
                    OpKind::And => Op::And,
                    OpKind::Or => Op::Or,
                    OpKind::Pipe => Op::Pipe,
                    OpKind::Background => Op::Background,
                    OpKind::Seq | OpKind::Open | OpKind::Close => Op::Seq,
                    OpKind::CaseSep => {
                        mode = Mode::CasePattern;
                        Op::Seq
                    }
                };
                finish(
                    &mut tokens,
                    &mut current,
                    &mut heredocs,
                    &mut writes,
                    op,
                    &mut op_before,
                    &mut pipeline,
                    &mut built,
                    &mut standalone,
                );
            }
        }
        i += 1;
    }
    finish(
        &mut tokens,
        &mut current,
        &mut heredocs,
        &mut writes,
        Op::None,
        &mut op_before,
        &mut pipeline,
        &mut built,
        &mut standalone,
    );

    // Nested scripts: command substitutions, then `sh -c '...'`.
    let mut nested_scripts: Vec<(String, Origin<'_>)> = Vec::new();
    if depth < MAX_NESTING {
        for t in &tokens {
            if let Token::Word(w) = t {
                for &(s, e) in &w.substitutions {
                    nested_scripts.push((text[s..e].to_owned(), origin.shifted(s)));
                }
            }
        }
    }
    if depth < MAX_NESTING {
        for cmd in &built {
            if let Some((script, at)) = inline_script(cmd, text, &origin, &tokens) {
                nested_scripts.push((script, at));
            }
        }
    }
    // Heredocs that `cat` or `tee` write to a file, when they are shell
    // scripts (a shebang naming a POSIX shell).
    if depth < MAX_NESTING {
        let mut unused: Vec<&HeredocBody> = bodies.iter().collect();
        for cmd in built.iter().filter(|c| matches!(c.name(), "cat" | "tee")) {
            for delim in &cmd.heredocs {
                let Some(at) = unused.iter().position(|b| b.delim == *delim) else {
                    continue;
                };
                let body = unused.remove(at);
                let content = &text[body.start..body.end];
                let head = if body.strip_tabs {
                    content.trim_start_matches('\t')
                } else {
                    content
                };
                if shebang_is_shell(head) == Some(true) {
                    let mut file = Script {
                        heredoc: true,
                        file: true,
                        ..Script::default()
                    };
                    split_into(
                        content,
                        origin.shifted(body.start),
                        false,
                        depth + 1,
                        &mut file,
                    );
                    out.written.push(file);
                }
            }
        }
    }
    if depth < MAX_NESTING {
        out.written.extend(printed_scripts(&built, depth));
    }
    let found: Vec<Command> = built.iter().flat_map(find_exec_commands).collect();
    out.commands.append(&mut built);
    out.commands.extend(found);
    out.assignments.append(&mut standalone);
    for (inner, at) in nested_scripts {
        split_into(&inner, at, true, depth + 1, out);
    }
}

/// Shell scripts that `echo` and `printf` write into files, by
/// redirection (`> run.sh`, `>> run.sh`) or through `| tee FILE`: the
/// printed text of every command that writes to one file is read as a
/// script of its own when that file is a shell script (a shebang naming a
/// POSIX shell in what is written to it, or no other shebang and a name
/// that says so: `.sh`, a `bin/` directory, an entrypoint).
fn printed_scripts(built: &[Command], depth: usize) -> Vec<Script> {
    let mut files: Vec<(&str, Vec<super::Output>)> = Vec::new();
    for (i, cmd) in built.iter().enumerate() {
        if !matches!(cmd.name(), "echo" | "printf") {
            continue;
        }
        let mut targets: Vec<&str> = cmd.writes.iter().map(String::as_str).collect();
        if cmd.op_after == Op::Pipe
            && let Some(tee) = built.get(i + 1)
            && tee.name() == "tee"
        {
            targets.extend(tee.positionals().map(|w| w.text.as_str()));
            targets.extend(tee.writes.iter().map(String::as_str));
        }
        targets.retain(|t| !t.starts_with("/dev/") && !t.is_empty());
        if targets.is_empty() {
            continue;
        }
        let Some(printed) = cmd.printed() else {
            continue;
        };
        for t in targets {
            match files.iter_mut().find(|(name, _)| *name == t) {
                Some((_, list)) => list.push(printed.clone()),
                None => files.push((t, vec![printed.clone()])),
            }
        }
    }
    let mut out = Vec::new();
    for (name, printed) in files {
        let shebangs: Vec<bool> = printed
            .iter()
            .filter_map(|p| shebang_is_shell(&p.text))
            .collect();
        let script = if shebangs.is_empty() {
            names_a_script(name)
        } else {
            shebangs.iter().all(|&shell| shell)
        };
        if !script {
            continue;
        }
        let mut file = Script {
            file: true,
            printed: true,
            ..Script::default()
        };
        for p in &printed {
            let origin = Origin::Pieces {
                pieces: &p.pieces,
                base: 0,
            };
            split_into(&p.text, origin, false, depth + 1, &mut file);
        }
        out.push(file);
    }
    out
}

/// A file name that says the file is a shell script to run: `.sh`, a
/// program in a `bin/` directory, an entrypoint, an init script, a shell's
/// startup file.
fn names_a_script(path: &str) -> bool {
    let base = base_name(path);
    path.ends_with(".sh")
        || path.contains("bin/")
        || base.contains("entrypoint")
        || path.starts_with("/etc/init.d/")
        || matches!(
            base,
            ".bashrc" | ".bash_profile" | ".profile" | ".zshrc" | "bashrc" | "profile"
        )
}

/// The commands `find ... -exec CMD ... ;` (and `-execdir`, `-ok`,
/// `-okdir`, ended by `;` or `+`) runs, as nested commands.
fn find_exec_commands(cmd: &Command) -> Vec<Command> {
    if cmd.name() != "find" {
        return Vec::new();
    }
    let mut out = Vec::new();
    // With `-type d`, `{}` is a directory: say so with a trailing slash.
    let dirs = cmd
        .args
        .windows(2)
        .any(|w| w[0].text == "-type" && w[1].text == "d");
    let mut args = cmd.args.iter();
    while let Some(a) = args.next() {
        if !matches!(a.text.as_str(), "-exec" | "-execdir" | "-ok" | "-okdir") {
            continue;
        }
        let words: Vec<ShellWord> = args
            .by_ref()
            .take_while(|w| w.text != ";" && w.text != "+")
            .map(|w| {
                let mut w = w.clone();
                if dirs && w.text == "{}" {
                    w.text.push('/');
                }
                w
            })
            .collect();
        out.extend(command_from(
            words,
            Vec::new(),
            Op::None,
            Op::None,
            cmd.pipeline,
            true,
        ));
    }
    out
}

/// The script given to `sh -c` / `su -c`, and where it lies.
fn inline_script<'m>(
    cmd: &Command,
    text: &str,
    origin: &Origin<'m>,
    tokens: &[Token],
) -> Option<(String, Origin<'m>)> {
    let name = cmd.name();
    if !(is_posix_shell(name) || name == "su") {
        return None;
    }
    let at = cmd.args.iter().position(|a| {
        let t = a.text.as_str();
        t == "-c"
            || (t.starts_with('-')
                && !t.starts_with("--")
                && t.len() > 2
                && t[1..].bytes().all(|c| c.is_ascii_alphabetic())
                && t.contains('c'))
    })?;
    let script = cmd.args.get(at + 1)?;
    // Map the script's offsets into the text when its word is one plain
    // quoted string (the common case); otherwise to the word as a whole.
    let lex = tokens.iter().find_map(|t| match t {
        Token::Word(w) if origin.span(w.start, w.end) == script.span => Some(w),
        _ => None,
    });
    let inner = lex.and_then(|w| {
        let raw = &text[w.start..w.end];
        let q = raw.chars().next()?;
        ((q == '\'' || q == '"')
            && raw.len() >= 2
            && raw.ends_with(q)
            && raw[1..raw.len() - 1] == script.text)
            .then(|| origin.shifted(w.start + 1))
    });
    Some((
        script.text.clone(),
        inner.unwrap_or(Origin::Fixed(script.span)),
    ))
}

/// Builds a command: assignments, wrappers, then the command itself.
fn command_from(
    words: Vec<ShellWord>,
    heredocs: Vec<String>,
    op_before: Op,
    op_after: Op,
    pipeline: u32,
    nested: bool,
) -> Option<Command> {
    let span = words.first()?.span.cover(words.last()?.span);
    let mut rest = words.into_iter().peekable();
    let mut assignments = Vec::new();
    let mut wrappers = Vec::new();
    let take_assignments = |rest: &mut std::iter::Peekable<std::vec::IntoIter<ShellWord>>,
                            assignments: &mut Vec<ShellWord>| {
        while let Some(w) = rest.peek() {
            if is_assignment(&w.text) {
                assignments.extend(rest.next());
            } else {
                break;
            }
        }
    };
    take_assignments(&mut rest, &mut assignments);
    let mut name = rest.next()?;
    loop {
        let base = base_name(&name.text);
        let Some(wrapper) = WRAPPERS.iter().find(|w| w.name == base) else {
            break;
        };
        // `command -v x` queries rather than runs.
        if wrapper.name == "command"
            && rest
                .peek()
                .is_some_and(|w| w.text == "-v" || w.text == "-V")
        {
            break;
        }
        let mut skipped: Vec<ShellWord> = Vec::new();
        let mut positionals = wrapper.positionals;
        while let Some(w) = rest.peek() {
            let t = w.text.as_str();
            if t == "--" {
                skipped.extend(rest.next());
                break;
            }
            if t.starts_with("--") {
                let takes = wrapper.long_value_opts.contains(&t);
                skipped.extend(rest.next());
                if takes {
                    skipped.extend(rest.next());
                }
                continue;
            }
            if t.starts_with('-') && t.len() > 1 {
                let takes = wrapper.value_opts.contains(&t);
                skipped.extend(rest.next());
                if takes {
                    skipped.extend(rest.next());
                }
                continue;
            }
            if positionals > 0 {
                positionals -= 1;
                skipped.extend(rest.next());
                continue;
            }
            break;
        }
        if wrapper.assignments {
            take_assignments(&mut rest, &mut assignments);
        }
        match rest.next() {
            Some(next) => {
                wrappers.push(std::mem::replace(&mut name, next));
            }
            None => {
                // Nothing wrapped: the wrapper is the command.
                let args = skipped;
                return Some(Command {
                    name,
                    args,
                    assignments,
                    wrappers,
                    heredocs,
                    writes: Vec::new(),
                    op_before,
                    op_after,
                    pipeline,
                    nested,
                    span,
                    reading: Default::default(),
                });
            }
        }
    }
    Some(Command {
        name,
        args: rest.collect(),
        assignments,
        wrappers,
        heredocs,
        writes: Vec::new(),
        op_before,
        op_after,
        pipeline,
        nested,
        span,
        reading: Default::default(),
    })
}

/// The scripts an instruction runs: RUN (shell and exec form, heredoc
/// scripts), CMD, ENTRYPOINT, HEALTHCHECK CMD, and ONBUILD triggers; and the
/// shell scripts COPY and ADD write from heredocs (marked `file`).
/// `dialect` is the shell that runs its shell form: POSIX text is split in
/// full, cmd and PowerShell text into words only, other shells' not at all.
pub fn scripts_of(inst: &Instruction<'_>, dialect: Dialect) -> Vec<Script> {
    let mut out = Vec::new();
    match inst.kind {
        InstructionKind::Run | InstructionKind::Cmd | InstructionKind::Entrypoint => {
            command_scripts(inst, &inst.args, dialect, &mut out);
        }
        InstructionKind::Healthcheck => {
            if let Arguments::Healthcheck(h) = &inst.args {
                command_scripts(inst, &h.command, dialect, &mut out);
            }
        }
        InstructionKind::Onbuild => {
            if let Some(trigger) = inst.trigger() {
                out = scripts_of(trigger, dialect);
            }
        }
        InstructionKind::Copy | InstructionKind::Add => copied_scripts(inst, &mut out),
        _ => {}
    }
    let mut all = Vec::with_capacity(out.len());
    flatten(out, &mut all);
    all
}

/// Scripts followed by the scripts they write, depth first.
fn flatten(scripts: Vec<Script>, all: &mut Vec<Script>) {
    for mut script in scripts {
        let written = std::mem::take(&mut script.written);
        all.push(script);
        flatten(written, all);
    }
}

/// Heredoc files that are shell scripts: a shebang naming a POSIX shell, or
/// no shebang and a `.sh` name or destination.
fn copied_scripts(inst: &Instruction<'_>, out: &mut Vec<Script>) {
    if inst.heredocs.is_empty() {
        return;
    }
    let dest = inst
        .args
        .words()
        .last()
        .map(|w| w.text.as_ref())
        .unwrap_or("");
    for doc in &inst.heredocs {
        // `<<-` strips leading tabs from each line of the file.
        let head = if doc.chomp {
            doc.content.trim_start_matches('\t')
        } else {
            doc.content
        };
        let is_script = match shebang_is_shell(head) {
            Some(shell) => shell,
            None => doc.name.ends_with(".sh") || dest.ends_with(".sh"),
        };
        if is_script {
            let mut script = split(
                doc.content,
                Origin::Source {
                    base: doc.body.start,
                },
            );
            script.heredoc = true;
            script.file = true;
            out.push(script);
        }
    }
}

fn command_scripts(
    inst: &Instruction<'_>,
    args: &Arguments<'_>,
    dialect: Dialect,
    out: &mut Vec<Script>,
) {
    match args {
        Arguments::Shell(w) if dialect == Dialect::Posix => shell_form(inst, w, out),
        Arguments::Shell(w) if matches!(dialect, Dialect::Cmd | Dialect::PowerShell) => {
            let origin = Origin::Logical {
                map: &inst.map,
                base: inst.map.logical(w.span.start),
            };
            out.push(split_windows(
                &w.text,
                origin,
                dialect == Dialect::PowerShell,
            ));
        }
        Arguments::Exec(e) if !e.elements.is_empty() => {
            let words: Vec<ShellWord> = e
                .elements
                .iter()
                .map(|el| ShellWord {
                    text: el.text.to_string(),
                    span: el.span,
                    quoted: true,
                })
                .collect();
            let mut script = Script::default();
            if let Some(cmd) = command_from(words, Vec::new(), Op::None, Op::None, 0, false) {
                let inner = inline_script(&cmd, "", &Origin::Fixed(cmd.span), &[]);
                script.commands.push(cmd);
                if let Some((text, _)) = inner
                    && let Some(pos) = e.elements.iter().position(|el| el.text == text)
                {
                    let el = &e.elements[pos];
                    let origin = if el.span.len() as usize == text.len() + 2 {
                        Origin::Source {
                            base: el.span.start + 1,
                        }
                    } else {
                        Origin::Fixed(el.span)
                    };
                    split_into(&text, origin, true, 1, &mut script);
                }
            }
            out.push(script);
        }
        _ => {}
    }
}

/// A shell-form RUN/CMD/ENTRYPOINT, with its heredocs.
fn shell_form(inst: &Instruction<'_>, w: &Word<'_>, out: &mut Vec<Script>) {
    let origin = Origin::Logical {
        map: &inst.map,
        base: inst.map.logical(w.span.start),
    };
    let docs = &inst.heredocs;
    let text = w.text.trim();
    // `RUN <<EOF` alone: the heredoc is the script.
    if let [doc] = &docs[..]
        && doc.opener.text == text
    {
        if runs_as_shell_script(doc.content, doc.chomp) {
            let mut script = split(
                doc.content,
                Origin::Source {
                    base: doc.body.start,
                },
            );
            script.heredoc = true;
            out.push(script);
        }
        return;
    }
    let line = split(&w.text, origin);
    // Heredocs fed to a shell (`bash <<EOF`) are scripts too.
    let fed_to_shell: Vec<String> = line
        .commands
        .iter()
        .filter(|c| is_posix_shell(c.name()) && !c.args.iter().any(|a| a.text == "-c"))
        .flat_map(|c| c.heredocs.iter().cloned())
        .collect();
    // Heredocs written to a file (`cat > run.sh <<EOF`) that are shell
    // scripts (a shebang naming a POSIX shell) are scripts of their own.
    let written: Vec<String> = line
        .commands
        .iter()
        .filter(|c| matches!(c.name(), "cat" | "tee"))
        .flat_map(|c| c.heredocs.iter().cloned())
        .collect();
    out.push(line);
    for doc in docs {
        let head = if doc.chomp {
            doc.content.trim_start_matches('\t')
        } else {
            doc.content
        };
        let run_now = fed_to_shell.iter().any(|n| *n == doc.name)
            && runs_as_shell_script(doc.content, doc.chomp);
        let file = !run_now
            && written.iter().any(|n| *n == doc.name)
            && shebang_is_shell(head) == Some(true);
        if run_now || file {
            let mut script = split(
                doc.content,
                Origin::Source {
                    base: doc.body.start,
                },
            );
            script.heredoc = true;
            script.file = file;
            out.push(script);
        }
    }
}

/// A heredoc script runs under the shell unless a shebang names another
/// interpreter.
fn runs_as_shell_script(content: &str, chomp: bool) -> bool {
    let head = if chomp {
        content.trim_start_matches('\t')
    } else {
        content
    };
    shebang_is_shell(head).unwrap_or(true)
}

/// Whether a shebang names a POSIX shell; `None` without a shebang.
fn shebang_is_shell(content: &str) -> Option<bool> {
    let shebang = content.strip_prefix("#!")?;
    let line = shebang.lines().next().unwrap_or("");
    let mut parts = line.split_whitespace();
    let Some(first) = parts.next() else {
        return Some(true);
    };
    let interpreter = if base_name(first) == "env" {
        parts.find(|p| !p.starts_with('-')).unwrap_or("")
    } else {
        first
    };
    Some(is_posix_shell(interpreter))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::lexer;
    use crate::syntax;

    fn commands(text: &str) -> Vec<(String, Vec<String>)> {
        let script = split(text, Origin::Source { base: 0 });
        assert_eq!(script.error, None, "{text}");
        script
            .commands
            .iter()
            .map(|c| {
                (
                    c.name().to_owned(),
                    c.args.iter().map(|a| a.text.clone()).collect(),
                )
            })
            .collect()
    }

    fn names(text: &str) -> Vec<String> {
        commands(text).into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn lists_and_pipelines() {
        let s = split(
            "apt-get update && apt-get install -y curl || true; curl x | sh",
            Origin::Source { base: 0 },
        );
        let ops: Vec<(Op, Op, u32)> = s
            .commands
            .iter()
            .map(|c| (c.op_before, c.op_after, c.pipeline))
            .collect();
        assert_eq!(
            ops,
            [
                (Op::None, Op::And, 0),
                (Op::And, Op::Or, 1),
                (Op::Or, Op::Seq, 2),
                (Op::Seq, Op::Pipe, 3),
                (Op::Pipe, Op::None, 3)
            ]
        );
        assert_eq!(s.commands[1].span, Span::new(18, 41));
    }

    #[test]
    fn compound_commands_are_flattened() {
        assert_eq!(
            names("if [ -f x ]; then sudo rm x; else echo no; fi"),
            ["[", "rm", "echo"]
        );
        assert_eq!(names("for p in a b; do pip install $p; done"), ["pip"]);
        assert_eq!(
            names("while read l; do echo $l; done < f"),
            ["read", "echo"]
        );
        assert_eq!(
            names("case \"$ARCH\" in amd64|x86_64) A=1 make ;; arm64) echo arm ;; esac"),
            ["make", "echo"]
        );
        assert_eq!(names("f() { echo hi; }; f"), ["echo", "f"]);
        assert_eq!(
            names("(cd /x && make) && { echo a; }"),
            ["cd", "make", "echo"]
        );
    }

    #[test]
    fn wrappers_and_assignments() {
        let s = split(
            "DEBIAN_FRONTEND=noninteractive sudo -E -u root env A=1 nice -n 5 apt-get -yq install x",
            Origin::Source { base: 0 },
        );
        let c = &s.commands[0];
        assert_eq!(c.name(), "apt-get");
        assert_eq!(
            c.wrappers
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>(),
            ["sudo", "env", "nice"]
        );
        assert_eq!(c.assignments.len(), 2);
        assert!(c.has_flag("-y") && c.has_flag("-q") && !c.has_flag("-u"));
        assert_eq!(c.subcommand().map(|w| w.text.as_str()), Some("install"));
        assert!(c.wrapped_by("sudo"));
        assert_eq!(
            names("find . -print0 | xargs -0 -n 1 rm -f"),
            ["find", "rm"]
        );
        assert_eq!(names("timeout 10 curl x"), ["curl"]);
        assert_eq!(names("sudo -v"), ["sudo"]);
        assert_eq!(names("command -v git"), ["command"]);
        assert_eq!(
            names("find /usr -perm /u+s -exec chmod u-s {} \\; -exec ls -l {} +"),
            ["find", "chmod", "ls"]
        );
    }

    #[test]
    fn nested_scripts() {
        assert_eq!(
            names("echo $(curl -s x | sh) `id -u`"),
            ["echo", "curl", "sh", "id"]
        );
        // Each nested command once, however it is quoted.
        assert_eq!(
            names("echo \"$(a \"$(b `c \"$(d)\"`)\" $(e))\""),
            ["echo", "a", "b", "c", "d", "e"]
        );
        let s = split("bash -ec 'sudo make install'", Origin::Source { base: 0 });
        assert_eq!(s.commands.len(), 2);
        assert_eq!(s.commands[1].name(), "make");
        assert!(s.commands[1].nested);
        assert_eq!(s.commands[1].span, Span::new(10, 27));
    }

    /// Whatever a script says before ` && `, the command after it is found
    /// with its span: quotes, escapes (of multi-byte characters too) and
    /// substitutions, at every depth, end where they should.
    #[test]
    fn a_command_after_any_complete_prefix_is_found() {
        let pieces = [
            "echo",
            "\u{e9}",
            "\\\u{e9}",
            "\\\u{20ac}",
            "\\\u{1f600}",
            "a\\\\b",
            "x=\\\u{e9}",
            "'\u{e9} \\ x'",
            "\"\u{e9} \\\u{e9} \\\" $(b \\\u{e9})\"",
            "$(printf \\\u{e9})",
            "`printf \\\u{20ac}`",
            "$'\\\u{e9}'",
            "${A:-\\\u{e9}}",
            "$((1 + 2))",
            "$(a \"$(b \\\u{1f600})\")",
        ];
        let deep = lexer::MAX_DEPTH + 1;
        let mut prefixes = Vec::new();
        for a in pieces {
            for b in pieces {
                prefixes.push(format!("{a} {b}"));
                prefixes.push(format!("{a}{b}"));
            }
        }
        let mut checked = 0;
        for p in &prefixes {
            let mut contexts = vec![
                p.clone(),
                format!("echo $({p})"),
                format!("echo \"$({p})\""),
                format!("echo {}{p}{}", "$(".repeat(deep), ")".repeat(deep)),
            ];
            if !p.contains('`') {
                contexts.push(format!("echo `{p}`"));
            }
            for context in contexts {
                let text = format!("{context} && sudo true");
                let s = split(&text, Origin::Source { base: 0 });
                assert_eq!(s.error, None, "{text}");
                assert!(
                    s.commands
                        .iter()
                        .any(|c| !c.nested && c.span.text(&text) == "sudo true"),
                    "{text}: {:?}",
                    s.commands.iter().map(|c| c.name()).collect::<Vec<_>>()
                );
                checked += 1;
            }
        }
        assert!(checked > 2_000, "{checked}");
    }

    #[test]
    fn scripts_that_echo_and_printf_write() {
        let text = "printf '#!/bin/sh\\nexec docker run --privileged x\\n' > /usr/local/bin/go \
                    && echo 'a b' > /tmp/notes.txt && echo 'sudo make' | tee -a /opt/run.sh \
                    && echo 'curl x' > /etc/motd && echo 'rm -rf /' 2> /x.sh \
                    && echo '#!/usr/bin/env python3' > /y.sh && echo 'os.exit()' >> /y.sh";
        let s = split(text, Origin::Source { base: 0 });
        let written: Vec<Vec<&str>> = s
            .written
            .iter()
            .map(|w| w.commands.iter().map(|c| c.name()).collect())
            .collect();
        assert_eq!(written, [vec!["docker"], vec!["make"]]);
        assert!(s.written.iter().all(|w| w.file && w.printed && !w.heredoc));
        let docker = &s.written[0].commands[0];
        assert!(docker.wrapped_by("exec"));
        assert!(docker.name.span.text(text).starts_with("'#!/bin/sh"));
        assert_eq!(s.commands[0].writes, ["/usr/local/bin/go"]);
    }

    #[test]
    fn instruction_scripts_map_to_source() {
        let text = "FROM a\nRUN apt-get update \\\n  && sudo apt-get install x\nRUN <<EOF\nset -e\nchmod u+s /bin/x\nEOF\nCMD [\"sh\", \"-c\", \"docker run --privileged x\"]\nRUN python3 <<EOF\nimport os\nEOF\n";
        let file = syntax::parse(text);
        let scripts = scripts_of(&file.instructions[1], Dialect::Posix);
        let install = &scripts[0].commands[1];
        assert_eq!(install.name.span.text(text), "apt-get");
        assert_eq!(install.subcommand().unwrap().span.text(text), "install");
        let heredoc = &scripts_of(&file.instructions[2], Dialect::Posix)[0];
        assert!(heredoc.heredoc);
        assert_eq!(heredoc.commands[1].args[0].span.text(text), "u+s");
        let cmd = &scripts_of(&file.instructions[3], Dialect::Posix)[0];
        assert_eq!(cmd.commands[1].name(), "docker");
        assert_eq!(cmd.commands[1].args[1].span.text(text), "--privileged");
        // A script written by `cat > file <<EOF` inside a heredoc script.
        let text2 = "FROM a\nRUN <<EOF\ncat > /init.sh <<'INIT'\n#!/bin/sh\nsshpass -p pw scp a b\nINIT\nchmod +x /init.sh\nEOF\n";
        let file2 = syntax::parse(text2);
        let scripts = scripts_of(&file2.instructions[1], Dialect::Posix);
        assert_eq!(scripts.len(), 2);
        assert!(!scripts[0].file && scripts[1].file);
        assert_eq!(scripts[1].commands[0].name.span.text(text2), "sshpass");
        // A python heredoc is not a shell script.
        assert_eq!(scripts_of(&file.instructions[4], Dialect::Posix).len(), 1);
        assert!(scripts_of(&file.instructions[1], Dialect::Other).is_empty());
    }
}
