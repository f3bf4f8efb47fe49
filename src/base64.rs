//! Base64 (RFC 4648) in the two forms the protocol uses: the standard
//! alphabet with `=` padding (SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE,
//! SECRET_HASH) and the URL-safe alphabet without padding (JWT payloads).
//!
//! Decoding is strict, as the `base64` crate's engines are: a character
//! outside the alphabet, padding where it does not belong (or missing where
//! it must be), a length no encoding has, or non-zero bits left over in the
//! last character are all refused. Nothing here handles secrets.

use alloc::string::String;
use alloc::vec::Vec;

#[derive(Clone, Copy, PartialEq)]
enum Alphabet {
    /// `A-Z a-z 0-9 + /`
    Standard,
    /// `A-Z a-z 0-9 - _`
    UrlSafe,
}

/// Standard alphabet, padded: `"foob"` encodes to `Zm9vYg==`.
pub fn encode(bytes: &[u8]) -> String {
    encode_with(bytes, Alphabet::Standard, true)
}

/// URL-safe alphabet, unpadded: `[0xfb, 0xff]` encodes to `-_8`.
pub fn encode_url_safe(bytes: &[u8]) -> String {
    encode_with(bytes, Alphabet::UrlSafe, false)
}

/// The inverse of [`encode`]; `None` for anything it would not produce.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if text.len() % 4 != 0 {
        return None;
    }
    let padding = text
        .iter()
        .rev()
        .take(2)
        .take_while(|&&c| c == b'=')
        .count();
    decode_with(&text[..text.len() - padding], Alphabet::Standard)
}

/// The inverse of [`encode_url_safe`]; `None` for anything it would not
/// produce (padding included).
pub fn decode_url_safe(text: &str) -> Option<Vec<u8>> {
    decode_with(text.as_bytes(), Alphabet::UrlSafe)
}

fn encode_with(bytes: &[u8], alphabet: Alphabet, pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = chunk.iter().enumerate().fold(0u32, |acc, (i, &byte)| {
            acc | u32::from(byte) << (16 - 8 * i)
        });
        // n bytes fill n + 1 characters; padding fills the group up to 4.
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(symbol((group >> (18 - 6 * i)) & 63, alphabet));
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

fn symbol(value: u32, alphabet: Alphabet) -> char {
    let byte = match value {
        0..=25 => b'A' + value as u8,
        26..=51 => b'a' + (value - 26) as u8,
        52..=61 => b'0' + (value - 52) as u8,
        62 if alphabet == Alphabet::Standard => b'+',
        63 if alphabet == Alphabet::Standard => b'/',
        62 => b'-',
        _ => b'_',
    };
    char::from(byte)
}

fn value(symbol: u8, alphabet: Alphabet) -> Option<u32> {
    let value = match (symbol, alphabet) {
        (b'A'..=b'Z', _) => symbol - b'A',
        (b'a'..=b'z', _) => symbol - b'a' + 26,
        (b'0'..=b'9', _) => symbol - b'0' + 52,
        (b'+', Alphabet::Standard) | (b'-', Alphabet::UrlSafe) => 62,
        (b'/', Alphabet::Standard) | (b'_', Alphabet::UrlSafe) => 63,
        _ => return None,
    };
    Some(u32::from(value))
}

/// Decodes unpadded symbols.
fn decode_with(symbols: &[u8], alphabet: Alphabet) -> Option<Vec<u8>> {
    // A last group of one symbol holds only 6 bits: no encoding ends so.
    if symbols.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(symbols.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &symbol in symbols {
        acc = acc << 6 | value(symbol, alphabet)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // The 2 or 4 bits the last symbol holds beyond the last byte must be 0.
    (acc == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    use ::base64::Engine;

    /// RFC 4648, section 10.
    const VECTORS: [(&str, &str); 7] = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];

    #[test]
    fn rfc_4648_vectors() {
        for (plain, encoded) in VECTORS {
            assert_eq!(encode(plain.as_bytes()), encoded);
            assert_eq!(decode(encoded).as_deref(), Some(plain.as_bytes()));
            let unpadded = encoded.trim_end_matches('=');
            assert_eq!(encode_url_safe(plain.as_bytes()), unpadded);
            assert_eq!(decode_url_safe(unpadded).as_deref(), Some(plain.as_bytes()));
        }
    }

    #[test]
    fn the_alphabets_differ_in_the_last_two_symbols() {
        let bytes = [0xfb, 0xff, 0xbf];
        assert_eq!(encode(&bytes), "+/+/");
        assert_eq!(encode_url_safe(&bytes), "-_-_");
        assert_eq!(decode("+/+/").unwrap(), bytes);
        assert_eq!(decode_url_safe("-_-_").unwrap(), bytes);
        assert_eq!(decode("-_-_"), None);
        assert_eq!(decode_url_safe("+/+/"), None);
    }

    #[test]
    fn round_trips_agree_with_the_base64_crate() {
        let mut state = 0x2545_f491_u32;
        for len in 0..=100 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    state as u8
                })
                .collect();
            let standard = encode(&bytes);
            let url_safe = encode_url_safe(&bytes);
            assert_eq!(standard, STANDARD.encode(&bytes));
            assert_eq!(url_safe, URL_SAFE_NO_PAD.encode(&bytes));
            assert_eq!(decode(&standard).unwrap(), bytes);
            assert_eq!(decode_url_safe(&url_safe).unwrap(), bytes);
        }
    }

    #[test]
    fn invalid_input_is_refused_as_the_base64_crate_refuses_it() {
        for text in [
            "Zg",
            "Zg=",
            "Zg===",
            "Z===",
            "====",
            "Zm9vY===",
            "Zm9=v",
            "=Zm9",
            "Zm9v====",
            "Zh==",
            "Zm9=",
            "Zm 9v",
            "Zm9v\n",
            "Zm9v!",
            "Zm8",
            "Zm9vYmFy=",
            "Zm-_",
            "A",
            "AAAAA",
        ] {
            assert_eq!(decode(text), None, "{text:?}");
            assert!(STANDARD.decode(text).is_err(), "the crate accepts {text:?}");
        }
        for text in [
            "Zg==", "Zm8=", "A", "AAAAA", "Zh", "Zm9", "Zm+/", "Zm9v!", "Zm 9",
        ] {
            assert_eq!(decode_url_safe(text), None, "{text:?}");
            assert!(
                URL_SAFE_NO_PAD.decode(text).is_err(),
                "the crate accepts {text:?}"
            );
        }
    }
}
