//! Markdown for the terminal, for `rules explain`: the rule's
//! documentation is Markdown (the same text docs/rules.md shows), rendered
//! here with headings, emphasis, inline code and code blocks shown as
//! such, lists with bullets, and paragraphs wrapped to the terminal's
//! width. Without colour, the text is plain (inline code keeps its
//! backticks); code blocks are never wrapped.
//!
//! pulldown-cmark parses (CommonMark, no HTML output compiled in); the
//! rendering is ours, because a terminal renderer crate would bring its
//! own terminal handling for the few styles needed here.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};
use unicode_width::UnicodeWidthStr;

const BOLD: &str = "\u{1b}[1m";
const ITALIC: &str = "\u{1b}[3m";
const UNDERLINE: &str = "\u{1b}[4m";
const CODE: &str = "\u{1b}[36m";
const DIM: &str = "\u{1b}[2m";
const RESET: &str = "\u{1b}[0m";

/// The width to wrap at: the terminal's, else `COLUMNS`, else 80; at most
/// 100, so long lines stay readable, and at least 40.
pub(super) fn terminal_width() -> usize {
    let width = terminal_size::terminal_size()
        .map(|(w, _)| usize::from(w.0))
        .or_else(|| std::env::var("COLUMNS").ok()?.trim().parse().ok())
        .unwrap_or(80);
    width.clamp(40, 100)
}

/// One word of a paragraph as it will be printed, and its width on screen.
struct Word {
    text: String,
    width: usize,
}

#[derive(Default)]
struct Renderer {
    out: String,
    width: usize,
    color: bool,
    /// The paragraph being collected.
    words: Vec<Word>,
    /// Whether the next text starts a new word (whitespace came last).
    at_space: bool,
    bold: usize,
    italic: usize,
    /// Per open list: the next number, or `None` for bullets.
    lists: Vec<Option<u64>>,
    /// What starts the first line of the next paragraph (a list bullet).
    marker: Option<String>,
    links: Vec<String>,
    heading: Option<HeadingLevel>,
    code_block: Option<String>,
}

/// Renders Markdown for a terminal `width` columns wide, with ANSI styles
/// when `color`.
pub(super) fn render(markdown: &str, width: usize, color: bool) -> String {
    let mut r = Renderer {
        width,
        color,
        at_space: true,
        ..Renderer::default()
    };
    for event in Parser::new(markdown) {
        r.event(event);
    }
    r.flush();
    while r.out.ends_with("\n\n") {
        r.out.pop();
    }
    r.out
}

impl Renderer {
    fn style(&self, on: &str) -> &'static str {
        if !self.color {
            return "";
        }
        match on {
            "bold" => BOLD,
            "italic" => ITALIC,
            "underline" => UNDERLINE,
            "code" => CODE,
            "dim" => DIM,
            _ => RESET,
        }
    }

    /// The indentation of lines inside the open lists.
    fn indent(&self) -> usize {
        self.lists.len().saturating_sub(1) * 2 + if self.lists.is_empty() { 0 } else { 2 }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                if let Some(block) = &mut self.code_block {
                    block.push_str(&text);
                } else {
                    self.text(&text, "");
                }
            }
            Event::Code(code) => {
                let shown = if self.color {
                    code.to_string()
                } else {
                    format!("`{code}`")
                };
                let on = self.style("code");
                self.text(&shown, on);
            }
            Event::SoftBreak => self.at_space = true,
            Event::HardBreak => {
                self.flush_lines();
            }
            Event::Rule => {
                self.flush();
                let line = "─".repeat(self.width.min(40));
                let (dim, reset) = (self.style("dim"), self.style("reset"));
                self.out.push_str(&format!("{dim}{line}{reset}\n\n"));
            }
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
            Event::InlineMath(m) | Event::DisplayMath(m) => self.text(&m, ""),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = Some(level);
            }
            Tag::Paragraph => {}
            Tag::CodeBlock(kind) => {
                self.flush();
                let _ = matches!(kind, CodeBlockKind::Fenced(_));
                self.code_block = Some(String::new());
            }
            Tag::List(start) => {
                self.flush();
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "• ".to_owned(),
                };
                self.marker = Some(marker);
            }
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => self.bold += 1,
            Tag::Link { dest_url, .. } => self.links.push(dest_url.to_string()),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(level) => {
                let text: Vec<&str> = self.words.iter().map(|w| w.text.as_str()).collect();
                let text = text.join(" ");
                let plain_width: usize = self.words.iter().map(|w| w.width).sum::<usize>()
                    + self.words.len().saturating_sub(1);
                self.words.clear();
                self.at_space = true;
                self.heading = None;
                let (on, off) = (self.style("bold"), self.style("reset"));
                let under = if level <= HeadingLevel::H2 && self.color {
                    self.style("underline")
                } else {
                    ""
                };
                self.out.push_str(&format!("{on}{under}{text}{off}\n"));
                if level == HeadingLevel::H1 && !self.color {
                    self.out.push_str(&"═".repeat(plain_width.min(self.width)));
                    self.out.push('\n');
                }
                self.out.push('\n');
            }
            TagEnd::Paragraph => self.flush(),
            TagEnd::CodeBlock => {
                let block = self.code_block.take().unwrap_or_default();
                let indent = " ".repeat(self.indent() + 4);
                let (on, off) = (self.style("code"), self.style("reset"));
                for line in block.trim_end_matches('\n').lines() {
                    self.out.push_str(&format!("{indent}{on}{line}{off}\n"));
                }
                self.out.push('\n');
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() && !self.out.ends_with("\n\n") {
                    self.out.push('\n');
                }
            }
            TagEnd::Item => self.flush_lines(),
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Link => {
                if let Some(url) = self.links.pop() {
                    let shown: String = self
                        .words
                        .last()
                        .map(|w| w.text.clone())
                        .unwrap_or_default();
                    if !shown.contains(&url) && !url.starts_with('#') {
                        self.at_space = true;
                        self.text(&format!("<{url}>"), "");
                    }
                }
            }
            _ => {}
        }
    }

    /// Adds inline text to the paragraph, in the current styles (and
    /// `extra`, inline code's).
    fn text(&mut self, text: &str, extra: &str) {
        let mut styles = String::new();
        if self.bold > 0 || self.heading.is_some() {
            styles.push_str(self.style("bold"));
        }
        if self.italic > 0 {
            styles.push_str(self.style("italic"));
        }
        styles.push_str(extra);
        let reset = if styles.is_empty() {
            ""
        } else {
            self.style("reset")
        };
        // Inline code keeps its spaces: it is one word.
        let pieces: Vec<&str> = if extra.is_empty() {
            text.split(char::is_whitespace).collect()
        } else {
            vec![text]
        };
        for (i, piece) in pieces.iter().enumerate() {
            if i > 0 {
                self.at_space = true;
            }
            if piece.is_empty() {
                continue;
            }
            let styled = format!("{styles}{piece}{reset}");
            let width = UnicodeWidthStr::width(*piece);
            match self.words.last_mut() {
                Some(last) if !self.at_space => {
                    last.text.push_str(&styled);
                    last.width += width;
                }
                _ => self.words.push(Word {
                    text: styled,
                    width,
                }),
            }
            self.at_space = false;
        }
        if text.ends_with(char::is_whitespace) {
            self.at_space = true;
        }
    }

    /// Writes the paragraph, wrapped, and a blank line after it (none
    /// inside a list, whose items sit together).
    fn flush(&mut self) {
        let had = !self.words.is_empty();
        self.flush_lines();
        if had && self.lists.is_empty() {
            self.out.push('\n');
        }
    }

    /// Writes the paragraph's words wrapped to the width, the first line
    /// after a pending list marker.
    fn flush_lines(&mut self) {
        if self.words.is_empty() {
            self.at_space = true;
            return;
        }
        let indent = self.indent();
        let marker = self.marker.take();
        let first_prefix = match &marker {
            Some(m) => format!("{}{m}", " ".repeat(indent.saturating_sub(2))),
            None => " ".repeat(indent),
        };
        let rest_prefix = " ".repeat(indent);
        let mut line = first_prefix.clone();
        let mut used = UnicodeWidthStr::width(first_prefix.as_str());
        let mut empty = true;
        for word in std::mem::take(&mut self.words) {
            if !empty && used + 1 + word.width > self.width {
                self.out.push_str(line.trim_end());
                self.out.push('\n');
                line = rest_prefix.clone();
                used = indent;
                empty = true;
            }
            if !empty {
                line.push(' ');
                used += 1;
            }
            line.push_str(&word.text);
            used += word.width;
            empty = false;
        }
        self.out.push_str(line.trim_end());
        self.out.push('\n');
        self.at_space = true;
    }
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn paragraphs_wrap_and_keep_inline_code() {
        let md = "**Why**: a suppression that no longer matches a finding hides `nothing today`, but it will.";
        let out = render(md, 40, false);
        assert_eq!(
            out,
            "Why: a suppression that no longer\nmatches a finding hides `nothing today`,\nbut it will.\n"
        );
        for line in out.lines() {
            assert!(line.chars().count() <= 40, "{line}");
        }
    }

    #[test]
    fn headings_lists_and_code_blocks() {
        let md = "# Title\n\nText.\n\n- one\n- two `x`\n\n```dockerfile\nFROM a\nRUN b\n```\n\n## Next\n";
        let out = render(md, 60, false);
        assert_eq!(
            out,
            "Title\n═════\n\nText.\n\n• one\n• two `x`\n\n    FROM a\n    RUN b\n\nNext\n"
        );
    }

    #[test]
    fn colour_styles_emphasis() {
        let out = render("*a* **b** `c`", 60, true);
        assert!(out.contains("\u{1b}[3ma\u{1b}[0m"), "{out:?}");
        assert!(out.contains("\u{1b}[1mb\u{1b}[0m"), "{out:?}");
        assert!(out.contains("\u{1b}[36mc\u{1b}[0m"), "{out:?}");
    }

    #[test]
    fn links_show_their_target() {
        let out = render("see [the docs](https://example.com/x)", 80, false);
        assert_eq!(out, "see the docs <https://example.com/x>\n");
    }
}
