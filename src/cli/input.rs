//! Reading Dockerfiles from paths or stdin.

use std::io::Read;

/// Reads `path` (or stdin for `-`) as bytes.
pub(crate) fn read(path: &str) -> std::io::Result<Vec<u8>> {
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin().lock().read_to_end(&mut buf)?;
        Ok(buf)
    } else {
        std::fs::read(path)
    }
}

/// The name shown for `path` in diagnostics.
pub(crate) fn display_name(path: &str) -> &str {
    if path == "-" { "<stdin>" } else { path }
}
