//! Settings files: `.shipshape.toml` or `shipshape.toml`, found by walking
//! up from each linted file (the closest wins, no merging), or given with
//! `--config`. Without one, a `.hadolint.yaml` is read for the settings
//! shipshape shares with hadolint.
//!
//! Reading a file checks its shape (unknown keys, wrong types, bad
//! values) with spans into the file; selectors are checked against the
//! rules later, by [`Config::check_selectors`].

mod hadolint;

use crate::diagnostic::Severity;
use crate::rules::RuleSet;
use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

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
            "none" | "never" => Some(FailOn::Never),
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
                .alias("never")
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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    rules: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    per_path_ignores: BTreeMap<String, Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    options: RawOptions,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOptions {
    #[serde(default)]
    trusted_registries: Vec<String>,
    #[serde(default)]
    allowed_users: Vec<String>,
    #[serde(default)]
    secret_key_names: Vec<String>,
    #[serde(default)]
    allowed_secret_values: Vec<String>,
}

fn selector(s: Spanned<String>) -> Selector {
    let span = s.span();
    Selector {
        text: s.into_inner(),
        span,
    }
}

impl Config {
    /// Reads a settings file; `kind` comes from its name.
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

    /// Reads the text of a `.hadolint.yaml`.
    pub fn parse_hadolint(
        text: &str,
        path: PathBuf,
        dir: PathBuf,
    ) -> Result<Config, Vec<ConfigError>> {
        hadolint::parse(text, path, dir)
    }

    /// Reads the text of a `.shipshape.toml`.
    pub fn parse(text: &str, path: PathBuf, dir: PathBuf) -> Result<Config, Vec<ConfigError>> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            vec![ConfigError {
                span: e.span().unwrap_or(0..0),
                message: e.message().trim().to_owned(),
            }]
        })?;
        let mut errors = Vec::new();
        let fail_on = raw.fail_on.and_then(|f| {
            let parsed = FailOn::parse(f.get_ref());
            if parsed.is_none() {
                errors.push(ConfigError {
                    span: f.span(),
                    message: format!(
                        "`fail-on` must be one of error, warning, info, style, none; not `{}`",
                        f.get_ref()
                    ),
                });
            }
            parsed
        });
        let mut severity = Vec::new();
        for (key, value) in raw.severity {
            match value.get_ref().parse::<Severity>() {
                Ok(s) => severity.push((
                    Selector {
                        text: key,
                        span: value.span(),
                    },
                    s,
                )),
                Err(()) => errors.push(ConfigError {
                    span: value.span(),
                    message: format!(
                        "a severity must be one of error, warning, info, style; not `{}`",
                        value.get_ref()
                    ),
                }),
            }
        }
        let mut per_path_ignores = Vec::new();
        for (pattern, list) in raw.per_path_ignores {
            let span = list.span();
            match Glob::new(&pattern) {
                Ok(g) => per_path_ignores.push((
                    g.compile_matcher(),
                    list.into_inner().into_iter().map(selector).collect(),
                )),
                Err(e) => errors.push(ConfigError {
                    span,
                    message: format!("invalid glob `{pattern}`: {}", e.kind()),
                }),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let rules = raw
            .rules
            .into_iter()
            .map(|r| dir.join(r.get_ref()))
            .collect();
        let o = raw.options;
        Ok(Config {
            path,
            text: text.to_owned(),
            kind: Kind::Shipshape,
            dir,
            select: raw.select.map(|v| v.into_iter().map(selector).collect()),
            ignore: raw.ignore.into_iter().map(selector).collect(),
            severity,
            fail_on,
            per_path_ignores,
            rules,
            options: Options {
                trusted_registries: o.trusted_registries,
                allowed_users: o.allowed_users,
                secret_key_names: o.secret_key_names,
                allowed_secret_values: o.allowed_secret_values,
            },
        })
    }

    /// Every selector in the file that names no rule of `rules`. A
    /// hadolint file's codes for checks shipshape doesn't have are not
    /// errors: they name nothing here, by design.
    pub fn check_selectors(&self, rules: &RuleSet) -> Vec<ConfigError> {
        let mut out = Vec::new();
        let all = self
            .select
            .iter()
            .flatten()
            .chain(&self.ignore)
            .chain(self.severity.iter().map(|(s, _)| s))
            .chain(self.per_path_ignores.iter().flat_map(|(_, v)| v));
        for s in all {
            if rules.rules.iter().any(|r| r.selected_by(&s.text)) {
                continue;
            }
            if self.kind == Kind::Hadolint
                && crate::suppress::is_foreign_shape(crate::suppress::Origin::Hadolint, &s.text)
            {
                continue;
            }
            out.push(ConfigError {
                span: s.span.clone(),
                message: format!("`{}` matches no rule (try `shipshape rules`)", s.text),
            });
        }
        out
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

/// `path` relative to `dir`, both made absolute against the working
/// directory first; the path itself when it isn't under `dir`.
fn relative_to(path: &Path, dir: &Path) -> PathBuf {
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
fn normalize(p: &Path) -> PathBuf {
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
        let e = parse(text).unwrap_err();
        assert_eq!(&text[e[0].span.clone()], "fail_on", "{e:?}");
        assert!(e[0].message.contains("unknown field"), "{}", e[0].message);

        let text = "fail-on = \"loud\"\n[severity]\nSEC001 = \"fatal\"\n";
        let e = parse(text).unwrap_err();
        assert_eq!(e.len(), 2);
        assert_eq!(&text[e[0].span.clone()], "\"loud\"");
        assert_eq!(&text[e[1].span.clone()], "\"fatal\"");

        let text = "select = \"SEC\"\n";
        let e = parse(text).unwrap_err();
        assert_eq!(&text[e[0].span.clone()], "\"SEC\"");

        let text = "[per-path-ignores]\n\"a/[\" = [\"SEC\"]\n";
        let e = parse(text).unwrap_err();
        assert!(e[0].message.contains("invalid glob"), "{}", e[0].message);
    }

    #[test]
    fn unknown_selectors() {
        let rules = RuleSet::builtin().unwrap();
        let text = "select = [\"SEC\", \"SEC999\"]\n[severity]\nnope = \"error\"\n";
        let c = parse(text).unwrap();
        let e = c.check_selectors(rules);
        let names: Vec<&str> = e.iter().map(|e| &text[e.span.clone()]).collect();
        assert_eq!(names, ["\"SEC999\"", "\"error\""]);
    }
}
