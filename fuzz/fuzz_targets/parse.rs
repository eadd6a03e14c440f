//! Any bytes → the parser: it must not panic, and its tokens must rebuild
//! the (decoded) source exactly, with no byte left unaccounted for.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::parse(data));
