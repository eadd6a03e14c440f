//! `.hadolint.yaml`: the settings shipshape shares with hadolint.
//!
//! | hadolint key | shipshape setting |
//! |---|---|
//! | `ignored: [DL3008]` | `ignore`, through the rules' hadolint aliases |
//! | `override: { error: [DL3002], ... }` | `[severity]` |
//! | `trustedRegistries: [ghcr.io]` | `options.trusted-registries` |
//! | `failure-threshold: warning` | `fail-on` |
//! | `no-fail: true` | `fail-on = "none"` |
//!
//! hadolint's other keys are accepted and have no effect; any other key is
//! a warning (hadolint accepts it too). A bad value is an error that
//! leaves the other keys in force.

use super::{Config, ConfigError, FailOn, Kind, Selector, suggestion};
use crate::diagnostic::Severity;
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use std::ops::Range;
use std::path::PathBuf;

/// hadolint keys shipshape accepts without using them.
const OTHER_KEYS: &[&str] = &[
    "format",
    "no-color",
    "label-schema",
    "strict-labels",
    "disable-ignore-pragma",
    "verbose",
];

pub(super) fn parse(text: &str, path: PathBuf, dir: PathBuf) -> Result<Config, Vec<ConfigError>> {
    // Marker indices count characters; spans are bytes.
    let offsets = CharOffsets::new(text);
    let byte_at = |chars: usize| offsets.byte_at(chars);
    let span_of = |n: &MarkedYaml<'_>| -> Range<usize> {
        let start = byte_at(n.span.start.index());
        let end = byte_at(n.span.end.index()).max(start);
        start..end
    };
    let docs = MarkedYaml::load_from_str(text).map_err(|e| {
        let at = byte_at(e.marker().index());
        vec![ConfigError {
            span: at..at,
            message: format!("YAML syntax error: {}", e.info()),
        }]
    })?;
    let mut config = Config::empty(text, path, dir, Kind::Hadolint);
    let Some(root) = docs.first() else {
        return Ok(config);
    };
    let mut errors = Vec::new();
    let YamlData::Mapping(map) = &root.data else {
        if !matches!(root.data, YamlData::Value(Scalar::Null)) {
            errors.push(ConfigError {
                span: span_of(root),
                message: "a hadolint settings file must be a mapping".to_owned(),
            });
        }
        return if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        };
    };
    let string = |n: &MarkedYaml<'_>| match &n.data {
        YamlData::Value(Scalar::String(s)) => Some(s.to_string()),
        _ => None,
    };
    let list = |n: &MarkedYaml<'_>, errors: &mut Vec<ConfigError>, what: &str| -> Vec<Selector> {
        match &n.data {
            YamlData::Sequence(items) => items
                .iter()
                .filter_map(|i| match string(i) {
                    Some(s) => Some(Selector {
                        text: s,
                        span: span_of(i),
                    }),
                    None => {
                        errors.push(ConfigError {
                            span: span_of(i),
                            message: format!("`{what}` entries must be strings"),
                        });
                        None
                    }
                })
                .collect(),
            YamlData::Value(Scalar::Null) => Vec::new(),
            _ => {
                errors.push(ConfigError {
                    span: span_of(n),
                    message: format!("`{what}` must be a list"),
                });
                Vec::new()
            }
        }
    };
    for (key, value) in map {
        let Some(name) = string(key) else {
            errors.push(ConfigError {
                span: span_of(key),
                message: "keys must be strings".to_owned(),
            });
            continue;
        };
        match name.as_str() {
            "ignored" => config.ignore = list(value, &mut errors, "ignored"),
            "trustedRegistries" => {
                config.options.trusted_registries = list(value, &mut errors, "trustedRegistries")
                    .into_iter()
                    .map(|s| s.text)
                    .collect();
            }
            "failure-threshold" => match string(value).as_deref().map(hadolint_threshold) {
                Some(Some(f)) => config.fail_on = Some(f),
                _ => errors.push(ConfigError {
                    span: span_of(value),
                    message: "`failure-threshold` must be one of error, warning, info, style, ignore, none".to_owned(),
                }),
            },
            "no-fail" => match &value.data {
                YamlData::Value(Scalar::Boolean(true)) => config.fail_on = Some(FailOn::Never),
                YamlData::Value(Scalar::Boolean(false)) => {}
                _ => errors.push(ConfigError {
                    span: span_of(value),
                    message: "`no-fail` must be true or false".to_owned(),
                }),
            },
            "override" => {
                let YamlData::Mapping(levels) = &value.data else {
                    errors.push(ConfigError {
                        span: span_of(value),
                        message: "`override` must map error, warning, info or style to a list of codes".to_owned(),
                    });
                    continue;
                };
                for (level, codes) in levels {
                    let sev = string(level).and_then(|l| l.parse::<Severity>().ok());
                    let Some(sev) = sev else {
                        errors.push(ConfigError {
                            span: span_of(level),
                            message: "`override` keys are error, warning, info and style".to_owned(),
                        });
                        continue;
                    };
                    for s in list(codes, &mut errors, "override") {
                        config.severity.push((s, sev));
                    }
                }
            }
            other if OTHER_KEYS.contains(&other) => {}
            other => config.warnings.push(ConfigError {
                span: span_of(key),
                message: format!(
                    "unknown key `{other}` in a hadolint settings file, ignored{}",
                    suggestion(other, KNOWN_KEYS.iter().chain(OTHER_KEYS).copied())
                ),
            }),
        }
    }
    config.errors = errors;
    Ok(config)
}

/// The keys shipshape reads.
const KNOWN_KEYS: &[&str] = &[
    "ignored",
    "trustedRegistries",
    "failure-threshold",
    "no-fail",
    "override",
];

/// Character index → byte offset in one text. Built in one pass, so that
/// converting every YAML node's marker costs linear time overall, not a
/// scan from the start per node; a lookup is a binary search over the
/// multi-byte characters alone, and pure ASCII needs no table at all.
struct CharOffsets {
    /// Per multi-byte character: its character index, and how many bytes
    /// past one per character the text holds up to and including it.
    wide: Vec<(usize, usize)>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        let mut wide = Vec::new();
        let mut extra = 0;
        for (at, c) in text.chars().enumerate() {
            if c.len_utf8() > 1 {
                extra += c.len_utf8() - 1;
                wide.push((at, extra));
            }
        }
        CharOffsets {
            wide,
            len: text.len(),
        }
    }

    /// Where character `chars` starts; the text's length past its end.
    fn byte_at(&self, chars: usize) -> usize {
        let before = self.wide.partition_point(|&(at, _)| at < chars);
        let extra = before.checked_sub(1).map_or(0, |k| self.wide[k].1);
        (chars + extra).min(self.len)
    }
}

/// hadolint's threshold words; `ignore` and `none` never fail.
fn hadolint_threshold(s: &str) -> Option<FailOn> {
    match s {
        "ignore" | "none" => Some(FailOn::Never),
        _ => s.parse().ok().map(FailOn::At),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Config, Vec<ConfigError>> {
        parse(text, PathBuf::from(".hadolint.yaml"), PathBuf::from("."))
    }

    #[test]
    fn shared_keys() {
        let c = read(
            "ignored:\n  - DL3008\n  - DL3002\noverride:\n  error:\n    - DL3004\ntrustedRegistries:\n  - ghcr.io\nfailure-threshold: warning\nformat: json\n",
        )
        .unwrap();
        let ignored: Vec<&str> = c.ignore.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(ignored, ["DL3008", "DL3002"]);
        assert_eq!(&c.text[c.ignore[1].span.clone()], "DL3002");
        assert_eq!(c.severity[0].0.text, "DL3004");
        assert_eq!(c.severity[0].1, Severity::Error);
        assert_eq!(c.options.trusted_registries, ["ghcr.io"]);
        assert_eq!(c.fail_on, Some(FailOn::At(Severity::Warning)));
    }

    #[test]
    fn errors_have_spans() {
        let text = "ignored: DL3008\nfailure-threshold: loud\ntrustedRegistry: 1\nno-fail: true\n";
        let c = read(text).unwrap();
        let at: Vec<&str> = c.errors.iter().map(|e| &text[e.span.clone()]).collect();
        assert_eq!(at, ["DL3008", "loud"], "{:?}", c.errors);
        // An unknown key is a warning, and the valid keys are kept.
        assert_eq!(&text[c.warnings[0].span.clone()], "trustedRegistry");
        assert!(
            c.warnings[0]
                .message
                .contains("did you mean `trustedRegistries`?"),
            "{}",
            c.warnings[0].message
        );
        assert_eq!(c.fail_on, Some(FailOn::Never));
        let e = read("ignored: [DL3008\n").unwrap_err();
        assert!(e[0].message.starts_with("YAML syntax error"));
    }

    #[test]
    fn character_offsets_are_byte_offsets() {
        let text = "a\u{e9}b\u{20ac}\u{1f600}\u{1f600}c\u{e9}";
        let offsets = CharOffsets::new(text);
        let count = text.chars().count();
        for chars in 0..count + 3 {
            let scanned = text
                .char_indices()
                .nth(chars)
                .map_or(text.len(), |(i, _)| i);
            assert_eq!(offsets.byte_at(chars), scanned, "character {chars}");
        }
        assert_eq!(CharOffsets::new("").byte_at(0), 0);
        assert_eq!(CharOffsets::new("ab").byte_at(1), 1);
    }

    #[test]
    fn spans_after_multi_byte_characters() {
        let text =
            "# \u{e9}\u{20ac}\u{1f600}\nignored:\n  - DL3008 # \u{e9}\n  - 3\n\u{e9}t\u{e9}: 1\n";
        let c = read(text).unwrap();
        let at: Vec<&str> = c
            .errors
            .iter()
            .chain(&c.warnings)
            .map(|e| &text[e.span.clone()])
            .collect();
        assert_eq!(at, ["3", "\u{e9}t\u{e9}"], "{:?}", c.errors);
        let text = "# \u{1f600}\nignored: [\u{e9}, DL3008\n";
        let e = read(text).unwrap_err();
        assert!(text.is_char_boundary(e[0].span.start), "{e:?}");
    }

    #[test]
    fn empty_file() {
        assert!(read("").unwrap().ignore.is_empty());
        assert!(read("# nothing\n").is_ok());
    }
}
