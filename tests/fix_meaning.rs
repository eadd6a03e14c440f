//! The fixable built-in rules change only what they mean to change: after
//! their fixes (unsafe ones included), the text parses with no new syntax
//! error, and every instruction reads as before in BuildKit's terms, but
//! for the one change each rule makes (a keyword's case, `ADD` → `COPY`,
//! a flag inserted, `key value` → `key=value` with the same processed
//! value, shell form → the same words in exec form). Checked on every
//! `bad` example, and on the whole corpus.

mod common;

use shipshape::model::{Value, expand};
use shipshape::rules::{CheckOptions, ExampleKind, Rule, RuleSet, apply_fixes};
use shipshape::syntax::{self, Arguments, Dockerfile, Instruction, dump_buildkit_instruction};

/// The rules checked, with the flag each inserts (if it inserts one).
const RULES: &[(&str, Option<&str>)] = &[
    ("STY002", None),
    ("STY003", None),
    ("BP002", None),
    ("BP003", None),
    ("COR002", Some("-y")),
    ("EFF002", Some("--no-install-recommends")),
    ("EFF003", Some("--no-cache-dir")),
    ("EFF004", Some("--no-cache")),
];

fn pack() -> &'static RuleSet {
    RuleSet::builtin().expect("the built-in rules load")
}

fn rule(id: &str) -> &'static Rule {
    pack()
        .rules
        .iter()
        .find(|r| r.meta.id == id)
        .expect("a built-in rule")
}

/// What BuildKit makes of an ENV or LABEL value, every variable set to a
/// value of its own.
fn processed(word: &str, escape: char) -> String {
    let lookup = |name: &str| Some(Value::Known(format!("<{name}>")));
    expand(word, escape, &lookup).text
}

/// An instruction as BuildKit reads it, with the change `id` makes
/// undone: so it must be the same before and after the fix.
fn reading(id: &str, flag: Option<&str>, inst: &Instruction<'_>, escape: char) -> String {
    let inst = inst.trigger().unwrap_or(inst);
    match (id, &inst.args) {
        ("STY003", Arguments::KeyValues(pairs)) => pairs
            .iter()
            .map(|p| {
                let value = p
                    .value
                    .as_ref()
                    .map_or(String::new(), |v| processed(&v.text, escape));
                format!("{} {}={value:?}", inst.kind, p.key.text)
            })
            .collect::<Vec<_>>()
            .join(" "),
        ("BP003", Arguments::Shell(w)) => {
            let mut words: Vec<&str> = w
                .text
                .split([' ', '\t'])
                .filter(|w| !w.is_empty())
                .collect();
            if words.first() == Some(&"exec") {
                words.remove(0);
            }
            format!("{} {words:?}", inst.kind)
        }
        ("BP003", Arguments::Exec(e)) => {
            let words: Vec<&str> = e.elements.iter().map(|w| w.text.as_ref()).collect();
            format!("{} {words:?}", inst.kind)
        }
        _ => {
            let dump = dump_buildkit_instruction(inst);
            let dump = match id {
                "BP002" => dump
                    .strip_prefix("add ")
                    .map_or(dump.clone(), |d| format!("copy {d}")),
                _ => dump,
            };
            match flag {
                Some(flag) => dump.replace(&format!(" {flag}"), ""),
                None => dump,
            }
        }
    }
}

/// Problems with `fixed`, the text `id`'s fixes made of `text`.
fn check(id: &str, flag: Option<&str>, text: &str, fixed: &str) -> Result<(), String> {
    let before = syntax::parse(text);
    let after = syntax::parse(fixed);
    let count = |f: &Dockerfile<'_>| f.errors.len();
    if count(&after) > count(&before) {
        return Err(format!("new syntax error: {:?}", after.errors.last()));
    }
    if before.instructions.len() != after.instructions.len() {
        return Err("the number of instructions changed".into());
    }
    for (b, a) in before.instructions.iter().zip(&after.instructions) {
        let (rb, ra) = (
            reading(id, flag, b, before.escape),
            reading(id, flag, a, after.escape),
        );
        if rb != ra {
            return Err(format!(
                "reads differently:\n  before: {rb}\n  after:  {ra}"
            ));
        }
    }
    Ok(())
}

#[test]
fn the_check_sees_a_change_of_meaning() {
    let wrong = [
        ("STY003", None, "ENV A b c\n", "ENV A=\"b  c\"\n"),
        ("STY003", None, "ENV A $B c\n", "ENV A='$B c'\n"),
        ("BP003", None, "CMD a b\n", "CMD [\"a\", \"c\"]\n"),
        ("BP002", None, "ADD a /b\nRUN x\n", "COPY a /b\nRUN y\n"),
        (
            "COR002",
            Some("-y"),
            "RUN apt-get install a\n",
            "RUN apt-get install -y b\n",
        ),
        ("STY002", None, "FROM a\n", "FROM a\nRUN b\n"),
    ];
    for (id, flag, text, fixed) in wrong {
        assert!(check(id, flag, text, fixed).is_err(), "{id}: {fixed}");
    }
}

#[test]
fn fixed_examples_keep_their_meaning() {
    for &(id, flag) in RULES {
        let rule = rule(id);
        let mut fixed_any = false;
        for ex in rule.examples.iter().filter(|e| e.kind == ExampleKind::Bad) {
            let fixed = apply_fixes(pack(), rule, &ex.text, CheckOptions::default());
            fixed_any |= fixed != ex.text;
            if let Err(e) = check(id, flag, &ex.text, &fixed) {
                panic!("{id}: {e}\n--- example:\n{}--- fixed:\n{fixed}", ex.text);
            }
        }
        assert!(fixed_any, "{id}: no example is fixed");
    }
}

#[test]
fn fixed_corpus_files_keep_their_meaning() {
    let Some(files) = common::corpus_files() else {
        return;
    };
    let mut failures = Vec::new();
    let mut changed = vec![0usize; RULES.len()];
    for path in &files {
        let text = common::read_text(path);
        for (k, &(id, flag)) in RULES.iter().enumerate() {
            let fixed = apply_fixes(pack(), rule(id), &text, CheckOptions::default());
            if fixed == text {
                continue;
            }
            changed[k] += 1;
            if let Err(e) = check(id, flag, &text, &fixed) {
                failures.push(format!("{id} {}: {e}", path.display()));
            }
        }
    }
    for (k, &(id, _)) in RULES.iter().enumerate() {
        eprintln!("{id}: {} files changed", changed[k]);
    }
    assert!(
        failures.is_empty(),
        "{} fixes change meaning:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
