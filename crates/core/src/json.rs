//! The little JSON the user-pool API needs, by hand: a reader for answers
//! and a writer for requests. A general JSON library (with float formatting
//! and parsing) would be most of the wasm module's size.
//!
//! Numbers are kept as their source text; callers read the integers they
//! expect with [`Json::as_u64`].
//!
//! What it accepts is RFC 8259 JSON, as serde_json and `JSON.parse` read
//! it (tests/json_differential.rs compares it with serde_json), within
//! these bounds:
//! - nesting: at most [`MAX_DEPTH`] (64) arrays and objects, one in the
//!   other; deeper documents are refused, so hostile input cannot exhaust
//!   the stack (serde_json stops at 128);
//! - objects: at most [`MAX_MEMBERS`] (1,000) members each; more are
//!   refused (serde_json has no such limit). Every reader of an object looks
//!   keys up by comparing them one by one, so a key's last value costs a
//!   pass over the members, and a map of n members n passes: a 1 MiB object
//!   of 88,000 keys took 17 s to read as a string map (native code). No
//!   answer of the service comes near the limit (an ID token with every
//!   custom attribute has about 100 claims);
//! - strings, numbers and arrays: no limit of their own. The text is in
//!   memory already and a parsed value is a bounded multiple of its size
//!   (some tens of bytes per value); callers bound the text (the answer's
//!   size);
//! - numbers: any length, kept as text, so a number beyond f64's range
//!   (`1e400`) is accepted, where serde_json refuses it;
//! - strings: `\u` escapes must form characters; a lone surrogate
//!   (`"\ud800"`) is refused, where `JSON.parse` keeps it (a Rust string
//!   cannot hold one);
//! - duplicate keys: the last one wins, as in `JSON.parse` and serde_json.
//!   [`Json::Object`] keeps every member as written; the readers
//!   ([`Json::get`], [`Json::as_string_map`]) see the last value of a key.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

/// A parsed JSON value. Objects keep their members in source order, a
/// duplicated key as often as it is written (the readers see its last value).
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Parses a whole document; `None` when it is not valid JSON.
    pub fn parse(text: &str) -> Option<Json> {
        let mut reader = Reader {
            text,
            bytes: text.as_bytes(),
            at: 0,
            depth: 0,
        };
        let value = reader.value()?;
        reader.skip_space();
        (reader.at == reader.bytes.len()).then_some(value)
    }

    /// The member `key` of an object: its last value, if the key is
    /// written more than once.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// A non-negative integer written without fraction or exponent.
    pub fn as_u64(&self) -> Option<u64> {
        let Json::Number(text) = self else {
            return None;
        };
        // By hand: `str::parse` is general (signs, radixes) and larger in wasm.
        // The overflow test is a division by a constant: `checked_mul` on a
        // u64 links a 128-bit multiplication (`__multi3`) into wasm32.
        let mut value: u64 = 0;
        for byte in text.bytes() {
            let digit = u64::from(char::from(byte).to_digit(10)?);
            if value > (u64::MAX - digit) / 10 {
                return None;
            }
            value = value * 10 + digit;
        }
        (!text.is_empty()).then_some(value)
    }

    /// An object whose members are all strings, such as ChallengeParameters:
    /// each key once, where it is first written, with its last value (what
    /// `JSON.parse` makes of it; an earlier value of a key need not be a
    /// string).
    pub fn as_string_map(&self) -> Option<Vec<(String, String)>> {
        let Json::Object(members) = self else {
            return None;
        };
        let mut last: Vec<(&str, &Json)> = Vec::with_capacity(members.len());
        for (key, value) in members {
            match last.iter_mut().find(|(k, _)| k == key) {
                Some((_, old)) => *old = value,
                None => last.push((key, value)),
            }
        }
        // Loops, not `collect` into an `Option`: smaller in the wasm module.
        let mut map = Vec::with_capacity(last.len());
        for (key, value) in last {
            map.push((key.to_owned(), value.as_str()?.to_owned()));
        }
        Some(map)
    }

    /// An array of strings, such as requiredAttributes.
    pub fn as_string_list(&self) -> Option<Vec<String>> {
        let Json::Array(items) = self else {
            return None;
        };
        let mut list = Vec::with_capacity(items.len());
        for item in items {
            list.push(item.as_str()?.to_owned());
        }
        Some(list)
    }

    /// An object of string members, from (key, value) pairs.
    pub fn string_map(members: &[(&str, &str)]) -> Json {
        let mut object = Vec::with_capacity(members.len());
        for &(key, value) in members {
            object.push((key.to_owned(), Json::String(value.to_owned())));
        }
        Json::Object(object)
    }

    /// An object of string members, from an iterator of (key, value) pairs:
    /// `dyn`, so one copy in the wasm module serves every kind of iterator.
    pub(crate) fn strings<'a>(members: &mut dyn Iterator<Item = (&'a str, &'a str)>) -> Json {
        let mut object = Vec::new();
        for (key, value) in members {
            object.push((key.to_owned(), Json::String(value.to_owned())));
        }
        Json::Object(object)
    }

    /// Compact JSON text, as a new string.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// Compact JSON text, appended to `out`.
    pub fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(text) => out.push_str(text),
            Json::String(s) => write_string(s, out),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Nesting deeper than this is refused rather than risking the stack.
pub const MAX_DEPTH: usize = 64;

/// Objects with more members are refused: reading a key's last value is a
/// pass over the members, so this bounds what a hostile document costs.
pub const MAX_MEMBERS: usize = 1000;

struct Reader<'a> {
    /// The document, and its bytes: the reader steps through the bytes and
    /// copies text out between ASCII delimiters, where UTF-8 characters
    /// never start or end, so no UTF-8 check is needed.
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

impl Reader<'_> {
    fn skip_space(&mut self) {
        while matches!(self.bytes.get(self.at), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        let hit = self.bytes.get(self.at) == Some(&byte);
        if hit {
            self.at += 1;
        }
        hit
    }

    fn literal(&mut self, word: &str, value: Json) -> Option<Json> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end) == Some(word.as_bytes())).then(|| {
            self.at = end;
            value
        })
    }

    fn value(&mut self) -> Option<Json> {
        self.skip_space();
        match *self.bytes.get(self.at)? {
            b'n' => self.literal("null", Json::Null),
            b't' => self.literal("true", Json::Bool(true)),
            b'f' => self.literal("false", Json::Bool(false)),
            b'"' => self.string().map(Json::String),
            b'[' => self.nested(Reader::array),
            b'{' => self.nested(Reader::object),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn nested(&mut self, read: fn(&mut Self) -> Option<Json>) -> Option<Json> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.at += 1; // the opening bracket
        let value = read(self);
        self.depth -= 1;
        value
    }

    fn array(&mut self) -> Option<Json> {
        let mut items = Vec::new();
        if self.eat(b']') {
            return Some(Json::Array(items));
        }
        loop {
            items.push(self.value()?);
            if self.eat(b']') {
                return Some(Json::Array(items));
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    fn object(&mut self) -> Option<Json> {
        let mut members = Vec::new();
        if self.eat(b'}') {
            return Some(Json::Object(members));
        }
        loop {
            self.skip_space();
            if self.bytes.get(self.at) != Some(&b'"') {
                return None;
            }
            let key = self.string()?;
            if !self.eat(b':') || members.len() == MAX_MEMBERS {
                return None;
            }
            members.push((key, self.value()?));
            if self.eat(b'}') {
                return Some(Json::Object(members));
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    /// A number in JSON's grammar, kept as text.
    fn number(&mut self) -> Option<Json> {
        let start = self.at;
        let digits = |r: &mut Self| {
            let from = r.at;
            while r.bytes.get(r.at).is_some_and(u8::is_ascii_digit) {
                r.at += 1;
            }
            r.at > from
        };
        if self.bytes[self.at] == b'-' {
            self.at += 1;
        }
        if self.bytes.get(self.at) == Some(&b'0') {
            self.at += 1;
        } else if !digits(self) {
            return None;
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if !digits(self) {
                return None;
            }
        }
        if matches!(self.bytes.get(self.at), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.bytes.get(self.at), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !digits(self) {
                return None;
            }
        }
        Some(Json::Number(self.text.get(start..self.at)?.to_owned()))
    }

    /// A string, the reader standing on its opening quote.
    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let run_start = self.at;
            while !matches!(self.bytes.get(self.at), Some(b'"' | b'\\') | None) {
                if self.bytes[self.at] < 0x20 {
                    return None;
                }
                self.at += 1;
            }
            out.push_str(self.text.get(run_start..self.at)?);
            match *self.bytes.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    return Some(out);
                }
                _ => {
                    self.at += 1;
                    out.push(self.escape()?);
                }
            }
        }
    }

    fn escape(&mut self) -> Option<char> {
        let c = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                if (0xd800..0xdc00).contains(&first) {
                    // A surrogate pair: \uD83D\uDD11 is one character.
                    if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
                        return None;
                    }
                    self.at += 2;
                    let second = self.hex4()?;
                    if !(0xdc00..0xe000).contains(&second) {
                        return None;
                    }
                    char::from_u32(0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00))?
                } else {
                    char::from_u32(first)?
                }
            }
            _ => return None,
        })
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.at..self.at + 4)?;
        self.at += 4;
        digits
            .iter()
            .try_fold(0u32, |acc, &d| Some(acc * 16 + (d as char).to_digit(16)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_service_sends() {
        let doc = r#" {"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SALT":"ab","USER_ID_FOR_SRP":"u"},
            "AuthenticationResult":{"ExpiresIn":3600,"NewDeviceMetadata":null},"ok":true,"list":[1,-2.5e3,"x",[]]} "#;
        let json = Json::parse(doc).unwrap();
        assert_eq!(
            json.get("ChallengeName").and_then(Json::as_str),
            Some("PASSWORD_VERIFIER")
        );
        let params = json
            .get("ChallengeParameters")
            .and_then(Json::as_string_map)
            .unwrap();
        assert_eq!(
            params,
            vec![
                ("SALT".into(), "ab".into()),
                ("USER_ID_FOR_SRP".into(), "u".into())
            ]
        );
        let result = json.get("AuthenticationResult").unwrap();
        assert_eq!(result.get("ExpiresIn").and_then(Json::as_u64), Some(3600));
        assert_eq!(result.get("NewDeviceMetadata"), Some(&Json::Null));
        assert_eq!(json.get("ok"), Some(&Json::Bool(true)));
        assert_eq!(json.get("list").unwrap().to_text(), r#"[1,-2.5e3,"x",[]]"#);
    }

    #[test]
    fn reads_integers_as_str_parse_does() {
        for text in [
            "0",
            "7",
            "3600",
            "007",
            "18446744073709551615",
            "18446744073709551610",
            "18446744073709551619",
            "184467440737095516150",
            "18446744073709551616",
            "99999999999999999999",
            "-1",
            "-0",
            "1.5",
            "1e3",
            "",
        ] {
            let number = Json::Number(text.into());
            assert_eq!(number.as_u64(), text.parse::<u64>().ok(), "{text:?}");
        }
        assert_eq!(Json::String("5".into()).as_u64(), None);
    }

    #[test]
    fn strings_round_trip_with_escapes_and_unicode() {
        let original = "quote \" backslash \\ newline \n tab \t bell \u{7} é 日本 🔑";
        let written = Json::String(original.into()).to_text();
        assert_eq!(
            written,
            "\"quote \\\" backslash \\\\ newline \\n tab \\t bell \\u0007 é 日本 🔑\""
        );
        assert_eq!(Json::parse(&written), Some(Json::String(original.into())));
        assert_eq!(
            Json::parse(r#""\ud83d\udd11 \u00e9 \/""#),
            Some(Json::String("🔑 é /".into()))
        );
    }

    #[test]
    fn refuses_what_is_not_json() {
        for bad in [
            "",
            "{",
            "}",
            "[1,]",
            "{\"a\":}",
            "{\"a\" 1}",
            "{a:1}",
            "01",
            "1.",
            "-",
            "1e",
            "tru",
            "\"open",
            "\"bad \\x\"",
            "\"\\ud83d\"",
            "\"ctrl \u{1}\"",
            "[1] 2",
            "<html>",
        ] {
            assert_eq!(Json::parse(bad), None, "{bad:?}");
        }
        assert!(Json::parse(&"[".repeat(65)).is_none(), "too deep");
        let members = |n: usize| {
            let list: Vec<String> = (0..n)
                .map(|i| ["\"k", &i.to_string(), "\":0"].concat())
                .collect();
            ["{", &list.join(","), "}"].concat()
        };
        assert!(Json::parse(&members(MAX_MEMBERS)).is_some());
        assert!(
            Json::parse(&members(MAX_MEMBERS + 1)).is_none(),
            "too many members"
        );
        assert!(Json::parse(&format!("{}{}", "[".repeat(64), "]".repeat(64))).is_some());
    }

    #[test]
    fn the_last_of_a_duplicated_key_wins() {
        let json = Json::parse(r#"{"a":1,"b":{"c":"x"},"a":"two","b":null}"#).unwrap();
        assert_eq!(json.get("a").and_then(Json::as_str), Some("two"));
        assert_eq!(json.get("b"), Some(&Json::Null));
        let map = Json::parse(r#"{"K":1,"L":"l","K":"k"}"#).unwrap();
        assert_eq!(
            map.as_string_map(),
            Some(vec![("K".into(), "k".into()), ("L".into(), "l".into())])
        );
        let spoiled = Json::parse(r#"{"K":"k","K":2}"#).unwrap();
        assert_eq!(spoiled.as_string_map(), None);
    }

    #[test]
    fn writes_compact_objects() {
        let request = Json::Object(vec![
            ("AuthFlow".into(), Json::String("USER_SRP_AUTH".into())),
            (
                "AuthParameters".into(),
                Json::string_map(&[("USERNAME", "u")]),
            ),
        ]);
        assert_eq!(
            request.to_text(),
            r#"{"AuthFlow":"USER_SRP_AUTH","AuthParameters":{"USERNAME":"u"}}"#
        );
    }
}
