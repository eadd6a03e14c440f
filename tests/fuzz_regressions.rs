//! Every input the fuzzers once crashed on, kept under
//! `fuzz/regressions/<target>/`, run through the same check as its fuzz
//! target (`fuzz/checks.rs`). Fuzzing itself is not part of `cargo test`;
//! see fuzz/README.md.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;
use std::time::Duration;

/// Each input finishes in milliseconds; this much means it hangs.
const LIMIT: Duration = Duration::from_secs(60);

type Check = fn(&[u8]);

const TARGETS: [(&str, Check); 6] = [
    ("parse", checks::parse),
    ("shell", checks::shell),
    ("rules", checks::rules),
    ("config", checks::config),
    ("lint", checks::lint),
    ("fix", checks::fix),
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
            // In a thread, so that a hang is a failure rather than a stall.
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let outcome = std::panic::catch_unwind(|| check(&data));
                let _ = tx.send(outcome.is_ok());
            });
            match rx.recv_timeout(LIMIT) {
                Ok(true) => {}
                Ok(false) => panic!("{target}: {} fails its check", input.display()),
                Err(_) => panic!("{target}: {} takes over {LIMIT:?}", input.display()),
            }
            ran += 1;
        }
    }
    // The folder holds at least the inputs found so far.
    assert!(ran >= 1, "no regression inputs under {}", root.display());
    eprintln!("{ran} fuzz regression inputs pass");
}
