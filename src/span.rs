//! Positions in a source file: byte spans, and the mapping from byte offsets
//! to lines and columns. The base every other module builds on.

use serde::Serialize;
use std::ops::Range;

/// A half-open byte range `start..end` into the source text of one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }

    /// A span from `usize` offsets. Sources are limited to `u32::MAX` bytes by
    /// [`crate::syntax::parse`], so the conversion never truncates.
    pub fn from_usize(start: usize, end: usize) -> Self {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    pub const fn empty(at: u32) -> Self {
        Span { start: at, end: at }
    }

    pub const fn len(self) -> u32 {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn contains(self, offset: u32) -> bool {
        self.start <= offset && offset < self.end
    }

    /// The text this span covers. Out-of-range or non-boundary spans give "".
    pub fn text(self, source: &str) -> &str {
        source.get(self.range()).unwrap_or("")
    }
}

impl From<Span> for Range<usize> {
    fn from(span: Span) -> Self {
        span.range()
    }
}

impl Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        [self.start, self.end].serialize(serializer)
    }
}

/// Start offsets of every line, for offset → (line, column) conversion.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<u32>,
    len: u32,
}

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl LineIndex {
    pub fn new(source: &str) -> Self {
        let mut starts = Vec::with_capacity(source.len() / 32 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i as u32 + 1));
        LineIndex {
            starts,
            len: source.len() as u32,
        }
    }

    /// Number of lines; a trailing newline does not start a new line.
    pub fn line_count(&self) -> u32 {
        let n = self.starts.len() as u32;
        if n > 1 && self.starts[n as usize - 1] == self.len {
            n - 1
        } else {
            n
        }
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: u32) -> u32 {
        (self.starts.partition_point(|&s| s <= offset) - 1) as u32
    }

    /// Byte offset where a 0-based line starts.
    pub fn line_start(&self, line: u32) -> u32 {
        self.starts.get(line as usize).copied().unwrap_or(self.len)
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, source: &str, offset: u32) -> LineCol {
        let line = self.line_of(offset);
        let start = self.starts[line as usize] as usize;
        let end = (offset as usize).min(source.len());
        // A byte order mark is not a column: editors start the line after it.
        let column = source
            .get(start..end)
            .map_or(end.saturating_sub(start), |s| {
                s.strip_prefix('\u{feff}').unwrap_or(s).chars().count()
            });
        LineCol {
            line: line + 1,
            column: column as u32 + 1,
        }
    }
}

/// `str::trim_start` (Unicode whitespace) with a fast path for ASCII.
pub(crate) fn trim_start_ws(s: &str) -> &str {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' => i += 1,
            c if c < 0x80 => return &s[i..],
            _ => return s[i..].trim_start(),
        }
    }
    ""
}

/// `str::trim_end` (Unicode whitespace) with a fast path for ASCII.
pub(crate) fn trim_end_ws(s: &str) -> &str {
    let b = s.as_bytes();
    let mut i = b.len();
    while i > 0 {
        match b[i - 1] {
            b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' => i -= 1,
            c if c < 0x80 => return &s[..i],
            _ => return s[..i].trim_end(),
        }
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_skip_a_bom() {
        let src = "\u{feff}FROM é\nRUN x\n";
        let lines = LineIndex::new(src);
        let at = |needle: &str| lines.line_col(src, src.find(needle).unwrap_or(0) as u32);
        assert_eq!(at("FROM"), LineCol { line: 1, column: 1 });
        assert_eq!(at("é"), LineCol { line: 1, column: 6 });
        assert_eq!(at("x"), LineCol { line: 2, column: 5 });
    }
}
