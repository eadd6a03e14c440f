//! Variable expansion in instruction arguments: `$A`, `${A}`, `${A:-x}`,
//! `${A-x}`, `${A:+x}`, `${A+x}`, `${A:?x}`, quotes and escapes, as
//! BuildKit's word processing does for FROM, USER, EXPOSE and friends.
//!
//! A linter doesn't know build-time `--build-arg` values, so expansion
//! tracks whether the result is *resolved*: made only of text and of
//! variables with known values (ARG defaults, ENV values).

/// What a variable holds at some point of a Dockerfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A known value (an ARG default or an ENV value).
    Known(String),
    /// Declared, but its value comes from outside (an ARG without default,
    /// a built-in platform ARG).
    Unknown,
}

/// The result of expanding a word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expanded {
    pub text: String,
    /// False when some variable's value is unknown: `text` then holds an
    /// empty string in its place.
    pub resolved: bool,
    /// Whether the word referred to any variable.
    pub uses_vars: bool,
}

/// Expands `word`, looking variables up with `lookup` (`None`: undeclared).
pub fn expand(word: &str, escape: char, lookup: &dyn Fn(&str) -> Option<Value>) -> Expanded {
    let mut ex = Expander {
        chars: word.chars().collect(),
        pos: 0,
        escape,
        lookup,
        resolved: true,
        uses_vars: false,
        depth: 0,
    };
    let text = ex.until(None, true);
    Expanded {
        text,
        resolved: ex.resolved,
        uses_vars: ex.uses_vars,
    }
}

struct Expander<'l> {
    chars: Vec<char>,
    pos: usize,
    escape: char,
    lookup: &'l dyn Fn(&str) -> Option<Value>,
    resolved: bool,
    uses_vars: bool,
    depth: usize,
}

impl Expander<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    /// Text up to `stop` (consumed) or the end; `quotes`: process quotes.
    fn until(&mut self, stop: Option<char>, quotes: bool) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                self.pos += 1;
                return out;
            }
            self.pos += 1;
            match c {
                '\'' if quotes => {
                    while let Some(q) = self.peek() {
                        self.pos += 1;
                        if q == '\'' {
                            break;
                        }
                        out.push(q);
                    }
                }
                '"' if quotes => {
                    while let Some(q) = self.peek() {
                        self.pos += 1;
                        match q {
                            '"' => break,
                            '$' => out.push_str(&self.dollar()),
                            q if q == self.escape => match self.peek() {
                                Some(n @ ('"' | '$')) => {
                                    self.pos += 1;
                                    out.push(n);
                                }
                                Some(n) if n == self.escape => {
                                    self.pos += 1;
                                    out.push(n);
                                }
                                _ => out.push(q),
                            },
                            q => out.push(q),
                        }
                    }
                }
                '$' => out.push_str(&self.dollar()),
                c if c == self.escape => {
                    if let Some(n) = self.peek() {
                        self.pos += 1;
                        out.push(n);
                    }
                }
                c => out.push(c),
            }
        }
        out
    }

    /// After a `$`.
    fn dollar(&mut self) -> String {
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return "$".to_owned();
            }
            return self.value_of(&name);
        }
        self.pos += 1;
        let name = self.name();
        self.uses_vars = true;
        let Some(op) = self.peek() else {
            self.resolved = false;
            return String::new();
        };
        self.pos += 1;
        if op == '}' {
            return self.value_of(&name);
        }
        let colon = op == ':';
        let op = if colon {
            let o = self.peek().unwrap_or('}');
            self.pos += 1;
            o
        } else {
            op
        };
        self.depth += 1;
        let word = if self.depth > 64 {
            self.resolved = false;
            String::new()
        } else {
            self.until(Some('}'), false)
        };
        self.depth -= 1;
        let value = (self.lookup)(&name);
        match (op, value) {
            ('-', Some(Value::Known(v))) if !(colon && v.is_empty()) => v,
            ('-', Some(Value::Unknown)) if !colon => {
                self.resolved = false;
                String::new()
            }
            // Unknown with `:-`: BuildKit uses the default unless a value is
            // passed at build time; lint what the file says.
            ('-', _) => word,
            ('+', Some(Value::Known(v))) if !(colon && v.is_empty()) => word,
            ('+', Some(Value::Unknown)) => {
                self.resolved = false;
                String::new()
            }
            ('+', _) => String::new(),
            ('?', Some(Value::Known(v))) => v,
            _ => {
                self.resolved = false;
                String::new()
            }
        }
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == '_' {
                name.push(c);
                self.pos += 1;
            } else {
                break;
            }
        }
        name
    }

    fn value_of(&mut self, name: &str) -> String {
        self.uses_vars = true;
        match (self.lookup)(name) {
            Some(Value::Known(v)) => v,
            _ => {
                self.resolved = false;
                String::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(word: &str) -> (String, bool) {
        let lookup = |n: &str| match n {
            "TAG" => Some(Value::Known("3.12".into())),
            "EMPTY" => Some(Value::Known(String::new())),
            "PLATFORM" => Some(Value::Unknown),
            _ => None,
        };
        let e = expand(word, '\\', &lookup);
        (e.text, e.resolved)
    }

    #[test]
    fn expansion_forms() {
        assert_eq!(ex("python:$TAG"), ("python:3.12".into(), true));
        assert_eq!(ex("python:${TAG}-slim"), ("python:3.12-slim".into(), true));
        assert_eq!(ex("node:${NODE:-latest}"), ("node:latest".into(), true));
        assert_eq!(ex("node:${EMPTY:-20}"), ("node:20".into(), true));
        assert_eq!(ex("node:${EMPTY-20}"), ("node:".into(), true));
        assert_eq!(ex("a${TAG:+-x}"), ("a-x".into(), true));
        assert_eq!(ex("a${NOPE:+-x}"), ("a".into(), true));
        assert_eq!(ex("img:$PLATFORM"), ("img:".into(), false));
        assert_eq!(ex("img:${PLATFORM:-x}"), ("img:x".into(), true));
        assert_eq!(ex("$NOPE"), (String::new(), false));
        assert_eq!(ex("\"root\""), ("root".into(), true));
        assert_eq!(ex("'$TAG'"), ("$TAG".into(), true));
        assert_eq!(ex("\\$TAG"), ("$TAG".into(), true));
        assert_eq!(ex("cost $"), ("cost $".into(), true));
        assert_eq!(ex("${TAG"), (String::new(), false));
    }
}
