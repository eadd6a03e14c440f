//! `shipshape rules`: list, explain and test rules.

use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, ListFormat, load_rules};
use crate::report::write_problems;
use crate::rules::{ExampleKind, Rule, RuleSet, check_examples, example_problems};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

fn print(text: &str) -> u8 {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write output: {e}");
            EXIT_ERROR
        }
        _ => EXIT_OK,
    }
}

#[derive(Serialize)]
struct Listed<'a> {
    id: &'a str,
    name: &'a str,
    category: &'a str,
    severity: &'static str,
    summary: &'a str,
    source: &'a str,
    aliases: &'a std::collections::BTreeMap<String, Vec<String>>,
    related: &'a std::collections::BTreeMap<String, Vec<String>>,
    refs: &'a std::collections::BTreeMap<String, Vec<String>>,
}

pub(super) fn list(dirs: &[PathBuf], format: ListFormat, color_err: bool) -> u8 {
    let loaded = match load_rules(dirs, color_err) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let set: &RuleSet = &loaded;
    let mut rules: Vec<&Rule> = set.rules.iter().collect();
    rules.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    let text = match format {
        ListFormat::Json => {
            let listed: Vec<Listed<'_>> = rules
                .iter()
                .map(|r| Listed {
                    id: &r.meta.id,
                    name: &r.meta.name,
                    category: r.meta.category.as_str(),
                    severity: r.meta.severity.as_str(),
                    summary: &r.meta.summary,
                    source: &set.sources[r.origin.file].name,
                    aliases: &r.meta.aliases,
                    related: &r.meta.related,
                    refs: &r.meta.refs,
                })
                .collect();
            match serde_json::to_string_pretty(&listed) {
                Ok(s) => s + "\n",
                Err(e) => {
                    eprintln!("error: cannot serialise the rules: {e}");
                    return EXIT_ERROR;
                }
            }
        }
        ListFormat::Markdown => reference_markdown(set),
        ListFormat::Text => {
            let name_w = rules.iter().map(|r| r.meta.name.len()).max().unwrap_or(4);
            let mut out = String::new();
            let _ = writeln!(
                out,
                "{:<7} {:<8} {:<13} {:<name_w$}  SUMMARY",
                "ID", "SEVERITY", "CATEGORY", "NAME"
            );
            for r in &rules {
                let _ = writeln!(
                    out,
                    "{:<7} {:<8} {:<13} {:<name_w$}  {}",
                    r.meta.id,
                    r.meta.severity.as_str(),
                    r.meta.category.as_str(),
                    r.meta.name,
                    r.meta.summary
                );
            }
            let _ = writeln!(out, "\n{} rules.", rules.len());
            out
        }
    };
    print(&text)
}

pub(super) fn explain(dirs: &[PathBuf], key: &str, color: bool, color_err: bool) -> u8 {
    let loaded = match load_rules(dirs, color_err) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let set: &RuleSet = &loaded;
    let width = super::markdown::terminal_width();
    if let Some(rule) = set.find(key) {
        return print(&super::markdown::render(
            &explanation(set, rule),
            width,
            color,
        ));
    }
    // Another tool's code: explain the rules that make its check
    // differently, if any.
    let related = set.related_to(key);
    if crate::suppress::foreign_tool(key).is_none() {
        eprintln!("error: no rule is called `{key}` (try `shipshape rules` for the list)");
        return EXIT_ERROR;
    }
    let note = crate::rules::foreign::note(set, key);
    if related.is_empty() {
        eprintln!("error: {note} (try `shipshape rules` for the list)");
        return EXIT_ERROR;
    }
    eprintln!("note: {note}");
    let text: Vec<String> = related
        .iter()
        .map(|r| super::markdown::render(&explanation(set, r), width, color))
        .collect();
    print(&text.join("\n"))
}

/// A rule's codes in other tools, as list items: the same check
/// (`aliases`), and different checks on its ground (`related`).
fn foreign_ids(out: &mut String, m: &crate::rules::RuleMeta) {
    let lists = [
        ("aliases", &m.aliases),
        ("related, not the same check", &m.related),
    ];
    for (label, map) in lists {
        if map.is_empty() {
            continue;
        }
        let by_tool: Vec<String> = map
            .iter()
            .map(|(ns, ids)| {
                let ids: Vec<String> = ids.iter().map(|i| format!("`{i}`")).collect();
                format!("{ns} {}", ids.join(", "))
            })
            .collect();
        let _ = writeln!(out, "- {label}: {}", by_tool.join("; "));
    }
}

/// Escapes text for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// A reference's text in Markdown: CIS controls and CWE ids named, URLs
/// linked.
fn reference(kind: &str, r: &str) -> String {
    match kind {
        "cis" => format!("CIS Docker Benchmark {r}"),
        "owasp" => format!("OWASP {r}"),
        "cwe" => match r.strip_prefix("CWE-") {
            Some(n) if n.chars().all(|c| c.is_ascii_digit()) => {
                format!("[{r}](https://cwe.mitre.org/data/definitions/{n}.html)")
            }
            _ => r.to_owned(),
        },
        _ if r.starts_with("https://") || r.starts_with("http://") => format!("<{r}>"),
        _ => r.to_owned(),
    }
}

fn sorted(set: &RuleSet) -> Vec<&Rule> {
    let mut rules: Vec<&Rule> = set.rules.iter().collect();
    rules.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    rules
}

/// The rule table of README.md: one row per rule, linked to its section
/// of docs/rules.md.
pub fn table_markdown(set: &RuleSet) -> String {
    let mut out = String::from("| id | name | severity | what it finds |\n|---|---|---|---|\n");
    for r in sorted(set) {
        let m = &r.meta;
        let _ = writeln!(
            out,
            "| [{}](docs/rules.md#{}) | `{}` | {} | {} |",
            m.id,
            m.id.to_ascii_lowercase(),
            m.name,
            m.severity,
            cell(&m.summary)
        );
    }
    out
}

/// The reference of every rule in `set` (docs/rules.md for the built-in
/// pack): a table, then one section per rule with its help and examples.
pub fn reference_markdown(set: &RuleSet) -> String {
    let rules = sorted(set);
    let mut out = String::new();
    let _ = writeln!(out, "# Rules\n");
    let _ = writeln!(
        out,
        "<!-- Generated from the rule files by `shipshape rules --format markdown`; \
         a test fails when it is stale. Edit the rules, not this file. -->\n"
    );
    let _ = writeln!(
        out,
        "{} rules. Select or ignore them by id, id prefix, name, category or alias \
         (see the README's configuration section); `shipshape rules explain ID` \
         prints one in the terminal.\n",
        rules.len()
    );
    let _ = writeln!(out, "| id | name | category | severity | summary |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for r in &rules {
        let m = &r.meta;
        let _ = writeln!(
            out,
            "| [{}](#{}) | `{}` | {} | {} | {} |",
            m.id,
            m.id.to_ascii_lowercase(),
            m.name,
            m.category,
            m.severity,
            cell(&m.summary)
        );
    }
    for r in &rules {
        let m = &r.meta;
        let _ = writeln!(out, "\n<a id=\"{}\"></a>\n", m.id.to_ascii_lowercase());
        let _ = writeln!(out, "## {}: `{}`\n", m.id, m.name);
        let _ = writeln!(out, "{}\n", m.summary);
        let _ = writeln!(out, "- severity: {}", m.severity);
        let _ = writeln!(out, "- category: {}", m.category);
        if let Some(c) = &m.confidence {
            let _ = writeln!(out, "- confidence: {c}");
        }
        if let Some(a) = fix_label(r) {
            let _ = writeln!(out, "- fix: {a}");
        }
        foreign_ids(&mut out, m);
        let refs: Vec<String> = m
            .refs
            .iter()
            .flat_map(|(kind, refs)| refs.iter().map(|r| reference(kind, r)))
            .collect();
        if !refs.is_empty() {
            let _ = writeln!(out, "- references: {}", refs.join(", "));
        }
        if !m.help.trim().is_empty() {
            let _ = writeln!(out, "\n{}", m.help.trim());
        }
        if let Some(hint) = &m.hint {
            let _ = writeln!(out, "\n**Fix**: {}", hint.render(&|_| None));
        }
        for (kind, title) in [
            (ExampleKind::Bad, "Reported"),
            (ExampleKind::Good, "Not reported"),
        ] {
            let examples: Vec<_> = rule_examples(r, kind);
            if examples.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{title}:");
            for e in examples {
                for (table, keys) in &e.tables {
                    let keys: Vec<String> = keys.iter().map(|k| format!("{k:?}")).collect();
                    let _ = writeln!(
                        out,
                        "\nWith `{} = [{}]` in `[options]`:",
                        table.replace('_', "-"),
                        keys.join(", ")
                    );
                }
                let fence = if e.text.contains("```") {
                    "````"
                } else {
                    "```"
                };
                let _ = writeln!(out, "\n{fence}dockerfile\n{}\n{fence}", e.text.trim_end());
                if let Some((fixed, _)) = &e.fixed {
                    let _ = writeln!(
                        out,
                        "\nFixed:\n\n{fence}dockerfile\n{}\n{fence}",
                        fixed.trim_end()
                    );
                }
            }
        }
    }
    out
}

fn rule_examples(rule: &Rule, kind: ExampleKind) -> Vec<&crate::rules::Example> {
    rule.examples.iter().filter(|e| e.kind == kind).collect()
}

/// One rule's documentation as Markdown, for `rules explain`: its id and
/// name as a heading, summary, metadata, help, and examples.
pub fn explanation(set: &RuleSet, rule: &Rule) -> String {
    let m = &rule.meta;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} ({})
",
        m.id, m.name
    );
    let _ = writeln!(
        out,
        "{}
",
        m.summary
    );
    let _ = writeln!(out, "- severity: {}", m.severity);
    let _ = writeln!(out, "- category: {}", m.category);
    if let Some(c) = &m.confidence {
        let _ = writeln!(out, "- confidence: {c}");
    }
    if let Some(a) = fix_label(rule) {
        let _ = writeln!(out, "- fix: {a}");
    }
    foreign_ids(&mut out, m);
    let _ = writeln!(out, "- defined in: {}", set.sources[rule.origin.file].name);
    for (kind, refs) in &m.refs {
        for r in refs {
            let _ = writeln!(out, "- reference: {}", reference(kind, r));
        }
    }
    if !m.help.trim().is_empty() {
        let _ = writeln!(out, "\n{}", m.help.trim_end());
    }
    if let Some(hint) = &m.hint {
        let _ = writeln!(out, "\n**Fix**: {}", hint.render(&|_| None));
    }
    for (kind, title) in [
        (ExampleKind::Bad, "Reported"),
        (ExampleKind::Good, "Not reported"),
    ] {
        let examples: Vec<_> = rule.examples.iter().filter(|e| e.kind == kind).collect();
        if examples.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {title}");
        for e in examples {
            let fence = if e.text.contains("```") {
                "````"
            } else {
                "```"
            };
            let _ = writeln!(out, "\n{fence}dockerfile\n{}\n{fence}", e.text.trim_end());
            if let Some((fixed, _)) = &e.fixed {
                let _ = writeln!(
                    out,
                    "\nFixed:\n\n{fence}dockerfile\n{}\n{fence}",
                    fixed.trim_end()
                );
            }
        }
    }
    out
}

/// Runs the examples of the rules in `dir` and the `--rules` folders, or of
/// the built-in pack when there are none.
pub(super) fn test(dir: Option<&PathBuf>, extra: &[PathBuf], color: bool) -> u8 {
    let dirs: Vec<PathBuf> = dir.into_iter().chain(extra).cloned().collect();
    let loaded = match load_rules(&dirs, color) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let set: &RuleSet = &loaded;
    let first_user_file = if !dirs.is_empty() {
        RuleSet::builtin_sources().len()
    } else {
        0
    };
    let theirs = |r: &Rule| r.origin.file >= first_user_file;
    let rules = set.rules.iter().filter(|r| theirs(r)).count();
    let examples: usize = set
        .rules
        .iter()
        .filter(|r| theirs(r))
        .map(|r| r.examples.len())
        .sum();
    if rules == 0 {
        let place = if dirs.is_empty() {
            "the built-in pack".to_owned()
        } else {
            dirs.iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        eprintln!("error: no rules in {place}");
        return EXIT_ERROR;
    }
    let failures = check_examples(set, theirs);
    let mut out = std::io::stdout().lock();
    if !failures.is_empty()
        && let Err(e) = write_problems(&example_problems(&set.sources, &failures), color, &mut out)
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write output: {e}");
        return EXIT_ERROR;
    }
    let verdict = if failures.is_empty() {
        "all passed".to_owned()
    } else {
        format!("{} failed", failures.len())
    };
    let _ = writeln!(
        out,
        "Tested {rules} rule{} with {examples} example{}: {verdict}.",
        if rules == 1 { "" } else { "s" },
        if examples == 1 { "" } else { "s" },
    );
    if failures.is_empty() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}

/// How far a rule's fixes can be trusted (`safe`, `safe or unsafe`), if it
/// has any.
fn fix_label(rule: &Rule) -> Option<String> {
    let all = rule.fix_applicabilities();
    (!all.is_empty()).then(|| {
        all.iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>()
            .join(" or ")
    })
}
