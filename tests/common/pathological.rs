//! Pathological Dockerfiles, generated at a chosen size `n`, for the
//! completion tests (tests/pathological.rs) and the scaling benchmark
//! (benches/scaling.rs). Each one ends with a finding whose place is known,
//! so that tests can check that analysis went all the way through.
#![allow(dead_code)]

/// One generated input: a name, the bytes, and where the last finding is
/// expected (`rule`, 1-based line).
pub struct Input {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    pub last: (&'static str, u32),
}

/// A single line of `n` bytes: `RUN echo xxxx... && sudo true`.
pub fn long_line(n: usize) -> Input {
    let mut s = String::from("FROM alpine:3.20\nRUN echo ");
    s.push_str(&"x".repeat(n));
    s.push_str(" && sudo true\nUSER app\n");
    Input {
        name: "long line",
        bytes: s.into_bytes(),
        last: ("SEC014", 2),
    }
}

/// One RUN spread over `n` continuation lines, a comment line every tenth.
pub fn continuations(n: usize) -> Input {
    let mut s = String::from("FROM alpine:3.20\nRUN true");
    for i in 0..n {
        s.push_str(" \\\n");
        if i % 10 == 9 {
            s.push_str("# a comment inside the continuation\n");
        }
        s.push_str(" && true");
    }
    s.push_str(" && sudo true\nUSER app\n");
    let lines = s.lines().count() as u32;
    Input {
        name: "continuation lines",
        bytes: s.into_bytes(),
        last: ("SEC014", lines - 1),
    }
}

/// `n` instructions, cycling through every kind.
pub fn instructions(n: usize) -> Input {
    let kinds = [
        "RUN apk add --no-cache curl",
        "ENV A=1 B=\"two words\"",
        "ARG V=1.0",
        "LABEL org.opencontainers.image.version=$V",
        "COPY --chown=app:app src/ /app/src/",
        "WORKDIR /app",
        "EXPOSE 8080/tcp",
        "HEALTHCHECK --interval=30s CMD [\"wget\", \"-q\", \"localhost\"]",
        "ONBUILD RUN make",
        "CMD [\"app\"]",
    ];
    let mut s = String::from("FROM alpine:3.20\n");
    for i in 0..n {
        s.push_str(kinds[i % kinds.len()]);
        s.push('\n');
    }
    s.push_str("USER root\n");
    Input {
        name: "instructions",
        bytes: s.into_bytes(),
        last: ("SEC002", n as u32 + 2),
    }
}

/// `n` RUN heredocs, half on their own line, half several to a line.
pub fn heredocs(n: usize) -> Input {
    let mut s = String::from("FROM alpine:3.20\n");
    let mut i = 0;
    while i < n {
        if i % 2 == 0 {
            s.push_str(&format!("RUN <<EOF{i}\necho {i}\nEOF{i}\n"));
            i += 1;
        } else {
            let k = (n - i).min(4);
            s.push_str("RUN cat");
            for j in 0..k {
                s.push_str(&format!(" <<-\"E{}\"", i + j));
            }
            s.push('\n');
            for j in 0..k {
                s.push_str(&format!("\tbody {}\n\tE{}\n", i + j, i + j));
            }
            i += k;
        }
    }
    s.push_str("RUN <<EOF\nsudo true\nEOF\nUSER app\n");
    let lines = s.lines().count() as u32;
    Input {
        name: "heredocs",
        bytes: s.into_bytes(),
        last: ("SEC014", lines - 2),
    }
}

/// Quotes and `$(...)` nested `n` deep (`"$(echo 'x' $(echo "...")")"`,
/// valid for bash and dash), then balanced again, with a line continuation
/// every 1,000 levels (BuildKit's lines stop at 64 KiB).
pub fn nesting(n: usize) -> Input {
    let mut s = String::from("FROM alpine:3.20\nRUN echo ");
    let mut lines = 2;
    let mut wrap = |s: &mut String, i: usize| {
        if i % 1_000 == 999 {
            s.push_str("\\\n");
            lines += 1;
        }
    };
    for i in 0..n {
        s.push_str(if i % 2 == 0 {
            "\"$(echo 'x' "
        } else {
            "$(echo \""
        });
        wrap(&mut s, i);
    }
    s.push_str("`echo deep`");
    for i in (0..n).rev() {
        s.push_str(if i % 2 == 0 { ")\"" } else { "\")" });
        wrap(&mut s, i);
    }
    s.push_str(" && sudo true\nUSER app\n");
    Input {
        name: "nested quotes and $()",
        bytes: s.into_bytes(),
        last: ("SEC014", lines),
    }
}

/// Words of `n` bytes in every place a word goes: image, stage, flag,
/// key, value, command name and argument.
pub fn long_words(n: usize) -> Input {
    let w = "w".repeat(n);
    let s = format!(
        "FROM alpine:3.20 AS {w}\n\
         FROM {w}:{w} AS b\n\
         ARG {w}={w}\n\
         ENV {w}={w}\n\
         LABEL {w}=\"{w}\"\n\
         COPY --from={w} /{w} /{w}\n\
         RUN --mount=type=cache,target=/{w} {w} --{w}={w} -{w}\n\
         FROM alpine:3.20\n\
         RUN sudo {w}\n\
         USER app\n"
    );
    Input {
        name: "long words",
        bytes: s.into_bytes(),
        last: ("SEC014", 9),
    }
}

/// NUL bytes inside comments, arguments, heredocs and values, `n` each.
pub fn nul_bytes(n: usize) -> Input {
    let z = "\0".repeat(n);
    let s = format!(
        "# {z}\nFROM alpine:3.20\nLABEL a=\"{z}\"\nRUN echo {z}\nRUN <<EOF\n{z}\nEOF\nRUN sudo true {z}\nUSER app\n"
    );
    Input {
        name: "NUL bytes",
        bytes: s.into_bytes(),
        last: ("SEC014", 8),
    }
}

/// Invalid UTF-8 (`n` stray bytes in a label), and a finding after it.
pub fn invalid_utf8(n: usize) -> Input {
    let mut b = b"FROM alpine:3.20\nLABEL a=\"".to_vec();
    for i in 0..n {
        b.push([0xff, 0xc3, 0x80, 0xe2][i % 4]);
    }
    b.extend_from_slice(b"\"\nRUN sudo true\nUSER app\n");
    Input {
        name: "invalid UTF-8",
        bytes: b,
        last: ("SEC014", 3),
    }
}

/// `n` lines ending in LF, CRLF and a lone CR in turn (a lone CR is not a
/// line break for BuildKit).
pub fn mixed_line_ends(n: usize) -> Input {
    let mut s = String::from("FROM alpine:3.20\r\n");
    let mut lines = 1;
    for i in 0..n {
        match i % 3 {
            0 => s.push_str("RUN echo lf\n"),
            1 => s.push_str("RUN echo crlf \\\r\n  && true\r\n"),
            _ => s.push_str("RUN echo cr\r echo same-line\n"),
        }
        lines += if i % 3 == 1 { 2 } else { 1 };
    }
    s.push_str("RUN sudo true\r\nUSER app\r\n");
    Input {
        name: "mixed CR/LF/CRLF",
        bytes: s.into_bytes(),
        last: ("SEC014", lines + 1),
    }
}

/// A byte order mark at the start and `n` more in mid-file, at the start
/// of lines (an unknown instruction for BuildKit) and inside values.
pub fn mid_file_boms(n: usize) -> Input {
    let mut s = String::from("\u{feff}FROM alpine:3.20\n");
    for i in 0..n {
        if i % 2 == 0 {
            s.push_str("LABEL a=\"\u{feff}\"\n");
        } else {
            s.push_str("\u{feff}RUN true\n");
        }
    }
    s.push_str("RUN sudo true\nUSER app\n");
    Input {
        name: "mid-file BOMs",
        bytes: s.into_bytes(),
        last: ("SEC014", n as u32 + 2),
    }
}

/// `n` stages: named (`AS sN`), unnamed, and built on an earlier named
/// stage, in turn; each copies from a stage by name, from the one before
/// by index, and from an image. Then a stage that reuses the first one's
/// name (COR001) and ends as root (SEC002).
pub fn stages(n: usize) -> Input {
    let mut s = String::from("FROM alpine:3.20 AS s0\nRUN make\n");
    let mut named = 0;
    for i in 1..n {
        match i % 3 {
            0 => s.push_str(&format!("FROM alpine:3.20 AS s{i}\n")),
            1 => s.push_str("FROM alpine:3.20\n"),
            _ => s.push_str(&format!("FROM s{named} AS s{i}\n")),
        }
        s.push_str(&format!(
            "COPY --from=s{named} /out /in\n\
             COPY --from={} /out /in\n\
             COPY --from=alpine:3.20 /etc/os-release /\n",
            i - 1
        ));
        if i % 3 != 1 {
            named = i;
        }
    }
    s.push_str("FROM alpine:3.20 AS s0\nUSER root\n");
    let lines = s.lines().count() as u32;
    Input {
        name: "stages",
        bytes: s.into_bytes(),
        last: ("SEC002", lines),
    }
}

/// `n` stages without names (`FROM alpine:3.20` and a RUN), the last one
/// running sudo.
pub fn unnamed_stages(n: usize) -> Input {
    let mut s = "FROM alpine:3.20\nRUN make\n".repeat(n);
    s.push_str("RUN sudo true\nUSER app\n");
    Input {
        name: "unnamed stages",
        bytes: s.into_bytes(),
        last: ("SEC014", 2 * n as u32 + 1),
    }
}

/// A chain of `n` stages, each built on the one before (`FROM s{i-1} AS
/// s{i}`) and each expanding a variable that no stage defines, in a new ENV
/// and in a COPY source. The first stage sets `WHO=root`; the last runs
/// `USER $WHO`, which resolves only through the whole chain (SEC002).
pub fn stage_chain(n: usize) -> Input {
    let mut s = String::from("FROM alpine:3.20 AS s0\nENV WHO=root\n");
    for i in 1..n {
        s.push_str(&format!(
            "FROM s{} AS s{i}\nENV A{i}=$UNDEFINED\nCOPY ${{NOWHERE}}/a /a\n",
            i - 1
        ));
    }
    s.push_str("USER $WHO\n");
    let lines = s.lines().count() as u32;
    Input {
        name: "chained stages",
        bytes: s.into_bytes(),
        last: ("SEC002", lines),
    }
}

/// A `.hadolint.yaml` of `n` ignored codes and `n` severity overrides,
/// each line with a comment of multi-byte characters (YAML positions
/// count characters, spans count bytes).
pub fn hadolint_settings(n: usize) -> String {
    let mut s = String::from("# r\u{e9}glages partag\u{e9}s \u{2014} \u{1f433}\nignored:\n");
    for i in 0..n {
        s.push_str(&format!(
            "  - DL{} # \u{e9}t\u{e9} \u{20ac}\n",
            3000 + i % 1000
        ));
    }
    s.push_str("override:\n  error:\n");
    for i in 0..n {
        s.push_str(&format!("    - SC{} # \u{1f600}\n", 1000 + i % 1000));
    }
    s.push_str("failure-threshold: warning\n");
    s
}

/// Every generator at the given scale.
pub fn all(scale: usize) -> Vec<Input> {
    vec![
        long_line(100_000 * scale),
        continuations(2_000 * scale),
        instructions(500 * scale),
        heredocs(100 * scale),
        nesting(20 * scale),
        long_words(10_000 * scale),
        nul_bytes(1_000 * scale),
        invalid_utf8(1_000 * scale),
        mixed_line_ends(1_000 * scale),
        mid_file_boms(500 * scale),
        stages(400 * scale),
        unnamed_stages(400 * scale),
        stage_chain(400 * scale),
    ]
}
