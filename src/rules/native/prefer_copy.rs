//! `prefer-copy`: `ADD` of local files, which `COPY` does without ADD's
//! unpacking and downloading. Needs a test over every source of one
//! instruction and a suffix lookup in the `archive_extensions` table.

use super::edits::{Case, replace_word};
use crate::diagnostic::{Applicability, Fix};
use crate::rules::data::TableValue;
use crate::rules::eval::{Bind, Facts, Finding};
use crate::syntax::{Instruction, InstructionKind, Word};
use std::collections::BTreeMap;

/// The table of file name endings that ADD may unpack
/// (`rules/data/archives.toml`).
pub const ARCHIVE_EXTENSIONS: &str = "archive_extensions";

/// Flags COPY takes too, with the same meaning.
const SHARED_FLAGS: &[&str] = &["chown", "chmod", "link", "exclude"];

/// Every `ADD` (not an ONBUILD trigger, nor heredoc content) whose sources
/// are all local and none looks like an archive.
pub(super) fn prefer_copy(facts: &Facts<'_, '_>) -> Vec<Finding> {
    let empty = BTreeMap::new();
    let archives = facts.data.tables.get(ARCHIVE_EXTENSIONS).unwrap_or(&empty);
    let mut out = Vec::new();
    for inst in &facts.file.instructions {
        if inst.kind != InstructionKind::Add || !inst.heredocs.is_empty() {
            continue;
        }
        let words = inst.args.words();
        let Some((last, sources)) = words.split_last() else {
            continue;
        };
        if sources.is_empty()
            || sources
                .iter()
                .any(|s| remote(&s.text) || archive(&s.text, archives))
        {
            continue;
        }
        let mut finding = Finding::new(
            inst.keyword.span.cover(last.span),
            vec![Bind::new("instruction", inst.keyword.text.clone()).at(inst.keyword.span)],
        );
        finding.fix = fix(facts.file.source, inst, sources);
        out.push(finding);
    }
    out
}

/// `ADD` → `COPY` in the keyword's case. Refused when a source could
/// expand to a URL or an archive (`$`), or a flag is one COPY lacks
/// (`--checksum`, `--keep-git-dir`, `--unpack`, or one unknown). Unsafe
/// when a source may be a file without an extension: ADD unpacks a tar
/// archive by its content, whatever its name.
fn fix(source: &str, inst: &Instruction<'_>, sources: &[Word<'_>]) -> Option<Fix> {
    if sources.iter().any(|s| s.text.contains('$'))
        || inst
            .flags
            .iter()
            .any(|f| !SHARED_FLAGS.contains(&f.name.text.as_ref()))
    {
        return None;
    }
    let copy = Case::of(&inst.keyword.text).apply("COPY");
    let edit = replace_word(source, &inst.keyword, copy.clone())?;
    let (applicability, title) = if sources.iter().all(|s| named_file_or_dir(&s.text)) {
        (Applicability::Safe, format!("Write `{copy}`"))
    } else {
        (
            Applicability::Unsafe,
            format!(
                "Write `{copy}` (a source without an extension may be a tar archive ADD unpacks)"
            ),
        )
    };
    Fix::new(title, applicability, vec![edit])
}

/// What BuildKit fetches rather than reads from the context: a URL
/// (`https://`, `git://`, any `scheme://`), or a Git remote (`git@...`,
/// `github.com/...`).
fn remote(src: &str) -> bool {
    let scheme = src.split_once("://").is_some_and(|(s, _)| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
    });
    scheme || src.starts_with("git@") || src.starts_with("github.com/")
}

/// Whether `src` ends like an archive (any case; a glob such as `*.tar`
/// too).
fn archive(src: &str, archives: &BTreeMap<String, TableValue>) -> bool {
    let lower = src.to_ascii_lowercase();
    archives.keys().any(|ext| lower.ends_with(ext.as_str()))
}

/// A directory (`.`, `dir/`) or a file name with an extension: not a
/// tar archive named without one.
fn named_file_or_dir(src: &str) -> bool {
    if src.ends_with('/') {
        return true;
    }
    let name = src.rsplit('/').next().unwrap_or(src);
    if name == "." || name == ".." {
        return true;
    }
    match name.rfind('.') {
        Some(i) if i > 0 => {
            let ext = &name[i + 1..];
            !ext.is_empty() && !ext.contains(['*', '?', '['])
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_remote_sources() {
        for src in [
            "https://x/y",
            "HTTPS://x/y",
            "ftp://x/y",
            "git://h/r.git",
            "git@github.com:a/b.git",
            "github.com/a/b.git",
        ] {
            assert!(remote(src), "{src}");
        }
        for src in ["foo", "./a://b", "dir/", "1://x"] {
            assert!(!remote(src), "{src}");
        }
    }

    #[test]
    fn tells_files_named_with_an_extension() {
        for src in [
            ".",
            "./",
            "dir/",
            "app.py",
            "conf/nginx.conf",
            "*.txt",
            "../..",
        ] {
            assert!(named_file_or_dir(src), "{src}");
        }
        for src in ["rootfs", "bin/app", "files/*", ".bashrc", "a/.env"] {
            assert!(!named_file_or_dir(src), "{src}");
        }
    }
}
