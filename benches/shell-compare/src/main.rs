//! Reads the logical RUN bodies extracted by ../shared/tools/bkparse.py
//! (`python3 bkparse.py LIST OUT.tsv RUNS.rec`) and measures, for shipshape's
//! splitter and for brush-parser: the share of bodies read without error
//! and the throughput, interleaving the two over several passes.
//!
//! Run: `cargo run --release -- RUNS.rec` in this directory.

use std::hint::black_box;
use std::io::BufReader;
use std::time::{Duration, Instant};

fn brush_ok(body: &str) -> bool {
    let options = brush_parser::ParserOptions::default();
    let mut parser = brush_parser::Parser::new(BufReader::new(body.as_bytes()), &options);
    parser.parse_program().is_ok()
}

fn ours_ok(body: &str) -> bool {
    shipshape::shell::split(body, shipshape::shell::Origin::Source { base: 0 })
        .error
        .is_none()
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: shell-compare RUNS.rec");
    let data = std::fs::read_to_string(&path).expect("readable RUNS.rec");
    let bodies: Vec<&str> = data
        .split('\u{1e}')
        .filter_map(|rec| rec.split_once('\u{1f}').map(|(_, body)| body))
        .filter(|b| !b.trim().is_empty())
        .collect();
    let bytes: usize = bodies.iter().map(|b| b.len()).sum();
    println!("{} RUN bodies, {:.1} MB", bodies.len(), bytes as f64 / 1e6);

    let ours_fail = bodies.iter().filter(|b| !ours_ok(b)).count();
    let only_ours = std::env::var_os("ONLY_OURS").is_some();
    let brush_fail = if only_ours {
        0
    } else {
        bodies.iter().filter(|b| !brush_ok(b)).count()
    };
    let (mut t_ours, mut t_brush) = (Vec::new(), Vec::new());
    for pass in 0..5 {
        let run = |ours: bool| {
            let t = Instant::now();
            for b in &bodies {
                black_box(if ours { ours_ok(b) } else { brush_ok(b) });
            }
            t.elapsed()
        };
        if pass % 2 == 0 {
            t_ours.push(run(true));
            if !only_ours {
                t_brush.push(run(false));
            }
        } else {
            if !only_ours {
                t_brush.push(run(false));
            }
            t_ours.push(run(true));
        }
    }
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    for (name, fail, t) in [
        ("shipshape::shell::split", ours_fail, median(t_ours)),
        (
            "brush-parser 0.4 (parse_program)",
            brush_fail,
            if t_brush.is_empty() {
                Duration::from_secs(1)
            } else {
                median(t_brush)
            },
        ),
    ] {
        println!(
            "{name:<34} errors {fail:>5} ({:.4} % read) {:>8.1} ms {:>8.1} MB/s",
            100.0 * (bodies.len() - fail) as f64 / bodies.len() as f64,
            t.as_secs_f64() * 1e3,
            bytes as f64 / 1e6 / t.as_secs_f64()
        );
    }
}
