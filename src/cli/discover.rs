//! Finding the Dockerfiles to lint: paths named on the command line are
//! linted whatever their name; directories are walked for Dockerfile names,
//! honouring `.gitignore` (also outside a Git work tree), `.ignore` and the
//! Git exclude files, and never entering `.git`.

use crate::diagnostic::FileError;
use ignore::WalkBuilder;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// One thing to lint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Input {
    Stdin,
    File(PathBuf),
}

/// Whether a file name is a Dockerfile's: `Dockerfile`, `Dockerfile.*`,
/// `Dockerfile-*`, `Dockerfile_*`, `*.Dockerfile`, `*-Dockerfile`, and the
/// same with `Containerfile` (any case), but not BuildKit's per-Dockerfile
/// ignore files (`Dockerfile.dockerignore`, `api.Dockerfile.dockerignore`)
/// nor documentation or editor leftovers (`Dockerfile.md`,
/// `Dockerfile.swp`).
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let base = ["dockerfile", "containerfile"];
    let named = base.iter().any(|b| {
        lower == *b
            || lower
                .strip_prefix(b)
                .is_some_and(|rest| rest.len() > 1 && rest.starts_with(['.', '-', '_']))
            || lower
                .strip_suffix(b)
                .is_some_and(|rest| rest.len() > 1 && rest.ends_with(['.', '-']))
    });
    if !named {
        return false;
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e);
    !matches!(
        ext,
        Some(
            "dockerignore"
                | "md"
                | "markdown"
                | "rst"
                | "adoc"
                | "txt"
                | "swp"
                | "orig"
                | "rej"
                | "bak"
        )
    ) && !lower.ends_with('~')
}

/// Expands the command line's paths into inputs, in a stable order: each
/// argument in turn, a directory's files sorted by path. A file reached
/// twice is linted once.
pub(crate) fn discover(paths: &[String]) -> (Vec<Input>, Vec<FileError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut push = |inputs: &mut Vec<Input>, path: PathBuf| {
        if seen.insert(path.clone()) {
            inputs.push(Input::File(path));
        }
    };
    let mut stdin = false;
    for arg in paths {
        if arg == "-" {
            if !stdin {
                inputs.push(Input::Stdin);
                stdin = true;
            }
            continue;
        }
        let path = Path::new(arg);
        match std::fs::metadata(path) {
            Err(e) => errors.push(FileError {
                path: arg.clone(),
                message: format!("cannot read: {e}"),
            }),
            Ok(m) if m.is_dir() => {
                let mut found = Vec::new();
                walk(path, &mut found, &mut errors);
                found.sort();
                for f in found {
                    // Under `.`, `Dockerfile` rather than `./Dockerfile`.
                    let f = match f.strip_prefix(".") {
                        Ok(rest) if path == Path::new(".") && !rest.as_os_str().is_empty() => {
                            rest.to_path_buf()
                        }
                        _ => f,
                    };
                    push(&mut inputs, f);
                }
            }
            Ok(_) => push(&mut inputs, path.to_path_buf()),
        }
    }
    (inputs, errors)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>, errors: &mut Vec<FileError>) {
    let walker = WalkBuilder::new(dir)
        .hidden(false)
        .parents(true)
        .ignore(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(true)
        .require_git(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walker {
        match entry {
            Ok(e) => {
                // Anything with a Dockerfile's name but a directory is an
                // input: symlinks are followed when read, and a broken
                // one, a loop, a FIFO or a device is reported then, never
                // skipped in silence.
                if e.file_type().is_some_and(|t| !t.is_dir())
                    && e.file_name().to_str().is_some_and(is_dockerfile_name)
                {
                    found.push(e.into_path());
                }
            }
            Err(e) => {
                let path = error_path(&e).unwrap_or_else(|| dir.display().to_string());
                // The OS error alone: the path is shown beside it.
                let cause = e
                    .io_error()
                    .and_then(std::io::Error::raw_os_error)
                    .map(|code| std::io::Error::from_raw_os_error(code).to_string())
                    .unwrap_or_else(|| strip_path(&e));
                errors.push(FileError {
                    path: shown(dir, &path),
                    message: format!("cannot read: {cause}"),
                });
            }
        }
    }
}

/// A path found under `dir` as it is shown (see [`discover`]).
fn shown(dir: &Path, found: &str) -> String {
    if dir == Path::new(".")
        && let Some(rest) = found.strip_prefix("./").filter(|r| !r.is_empty())
    {
        return rest.to_owned();
    }
    found.to_owned()
}

fn error_path(e: &ignore::Error) -> Option<String> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.display().to_string()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

fn strip_path(e: &ignore::Error) -> String {
    match e {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => strip_path(err),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::is_dockerfile_name;

    #[test]
    fn dockerfile_names() {
        for yes in [
            "Dockerfile",
            "dockerfile",
            "Dockerfile.dev",
            "Dockerfile.alpine.3",
            "api.Dockerfile",
            "build.dockerfile",
            "Containerfile",
            "Containerfile.fedora",
            "web.containerfile",
            "Dockerfile-dev",
            "Dockerfile_prod",
            "dockerfile_prod.arm64",
            "api-Dockerfile",
            "web-containerfile",
            "Containerfile-rhel",
        ] {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in [
            "Dockerfile.dockerignore",
            "Dockerfile.md",
            "README.md",
            "Dockerfiles",
            "MyDockerfile",
            ".dockerfile",
            "docker-compose.yml",
            ".dockerignore",
            "Dockerfile.swp",
            "Dockerfile-dev.dockerignore",
            "api.Dockerfile.dockerignore",
            ".dockerignore",
            "Dockerfile-",
            "-Dockerfile",
            "Dockerfile~",
            "Dockerfile_notes.txt",
        ] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
    }
}
