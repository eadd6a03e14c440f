//! Heredocs, as BuildKit reads them: the cases of BuildKit's
//! `TestParseExtractsHeredoc` and our own edge cases, from fixtures/syntax/heredoc.

use shipshape::syntax::{
    self, Arguments, Dockerfile, Instruction, InstructionKind, SyntaxErrorKind,
};
use std::path::Path;

#[derive(Debug, PartialEq, Eq)]
struct Doc {
    name: String,
    body: String,
    expand: bool,
    chomp: bool,
    fd: Option<u32>,
    terminated: bool,
}

fn doc(name: &str, body: &str) -> Doc {
    Doc {
        name: name.into(),
        body: body.into(),
        expand: true,
        chomp: false,
        fd: None,
        terminated: true,
    }
}

fn load(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/syntax/heredoc")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn docs_of(inst: &Instruction<'_>) -> Vec<Doc> {
    let target = match &inst.args {
        Arguments::Onbuild(inner) => inner,
        _ => inst,
    };
    target
        .heredocs
        .iter()
        .map(|h| Doc {
            name: h.name.to_string(),
            body: h.content.to_owned(),
            expand: h.expand,
            chomp: h.chomp,
            fd: h.fd,
            terminated: h.terminator.is_some(),
        })
        .collect()
}

fn all_docs(file: &Dockerfile<'_>) -> Vec<Vec<Doc>> {
    file.instructions.iter().map(docs_of).collect()
}

fn kinds(file: &Dockerfile<'_>) -> Vec<InstructionKind> {
    file.instructions.iter().map(|i| i.kind).collect()
}

fn errors(file: &Dockerfile<'_>) -> Vec<SyntaxErrorKind> {
    file.errors.iter().map(|e| e.kind).collect()
}

#[test]
fn buildkit_extracts_heredocs() {
    let text = load("buildkit-extracts.Dockerfile");
    let file = syntax::parse(&text);
    let docs = all_docs(&file);
    let none = Vec::new;
    let chomped = |name: &str, body: &str| Doc {
        chomp: true,
        ..doc(name, body)
    };
    let expected: Vec<Vec<Doc>> = vec![
        none(),                 // FROM
        none(),                 // ENV NAME=me
        none(),                 // RUN ls
        none(),                 // USER <<INVALID: no heredocs on USER
        none(),                 // INVALID
        vec![doc("EMPTY", "")], // RUN <<EMPTY
        vec![Doc {
            fd: Some(3),
            ..doc("EMPTY2", "")
        }], // RUN 3<<EMPTY2
        none(),                 // RUN "<<NOHEREDOC"
        vec![doc("INDENT", "\tfoo\n\tbar\n")], // body kept verbatim
        vec![chomped("UNINDENT", "\tbaz\n\tquux\n")], // <<-: stored unchomped
        vec![chomped("UNINDENT2", "\tbaz\n\tquux\n")], // tab-indented terminator
        vec![chomped("EXPAND", "\texpand $NAME\n")],
        vec![Doc {
            expand: false,
            ..chomped("NOEXPAND", "\tdon't expand $NAME\n")
        }],
        vec![doc("COPY", "echo hello world\necho foo bar\n")],
        vec![doc(
            "COMMENT",
            "# internal comment\necho hello world\necho foo bar # trailing comment\n",
        )],
        vec![doc("MOUNT", "echo hello\n")], // after flags
        vec![doc("FILE1", "content 1\n"), doc("FILE2", "content 2\n")],
        vec![doc("EOF", "\"foo\"\n'bar'\n")],
        vec![doc("X", "Y\n"), doc("Y", "X\n")], // bodies read in order
        vec![doc("COMPLEX", "print('hello world')\n")],
        vec![doc("file.txt", "hello world\n")],
        vec![Doc {
            expand: false,
            ..doc("eof", "echo foo\n")
        }], // <<eo'f'
        vec![doc("eo'f", "echo foo\n")], // <<eo\'f: escapes don't stop expansion
        vec![Doc {
            expand: false,
            ..doc("eo'f", "echo foo\n")
        }], // <<'e'o\'f
        vec![Doc {
            expand: false,
            ..doc("one two", "echo bar\n")
        }],
        vec![doc("$EOF", "")],
        vec![doc("EOF", "")], // <<  EOF
        vec![doc("EOF", "")], // <<  EOF  > foo
    ];
    assert_eq!(docs.len(), expected.len(), "{:?}", kinds(&file));
    for (i, (got, want)) in docs.iter().zip(&expected).enumerate() {
        assert_eq!(got, want, "instruction {i}");
    }
    // The only error: INVALID, the line after `USER <<INVALID`, is not an instruction.
    assert_eq!(errors(&file), vec![SyntaxErrorKind::UnknownInstruction]);
}

#[test]
fn unterminated_heredoc_is_an_error_with_the_rest_as_body() {
    let text = load("unterminated.Dockerfile");
    let file = syntax::parse(&text);
    assert_eq!(errors(&file), vec![SyntaxErrorKind::UnterminatedHeredoc]);
    assert_eq!(
        all_docs(&file)[1],
        vec![Doc {
            terminated: false,
            ..doc("EOF", "echo hi\n")
        }]
    );
    let e = &file.errors[0];
    assert_eq!(e.span.text(&text), "<<EOF");
}

#[test]
fn crlf_bodies_keep_their_line_endings() {
    let text = load("crlf.Dockerfile");
    let file = syntax::parse(&text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert_eq!(
        kinds(&file),
        [
            InstructionKind::From,
            InstructionKind::Run,
            InstructionKind::Run
        ]
    );
    assert_eq!(all_docs(&file)[1], vec![doc("EOF", "echo hi\r\n")]);
}

#[test]
fn an_open_quote_on_the_line_disables_heredocs() {
    let text = load("open-quote-disables.Dockerfile");
    let file = syntax::parse(&text);
    assert!(all_docs(&file).iter().all(Vec::is_empty));
    assert_eq!(
        errors(&file),
        [
            SyntaxErrorKind::UnknownInstruction,
            SyntaxErrorKind::UnknownInstruction
        ]
    );
}

#[test]
fn chomp_marker_followed_by_space_opens_nothing() {
    let text = load("chomp-space.Dockerfile");
    let file = syntax::parse(&text);
    assert!(all_docs(&file).iter().all(Vec::is_empty));
    assert_eq!(errors(&file), [SyntaxErrorKind::UnknownInstruction]);
}

#[test]
fn redirect_glued_to_the_opener_is_part_of_the_name() {
    let text = load("redirect-in-word.Dockerfile");
    let file = syntax::parse(&text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert_eq!(all_docs(&file)[1], vec![doc("EOF>out", "x\n")]);
}

#[test]
fn onbuild_trigger_carries_its_heredoc() {
    let text = load("onbuild.Dockerfile");
    let file = syntax::parse(&text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert_eq!(
        kinds(&file),
        [
            InstructionKind::From,
            InstructionKind::Onbuild,
            InstructionKind::Run
        ]
    );
    assert_eq!(all_docs(&file)[1], vec![doc("EOF", "echo built\n")]);
    assert_eq!(file.line_range(file.instructions[1].span), (2, 4));
}

#[test]
fn exec_form_never_opens_heredocs() {
    let text = load("exec-form.Dockerfile");
    let file = syntax::parse(&text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert_eq!(file.instructions.len(), 4);
    assert!(all_docs(&file).iter().all(Vec::is_empty));
}

#[test]
fn opener_on_a_continuation_line_reads_the_body_after_the_logical_line() {
    let text = load("opener-on-continuation.Dockerfile");
    let file = syntax::parse(&text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert_eq!(all_docs(&file)[1], vec![doc("EOF", "hello\n")]);
    assert_eq!(file.comments.len(), 1);
    assert!(file.comments[0].in_continuation);
}

#[test]
fn heredoc_lexing_uses_backslash_even_with_backtick_escape() {
    let text = load("escape-backtick.Dockerfile");
    let file = syntax::parse(&text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert_eq!(file.escape, '`');
    assert_eq!(all_docs(&file)[1], vec![doc("EOF", "C:\\path\\to\\file\n")]);
}

#[test]
fn several_heredocs_on_one_line() {
    let text = load("several-per-line.Dockerfile");
    let file = syntax::parse(&text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert_eq!(
        all_docs(&file)[1],
        vec![doc("FILE1", "first\n"), doc("FILE2", "second\n")]
    );
}

#[test]
fn terminator_must_match_the_whole_line() {
    let text = load("terminator-exact.Dockerfile");
    let file = syntax::parse(&text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert_eq!(all_docs(&file)[1], vec![doc("EOF", "x\nEOF \n\tEOF\n")]);
}

#[test]
fn chomp_strips_only_tabs_from_the_terminator() {
    let text = load("chomp-tabs-only.Dockerfile");
    let file = syntax::parse(&text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert_eq!(
        all_docs(&file)[1],
        vec![Doc {
            chomp: true,
            ..doc("EOF", "\tx\n\t EOF\n")
        }]
    );
}

#[test]
fn file_descriptor_and_terminator_at_end_of_file() {
    let text = load("fd-no-final-newline.Dockerfile");
    let file = syntax::parse(&text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert_eq!(
        all_docs(&file)[1],
        vec![Doc {
            fd: Some(3),
            ..doc("EOF", "three\n")
        }]
    );
}

#[test]
fn heredoc_as_copy_destination_is_an_error() {
    let text = load("copy-heredoc-destination.Dockerfile");
    let file = syntax::parse(&text);
    assert_eq!(errors(&file), [SyntaxErrorKind::MisplacedHeredoc]);
}

#[test]
fn bodies_are_verbatim() {
    let text = load("body-verbatim.Dockerfile");
    let file = syntax::parse(&text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert_eq!(file.instructions.len(), 2);
    assert_eq!(
        all_docs(&file)[1],
        vec![doc("EOF", "# escape=`\necho a \\\n\nFROM scratch\n")]
    );
    assert!(file.directives.is_empty() && file.comments.is_empty());
}
