//! The parser over every file of ../shared/corpus: no panics, a lossless
//! token stream, and tokens whose text fits their kind.

mod common;

use shipshape::syntax::{self, Arguments, Dockerfile, Instruction, Token, TokenKind};

/// Checks one token's text against its kind; returns a complaint if it doesn't fit.
fn check_token(file: &Dockerfile<'_>, token: &Token) -> Option<String> {
    let text = token.span.text(file.source);
    let ok = match token.kind {
        TokenKind::Bom => text == "\u{feff}",
        TokenKind::Directive | TokenKind::Comment => text.starts_with('#'),
        TokenKind::Whitespace => text.chars().all(|c| c.is_whitespace() && c != '\n'),
        TokenKind::Newline => text.trim_start_matches('\r') == "\n",
        TokenKind::LineContinuation => {
            text.starts_with(file.escape) && text[1..].chars().all(|c| c == ' ' || c == '\t')
        }
        TokenKind::Keyword | TokenKind::Word | TokenKind::HeredocEnd => {
            !text.is_empty() && !text.contains('\n')
        }
        TokenKind::Flag => text.starts_with("--") && !text.contains('\n'),
        TokenKind::Punct => matches!(text, "[" | "]" | "," | "=" | "--"),
        TokenKind::HeredocBody => !text.is_empty(),
        TokenKind::Unknown => false,
    };
    (!ok).then(|| format!("{:?} token {:?} at {:?}", token.kind, text, token.span))
}

/// Spans must lie inside the source on character boundaries, and words
/// whose text is borrowed must be exactly the bytes they span.
fn check_instruction(file: &Dockerfile<'_>, inst: &Instruction<'_>, problems: &mut Vec<String>) {
    let src = file.source;
    let mut check = |what: &str, w: &syntax::Word<'_>, verbatim: bool| {
        if src.get(w.span.range()).is_none() {
            problems.push(format!("{what} span {:?} outside the source", w.span));
        } else if verbatim && inst.map.is_single() && w.span.text(src) != w.text {
            problems.push(format!(
                "{what} text {:?} != source {:?}",
                w.text,
                w.span.text(src)
            ));
        }
    };
    check("keyword", &inst.keyword, true);
    for f in &inst.flags {
        check("flag name", &f.name, false);
        if let Some(v) = &f.value {
            check("flag value", v, false);
        }
    }
    match &inst.args {
        Arguments::List(ws) => ws.iter().for_each(|w| check("word", w, true)),
        Arguments::Shell(w) => check("shell", w, true),
        Arguments::Exec(e) => e.elements.iter().for_each(|w| check("json", w, false)),
        Arguments::KeyValues(kv) => {
            for p in kv {
                check("key", &p.key, true);
                if let Some(v) = &p.value {
                    check("value", v, false);
                }
            }
        }
        Arguments::ArgDecls(d) => d.iter().for_each(|d| check("arg", &d.name, true)),
        Arguments::Healthcheck(h) => check("healthcheck type", &h.kind, true),
        Arguments::Onbuild(inner) => check_instruction(file, inner, problems),
        Arguments::Empty => {}
    }
    for h in &inst.heredocs {
        if h.body.text(src) != h.content {
            problems.push(format!("heredoc body {:?} != content", h.body));
        }
    }
}

#[test]
fn every_corpus_file_round_trips() {
    let Some(files) = common::corpus_files() else {
        return;
    };
    let mut failures = Vec::new();
    let mut with_errors = 0;
    let mut instructions = 0;
    let mut tokens_total = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy();
        let text = common::read_text(path);
        let file = syntax::parse(&text);
        instructions += file.instructions.len();
        if !file.errors.is_empty() {
            with_errors += 1;
        }
        let tokens = syntax::tokens(&file);
        tokens_total += tokens.len();
        let mut rebuilt = String::with_capacity(text.len());
        let mut at = 0;
        let mut problems = Vec::new();
        for t in &tokens {
            if t.span.start != at {
                problems.push(format!("gap or overlap at {at}: next token {:?}", t.span));
            }
            at = t.span.end;
            rebuilt.push_str(t.span.text(&text));
            if let Some(p) = check_token(&file, t) {
                problems.push(p);
            }
        }
        if rebuilt != text {
            problems.push("tokens do not rebuild the source".to_owned());
        }
        for inst in &file.instructions {
            check_instruction(&file, inst, &mut problems);
        }
        if !problems.is_empty() {
            problems.truncate(5);
            failures.push(format!("{name}: {}", problems.join("; ")));
        }
    }
    eprintln!(
        "{} files, {instructions} instructions, {tokens_total} tokens; {} round-trip failures; {with_errors} files with syntax errors",
        files.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} files fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
