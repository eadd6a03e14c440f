//! The shell-word lexer BuildKit uses to find heredoc openers.
//!
//! BuildKit splits the whole logical line of RUN, COPY and ADD into shell words
//! (its `shell.Lex` with raw quotes, raw escapes and unset variables left as
//! written, always with `\` as the escape) and takes every word that looks
//! like `[fd]<<[-]DELIM`. If the lexer fails anywhere on the line (an open
//! quote, a bad `${...}`), BuildKit finds no heredocs at all. This module
//! reproduces the word boundaries and the failures; it is not a shell parser.

/// Nesting limit for `${...}` inside `${...}`; deeper input counts as a
/// lexer failure instead of exhausting the stack.
const MAX_NESTING: usize = 256;

struct Lexer<'t> {
    b: &'t [u8],
    text: &'t str,
    pos: usize,
    depth: usize,
}

#[derive(Debug)]
struct LexError;

/// Word boundaries as the lexer's `wordsStruct` builds them.
struct Words {
    out: Vec<(usize, usize)>,
    start: Option<usize>,
    end: usize,
}

impl Words {
    fn raw(&mut self, start: usize, end: usize) {
        if self.start.is_none() {
            self.start = Some(start);
        }
        self.end = end;
    }

    fn char(&mut self, start: usize, end: usize, is_space: bool) {
        if is_space {
            self.flush();
        } else {
            self.raw(start, end);
        }
    }

    fn flush(&mut self) {
        if let Some(s) = self.start.take()
            && self.end > s
        {
            self.out.push((s, self.end));
        }
    }
}

impl<'t> Lexer<'t> {
    fn new(text: &'t str) -> Self {
        Lexer {
            b: text.as_bytes(),
            text,
            pos: 0,
            depth: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    /// Advances over one character; returns its range and whether it is
    /// whitespace. Positions stay on character boundaries; should one not,
    /// the lexer moves on to the next boundary rather than stall.
    fn next_char(&mut self) -> Option<(usize, usize, bool)> {
        let start = self.pos;
        if start >= self.b.len() {
            return None;
        }
        let Some(c) = self.text.get(start..).and_then(|t| t.chars().next()) else {
            self.pos += 1;
            while !self.text.is_char_boundary(self.pos) {
                self.pos += 1;
            }
            return Some((start, self.pos, false));
        };
        self.pos += c.len_utf8();
        Some((start, self.pos, c.is_whitespace()))
    }

    /// The top-level loop (`processStopOn(EOF)`), recording word ranges.
    fn words(&mut self) -> Result<Vec<(usize, usize)>, LexError> {
        let mut words = Words {
            out: Vec::new(),
            start: None,
            end: 0,
        };
        while let Some(c) = self.peek() {
            let start = self.pos;
            match c {
                b'\'' => {
                    self.single_quote()?;
                    words.raw(start, self.pos);
                }
                b'"' => {
                    self.double_quote()?;
                    words.raw(start, self.pos);
                }
                b'<' => {
                    self.pos += 1;
                    if self.peek() == Some(b'<') {
                        self.pos += 1;
                        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r')) {
                            self.pos += 1;
                        }
                    }
                    words.raw(start, self.pos);
                }
                b'$' => {
                    // Expansion text is re-split on whitespace (`addString`).
                    self.dollar()?;
                    let end = self.pos;
                    let mut i = start;
                    for (off, ch) in self.text[start..end].char_indices() {
                        let s = start + off;
                        words.char(s, s + ch.len_utf8(), ch.is_whitespace());
                        i = s + ch.len_utf8();
                    }
                    debug_assert_eq!(i, end);
                }
                b'\\' => {
                    self.pos += 1;
                    words.raw(start, self.pos);
                    match self.next_char() {
                        Some((_, e, _)) => words.raw(start, e),
                        None => break,
                    }
                }
                _ => {
                    let Some((s, e, space)) = self.next_char() else {
                        break;
                    };
                    words.char(s, e, space);
                }
            }
        }
        words.flush();
        Ok(words.out)
    }

    fn single_quote(&mut self) -> Result<(), LexError> {
        self.pos += 1;
        match memchr::memchr(b'\'', &self.b[self.pos..]) {
            Some(i) => {
                self.pos += i + 1;
                Ok(())
            }
            None => Err(LexError),
        }
    }

    fn double_quote(&mut self) -> Result<(), LexError> {
        self.pos += 1;
        loop {
            match self.peek() {
                None => return Err(LexError),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'$') => self.dollar()?,
                Some(b'\\') => {
                    self.pos += 1;
                    if self.next_char().is_none() {
                        return Err(LexError);
                    }
                }
                Some(_) => {
                    self.next_char();
                }
            }
        }
    }

    /// `processName`: a digit run, one special parameter, or `[A-Za-z0-9_]*`.
    fn name(&mut self) -> usize {
        let start = self.pos;
        match self.peek() {
            Some(b'0'..=b'9') => {
                while matches!(self.peek(), Some(b'0'..=b'9')) {
                    self.pos += 1;
                }
            }
            Some(b'@' | b'*' | b'#' | b'?' | b'-' | b'$' | b'!') => self.pos += 1,
            _ => {
                while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_') {
                    self.pos += 1;
                }
            }
        }
        self.pos - start
    }

    /// `processDollar`, positioned on `$`.
    fn dollar(&mut self) -> Result<(), LexError> {
        self.pos += 1;
        if self.peek() != Some(b'{') {
            self.name();
            return Ok(());
        }
        self.pos += 1;
        match self.peek() {
            None | Some(b'{' | b'}' | b':') => return Err(LexError),
            _ => {}
        }
        self.name();
        let Some(c) = self.peek() else {
            return Err(LexError);
        };
        self.pos += 1;
        match c {
            b'}' => Ok(()),
            b':' => {
                if matches!(self.peek(), Some(b'#' | b'%')) {
                    return Err(LexError);
                }
                // The modifier: one character, not one byte.
                if self.next_char().is_none() {
                    return Err(LexError);
                }
                self.until(b'}')
            }
            b'+' | b'-' | b'?' | b'#' | b'%' => self.until(b'}'),
            b'/' => {
                if self.peek() == Some(b'/') {
                    self.pos += 1;
                }
                self.until(b'/')?;
                self.until(b'}')
            }
            _ => Err(LexError),
        }
    }

    /// `processStopOn(stop)`: lexes a nested word up to `stop`, which must appear.
    fn until(&mut self, stop: u8) -> Result<(), LexError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(LexError);
        }
        let result = loop {
            match self.peek() {
                None => break Err(LexError),
                Some(c) if c == stop => {
                    self.pos += 1;
                    break Ok(());
                }
                Some(b'\'') => {
                    if let Err(e) = self.single_quote() {
                        break Err(e);
                    }
                }
                Some(b'"') => {
                    if let Err(e) = self.double_quote() {
                        break Err(e);
                    }
                }
                Some(b'$') => {
                    if let Err(e) = self.dollar() {
                        break Err(e);
                    }
                }
                Some(b'\\') => {
                    self.pos += 1;
                    if self.next_char().is_none() {
                        break Err(LexError);
                    }
                }
                Some(_) => {
                    self.next_char();
                }
            }
        };
        self.depth -= 1;
        result
    }
}

/// Word ranges of `line` as BuildKit's heredoc lexer splits it, or `None`
/// when the lexer fails (BuildKit then finds no heredocs on the line).
pub(crate) fn raw_words(line: &str) -> Option<Vec<(usize, usize)>> {
    Lexer::new(line).words().ok()
}

/// The delimiter named by `rest` (the text after `<<` / `<<-`): quotes and
/// escapes removed, as one word. `None` when `rest` is not exactly one word
/// (no heredoc) or does not lex.
pub(crate) fn heredoc_name(rest: &str) -> Option<String> {
    let words = raw_words(rest)?;
    let [(start, end)] = words[..] else {
        return None;
    };
    let word = &rest[start..end];
    let name = unquote(word);
    if name.is_empty() { None } else { Some(name) }
}

/// Removes quotes and `\` escapes from one lexed word, as BuildKit's lexer
/// does without raw quotes: `\` escapes anything outside quotes and only
/// `"`, `$` and `\` inside double quotes.
fn unquote(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            (Some('"'), '\\') => match chars.next() {
                Some(n @ ('"' | '$' | '\\')) => out.push(n),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => {}
            },
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Option<Vec<&str>> {
        raw_words(line).map(|ws| ws.into_iter().map(|(s, e)| &line[s..e]).collect())
    }

    #[test]
    fn splits_like_buildkit() {
        assert_eq!(words("RUN <<EOF"), Some(vec!["RUN", "<<EOF"]));
        assert_eq!(
            words("RUN <<  EOF  > foo"),
            Some(vec!["RUN", "<<  EOF", ">", "foo"])
        );
        assert_eq!(words("RUN <<- EOF"), Some(vec!["RUN", "<<-", "EOF"]));
        assert_eq!(
            words("RUN \"<<EOF\" 'a b'"),
            Some(vec!["RUN", "\"<<EOF\"", "'a b'"])
        );
        assert_eq!(words(r"a\ b c"), Some(vec![r"a\ b", "c"]));
        assert_eq!(words("RUN 3<<EOF"), Some(vec!["RUN", "3<<EOF"]));
        assert_eq!(
            words("echo $(date) ${A:-x}"),
            Some(vec!["echo", "$(date)", "${A:-x}"])
        );
    }

    #[test]
    fn a_modifier_is_one_character() {
        // `${A:é...}`: the byte after `:` starts a two-byte character.
        assert_eq!(words("a \"${A:é}\" b"), Some(vec!["a", "\"${A:é}\"", "b"]));
        assert_eq!(words("\"${A:\u{fffd}"), None);
    }

    #[test]
    fn lexer_failures_disable_heredocs() {
        assert_eq!(words("RUN <<EOF it's"), None);
        assert_eq!(words("RUN <<EOF \"open"), None);
        assert_eq!(words("RUN <<EOF ${A"), None);
        assert_eq!(words("RUN <<EOF ${:x}"), None);
        assert_eq!(
            words(&format!("{}x{}", "${a:-".repeat(1000), "}".repeat(1000))),
            None
        );
    }

    #[test]
    fn heredoc_names() {
        assert_eq!(heredoc_name("EOF").as_deref(), Some("EOF"));
        assert_eq!(heredoc_name("\"EOF\"").as_deref(), Some("EOF"));
        assert_eq!(heredoc_name("E\"O\"F").as_deref(), Some("EOF"));
        assert_eq!(heredoc_name(r"\EOF").as_deref(), Some("EOF"));
        assert_eq!(heredoc_name(r"eo\'f").as_deref(), Some("eo'f"));
        assert_eq!(heredoc_name("'one two'").as_deref(), Some("one two"));
        assert_eq!(heredoc_name("$EOF").as_deref(), Some("$EOF"));
        assert_eq!(heredoc_name("EOF sh"), None);
        assert_eq!(heredoc_name("''"), None);
        assert_eq!(heredoc_name("'EOF"), None);
    }
}
