//! Reading Dockerfiles from paths or stdin, safely (see [`crate::files`]):
//! nothing larger than the size cap is read, from a file or from stdin.

use crate::files::{self, Cap};
use std::io::Read;
use std::path::Path;

pub(crate) use crate::files::DEFAULT_MAX_SIZE;

/// Reads `path` (or stdin for `-`) as bytes, up to `max` bytes.
pub(crate) fn read(path: &str, max: u64) -> Result<Vec<u8>, String> {
    if path == "-" {
        read_stdin(max)
    } else {
        read_file(Path::new(path), max)
    }
}

/// Reads stdin, up to `max` bytes.
pub(crate) fn read_stdin(max: u64) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    std::io::stdin()
        .lock()
        .take(max.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read: {e}"))?;
    if buf.len() as u64 > max {
        return Err(files::too_large(None, max, Cap::Option));
    }
    Ok(buf)
}

/// Reads a regular file of at most `max` bytes.
pub(crate) fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    files::read_bytes(path, max, Cap::Option)
}

/// The name shown for `path` in diagnostics.
pub(crate) fn display_name(path: &str) -> &str {
    if path == "-" { "<stdin>" } else { path }
}
