//! Command lines read with a table of the command's flags (`[[command]]`
//! in the rule data): which flags take a value, so that the first word
//! after the flags is known to be an operand (`docker run`'s image) and
//! the words after it are not the command's own flags (they are the
//! container's command and its arguments).

use super::{Command, base_name};
use std::cell::OnceCell;
use std::collections::HashSet;

/// The flags of one command (or a few look-alike tools) and of the
/// subcommands the table describes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlagTable {
    /// Command names, by base name: `docker`.
    pub names: Vec<String>,
    /// The subcommands this table is for, each one or more words: `run`,
    /// `container run`.
    pub subcommands: Vec<Vec<String>>,
    /// Flags of the command itself, before the subcommand, that take a
    /// value (`docker -H tcp://x run`).
    pub global_value_flags: HashSet<String>,
    /// Flags of the subcommands that take a value: `-v`, `--volume`.
    pub value_flags: HashSet<String>,
    /// Flags of the subcommands that take none (`--privileged`); a flag in
    /// neither list is read as one of these.
    pub flags: HashSet<String>,
}

/// Where a flag's value is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagValue {
    /// In the flag's own word, from this byte on: `--net=host`, `-v/x:/y`.
    Inline(usize),
    /// The next argument: `--net host`.
    Next(usize),
}

/// One flag given on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GivenFlag {
    /// The argument the flag is written in.
    pub arg: usize,
    /// The flag's name as the table spells it: `--net`, `-v` (one letter
    /// of a bundle such as `-itv`).
    pub name: String,
    pub value: Option<FlagValue>,
}

/// A command line read with its table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    /// The argument that starts the subcommand (`run`, or `container` of
    /// `container run`).
    pub subcommand: usize,
    /// The subcommand's flags, in order.
    pub flags: Vec<GivenFlag>,
    /// The first operand after them (the image), if any.
    pub operand: Option<usize>,
}

/// A command's reading by the flag tables, kept once made: rules test
/// the flags of one command many times. It plays no part in comparing
/// commands.
#[derive(Clone, Default)]
pub struct ReadingCell(OnceCell<Option<Reading>>);

impl ReadingCell {
    /// The reading, made by `read` the first time.
    pub fn get_or_read(&self, read: impl FnOnce() -> Option<Reading>) -> Option<&Reading> {
        self.0.get_or_init(read).as_ref()
    }
}

impl PartialEq for ReadingCell {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for ReadingCell {}

impl std::fmt::Debug for ReadingCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReadingCell")
    }
}

impl FlagTable {
    /// Reads `cmd` when it is one of this table's commands and
    /// subcommands; `None` otherwise.
    pub fn read(&self, cmd: &Command) -> Option<Reading> {
        let name = base_name(&cmd.name.text);
        if !self.names.iter().any(|n| n == name) {
            return None;
        }
        let args = &cmd.args;
        // The command's own flags, up to the subcommand.
        let mut i = 0;
        while let Some(a) = args.get(i) {
            let t = a.text.as_str();
            if t == "--" || !t.starts_with('-') || t.len() < 2 {
                break;
            }
            i += if !t.contains('=') && self.global_value_flags.contains(t) {
                2
            } else {
                1
            };
        }
        let subcommand = i;
        let path = self.subcommands.iter().find(|path| {
            path.iter()
                .enumerate()
                .all(|(k, word)| args.get(subcommand + k).is_some_and(|a| a.text == *word))
        })?;
        let mut reading = Reading {
            subcommand,
            flags: Vec::new(),
            operand: None,
        };
        let mut i = subcommand + path.len();
        while let Some(a) = args.get(i) {
            let t = a.text.as_str();
            if t == "--" {
                reading.operand = args.get(i + 1).map(|_| i + 1);
                break;
            }
            if !t.starts_with('-') || t.len() < 2 {
                // An unquoted command substitution may print flags
                // (`$(for v in ...; do echo --volume "$v"; done)`).
                if !a.quoted && (t.starts_with("$(") || t.starts_with('`')) {
                    i += 1;
                    continue;
                }
                reading.operand = Some(i);
                break;
            }
            if let Some(long) = t.strip_prefix("--") {
                let (flag, value) = match long.split_once('=') {
                    Some((f, _)) => (&t[..f.len() + 2], Some(FlagValue::Inline(f.len() + 3))),
                    None if self.value_flags.contains(t) => {
                        (t, args.get(i + 1).map(|_| FlagValue::Next(i + 1)))
                    }
                    None => (t, None),
                };
                reading.flags.push(GivenFlag {
                    arg: i,
                    name: flag.to_owned(),
                    value,
                });
                i += if matches!(value, Some(FlagValue::Next(_))) {
                    2
                } else {
                    1
                };
                continue;
            }
            // Short flags, bundled or not: `-it`, `-dp 80:80`, `-v/x:/y`,
            // `-e=A=1`. The first that takes a value takes the rest of
            // the word, or the next argument.
            let mut next = i + 1;
            for (at, c) in t.char_indices().skip(1) {
                let flag = format!("-{c}");
                let rest = at + c.len_utf8();
                if self.value_flags.contains(&flag) {
                    let value = if rest < t.len() {
                        let skip = usize::from(t[rest..].starts_with('='));
                        Some(FlagValue::Inline(rest + skip))
                    } else if args.get(i + 1).is_some() {
                        next = i + 2;
                        Some(FlagValue::Next(i + 1))
                    } else {
                        None
                    };
                    reading.flags.push(GivenFlag {
                        arg: i,
                        name: flag,
                        value,
                    });
                    break;
                }
                reading.flags.push(GivenFlag {
                    arg: i,
                    name: flag,
                    value: None,
                });
            }
            i = next;
        }
        Some(reading)
    }
}

impl GivenFlag {
    /// The flag's value on `cmd`'s line, and the argument it is read from.
    pub fn value_in<'c>(&self, cmd: &'c Command) -> Option<(&'c str, usize)> {
        match self.value? {
            FlagValue::Inline(at) => cmd
                .args
                .get(self.arg)?
                .text
                .get(at..)
                .map(|v| (v, self.arg)),
            FlagValue::Next(j) => cmd.args.get(j).map(|a| (a.text.as_str(), j)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::{Origin, split};

    fn table() -> FlagTable {
        let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        FlagTable {
            names: vec!["docker".into()],
            subcommands: vec![vec!["run".into()], vec!["container".into(), "run".into()]],
            global_value_flags: set(&["-H", "--host", "--context"]),
            value_flags: set(&["-v", "--volume", "--net", "--name", "-p", "-e", "--mount"]),
            flags: set(&["--privileged", "-d", "-i", "-t", "--rm"]),
        }
    }

    /// Each flag with its value, and the operand.
    type Read = (Vec<(String, Option<String>)>, Option<String>);

    fn read(text: &str) -> Option<Read> {
        let script = split(text, Origin::Source { base: 0 });
        let cmd = &script.commands[0];
        let r = table().read(cmd)?;
        let flags = r
            .flags
            .iter()
            .map(|f| (f.name.clone(), f.value_in(cmd).map(|(v, _)| v.to_owned())))
            .collect();
        Some((flags, r.operand.map(|i| cmd.args[i].text.clone())))
    }

    fn pairs(v: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.map(str::to_owned)))
            .collect()
    }

    #[test]
    fn flags_end_at_the_image() {
        let (flags, image) =
            read("docker run --rm --name x -dp 80:80 -itv/a:/b --net=host app --privileged")
                .unwrap();
        assert_eq!(
            flags,
            pairs(&[
                ("--rm", None),
                ("--name", Some("x")),
                ("-d", None),
                ("-p", Some("80:80")),
                ("-i", None),
                ("-t", None),
                ("-v", Some("/a:/b")),
                ("--net", Some("host")),
            ])
        );
        assert_eq!(image.as_deref(), Some("app"));
    }

    #[test]
    fn global_flags_and_subcommand_paths() {
        let (flags, image) =
            read("docker -H tcp://h:2375 container run --privileged -e=A=1 img sh").unwrap();
        assert_eq!(flags, pairs(&[("--privileged", None), ("-e", Some("A=1"))]));
        assert_eq!(image.as_deref(), Some("img"));
        assert_eq!(read("docker ps --privileged"), None);
        assert_eq!(read("podman run --privileged x"), None);
        let (flags, image) = read("docker run $(opts) --privileged \"$IMAGE\" --rm").unwrap();
        assert_eq!(flags, pairs(&[("--privileged", None)]));
        assert_eq!(image.as_deref(), Some("$IMAGE"));
        let (flags, image) = read("docker run --mount -- img").unwrap();
        assert_eq!(flags, pairs(&[("--mount", Some("--"))]));
        assert_eq!(image.as_deref(), Some("img"));
    }
}
