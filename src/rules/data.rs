//! Data files: lookup tables for the `lookup` leaf, and the lists and
//! patterns the value analyzers use. Any rule file may carry data; the
//! built-in pack keeps it in `rules/data/`.

use super::compile::choose;
use super::vocab::{CommandKey, KeyNamesKey, PatternKey, PlaceholdersKey, Vocab};
use super::walk::{Errors, Obj};
use crate::detect::{Checksum, KeyNames, LazyRegex, Pattern, PatternPack};
use crate::shell::{Command, FlagTable, Reading};
use regex::{Regex, RegexBuilder};
use regex_syntax::ast::{self, Ast, GroupKind};
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::OnceLock;

/// A value in a lookup table: a string, or a table of strings (bound as
/// `{bind.field}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableValue {
    Text(String),
    Fields(BTreeMap<String, String>),
}

#[derive(Clone, Debug, Default)]
pub struct Data {
    pub tables: BTreeMap<String, BTreeMap<String, TableValue>>,
    /// The tag filters of table entries that have a `tags` field, by table
    /// and key: such an entry holds only for an image whose tag matches.
    pub tag_filters: BTreeMap<String, BTreeMap<String, Regex>>,
    pub secrets: PatternPack,
    pub key_names: KeyNames,
    /// Flag tables of commands, in load order (`[[command]]`).
    pub commands: Vec<FlagTable>,
}

impl Data {
    /// `cmd` read with the first flag table for its name and subcommand
    /// (read once per command: a command is linted with one rule set).
    pub fn read_command<'c>(&self, cmd: &'c Command) -> Option<&'c Reading> {
        cmd.reading
            .get_or_read(|| self.commands.iter().find_map(|t| t.read(cmd)))
    }

    /// Adds keys (with empty text) to a lookup table, creating it.
    pub fn add_entries(&mut self, table: &str, keys: &[String]) {
        let t = self.tables.entry(table.to_owned()).or_default();
        for k in keys {
            t.insert(k.clone(), TableValue::Text(String::new()));
        }
    }
}

/// The field of a table entry that limits it to images whose tag matches a
/// regex (`{ user = "app", tags = "chiseled" }`).
pub(crate) const TAGS_FIELD: &str = "tags";

/// Size limit for compiled regexes from rule files.
pub(crate) const REGEX_SIZE_LIMIT: usize = 1 << 20;

pub(crate) fn regex(pattern: &str, span: Range<usize>, errors: &mut Errors) -> Option<Regex> {
    match build(pattern) {
        Ok(r) => Some(r),
        Err(e) => {
            errors.push(span, regex_error(&e.to_string()), "this regex");
            None
        }
    }
}

/// A rule's regex (a text test's): compiled on first use, or at load.
/// Its group names are known at load either way, since placeholders are
/// checked against them.
#[derive(Clone, Debug)]
pub struct RuleRegex(Box<RuleRegexInner>);

#[derive(Clone, Debug)]
struct RuleRegexInner {
    source: String,
    /// The names of its named groups, in order.
    names: Vec<String>,
    compiled: OnceLock<Option<Regex>>,
}

impl RuleRegex {
    fn new(source: &str, names: Vec<String>, compiled: OnceLock<Option<Regex>>) -> Self {
        RuleRegex(Box::new(RuleRegexInner {
            source: source.to_owned(),
            names,
            compiled,
        }))
    }

    /// The compiled regex; `None` when it does not compile (only a
    /// built-in regex is compiled late, and the test suite compiles every
    /// one), and then it matches nothing.
    pub fn get(&self) -> Option<&Regex> {
        self.0
            .compiled
            .get_or_init(|| build(&self.0.source).ok())
            .as_ref()
    }

    /// The names of its named groups, in order.
    pub fn names(&self) -> &[String] {
        &self.0.names
    }

    pub fn as_str(&self) -> &str {
        &self.0.source
    }
}

fn build(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
}

/// The last line of a regex error, without its `error: ` prefix.
fn regex_error(detail: &str) -> String {
    let last = detail.lines().last().unwrap_or("invalid regex").trim();
    let last = last.strip_prefix("error: ").unwrap_or(last);
    format!("invalid regex: {last}")
}

/// A rule's regex: compiled now, or when `errors.lazy_regexes` only parsed
/// for its group names (a syntax error is still reported now).
pub(crate) fn rule_regex(
    pattern: &str,
    span: Range<usize>,
    errors: &mut Errors,
) -> Option<RuleRegex> {
    if !errors.lazy_regexes {
        let compiled = regex(pattern, span, errors)?;
        let names = compiled
            .capture_names()
            .flatten()
            .map(str::to_owned)
            .collect();
        return Some(RuleRegex::new(
            pattern,
            names,
            OnceLock::from(Some(compiled)),
        ));
    }
    match ast::parse::Parser::new().parse(pattern) {
        Ok(tree) => Some(RuleRegex::new(pattern, group_names(&tree), OnceLock::new())),
        Err(e) => {
            errors.push(span, regex_error(&e.to_string()), "this regex");
            None
        }
    }
}

/// The named groups of a parsed regex, in order.
fn group_names(tree: &Ast) -> Vec<String> {
    struct Names(Vec<String>);
    impl ast::Visitor for Names {
        type Output = Vec<String>;
        type Err = std::convert::Infallible;
        fn finish(self) -> Result<Vec<String>, Self::Err> {
            Ok(self.0)
        }
        fn visit_pre(&mut self, node: &Ast) -> Result<(), Self::Err> {
            if let Ast::Group(g) = node
                && let GroupKind::CaptureName { name, .. } = &g.kind
            {
                self.0.push(name.name.clone());
            }
            Ok(())
        }
    }
    match ast::visit(tree, Names(Vec::new())) {
        Ok(names) => names,
        Err(never) => match never {},
    }
}

/// A regex compiled on first use, or now when `eager` (then an invalid
/// regex is reported now, with its span).
pub(crate) fn lazy_regex(
    pattern: &str,
    span: Range<usize>,
    errors: &mut Errors,
    eager: bool,
) -> Option<LazyRegex> {
    let lazy = LazyRegex::new(pattern, REGEX_SIZE_LIMIT);
    let checked = if eager {
        lazy.compile_now().map(|_| ())
    } else {
        Ok(())
    }
    .map(|()| lazy);
    match checked {
        Ok(r) => Some(r),
        Err(detail) => {
            errors.push(span, regex_error(&detail), "this regex");
            None
        }
    }
}

/// Reads the data sections of a file's top-level table into `data`.
pub(crate) fn read(top: &Obj<'_, '_>, data: &mut Data, errors: &mut Errors, eager: bool) {
    if let Some(node) = top.get("tables")
        && let Some(tables) = node.table(errors, "`tables`")
    {
        for (name, _, node) in tables.keys() {
            let Some(table) = node.table(errors, "a lookup table") else {
                continue;
            };
            let entries = data.tables.entry(name.to_owned()).or_default();
            let filters = data.tag_filters.entry(name.to_owned()).or_default();
            for (key, _, value) in table.keys() {
                // A later entry replaces an earlier one, filter included.
                filters.remove(key);
                if let Some(s) = value.value.as_str() {
                    entries.insert(key.to_owned(), TableValue::Text(s.to_owned()));
                } else if let Some(fields) = value.value.as_table() {
                    let fields = Obj::new(fields, value.span.clone());
                    let mut map = BTreeMap::new();
                    for (field, _, v) in fields.keys() {
                        if let Some(s) = v.str(errors, "a table entry's field") {
                            if field == TAGS_FIELD
                                && let Some(r) = regex(s, v.span.clone(), errors)
                            {
                                filters.insert(key.to_owned(), r);
                            }
                            map.insert(field.to_owned(), s.to_owned());
                        }
                    }
                    entries.insert(key.to_owned(), TableValue::Fields(map));
                } else {
                    errors.push(
                        value.span.clone(),
                        "a lookup table entry must be a string or a table of strings",
                        "expected a string or a table",
                    );
                }
            }
        }
    }

    if let Some(node) = top.get("pattern")
        && let Some(items) = node.array(errors, "`pattern`")
    {
        for item in items {
            let Some(obj) = item.table(errors, "a `[[pattern]]` entry") else {
                continue;
            };
            if let Some(p) = read_pattern(&obj, errors, eager) {
                data.secrets.patterns.push(p);
            }
            obj.finish(errors, "`[[pattern]]`", &PatternKey::names());
        }
    }

    if let Some(node) = top.get("command")
        && let Some(items) = node.array(errors, "`command`")
    {
        for item in items {
            let Some(obj) = item.table(errors, "a `[[command]]` entry") else {
                continue;
            };
            if let Some(t) = read_command_table(&obj, errors) {
                data.commands.push(t);
            }
            obj.finish(errors, "`[[command]]`", &CommandKey::names());
        }
    }

    if let Some(node) = top.get("key_names")
        && let Some(obj) = node.table(errors, "`key_names`")
    {
        for &key in KeyNamesKey::ALL {
            let names = &mut data.key_names;
            let into = match key {
                KeyNamesKey::Deny => &mut names.deny,
                KeyNamesKey::Allow => &mut names.allow,
                KeyNamesKey::Qualifiers => &mut names.qualifiers,
                KeyNamesKey::Weak => &mut names.weak,
            };
            lower_list(&obj, key.as_str(), into, errors);
        }
        obj.finish(errors, "`key_names`", &KeyNamesKey::names());
    }

    if let Some(node) = top.get("placeholders")
        && let Some(obj) = node.table(errors, "`placeholders`")
    {
        let ph = &mut data.secrets.placeholders;
        for &key in PlaceholdersKey::ALL {
            match key {
                PlaceholdersKey::Values => lower_list(&obj, key.as_str(), &mut ph.values, errors),
                PlaceholdersKey::Contains => {
                    lower_list(&obj, key.as_str(), &mut ph.contains, errors)
                }
                PlaceholdersKey::Documented => {
                    if let Some(n) = obj.get(key.as_str())
                        && let Some(items) = n.strings(errors, key.as_str())
                    {
                        ph.documented
                            .extend(items.into_iter().map(|(s, _)| s.to_owned()));
                    }
                }
                PlaceholdersKey::Public => {
                    if let Some(n) = obj.get(key.as_str())
                        && let Some(items) = n.strings(errors, key.as_str())
                    {
                        for (s, span) in items {
                            ph.public.extend(regex(s, span, errors));
                        }
                    }
                }
            }
        }
        obj.finish(errors, "`placeholders`", &PlaceholdersKey::names());
    }
}

/// A `[[command]]` flag table: names and subcommands required, flags
/// written with their dashes, and no flag both with and without a value.
fn read_command_table(obj: &Obj<'_, '_>, errors: &mut Errors) -> Option<FlagTable> {
    let mut table = FlagTable::default();
    let names = obj.need(CommandKey::Names.as_str(), errors, "a `[[command]]` entry")?;
    table.names = names
        .strings(errors, "`names`")?
        .into_iter()
        .map(|(s, _)| s.to_owned())
        .collect();
    let subs = obj.need(
        CommandKey::Subcommands.as_str(),
        errors,
        "a `[[command]]` entry",
    )?;
    for (s, span) in subs.strings(errors, "`subcommands`")? {
        let path: Vec<String> = s.split_whitespace().map(str::to_owned).collect();
        if path.is_empty() {
            errors.push(span, "a subcommand can't be empty", "empty subcommand");
        } else {
            table.subcommands.push(path);
        }
    }
    for key in [
        CommandKey::GlobalValueFlags,
        CommandKey::ValueFlags,
        CommandKey::Flags,
    ] {
        let Some(node) = obj.get(key.as_str()) else {
            continue;
        };
        for (flag, span) in node.strings(errors, key.as_str())? {
            let ok = flag.len() >= 2
                && flag.starts_with('-')
                && !flag.contains(['=', ' '])
                && (flag.starts_with("--") || flag.len() == 2);
            if !ok {
                errors.push(
                    span,
                    format!("`{flag}` is not a flag: write `-x` or `--name`"),
                    "not a flag",
                );
                continue;
            }
            let into = match key {
                CommandKey::GlobalValueFlags => &mut table.global_value_flags,
                CommandKey::ValueFlags => &mut table.value_flags,
                _ => &mut table.flags,
            };
            into.insert(flag.to_owned());
            if key == CommandKey::Flags && table.value_flags.contains(flag) {
                errors.push(
                    span,
                    format!("`{flag}` is also listed in `value_flags`"),
                    "listed twice",
                );
            }
        }
    }
    Some(table)
}

/// A string or array of strings, lower-cased, added to `into`.
fn lower_list(obj: &Obj<'_, '_>, key: &str, into: &mut Vec<String>, errors: &mut Errors) {
    if let Some(n) = obj.get(key)
        && let Some(items) = n.strings(errors, key)
    {
        into.extend(items.into_iter().map(|(s, _)| s.to_ascii_lowercase()));
    }
}

fn read_pattern(obj: &Obj<'_, '_>, errors: &mut Errors, eager: bool) -> Option<Pattern> {
    let id = obj
        .need("id", errors, "a `[[pattern]]` entry")?
        .str(errors, "`id`")?
        .to_owned();
    let family = obj
        .need("family", errors, "a `[[pattern]]` entry")?
        .str(errors, "`family`")?
        .to_owned();
    let node = obj.need("regex", errors, "a `[[pattern]]` entry")?;
    let re = lazy_regex(
        node.str(errors, "`regex`")?,
        node.span.clone(),
        errors,
        eager,
    )?;
    let mut p = Pattern::new(&id, &family, re, &[]);
    let list = |key: &str, errors: &mut Errors| -> Option<Vec<String>> {
        match obj.get(key) {
            Some(n) => Some(
                n.strings(errors, key)?
                    .into_iter()
                    .map(|(s, _)| s.to_owned())
                    .collect(),
            ),
            None => Some(Vec::new()),
        }
    };
    let lower = |v: Vec<String>| v.iter().map(|s| s.to_ascii_lowercase()).collect();
    p.keywords = lower(list("keywords", errors)?);
    p.context = lower(list("context", errors)?);
    if !p.context.is_empty() && p.keywords.is_empty() {
        // The regex runs only where a context word could be.
        p.keywords = p.context.clone();
    }
    if let Some(n) = obj.get("allow") {
        for (s, span) in n.strings(errors, "`allow`")? {
            p.allow.extend(lazy_regex(s, span, errors, eager));
        }
    }
    if let Some(n) = obj.get("min_entropy") {
        p.min_entropy = Some(n.float(errors, "`min_entropy`")?);
    }
    if let Some(n) = obj.get("checksum") {
        p.checksum = Some(choose::<Checksum>(
            n.str(errors, "`checksum`")?,
            n.span.clone(),
            errors,
        )?);
    }
    p.bad = list("bad", errors)?;
    p.good = list("good", errors)?;
    Some(p)
}
