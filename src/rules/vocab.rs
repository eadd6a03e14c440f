//! The closed sets of words of the rule format (categories, severities,
//! tag states, detectors, ...): each is one enum declared with [`vocab!`],
//! which gives it its spelling, its documentation and the list of all its
//! values. Loading parses them with one generic function, and the docs and
//! the JSON Schema list them from the same declaration.

use crate::detect::{Charset, Checksum, Literal, NameSplit};
use crate::diagnostic::{Applicability, Severity};

/// A closed set of words: every value, how it is spelled, what it means.
pub trait Vocab: Copy + Eq + 'static {
    /// Every value, in the order the docs and error notes list them.
    const ALL: &'static [Self];
    /// What one value is called in load errors ("unknown {WHAT} `x`").
    const WHAT: &'static str;

    /// The spelling in rule files.
    fn as_str(self) -> &'static str;

    /// Its documentation (the variant's doc comment), on one line.
    fn doc(self) -> String {
        one_line(self.raw_doc())
    }

    /// The doc comment as written, one `#[doc]` line per line.
    fn raw_doc(self) -> &'static str;

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }

    /// Every spelling, in order.
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|v| v.as_str()).collect()
    }
}

/// Joins the lines of a doc comment, dropping the space rustdoc keeps
/// after `///`.
pub(crate) fn one_line(doc: &str) -> String {
    doc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Declares a vocabulary: an enum whose variants carry their spelling and
/// doc comment, with [`Vocab`], `Display` and `Serialize` (as the spelling).
///
/// ```ignore
/// vocab! {
///     /// How sure a rule is of its findings.
///     pub enum Confidence: "confidence" {
///         /// Rarely wrong.
///         High = "high",
///     }
/// }
/// ```
///
/// The second form, `vocab! { impl Type: "what" { ... } }`, implements the
/// trait for an enum declared elsewhere (below `rules`, which can't know
/// how rule files spell it).
macro_rules! vocab {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident: $what:literal {
            $(
                $(#[doc = $doc:literal])*
                $variant:ident = $text:literal,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $(
                $(#[doc = $doc])*
                $variant,
            )*
        }

        $crate::rules::vocab::vocab! {
            impl $name: $what {
                $(
                    $(#[doc = $doc])*
                    $variant = $text,
                )*
            }
        }

        impl $name {
            /// The spelling in rule files.
            pub fn as_str(self) -> &'static str {
                $crate::rules::vocab::Vocab::as_str(self)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::rules::vocab::Vocab::as_str(*self))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::rules::vocab::Vocab::as_str(*self))
            }
        }
    };
    (
        impl $name:ident: $what:literal {
            $(
                $(#[doc = $doc:literal])*
                $variant:ident = $text:literal,
            )*
        }
    ) => {
        impl $crate::rules::vocab::Vocab for $name {
            const ALL: &'static [Self] = &[$($name::$variant),*];
            const WHAT: &'static str = $what;

            #[allow(unreachable_code)]
            fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            #[allow(unreachable_code)]
            fn raw_doc(self) -> &'static str {
                match self {
                    $($name::$variant => concat!($($doc, "\n",)* ""),)*
                }
            }
        }
    };
}

pub(crate) use vocab;

vocab! {
    /// What a rule is about; also a selector (`--select security`).
    pub enum Category: "category" {
        /// Weakens the image's or the build's security.
        Security = "security",
        /// Where images, packages and files come from, and whether they can change under you.
        SupplyChain = "supply-chain",
        /// Image size and build time.
        Efficiency = "efficiency",
        /// The build fails or doesn't do what it says.
        Correctness = "correctness",
        /// Widely agreed habits.
        BestPractice = "best-practice",
        /// Consistency and readability.
        Style = "style",
    }
}

// Severities and applicabilities are spelled where they are declared,
// beside the diagnostics that carry them.
impl Vocab for Severity {
    const ALL: &'static [Self] = &Severity::ALL;
    const WHAT: &'static str = "severity";

    fn as_str(self) -> &'static str {
        Severity::as_str(self)
    }

    fn raw_doc(self) -> &'static str {
        match self {
            Severity::Error => "Most severe.",
            Severity::Warning => "Shown as a warning.",
            Severity::Info => "Shown as `note` by the human output.",
            Severity::Style => "Least severe; shown as `help` by the human output.",
        }
    }
}

impl Vocab for Applicability {
    const ALL: &'static [Self] = &Applicability::ALL;
    const WHAT: &'static str = "applicability";

    fn as_str(self) -> &'static str {
        Applicability::as_str(self)
    }

    fn raw_doc(self) -> &'static str {
        match self {
            Applicability::Safe => {
                "Applied by `--fix`: the image is built the same, or as intended."
            }
            Applicability::Unsafe => {
                "Applied with `--unsafe-fixes`: it may change what the image does."
            }
            Applicability::DisplayOnly => "Shown as a suggestion, never applied.",
        }
    }
}

vocab! {
    /// A rule's maturity.
    pub enum Status: "status" {
        /// The default.
        Stable = "stable",
        /// New; may change.
        Preview = "preview",
        /// To be removed.
        Deprecated = "deprecated",
    }
}

vocab! {
    /// How sure a rule is of its findings.
    pub enum Confidence: "confidence" {
        /// Findings are rarely wrong.
        High = "high",
        /// Findings are usually right.
        Medium = "medium",
        /// Findings need a look.
        Low = "low",
    }
}

vocab! {
    /// How a rule decides.
    pub enum Engine: "engine" {
        /// `[rule.match]`: a subject, filters and a predicate.
        Match = "match",
        /// A check written in Rust, named by `native`.
        Native = "native",
    }
}

vocab! {
    /// The kinds of references in `[rule.refs]`.
    pub enum RefKind: "`refs` entry" {
        /// CIS Docker Benchmark sections.
        Cis = "cis",
        /// CWE ids.
        Cwe = "cwe",
        /// OWASP ids.
        Owasp = "owasp",
        /// Documentation links; the first is the rule's link in SARIF for a rule outside the built-in pack.
        Urls = "urls",
    }
}

vocab! {
    /// Other tools whose ids `[rule.aliases]` and `[rule.related]` list.
    pub enum AliasNamespace: "tool namespace" {
        /// hadolint (`DL3002`) and ShellCheck (`SC2086`) codes.
        Hadolint = "hadolint",
        /// BuildKit check names (`SecretsUsedInArgOrEnv`).
        Buildkit = "buildkit",
        /// Trivy ids (`DS-0002`).
        Trivy = "trivy",
        /// Checkov ids (`CKV_DOCKER_3`).
        Checkov = "checkov",
        /// KICS query names.
        Kics = "kics",
        /// Semgrep rule ids.
        Semgrep = "semgrep",
        /// CIS Docker Benchmark sections.
        Cis = "cis",
        /// Former shipshape ids.
        Legacy = "legacy",
    }
}

vocab! {
    /// Which stages a rule looks at (`stage = ...`).
    pub enum StageFilter: "stage filter" {
        /// Every stage.
        Any = "any",
        /// The stage that is built (the last, or `--target`).
        Final = "final",
        /// Every stage but the final one.
        Build = "build",
    }
}

vocab! {
    /// Which of the subjects that passed the other filters are kept, per
    /// stage and instruction keyword (`position = ...`).
    pub enum Position: "position" {
        /// All of them.
        Any = "any",
        /// The first.
        First = "first",
        /// The last.
        Last = "last",
    }
}

vocab! {
    /// The form of RUN, CMD, ENTRYPOINT and HEALTHCHECK (`form = ...`).
    pub enum Form: "form" {
        /// JSON (exec) form.
        Exec = "exec",
        /// Shell form.
        Shell = "shell",
    }
}

vocab! {
    /// Which commands `on = "command"` sees (`scripts = ...`).
    pub enum Scripts: "scripts" {
        /// Commands the build or the container runs.
        Run = "run",
        /// Also commands in shell scripts the image writes to files (heredocs, and what `echo` and `printf` write).
        All = "all",
    }
}

vocab! {
    /// Where text subjects come from (`source = [...]` in `[rule.match]`).
    pub enum TextSource: "text source" {
        /// Each comment line.
        Comment = "comment",
        /// Each heredoc body (RUN scripts, COPY/ADD file contents).
        Heredoc = "heredoc",
        /// The shell-form text of RUN, CMD, ENTRYPOINT and HEALTHCHECK, or each element of their exec form.
        Shell = "shell",
        /// Each value of ENV, ARG and LABEL.
        Value = "value",
        /// What `printf FORMAT ARGS...` writes, with the arguments put into the format (only when the format has conversions such as `%s`).
        Output = "output",
        /// Each value given to a name outside ENV, ARG and LABEL, with the name as the `name` field: `export NAME=…`, `NAME=… cmd`, `env NAME=…`, `-e`/`--env`/`--build-arg NAME=…`, `-DNAME=…`; and `KEY=value`, `key = value`, `key: value`, JSON `"key": "value"`, XML `<key>value</key>` and `.netrc` `password` lines of heredocs and of what `echo` and `printf` print. Read only when named, since these values are also part of other sources' texts.
        Assignment = "assignment",
        /// Base64 values decoded: Kubernetes `Secret` `data:`, kubeconfig `*-data` keys, and the password in a Docker `config.json` `auth`.
        Decoded = "decoded",
    }
}

vocab! {
    /// The state of an image's tag (`tag_is`).
    pub enum TagState: "tag state" {
        /// The tag is `latest`.
        Latest = "latest",
        /// No tag.
        Missing = "missing",
        /// Any other tag.
        Present = "present",
    }
}

vocab! {
    /// What a pair's value is, as written (`value_is`).
    pub enum ValueKind: "value kind" {
        /// No `$`.
        Literal = "literal",
        /// Contains `$`.
        Variable = "variable",
        /// `""`, `''` or nothing after `=`.
        Empty = "empty",
        /// No value at all (`ARG NAME`).
        None = "none",
    }
}

vocab! {
    impl Literal: "literal kind" {
        /// `""`.
        Empty = "empty",
        /// `$HOME`, `${TOKEN}`, `$(cat /run/secrets/x)`, `{{ .Token }}`.
        Reference = "reference",
        /// `changeme`, `<your-token>`, `xxxxxxxx`, `%s`, values under 3 characters.
        Placeholder = "placeholder",
        /// `3600`, `1.5`.
        Number = "number",
        /// `true`, `no`, `off`, `none`, `null`.
        Boolean = "boolean",
        /// `/run/secrets/db`, `./x`, `~/x`, `C:\x`.
        Path = "path",
        /// A URL without credentials.
        Url = "url",
        /// Credential-shaped but public by design (`pk_live_...`, `ssh-ed25519 AAAA...`).
        Public = "public",
        /// Base64 that decodes to a text document.
        Encoded = "encoded",
        /// Anything else: a literal that may well be a secret.
        Secret = "secret",
    }
}

vocab! {
    /// The value analyzers (`analyze = { detector = ... }`).
    pub enum Detector: "detector" {
        /// The name looks like it holds a secret. Binds `{word}`.
        SecretKeyName = "secret-key-name",
        /// The text contains a credential of a known shape. Binds `{match}`, `{detector}`, `{family}`.
        SecretValue = "secret-value",
        /// The text contains a random-looking token. Binds `{match}`.
        Entropy = "entropy",
        /// The whole field classifies as the `secret` literal kind.
        SecretLiteral = "secret-literal",
    }
}

vocab! {
    impl NameSplit: "split" {
        /// Cut names into words at `_` only.
        Underscore = "underscore",
        /// Also at `-`, `.` and lower-to-upper case changes (`apiKey`).
        Extended = "extended",
    }
}

vocab! {
    /// Which deny words `secret-key-name` uses (`words = ...`).
    pub enum Words: "words" {
        /// Every deny word.
        All = "all",
        /// Not the weak ones (`key`, `auth`).
        Strong = "strong",
    }
}

vocab! {
    impl Checksum: "checksum" {
        /// GitHub's (and npm's): the last 6 characters are the base-62 CRC-32 of the random part.
        GithubCrc32 = "github-crc32",
        /// Bech32 (BIP 173), as age secret keys use.
        Bech32 = "bech32",
    }
}

vocab! {
    impl Charset: "charset" {
        /// Base64 characters, with upper case, lower case and digits all present.
        Base64 = "base64",
        /// Hexadecimal digits, with a letter.
        Hex = "hex",
        /// Any run of non-blank characters.
        Any = "any",
    }
}

// The keys of each table of a rule file. Loading reports any other key,
// and the JSON Schema lists these with their docs.

vocab! {
    /// Top-level keys of a rule or data file.
    pub enum TopKey: "top-level key" {
        /// The format version: always 1.
        Schema = "schema",
        /// Rules: `[[rule]]` tables.
        Rule = "rule",
        /// Named predicates: `[utils.NAME]`, used with `matches`.
        Utils = "utils",
        /// Lookup tables: `[tables.NAME]`, used with `lookup`.
        Tables = "tables",
        /// Credential shapes for the `secret-value` analyzer: `[[pattern]]`.
        Pattern = "pattern",
        /// Word lists for the `secret-key-name` analyzer.
        KeyNames = "key_names",
        /// Values that are placeholders, not secrets.
        Placeholders = "placeholders",
        /// Flag tables of commands: `[[command]]`, which flags take a value.
        Command = "command",
    }
}

vocab! {
    /// Keys of a `[[rule]]` table.
    pub enum RuleKey: "rule key" {
        /// A stable code: two or more capital letters, then three digits (`TEAM001`). Unique.
        Id = "id",
        /// Kebab-case: lower-case ASCII letters, digits and `-`. Unique.
        Name = "name",
        /// One of the categories; also a selector.
        Category = "category",
        /// How severe a finding is.
        Severity = "severity",
        /// One line for rule lists: at most 80 characters, no final period.
        Summary = "summary",
        /// The diagnostic's message; may use `{placeholders}`.
        Message = "message",
        /// A one-line fix suggestion, shown as the diagnostic's `help:` line; may use `{placeholders}`.
        Hint = "hint",
        /// Long documentation in Markdown, shown by `shipshape rules explain`.
        Help = "help",
        /// The version the rule appeared in.
        Since = "since",
        /// The rule's maturity.
        Status = "status",
        /// Free-form labels.
        Tags = "tags",
        /// How sure the rule is of its findings.
        Confidence = "confidence",
        /// References: `cis`, `cwe`, `owasp`, `urls`.
        Refs = "refs",
        /// Ids of the same check in other tools, by namespace.
        Aliases = "aliases",
        /// Ids of other tools' checks on this rule's ground that differ from it, by namespace.
        Related = "related",
        /// Free-form table.
        Metadata = "metadata",
        /// What the rule looks at and tests.
        Match = "match",
        /// `match` (default) or `native`.
        Engine = "engine",
        /// The native check to run, with `engine = "native"`.
        Native = "native",
        /// `[rule.fix]`: how each finding is mended.
        Fix = "fix",
        /// Dockerfiles the rule must and must not report: `[[rule.examples]]`.
        Examples = "examples",
    }
}

vocab! {
    /// Keys of `[rule.match]`.
    pub enum MatchKey: "match key" {
        /// The subject: what the rule looks at.
        On = "on",
        /// Instruction keywords, case-insensitive: `["RUN", "ADD"]`.
        Instruction = "instruction",
        /// `any` (default), `final` or `build` stages.
        Stage = "stage",
        /// Keep only the first or last subject per stage and instruction keyword.
        Position = "position",
        /// Whether subjects from ONBUILD triggers count: `true` (default), `false` or `"only"`.
        Onbuild = "onbuild",
        /// JSON (exec) form or shell form only.
        Form = "form",
        /// Which texts `on = "text"` sees.
        Source = "source",
        /// Whether `on = "command"` also sees scripts the image writes.
        Scripts = "scripts",
        /// Which span the diagnostic points at: one of the subject's roles, or `{name}`: where a placeholder's value was read (`{secret}`).
        Report = "report",
        /// The predicate: every key must hold.
        Where = "where",
    }
}

vocab! {
    /// Keys of a `[[rule.examples]]` table.
    pub enum ExampleKey: "example key" {
        /// A Dockerfile the rule must report.
        Bad = "bad",
        /// A Dockerfile the rule must not report.
        Good = "good",
        /// `bad` only: the exact 1-based lines the diagnostics start on.
        Lines = "lines",
        /// `bad` only: the text once the rule's fixes are applied, until nothing changes.
        Fixed = "fixed",
        /// A comment for readers.
        Note = "note",
        /// Entries added to lookup tables for this example only.
        Tables = "tables",
    }
}

vocab! {
    /// Keys of `[rule.fix]`: its own, and those of an edit written in it.
    pub enum FixKey: "fix key" {
        /// What the fix does, shown with the diagnostic; may use `{placeholders}`.
        Title = "title",
        /// `safe` (applied by `--fix`), `unsafe` (with `--unsafe-fixes`) or `display-only` (never applied).
        Applicability = "applicability",
        /// The edits, each a table of `op`, `at` and `text`.
        Edits = "edits",
        /// The fix's one edit: what it does.
        Op = "op",
        /// The fix's one edit: where (the reported span by default, a role, or `{placeholder}`).
        At = "at",
        /// The fix's one edit: the new text; may use `{placeholders}` with filters (`{name|upper}`).
        Text = "text",
    }
}

vocab! {
    /// Keys of an edit in `edits`.
    pub enum EditKey: "edit key" {
        /// What the edit does.
        Op = "op",
        /// Where: the reported span by default, a role, or `{placeholder}`.
        At = "at",
        /// The new text; may use `{placeholders}` with filters (`{name|upper}`).
        Text = "text",
    }
}

vocab! {
    /// Keys of a `[utils.NAME]` table.
    pub enum UtilKey: "util key" {
        /// The subject the util's predicate is about.
        On = "on",
        /// The predicate.
        Where = "where",
        /// What it finds, in a few words.
        Summary = "summary",
    }
}

vocab! {
    /// Keys of a text test table.
    pub enum TextTestKey: "text test key" {
        /// A regex that matches somewhere in the text.
        Regex = "regex",
        /// The text equals this string.
        Equals = "equals",
        /// The text equals one of these strings.
        In = "in",
        /// `equals` and `in` ignore ASCII case, and the regex gets `(?i)`.
        Icase = "icase",
        /// The value classifies as one of these literal kinds.
        Literal = "literal",
    }
}

vocab! {
    /// Keys of `flag_value`.
    pub enum FlagValueKey: "`flag_value` key" {
        /// One flag or an array of spellings.
        Name = "name",
        /// A text test on the flag's value.
        Value = "value",
    }
}

vocab! {
    /// Keys of `lookup`.
    pub enum LookupKey: "`lookup` key" {
        /// The data table.
        Table = "table",
        /// A template rendered with the subject's placeholders.
        Key = "key",
        /// The placeholder the found entry binds.
        Bind = "bind",
    }
}

vocab! {
    /// Keys of `analyze`.
    pub enum AnalyzeKey: "`analyze` key" {
        /// The text field to analyze; defaults to the subject's first.
        Field = "field",
        /// The analyzer.
        Detector = "detector",
        /// `secret-key-name`: where names are cut into words.
        Split = "split",
        /// `secret-key-name`: whether weak deny words count.
        Words = "words",
        /// `entropy`: the least bits per character.
        MinBits = "min_bits",
        /// `entropy`: the least length of a token.
        MinLen = "min_len",
        /// `entropy`: the characters a token is made of.
        Charset = "charset",
    }
}

vocab! {
    /// Keys of a `[[pattern]]` entry.
    pub enum PatternKey: "pattern key" {
        /// The pattern's id, bound as `{detector}`.
        Id = "id",
        /// What kind of credential it finds, bound as `{family}`.
        Family = "family",
        /// Finds the credential; a group named `secret` marks the secret part.
        Regex = "regex",
        /// The regex only runs on texts that contain one of these (case-insensitively).
        Keywords = "keywords",
        /// Regexes for matches to skip.
        Allow = "allow",
        /// The least entropy of the secret part, in bits per character.
        MinEntropy = "min_entropy",
        /// Words one of which must occur near a match: within 64 bytes of it, or in the secret-like name it is assigned to.
        Context = "context",
        /// A checksum the secret part must pass.
        Checksum = "checksum",
        /// Texts the pattern must find (run by `cargo test`).
        Bad = "bad",
        /// Near-misses that no pattern may find (run by `cargo test`).
        Good = "good",
    }
}

vocab! {
    /// Keys of a `[[command]]` flag table.
    pub enum CommandKey: "`command` key" {
        /// The command names it is for, by base name: `docker`.
        Names = "names",
        /// The subcommands it is for, each one or more words: `run`, `container run`.
        Subcommands = "subcommands",
        /// Flags of the command itself, before the subcommand, that take a value.
        GlobalValueFlags = "global_value_flags",
        /// Flags of the subcommands that take a value (`-v`, `--volume`).
        ValueFlags = "value_flags",
        /// Flags of the subcommands that take no value; an unlisted flag is read as one.
        Flags = "flags",
    }
}

vocab! {
    /// Keys of `[key_names]`.
    pub enum KeyNamesKey: "`key_names` key" {
        /// Words that make a name secret-like.
        Deny = "deny",
        /// Words that make a name not secret-like wherever they appear.
        Allow = "allow",
        /// Last words that make a name a setting about a secret (`TOKEN_TTL`).
        Qualifiers = "qualifiers",
        /// Deny words that `words = "strong"` ignores.
        Weak = "weak",
    }
}

vocab! {
    /// Keys of `[placeholders]`.
    pub enum PlaceholdersKey: "`placeholders` key" {
        /// Values that are placeholders.
        Values = "values",
        /// Text that makes a value a placeholder wherever it appears.
        Contains = "contains",
        /// Regexes of values that are public by design.
        Public = "public",
        /// Example credentials from vendors' documentation (exact, case-sensitive).
        Documented = "documented",
    }
}

impl Detector {
    /// The `analyze` keys this detector takes beside `field` and `detector`.
    pub fn options(self) -> &'static [AnalyzeKey] {
        match self {
            Detector::SecretKeyName => &[AnalyzeKey::Split, AnalyzeKey::Words],
            Detector::Entropy => &[AnalyzeKey::MinBits, AnalyzeKey::MinLen, AnalyzeKey::Charset],
            Detector::SecretValue | Detector::SecretLiteral => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip_and_docs_are_one_line() {
        fn check<T: Vocab + std::fmt::Debug>() {
            assert!(!T::ALL.is_empty(), "{}", T::WHAT);
            for v in T::ALL {
                assert_eq!(T::parse(v.as_str()), Some(*v));
                assert!(!v.doc().is_empty(), "{v:?} has no doc");
                assert!(!v.doc().contains('\n'));
            }
        }
        check::<Category>();
        check::<Severity>();
        check::<Applicability>();
        check::<crate::rules::types::Filter>();
        check::<crate::rules::types::EditOp>();
        check::<Status>();
        check::<Confidence>();
        check::<Engine>();
        check::<RefKind>();
        check::<AliasNamespace>();
        check::<StageFilter>();
        check::<Position>();
        check::<Form>();
        check::<Scripts>();
        check::<TextSource>();
        check::<TagState>();
        check::<ValueKind>();
        check::<Literal>();
        check::<Detector>();
        check::<NameSplit>();
        check::<Words>();
        check::<Charset>();
        check::<TopKey>();
        check::<RuleKey>();
        check::<MatchKey>();
        check::<ExampleKey>();
        check::<UtilKey>();
        check::<FixKey>();
        check::<EditKey>();
        check::<TextTestKey>();
        check::<FlagValueKey>();
        check::<LookupKey>();
        check::<AnalyzeKey>();
        check::<PatternKey>();
        check::<CommandKey>();
        check::<Checksum>();
        check::<KeyNamesKey>();
        check::<PlaceholdersKey>();
        assert_eq!(Severity::names(), ["error", "warning", "info", "style"]);
        assert_eq!(Category::BestPractice.to_string(), "best-practice");
    }
}
