//! Fix templates: the `[rule.fix]` table, checked when a rule loads, and
//! rendered into a [`Fix`] for each finding.
//!
//! An edit is aimed at the reported span, a role of the rule's subject or a
//! placeholder's span, so that a fix template says what to change and the
//! match says where. See "Fixes" in `docs/rule-format.md`.

use super::compile::{check_bound, choose, template};
use super::eval::{Finding, find_bind};
use super::subjects::Role;
use super::types::{EditOp, EditTemplate, FixTemplate, Target, Template};
use super::vocab::{EditKey, FixKey, Vocab};
use super::walk::{Errors, Node, Obj, closest};
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::span::Span;
use std::collections::BTreeSet;

/// What a fix template is checked against.
pub(crate) struct FixScope<'s> {
    /// The rule file's text, to point at a placeholder in a template.
    pub text: &'s str,
    /// The placeholders the rule binds whenever it matches: what a
    /// template may use.
    pub bound: &'s BTreeSet<String>,
    /// The placeholders some match of the rule binds: what an edit may aim
    /// at (and is left out when it has no value).
    pub targets: &'s BTreeSet<String>,
    /// The report roles of the rule's subject; `None` for a native rule,
    /// which has no subject.
    pub roles: Option<&'s [Role]>,
    /// The subject's name, for messages (`command`, or `native rule`).
    pub subject: &'s str,
}

/// Reads `[rule.fix]`.
pub(crate) fn read(
    node: &Node<'_, '_>,
    scope: &FixScope<'_>,
    errors: &mut Errors,
) -> Option<FixTemplate> {
    let obj = node.table(errors, "`[rule.fix]`")?;
    let ctx = "`[rule.fix]`";
    let title = obj.need("title", errors, ctx).and_then(|n| {
        let s = n.str(errors, "`title`")?;
        let t = template(s, n.span.clone(), errors);
        check_bound(&t, n.span.clone(), scope.text, scope.bound, errors);
        Some(t)
    });
    let applicability = obj.need("applicability", errors, ctx).and_then(|n| {
        let s = n.str(errors, "`applicability`")?;
        choose::<Applicability>(s, n.span.clone(), errors)
    });
    let single = EditKey::ALL.iter().any(|k| obj.get(k.as_str()).is_some());
    let edits = match (obj.get("edits"), single) {
        (Some(list), false) => {
            let items = list.array(errors, "`edits`")?;
            if items.is_empty() {
                errors.push(list.span.clone(), "`edits` is empty", "add an edit here");
                return None;
            }
            let mut edits = Vec::new();
            let mut ok = true;
            for item in items {
                let edit = item.table(errors, "an edit").and_then(|t| {
                    let e = read_edit(&t, scope, errors);
                    t.finish(errors, "an edit", &EditKey::names());
                    e
                });
                match edit {
                    Some(e) => edits.push(e),
                    None => ok = false,
                }
            }
            obj.finish(errors, ctx, &FixKey::names());
            ok.then_some(edits)
        }
        (Some(list), true) => {
            errors.push(
                list.span.clone(),
                "`[rule.fix]` has both `edits` and an edit of its own (`op`, `at`, `text`)",
                "move the other edit into this list",
            );
            return None;
        }
        (None, true) => {
            let e = read_edit(&obj, scope, errors);
            obj.finish(errors, ctx, &FixKey::names());
            e.map(|e| vec![e])
        }
        (None, false) => {
            errors.push(
                obj.span.clone(),
                "`[rule.fix]` has no edit",
                "add `op` (and `at`, `text`), or an `edits` list",
            );
            obj.finish(errors, ctx, &FixKey::names());
            return None;
        }
    };
    Some(FixTemplate {
        title: title?,
        applicability: applicability?,
        edits: edits?,
    })
}

fn read_edit(obj: &Obj<'_, '_>, scope: &FixScope<'_>, errors: &mut Errors) -> Option<EditTemplate> {
    let op = obj.need("op", errors, "an edit").and_then(|n| {
        let s = n.str(errors, "`op`")?;
        choose::<EditOp>(s, n.span.clone(), errors)
    });
    let at = match obj.get("at") {
        None => Some(Target::Reported),
        Some(n) => read_target(&n, scope, errors),
    };
    let text = match (obj.get("text"), op) {
        (Some(n), Some(EditOp::Delete)) => {
            errors.push(n.span.clone(), "`delete` takes no `text`", "remove this");
            None
        }
        (Some(n), _) => n.str(errors, "`text`").map(|s| {
            let t = template(s, n.span.clone(), errors);
            check_bound(&t, n.span.clone(), scope.text, scope.bound, errors);
            t
        }),
        (None, Some(EditOp::Delete)) => None,
        (None, Some(op)) => {
            errors.push(
                obj.span.clone(),
                format!("`{}` needs `text`", op.as_str()),
                "in this edit",
            );
            return None;
        }
        (None, None) => None,
    };
    Some(EditTemplate {
        op: op?,
        at: at?,
        text,
    })
}

/// `at = "{name}"` (a placeholder's span) or `at = "role"`.
fn read_target(node: &Node<'_, '_>, scope: &FixScope<'_>, errors: &mut Errors) -> Option<Target> {
    let s = node.str(errors, "`at`")?;
    if let Some(name) = s.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        let t = Template {
            parts: vec![super::types::TemplatePart::Placeholder {
                name: name.to_owned(),
                filters: Vec::new(),
            }],
        };
        if name.is_empty() || name.contains(['{', '}', '|']) {
            errors.push(
                node.span.clone(),
                format!("`{s}` is not a placeholder"),
                "write `{name}` or a role",
            );
            return None;
        }
        return check_bound(&t, node.span.clone(), scope.text, scope.targets, errors)
            .then(|| Target::Placeholder(name.to_owned()));
    }
    match scope.roles {
        Some(roles) if roles.iter().any(|r| r.name() == s) => roles
            .iter()
            .find(|r| r.name() == s)
            .map(|&r| Target::Role(r)),
        Some(roles) => {
            let names: Vec<&str> = roles.iter().map(|r| r.name()).collect();
            let mut message = format!("`{s}` is not a role of `{}`", scope.subject);
            if scope.targets.contains(s) {
                message.push_str(&format!(" (did you mean the placeholder `{{{s}}}`?)"));
            } else if let Some(c) = closest(s, names.iter().copied()) {
                message.push_str(&format!(" (did you mean `{c}`?)"));
            }
            errors.push_note(
                node.span.clone(),
                message,
                "not a role",
                format!(
                    "roles: {}; or write a placeholder as `{{name}}`",
                    names.join(", ")
                ),
            );
            None
        }
        None => {
            errors.push_note(
                node.span.clone(),
                format!("`{s}`: a native rule has no roles"),
                "not a `{placeholder}`",
                "aim at a `{placeholder}` the native check binds, or leave `at` out for the reported span",
            );
            None
        }
    }
}

/// The fix for one finding, or `None` when it can't be aimed: a role the
/// subject lacks, a placeholder with no place in the Dockerfile, text
/// that needs a placeholder with no value, or edits that overlap.
///
/// An edit aimed at a placeholder that has no value at all (an optional
/// regex group that took no part in the match) is left out, so that one
/// template can serve a regex's alternatives; without any edit left there
/// is no fix.
pub(crate) fn render(
    t: &FixTemplate,
    finding: &Finding,
    role: &dyn Fn(Role) -> Option<Span>,
    escape: char,
) -> Option<Fix> {
    let full = |n: &str| finding.bind(n).map(|b| b.text.clone());
    let mut edits = Vec::with_capacity(t.edits.len());
    for e in &t.edits {
        let span = match &e.at {
            Target::Reported => finding.span,
            Target::Role(r) => role(*r)?,
            Target::Placeholder(p) => match find_bind(&finding.binds, p) {
                None => continue,
                Some(b) => b.span?,
            },
        };
        let text = match &e.text {
            Some(t) if t.placeholders().all(|p| finding.bind(p).is_some()) => {
                t.render_in(&full, escape)
            }
            Some(_) => return None,
            None => String::new(),
        };
        let span = match e.op {
            EditOp::Replace | EditOp::Delete => span,
            EditOp::InsertBefore => Span::empty(span.start),
            EditOp::InsertAfter => Span::empty(span.end),
        };
        edits.push(Edit { span, text });
    }
    if edits.is_empty() {
        return None;
    }
    let shown = |n: &str| Some(finding.bind(n).map(|b| b.shown()).unwrap_or_default());
    Fix::new(t.title.render(&shown), t.applicability, edits)
}
