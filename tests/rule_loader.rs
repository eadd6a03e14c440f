//! Loading rule files: every problem is reported at once, with a span into
//! the TOML that points at the culprit.

mod common;

use common::{has, load_errors, load_rules};
use shipshape::rules::{CheckOptions, RuleSet, SourceFile};
use shipshape::syntax;

/// `(message, the TOML text under the error's span)` for each load error.
fn errors(toml: &str) -> Vec<(String, String)> {
    load_errors(&[("test.toml", toml)])
        .into_iter()
        .map(|(file, message, under)| {
            assert_eq!(file, "test.toml");
            (message, under)
        })
        .collect()
}

/// A valid rule with `{extra}` spliced into `[rule.match.where]`.
fn rule(head: &str, on: &str, where_: &str) -> String {
    format!(
        r#"schema = 1

[[rule]]
id = "TST001"
name = "test-rule"
category = "best-practice"
severity = "warning"
summary = "A test rule"
{head}

[rule.match]
on = "{on}"

[rule.match.where]
{where_}

[[rule.examples]]
bad = "FROM alpine:3.20\nRUN sudo true\n"

[[rule.examples]]
good = "FROM alpine:3.20\n"
"#
    )
}

/// Loads `toml` (which must load cleanly) and returns the messages its
/// rules give on a RUN step that uses sudo.
fn messages_under_sudo(toml: &str) -> Vec<String> {
    messages_on(toml, "FROM alpine:3.20\nRUN sudo apk add curl\n")
}

#[test]
fn a_valid_rule_loads_and_runs() {
    let toml = rule(
        r#"message = "`{command}` under sudo""#,
        "command",
        r#"wrapped_by = ["sudo"]"#,
    );
    assert_eq!(messages_under_sudo(&toml), ["`apk` under sudo"]);
}

#[test]
fn toml_syntax_errors() {
    let e = errors("schema = 1\n[[rule]]\nid = \"X\nname = 3\n");
    assert!(e[0].0.starts_with("TOML syntax error"), "{e:?}");
}

#[test]
fn unknown_keys_suggest_the_closest() {
    let toml = rule(r#"mesage = "x""#, "command", r#"name = "sudo""#);
    let e = errors(&toml);
    has(
        &e,
        "unknown key `mesage` in `[[rule]]` (did you mean `message`?)",
        "mesage",
    );
    has(&e, "missing `message`", "[[rule]]");
}

#[test]
fn bad_regexes() {
    let toml = rule(r#"message = "x""#, "command", r#"line = '(unclosed'"#);
    has(
        &errors(&toml),
        "invalid regex: unclosed group",
        "'(unclosed'",
    );
}

#[test]
fn unbound_placeholders() {
    let toml = rule(
        r#"message = "`{command}` reads {secret}""#,
        "command",
        r#"name = "curl""#,
    );
    has(
        &errors(&toml),
        "placeholder `{secret}` is not bound",
        "{secret}",
    );
    // A regex group binds its name.
    let toml = rule(
        r#"message = "`{command}` reads {secret}""#,
        "command",
        r#"line = '-u \S+:(?P<secret>\S+)'"#,
    );
    assert_eq!(errors(&toml), Vec::<(String, String)>::new());
}

#[test]
fn predicates_that_do_not_fit_the_subject() {
    let toml = rule(r#"message = "x""#, "command", "user_set = true");
    has(
        &errors(&toml),
        "`user_set` is not a test for `on = \"command\"`",
        "user_set",
    );
    let toml = rule(
        r#"message = "x""#,
        "stage",
        r#"has_flag = ["--privileged"]"#,
    );
    has(
        &errors(&toml),
        "`has_flag` is not a test for `on = \"stage\"`",
        "has_flag",
    );
}

#[test]
fn relations_do_not_nest() {
    let toml = rule(
        r#"message = "x""#,
        "command",
        r#"followed_by = { not_followed_by = { name = "rm" } }"#,
    );
    has(
        &errors(&toml),
        "`not_followed_by` inside another relation",
        "not_followed_by",
    );
}

#[test]
fn wrong_types_and_values() {
    let toml = rule(r#"message = "x""#, "comand", r#"name = "x""#);
    has(&errors(&toml), "comand", "\"comand\"");
    let toml = rule(r#"message = "x""#, "command", r#"name = "x""#)
        .replace(r#"severity = "warning""#, "severity = 3");
    has(&errors(&toml), "severity", "3");
    let toml = rule(r#"message = "x""#, "command", r#"name = "x""#)
        .replace(r#"name = "test-rule""#, r#"name = "Test Rule""#);
    has(
        &errors(&toml),
        "invalid rule name `Test Rule`",
        "\"Test Rule\"",
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let toml = rule(
        r#"message = "{nope}"
colour = "red""#,
        "command",
        r#"line = '(('
user_set = true"#,
    );
    let e = errors(&toml);
    has(&e, "unknown key `colour`", "colour");
    has(&e, "invalid regex", "'(('");
    has(&e, "`user_set` is not a test", "user_set");
    assert!(e.len() >= 3, "{e:#?}");
}

#[test]
fn ids_and_names_are_unique() {
    let one = rule(r#"message = "x""#, "command", r#"name = "x""#);
    let sources = vec![
        SourceFile {
            name: "a.toml".into(),
            text: one.clone(),
        },
        SourceFile {
            name: "b.toml".into(),
            text: one,
        },
    ];
    let failure = RuleSet::load(sources).unwrap_err();
    assert!(
        failure
            .errors
            .iter()
            .any(|e| e.file == 1 && e.message.contains("`TST001` is already used")),
        "{:#?}",
        failure.errors
    );
}

#[test]
fn a_user_rule_may_not_reuse_a_builtin_id() {
    let mut sources = RuleSet::builtin_sources();
    sources.push(SourceFile {
        name: "mine.toml".into(),
        text: rule(r#"message = "x""#, "command", r#"name = "x""#).replace("TST001", "SEC001"),
    });
    let n = sources.len();
    let failure = RuleSet::load(sources).unwrap_err();
    assert!(
        failure
            .errors
            .iter()
            .any(|e| e.file == n - 1 && e.message.contains("`SEC001` is already used"))
    );
}

#[test]
fn native_rules_must_exist() {
    let toml = r#"schema = 1

[[rule]]
id = "TST002"
name = "native-test"
category = "correctness"
severity = "error"
summary = "A native rule"
message = "x"
engine = "native"
native = "no-such-check"

[[rule.examples]]
bad = "FROM a\n"

[[rule.examples]]
good = "FROM a\n"
"#;
    has(&errors(toml), "no-such-check", "\"no-such-check\"");
}

#[test]
fn an_optional_group_that_matched_nothing_renders_empty() {
    let toml = rule(
        r#"message = "`{command}`{flags} under sudo""#,
        "command",
        r#"wrapped_by = ["sudo"]
line = '(?P<flags> -y)?'"#,
    );
    assert_eq!(messages_under_sudo(&toml), ["`apk` under sudo"]);
}

#[test]
fn every_error_in_a_match_table_is_reported() {
    // Two bad entries of one `any`, and an unknown key beside `where`.
    let toml = rule(
        r#"message = "x""#,
        "command",
        r#"any = [{ line = '(a' }, { user_set = true }]"#,
    )
    .replace(
        "on = \"command\"",
        "on = \"command\"\ninstructions = [\"RUN\"]",
    );
    let e = errors(&toml);
    has(&e, "invalid regex", "'(a'");
    has(
        &e,
        "`user_set` is not a test for `on = \"command\"`",
        "user_set",
    );
    has(&e, "unknown key `instructions`", "instructions");
}

#[test]
fn icase_applies_to_a_regex_and_its_error_is_reported_once() {
    let with = |icase: &str| {
        rule(
            r#"message = "`{command}` under sudo""#,
            "command",
            &format!("wrapped_by = [\"sudo\"]\nname = {{ regex = '^APK$'{icase} }}"),
        )
    };
    assert_eq!(
        messages_under_sudo(&with(", icase = true")),
        ["`apk` under sudo"]
    );
    assert!(messages_under_sudo(&with("")).is_empty());

    let toml = rule(
        r#"message = "x""#,
        "command",
        r#"name = { regex = '(unclosed', icase = true }"#,
    );
    let e = errors(&toml);
    has(&e, "invalid regex: unclosed group", "'(unclosed'");
    assert_eq!(e.len(), 1, "{e:#?}");
}

/// A rule that reports images found in the table `t`, with the entry's
/// `note` field, after `tables` (the table's entries).
fn tagged_table_rule(tables: &str) -> String {
    format!(
        r#"schema = 1

[tables.t]
{tables}

[[rule]]
id = "TST001"
name = "test-rule"
category = "best-practice"
severity = "warning"
summary = "A test rule"
message = "{{image}}: {{entry.note}}"

[rule.match]
on = "image"

[rule.match.where]
lookup = {{ table = "t", key = "{{registry}}/{{repo}}", bind = "entry" }}
"#
    )
}

/// Loads `toml` (which must load cleanly) and returns the messages its
/// rules give on `dockerfile`.
fn messages_on(toml: &str, dockerfile: &str) -> Vec<String> {
    assert_eq!(errors(toml), Vec::<(String, String)>::new());
    let set = load_rules(&[("t.toml", toml)]).unwrap();
    let file = syntax::parse(dockerfile);
    set.check(&file, "Dockerfile", CheckOptions::default())
        .into_iter()
        .map(|d| d.message)
        .collect()
}

#[test]
fn a_table_entry_with_tags_holds_only_for_the_tags_it_names() {
    let toml = tagged_table_rule(
        r#""docker.io/nvidia/cuda" = { note = "devel", tags = 'devel' }
"docker.io/debian" = { note = "any tag" }
"docker.io/pytorch/pytorch" = { note = "latest", tags = '^latest$' }"#,
    );
    let dockerfile = "FROM nvidia/cuda:12.4.1-devel-ubuntu22.04 AS a\n\
                      FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04 AS b\n\
                      FROM debian:12 AS c\n\
                      FROM pytorch/pytorch AS d\n\
                      FROM pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime\n";
    assert_eq!(
        messages_on(&toml, dockerfile),
        [
            "nvidia/cuda:12.4.1-devel-ubuntu22.04: devel",
            "debian:12: any tag",
            "pytorch/pytorch: latest",
        ]
    );
}

#[test]
fn a_later_entry_replaces_an_earlier_ones_tags() {
    let toml = tagged_table_rule(r#""docker.io/nvidia/cuda" = { note = "devel", tags = 'devel' }"#);
    let user = "schema = 1\n\n[tables.t]\n\"docker.io/nvidia/cuda\" = { note = \"every tag\" }\n";
    let set = RuleSet::load(vec![
        SourceFile {
            name: "t.toml".into(),
            text: toml,
        },
        SourceFile {
            name: "user.toml".into(),
            text: user.into(),
        },
    ])
    .unwrap();
    let file = syntax::parse("FROM nvidia/cuda:12.4.1-base-ubuntu22.04\n");
    let messages: Vec<String> = set
        .check(&file, "Dockerfile", CheckOptions::default())
        .into_iter()
        .map(|d| d.message)
        .collect();
    assert_eq!(messages, ["nvidia/cuda:12.4.1-base-ubuntu22.04: every tag"]);
}

#[test]
fn a_bad_tags_regex_is_a_load_error() {
    let toml = tagged_table_rule(r#""docker.io/nvidia/cuda" = { note = "x", tags = '(devel' }"#);
    let e = errors(&toml);
    has(&e, "invalid regex: unclosed group", "'(devel'");
}

#[test]
fn a_code_is_an_alias_or_related_not_both() {
    let toml = rule(
        "message = \"x\"\n\n[rule.aliases]\nhadolint = [\"DL3004\"]\n\n\
         [rule.related]\nhadolint = [\"dl3004\"]\ncheckov = \"CKV2_DOCKER_1\"\nhadoilnt = []",
        "command",
        r#"name = "sudo""#,
    );
    let e = errors(&toml);
    has(
        &e,
        "`dl3004` is in both `aliases` and `related`",
        "\"dl3004\"",
    );
    has(&e, "(did you mean `hadolint`?)", "hadoilnt");
    assert_eq!(e.len(), 2, "{e:#?}");
}
