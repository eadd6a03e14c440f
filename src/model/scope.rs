//! Where ARG and ENV lookups find their definitions, at a cost that does not
//! grow with the number of stages, definitions or lookups: a stage chain of
//! thousands of stages, or thousands of ENVs in one stage, must stay linear.
//!
//! - [`Defs`]: one kind of definition (a stage's ENVs, its ARGs, the global
//!   ARGs) in instruction order, indexed by name once there are many, so
//!   that "the last definition before instruction `i`" is a hash lookup and
//!   a binary search.
//! - [`Env`]: the ENVs a stage inherits, as a persistent map. A stage's map
//!   is its parent's map at the parent's end, shared rather than copied, so
//!   a chain of stages costs one insertion per ENV and a lookup never walks
//!   up the chain.

use super::Value;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

/// Definitions of one kind, in instruction order, indexed by name once
/// there are more than [`SMALL`] of them.
#[derive(Debug, Default)]
pub(super) struct Defs {
    all: Vec<Def>,
    /// Positions in `all` of each name's definitions, in order.
    by_name: Option<HashMap<String, Vec<usize>>>,
}

/// Up to this many definitions, a scan costs less than keeping an index
/// (a hash map with a copy of each name): in a corpus of 9,500 public
/// Dockerfiles, about one stage in four hundred has more ENVs or ARGs.
const SMALL: usize = 32;

#[derive(Debug)]
struct Def {
    instruction: usize,
    name: String,
    value: Value,
}

impl Defs {
    /// Adds a definition. Instructions come in order, so `all` and each
    /// name's positions stay sorted by instruction.
    pub(super) fn push(&mut self, instruction: usize, name: String, value: Value) {
        let at = self.all.len();
        match &mut self.by_name {
            Some(index) => index.entry(name.clone()).or_default().push(at),
            None if at == SMALL => {
                let mut index: HashMap<String, Vec<usize>> = HashMap::new();
                for (p, d) in self.all.iter().enumerate() {
                    index.entry(d.name.clone()).or_default().push(p);
                }
                index.entry(name.clone()).or_default().push(at);
                self.by_name = Some(index);
            }
            None => {}
        }
        self.all.push(Def {
            instruction,
            name,
            value,
        });
    }

    /// The value of the last definition of `name` before instruction `i`.
    pub(super) fn before(&self, i: usize, name: &str) -> Option<&Value> {
        let found = match &self.by_name {
            Some(index) => {
                let at = index.get(name)?;
                let n = at.partition_point(|&p| self.all[p].instruction < i);
                self.all.get(*at[..n].last()?)
            }
            None => self
                .all
                .iter()
                .rev()
                .find(|d| d.instruction < i && d.name == name),
        };
        found.map(|d| &d.value)
    }

    /// Every definition, in order: a later one of a name overrides it.
    fn in_order(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.all.iter().map(|d| (d.name.as_str(), &d.value))
    }
}

/// What a stage knows of its variables: what it inherits and what it
/// defines.
#[derive(Debug, Default)]
pub(super) struct Scope {
    /// ENV inherited from the stage this one builds on (at that stage's end).
    inherited: Env,
    pub(super) env: Defs,
    pub(super) args: Defs,
    /// The ENV in force at the end of the stage, built the first time a
    /// stage builds on this one, then shared by every such stage.
    end: Option<Env>,
}

impl Scope {
    /// A stage's scope, before its own definitions.
    pub(super) fn new(inherited: Env) -> Self {
        Scope {
            inherited,
            ..Scope::default()
        }
    }

    /// The ENV in force at the end of the stage. Call it once the stage is
    /// complete: the result is kept.
    pub(super) fn env_at_end(&mut self) -> Env {
        if let Some(end) = &self.end {
            return end.clone();
        }
        let mut env = self.inherited.clone();
        for (name, value) in self.env.in_order() {
            env = env.with(name, value.clone());
        }
        self.end = Some(env.clone());
        env
    }

    /// The value `name` has at instruction `i` of the stage: the stage's own
    /// ENV, then the inherited ENV, then the stage's ARGs.
    pub(super) fn lookup(&self, i: usize, name: &str) -> Option<&Value> {
        self.env
            .before(i, name)
            .or_else(|| self.inherited.get(name))
            .or_else(|| self.args.before(i, name))
    }
}

/// Bits of the name's hash that choose a child at each level of the trie.
const BITS: u32 = 4;
const FANOUT: usize = 1 << BITS;

/// A persistent map from ENV name to value: a hash trie whose updates copy
/// only the path to the changed entry and share the rest, so that each
/// stage keeps its own version cheaply. Cloning is a reference count.
#[derive(Clone, Debug, Default)]
pub(super) struct Env(Option<Arc<Node>>);

#[derive(Debug)]
enum Node {
    /// The names whose full hash is this one (almost always one name).
    Leaf(u64, Vec<(String, Value)>),
    Branch([Env; FANOUT]),
}

/// A fixed hash: every version of a map must route a name the same way.
fn hash(name: &str) -> u64 {
    let mut h = DefaultHasher::new();
    name.hash(&mut h);
    h.finish()
}

fn slot(hash: u64, shift: u32) -> usize {
    // Masked to BITS bits, so the cast never truncates.
    ((hash >> shift) & (FANOUT as u64 - 1)) as usize
}

impl Env {
    pub(super) fn get(&self, name: &str) -> Option<&Value> {
        // Most stages inherit nothing: no need to hash.
        let mut node = self.0.as_deref()?;
        let hash = hash(name);
        let mut shift = 0;
        loop {
            match node {
                Node::Leaf(h, entries) => {
                    return entries
                        .iter()
                        .find(|(n, _)| *h == hash && n == name)
                        .map(|(_, v)| v);
                }
                Node::Branch(children) => {
                    node = children[slot(hash, shift)].0.as_deref()?;
                    shift += BITS;
                }
            }
        }
    }

    /// A new version of the map with `name` set to `value`.
    pub(super) fn with(&self, name: &str, value: Value) -> Env {
        self.insert(hash(name), name, value, 0)
    }

    fn insert(&self, hash: u64, name: &str, value: Value, shift: u32) -> Env {
        let node = match self.0.as_deref() {
            None => Node::Leaf(hash, vec![(name.to_owned(), value)]),
            Some(Node::Leaf(h, entries)) if *h == hash => {
                let mut entries = entries.clone();
                match entries.iter_mut().find(|(n, _)| n == name) {
                    Some(entry) => entry.1 = value,
                    None => entries.push((name.to_owned(), value)),
                }
                Node::Leaf(hash, entries)
            }
            Some(Node::Leaf(h, _)) => {
                // Another hash: push this leaf one level down and retry.
                // Two different hashes differ in some group of BITS bits,
                // so this ends before `shift` reaches 64.
                let mut children: [Env; FANOUT] = Default::default();
                children[slot(*h, shift)] = self.clone();
                return Env(Some(Arc::new(Node::Branch(children))))
                    .insert(hash, name, value, shift);
            }
            Some(Node::Branch(children)) => {
                let mut children = children.clone();
                let i = slot(hash, shift);
                children[i] = children[i].insert(hash, name, value, shift + BITS);
                Node::Branch(children)
            }
        };
        Env(Some(Arc::new(node)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(s: &str) -> Value {
        Value::Known(s.to_owned())
    }

    #[test]
    fn defs_find_the_last_definition_before_an_instruction() {
        let mut defs = Defs::default();
        defs.push(2, "A".into(), known("one"));
        defs.push(5, "B".into(), Value::Unknown);
        defs.push(7, "A".into(), known("two"));
        assert_eq!(defs.before(2, "A"), None);
        assert_eq!(defs.before(3, "A"), Some(&known("one")));
        assert_eq!(defs.before(7, "A"), Some(&known("one")));
        assert_eq!(defs.before(8, "A"), Some(&known("two")));
        assert_eq!(defs.before(6, "B"), Some(&Value::Unknown));
        assert_eq!(defs.before(9, "C"), None);
    }

    #[test]
    fn defs_answer_the_same_once_indexed() {
        let mut defs = Defs::default();
        for i in 0..3 * SMALL {
            defs.push(2 * i, format!("V{}", i % 3), known(&i.to_string()));
            for j in 0..=2 * i + 1 {
                let expected = (0..=i)
                    .rev()
                    .find(|&k| k % 3 == 0 && 2 * k < j)
                    .map(|k| known(&k.to_string()));
                assert_eq!(defs.before(j, "V0"), expected.as_ref(), "{i} {j}");
            }
        }
        assert!(defs.by_name.is_some());
    }

    #[test]
    fn env_versions_are_independent() {
        let base = Env::default().with("A", known("1"));
        let left = base.with("B", known("2"));
        let right = base.with("A", known("3"));
        assert_eq!(base.get("A"), Some(&known("1")));
        assert_eq!(base.get("B"), None);
        assert_eq!(left.get("A"), Some(&known("1")));
        assert_eq!(left.get("B"), Some(&known("2")));
        assert_eq!(right.get("A"), Some(&known("3")));
        assert_eq!(right.get("B"), None);
    }

    #[test]
    fn env_holds_many_names() {
        let mut env = Env::default();
        let mut versions = Vec::new();
        for i in 0..5_000 {
            env = env.with(&format!("V{i}"), known(&i.to_string()));
            if i % 1_000 == 0 {
                versions.push((i, env.clone()));
            }
        }
        for i in 0..5_000 {
            assert_eq!(env.get(&format!("V{i}")), Some(&known(&i.to_string())));
        }
        assert_eq!(env.get("V5000"), None);
        for (i, version) in versions {
            assert!(version.get(&format!("V{i}")).is_some());
            assert_eq!(version.get(&format!("V{}", i + 1)), None);
        }
    }
}
