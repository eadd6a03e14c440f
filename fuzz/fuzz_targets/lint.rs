//! Any bytes → a whole-file lint with the built-in pack: it must not panic,
//! and every diagnostic's spans must lie on character boundaries of the
//! decoded text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipshape::lint::lint_bytes;
use shipshape::rules::{CheckOptions, RuleSet};

fuzz_target!(|data: &[u8]| {
    let Ok(rules) = RuleSet::builtin() else {
        panic!("the built-in rules load");
    };
    let report = lint_bytes(
        "Dockerfile",
        data.to_vec(),
        rules,
        CheckOptions::default(),
        &|_| true,
    );
    for d in &report.diagnostics {
        for span in std::iter::once(d.span).chain(d.labels.iter().map(|l| l.span)) {
            assert!(report.source.get(span.range()).is_some(), "span {span:?} on char boundaries");
        }
    }
});
