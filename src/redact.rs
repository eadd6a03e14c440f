//! Secrets as every output shows them. A finding about a credential says
//! which bytes of the file are secret ([`Redaction`]); messages show such a
//! value as its public prefix and `****` ([`redact`]), and every report
//! masks those bytes in the source text it prints ([`mask_source`]) and in
//! any other text it writes ([`Redactor`]). One place decides what is
//! shown, so no format can print more than another.

use crate::span::Span;
use serde::Serialize;
use std::borrow::Cow;
use unicode_width::UnicodeWidthChar;

/// What a redacted value shows instead of its secret part.
pub const MASK: &str = "****";

/// The bytes of a secret in a file, and how many of its first bytes are
/// public by the credential's format (a vendor prefix such as `ghp_`, a
/// PEM armour line) and may be shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Redaction {
    pub span: Span,
    /// Leading bytes of the span left visible; always on a character
    /// boundary and at most half the secret for a vendor prefix.
    pub keep: u32,
}

impl Redaction {
    /// The bytes that are hidden.
    pub fn hidden(self) -> Span {
        Span::new(
            (self.span.start + self.keep).min(self.span.end),
            self.span.end,
        )
    }
}

/// A secret as a message shows it: its public prefix, then `****`. Never
/// its length, never any of its body.
pub fn redact(secret: &str, keep: usize) -> String {
    let mut keep = keep.min(secret.len());
    while !secret.is_char_boundary(keep) {
        keep -= 1;
    }
    format!("{}{MASK}", &secret[..keep])
}

/// How many leading bytes of `secret` its format makes public: a PEM
/// armour line (`-----BEGIN RSA PRIVATE KEY-----`), a URL's scheme and host
/// (`https://hooks.slack.com/`), or the longest of `prefixes` (a
/// credential format's documented prefix: `ghp_`, `glpat-`, `AKIA`) that
/// it starts with, ignoring ASCII case. A prefix is shown only when it is
/// at most half the secret, so a short value keeps its body hidden.
pub fn public_prefix(secret: &str, prefixes: &[String]) -> usize {
    if let Some(rest) = secret.strip_prefix("-----BEGIN ")
        && let Some(end) = rest.find("-----")
    {
        return "-----BEGIN ".len() + end + "-----".len();
    }
    if let Some((scheme, rest)) = secret.split_once("://")
        && !scheme.is_empty()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+.-".contains(&b))
        && let Some(slash) = rest.find('/')
        && !rest[..slash].contains(['@', ':'])
        && slash > 0
    {
        return scheme.len() + 3 + slash + 1;
    }
    let bytes = secret.as_bytes();
    prefixes
        .iter()
        .map(String::as_bytes)
        .filter(|p| {
            !p.is_empty()
                && p.len() * 2 <= bytes.len()
                && bytes[..p.len()].eq_ignore_ascii_case(p)
                && secret.is_char_boundary(p.len())
        })
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0)
}

/// Text with the hidden part of each redaction masked, character for
/// character, by characters of the same UTF-8 length and the same display
/// width (`*` for ASCII), so that byte spans into the text stay valid and
/// a snippet's carets stay under the columns they mark. Line breaks are
/// kept, so a multi-line secret (a PEM block, a heredoc) keeps its lines.
pub fn mask_source<'t>(text: &'t str, redactions: &[Redaction]) -> Cow<'t, str> {
    let mut hidden: Vec<Span> = redactions
        .iter()
        .map(|r| r.hidden())
        .filter(|s| !s.is_empty() && (s.end as usize) <= text.len())
        .collect();
    if hidden.is_empty() {
        return Cow::Borrowed(text);
    }
    hidden.sort();
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for span in hidden {
        let (start, end) = (span.start as usize, span.end as usize);
        let start = start.max(at);
        if start >= end {
            continue;
        }
        let Some(before) = text.get(at..start) else {
            continue;
        };
        let Some(secret) = text.get(start..end) else {
            continue;
        };
        out.push_str(before);
        for c in secret.chars() {
            match c {
                '\n' | '\r' => out.push(c),
                c => out.push_str(mask_char(c)),
            }
        }
        at = end;
    }
    out.push_str(&text[at..]);
    debug_assert_eq!(out.len(), text.len());
    Cow::Owned(out)
}

/// Whether `text` is all mask characters (and line breaks): what
/// [`mask_source`] leaves of a secret.
pub fn is_masked(text: &str) -> bool {
    text.chars().all(|c| {
        matches!(
            c,
            '*' | '\u{34f}' | '\u{b7}' | '\u{200b}' | '\u{2217}' | '\u{ff0a}' | '\n' | '\r'
        )
    })
}

/// A stand-in for `c` with its UTF-8 length and display width.
fn mask_char(c: char) -> &'static str {
    match (c.len_utf8(), c.width().unwrap_or(0)) {
        (1, _) => "*",
        (2, 0) => "\u{34f}",
        (2, _) => "\u{b7}",
        (3, 0) => "\u{200b}",
        (3, 1) => "\u{2217}",
        (3, _) => "\u{ff0a}",
        (_, 0) => "\u{34f}\u{34f}",
        (_, 1) => "*\u{200b}",
        _ => "*\u{2217}",
    }
}

/// Hides a file's secrets in any text a report writes about it: each
/// secret's text, where it occurs in a message, a label, a fix's title or
/// its edits, becomes its redacted form.
///
/// A secret that is a plain word (`root`, `nagios`, `Postgres`) or shorter
/// than 6 characters is often the same word used for something else in
/// the file (`USER root`, `FROM postgres`): it is hidden only in the text
/// of findings whose places overlap it ([`Redactor::apply_near`]). Any
/// other secret is hidden in every text.
#[derive(Debug, Default)]
pub struct Redactor {
    /// Longest first.
    secrets: Vec<Secret>,
}

#[derive(Debug)]
struct Secret {
    text: String,
    shown: String,
    span: Span,
    /// Hidden in every text, not only near its place.
    everywhere: bool,
}

/// Whether a secret could be an ordinary word of the file: letters only,
/// in one case after the first, or short.
fn is_word(s: &str) -> bool {
    let rest: Vec<char> = s.chars().skip(1).collect();
    s.chars().count() < 6
        || (s.chars().all(|c| c.is_ascii_alphabetic())
            && (rest.iter().all(|c| c.is_ascii_lowercase())
                || rest.iter().all(|c| c.is_ascii_uppercase())))
}

impl Redactor {
    /// The secrets of `source` that `redactions` mark.
    pub fn new<'r>(source: &str, redactions: impl IntoIterator<Item = &'r Redaction>) -> Redactor {
        let mut secrets: Vec<Secret> = Vec::new();
        for r in redactions {
            let Some(secret) = source.get(r.span.range()) else {
                continue;
            };
            // Shorter values are stand-ins, never reported as secrets, and
            // would hide ordinary words.
            let hidden = r.hidden().text(source);
            if hidden.chars().count() < 3 {
                continue;
            }
            let everywhere = !is_word(hidden);
            secrets.push(Secret {
                text: secret.to_owned(),
                shown: redact(secret, r.keep as usize),
                span: r.span,
                everywhere,
            });
            // The hidden part alone, too: a text may quote it without its
            // prefix.
            if hidden.len() != secret.len() {
                secrets.push(Secret {
                    text: hidden.to_owned(),
                    shown: MASK.to_owned(),
                    span: r.span,
                    everywhere,
                });
            }
        }
        secrets.sort_by_key(|s| std::cmp::Reverse(s.text.len()));
        Redactor { secrets }
    }

    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// `text` with every secret replaced by its redacted form.
    pub fn apply<'t>(&self, text: &'t str) -> Cow<'t, str> {
        self.replace(text, |_| true)
    }

    /// `text`, about the places `near`, with the secrets that may be
    /// anywhere and those that overlap `near` replaced by their redacted
    /// forms.
    pub fn apply_near<'t>(&self, text: &'t str, near: &[Span]) -> Cow<'t, str> {
        self.replace(text, |s| {
            s.everywhere
                || near
                    .iter()
                    .any(|n| n.start < s.span.end && s.span.start < n.end.max(n.start + 1))
        })
    }

    fn replace<'t>(&self, text: &'t str, hide: impl Fn(&Secret) -> bool) -> Cow<'t, str> {
        let mut out = Cow::Borrowed(text);
        for s in &self.secrets {
            if out.contains(s.text.as_str()) && hide(s) {
                out = Cow::Owned(out.replace(s.text.as_str(), &s.shown));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefixes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn messages_show_the_public_prefix_at_most() {
        let token = "ghp_Zq8Xr2Lp9Wm4Nt6Vb1Kc3Hd5Fj7Gs0Ay9Qe2U";
        let keep = public_prefix(token, &prefixes(&["ghp_", "gho_"]));
        assert_eq!(redact(token, keep), "ghp_****");
        assert_eq!(redact("hunter2xyz", 0), "****");
        // A prefix longer than half the value is not shown.
        assert_eq!(public_prefix("ghp_x", &prefixes(&["ghp_"])), 0);
        assert_eq!(
            public_prefix("AKIAQ3EGRXXP5ZT7NB2W", &prefixes(&["akia"])),
            4
        );
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----";
        assert_eq!(
            redact(pem, public_prefix(pem, &[])),
            "-----BEGIN RSA PRIVATE KEY-----****"
        );
        let hook = "https://hooks.slack.com/services/T0A1B2C3D/B0A1B2C3D/Zq8Xr2Lp9Wm4";
        assert_eq!(
            redact(hook, public_prefix(hook, &[])),
            "https://hooks.slack.com/****"
        );
        // Credentials in the authority are not a public host.
        assert_eq!(public_prefix("https://u:pw@h/x", &[]), 0);
        // Never inside a character.
        assert_eq!(redact("é", 1), "****");
    }

    #[test]
    fn masks_keep_bytes_columns_and_lines() {
        let text = "ENV A=ghp_abcdef B=pässwörd✓🦀漢\nRUN x\n";
        let at = |s: &str| text.find(s).unwrap_or(0) as u32;
        let token = Redaction {
            span: Span::new(at("ghp_"), at(" B=")),
            keep: 4,
        };
        let pw = Redaction {
            span: Span::new(at("pä"), at("\nRUN")),
            keep: 0,
        };
        let masked = mask_source(text, &[pw, token]);
        assert_eq!(masked.len(), text.len());
        let width = |s: &str| s.chars().map(|c| c.width().unwrap_or(0)).sum::<usize>();
        assert_eq!(width(&masked), width(text));
        assert!(masked.starts_with("ENV A=ghp_****** B="), "{masked}");
        assert!(!masked.contains("abcdef") && !masked.contains("sswö"));
        assert!(masked.ends_with("\nRUN x\n"));
        // Each line keeps its width: a multi-line secret keeps its breaks.
        let block = "K=-----BEGIN KEY-----\nabc\ndef\n-----END KEY-----\nX";
        let r = Redaction {
            span: Span::new(2, block.find("\nX").unwrap_or(0) as u32),
            keep: 19,
        };
        assert_eq!(
            mask_source(block, &[r]),
            "K=-----BEGIN KEY-----\n***\n***\n*****************\nX"
        );
        assert!(matches!(mask_source(block, &[]), Cow::Borrowed(_)));
    }

    #[test]
    fn redactor_hides_secrets_in_any_text() {
        let source = "ENV T=ghp_Zq8Xr2Lp9Wm4Nt6Vb1Kc3Hd5Fj7Gs0Ay9Qe2U\n";
        let start = source.find("ghp_").unwrap_or(0);
        let r = Redaction {
            span: Span::from_usize(start, source.len() - 1),
            keep: 4,
        };
        let red = Redactor::new(source, [&r]);
        assert_eq!(
            red.apply("set `T=ghp_Zq8Xr2Lp9Wm4Nt6Vb1Kc3Hd5Fj7Gs0Ay9Qe2U` now"),
            "set `T=ghp_****` now"
        );
        assert_eq!(
            red.apply("body Zq8Xr2Lp9Wm4Nt6Vb1Kc3Hd5Fj7Gs0Ay9Qe2U"),
            "body ****"
        );
        assert!(matches!(red.apply("nothing here"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_word_is_hidden_only_near_its_place() {
        let source = "FROM postgres\nENV DB_PASSWORD=postgres\nENV T=Zq8-Lp9-Wm4\n";
        let at = |s: &str| source.rfind(s).unwrap_or(0);
        let secret = |s: &str| Redaction {
            span: Span::from_usize(at(s), at(s) + s.len()),
            keep: 0,
        };
        let (word, token) = (secret("postgres"), secret("Zq8-Lp9-Wm4"));
        let red = Redactor::new(source, [&word, &token]);
        let from = Span::new(0, 13);
        assert_eq!(
            red.apply_near("`postgres` has no tag, Zq8-Lp9-Wm4", &[from]),
            "`postgres` has no tag, ****"
        );
        assert_eq!(
            red.apply_near("Write `DB_PASSWORD=postgres`", &[word.span]),
            "Write `DB_PASSWORD=****`"
        );
        assert!(is_word("root") && is_word("Nagios") && is_word("abc1"));
        assert!(!is_word("hunter22") && !is_word("Pässwörd") && !is_word("nagiosAdmin"));
    }
}
