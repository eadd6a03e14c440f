//! Checksums that vendors build into their credential formats: a value
//! whose checksum fails was typed by hand or cut short, and is no
//! credential.

/// A checksum a `[[pattern]]` may require of its secret part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checksum {
    /// GitHub's token format (also npm's): the last 6 characters are the
    /// CRC-32 of the 30 random characters before them (after the `_` that
    /// ends the prefix), in base 62 (`0-9A-Za-z`), padded with `0`.
    GithubCrc32,
    /// Bech32 (BIP 173), as used by age secret keys: the last 6 characters
    /// after the final `1` are a BCH checksum of the prefix and the data.
    Bech32,
}

impl Checksum {
    /// Whether `secret` passes the checksum.
    pub fn verify(self, secret: &str) -> bool {
        match self {
            Checksum::GithubCrc32 => github_crc32(secret),
            Checksum::Bech32 => bech32(secret),
        }
    }
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// CRC-32 (IEEE 802.3, reflected, as zlib computes it).
pub fn crc32(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

/// `n` in base 62, padded with `0` to 6 digits.
pub fn base62_6(mut n: u32) -> [u8; 6] {
    let mut out = [b'0'; 6];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    out
}

fn github_crc32(secret: &str) -> bool {
    let body = secret.rsplit_once('_').map_or(secret, |(_, b)| b);
    if body.len() <= 6 || !body.is_ascii() {
        return false;
    }
    let (random, check) = body.split_at(body.len() - 6);
    base62_6(crc32(random.as_bytes())) == check.as_bytes()
}

const BECH32: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

fn bech32_polymod(values: impl Iterator<Item = u8>) -> u32 {
    const GEN: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let mut chk = 1u32;
    for v in values {
        let top = chk >> 25;
        chk = ((chk & 0x1ff_ffff) << 5) ^ u32::from(v);
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

fn bech32(secret: &str) -> bool {
    let lower = secret.to_ascii_lowercase();
    let Some((hrp, data)) = lower.rsplit_once('1') else {
        return false;
    };
    if hrp.is_empty() || data.len() < 6 {
        return false;
    }
    let Some(data): Option<Vec<u8>> = data
        .bytes()
        .map(|c| BECH32.iter().position(|&b| b == c).map(|i| i as u8))
        .collect()
    else {
        return false;
    };
    let expanded = hrp
        .bytes()
        .map(|c| c >> 5)
        .chain(std::iter::once(0))
        .chain(hrp.bytes().map(|c| c & 31))
        .chain(data);
    bech32_polymod(expanded) == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_zlib() {
        // zlib.crc32(b"123456789") == 0xCBF43926, the standard check value.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn github_tokens() {
        let body = "Zq8Lp9Wm4Nt6Vb1Kc3Hd5Fj7Gs0Ay2";
        let check = base62_6(crc32(body.as_bytes()));
        let token = format!("ghp_{body}{}", std::str::from_utf8(&check).unwrap());
        assert!(Checksum::GithubCrc32.verify(&token));
        // One character changed: the checksum fails.
        let typo = token.replacen("Zq8", "Zq9", 1);
        assert!(!Checksum::GithubCrc32.verify(&typo));
        assert!(!Checksum::GithubCrc32.verify("ghp_"));
    }

    #[test]
    fn bech32_strings() {
        // BIP 173's valid test vectors.
        assert!(Checksum::Bech32.verify("A12UEL5L"));
        assert!(Checksum::Bech32.verify("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"));
        assert!(!Checksum::Bech32.verify("A12UEL5M"));
        assert!(!Checksum::Bech32.verify("nodelimiter"));
    }
}
