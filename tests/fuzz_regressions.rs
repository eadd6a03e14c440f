//! Every input the fuzzers once crashed on, kept under
//! `fuzz/regressions/<target>/`, run through the same check as its fuzz
//! target (`fuzz/checks.rs`). Fuzzing itself is not part of `cargo test`;
//! see fuzz/README.md.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

type Check = fn(&[u8]);

const TARGETS: [(&str, Check); 5] = [
    ("parse", checks::parse),
    ("shell", checks::shell),
    ("rules", checks::rules),
    ("config", checks::config),
    ("lint", checks::lint),
];

#[test]
fn every_kept_crash_input_passes_its_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut ran = 0;
    for (target, check) in TARGETS {
        let dir = root.join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut inputs: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        inputs.sort();
        for input in inputs {
            let data = std::fs::read(&input).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(
                outcome.is_ok(),
                "{target}: {} fails its check",
                input.display()
            );
            ran += 1;
        }
    }
    // The folder holds at least the inputs found so far.
    assert!(ran >= 1, "no regression inputs under {}", root.display());
    eprintln!("{ran} fuzz regression inputs pass");
}
