//! Reading files from disk safely: only regular files are opened (a FIFO
//! or device would block or never end), and nothing larger than a size cap
//! is read. Dockerfiles, settings files and rule files all come in here.

use std::io::Read;
use std::path::Path;

/// The default size cap: 64 MiB.
pub const DEFAULT_MAX_SIZE: u64 = 64 << 20;

/// What a size cap is called in messages: the option that sets it, or
/// nothing when it is fixed.
#[derive(Clone, Copy)]
pub(crate) enum Cap {
    /// `--max-file-size`.
    Option,
    Fixed,
}

/// Reads a regular file of at most `max` bytes.
pub(crate) fn read_bytes(path: &Path, max: u64, cap: Cap) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    check_type(&meta)?;
    if meta.len() > max {
        return Err(too_large(Some(meta.len()), max, cap));
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
        return Err(too_large(None, max, cap));
    }
    Ok(buf)
}

/// Reads a regular file of at most [`DEFAULT_MAX_SIZE`] bytes that must be
/// UTF-8 text (settings and rule files).
pub(crate) fn read_text(path: &Path) -> Result<String, String> {
    let bytes = read_bytes(path, DEFAULT_MAX_SIZE, Cap::Fixed)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bad = e.utf8_error().error_len().unwrap_or(1);
        let shown: Vec<String> = e.as_bytes()[at..at + bad]
            .iter()
            .map(|b| format!("{b:#04x}"))
            .collect();
        format!(
            "not valid UTF-8: byte {} at offset {at}; save it as UTF-8",
            shown.join(" ")
        )
    })
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

pub(crate) fn too_large(size: Option<u64>, max: u64, cap: Cap) -> String {
    let size = size.map_or_else(
        || "more than the limit".to_owned(),
        |s| format!("{s} bytes"),
    );
    let limit = match cap {
        Cap::Option => "--max-file-size is",
        Cap::Fixed => "the limit is",
    };
    format!("file too large ({size}; {limit} {max} bytes), not read")
}
