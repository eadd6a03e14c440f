//! Positions in a source file: byte spans, and the mapping from byte offsets
//! to lines and columns. The base every other module builds on.
//!
//! A place in a file has several names, one per consumer: a byte offset
//! (spans, edits), a 1-based line and character column (every report
//! format), and a 0-based line and UTF-16 column (the Language Server
//! Protocol's default encoding). [`LineIndex`] converts between them.

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

    /// Number of line starts, counting the empty line after a trailing
    /// line break (as codespan-reporting counts lines).
    pub fn starts_len(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, source: &str, offset: u32) -> LineCol {
        LineCol {
            line: self.line_of(offset) + 1,
            column: self.char_col(source, offset) + 1,
        }
    }

    /// 0-based column of a byte offset, in bytes from its line's start.
    pub fn byte_col(&self, offset: u32) -> u32 {
        let offset = offset.min(self.len);
        offset - self.line_start(self.line_of(offset))
    }

    /// 0-based column of a byte offset, in characters (Unicode scalar
    /// values). An offset inside a character counts as that character's
    /// start.
    pub fn char_col(&self, source: &str, offset: u32) -> u32 {
        self.line_prefix(source, offset).chars().count() as u32
    }

    /// 0-based column of a byte offset, in UTF-8 bytes from its line's
    /// start, a leading byte order mark not counted.
    pub fn utf8_col(&self, source: &str, offset: u32) -> u32 {
        self.line_prefix(source, offset).len() as u32
    }

    /// 0-based column of a byte offset, in UTF-16 code units: what a
    /// language server sends by default. A character outside the Basic
    /// Multilingual Plane counts two.
    pub fn utf16_col(&self, source: &str, offset: u32) -> u32 {
        self.line_prefix(source, offset)
            .chars()
            .map(|c| c.len_utf16() as u32)
            .sum()
    }

    /// The byte offset of a 0-based line and UTF-16 column (an editor's
    /// position). A column past the line's end gives the end of the line
    /// (before its line break); one inside a surrogate pair gives the
    /// character's start; a line past the end gives the end of the source.
    pub fn offset_of_utf16(&self, source: &str, line: u32, utf16_col: u32) -> u32 {
        let Some(&start) = self.starts.get(line as usize) else {
            return self.len;
        };
        let end = self.line_start(line + 1) as usize;
        let text = source
            .get(start as usize..end.min(source.len()))
            .unwrap_or("");
        let body = text.strip_suffix('\n').unwrap_or(text);
        let body = body.strip_suffix('\r').unwrap_or(body);
        let bom = if line == 0 && body.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        let mut units = 0;
        for (i, c) in body[bom..].char_indices() {
            units += c.len_utf16() as u32;
            if units > utf16_col {
                return start + (bom + i) as u32;
            }
        }
        start + body.len() as u32
    }

    /// The text from `offset`'s line start to `offset` (moved back to a
    /// character boundary), without a leading byte order mark: editors
    /// start the line after it, so it is no column.
    fn line_prefix<'s>(&self, source: &'s str, offset: u32) -> &'s str {
        let start = self.line_start(self.line_of(offset)) as usize;
        let mut end = (offset as usize).min(source.len());
        while !source.is_char_boundary(end) {
            end -= 1;
        }
        let prefix = source.get(start..end).unwrap_or("");
        prefix.strip_prefix('\u{feff}').unwrap_or(prefix)
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

    /// `é` is 2 bytes, 1 character, 1 UTF-16 unit; `🦀` (U+1F980, outside
    /// the Basic Multilingual Plane) is 4 bytes, 1 character, 2 UTF-16
    /// units.
    #[test]
    fn byte_char_and_utf16_columns() {
        let src = "FROM é\nRUN 🦀 x 🦀y\n";
        let lines = LineIndex::new(src);
        let x = src.find('x').unwrap_or(0) as u32;
        assert_eq!(lines.line_of(x), 1);
        assert_eq!(lines.byte_col(x), 9);
        assert_eq!(lines.char_col(src, x), 6);
        assert_eq!(lines.utf16_col(src, x), 7);
        let y = src.find('y').unwrap_or(0) as u32;
        assert_eq!(
            (
                lines.byte_col(y),
                lines.char_col(src, y),
                lines.utf16_col(src, y)
            ),
            (15, 9, 11)
        );
        let e = src.find('é').unwrap_or(0) as u32;
        assert_eq!(
            (lines.char_col(src, e + 2), lines.utf16_col(src, e + 2)),
            (6, 6)
        );
        // Inside a character: its start.
        assert_eq!(lines.utf16_col(src, e + 1), 5);
        assert_eq!(lines.line_col(src, x), LineCol { line: 2, column: 7 });
    }

    #[test]
    fn utf16_positions_map_back_to_offsets() {
        let src = "\u{feff}FROM 🦀\r\nRUN é x\n";
        let lines = LineIndex::new(src);
        for offset in (0..=src.len() as u32).filter(|&o| src.is_char_boundary(o as usize)) {
            let line = lines.line_of(offset);
            let col = lines.utf16_col(src, offset);
            let back = lines.offset_of_utf16(src, line, col);
            // Offsets inside the BOM or the line break map to their edges.
            let text = &src[offset as usize..];
            if offset > 0 && !text.starts_with('\n') && !src[..offset as usize].ends_with('\r') {
                assert_eq!(back, offset, "offset {offset} = {line}:{col}");
            }
        }
        let crab = src.find('🦀').unwrap_or(0) as u32;
        assert_eq!(lines.utf16_col(src, crab), 5);
        // The second half of a surrogate pair is the character's start.
        assert_eq!(lines.offset_of_utf16(src, 0, 6), crab);
        assert_eq!(lines.offset_of_utf16(src, 0, 7), crab + 4);
        // Past the line's end: the end, before the line break.
        assert_eq!(lines.offset_of_utf16(src, 0, 99), crab + 4);
        assert_eq!(
            lines.offset_of_utf16(src, 1, 5),
            src.find('é').unwrap_or(0) as u32 + 2
        );
        assert_eq!(lines.offset_of_utf16(src, 9, 0), src.len() as u32);
    }
}
