//! Secret-looking key names (`DB_PASSWORD`, `GITHUB_TOKEN`, `SECRET_KEY`).
//!
//! The default split follows BuildKit's `SecretsUsedInArgOrEnv`: the name is
//! cut into words at `_`, and a name is secret-like when one word is on the
//! deny list and none is on the allow list. Two refinements keep settings
//! about secrets quiet: the *last* word may not be a qualifier
//! (`TOKEN_TTL`, `PASSWORD_MIN_LENGTH`, `SECRET_NAME`, `KEY_ALIAS`), and
//! compound deny entries (`api_key`, `access_key`) match across words.

use std::collections::HashSet;
use std::sync::OnceLock;

/// How a key name is cut into words.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NameSplit {
    /// At `_` only, as BuildKit does.
    #[default]
    Underscore,
    /// Also at `-`, `.` and lower-to-upper case changes (`apiKey`).
    Extended,
}

#[derive(Clone, Debug, Default)]
pub struct KeyNames {
    /// Words that make a name secret-like, lower case. An entry with `_`
    /// (`api_key`) matches consecutive words.
    pub deny: Vec<String>,
    /// Words that make a name not secret-like wherever they appear.
    pub allow: Vec<String>,
    /// Words that, as the last word, turn a secret-like name into a setting
    /// about the secret (`ttl`, `length`, `url`, `file`).
    pub qualifiers: Vec<String>,
    /// Deny entries too generic to mark a name secret-like on their own
    /// (`key`, `auth`): [`KeyNames::matches_strong`] ignores them.
    pub weak: Vec<String>,
    /// The lists as sets and split entries, built on first use (after
    /// loading has filled the lists).
    index: OnceLock<Index>,
}

#[derive(Clone, Debug, Default)]
struct Index {
    /// Each deny entry's words, and whether it is weak.
    deny: Vec<(Vec<String>, bool)>,
    allow: HashSet<String>,
    qualifiers: HashSet<String>,
}

impl KeyNames {
    /// Lower-case words of `name`.
    pub fn words(name: &str, split: NameSplit) -> Vec<String> {
        let mut words = Vec::new();
        let mut cur = String::new();
        let mut prev_lower = false;
        for c in name.chars() {
            let sep = c == '_' || (split == NameSplit::Extended && (c == '-' || c == '.'));
            let case_break = split == NameSplit::Extended && c.is_uppercase() && prev_lower;
            if sep || case_break {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
                prev_lower = false;
                if sep {
                    continue;
                }
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            cur.extend(c.to_lowercase());
        }
        if !cur.is_empty() {
            words.push(cur);
        }
        words
    }

    /// The deny entry that makes `name` secret-like, if any.
    pub fn matches(&self, name: &str, split: NameSplit) -> Option<&str> {
        self.find(name, split, false)
    }

    /// Like [`KeyNames::matches`], but only deny entries that are not weak
    /// count: `DB_PASSWORD` and `API_KEY`, not `RELEASE_KEY`.
    pub fn matches_strong(&self, name: &str, split: NameSplit) -> Option<&str> {
        self.find(name, split, true)
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index {
            deny: self
                .deny
                .iter()
                .map(|d| {
                    let parts = d.split('_').map(str::to_owned).collect();
                    (parts, self.weak.contains(d))
                })
                .collect(),
            allow: self.allow.iter().cloned().collect(),
            qualifiers: self.qualifiers.iter().cloned().collect(),
        })
    }

    fn find(&self, name: &str, split: NameSplit, strong: bool) -> Option<&str> {
        let index = self.index();
        let words = Self::words(name, split);
        if words.is_empty() || words.iter().any(|w| index.allow.contains(w)) {
            return None;
        }
        if words
            .last()
            .is_some_and(|last| index.qualifiers.contains(last))
        {
            return None;
        }
        index
            .deny
            .iter()
            .position(|(parts, weak)| {
                !(strong && *weak) && words.windows(parts.len()).any(|w| w == parts.as_slice())
            })
            .map(|i| self.deny[i].as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> KeyNames {
        KeyNames {
            deny: [
                "password", "token", "secret", "key", "api_key", "apikey", "auth",
            ]
            .map(String::from)
            .to_vec(),
            allow: ["public", "file", "version"].map(String::from).to_vec(),
            qualifiers: ["ttl", "length", "name", "url", "mode", "id"]
                .map(String::from)
                .to_vec(),
            weak: ["key", "auth"].map(String::from).to_vec(),
            ..KeyNames::default()
        }
    }

    #[test]
    fn key_names() {
        let n = names();
        let yes = |k: &str| n.matches(k, NameSplit::Underscore).is_some();
        assert!(yes("DB_PASSWORD"));
        assert!(yes("GITHUB_TOKEN"));
        assert!(yes("SECRET_KEY"));
        assert!(yes("AWS_SECRET_ACCESS_KEY"));
        assert!(!yes("MONKEY"));
        assert!(!yes("MAX_TOKENS"));
        assert!(!yes("PASSWORD_FILE"));
        assert!(!yes("PUBLIC_KEY"));
        assert!(!yes("TOKEN_TTL"));
        assert!(!yes("AUTH_MODE"));
        assert!(!yes("CLIENT_ID"));
        assert!(n.matches("dbPassword", NameSplit::Underscore).is_none());
        assert!(n.matches("dbPassword", NameSplit::Extended).is_some());
        let strong = |k: &str| n.matches_strong(k, NameSplit::Underscore).is_some();
        assert!(strong("SECRET_KEY") && strong("API_KEY") && strong("DB_PASSWORD"));
        assert!(!strong("RELEASE_KEY") && !strong("PYPI_AUTH"));
        assert_eq!(
            KeyNames::words("myApi-key.v2", NameSplit::Extended),
            ["my", "api", "key", "v2"]
        );
    }
}
