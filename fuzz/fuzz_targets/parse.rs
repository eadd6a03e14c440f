//! Any bytes → the parser: it must not panic, and its tokens must rebuild
//! the (decoded) source exactly, with no byte left unaccounted for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipshape::syntax::{self, TokenKind};

fuzz_target!(|data: &[u8]| {
    let decoded = syntax::decode(data.to_vec());
    let file = syntax::parse(&decoded.text);
    let tokens = syntax::tokens(&file);
    let mut at = 0;
    for t in &tokens {
        assert_eq!(t.span.start, at, "tokens are contiguous");
        assert_ne!(t.kind, TokenKind::Unknown, "every byte is accounted for");
        at = t.span.end;
    }
    assert_eq!(at as usize, decoded.text.len(), "tokens cover the source");
    let _ = syntax::dump_buildkit(&file);
    let _ = file.trivia();
    for e in &file.errors {
        assert!(decoded.text.get(e.span.range()).is_some(), "error spans are in range");
    }
});
