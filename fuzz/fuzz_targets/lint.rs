//! Any bytes → a whole-file lint with the built-in pack: it must not panic,
//! and every diagnostic's spans must lie on character boundaries of the
//! decoded text.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::lint(data));
