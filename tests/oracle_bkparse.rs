//! Acceptance against `../shared/tools/bkparse.py`, an approximate BuildKit
//! oracle: every corpus file it accepts parses without syntax error, and
//! every file it rejects gets at least one syntax error from shipshape.
//!
//! One BuildKit rule is missing from the oracle: an instruction other than
//! ARG before the first FROM ("no build stage in current context", from
//! BuildKit's `instructions.Parse`). Files the oracle accepts may therefore
//! carry exactly that error and nothing else.

mod common;

use shipshape::syntax::{self, SyntaxErrorKind};
use std::collections::BTreeMap;
use std::process::Command;

#[test]
fn agrees_with_bkparse() {
    let Some(shared) = common::shared_dir("tools/bkparse.py") else {
        return;
    };
    let Some(files) = common::corpus_files() else {
        return;
    };
    let tmp = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("bkparse");
    std::fs::create_dir_all(&tmp).unwrap();
    let list = tmp.join("list.txt");
    let out = tmp.join("out.tsv");
    let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    std::fs::write(&list, names.join("\n") + "\n").unwrap();
    let status = Command::new("python3")
        .arg(shared.join("tools/bkparse.py"))
        .arg(&list)
        .arg(&out)
        .arg(tmp.join("runs.rec"))
        .status();
    let status = match status {
        Ok(s) => s,
        Err(e) if std::env::var_os("SHIPSHAPE_REQUIRE_SHARED").is_none() => {
            eprintln!("skipped: cannot run python3: {e}");
            return;
        }
        Err(e) => panic!("cannot run python3: {e}"),
    };
    assert!(status.success(), "bkparse.py failed");

    let verdicts: BTreeMap<String, (bool, String)> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let mut parts = l.splitn(3, '\t');
            let path = parts.next()?.to_owned();
            let accept = parts.next()? == "accept";
            Some((path, (accept, parts.next().unwrap_or("").to_owned())))
        })
        .collect();
    assert_eq!(
        verdicts.len(),
        files.len(),
        "bkparse.py gave a verdict for every file"
    );

    let mut accepted = 0;
    let mut clean = 0;
    let mut no_stage_only = 0;
    let mut stricter = Vec::new();
    let mut laxer = Vec::new();
    let mut rejected_by_kind: BTreeMap<&'static str, usize> = BTreeMap::new();
    for path in &files {
        let key = path.display().to_string();
        let (accept, detail) = &verdicts[&key];
        let text = common::read_text(path);
        let file = syntax::parse(&text);
        let kinds: Vec<SyntaxErrorKind> = file.errors.iter().map(|e| e.kind).collect();
        let name = path.file_name().unwrap().to_string_lossy();
        if *accept {
            accepted += 1;
            if kinds.is_empty() {
                clean += 1;
            } else if kinds == [SyntaxErrorKind::NoBuildStage] {
                no_stage_only += 1;
            } else {
                stricter.push(format!("{name}: {:?}", file.errors));
            }
        } else if let Some(first) = kinds.first() {
            *rejected_by_kind.entry(first.code()).or_default() += 1;
        } else {
            laxer.push(format!("{name}: bkparse says {detail}"));
        }
    }
    eprintln!(
        "bkparse accepts {accepted} of {} files: {clean} parse without syntax error, {no_stage_only} only lack a build stage",
        files.len()
    );
    eprintln!(
        "bkparse rejects {} files; shipshape's first error on them: {rejected_by_kind:?}",
        files.len() - accepted
    );
    assert!(
        stricter.is_empty(),
        "errors on files BuildKit accepts:\n{}",
        stricter.join("\n")
    );
    assert!(
        laxer.is_empty(),
        "no error on files BuildKit rejects:\n{}",
        laxer.join("\n")
    );
}
