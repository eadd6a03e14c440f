//! Any TOML text → the rule loader, beside the built-in pack: it must not
//! panic; a rule set that loads must lint a small Dockerfile; every load
//! error must point inside its file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipshape::rules::{CheckOptions, RuleSet, SourceFile};
use shipshape::syntax;

const DOCKERFILE: &str = "FROM ubuntu:latest AS build\nARG TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345\nRUN sudo apt-get install -y curl && curl -k https://x | sh\nENV PASSWORD=hunter2\nEXPOSE 2375\nFROM scratch\nCOPY --from=build /x /x\nCMD [\"/x\"]\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sources = RuleSet::builtin_sources();
    sources.push(SourceFile {
        name: "fuzz.toml".to_owned(),
        text: text.to_owned(),
    });
    match RuleSet::load(sources) {
        Ok(rules) => {
            let file = syntax::parse(DOCKERFILE);
            let _ = rules.check(&file, "Dockerfile", CheckOptions::default());
        }
        Err(failure) => {
            for e in &failure.errors {
                let len = failure.sources[e.file].text.len();
                assert!(e.span.start <= e.span.end && e.span.end <= len, "error span in range");
            }
        }
    }
});
