//! `on = "command"`: each simple command in the shell code an instruction
//! runs.

use super::{FieldText, Leaf, Spec, owned};
use crate::rules::eval::{Bind, Facts, InstRef, join_args};
use crate::rules::vocab::vocab;
use crate::shell::{Command, Origin, Script, ShellWord};
use crate::span::Span;
use std::borrow::Cow;

pub const SPEC: Spec = Spec {
    doc: "One per simple command in the shell code an instruction runs: RUN (shell \
form split with a shell-aware splitter, exec form as one command, heredoc \
scripts), CMD, ENTRYPOINT, HEALTHCHECK CMD and their ONBUILD triggers. \
Commands in `$(...)`, backticks, `sh -c '...'` and `find -exec` are \
commands too (`nested`). Wrappers are seen through: in `sudo -u app env \
A=1 make`, the command is `make` and `sudo` and `env` are its wrappers. \
In Windows stages (cmd by default) and stages whose SHELL is cmd or \
PowerShell, code is split into words and commands only; code for other \
shells set by SHELL is not split.\n\nWords are seen with their quotes removed.",
    leaves: &[
        Leaf::HasFlag,
        Leaf::LacksFlag,
        Leaf::FlagValue,
        Leaf::Arg,
        Leaf::WrappedBy,
        Leaf::FollowedBy,
        Leaf::NotFollowedBy,
        Leaf::PrecededBy,
        Leaf::NotPrecededBy,
        Leaf::PipedTo,
        Leaf::Analyze,
    ],
};

vocab! {
    pub enum Text: "field of `command`" {
        /// The command's base name: `apt-get` for `/usr/bin/apt-get`.
        Name = "name",
        /// The command word as written.
        Path = "path",
        /// The first argument that is not an option: `install` in `apt-get -y install curl`; for a command with a flag table, the word after its own flags (`run` in `docker -H tcp://h run`); absent when none.
        Subcommand = "subcommand",
        /// All arguments joined by spaces.
        Args = "args",
        /// The command's source text.
        Line = "line",
    }
}

vocab! {
    pub enum Bool: "boolean of `command`" {
        /// In a heredoc script.
        InHeredoc = "in_heredoc",
        /// Inside `$(...)`, backticks, `sh -c '...'` or `find -exec`.
        Nested = "nested",
        /// The instruction is in JSON (exec) form.
        ExecForm = "exec_form",
    }
}

vocab! {
    pub enum Role: "report role for `command`" {
        /// From the first word, wrappers included, to the last.
        Command = "command",
        /// The command word.
        Name = "name",
        /// What the predicate matched.
        Match = "match",
    }
}

vocab! {
    pub enum Placeholder: "placeholder of `command`" {
        /// The name.
        Command = "command",
        /// The subcommand; empty when none.
        Subcommand = "subcommand",
        /// The arguments, up to 60 characters.
        Args = "args",
        /// The source text, up to 80 characters.
        Line = "line",
    }
}

pub(crate) fn text<'s>(
    field: Text,
    c: &'s Command,
    facts: &'s Facts<'_, '_>,
) -> Option<FieldText<'s>> {
    match field {
        Text::Name => Some((Cow::Borrowed(c.name()), Some(Origin::Fixed(c.name.span)))),
        Text::Path => Some((
            Cow::Borrowed(c.name.text.as_str()),
            Some(Origin::Fixed(c.name.span)),
        )),
        Text::Subcommand => subcommand(c, facts)
            .map(|w| (Cow::Borrowed(w.text.as_str()), Some(Origin::Fixed(w.span)))),
        Text::Args => owned(join_args(c)),
        Text::Line => Some((
            Cow::Borrowed(c.span.text(facts.file.source)),
            Some(Origin::Source { base: c.span.start }),
        )),
    }
}

pub(crate) fn boolean(field: Bool, r: &InstRef<'_, '_>, script: &Script, c: &Command) -> bool {
    match field {
        Bool::InHeredoc => script.heredoc,
        Bool::Nested => c.nested,
        Bool::ExecForm => r.inst.is_exec_form(),
    }
}

/// The span a finding points at when the reported role has none.
pub const WHOLE: Role = Role::Command;

pub(crate) fn bind(p: Placeholder, c: &Command, facts: &Facts<'_, '_>) -> Bind {
    match p {
        Placeholder::Command => Bind::new(p.as_str(), c.name()).at(c.name.span),
        Placeholder::Subcommand => match subcommand(c, facts) {
            Some(w) => Bind::new(p.as_str(), w.text.clone()).at(w.span),
            None => Bind::new(p.as_str(), ""),
        },
        Placeholder::Args => {
            let span = match (c.args.first(), c.args.last()) {
                (Some(a), Some(b)) => Some(a.span.cover(b.span)),
                _ => None,
            };
            Bind::new(p.as_str(), join_args(c)).at(span).cut(60)
        }
        Placeholder::Line => Bind::new(p.as_str(), c.span.text(facts.file.source))
            .at(c.span)
            .cut(80),
    }
}

/// The subcommand: for a command the flag tables know, the word after its
/// own flags and their values (`run` in `docker -H tcp://h run`); else the
/// first argument that is not an option.
fn subcommand<'c>(c: &'c Command, facts: &Facts<'_, '_>) -> Option<&'c ShellWord> {
    match facts.data.read_command(c) {
        Some(r) => c.args.get(r.subcommand),
        None => c.subcommand(),
    }
}

pub(crate) fn role_span(role: Role, c: &Command, hit: Option<Span>) -> Option<Span> {
    match role {
        Role::Command => Some(c.span),
        Role::Name => Some(c.name.span),
        Role::Match => hit,
    }
}
