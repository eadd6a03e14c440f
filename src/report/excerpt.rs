//! Source excerpts for the human format.
//!
//! codespan-reporting prints every line a label touches in full. A
//! Dockerfile line can be megabytes long (minified scripts, base64 blobs,
//! generated `RUN` lines), and printing it once per finding floods the
//! terminal. An [`Excerpt`] holds only the lines one diagnostic can show,
//! with each line over [`LONG_LINE`] bytes cut down to windows around the
//! label boundaries on it, joined by `…`. It keeps the original line
//! numbers and reports original columns, so the snippet header and the
//! carets still point at the right place. Which lines a diagnostic can
//! show follows from codespan-reporting's [`Config`] (its context lines).
//!
//! ```text
//! 2 │ …xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx && sudo true
//!   │                                         ^^^^
//! ```

use super::sanitize;
use crate::span::LineIndex;
use codespan_reporting::files::{Error, Files};
use codespan_reporting::term::Config;
use std::borrow::Cow;
use std::ops::Range;

/// Lines longer than this (in bytes, without the line break) are cut.
const LONG_LINE: usize = 1024;
/// Bytes kept on each side of a label boundary on a cut line.
const CONTEXT: usize = 80;
/// Bytes kept from the start of a cut line with no label boundary on it.
const HEAD: usize = 160;
const ELLIPSIS: &str = "…";

/// A source file indexed by line, shared by all its diagnostics. Its name
/// and text are [`sanitize`]d (same lengths, so byte spans still fit).
pub(super) struct Source<'a> {
    name: Cow<'a, str>,
    text: Cow<'a, str>,
    /// Where each line starts. A text ending in a line break has an empty
    /// last line, as codespan-reporting counts.
    lines: LineIndex,
}

impl<'a> Source<'a> {
    pub(super) fn new(name: &'a str, text: &'a str) -> Source<'a> {
        let (name, text) = (sanitize(name), sanitize(text));
        // Sanitizing keeps every byte offset, so the index fits both texts.
        let lines = LineIndex::new(&text);
        Source { name, text, lines }
    }

    /// The number of lines, counting the empty one after a final line break.
    fn line_count(&self) -> usize {
        self.lines.starts_len()
    }

    fn line_of(&self, byte: usize) -> usize {
        self.lines.line_of(byte as u32) as usize
    }

    /// The line's bytes with its line break.
    fn line(&self, line: usize) -> Range<usize> {
        let line = line as u32;
        self.lines.line_start(line) as usize..self.lines.line_start(line + 1) as usize
    }

    /// The excerpt showing `ranges` (byte ranges into the text) as
    /// codespan-reporting renders them with `config`, and those ranges
    /// moved into it.
    pub(super) fn excerpt(
        &self,
        ranges: &[Range<usize>],
        config: &Config,
    ) -> (Excerpt<'_>, Vec<Range<usize>>) {
        let clamp = |b: usize| floor_char(&self.text, b.min(self.text.len()));
        let ranges: Vec<Range<usize>> = ranges
            .iter()
            .map(|r| {
                let start = clamp(r.start);
                start..clamp(r.end).max(start)
            })
            .collect();
        let last = self.line_count() - 1;
        // codespan-reporting prints a label's context lines before and
        // after it, the first and last lines of a multi-line label with
        // their context, and the one line between two printed lines.
        let mut shown: Vec<usize> = Vec::new();
        for r in &ranges {
            let (first, end) = (self.line_of(r.start), self.line_of(r.end));
            let top = first.saturating_sub(config.before_label_lines);
            let bottom = (end + config.after_label_lines + 1).min(last);
            let start_side = (first + config.start_context_lines + 1).min(bottom);
            let end_side = end.saturating_sub(config.end_context_lines).max(top);
            shown.extend(top..=start_side);
            shown.extend(end_side..=bottom);
        }
        shown.sort_unstable();
        shown.dedup();

        let mut excerpt = Excerpt {
            text: String::new(),
            lines: Vec::with_capacity(shown.len()),
            source: self,
        };
        for line in shown {
            let bounds: Vec<usize> = ranges
                .iter()
                .flat_map(|r| [r.start, r.end])
                .filter(|&b| self.line_of(b) == line)
                .collect();
            excerpt.push_line(line, &bounds);
        }
        let moved = ranges
            .iter()
            .map(|r| excerpt.to_excerpt(r.start)..excerpt.to_excerpt(r.end))
            .collect();
        (excerpt, moved)
    }
}

/// One shown line of an [`Excerpt`].
struct Line {
    /// Its index in the source.
    index: usize,
    /// Its bytes in the excerpt.
    range: Range<usize>,
    /// The kept parts of the source line, in order, with where each starts
    /// in the excerpt.
    kept: Vec<(Range<usize>, usize)>,
}

/// The lines of one diagnostic, cut to size; see the module docs.
pub(super) struct Excerpt<'a> {
    text: String,
    lines: Vec<Line>,
    source: &'a Source<'a>,
}

impl Excerpt<'_> {
    fn push_line(&mut self, index: usize, bounds: &[usize]) {
        let source = self.source;
        let text: &str = &source.text;
        let full = source.line(index);
        let content_end = if text[full.clone()].ends_with('\n') {
            full.end - 1
        } else {
            full.end
        };
        // A short line is one window; a long one a window around each label
        // boundary on it, or its head when there is none.
        let mut windows: Vec<Range<usize>> = if content_end - full.start <= LONG_LINE {
            std::iter::once(full.start..content_end).collect()
        } else if bounds.is_empty() {
            std::iter::once(full.start..full.start + HEAD).collect()
        } else {
            bounds
                .iter()
                .map(|&b| b.saturating_sub(CONTEXT).max(full.start)..b + CONTEXT)
                .collect()
        };
        windows.sort_by_key(|w| w.start);
        let mut merged: Vec<Range<usize>> = Vec::new();
        for w in windows {
            let w = floor_char(text, w.start)..ceil_char(text, w.end.min(content_end));
            match merged.last_mut() {
                // Windows closer than the ellipsis would be are joined.
                Some(m) if w.start <= m.end + ELLIPSIS.len() => m.end = m.end.max(w.end),
                _ => merged.push(w),
            }
        }
        let start = self.text.len();
        let mut kept = Vec::with_capacity(merged.len() + 1);
        let mut at = full.start;
        for w in merged {
            if w.start > at {
                self.text.push_str(ELLIPSIS);
            }
            kept.push((w.clone(), self.text.len()));
            self.text.push_str(&text[w.clone()]);
            at = w.end;
        }
        if at < content_end {
            self.text.push_str(ELLIPSIS);
        }
        // The line break is kept, and a label may end on it.
        kept.push((content_end..full.end, self.text.len()));
        self.text.push_str(&text[content_end..full.end]);
        self.lines.push(Line {
            index,
            range: start..self.text.len(),
            kept,
        });
    }

    fn shown(&self, index: usize) -> Option<&Line> {
        self.lines
            .binary_search_by_key(&index, |l| l.index)
            .ok()
            .map(|i| &self.lines[i])
    }

    /// Where source byte `b` is in the excerpt. Label boundaries are always
    /// kept; any other byte goes to the nearest kept one.
    fn to_excerpt(&self, b: usize) -> usize {
        let Some(line) = self.shown(self.source.line_of(b)) else {
            return self.text.len();
        };
        let mut nearest = line.range.start;
        for (orig, at) in &line.kept {
            if orig.contains(&b) || orig.end == b {
                return at + (b - orig.start);
            }
            if orig.start > b {
                break;
            }
            nearest = at + orig.len();
        }
        nearest
    }

    /// The source byte at excerpt byte `x` on shown line `line`; a byte of
    /// an ellipsis goes to the start of the next kept part.
    fn to_source(&self, line: &Line, x: usize) -> usize {
        for (orig, at) in &line.kept {
            if x < *at {
                return orig.start;
            }
            if x <= at + orig.len() {
                return orig.start + (x - at);
            }
        }
        self.source.line(line.index).end
    }
}

impl<'a> Files<'a> for Excerpt<'a> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.source.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        let i = self
            .lines
            .partition_point(|l| l.range.start <= byte_index)
            .saturating_sub(1);
        self.lines
            .get(i)
            .map(|l| l.index)
            .ok_or(Error::IndexTooLarge {
                given: byte_index,
                max: self.text.len(),
            })
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        match self.shown(line_index) {
            Some(line) => Ok(line.range.clone()),
            // Lines inside a long multi-line label are asked for but never
            // printed.
            None if line_index < self.source.line_count() => Ok(0..0),
            None => Err(Error::LineTooLarge {
                given: line_index,
                max: self.source.line_count() - 1,
            }),
        }
    }

    fn column_number(
        &'a self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let Some(line) = self.shown(line_index) else {
            return Ok(1);
        };
        let start = self.source.line(line_index).start;
        let b = self.to_source(line, byte_index).max(start);
        Ok(self.source.text[start..b].chars().count() + 1)
    }
}

fn floor_char(text: &str, mut b: usize) -> usize {
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    b
}

fn ceil_char(text: &str, mut b: usize) -> usize {
    while !text.is_char_boundary(b) {
        b += 1;
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use codespan_reporting::diagnostic::{Diagnostic, Label};
    use codespan_reporting::files::SimpleFile;
    use codespan_reporting::term;

    fn render_excerpt_with(config: &Config, text: &str, ranges: &[Range<usize>]) -> String {
        let source = Source::new("Dockerfile", text);
        let (excerpt, moved) = source.excerpt(ranges, config);
        render(
            config,
            &excerpt,
            moved.into_iter().map(|r| ((), r)).collect(),
        )
    }

    fn render_excerpt(text: &str, ranges: &[Range<usize>]) -> String {
        render_excerpt_with(&Config::default(), text, ranges)
    }

    fn render_whole(config: &Config, text: &str, ranges: &[Range<usize>]) -> String {
        let file = SimpleFile::new("Dockerfile", text);
        render(
            config,
            &file,
            ranges.iter().map(|r| ((), r.clone())).collect(),
        )
    }

    fn render<'f, F: Files<'f, FileId = ()>>(
        config: &Config,
        files: &'f F,
        labels: Vec<((), Range<usize>)>,
    ) -> String {
        let labels = labels
            .into_iter()
            .enumerate()
            .map(|(i, (id, r))| {
                if i == 0 {
                    Label::primary(id, r).with_message("here")
                } else {
                    Label::secondary(id, r).with_message("and here")
                }
            })
            .collect();
        let diag = Diagnostic::warning().with_message("m").with_labels(labels);
        let mut out = Vec::new();
        term::emit_to_io_write(&mut out, config, files, &diag).expect("renders");
        String::from_utf8(out).expect("UTF-8")
    }

    fn one(range: Range<usize>) -> Vec<Range<usize>> {
        vec![range]
    }

    fn at(text: &str, needle: &str) -> Range<usize> {
        let i = text.find(needle).expect("needle");
        i..i + needle.len()
    }

    /// The printed source line numbered `number`.
    fn printed_line(out: &str, number: usize) -> &str {
        let prefix = format!("{number} │");
        out.lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no line {number} in {out}"))
    }

    /// With more context than the default, so that the lines an excerpt
    /// keeps are seen to follow the configuration.
    fn wide() -> Config {
        Config {
            before_label_lines: 2,
            after_label_lines: 2,
            start_context_lines: 1,
            end_context_lines: 2,
            ..Config::default()
        }
    }

    #[test]
    fn short_lines_render_as_the_whole_file_does() {
        let text = "FROM a\n# c\nRUN x \\\n  && é y \\\n  && z\n\nUSER u\n";
        let lines = (0..40)
            .map(|i| format!("RUN step {i}\n"))
            .collect::<String>();
        let long_label = format!("FROM a\n{lines}USER u\n");
        for (text, ranges) in [
            (text, vec![at(text, "y")]),
            (text, vec![at(text, "RUN"), at(text, "z")]),
            (text, vec![at(text, "x \\\n  && é"), at(text, "USER")]),
            (text, one(text.len()..text.len())),
            (
                text,
                one(at(text, "\nUSER").start..at(text, "\nUSER").start),
            ),
            (
                &long_label,
                one(at(&long_label, "RUN step 1\n").start..at(&long_label, "USER").end),
            ),
        ] {
            for config in [Config::default(), wide()] {
                assert_eq!(
                    render_excerpt_with(&config, text, &ranges),
                    render_whole(&config, text, &ranges),
                    "{ranges:?}"
                );
            }
        }
    }

    #[test]
    fn a_long_line_is_cut_around_the_label() {
        let text = format!(
            "FROM a\nRUN {} && sudo true {}\nUSER u\n",
            "x".repeat(1 << 20),
            "é".repeat(1 << 20)
        );
        let out = render_excerpt(&text, &[at(&text, "sudo")]);
        assert!(out.len() < 1000, "{out}");
        // The header gives the original column.
        let column = (1 << 20) + 9;
        assert!(out.contains(&format!("Dockerfile:2:{column}")), "{out}");
        let shown = printed_line(&out, 2);
        assert!(shown.starts_with("2 │ …xxxx"), "{shown}");
        assert!(shown.ends_with("éé…"), "{shown}");
        let carets = out.lines().find(|l| l.contains('^')).expect("carets");
        let col = |s: &str, pat: &str| s.find(pat).map(|b| s[..b].chars().count());
        assert_eq!(col(carets, "^^^^ here"), col(shown, "sudo"));
    }

    #[test]
    fn a_label_across_a_long_line_keeps_both_ends() {
        let body = "y".repeat(5000);
        let text = format!("RUN a{body}b\n");
        let out = render_excerpt(&text, &one(at(&text, "a").start..at(&text, "b").end));
        assert!(out.len() < 1500, "{out}");
        let shown = printed_line(&out, 1);
        assert!(
            shown.starts_with("1 │ RUN ayyy") && shown.contains("y…y") && shown.ends_with("yb"),
            "{shown}"
        );
        assert!(out.contains("Dockerfile:1:5"), "{out}");
    }

    #[test]
    fn a_multi_line_label_over_long_lines_shows_their_heads() {
        let long = "z".repeat(3000);
        let text = format!("RUN a \\\n{long} \\\n{long} \\\n  b\n");
        let out = render_excerpt(&text, &one(at(&text, "a").start..at(&text, "b").end));
        assert!(out.len() < 2000, "{out}");
        assert!(out.contains("4 │ │   b"), "{out}");
        assert_eq!(out.matches("z…").count(), 2, "{out}");
    }

    #[test]
    fn boundaries_off_char_boundaries_and_past_the_end_are_clamped() {
        let text = format!("RUN {}\n", "é".repeat(2000));
        let out = render_excerpt(&text, &[5..7, 9..100_000]);
        assert!(out.contains("Dockerfile:1:"), "{out}");
    }
}
