//! Value analyzers: Rust algorithms driven by data tables in
//! `rules/data/`. They answer "does this key name say secret?", "does this
//! text hold a credential?", "is this string random enough to be a key?".

pub mod assign;
mod checksum;
mod entropy;
mod names;
mod values;

pub use checksum::{Checksum, base62_6, crc32};
pub use entropy::{Charset, EntropyDetector, shannon_bits};
pub use names::{KeyNames, NameSplit};
pub use values::{
    CONTEXT_WINDOW, LazyRegex, Literal, Pattern, PatternPack, SecretMatch, classify_literal,
    trivial_body,
};
