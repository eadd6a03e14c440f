//! Conformance with BuildKit's own parser test cases (../shared/buildkit-parser-cases).

mod common;

use shipshape::syntax::{self, SyntaxErrorKind};
use std::path::Path;

fn cases(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .expect("cases directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("Dockerfile").exists())
        .collect();
    v.sort();
    v
}

#[test]
fn positive_cases_dump_exactly_as_buildkit() {
    let Some(shared) = common::shared_dir("buildkit-parser-cases") else {
        return;
    };
    let dir = shared.join("buildkit-parser-cases/positive");
    let mut passed = 0;
    let mut failures = Vec::new();
    let all = cases(&dir);
    for case in &all {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let text = common::read_text(&case.join("Dockerfile"));
        let expected = std::fs::read_to_string(case.join("result")).expect("result file");
        let file = syntax::parse(&text);
        let got = syntax::dump_buildkit(&file);
        if got != expected {
            failures.push(format!("{name}:\n--- expected\n{expected}--- got\n{got}"));
            continue;
        }
        // BuildKit's parser accepts every positive case; its instruction layer
        // rejects two of them (`COPY --user`, bare HEALTHCHECK). Nothing else
        // may be reported.
        let kinds: Vec<_> = file.errors.iter().map(|e| e.kind).collect();
        let expected_kinds: &[SyntaxErrorKind] = match name.as_str() {
            "flags" => &[
                SyntaxErrorKind::UnknownFlag,
                SyntaxErrorKind::UnknownFlag,
                SyntaxErrorKind::UnknownFlag,
                SyntaxErrorKind::UnknownFlag,
                SyntaxErrorKind::UnknownFlag,
                SyntaxErrorKind::UnknownFlag,
                SyntaxErrorKind::UnknownFlag,
                SyntaxErrorKind::UnknownFlag,
            ],
            "health" => &[
                SyntaxErrorKind::ArgumentCount,
                SyntaxErrorKind::InvalidHealthcheck,
                SyntaxErrorKind::InvalidHealthcheck,
            ],
            // Snippets without FROM: BuildKit's instruction layer has no stage for them.
            n if n.starts_with("jeztah-") || n == "json" => &[SyntaxErrorKind::NoBuildStage],
            _ => &[],
        };
        if kinds != expected_kinds {
            failures.push(format!("{name}: errors {:#?}", file.errors));
            continue;
        }
        passed += 1;
    }
    eprintln!("BuildKit positive cases: {passed}/{}", all.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(all.len(), 33);
}

#[test]
fn negative_cases_are_errors() {
    let Some(shared) = common::shared_dir("buildkit-parser-cases") else {
        return;
    };
    let dir = shared.join("buildkit-parser-cases/negative");
    let all = cases(&dir);
    let mut got = Vec::new();
    for case in &all {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let text = common::read_text(&case.join("Dockerfile"));
        let file = syntax::parse(&text);
        let kinds: Vec<_> = file.errors.iter().map(|e| e.kind).collect();
        got.push((name, kinds));
    }
    eprintln!(
        "BuildKit negative cases: {}/{} rejected",
        got.iter().filter(|(_, k)| !k.is_empty()).count(),
        all.len()
    );
    let expected = vec![
        (
            "empty_dockerfile".to_owned(),
            vec![SyntaxErrorKind::NoInstructions],
        ),
        (
            "env_no_value".to_owned(),
            vec![SyntaxErrorKind::MissingValue],
        ),
        (
            "only_comments".to_owned(),
            vec![SyntaxErrorKind::NoInstructions],
        ),
        (
            "shykes-nested-json".to_owned(),
            vec![
                SyntaxErrorKind::JsonNotStrings,
                SyntaxErrorKind::NoBuildStage,
            ],
        ),
    ];
    assert_eq!(got, expected);
}

#[test]
fn line_ranges_match_buildkit() {
    let Some(shared) = common::shared_dir("buildkit-parser-cases") else {
        return;
    };
    let text = common::read_text(&shared.join("buildkit-parser-cases/testfile-line/Dockerfile"));
    let file = syntax::parse(&text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let ranges: Vec<(u32, u32)> = file
        .instructions
        .iter()
        .map(|i| file.line_range(i.span))
        .collect();
    // BuildKit's TestParseIncludesLineNumbers.
    assert_eq!(ranges, vec![(5, 5), (11, 12), (17, 31)]);
    // `# ESCAPE=\` is a directive: keys are case-insensitive.
    assert_eq!(file.directives.len(), 1);
    // The RUN spans empty continuation lines, which BuildKit warns about.
    let empty = file
        .trivia()
        .iter()
        .filter(|t| t.kind == syntax::TriviaKind::EmptyContinuationLine)
        .count();
    assert_eq!(empty, 4);
}
