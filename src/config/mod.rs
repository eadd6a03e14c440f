//! Settings files: `.shipshape.toml` or `shipshape.toml`, found by walking
//! up from each linted file (the closest wins, no merging), or given with
//! `--config`. Without one, a `.hadolint.yaml` is read for the settings
//! shipshape shares with hadolint.
//!
//! Reading a file checks its shape (unknown keys, wrong types, bad
//! values) with spans into the file; selectors are checked against the
//! rules later, by [`Config::check_selectors`].

mod hadolint;
mod schema;

pub use schema::{OptionKey, SettingsKey, settings_schema};

use crate::diagnostic::Severity;
use crate::rules::RuleSet;
use crate::rules::vocab::Vocab;
use globset::{Glob, GlobMatcher};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

/// Names of shipshape's settings file, in order of preference.
pub const FILE_NAMES: [&str; 2] = [".shipshape.toml", "shipshape.toml"];
/// hadolint's settings file names, read when there is no shipshape file.
pub const HADOLINT_NAMES: [&str; 2] = [".hadolint.yaml", ".hadolint.yml"];

/// Which format a settings file is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Shipshape,
    Hadolint,
}

/// A problem in a settings file, with the place it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub span: Range<usize>,
    pub message: String,
}

/// The failure threshold: the lowest severity that fails the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    At(Severity),
    /// Never fail on findings.
    Never,
}

impl FailOn {
    /// Fail on any finding: the default.
    pub const DEFAULT: FailOn = FailOn::At(Severity::Style);

    pub fn parse(s: &str) -> Option<FailOn> {
        match s {
            "none" | "never" | "ignore" => Some(FailOn::Never),
            _ => s.parse().ok().map(FailOn::At),
        }
    }

    /// Whether a finding of `severity` fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::At(threshold) => severity >= threshold,
            FailOn::Never => false,
        }
    }
}

/// `--fail-on`: the four severities and `none` (alias `never`).
impl clap::ValueEnum for FailOn {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            FailOn::At(Severity::Error),
            FailOn::At(Severity::Warning),
            FailOn::At(Severity::Info),
            FailOn::At(Severity::Style),
            FailOn::Never,
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        use clap::builder::PossibleValue;
        Some(match self {
            FailOn::At(s) => PossibleValue::new(s.as_str()),
            FailOn::Never => PossibleValue::new("none")
                .aliases(["never", "ignore"])
                .help("Never fail on findings"),
        })
    }
}

/// A rule selector as written, with its place in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selector {
    pub text: String,
    pub span: Range<usize>,
}

/// Rule options: values rules consult.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Registries (and registry/namespace prefixes) base images may come
    /// from; empty means any.
    pub trusted_registries: Vec<String>,
    /// Users the final stage may run as; empty means any non-root user.
    pub allowed_users: Vec<String>,
    /// Extra words that make an ENV/ARG/LABEL key secret-like.
    pub secret_key_names: Vec<String>,
    /// Values never reported as secrets (test fixtures, public defaults).
    pub allowed_secret_values: Vec<String>,
}

impl Options {
    pub fn is_empty(&self) -> bool {
        *self == Options::default()
    }
}

/// One settings file, read.
#[derive(Clone, Debug)]
pub struct Config {
    pub path: PathBuf,
    pub text: String,
    pub kind: Kind,
    /// Relative paths in the file (rule folders, per-path globs) are
    /// relative to this directory.
    pub dir: PathBuf,
    /// `None`: every rule.
    pub select: Option<Vec<Selector>>,
    pub ignore: Vec<Selector>,
    pub severity: Vec<(Selector, Severity)>,
    pub fail_on: Option<FailOn>,
    pub per_path_ignores: Vec<(GlobMatcher, Vec<Selector>)>,
    pub rules: Vec<PathBuf>,
    pub options: Options,
    /// Globs of paths (relative to [`Config::dir`]) not to lint.
    pub exclude: Vec<GlobMatcher>,
    /// Report unused codes in `# hadolint ignore=` and `# check=skip=`
    /// too (by default only shipshape's own suppressions are judged).
    pub report_unused_foreign_suppressions: bool,
    /// Problems in the file that left the rest of it usable: errors (the
    /// run exits 2) and warnings.
    pub errors: Vec<ConfigError>,
    pub warnings: Vec<ConfigError>,
}

/// The candidate closest to `word`, when one is close enough to be what
/// was meant: `fail_on` → `fail-on`, `SEC01` → `SEC001`.
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let norm = |s: &str| s.to_ascii_lowercase().replace('_', "-");
    let w = norm(word);
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(&w, &norm(c)), c))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `; did you mean `x`?` when there is a close candidate, else nothing.
pub fn suggestion<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> String {
    did_you_mean(word, candidates).map_or_else(String::new, |c| format!("; did you mean `{c}`?"))
}

fn selector(s: Spanned<String>) -> Selector {
    let span = s.span();
    Selector {
        text: s.into_inner(),
        span,
    }
}

/// A value deserialized as `T`; its problem recorded when it isn't one.
fn field<T: serde::de::DeserializeOwned>(
    value: &Spanned<DeValue<'_>>,
    errors: &mut Vec<ConfigError>,
) -> Option<T> {
    let mut owned = value.clone();
    owned.get_mut().make_owned();
    T::deserialize(ValueDeserializer::from(owned))
        .map_err(|e| {
            errors.push(ConfigError {
                span: e.span().unwrap_or_else(|| value.span()),
                message: e.message().trim().to_owned(),
            });
        })
        .ok()
}

/// The `[options]` table, each key on its own.
fn options(value: &Spanned<DeValue<'_>>, errors: &mut Vec<ConfigError>) -> Options {
    let mut o = Options::default();
    let DeValue::Table(table) = value.get_ref() else {
        errors.push(ConfigError {
            span: value.span(),
            message: format!(
                "`options` must be a table, not {}",
                value.get_ref().type_str()
            ),
        });
        return o;
    };
    for (key, value) in table.iter() {
        let name = key.get_ref().as_ref();
        let slot = match OptionKey::parse(name) {
            Some(OptionKey::TrustedRegistries) => &mut o.trusted_registries,
            Some(OptionKey::AllowedUsers) => &mut o.allowed_users,
            Some(OptionKey::SecretKeyNames) => &mut o.secret_key_names,
            Some(OptionKey::AllowedSecretValues) => &mut o.allowed_secret_values,
            None => {
                errors.push(ConfigError {
                    span: key.span(),
                    message: format!(
                        "unknown option `{name}`{}",
                        suggestion(name, OptionKey::names())
                    ),
                });
                continue;
            }
        };
        if let Some(v) = field::<Vec<String>>(value, errors) {
            *slot = v;
        }
    }
    o
}

impl Config {
    /// Reads a settings file; `kind` comes from its name. Problems that
    /// leave the rest of the file usable are in [`Config::errors`] and
    /// [`Config::warnings`]; an `Err` is a file that can't be read (no
    /// text) or holds nothing usable.
    pub fn read(path: &Path) -> Result<Config, (Option<String>, Vec<ConfigError>)> {
        let text = crate::files::read_text(path).map_err(|message| {
            (
                None,
                vec![ConfigError {
                    span: 0..0,
                    message,
                }],
            )
        })?;
        let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let parsed = if is_yaml {
            Config::parse_hadolint(&text, path.to_path_buf(), dir)
        } else {
            Config::parse(&text, path.to_path_buf(), dir)
        };
        parsed.map_err(|errors| (Some(text), errors))
    }

    /// A config with nothing set.
    fn empty(text: &str, path: PathBuf, dir: PathBuf, kind: Kind) -> Config {
        Config {
            path,
            text: text.to_owned(),
            kind,
            dir,
            select: None,
            ignore: Vec::new(),
            severity: Vec::new(),
            fail_on: None,
            per_path_ignores: Vec::new(),
            rules: Vec::new(),
            options: Options::default(),
            exclude: Vec::new(),
            report_unused_foreign_suppressions: false,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Reads the text of a `.hadolint.yaml`.
    pub fn parse_hadolint(
        text: &str,
        path: PathBuf,
        dir: PathBuf,
    ) -> Result<Config, Vec<ConfigError>> {
        hadolint::parse(text, path, dir)
    }

    /// Reads the text of a `.shipshape.toml`: every problem in it is
    /// reported (unknown keys with the closest known one), and every key
    /// that is right is kept. Only TOML that can't be parsed at all is an
    /// `Err`.
    pub fn parse(text: &str, path: PathBuf, dir: PathBuf) -> Result<Config, Vec<ConfigError>> {
        let (table, syntax) = DeTable::parse_recoverable(text);
        let mut errors: Vec<ConfigError> = syntax
            .iter()
            .map(|e| ConfigError {
                span: e.span().unwrap_or(0..0),
                message: e.message().trim().to_owned(),
            })
            .collect();
        if !errors.is_empty() && table.get_ref().is_empty() {
            return Err(errors);
        }
        let mut c = Config::empty(text, path, dir, Kind::Shipshape);
        for (key, value) in table.get_ref().iter() {
            let name = key.get_ref().as_ref();
            let Some(known) = SettingsKey::parse(name) else {
                errors.push(ConfigError {
                    span: key.span(),
                    message: format!(
                        "unknown key `{name}`{}",
                        suggestion(name, SettingsKey::names())
                    ),
                });
                continue;
            };
            match known {
                SettingsKey::Select => {
                    c.select = field::<Vec<Spanned<String>>>(value, &mut errors)
                        .map(|v| v.into_iter().map(selector).collect());
                }
                SettingsKey::Ignore => {
                    if let Some(v) = field::<Vec<Spanned<String>>>(value, &mut errors) {
                        c.ignore = v.into_iter().map(selector).collect();
                    }
                }
                SettingsKey::FailOn => {
                    if let Some(f) = field::<Spanned<String>>(value, &mut errors) {
                        c.fail_on = FailOn::parse(f.get_ref());
                        if c.fail_on.is_none() {
                            errors.push(ConfigError {
                                span: f.span(),
                                message: format!(
                                    "`fail-on` must be one of {}; not `{}`",
                                    schema::FAIL_ON_VALUES.join(", "),
                                    f.get_ref()
                                ),
                            });
                        }
                    }
                }
                SettingsKey::Rules => {
                    if let Some(v) = field::<Vec<Spanned<String>>>(value, &mut errors) {
                        c.rules = v.iter().map(|r| c.dir.join(r.get_ref())).collect();
                    }
                }
                SettingsKey::Severity => {
                    let map = field::<BTreeMap<String, Spanned<String>>>(value, &mut errors);
                    for (key, value) in map.into_iter().flatten() {
                        match value.get_ref().parse::<Severity>() {
                            Ok(s) => c.severity.push((
                                Selector {
                                    text: key,
                                    span: value.span(),
                                },
                                s,
                            )),
                            Err(()) => errors.push(ConfigError {
                                span: value.span(),
                                message: format!(
                                    "a severity must be one of error, warning, info, style; not `{}`{}",
                                    value.get_ref(),
                                    suggestion(value.get_ref(), ["error", "warning", "info", "style"])
                                ),
                            }),
                        }
                    }
                }
                SettingsKey::PerPathIgnores => {
                    let map = field::<BTreeMap<String, Spanned<Vec<Spanned<String>>>>>(
                        value,
                        &mut errors,
                    );
                    for (pattern, list) in map.into_iter().flatten() {
                        let span = list.span();
                        match Glob::new(&pattern) {
                            Ok(g) => c.per_path_ignores.push((
                                g.compile_matcher(),
                                list.into_inner().into_iter().map(selector).collect(),
                            )),
                            Err(e) => errors.push(ConfigError {
                                span,
                                message: format!("invalid glob `{pattern}`: {}", e.kind()),
                            }),
                        }
                    }
                }
                SettingsKey::Exclude => {
                    for g in field::<Vec<Spanned<String>>>(value, &mut errors)
                        .into_iter()
                        .flatten()
                    {
                        match Glob::new(g.get_ref()) {
                            Ok(glob) => c.exclude.push(glob.compile_matcher()),
                            Err(e) => errors.push(ConfigError {
                                span: g.span(),
                                message: format!("invalid glob `{}`: {}", g.get_ref(), e.kind()),
                            }),
                        }
                    }
                }
                SettingsKey::ReportUnusedForeignSuppressions => {
                    if let Some(b) = field::<bool>(value, &mut errors) {
                        c.report_unused_foreign_suppressions = b;
                    }
                }
                SettingsKey::Options => c.options = options(value, &mut errors),
            }
        }
        c.errors = errors;
        Ok(c)
    }

    /// Every selector in the file that names no rule of `rules`: errors
    /// for those that could be shipshape's (with the closest rule), and one
    /// warning for the codes of other tools that shipshape has no check
    /// for (hadolint's `DL3008`, a BuildKit check name), which do nothing.
    pub fn check_selectors(&self, rules: &RuleSet) -> (Vec<ConfigError>, Vec<ConfigError>) {
        let mut errors = Vec::new();
        let mut foreign: Vec<&Selector> = Vec::new();
        let all = self
            .select
            .iter()
            .flatten()
            .chain(&self.ignore)
            .chain(self.severity.iter().map(|(s, _)| s))
            .chain(self.per_path_ignores.iter().flat_map(|(_, v)| v));
        for s in all {
            match unknown_selector(rules, &s.text) {
                None => {}
                Some(Unknown::Foreign(_)) => foreign.push(s),
                Some(Unknown::NoRule(message)) => errors.push(ConfigError {
                    span: s.span.clone(),
                    message,
                }),
            }
        }
        let warnings = foreign
            .first()
            .map(|first| ConfigError {
                span: first.span.clone(),
                message: crate::rules::foreign::message(
                    rules,
                    foreign.iter().map(|s| s.text.as_str()),
                ),
            })
            .into_iter()
            .collect();
        (errors, warnings)
    }

    /// The per-path ignores that apply to `path` (made relative to the
    /// file's directory).
    pub fn ignored_for(&self, path: &Path) -> Vec<&Selector> {
        if self.per_path_ignores.is_empty() {
            return Vec::new();
        }
        let rel = relative_to(path, &self.dir);
        self.per_path_ignores
            .iter()
            .filter(|(g, _)| g.is_match(&rel))
            .flat_map(|(_, v)| v)
            .collect()
    }
}

/// Why a selector names no rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unknown {
    /// Another tool's code (the tool's name): a warning, never an error.
    Foreign(&'static str),
    /// Nothing shipshape knows; the message says so, with the closest
    /// rule id, name or category.
    NoRule(String),
}

/// Whether `selector` names no rule of `rules`, and why.
pub fn unknown_selector(rules: &RuleSet, selector: &str) -> Option<Unknown> {
    if rules.rules.iter().any(|r| r.selected_by(selector)) {
        return None;
    }
    if let Some(tool) = crate::suppress::foreign_tool(selector) {
        return Some(Unknown::Foreign(tool));
    }
    let candidates = rules.rules.iter().flat_map(|r| {
        [
            r.meta.id.as_str(),
            r.meta.name.as_str(),
            r.meta.category.as_str(),
        ]
    });
    Some(Unknown::NoRule(format!(
        "`{selector}` matches no rule{} (try `shipshape rules`)",
        suggestion(selector, candidates)
    )))
}

/// `path` relative to `dir`, both made absolute against the working
/// directory first; the path itself when it isn't under `dir`.
pub(crate) fn relative_to(path: &Path, dir: &Path) -> PathBuf {
    let abs = |p: &Path| {
        let joined = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().map_or_else(|_| p.to_path_buf(), |c| c.join(p))
        };
        normalize(&joined)
    };
    let (p, d) = (abs(path), abs(dir));
    p.strip_prefix(&d).map_or(p.clone(), Path::to_path_buf)
}

/// Removes `.` and resolves `..` lexically.
pub(crate) fn normalize(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The settings file for a file in `dir`: the closest `.shipshape.toml` or
/// `shipshape.toml` walking up, else the closest `.hadolint.yaml`.
pub fn find(dir: &Path) -> Option<PathBuf> {
    let start = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(dir)
    };
    let start = normalize(&start);
    let cwd = std::env::current_dir().ok();
    for names in [&FILE_NAMES, &HADOLINT_NAMES] {
        for d in start.ancestors() {
            for name in names.iter() {
                let candidate = d.join(name);
                if candidate.is_file() {
                    // Shown relative to the working directory when under it.
                    let shown = cwd
                        .as_deref()
                        .and_then(|c| candidate.strip_prefix(c).ok())
                        .map(Path::to_path_buf);
                    return Some(shown.unwrap_or(candidate));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<ConfigError>> {
        Config::parse(text, PathBuf::from(".shipshape.toml"), PathBuf::from("."))
    }

    #[test]
    fn full_file() {
        let c = parse(
            r#"
select = ["SEC", "SUP"]
ignore = ["DL3002"]
fail-on = "warning"
rules = ["ci/rules"]

[severity]
SEC014 = "error"

[per-path-ignores]
"legacy/**" = ["SEC001"]

[options]
trusted-registries = ["ghcr.io/acme"]
allowed-users = ["app"]
secret-key-names = ["acme_token"]
allowed-secret-values = ["not-a-secret"]
"#,
        )
        .unwrap();
        assert_eq!(c.select.as_ref().map(Vec::len), Some(2));
        assert_eq!(c.fail_on, Some(FailOn::At(Severity::Warning)));
        assert_eq!(c.severity[0].1, Severity::Error);
        assert_eq!(c.rules, [PathBuf::from("./ci/rules")]);
        assert_eq!(c.options.allowed_users, ["app"]);
        assert_eq!(c.ignored_for(Path::new("legacy/a/Dockerfile")).len(), 1);
        assert!(c.ignored_for(Path::new("app/Dockerfile")).is_empty());
    }

    #[test]
    fn errors_point_into_the_file() {
        let text = "select = [\"SEC\"]\nfail_on = \"warning\"\n";
        let c = parse(text).unwrap();
        let e = &c.errors;
        assert_eq!(&text[e[0].span.clone()], "fail_on", "{e:?}");
        assert_eq!(
            e[0].message,
            "unknown key `fail_on`; did you mean `fail-on`?"
        );
        // The rest of the file is kept.
        assert_eq!(c.select.as_ref().map(Vec::len), Some(1));

        let text = "fail-on = \"loud\"\n[severity]\nSEC001 = \"fatal\"\n";
        let e = parse(text).unwrap().errors;
        assert_eq!(e.len(), 2);
        assert_eq!(&text[e[0].span.clone()], "\"loud\"");
        assert_eq!(&text[e[1].span.clone()], "\"fatal\"");

        let text = "select = \"SEC\"\nignore = [\"SEC014\"]\n";
        let c = parse(text).unwrap();
        assert_eq!(&text[c.errors[0].span.clone()], "\"SEC\"");
        assert!(c.select.is_none());
        assert_eq!(c.ignore.len(), 1);

        let text = "[per-path-ignores]\n\"a/[\" = [\"SEC\"]\n";
        let e = parse(text).unwrap().errors;
        assert!(e[0].message.contains("invalid glob"), "{}", e[0].message);

        let text = "[options]\nallowed-user = [\"app\"]\ntrusted-registries = [\"ghcr.io\"]\n";
        let c = parse(text).unwrap();
        assert_eq!(
            c.errors[0].message,
            "unknown option `allowed-user`; did you mean `allowed-users`?"
        );
        assert_eq!(c.options.trusted_registries, ["ghcr.io"]);

        // TOML that does not parse is reported too.
        assert!(parse("select = [\n").map_or(true, |c| !c.errors.is_empty()));
    }

    #[test]
    fn unknown_selectors() {
        let rules = RuleSet::builtin().unwrap();
        let text = "select = [\"SEC\", \"SEC999\"]\n[severity]\nnope = \"error\"\n";
        let c = parse(text).unwrap();
        let (e, w) = c.check_selectors(rules);
        let names: Vec<&str> = e.iter().map(|e| &text[e.span.clone()]).collect();
        assert_eq!(names, ["\"SEC999\"", "\"error\""]);
        assert!(w.is_empty());

        let text = "ignore = [\"DL3008\", \"SC2086\", \"DL3002\"]\n";
        let (e, w) = parse(text).unwrap().check_selectors(rules);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(w.len(), 1);
        assert_eq!(&text[w[0].span.clone()], "\"DL3008\"");
        assert!(
            w[0].message.starts_with(
                "hadolint's `DL3008` and ShellCheck's `SC2086` name checks shipshape does not have"
            ),
            "{}",
            w[0].message
        );
    }
}
