//! Any text → the settings loaders (`.shipshape.toml` when the first byte
//! is even, `.hadolint.yaml` when it is odd): they must not panic, every
//! error must point inside the text, and a file that loads must check its
//! selectors and per-path ignores against the built-in rules.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipshape::config::Config;
use shipshape::rules::RuleSet;
use std::path::{Path, PathBuf};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let (path, dir) = (PathBuf::from("settings"), PathBuf::from("."));
    let loaded = if selector % 2 == 0 {
        Config::parse(text, path, dir)
    } else {
        Config::parse_hadolint(text, path, dir)
    };
    let Ok(rules) = RuleSet::builtin() else {
        panic!("the built-in rules load");
    };
    let errors = match loaded {
        Ok(config) => {
            let _ = config.ignored_for(Path::new("services/api/Dockerfile"));
            config.check_selectors(rules)
        }
        Err(errors) => errors,
    };
    for e in &errors {
        assert!(
            e.span.start <= e.span.end && e.span.end <= text.len(),
            "error span in range"
        );
        assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
    }
});
