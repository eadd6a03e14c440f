//! What shipshape says about another tool's code that names no rule of
//! its own: a check shipshape does not have, or one that a shipshape rule
//! makes differently (the rule lists the code in `[rule.related]`).

use super::{Rule, RuleSet};

/// What to say about codes of other tools that name no shipshape rule,
/// each as the check shipshape does not have or makes differently:
/// `hadolint's DL3008 names a check shipshape does not have; Checkov's
/// CKV_DOCKER_4 names a check that shipshape's BP002 (prefer-copy) makes
/// differently, so they do nothing here`.
pub fn message<'a>(rules: &RuleSet, codes: impl IntoIterator<Item = &'a str>) -> String {
    let mut missing = Vec::new();
    let mut different = Vec::new();
    let mut count = 0;
    for code in codes {
        count += 1;
        if rules.related_to(code).is_empty() {
            missing.push(foreign_name(code));
        } else {
            different.push(note(rules, code));
        }
    }
    let mut clauses = Vec::new();
    if !missing.is_empty() {
        let verb = if missing.len() == 1 {
            "names a check"
        } else {
            "name checks"
        };
        clauses.push(format!(
            "{} {verb} shipshape does not have",
            join_words(&missing)
        ));
    }
    clauses.extend(different);
    let (them, does) = if count == 1 {
        ("it", "does")
    } else {
        ("they", "do")
    };
    format!(
        "{}, so {them} {does} nothing here (`shipshape rules` lists what shipshape checks, with the other tools' codes it takes)",
        clauses.join("; ")
    )
}

/// What to say about one code of another tool that names no shipshape
/// rule: `hadolint's DL3008 names a check shipshape does not have`, or
/// `Checkov's CKV_DOCKER_4 names a check that shipshape's BP002
/// (prefer-copy) makes differently`.
pub fn note(rules: &RuleSet, code: &str) -> String {
    let related = rules.related_to(code);
    if related.is_empty() {
        format!(
            "{} names a check shipshape does not have",
            foreign_name(code)
        )
    } else {
        format!(
            "{} names a check that {} differently",
            foreign_name(code),
            shipshape_rules(&related)
        )
    }
}

/// `hadolint's `DL3008``, or the code alone when its tool is unknown.
fn foreign_name(code: &str) -> String {
    match crate::suppress::foreign_tool(code) {
        Some(tool) => format!("{tool}'s `{code}`"),
        None => format!("`{code}`"),
    }
}

/// `shipshape's BP002 (prefer-copy) makes`, `shipshape's SEC001
/// (final-stage-missing-user) and SEC002 (final-user-is-root) make`.
fn shipshape_rules(rules: &[&Rule]) -> String {
    let named: Vec<String> = rules
        .iter()
        .map(|r| format!("{} ({})", r.meta.id, r.meta.name))
        .collect();
    let verb = if named.len() == 1 { "makes" } else { "make" };
    format!("shipshape's {} {verb}", join_words(&named))
}

/// `a`, `a and b`, `a, b and c`.
fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack() -> &'static RuleSet {
        match RuleSet::builtin() {
            Ok(set) => set,
            Err(e) => panic!("the built-in rules don't load: {e:?}"),
        }
    }

    #[test]
    fn a_code_shipshape_lacks() {
        assert_eq!(
            message(pack(), ["DL3008", "SC2086"]),
            "hadolint's `DL3008` and ShellCheck's `SC2086` name checks shipshape does not \
             have, so they do nothing here (`shipshape rules` lists what shipshape checks, \
             with the other tools' codes it takes)"
        );
        assert_eq!(
            note(pack(), "DL3008"),
            "hadolint's `DL3008` names a check shipshape does not have"
        );
    }

    #[test]
    fn a_code_a_rule_makes_differently() {
        assert_eq!(
            note(pack(), "ckv_docker_4"),
            "Checkov's `ckv_docker_4` names a check that shipshape's BP002 (prefer-copy) \
             makes differently"
        );
        assert_eq!(
            note(pack(), "CKV_SECRET_10"),
            "Checkov's `CKV_SECRET_10` names a check that shipshape's SEC003 \
             (secret-in-env-arg-or-label) and SEC019 (secret-assigned-in-script-or-file) \
             make differently"
        );
        assert_eq!(
            message(pack(), ["DL3043", "DL3008", "CKV_DOCKER_4"]),
            "hadolint's `DL3008` names a check shipshape does not have; hadolint's `DL3043` \
             names a check that shipshape's SYN001 (syntax-error) makes differently; \
             Checkov's `CKV_DOCKER_4` names a check that shipshape's BP002 (prefer-copy) \
             makes differently, so they do nothing here (`shipshape rules` lists what \
             shipshape checks, with the other tools' codes it takes)"
        );
    }

    /// A related code is one no rule takes as an alias (an alias would
    /// win, and the warning never be given), and has another tool's shape
    /// where shipshape can tell one.
    #[test]
    fn related_codes_name_no_rule() {
        let set = pack();
        let mut count = 0;
        for rule in &set.rules {
            for (ns, codes) in &rule.meta.related {
                for code in codes {
                    count += 1;
                    let named: Vec<&str> = set
                        .rules
                        .iter()
                        .filter(|r| r.selected_by(code))
                        .map(|r| r.meta.id.as_str())
                        .collect();
                    assert!(named.is_empty(), "{code} also names {named:?}");
                    if matches!(ns.as_str(), "hadolint" | "trivy" | "checkov" | "buildkit") {
                        assert!(
                            crate::suppress::foreign_tool(code).is_some(),
                            "{ns} {code} is not read as another tool's code"
                        );
                    }
                }
            }
        }
        assert!(count >= 10, "only {count} related codes");
    }
}
