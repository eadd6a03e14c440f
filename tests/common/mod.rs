//! Helpers shared by integration tests.
#![allow(dead_code)]

pub mod pathological;

use shipshape::rules::{LoadFailure, RuleSet, SourceFile};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The repository's root, the folder of the crate's manifest.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the repository, holding the corpus and BuildKit's cases.
///
/// Returns `None` (after saying so) when it is absent, so a plain clone can
/// still run the rest of the suite. CI sets `SHIPSHAPE_REQUIRE_SHARED=1`,
/// which turns a missing directory into a failure.
pub fn shared_dir(what: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.join(what).exists() {
        return Some(dir);
    }
    if std::env::var_os("SHIPSHAPE_REQUIRE_SHARED").is_some() {
        panic!(
            "{} is required (SHIPSHAPE_REQUIRE_SHARED is set)",
            dir.join(what).display()
        );
    }
    eprintln!("skipped: {} not found", dir.join(what).display());
    None
}

/// Every file of the shared corpus, sorted by name.
pub fn corpus_files() -> Option<Vec<PathBuf>> {
    let dir = shared_dir("corpus")?.join("corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus directory is readable")
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    Some(files)
}

pub fn read_text(path: &Path) -> String {
    shipshape::syntax::decode(std::fs::read(path).expect("file is readable")).text
}

/// Every output format's name, as `--format` spells it.
pub const FORMATS: [&str; 13] = [
    "pretty",
    "json",
    "sarif",
    "gnu",
    "checkstyle",
    "github",
    "gitlab",
    "codeclimate",
    "codacy",
    "sonarqube",
    "junit",
    "rdjson",
    "hadolint-json",
];

/// The environment variables that turn colour on or off.
pub const COLOUR_VARS: [&str; 4] = ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "FORCE_COLOR"];

/// A run of the built binary: its arguments, folder, standard input and
/// environment, set step by step before `output` runs it.
pub struct Run<'a> {
    args: Vec<&'a str>,
    dir: Option<&'a Path>,
    /// What is written to a piped standard input; `None` gives `/dev/null`.
    stdin: Option<&'a [u8]>,
    removed: Vec<&'a str>,
    set: Vec<(&'a str, &'a str)>,
}

impl<'a> Run<'a> {
    /// The built binary with `args`, in this process's folder and
    /// environment, its standard input an empty pipe.
    pub fn new(args: &[&'a str]) -> Self {
        Run {
            args: args.to_vec(),
            dir: None,
            stdin: Some(b""),
            removed: Vec::new(),
            set: Vec::new(),
        }
    }

    /// Runs it in `dir`.
    pub fn dir(mut self, dir: &'a Path) -> Self {
        self.dir = Some(dir);
        self
    }

    /// Writes `input` to its standard input, which is then closed.
    pub fn stdin(mut self, input: &'a [u8]) -> Self {
        self.stdin = Some(input);
        self
    }

    /// Gives it `/dev/null` as standard input rather than a pipe.
    pub fn null_stdin(mut self) -> Self {
        self.stdin = None;
        self
    }

    /// Removes `keys` from its environment.
    pub fn env_remove(mut self, keys: &[&'a str]) -> Self {
        self.removed.extend_from_slice(keys);
        self
    }

    /// Sets `key` to `value` in its environment, after any removal.
    pub fn env(mut self, key: &'a str, value: &'a str) -> Self {
        self.set.push((key, value));
        self
    }

    /// Runs it to the end, capturing its exit status and output.
    pub fn output(self) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_shipshape"));
        cmd.args(&self.args)
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(dir) = self.dir {
            cmd.current_dir(dir);
        }
        for key in &self.removed {
            cmd.env_remove(key);
        }
        for (key, value) in &self.set {
            cmd.env(key, value);
        }
        let mut child = cmd.spawn().expect("the binary runs");
        if let (Some(input), Some(mut pipe)) = (self.stdin, child.stdin.take()) {
            // The process may exit without reading (a usage error).
            let _ = pipe.write_all(input);
        }
        child.wait_with_output().unwrap()
    }
}

/// Runs the built binary in `dir` with `args`, stdin empty, capturing its
/// output (`NO_COLOR` unset, so colour follows the arguments).
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Run::new(args)
        .dir(dir)
        .env_remove(&["NO_COLOR"])
        .null_stdin()
        .output()
}

/// Output bytes as text, invalid UTF-8 replaced.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Standard output read as JSON, or a panic that shows both outputs.
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            text(&out.stdout),
            text(&out.stderr)
        )
    })
}

/// The rule ids of a `--format json` report's findings, in order.
pub fn rule_ids(doc: &serde_json::Value) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_owned())
        .collect()
}

/// Writes `content` to `rel` under `dir`, creating its parent folders.
pub fn write_file(dir: &Path, rel: &str, content: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// A scratch directory with files (parents created).
pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, content) in files {
        write_file(dir.path(), rel, content);
    }
    dir
}

/// Compares `actual` with `expected`, the current text of the repository's
/// file `rel`, or rewrites the file when `SHIPSHAPE_BLESS=1`.
///
/// A stale file fails with its first differing line and the command, for
/// this test crate, that regenerates it.
pub fn check_generated(rel: &str, expected: &str, actual: &str) {
    if expected == actual {
        return;
    }
    if std::env::var_os("SHIPSHAPE_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(repo().join(rel), actual).unwrap();
        return;
    }
    let line = expected
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()))
        + 1;
    panic!(
        "{rel} is stale (first difference on line {line}); regenerate it with\n    \
         SHIPSHAPE_BLESS=1 cargo test --test {}",
        env!("CARGO_CRATE_NAME")
    );
}

/// The errors, each with its place, of a TOML `text` read as JSON (as an
/// editor's TOML support reads it) against `validator`'s schema.
pub fn schema_problems(validator: &jsonschema::Validator, text: &str) -> Vec<String> {
    let value: toml::Value = toml::from_str(text).expect("valid TOML");
    let json = serde_json::to_value(value).expect("TOML converts to JSON");
    validator
        .iter_errors(&json)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// Loads rule files, each a `(name, text)` pair, as one rule set.
pub fn load_rules(files: &[(&str, &str)]) -> Result<RuleSet, LoadFailure> {
    RuleSet::load(
        files
            .iter()
            .map(|(name, text)| SourceFile {
                name: (*name).into(),
                text: (*text).into(),
            })
            .collect(),
    )
}

/// `(file, message, the text under the span)` of every error in loading
/// `files`; none when they load.
pub fn load_errors(files: &[(&str, &str)]) -> Vec<(String, String, String)> {
    match load_rules(files) {
        Ok(_) => Vec::new(),
        Err(f) => f
            .errors
            .iter()
            .map(|e| {
                let (name, text) = files[e.file];
                (
                    name.to_owned(),
                    e.message.clone(),
                    text[e.span.clone()].to_owned(),
                )
            })
            .collect(),
    }
}

/// Loads `toml` as the one rule file `test.toml`; when it fails,
/// `(message, the text under the span)` of each load error.
pub fn load_rule_file(toml: &str) -> Result<RuleSet, Vec<(String, String)>> {
    load_rules(&[("test.toml", toml)]).map_err(|f| {
        f.errors
            .iter()
            .map(|e| (e.message.clone(), toml[e.span.clone()].to_owned()))
            .collect()
    })
}

/// Asserts that one of the `(message, the text under the span)` load errors
/// contains `message` and spans exactly `under`.
pub fn has(errors: &[(String, String)], message: &str, under: &str) {
    assert!(
        errors
            .iter()
            .any(|(m, span)| m.contains(message) && span == under),
        "no error containing {message:?} at {under:?} in {errors:#?}"
    );
}
