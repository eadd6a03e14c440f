//! Shell text → words and operators, with byte ranges.
//!
//! Quotes, escapes, `$(...)`, `${...}`, `$((...))` and backticks are
//! understood well enough to find where each word ends and what it says
//! once quotes are removed; nothing is expanded. Heredoc bodies inside the
//! text (`cat <<X` in a script) are skipped as data.

use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpKind {
    And,
    Or,
    /// `;` or a newline.
    Seq,
    /// `;;` (end of a `case` branch).
    CaseSep,
    Pipe,
    Background,
    Open,
    Close,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Token {
    Word(LexWord),
    Op(OpKind, usize, usize),
    /// A redirection and its target word (`> /dev/null`, `2>&1`, `<<EOF`).
    Redirect {
        start: usize,
        end: usize,
        /// For `<<` / `<<-`: the heredoc delimiter, unquoted.
        heredoc: Option<String>,
        /// For `>`, `>>`, `>|`, `&>` and `&>>`: the file written, unquoted.
        writes: Option<String>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LexWord {
    pub start: usize,
    pub end: usize,
    /// The word with quotes removed and escapes applied; substitutions kept
    /// as written.
    pub text: String,
    pub quoted: bool,
    /// Inner ranges of `$(...)` and backtick command substitutions.
    pub substitutions: Vec<(usize, usize)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexError {
    pub message: &'static str,
    pub at: usize,
}

pub(crate) struct Lexer<'t> {
    text: &'t str,
    b: &'t [u8],
    pos: usize,
    /// Heredoc delimiters whose bodies start after the current line.
    pending_heredocs: Vec<(String, bool)>,
    /// Bodies of the heredocs read so far.
    bodies: Vec<HeredocBody>,
    pub error: Option<LexError>,
}

/// A heredoc body inside a script: its delimiter and byte range (without
/// the terminator line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct HeredocBody {
    pub delim: String,
    pub start: usize,
    pub end: usize,
    pub strip_tabs: bool,
}

fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t' || c == b'\r'
}

fn is_op_char(c: u8) -> bool {
    matches!(c, b'|' | b'&' | b';' | b'<' | b'>' | b'(' | b')' | b'\n')
}

/// How deep `$( $( ... ) )` is followed by recursion. Deeper substitutions
/// are skipped to their close without it (see [`Lexer::skip_deep`]), so
/// that what follows them is still read.
pub(crate) const MAX_DEPTH: usize = 200;

impl<'t> Lexer<'t> {
    pub fn new(text: &'t str) -> Self {
        Lexer {
            text,
            b: text.as_bytes(),
            pos: 0,
            pending_heredocs: Vec::new(),
            bodies: Vec::new(),
            error: None,
        }
    }

    fn fail(&mut self, message: &'static str, at: usize) {
        if self.error.is_none() {
            self.error = Some(LexError { message, at });
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn peek_at(&self, k: usize) -> Option<u8> {
        self.b.get(self.pos + k).copied()
    }

    #[cfg(test)]
    pub fn tokens(self) -> (Vec<Token>, Option<LexError>) {
        let (tokens, error, _) = self.tokens_and_bodies();
        (tokens, error)
    }

    /// The tokens, the first error, and the heredoc bodies skipped.
    pub fn tokens_and_bodies(mut self) -> (Vec<Token>, Option<LexError>, Vec<HeredocBody>) {
        let mut out = Vec::new();
        while let Some(t) = self.next_token() {
            out.push(t);
        }
        (out, self.error, self.bodies)
    }

    fn next_token(&mut self) -> Option<Token> {
        loop {
            let c = self.peek()?;
            if is_blank(c) {
                self.pos += 1;
                continue;
            }
            if c == b'\\' && self.peek_at(1) == Some(b'\n') {
                self.pos += 2;
                continue;
            }
            if c == b'#' {
                // A comment runs to the end of the line.
                self.pos = memchr::memchr(b'\n', &self.b[self.pos..])
                    .map_or(self.b.len(), |i| self.pos + i);
                continue;
            }
            break;
        }
        let start = self.pos;
        let c = self.peek()?;
        let two = self.peek_at(1);
        let op = |kind, len| Some((kind, len));
        let found = match (c, two) {
            (b'\n', _) => op(OpKind::Seq, 1),
            (b'&', Some(b'&')) => op(OpKind::And, 2),
            (b'|', Some(b'|')) => op(OpKind::Or, 2),
            (b';', Some(b';')) => op(OpKind::CaseSep, 2),
            (b';', Some(b'&')) => op(OpKind::CaseSep, 2),
            (b';', _) => op(OpKind::Seq, 1),
            (b'|', Some(b'&')) => op(OpKind::Pipe, 2),
            (b'|', _) => op(OpKind::Pipe, 1),
            (b'&', Some(b'>')) => None,
            (b'&', _) => op(OpKind::Background, 1),
            (b'(', _) => op(OpKind::Open, 1),
            (b')', _) => op(OpKind::Close, 1),
            _ => None,
        };
        if let Some((kind, len)) = found {
            self.pos += len;
            if kind == OpKind::Seq && c == b'\n' {
                self.skip_heredoc_bodies();
            }
            return Some(Token::Op(kind, start, start + len));
        }
        if let Some(t) = self.redirect(start) {
            return Some(t);
        }
        Some(Token::Word(self.word(0)))
    }

    /// A redirection at `start` (with an optional fd number before it).
    fn redirect(&mut self, start: usize) -> Option<Token> {
        let mut i = start;
        while self.b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let rest = &self.b[i..];
        let len = [
            &b"<<<"[..],
            b"<<-",
            b"<<",
            b"&>>",
            b"&>",
            b">>",
            b">|",
            b">&",
            b"<&",
            b"<>",
            b">",
            b"<",
        ]
        .iter()
        .find(|p| rest.starts_with(p))
        .map(|p| p.len())?;
        let op = &self.b[i..i + len];
        let is_heredoc = op == b"<<" || op == b"<<-";
        // Standard output (no number, or 1) into a file: `2> log` is not.
        let stdout = i == start || &self.b[start..i] == b"1";
        let is_write = matches!(op, b">" | b">>" | b">|" | b"&>" | b"&>>") && stdout;
        self.pos = i + len;
        while self.peek().is_some_and(is_blank) {
            self.pos += 1;
        }
        let mut heredoc = None;
        let mut writes = None;
        if self.peek().is_some_and(|c| !is_op_char(c)) {
            let target = self.word(0);
            if is_heredoc {
                heredoc = Some(target.text.clone());
                self.pending_heredocs.push((target.text, op == b"<<-"));
            } else if is_write {
                writes = Some(target.text);
            }
        }
        Some(Token::Redirect {
            start,
            end: self.pos,
            heredoc,
            writes,
        })
    }

    /// After a newline: skips the bodies of heredocs opened on that line.
    fn skip_heredoc_bodies(&mut self) {
        let pending = std::mem::take(&mut self.pending_heredocs);
        for (delim, strip_tabs) in pending {
            let start = self.pos;
            loop {
                if self.pos >= self.b.len() {
                    self.bodies.push(HeredocBody {
                        delim,
                        start,
                        end: self.b.len(),
                        strip_tabs,
                    });
                    return;
                }
                let end = memchr::memchr(b'\n', &self.b[self.pos..])
                    .map_or(self.b.len(), |i| self.pos + i);
                let mut line = &self.text[self.pos..end];
                line = line.trim_end_matches('\r');
                if strip_tabs {
                    line = line.trim_start_matches('\t');
                }
                let line_start = self.pos;
                self.pos = (end + 1).min(self.b.len());
                if line == delim {
                    self.bodies.push(HeredocBody {
                        delim,
                        start,
                        end: line_start,
                        strip_tabs,
                    });
                    break;
                }
            }
        }
    }

    /// A word starting at the current position.
    fn word(&mut self, depth: usize) -> LexWord {
        let start = self.pos;
        let mut text = String::new();
        let mut quoted = false;
        let mut substitutions = Vec::new();
        let mut run = self.pos;
        while let Some(c) = self.peek() {
            if is_blank(c) || is_op_char(c) {
                break;
            }
            match c {
                b'\\' => {
                    text.push_str(&self.text[run..self.pos]);
                    let escaped = self.skip_escape();
                    // An escaped newline is a line continuation: nothing.
                    if &self.b[escaped.clone()] != b"\n" {
                        text.push_str(&self.text[escaped]);
                    }
                    run = self.pos;
                }
                b'\'' => {
                    text.push_str(&self.text[run..self.pos]);
                    quoted = true;
                    let open = self.pos;
                    self.pos += 1;
                    match memchr::memchr(b'\'', &self.b[self.pos..]) {
                        Some(k) => {
                            text.push_str(&self.text[self.pos..self.pos + k]);
                            self.pos += k + 1;
                        }
                        None => {
                            self.fail("unterminated single quote", open);
                            text.push_str(&self.text[self.pos..]);
                            self.pos = self.b.len();
                        }
                    }
                    run = self.pos;
                }
                b'"' => {
                    text.push_str(&self.text[run..self.pos]);
                    quoted = true;
                    self.double_quoted(&mut text, &mut substitutions, depth);
                    run = self.pos;
                }
                b'$' if self.peek_at(1) == Some(b'\'') => {
                    text.push_str(&self.text[run..self.pos]);
                    quoted = true;
                    self.ansi_c(&mut text);
                    run = self.pos;
                }
                b'$' if matches!(self.peek_at(1), Some(b'(' | b'{')) => {
                    let s = self.pos;
                    self.substitution(&mut substitutions, depth);
                    // Kept as written.
                    let _ = s;
                }
                b'`' => {
                    self.backtick(&mut substitutions);
                }
                _ => self.pos = self.char_end(self.pos),
            }
        }
        text.push_str(&self.text[run..self.pos]);
        LexWord {
            start,
            end: self.pos,
            text,
            quoted,
            substitutions,
        }
    }

    fn char_end(&self, at: usize) -> usize {
        let c = self.b[at];
        let len = match c {
            0x00..=0x7f => 1,
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
        (at + len).min(self.b.len())
    }

    /// At a backslash: moves past it and the whole character it escapes,
    /// a multi-byte one included, and returns that character's range
    /// (empty at the end of the text). Every escape is skipped this way, so
    /// the position stays on a character boundary and a quote or bracket
    /// right after the escaped character is still seen.
    fn skip_escape(&mut self) -> Range<usize> {
        self.pos += 1;
        let at = self.pos;
        if at < self.b.len() {
            self.pos = self.char_end(at);
        }
        at..self.pos
    }

    /// At `"`: the contents, escapes applied, substitutions kept.
    fn double_quoted(&mut self, text: &mut String, subs: &mut Vec<(usize, usize)>, depth: usize) {
        let open = self.pos;
        self.pos += 1;
        let mut run = self.pos;
        loop {
            let Some(c) = self.peek() else {
                self.fail("unterminated double quote", open);
                text.push_str(&self.text[run..]);
                return;
            };
            match c {
                b'"' => {
                    text.push_str(&self.text[run..self.pos]);
                    self.pos += 1;
                    return;
                }
                b'\\' => match self.peek_at(1) {
                    Some(b'"' | b'\\' | b'$' | b'`') => {
                        text.push_str(&self.text[run..self.pos]);
                        self.pos += 1;
                        run = self.pos;
                        self.pos += 1;
                    }
                    Some(b'\n') => {
                        text.push_str(&self.text[run..self.pos]);
                        self.pos += 2;
                        run = self.pos;
                    }
                    _ => self.pos += 1,
                },
                b'$' if matches!(self.peek_at(1), Some(b'(' | b'{')) => {
                    self.substitution(subs, depth);
                }
                b'`' => self.backtick(subs),
                _ => self.pos = self.char_end(self.pos),
            }
        }
    }

    /// At `$'`: ANSI-C quoting.
    fn ansi_c(&mut self, text: &mut String) {
        let open = self.pos;
        self.pos += 2;
        loop {
            let Some(c) = self.peek() else {
                self.fail("unterminated $'...' quote", open);
                return;
            };
            match c {
                b'\'' => {
                    self.pos += 1;
                    return;
                }
                b'\\' => {
                    let escaped = self.skip_escape();
                    match self.b[escaped].first().copied() {
                        Some(b'n') => text.push('\n'),
                        Some(b't') => text.push('\t'),
                        Some(b'r') => text.push('\r'),
                        Some(e) if e.is_ascii() => text.push(e as char),
                        _ => {}
                    }
                }
                _ => {
                    let end = self.char_end(self.pos);
                    text.push_str(&self.text[self.pos..end]);
                    self.pos = end;
                }
            }
        }
    }

    /// At `$(`, `$((` or `${`: skips to the matching close, recording the
    /// inner range of a command substitution.
    fn substitution(&mut self, subs: &mut Vec<(usize, usize)>, depth: usize) {
        let open = self.pos;
        if depth > MAX_DEPTH {
            self.skip_deep();
            return;
        }
        let brace = self.peek_at(1) == Some(b'{');
        let arith = !brace && self.peek_at(2) == Some(b'(');
        self.pos += 2;
        let inner = self.pos;
        let (close, opener) = if brace { (b'}', b'{') } else { (b')', b'(') };
        let mut level = 1usize;
        while let Some(c) = self.peek() {
            match c {
                b'\\' => {
                    self.skip_escape();
                }
                b'\'' => {
                    self.pos += 1;
                    match memchr::memchr(b'\'', &self.b[self.pos..]) {
                        Some(k) => self.pos += k + 1,
                        None => {
                            self.fail("unterminated single quote", self.pos - 1);
                            self.pos = self.b.len();
                        }
                    }
                }
                // Substitutions nested inside this one (bare, quoted or in
                // backquotes) are found when the inner text is split on its
                // own; recording them here as well would split them again
                // at every level, doubling the work per level.
                b'"' => self.double_quoted(&mut String::new(), &mut Vec::new(), depth + 1),
                b'`' => self.backtick(&mut Vec::new()),
                b'$' if matches!(self.peek_at(1), Some(b'(' | b'{')) => {
                    self.substitution(&mut Vec::new(), depth + 1);
                }
                b'#' if !brace && self.pos > inner && is_blank(self.b[self.pos - 1]) => {
                    // A comment inside $(...): to the end of the line.
                    self.pos = memchr::memchr(b'\n', &self.b[self.pos..])
                        .map_or(self.b.len(), |i| self.pos + i);
                }
                c if c == opener => {
                    level += 1;
                    self.pos += 1;
                }
                c if c == close => {
                    level -= 1;
                    self.pos += 1;
                    if level == 0 {
                        if !brace && !arith {
                            subs.push((inner, self.pos - 1));
                        }
                        return;
                    }
                }
                _ => self.pos = self.char_end(self.pos),
            }
        }
        self.fail(
            if brace {
                "unterminated ${...}"
            } else {
                "unterminated $(...)"
            },
            open,
        );
    }

    /// At `$(` or `${` nested past [`MAX_DEPTH`]: skips to the matching
    /// close with an explicit stack instead of recursion. What it skips is
    /// too deep to be split into commands, and is not recorded.
    fn skip_deep(&mut self) {
        #[derive(Clone, Copy, PartialEq)]
        enum Open {
            Paren,
            Brace,
            Double,
            Backtick,
        }
        let open = self.pos;
        let first = if self.peek_at(1) == Some(b'{') {
            Open::Brace
        } else {
            Open::Paren
        };
        let mut stack = vec![first];
        self.pos += 2;
        while let Some(&top) = stack.last() {
            let Some(c) = self.peek() else {
                self.fail(
                    if first == Open::Brace {
                        "unterminated ${...}"
                    } else {
                        "unterminated $(...)"
                    },
                    open,
                );
                return;
            };
            match c {
                b'\\' => {
                    self.skip_escape();
                    continue;
                }
                b')' if top == Open::Paren => {
                    stack.pop();
                }
                b'}' if top == Open::Brace => {
                    stack.pop();
                }
                b'"' if top == Open::Double => {
                    stack.pop();
                }
                b'`' if top == Open::Backtick => {
                    stack.pop();
                }
                b'$' if matches!(self.peek_at(1), Some(b'(' | b'{')) => {
                    let brace = self.peek_at(1) == Some(b'{');
                    stack.push(if brace { Open::Brace } else { Open::Paren });
                    self.pos += 1;
                }
                b'(' if top == Open::Paren => stack.push(Open::Paren),
                b'"' => stack.push(Open::Double),
                b'`' => stack.push(Open::Backtick),
                b'\'' if top != Open::Double => {
                    match memchr::memchr(b'\'', &self.b[self.pos + 1..]) {
                        Some(k) => self.pos += k + 1,
                        None => {
                            self.fail("unterminated single quote", self.pos);
                            self.pos = self.b.len();
                            return;
                        }
                    }
                }
                _ => {
                    self.pos = self.char_end(self.pos);
                    continue;
                }
            }
            self.pos += 1;
        }
    }

    /// At a backtick: skips to the closing one.
    fn backtick(&mut self, subs: &mut Vec<(usize, usize)>) {
        let open = self.pos;
        self.pos += 1;
        let inner = self.pos;
        while let Some(c) = self.peek() {
            match c {
                b'\\' => {
                    self.skip_escape();
                }
                b'`' => {
                    subs.push((inner, self.pos));
                    self.pos += 1;
                    return;
                }
                _ => self.pos = self.char_end(self.pos),
            }
        }
        self.fail("unterminated backquote", open);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        let (toks, err) = Lexer::new(s).tokens();
        assert_eq!(err, None, "{s}");
        toks.into_iter()
            .map(|t| match t {
                Token::Word(w) => w.text,
                Token::Op(k, _, _) => format!("<{k:?}>"),
                Token::Redirect { heredoc, .. } => format!("<redir {heredoc:?}>"),
            })
            .collect()
    }

    #[test]
    fn words_and_operators() {
        assert_eq!(
            words(
                "apt-get update && apt-get install -y 'a b' \"c\\\"d\"; echo $(date) | tee x 2>&1"
            ),
            [
                "apt-get",
                "update",
                "<And>",
                "apt-get",
                "install",
                "-y",
                "a b",
                "c\"d",
                "<Seq>",
                "echo",
                "$(date)",
                "<Pipe>",
                "tee",
                "x",
                "<redir None>"
            ]
        );
        assert_eq!(words("a#b # comment\nc"), ["a#b", "<Seq>", "c"]);
        assert_eq!(
            words("echo ${A:-x y} $((1 + 2))"),
            ["echo", "${A:-x y}", "$((1 + 2))"]
        );
        assert_eq!(words("x=$'a\\tb'"), ["x=a\tb"]);
        // An escaped multi-byte character is skipped whole.
        assert_eq!(words("x=$'\\é' y"), ["x=", "y"]);
        assert_eq!(words("a\\\n b"), ["a", "b"]);
    }

    #[test]
    fn escaped_multi_byte_characters_are_skipped_whole_in_substitutions() {
        // A backslash escapes one character, not one byte: the closing
        // `)` or backquote after it must still be seen.
        let deep = format!(
            "echo {}\\\u{e9}{}",
            "$(".repeat(MAX_DEPTH + 2),
            ")".repeat(MAX_DEPTH + 2)
        );
        for script in [
            "echo $(printf \\\u{e9})".to_owned(),
            "echo `printf \\\u{20ac}`".to_owned(),
            "echo \"$(printf \\\u{1f600})\"".to_owned(),
            "echo ${A:-\\\u{e9}}".to_owned(),
            deep,
        ] {
            let all = words(&format!("{script} && sudo true"));
            assert_eq!(all[all.len() - 3..], ["<And>", "sudo", "true"], "{script}");
        }
    }

    #[test]
    fn heredoc_bodies_are_skipped() {
        assert_eq!(
            words("cat <<EOF > /x\nsudo not a command\nEOF\necho done"),
            [
                "cat",
                "<redir Some(\"EOF\")>",
                "<redir None>",
                "<Seq>",
                "echo",
                "done"
            ]
        );
    }

    #[test]
    fn errors_are_reported() {
        let (_, err) = Lexer::new("echo 'open").tokens();
        assert_eq!(err.map(|e| e.message), Some("unterminated single quote"));
        let (_, err) = Lexer::new("echo $(date").tokens();
        assert_eq!(err.map(|e| e.message), Some("unterminated $(...)"));
    }

    #[test]
    fn substitutions_past_the_depth_limit_are_skipped_whole() {
        let n = MAX_DEPTH * 3;
        let mut deep = String::from("echo ");
        for i in 0..n {
            deep.push_str(if i % 2 == 0 {
                "\"$(echo 'x)' "
            } else {
                "${A:-`b`"
            });
        }
        for i in (0..n).rev() {
            deep.push_str(if i % 2 == 0 { ")\"" } else { "}" });
        }
        deep.push_str(" && sudo true");
        let (toks, err) = Lexer::new(&deep).tokens();
        assert_eq!(err, None);
        let words: Vec<&str> = toks
            .iter()
            .filter_map(|t| match t {
                Token::Word(w) => Some(w.text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(words[words.len() - 2..], ["sudo", "true"]);
        // Unclosed past the limit: an error, not a hang.
        let open = "$(".repeat(n);
        let (_, err) = Lexer::new(&open).tokens();
        assert_eq!(err.map(|e| e.message), Some("unterminated $(...)"));
    }
}
