//! Parse throughput over ../shared/corpus, with `parse-dockerfile` measured in
//! the same run, plus pathological inputs to show the cost stays linear.
//!
//! Run: `cargo bench --bench parse`. Each figure is the median of several
//! timed passes after a warm-up pass; files are read into memory first.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

const PASSES: usize = 15;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time_passes(mut f: impl FnMut()) -> Duration {
    f();
    median(
        (0..PASSES)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {} not found", dir.display());
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|b| shipshape::syntax::decode(b).text)
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "corpus: {} files, {:.2} MB",
        texts.len(),
        bytes as f64 / 1e6
    );

    // Passes alternate between the parsers (and their order) so that
    // allocator state and machine noise hit both alike.
    type Timed<'t> = (&'static str, Box<dyn Fn() + 't>, Vec<Duration>);
    let mut parsers: [Timed<'_>; 3] = [
        (
            "shipshape::syntax::parse",
            Box::new(|| {
                for t in &texts {
                    black_box(shipshape::syntax::parse(black_box(t)));
                }
            }),
            Vec::new(),
        ),
        (
            "shipshape parse + tokens",
            Box::new(|| {
                for t in &texts {
                    let file = shipshape::syntax::parse(black_box(t));
                    black_box(shipshape::syntax::tokens(&file));
                }
            }),
            Vec::new(),
        ),
        (
            "parse-dockerfile 0.1.9 (oracle)",
            Box::new(|| {
                for t in &texts {
                    let _ = black_box(parse_dockerfile::parse(black_box(t)));
                }
            }),
            Vec::new(),
        ),
    ];
    for (_, f, _) in &parsers {
        f();
    }
    for pass in 0..PASSES {
        for k in 0..parsers.len() {
            let k = if pass % 2 == 0 {
                k
            } else {
                parsers.len() - 1 - k
            };
            let t = Instant::now();
            (parsers[k].1)();
            parsers[k].2.push(t.elapsed());
        }
    }
    let [ours, with_tokens, oracle] = parsers.map(|(_, _, times)| median(times));
    println!(
        "{:<34} {:>10} {:>10} {:>12}",
        "parser", "time", "MB/s", "files/s"
    );
    let row = |name: &str, d: Duration| {
        println!(
            "{:<34} {:>8.1}ms {:>10.0} {:>12.0}",
            name,
            d.as_secs_f64() * 1e3,
            mb_per_s(bytes, d),
            texts.len() as f64 / d.as_secs_f64()
        );
    };
    row("shipshape::syntax::parse", ours);
    row("shipshape parse + tokens", with_tokens);
    row("parse-dockerfile 0.1.9 (oracle)", oracle);
    println!(
        "shipshape / parse-dockerfile throughput: {:.2}x",
        oracle.as_secs_f64() / ours.as_secs_f64()
    );

    println!("\npathological inputs (single file):");
    let mut long_line = String::from("FROM a\nRUN echo ");
    long_line.push_str(&"x".repeat(10 << 20));
    let mut continuations = String::from("FROM a\nRUN true");
    for _ in 0..200_000 {
        continuations.push_str(" \\\n && true");
    }
    let mut heredocs = String::from("FROM a\nRUN cat");
    for i in 0..10_000 {
        heredocs.push_str(&format!(" <<E{i}"));
        if i % 100 == 99 && i < 9_999 {
            heredocs.push_str(" \\\n");
        }
    }
    heredocs.push('\n');
    for i in 0..10_000 {
        heredocs.push_str(&format!("body {i}\nE{i}\n"));
    }
    let deep_json = format!("FROM a\nCMD {}\n", "[".repeat(1 << 20));
    for (name, text) in [
        ("10 MB line", &long_line),
        ("200,000 continuation lines", &continuations),
        ("10,000 heredocs", &heredocs),
        ("1 MiB of nested JSON brackets", &deep_json),
    ] {
        let d = time_passes(|| {
            black_box(shipshape::syntax::parse(black_box(text)));
        });
        println!(
            "{:<34} {:>8.2}ms {:>10.0} MB/s ({:.1} MB)",
            name,
            d.as_secs_f64() * 1e3,
            mb_per_s(text.len(), d),
            text.len() as f64 / 1e6
        );
    }
}
