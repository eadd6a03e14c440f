//! Linting one file: bytes → text → syntax tree → facts → diagnostics.

use crate::diagnostic::Diagnostic;
use crate::rules::{CheckOptions, Rule, RuleSet};
use crate::syntax;

/// What linting one file produced.
#[derive(Debug)]
pub struct FileReport {
    /// The path shown in diagnostics.
    pub path: String,
    /// The file's text (invalid UTF-8 replaced), for rendering.
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Lints a file's bytes with the rules of `rules` that `keep` selects.
/// Problems in the file itself (invalid UTF-8, syntax errors) are
/// diagnostics like any other.
pub fn lint_bytes(
    path: &str,
    bytes: Vec<u8>,
    rules: &RuleSet,
    options: CheckOptions<'_>,
    keep: &dyn Fn(&Rule) -> bool,
) -> FileReport {
    let decoded = syntax::decode(bytes);
    let diagnostics = {
        let mut file = syntax::parse(&decoded.text);
        if let Some(e) = decoded.error.clone() {
            file.errors.insert(0, e);
        }
        rules.check_some(&file, path, options, keep)
    };
    FileReport {
        path: path.to_owned(),
        source: decoded.text,
        diagnostics,
    }
}
