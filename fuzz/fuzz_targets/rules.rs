//! Any TOML text → the rule loader, beside the built-in pack: it must not
//! panic; a rule set that loads must lint a small Dockerfile; every load
//! error must point inside its file.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::rules(data));
