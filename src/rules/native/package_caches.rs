//! `pip-no-cache-dir` and `apk-no-cache`: package installs that leave the
//! package manager's cache in the layer. Their exemptions look past the
//! command, at the RUN's cache mounts and the environment in force, which
//! the match language can't reach from a command.

use super::edits::insert_after;
use crate::diagnostic::{Applicability, Fix};
use crate::rules::eval::{Bind, Facts, Finding};
use crate::shell::{Command, ShellWord};
use crate::syntax::{Instruction, InstructionKind};

/// Values of `PIP_NO_CACHE_DIR` that turn pip's cache off (the truthy
/// spellings; pip reads more, but these are the unambiguous ones).
const TRUTHY: &[&str] = &[
    "1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES",
];

/// pip's options that take a value before the subcommand.
const PIP_VALUE_OPTIONS: &[&str] = &[
    "--proxy",
    "--log",
    "--log-file",
    "--timeout",
    "--retries",
    "--cert",
    "--client-cert",
    "--cache-dir",
    "--exists-action",
    "--trusted-host",
    "--python",
    "--use-feature",
    "--use-deprecated",
];

/// apk's options that take a value before the subcommand.
const APK_VALUE_OPTIONS: &[&str] = &[
    "-X",
    "--repository",
    "-p",
    "--root",
    "--arch",
    "--cache-dir",
    "--cache-max-age",
    "--keys-dir",
    "--repositories-file",
    "--progress-fd",
    "--wait",
    "--timeout",
];

/// `pip install` (any `pip`, `pip3`, `pip3.12`, also by path, and
/// `python -m pip install`) without `--no-cache-dir`, unless
/// `PIP_NO_CACHE_DIR` is on or the RUN mounts a cache or tmpfs on a pip
/// cache directory.
pub(super) fn pip_no_cache_dir(facts: &Facts<'_, '_>) -> Vec<Finding> {
    installs(facts, |facts, idx, run, script, c| {
        let (command, verb) = pip_install(c)?;
        if no_cache_dir(c)
            || mounted(run, |t| t.ends_with("/.cache/pip"))
            || pip_cache_off(facts, idx, script, c)
        {
            return None;
        }
        let fixable = !c.has_flag("--cache-dir");
        Some((command, verb, " --no-cache-dir", fixable))
    })
}

/// `apk add` without `--no-cache`, unless the RUN mounts a cache or tmpfs
/// on apk's cache (`/var/cache/apk`, or `/etc/apk/cache`, its link).
pub(super) fn apk_no_cache(facts: &Facts<'_, '_>) -> Vec<Finding> {
    installs(facts, |_, _, run, _, c| {
        if c.name() != "apk" {
            return None;
        }
        let verb = subcommand(c.args.iter(), APK_VALUE_OPTIONS).filter(|w| w.text == "add")?;
        if c.has_flag("--no-cache")
            || mounted(run, |t| t == "/var/cache/apk" || t == "/etc/apk/cache")
        {
            return None;
        }
        let fixable = !c.has_flag("--cache-dir") && !c.has_flag("--cache-max-age");
        Some(("apk".to_owned(), verb, " --no-cache", fixable))
    })
}

/// What a package-cache check says of one command: the command as the
/// message names it, the subcommand word to insert the flag after, the
/// flag (with its leading space), and whether the insertion is a fix.
type Found<'c> = (String, &'c ShellWord, &'static str, bool);

/// Runs `check` on every command a RUN (or ONBUILD RUN) runs itself:
/// not commands nested in `sh -c '...'` or `$(...)`, nor scripts written
/// to files. Exec form is reported without a fix: an insertion there would
/// have to go inside the JSON strings.
fn installs(
    facts: &Facts<'_, '_>,
    check: impl for<'c> Fn(
        &Facts<'_, '_>,
        usize,
        &Instruction<'_>,
        &[Command],
        &'c Command,
    ) -> Option<Found<'c>>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (idx, inst) in facts.file.instructions.iter().enumerate() {
        let run = inst.trigger().unwrap_or(inst);
        if run.kind != InstructionKind::Run {
            continue;
        }
        for script in facts.scripts()[idx].iter().filter(|s| !s.file) {
            for c in script.commands.iter().filter(|c| !c.nested) {
                let Some((command, verb, flag, fixable)) =
                    check(facts, idx, run, &script.commands, c)
                else {
                    continue;
                };
                let mut finding = Finding::new(
                    c.span,
                    vec![
                        Bind::new("command", command).at(c.name.span),
                        Bind::new("subcommand", verb.text.clone()).at(verb.span),
                    ],
                );
                // After `--` every word is an operand: a flag inserted
                // there would not count, and the finding would stay.
                let end_of_options = c
                    .args
                    .iter()
                    .take_while(|a| a.span.start < verb.span.start)
                    .any(|a| a.text == "--");
                if fixable && !end_of_options && !run.is_exec_form() {
                    let title = format!("Add `{}` after `{}`", flag.trim_start(), verb.text);
                    finding.fix = Fix::new(
                        title,
                        Applicability::Safe,
                        vec![insert_after(verb.span, flag)],
                    );
                }
                out.push(finding);
            }
        }
    }
    out
}

/// The first argument that is not an option nor an option's value.
fn subcommand<'c>(
    mut args: impl Iterator<Item = &'c ShellWord>,
    value_options: &[&str],
) -> Option<&'c ShellWord> {
    while let Some(a) = args.next() {
        let t = a.text.as_str();
        if t == "--" {
            return args.next();
        }
        if !(t.starts_with('-') && t.len() > 1) {
            return Some(a);
        }
        if value_options.contains(&t) {
            args.next();
        }
    }
    None
}

/// The name the message gives a pip install and its `install` word:
/// `pip3` for `pip3 install`, `python3 -m pip` for `python3 -m pip install`.
fn pip_install(c: &Command) -> Option<(String, &ShellWord)> {
    let name = c.name();
    let versioned = |prefix: &str| {
        name.strip_prefix(prefix)
            .is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
    };
    if versioned("pip") {
        let verb = subcommand(c.args.iter(), PIP_VALUE_OPTIONS).filter(|w| w.text == "install")?;
        return Some((name.to_owned(), verb));
    }
    if !versioned("python") {
        return None;
    }
    // `python [options] -m pip [pip options] install`
    let mut args = c.args.iter();
    loop {
        let a = args.next()?;
        match a.text.as_str() {
            "-m" => {
                if args.next()?.text != "pip" {
                    return None;
                }
                break;
            }
            "-mpip" => break,
            t if t.starts_with('-') => {}
            _ => return None,
        }
    }
    let verb = subcommand(args, PIP_VALUE_OPTIONS).filter(|w| w.text == "install")?;
    Some((format!("{name} -m pip"), verb))
}

/// Whether pip is given `--no-cache-dir`, or an abbreviation of it down to
/// `--no-cache` (pip's option parser takes any unambiguous prefix).
fn no_cache_dir(c: &Command) -> bool {
    c.options().any(|a| {
        let name = a.text.split('=').next().unwrap_or("");
        name.len() >= "--no-cache".len() && "--no-cache-dir".starts_with(name)
    })
}

/// Whether `PIP_NO_CACHE_DIR` is on for command `c`: set on the command
/// line (`PIP_NO_CACHE_DIR=1 pip ...`, also through `env`), exported
/// earlier in the same script, or set by ENV (or ARG) before the RUN, in
/// its stage or a stage it builds on.
fn pip_cache_off(facts: &Facts<'_, '_>, idx: usize, script: &[Command], c: &Command) -> bool {
    let on = |word: &str| {
        word.strip_prefix("PIP_NO_CACHE_DIR=")
            .is_some_and(|v| TRUTHY.contains(&v.trim_matches(['"', '\''])))
    };
    let source = facts.file.source;
    let prefix = source
        .get(c.span.start as usize..c.name.span.start as usize)
        .unwrap_or("");
    if prefix.split_whitespace().any(on) {
        return true;
    }
    let exported = script
        .iter()
        .take_while(|e| e.span.start < c.span.start)
        .any(|e| e.name() == "export" && e.args.iter().any(|a| on(&a.text)));
    if exported {
        return true;
    }
    let env = facts.model.expand_at(idx, "${PIP_NO_CACHE_DIR}");
    env.resolved && TRUTHY.contains(&env.text.as_str())
}

/// Whether the RUN mounts a cache or a tmpfs on a target that `wanted`
/// accepts (given without trailing `/`).
fn mounted(run: &Instruction<'_>, wanted: impl Fn(&str) -> bool) -> bool {
    run.flags
        .iter()
        .filter(|f| f.name.text == "mount")
        .filter_map(|f| f.value.as_ref())
        .any(|v| {
            let fields = crate::syntax::mount_fields(&v.text);
            let mut kind = "bind";
            let mut target = None;
            for (key, value) in &fields {
                match key.as_str() {
                    "type" => kind = value,
                    "target" | "dst" | "destination" => target = Some(value),
                    _ => {}
                }
            }
            matches!(kind, "cache" | "tmpfs")
                && target.is_some_and(|t| wanted(t.trim_end_matches('/')))
        })
}
