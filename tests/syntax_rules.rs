//! The parser's reading of Dockerfiles, rule by rule: a Dockerfile in, the
//! parts (and their spans) or the errors out.

use shipshape::syntax::{
    self, Arguments, DirectiveKind, Dockerfile, InstructionKind, SyntaxErrorKind, TokenKind,
};

fn errors(file: &Dockerfile<'_>) -> Vec<SyntaxErrorKind> {
    file.errors.iter().map(|e| e.kind).collect()
}

fn dump(text: &str) -> String {
    syntax::dump_buildkit(&syntax::parse(text))
}

fn lossless(text: &str) {
    let file = syntax::parse(text);
    let rebuilt: String = syntax::tokens(&file)
        .iter()
        .map(|t| t.span.text(text))
        .collect();
    assert_eq!(rebuilt, text);
    assert!(
        syntax::tokens(&file)
            .iter()
            .all(|t| t.kind != TokenKind::Unknown),
        "{:?}",
        syntax::tokens(&file)
    );
}

#[test]
fn bom_is_skipped_and_kept_as_a_token() {
    let text = "\u{feff}FROM alpine\nRUN true\n";
    let file = syntax::parse(text);
    assert!(file.errors.is_empty());
    assert_eq!(file.bom.map(|s| s.text(text)), Some("\u{feff}"));
    assert_eq!(file.instructions[0].keyword.span.text(text), "FROM");
    lossless(text);
}

#[test]
fn crlf_lines() {
    let text = "FROM alpine\r\nRUN echo a \\\r\n  b\r\nENV A=1\r\n";
    let file = syntax::parse(text);
    assert!(file.errors.is_empty());
    assert_eq!(
        dump(text),
        "(from \"alpine\")\n(run \"echo a   b\")\n(env \"A\" \"1\" \"=\")\n"
    );
    lossless(text);
}

#[test]
fn directives_only_at_the_top() {
    let text = "# syntax=docker/dockerfile:1\n#  ESCAPE = `\n# check=skip=JSONArgsRecommended\n# escape=\\\nFROM a\n";
    let file = syntax::parse(text);
    assert_eq!(
        file.directives
            .iter()
            .map(|d| (d.kind, d.value.text.as_ref()))
            .collect::<Vec<_>>(),
        [
            (DirectiveKind::Syntax, "docker/dockerfile:1"),
            (DirectiveKind::Escape, "`"),
            (DirectiveKind::Check, "skip=JSONArgsRecommended"),
            (DirectiveKind::Escape, "\\"),
        ]
    );
    // The second escape directive is a duplicate: an error, and the first one stays.
    assert_eq!(errors(&file), [SyntaxErrorKind::DuplicateDirective]);
    assert_eq!(file.escape, '`');
    assert_eq!(file.directives[1].value.span.text(text), "`");
    lossless(text);

    for not_directive in [
        "# comment\n# escape=`\nFROM a\n",
        "\n# escape=`\nFROM a\n",
        "# unknown=x\n# escape=`\nFROM a\n",
        "FROM a\n# escape=`\n",
    ] {
        let file = syntax::parse(not_directive);
        assert!(file.directives.is_empty(), "{not_directive:?}");
        assert_eq!(file.escape, '\\');
    }
    let indented = syntax::parse("  # escape=`\nFROM a\n");
    assert_eq!(indented.escape, '`');
}

#[test]
fn bad_escape_directive() {
    let file = syntax::parse("# escape=x\nFROM a\n");
    assert_eq!(errors(&file), [SyntaxErrorKind::InvalidEscape]);
    assert_eq!(file.escape, '\\');
}

#[test]
fn backtick_escape_continues_lines() {
    let text = "# escape=`\nFROM a\nRUN dir C:\\ `\n  && echo done\n";
    assert_eq!(
        dump(text),
        "(from \"a\")\n(run \"dir C:\\\\   && echo done\")\n"
    );
    lossless(text);
}

#[test]
fn comments_and_empty_lines_inside_continuations() {
    let text = "FROM a\nRUN echo a \\\n  # note\n\n   \n  && echo b\n";
    let file = syntax::parse(text);
    assert!(file.errors.is_empty());
    assert_eq!(dump(text), "(from \"a\")\n(run \"echo a   && echo b\")\n");
    assert_eq!(file.comments.len(), 1);
    assert!(file.comments[0].in_continuation);
    assert_eq!(file.comments[0].span.text(text), "# note");
    let empty = file
        .trivia()
        .iter()
        .filter(|t| t.kind == syntax::TriviaKind::EmptyContinuationLine)
        .count();
    assert_eq!(empty, 2);
    assert_eq!(file.line_range(file.instructions[1].span), (2, 6));
    // The shell text maps back to both physical pieces.
    let Arguments::Shell(w) = &file.instructions[1].args else {
        panic!()
    };
    assert_eq!(w.span.text(text), "echo a \\\n  # note\n\n   \n  && echo b");
    lossless(text);
}

#[test]
fn no_trailing_comments() {
    assert_eq!(
        dump("FROM a\nARG V=1 # why\n"),
        "(from \"a\")\n(arg \"V=1\" \"#\" \"why\")\n"
    );
}

#[test]
fn keywords_are_case_insensitive() {
    let text = "from a AS b\nrUn true\n";
    let file = syntax::parse(text);
    assert!(file.errors.is_empty());
    assert_eq!(file.instructions[1].kind, InstructionKind::Run);
    assert_eq!(file.instructions[1].keyword.text, "rUn");
}

#[test]
fn json_or_shell() {
    let text = "FROM a\nCMD [\"a\", \"b c\"]\nCMD [\"a\", 'b']\nCMD [\"a\"] # x\nENTRYPOINT []\nSHELL [\"pwsh\", \"-c\"]\n";
    let file = syntax::parse(text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let Arguments::Exec(e) = &file.instructions[1].args else {
        panic!()
    };
    assert_eq!(e.span.text(text), "[\"a\", \"b c\"]");
    assert_eq!(e.elements[1].span.text(text), "\"b c\"");
    assert_eq!(e.elements[1].text, "b c");
    assert!(matches!(file.instructions[2].args, Arguments::Shell(_)));
    assert!(matches!(file.instructions[3].args, Arguments::Shell(_)));
    assert!(matches!(&file.instructions[4].args, Arguments::Exec(e) if e.elements.is_empty()));
    lossless(text);

    let nested = syntax::parse("FROM a\nCMD [\"a\", [\"b\"]]\nRUN [1]\n");
    assert_eq!(
        errors(&nested),
        [
            SyntaxErrorKind::JsonNotStrings,
            SyntaxErrorKind::JsonNotStrings
        ]
    );
    let shell = syntax::parse("FROM a\nSHELL /bin/sh -c\n");
    assert_eq!(errors(&shell), [SyntaxErrorKind::ShellNotJson]);
}

#[test]
fn flags_with_spans() {
    let text = "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nRUN --mount=type=secret,id=\"my id\",target=/s --network=none make\nCOPY --link --chmod=755 -- a /b\n";
    let file = syntax::parse(text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let from = &file.instructions[0];
    assert_eq!(from.flags[0].name.span.text(text), "platform");
    assert_eq!(
        from.flags[0].value.as_ref().unwrap().span.text(text),
        "$BUILDPLATFORM"
    );
    let run = &file.instructions[1];
    let mount = run.flag("mount").unwrap();
    assert_eq!(
        mount.value.as_ref().unwrap().text,
        "type=secret,id=my id,target=/s"
    );
    assert_eq!(
        mount.value.as_ref().unwrap().span.text(text),
        "type=secret,id=\"my id\",target=/s"
    );
    assert_eq!(
        run.flag("network").unwrap().value.as_ref().unwrap().text,
        "none"
    );
    let copy = &file.instructions[2];
    assert_eq!(copy.flags.len(), 2);
    assert!(copy.flags[0].value.is_none());
    assert_eq!(copy.flag_terminator.map(|s| s.text(text)), Some("--"));
    assert_eq!(copy.args.words().len(), 2);
    lossless(text);
}

#[test]
fn flag_errors() {
    let cases: &[(&str, &[SyntaxErrorKind])] = &[
        (
            "FROM a\nCOPY --form=x a b\n",
            &[SyntaxErrorKind::UnknownFlag],
        ),
        (
            "FROM a\nCOPY --from=x --from=y a b\n",
            &[SyntaxErrorKind::DuplicateFlag],
        ),
        (
            "FROM a\nCOPY --from a b\n",
            &[SyntaxErrorKind::FlagMissingValue],
        ),
        (
            "FROM a\nCOPY --link= a b\n",
            &[SyntaxErrorKind::FlagMissingValue],
        ),
        (
            "FROM a\nCOPY --link=yes a b\n",
            &[SyntaxErrorKind::FlagInvalidValue],
        ),
        ("FROM a\nCOPY --exclude=x --exclude=y a b\n", &[]),
        (
            "FROM a\nRUN --network=bridge true\n",
            &[SyntaxErrorKind::FlagInvalidValue],
        ),
        (
            "FROM a\nRUN --security=privileged true\n",
            &[SyntaxErrorKind::FlagInvalidValue],
        ),
        (
            "FROM a\nRUN --mount=type=volume,target=/x true\n",
            &[SyntaxErrorKind::FlagInvalidValue],
        ),
        (
            "FROM a\nWORKDIR --x=1 /app\n",
            &[SyntaxErrorKind::UnknownFlag],
        ),
        // BuildKit never checks flags on ARG and STOPSIGNAL.
        ("ARG --x=1 A\nFROM a\nSTOPSIGNAL --y SIGTERM\n", &[]),
        (
            "FROM a\nHEALTHCHECK --interval=5 CMD true\n",
            &[SyntaxErrorKind::FlagInvalidValue],
        ),
        (
            "FROM a\nHEALTHCHECK --interval=1us CMD true\n",
            &[SyntaxErrorKind::FlagInvalidValue],
        ),
        (
            "FROM a\nHEALTHCHECK --retries=-1 CMD true\n",
            &[SyntaxErrorKind::FlagInvalidValue],
        ),
        (
            "FROM a\nHEALTHCHECK --interval=30s --retries=3 CMD true\n",
            &[],
        ),
    ];
    for (text, want) in cases {
        assert_eq!(errors(&syntax::parse(text)), *want, "{text:?}");
    }
    let file = syntax::parse("FROM a\nCOPY --form=x a b\n");
    assert_eq!(
        file.errors[0].message,
        "unknown flag: --form (did you mean from?)"
    );
}

#[test]
fn env_and_label_pairs() {
    let text =
        "FROM a\nENV A=1 B=\"x y\" C=a\\ b\nENV PATH /usr/bin:$PATH\nLABEL \"org.key\"=v k=\n";
    let file = syntax::parse(text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let Arguments::KeyValues(pairs) = &file.instructions[1].args else {
        panic!()
    };
    let got: Vec<(&str, &str)> = pairs
        .iter()
        .map(|p| {
            (
                p.key.span.text(text),
                p.value.as_ref().unwrap().span.text(text),
            )
        })
        .collect();
    assert_eq!(got, [("A", "1"), ("B", "\"x y\""), ("C", "a\\ b")]);
    let Arguments::KeyValues(legacy) = &file.instructions[2].args else {
        panic!()
    };
    assert!(legacy[0].equals.is_none());
    assert_eq!(legacy[0].value.as_ref().unwrap().text, "/usr/bin:$PATH");
    let Arguments::KeyValues(label) = &file.instructions[3].args else {
        panic!()
    };
    assert_eq!(label[0].key.text, "\"org.key\"");
    assert_eq!(label[1].value.as_ref().unwrap().text, "");
    lossless(text);

    let cases: &[(&str, &[SyntaxErrorKind])] = &[
        ("FROM a\nENV PATH\n", &[SyntaxErrorKind::MissingValue]),
        ("FROM a\nENV A=1 B\n", &[SyntaxErrorKind::MissingEquals]),
        ("FROM a\nENV =x\n", &[SyntaxErrorKind::EmptyName]),
        ("FROM a\nLABEL\n", &[SyntaxErrorKind::ArgumentCount]),
    ];
    for (text, want) in cases {
        assert_eq!(errors(&syntax::parse(text)), *want, "{text:?}");
    }
}

#[test]
fn arg_declarations() {
    let text = "ARG A B=2 C=\"x y\"\nFROM a\n";
    let file = syntax::parse(text);
    let Arguments::ArgDecls(d) = &file.instructions[0].args else {
        panic!()
    };
    assert_eq!(d.len(), 3);
    assert!(d[0].default.is_none());
    assert_eq!(d[1].name.span.text(text), "B");
    assert_eq!(d[1].default.as_ref().unwrap().span.text(text), "2");
    assert_eq!(d[2].default.as_ref().unwrap().text, "\"x y\"");
    assert_eq!(
        errors(&syntax::parse("FROM a\nARG =1\n")),
        [SyntaxErrorKind::EmptyName]
    );
}

#[test]
fn from_stage_names() {
    assert!(syntax::parse("FROM a AS Build-1.x_y\n").errors.is_empty());
    for bad in [
        "FROM a AS 1st\n",
        "FROM a AS b$\n",
        "FROM a b\n",
        "FROM a AS\n",
        "FROM a as b c\n",
    ] {
        assert_eq!(
            errors(&syntax::parse(bad)),
            [SyntaxErrorKind::InvalidStage],
            "{bad:?}"
        );
    }
}

#[test]
fn healthcheck_forms() {
    let text = "FROM a\nHEALTHCHECK NONE\nHEALTHCHECK --timeout=3s CMD [\"curl\", \"-f\", \"x\"]\nHEALTHCHECK cmd curl -f x\n";
    let file = syntax::parse(text);
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    assert!(file.instructions[2].is_exec_form());
    let bad: &[(&str, SyntaxErrorKind)] = &[
        ("FROM a\nHEALTHCHECK\n", SyntaxErrorKind::ArgumentCount),
        (
            "FROM a\nHEALTHCHECK NONE x\n",
            SyntaxErrorKind::InvalidHealthcheck,
        ),
        (
            "FROM a\nHEALTHCHECK CMD\n",
            SyntaxErrorKind::InvalidHealthcheck,
        ),
        (
            "FROM a\nHEALTHCHECK PING x\n",
            SyntaxErrorKind::InvalidHealthcheck,
        ),
    ];
    for (text, kind) in bad {
        assert_eq!(errors(&syntax::parse(text)), [*kind], "{text:?}");
    }
}

#[test]
fn onbuild_triggers() {
    let text = "FROM a\nONBUILD RUN --mount=type=cache,target=/c make\n";
    let file = syntax::parse(text);
    assert!(file.errors.is_empty());
    let trigger = file.instructions[1].trigger().unwrap();
    assert_eq!(trigger.kind, InstructionKind::Run);
    assert_eq!(trigger.flags[0].name.text, "mount");
    assert_eq!(
        dump(text),
        "(from \"a\")\n(onbuild (run [\"--mount=type=cache,target=/c\"] \"make\"))\n"
    );
    lossless(text);
    for bad in [
        "FROM a\nONBUILD ONBUILD RUN x\n",
        "FROM a\nONBUILD FROM b\n",
        "FROM a\nONBUILD MAINTAINER me\n",
    ] {
        assert_eq!(
            errors(&syntax::parse(bad)),
            [SyntaxErrorKind::InvalidOnbuildTrigger],
            "{bad:?}"
        );
    }
    assert_eq!(
        errors(&syntax::parse("FROM a\nONBUILD\n")),
        [SyntaxErrorKind::ArgumentCount]
    );
}

#[test]
fn argument_counts() {
    let cases: &[(&str, SyntaxErrorKind)] = &[
        ("FROM a\nCOPY a\n", SyntaxErrorKind::ArgumentCount),
        ("FROM a\nADD\n", SyntaxErrorKind::ArgumentCount),
        ("FROM a\nUSER\n", SyntaxErrorKind::ArgumentCount),
        ("FROM a\nWORKDIR\n", SyntaxErrorKind::ArgumentCount),
        ("FROM a\nEXPOSE\n", SyntaxErrorKind::ArgumentCount),
        ("FROM a\nVOLUME [\"\"]\n", SyntaxErrorKind::ArgumentCount),
        ("FROM a\nSHELL []\n", SyntaxErrorKind::ArgumentCount),
        ("FROM a\nMAINTAINER\n", SyntaxErrorKind::ArgumentCount),
    ];
    for (text, kind) in cases {
        assert_eq!(errors(&syntax::parse(text)), [*kind], "{text:?}");
    }
    // One argument each, however many words: BuildKit takes the raw rest.
    assert!(
        syntax::parse("FROM a\nUSER a b\nWORKDIR /x y\n")
            .errors
            .is_empty()
    );
}

#[test]
fn unknown_instruction_suggests_and_parsing_goes_on() {
    let text = "FROM a\nFORM b\nRUN echo \"one\nCOPY a\nENV X\nRUN echo fine\n";
    let file = syntax::parse(text);
    assert_eq!(
        errors(&file),
        [
            SyntaxErrorKind::UnknownInstruction,
            SyntaxErrorKind::ArgumentCount,
            SyntaxErrorKind::MissingValue
        ]
    );
    assert_eq!(
        file.errors[0].message,
        "unknown instruction: FORM (did you mean FROM?)"
    );
    assert_eq!(file.errors[0].span.text(text), "FORM");
    assert_eq!(file.instructions.len(), 6);
    assert_eq!(file.instructions[5].kind, InstructionKind::Run);
    lossless(text);
}

#[test]
fn empty_and_comment_only_files() {
    for text in [
        "",
        "\n\n",
        "# just a comment\n",
        "# syntax=docker/dockerfile:1\n",
    ] {
        assert_eq!(
            errors(&syntax::parse(text)),
            [SyntaxErrorKind::NoInstructions],
            "{text:?}"
        );
        lossless(text);
    }
}

#[test]
fn instructions_before_from() {
    assert!(syntax::parse("ARG V=1\nFROM a:$V\n").errors.is_empty());
    let file = syntax::parse("RUN true\nRUN false\nFROM a\n");
    assert_eq!(errors(&file), [SyntaxErrorKind::NoBuildStage]);
}

#[test]
fn not_utf8_gets_a_diagnostic_and_still_parses() {
    let bytes = b"FROM alpine\nLABEL author=\"J\xe9r\xf4me\"\nRUN true\n".to_vec();
    let decoded = syntax::decode(bytes);
    let error = decoded.error.as_ref().expect("an error");
    assert_eq!(error.kind, SyntaxErrorKind::NotUtf8);
    assert_eq!(error.span.start, 27);
    let file = syntax::parse(&decoded.text);
    assert!(file.errors.is_empty());
    assert_eq!(file.instructions.len(), 3);
}

#[test]
fn pathological_inputs_parse() {
    // A 10 MB line.
    let long = format!("FROM a\nRUN echo {}\n", "x".repeat(10 << 20));
    let file = syntax::parse(&long);
    assert_eq!(errors(&file), [SyntaxErrorKind::LineTooLong]);
    assert_eq!(file.instructions.len(), 2);

    // 200,000 continuation lines.
    let mut cont = String::from("FROM a\nRUN true");
    for _ in 0..200_000 {
        cont.push_str(" \\\n && true");
    }
    cont.push('\n');
    let file = syntax::parse(&cont);
    assert!(file.errors.is_empty());
    assert_eq!(file.line_range(file.instructions[1].span), (2, 200_002));
    lossless(&cont);

    // 10,000 heredocs opened by one instruction (continued over several
    // lines: one physical line may not exceed BuildKit's 64 KiB).
    let mut docs = String::from("FROM a\nRUN cat");
    for i in 0..10_000 {
        docs.push_str(&format!(" <<E{i}"));
        if i % 100 == 99 && i < 9_999 {
            docs.push_str(" \\\n");
        }
    }
    docs.push('\n');
    for i in 0..10_000 {
        docs.push_str(&format!("body {i}\nE{i}\n"));
    }
    let file = syntax::parse(&docs);
    assert!(file.errors.is_empty());
    assert_eq!(file.instructions[1].heredocs.len(), 10_000);
    assert_eq!(file.instructions[1].heredocs[0].content, "body 0\n");
    assert_eq!(file.instructions[1].heredocs[9_999].content, "body 9999\n");
    assert_eq!(file.line_range(file.instructions[1].span), (2, 20_101));
    lossless(&docs);

    // Deep nesting in JSON and in `${...}` must not exhaust the stack.
    let deep = format!(
        "FROM a\nCMD {}\nRUN cat <<EOF {}\n",
        "[".repeat(200_000),
        "${a:-".repeat(100_000)
    );
    let file = syntax::parse(&deep);
    assert_eq!(file.instructions.len(), 3);
}
