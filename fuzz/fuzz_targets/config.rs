//! Any text → the settings loaders (`.shipshape.toml` when the first byte
//! is even, `.hadolint.yaml` when it is odd): they must not panic, every
//! error must point inside the text, and a file that loads must check its
//! selectors and per-path ignores against the built-in rules.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::config(data));
