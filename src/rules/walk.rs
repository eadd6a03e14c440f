//! Reading TOML with a span on every key and value, and collecting every
//! problem instead of stopping at the first: unknown keys (with the closest
//! valid one), wrong types, missing keys, bad values.

use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// A problem in a rule or data file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// Index of the file in the rule set's sources.
    pub file: usize,
    pub span: Range<usize>,
    pub message: String,
    /// Text for the label under the span.
    pub label: String,
    pub notes: Vec<String>,
}

/// Errors found while reading one file.
pub(crate) struct Errors {
    pub file: usize,
    pub list: Vec<LoadError>,
    /// Whether the file's rule regexes are compiled on first use rather
    /// than now: the built-in pack's are, since the test suite compiles
    /// every one; a user's are compiled now, so that an error is reported
    /// with its span before linting starts.
    pub lazy_regexes: bool,
}

impl Errors {
    pub fn new(file: usize) -> Self {
        Errors {
            file,
            list: Vec::new(),
            lazy_regexes: false,
        }
    }

    /// Errors for a file whose regexes are compiled on first use when
    /// `lazy` says so.
    pub fn with_lazy_regexes(file: usize, lazy: &[bool]) -> Self {
        Errors {
            lazy_regexes: lazy.get(file).copied().unwrap_or(false),
            ..Errors::new(file)
        }
    }

    pub fn push(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) {
        self.list.push(LoadError {
            file: self.file,
            span,
            message: message.into(),
            label: label.into(),
            notes: Vec::new(),
        });
    }

    pub fn push_note(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
        note: impl Into<String>,
    ) {
        self.push(span, message, label);
        if let Some(e) = self.list.last_mut() {
            e.notes.push(note.into());
        }
    }
}

/// A value with its span.
#[derive(Clone)]
pub(crate) struct Node<'a, 'i> {
    pub value: &'a DeValue<'i>,
    pub span: Range<usize>,
}

impl<'a, 'i> Node<'a, 'i> {
    pub fn new(value: &'a toml::Spanned<DeValue<'i>>) -> Self {
        Node {
            value: value.get_ref(),
            span: value.span(),
        }
    }

    fn kind(&self) -> &'static str {
        self.value.type_str()
    }

    pub fn str(&self, errors: &mut Errors, what: &str) -> Option<&'a str> {
        match self.value.as_str() {
            Some(s) => Some(s),
            None => {
                errors.push(
                    self.span.clone(),
                    format!("{what} must be a string, not {}", self.kind()),
                    "expected a string",
                );
                None
            }
        }
    }

    pub fn bool(&self, errors: &mut Errors, what: &str) -> Option<bool> {
        match self.value.as_bool() {
            Some(b) => Some(b),
            None => {
                errors.push(
                    self.span.clone(),
                    format!("{what} must be true or false, not {}", self.kind()),
                    "expected a boolean",
                );
                None
            }
        }
    }

    pub fn int(&self, errors: &mut Errors, what: &str) -> Option<i64> {
        match self
            .value
            .as_integer()
            .and_then(|i| i64::from_str_radix(i.as_str(), i.radix()).ok())
        {
            Some(i) => Some(i),
            None => {
                errors.push(
                    self.span.clone(),
                    format!("{what} must be an integer, not {}", self.kind()),
                    "expected an integer",
                );
                None
            }
        }
    }

    pub fn float(&self, errors: &mut Errors, what: &str) -> Option<f64> {
        if let Some(f) = self.value.as_float()
            && let Ok(v) = f.as_str().replace('_', "").parse()
        {
            return Some(v);
        }
        if let Some(i) = self.value.as_integer()
            && let Ok(v) = i64::from_str_radix(i.as_str(), i.radix())
        {
            return Some(v as f64);
        }
        errors.push(
            self.span.clone(),
            format!("{what} must be a number, not {}", self.kind()),
            "expected a number",
        );
        None
    }

    /// An array's elements.
    pub fn array(&self, errors: &mut Errors, what: &str) -> Option<Vec<Node<'a, 'i>>> {
        match self.value.as_array() {
            Some(a) => Some(a.iter().map(Node::new).collect()),
            None => {
                errors.push(
                    self.span.clone(),
                    format!("{what} must be an array, not {}", self.kind()),
                    "expected an array",
                );
                None
            }
        }
    }

    /// A string or an array of strings, with the span of each.
    pub fn strings(&self, errors: &mut Errors, what: &str) -> Option<Vec<(&'a str, Range<usize>)>> {
        if let Some(s) = self.value.as_str() {
            return Some(vec![(s, self.span.clone())]);
        }
        let items = match self.value.as_array() {
            Some(a) => a,
            None => {
                errors.push(
                    self.span.clone(),
                    format!(
                        "{what} must be a string or an array of strings, not {}",
                        self.kind()
                    ),
                    "expected strings",
                );
                return None;
            }
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items.iter() {
            match item.get_ref().as_str() {
                Some(s) => out.push((s, item.span())),
                None => {
                    ok = false;
                    errors.push(
                        item.span(),
                        format!("{what} must hold strings only"),
                        "expected a string",
                    );
                }
            }
        }
        ok.then_some(out)
    }

    pub fn table(&self, errors: &mut Errors, what: &str) -> Option<Obj<'a, 'i>> {
        match self.value.as_table() {
            Some(t) => Some(Obj::new(t, self.span.clone())),
            None => {
                errors.push(
                    self.span.clone(),
                    format!("{what} must be a table, not {}", self.kind()),
                    "expected a table",
                );
                None
            }
        }
    }
}

/// A table being read.
pub(crate) struct Obj<'a, 'i> {
    pub table: &'a DeTable<'i>,
    pub span: Range<usize>,
}

impl<'a, 'i> Obj<'a, 'i> {
    pub fn new(table: &'a DeTable<'i>, span: Range<usize>) -> Self {
        Obj { table, span }
    }

    pub fn get(&self, key: &str) -> Option<Node<'a, 'i>> {
        self.table.get(key).map(Node::new)
    }

    /// A required key.
    pub fn need(&self, key: &str, errors: &mut Errors, context: &str) -> Option<Node<'a, 'i>> {
        let node = self.get(key);
        if node.is_none() {
            errors.push(
                self.span.clone(),
                format!("{context} is missing `{key}`"),
                format!("add `{key} = ...` here"),
            );
        }
        node
    }

    pub fn keys(&self) -> impl Iterator<Item = (&'a str, Range<usize>, Node<'a, 'i>)> {
        self.table
            .iter()
            .map(|(k, v)| (k.get_ref().as_ref(), k.span(), Node::new(v)))
    }

    /// Reports every key not in `allowed`, with the closest valid one.
    pub fn finish(&self, errors: &mut Errors, context: &str, allowed: &[&str]) {
        for (key, span, _) in self.keys() {
            if allowed.contains(&key) {
                continue;
            }
            let mut message = format!("unknown key `{key}` in {context}");
            if let Some(close) = closest(key, allowed.iter().copied()) {
                message.push_str(&format!(" (did you mean `{close}`?)"));
            }
            errors.push_note(
                span,
                message,
                "unknown key",
                format!("valid keys: {}", allowed.join(", ")),
            );
        }
    }
}

/// The closest candidate by edit distance, if close enough to be a typo.
pub(crate) fn closest<'c>(
    word: &str,
    candidates: impl Iterator<Item = &'c str>,
) -> Option<&'c str> {
    let limit = (word.len() / 3).clamp(1, 3);
    candidates
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
