//! Randomness: Shannon entropy of candidate tokens in a text.

/// The alphabet a candidate token is drawn from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Charset {
    /// `A-Za-z0-9+/=_-`, with upper case, lower case and digits all present.
    Base64,
    /// Hexadecimal digits.
    Hex,
    /// Any run of non-blank characters.
    Any,
}

/// Finds tokens of at least `min_len` characters from `charset` whose
/// entropy is at least `min_bits` per character.
#[derive(Clone, Copy, Debug)]
pub struct EntropyDetector {
    pub charset: Charset,
    pub min_len: usize,
    pub min_bits: f64,
}

/// Shannon entropy in bits per character.
pub fn shannon_bits(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    let mut n = 0u32;
    for b in s.bytes() {
        counts[b as usize] += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    let n = f64::from(n);
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

impl EntropyDetector {
    fn in_charset(&self, c: u8) -> bool {
        match self.charset {
            Charset::Base64 => {
                c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=' | b'_' | b'-')
            }
            Charset::Hex => c.is_ascii_hexdigit(),
            Charset::Any => !c.is_ascii_whitespace() && !matches!(c, b'"' | b'\'' | b'`'),
        }
    }

    /// Byte ranges of the random-looking tokens in `text`.
    pub fn find(&self, text: &str) -> Vec<(usize, usize)> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if !self.in_charset(b[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < b.len() && self.in_charset(b[i]) {
                i += 1;
            }
            let token = &text[start..i];
            if token.len() >= self.min_len
                && self.shape_ok(token)
                && shannon_bits(token) >= self.min_bits
            {
                out.push((start, i));
            }
        }
        out
    }

    fn shape_ok(&self, token: &str) -> bool {
        match self.charset {
            Charset::Base64 => {
                token.bytes().any(|c| c.is_ascii_uppercase())
                    && token.bytes().any(|c| c.is_ascii_lowercase())
                    && token.bytes().any(|c| c.is_ascii_digit())
            }
            Charset::Hex => !token.bytes().all(|c| c.is_ascii_digit()),
            Charset::Any => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy() {
        assert_eq!(shannon_bits("aaaa"), 0.0);
        assert!((shannon_bits("ab") - 1.0).abs() < 1e-9);
        let d = EntropyDetector {
            charset: Charset::Base64,
            min_len: 24,
            min_bits: 4.0,
        };
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assert_eq!(
            d.find(&format!("key {secret} end")),
            vec![(4, 4 + secret.len())]
        );
        assert!(d.find("AAAAAAAAAAAAAAAAAAAAAAAAAAAA1a").is_empty());
        assert!(d.find("/usr/local/lib/python3.12/site-packages").is_empty());
    }
}
