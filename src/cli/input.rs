//! Reading Dockerfiles from paths or stdin, safely: only regular files are
//! opened (a FIFO or device named `Dockerfile` would block or never end),
//! and nothing larger than the size cap is read.

use std::io::Read;
use std::path::Path;

/// The default size cap: 64 MiB.
pub(crate) const DEFAULT_MAX_SIZE: u64 = 64 << 20;

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
        return Err(too_large(None, max));
    }
    Ok(buf)
}

/// Reads a regular file of at most `max` bytes.
pub(crate) fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    check_type(&meta)?;
    if meta.len() > max {
        return Err(too_large(Some(meta.len()), max));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    // The file may have changed since it was looked at.
    let meta = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
    check_type(&meta)?;
    let mut buf = Vec::with_capacity(meta.len().min(max) as usize);
    file.take(max.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read: {e}"))?;
    if buf.len() as u64 > max {
        return Err(too_large(None, max));
    }
    Ok(buf)
}

fn check_type(meta: &std::fs::Metadata) -> Result<(), String> {
    let t = meta.file_type();
    if t.is_file() {
        return Ok(());
    }
    if t.is_dir() {
        return Err("cannot read: is a directory".to_owned());
    }
    Err(format!("not a regular file ({}), not read", kind(&t)))
}

#[cfg(unix)]
fn kind(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn kind(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

fn too_large(size: Option<u64>, max: u64) -> String {
    let size = size.map_or_else(
        || "more than the limit".to_owned(),
        |s| format!("{s} bytes"),
    );
    format!("file too large ({size}; --max-file-size is {max} bytes), not read")
}

/// The name shown for `path` in diagnostics.
pub(crate) fn display_name(path: &str) -> &str {
    if path == "-" { "<stdin>" } else { path }
}
