//! Named predicates (`[utils.NAME]`, used with `matches`), and the limits
//! that keep a hostile rule file from exhausting time or memory: each
//! problem is rejected with a span into the file, never a panic.

mod common;

use common::{load_errors, load_rules};
use shipshape::rules::{CheckOptions, RuleSet};
use shipshape::syntax;
use std::time::{Duration, Instant};

fn one(toml: &str) -> Vec<(String, String, String)> {
    load_errors(&[("t.toml", toml)])
}

#[track_caller]
fn has(errors: &[(String, String, String)], file: &str, message: &str, under: &str) {
    assert!(
        errors
            .iter()
            .any(|(f, m, span)| f == file && m.contains(message) && span == under),
        "no error in {file} containing {message:?} at {under:?} in {errors:#?}"
    );
}

/// A rule on commands whose `where` is `where_`, with `extra` above it.
fn rule(id: &str, where_: &str) -> String {
    format!(
        r#"
[[rule]]
id = "{id}"
name = "rule-{lower}"
category = "security"
severity = "warning"
summary = "A test rule"
message = "`{{command}}` fetches"

[rule.match]
on = "command"

[rule.match.where]
{where_}

[[rule.examples]]
bad = "FROM a\nRUN curl -k https://x\n"

[[rule.examples]]
good = "FROM a\nRUN curl https://x\n"
"#,
        lower = id.to_lowercase()
    )
}

const FETCH: &str = r#"schema = 1

[utils.fetch]
on = "command"
summary = "A command that downloads"
where = { name = ["curl", "wget"] }

[utils.insecure-fetch]
on = "command"
where = { matches = "fetch", has_flag = ["-k", "--insecure", "--no-check-certificate"] }
"#;

fn findings(set: &RuleSet, dockerfile: &str) -> Vec<(String, String)> {
    let file = syntax::parse(dockerfile);
    set.check(&file, "Dockerfile", CheckOptions::default())
        .into_iter()
        .filter(|d| d.rule.starts_with("TST"))
        .map(|d| (d.rule, d.message))
        .collect()
}

#[test]
fn rules_reuse_utils_from_any_file() {
    let rules = format!(
        "schema = 1\n{}{}",
        rule("TST001", r#"matches = "insecure-fetch""#),
        // A util inside `any`, and a list of utils that must all hold.
        rule(
            "TST002",
            r#"any = [{ matches = ["fetch", "insecure-fetch"] }, { name = "never" }]"#
        ),
    );
    let set = match load_rules(&[("utils.toml", FETCH), ("rules.toml", &rules)]) {
        Ok(set) => set,
        Err(f) => panic!("{:#?}", f.errors),
    };
    assert_eq!(
        findings(
            &set,
            "FROM a\nRUN curl -k https://x && wget https://y && wget --no-check-certificate https://z\n"
        ),
        [
            ("TST001".to_owned(), "`curl` fetches".to_owned()),
            ("TST002".to_owned(), "`curl` fetches".to_owned()),
            ("TST001".to_owned(), "`wget` fetches".to_owned()),
            ("TST002".to_owned(), "`wget` fetches".to_owned()),
        ]
    );
    // And inside a relation, for the relation's subject.
    let rules = format!(
        "schema = 1\n{}",
        rule(
            "TST003",
            r#"name = "apt-get"
followed_by = { matches = "fetch" }"#
        )
    );
    let set = match load_rules(&[("utils.toml", FETCH), ("rules.toml", &rules)]) {
        Ok(set) => set,
        Err(f) => panic!("{:#?}", f.errors),
    };
    assert_eq!(
        findings(&set, "FROM a\nRUN apt-get update && curl https://x\n"),
        [("TST003".to_owned(), "`apt-get` fetches".to_owned())]
    );
}

#[test]
fn cyclic_utils_are_rejected_where_the_cycle_closes() {
    let toml = format!(
        r#"schema = 1

[utils.a]
on = "command"
where = {{ any = [{{ name = "x" }}, {{ matches = "b" }}] }}

[utils.b]
on = "command"
where = {{ not = {{ matches = "a" }} }}

[utils.me]
on = "command"
where = {{ matches = "me" }}
{}"#,
        rule("TST001", r#"matches = "a""#)
    );
    let e = one(&toml);
    has(
        &e,
        "t.toml",
        "utils use each other in a cycle: `a` → `b` → `a`",
        "\"a\"",
    );
    has(
        &e,
        "t.toml",
        "utils use each other in a cycle: `me` → `me`",
        "\"me\"",
    );
    // One error per cycle; the rule that uses one adds none.
    assert_eq!(e.len(), 2, "{e:#?}");
}

#[test]
fn util_mistakes_point_into_the_file() {
    // A bad util is reported once, at the util, however many rules use it.
    let toml = format!(
        r#"schema = 1

[utils.broken]
on = "command"
where = {{ nmae = "curl" }}

[utils.typo]
on = "comand"
where = {{ name = "x" }}

[utils.Bad_Name]
on = "command"
where = {{ name = "x" }}

[utils.empty]
on = "command"
colour = "red"
{}{}{}{}"#,
        rule("TST001", r#"matches = "broken""#),
        rule("TST002", r#"matches = "broken""#),
        rule("TST003", r#"matches = "fetc""#),
        rule("TST004", r#"matches = []"#),
    );
    let e = load_errors(&[("utils.toml", FETCH), ("t.toml", &toml)]);
    has(
        &e,
        "t.toml",
        "`nmae` is not a test for `on = \"command\"`",
        "nmae",
    );
    assert_eq!(
        e.iter().filter(|(_, m, _)| m.contains("nmae")).count(),
        1,
        "{e:#?}"
    );
    has(
        &e,
        "t.toml",
        "unknown subject `comand` (did you mean `command`?)",
        "\"comand\"",
    );
    has(&e, "t.toml", "invalid util name `Bad_Name`", "Bad_Name");
    has(
        &e,
        "t.toml",
        "util `empty` is missing `where`",
        "[utils.empty]",
    );
    has(
        &e,
        "t.toml",
        "unknown key `colour` in util `empty`",
        "colour",
    );
    has(
        &e,
        "t.toml",
        "unknown util `fetc` (did you mean `fetch`?)",
        "\"fetc\"",
    );
    has(&e, "t.toml", "`matches` is empty", "[]");
}

#[test]
fn utils_are_checked_where_they_are_used() {
    let toml = format!(
        r#"schema = 1

[utils.alpine]
on = "image"
where = {{ repo = "alpine" }}

[utils.then-rm]
on = "command"
where = {{ followed_by = {{ name = "rm" }} }}
{}{}"#,
        rule("TST001", r#"matches = "alpine""#),
        rule("TST002", r#"followed_by = { matches = "then-rm" }"#),
    );
    let e = one(&toml);
    has(
        &e,
        "t.toml",
        "util `alpine` is for `on = \"image\"`, not `command`",
        "\"alpine\"",
    );
    has(
        &e,
        "t.toml",
        "util `then-rm` can't be used here: `followed_by` inside another relation",
        "\"then-rm\"",
    );
}

#[test]
fn a_util_defined_twice_is_an_error() {
    let again = "schema = 1\n\n[utils.fetch]\non = \"command\"\nwhere = { name = \"curl\" }\n";
    let e = load_errors(&[("utils.toml", FETCH), ("again.toml", again)]);
    has(&e, "again.toml", "util `fetch` is defined twice", "fetch");
}

#[test]
fn predicates_nest_at_most_twelve_levels() {
    let nested = |levels: usize| {
        let mut w = String::from(r#"name = "curl""#);
        for _ in 1..levels {
            w = format!("not = {{ {w} }}");
        }
        rule("TST001", &w)
    };
    assert_eq!(one(&format!("schema = 1\n{}", nested(12))), []);
    let e = one(&format!("schema = 1\n{}", nested(13)));
    assert!(
        e.iter()
            .any(|(_, m, _)| m == "predicates nest more than 12 levels deep"),
        "{e:#?}"
    );
    // Through utils too: each use is one level more.
    let mut toml = String::from("schema = 1\n");
    toml.push_str("[utils.u0]\non = \"command\"\nwhere = { name = \"curl\" }\n");
    for i in 1..14 {
        toml.push_str(&format!(
            "[utils.u{i}]\non = \"command\"\nwhere = {{ not = {{ matches = \"u{}\" }} }}\n",
            i - 1
        ));
    }
    let e = one(&toml);
    assert!(
        e.iter()
            .any(|(_, m, _)| m.contains("can't be used here: predicates nest more than 12")),
        "{e:#?}"
    );
}

#[test]
fn utils_that_multiply_are_bounded() {
    // Each level uses the one below 10 times: 10^6 tests once expanded.
    let mut toml =
        String::from("schema = 1\n[utils.l0]\non = \"command\"\nwhere = { name = \"curl\" }\n");
    for i in 1..7 {
        let uses = vec![format!("{{ matches = \"l{}\" }}", i - 1); 10].join(", ");
        toml.push_str(&format!(
            "[utils.l{i}]\non = \"command\"\nwhere = {{ any = [{uses}] }}\n"
        ));
    }
    toml.push_str(&rule("TST001", r#"matches = "l6""#));
    let start = Instant::now();
    let e = one(&toml);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "took {:?}",
        start.elapsed()
    );
    assert!(
        e.iter().any(
            |(_, m, _)| m.contains("more than 1000 tests, counting those of the utils it uses")
        ),
        "{e:#?}"
    );
}

#[test]
fn regexes_have_size_and_nesting_limits() {
    // Compiles to far more than the size limit.
    let toml = format!(
        "schema = 1\n{}",
        rule("TST001", r#"line = '\w{1000}\w{1000}\w{1000}'"#)
    );
    let e = one(&toml);
    assert!(
        e.iter().any(|(_, m, span)| m.contains("invalid regex")
            && m.contains("size limit")
            && span.starts_with("'\\w")),
        "{e:#?}"
    );
    // Nested deeper than the parser allows.
    let deep = format!("'{}a{}'", "(".repeat(1000), ")".repeat(1000));
    let toml = format!("schema = 1\n{}", rule("TST001", &format!("line = {deep}")));
    let e = one(&toml);
    assert!(
        e.iter()
            .any(|(_, m, span)| m.contains("invalid regex") && m.contains("nest") && *span == deep),
        "{e:#?}"
    );
    // The same limits hold in data files, whose patterns compile as ASCII
    // (a smaller `\w`): this one is too big even so.
    let data =
        "schema = 1\n[[pattern]]\nid = \"huge\"\nfamily = \"Huge\"\nregex = '(?:\\w{1000}){100}'\n";
    let e = one(data);
    assert!(e.iter().any(|(_, m, _)| m.contains("size limit")), "{e:#?}");
}

#[test]
fn toml_nested_past_its_limit_is_a_syntax_error() {
    let deep = format!(
        "schema = 1\nx = {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let e = one(&deep);
    assert!(
        e.iter().any(|(_, m, _)| m.starts_with("TOML syntax error")),
        "{e:#?}"
    );
    let deep = format!(
        "schema = 1\nx = {}1{}\n",
        "{a=".repeat(100_000),
        "}".repeat(100_000)
    );
    let e = one(&deep);
    assert!(
        e.iter().any(|(_, m, _)| m.starts_with("TOML syntax error")),
        "{e:#?}"
    );
}

#[test]
fn wrong_types_everywhere_in_a_util() {
    let toml = r#"schema = 1
utils = 3

"#;
    has(
        &one(toml),
        "t.toml",
        "`utils` must be a table, not integer",
        "3",
    );
    let toml = r#"schema = 1
[utils]
a = "x"
b = { on = 3, where = "y" }
c = { on = "command", where = { matches = 4 } }
"#;
    let e = one(toml);
    has(
        &e,
        "t.toml",
        "util `a` must be a table, not string",
        "\"x\"",
    );
    has(&e, "t.toml", "`on` must be a string, not integer", "3");
    has(
        &e,
        "t.toml",
        "`where` of util `b` must be a table, not string",
        "\"y\"",
    );
    has(
        &e,
        "t.toml",
        "`matches` must be a string or an array of strings, not integer",
        "4",
    );
}
