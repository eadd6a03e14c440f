//! `shipshape lint --format ...` through the built binary: one snapshot per
//! format of `fixtures/formats/`, the SARIF log against the SARIF 2.1.0
//! schema, hostile text in messages and paths, the column unit and
//! fingerprints that survive line moves.

mod common;

use common::{FORMATS, repo, run_in};
use std::collections::BTreeSet;
use std::process::Output;

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

/// `lint --format F` on the fixture folder, from the repository root.
fn lint_fixture(format: &str) -> Output {
    let out = run_in(
        repo(),
        &[
            "lint",
            "--color",
            "never",
            "--format",
            format,
            "--rules",
            "fixtures/formats/rules",
            "fixtures/formats",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    out
}

fn mask_version(s: &str) -> String {
    s.replace(
        &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"version\": \"[version]\"",
    )
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}):\n{s}"))
}

/// The SARIF log with the machine's root URI masked and the built-in rules'
/// descriptors cut to their ids (their texts belong to the rule files; the
/// fixture's own rule shows a whole descriptor).
fn sarif_for_snapshot(sarif: &str) -> String {
    let mut out = Vec::new();
    let mut lines = sarif.lines().peekable();
    let mut after_srcroot = false;
    while let Some(line) = lines.next() {
        if after_srcroot && line.trim_start().starts_with("\"uri\": \"file:///") {
            let indent = &line[..line.len() - line.trim_start().len()];
            assert!(
                line.ends_with("/\""),
                "the root URI ends with a slash: {line}"
            );
            out.push(format!("{indent}\"uri\": \"file:///[root]/\""));
            after_srcroot = false;
            continue;
        }
        after_srcroot = line.trim() == "\"%SRCROOT%\": {";
        out.push(line.to_owned());
        if line.trim() != "\"rules\": [" {
            continue;
        }
        let indent = format!("{}  ", &line[..line.len() - line.trim_start().len()]);
        while lines
            .peek()
            .is_some_and(|l| l.starts_with(&format!("{indent}{{")))
        {
            let mut block = vec![lines.next().unwrap()];
            for l in lines.by_ref() {
                block.push(l);
                if l.starts_with(&format!("{indent}}}")) {
                    break;
                }
            }
            if block.iter().any(|l| l.contains("\"id\": \"HOUSE001\"")) {
                out.extend(block.iter().map(|l| l.to_string()));
            } else {
                let id = block.iter().find(|l| l.contains("\"id\": ")).unwrap();
                out.push(block[0].to_owned());
                out.push(format!("{} …", id.trim_end_matches(',')));
                out.push(block.last().unwrap().to_string());
            }
        }
    }
    mask_version(&(out.join("\n") + "\n"))
}

#[test]
fn snapshots_of_every_format() {
    for format in FORMATS {
        let out = lint_fixture(format);
        let stdout = text(&out.stdout);
        let shown = match format {
            "sarif" => sarif_for_snapshot(&stdout),
            // One issue a line, where the NUL after each one was.
            "codeclimate" => stdout.replace('\0', "\n"),
            _ => mask_version(&stdout),
        };
        insta::assert_snapshot!(format, shown);
    }
}

#[test]
fn human_is_an_alias_of_pretty() {
    assert_eq!(lint_fixture("human").stdout, lint_fixture("pretty").stdout);
}

#[test]
fn machine_formats_parse() {
    for format in [
        "json",
        "sarif",
        "gitlab",
        "sonarqube",
        "rdjson",
        "hadolint-json",
    ] {
        json(&text(&lint_fixture(format).stdout));
    }
    // Codacy: a JSON object per line; Code Climate: one before each NUL.
    let codacy = text(&lint_fixture("codacy").stdout);
    for line in codacy.lines() {
        let keys: Vec<String> = json(line).as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["filename", "line", "message", "patternId"]);
    }
    let codeclimate = text(&lint_fixture("codeclimate").stdout);
    assert!(codeclimate.ends_with('\0'));
    let issues: Vec<&str> = codeclimate.trim_end_matches('\0').split('\0').collect();
    assert_eq!(issues.len(), codacy.lines().count());
    for issue in issues {
        assert_eq!(json(issue)["type"], "issue");
    }
    // SonarQube: every issue's rule is described, and columns are 0-based.
    let sonar = json(&text(&lint_fixture("sonarqube").stdout));
    let described: BTreeSet<&str> = sonar["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for issue in sonar["issues"].as_array().unwrap() {
        assert!(
            described.contains(issue["ruleId"].as_str().unwrap()),
            "{issue}"
        );
        let range = &issue["primaryLocation"]["textRange"];
        assert!(range["startColumn"].as_u64().is_some(), "{issue}");
    }
    // JUnit: the counts add up.
    let junit = text(&lint_fixture("junit").stdout);
    assert_eq!(
        junit.matches("<failure ").count(),
        codacy.lines().count(),
        "{junit}"
    );
    let hadolint = json(&text(&lint_fixture("hadolint-json").stdout));
    for finding in hadolint.as_array().unwrap() {
        let keys: Vec<&str> = finding
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["code", "column", "file", "level", "line", "message"]);
    }
    let gitlab = json(&text(&lint_fixture("gitlab").stdout));
    let prints: BTreeSet<&str> = gitlab
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(prints.len(), gitlab.as_array().unwrap().len(), "unique");
}

// The schema is the SARIF 2.1.0 JSON schema as shipped in the serde-sarif
// crate (version 0.8.0, file `src/schema.json`; the same file in 0.4.2 to
// 0.8.0), a copy of `Schemata/sarif-schema-2.1.0.json` from
// github.com/oasis-tcs/sarif-spec.
fn sarif_validator() -> jsonschema::Validator {
    let schema = std::fs::read_to_string(repo().join("tests/data/sarif-schema-2.1.0.json"))
        .expect("the schema is in tests/data");
    // The schema's own `language` pattern, `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`,
    // has a stray `]` that ECMA-262 (Annex B) reads as a literal and the
    // checker's `regex` format rejects. Escaping it keeps its meaning and
    // lets every format, `uri` and `regex` included, be checked.
    let schema = schema.replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#,
    );
    jsonschema::options()
        .should_validate_formats(true)
        .build(&json(&schema))
        .expect("the schema compiles")
}

fn assert_valid_sarif(validator: &jsonschema::Validator, log: &serde_json::Value) {
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

#[test]
fn sarif_is_valid_and_meets_github_requirements() {
    let validator = sarif_validator();
    let log = json(&text(&lint_fixture("sarif").stdout));
    assert_valid_sarif(&validator, &log);

    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().is_some_and(|s| !s.is_empty()));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "shipshape");
    let rules = driver["rules"].as_array().unwrap();
    for rule in rules {
        // GitHub caps the descriptions at 1,024 characters; help has no cap.
        for text in [
            &rule["shortDescription"]["text"],
            &rule["fullDescription"]["text"],
        ] {
            let text = text.as_str().unwrap();
            assert!(
                !text.trim().is_empty() && text.chars().count() <= 1024,
                "{rule}"
            );
        }
        assert!(!rule["help"]["text"].as_str().unwrap().trim().is_empty());
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level));
    }
    let security = rules.iter().find(|r| r["id"] == "SEC001").unwrap();
    assert_eq!(
        security["properties"]["tags"],
        serde_json::json!(["security"])
    );

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 10);
    let mut hashes = BTreeSet::new();
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let location = &r["locations"][0]["physicalLocation"];
        assert_eq!(
            location["artifactLocation"]["uri"],
            "fixtures/formats/Dockerfile"
        );
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &location["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[key].as_u64().unwrap() >= 1, "{key} in {r}");
        }
        let hash = r["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap();
        assert!(hashes.insert(hash.to_owned()), "duplicate {hash}");
    }
    // The two identical `FROM node AS build` findings differ by occurrence.
    let untagged: Vec<&str> = results
        .iter()
        .filter(|r| r["ruleId"] == "SUP001")
        .map(|r| {
            r["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(untagged.len(), 2);
    assert_eq!(untagged[0].split(':').next(), untagged[1].split(':').next());
    assert!(untagged[0].ends_with(":0") && untagged[1].ends_with(":1"));
    // The multi-line finding ends on its own last line, exclusively.
    let multi = results.iter().find(|r| r["ruleId"] == "SEC011").unwrap();
    assert_eq!(
        multi["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 10, "startColumn": 13, "endLine": 11, "endColumn": 23})
    );
}

#[test]
fn sarif_reports_unreadable_files_as_notifications() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("my file.Dockerfile"), "FROM alpine\n").unwrap();
    let out = run_in(
        dir.path(),
        &[
            "lint",
            "--format",
            "sarif",
            "my file.Dockerfile",
            "missing/Dockerfile",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let log = json(&text(&out.stdout));
    assert_valid_sarif(&sarif_validator(), &log);
    let run = &log["runs"][0];
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["level"], "error");
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "missing/Dockerfile"
    );
    assert_eq!(
        run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "my%20file.Dockerfile"
    );
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );
}

/// A folder holding files whose names and contents put XML, URI, workflow
/// command and terminal syntax into paths and messages.
fn hostile() -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let weird = "we,ird:Dockerfile".to_owned();
    let broken = "new\nline\u{202e}%.Dockerfile".to_owned();
    std::fs::write(
        dir.path().join(&weird),
        "FROM \"ubu<&\\\"'%,:\u{1b}[31m\u{202e}ntu\"\n\
         ENV A<&\"%,:\u{1b}[2J\u{7}\u{202e}_PASSWORD=hunter2hunter2\n\
         RUN sudo true\rRUN echo harmless\n",
    )
    .unwrap();
    std::fs::write(dir.path().join(&broken), "FROM node\nUSER app\n").unwrap();
    (dir, vec![weird, broken])
}

fn lint_hostile(format: &str) -> Output {
    let (dir, files) = hostile();
    let mut args = vec!["lint", "--color", "never", "--format", format];
    args.extend(files.iter().map(String::as_str));
    run_in(dir.path(), &args)
}

/// The JSON format's (path, line, column, rule, message) for each finding.
fn hostile_findings() -> Vec<(String, u64, u64, String, String)> {
    let doc = json(&text(&lint_hostile("json").stdout));
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["start"]["line"].as_u64().unwrap(),
                d["start"]["column"].as_u64().unwrap(),
                d["rule"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn is_unsafe(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[test]
fn hostile_text_reaches_messages() {
    let findings = hostile_findings();
    assert!(findings.len() >= 3, "{findings:?}");
    assert!(
        findings
            .iter()
            .any(|f| f.4.contains("<&") && f.4.contains('\u{1b}'))
    );
    assert!(findings.iter().any(|f| f.0.contains('\n')));
}

#[test]
fn pretty_output_has_no_control_sequences() {
    let (dir, mut files) = hostile();
    files.push("missing\u{1b}[2J\u{202e}.Dockerfile".to_owned());
    let mut args = vec!["lint", "--color", "never"];
    args.extend(files.iter().map(String::as_str));
    let out = run_in(dir.path(), &args);
    assert_eq!(out.status.code(), Some(2));
    for stream in [text(&out.stdout), text(&out.stderr)] {
        assert!(!stream.chars().any(is_unsafe), "{stream:?}");
        // A carriage return that does not end a line would let the rest
        // of the line print over what came before it.
        assert!(!stream.replace("\r\n", "\n").contains('\r'), "{stream:?}");
    }
    let stdout = text(&out.stdout);
    assert!(stdout.contains("ubu<&\"'%,:?[31m\u{fffd}ntu"), "{stdout}");
    assert!(
        stdout.contains("A<&\"%,:?[2J?\u{fffd}_PASSWORD"),
        "{stdout}"
    );
    assert!(
        stdout.contains("RUN sudo true?RUN echo harmless"),
        "{stdout}"
    );
    assert!(text(&out.stderr).contains("missing?[2J\u{fffd}.Dockerfile"));
}

/// Attributes of one XML start tag, unescaped; panics on anything a
/// well-formed attribute list can't hold.
fn xml_attributes(tag: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    let mut rest = tag.trim();
    while !rest.is_empty() {
        let (name, after) = rest.split_once("=\"").expect("name=\"value\"");
        let (value, after) = after.split_once('"').expect("closing quote");
        assert!(!value.contains('<'), "raw < in {value:?}");
        for c in value.chars() {
            let legal = matches!(c, '\t' | '\n' | '\r')
                || ('\u{20}'..='\u{d7ff}').contains(&c)
                || ('\u{e000}'..='\u{fffd}').contains(&c)
                || c >= '\u{10000}';
            assert!(legal, "XML 1.0 forbids {c:?} in {value:?}");
        }
        attrs.push((name.trim().to_owned(), xml_unescape(value)));
        rest = after.trim_start();
    }
    attrs
}

fn xml_unescape(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find(';').expect("entity ends with ;") + i;
        let entity = &rest[i + 1..end];
        out.push(match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let n = entity.strip_prefix('#').expect("numeric reference");
                char::from_u32(n.parse().unwrap()).unwrap()
            }
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn checkstyle_is_well_formed_and_round_trips() {
    let out = lint_hostile("checkstyle");
    let xml = text(&out.stdout);
    let mut lines = xml.lines();
    assert_eq!(
        lines.next(),
        Some(r#"<?xml version="1.0" encoding="UTF-8"?>"#)
    );
    assert_eq!(lines.next(), Some(r#"<checkstyle version="4.3">"#));
    let mut file = String::new();
    let mut seen = Vec::new();
    for line in lines {
        let line = line.trim();
        if line == "</file>" || line == "</checkstyle>" {
            continue;
        }
        let (tag, attrs) = line[1..].split_once(' ').expect("a tag with attributes");
        let attrs = attrs
            .strip_suffix("/>")
            .or_else(|| attrs.strip_suffix('>'))
            .expect("tag end");
        let attrs = xml_attributes(attrs);
        let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        match tag {
            "file" => file = get("name").unwrap(),
            "error" => seen.push((
                file.clone(),
                get("line").unwrap().parse::<u64>().unwrap(),
                get("column").unwrap().parse::<u64>().unwrap(),
                get("source").unwrap(),
                get("message").unwrap(),
            )),
            other => panic!("unexpected <{other}>"),
        }
    }
    let forbidden = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{7f}') {
                    '?'
                } else {
                    c
                }
            })
            .collect()
    };
    let expected: Vec<_> = hostile_findings()
        .into_iter()
        .map(|(p, l, c, r, m)| (forbidden(&p), l, c, r, forbidden(&m)))
        .collect();
    assert_eq!(seen, expected);
}

fn github_unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn github_commands_are_single_escaped_lines() {
    let out = lint_hostile("github");
    let stdout = text(&out.stdout);
    let findings = hostile_findings();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), findings.len(), "{stdout}");
    assert!(!stdout.contains('\r') && !stdout.contains('\u{1b}'));
    for (line, (path, l, c, rule, message)) in lines.iter().zip(&findings) {
        let (command, rest) = line[2..].split_once(' ').unwrap();
        assert!(["error", "warning", "notice"].contains(&command), "{line}");
        let (props, msg) = rest.split_once("::").expect("properties::message");
        let mut map = std::collections::BTreeMap::new();
        for prop in props.split(',') {
            let (k, v) = prop.split_once('=').expect("key=value");
            assert!(!v.contains(':'), "unescaped : in {v:?}");
            map.insert(k, github_unescape(v));
        }
        let expected_path: String = path
            .chars()
            .map(|c| if is_unsafe(c) { '\u{fffd}' } else { c })
            .collect();
        assert_eq!(map["file"], expected_path);
        assert_eq!(map["line"], l.to_string());
        assert_eq!(map["col"], c.to_string());
        assert_eq!(map["title"], format!("shipshape ({rule})"));
        let sanitized: String = message
            .chars()
            .map(|c| match c {
                c if !is_unsafe(c) => c,
                c if c.len_utf8() == 1 => '?',
                _ => '\u{fffd}',
            })
            .collect();
        assert_eq!(github_unescape(msg), sanitized);
    }
}

#[test]
fn gnu_prints_one_line_per_finding() {
    let out = lint_hostile("gnu");
    let stdout = text(&out.stdout);
    let findings = hostile_findings();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), findings.len(), "{stdout}");
    assert!(!stdout.chars().any(is_unsafe), "{stdout:?}");
    for (line, (path, l, c, rule, _)) in lines.iter().zip(&findings) {
        let flat: String = path
            .chars()
            .map(|c| {
                if c == '\n' {
                    ' '
                } else if is_unsafe(c) {
                    '\u{fffd}'
                } else {
                    c
                }
            })
            .collect();
        assert!(line.starts_with(&format!("{flat}:{l}:{c}: ")), "{line}");
        assert!(line.ends_with(&format!(" [{rule}]")), "{line}");
    }
}

#[test]
fn machine_formats_keep_hostile_text_as_data() {
    let findings = hostile_findings();
    for format in ["sarif", "gitlab", "hadolint-json"] {
        let out = lint_hostile(format);
        let doc = json(&text(&out.stdout));
        if format == "sarif" {
            assert_valid_sarif(&sarif_validator(), &doc);
        }
        if format == "hadolint-json" {
            let messages: Vec<&str> = doc
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["message"].as_str().unwrap())
                .collect();
            let expected: Vec<&str> = findings.iter().map(|f| f.4.as_str()).collect();
            assert_eq!(messages, expected);
        }
    }
}

/// Line 12 of the fixture is `ENV GREETING="héllo wörld" API_TOKEN=ghp_...`:
/// the token starts at byte 40 but at character 38.
#[test]
fn columns_count_characters_in_every_format() {
    let find = |format: &str, needle: &str| {
        let stdout = text(&lint_fixture(format).stdout);
        assert!(
            stdout.contains(needle),
            "{format}: no {needle:?} in\n{stdout}"
        );
    };
    find("pretty", "fixtures/formats/Dockerfile:12:38");
    find("gnu", "fixtures/formats/Dockerfile:12:38: error:");
    find(
        "github",
        "line=12,endLine=12,col=38,endColumn=78,title=shipshape (SEC004)",
    );
    find("checkstyle", r#"line="12" column="38" severity="error""#);
    find("hadolint-json", r#"{"code":"SEC004","column":38,"#);
    let sarif = json(&text(&lint_fixture("sarif").stdout));
    let token = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "SEC004")
        .unwrap();
    assert_eq!(
        token["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 12, "startColumn": 38, "endLine": 12, "endColumn": 78})
    );
    let doc = json(&text(&lint_fixture("json").stdout));
    let token = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "SEC004")
        .unwrap();
    assert_eq!(token["start"]["column"], 38);
}

#[test]
fn fingerprints_survive_unrelated_line_moves() {
    let dir = tempfile::tempdir().unwrap();
    let body = "FROM node\nRUN echo hi\nFROM node\nENV DB_PASSWORD=hunter2hunter2\n";
    let prints = |content: &str| {
        std::fs::write(dir.path().join("Dockerfile"), content).unwrap();
        let sarif = json(&text(
            &run_in(dir.path(), &["lint", "--format", "sarif", "Dockerfile"]).stdout,
        ));
        let gitlab = json(&text(
            &run_in(dir.path(), &["lint", "--format", "gitlab", "Dockerfile"]).stdout,
        ));
        let sarif: Vec<String> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"]["primaryLocationLineHash"].to_string())
            .collect();
        let gitlab: Vec<String> = gitlab
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["fingerprint"].to_string())
            .collect();
        (sarif, gitlab)
    };
    let before = prints(body);
    let after = prints(&format!("# a comment\n\n{body}"));
    assert!(before.0.len() >= 4, "{before:?}");
    assert_eq!(before, after);
    let unique: BTreeSet<&String> = before.1.iter().collect();
    assert_eq!(unique.len(), before.1.len());
}
