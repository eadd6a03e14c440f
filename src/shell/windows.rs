//! cmd.exe and PowerShell command lines, split just far enough to read
//! command names, flags and arguments: words at whitespace, `"..."` (and
//! PowerShell's `'...'`) quoting, `^` (cmd) or backtick (PowerShell)
//! escapes, and commands at `&&`, `||`, `&`, `|`, `;` and newlines. Blocks,
//! variables and expressions are not interpreted.

use super::script::Origin;
use super::{Command, Op, Script, ShellWord};

pub fn split_windows(text: &str, origin: Origin<'_>, powershell: bool) -> Script {
    let mut script = Script {
        dialect: if powershell {
            super::Dialect::PowerShell
        } else {
            super::Dialect::Cmd
        },
        ..Script::default()
    };
    let bytes = text.as_bytes();
    let escape = if powershell { b'`' } else { b'^' };
    let mut words: Vec<ShellWord> = Vec::new();
    let mut op_before = Op::None;
    let mut pipeline = 0u32;
    let mut i = 0;
    let mut finish = |words: &mut Vec<ShellWord>, op_after: Op, op_before: &mut Op| {
        if let Some(c) = command(std::mem::take(words), *op_before, op_after, pipeline) {
            script.commands.push(c);
        }
        if op_after != Op::Pipe {
            pipeline += 1;
        }
        *op_before = op_after;
    };
    while i < bytes.len() {
        let c = bytes[i];
        let op = match c {
            b'&' if bytes.get(i + 1) == Some(&b'&') => Some((Op::And, 2)),
            b'|' if bytes.get(i + 1) == Some(&b'|') => Some((Op::Or, 2)),
            b'&' => Some((Op::Seq, 1)),
            b'|' => Some((Op::Pipe, 1)),
            b';' | b'\n' | b'\r' => Some((Op::Seq, 1)),
            _ => None,
        };
        if let Some((op, len)) = op {
            finish(&mut words, op, &mut op_before);
            i += len;
            continue;
        }
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        // A word: until unquoted whitespace or an operator.
        let start = i;
        let mut value = String::new();
        let mut quote: Option<u8> = None;
        let mut quoted = false;
        while i < bytes.len() {
            let b = bytes[i];
            match quote {
                Some(q) if b == q => {
                    quote = None;
                    i += 1;
                }
                Some(_) if b == escape && powershell && i + 1 < bytes.len() => {
                    push_char(text, i + 1, &mut value, &mut i);
                }
                Some(_) => push_char(text, i, &mut value, &mut i),
                None => {
                    if b.is_ascii_whitespace() || matches!(b, b'&' | b'|' | b';') {
                        break;
                    }
                    if b == b'"' || (powershell && b == b'\'') {
                        quote = Some(b);
                        quoted = true;
                        i += 1;
                    } else if b == escape && i + 1 < bytes.len() {
                        push_char(text, i + 1, &mut value, &mut i);
                    } else {
                        push_char(text, i, &mut value, &mut i);
                    }
                }
            }
        }
        words.push(ShellWord {
            text: value,
            span: origin.span(start, i),
            quoted,
        });
    }
    finish(&mut words, Op::None, &mut op_before);
    script
}

/// Appends the character at `at` and moves `i` past it.
fn push_char(text: &str, at: usize, value: &mut String, i: &mut usize) {
    match text.get(at..).and_then(|s| s.chars().next()) {
        Some(ch) => {
            value.push(ch);
            *i = at + ch.len_utf8();
        }
        None => *i = at + 1,
    }
}

fn command(words: Vec<ShellWord>, op_before: Op, op_after: Op, pipeline: u32) -> Option<Command> {
    let span = words.first()?.span.cover(words.last()?.span);
    let mut rest = words.into_iter();
    let name = rest.next()?;
    Some(Command {
        name,
        args: rest.collect(),
        assignments: Vec::new(),
        wrappers: Vec::new(),
        heredocs: Vec::new(),
        writes: Vec::new(),
        op_before,
        op_after,
        pipeline,
        nested: false,
        span,
        reading: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str, ps: bool) -> Vec<Vec<String>> {
        split_windows(text, Origin::Source { base: 0 }, ps)
            .commands
            .iter()
            .map(|c| {
                std::iter::once(c.name.text.clone())
                    .chain(c.args.iter().map(|a| a.text.clone()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn cmd_lines() {
        assert_eq!(
            split(
                r#"dotnet nuget add source "https://x/v3/index.json" -n acme -p s3cr3t && echo ok ^& done"#,
                false
            ),
            [
                vec![
                    "dotnet",
                    "nuget",
                    "add",
                    "source",
                    "https://x/v3/index.json",
                    "-n",
                    "acme",
                    "-p",
                    "s3cr3t"
                ],
                vec!["echo", "ok", "&", "done"],
            ]
        );
    }

    #[test]
    fn powershell_lines() {
        assert_eq!(
            split(
                "$ErrorActionPreference = 'Stop'; Invoke-WebRequest -Uri 'https://x/a b.zip' -OutFile a.zip | Out-Null",
                true
            ),
            [
                vec!["$ErrorActionPreference", "=", "Stop"],
                vec![
                    "Invoke-WebRequest",
                    "-Uri",
                    "https://x/a b.zip",
                    "-OutFile",
                    "a.zip"
                ],
                vec!["Out-Null"],
            ]
        );
        let s = split_windows("a `\"b c`\" d", Origin::Source { base: 0 }, true);
        assert_eq!(s.commands[0].args[0].text, "\"b");
    }

    #[test]
    fn spans() {
        let text = "net user  \"x y\"  /add";
        let s = split_windows(text, Origin::Source { base: 10 }, false);
        let c = &s.commands[0];
        assert_eq!(c.args[1].span, crate::syntax::Span::new(20, 25));
        assert_eq!(c.span, crate::syntax::Span::new(10, 10 + text.len() as u32));
    }
}
