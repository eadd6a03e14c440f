//! `json-args-recommended`: `CMD` and `ENTRYPOINT` in shell form where no
//! `SHELL` is in force, and the conversion to JSON (exec) form where the
//! shell would do nothing but split words. Needs the stage's history (a
//! SHELL before, in the stage or those it builds on; a CMD anywhere in
//! it), which the match language can't express.

use super::edits::comment_inside;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::rules::eval::{Bind, Facts, Finding};
use crate::syntax::{Arguments, Instruction, InstructionKind};

/// Words that mean something else as a program than as a shell command:
/// shell keywords, and builtins that exist in no `PATH`.
const SHELL_WORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
    "select", "function", "time", "!", "{", "}", "[[", "]]", "cd", "export", "set", "unset",
    "source", ".", ":", "eval", "exec", "exit", "return", "break", "continue", "shift", "ulimit",
    "umask", "trap", "wait", "test", "[", "alias", "unalias", "read", "readonly", "local",
    "getopts", "command", "type", "hash", "jobs", "fg", "bg", "times",
];

pub(super) fn json_args_recommended(facts: &Facts<'_, '_>) -> Vec<Finding> {
    let file = facts.file;
    let model = &facts.model;
    let mut out = Vec::new();
    // Per stage: whether it or a stage it builds on has a SHELL, and an
    // ENTRYPOINT. A parent comes before its children, so one pass in order
    // fills it, however long the chain.
    let mut chain: Vec<(bool, bool)> = Vec::with_capacity(model.stages.len());
    for stage in &model.stages {
        let insts = &file.instructions[stage.instructions.clone()];
        let has = |kind| insts.iter().any(|i: &Instruction<'_>| i.kind == kind);
        let (shell_above, entrypoint_above) = stage
            .parent
            .and_then(|p| chain.get(p).copied())
            .unwrap_or_default();
        let own_entrypoint = has(InstructionKind::Entrypoint);
        chain.push((
            shell_above || has(InstructionKind::Shell),
            entrypoint_above || own_entrypoint,
        ));
        let own_cmd = has(InstructionKind::Cmd);
        let entrypoint = own_entrypoint || entrypoint_above;
        // A SHELL in a stage this one builds on is in force all through it.
        let mut shell = shell_above;
        for inst in insts {
            match inst.kind {
                InstructionKind::Shell => shell = true,
                InstructionKind::Cmd | InstructionKind::Entrypoint if !shell => {}
                _ => continue,
            }
            let text = match &inst.args {
                Arguments::Shell(w) => Some(w),
                Arguments::Empty => None,
                _ => continue,
            };
            let span = text.map_or(inst.keyword.span, |w| inst.keyword.span.cover(w.span));
            let mut finding = Finding::new(
                span,
                vec![Bind::new("instruction", inst.keyword.text.clone()).at(inst.keyword.span)],
            );
            let applicability = match inst.kind {
                // Exec form appends CMD to ENTRYPOINT, and `docker run` args.
                InstructionKind::Entrypoint if own_cmd => None,
                InstructionKind::Entrypoint => Some(Applicability::Unsafe),
                // Under an ENTRYPOINT, CMD becomes its arguments: they change.
                _ if entrypoint => Some(Applicability::Unsafe),
                _ => Some(Applicability::Safe),
            };
            finding.fix = match (text, applicability) {
                (Some(w), Some(a)) if !stage.windows && !comment_inside(file, w.span) => {
                    exec_form(&w.text).and_then(|json| {
                        let edit = Edit {
                            span: w.span,
                            text: json.clone(),
                        };
                        Fix::new(format!("Write `{json}`"), a, vec![edit])
                    })
                }
                _ => None,
            };
            out.push(finding);
        }
    }
    out
}

/// The JSON form of a shell command, when the shell would do no more than
/// split it on blanks: every word made of `[A-Za-z0-9_@%+=:,./-]` only (no
/// quotes, escapes, `$`, globs, operators or comments), a first word that
/// is neither a shell keyword, a builtin nor a variable assignment. A
/// leading `exec` is dropped. `None` otherwise, and for an empty command.
pub(crate) fn exec_form(text: &str) -> Option<String> {
    let mut words: Vec<&str> = text.split([' ', '\t']).filter(|w| !w.is_empty()).collect();
    let plain = |w: &str| {
        w.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'_' | b'@' | b'%' | b'+' | b'=' | b':' | b',' | b'.' | b'/' | b'-'
                )
        })
    };
    if !words.iter().all(|w| plain(w)) {
        return None;
    }
    if words.first() == Some(&"exec") {
        words.remove(0);
    }
    let first = *words.first()?;
    let assignment = first
        .split_once('=')
        .is_some_and(|(name, _)| !name.contains('/'));
    if assignment || first.starts_with('-') || SHELL_WORDS.contains(&first) {
        return None;
    }
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    Some(format!("[{}]", quoted.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_plain_words() {
        assert_eq!(
            exec_form("nginx -g daemon-off").as_deref(),
            Some(r#"["nginx", "-g", "daemon-off"]"#)
        );
        assert_eq!(
            exec_form("python app.py --port=8080").as_deref(),
            Some(r#"["python", "app.py", "--port=8080"]"#)
        );
        assert_eq!(
            exec_form("exec  /usr/bin/app\t-v").as_deref(),
            Some(r#"["/usr/bin/app", "-v"]"#)
        );
    }

    #[test]
    fn refuses_what_the_shell_would_interpret() {
        for text in [
            "",
            "echo $HOME",
            "./run.sh && tail -f log",
            "java -jar *.jar",
            "FOO=1 app",
            "nginx -g \"daemon off;\"",
            "[\"echo\", 'hi']",
            "cd /app",
            "exec",
            "exec -a name app",
            "app # comment",
            "ls ~/x",
            "echo {a,b}",
            "a\\ b",
            "echo `id`",
            "app > log",
            "caf\u{e9}",
        ] {
            assert_eq!(exec_form(text), None, "{text}");
        }
    }

    #[test]
    fn a_shell_or_an_entrypoint_holds_down_a_chain_of_stages() {
        let rules = crate::rules::RuleSet::builtin().expect("the built-in rules load");
        let text = "FROM alpine:3.20 AS a\nENTRYPOINT [\"tini\"]\nFROM a AS b\nFROM b AS c\nCMD app\n\
                    FROM alpine:3.20 AS d\nSHELL [\"/bin/ash\", \"-c\"]\nFROM d AS e\nFROM e\nCMD app\n";
        let file = crate::syntax::parse(text);
        let found: Vec<_> = rules
            .check(&file, "Dockerfile", Default::default())
            .into_iter()
            .filter(|d| d.rule == "BP003")
            .collect();
        // Only stage c's CMD: under a's ENTRYPOINT, so its fix is unsafe.
        // The last CMD runs under d's SHELL.
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(&text[found[0].span.range()], "CMD app");
        assert_eq!(found[0].span.start as usize, text.find("CMD").unwrap_or(0));
        assert_eq!(
            found[0].fix.as_ref().map(|f| f.applicability),
            Some(Applicability::Unsafe)
        );
    }
}
