//! The linter's settings behaviour, without the binary: a settings file and
//! a Dockerfile in, diagnostics, thresholds and problems out.

use super::*;
use crate::diagnostic::Diagnostic;
use std::fs;

/// A final stage without USER (SEC001) whose base image is not pinned.
const NO_USER: &str = "FROM alpine:3.20\nRUN echo hi\n";

/// A folder holding `.shipshape.toml` with `settings`, and the path of a
/// Dockerfile in it (not written: the linter lints text).
fn project(settings: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    fs::write(dir.path().join(".shipshape.toml"), settings)
        .unwrap_or_else(|e| panic!("settings: {e}"));
    let dockerfile = dir.path().join("Dockerfile");
    (dir, dockerfile)
}

fn linter_for(paths: &[PathBuf]) -> Linter {
    Linter::new(LintOptions::default(), paths).unwrap_or_else(|p| panic!("{p:?}"))
}

fn lint(linter: &Linter, path: &Path, text: &str) -> Vec<Diagnostic> {
    linter
        .lint_text(path, "Dockerfile", text)
        .unwrap_or_else(|e| panic!("{e:?}"))
        .diagnostics
}

fn rules_of(diagnostics: &[Diagnostic]) -> Vec<&str> {
    let mut ids: Vec<&str> = diagnostics.iter().map(|d| d.rule.as_str()).collect();
    ids.dedup();
    ids
}

#[test]
fn settings_select_and_the_options_override_them() {
    let (_dir, path) = project("select = [\"SEC001\"]\n");
    let linter = linter_for(std::slice::from_ref(&path));
    assert_eq!(rules_of(&lint(&linter, &path, NO_USER)), ["SEC001"]);
    assert!(linter.problems().is_empty(), "{:?}", linter.problems());

    let options = LintOptions {
        select: vec!["SEC".to_owned()],
        ignore: vec!["SEC001".to_owned()],
        ..LintOptions::default()
    };
    let linter =
        Linter::new(options, std::slice::from_ref(&path)).unwrap_or_else(|p| panic!("{p:?}"));
    let ids = rules_of(&lint(&linter, &path, "FROM alpine:3.20\nUSER root\n")).join(",");
    assert_eq!(ids, "SEC002");
}

#[test]
fn severity_overrides_apply_to_findings_and_rule_metadata() {
    let (_dir, path) =
        project("select = [\"SEC001\"]\n[severity]\nSEC = \"info\"\nSEC001 = \"error\"\n");
    let linter = linter_for(std::slice::from_ref(&path));
    let found = lint(&linter, &path, NO_USER);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, Severity::Error);
    let enabled: Vec<(&str, Severity)> = linter
        .enabled_rules(Some(&path))
        .into_iter()
        .map(|(r, s)| (r.meta.id.as_str(), s))
        .collect();
    assert_eq!(enabled, [("SEC001", Severity::Error)]);
    // A file no settings file governs keeps the rule's own severity.
    let sec001 = linter.enabled_rules(None);
    assert!(
        sec001
            .iter()
            .any(|(r, s)| r.meta.id == "SEC001" && *s == Severity::Warning)
    );
}

#[test]
fn per_path_ignores_match_paths_under_the_settings_folder() {
    let (dir, _) = project("[per-path-ignores]\n\"legacy/**\" = [\"SEC001\"]\n");
    let legacy = dir.path().join("legacy/app/Dockerfile");
    let app = dir.path().join("app/Dockerfile");
    let linter = linter_for(&[legacy.clone(), app.clone()]);
    assert!(!rules_of(&lint(&linter, &legacy, NO_USER)).contains(&"SEC001"));
    assert!(rules_of(&lint(&linter, &app, NO_USER)).contains(&"SEC001"));
}

#[test]
fn options_become_the_rules_data() {
    let text = "FROM alpine:3.20\nUSER nobody\n";
    let (_dir, path) = project("[options]\nallowed-users = [\"app\"]\n");
    let linter = linter_for(std::slice::from_ref(&path));
    assert!(rules_of(&lint(&linter, &path, text)).contains(&"SEC018"));
    // Without the option the rule has nothing to judge by.
    let isolated = Linter::new(
        LintOptions {
            settings: SettingsFiles::Ignore,
            ..LintOptions::default()
        },
        std::slice::from_ref(&path),
    )
    .unwrap_or_else(|p| panic!("{p:?}"));
    assert!(!rules_of(&lint(&isolated, &path, text)).contains(&"SEC018"));
}

#[test]
fn the_failure_threshold_comes_from_settings_unless_the_options_set_it() {
    let (_dir, path) = project("fail-on = \"error\"\n");
    let linter = linter_for(std::slice::from_ref(&path));
    assert_eq!(linter.fail_on(&path), FailOn::At(Severity::Error));
    let options = LintOptions {
        fail_on: Some(FailOn::Never),
        ..LintOptions::default()
    };
    let linter =
        Linter::new(options, std::slice::from_ref(&path)).unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(linter.fail_on(&path), FailOn::Never);
}

#[test]
fn settings_problems_are_data_and_the_rest_of_the_file_applies() {
    let settings = "fail-on = \"loud\"\n";
    let (_dir, path) = project(settings);
    let linter = linter_for(std::slice::from_ref(&path));
    let problems = linter.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    let p = &problems[0];
    assert_eq!(
        (p.kind, p.severity),
        (ProblemKind::Settings, Severity::Error)
    );
    assert!(
        p.path
            .as_deref()
            .is_some_and(|f| f.ends_with(".shipshape.toml"))
    );
    let at = p.at.as_ref().unwrap_or_else(|| panic!("no place: {p:?}"));
    assert_eq!(at.span.text(&at.text), "\"loud\"");
    assert!(
        p.message
            .starts_with("invalid settings: `fail-on` must be one of")
    );
    // The file governs, with its bad value left at the default.
    assert!(linter.settings_file(&path).is_some());
    assert_eq!(linter.fail_on(&path), FailOn::DEFAULT);

    let (_dir, path) = project("ignore = [\"NOPE999\"]\n");
    let problems = linter_for(std::slice::from_ref(&path)).problems();
    assert!(
        problems[0].message.contains("`NOPE999` matches no rule"),
        "{problems:?}"
    );
}

#[test]
fn a_selector_in_the_options_that_names_nothing_is_fatal() {
    let options = LintOptions {
        select: vec!["NOPE999".to_owned()],
        settings: SettingsFiles::Ignore,
        ..LintOptions::default()
    };
    let problems = Linter::new(options, &[]).err().unwrap_or_default();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].message.contains("`NOPE999` matches no rule"));
}

#[test]
fn linting_again_reads_no_settings_file() {
    let (dir, path) = project("select = [\"SEC001\"]\n");
    let linter = linter_for(std::slice::from_ref(&path));
    assert_eq!(rules_of(&lint(&linter, &path, NO_USER)), ["SEC001"]);
    // Settings are read once per linter: a change on disk is not seen, and
    // a second file in the same folder needs no lookup of its own.
    fs::write(
        dir.path().join(".shipshape.toml"),
        "select = [\"SEC018\"]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rules_of(&lint(&linter, &path, NO_USER)), ["SEC001"]);
    let other = dir.path().join("Dockerfile.dev");
    assert_eq!(rules_of(&lint(&linter, &other, NO_USER)), ["SEC001"]);
}

#[test]
fn a_settings_file_met_later_is_read_then() {
    let (_dir, path) = project("select = [\"SEC001\"]\n");
    let linter = linter_for(&[]);
    assert_eq!(rules_of(&lint(&linter, &path, NO_USER)), ["SEC001"]);
    assert!(linter.settings_file(&path).is_some());
}

#[test]
fn bytes_that_are_not_utf8_are_a_diagnostic() {
    let linter = Linter::new(
        LintOptions {
            settings: SettingsFiles::Ignore,
            ..LintOptions::default()
        },
        &[],
    )
    .unwrap_or_else(|p| panic!("{p:?}"));
    let report = linter
        .lint_bytes(
            Path::new("Dockerfile"),
            "Dockerfile",
            b"FROM alpine\xff\n".to_vec(),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("not valid UTF-8")),
        "{:?}",
        report.diagnostics
    );
}

#[test]
fn a_panic_is_the_files_error_and_the_next_file_is_linted() {
    if !cfg!(debug_assertions) {
        return; // the `test-panic` native rule exists only in debug builds
    }
    let options = LintOptions {
        rule_dirs: vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules/test-panic")],
        settings: SettingsFiles::Ignore,
        ..LintOptions::default()
    };
    let linter = Linter::new(options, &[]).unwrap_or_else(|p| panic!("{p:?}"));
    let path = Path::new("Dockerfile");
    let err = linter
        .lint_text(
            path,
            "x/Dockerfile",
            "FROM alpine:3.20\nLABEL x=shipshape-test-panic\n",
        )
        .err()
        .unwrap_or_else(|| panic!("no error"));
    assert_eq!(err.path, "x/Dockerfile");
    assert!(
        err.message
            .contains("internal error while linting this file"),
        "{}",
        err.message
    );
    assert!(
        err.message
            .contains("test-panic: the file asked for a panic"),
        "{}",
        err.message
    );
    assert!(linter.lint_text(path, "Dockerfile", NO_USER).is_ok());
}
