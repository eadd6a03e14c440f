//! Values given to names outside ENV, ARG and LABEL: in shell commands
//! (`export NAME=…`, `NAME=… cmd`, `env NAME=…`, `docker run -e NAME=…`)
//! and in the lines of files a build writes (heredoc bodies, what `echo`
//! and `printf` print): `KEY=value`, `key = value`, `key: value`, JSON
//! `"key": "value"`, XML `<key>value</key>`, `.netrc`'s `password VALUE`,
//! and the base64 values of Kubernetes `Secret` data, kubeconfig `*-data`
//! keys and Docker `config.json` `auth` entries, decoded.
//!
//! Rules read them as the `assignment` source of `on = "text"`, with the
//! name beside the value, so that a secret-looking name counts wherever a
//! value is assigned to it.

use crate::shell::{Command, ShellWord};
use crate::span::Span;
use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use std::ops::Range;

/// Where an assignment was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// `NAME=value` before a command, after `env`, or alone.
    Shell,
    /// `export`, `declare`, `readonly`, `local`, `typeset`.
    Export,
    /// A command's option: `-e`/`--env`/`--build-arg NAME=value`,
    /// `--from-literal=`, `--set`, `-DNAME=value`.
    Option,
    /// A line of a heredoc body.
    Heredoc,
    /// A line of what `echo` prints.
    Echo,
    /// A line of what `printf` prints.
    Printf,
}

impl Place {
    pub fn as_str(self) -> &'static str {
        match self {
            Place::Shell => "a shell assignment",
            Place::Export => "an `export`",
            Place::Option => "a command option",
            Place::Heredoc => "a heredoc",
            Place::Echo => "`echo` output",
            Place::Printf => "`printf` output",
        }
    }
}

/// A value given to a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    /// The value, quotes removed; the decoded text when `decoded`.
    pub value: String,
    /// The value's bytes in the Dockerfile (the encoded text when decoded).
    pub span: Span,
    /// Whether `span` holds `value` byte for byte, so that a match inside
    /// the value can be placed on its own bytes.
    pub exact: bool,
    pub place: Place,
    /// The value is the base64 decoding of what is written.
    pub decoded: bool,
}

/// Commands that set shell variables from their `NAME=value` arguments.
const EXPORTERS: &[&str] = &["export", "declare", "typeset", "readonly", "local"];

/// Container tools whose `-e NAME=value` sets a container's environment.
const CONTAINER_TOOLS: &[&str] = &[
    "docker",
    "podman",
    "nerdctl",
    "finch",
    "docker-compose",
    "kubectl",
    "buildah",
];

/// Options, of any command, whose value is `NAME=value`.
const ASSIGNING_OPTIONS: &[&str] = &[
    "--env",
    "--build-arg",
    "--from-literal",
    "--set",
    "--set-string",
    "--build-env",
    "--set-env-vars",
];

/// The assignments a shell command makes or passes on.
pub fn from_command(cmd: &Command, source: &str) -> Vec<Assignment> {
    let mut out = Vec::new();
    for w in &cmd.assignments {
        push_word(&mut out, w, 0, Place::Shell, source);
    }
    let name = cmd.name();
    if EXPORTERS.contains(&name) {
        for w in cmd.args.iter().filter(|a| !a.text.starts_with('-')) {
            push_word(&mut out, w, 0, Place::Export, source);
        }
        return out;
    }
    let container = CONTAINER_TOOLS.contains(&name);
    let mut args = cmd.args.iter().peekable();
    while let Some(a) = args.next() {
        let t = a.text.as_str();
        if t == "--" {
            break;
        }
        if ASSIGNING_OPTIONS.contains(&t) || (container && t == "-e") {
            if let Some(v) = args.next_if(|v| !v.text.starts_with('-')) {
                push_word(&mut out, v, 0, Place::Option, source);
            }
        } else if let Some((flag, _)) = t.split_once('=')
            && ASSIGNING_OPTIONS.contains(&flag)
        {
            push_word(&mut out, a, flag.len() + 1, Place::Option, source);
        } else if let Some(rest) = t.strip_prefix("-D")
            && rest.contains('=')
        {
            push_word(&mut out, a, 2, Place::Option, source);
        }
    }
    if let Some((text, pieces, place)) = printed(cmd, source) {
        out.extend(from_lines(&text, &pieces, place, true));
    }
    out
}

/// The assignments in the lines of a heredoc body that starts at `base`.
pub fn from_heredoc(content: &str, base: u32) -> Vec<Assignment> {
    let whole = Span::new(base, base + content.len() as u32);
    let pieces = Pieces {
        pieces: vec![(0, whole, true)],
        len: content.len(),
    };
    from_lines(content, &pieces, Place::Heredoc, false)
}

/// The assignments in the lines of `text`, placed through `pieces`.
fn from_lines(text: &str, pieces: &Pieces, place: Place, escaped: bool) -> Vec<Assignment> {
    from_file_text(text, escaped)
        .into_iter()
        .filter_map(|line| {
            let (span, exact) = pieces.map(line.value.clone())?;
            let decoded = line.decoded.is_some();
            Some(Assignment {
                name: line.name,
                value: line.decoded.unwrap_or_else(|| text[line.value].to_owned()),
                span,
                exact: exact && !decoded,
                place,
                decoded,
            })
        })
        .collect()
}

/// A `NAME=value` word that stands alone (`TOKEN=abc; curl ...`).
pub fn from_word(w: &ShellWord, source: &str) -> Option<Assignment> {
    let mut out = Vec::new();
    push_word(&mut out, w, 0, Place::Shell, source);
    out.pop()
}

/// `NAME=value` in `w.text` from byte `skip` on.
fn push_word(out: &mut Vec<Assignment>, w: &ShellWord, skip: usize, place: Place, source: &str) {
    let Some(rest) = w.text.get(skip..) else {
        return;
    };
    let Some((name, value)) = rest.split_once('=') else {
        return;
    };
    let valid = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'));
    if !valid || value.is_empty() {
        return;
    }
    let start = skip + name.len() + 1;
    let (span, exact) = word_span(source, w, start..w.text.len());
    out.push(Assignment {
        name: name.to_owned(),
        value: value.to_owned(),
        span,
        exact,
        place,
        decoded: false,
    });
}

/// The source bytes of `range` of a word's text: exact when the word is
/// written as its text, or quoted as a whole, or ends with the range's text
/// (`NAME="value"`); the whole word otherwise.
fn word_span(source: &str, w: &ShellWord, range: Range<usize>) -> (Span, bool) {
    let Some(written) = source.get(w.span.start as usize..w.span.end as usize) else {
        return (w.span, false);
    };
    let at = |offset: usize| {
        let start = w.span.start + offset as u32;
        (Span::new(start, start + range.len() as u32), true)
    };
    if written == w.text {
        return at(range.start);
    }
    if unquote(written) == Some(w.text.as_str()) {
        return at(range.start + 1);
    }
    let part = &w.text[range.clone()];
    if range.end == w.text.len() && !part.is_empty() {
        if written.ends_with(part) {
            return at(written.len() - part.len());
        }
        let inner = &written[..written.len().saturating_sub(1)];
        if written.ends_with(['"', '\'']) && inner.ends_with(part) {
            return at(inner.len() - part.len());
        }
    }
    (w.span, false)
}

fn unquote(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    (b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0])
        .then(|| &s[1..s.len() - 1])
}

/// Pieces of printed text and the source bytes each comes from.
struct Pieces {
    /// `(offset in the text, source span, whether the piece's text is its
    /// span's bytes from `span.start` on)`, by offset.
    pieces: Vec<(usize, Span, bool)>,
    len: usize,
}

impl Pieces {
    /// The source bytes of `range` of the text, and whether they are exact.
    fn map(&self, range: Range<usize>) -> Option<(Span, bool)> {
        let at = |offset: usize| {
            let i = self.pieces.partition_point(|p| p.0 <= offset);
            i.checked_sub(1)
        };
        let first = at(range.start)?;
        let last = at(range.end.saturating_sub(1).max(range.start))?;
        let (off, span, exact) = self.pieces[first];
        let piece_end = self.pieces.get(first + 1).map_or(self.len, |p| p.0);
        if first == last && exact && range.end <= piece_end {
            let start = span.start + (range.start - off) as u32;
            return Some((Span::new(start, start + range.len() as u32), true));
        }
        Some((span.cover(self.pieces[last].1), false))
    }
}

/// What `echo` or `printf` prints, with where each piece comes from.
fn printed(cmd: &Command, source: &str) -> Option<(String, Pieces, Place)> {
    let place = if cmd.name() == "printf" {
        Place::Printf
    } else {
        Place::Echo
    };
    if let Some(out) = cmd.printf_output() {
        let mut pieces = Vec::with_capacity(out.pieces.len());
        for (i, &(off, span)) in out.pieces.iter().enumerate() {
            let end = out
                .pieces
                .get(i + 1)
                .map_or(out.text.len(), |p| p.0 as usize);
            let text = out.text.get(off as usize..end).unwrap_or_default();
            let written = source.get(span.start as usize..span.end as usize);
            let (start, exact) = match written {
                Some(w) if w == text => (span.start, true),
                Some(w) if unquote(w) == Some(text) => (span.start + 1, true),
                _ => (span.start, false),
            };
            let span = if exact {
                Span::new(start, start + text.len() as u32)
            } else {
                span
            };
            pieces.push((off as usize, span, exact));
        }
        let len = out.text.len();
        return Some((out.text, Pieces { pieces, len }, place));
    }
    let words = cmd.printed_words()?;
    let mut text = String::new();
    let mut pieces = Vec::with_capacity(words.len());
    for w in words {
        if !text.is_empty() {
            text.push(' ');
        }
        let (span, exact) = word_span(source, w, 0..w.text.len());
        pieces.push((text.len(), span, exact));
        text.push_str(&w.text);
    }
    let len = text.len();
    Some((text, Pieces { pieces, len }, place))
}

/// An assignment in a file's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub name: String,
    /// The value's bytes in the text.
    pub value: Range<usize>,
    /// The decoded value, for base64 values that are decoded.
    pub decoded: Option<String>,
}

/// Assignments in the lines of a file. With `escaped_newlines`, a `\n`
/// written as two characters also ends a line (`echo -e`, `printf`).
pub fn from_file_text(text: &str, escaped_newlines: bool) -> Vec<Line> {
    let mut out = Vec::new();
    let secret_manifest = is_k8s_secret(text);
    // Indentation of the `data:` key whose entries are being read.
    let mut data_indent: Option<usize> = None;
    for (start, line) in lines(text, escaped_newlines) {
        let body = line.trim_start();
        let indent = line.len() - body.len();
        let body = body.trim_end();
        if body.is_empty() {
            continue;
        }
        if let Some(d) = data_indent
            && indent <= d
        {
            data_indent = None;
        }
        if secret_manifest && (body == "data:" || body == "binaryData:") {
            data_indent = Some(indent);
            continue;
        }
        let slashes = body
            .strip_prefix("//")
            .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '/']));
        if body.starts_with(['#', ';']) || slashes || body.starts_with("<!--") {
            continue;
        }
        let base = start + indent;
        let before = out.len();
        line_assignments(body, base, &mut out);
        for a in &mut out[before..] {
            let value = &text[a.value.clone()];
            let decode = data_indent.is_some()
                || a.name.ends_with("-data")
                || a.name.eq_ignore_ascii_case("auth");
            if !decode {
                continue;
            }
            let Some(decoded) = decode_base64(value) else {
                continue;
            };
            // Docker's `auth` is `user:password`.
            if a.name.eq_ignore_ascii_case("auth") {
                match decoded.split_once(':') {
                    Some((_, password)) if !password.is_empty() => {
                        a.name = format!("{}.password", a.name);
                        a.decoded = Some(password.to_owned());
                    }
                    _ => continue,
                }
            } else {
                a.decoded = Some(decoded);
            }
        }
    }
    out
}

/// Lines of `text` with their offsets.
fn lines(text: &str, escaped_newlines: bool) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at > text.len() {
            return None;
        }
        let rest = &text[at..];
        let nl = memchr::memchr(b'\n', rest.as_bytes());
        let esc = if escaped_newlines {
            memchr::memmem::find(rest.as_bytes(), b"\\n")
        } else {
            None
        };
        let (end, skip) = match (nl, esc) {
            (Some(n), Some(e)) if e < n => (e, 2),
            (Some(n), _) => (n, 1),
            (None, Some(e)) => (e, 2),
            (None, None) => (rest.len(), 1),
        };
        let line = (at, &rest[..end]);
        at += end + skip;
        Some(line)
    })
}

/// Whether a YAML text is a Kubernetes `Secret` manifest.
fn is_k8s_secret(text: &str) -> bool {
    text.contains("Secret")
        && text.lines().any(|l| {
            l.strip_prefix("kind:")
                .is_some_and(|k| k.trim().trim_matches(['"', '\'']) == "Secret")
        })
}

/// Names in files: letters, digits, `_`, `.`, `-`, and `/` and `:` for
/// `.npmrc`'s `//registry/:_authToken`.
fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-' | b'/' | b':' | b'@')
}

/// The assignments of one line (`body` trimmed, starting at `base`).
fn line_assignments(body: &str, base: usize, out: &mut Vec<Line>) {
    let push = |out: &mut Vec<Line>, name: &str, value: Range<usize>| {
        if !value.is_empty() {
            out.push(Line {
                name: name.to_owned(),
                value: base + value.start..base + value.end,
                decoded: None,
            });
        }
    };
    // JSON `"key": "value"`, any number on a line.
    if body.contains("\":") || body.contains("\" :") {
        let before = out.len();
        let mut rest = 0;
        while let Some(q) = body[rest..].find('"') {
            let key_start = rest + q + 1;
            let Some(key_len) = body[key_start..].find('"') else {
                break;
            };
            let key = &body[key_start..key_start + key_len];
            let after = &body[key_start + key_len + 1..];
            let colon = after.len() - after.trim_start().len();
            rest = key_start + key_len + 1;
            let Some(value) = after[colon..].strip_prefix(':') else {
                continue;
            };
            let lead = value.len() - value.trim_start().len();
            let Some(v) = value[lead..].strip_prefix('"') else {
                continue;
            };
            let v_start = rest + colon + 1 + lead + 1;
            let Some(v_len) = json_string_len(v) else {
                break;
            };
            if !key.is_empty() && key.bytes().all(is_name_byte) {
                push(out, key, v_start..v_start + v_len);
            }
            rest = v_start + v_len + 1;
        }
        if out.len() > before {
            return;
        }
    }
    // XML `<key>value</key>`.
    if body.starts_with('<') {
        let mut rest = 0;
        while let Some(open) = body[rest..].find('<') {
            let tag_start = rest + open + 1;
            let Some(close) = body[tag_start..].find('>') else {
                break;
            };
            let tag = &body[tag_start..tag_start + close];
            let v_start = tag_start + close + 1;
            rest = v_start;
            if tag.is_empty() || tag.starts_with('/') || !tag.bytes().all(is_name_byte) {
                continue;
            }
            let Some(v_len) = body[v_start..].find('<') else {
                break;
            };
            if body[v_start + v_len..].starts_with(&format!("</{tag}>")) {
                let v = &body[v_start..v_start + v_len];
                let lead = v.len() - v.trim_start().len();
                let trimmed = v.trim();
                push(out, tag, v_start + lead..v_start + lead + trimmed.len());
            }
            rest = v_start + v_len;
        }
        return;
    }
    // `.netrc`: `machine HOST login USER password SECRET`.
    let mut words = body.split_ascii_whitespace();
    if let Some(first) = words.next()
        && matches!(first, "machine" | "default" | "login" | "password")
    {
        let mut offset = 0;
        let mut prev = "";
        for w in body.split_ascii_whitespace() {
            let at = offset + body[offset..].find(w).unwrap_or(0);
            offset = at + w.len();
            if prev == "password" || prev == "passwd" {
                if w.starts_with(['=', ':']) {
                    break;
                }
                push(out, "password", at..at + w.len());
                return;
            }
            prev = w;
        }
        if first != "password" {
            return;
        }
    }
    // `KEY=value`, `export KEY=value`, `key = value`, `key: value`.
    let (body_start, stripped) = match body.strip_prefix("export ") {
        Some(rest) => {
            let s = rest.trim_start();
            (body.len() - s.len(), s)
        }
        None => (0, body.strip_prefix("- ").unwrap_or(body)),
    };
    let body_start = body_start + (body.len() - body_start - stripped.len());
    let (key, key_end) = match stripped.as_bytes().first() {
        Some(&q @ (b'"' | b'\'')) => {
            let Some(end) = stripped[1..].find(q as char) else {
                return;
            };
            (&stripped[1..1 + end], end + 2)
        }
        _ => {
            let end = stripped
                .bytes()
                .position(|c| !is_name_byte(c) || c == b':' && !stripped.starts_with("//"))
                .unwrap_or(stripped.len());
            // `//registry/:_authToken=...`: the key runs to the `=`.
            let end = if stripped.starts_with("//") {
                stripped.find('=').unwrap_or(end)
            } else {
                end
            };
            (&stripped[..end], end)
        }
    };
    if key.is_empty() || key.starts_with(|c: char| c.is_ascii_digit()) {
        return;
    }
    let after = &stripped[key_end..];
    let gap = after.len() - after.trim_start().len();
    let Some(sep) = after[gap..].chars().next() else {
        return;
    };
    if sep != '=' && sep != ':' {
        return;
    }
    let value_part = &after[gap + 1..];
    if sep == ':' && !value_part.starts_with([' ', '\t']) {
        return;
    }
    let lead = value_part.len() - value_part.trim_start().len();
    let value = &value_part[lead..];
    let offset = body_start + key_end + gap + 1 + lead;
    let spaced = gap > 0 || lead > 0 || sep == ':';
    // Python's `u''`, `r"..."`: a string prefix before the quote.
    let prefix = value
        .bytes()
        .take(3)
        .position(|c| c == b'"' || c == b'\'')
        .filter(|&n| n > 0 && value[..n].bytes().all(|c| b"uUrRbBfF".contains(&c)))
        .unwrap_or(0);
    let (value, offset) = (&value[prefix..], offset + prefix);
    let range = match value.as_bytes().first() {
        Some(&q @ (b'"' | b'\'')) => match value[1..].find(q as char) {
            Some(end) => offset + 1..offset + 1 + end,
            None => return,
        },
        Some(_) if spaced => {
            // YAML and INI values run to the end of the line or a comment.
            let end = value.find(" #").unwrap_or(value.len());
            let v = value[..end].trim_end();
            if v == "|" || v == ">" || v.starts_with(['|', '>', '&', '*', '!', '{', '[']) {
                return;
            }
            offset..offset + v.len()
        }
        Some(_) => {
            // `.env` values end at white space, and the rest of the line is
            // a comment or nothing.
            let end = value.find([' ', '\t']).unwrap_or(value.len());
            if !value[end..].trim_start().is_empty() && !value[end..].trim_start().starts_with('#')
            {
                return;
            }
            offset..offset + end
        }
        None => return,
    };
    push(out, key, range);
}

/// The length of a JSON string's body (after its opening quote).
fn json_string_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A base64 value decoded, when it is printable UTF-8 text.
fn decode_base64(value: &str) -> Option<String> {
    if value.len() < 8 || value.len() > 64 * 1024 {
        return None;
    }
    let bytes = LENIENT.decode(value.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.chars()
        .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::{Origin, split};

    fn names(text: &str) -> Vec<(String, String)> {
        from_file_text(text, false)
            .into_iter()
            .map(|l| {
                let v = l.decoded.unwrap_or_else(|| text[l.value].to_owned());
                (l.name, v)
            })
            .collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn file_lines() {
        let text = "APP_ENV=production\nexport DB_PASSWORD='s3cr3t'\n# TOKEN=commented\n\
                    api_key: \"abc123\"\npassword = pypi-AgEI\n  \"clientSecret\": \"x-y\", \"n\": 1\n\
                    <password>hunter2</password>\nmachine h login u password p4ss\n\
                    //registry.npmjs.org/:_authToken=npm_abc\nFOO=bar baz\n";
        assert_eq!(
            names(text),
            pairs(&[
                ("APP_ENV", "production"),
                ("DB_PASSWORD", "s3cr3t"),
                ("api_key", "abc123"),
                ("password", "pypi-AgEI"),
                ("clientSecret", "x-y"),
                ("password", "hunter2"),
                ("password", "p4ss"),
                ("//registry.npmjs.org/:_authToken", "npm_abc"),
            ])
        );
    }

    #[test]
    fn yaml_block_and_references_are_values_as_written() {
        assert_eq!(
            names("key: |\n  line\nurl: https://x.example/a # c\nref: ${TOKEN}\n"),
            pairs(&[("url", "https://x.example/a"), ("ref", "${TOKEN}")])
        );
        // Python string prefixes: the value is what the quotes hold.
        assert_eq!(
            names("c.NotebookApp.token = u''\nc.App.password = r'p4ss'\n"),
            pairs(&[("c.App.password", "p4ss")])
        );
    }

    #[test]
    fn k8s_secret_data_is_decoded() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  \
                    db-password: aHVudGVyMg==\n  bin: //79/Q==\ntype: Opaque\n";
        assert_eq!(names(text), {
            let mut v = pairs(&[("apiVersion", "v1"), ("kind", "Secret"), ("name", "app")]);
            v.push(("db-password".into(), "hunter2".into()));
            v.push(("bin".into(), "//79/Q==".into()));
            v.push(("type".into(), "Opaque".into()));
            v
        });
        // Not a Secret: `data:` values are read as written.
        assert_eq!(
            names("kind: ConfigMap\ndata:\n  k: aHVudGVyMg==\n"),
            pairs(&[("kind", "ConfigMap"), ("k", "aHVudGVyMg==")])
        );
    }

    #[test]
    fn docker_auth_and_kubeconfig_data_are_decoded() {
        // base64("ci:Zq8Xr2Lp9Wm4")
        let text = "{\"auths\": {\"r.example\": {\"auth\": \"Y2k6WnE4WHIyTHA5V200\"}}}";
        assert_eq!(names(text), pairs(&[("auth.password", "Zq8Xr2Lp9Wm4")]));
        let text = "    client-key-data: LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t\n";
        assert_eq!(
            names(text),
            pairs(&[("client-key-data", "-----BEGIN EC PRIVATE KEY-----")])
        );
    }

    fn shell(text: &str) -> Vec<(String, String, Place, &str)> {
        let script = split(text, Origin::Source { base: 0 });
        let mut out: Vec<Assignment> = script
            .commands
            .iter()
            .flat_map(|c| from_command(c, text))
            .collect();
        out.extend(script.assignments.iter().filter_map(|w| from_word(w, text)));
        out.into_iter()
            .map(|a| {
                let at = if a.exact {
                    &text[a.span.start as usize..a.span.end as usize]
                } else {
                    "?"
                };
                (a.name, a.value, a.place, at)
            })
            .collect()
    }

    #[test]
    fn shell_assignments_are_placed_on_their_values() {
        let got = shell(
            "export DB_PASSWORD=\"s3cr3t\" && PGPASSWORD=pw psql && env TOKEN='t0k' ./run \
             && docker run -e API_KEY=k1 --env=SECRET=k2 img && TOKEN=k3; \
             java -Ddb.password=k4 -jar app.jar; sed -e 's/a=b/' f",
        );
        let want = vec![
            ("DB_PASSWORD", "s3cr3t", Place::Export, "s3cr3t"),
            ("PGPASSWORD", "pw", Place::Shell, "pw"),
            ("TOKEN", "t0k", Place::Shell, "t0k"),
            ("API_KEY", "k1", Place::Option, "k1"),
            ("SECRET", "k2", Place::Option, "k2"),
            ("db.password", "k4", Place::Option, "k4"),
            ("TOKEN", "k3", Place::Shell, "k3"),
        ];
        let want: Vec<_> = want
            .into_iter()
            .map(|(a, b, p, s)| (a.to_owned(), b.to_owned(), p, s))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn printed_lines_are_read() {
        let got = shell(
            "echo \"API_TOKEN=abc\" >> .env && printf 'user: ci\\npassword: %s\\n' \"x9\" > c.yaml \
             && echo -e 'a: 1\\nsecret: s2' > f",
        );
        let got: Vec<_> = got
            .iter()
            .map(|(n, v, p, s)| (n.as_str(), v.as_str(), *p, *s))
            .collect();
        assert_eq!(
            got,
            vec![
                ("API_TOKEN", "abc", Place::Echo, "abc"),
                ("user", "ci", Place::Printf, "?"),
                ("password", "x9", Place::Printf, "x9"),
                ("a", "1", Place::Echo, "1"),
                ("secret", "s2", Place::Echo, "s2"),
            ]
        );
    }
}
