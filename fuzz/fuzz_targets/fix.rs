//! Any bytes → every fix of the built-in pack applied until stable: it
//! must not panic, converge, keep what no fix targets, and be idempotent.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::fix(data));
