//! Rule files → compiled rules. Every problem is collected (syntax, unknown
//! keys, wrong types, bad regexes, unknown fields for the subject, unbound
//! placeholders, relations inside relations) with its span in the file.

use super::data::{self, Data};
use super::fixes::{self, FixScope};
use super::native;
use super::subjects::{Compose, Leaf, SubjectKind};
use super::types::{
    Analyzer, Check, Example, ExampleKind, Filter, FixTemplate, Lookup, Matcher, OnbuildFilter,
    Origin, Pred, RelationKind, Report, Rule, RuleMeta, Template, TemplateError, TemplatePart,
    TextTest,
};
use super::utils::{self, Utils};
use super::vocab::{
    AliasNamespace, AnalyzeKey, Category, Confidence, Detector, Engine, ExampleKey, FlagValueKey,
    Form, LookupKey, MatchKey, Position, RefKind, RuleKey, Scripts, StageFilter, Status,
    TextSource, TextTestKey, TopKey, Vocab, Words,
};
use super::walk::{Errors, LoadError, Node, Obj, closest};
use crate::detect::{Charset, EntropyDetector, Literal, NameSplit};
use crate::diagnostic::{Applicability, Severity};
use crate::syntax::InstructionKind;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use toml::de::DeTable;

/// A rule or data file's text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path shown in errors (`rules/security/user.toml` for built-ins).
    pub name: String,
    pub text: String,
}

/// Loads rule files. Data from every file is read first, so rules in any
/// file may use tables from any other.
pub(crate) fn load(sources: &[SourceFile]) -> (Vec<Rule>, Data, Vec<LoadError>) {
    load_with(sources, true)
}

/// [`load`], with the built-in pack's rule regexes compiled on first use
/// when `lazy_builtin` (the test suite loads it with `false` to compile
/// every one).
pub(crate) fn load_with(
    sources: &[SourceFile],
    lazy_builtin: bool,
) -> (Vec<Rule>, Data, Vec<LoadError>) {
    let mut all_errors = Vec::new();
    let mut docs: Vec<Option<toml::Spanned<DeTable<'_>>>> = Vec::with_capacity(sources.len());
    for (i, src) in sources.iter().enumerate() {
        let (doc, syntax) = DeTable::parse_recoverable(&src.text);
        let failed = !syntax.is_empty();
        for e in syntax {
            let span = e.span().unwrap_or(0..0);
            all_errors.push(LoadError {
                file: i,
                span,
                message: format!("TOML syntax error: {}", e.message().trim()),
                label: "here".into(),
                notes: Vec::new(),
            });
        }
        docs.push((!failed).then_some(doc));
    }

    let names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
    // The built-in pack's patterns and regexes are compiled on first use:
    // they are part of the binary, and the test suite compiles every one.
    // A user's are compiled now, so that any error is reported with its
    // span before linting starts.
    let builtin: Vec<bool> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| super::is_builtin_source(i, s))
        .collect();
    let lazy: Vec<bool> = builtin.iter().map(|b| *b && lazy_builtin).collect();
    let mut data = Data::default();
    let mut utils = Utils::new();
    for (i, doc) in docs.iter().enumerate() {
        let Some(doc) = doc else { continue };
        let mut errors = Errors::new(i);
        let top = Obj::new(doc.get_ref(), doc.span());
        match top.get("schema") {
            Some(n) => {
                if let Some(v) = n.int(&mut errors, "`schema`")
                    && v != 1
                {
                    errors.push(
                        n.span.clone(),
                        format!("unsupported schema {v}"),
                        "only schema 1 exists",
                    );
                }
            }
            None => errors.push(0..0, "missing `schema = 1` at the top of the file", "here"),
        }
        data::read(&top, &mut data, &mut errors, !builtin[i]);
        utils::read(&top, i, &mut utils, &names, &mut errors);
        all_errors.extend(errors.list);
    }

    // Utils, dependencies first, each on its own: their errors are
    // reported once, at the util, whether or not a rule uses it.
    let (order, on_cycle, cycle_errors) = utils::cycles(&utils);
    all_errors.extend(cycle_errors);
    let mut scope = Scope {
        data: &data,
        utils: &utils,
        broken: on_cycle,
        expanding: Vec::new(),
        tests: 0,
        lazy: &lazy,
    };
    for name in order {
        let def = &utils[&name];
        let (Some(subject), Some(body)) = (def.subject, &def.body) else {
            scope.broken.insert(name);
            continue;
        };
        if scope.broken.contains(&name) {
            continue;
        }
        let mut errors = Errors::with_lazy_regexes(def.file, &lazy);
        scope.tests = 0;
        scope.expanding.push(name.clone());
        let pred = read_pred(body, subject, &mut scope, &mut errors, Nesting::TOP);
        scope.expanding.pop();
        if pred.is_none() || !errors.list.is_empty() {
            scope.broken.insert(name);
        }
        all_errors.extend(errors.list);
    }

    let mut rules = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let Some(doc) = doc else { continue };
        let mut errors = Errors::with_lazy_regexes(i, &lazy);
        let top = Obj::new(doc.get_ref(), doc.span());
        if let Some(node) = top.get("rule")
            && let Some(items) = node.array(&mut errors, "`rule`")
        {
            for item in items {
                let Some(obj) = item.table(&mut errors, "a `[[rule]]`") else {
                    continue;
                };
                let before = errors.list.len();
                let rule = read_rule(&obj, sources[i].text.as_str(), &mut scope, &mut errors);
                obj.finish(&mut errors, "`[[rule]]`", &RuleKey::names());
                if let Some(rule) = rule
                    && errors.list.len() == before
                {
                    rules.push(Rule {
                        origin: Origin {
                            file: i,
                            span: item.span.clone(),
                        },
                        ..rule
                    });
                }
            }
        }
        top.finish(&mut errors, "a rule file", &TopKey::names());
        all_errors.extend(errors.list);
    }

    drop(scope);
    check_unique(&rules, &mut all_errors);
    (rules, data, all_errors)
}

fn check_unique(rules: &[Rule], errors: &mut Vec<LoadError>) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, r) in rules.iter().enumerate() {
        for key in [&r.meta.id, &r.meta.name] {
            if let Some(&first) = seen.get(key) {
                let other = &rules[first];
                errors.push(LoadError {
                    file: r.origin.file,
                    span: r.origin.span.start..r.origin.span.start,
                    message: format!(
                        "`{key}` is already used by rule {} ({})",
                        other.meta.id, other.meta.name
                    ),
                    label: "rule defined here".into(),
                    notes: vec!["rule ids and names must be unique".into()],
                });
            } else {
                seen.insert(key.clone(), i);
            }
        }
    }
}

fn str_in<'a>(
    obj: &Obj<'a, '_>,
    key: &str,
    errors: &mut Errors,
    ctx: &str,
) -> Option<(&'a str, Range<usize>)> {
    let node = obj.need(key, errors, ctx)?;
    let s = node.str(errors, &format!("`{key}`"))?;
    Some((s, node.span))
}

fn opt_str<'a>(
    obj: &Obj<'a, '_>,
    key: &str,
    errors: &mut Errors,
) -> Option<(&'a str, Range<usize>)> {
    let node = obj.get(key)?;
    let s = node.str(errors, &format!("`{key}`"))?;
    Some((s, node.span))
}

pub(super) fn one_of<'v>(
    value: &str,
    allowed: &'v [&'v str],
    span: Range<usize>,
    what: &str,
    errors: &mut Errors,
) -> Option<&'v str> {
    if let Some(v) = allowed.iter().find(|a| **a == value) {
        return Some(v);
    }
    let mut message = format!("unknown {what} `{value}`");
    if let Some(c) = closest(value, allowed.iter().copied()) {
        message.push_str(&format!(" (did you mean `{c}`?)"));
    }
    errors.push_note(
        span,
        message,
        format!("not a valid {what}"),
        format!("expected one of: {}", allowed.join(", ")),
    );
    None
}

/// A word of a vocabulary, or an error that lists them all.
pub(super) fn choose<T: Vocab>(value: &str, span: Range<usize>, errors: &mut Errors) -> Option<T> {
    choose_as(value, span, T::WHAT, errors)
}

/// [`choose`], naming the vocabulary `what` in the error.
fn choose_as<T: Vocab>(
    value: &str,
    span: Range<usize>,
    what: &str,
    errors: &mut Errors,
) -> Option<T> {
    one_of(value, &T::names(), span, what, errors)?;
    T::parse(value)
}

/// An optional key whose value is a word of a vocabulary.
fn opt_choice<T: Vocab>(obj: &Obj<'_, '_>, key: &str, errors: &mut Errors) -> Option<T> {
    opt_str(obj, key, errors).and_then(|(s, span)| choose(s, span, errors))
}

pub(super) fn template(s: &str, span: Range<usize>, errors: &mut Errors) -> Template {
    let (t, bad) = Template::parse(s);
    for e in bad {
        match e {
            TemplateError::Brace(_) => errors.push(
                span.clone(),
                "unbalanced `{` or `}` in template (write `{{` or `}}` for a literal brace)",
                "in this template",
            ),
            TemplateError::Filter { name, .. } => {
                let names = Filter::names();
                let mut message = format!("unknown filter `{name}` in template");
                if let Some(c) = closest(&name, names.iter().copied()) {
                    message.push_str(&format!(" (did you mean `{c}`?)"));
                }
                errors.push_note(
                    span.clone(),
                    message,
                    "in this template",
                    format!("filters: {}", names.join(", ")),
                );
            }
        }
    }
    t
}

/// Reports each placeholder of `t` that the rule doesn't bind, pointing at
/// it in the rule file's `text` when it can be found in the template's
/// `span`. Whether every placeholder is bound.
pub(super) fn check_bound(
    t: &Template,
    span: Range<usize>,
    text: &str,
    bound: &BTreeSet<String>,
    errors: &mut Errors,
) -> bool {
    let mut ok = true;
    for p in t.placeholders() {
        if bound.contains(p) {
            continue;
        }
        ok = false;
        let at = text
            .get(span.clone())
            .and_then(|raw| {
                [format!("{{{p}}}"), format!("{{{p}|")]
                    .iter()
                    .filter_map(|n| raw.find(n.as_str()))
                    .min()
            })
            .map_or(span.clone(), |o| {
                let end = text[span.start + o..span.end]
                    .find('}')
                    .map_or(p.len() + 1, |e| e + 1);
                span.start + o..span.start + o + end
            });
        let mut names: Vec<&str> = bound.iter().map(String::as_str).collect();
        names.sort_unstable();
        errors.push_note(
            at,
            format!("placeholder `{{{p}}}` is not bound by this rule"),
            "unbound placeholder",
            format!("bound here: {}", names.join(", ")),
        );
    }
    ok
}

fn read_rule(
    obj: &Obj<'_, '_>,
    text: &str,
    scope: &mut Scope<'_, '_, '_>,
    errors: &mut Errors,
) -> Option<Rule> {
    let ctx = "a `[[rule]]`";
    let id = str_in(obj, "id", errors, ctx);
    if let Some((id, span)) = &id {
        let ok = id.len() >= 4
            && id.bytes().take_while(u8::is_ascii_uppercase).count() >= 2
            && id
                .bytes()
                .skip_while(u8::is_ascii_uppercase)
                .all(|c| c.is_ascii_digit())
            && id.bytes().rev().take_while(u8::is_ascii_digit).count() == 3;
        if !ok {
            errors.push(
                span.clone(),
                format!("invalid rule id `{id}`"),
                "expected two or more capital letters, then 3 digits, like `SEC001`",
            );
        }
    }
    let name = str_in(obj, "name", errors, ctx);
    if let Some((name, span)) = &name
        && (name.is_empty()
            || !name
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
            || name.starts_with('-')
            || name.ends_with('-'))
    {
        errors.push(
            span.clone(),
            format!("invalid rule name `{name}`"),
            "expected kebab-case, like `last-user-is-root`",
        );
    }
    let category = str_in(obj, "category", errors, ctx)
        .and_then(|(c, span)| choose::<Category>(c, span, errors));
    let severity = str_in(obj, "severity", errors, ctx)
        .and_then(|(s, span)| choose::<Severity>(s, span, errors));
    let summary = str_in(obj, "summary", errors, ctx);
    if let Some((s, span)) = &summary
        && (s.len() > 80 || s.ends_with('.'))
    {
        errors.push(
            span.clone(),
            "a summary is one line of at most 80 characters, without a final period",
            "this summary",
        );
    }
    let message = str_in(obj, "message", errors, ctx)
        .map(|(s, span)| (template(s, span.clone(), errors), span));
    let hint =
        opt_str(obj, "hint", errors).map(|(s, span)| (template(s, span.clone(), errors), span));
    let help = opt_str(obj, "help", errors)
        .map(|(s, _)| s.to_owned())
        .unwrap_or_default();
    let since = opt_str(obj, "since", errors).map(|(s, _)| s.to_owned());
    let status = opt_choice(obj, "status", errors).unwrap_or(Status::Stable);
    let tags = obj
        .get("tags")
        .and_then(|n| n.strings(errors, "`tags`"))
        .map(|v| v.into_iter().map(|(s, _)| s.to_owned()).collect())
        .unwrap_or_default();
    let confidence = opt_choice::<Confidence>(obj, "confidence", errors);
    let (refs, _) = read_string_lists::<RefKind>(obj, "refs", errors);
    let (aliases, _) = read_string_lists::<AliasNamespace>(obj, "aliases", errors);
    let (related, related_spans) = read_string_lists::<AliasNamespace>(obj, "related", errors);
    check_related(&aliases, &related_spans, errors);
    if let Some(n) = obj.get("metadata") {
        n.table(errors, "`metadata`");
    }

    let engine = opt_choice(obj, "engine", errors).unwrap_or(Engine::Match);
    let (check, bound) = if engine == Engine::Native {
        let (name, span) = str_in(obj, "native", errors, "a native rule")?;
        if let Some(n) = obj.get("match") {
            errors.push(
                n.span,
                "a native rule has no `[rule.match]`",
                "remove this table",
            );
        }
        match native::find(name) {
            Some(f) => (
                Check::Native(f),
                f.placeholders.iter().map(|s| s.to_string()).collect(),
            ),
            None => {
                let names: Vec<&str> = native::NATIVE.iter().map(|f| f.name).collect();
                one_of(name, &names, span, "native rule", errors);
                return None;
            }
        }
    } else {
        if let Some(n) = obj.get("native") {
            errors.push(
                n.span,
                "`native` needs `engine = \"native\"`",
                "not used by a match rule",
            );
        }
        let node = obj.need("match", errors, ctx)?;
        let m = node.table(errors, "`[rule.match]`")?;
        let (matcher, bound) = read_match(&m, text, scope, errors)?;
        (Check::Match(matcher), bound)
    };

    for (t, span) in message.iter().chain(hint.iter()) {
        check_bound(t, span.clone(), text, &bound, errors);
    }

    let subject_roles = match &check {
        Check::Match(m) => m.subject.roles(),
        Check::Native(_) => Vec::new(),
    };
    let (roles, subject, mut targets) = match &check {
        Check::Match(m) => (
            Some(subject_roles.as_slice()),
            m.subject.as_str(),
            m.predicate
                .as_ref()
                .map(|p| bound_by(p, false))
                .unwrap_or_default(),
        ),
        Check::Native(_) => (None, "native rule", BTreeSet::new()),
    };
    targets.extend(bound.iter().cloned());
    let fix = obj.get("fix").and_then(|n| {
        let scope = FixScope {
            text,
            bound: &bound,
            targets: &targets,
            roles,
            subject,
        };
        fixes::read(&n, &scope, errors)
    });
    let examples = read_examples(obj, errors);
    check_fixed_examples(&check, fix.as_ref(), &examples, errors);
    let meta = RuleMeta {
        id: id?.0.to_owned(),
        name: name?.0.to_owned(),
        category: category?,
        severity: severity?,
        summary: summary?.0.to_owned(),
        message: message?.0,
        hint: hint.map(|(t, _)| t),
        help,
        since,
        status,
        tags,
        confidence,
        refs,
        aliases,
        related,
    };
    Some(Rule {
        meta,
        check,
        fix,
        examples,
        origin: Origin {
            file: errors.file,
            span: obj.span.clone(),
        },
        index: 0,
    })
}

/// A string of a rule file, with its span.
type SpannedStr = (String, Range<usize>);

/// A code can't be both the same check (`aliases`) and a different one
/// (`related`).
fn check_related(
    aliases: &BTreeMap<String, Vec<String>>,
    related: &[SpannedStr],
    errors: &mut Errors,
) {
    for (code, span) in related {
        if aliases
            .values()
            .flatten()
            .any(|a| a.eq_ignore_ascii_case(code))
        {
            errors.push(
                span.clone(),
                format!("`{code}` is in both `aliases` and `related`"),
                "an alias is the same check, a related code a different one: keep one",
            );
        }
    }
}

/// `[rule.refs]`, `[rule.aliases]` or `[rule.related]`: lists of strings
/// under keys of a vocabulary, and each string with its span.
fn read_string_lists<T: Vocab>(
    obj: &Obj<'_, '_>,
    key: &str,
    errors: &mut Errors,
) -> (BTreeMap<String, Vec<String>>, Vec<SpannedStr>) {
    let mut out = BTreeMap::new();
    let mut spans = Vec::new();
    let Some(node) = obj.get(key) else {
        return (out, spans);
    };
    let Some(table) = node.table(errors, &format!("`[rule.{key}]`")) else {
        return (out, spans);
    };
    for (k, _, v) in table.keys() {
        if let Some(items) = v.strings(errors, &format!("`{key}.{k}`")) {
            spans.extend(
                items
                    .iter()
                    .map(|(s, span)| ((*s).to_owned(), span.clone())),
            );
            out.insert(
                k.to_owned(),
                items.into_iter().map(|(s, _)| s.to_owned()).collect(),
            );
        }
    }
    for (k, span, _) in table.keys() {
        choose::<T>(k, span, errors);
    }
    (out, spans)
}

fn read_examples(obj: &Obj<'_, '_>, errors: &mut Errors) -> Vec<Example> {
    let mut out = Vec::new();
    let Some(node) = obj.get("examples") else {
        return out;
    };
    let Some(items) = node.array(errors, "`examples`") else {
        return out;
    };
    for item in items {
        let Some(ex) = item.table(errors, "an example") else {
            continue;
        };
        let bad = ex.get("bad");
        let good = ex.get("good");
        let (kind, node) = match (bad, good) {
            (Some(b), None) => (ExampleKind::Bad, b),
            (None, Some(g)) => (ExampleKind::Good, g),
            _ => {
                errors.push(
                    ex.span.clone(),
                    "an example has exactly one of `bad` or `good`",
                    "this example",
                );
                ex.finish(errors, "an example", &ExampleKey::names());
                continue;
            }
        };
        let text = node.str(errors, "an example").unwrap_or("").to_owned();
        let lines = ex.get("lines").and_then(|n| {
            if kind == ExampleKind::Good {
                errors.push(
                    n.span.clone(),
                    "`lines` belongs to a `bad` example",
                    "not allowed here",
                );
                return None;
            }
            let items = n.array(errors, "`lines`")?;
            Some(
                items
                    .iter()
                    .filter_map(|i| i.int(errors, "a line number").map(|v| v.max(0) as u32))
                    .collect::<Vec<u32>>(),
            )
        });
        if let Some(n) = ex.get("note") {
            n.str(errors, "`note`");
        }
        let mut tables = Vec::new();
        if let Some(n) = ex.get("tables")
            && let Some(t) = n.table(errors, "`tables`")
        {
            for (name, _, entries) in t.keys() {
                let keys = entries
                    .array(errors, "a table's entries")
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|e| e.str(errors, "a table entry").map(str::to_owned))
                    .collect();
                tables.push((name.to_owned(), keys));
            }
        }
        let fixed = ex.get("fixed").and_then(|n| {
            let s = n.str(errors, "`fixed`")?;
            if kind == ExampleKind::Good {
                errors.push(
                    n.span.clone(),
                    "`fixed` belongs to a `bad` example",
                    "not allowed here",
                );
                return None;
            }
            Some((s.to_owned(), n.span.clone()))
        });
        ex.finish(errors, "an example", &ExampleKey::names());
        out.push(Example {
            kind,
            text,
            lines,
            fixed,
            tables,
            span: node.span.clone(),
        });
    }
    out
}

/// A rule whose fix is applied (not `display-only`), from `[rule.fix]` or
/// from its native check, shows what it does: each `bad` example needs
/// `fixed`. A match rule without `[rule.fix]` has nothing to show.
fn check_fixed_examples(
    check: &Check,
    fix: Option<&FixTemplate>,
    examples: &[Example],
    errors: &mut Errors,
) {
    let all: &[Applicability] = match (fix, check) {
        (Some(f), _) => std::slice::from_ref(&f.applicability),
        (None, Check::Native(f)) => f.fixes,
        (None, Check::Match(_)) => &[],
    };
    let applied = all.iter().any(|&a| a != Applicability::DisplayOnly);
    for ex in examples.iter().filter(|e| e.kind == ExampleKind::Bad) {
        match &ex.fixed {
            None if applied => errors.push_note(
                ex.span.clone(),
                "a `bad` example of a rule with a fix needs `fixed`",
                "this example",
                "add `fixed = '''...'''`: the example's text once the fixes are applied",
            ),
            // A native check may fix without saying so; the harness checks.
            Some((_, span)) if all.is_empty() && matches!(check, Check::Match(_)) => errors.push(
                span.clone(),
                "`fixed` needs a `[rule.fix]` in the rule",
                "nothing fixes this example",
            ),
            Some((_, span)) if !all.is_empty() && !applied => errors.push(
                span.clone(),
                "`fixed` with a `display-only` fix, which is never applied",
                "remove this",
            ),
            _ => {}
        }
    }
}

fn read_match(
    m: &Obj<'_, '_>,
    text: &str,
    scope: &mut Scope<'_, '_, '_>,
    errors: &mut Errors,
) -> Option<(Matcher, BTreeSet<String>)> {
    let ctx = "`[rule.match]`";
    let on = m.need("on", errors, ctx)?;
    let subject: SubjectKind = choose(on.str(errors, "`on`")?, on.span.clone(), errors)?;

    let instructions = m.get("instruction").and_then(|n| {
        if !subject.has_instruction() {
            errors.push(
                n.span.clone(),
                format!("`instruction` does not apply to `on = \"{subject}\"`"),
                "not a filter for this subject",
            );
            return None;
        }
        let kinds: Vec<&str> = InstructionKind::ALL.iter().map(|k| k.as_str()).collect();
        let mut out = Vec::new();
        for (s, span) in n.strings(errors, "`instruction`")? {
            let upper = s.to_ascii_uppercase();
            if let Some(k) = one_of(&upper, &kinds, span, "instruction", errors) {
                out.push(InstructionKind::from_keyword(k));
            }
        }
        Some(out)
    });
    let stage = opt_choice(m, "stage", errors).unwrap_or(StageFilter::Any);
    let position = opt_choice(m, "position", errors).unwrap_or(Position::Any);
    let onbuild = match m.get("onbuild") {
        Some(n) if n.value.as_str() == Some("only") => OnbuildFilter::Only,
        Some(n) => match n.bool(errors, "`onbuild` (true, false or \"only\")") {
            Some(false) => OnbuildFilter::Exclude,
            _ => OnbuildFilter::Include,
        },
        None => OnbuildFilter::Include,
    };
    let form = opt_choice::<Form>(m, "form", errors);
    let sources = m.get("source").and_then(|n| {
        if subject != SubjectKind::Text {
            errors.push(
                n.span.clone(),
                "`source` only applies to `on = \"text\"`",
                "not a filter for this subject",
            );
            return None;
        }
        let mut out = Vec::new();
        for (s, span) in n.strings(errors, "`source`")? {
            out.extend(choose::<TextSource>(s, span, errors));
        }
        Some(out)
    });
    let scripts = match opt_str(m, "scripts", errors) {
        Some((_, span)) if subject != SubjectKind::Command => {
            errors.push(
                span,
                "`scripts` only applies to `on = \"command\"`",
                "not a filter for this subject",
            );
            Scripts::Run
        }
        Some((s, span)) => choose(s, span, errors).unwrap_or(Scripts::Run),
        None => Scripts::Run,
    };
    let roles = subject.roles();
    // `report = "{name}"`: a placeholder, checked once the predicate says
    // what it binds.
    let mut report_placeholder = None;
    let report = match opt_str(m, "report", errors) {
        Some((s, span)) if s.starts_with('{') => {
            report_placeholder = Some((s, span));
            Report::Role(*roles.first()?)
        }
        Some((s, span)) => {
            let names: Vec<&str> = roles.iter().map(|r| r.name()).collect();
            let what = format!("report role or `{{placeholder}}` for `{subject}`");
            one_of(s, &names, span, &what, errors)?;
            Report::Role(*roles.iter().find(|r| r.name() == s)?)
        }
        None => Report::Role(*roles.first()?),
    };
    scope.tests = 0;
    let predicate = m.get("where").map(|n| {
        n.table(errors, "`[rule.match.where]`")
            .and_then(|obj| read_pred(&obj, subject, scope, errors, Nesting::TOP))
    });
    // Unknown keys are reported even when `where` had errors.
    m.finish(errors, ctx, &MatchKey::names());
    let predicate = match predicate {
        Some(Some(p)) => Some(p),
        Some(None) => return None,
        None => None,
    };
    let mut bound: BTreeSet<String> = subject
        .placeholders()
        .iter()
        .map(|p| p.name().to_owned())
        .collect();
    if let Some(p) = &predicate {
        bound.extend(bound_by(p, true));
    }
    let report = match report_placeholder {
        Some((s, span)) => {
            let name = s.strip_prefix('{').and_then(|r| r.strip_suffix('}'));
            let Some(name) = name.filter(|n| !n.is_empty() && !n.contains(['{', '}', '|'])) else {
                errors.push(
                    span,
                    format!("`{s}` is not a placeholder"),
                    "write `{name}` or a role",
                );
                return None;
            };
            let t = Template {
                parts: vec![TemplatePart::Placeholder {
                    name: name.to_owned(),
                    filters: Vec::new(),
                }],
            };
            if !check_bound(&t, span, text, &bound, errors) {
                return None;
            }
            Report::Placeholder(name.to_owned())
        }
        None => report,
    };
    Some((
        Matcher {
            subject,
            instructions,
            stage,
            position,
            onbuild,
            form,
            sources,
            scripts,
            report,
            predicate,
        },
        bound,
    ))
}

/// Placeholders a predicate binds whenever it holds (`always`), or
/// whenever one of its `any` branches holds (`!always`: what a fix may aim
/// at, an edit being left out when its placeholder has no value).
fn bound_by(p: &Pred, always: bool) -> BTreeSet<String> {
    let regex_names = |t: &TextTest| -> BTreeSet<String> {
        let mut s: BTreeSet<String> = t
            .regex
            .iter()
            .flat_map(|r| r.names().iter().cloned())
            .collect();
        if t.regex.is_some() {
            s.insert("match".into());
        }
        // A value that passes `literal = "secret"` is bound as `{secret}`
        // (the regex's group of that name, else the whole value).
        if t.literal
            .as_ref()
            .is_some_and(|k| k.contains(&Literal::Secret))
        {
            s.insert("secret".into());
        }
        s
    };
    match p {
        Pred::All(ps) => ps.iter().flat_map(|p| bound_by(p, always)).collect(),
        Pred::Any(ps) if !always => ps.iter().flat_map(|p| bound_by(p, always)).collect(),
        Pred::Any(ps) => {
            let mut sets = ps.iter().map(|p| bound_by(p, always));
            let first = sets.next().unwrap_or_default();
            sets.fold(first, |acc, s| acc.intersection(&s).cloned().collect())
        }
        Pred::Text { test, .. } | Pred::Arg(test) => regex_names(test),
        Pred::FlagValue { test, .. } => {
            let mut s = regex_names(test);
            s.insert("flag".into());
            s
        }
        Pred::HasFlag(_) => ["flag".to_owned()].into(),
        Pred::WrappedBy(_) => ["wrapper".to_owned()].into(),
        Pred::Lookup(l) => std::iter::once(l.bind.clone())
            .chain(l.fields.iter().map(|f| format!("{}.{f}", l.bind)))
            .collect(),
        Pred::Analyze(Analyzer::SecretValue { .. }) => ["match", "detector", "family", "secret"]
            .map(String::from)
            .into(),
        Pred::Analyze(Analyzer::Entropy { .. }) => ["match", "secret"].map(String::from).into(),
        Pred::Analyze(Analyzer::Literal { kinds, .. }) if kinds.contains(&Literal::Secret) => {
            ["secret".to_owned()].into()
        }
        Pred::Analyze(Analyzer::KeyName { .. }) => ["word".to_owned()].into(),
        Pred::Base(inner) => bound_by(inner, always),
        _ => BTreeSet::new(),
    }
}

fn read_text_test(node: &Node<'_, '_>, errors: &mut Errors, what: &str) -> Option<TextTest> {
    if let Some(s) = node.value.as_str() {
        return Some(TextTest {
            regex: Some(data::rule_regex(s, node.span.clone(), errors)?),
            ..TextTest::default()
        });
    }
    if node.value.as_array().is_some() {
        let items = node.strings(errors, what)?;
        return Some(TextTest {
            one_of: Some(items.into_iter().map(|(s, _)| s.to_owned()).collect()),
            ..TextTest::default()
        });
    }
    let obj = node.table(
        errors,
        &format!("{what} (a regex, an array of exact values, or a table)"),
    )?;
    let mut test = TextTest::default();
    if let Some(n) = obj.get("icase") {
        test.icase = n.bool(errors, "`icase`").unwrap_or(false);
    }
    if let Some((s, span)) = opt_str(&obj, "regex", errors) {
        test.regex = if test.icase {
            data::rule_regex(&format!("(?i){s}"), span, errors)
        } else {
            data::rule_regex(s, span, errors)
        };
    }
    if let Some((s, _)) = opt_str(&obj, "equals", errors) {
        test.equals = Some(s.to_owned());
    }
    if let Some(n) = obj.get("in") {
        test.one_of = n
            .strings(errors, "`in`")
            .map(|v| v.into_iter().map(|(s, _)| s.to_owned()).collect());
    }
    if let Some(n) = obj.get("literal") {
        let kinds: Vec<(&str, std::ops::Range<usize>)> = match n.value.as_str() {
            Some(s) => vec![(s, n.span.clone())],
            None => n.strings(errors, "`literal`").unwrap_or_default(),
        };
        let mut list = Vec::new();
        for (k, span) in kinds {
            list.extend(choose::<Literal>(k, span, errors));
        }
        test.literal = Some(list);
    }
    obj.finish(errors, what, &TextTestKey::names());
    // A test whose parts failed to read has had its error already.
    let tests = TextTestKey::ALL
        .iter()
        .filter(|&&k| k != TextTestKey::Icase);
    if !tests.into_iter().any(|k| obj.get(k.as_str()).is_some()) {
        errors.push(
            obj.span.clone(),
            format!("{what} needs `regex`, `equals`, `in` or `literal`"),
            "empty test",
        );
    }
    Some(test)
}

/// How many tests one rule's predicate may hold, counting those of the
/// utils it uses at each use: it bounds what a rule costs per subject.
pub(crate) const MAX_PREDICATE_TESTS: usize = 1000;

/// What predicates are read against: the data tables, the utils, and what
/// the predicate being read has used so far.
struct Scope<'s, 'a, 'i> {
    data: &'s Data,
    utils: &'s Utils<'a, 'i>,
    /// Utils that failed to load; their errors are already reported.
    broken: BTreeSet<String>,
    /// The utils being read, innermost last.
    expanding: Vec<String>,
    /// Tests read so far in the current rule's (or util's) predicate.
    tests: usize,
    /// By file: whether its rule regexes are compiled on first use.
    lazy: &'s [bool],
}

/// `matches = "NAME"` (or a list of names, all of which must hold): the
/// util's predicate, read for this subject at this depth.
fn read_matches(
    node: &Node<'_, '_>,
    subject: SubjectKind,
    scope: &mut Scope<'_, '_, '_>,
    errors: &mut Errors,
    at: Nesting,
) -> Option<Pred> {
    let mut preds = Vec::new();
    let mut ok = true;
    for (name, span) in node.strings(errors, "`matches`")? {
        let Some(def) = scope.utils.get(name) else {
            let known: Vec<&str> = scope.utils.keys().map(String::as_str).collect();
            let mut message = format!("unknown util `{name}`");
            if let Some(c) = closest(name, known.iter().copied()) {
                message.push_str(&format!(" (did you mean `{c}`?)"));
            }
            let note = if known.is_empty() {
                "no `[utils.NAME]` table is defined in the loaded files".to_owned()
            } else {
                format!("utils: {}", known.join(", "))
            };
            errors.push_note(span, message, "not a util", note);
            ok = false;
            continue;
        };
        // A broken util, or a cycle: already reported.
        if scope.broken.contains(name) || scope.expanding.iter().any(|n| n == name) {
            ok = false;
            continue;
        }
        let (Some(on), Some(body)) = (def.subject, &def.body) else {
            ok = false;
            continue;
        };
        if on != subject {
            errors.push(
                span,
                format!("util `{name}` is for `on = \"{on}\"`, not `{subject}`"),
                "used on another subject",
            );
            ok = false;
            continue;
        }
        let mut inner = Errors::with_lazy_regexes(def.file, scope.lazy);
        scope.expanding.push(name.to_owned());
        let pred = read_pred(body, subject, scope, &mut inner, at.deeper());
        scope.expanding.pop();
        match (pred, inner.list.first()) {
            (Some(p), None) => preds.push(p),
            (_, Some(first)) => {
                // It loads on its own, so the problem is where it is used.
                errors.push(
                    span,
                    format!("util `{name}` can't be used here: {}", first.message),
                    "used here",
                );
                ok = false;
            }
            (None, None) => ok = false,
        }
    }
    if !ok {
        return None;
    }
    if preds.is_empty() {
        errors.push(node.span.clone(), "`matches` is empty", "name a util here");
        return None;
    }
    Some(if preds.len() == 1 {
        preds.remove(0)
    } else {
        Pred::All(preds)
    })
}

/// How deep `all`, `any`, `not`, `base` and relations may nest. Rules
/// need a few levels; the limit keeps compiling and evaluating a user's
/// rule cheap and its recursion shallow.
pub(crate) const MAX_PREDICATE_DEPTH: u32 = 12;

/// Where a predicate table sits: how deep, and whether inside a relation.
#[derive(Clone, Copy)]
struct Nesting {
    depth: u32,
    in_relation: bool,
}

impl Nesting {
    const TOP: Nesting = Nesting {
        depth: 1,
        in_relation: false,
    };

    fn deeper(self) -> Nesting {
        Nesting {
            depth: self.depth + 1,
            ..self
        }
    }

    fn relation(self) -> Nesting {
        Nesting {
            depth: self.depth + 1,
            in_relation: true,
        }
    }
}

fn read_pred(
    obj: &Obj<'_, '_>,
    subject: SubjectKind,
    scope: &mut Scope<'_, '_, '_>,
    errors: &mut Errors,
    at: Nesting,
) -> Option<Pred> {
    if scope.tests > MAX_PREDICATE_TESTS {
        return None;
    }
    if at.depth > MAX_PREDICATE_DEPTH {
        errors.push(
            obj.span.clone(),
            format!("predicates nest more than {MAX_PREDICATE_DEPTH} levels deep"),
            "flatten this: `all`/`any` take lists",
        );
        return None;
    }
    let mut preds = Vec::new();
    let mut ok = true;
    for (key, key_span, node) in obj.keys() {
        match read_leaf(key, key_span, &node, subject, scope, errors, at) {
            Some(p) => preds.push(p),
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    if preds.is_empty() {
        errors.push(
            obj.span.clone(),
            "an empty predicate table",
            "add a test here",
        );
        return None;
    }
    Some(if preds.len() == 1 {
        preds.remove(0)
    } else {
        Pred::All(preds)
    })
}

fn read_leaf(
    key: &str,
    key_span: Range<usize>,
    node: &Node<'_, '_>,
    subject: SubjectKind,
    scope: &mut Scope<'_, '_, '_>,
    errors: &mut Errors,
    at: Nesting,
) -> Option<Pred> {
    if let Some(compose) = Compose::parse(key) {
        return read_compose(compose, node, subject, scope, errors, at);
    }
    scope.tests += 1;
    if scope.tests == MAX_PREDICATE_TESTS + 1 {
        errors.push(
            key_span.clone(),
            format!("the predicate holds more than {MAX_PREDICATE_TESTS} tests, counting those of the utils it uses"),
            "the limit is reached here",
        );
        return None;
    }
    if let Some(field) = subject.text_fields().into_iter().find(|f| f.name() == key) {
        return Some(Pred::Text {
            field,
            test: read_text_test(node, errors, &format!("`{key}`"))?,
        });
    }
    if let Some(field) = subject.bool_fields().into_iter().find(|f| f.name() == key) {
        return Some(Pred::Bool {
            field,
            value: node.bool(errors, &format!("`{key}`"))?,
        });
    }
    let Some(&leaf) = subject.leaves().iter().find(|l| l.as_str() == key) else {
        let valid = subject.predicate_keys();
        let mut message = format!("`{key}` is not a test for `on = \"{subject}\"`");
        if let Some(c) = closest(key, valid.iter().copied()) {
            message.push_str(&format!(" (did you mean `{c}`?)"));
        }
        errors.push_note(
            key_span,
            message,
            "unknown test",
            format!("tests for `{subject}`: {}", valid.join(", ")),
        );
        return None;
    };
    let relation = |kind, scope: &mut Scope<'_, '_, '_>, errors: &mut Errors| {
        read_relation(kind, key, key_span.clone(), node, scope, errors, at)
    };
    match leaf {
        Leaf::Base => {
            let t = node.table(errors, "`base`")?;
            let inner = read_pred(&t, SubjectKind::Image, scope, errors, at.deeper())?;
            Some(Pred::Base(Box::new(inner)))
        }
        Leaf::HasFlag => Some(Pred::HasFlag(read_names(node, key, errors)?)),
        Leaf::LacksFlag => Some(Pred::LacksFlag(read_names(node, key, errors)?)),
        Leaf::WrappedBy => Some(Pred::WrappedBy(read_names(node, key, errors)?)),
        Leaf::FlagValue => read_flag_value(node, errors),
        Leaf::Arg => Some(Pred::Arg(read_text_test(node, errors, "`arg`")?)),
        Leaf::TagIs => Some(Pred::TagIs(read_choices(node, key, errors)?)),
        Leaf::ValueIs => Some(Pred::ValueIs(read_choices(node, key, errors)?)),
        Leaf::Lookup => read_lookup(node, subject, scope, errors).map(Pred::Lookup),
        Leaf::Analyze => read_analyzer(node, subject, errors).map(Pred::Analyze),
        Leaf::Has => relation(RelationKind::Has, scope, errors),
        Leaf::Lacks => relation(RelationKind::Lacks, scope, errors),
        Leaf::LaterInStage => relation(RelationKind::LaterInStage, scope, errors),
        Leaf::NotLaterInStage => relation(RelationKind::NotLaterInStage, scope, errors),
        Leaf::FollowedBy => relation(RelationKind::FollowedBy, scope, errors),
        Leaf::NotFollowedBy => relation(RelationKind::NotFollowedBy, scope, errors),
        Leaf::PrecededBy => relation(RelationKind::PrecededBy, scope, errors),
        Leaf::NotPrecededBy => relation(RelationKind::NotPrecededBy, scope, errors),
        Leaf::PipedTo => relation(RelationKind::PipedTo, scope, errors),
    }
}

/// `all`, `any`, `not` and `matches`.
fn read_compose(
    compose: Compose,
    node: &Node<'_, '_>,
    subject: SubjectKind,
    scope: &mut Scope<'_, '_, '_>,
    errors: &mut Errors,
    at: Nesting,
) -> Option<Pred> {
    let key = compose.as_str();
    match compose {
        Compose::Matches => read_matches(node, subject, scope, errors, at),
        Compose::Not => {
            let t = node.table(errors, "`not`")?;
            let inner = read_pred(&t, subject, scope, errors, at.deeper())?;
            Some(Pred::Not(Box::new(inner)))
        }
        Compose::All | Compose::Any => {
            let items = node.array(errors, &format!("`{key}`"))?;
            let mut out = Vec::new();
            // Every entry is checked, so that all its errors are reported.
            let mut ok = true;
            for item in items {
                let pred = item
                    .table(errors, &format!("an entry of `{key}`"))
                    .and_then(|t| read_pred(&t, subject, scope, errors, at.deeper()));
                match pred {
                    Some(p) => out.push(p),
                    None => ok = false,
                }
            }
            if !ok {
                return None;
            }
            if out.is_empty() {
                errors.push(
                    node.span.clone(),
                    format!("`{key}` is empty"),
                    "add predicates",
                );
                return None;
            }
            Some(if compose == Compose::All {
                Pred::All(out)
            } else {
                Pred::Any(out)
            })
        }
    }
}

/// A relation: a predicate on the subjects near this one.
fn read_relation(
    kind: RelationKind,
    key: &str,
    key_span: Range<usize>,
    node: &Node<'_, '_>,
    scope: &mut Scope<'_, '_, '_>,
    errors: &mut Errors,
    at: Nesting,
) -> Option<Pred> {
    if at.in_relation {
        errors.push(
            key_span,
            format!("`{key}` inside another relation"),
            "relations do not nest",
        );
        return None;
    }
    let t = node.table(errors, &format!("`{key}`"))?;
    let inner = read_pred(&t, kind.inner_subject(), scope, errors, at.relation())?;
    Some(Pred::Relation {
        kind,
        pred: Box::new(inner),
    })
}

/// `has_flag`, `lacks_flag`, `wrapped_by`: a string or an array of them.
fn read_names(node: &Node<'_, '_>, key: &str, errors: &mut Errors) -> Option<Vec<String>> {
    Some(
        node.strings(errors, &format!("`{key}`"))?
            .into_iter()
            .map(|(s, _)| s.to_owned())
            .collect(),
    )
}

/// `tag_is`, `value_is`: words of a vocabulary (the first unknown one is
/// reported).
fn read_choices<T: Vocab>(node: &Node<'_, '_>, key: &str, errors: &mut Errors) -> Option<Vec<T>> {
    let mut out = Vec::new();
    for (s, span) in node.strings(errors, &format!("`{key}`"))? {
        out.push(choose(s, span, errors)?);
    }
    Some(out)
}

fn read_flag_value(node: &Node<'_, '_>, errors: &mut Errors) -> Option<Pred> {
    let t = node.table(errors, "`flag_value`")?;
    let n = t.need("name", errors, "`flag_value`")?;
    let names: Vec<String> = match n.value.as_str() {
        Some(s) => vec![s.to_owned()],
        None => n
            .strings(errors, "`flag_value.name`")?
            .into_iter()
            .map(|(s, _)| s.to_owned())
            .collect(),
    };
    let v = t.need("value", errors, "`flag_value`")?;
    let test = read_text_test(&v, errors, "`flag_value.value`")?;
    t.finish(errors, "`flag_value`", &FlagValueKey::names());
    Some(Pred::FlagValue { names, test })
}

fn read_lookup(
    node: &Node<'_, '_>,
    subject: SubjectKind,
    scope: &Scope<'_, '_, '_>,
    errors: &mut Errors,
) -> Option<Lookup> {
    let t = node.table(errors, "`lookup`")?;
    let (table, span) = str_in(&t, "table", errors, "`lookup`")?;
    if !scope.data.tables.contains_key(table) {
        let names: Vec<&str> = scope.data.tables.keys().map(String::as_str).collect();
        one_of(table, &names, span, "lookup table", errors);
    }
    let (k, kspan) = str_in(&t, "key", errors, "`lookup`")?;
    let key_template = template(k, kspan.clone(), errors);
    let placeholders = subject.placeholders();
    for p in key_template.placeholders() {
        if !placeholders.iter().any(|q| q.name() == p) {
            errors.push(
                kspan.clone(),
                format!("`{{{p}}}` is not a placeholder of `{subject}`"),
                "in this key",
            );
        }
    }
    let bind = str_in(&t, "bind", errors, "`lookup`")?.0.to_owned();
    t.finish(errors, "`lookup`", &LookupKey::names());
    // Fields present in every entry are bound whenever the lookup succeeds.
    let mut fields: Option<BTreeSet<String>> = None;
    for value in scope
        .data
        .tables
        .get(table)
        .into_iter()
        .flat_map(|t| t.values())
    {
        let these: BTreeSet<String> = match value {
            data::TableValue::Fields(f) => f.keys().cloned().collect(),
            data::TableValue::Text(_) => BTreeSet::new(),
        };
        fields = Some(match fields {
            None => these,
            Some(prev) => prev.intersection(&these).cloned().collect(),
        });
    }
    Some(Lookup {
        table: table.to_owned(),
        key: key_template,
        bind,
        fields: fields.unwrap_or_default().into_iter().collect(),
    })
}

fn read_analyzer(
    node: &Node<'_, '_>,
    subject: SubjectKind,
    errors: &mut Errors,
) -> Option<Analyzer> {
    let t = node.table(errors, "`analyze`")?;
    let fields = subject.text_fields();
    let field = match opt_str(&t, "field", errors) {
        Some((f, span)) => {
            let names: Vec<&str> = fields.iter().map(|f| f.name()).collect();
            one_of(f, &names, span, &format!("field of `{subject}`"), errors)?;
            *fields.iter().find(|x| x.name() == f)?
        }
        None => *fields.first()?,
    };
    let (detector, dspan) = str_in(&t, "detector", errors, "`analyze`")?;
    let detector: Detector = choose(detector, dspan, errors)?;
    let analyzer = match detector {
        Detector::SecretKeyName => {
            let strong = opt_choice(&t, "words", errors) == Some(Words::Strong);
            let split = match opt_str(&t, "split", errors) {
                Some((s, span)) => choose(s, span, errors)?,
                None => NameSplit::Underscore,
            };
            Analyzer::KeyName {
                field,
                split,
                strong,
            }
        }
        Detector::SecretValue => Analyzer::SecretValue { field },
        Detector::SecretLiteral => Analyzer::Literal {
            field,
            kinds: vec![Literal::Secret],
        },
        Detector::Entropy => {
            let min_bits = t
                .need("min_bits", errors, "an entropy analyzer")?
                .float(errors, "`min_bits`")?;
            let min_len = t
                .need("min_len", errors, "an entropy analyzer")?
                .int(errors, "`min_len`")?
                .max(1) as usize;
            let charset = match opt_str(&t, "charset", errors) {
                Some((s, span)) => choose(s, span, errors)?,
                None => Charset::Base64,
            };
            Analyzer::Entropy {
                field,
                detector: EntropyDetector {
                    charset,
                    min_len,
                    min_bits,
                },
            }
        }
    };
    let mut keys = vec![AnalyzeKey::Field, AnalyzeKey::Detector];
    keys.extend(detector.options());
    let names: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
    t.finish(errors, "`analyze`", &names);
    Some(analyzer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;
    use crate::rules::data::RuleRegex;
    use crate::rules::types::Check;

    /// The regexes of a predicate tree, depth first.
    fn regexes<'p>(p: &'p Pred, out: &mut Vec<&'p RuleRegex>) {
        match p {
            Pred::All(ps) | Pred::Any(ps) => ps.iter().for_each(|p| regexes(p, out)),
            Pred::Not(p) | Pred::Base(p) | Pred::Relation { pred: p, .. } => regexes(p, out),
            Pred::Text { test, .. } | Pred::FlagValue { test, .. } | Pred::Arg(test) => {
                out.extend(&test.regex);
            }
            _ => {}
        }
    }

    /// The built-in pack's rule regexes are compiled on first use, so a
    /// broken one would only show as a rule that never holds: every one
    /// compiles, and the group names read without compiling are the
    /// compiled regex's.
    #[test]
    fn builtin_regexes_compile() {
        let sources = RuleSet::builtin_sources();
        let (rules, _, errors) = load_with(&sources, true);
        assert_eq!(errors, Vec::new());
        let mut found = Vec::new();
        for rule in &rules {
            if let Check::Match(m) = &rule.check
                && let Some(p) = &m.predicate
            {
                regexes(p, &mut found);
            }
        }
        assert!(found.len() > 50, "only {} regexes", found.len());
        for re in found {
            let compiled = re.get();
            assert!(compiled.is_some(), "`{}` does not compile", re.as_str());
            let names: Vec<&str> = compiled
                .into_iter()
                .flat_map(|c| c.capture_names().flatten())
                .collect();
            assert_eq!(names, re.names(), "{}", re.as_str());
        }
        let (_, _, errors) = load_with(&sources, false);
        assert_eq!(errors, Vec::new());
    }

    #[test]
    fn lazy_regexes_still_report_syntax_errors() {
        let mut errors = Errors::new(0);
        errors.lazy_regexes = true;
        assert!(data::rule_regex("(?P<a>x", 0..1, &mut errors).is_none());
        assert_eq!(errors.list.len(), 1);
        assert!(errors.list[0].message.starts_with("invalid regex"));
        let re = data::rule_regex(r"(?P<flag>--x)(y)(?<z>\d)", 0..1, &mut errors);
        assert_eq!(
            re.map(|r| r.names().to_vec()),
            Some(vec!["flag".into(), "z".into()])
        );
    }
}
