//! The vocabulary of the rule format: subjects, the fields and leaves each
//! offers, its report roles and placeholders. Loading validates rules
//! against these tables, and `docs/rule-format.md` describes them.

use serde::Serialize;
use std::fmt;

/// What a rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SubjectKind {
    File,
    Stage,
    Instruction,
    Image,
    Pair,
    Flag,
    Arg,
    Command,
    Text,
}

impl SubjectKind {
    pub const ALL: [SubjectKind; 9] = [
        SubjectKind::File,
        SubjectKind::Stage,
        SubjectKind::Instruction,
        SubjectKind::Image,
        SubjectKind::Pair,
        SubjectKind::Flag,
        SubjectKind::Arg,
        SubjectKind::Command,
        SubjectKind::Text,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::File => "file",
            SubjectKind::Stage => "stage",
            SubjectKind::Instruction => "instruction",
            SubjectKind::Image => "image",
            SubjectKind::Pair => "pair",
            SubjectKind::Flag => "flag",
            SubjectKind::Arg => "arg",
            SubjectKind::Command => "command",
            SubjectKind::Text => "text",
        }
    }

    pub fn parse(s: &str) -> Option<SubjectKind> {
        SubjectKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Text fields: `field = 'regex'`, `field = ["exact", ...]`,
    /// `field = { regex, equals, in, icase }`.
    pub fn text_fields(self) -> &'static [(&'static str, Field)] {
        match self {
            SubjectKind::File => &[("path", Field::Path)],
            SubjectKind::Stage => &[
                ("name", Field::StageName),
                ("image", Field::StageImage),
                ("user", Field::StageUser),
            ],
            SubjectKind::Instruction => &[
                ("keyword", Field::Keyword),
                ("raw", Field::Raw),
                ("args", Field::Args),
            ],
            SubjectKind::Image => &[
                ("image", Field::Image),
                ("registry", Field::Registry),
                ("repo", Field::Repo),
                ("name", Field::ShortName),
                ("tag", Field::Tag),
                ("digest", Field::Digest),
                ("full", Field::FullName),
            ],
            SubjectKind::Pair => &[("key", Field::Key), ("value", Field::Value)],
            SubjectKind::Flag => &[("name", Field::FlagName), ("value", Field::FlagValue)],
            SubjectKind::Arg => &[("value", Field::ArgValue), ("expanded", Field::ArgExpanded)],
            SubjectKind::Command => &[
                ("name", Field::CmdName),
                ("path", Field::CmdPath),
                ("subcommand", Field::Subcommand),
                ("args", Field::CmdArgs),
                ("line", Field::CmdLine),
            ],
            SubjectKind::Text => &[("text", Field::Text)],
        }
    }

    /// Boolean facts: `field = true | false`.
    pub fn bool_fields(self) -> &'static [(&'static str, BoolField)] {
        match self {
            SubjectKind::File => &[],
            SubjectKind::Stage => &[
                ("final", BoolField::Final),
                ("user_set", BoolField::UserSet),
                ("user_resolved", BoolField::UserResolved),
                ("windows", BoolField::Windows),
                ("from_stage", BoolField::FromStage),
            ],
            SubjectKind::Instruction => &[
                ("exec_form", BoolField::ExecForm),
                ("heredoc", BoolField::Heredoc),
                ("onbuild", BoolField::Onbuild),
            ],
            SubjectKind::Image => &[
                ("pinned", BoolField::Pinned),
                ("stage_ref", BoolField::StageRef),
                ("scratch", BoolField::Scratch),
                ("uses_arg", BoolField::UsesArg),
                ("resolved", BoolField::Resolved),
                ("explicit_registry", BoolField::ExplicitRegistry),
                ("final", BoolField::Final),
            ],
            SubjectKind::Pair => &[
                ("legacy", BoolField::Legacy),
                ("has_value", BoolField::HasValue),
            ],
            SubjectKind::Flag => &[("has_value", BoolField::HasValue)],
            SubjectKind::Arg => &[("resolved", BoolField::Resolved), ("last", BoolField::Last)],
            SubjectKind::Command => &[
                ("in_heredoc", BoolField::InHeredoc),
                ("nested", BoolField::Nested),
                ("exec_form", BoolField::ExecForm),
            ],
            SubjectKind::Text => &[],
        }
    }

    /// Leaves with their own syntax.
    pub fn special_leaves(self) -> &'static [&'static str] {
        match self {
            SubjectKind::File => &["has", "lacks"],
            SubjectKind::Stage => &["base", "has", "lacks"],
            SubjectKind::Instruction => &[
                "has_flag",
                "lacks_flag",
                "flag_value",
                "later_in_stage",
                "not_later_in_stage",
                "analyze",
            ],
            SubjectKind::Image => &["tag_is", "lookup"],
            SubjectKind::Pair => &["value_is", "analyze", "lookup"],
            SubjectKind::Flag => &["analyze"],
            SubjectKind::Arg => &["analyze", "lookup"],
            SubjectKind::Command => &[
                "has_flag",
                "lacks_flag",
                "flag_value",
                "arg",
                "wrapped_by",
                "followed_by",
                "not_followed_by",
                "preceded_by",
                "not_preceded_by",
                "piped_to",
                "analyze",
            ],
            SubjectKind::Text => &["analyze"],
        }
    }

    /// Spans a diagnostic can point at (`report = "..."`); the first is the default.
    pub fn roles(self) -> &'static [&'static str] {
        match self {
            SubjectKind::File => &["file"],
            SubjectKind::Stage => &["from", "user", "image"],
            SubjectKind::Instruction => &["instruction", "keyword", "args", "match"],
            SubjectKind::Image => &["image", "match"],
            SubjectKind::Pair => &["pair", "key", "value", "match"],
            SubjectKind::Flag => &["flag", "name", "value", "match"],
            SubjectKind::Arg => &["arg", "match"],
            SubjectKind::Command => &["command", "name", "match"],
            SubjectKind::Text => &["match", "text"],
        }
    }

    /// Placeholders the subject binds for messages.
    pub fn placeholders(self) -> &'static [&'static str] {
        match self {
            SubjectKind::File => &["path"],
            SubjectKind::Stage => &["stage", "image", "user"],
            SubjectKind::Instruction => &["instruction", "args"],
            SubjectKind::Image => &[
                "image", "registry", "repo", "name", "tag", "digest", "stage",
            ],
            SubjectKind::Pair => &["key", "value", "instruction"],
            SubjectKind::Flag => &["flag", "value", "instruction"],
            SubjectKind::Arg => &["arg", "expanded", "instruction"],
            SubjectKind::Command => &["command", "subcommand", "args", "line"],
            SubjectKind::Text => &["source", "place"],
        }
    }

    /// Whether the subject belongs to an instruction (so the `instruction`
    /// and `onbuild` filters apply).
    pub fn has_instruction(self) -> bool {
        !matches!(self, SubjectKind::File | SubjectKind::Stage)
    }
}

impl fmt::Display for SubjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A text field of a subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Path,
    StageName,
    StageImage,
    StageUser,
    Keyword,
    Raw,
    Args,
    Image,
    Registry,
    Repo,
    ShortName,
    Tag,
    Digest,
    FullName,
    Key,
    Value,
    FlagName,
    FlagValue,
    ArgValue,
    ArgExpanded,
    CmdName,
    CmdPath,
    Subcommand,
    CmdArgs,
    CmdLine,
    Text,
}

/// A boolean fact about a subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoolField {
    Final,
    UserSet,
    UserResolved,
    Windows,
    FromStage,
    ExecForm,
    Heredoc,
    Onbuild,
    Pinned,
    StageRef,
    Scratch,
    UsesArg,
    Resolved,
    ExplicitRegistry,
    Legacy,
    HasValue,
    Last,
    InHeredoc,
    Nested,
}

/// Where text subjects come from (`source = [...]` in `[rule.match]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextSource {
    /// Comment lines.
    Comment,
    /// Heredoc bodies (RUN scripts and COPY/ADD file content).
    Heredoc,
    /// Shell-form text and exec-form arguments of RUN, CMD, ENTRYPOINT and
    /// HEALTHCHECK.
    Shell,
    /// ENV, ARG and LABEL values.
    Value,
    /// Text that a command puts together and writes: `printf FORMAT ARGS`
    /// with its arguments substituted.
    Output,
}

impl TextSource {
    pub const ALL: [TextSource; 5] = [
        TextSource::Comment,
        TextSource::Heredoc,
        TextSource::Shell,
        TextSource::Value,
        TextSource::Output,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TextSource::Comment => "comment",
            TextSource::Heredoc => "heredoc",
            TextSource::Shell => "shell",
            TextSource::Value => "value",
            TextSource::Output => "output",
        }
    }

    pub fn parse(s: &str) -> Option<TextSource> {
        TextSource::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Which stages a rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageFilter {
    Any,
    /// The stage that is built (the last, or `--target`).
    Final,
    /// Every stage but the final one.
    Build,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    Any,
    First,
    Last,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnbuildFilter {
    /// Instructions and ONBUILD triggers alike (the default).
    Include,
    Exclude,
    Only,
}

/// Categories of rules.
pub const CATEGORIES: &[&str] = &[
    "security",
    "supply-chain",
    "efficiency",
    "correctness",
    "best-practice",
    "style",
];

/// Namespaces for foreign rule ids in `[rule.aliases]`.
pub const ALIAS_NAMESPACES: &[&str] = &[
    "hadolint", "buildkit", "trivy", "checkov", "kics", "semgrep", "cis", "legacy",
];

/// Keys of a `[[rule]]` table.
pub const RULE_KEYS: &[&str] = &[
    "id",
    "name",
    "category",
    "severity",
    "summary",
    "message",
    "hint",
    "help",
    "since",
    "status",
    "tags",
    "confidence",
    "refs",
    "aliases",
    "metadata",
    "match",
    "engine",
    "native",
    "fix",
    "examples",
];

pub const MATCH_KEYS: &[&str] = &[
    "on",
    "instruction",
    "stage",
    "position",
    "onbuild",
    "form",
    "source",
    "scripts",
    "report",
    "where",
];
