//! What a rule can look at (`on = "..."`). Each subject kind is declared
//! once, in a module of its own: its text fields and booleans (with the
//! function that reads them), its special leaves, its report roles and its
//! placeholders, each a typed enum with its spelling and doc. Loading,
//! evaluation, `docs/rule-format.md`'s subject tables and
//! `docs/rule-schema.json` all read these declarations.
//!
//! A new field is a variant in its subject's enum; the compiler then asks
//! for its evaluation, since every match on these enums is exhaustive.

pub(crate) mod arg;
pub(crate) mod command;
pub(crate) mod file;
pub(crate) mod flag;
pub(crate) mod image;
pub(crate) mod instruction;
pub(crate) mod pair;
pub(crate) mod stage;
pub(crate) mod text;

use super::vocab::{Vocab, vocab};
use crate::shell::Origin;
use std::borrow::Cow;

vocab! {
    /// What a rule looks at.
    pub enum SubjectKind: "subject" {
        /// The Dockerfile as a whole.
        File = "file",
        /// A `FROM` and the instructions up to the next.
        Stage = "stage",
        /// An instruction, or an ONBUILD trigger.
        Instruction = "instruction",
        /// An image reference (`FROM`, `COPY --from=`).
        Image = "image",
        /// A key/value of ENV or LABEL, or a name of ARG.
        Pair = "pair",
        /// An instruction flag (`--mount=...`).
        Flag = "flag",
        /// A positional argument of COPY, ADD, USER, WORKDIR, ...
        Arg = "arg",
        /// A simple command in the shell code an instruction runs.
        Command = "command",
        /// A piece of free text: comments, heredocs, shell text, values.
        Text = "text",
    }
}

vocab! {
    /// Tests with a syntax of their own, beside text fields and booleans.
    pub enum Leaf: "test" {
        /// An image predicate on the image the stage is built on, following `FROM <earlier stage>` to its root.
        Base = "base",
        /// At least one of these flags is given. Binds `{flag}`.
        HasFlag = "has_flag",
        /// None of these flags is given.
        LacksFlag = "lacks_flag",
        /// A flag's value passes a text test. Binds `{flag}`.
        FlagValue = "flag_value",
        /// Some argument passes a text test.
        Arg = "arg",
        /// The command runs under one of these wrappers (`sudo`). Binds `{wrapper}`.
        WrappedBy = "wrapped_by",
        /// The tag is one of these states.
        TagIs = "tag_is",
        /// The value, as written, is one of these kinds.
        ValueIs = "value_is",
        /// The rendered key is an entry of a data table. Binds `{BIND}` and `{BIND.FIELD}`.
        Lookup = "lookup",
        /// A value analyzer holds on a text field.
        Analyze = "analyze",
        /// Some instruction of the file or stage satisfies the predicate.
        Has = "has",
        /// No instruction of the file or stage satisfies the predicate.
        Lacks = "lacks",
        /// A later instruction of the same stage satisfies the predicate.
        LaterInStage = "later_in_stage",
        /// No later instruction of the same stage satisfies the predicate.
        NotLaterInStage = "not_later_in_stage",
        /// A later command of the same script satisfies the predicate.
        FollowedBy = "followed_by",
        /// No later command of the same script satisfies the predicate.
        NotFollowedBy = "not_followed_by",
        /// An earlier command of the same script satisfies the predicate.
        PrecededBy = "preceded_by",
        /// No earlier command of the same script satisfies the predicate.
        NotPrecededBy = "not_preceded_by",
        /// The command's output is piped into the next command, which satisfies the predicate.
        PipedTo = "piped_to",
    }
}

vocab! {
    /// Keys that combine predicates, valid on every subject.
    pub enum Compose: "test" {
        /// Every table of the array holds.
        All = "all",
        /// At least one table of the array holds.
        Any = "any",
        /// The table does not hold.
        Not = "not",
        /// The named utils hold.
        Matches = "matches",
    }
}

/// What a subject kind declares beside its typed fields, roles and
/// placeholders.
pub struct Spec {
    /// Markdown for the docs: what one subject is, and how it is read.
    pub doc: &'static str,
    /// Its special leaves, in the order errors list them.
    pub leaves: &'static [Leaf],
}

/// A field's text, and where it lies in the Dockerfile (for match spans).
pub(crate) type FieldText<'s> = (Cow<'s, str>, Option<Origin<'s>>);

fn owned<'s>(text: String) -> Option<FieldText<'s>> {
    Some((Cow::Owned(text), None))
}

/// A per-subject vocabulary gathered into one enum: `Field::Stage(stage::Text::Name)`.
macro_rules! per_subject {
    ($(#[$meta:meta])* $name:ident, $inner:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            File(file::$inner),
            Stage(stage::$inner),
            Instruction(instruction::$inner),
            Image(image::$inner),
            Pair(pair::$inner),
            Flag(flag::$inner),
            Arg(arg::$inner),
            Command(command::$inner),
            Text(text::$inner),
        }

        impl $name {
            /// Every one a subject kind declares, in order.
            pub fn of(kind: SubjectKind) -> Vec<$name> {
                fn all<T: Vocab>(wrap: fn(T) -> $name) -> Vec<$name> {
                    T::ALL.iter().map(|&v| wrap(v)).collect()
                }
                match kind {
                    SubjectKind::File => all($name::File),
                    SubjectKind::Stage => all($name::Stage),
                    SubjectKind::Instruction => all($name::Instruction),
                    SubjectKind::Image => all($name::Image),
                    SubjectKind::Pair => all($name::Pair),
                    SubjectKind::Flag => all($name::Flag),
                    SubjectKind::Arg => all($name::Arg),
                    SubjectKind::Command => all($name::Command),
                    SubjectKind::Text => all($name::Text),
                }
            }

            /// The spelling in rule files.
            pub fn name(self) -> &'static str {
                match self {
                    $name::File(v) => v.as_str(),
                    $name::Stage(v) => v.as_str(),
                    $name::Instruction(v) => v.as_str(),
                    $name::Image(v) => v.as_str(),
                    $name::Pair(v) => v.as_str(),
                    $name::Flag(v) => v.as_str(),
                    $name::Arg(v) => v.as_str(),
                    $name::Command(v) => v.as_str(),
                    $name::Text(v) => v.as_str(),
                }
            }

            /// What it means, for the docs.
            pub fn doc(self) -> String {
                match self {
                    $name::File(v) => v.doc(),
                    $name::Stage(v) => v.doc(),
                    $name::Instruction(v) => v.doc(),
                    $name::Image(v) => v.doc(),
                    $name::Pair(v) => v.doc(),
                    $name::Flag(v) => v.doc(),
                    $name::Arg(v) => v.doc(),
                    $name::Command(v) => v.doc(),
                    $name::Text(v) => v.doc(),
                }
            }
        }
    };
}

per_subject!(
    /// A text field of a subject: `field = 'regex'`, `field = ["exact", ...]`,
    /// `field = { regex, equals, in, icase, literal }`.
    Field,
    Text
);
per_subject!(
    /// A boolean fact about a subject: `field = true | false`.
    BoolField,
    Bool
);
per_subject!(
    /// A span a diagnostic can point at (`report = "..."`).
    Role,
    Role
);
per_subject!(
    /// A value the subject binds for messages.
    Placeholder,
    Placeholder
);

impl SubjectKind {
    pub fn spec(self) -> &'static Spec {
        match self {
            SubjectKind::File => &file::SPEC,
            SubjectKind::Stage => &stage::SPEC,
            SubjectKind::Instruction => &instruction::SPEC,
            SubjectKind::Image => &image::SPEC,
            SubjectKind::Pair => &pair::SPEC,
            SubjectKind::Flag => &flag::SPEC,
            SubjectKind::Arg => &arg::SPEC,
            SubjectKind::Command => &command::SPEC,
            SubjectKind::Text => &text::SPEC,
        }
    }

    pub fn text_fields(self) -> Vec<Field> {
        Field::of(self)
    }

    pub fn bool_fields(self) -> Vec<BoolField> {
        BoolField::of(self)
    }

    pub fn leaves(self) -> &'static [Leaf] {
        self.spec().leaves
    }

    /// Spans a diagnostic can point at; the first is the default.
    pub fn roles(self) -> Vec<Role> {
        Role::of(self)
    }

    /// Placeholders every subject of the kind binds.
    pub fn placeholders(self) -> Vec<Placeholder> {
        Placeholder::of(self)
    }

    /// Whether the subject belongs to an instruction (so the `instruction`
    /// and `onbuild` filters apply).
    pub fn has_instruction(self) -> bool {
        match self {
            SubjectKind::File | SubjectKind::Stage => false,
            SubjectKind::Instruction
            | SubjectKind::Image
            | SubjectKind::Pair
            | SubjectKind::Flag
            | SubjectKind::Arg
            | SubjectKind::Command
            | SubjectKind::Text => true,
        }
    }

    /// Every key a `where` table of this subject accepts, in the order
    /// errors list them.
    pub fn predicate_keys(self) -> Vec<&'static str> {
        let mut keys = Compose::names();
        keys.extend(self.text_fields().into_iter().map(Field::name));
        keys.extend(self.bool_fields().into_iter().map(BoolField::name));
        keys.extend(self.leaves().iter().map(|l| l.as_str()));
        keys
    }
}

#[cfg(test)]
mod tests;
