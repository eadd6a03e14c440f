//! Rule files → compiled rules. Every problem is collected (syntax, unknown
//! keys, wrong types, bad regexes, unknown fields for the subject, unbound
//! placeholders, relations inside relations) with its span in the file.

use super::data::{self, Data};
use super::fixes::{self, FixScope};
use super::native;
use super::schema::{
    ALIAS_NAMESPACES, CATEGORIES, MATCH_KEYS, OnbuildFilter, Position, RULE_KEYS, StageFilter,
    SubjectKind, TextSource,
};
use super::types::{
    Analyzer, Check, Example, ExampleKind, Filter, FixTemplate, Lookup, Matcher, Origin, Pred,
    RelationKind, Rule, RuleMeta, TagState, Template, TemplateError, TextTest, ValueKind,
};
use super::utils::{self, Utils};
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

const TOP_KEYS: &[&str] = &[
    "schema",
    "rule",
    "utils",
    "tables",
    "pattern",
    "key_names",
    "placeholders",
];

/// Loads rule files. Data from every file is read first, so rules in any
/// file may use tables from any other.
pub(crate) fn load(sources: &[SourceFile]) -> (Vec<Rule>, Data, Vec<LoadError>) {
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
        data::read(&top, &mut data, &mut errors);
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
        let mut errors = Errors::new(def.file);
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
        let mut errors = Errors::new(i);
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
                obj.finish(&mut errors, "`[[rule]]`", RULE_KEYS);
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
        top.finish(&mut errors, "a rule file", TOP_KEYS);
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
                let names = Filter::ALL.map(Filter::as_str);
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
        .and_then(|(c, span)| one_of(c, CATEGORIES, span, "category", errors));
    let severity = str_in(obj, "severity", errors, ctx).and_then(|(s, span)| {
        let s = one_of(
            s,
            &["error", "warning", "info", "style"],
            span,
            "severity",
            errors,
        )?;
        s.parse::<Severity>().ok()
    });
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
    let status = opt_str(obj, "status", errors)
        .and_then(|(s, span)| {
            one_of(
                s,
                &["stable", "preview", "deprecated"],
                span,
                "status",
                errors,
            )
        })
        .unwrap_or("stable")
        .to_owned();
    let tags = obj
        .get("tags")
        .and_then(|n| n.strings(errors, "`tags`"))
        .map(|v| v.into_iter().map(|(s, _)| s.to_owned()).collect())
        .unwrap_or_default();
    let confidence = opt_str(obj, "confidence", errors)
        .and_then(|(s, span)| one_of(s, &["high", "medium", "low"], span, "confidence", errors))
        .map(str::to_owned);
    let refs = read_string_lists(obj, "refs", &["cis", "cwe", "owasp", "urls"], errors);
    let aliases = read_string_lists(obj, "aliases", ALIAS_NAMESPACES, errors);
    if let Some(n) = obj.get("metadata") {
        n.table(errors, "`metadata`");
    }

    let engine = opt_str(obj, "engine", errors)
        .and_then(|(s, span)| one_of(s, &["match", "native"], span, "engine", errors))
        .unwrap_or("match");
    let (check, bound) = if engine == "native" {
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
        let (matcher, bound) = read_match(&m, scope, errors)?;
        (Check::Match(matcher), bound)
    };

    for (t, span) in message.iter().chain(hint.iter()) {
        check_bound(t, span.clone(), text, &bound, errors);
    }

    let (roles, subject, mut targets) = match &check {
        Check::Match(m) => (
            Some(m.subject.roles()),
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
        category: category?.to_owned(),
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
    })
}

fn read_string_lists(
    obj: &Obj<'_, '_>,
    key: &str,
    allowed: &[&str],
    errors: &mut Errors,
) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let Some(node) = obj.get(key) else { return out };
    let Some(table) = node.table(errors, &format!("`[rule.{key}]`")) else {
        return out;
    };
    for (k, _, v) in table.keys() {
        if let Some(items) = v.strings(errors, &format!("`{key}.{k}`")) {
            out.insert(
                k.to_owned(),
                items.into_iter().map(|(s, _)| s.to_owned()).collect(),
            );
        }
    }
    for (k, span, _) in table.keys() {
        if !allowed.contains(&k) {
            one_of(k, allowed, span, &format!("`{key}` entry"), errors);
        }
    }
    out
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
                ex.finish(errors, "an example", EXAMPLE_KEYS);
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
        ex.finish(errors, "an example", EXAMPLE_KEYS);
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

const EXAMPLE_KEYS: &[&str] = &["bad", "good", "lines", "fixed", "note", "tables"];

/// A rule whose fix is applied (not `display-only`), from `[rule.fix]` or
/// from its native check, shows what it does: each `bad` example needs
/// `fixed`. A match rule without `[rule.fix]` has nothing to show.
fn check_fixed_examples(
    check: &Check,
    fix: Option<&FixTemplate>,
    examples: &[Example],
    errors: &mut Errors,
) {
    let native_fixes = match check {
        Check::Native(f) => f.fixes,
        Check::Match(_) => None,
    };
    let applicability = fix.map(|f| f.applicability).or(native_fixes);
    for ex in examples.iter().filter(|e| e.kind == ExampleKind::Bad) {
        match (&ex.fixed, applicability) {
            (None, Some(a)) if a != Applicability::DisplayOnly => errors.push_note(
                ex.span.clone(),
                "a `bad` example of a rule with a fix needs `fixed`",
                "this example",
                "add `fixed = '''...'''`: the example's text once the fixes are applied",
            ),
            // A native check may fix without saying so; the harness checks.
            (Some((_, span)), None) if matches!(check, Check::Match(_)) => errors.push(
                span.clone(),
                "`fixed` needs a `[rule.fix]` in the rule",
                "nothing fixes this example",
            ),
            (Some((_, span)), Some(Applicability::DisplayOnly)) => errors.push(
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
    scope: &mut Scope<'_, '_, '_>,
    errors: &mut Errors,
) -> Option<(Matcher, BTreeSet<String>)> {
    let ctx = "`[rule.match]`";
    let on = m.need("on", errors, ctx)?;
    let subject_name = on.str(errors, "`on`")?;
    let names: Vec<&str> = SubjectKind::ALL.iter().map(|k| k.as_str()).collect();
    let subject = SubjectKind::parse(one_of(
        subject_name,
        &names,
        on.span.clone(),
        "subject",
        errors,
    )?)?;

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
    let stage = match opt_str(m, "stage", errors) {
        Some((s, span)) => {
            match one_of(s, &["any", "final", "build"], span, "stage filter", errors) {
                Some("final") => StageFilter::Final,
                Some("build") => StageFilter::Build,
                _ => StageFilter::Any,
            }
        }
        None => StageFilter::Any,
    };
    let position = match opt_str(m, "position", errors) {
        Some((s, span)) => match one_of(s, &["any", "first", "last"], span, "position", errors) {
            Some("first") => Position::First,
            Some("last") => Position::Last,
            _ => Position::Any,
        },
        None => Position::Any,
    };
    let onbuild = match m.get("onbuild") {
        Some(n) if n.value.as_str() == Some("only") => OnbuildFilter::Only,
        Some(n) => match n.bool(errors, "`onbuild` (true, false or \"only\")") {
            Some(false) => OnbuildFilter::Exclude,
            _ => OnbuildFilter::Include,
        },
        None => OnbuildFilter::Include,
    };
    let exec_form = opt_str(m, "form", errors).and_then(|(s, span)| {
        match one_of(s, &["exec", "shell"], span, "form", errors)? {
            "exec" => Some(true),
            _ => Some(false),
        }
    });
    let sources = m.get("source").and_then(|n| {
        if subject != SubjectKind::Text {
            errors.push(
                n.span.clone(),
                "`source` only applies to `on = \"text\"`",
                "not a filter for this subject",
            );
            return None;
        }
        let names: Vec<&str> = TextSource::ALL.iter().map(|s| s.as_str()).collect();
        let mut out = Vec::new();
        for (s, span) in n.strings(errors, "`source`")? {
            if let Some(v) = one_of(s, &names, span, "text source", errors) {
                out.extend(TextSource::parse(v));
            }
        }
        Some(out)
    });
    let copied_scripts = match opt_str(m, "scripts", errors) {
        Some((_, span)) if subject != SubjectKind::Command => {
            errors.push(
                span,
                "`scripts` only applies to `on = \"command\"`",
                "not a filter for this subject",
            );
            false
        }
        Some((s, span)) => one_of(s, &["run", "all"], span, "scripts", errors) == Some("all"),
        None => false,
    };
    let report = match opt_str(m, "report", errors) {
        Some((s, span)) => one_of(
            s,
            subject.roles(),
            span,
            &format!("report role for `{subject}`"),
            errors,
        )?
        .to_owned(),
        None => subject.roles()[0].to_owned(),
    };
    scope.tests = 0;
    let predicate = m.get("where").map(|n| {
        n.table(errors, "`[rule.match.where]`")
            .and_then(|obj| read_pred(&obj, subject, scope, errors, Nesting::TOP))
    });
    // Unknown keys are reported even when `where` had errors.
    m.finish(errors, ctx, MATCH_KEYS);
    let predicate = match predicate {
        Some(Some(p)) => Some(p),
        Some(None) => return None,
        None => None,
    };
    let mut bound: BTreeSet<String> = subject
        .placeholders()
        .iter()
        .map(|s| s.to_string())
        .collect();
    if let Some(p) = &predicate {
        bound.extend(bound_by(p, true));
    }
    Some((
        Matcher {
            subject,
            instructions,
            stage,
            position,
            onbuild,
            exec_form,
            sources,
            copied_scripts,
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
            .flat_map(|r| r.capture_names().flatten().map(str::to_owned))
            .collect();
        if t.regex.is_some() {
            s.insert("match".into());
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
        Pred::Analyze(Analyzer::SecretValue { .. }) => {
            ["match", "detector", "family"].map(String::from).into()
        }
        Pred::Analyze(Analyzer::Entropy { .. }) => ["match".to_owned()].into(),
        Pred::Analyze(Analyzer::KeyName { .. }) => ["word".to_owned()].into(),
        Pred::Base(inner) => bound_by(inner, always),
        _ => BTreeSet::new(),
    }
}

const LITERAL_KINDS: &[&str] = &[
    "empty",
    "reference",
    "placeholder",
    "number",
    "boolean",
    "path",
    "url",
    "public",
    "encoded",
    "secret",
];

fn literal_kind(name: &str) -> Option<Literal> {
    Some(match name {
        "empty" => Literal::Empty,
        "reference" => Literal::Reference,
        "placeholder" => Literal::Placeholder,
        "number" => Literal::Number,
        "boolean" => Literal::Boolean,
        "path" => Literal::Path,
        "url" => Literal::Url,
        "public" => Literal::Public,
        "encoded" => Literal::Encoded,
        "secret" => Literal::Secret,
        _ => return None,
    })
}

fn read_text_test(node: &Node<'_, '_>, errors: &mut Errors, what: &str) -> Option<TextTest> {
    if let Some(s) = node.value.as_str() {
        return Some(TextTest {
            regex: Some(data::regex(s, node.span.clone(), errors)?),
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
    if let Some((s, span)) = opt_str(&obj, "regex", errors) {
        test.regex = data::regex(s, span, errors);
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
            let kind = one_of(k, LITERAL_KINDS, span, "literal kind", errors);
            list.extend(kind.and_then(literal_kind));
        }
        test.literal = Some(list);
    }
    if let Some(n) = obj.get("icase") {
        test.icase = n.bool(errors, "`icase`").unwrap_or(false);
        if test.icase
            && let Some(r) = &test.regex
        {
            test.regex = data::regex(&format!("(?i){}", r.as_str()), obj.span.clone(), errors);
        }
    }
    obj.finish(errors, what, &["regex", "equals", "in", "icase", "literal"]);
    if test.regex.is_none()
        && test.equals.is_none()
        && test.one_of.is_none()
        && test.literal.is_none()
    {
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
        let mut inner = Errors::new(def.file);
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

fn valid_keys(subject: SubjectKind) -> Vec<&'static str> {
    let mut keys: Vec<&str> = vec!["all", "any", "not", "matches"];
    keys.extend(subject.text_fields().iter().map(|(n, _)| *n));
    keys.extend(subject.bool_fields().iter().map(|(n, _)| *n));
    keys.extend(subject.special_leaves());
    keys
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
    match key {
        "matches" => return read_matches(node, subject, scope, errors, at),
        "all" | "any" => {
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
            return Some(if key == "all" {
                Pred::All(out)
            } else {
                Pred::Any(out)
            });
        }
        "not" => {
            let t = node.table(errors, "`not`")?;
            return Some(Pred::Not(Box::new(read_pred(
                &t,
                subject,
                scope,
                errors,
                at.deeper(),
            )?)));
        }
        _ => {}
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
    if let Some((_, field)) = subject.text_fields().iter().find(|(n, _)| *n == key) {
        return Some(Pred::Text {
            field: *field,
            test: read_text_test(node, errors, &format!("`{key}`"))?,
        });
    }
    if let Some((_, field)) = subject.bool_fields().iter().find(|(n, _)| *n == key) {
        return Some(Pred::Bool {
            field: *field,
            value: node.bool(errors, &format!("`{key}`"))?,
        });
    }
    if !subject.special_leaves().contains(&key) {
        let valid = valid_keys(subject);
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
    }
    if let Some(kind) = RelationKind::parse(key) {
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
        return Some(Pred::Relation {
            kind,
            pred: Box::new(inner),
        });
    }
    match key {
        "base" => {
            let t = node.table(errors, "`base`")?;
            Some(Pred::Base(Box::new(read_pred(
                &t,
                SubjectKind::Image,
                scope,
                errors,
                at.deeper(),
            )?)))
        }
        "has_flag" | "lacks_flag" | "wrapped_by" => {
            let items: Vec<String> = node
                .strings(errors, &format!("`{key}`"))?
                .into_iter()
                .map(|(s, _)| s.to_owned())
                .collect();
            Some(match key {
                "has_flag" => Pred::HasFlag(items),
                "lacks_flag" => Pred::LacksFlag(items),
                _ => Pred::WrappedBy(items),
            })
        }
        "flag_value" => {
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
            t.finish(errors, "`flag_value`", &["name", "value"]);
            Some(Pred::FlagValue { names, test })
        }
        "arg" => Some(Pred::Arg(read_text_test(node, errors, "`arg`")?)),
        "tag_is" => {
            let mut states = Vec::new();
            for (s, span) in node.strings(errors, "`tag_is`")? {
                states.push(
                    match one_of(
                        s,
                        &["latest", "missing", "present"],
                        span,
                        "tag state",
                        errors,
                    )? {
                        "latest" => TagState::Latest,
                        "missing" => TagState::Missing,
                        _ => TagState::Present,
                    },
                );
            }
            Some(Pred::TagIs(states))
        }
        "value_is" => {
            let mut kinds = Vec::new();
            for (s, span) in node.strings(errors, "`value_is`")? {
                kinds.push(
                    match one_of(
                        s,
                        &["literal", "variable", "empty", "none"],
                        span,
                        "value kind",
                        errors,
                    )? {
                        "literal" => ValueKind::Literal,
                        "variable" => ValueKind::Variable,
                        "empty" => ValueKind::Empty,
                        _ => ValueKind::None,
                    },
                );
            }
            Some(Pred::ValueIs(kinds))
        }
        "lookup" => {
            let t = node.table(errors, "`lookup`")?;
            let (table, span) = str_in(&t, "table", errors, "`lookup`")?;
            if !scope.data.tables.contains_key(table) {
                let names: Vec<&str> = scope.data.tables.keys().map(String::as_str).collect();
                one_of(table, &names, span, "lookup table", errors);
            }
            let (k, kspan) = str_in(&t, "key", errors, "`lookup`")?;
            let key_template = template(k, kspan.clone(), errors);
            for p in key_template.placeholders() {
                if !subject.placeholders().contains(&p) {
                    errors.push(
                        kspan.clone(),
                        format!("`{{{p}}}` is not a placeholder of `{subject}`"),
                        "in this key",
                    );
                }
            }
            let bind = str_in(&t, "bind", errors, "`lookup`")?.0.to_owned();
            t.finish(errors, "`lookup`", &["table", "key", "bind"]);
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
            Some(Pred::Lookup(Lookup {
                table: table.to_owned(),
                key: key_template,
                bind,
                fields: fields.unwrap_or_default().into_iter().collect(),
            }))
        }
        "analyze" => read_analyzer(node, subject, errors).map(Pred::Analyze),
        _ => None,
    }
}

fn read_analyzer(
    node: &Node<'_, '_>,
    subject: SubjectKind,
    errors: &mut Errors,
) -> Option<Analyzer> {
    let t = node.table(errors, "`analyze`")?;
    let fields: Vec<&str> = subject.text_fields().iter().map(|(n, _)| *n).collect();
    let field_name = match opt_str(&t, "field", errors) {
        Some((f, span)) => one_of(f, &fields, span, &format!("field of `{subject}`"), errors)?,
        None => fields.first().copied()?,
    };
    let field = subject
        .text_fields()
        .iter()
        .find(|(n, _)| *n == field_name)?
        .1;
    let (detector, dspan) = str_in(&t, "detector", errors, "`analyze`")?;
    let detector = one_of(
        detector,
        &[
            "secret-key-name",
            "secret-value",
            "entropy",
            "secret-literal",
        ],
        dspan,
        "detector",
        errors,
    )?;
    let mut keys = vec!["field", "detector"];
    let analyzer = match detector {
        "secret-key-name" => {
            keys.extend(["split", "words"]);
            let strong = match opt_str(&t, "words", errors) {
                Some((s, span)) => {
                    one_of(s, &["all", "strong"], span, "words", errors) == Some("strong")
                }
                None => false,
            };
            let split = match opt_str(&t, "split", errors) {
                Some((s, span)) => {
                    match one_of(s, &["underscore", "extended"], span, "split", errors)? {
                        "extended" => NameSplit::Extended,
                        _ => NameSplit::Underscore,
                    }
                }
                None => NameSplit::Underscore,
            };
            Analyzer::KeyName {
                field,
                split,
                strong,
            }
        }
        "secret-value" => Analyzer::SecretValue { field },
        "secret-literal" => Analyzer::Literal {
            field,
            kinds: vec![Literal::Secret],
        },
        _ => {
            keys.extend(["min_bits", "min_len", "charset"]);
            let min_bits = t
                .need("min_bits", errors, "an entropy analyzer")?
                .float(errors, "`min_bits`")?;
            let min_len = t
                .need("min_len", errors, "an entropy analyzer")?
                .int(errors, "`min_len`")?
                .max(1) as usize;
            let charset = match opt_str(&t, "charset", errors) {
                Some((s, span)) => {
                    match one_of(s, &["base64", "hex", "any"], span, "charset", errors)? {
                        "hex" => Charset::Hex,
                        "any" => Charset::Any,
                        _ => Charset::Base64,
                    }
                }
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
    t.finish(errors, "`analyze`", &keys);
    Some(analyzer)
}
