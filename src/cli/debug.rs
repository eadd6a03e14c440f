//! `shipshape debug ...`: print how a Dockerfile is read.

use super::input;
use super::{AstFormat, ColorWhen, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::syntax::{self, Arguments, Dockerfile, Instruction, Span, SyntaxError, Word};
use codespan_reporting::diagnostic::{Diagnostic, Label};
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};

fn load(path: &str) -> Result<syntax::Decoded, u8> {
    match input::read(path, input::DEFAULT_MAX_SIZE) {
        Ok(bytes) => Ok(syntax::decode(bytes)),
        Err(e) => {
            eprintln!("error: {}: {e}", input::display_name(path));
            Err(EXIT_ERROR)
        }
    }
}

pub(super) fn ast(path: &str, format: AstFormat, color: ColorWhen) -> u8 {
    let decoded = match load(path) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let file = syntax::parse(&decoded.text);
    let out = match format {
        AstFormat::Tree => tree(&file),
        AstFormat::Json => match serde_json::to_string_pretty(&file) {
            Ok(mut s) => {
                s.push('\n');
                s
            }
            Err(e) => {
                eprintln!("error: cannot serialise the tree: {e}");
                return EXIT_ERROR;
            }
        },
        AstFormat::Buildkit => syntax::dump_buildkit(&file),
    };
    if let Err(e) = std::io::stdout().lock().write_all(out.as_bytes())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("error: cannot write output: {e}");
        return EXIT_ERROR;
    }
    report_errors(path, &decoded, &file, color)
}

pub(super) fn tokens(path: &str, color: ColorWhen) -> u8 {
    let decoded = match load(path) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let file = syntax::parse(&decoded.text);
    let mut out = String::new();
    for token in syntax::tokens(&file) {
        let pos = file.lines().line_col(file.source, token.span.start);
        let _ = writeln!(
            out,
            "{}:{} {:?} {:?}",
            pos.line,
            pos.column,
            token.kind,
            token.span.text(file.source)
        );
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    report_errors(path, &decoded, &file, color)
}

/// Renders syntax errors to stderr; returns the exit code they imply.
fn report_errors(
    path: &str,
    decoded: &syntax::Decoded,
    file: &Dockerfile<'_>,
    color: ColorWhen,
) -> u8 {
    let errors: Vec<&SyntaxError> = decoded.error.iter().chain(&file.errors).collect();
    if errors.is_empty() {
        return EXIT_OK;
    }
    let diags = errors
        .into_iter()
        .map(|e| {
            let mut labels = vec![Label::primary((), e.span.range()).with_message(e.kind.code())];
            labels.extend(
                e.labels
                    .iter()
                    .map(|l| Label::secondary((), l.span.range()).with_message(l.message.clone())),
            );
            let mut diag = Diagnostic::error()
                .with_code(format!("syntax/{}", e.kind.code()))
                .with_message(&e.message)
                .with_labels(labels);
            if let Some(help) = &e.help {
                diag = diag.with_notes(vec![format!("help: {help}")]);
            }
            diag
        })
        .collect();
    let color = super::use_color(color, std::io::stderr().is_terminal());
    let _ = crate::report::render_in_file(
        input::display_name(path),
        &decoded.text,
        diags,
        color,
        &mut std::io::stderr().lock(),
    );
    EXIT_FINDINGS
}

/// The readable tree: directives, comments and instructions in source order.
fn tree(file: &Dockerfile<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Dockerfile (escape {:?}, {} instructions)",
        file.escape,
        file.instructions.len()
    );
    if let Some(bom) = file.bom {
        let _ = writeln!(out, "{} bom", at(file, bom));
    }
    for d in &file.directives {
        let _ = writeln!(
            out,
            "{} directive {} = {:?}",
            at(file, d.span),
            d.kind.as_str(),
            d.value.text
        );
    }
    let mut comments = file.comments.iter().peekable();
    for inst in &file.instructions {
        while let Some(c) = comments.next_if(|c| c.span.start < inst.span.start) {
            let _ = writeln!(out, "{} comment {:?}", at(file, c.span), c.text);
        }
        instruction(file, inst, 0, &mut out);
        while let Some(c) = comments.next_if(|c| c.span.start < inst.span.end) {
            let _ = writeln!(
                out,
                "  {} comment in continuation {:?}",
                at(file, c.span),
                c.text
            );
        }
    }
    for c in comments {
        let _ = writeln!(out, "{} comment {:?}", at(file, c.span), c.text);
    }
    out
}

fn at(file: &Dockerfile<'_>, span: Span) -> String {
    let s = file.lines().line_col(file.source, span.start);
    let e = file.lines().line_col(file.source, span.end);
    if s.line == e.line {
        format!("[{}:{}-{}]", s.line, s.column, e.column)
    } else {
        format!("[{}:{}-{}:{}]", s.line, s.column, e.line, e.column)
    }
}

fn word(file: &Dockerfile<'_>, w: &Word<'_>) -> String {
    format!("{:?} {}", w.text, at(file, w.span))
}

fn instruction(file: &Dockerfile<'_>, inst: &Instruction<'_>, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    let (first, last) = file.line_range(inst.span);
    let _ = writeln!(
        out,
        "{pad}{} {} (lines {first}-{last}) keyword {}",
        at(file, inst.span),
        inst.kind,
        word(file, &inst.keyword)
    );
    for f in &inst.flags {
        let value = f
            .value
            .as_ref()
            .map(|v| format!(" = {}", word(file, v)))
            .unwrap_or_default();
        let _ = writeln!(out, "{pad}  flag {}{value}", word(file, &f.name));
    }
    arguments(file, &inst.args, depth + 1, out);
    for h in &inst.heredocs {
        let mut traits = Vec::new();
        if h.chomp {
            traits.push("chomp");
        }
        if !h.expand {
            traits.push("no-expand");
        }
        if let Some(fd) = h.fd {
            traits.push(if fd == 0 { "fd 0" } else { "fd" });
        }
        let end = match h.terminator {
            Some(t) => format!("terminator {}", at(file, t)),
            None => "unterminated".to_owned(),
        };
        let _ = writeln!(
            out,
            "{pad}  heredoc {:?} opener {} [{}] body {:?} {end}",
            h.name,
            word(file, &h.opener),
            traits.join(", "),
            h.content
        );
    }
}

fn arguments(file: &Dockerfile<'_>, args: &Arguments<'_>, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    match args {
        Arguments::Empty => {}
        Arguments::Exec(e) => {
            let _ = writeln!(out, "{pad}exec {}", at(file, e.span));
            for w in &e.elements {
                let _ = writeln!(out, "{pad}  {}", word(file, w));
            }
        }
        Arguments::Shell(w) => {
            let _ = writeln!(out, "{pad}shell {}", word(file, w));
        }
        Arguments::List(ws) => {
            let _ = writeln!(out, "{pad}list");
            for w in ws {
                let _ = writeln!(out, "{pad}  {}", word(file, w));
            }
        }
        Arguments::KeyValues(pairs) => {
            for p in pairs {
                let value = p.value.as_ref().map(|v| word(file, v)).unwrap_or_default();
                let form = if p.equals.is_some() { "=" } else { "(legacy)" };
                let _ = writeln!(out, "{pad}pair {} {form} {value}", word(file, &p.key));
            }
        }
        Arguments::ArgDecls(decls) => {
            for d in decls {
                let default = d
                    .default
                    .as_ref()
                    .map(|v| format!(" = {}", word(file, v)))
                    .unwrap_or_default();
                let _ = writeln!(out, "{pad}arg {}{default}", word(file, &d.name));
            }
        }
        Arguments::Healthcheck(h) => {
            let _ = writeln!(out, "{pad}healthcheck type {}", word(file, &h.kind));
            arguments(file, &h.command, depth + 1, out);
        }
        Arguments::Onbuild(inner) => instruction(file, inner, depth, out),
    }
}
