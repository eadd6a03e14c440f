//! Any text → the shell splitter (POSIX, cmd and PowerShell): it must not
//! panic, and every word and command span must lie inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipshape::shell::{self, Origin, Script};

fn check(script: &Script, len: usize) {
    for c in &script.commands {
        for w in std::iter::once(&c.name)
            .chain(&c.args)
            .chain(&c.assignments)
            .chain(&c.wrappers)
        {
            assert!(w.span.start <= w.span.end && w.span.end as usize <= len, "word span in range");
        }
        assert!(c.span.end as usize <= len, "command span in range");
    }
    if let Some(e) = &script.error {
        assert!(e.span.end as usize <= len, "error span in range");
    }
    for w in &script.written {
        check(w, len);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let origin = Origin::Source { base: 0 };
    check(&shell::split(text, origin), text.len());
    check(&shell::split_windows(text, origin, false), text.len());
    check(&shell::split_windows(text, origin, true), text.len());
});
