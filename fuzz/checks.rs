//! What each fuzz target checks, one function per target, shared by the
//! fuzz targets (`fuzz/fuzz_targets/`) and by `cargo test`, which runs every
//! input kept under `fuzz/regressions/<target>/` through the same function
//! (tests/fuzz_regressions.rs). A check returns normally or panics.
#![allow(dead_code)]

use shipshape::config::Config;
use shipshape::diagnostic::Applicability;
use shipshape::fix;
use shipshape::lint::lint_bytes;
use shipshape::report::{self, Format, Run};
use shipshape::rules::{CheckOptions, RuleSet, SourceFile};
use shipshape::shell::{self, Origin, Script};
use shipshape::syntax::{self, TokenKind};
use std::path::{Path, PathBuf};

fn builtin() -> &'static RuleSet {
    match RuleSet::builtin() {
        Ok(rules) => rules,
        Err(_) => panic!("the built-in rules load"),
    }
}

/// Any bytes → the parser: no panic, and its tokens rebuild the decoded
/// source exactly, with no byte left unaccounted for.
pub fn parse(data: &[u8]) {
    let decoded = syntax::decode(data.to_vec());
    let file = syntax::parse(&decoded.text);
    let tokens = syntax::tokens(&file);
    let mut at = 0;
    for t in &tokens {
        assert_eq!(t.span.start, at, "tokens are contiguous");
        assert_ne!(t.kind, TokenKind::Unknown, "every byte is accounted for");
        at = t.span.end;
    }
    assert_eq!(at as usize, decoded.text.len(), "tokens cover the source");
    let _ = syntax::dump_buildkit(&file);
    let _ = file.trivia();
    for e in &file.errors {
        assert!(
            decoded.text.get(e.span.range()).is_some(),
            "error spans are in range"
        );
    }
}

fn check_script(script: &Script, text: &str) {
    let len = text.len();
    for c in &script.commands {
        for w in std::iter::once(&c.name)
            .chain(&c.args)
            .chain(&c.assignments)
            .chain(&c.wrappers)
        {
            assert!(
                w.span.start <= w.span.end && w.span.end as usize <= len,
                "word span in range"
            );
        }
        assert!(c.span.end as usize <= len, "command span in range");
    }
    if let Some(e) = &script.error {
        assert!(e.span.end as usize <= len, "error span in range");
    }
    for w in &script.written {
        check_script(w, text);
    }
}

/// Any text → the shell splitters (POSIX, cmd and PowerShell): no panic,
/// and every word and command span inside the text.
pub fn shell(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let origin = Origin::Source { base: 0 };
    check_script(&shell::split(text, origin), text);
    check_script(&shell::split_windows(text, origin, false), text);
    check_script(&shell::split_windows(text, origin, true), text);
}

/// An error's span lies inside `text`, on character boundaries.
fn assert_points_into(text: &str, span: &std::ops::Range<usize>) {
    assert!(
        text.get(span.clone()).is_some(),
        "error span {span:?} inside the text"
    );
}

/// A Dockerfile touching many rules, for the rule-loader target.
const DOCKERFILE: &str = "FROM ubuntu:latest AS build\nARG TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345\nRUN sudo apt-get install -y curl && curl -k https://x | sh\nENV PASSWORD=hunter2\nEXPOSE 2375\nFROM scratch\nCOPY --from=build /x /x\nCMD [\"/x\"]\n";

/// Any TOML text → the rule loader: no panic; a rule set that loads lints a
/// small Dockerfile; every load error points inside its file. One input in
/// eight (by length) is loaded beside the built-in pack, as users' files
/// are; the others alone, which is a hundred times faster.
pub fn rules(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sources = if data.len().is_multiple_of(8) {
        RuleSet::builtin_sources()
    } else {
        Vec::new()
    };
    sources.push(SourceFile {
        name: "fuzz.toml".to_owned(),
        text: text.to_owned(),
    });
    match RuleSet::load(sources) {
        Ok(rules) => {
            let file = syntax::parse(DOCKERFILE);
            let _ = rules.check(&file, "Dockerfile", CheckOptions::default());
        }
        Err(failure) => {
            for e in &failure.errors {
                assert_points_into(&failure.sources[e.file].text, &e.span);
            }
            let mut out = Vec::new();
            let rendered = report::write_problems(&failure.problems(), false, &mut out);
            assert!(rendered.is_ok(), "load errors render: {rendered:?}");
        }
    }
}

/// Any text → the settings loaders (`.shipshape.toml` when the first byte
/// is even, `.hadolint.yaml` when it is odd): no panic, every error inside
/// the text, and a file that loads checks its selectors and per-path
/// ignores against the built-in rules.
pub fn config(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let (path, dir) = (PathBuf::from("settings"), PathBuf::from("."));
    let loaded = if selector % 2 == 0 {
        Config::parse(text, path, dir)
    } else {
        Config::parse_hadolint(text, path, dir)
    };
    let errors = match loaded {
        Ok(config) => {
            let _ = config.ignored_for(Path::new("services/api/Dockerfile"));
            let (errors, warnings) = config.check_selectors(builtin());
            let parsed = config.errors.iter().chain(&config.warnings).cloned();
            errors.into_iter().chain(warnings).chain(parsed).collect()
        }
        Err(errors) => errors,
    };
    for e in &errors {
        assert_points_into(text, &e.span);
    }
}

/// Any bytes → a whole-file lint with the built-in pack: no panic, every
/// diagnostic's spans on character boundaries of the decoded text, and
/// every output format renders it, the terminal one with no raw control
/// characters.
pub fn lint(data: &[u8]) {
    let report = lint_bytes(
        "Dockerfile",
        data.to_vec(),
        builtin(),
        CheckOptions::default(),
        &|_| true,
    );
    for d in &report.diagnostics {
        for span in std::iter::once(d.span).chain(d.labels.iter().map(|l| l.span)) {
            assert!(
                report.source.get(span.range()).is_some(),
                "span {span:?} on character boundaries"
            );
        }
    }
    let mut run = Run::default();
    run.reports.push(report);
    for format in Format::ALL {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let rendered = report::write(&run, format, false, &mut out, &mut err);
        assert!(rendered.is_ok(), "{format:?} renders: {rendered:?}");
        if format == Format::Human {
            let text = String::from_utf8_lossy(&out);
            let raw = text
                .chars()
                .find(|&c| c.is_control() && c != '\n' && c != '\t');
            assert!(
                raw.is_none(),
                "raw control character {raw:?} in pretty output"
            );
        }
    }
}

/// Any bytes → every fix of the built-in pack, unsafe ones included, round
/// after round until the text is stable: no panic; the rounds converge; no
/// round was refused (so no fix added a syntax error or changed how BuildKit
/// reads an instruction it did not target); the result has no syntax error
/// the input lacked and as many instructions; and fixing it again changes
/// nothing.
pub fn fix(data: &[u8]) {
    let decoded = syntax::decode(data.to_vec());
    if decoded.error.is_some() {
        // Text that is not UTF-8 is never fixed: writing it back would lose bytes.
        return;
    }
    let text = decoded.text;
    let mut lint = |t: &str| {
        lint_bytes(
            "Dockerfile",
            t.as_bytes().to_vec(),
            builtin(),
            CheckOptions::default(),
            &|_| true,
        )
        .diagnostics
    };
    let fixed = fix::fix_text(&text, Applicability::Unsafe, &mut lint);
    assert!(
        fixed.rolled_back.is_empty(),
        "every fix keeps the file's reading: {:?}",
        fixed.rolled_back
    );
    assert!(
        fixed.converged,
        "fixes converge within {} rounds",
        fix::MAX_ROUNDS
    );
    let (before, after) = (syntax::parse(&text), syntax::parse(&fixed.text));
    for kind in after.errors.iter().map(|e| e.kind) {
        let count = |f: &syntax::Dockerfile<'_>| f.errors.iter().filter(|e| e.kind == kind).count();
        assert!(
            count(&after) <= count(&before),
            "fixing adds no syntax error: {kind:?}"
        );
    }
    assert_eq!(
        before.instructions.len(),
        after.instructions.len(),
        "fixing keeps every instruction"
    );
    let again = fix::fix_text(&fixed.text, Applicability::Unsafe, &mut lint);
    assert_eq!(
        again.text, fixed.text,
        "fixing a fixed text changes nothing"
    );
}
