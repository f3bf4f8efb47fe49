//! The two text conversions messages need that would otherwise take
//! `core::fmt` (`format!` with `{:?}` and `{}`): its Display and Debug
//! machinery would be a large part of the small sign-in module (measured in
//! docs/size.md). Everything else is plain `str` and `String`.

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
