//! Robustness on mangled input: corpus files (or the bundled fixtures when
//! ../shared is absent) mutated thousands of ways by a fixed-seed generator.
//! The parser must never panic, and its tokens must still cover every byte.
//! The `cargo fuzz` target in fuzz/ explores the same property at length.

mod common;

use shipshape::syntax::{self, TokenKind};
use std::path::PathBuf;

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Fragments that exercise the parser's special cases.
const PIECES: &[&str] = &[
    "\\",
    "\\\n",
    "`\n",
    "\n",
    "\r\n",
    "\r",
    "#",
    "# escape=`\n",
    "# syntax=x\n",
    "\"",
    "'",
    "[",
    "]",
    "[\"a\", \"b\"]",
    ",",
    "=",
    "--",
    "--mount=type=cache,target=/x ",
    " <<EOF\n",
    "<<-'E'\n",
    "\nEOF\n",
    "EOF",
    "\t",
    "$",
    "${",
    "}",
    "\u{feff}",
    "é",
    "\u{a0}",
    " ",
    "ONBUILD ",
    "HEALTHCHECK ",
    "FROM ",
    "RUN ",
    "ENV ",
    "ARG ",
    "COPY ",
    "CMD ",
    "\\u0000",
    "\\\"",
    "{",
    ":-",
    "3<<",
    "<<<",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut s = text.to_owned();
    for _ in 0..1 + rng.below(4) {
        let boundaries: Vec<usize> = (0..=s.len()).filter(|&i| s.is_char_boundary(i)).collect();
        let k = rng.below(boundaries.len());
        let at = boundaries[k];
        // Another boundary up to 40 characters further on.
        let end = boundaries[(k + rng.below(41)).min(boundaries.len() - 1)];
        match rng.below(4) {
            0 => s.insert_str(at, PIECES[rng.below(PIECES.len())]),
            1 => s.replace_range(at..end, ""),
            2 => {
                let piece = s[at..end].to_owned();
                s.insert_str(at, &piece);
            }
            _ => s.truncate(at),
        }
    }
    s
}

fn check(text: &str) -> Result<(), String> {
    let file = syntax::parse(text);
    let mut at = 0;
    for t in syntax::tokens(&file) {
        if t.span.start != at || t.kind == TokenKind::Unknown {
            return Err(format!("token {t:?} at {at}"));
        }
        at = t.span.end;
    }
    if at as usize != text.len() {
        return Err("tokens stop short".into());
    }
    let _ = syntax::dump_buildkit(&file);
    Ok(())
}

#[test]
fn mutated_files_never_break_the_parser() {
    let seeds: Vec<PathBuf> = match common::corpus_files() {
        Some(files) => files.into_iter().step_by(7).collect(),
        None => std::fs::read_dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/syntax/heredoc"
        ))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect(),
    };
    let mut rng = Rng(0x5eed_5417_5a9e_0001);
    let mut count = 0;
    for path in &seeds {
        let text = common::read_text(path);
        for _ in 0..12 {
            let mutated = mutate(&mut rng, &text);
            if let Err(e) = check(&mutated) {
                panic!("{} mutated: {e}\n---\n{mutated}", path.display());
            }
            count += 1;
        }
    }
    eprintln!("{count} mutated inputs parsed");
}
