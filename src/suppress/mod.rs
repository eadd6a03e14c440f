//! Inline suppressions: comments that silence findings, read from the
//! Dockerfile itself.
//!
//! | written | scope |
//! |---|---|
//! | `# shipshape: ignore=ID[,ID] -- reason` | the next instruction |
//! | `# shipshape: ignore-file=ID[,ID] -- reason` | the whole file |
//! | `# hadolint ignore=DL3008,SC2086` | the next instruction, through the rules' `hadolint` aliases |
//! | `# hadolint global ignore=DL3008` | the whole file |
//! | `# check=skip=Name1,Name2` (parser directive) | the whole file, through the rules' `buildkit` aliases |
//!
//! Every code is checked: one that names no rule, and one that suppresses
//! nothing, is reported in turn (rules `IGN002` and `IGN001`). Foreign
//! codes that no shipshape rule maps (a hadolint or BuildKit check shipshape
//! doesn't have) are accepted and do nothing, so files shared with those
//! tools stay clean.

use crate::syntax::{DirectiveKind, Dockerfile, Span};

/// Where a suppression comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `# shipshape: ...`
    Own,
    /// `# hadolint ...`
    Hadolint,
    /// `# check=skip=...`
    BuildKit,
}

/// What a suppression covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The instruction after the comment (`None`: there is none).
    Next(Option<Span>),
    File,
}

/// One code in a suppression, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Code {
    pub text: String,
    pub span: Span,
}

/// One suppression comment (or `check=skip` directive).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub origin: Origin,
    pub scope: Scope,
    /// The whole comment (or directive).
    pub span: Span,
    /// What to delete to drop the suppression from a line that holds
    /// more: a `check=` directive's `skip=...` clause. For a comment, the
    /// same as `span`.
    pub clause: Span,
    pub codes: Vec<Code>,
}

impl Suppression {
    /// How the suppression is written, for messages.
    pub fn describe(&self) -> &'static str {
        match (self.origin, self.scope) {
            (Origin::Own, Scope::Next(_)) => "`# shipshape: ignore=`",
            (Origin::Own, Scope::File) => "`# shipshape: ignore-file=`",
            (Origin::Hadolint, Scope::Next(_)) => "`# hadolint ignore=`",
            (Origin::Hadolint, Scope::File) => "`# hadolint global ignore=`",
            (Origin::BuildKit, _) => "`# check=skip=`",
        }
    }

    /// Whether a finding starting at `at` is in scope.
    pub fn covers(&self, at: u32) -> bool {
        match self.scope {
            Scope::File => true,
            Scope::Next(Some(span)) => span.start <= at && at < span.end.max(span.start + 1),
            Scope::Next(None) => false,
        }
    }
}

/// A comment that starts like a suppression but can't be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed {
    pub span: Span,
    pub message: String,
}

/// Every suppression in a file, and the comments that looked like one but
/// could not be read.
pub fn collect(file: &Dockerfile<'_>) -> (Vec<Suppression>, Vec<Malformed>) {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for d in &file.directives {
        if d.kind == DirectiveKind::Check {
            let value = file.source.get(d.value.span.range()).unwrap_or_default();
            check_directive(value, d.value.span, d.span, &mut out);
        }
    }
    let mut next = file.instructions.iter().peekable();
    for c in file.comments.iter().filter(|c| !c.in_continuation) {
        while next.peek().is_some_and(|i| i.span.start < c.span.end) {
            next.next();
        }
        let following = next.peek().map(|i| i.span);
        match comment(c.text, c.span, following) {
            Some(Ok(s)) => out.push(s),
            Some(Err(m)) => bad.push(m),
            None => {}
        }
    }
    (out, bad)
}

/// Reads one comment (`text` starts with `#`).
fn comment(
    text: &str,
    span: Span,
    following: Option<Span>,
) -> Option<Result<Suppression, Malformed>> {
    let body = text.strip_prefix('#')?;
    let lead = body.len() - body.trim_start().len();
    let body = body.trim_start();
    let at = span.start + 1 + lead as u32;
    let word_end = body
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_')
        .unwrap_or(body.len());
    let word = &body[..word_end];
    let after = &body[word_end..];
    let malformed = |message: String| Some(Err(Malformed { span, message }));
    if word.eq_ignore_ascii_case("shipshape") && after.starts_with(':') {
        let rest = &after[1..];
        let rest_at = at + word_end as u32 + 1;
        let trimmed = rest.trim_start();
        let rest_at = rest_at + (rest.len() - trimmed.len()) as u32;
        let (scope, key_len) = if let Some(r) = strip_key(trimmed, "ignore-file") {
            (Scope::File, trimmed.len() - r.len())
        } else if let Some(r) = strip_key(trimmed, "ignore") {
            (Scope::Next(following), trimmed.len() - r.len())
        } else {
            return malformed(format!(
                "`# shipshape:` must be followed by `ignore=IDS` or `ignore-file=IDS`, not `{}`",
                first_word(trimmed)
            ));
        };
        // The codes end at ` -- reason`.
        let list = &trimmed[key_len..];
        let list = list.split(" --").next().unwrap_or(list);
        let codes = codes(list, rest_at + key_len as u32, |c| {
            c.is_ascii_alphanumeric() || c == '-' || c == '_'
        });
        return match codes {
            Ok(codes) if !codes.is_empty() => Some(Ok(Suppression {
                origin: Origin::Own,
                scope,
                span,
                clause: span,
                codes,
            })),
            Ok(_) => malformed("the suppression names no rule".to_owned()),
            Err(m) => malformed(m),
        };
    }
    if word.eq_ignore_ascii_case("hadolint") {
        let rest = after.trim_start();
        let rest_at = at + (body.len() - rest.len()) as u32;
        let (scope, tail) = match rest.strip_prefix("global") {
            Some(t) if t.starts_with(char::is_whitespace) => (Scope::File, t.trim_start()),
            _ => (Scope::Next(following), rest),
        };
        let tail_at = rest_at + (rest.len() - tail.len()) as u32;
        let Some(list) = strip_key(tail, "ignore") else {
            // `# hadolint shell=...` and other pragmas are not suppressions.
            return None;
        };
        let list_at = tail_at + (tail.len() - list.len()) as u32;
        // A trailing `# reason` is allowed.
        let list = list.split('#').next().unwrap_or(list);
        return match codes(list, list_at, |c| c.is_ascii_alphanumeric()) {
            Ok(codes) if !codes.is_empty() => Some(Ok(Suppression {
                origin: Origin::Hadolint,
                scope,
                span,
                clause: span,
                codes,
            })),
            Ok(_) => malformed("the suppression names no rule".to_owned()),
            Err(m) => malformed(m),
        };
    }
    None
}

/// `key` then `=` (blanks around it allowed): the text after the `=`.
fn strip_key<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    let rest = text
        .get(..key.len())
        .filter(|k| k.eq_ignore_ascii_case(key))?;
    let rest = &text[rest.len()..];
    rest.trim_start().strip_prefix('=')
}

fn first_word(text: &str) -> &str {
    text.split(|c: char| c.is_whitespace() || c == '=')
        .next()
        .unwrap_or("")
}

/// A comma-separated list of codes starting at source offset `at`; blanks
/// around commas are allowed.
fn codes(list: &str, at: u32, allowed: impl Fn(char) -> bool) -> Result<Vec<Code>, String> {
    let mut out = Vec::new();
    let mut offset = 0usize;
    let trimmed_end = list.trim_end().len();
    let list = &list[..trimmed_end];
    for part in list.split(',') {
        let lead = part.len() - part.trim_start().len();
        let code = part.trim();
        if code.is_empty() {
            if list.trim().is_empty() {
                return Ok(Vec::new());
            }
            return Err("empty rule code in the list".to_owned());
        }
        if !code.chars().all(&allowed) {
            return Err(format!("`{code}` is not a rule code"));
        }
        let start = at + (offset + lead) as u32;
        out.push(Code {
            text: code.to_owned(),
            span: Span::new(start, start + code.len() as u32),
        });
        offset += part.len() + 1;
    }
    Ok(out)
}

/// `check=skip=A,B;error=true`: the `skip` list.
fn check_directive(value: &str, value_span: Span, span: Span, out: &mut Vec<Suppression>) {
    let mut offset = 0usize;
    for part in value.split(';') {
        let here = offset;
        offset += part.len() + 1;
        let Some((key, list)) = part.split_once('=') else {
            continue;
        };
        if !key.trim().eq_ignore_ascii_case("skip") {
            continue;
        }
        let list_at = value_span.start + (here + key.len() + 1) as u32;
        if let Ok(codes) = codes(list, list_at, |c| c.is_ascii_alphanumeric())
            && !codes.is_empty()
        {
            let start = value_span.start + here as u32;
            out.push(Suppression {
                origin: Origin::BuildKit,
                scope: Scope::File,
                span,
                clause: Span::new(start, start + part.len() as u32),
                codes,
            });
        }
    }
}

/// Whether a foreign code has the shape of that tool's codes: hadolint's
/// `DL1234` and ShellCheck's `SC1234`, BuildKit's `PascalCase` names.
pub fn is_foreign_shape(origin: Origin, code: &str) -> bool {
    match origin {
        Origin::Own => false,
        Origin::Hadolint => {
            // Bytes, not `str` slices: a `.hadolint.yaml` entry can hold any
            // character, and byte 2 need not be a character boundary.
            let b = code.as_bytes();
            b.len() == 6
                && (b[..2].eq_ignore_ascii_case(b"DL") || b[..2].eq_ignore_ascii_case(b"SC"))
                && b[2..].iter().all(u8::is_ascii_digit)
        }
        Origin::BuildKit => {
            code == "all"
                || (code.starts_with(|c: char| c.is_ascii_uppercase())
                    && code.chars().all(|c| c.is_ascii_alphanumeric()))
        }
    }
}

/// The tool a code that no shipshape rule has belongs to, judged by its
/// shape: hadolint (`DL3008`), ShellCheck (`SC2086`), Trivy (`DS002`,
/// `DS-0002`, `AVD-DS-0002`), Checkov (`CKV_DOCKER_2`, `CKV2_DOCKER_1`,
/// `CKV_SECRET_6`) and BuildKit (`PascalCase` check names). shipshape's
/// own ids are upper case and digits, its names and categories lower case,
/// so none of them has one of these shapes.
pub fn foreign_tool(code: &str) -> Option<&'static str> {
    let code = code.trim();
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let upper = code.to_ascii_uppercase();
    if let Some(rest) = upper.strip_prefix("DL")
        && digits(rest, 4, 4)
    {
        return Some("hadolint");
    }
    if let Some(rest) = upper.strip_prefix("SC")
        && digits(rest, 4, 4)
    {
        return Some("ShellCheck");
    }
    let trivy = upper.strip_prefix("AVD-").unwrap_or(&upper);
    if let Some(rest) = trivy.strip_prefix("DS")
        && digits(rest.strip_prefix('-').unwrap_or(rest), 3, 4)
    {
        return Some("Trivy");
    }
    // Checkov's ids name their framework: `CKV_DOCKER_2`, `CKV2_DOCKER_1`,
    // and `CKV_SECRET_6` from the secrets scan it also runs on Dockerfiles.
    if let Some((framework, number)) = upper
        .strip_prefix("CKV_")
        .or_else(|| upper.strip_prefix("CKV2_"))
        .and_then(|rest| rest.rsplit_once('_'))
        && framework.starts_with(|c: char| c.is_ascii_uppercase())
        && framework.bytes().all(|b| b.is_ascii_alphanumeric())
        && digits(number, 1, 4)
    {
        return Some("Checkov");
    }
    let pascal = code.starts_with(|c: char| c.is_ascii_uppercase())
        && code.bytes().any(|b| b.is_ascii_lowercase())
        && code.bytes().all(|b| b.is_ascii_alphanumeric());
    pascal.then_some("BuildKit")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn foreign_tools() {
        for (code, tool) in [
            ("DL3008", Some("hadolint")),
            ("dl3008", Some("hadolint")),
            ("SC2086", Some("ShellCheck")),
            ("DS002", Some("Trivy")),
            ("DS-0002", Some("Trivy")),
            ("AVD-DS-0026", Some("Trivy")),
            ("CKV_DOCKER_2", Some("Checkov")),
            ("CKV2_DOCKER_17", Some("Checkov")),
            ("ckv_secret_6", Some("Checkov")),
            ("CKV_SECRET_380", Some("Checkov")),
            ("CKV_DOCKER_", None),
            ("CKV__1", None),
            ("CKV_DOCKER_12345", None),
            ("StageNameCasing", Some("BuildKit")),
            ("SEC999", None),
            ("sudo-in-run", None),
            ("security", None),
            ("DL30", None),
            ("D\u{e9}123", None),
        ] {
            assert_eq!(foreign_tool(code), tool, "{code}");
        }
    }

    fn read(src: &str) -> (Vec<Suppression>, Vec<Malformed>) {
        let file = parse(src);
        collect(&file)
    }

    fn codes_of(s: &Suppression, src: &str) -> Vec<String> {
        s.codes
            .iter()
            .map(|c| {
                assert_eq!(&src[c.span.range()], c.text, "code span");
                c.text.clone()
            })
            .collect()
    }

    #[test]
    fn own_next_instruction() {
        let src = "FROM a\n# shipshape: ignore=SEC001, sudo-in-run -- we need it\n\n# other\nRUN sudo x\nRUN y\n";
        let (s, bad) = read(src);
        assert!(bad.is_empty());
        assert_eq!(s.len(), 1);
        assert_eq!(codes_of(&s[0], src), ["SEC001", "sudo-in-run"]);
        let run = src.find("RUN sudo").unwrap() as u32;
        assert_eq!(s[0].scope, Scope::Next(Some(Span::new(run, run + 10))));
        assert!(s[0].covers(run + 4));
        assert!(!s[0].covers(run + 12));
    }

    #[test]
    fn own_file_and_malformed() {
        let src = "# shipshape: ignore-file=SEC\n# shipshape: ignroe=SEC001\n# shipshape: ignore=\nFROM a\n";
        let (s, bad) = read(src);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].scope, Scope::File);
        assert_eq!(bad.len(), 2);
        assert!(bad[0].message.contains("ignroe"), "{}", bad[0].message);
        assert!(bad[1].message.contains("names no rule"));
    }

    #[test]
    fn hadolint_pragmas() {
        let src = "FROM a\n# hadolint ignore=DL3008 , SC2086 # reason\nRUN x\n# hadolint global ignore=DL3002\n# hadolint shell=powershell\n";
        let (s, bad) = read(src);
        assert!(bad.is_empty());
        assert_eq!(s.len(), 2);
        assert_eq!(codes_of(&s[0], src), ["DL3008", "SC2086"]);
        assert!(matches!(s[0].scope, Scope::Next(Some(_))));
        assert_eq!(s[1].scope, Scope::File);
        assert_eq!(codes_of(&s[1], src), ["DL3002"]);
    }

    #[test]
    fn check_skip_directive() {
        let src = "# check=skip=SecretsUsedInArgOrEnv,JSONArgsRecommended;error=true\nFROM a\n";
        let (s, _) = read(src);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].origin, Origin::BuildKit);
        assert_eq!(
            codes_of(&s[0], src),
            ["SecretsUsedInArgOrEnv", "JSONArgsRecommended"]
        );
    }

    #[test]
    fn pragma_at_end_covers_nothing() {
        let (s, _) = read("FROM a\n# shipshape: ignore=SEC001\n");
        assert_eq!(s[0].scope, Scope::Next(None));
        assert!(!s[0].covers(0));
    }

    #[test]
    fn foreign_shapes() {
        assert!(is_foreign_shape(Origin::Hadolint, "DL3008"));
        assert!(is_foreign_shape(Origin::Hadolint, "sc2086"));
        assert!(!is_foreign_shape(Origin::Hadolint, "SEC001"));
        assert!(is_foreign_shape(Origin::BuildKit, "StageNameCasing"));
        assert!(!is_foreign_shape(Origin::BuildKit, "stage-name"));
        // Settings entries are any text: six bytes, not six characters.
        assert!(!is_foreign_shape(Origin::Hadolint, "a\u{e9}123"));
        assert!(!is_foreign_shape(Origin::Hadolint, "DL\u{e9}12"));
        assert!(!is_foreign_shape(Origin::Hadolint, "\u{e9}1234"));
        assert!(!is_foreign_shape(Origin::BuildKit, "\u{c9}tape"));
    }
}
