//! BuildKit's instruction layer: the checks `instructions.Parse` makes on a
//! parsed line (argument counts, known flags and their values, stage names,
//! HEALTHCHECK and ONBUILD rules). Messages follow BuildKit's wording so that
//! users recognise them from `docker build`.

use super::ast::{Arguments, Flag, Instruction, InstructionKind};
use super::error::{SyntaxError, SyntaxErrorKind};
use crate::span::Span;

#[derive(Clone, Copy, PartialEq, Eq)]
enum FlagType {
    Bool,
    String,
    /// Repeatable.
    Strings,
}

use FlagType::{Bool, Strings};
const STR: FlagType = FlagType::String;

/// Flags each instruction accepts. `None`: BuildKit does not check flags at
/// all (ARG, STOPSIGNAL); `Some(&[])`: any flag is an error.
fn allowed_flags(kind: InstructionKind) -> Option<&'static [(&'static str, FlagType)]> {
    Some(match kind {
        InstructionKind::From => &[("platform", STR)],
        InstructionKind::Run => &[
            ("mount", Strings),
            ("network", STR),
            ("security", STR),
            ("device", Strings),
        ],
        InstructionKind::Copy => &[
            ("chown", STR),
            ("from", STR),
            ("chmod", STR),
            ("link", Bool),
            ("exclude", Strings),
            ("parents", Bool),
        ],
        InstructionKind::Add => &[
            ("chown", STR),
            ("chmod", STR),
            ("link", Bool),
            ("keep-git-dir", Bool),
            ("checksum", STR),
            ("unpack", Bool),
            ("exclude", Strings),
        ],
        InstructionKind::Healthcheck => &[
            ("interval", STR),
            ("timeout", STR),
            ("start-period", STR),
            ("start-interval", STR),
            ("retries", STR),
        ],
        InstructionKind::Arg | InstructionKind::Stopsignal | InstructionKind::Unknown => {
            return None;
        }
        _ => &[],
    })
}

fn err(kind: SyntaxErrorKind, span: Span, message: impl Into<String>) -> SyntaxError {
    SyntaxError::new(kind, span, message)
}

/// Validates one top-level instruction.
pub(crate) fn instruction(inst: &Instruction<'_>, errors: &mut Vec<SyntaxError>) {
    let kw = inst.keyword.span;
    let name = inst.kind.as_str();
    match inst.kind {
        InstructionKind::Unknown => {
            let word = &inst.keyword.text;
            let mut e = err(
                SyntaxErrorKind::UnknownInstruction,
                kw,
                format!("unknown instruction: {word}"),
            );
            if let Some(s) = suggest(word, InstructionKind::ALL.iter().map(|k| k.as_str()), false) {
                let s = if word.chars().all(|c| !c.is_lowercase()) {
                    s.to_owned()
                } else {
                    s.to_ascii_lowercase()
                };
                e.message.push_str(&format!(" (did you mean {s}?)"));
            }
            errors.push(e);
            return;
        }
        InstructionKind::Healthcheck => {
            healthcheck(inst, errors);
            return;
        }
        _ => {}
    }
    check_flags(inst, errors);
    let need = |errors: &mut Vec<SyntaxError>, what: &str| {
        errors.push(err(
            SyntaxErrorKind::ArgumentCount,
            args_span(inst).unwrap_or(kw),
            format!("{name} requires {what}"),
        ));
    };
    match (&inst.kind, &inst.args) {
        (
            InstructionKind::Maintainer
            | InstructionKind::Workdir
            | InstructionKind::User
            | InstructionKind::Stopsignal,
            Arguments::Empty,
        ) => need(errors, "exactly one argument"),
        (
            InstructionKind::Env
            | InstructionKind::Label
            | InstructionKind::Arg
            | InstructionKind::Expose
            | InstructionKind::Volume
            | InstructionKind::Onbuild,
            Arguments::Empty,
        ) => need(errors, "at least one argument"),
        (InstructionKind::Env | InstructionKind::Label, Arguments::KeyValues(pairs)) => {
            for pair in pairs
                .iter()
                .filter(|p| p.value.is_some() && p.key.text.is_empty())
            {
                errors.push(err(
                    SyntaxErrorKind::EmptyName,
                    pair.span,
                    format!("{name} names can not be blank"),
                ));
            }
        }
        (InstructionKind::Arg, Arguments::ArgDecls(decls)) => {
            for decl in decls
                .iter()
                .filter(|d| d.equals.is_some() && d.name.text.is_empty())
            {
                errors.push(err(
                    SyntaxErrorKind::EmptyName,
                    decl.word.span,
                    "ARG names can not be blank",
                ));
            }
        }
        (InstructionKind::Add | InstructionKind::Copy, args) => copy_args(inst, args, errors),
        (InstructionKind::Volume, args) => {
            for w in args.words().iter().filter(|w| w.text.trim().is_empty()) {
                errors.push(err(
                    SyntaxErrorKind::ArgumentCount,
                    w.span,
                    "VOLUME specified can not be an empty string",
                ));
            }
        }
        (InstructionKind::From, args) => from_args(inst, args, errors),
        (InstructionKind::Shell, Arguments::Exec(e)) if e.elements.is_empty() => {
            need(errors, "at least one argument")
        }
        (InstructionKind::Shell, Arguments::Shell(_)) => errors.push(
            err(
                SyntaxErrorKind::ShellNotJson,
                args_span(inst).unwrap_or(kw),
                "SHELL requires the arguments to be in JSON form",
            )
            .with_help("write it as a JSON array, e.g. SHELL [\"/bin/bash\", \"-c\"]"),
        ),
        (InstructionKind::Shell, Arguments::Empty) => need(errors, "at least one argument"),
        (InstructionKind::Onbuild, Arguments::Onbuild(trigger)) => {
            let t = trigger.kind;
            let message = match t {
                InstructionKind::Onbuild => {
                    Some("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".to_owned())
                }
                InstructionKind::Maintainer | InstructionKind::From => {
                    Some(format!("{t} isn't allowed as an ONBUILD trigger"))
                }
                _ => None,
            };
            if let Some(message) = message {
                errors.push(err(
                    SyntaxErrorKind::InvalidOnbuildTrigger,
                    trigger.keyword.span,
                    message,
                ));
            }
        }
        _ => {}
    }
    if inst.kind == InstructionKind::Run {
        run_flags(inst, errors);
    }
}

/// From the first argument to the end of the instruction.
fn args_span(inst: &Instruction<'_>) -> Option<Span> {
    let start = match &inst.args {
        Arguments::Empty => return None,
        Arguments::Exec(e) => e.span.start,
        Arguments::Shell(w) => w.span.start,
        Arguments::List(ws) => ws.first()?.span.start,
        Arguments::KeyValues(kv) => kv.first()?.span.start,
        Arguments::ArgDecls(d) => d.first()?.word.span.start,
        Arguments::Healthcheck(h) => h.kind.span.start,
        Arguments::Onbuild(i) => i.keyword.span.start,
    };
    Some(Span::new(start, inst.span.end.max(start)))
}

fn check_flags(inst: &Instruction<'_>, errors: &mut Vec<SyntaxError>) {
    let Some(allowed) = allowed_flags(inst.kind) else {
        return;
    };
    // Bit i: the i-th allowed flag was seen.
    let mut used = 0u32;
    for flag in &inst.flags {
        let name = &*flag.name.text;
        let shown = || format!("--{name}");
        let Some((index, &(_, ty))) = allowed.iter().enumerate().find(|(_, (n, _))| *n == name)
        else {
            let shown = shown();
            let mut e = err(
                SyntaxErrorKind::UnknownFlag,
                flag.span,
                format!("unknown flag: {shown}"),
            );
            if let Some(s) = suggest(name, allowed.iter().map(|(n, _)| *n), true) {
                e.message.push_str(&format!(" (did you mean {s}?)"));
            }
            if allowed.is_empty() {
                e = e.with_help(format!("{} takes no flags", inst.kind));
            }
            errors.push(e);
            continue;
        };
        let bit = 1u32 << index;
        if ty != Strings && used & bit != 0 {
            errors.push(err(
                SyntaxErrorKind::DuplicateFlag,
                flag.span,
                format!("duplicate flag specified: {}", shown()),
            ));
        }
        used |= bit;
        match (ty, &flag.value) {
            (Bool, Some(v)) if v.text.is_empty() => errors.push(err(
                SyntaxErrorKind::FlagMissingValue,
                flag.span,
                format!("missing a value on flag: {}", shown()),
            )),
            (Bool, Some(v))
                if !v.text.eq_ignore_ascii_case("true")
                    && !v.text.eq_ignore_ascii_case("false") =>
            {
                errors.push(err(
                    SyntaxErrorKind::FlagInvalidValue,
                    v.span,
                    format!(
                        "expecting boolean value for flag {}, not: {}",
                        shown(),
                        v.text
                    ),
                ))
            }
            (FlagType::String | Strings, None) => errors.push(
                err(
                    SyntaxErrorKind::FlagMissingValue,
                    flag.span,
                    format!("missing a value on flag: {}", shown()),
                )
                .with_help(format!(
                    "flags take their value after `=`: `{}=<value>`",
                    shown()
                )),
            ),
            _ => {}
        }
    }
}

fn copy_args(inst: &Instruction<'_>, args: &Arguments<'_>, errors: &mut Vec<SyntaxError>) {
    let words = args.words();
    let name = inst.kind;
    if words.len() < 2 {
        errors.push(err(
            SyntaxErrorKind::ArgumentCount,
            args_span(inst).unwrap_or(inst.keyword.span),
            format!(
                "{name} requires at least two arguments, but only one was provided. Destination could not be determined"
            ),
        ));
        return;
    }
    if let Some(dest) = words.last()
        && !matches!(args, Arguments::Exec(_))
        && is_heredoc_word(&dest.text)
    {
        errors.push(err(
            SyntaxErrorKind::MisplacedHeredoc,
            dest.span,
            format!("{name} cannot accept a heredoc as a destination"),
        ));
    }
}

/// Whether BuildKit's `MustParseHeredoc` recognises `word` as a heredoc.
fn is_heredoc_word(word: &str) -> bool {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let Some(rest) = word[digits..].strip_prefix("<<") else {
        return false;
    };
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let rest = rest.trim_start_matches([' ', '\t', '\n', '\r', '\x0c']);
    !rest.is_empty() && !rest.contains('<') && super::lex::heredoc_name(rest).is_some()
}

fn from_args(inst: &Instruction<'_>, args: &Arguments<'_>, errors: &mut Vec<SyntaxError>) {
    let words = args.words();
    let span = || args_span(inst).unwrap_or(inst.keyword.span);
    match words {
        [_] => {}
        [_, as_kw, name] if as_kw.text.eq_ignore_ascii_case("as") => {
            // `^[a-z][a-z0-9-_.]*$` on the lower-cased name.
            let b = name.text.as_bytes();
            let valid = b.first().is_some_and(u8::is_ascii_alphabetic)
                && b.iter()
                    .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'));
            if !valid {
                errors.push(err(
                    SyntaxErrorKind::InvalidStage,
                    name.span,
                    format!(
                        "invalid name for build stage: {:?}, name can't start with a number or contain symbols",
                        name.text
                    ),
                ));
            }
        }
        _ => errors.push(
            err(
                SyntaxErrorKind::InvalidStage,
                span(),
                "FROM requires either one or three arguments",
            )
            .with_help("write `FROM <image>` or `FROM <image> AS <name>`"),
        ),
    }
}

fn healthcheck(inst: &Instruction<'_>, errors: &mut Vec<SyntaxError>) {
    let Arguments::Healthcheck(h) = &inst.args else {
        errors.push(err(
            SyntaxErrorKind::ArgumentCount,
            inst.keyword.span,
            "HEALTHCHECK requires at least one argument",
        ));
        return;
    };
    let typ = h.kind.text.to_ascii_uppercase();
    if typ == "NONE" {
        if !matches!(*h.command, Arguments::Empty) {
            errors.push(err(
                SyntaxErrorKind::InvalidHealthcheck,
                args_span(inst).unwrap_or(h.kind.span),
                "HEALTHCHECK NONE takes no arguments",
            ));
        }
        return;
    }
    check_flags(inst, errors);
    for flag in &inst.flags {
        let Some(value) = &flag.value else { continue };
        let name = &*flag.name.text;
        let problem = match name {
            "interval" | "timeout" | "start-period" | "start-interval" => {
                match parse_go_duration(&value.text) {
                    Err(e) => Some(e),
                    Ok(d) if d != 0 && d < 1_000_000 => {
                        Some(format!("Interval {name:?} cannot be less than 1ms"))
                    }
                    Ok(_) => None,
                }
            }
            "retries" if !value.text.is_empty() => match value.text.parse::<i32>() {
                Err(_) => Some(format!(
                    "strconv.ParseInt: parsing {:?}: invalid syntax",
                    value.text
                )),
                Ok(n) if n < 0 => Some(format!("--retries cannot be negative ({n})")),
                Ok(_) => None,
            },
            _ => None,
        };
        if let Some(message) = problem {
            errors.push(err(SyntaxErrorKind::FlagInvalidValue, value.span, message));
        }
    }
    if typ == "CMD" {
        let empty = match &*h.command {
            Arguments::Empty => true,
            Arguments::Exec(e) => e.elements.is_empty(),
            _ => false,
        };
        if empty {
            errors.push(err(
                SyntaxErrorKind::InvalidHealthcheck,
                h.kind.span,
                "Missing command after HEALTHCHECK CMD",
            ));
        }
    } else {
        errors.push(
            err(
                SyntaxErrorKind::InvalidHealthcheck,
                h.kind.span,
                format!("Unknown type {typ:?} in HEALTHCHECK (try CMD)"),
            )
            .with_help("use `HEALTHCHECK CMD <command>` or `HEALTHCHECK NONE`"),
        );
    }
}

/// Go's `time.ParseDuration`, in nanoseconds (saturating; only the sign and
/// the comparison with 1ms matter here). An empty value means "unset".
fn parse_go_duration(s: &str) -> Result<i128, String> {
    if s.is_empty() {
        return Ok(0);
    }
    let invalid = || format!("time: invalid duration {s:?}");
    let (neg, mut rest) = match s.as_bytes()[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: i128 = 0;
    while !rest.is_empty() {
        let b = rest.as_bytes();
        if !(b[0] == b'.' || b[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let int_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
        let int: i128 = rest[..int_len].parse().unwrap_or(0);
        let mut i = int_len;
        let mut frac = 0f64;
        let mut frac_len = 0;
        if b.get(i) == Some(&b'.') {
            i += 1;
            frac_len = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            if frac_len > 0 {
                frac = format!("0.{}", &rest[i..i + frac_len])
                    .parse()
                    .unwrap_or(0.0);
            }
            i += frac_len;
        }
        if int_len == 0 && frac_len == 0 {
            return Err(invalid());
        }
        let unit_len = rest[i..]
            .char_indices()
            .find(|(_, c)| *c == '.' || c.is_ascii_digit())
            .map_or(rest.len() - i, |(j, _)| j);
        let unit = &rest[i..i + unit_len];
        let scale: i128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            "" => return Err(format!("time: missing unit in duration {s:?}")),
            _ => return Err(format!("time: unknown unit {unit:?} in duration {s:?}")),
        };
        total = total.saturating_add(int.saturating_mul(scale));
        total = total.saturating_add((frac * scale as f64) as i128);
        if total > i64::MAX as i128 {
            return Err(invalid());
        }
        rest = &rest[i + unit_len..];
    }
    Ok(if neg { -total } else { total })
}

fn run_flags(inst: &Instruction<'_>, errors: &mut Vec<SyntaxError>) {
    for flag in &inst.flags {
        let Some(value) = &flag.value else { continue };
        let v = &*value.text;
        let message = match &*flag.name.text {
            "network" if !matches!(v, "default" | "none" | "host") => {
                Some(format!("invalid network mode {v:?}"))
            }
            "security" if !matches!(v, "sandbox" | "insecure") => {
                Some(format!("security {v:?} is not valid"))
            }
            "mount" => mount_problem(v),
            "device" => device_problem(v),
            _ => None,
        };
        if let Some(message) = message {
            errors.push(err(
                SyntaxErrorKind::FlagInvalidValue,
                flag_value_span(flag),
                message,
            ));
        }
    }
}

fn flag_value_span(flag: &Flag<'_>) -> Span {
    flag.value.as_ref().map_or(flag.span, |v| v.span)
}

/// The `key=value` fields of a `RUN --mount` value as BuildKit reads them
/// (a CSV record, keys in lower case); none when the record can't be read,
/// which is a syntax error of its own.
pub fn mount_fields(value: &str) -> Vec<(String, String)> {
    csv_fields(value)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|f| {
            f.split_once('=')
                .map(|(k, v)| (k.to_ascii_lowercase(), v.to_owned()))
        })
        .collect()
}

/// One CSV record as Go's `encoding/csv` reads it (no lazy quotes).
fn csv_fields(s: &str) -> Result<Vec<String>, &'static str> {
    let mut fields = Vec::new();
    let mut rest = s;
    loop {
        if let Some(q) = rest.strip_prefix('"') {
            let mut field = String::new();
            let mut r = q;
            loop {
                match r.find('"') {
                    None => return Err("extraneous or missing \" in quoted-field"),
                    Some(i) => {
                        field.push_str(&r[..i]);
                        r = &r[i + 1..];
                        if let Some(after) = r.strip_prefix('"') {
                            field.push('"');
                            r = after;
                        } else if r.is_empty() {
                            fields.push(field);
                            return Ok(fields);
                        } else if let Some(after) = r.strip_prefix(',') {
                            fields.push(field);
                            rest = after;
                            break;
                        } else {
                            return Err("extraneous or missing \" in quoted-field");
                        }
                    }
                }
            }
        } else {
            let (field, next) = match rest.find(',') {
                Some(i) => (&rest[..i], Some(&rest[i + 1..])),
                None => (rest, None),
            };
            if field.contains('"') {
                return Err("bare \" in non-quoted-field");
            }
            fields.push(field.to_owned());
            match next {
                Some(n) => rest = n,
                None => return Ok(fields),
            }
        }
    }
}

fn parse_go_bool(v: &str) -> bool {
    matches!(
        v,
        "1" | "t" | "T" | "TRUE" | "true" | "True" | "0" | "f" | "F" | "FALSE" | "false" | "False"
    )
}

/// BuildKit's `parseMount`. Values holding `$` are only checked as far as
/// BuildKit checks them before variable expansion.
fn mount_problem(value: &str) -> Option<String> {
    let fields = match csv_fields(value) {
        Ok(f) => f,
        Err(e) => return Some(format!("failed to parse csv mounts: {e}")),
    };
    let expanded = !value.contains('$');
    let mut typ = "bind".to_owned();
    let (mut from, mut source, mut target, mut id, mut sharing) =
        (false, false, false, false, false);
    let (mut mode, mut uid, mut gid) = (false, false, false);
    for field in &fields {
        let (key, v) = match field.split_once('=') {
            Some((k, v)) => (k.to_ascii_lowercase(), Some(v)),
            None => (field.to_ascii_lowercase(), None),
        };
        let Some(v) = v else {
            if !expanded {
                continue;
            }
            match key.as_str() {
                "readonly" | "ro" | "readwrite" | "rw" => {}
                "required" if matches!(typ.as_str(), "secret" | "ssh") => {}
                "required" => {
                    return Some(format!("unexpected key '{key}' for mount type '{typ}'"));
                }
                _ => return Some(format!("invalid field '{field}' must be a key=value pair")),
            }
            continue;
        };
        if key == "from"
            && let Some(i) = v.find('$')
            && i != v.len() - 1
        {
            return Some(format!(
                "'{v}' doesn't support variable expansion, define alias stage instead"
            ));
        }
        if !expanded {
            continue;
        }
        match key.as_str() {
            "type" => {
                let t = v.to_ascii_lowercase();
                if !matches!(t.as_str(), "bind" | "cache" | "tmpfs" | "secret" | "ssh") {
                    return Some(format!("unsupported mount type {v:?}"));
                }
                typ = t;
            }
            "from" => from = true,
            "source" | "src" => source = !v.is_empty(),
            "target" | "dst" | "destination" => target = !v.is_empty(),
            "id" => id = !v.is_empty(),
            "env" => {}
            "readonly" | "ro" | "readwrite" | "rw" => {
                if !parse_go_bool(v) {
                    return Some(format!("invalid value for {key}: {v}"));
                }
            }
            "required" => {
                if !matches!(typ.as_str(), "secret" | "ssh") {
                    return Some(format!("unexpected key '{key}' for mount type '{typ}'"));
                }
                if !parse_go_bool(v) {
                    return Some(format!("invalid value for {key}: {v}"));
                }
            }
            "size" => {
                if typ != "tmpfs" {
                    return Some(format!("unexpected key '{key}' for mount type '{typ}'"));
                }
            }
            "sharing" => {
                if !matches!(
                    v.to_ascii_lowercase().as_str(),
                    "shared" | "private" | "locked"
                ) {
                    return Some(format!("unsupported sharing value {v:?}"));
                }
                sharing = true;
            }
            "mode" => {
                if u32::from_str_radix(v, 8).is_err() {
                    return Some(format!("invalid value {v} for mode"));
                }
                mode = true;
            }
            "uid" | "gid" => {
                if v.parse::<u32>().is_err() {
                    return Some(format!("invalid value {v} for {key}"));
                }
                if key == "uid" {
                    uid = true;
                } else {
                    gid = true;
                }
            }
            _ => return Some(format!("unexpected key '{key}' in '{field}'")),
        }
    }
    if !expanded {
        return None;
    }
    let t = typ.as_str();
    let owner_ok = matches!(t, "secret" | "ssh" | "cache");
    for (set, what) in [(mode, "mode"), (uid, "uid"), (gid, "gid")] {
        if set && !owner_ok {
            return Some(format!("{what} not allowed for {t:?} type mounts"));
        }
    }
    if t == "secret" {
        if from {
            return Some("secret mount should not have a from".into());
        }
        if sharing {
            return Some("secret mount should not define sharing".into());
        }
        if !source && !target && !id {
            return Some("invalid secret mount. one of source, target required".into());
        }
        if source && id {
            return Some("both source and id can't be set".into());
        }
    }
    if sharing && t != "cache" {
        return Some(format!("invalid cache sharing set for {t} mount"));
    }
    None
}

/// BuildKit's `ParseDevice`.
fn device_problem(value: &str) -> Option<String> {
    let fields = match csv_fields(value) {
        Ok(f) => f,
        Err(e) => return Some(format!("failed to parse csv devices: {e}")),
    };
    let mut name: Option<&str> = None;
    for field in &fields {
        match field.split_once('=') {
            None if field.eq_ignore_ascii_case("required") => {}
            None if name.is_none() => name = Some(field),
            None => return Some(format!("invalid field '{field}' must be a key=value pair")),
            Some((k, v)) => match k.to_ascii_lowercase().as_str() {
                "name" => {
                    if let Some(n) = name {
                        return Some(format!("device name already set to {n}"));
                    }
                    name = Some(v);
                }
                "required" => {
                    if !parse_go_bool(v) {
                        return Some(format!("invalid value for {k}: {v}"));
                    }
                }
                other => {
                    if name.is_none() {
                        name = Some(field);
                    } else {
                        return Some(format!("unexpected key '{other}' in '{field}'"));
                    }
                }
            },
        }
    }
    None
}

/// A close candidate for a mistyped name: Levenshtein distance below 3, as
/// BuildKit's `suggest.Search`. Exact matches give no suggestion.
fn suggest<'s>(
    word: &str,
    options: impl Iterator<Item = &'s str>,
    case_sensitive: bool,
) -> Option<&'s str> {
    // Names are short ASCII words; anything else is never within reach.
    if word.len() > 20 || !word.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-') {
        return None;
    }
    let norm = |s: &str| {
        if case_sensitive {
            s.to_owned()
        } else {
            s.to_ascii_lowercase()
        }
    };
    let w = norm(word);
    let mut best: Option<(&str, usize)> = None;
    for opt in options {
        let o = norm(opt);
        if o == w {
            return None;
        }
        let d = levenshtein(&w, &o);
        if d < best.map_or(3, |(_, bd)| bd) {
            best = Some((opt, d));
        }
    }
    best.map(|(o, _)| o)
}

/// Edit distance, capped at 3 (all that matters for a suggestion). Names
/// here are short; longer words can't be within 3 edits of any of them.
fn levenshtein(a: &str, b: &str) -> usize {
    const MAX: usize = 24;
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) >= 3 || a.len() > MAX || b.len() > MAX {
        return 3;
    }
    let mut prev = [0usize; MAX + 1];
    let mut cur = [0usize; MAX + 1];
    for (j, p) in prev.iter_mut().enumerate().take(b.len() + 1) {
        *p = j;
    }
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("5s"), Ok(5_000_000_000));
        assert_eq!(parse_go_duration("1m30s"), Ok(90_000_000_000));
        assert_eq!(parse_go_duration("1.5ms"), Ok(1_500_000));
        assert_eq!(parse_go_duration("0"), Ok(0));
        assert_eq!(parse_go_duration(""), Ok(0));
        assert!(parse_go_duration("5").is_err());
        assert!(parse_go_duration("abc").is_err());
        assert!(parse_go_duration("1x").is_err());
        assert!(parse_go_duration(".s").is_err());
        assert_eq!(parse_go_duration("-2s"), Ok(-2_000_000_000));
    }

    #[test]
    fn mounts() {
        assert_eq!(mount_problem("type=cache,target=/root/.cache"), None);
        assert_eq!(mount_problem("type=secret,id=npm,target=/r/.npmrc"), None);
        assert_eq!(
            mount_problem("type=bind,from=build,source=/a,target=/b"),
            None
        );
        assert!(mount_problem("type=bind,from=$X,source=/a,target=/b").is_some());
        assert_eq!(mount_problem("type=bind,source=$SRC,target=/b,bogus"), None);
        assert!(mount_problem("type=bind,from=${X}x").is_some());
        assert!(mount_problem("type=volume,target=/x").is_some());
        assert!(mount_problem("type=cache,target=/x,bogus=1").is_some());
        assert!(mount_problem("type=secret").is_some());
        assert!(mount_problem("type=bind,target=\"/x").is_some());
        assert_eq!(
            mount_problem("type=cache,target=/x,sharing=locked,ro"),
            None
        );
        assert!(mount_problem("type=bind,sharing=locked,target=/x").is_some());
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            suggest(
                "FORM",
                InstructionKind::ALL.iter().map(|k| k.as_str()),
                false
            ),
            Some("FROM")
        );
        assert_eq!(
            suggest("form", ["from", "chown"].into_iter(), true),
            Some("from")
        );
        assert_eq!(suggest("xyzzy", ["from"].into_iter(), true), None);
    }
}
