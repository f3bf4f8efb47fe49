//! The few text conversions messages and requests need, written out so
//! that the wasm module carries no `core::fmt` (`format!` and its Display
//! and Debug machinery are a large part of a small module).

use alloc::string::String;

/// `value` in double quotes, as `format!("{value:?}")` writes it for the
/// names a person typed: quotes, backslashes and control characters escaped.
pub(crate) fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                out.push_str("\\u{");
                push_hex(&mut out, c as u32);
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `parts` one after another, as `[...].concat()` makes them: core's
/// `concat` and `join` share a body with a copy loop for each separator
/// length, about 0.8 KB of wasm.
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut out = String::new();
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `parts` with `separator` between them, as `parts.join(separator)`.
pub(crate) fn join(parts: &[String], separator: &str) -> String {
    let mut out = String::new();
    for (at, part) in parts.iter().enumerate() {
        if at > 0 {
            out.push_str(separator);
        }
        out.push_str(part);
    }
    out
}

/// `text` before and after its first `separator` (an ASCII character), like
/// `split_once`, whose general pattern search is much larger in wasm.
pub(crate) fn split_at_first(text: &str, separator: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == separator)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// `text` after its last `separator` (an ASCII character), or all of it.
pub(crate) fn after_last(text: &str, separator: u8) -> &str {
    text.bytes()
        .rposition(|b| b == separator)
        .and_then(|at| text.get(at + 1..))
        .unwrap_or(text)
}

/// Whether `text` contains `part`, like `str::contains`, whose two-way
/// substring search is about 1 KB of wasm for one short needle.
pub(crate) fn contains(text: &str, part: &str) -> bool {
    text.as_bytes()
        .windows(part.len().max(1))
        .any(|window| window == part.as_bytes())
        || part.is_empty()
}

/// `text` without leading and trailing whitespace, exactly as `str::trim`
/// (Unicode White_Space), in one forward pass: `str::trim`'s two-ended
/// pattern search is about 0.5 KB of wasm.
pub(crate) fn trim(text: &str) -> &str {
    let (mut start, mut end) = (None, 0);
    for (at, c) in text.char_indices() {
        if !c.is_whitespace() {
            start.get_or_insert(at);
            end = at + c.len_utf8();
        }
    }
    start.and_then(|start| text.get(start..end)).unwrap_or("")
}

/// `bytes` as a `String` when they are UTF-8, refused exactly as
/// `String::from_utf8` refuses (stray or missing continuation bytes,
/// overlong forms, surrogates, code points past U+10FFFF), decoded char by
/// char: core's validator is about 0.8 KB of wasm with its table.
pub(crate) fn utf8_to_string(bytes: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes.iter();
    while let Some(&first) = rest.next() {
        // The continuation bytes to come, the smallest code point that
        // needs them (fewer would do below it: an overlong form), the bits
        // of the first byte.
        let (more, least, mut code) = match first {
            0x00..=0x7f => (0, 0, u32::from(first)),
            0xc0..=0xdf => (1, 0x80, u32::from(first & 0x1f)),
            0xe0..=0xef => (2, 0x800, u32::from(first & 0x0f)),
            0xf0..=0xf7 => (3, 0x1_0000, u32::from(first & 0x07)),
            _ => return None,
        };
        for _ in 0..more {
            let next = *rest.next()?;
            if next & 0xc0 != 0x80 {
                return None;
            }
            code = code << 6 | u32::from(next & 0x3f);
        }
        if code < least {
            return None;
        }
        // Refuses surrogates and code points past U+10FFFF.
        out.push(char::from_u32(code)?);
    }
    Some(out)
}

/// Lower-case hex of `value` without leading zeros.
fn push_hex(out: &mut String, value: u32) {
    let digits = (32 - (value | 1).leading_zeros()).div_ceil(4);
    for i in (0..digits).rev() {
        out.push(char::from_digit((value >> (4 * i)) & 15, 16).unwrap_or('0'));
    }
}

/// The decimal digits of `value`, at least `width` of them (zero padded).
pub(crate) fn push_decimal(out: &mut String, value: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut rest = value;
    let mut len = 0;
    while rest > 0 || len < width.max(1) {
        digits[len] = b'0' + (rest % 10) as u8;
        rest /= 10;
        len += 1;
    }
    for &digit in digits[..len].iter().rev() {
        out.push(char::from(digit));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_matches_debug_formatting() {
        for value in [
            "",
            "us-east-1",
            "a \"b\" c",
            "back\\slash",
            "new\nline\ttab\r",
            "\u{1}\u{7f}é",
        ] {
            assert_eq!(quoted(value), format!("{value:?}"));
        }
    }

    #[test]
    fn concat_and_join_match_std() {
        for parts in [&[][..], &["a"], &["", "b", ""], &["ab", "é", "c d"]] {
            assert_eq!(concat(parts), parts.concat());
            let owned: Vec<String> = parts.iter().map(|part| part.to_string()).collect();
            for separator in ["", ", ", "', '"] {
                assert_eq!(join(&owned, separator), owned.join(separator));
            }
        }
    }

    #[test]
    fn splits_at_ascii_separators() {
        assert_eq!(
            split_at_first("eu-west-1_Pool_x", b'_'),
            Some(("eu-west-1", "Pool_x"))
        );
        assert_eq!(split_at_first("_é", b'_'), Some(("", "é")));
        assert_eq!(split_at_first("none", b'_'), None);
        assert_eq!(after_last("a#b#Name", b'#'), "Name");
        assert_eq!(after_last("Name", b'#'), "Name");
        assert_eq!(after_last("Name#", b'#'), "");
    }

    #[test]
    fn contains_finds_substrings() {
        for (text, part) in [
            ("Token rotation is not enabled", "otation"),
            ("otation", "otation"),
            ("rotatio", "otation"),
            ("", "otation"),
            ("abc", ""),
            ("", ""),
            ("aaab", "aab"),
            ("é rotation é", "n é"),
        ] {
            assert_eq!(
                contains(text, part),
                text.contains(part),
                "{text:?} {part:?}"
            );
        }
    }

    #[test]
    fn trims_as_str_trim_does() {
        for text in [
            "",
            " ",
            "123456",
            "  123456 ",
            "\t\n 12 34\r\n",
            "\u{a0}\u{2003}code\u{3000}",
            "\u{85}é\u{2028}",
            "é",
            " \u{1f511} ",
            "\u{200b}x\u{200b}",
        ] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn utf8_is_refused_exactly_as_from_utf8_refuses() {
        let same = |bytes: &[u8]| {
            assert_eq!(
                utf8_to_string(bytes),
                String::from_utf8(bytes.to_vec()).ok(),
                "{bytes:x?}"
            );
        };
        same(b"");
        same("{\"sub\":\"é\u{1f511}\u{ffff}\u{10ffff}\"}".as_bytes());
        // Every sequence of one, two and three bytes.
        for a in 0..=255u8 {
            same(&[a]);
            for b in 0..=255u8 {
                same(&[a, b]);
                for c in 0..=255u8 {
                    same(&[a, b, c]);
                }
            }
        }
        // Four bytes: every first byte from 0xe0 on with every second, and
        // the last two at their edges.
        let edges = [0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xff];
        for a in 0xe0..=255u8 {
            for b in 0..=255u8 {
                for c in edges {
                    for d in edges {
                        same(&[a, b, c, d]);
                        same(&[b'x', a, b, c, d]);
                    }
                }
            }
        }
    }

    #[test]
    fn decimals_are_padded_to_the_width() {
        let text = |value, width| {
            let mut out = String::new();
            push_decimal(&mut out, value, width);
            out
        };
        assert_eq!(text(0, 0), "0");
        assert_eq!(text(0, 2), "00");
        assert_eq!(text(7, 2), "07");
        assert_eq!(text(502, 0), "502");
        assert_eq!(text(2024, 2), "2024");
        assert_eq!(text(u64::MAX, 0), u64::MAX.to_string());
    }
}
