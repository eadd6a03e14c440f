//! Any text → the shell splitter (POSIX, cmd and PowerShell): it must not
//! panic, and every word and command span must lie inside the text.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::shell(data));
