//! The tree in BuildKit's own dump format (`Node.Dump()`): one S-expression
//! per instruction, as in BuildKit's parser test cases. Lets anyone diff
//! shipshape's reading of a file against BuildKit's.

use super::ast::{Arguments, Dockerfile, Instruction, InstructionKind};
use std::fmt::Write;

/// One line per instruction, e.g. `(copy ["--from=build"] "a" "/b")`.
pub fn dump(file: &Dockerfile<'_>) -> String {
    let mut out = String::new();
    for inst in &file.instructions {
        out.push('(');
        instruction(inst, &mut out);
        out.push_str(")\n");
    }
    out
}

/// One instruction as BuildKit reads it, without the parentheses of
/// [`dump`]: its keyword, flags and arguments.
pub fn dump_instruction(inst: &Instruction<'_>) -> String {
    let mut out = String::new();
    instruction(inst, &mut out);
    out
}

fn instruction(inst: &Instruction<'_>, out: &mut String) {
    out.push_str(&inst.keyword.text.to_lowercase());
    if !inst.flags.is_empty() {
        out.push_str(" [");
        for (i, flag) in inst.flags.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            go_quote(&flag.text, out);
        }
        out.push(']');
    }
    if inst.kind == InstructionKind::Unknown {
        // BuildKit's parser ignores the arguments of unknown instructions.
        out.push_str(" \"\"");
        return;
    }
    arguments(&inst.args, out);
}

fn arguments(args: &Arguments<'_>, out: &mut String) {
    let item = |s: &str, out: &mut String| {
        out.push(' ');
        go_quote(s, out);
    };
    match args {
        Arguments::Empty => {}
        Arguments::Exec(e) => e.elements.iter().for_each(|w| item(&w.text, out)),
        Arguments::Shell(w) => item(&w.text, out),
        Arguments::List(ws) => ws.iter().for_each(|w| item(&w.text, out)),
        Arguments::KeyValues(pairs) => {
            for p in pairs {
                item(&p.key.text, out);
                item(p.value.as_ref().map_or("", |v| &v.text), out);
                item(if p.equals.is_some() { "=" } else { "" }, out);
            }
        }
        Arguments::ArgDecls(decls) => decls.iter().for_each(|d| item(&d.word.text, out)),
        Arguments::Healthcheck(h) => {
            item(&h.kind.text, out);
            arguments(&h.command, out);
        }
        Arguments::Onbuild(inner) => {
            out.push_str(" (");
            instruction(inner, out);
            out.push(')');
        }
    }
}

/// Go's `strconv.Quote`.
pub(crate) fn go_quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\x7f' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_printable(c) => out.push(c),
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
}

/// Approximates Go's `unicode.IsPrint`: graphic characters and ASCII space.
fn is_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    !(c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
        || ('\u{e000}'..='\u{f8ff}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_go() {
        let q = |s: &str| {
            let mut out = String::new();
            go_quote(s, &mut out);
            out
        };
        assert_eq!(q("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(q("\t\n\0"), r#""\t\n\x00""#);
        assert_eq!(q("♥ ☃"), "\"♥ ☃\"");
        assert_eq!(q("\u{a0}"), r#""\u00a0""#);
    }
}
