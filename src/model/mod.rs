//! Facts about a parsed Dockerfile, computed once: stages and their bases,
//! ARG and ENV scopes with expansion, the shell and the user in force, the
//! final stage. Rules read these facts instead of re-deriving them.

mod expand;
mod image;
mod scope;

pub use expand::{Expanded, Value, expand};
pub use image::{DOCKER_HUB, ImageRef};

use crate::shell::Dialect;
use crate::syntax::{Arguments, Dockerfile, Instruction, InstructionKind};
use scope::{Defs, Scope};
use std::collections::HashMap;
use std::ops::Range;

/// ARGs BuildKit defines itself; their values depend on the build.
const BUILTIN_ARGS: &[&str] = &[
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETSTAGE",
    "BUILDKIT_SYNTAX",
];

/// What a stage is built from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    /// An image from a registry.
    Image(BaseImage),
    /// An earlier stage (`FROM build`).
    Stage(usize),
    /// `FROM scratch`: an empty image.
    Scratch,
    /// The reference could not be resolved or parsed.
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseImage {
    pub image: ImageRef,
    /// Whether the reference refers to ARGs.
    pub uses_args: bool,
}

/// A USER instruction's effect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserSet {
    /// Index of the USER instruction in [`Dockerfile::instructions`].
    pub instruction: usize,
    /// The user after ARG/ENV expansion (the raw value if unresolved).
    pub value: String,
    pub resolved: bool,
}

impl UserSet {
    /// The user part of `user[:group]`.
    pub fn user(&self) -> &str {
        self.value.split(':').next().unwrap_or("")
    }
}

#[derive(Clone, Debug)]
pub struct Stage {
    pub index: usize,
    /// Index of the FROM instruction.
    pub from: usize,
    /// Instructions of the stage, FROM included.
    pub instructions: Range<usize>,
    /// The `AS` name, lower-cased as BuildKit does.
    pub alias: Option<String>,
    pub base: Base,
    /// The image reference as written in FROM, after expansion.
    pub base_text: String,
    /// The stage this one builds on, if any (`FROM <stage>`).
    pub parent: Option<usize>,
    /// The first stage of its chain of parents (itself when it has none),
    /// whose FROM names the image the stage ultimately builds on.
    pub root: usize,
    /// The user in force at the end of the stage: its last USER, or the one
    /// inherited from its parent stage.
    pub user: Option<UserSet>,
    /// Whether the stage builds on Windows.
    pub windows: bool,
}

/// Facts about one Dockerfile.
pub struct Model<'f, 'a> {
    pub file: &'f Dockerfile<'a>,
    pub stages: Vec<Stage>,
    /// The stage that is built: the `--target` one, else the last.
    pub final_stage: Option<usize>,
    /// A `--target` that names no stage (BuildKit fails such a build).
    pub missing_target: Option<String>,
    /// Per instruction: its stage (`None` before the first FROM).
    pub stage_of: Vec<Option<usize>>,
    /// Per instruction: the shell its shell form runs under.
    pub shell_of: Vec<Dialect>,
    /// Each `AS` name (lower-cased) and the first stage that has it. A map,
    /// not a scan of the stages, so that cost stays linear in their number.
    names: HashMap<String, usize>,
    /// ARGs declared before the first FROM.
    globals: Defs,
    /// Per stage: its ARG and ENV definitions and the ENV it inherits.
    scopes: Vec<Scope>,
}

impl<'f, 'a> Model<'f, 'a> {
    /// Builds the facts. `target` names the stage to treat as final.
    pub fn new(file: &'f Dockerfile<'a>, target: Option<&str>) -> Self {
        let n = file.instructions.len();
        let mut model = Model {
            file,
            stages: Vec::new(),
            final_stage: None,
            missing_target: None,
            stage_of: vec![None; n],
            shell_of: vec![Dialect::Posix; n],
            names: HashMap::new(),
            globals: Defs::default(),
            scopes: Vec::new(),
        };
        model.build();
        let targeted = target.map(|t| (t, model.stage_named(t)));
        model.final_stage = match targeted {
            Some((_, Some(i))) => Some(i),
            _ => model.stages.len().checked_sub(1),
        };
        if let Some((t, None)) = targeted
            && !model.stages.is_empty()
        {
            model.missing_target = Some(t.to_owned());
        }
        model
    }

    fn escape(&self) -> char {
        self.file.escape
    }

    fn build(&mut self) {
        let file = self.file;
        let mut shell = Dialect::Posix;
        for (i, inst) in file.instructions.iter().enumerate() {
            match inst.kind {
                InstructionKind::From => {
                    let stage = self.start_stage(i, inst);
                    shell = match stage.parent {
                        Some(p) => self.shell_of[self.stages[p].instructions.end - 1],
                        None if stage.windows => Dialect::Cmd,
                        None => Dialect::Posix,
                    };
                    if let Some(alias) = &stage.alias {
                        self.names.entry(alias.clone()).or_insert(stage.index);
                    }
                    // The parent is complete: it comes before this stage.
                    let inherited = stage
                        .parent
                        .and_then(|p| self.scopes.get_mut(p))
                        .map(Scope::env_at_end)
                        .unwrap_or_default();
                    self.stages.push(stage);
                    self.scopes.push(Scope::new(inherited));
                }
                InstructionKind::Arg if self.stages.is_empty() => {
                    for (name, value) in self.arg_values(i, inst, true) {
                        self.globals.push(i, name, value);
                    }
                }
                _ => {}
            }
            let Some(s) = self.stages.len().checked_sub(1) else {
                continue;
            };
            self.stage_of[i] = Some(s);
            self.stages[s].instructions.end = i + 1;
            match inst.kind {
                InstructionKind::Shell => {
                    if let Arguments::Exec(e) = &inst.args
                        && let Some(first) = e.elements.first()
                    {
                        shell = Dialect::of_executable(&first.text);
                    }
                }
                InstructionKind::Arg => {
                    let values = self.arg_values(i, inst, false);
                    for (name, value) in values {
                        self.scopes[s].args.push(i, name, value);
                    }
                }
                InstructionKind::Env => {
                    if let Arguments::KeyValues(pairs) = &inst.args {
                        for p in pairs {
                            let Some(v) = &p.value else { continue };
                            let e = self.expand_at(i, &v.text);
                            let value = if e.resolved {
                                Value::Known(e.text)
                            } else {
                                Value::Unknown
                            };
                            self.scopes[s].env.push(i, p.key.text.to_string(), value);
                        }
                    }
                }
                InstructionKind::User => {
                    if let Arguments::Shell(w) = &inst.args {
                        let e = self.expand_at(i, &w.text);
                        let value = if e.resolved {
                            e.text
                        } else {
                            w.text.to_string()
                        };
                        self.stages[s].user = Some(UserSet {
                            instruction: i,
                            value,
                            resolved: e.resolved,
                        });
                    }
                }
                _ => {}
            }
            self.shell_of[i] = shell;
        }
    }

    /// The (name, value) pairs an ARG instruction declares.
    fn arg_values(&self, i: usize, inst: &Instruction<'_>, global: bool) -> Vec<(String, Value)> {
        let Arguments::ArgDecls(decls) = &inst.args else {
            return Vec::new();
        };
        decls
            .iter()
            .map(|d| {
                let name = d.name.text.to_string();
                let value = match &d.default {
                    Some(v) => {
                        let e = if global {
                            self.expand_global(i, &v.text)
                        } else {
                            self.expand_at(i, &v.text)
                        };
                        if e.resolved {
                            Value::Known(e.text)
                        } else {
                            Value::Unknown
                        }
                    }
                    // `ARG X` in a stage takes the global default, if any.
                    None if !global => self.global(i, &name).unwrap_or(Value::Unknown),
                    None => Value::Unknown,
                };
                (name, value)
            })
            .collect()
    }

    fn start_stage(&mut self, i: usize, inst: &Instruction<'_>) -> Stage {
        let words = inst.args.words();
        let raw = words
            .first()
            .map(|w| w.text.to_string())
            .unwrap_or_default();
        let alias = match words {
            [_, as_kw, name] if as_kw.text.eq_ignore_ascii_case("as") => {
                Some(name.text.to_ascii_lowercase())
            }
            _ => None,
        };
        let expanded = self.expand_global(i, &raw);
        let text = if expanded.resolved {
            expanded.text.clone()
        } else {
            raw.clone()
        };
        // Only earlier stages are named yet: a stage can't build on itself
        // or on a later one.
        let (base, parent) = if !expanded.resolved {
            (Base::Unknown, None)
        } else if let Some(p) = self.stage_named(&text) {
            (Base::Stage(p), Some(p))
        } else if text.eq_ignore_ascii_case("scratch") {
            (Base::Scratch, None)
        } else {
            match ImageRef::parse(&text) {
                Some(image) => (
                    Base::Image(BaseImage {
                        image,
                        uses_args: expanded.uses_vars,
                    }),
                    None,
                ),
                None => (Base::Unknown, None),
            }
        };
        let windows = match (&base, parent) {
            (_, Some(p)) => self.stages[p].windows,
            (Base::Image(b), _) => is_windows_image(&b.image),
            _ => self.escape() == '`',
        } || (self.escape() == '`' && !matches!(base, Base::Scratch));
        Stage {
            index: self.stages.len(),
            from: i,
            instructions: i..i + 1,
            alias,
            user: parent.and_then(|p| self.stages[p].user.clone()),
            base,
            base_text: text,
            parent,
            root: parent.map_or(self.stages.len(), |p| self.stages[p].root),
            windows,
        }
    }

    /// The first stage named `name` with `AS` (compared as BuildKit does,
    /// ignoring ASCII case).
    pub fn stage_named(&self, name: &str) -> Option<usize> {
        self.names.get(&name.to_ascii_lowercase()).copied()
    }

    /// A global ARG's value as seen at instruction `i`.
    fn global(&self, i: usize, name: &str) -> Option<Value> {
        self.globals.before(i, name).cloned()
    }

    /// Expands `word` with the global ARGs visible at instruction `i` (the
    /// scope of FROM and of ARGs before the first FROM).
    pub fn expand_global(&self, i: usize, word: &str) -> Expanded {
        let lookup = |name: &str| {
            self.global(i, name)
                .or_else(|| BUILTIN_ARGS.contains(&name).then_some(Value::Unknown))
        };
        expand(word, self.escape(), &lookup)
    }

    /// Expands `word` as instruction `i` of its stage would: ENV (own and
    /// inherited) over ARGs declared in the stage.
    pub fn expand_at(&self, i: usize, word: &str) -> Expanded {
        let Some(s) = self.stage_of.get(i).copied().flatten().or_else(|| {
            // During building, the current stage is the last one.
            self.stages.len().checked_sub(1)
        }) else {
            return self.expand_global(i, word);
        };
        let lookup = |name: &str| self.lookup(s, i, name);
        expand(word, self.escape(), &lookup)
    }

    fn lookup(&self, stage: usize, i: usize, name: &str) -> Option<Value> {
        self.scopes.get(stage)?.lookup(i, name).cloned()
    }

    pub fn final_stage(&self) -> Option<&Stage> {
        self.final_stage.map(|s| &self.stages[s])
    }

    /// Whether instruction `i` belongs to the final stage.
    pub fn in_final_stage(&self, i: usize) -> bool {
        self.final_stage.is_some() && self.stage_of.get(i).copied().flatten() == self.final_stage
    }

    /// The first stage of `stage`'s chain of parents: see [`Stage::root`].
    pub fn root(&self, stage: usize) -> Option<&Stage> {
        let root = self.stages.get(stage)?.root;
        self.stages.get(root)
    }

    /// The image the stage ultimately builds on, following stage references.
    pub fn root_base(&self, stage: usize) -> &Base {
        self.root(stage).map_or(&Base::Unknown, |s| &s.base)
    }
}

/// Windows base images: Server Core, Nano Server, Windows, and images
/// tagged for them (`...-nanoserver-ltsc2022`, `...-windowsservercore-...`).
pub fn is_windows_image(image: &ImageRef) -> bool {
    let name = image.repository.to_ascii_lowercase();
    let tag = image.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    let marks = ["nanoserver", "servercore", "windowsservercore", "windows/"];
    name.starts_with("windows")
        || marks
            .iter()
            .any(|m| name.contains(m) || tag.contains(m.trim_end_matches('/')))
        || (image.registry == "mcr.microsoft.com" && name.starts_with("windows"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax;

    fn model_of(text: &str, f: impl FnOnce(&Model<'_, '_>)) {
        let file = syntax::parse(text);
        let model = Model::new(&file, None);
        f(&model);
    }

    #[test]
    fn stages_bases_and_users() {
        model_of(
            "ARG BASE=node:20\nFROM ${BASE} AS build\nUSER app\nFROM build AS test\nFROM scratch\nCOPY --from=build /a /a\n",
            |m| {
                assert_eq!(m.stages.len(), 3);
                let Base::Image(b) = &m.stages[0].base else {
                    panic!()
                };
                assert_eq!(b.image.repository, "node");
                assert_eq!(b.image.tag.as_deref(), Some("20"));
                assert!(b.uses_args);
                assert_eq!(m.stages[1].base, Base::Stage(0));
                assert_eq!(
                    m.stages[1].user.as_ref().map(|u| u.value.as_str()),
                    Some("app")
                );
                assert_eq!(m.stages[2].base, Base::Scratch);
                assert_eq!(m.final_stage, Some(2));
                assert!(m.stages[2].user.is_none());
                assert!(m.in_final_stage(5));
            },
        );
    }

    #[test]
    fn arg_and_env_scopes() {
        let text = "ARG U=root\nARG V\nFROM alpine\nARG U\nUSER ${U}\nENV W=${U}x\nARG W=ignored\nUSER $W\nFROM alpine\nUSER ${U:-nobody}\n";
        model_of(text, |m| {
            assert_eq!(m.stages[0].user.as_ref().unwrap().value, "rootx");
            let first = m.expand_at(4, "${U}");
            assert_eq!((first.text.as_str(), first.resolved), ("root", true));
            // A stage only sees global ARGs it re-declares.
            assert_eq!(m.stages[1].user.as_ref().unwrap().value, "nobody");
            assert!(!m.expand_global(2, "$V").resolved);
        });
    }

    #[test]
    fn env_is_inherited_down_a_chain_and_args_are_not() {
        let text = "ARG G=g\nFROM alpine AS a\nENV E=1 F=one\nARG P=p\nENV E=2\n\
                    FROM a AS b\nARG G\nENV F=two\n\
                    FROM b AS c\nENV G=own\nRUN x\n\
                    FROM a AS d\nRUN x\n";
        model_of(text, |m| {
            let at = |i: usize, word: &str| {
                let e = m.expand_at(i, word);
                (e.text, e.resolved)
            };
            // In `b`, before its own ENV F: E from `a`'s last ENV, F from
            // `a`, G the global it re-declares; `a`'s ARG P is not inherited.
            assert_eq!(at(7, "$E-$F-$G"), ("2-one-g".into(), true));
            assert_eq!(at(7, "$P"), (String::new(), false));
            // In `c`: `b`'s ARG G is not inherited, its own ENV G is.
            assert_eq!(at(9, "$G"), (String::new(), false));
            assert_eq!(at(10, "$E-$F-$G"), ("2-two-own".into(), true));
            // `d` builds on `a`, not on `b`.
            assert_eq!(at(12, "$E-$F"), ("2-one".into(), true));
        });
    }

    #[test]
    fn target_picks_the_final_stage() {
        let file = syntax::parse("FROM a AS one\nFROM b AS two\n");
        assert_eq!(Model::new(&file, Some("ONE")).final_stage, Some(0));
        assert_eq!(Model::new(&file, Some("ONE")).missing_target, None);
        let missing = Model::new(&file, Some("nope"));
        assert_eq!(missing.final_stage, Some(1));
        assert_eq!(missing.missing_target.as_deref(), Some("nope"));
    }

    #[test]
    fn shells_and_windows() {
        let text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir\nSHELL [\"powershell\", \"-Command\"]\nRUN ls\n";
        model_of(text, |m| {
            assert!(m.stages[0].windows);
            assert_eq!(m.shell_of[1], Dialect::Cmd);
            assert_eq!(m.shell_of[3], Dialect::PowerShell);
        });
        model_of(
            "FROM alpine\nSHELL [\"/bin/bash\", \"-c\"]\nRUN ls\n",
            |m| {
                assert_eq!(m.shell_of[2], Dialect::Posix);
            },
        );
    }
}
