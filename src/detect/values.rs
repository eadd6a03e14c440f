//! Credential-shaped values: a pack of patterns (vendor prefixes, private
//! key armour, passwords in URLs and command lines), and a classifier that
//! tells a literal secret from references, placeholders, paths and settings.

use super::checksum::Checksum;
use aho_corasick::{AhoCorasick, AhoCorasickKind};
use regex::Regex;
use regex::bytes::{Regex as BytesRegex, RegexBuilder};
use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A regex compiled the first time it is used: a pack of hundreds of
/// credential shapes costs nothing at start-up, and a shape whose keywords
/// never occur is never compiled. Whoever builds one decides when errors
/// are found: [`LazyRegex::compile_now`] at load time, or a test that
/// compiles every built-in pattern.
#[derive(Clone, Debug)]
pub struct LazyRegex {
    source: String,
    size_limit: usize,
    compiled: OnceLock<Option<BytesRegex>>,
}

impl LazyRegex {
    pub fn new(source: &str, size_limit: usize) -> Self {
        LazyRegex {
            source: source.to_owned(),
            size_limit,
            compiled: OnceLock::new(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The compiled regex; `None` when it does not compile, and then it
    /// matches nothing.
    pub fn get(&self) -> Option<&BytesRegex> {
        self.compiled.get_or_init(|| self.build().ok()).as_ref()
    }

    /// Compiles the regex now, with the regex crate's error if it fails.
    pub fn compile_now(&self) -> Result<&BytesRegex, String> {
        let mut error = None;
        let compiled = self
            .compiled
            .get_or_init(|| self.build().map_err(|e| error = Some(e)).ok());
        compiled
            .as_ref()
            .ok_or_else(|| error.unwrap_or_else(|| "the regex did not compile".to_owned()))
    }

    /// Credential shapes are ASCII: `\b`, `\w`, `\s` and classes are read
    /// as ASCII, which compiles several times faster and keeps the fast
    /// DFA on text with non-ASCII characters. A pattern that needs Unicode
    /// (`\p{L}`) is compiled with it.
    fn build(&self) -> Result<BytesRegex, String> {
        RegexBuilder::new(&self.source)
            .size_limit(self.size_limit)
            .unicode(false)
            .build()
            .or_else(|_| {
                RegexBuilder::new(&self.source)
                    .size_limit(self.size_limit)
                    .build()
            })
            .map_err(|e| e.to_string())
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.get().is_some_and(|r| r.is_match(text.as_bytes()))
    }
}

/// One credential shape.
#[derive(Clone, Debug)]
pub struct Pattern {
    pub id: String,
    /// Human name of the credential family (`GitHub token`).
    pub family: String,
    /// The regex; a group named `secret` marks the secret part (else the
    /// whole match).
    pub regex: LazyRegex,
    /// Lower-case literals one of which must occur (in the text or in the
    /// assigned name) for the regex to run.
    pub keywords: Vec<String>,
    /// Lower-case words one of which must occur near a match for it to
    /// count (see [`CONTEXT_WINDOW`]); empty for shapes distinctive alone.
    pub context: Vec<String>,
    /// A checksum the secret part must pass.
    pub checksum: Option<Checksum>,
    /// Matches whose secret part matches one of these are ignored.
    pub allow: Vec<LazyRegex>,
    /// Minimum entropy of the secret part, bits per character.
    pub min_entropy: Option<f64>,
    /// Texts the pattern must find (run by the pack's tests).
    pub bad: Vec<String>,
    /// Near-misses no pattern may find.
    pub good: Vec<String>,
}

impl Pattern {
    /// A pattern with only a regex and keywords.
    pub fn new(id: &str, family: &str, regex: LazyRegex, keywords: &[&str]) -> Self {
        Pattern {
            id: id.to_owned(),
            family: family.to_owned(),
            regex,
            keywords: keywords.iter().map(|k| k.to_ascii_lowercase()).collect(),
            context: Vec::new(),
            checksum: None,
            allow: Vec::new(),
            min_entropy: None,
            bad: Vec::new(),
            good: Vec::new(),
        }
    }
}

/// How many bytes of text on either side of a match are searched for a
/// context word (the assigned name, when there is one, is searched too).
pub const CONTEXT_WINDOW: usize = 64;

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
    /// Example credentials published in vendors' documentation (exact,
    /// case-sensitive): a value containing one is an example.
    pub documented: Vec<String>,
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
            || self.documented.iter().any(|d| value.contains(d.as_str()))
        {
            return true;
        }
        // One character repeated (`xxxxxxxx`, `********`, `00000000`).
        let mut chars = v.chars();
        let first = chars.next();
        if v.len() >= 4 && chars.all(|c| Some(c) == first) {
            return true;
        }
        // A key whose body is a run or a keyboard sequence (`sk_live_0000...`,
        // `AKIA1234567890ABCDEF`, `ghp_qwertyuiop...`).
        if trivial_body(value.trim()) {
            return true;
        }
        // Templates and references: `<...>`, `{{ ... }}`, `${...}`, `%VAR%`, `@VAR@`.
        (v.starts_with('<') && v.ends_with('>'))
            || v.contains("{{")
            || v.contains('$')
            || (v.len() > 2 && v.starts_with('%') && v.ends_with('%'))
            || (v.len() > 2 && v.starts_with('@') && v.ends_with('@'))
            || names_a_variable(value.trim())
    }
}

/// Whether a value is the name of a variable or a slot of a template
/// rather than a value: `DB_PASSWORD`, `__API_TOKEN__`, `#{ApiKey}#`,
/// `{token}`, `[[SECRET]]`, `<%= token %>`, and a dotted path whose last
/// part names a secret (`var.db_password`, `this.apiKey`,
/// `settings.SECRET_KEY`): a reference in HCL, JavaScript or Python.
fn names_a_variable(v: &str) -> bool {
    if names_a_secret_path(v) {
        return true;
    }
    let inner = v
        .strip_prefix("#{")
        .and_then(|s| s.strip_suffix("}#").or_else(|| s.strip_suffix('}')))
        .or_else(|| v.strip_prefix("[[").and_then(|s| s.strip_suffix("]]")))
        .or_else(|| v.strip_prefix("__").and_then(|s| s.strip_suffix("__")))
        .or_else(|| v.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .or_else(|| v.strip_prefix("<%").and_then(|s| s.strip_suffix("%>")));
    if let Some(inner) = inner {
        let inner = inner.trim_start_matches(['=', '-']).trim();
        return !inner.is_empty()
            && inner
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-' | b' '));
    }
    // SCREAMING_SNAKE_CASE whose every word starts with a letter: the
    // name of an environment variable, not a key.
    v.contains('_')
        && v.split('_').all(|w| {
            w.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
                && w.bytes()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}

/// Whether the body of a key (after its prefix: the text after the first
/// `_`, `-` or `.`, separators dropped) is one character repeated, or
/// mostly runs of the alphabet, the digits or a keyboard row. Real keys are
/// random; such bodies are typed by hand as stand-ins.
pub fn trivial_body(secret: &str) -> bool {
    const RUNS: [&str; 5] = [
        "abcdefghijklmnopqrstuvwxyz",
        "01234567890",
        "qwertyuiop",
        "asdfghjkl",
        "zxcvbnm",
    ];
    let body = match secret.find(['_', '-', '.']) {
        Some(i) if i + 1 < secret.len() => &secret[i + 1..],
        _ => secret,
    };
    let body: Vec<u8> = body
        .bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if body.len() < 8 {
        return false;
    }
    let steps = body
        .windows(2)
        .filter(|w| {
            w[0] == w[1]
                || RUNS.iter().any(|r| {
                    r.as_bytes()
                        .windows(2)
                        .any(|p| p[0] == w[0] && p[1] == w[1])
                })
        })
        .count();
    // Short bodies must be runs almost throughout (`qwertyuiop`), longer
    // ones for two thirds (`sk_live_1234567890abcdefghijXq`): hand-typed
    // example keys mix runs with other characters.
    if body.len() < 12 {
        steps * 4 >= (body.len() - 1) * 3
    } else {
        steps * 3 >= (body.len() - 1) * 2
    }
}

/// Bytes searched for keywords before the keyword DFA is built.
const DFA_AFTER: usize = 64 << 10;

/// `a.b_password`: two or more identifiers joined by dots, the last of
/// which names a secret.
fn names_a_secret_path(v: &str) -> bool {
    const SECRET_WORDS: [&str; 7] = [
        "password",
        "passwd",
        "secret",
        "token",
        "apikey",
        "api_key",
        "credential",
    ];
    let v = v.trim_end_matches([',', ';']);
    let mut parts = v.split('.');
    let count = v.split('.').count();
    let identifiers = parts.all(|p| {
        p.bytes()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
            && p.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
    });
    let last = v.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    count >= 2 && identifiers && SECRET_WORDS.iter().any(|w| last.contains(w))
}

#[derive(Clone, Debug, Default)]
pub struct PatternPack {
    pub patterns: Vec<Pattern>,
    pub placeholders: Placeholders,
    /// Every pattern's keywords in one automaton (built on first use).
    keywords: OnceLock<Keywords>,
}

/// Which patterns a text may match, from one pass over it.
#[derive(Debug)]
struct Keywords {
    /// The automaton searched first: quick to build.
    automaton: Option<AhoCorasick>,
    /// A DFA of the same keywords, searched once [`DFA_AFTER`] bytes have
    /// been: it costs more to build but less per byte, which pays off on
    /// long runs and would not on one file.
    dfa: OnceLock<Option<AhoCorasick>>,
    words: Vec<String>,
    scanned: AtomicUsize,
    /// Keyword index → pattern index.
    owner: Vec<usize>,
    /// Patterns without keywords: always run.
    always: Vec<usize>,
}

impl Clone for Keywords {
    fn clone(&self) -> Self {
        Keywords {
            automaton: self.automaton.clone(),
            dfa: self.dfa.clone(),
            words: self.words.clone(),
            scanned: AtomicUsize::new(self.scanned.load(Ordering::Relaxed)),
            owner: self.owner.clone(),
            always: self.always.clone(),
        }
    }
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
                dfa: OnceLock::new(),
                words: words.into_iter().map(str::to_owned).collect(),
                scanned: AtomicUsize::new(0),
                owner,
                always,
            }
        })
    }

    /// Indices of the patterns whose keywords occur in `text` or `name`,
    /// in order (all of them if the keyword automaton could not be built).
    fn candidates(&self, text: &str, name: Option<&str>) -> Vec<usize> {
        let k = self.keywords();
        let Some(nfa) = &k.automaton else {
            return (0..self.patterns.len()).collect();
        };
        let len = text.len() + name.map_or(0, str::len);
        let ac = if k.scanned.fetch_add(len, Ordering::Relaxed) > DFA_AFTER {
            k.dfa
                .get_or_init(|| {
                    AhoCorasick::builder()
                        .ascii_case_insensitive(true)
                        .kind(Some(AhoCorasickKind::DFA))
                        .build(&k.words)
                        .ok()
                })
                .as_ref()
                .unwrap_or(nfa)
        } else {
            nfa
        };
        let mut run = k.always.clone();
        let found = ac
            .find_overlapping_iter(text)
            .chain(name.into_iter().flat_map(|n| ac.find_overlapping_iter(n)));
        run.extend(found.map(|m| k.owner[m.pattern().as_usize()]));
        run.sort_unstable();
        run.dedup();
        run
    }

    /// Credentials in `text`, in order, at most one per position.
    pub fn find(&self, text: &str) -> Vec<SecretMatch> {
        self.find_in(text, None)
    }

    /// Credentials in `text`, the value assigned to `name` (an ENV, ARG or
    /// LABEL key) when there is one: a pattern that needs context finds a
    /// match only when one of its context words occurs in `name` or in the
    /// [`CONTEXT_WINDOW`] bytes of text on either side of the match.
    pub fn find_in(&self, text: &str, name: Option<&str>) -> Vec<SecretMatch> {
        let mut out: Vec<SecretMatch> = Vec::new();
        let name = name.map(str::to_ascii_lowercase);
        for index in self.candidates(text, name.as_deref()) {
            let p = &self.patterns[index];
            let Some(regex) = p.regex.get() else {
                continue;
            };
            for caps in regex.captures_iter(text.as_bytes()) {
                let Some(m) = caps.name("secret").or_else(|| caps.get(0)) else {
                    continue;
                };
                // Matched bytes are read as text only when they start and
                // end on character boundaries.
                let Some(secret) = text.get(m.start()..m.end()) else {
                    continue;
                };
                if !p.context.is_empty()
                    && !has_context(&p.context, text, m.start()..m.end(), name.as_deref())
                {
                    continue;
                }
                // A checksum that holds proves a real token, whatever it
                // looks like. One that fails doesn't clear the value: fake
                // and hand-made tokens leak as well, so it is judged as if
                // the format had no checksum.
                let verified = p.checksum.is_some_and(|c| c.verify(secret));
                if after_digest_label(text, m.start())
                    || !verified
                        && (self.placeholders.is_placeholder(secret)
                            || p.allow.iter().any(|a| a.is_match(secret))
                            || p.min_entropy
                                .is_some_and(|min| super::shannon_bits(secret) < min))
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

    /// Checks every pattern's own examples: each `bad` text yields a match
    /// of its pattern, and no pattern matches a `good` text. One message
    /// per failure, naming the pattern.
    pub fn check_examples(&self) -> Vec<String> {
        let mut failures = Vec::new();
        for (index, p) in self.patterns.iter().enumerate() {
            if p.regex.get().is_none() {
                failures.push(format!("{}: the regex does not compile", p.id));
                continue;
            }
            for bad in &p.bad {
                if !self.find(bad).iter().any(|m| m.pattern == index) {
                    failures.push(format!("{}: does not find its bad example `{bad}`", p.id));
                }
            }
            for good in &p.good {
                for m in self.find(good) {
                    failures.push(format!(
                        "{}: its good example `{good}` is found by {}",
                        p.id, self.patterns[m.pattern].id
                    ));
                }
            }
            if p.bad.is_empty() {
                failures.push(format!("{}: no bad example", p.id));
            }
        }
        failures
    }
}

/// Whether one of `words` occurs in `name` or in the bytes of `text` up to
/// [`CONTEXT_WINDOW`] before or after `at` (case-insensitively).
fn has_context(words: &[String], text: &str, at: Range<usize>, name: Option<&str>) -> bool {
    let mut from = at.start.saturating_sub(CONTEXT_WINDOW);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (at.end + CONTEXT_WINDOW).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let before = text[from..at.start].to_ascii_lowercase();
    let after = text[at.end..to].to_ascii_lowercase();
    words.iter().any(|w| {
        before.contains(w.as_str())
            || after.contains(w.as_str())
            || name.is_some_and(|n| n.contains(w.as_str()))
    })
}

/// Whether a match follows a digest label (`sha256:`, `sha512-`): the hex
/// or base64 after it is a checksum, not a key.
fn after_digest_label(text: &str, start: usize) -> bool {
    let before = &text.as_bytes()[start.saturating_sub(8)..start];
    let before = String::from_utf8_lossy(before).to_ascii_lowercase();
    ["sha1", "sha224", "sha256", "sha384", "sha512", "md5", "h1"]
        .iter()
        .any(|l| before.ends_with(&format!("{l}:")) || before.ends_with(&format!("{l}-")))
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
    if printable * 100 < decoded.len() * 95 {
        return false;
    }
    // A JSON document is text unless it carries credentials of its own (a
    // Docker `config.json`, a service-account key, a Grafana API key's
    // `{"k":...}`), however it is spaced. Other text has spaces or line
    // breaks.
    let text = String::from_utf8_lossy(&decoded).to_ascii_lowercase();
    if matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'[')) && text.contains('"') {
        let credential = [
            "auth",
            "pass",
            "secret",
            "token",
            "private",
            "credential",
            "key",
            "\"k\"",
        ];
        return !credential.iter().any(|w| text.contains(w));
    }
    breaks >= 2
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
            documented: Vec::new(),
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
            vec![Pattern::new(
                "github-pat",
                "GitHub token",
                LazyRegex::new(r"\bghp_[A-Za-z0-9]{36}\b", 1 << 20),
                &["GHP_"],
            )],
            placeholders(),
        );
        let text = "token ghp_Zq8Lp9Wm4Nt6Vb1Kc3Hd5Fj7Gs0Ay2Qe8Uwx end";
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
        // Bodies typed by hand: the alphabet, the digits, a keyboard row.
        assert!(
            pack.find("ghp_abcdefghijklmnopqrstuvwxyz0123456789")
                .is_empty()
        );
        assert!(
            pack.find("ghp_qwertyuiopasdfghjklzxcvbnm1234567890")
                .is_empty()
        );
        // A digest is not a key, whatever its shape.
        assert!(
            pack.find("sha256:ghp_Zq8Lp9Wm4Nt6Vb1Kc3Hd5Fj7Gs0Ay2Qe8Uwx")
                .is_empty()
        );
    }

    #[test]
    fn context_words() {
        let mut p = Pattern::new(
            "acme-key",
            "Acme key",
            LazyRegex::new(r"\b[a-f0-9]{32}\b", 1 << 20),
            &["acme"],
        );
        p.context = vec!["acme".into()];
        let pack = PatternPack::new(vec![p], Placeholders::default());
        let key = "0f3c9a7e21b84d5f96e0a1c2b3d4e5f6";
        assert!(pack.find(key).is_empty());
        assert_eq!(pack.find_in(key, Some("ACME_API_KEY")).len(), 1);
        assert_eq!(pack.find(&format!("export ACME_KEY={key}")).len(), 1);
        // Too far from the value: not its context.
        let far = format!("acme{}{key}", " ".repeat(CONTEXT_WINDOW));
        assert!(pack.find(&far).is_empty());
    }

    #[test]
    fn stand_ins() {
        let p = Placeholders {
            documented: vec![
                "AKIAIOSFODNN7EXAMPLE".into(),
                "sk_test_4eC39HqLyjWDarjtT1zdp7dc".into(),
            ],
            ..placeholders()
        };
        let c = |v: &str| classify_literal(v, &p);
        assert_eq!(c("sk_test_4eC39HqLyjWDarjtT1zdp7dc"), Literal::Placeholder);
        assert_eq!(c("DB_PASSWORD"), Literal::Placeholder);
        assert_eq!(c("GITHUB_TOKEN_V2"), Literal::Placeholder);
        assert_eq!(c("__API_TOKEN__"), Literal::Placeholder);
        assert_eq!(c("#{ApiKey}#"), Literal::Placeholder);
        assert_eq!(c("[[SECRET_VALUE]]"), Literal::Placeholder);
        assert_eq!(c("<%= api_key %>"), Literal::Placeholder);
        // References by a dotted path (HCL, JavaScript, Python settings).
        assert_eq!(c("var.db_password"), Literal::Placeholder);
        assert_eq!(c("this.apiKey,"), Literal::Placeholder);
        assert_eq!(c("settings.SECRET_KEY"), Literal::Placeholder);
        assert_eq!(c("pass.word.x9Kq2"), Literal::Secret);
        assert_eq!(c("AKIA1234567890ABCDEF"), Literal::Placeholder);
        assert_eq!(c("sk_live_aaaaaaaaaaaaaaaaaaaaaaaa"), Literal::Placeholder);
        // Mixed case with digits: a value, not a variable's name.
        assert_eq!(c("Db_Pass_2024x"), Literal::Secret);
        assert_eq!(c("k9_XQ2_ZPL"), Literal::Secret);
        // {"name":"demo","replicas":3} encoded: a document; an encoded
        // Docker auth document is not.
        assert_eq!(
            c("eyJuYW1lIjoiZGVtbyIsInJlcGxpY2FzIjozfQ=="),
            Literal::Encoded
        );
        assert_eq!(
            c("eyJhdXRocyI6eyJyZWcuaW8iOnsiYXV0aCI6ImRYTmxjanB3WVhOeiJ9fX0="),
            Literal::Secret
        );
        // Spaced JSON is judged by its keys too: {"name": "app", ...} is a
        // document, a Grafana key's {"k": "...", "n": "ci", "id": 1} is not.
        assert_eq!(
            c("eyJuYW1lIjogImFwcCIsICJ2ZXJzaW9uIjogIjEuMC4yIiwgIm1haW4iOiAiaW5kZXguanMifQ=="),
            Literal::Encoded
        );
        assert_eq!(
            c(
                "eyJrIjogIlhxN0xwMlpyOVdtNE50NlZiMUtjM0hkNUZqOEdzMEF5IiwgIm4iOiAiY2kiLCAiaWQiOiAxfQ=="
            ),
            Literal::Secret
        );
    }
}
