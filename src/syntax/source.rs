//! Bytes → text. A Dockerfile that is not valid UTF-8 still gets parsed
//! (invalid sequences become U+FFFD) and gets a diagnostic saying where.

use super::error::{SyntaxError, SyntaxErrorKind};
use crate::span::Span;

/// Source text decoded from bytes, with the error for invalid UTF-8, if any.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub error: Option<SyntaxError>,
}

/// Decodes `bytes` as UTF-8. Invalid sequences are replaced with U+FFFD and
/// reported at the first one, in offsets of the decoded text.
pub fn decode(bytes: Vec<u8>) -> Decoded {
    match String::from_utf8(bytes) {
        Ok(text) => Decoded { text, error: None },
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bad = e.utf8_error().error_len().unwrap_or(1);
            let bytes = e.into_bytes();
            let shown: Vec<String> = bytes[at..at + bad]
                .iter()
                .map(|b| format!("{b:#04x}"))
                .collect();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let error = SyntaxError::new(
                SyntaxErrorKind::NotUtf8,
                Span::from_usize(at, at + '\u{FFFD}'.len_utf8()),
                format!(
                    "file is not valid UTF-8: byte {} at offset {at}",
                    shown.join(" ")
                ),
            )
            .with_help("save the file as UTF-8; invalid bytes were read as U+FFFD");
            Decoded {
                text,
                error: Some(error),
            }
        }
    }
}
