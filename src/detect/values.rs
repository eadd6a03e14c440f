//! Credential-shaped values: a pack of patterns (vendor prefixes, private
//! key armour, passwords in URLs and command lines), and a classifier that
//! tells a literal secret from references, placeholders, paths and settings.

use aho_corasick::AhoCorasick;
use regex::Regex;
use std::sync::OnceLock;

/// One credential shape.
#[derive(Clone, Debug)]
pub struct Pattern {
    pub id: String,
    /// Human name of the credential family (`GitHub token`).
    pub family: String,
    /// The regex; a group named `secret` marks the secret part (else the
    /// whole match).
    pub regex: Regex,
    /// Lower-case literals one of which must occur for the regex to run.
    pub keywords: Vec<String>,
    /// Matches whose secret part matches one of these are ignored.
    pub allow: Vec<Regex>,
    /// Minimum entropy of the secret part, bits per character.
    pub min_entropy: Option<f64>,
}

/// A found credential: the byte range of its secret part and its pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretMatch {
    pub start: usize,
    pub end: usize,
    pub pattern: usize,
}

/// Placeholder values: fixed words and substrings that mark a value as a
/// stand-in (`changeme`, `<your-token>`, `xxxx`).
#[derive(Clone, Debug, Default)]
pub struct Placeholders {
    /// Whole values (lower case).
    pub values: Vec<String>,
    /// Substrings (lower case).
    pub contains: Vec<String>,
    /// Values that look like credentials but are public by design
    /// (publishable keys, SSH public keys, certificates).
    pub public: Vec<Regex>,
}

impl Placeholders {
    /// Whether a value is public by design.
    pub fn is_public(&self, value: &str) -> bool {
        self.public.iter().any(|r| r.is_match(value))
    }

    pub fn is_placeholder(&self, value: &str) -> bool {
        let v = value.trim().to_ascii_lowercase();
        // Values this short are stand-ins (`x`, `pw`), not secrets.
        if v.chars().count() < 3 {
            return true;
        }
        // A printf conversion (`%s`): the value is filled in elsewhere.
        if let Some(spec) = v.strip_prefix('%')
            && spec.len() <= 6
            && spec.ends_with(|c: char| c.is_ascii_alphabetic())
            && spec[..spec.len() - 1]
                .bytes()
                .all(|c| c.is_ascii_digit() || matches!(c, b'-' | b'+' | b' ' | b'#' | b'.'))
        {
            return true;
        }
        // `**None**`, `[changeme]`, `_secret_`: the word inside decorations.
        let bare = v.trim_matches(|c: char| {
            matches!(c, '*' | '_' | '[' | ']' | '(' | ')' | '{' | '}' | '-')
        });
        if self.values.iter().any(|p| *p == v || *p == bare)
            || self.contains.iter().any(|p| v.contains(p.as_str()))
        {
            return true;
        }
        // One character repeated (`xxxxxxxx`, `********`, `00000000`).
        let mut chars = v.chars();
        let first = chars.next();
        if v.len() >= 4 && chars.all(|c| Some(c) == first) {
            return true;
        }
        // Templates and references: `<...>`, `{{ ... }}`, `${...}`, `%VAR%`, `@VAR@`.
        (v.starts_with('<') && v.ends_with('>'))
            || v.contains("{{")
            || v.contains('$')
            || (v.len() > 2 && v.starts_with('%') && v.ends_with('%'))
            || (v.len() > 2 && v.starts_with('@') && v.ends_with('@'))
    }
}

#[derive(Clone, Debug, Default)]
pub struct PatternPack {
    pub patterns: Vec<Pattern>,
    pub placeholders: Placeholders,
    /// Every pattern's keywords in one automaton (built on first use).
    keywords: OnceLock<Keywords>,
}

/// Which patterns a text may match, from one pass over it.
#[derive(Clone, Debug)]
struct Keywords {
    automaton: Option<AhoCorasick>,
    /// Keyword index → pattern index.
    owner: Vec<usize>,
    /// Patterns without keywords: always run.
    always: Vec<usize>,
}

impl PatternPack {
    pub fn new(patterns: Vec<Pattern>, placeholders: Placeholders) -> Self {
        PatternPack {
            patterns,
            placeholders,
            keywords: OnceLock::new(),
        }
    }

    fn keywords(&self) -> &Keywords {
        self.keywords.get_or_init(|| {
            let mut words = Vec::new();
            let mut owner = Vec::new();
            let mut always = Vec::new();
            for (i, p) in self.patterns.iter().enumerate() {
                if p.keywords.is_empty() {
                    always.push(i);
                }
                for k in &p.keywords {
                    words.push(k.as_str());
                    owner.push(i);
                }
            }
            let automaton = AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(&words)
                .ok();
            Keywords {
                automaton,
                owner,
                always,
            }
        })
    }

    /// Indices of the patterns whose keywords occur in `text` (all of them
    /// if the keyword automaton could not be built).
    fn candidates(&self, text: &str) -> Vec<bool> {
        let k = self.keywords();
        let Some(ac) = &k.automaton else {
            return vec![true; self.patterns.len()];
        };
        let mut run = vec![false; self.patterns.len()];
        for &i in &k.always {
            run[i] = true;
        }
        for m in ac.find_overlapping_iter(text) {
            run[k.owner[m.pattern().as_usize()]] = true;
        }
        run
    }

    /// Credentials in `text`, in order, at most one per position.
    pub fn find(&self, text: &str) -> Vec<SecretMatch> {
        let mut out: Vec<SecretMatch> = Vec::new();
        let run = self.candidates(text);
        for (index, p) in self.patterns.iter().enumerate() {
            if !run[index] {
                continue;
            }
            for caps in p.regex.captures_iter(text) {
                let Some(m) = caps.name("secret").or_else(|| caps.get(0)) else {
                    continue;
                };
                let secret = m.as_str();
                if self.placeholders.is_placeholder(secret)
                    || p.allow.iter().any(|a| a.is_match(secret))
                    || p.min_entropy
                        .is_some_and(|min| super::shannon_bits(secret) < min)
                {
                    continue;
                }
                if out.iter().any(|o| o.start < m.end() && m.start() < o.end) {
                    continue;
                }
                out.push(SecretMatch {
                    start: m.start(),
                    end: m.end(),
                    pattern: index,
                });
            }
        }
        out.sort_by_key(|m| m.start);
        out
    }
}

/// What kind of value a literal is, for deciding whether a value under a
/// secret-looking name is itself a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Literal {
    Empty,
    /// Refers to a variable, a command substitution or a template.
    Reference,
    Placeholder,
    Number,
    Boolean,
    Path,
    /// A URL that carries no credentials.
    Url,
    /// Credential-shaped but public by design (`pk_live_...`, `ssh-ed25519 AAAA...`).
    Public,
    /// Base64 that decodes to a text document (YAML, JSON, a script).
    Encoded,
    /// Anything else: a literal that may well be the secret.
    Secret,
}

/// Classifies a value as written (quotes are removed first).
pub fn classify_literal(value: &str, placeholders: &Placeholders) -> Literal {
    let v = value.trim();
    let v = v
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
        .unwrap_or(v)
        .trim();
    if v.is_empty() {
        return Literal::Empty;
    }
    // `${NAME:-default}`: the default is baked in when NAME is not given.
    if let Some(default) = parameter_default(v) {
        return classify_literal(default, placeholders);
    }
    if v.contains('$') || v.contains("{{") || v.contains('`') {
        return Literal::Reference;
    }
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null" | "nil"
    ) {
        return Literal::Boolean;
    }
    if v.parse::<f64>().is_ok() {
        return Literal::Number;
    }
    if v.starts_with('/') || v.starts_with("./") || v.starts_with("~/") || v.starts_with("../") {
        return Literal::Path;
    }
    if v.len() > 2
        && v.as_bytes()[1] == b':'
        && (v.as_bytes()[2] == b'\\' || v.as_bytes()[2] == b'/')
    {
        return Literal::Path;
    }
    if let Some((scheme, rest)) = v.split_once("://")
        && !scheme.is_empty()
        && scheme
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-'))
    {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        return if authority.contains('@')
            && authority.split('@').next().is_some_and(|u| u.contains(':'))
        {
            Literal::Secret
        } else {
            Literal::Url
        };
    }
    if placeholders.is_placeholder(v) {
        return Literal::Placeholder;
    }
    if placeholders.is_public(v) {
        return Literal::Public;
    }
    if is_encoded_text(v) {
        return Literal::Encoded;
    }
    Literal::Secret
}

/// The default of a lone `${NAME:-default}` (or `-`, `:=`, `=`) whose
/// default is itself free of references.
fn parameter_default(v: &str) -> Option<&str> {
    let inner = v.strip_prefix("${")?.strip_suffix('}')?;
    let name_end = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|&i| i > 0)?;
    let rest = &inner[name_end..];
    let default = [":-", ":=", "-", "="]
        .iter()
        .find_map(|op| rest.strip_prefix(op))?;
    (!default.is_empty() && !default.contains(['$', '`', '{', '}'])).then_some(default)
}

/// Whether `v` is base64 (whitespace and line continuations aside) that
/// decodes to printable text with line breaks or spaces: an encoded
/// document, not key material. `user:password` pairs have neither.
fn is_encoded_text(v: &str) -> bool {
    let digits: Vec<u8> = v
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'\\')
        .take_while(|b| *b != b'=')
        .collect();
    if digits.len() < 32 {
        return false;
    }
    let mut decoded = Vec::with_capacity(digits.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for b in digits.iter().take(512) {
        let d = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return false,
        };
        acc = (acc << 6) | u32::from(d);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            decoded.push((acc >> bits) as u8);
        }
    }
    let printable = decoded
        .iter()
        .filter(|&&c| (0x20..0x7f).contains(&c) || matches!(c, b'\n' | b'\r' | b'\t'))
        .count();
    let breaks = decoded
        .iter()
        .filter(|&&c| matches!(c, b'\n' | b' '))
        .count();
    printable * 100 >= decoded.len() * 95 && breaks >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders() -> Placeholders {
        Placeholders {
            values: ["changeme", "secret", "password", "dummy"]
                .map(String::from)
                .to_vec(),
            contains: ["example", "your-", "your_", "replace", "xxxxxx"]
                .map(String::from)
                .to_vec(),
            public: vec![Regex::new("^pk_(live|test)_").unwrap()],
        }
    }

    #[test]
    fn literals() {
        let p = placeholders();
        let c = |v: &str| classify_literal(v, &p);
        assert_eq!(c("hunter2"), Literal::Secret);
        assert_eq!(c("\"s3cr3t!\""), Literal::Secret);
        assert_eq!(c("${DB_PASSWORD}"), Literal::Reference);
        assert_eq!(c("$(cat /run/secrets/x)"), Literal::Reference);
        assert_eq!(c("changeme"), Literal::Placeholder);
        assert_eq!(c("<your-token>"), Literal::Placeholder);
        assert_eq!(c("xxxxxxxx"), Literal::Placeholder);
        assert_eq!(c("3600"), Literal::Number);
        assert_eq!(c("false"), Literal::Boolean);
        assert_eq!(c("/run/secrets/db"), Literal::Path);
        assert_eq!(c("https://auth.example.org/token"), Literal::Url);
        assert_eq!(c("postgres://app:pw@db/app"), Literal::Secret);
        assert_eq!(c(""), Literal::Empty);
        assert_eq!(c("pk_live_51Hx2AbCdEf"), Literal::Public);
        assert_eq!(c("**ChangeMe**"), Literal::Placeholder);
        assert_eq!(c("x"), Literal::Placeholder);
        assert_eq!(c("%s"), Literal::Placeholder);
        assert_eq!(c("%-12s"), Literal::Placeholder);
        assert_eq!(c("${API_KEY:-Zq8Lp9Wm4Nt6}"), Literal::Secret);
        assert_eq!(c("${DB_PASSWORD:-changeme}"), Literal::Placeholder);
        assert_eq!(c("${API_KEY:-}"), Literal::Reference);
        assert_eq!(c("${API_KEY:-$OTHER}"), Literal::Reference);
        // "---\nversion: 1.0\nname: hello-world\n..." encoded; a user:password pair is not.
        assert_eq!(
            c("LS0tCnZlcnNpb246IDEuMApuYW1lOiBoZWxsby13b3JsZApkZXNjcmlwdGlvbjogZGVtbwo="),
            Literal::Encoded
        );
        assert_eq!(
            c("b2N0b2JvdDo0YWUwYjYzOTgzYWE5YzYyZTIyOWYxZWNmZGZiNDY2YjI1YzcyZWEy"),
            Literal::Secret
        );
    }

    #[test]
    fn pattern_pack() {
        let pack = PatternPack::new(
            vec![Pattern {
                id: "github-pat".into(),
                family: "GitHub token".into(),
                regex: Regex::new(r"\bghp_[A-Za-z0-9]{36}\b").unwrap(),
                keywords: vec!["GHP_".to_ascii_lowercase()],
                allow: vec![],
                min_entropy: None,
            }],
            placeholders(),
        );
        let text = "token ghp_abcdefghijklmnopqrstuvwxyz0123456789 end";
        assert_eq!(
            pack.find(text),
            vec![SecretMatch {
                start: 6,
                end: 46,
                pattern: 0
            }]
        );
        assert!(
            pack.find("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
                .is_empty()
        );
    }
}
