//! Linting one file with a rule set and a selection: text → syntax tree →
//! facts → diagnostics. [`crate::linter::Linter`] adds the settings.

use crate::diagnostic::{Diagnostic, FileReport};
use crate::rules::{CheckOptions, Rule, RuleSet};
use crate::syntax::{self, SyntaxError};

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
    let diagnostics = check(path, &decoded.text, decoded.error, rules, options, keep);
    FileReport {
        path: path.to_owned(),
        source: decoded.text,
        diagnostics,
    }
}

/// Lints a file's text with the rules of `rules` that `keep` selects.
pub fn lint_text(
    path: &str,
    text: &str,
    rules: &RuleSet,
    options: CheckOptions<'_>,
    keep: &dyn Fn(&Rule) -> bool,
) -> FileReport {
    FileReport {
        path: path.to_owned(),
        source: text.to_owned(),
        diagnostics: check(path, text, None, rules, options, keep),
    }
}

fn check(
    path: &str,
    text: &str,
    decode_error: Option<SyntaxError>,
    rules: &RuleSet,
    options: CheckOptions<'_>,
    keep: &dyn Fn(&Rule) -> bool,
) -> Vec<Diagnostic> {
    let mut file = syntax::parse(text);
    if let Some(e) = decode_error {
        file.errors.insert(0, e);
    }
    rules.check_some(&file, path, options, keep)
}
