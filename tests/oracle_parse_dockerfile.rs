//! Differential test against an independent parser, `parse-dockerfile`.
//!
//! On every corpus file the oracle accepts, each instruction must agree on
//! kind, line range, flags, arguments, key/value pairs and heredoc bodies.
//! Each remaining disagreement is listed, with its cause, in
//! `tests/oracle/parse-dockerfile-allowlist.txt`; the test fails on any
//! disagreement not listed there and on any listed one that no longer occurs.
//! `SHIPSHAPE_BLESS=1` rewrites the list (causes must then be filled in).

mod common;

use parse_dockerfile as pd;
use shipshape::syntax::{self, Arguments, Dockerfile, Instruction, InstructionKind};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Args {
    None,
    Exec(Vec<String>),
    Shell(String),
    Words(Vec<String>),
    Pairs(Vec<(String, Option<String>)>),
}

#[derive(Debug, Clone, Default)]
struct Rec {
    kind: String,
    start_line: usize,
    end_line: usize,
    flags: Vec<(String, Option<String>)>,
    args: Option<Args>,
    heredocs: Vec<String>,
}

struct LineMap(Vec<usize>);

impl LineMap {
    fn new(text: &str) -> Self {
        let mut v = vec![0];
        v.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineMap(v)
    }
    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset)
    }
}

// ---- the oracle side -------------------------------------------------------

/// BuildKit's `parseWords`, written independently of shipshape's code.
fn split_words(rest: &str, esc: char) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    let mut it = rest.chars().peekable();
    while let Some(ch) = it.next() {
        if let Some(q) = quote {
            if ch == esc && q != '\'' {
                if let Some(n) = it.next() {
                    word.push(ch);
                    word.push(n);
                }
                continue;
            }
            word.push(ch);
            if ch == q {
                quote = None;
            }
            continue;
        }
        if ch.is_whitespace() {
            if in_word {
                words.push(std::mem::take(&mut word));
            }
            in_word = false;
            continue;
        }
        in_word = true;
        if ch == '\'' || ch == '"' {
            quote = Some(ch);
        } else if ch == esc {
            if let Some(n) = it.next() {
                word.push(ch);
                word.push(n);
            }
            continue;
        }
        word.push(ch);
    }
    if in_word {
        words.push(word);
    }
    words
}

fn oracle_pairs(raw: &str, esc: char, arg: bool) -> Vec<(String, Option<String>)> {
    let words = split_words(raw, esc);
    if !arg && words.first().is_some_and(|w| !w.contains('=')) {
        let raw = raw.trim();
        let (k, v) = raw
            .split_once([' ', '\t'])
            .map(|(k, v)| (k, v.trim_start_matches([' ', '\t'])))
            .unwrap_or((raw, ""));
        return vec![(k.to_owned(), Some(v.to_owned()))];
    }
    words
        .into_iter()
        .map(|w| match w.split_once('=') {
            Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
            None => (w, None),
        })
        .collect()
}

/// The oracle keeps shell-form text raw; join it as BuildKit does.
fn join_continuations(raw: &str, esc: char) -> String {
    let mut out = String::new();
    let mut continuing = false;
    for (i, line) in raw.split('\n').enumerate() {
        let line = line.trim_end_matches('\r');
        if i > 0 && continuing {
            let t = line.trim_start();
            if t.starts_with('#') || t.is_empty() {
                continue;
            }
        }
        let stripped = line.trim_end_matches([' ', '\t']);
        let is_cont = stripped.ends_with(esc)
            && (stripped.len() == 1 || !stripped[..stripped.len() - 1].ends_with(esc));
        if is_cont {
            out.push_str(&stripped[..stripped.len() - 1]);
        } else {
            out.push_str(line);
        }
        continuing = is_cont;
    }
    // BuildKit trims the arguments after joining (a continuation at EOF leaves a blank).
    out.trim_end().to_owned()
}

struct Oracle<'t> {
    body: &'t str,
    bom: usize,
    esc: char,
    lines: &'t LineMap,
}

impl Oracle<'_> {
    fn end(&self, r: &mut usize, e: usize) {
        *r = (*r).max(e);
    }

    fn heredoc(&self, h: &pd::HereDoc<'_>, end: &mut usize) -> String {
        let rest = &self.body[h.span.end..];
        let n = rest.find('\n').unwrap_or(rest.len());
        self.end(end, h.span.end + rest[..n].trim_end_matches('\r').len());
        h.value.to_string()
    }

    fn command(&self, c: &pd::Command<'_>, end: &mut usize) -> Args {
        match c {
            pd::Command::Exec(a) => {
                self.end(end, a.span.end);
                Args::Exec(a.value.iter().map(|s| s.value.to_string()).collect())
            }
            pd::Command::Shell(s) => {
                self.end(end, s.span.end);
                if s.value.is_empty() {
                    Args::None
                } else {
                    Args::Shell(join_continuations(s.value, self.esc))
                }
            }
            _ => Args::None,
        }
    }

    fn flags(&self, fs: &[pd::Flag<'_>], end: &mut usize) -> Vec<(String, Option<String>)> {
        fs.iter()
            .map(|f| {
                self.end(end, f.span().end);
                (
                    f.name.value.to_string(),
                    f.value.as_ref().map(|v| v.value.to_string()),
                )
            })
            .collect()
    }

    fn record(&self, i: &pd::Instruction<'_>, prefix: &str) -> Rec {
        let (mut r, start, end) = self.measure(i, prefix);
        r.start_line = self.lines.line(start + self.bom);
        r.end_line = self.lines.line(end.max(start + 1) - 1 + self.bom);
        r
    }

    /// The record of `i` and its start and end offsets in the BOM-less body.
    fn measure(&self, i: &pd::Instruction<'_>, prefix: &str) -> (Rec, usize, usize) {
        let mut r = Rec::default();
        let mut start = usize::MAX;
        let mut end = 0;
        let mut kw = |name: &str, k: &pd::Keyword, end: &mut usize| {
            start = start.min(k.span.start);
            self.end(end, k.span.end);
            format!("{prefix}{name}")
        };
        let one = |u: &pd::UnescapedString<'_>, end: &mut usize| {
            self.end(end, u.span.end);
            u.value.to_string()
        };
        match i {
            pd::Instruction::From(x) => {
                r.kind = kw("FROM", &x.from, &mut end);
                r.flags = self.flags(&x.options, &mut end);
                let mut w = vec![one(&x.image, &mut end)];
                if let Some((_, name)) = &x.as_ {
                    w.push(one(name, &mut end));
                }
                r.args = Some(Args::Words(w));
            }
            pd::Instruction::Run(x) => {
                r.kind = kw("RUN", &x.run, &mut end);
                r.flags = self.flags(&x.options, &mut end);
                let args = self.command(&x.arguments, &mut end);
                r.heredocs = x
                    .here_docs
                    .iter()
                    .map(|h| self.heredoc(h, &mut end))
                    .collect();
                // With a heredoc the oracle keeps only the text after the opener.
                r.args = if r.heredocs.is_empty() {
                    Some(args)
                } else {
                    None
                };
            }
            pd::Instruction::Cmd(x) => {
                r.kind = kw("CMD", &x.cmd, &mut end);
                r.args = Some(self.command(&x.arguments, &mut end));
            }
            pd::Instruction::Entrypoint(x) => {
                r.kind = kw("ENTRYPOINT", &x.entrypoint, &mut end);
                r.args = Some(self.command(&x.arguments, &mut end));
            }
            pd::Instruction::Copy(x) => {
                r.kind = kw("COPY", &x.copy, &mut end);
                self.copy(&mut r, &x.options, &x.src, &x.dest, &mut end);
            }
            pd::Instruction::Add(x) => {
                r.kind = kw("ADD", &x.add, &mut end);
                self.copy(&mut r, &x.options, &x.src, &x.dest, &mut end);
            }
            pd::Instruction::Env(x) => {
                r.kind = kw("ENV", &x.env, &mut end);
                self.end(&mut end, x.arguments.span.end);
                r.args = Some(Args::Pairs(oracle_pairs(
                    &x.arguments.value,
                    self.esc,
                    false,
                )));
            }
            pd::Instruction::Label(x) => {
                r.kind = kw("LABEL", &x.label, &mut end);
                self.end(&mut end, x.arguments.span.end);
                r.args = Some(Args::Pairs(oracle_pairs(
                    &x.arguments.value,
                    self.esc,
                    false,
                )));
            }
            pd::Instruction::Arg(x) => {
                r.kind = kw("ARG", &x.arg, &mut end);
                self.end(&mut end, x.arguments.span.end);
                r.args = Some(Args::Pairs(oracle_pairs(
                    &x.arguments.value,
                    self.esc,
                    true,
                )));
            }
            pd::Instruction::Expose(x) => {
                r.kind = kw("EXPOSE", &x.expose, &mut end);
                r.args = Some(Args::Words(
                    x.arguments.iter().map(|a| one(a, &mut end)).collect(),
                ));
            }
            pd::Instruction::Volume(x) => {
                r.kind = kw("VOLUME", &x.volume, &mut end);
                r.args = Some(match &x.arguments {
                    pd::JsonOrStringArray::Json(a) => {
                        self.end(&mut end, a.span.end);
                        Args::Exec(a.value.iter().map(|s| s.value.to_string()).collect())
                    }
                    pd::JsonOrStringArray::String(v) => {
                        Args::Words(v.iter().map(|a| one(a, &mut end)).collect())
                    }
                });
            }
            pd::Instruction::Shell(x) => {
                r.kind = kw("SHELL", &x.shell, &mut end);
                let v: Vec<String> = x.arguments.iter().map(|a| one(a, &mut end)).collect();
                if let Some(i) = self.body[end..].find(']') {
                    end += i + 1;
                }
                r.args = Some(Args::Exec(v));
            }
            pd::Instruction::Healthcheck(x) => {
                r.kind = kw("HEALTHCHECK", &x.healthcheck, &mut end);
                r.flags = self.flags(&x.options, &mut end);
                r.args = Some(match &x.arguments {
                    pd::HealthcheckArguments::Cmd { cmd, arguments, .. } => {
                        self.end(&mut end, cmd.span.end);
                        let mut words = vec!["CMD".to_owned()];
                        match self.command(arguments, &mut end) {
                            Args::Exec(v) => {
                                words.extend(v.into_iter().map(|s| format!("exec:{s}")))
                            }
                            Args::Shell(s) => words.push(s),
                            _ => {}
                        }
                        Args::Words(words)
                    }
                    pd::HealthcheckArguments::None { none, .. } => {
                        self.end(&mut end, none.span.end);
                        Args::Words(vec!["NONE".to_owned()])
                    }
                    _ => Args::None,
                });
            }
            pd::Instruction::Onbuild(x) => {
                kw("ONBUILD", &x.onbuild, &mut end);
                let (inner, _, inner_end) =
                    self.measure(&x.instruction, &format!("{prefix}ONBUILD "));
                r = inner;
                end = end.max(inner_end);
            }
            pd::Instruction::Maintainer(x) => {
                r.kind = kw("MAINTAINER", &x.maintainer, &mut end);
                r.args = Some(Args::Shell(one(&x.name, &mut end)));
            }
            pd::Instruction::Stopsignal(x) => {
                r.kind = kw("STOPSIGNAL", &x.stopsignal, &mut end);
                r.args = Some(Args::Shell(one(&x.arguments, &mut end)));
            }
            pd::Instruction::User(x) => {
                r.kind = kw("USER", &x.user, &mut end);
                r.args = Some(Args::Shell(one(&x.arguments, &mut end)));
            }
            pd::Instruction::Workdir(x) => {
                r.kind = kw("WORKDIR", &x.workdir, &mut end);
                r.args = Some(Args::Shell(one(&x.arguments, &mut end)));
            }
            _ => r.kind = format!("{prefix}?"),
        }
        (r, start.min(end), end)
    }

    fn copy(
        &self,
        r: &mut Rec,
        options: &[pd::Flag<'_>],
        src: &[pd::Source<'_>],
        dest: &pd::UnescapedString<'_>,
        end: &mut usize,
    ) {
        r.flags = self.flags(options, end);
        let json = self.body.as_bytes()[..dest.span.start].last() == Some(&b'"');
        let mut words = Vec::new();
        for s in src {
            match s {
                pd::Source::Path(p) => {
                    self.end(end, p.span.end);
                    words.push(p.value.to_string());
                }
                pd::Source::HereDoc(h) => {
                    words.push("<<heredoc".to_owned());
                    let body = self.heredoc(h, end);
                    r.heredocs.push(body);
                }
                _ => {}
            }
        }
        self.end(end, dest.span.end);
        words.push(dest.value.to_string());
        if json {
            if let Some(i) = self.body[*end..].find(']') {
                *end += i + 1;
            }
            r.args = Some(Args::Exec(words));
        } else {
            r.args = Some(Args::Words(words));
        }
    }
}

// ---- shipshape's side ------------------------------------------------------

fn ours(file: &Dockerfile<'_>, inst: &Instruction<'_>, prefix: &str) -> Rec {
    let (s, e) = file.line_range(inst.span);
    let mut r = Rec {
        kind: format!("{prefix}{}", inst.kind),
        start_line: s as usize,
        end_line: e as usize,
        flags: inst
            .flags
            .iter()
            .map(|f| {
                (
                    f.name.text.to_string(),
                    f.value.as_ref().map(|v| v.text.to_string()),
                )
            })
            .collect(),
        ..Rec::default()
    };
    let strings =
        |ws: &[syntax::Word<'_>]| ws.iter().map(|w| w.text.to_string()).collect::<Vec<_>>();
    r.heredocs = inst
        .heredocs
        .iter()
        .map(|h| {
            if h.chomp {
                h.content
                    .split_inclusive('\n')
                    .map(|l| l.trim_start_matches('\t'))
                    .collect()
            } else {
                h.content.to_owned()
            }
        })
        .collect();
    r.args = Some(match (&inst.kind, &inst.args) {
        (_, Arguments::Onbuild(inner)) => {
            let mut inner = ours(file, inner, &format!("{prefix}ONBUILD "));
            inner.start_line = r.start_line;
            inner.end_line = r.end_line;
            return inner;
        }
        (InstructionKind::From, Arguments::List(ws)) => {
            let w = strings(ws);
            if w.len() == 3 {
                Args::Words(vec![w[0].clone(), w[2].clone()])
            } else {
                Args::Words(w)
            }
        }
        (InstructionKind::Run, _) if !inst.heredocs.is_empty() => {
            r.args = None;
            return r;
        }
        (InstructionKind::Copy | InstructionKind::Add, args) => {
            let words = args
                .words()
                .iter()
                .map(|w| {
                    let is_doc = inst.heredocs.iter().any(|h| h.opener.span == w.span);
                    if is_doc {
                        "<<heredoc".to_owned()
                    } else {
                        w.text.to_string()
                    }
                })
                .collect();
            if matches!(args, Arguments::Exec(_)) {
                Args::Exec(words)
            } else {
                Args::Words(words)
            }
        }
        (_, Arguments::Empty) => Args::None,
        (_, Arguments::Exec(e)) => Args::Exec(strings(&e.elements)),
        (_, Arguments::Shell(w)) => Args::Shell(w.text.to_string()),
        (_, Arguments::List(ws)) => Args::Words(strings(ws)),
        (_, Arguments::KeyValues(kv)) => Args::Pairs(
            kv.iter()
                .map(|p| {
                    (
                        p.key.text.to_string(),
                        p.value.as_ref().map(|v| v.text.to_string()),
                    )
                })
                .collect(),
        ),
        (_, Arguments::ArgDecls(d)) => Args::Pairs(
            d.iter()
                .map(|d| {
                    (
                        d.name.text.to_string(),
                        d.default.as_ref().map(|v| v.text.to_string()),
                    )
                })
                .collect(),
        ),
        (_, Arguments::Healthcheck(h)) => {
            let mut words = vec![h.kind.text.to_ascii_uppercase()];
            match &*h.command {
                Arguments::Exec(e) => {
                    words.extend(e.elements.iter().map(|w| format!("exec:{}", w.text)))
                }
                Arguments::Shell(w) => words.push(w.text.to_string()),
                _ => {}
            }
            Args::Words(words)
        }
    });
    r
}

// ---- comparison ------------------------------------------------------------

fn compare(name: &str, a: &Rec, b: &Rec, out: &mut Vec<String>) {
    let at = format!("{name}:{}", b.start_line);
    if a.kind != b.kind {
        out.push(format!("{at} kind ours={} oracle={}", a.kind, b.kind));
        return;
    }
    if (a.start_line, a.end_line) != (b.start_line, b.end_line) {
        out.push(format!(
            "{at} lines ours={}-{} oracle={}-{}",
            a.start_line, a.end_line, b.start_line, b.end_line
        ));
    }
    if a.flags != b.flags {
        out.push(format!(
            "{at} flags ours={:?} oracle={:?}",
            a.flags, b.flags
        ));
    }
    if let (Some(x), Some(y)) = (&a.args, &b.args)
        && x != y
    {
        out.push(format!("{at} args ours={x:?} oracle={y:?}"));
    }
    if a.heredocs != b.heredocs {
        out.push(format!(
            "{at} heredocs ours={:?} oracle={:?}",
            a.heredocs, b.heredocs
        ));
    }
}

fn allowlist_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/parse-dockerfile-allowlist.txt")
}

/// The key of a disagreement: file, line and field (not the values, so an
/// entry survives cosmetic changes in how values print).
fn key(d: &str) -> String {
    d.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
}

#[test]
fn agrees_with_parse_dockerfile() {
    let Some(files) = common::corpus_files() else {
        return;
    };
    let mut disagreements = Vec::new();
    let (mut compared, mut oracle_rejects, mut instructions) = (0, 0, 0);
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = common::read_text(path);
        let Ok(theirs) = pd::parse(&text) else {
            oracle_rejects += 1;
            continue;
        };
        compared += 1;
        let file = syntax::parse(&text);
        let lines = LineMap::new(&text);
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let oracle = Oracle {
            body: &text[bom..],
            bom,
            esc: theirs
                .parser_directives
                .escape
                .as_ref()
                .map_or('\\', |d| d.value.value),
            lines: &lines,
        };
        let a: Vec<Rec> = file
            .instructions
            .iter()
            .map(|i| ours(&file, i, ""))
            .collect();
        let b: Vec<Rec> = theirs
            .instructions
            .iter()
            .map(|i| oracle.record(i, ""))
            .collect();
        if a.len() != b.len() {
            disagreements.push(format!(
                "{name}:0 count ours={} oracle={}",
                a.len(),
                b.len()
            ));
            continue;
        }
        instructions += a.len();
        for (x, y) in a.iter().zip(&b) {
            compare(&name, x, y, &mut disagreements);
        }
    }
    eprintln!(
        "oracle accepted {compared} of {} files ({oracle_rejects} rejected); {instructions} instructions compared; {} disagreements",
        files.len(),
        disagreements.len()
    );

    let listed_text = std::fs::read_to_string(allowlist_path()).unwrap_or_default();
    let listed: BTreeMap<String, String> = listed_text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, cause)| (k.to_owned(), cause.to_owned()))
        .collect();
    let found: BTreeMap<String, &String> = disagreements.iter().map(|d| (key(d), d)).collect();

    if std::env::var_os("SHIPSHAPE_BLESS").is_some() {
        let mut out = String::from(
            "# Disagreements with parse-dockerfile on ../shared/corpus, one per line:\n# <file>:<line> <field><TAB><cause>\n",
        );
        for (k, d) in &found {
            let cause = listed
                .get(k)
                .cloned()
                .unwrap_or_else(|| format!("TODO {d}"));
            out.push_str(&format!("{k}\t{cause}\n"));
        }
        std::fs::create_dir_all(allowlist_path().parent().unwrap()).unwrap();
        std::fs::write(allowlist_path(), out).unwrap();
    }

    let unlisted: Vec<&&String> = found
        .iter()
        .filter(|(k, _)| !listed.contains_key(*k))
        .map(|(_, d)| d)
        .collect();
    let stale: Vec<&String> = listed.keys().filter(|k| !found.contains_key(*k)).collect();
    let causes: BTreeSet<&String> = listed.values().collect();
    assert!(
        unlisted.is_empty(),
        "{} disagreements not in the allowlist:\n{}",
        unlisted.len(),
        unlisted
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        stale.is_empty(),
        "allowlist entries that no longer occur: {stale:?}"
    );
    assert!(
        causes
            .iter()
            .all(|c| !c.starts_with("TODO") && !c.trim().is_empty()),
        "every allowlisted disagreement needs a cause"
    );
}
