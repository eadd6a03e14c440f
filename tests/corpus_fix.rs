//! Every built-in fix, unsafe ones included, applied to a fixed sample of
//! ../shared/corpus until stable, through the `fix` fuzz target's check:
//! the result converges, keeps what no fix targets, adds no syntax error
//! and is stable under a second fix.

#[path = "../fuzz/checks.rs"]
mod checks;
mod common;

#[test]
fn fixing_the_corpus_keeps_its_reading_and_is_idempotent() {
    let Some(files) = common::corpus_files() else {
        return;
    };
    // Every fourth file by name: a fixed sample that keeps the test quick.
    let sample: Vec<_> = files.iter().step_by(4).collect();
    for path in &sample {
        let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let outcome = std::panic::catch_unwind(|| checks::fix(&data));
        assert!(
            outcome.is_ok(),
            "{}: fixing fails its check",
            path.display()
        );
    }
    eprintln!("{} corpus files fixed and checked", sample.len());
}
