//! Fixes written in rule files: `[rule.fix]` is checked when it loads, its
//! edits land on the spans that placeholders and roles were read from, and
//! the examples' `fixed` text is what applying the fixes gives.

mod common;

use common::{has, load_rule_file};
use shipshape::diagnostic::{Applicability, Diagnostic};
use shipshape::rules::{CheckOptions, ExampleOutcome, RuleSet, apply_fixes, check_examples};
use shipshape::syntax;

/// A rule on `on` with `where_`, `fix` as its `[rule.fix]` table body and
/// `examples` (TOML) after it.
fn rule(on: &str, where_: &str, fix: &str, examples: &str) -> String {
    format!(
        r#"schema = 1

[[rule]]
id = "TST001"
name = "test-rule"
category = "best-practice"
severity = "warning"
summary = "A test rule"
message = "found"

[rule.match]
on = "{on}"

[rule.match.where]
{where_}

[rule.fix]
{fix}
{examples}
"#
    )
}

/// `(message, the TOML text under the error's span)` for each load error.
fn errors(toml: &str) -> Vec<(String, String)> {
    match load_rule_file(toml) {
        Ok(_) => Vec::new(),
        Err(e) => e,
    }
}

/// The diagnostics of the test rule on `dockerfile`.
fn lint(set: &RuleSet, dockerfile: &str) -> Vec<Diagnostic> {
    let file = syntax::parse(dockerfile);
    set.check_some(&file, "Dockerfile", CheckOptions::default(), |r| {
        r.meta.id == "TST001"
    })
}

/// `dockerfile` with the test rule's fixes applied until nothing changes.
fn fixed(toml: &str, dockerfile: &str) -> String {
    let set = load_rule_file(toml).unwrap_or_else(|e| panic!("does not load: {e:#?}"));
    let rule = set.find("TST001").unwrap();
    apply_fixes(&set, rule, dockerfile, CheckOptions::default())
}

const APT: &str = r#"name = ["apt-get"]
subcommand = ["install"]
lacks_flag = ["--no-install-recommends"]"#;

#[test]
fn an_insertion_after_a_placeholder_lands_after_its_word() {
    let toml = rule(
        "command",
        APT,
        r#"title = "Add --no-install-recommends"
applicability = "safe"
op = "insert-after"
at = "{subcommand}"
text = " --no-install-recommends""#,
        "",
    );
    let src = "FROM debian:12\nRUN apt-get update && \\\n    apt-get \\\n      install -y curl\n";
    assert_eq!(
        fixed(&toml, src),
        "FROM debian:12\nRUN apt-get update && \\\n    apt-get \\\n      install --no-install-recommends -y curl\n"
    );
}

#[test]
fn a_regex_group_is_replaced_byte_for_byte_across_continuations() {
    // `line` is the command's source text, continuation included.
    let toml = rule(
        "command",
        r#"name = ["curl"]
line = '(?P<insecure>--insecure|-k)\b'"#,
        r#"title = "Check certificates"
applicability = "unsafe"
edits = [{ op = "delete", at = "{insecure}" }]"#,
        "",
    );
    assert_eq!(
        fixed(
            &toml,
            "FROM a\nRUN curl -fsSL \\\n  --insecure https://x -o /x\n"
        ),
        "FROM a\nRUN curl -fsSL \\\n   https://x -o /x\n"
    );
}

#[test]
fn a_fix_whose_target_has_no_place_is_not_offered() {
    // A group inside a quoted word: the word's text is not its bytes.
    let toml = rule(
        "command",
        r#"name = ["echo"]
arg = '(?P<word>secret)'"#,
        r#"title = "Drop the word"
applicability = "safe"
op = "delete"
at = "{word}""#,
        "",
    );
    let set = load_rule_file(&toml).unwrap();
    let diags = lint(&set, "FROM a\nRUN echo \"a \\$secret\" secret\n");
    assert_eq!(diags.len(), 1);
    // The escaped word comes first and can't be aimed at; the bare one
    // could, but `arg` reports the first argument that matches.
    assert_eq!(diags[0].fix, None);
    // Quotes alone keep the bytes: the group inside is found.
    let source = "FROM a\nRUN echo \"a secret\"\n";
    let diags = lint(&set, source);
    let fix = diags[0].fix.as_ref().expect("a fix inside quotes");
    assert_eq!(fix.edits[0].span.text(source), "secret");
    let diags = lint(&set, "FROM a\nRUN echo secret\n");
    let fix = diags[0].fix.as_ref().expect("a fix for a bare word");
    assert_eq!(fix.applicability, Applicability::Safe);
    assert_eq!(fix.title, "Drop the word");
}

#[test]
fn roles_and_filters_render() {
    let toml = rule(
        "instruction",
        r#"keyword = ["WORKDIR"]"#,
        r#"title = "Rewrite {instruction|lower}"
applicability = "display-only"
edits = [
  { op = "replace", at = "keyword", text = "{instruction|lower}" },
  { op = "replace", at = "args", text = "{args|quote}" },
]"#,
        "",
    );
    let set = load_rule_file(&toml).unwrap();
    let diags = lint(&set, "FROM a\nWORKDIR /my $dir\n");
    let fix = diags[0].fix.as_ref().unwrap();
    assert_eq!(fix.title, "Rewrite workdir");
    assert_eq!(fix.applicability, Applicability::DisplayOnly);
    let texts: Vec<&str> = fix.edits.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(texts, ["workdir", r#""/my \$dir""#]);
    // Display-only fixes are never applied.
    assert_eq!(fixed(&toml, "FROM a\nWORKDIR /x\n"), "FROM a\nWORKDIR /x\n");
}

#[test]
fn fix_tables_are_checked_when_they_load() {
    let e = errors(&rule(
        "command",
        APT,
        r#"titel = "x"
applicability = "sometimes"
op = "insert-afterr"
at = "{subcmd}"
text = "{flag} {args|uppr}""#,
        "",
    ));
    has(&e, "unknown key `titel` in `[rule.fix]`", "titel");
    has(&e, "`[rule.fix]` is missing `title`", "[rule.fix]");
    has(&e, "unknown applicability `sometimes`", "\"sometimes\"");
    has(
        &e,
        "unknown edit op `insert-afterr` (did you mean `insert-after`?)",
        "\"insert-afterr\"",
    );
    has(&e, "placeholder `{subcmd}` is not bound", "{subcmd}");
    has(&e, "placeholder `{flag}` is not bound", "{flag}");
    has(
        &e,
        "unknown filter `uppr` in template (did you mean `upper`?)",
        "\"{flag} {args|uppr}\"",
    );

    let e = errors(&rule(
        "command",
        APT,
        r#"title = "x"
applicability = "safe"
edits = [{ op = "delete", at = "subcommand", text = "x" }, { op = "replace" }]"#,
        "",
    ));
    has(
        &e,
        "`subcommand` is not a role of `command` (did you mean the placeholder `{subcommand}`?)",
        "\"subcommand\"",
    );
    has(&e, "`delete` takes no `text`", "\"x\"");
    has(&e, "`replace` needs `text`", "{ op = \"replace\" }");

    let e = errors(&rule(
        "command",
        APT,
        r#"title = "x"
applicability = "safe""#,
        "",
    ));
    has(&e, "`[rule.fix]` has no edit", "[rule.fix]");
}

#[test]
fn bad_examples_of_a_fixed_rule_state_their_fixed_text() {
    let fix = r#"title = "x"
applicability = "safe"
op = "insert-after"
at = "{subcommand}"
text = " --no-install-recommends""#;
    let e = errors(&rule(
        "command",
        APT,
        fix,
        r#"
[[rule.examples]]
bad = "FROM a\nRUN apt-get install curl\n"

[[rule.examples]]
good = "FROM a\n"
fixed = "FROM a\n"
"#,
    ));
    has(
        &e,
        "a `bad` example of a rule with a fix needs `fixed`",
        "\"FROM a\\nRUN apt-get install curl\\n\"",
    );
    has(&e, "`fixed` belongs to a `bad` example", "\"FROM a\\n\"");

    // A wrong `fixed` fails the example, with the lines that differ.
    let set = load_rule_file(&rule(
        "command",
        APT,
        fix,
        r#"
[[rule.examples]]
bad = "FROM a\nRUN apt-get install curl\n"
fixed = "FROM a\nRUN apt-get install --no-install-recommends -y curl\n"
"#,
    ))
    .unwrap();
    let failures = check_examples(&set, |_| true);
    let wrong: Vec<_> = failures
        .iter()
        .filter(|f| matches!(f.outcome, ExampleOutcome::WrongFix { .. }))
        .collect();
    assert_eq!(wrong.len(), 1, "{failures:#?}");
    assert_eq!(
        wrong[0].notes(),
        ["@@ line 2 @@ (- expected, + got)\n\
          -RUN apt-get install --no-install-recommends -y curl\n\
          +RUN apt-get install --no-install-recommends curl"]
    );
}

#[test]
fn a_native_rule_has_no_roles_to_aim_at() {
    let e = errors(
        r#"schema = 1

[[rule]]
id = "TST001"
name = "test-rule"
category = "correctness"
severity = "error"
summary = "A test rule"
message = "stage `{stage}` again"
engine = "native"
native = "duplicate-stage-name"

[rule.fix]
title = "Rename"
applicability = "unsafe"
edits = [{ op = "replace", at = "stage", text = "{stage}-2" }]
"#,
    );
    has(&e, "`stage`: a native rule has no roles", "\"stage\"");
}

#[test]
fn a_native_rule_fix_aims_at_its_placeholders() {
    let toml = r#"schema = 1

[[rule]]
id = "TST001"
name = "test-rule"
category = "correctness"
severity = "error"
summary = "A test rule"
message = "stage `{stage}` again"
engine = "native"
native = "duplicate-stage-name"

[rule.fix]
title = "Rename `{stage}`"
applicability = "unsafe"
op = "insert-after"
at = "{stage}"
text = "-2"
"#;
    assert_eq!(
        fixed(toml, "FROM a AS build\nFROM b AS build\n"),
        "FROM a AS build\nFROM b AS build-2\n"
    );
}

/// IGN001's fix on shapes the examples don't show.
#[test]
fn unused_suppressions_are_deleted_cleanly() {
    let set = RuleSet::builtin().unwrap_or_else(|_| panic!("the built-in rules load"));
    let ign = set.find("IGN001").unwrap();
    let foreign = CheckOptions {
        foreign_unused: true,
        ..CheckOptions::default()
    };
    let fix = |src: &str| apply_fixes(set, ign, src, foreign);
    // Other tools' suppressions are judged only when asked.
    let shared = "FROM alpine:3.20\n# hadolint ignore=DL3004\nRUN true\n";
    assert_eq!(
        apply_fixes(set, ign, shared, CheckOptions::default()),
        shared
    );
    // The last line, without a newline: the newline before it goes too.
    assert_eq!(
        fix("FROM alpine:3.20\n# shipshape: ignore=SEC014"),
        "FROM alpine:3.20"
    );
    // CRLF line ends, and blanks before the comment.
    assert_eq!(
        fix("FROM alpine:3.20\r\n  # hadolint ignore=DL3004\r\nRUN true\r\n"),
        "FROM alpine:3.20\r\nRUN true\r\n"
    );
    // A byte order mark stays.
    assert_eq!(
        fix("\u{feff}# hadolint global ignore=DL3002\nFROM alpine:3.20\n"),
        "\u{feff}FROM alpine:3.20\n"
    );
    // Codes that name no rule, or a foreign check shipshape lacks, stay.
    assert_eq!(
        fix("FROM alpine:3.20\n# hadolint ignore=DL3004,DL3059\nRUN true\n"),
        "FROM alpine:3.20\n# hadolint ignore=DL3059\nRUN true\n"
    );
    // Several unused codes among used ones go, round after round.
    assert_eq!(
        fix("FROM alpine:3.20\n# shipshape: ignore=SEC001 , SEC002,SEC014 -- why\nRUN sudo true\n"),
        "FROM alpine:3.20\n# shipshape: ignore=SEC014 -- why\nRUN sudo true\n"
    );
    // A `skip` clause before other settings takes its `;` along, and so
    // does one after them.
    assert_eq!(
        fix("# check=skip=DuplicateStageName;error=true\nFROM alpine:3.20 AS build\n"),
        "# check=error=true\nFROM alpine:3.20 AS build\n"
    );
    assert_eq!(
        fix("# check=error=true;skip=DuplicateStageName\nFROM alpine:3.20\n"),
        "# check=error=true\nFROM alpine:3.20\n"
    );
}

#[test]
fn subject_placeholders_carry_the_spans_of_their_words() {
    let image = rule(
        "image",
        r#"tag_is = ["latest"]"#,
        r#"title = "Pin `{name}`"
applicability = "unsafe"
op = "replace"
at = "{tag}"
text = "1.2""#,
        "",
    );
    assert_eq!(
        fixed(
            &image,
            "FROM docker.io/library/python:latest AS b\nARG T=latest\nFROM python:$T\n"
        ),
        // A tag that comes from a variable is not written where it is read.
        "FROM docker.io/library/python:1.2 AS b\nARG T=latest\nFROM python:$T\n"
    );

    let pair = rule(
        "pair",
        "legacy = true",
        r#"title = "Use `{key}=value`"
applicability = "safe"
op = "replace"
at = "pair"
text = "{key}={value|quote}""#,
        "",
    );
    assert_eq!(
        fixed(&pair, "FROM a\nENV GREETING hello big world\n"),
        "FROM a\nENV GREETING=\"hello big world\"\n"
    );
}

#[test]
fn a_native_check_that_fixes_needs_fixed_examples() {
    let e = errors(
        r#"schema = 1

[[rule]]
id = "TST001"
name = "test-rule"
category = "correctness"
severity = "warning"
summary = "A test rule"
message = "{message}"
engine = "native"
native = "unused-suppression"

[[rule.examples]]
bad = "FROM a\n# shipshape: ignore=SEC014\nRUN true\n"
"#,
    );
    has(
        &e,
        "a `bad` example of a rule with a fix needs `fixed`",
        "\"FROM a\\n# shipshape: ignore=SEC014\\nRUN true\\n\"",
    );
}
