//! The hand-written JSON reader and writer (`cognito_core::json`) against
//! serde_json, on random documents written in many styles (whitespace,
//! escapes, number forms, duplicate keys) and on mutations of them (bytes
//! deleted, inserted, replaced, repeated, the text cut short): both accept
//! exactly the same texts, read the same values, and what our writer writes
//! serde_json reads back as the same value.
//!
//! The deviations, each checked where it applies:
//! - nesting deeper than `json::MAX_DEPTH` (64) we refuse (serde_json
//!   accepts up to 127): a bound against stack exhaustion;
//! - objects of more than `json::MAX_MEMBERS` (1,000) members we refuse
//!   (serde_json has no limit): a bound on the cost of reading keys;
//! - numbers beyond f64's range (`1e400`) we accept, kept as text; serde_json
//!   refuses them ("number out of range"); JSON.parse reads them as Infinity.
//!
//! Duplicate keys: the last wins in both (serde_json's map keeps the last
//! insert), as in JSON.parse.

#![allow(clippy::disallowed_macros, clippy::disallowed_methods)]
// proptest runs natively only (see Cargo.toml).
#![cfg(not(target_arch = "wasm32"))]

use cognito_core::json::{Json, MAX_DEPTH, MAX_MEMBERS};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::Value;

/// A document to write: the tree, with number texts as they will be written.
#[derive(Clone, Debug)]
enum Doc {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Doc>),
    Object(Vec<(String, Doc)>),
}

/// Numbers in every form the grammar allows: signs, leading zero, fractions,
/// exponents with either case and sign, integers past u64 and past f64's
/// precision, and exponents past f64's range.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| format!("{f:?}")),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| format!("{f:e}")),
        "-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,3})?",
    ]
}

/// Keys from a small set (so that keys repeat) or anything.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec!["a", "b", "USERNAME", "Session", "é", "🔑", ""])
            .prop_map(str::to_owned),
        1 => any::<String>(),
    ]
}

/// Text of every kind: ASCII, control characters, quotes and backslashes,
/// any Unicode scalar (astral ones need surrogate pairs when escaped).
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{0,12}",
        "[\"\\\\/\\x00-\\x1f\\x7f é日🔑\u{2028}\u{fffd}]{0,12}",
        any::<String>(),
    ]
}

fn doc() -> impl Strategy<Value = Doc> {
    let leaf = prop_oneof![
        Just(Doc::Null),
        any::<bool>().prop_map(Doc::Bool),
        number().prop_map(Doc::Number),
        text().prop_map(Doc::String),
    ];
    leaf.prop_recursive(6, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Doc::Array),
            prop::collection::vec((key(), inner), 0..6).prop_map(Doc::Object),
        ]
    })
}

/// A small deterministic generator for the writing style.
struct Style(u64);

impl Style {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }

    fn space(&mut self, out: &mut String) {
        while self.one_in(4) {
            out.push([' ', '\n', '\r', '\t'][(self.next() % 4) as usize]);
        }
    }
}

fn write_doc(doc: &Doc, style: &mut Style, out: &mut String) {
    style.space(out);
    match doc {
        Doc::Null => out.push_str("null"),
        Doc::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Doc::Number(text) => out.push_str(text),
        Doc::String(text) => write_string(text, style, out),
        Doc::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    style.space(out);
                    out.push(',');
                }
                write_doc(item, style, out);
                style.space(out);
            }
            if items.is_empty() {
                style.space(out);
            }
            out.push(']');
        }
        Doc::Object(members) => {
            out.push('{');
            for (i, (key, value)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                style.space(out);
                write_string(key, style, out);
                style.space(out);
                out.push(':');
                write_doc(value, style, out);
                style.space(out);
            }
            if members.is_empty() {
                style.space(out);
            }
            out.push('}');
        }
    }
    style.space(out);
}

/// A string, each character written plainly where allowed, or escaped: by
/// its short escape, or `\uXXXX` in either case (a surrogate pair beyond
/// the BMP).
fn write_string(text: &str, style: &mut Style, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        let short = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '/' => Some("\\/"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            _ => None,
        };
        let must_escape = c == '"' || c == '\\' || (c as u32) < 0x20;
        match (short, must_escape || style.one_in(3)) {
            (_, false) => out.push(c),
            (Some(short), true) if style.one_in(2) => out.push_str(short),
            (_, true) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    if style.one_in(2) {
                        out.push_str(&format!("\\u{unit:04x}"));
                    } else {
                        out.push_str(&format!("\\u{unit:04X}"));
                    }
                }
            }
        }
    }
    out.push('"');
}

/// Damage done to a text, at positions and with bytes from `seed`.
#[derive(Clone, Debug)]
enum Mutation {
    Delete(usize, usize),
    Insert(usize, u8),
    Replace(usize, u8),
    Repeat(usize, usize),
    Truncate(usize),
}

/// Bytes that matter to the grammar, and a few that do not.
const INTERESTING: &[u8] = b"{}[]\",:\\/ \t\n\r0123456789.eE+-ntrufalsbx\x00\x1f\x7f";

fn mutation() -> impl Strategy<Value = Mutation> {
    let byte = prop_oneof![
        3 => prop::sample::select(INTERESTING.to_vec()),
        1 => any::<u8>(),
    ];
    prop_oneof![
        (any::<usize>(), 1..4usize).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<usize>(), byte.clone()).prop_map(|(at, b)| Mutation::Insert(at, b)),
        (any::<usize>(), byte).prop_map(|(at, b)| Mutation::Replace(at, b)),
        (any::<usize>(), 1..8usize).prop_map(|(at, n)| Mutation::Repeat(at, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(bytes: &mut Vec<u8>, mutation: &Mutation) {
    let len = bytes.len();
    let at = |i: usize| if len == 0 { 0 } else { i % (len + 1) };
    match *mutation {
        Mutation::Delete(i, n) => {
            let from = at(i).min(len);
            bytes.drain(from..(from + n).min(len));
        }
        Mutation::Insert(i, b) => bytes.insert(at(i), b),
        Mutation::Replace(i, b) if len > 0 => bytes[i % len] = b,
        Mutation::Replace(..) => {}
        Mutation::Repeat(i, n) => {
            let from = at(i).min(len);
            let piece = bytes[from..(from + n).min(len)].to_vec();
            bytes.splice(from..from, piece);
        }
        Mutation::Truncate(i) => bytes.truncate(at(i)),
    }
}

fn serde_reads(text: &str) -> Option<Value> {
    serde_json::from_str(text).ok()
}

/// How deep arrays and objects nest in a parsed value.
fn depth(json: &Json) -> usize {
    match json {
        Json::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Json::Object(members) => 1 + members.iter().map(|(_, v)| depth(v)).max().unwrap_or(0),
        _ => 0,
    }
}

/// How deep brackets nest in a text (outside strings), for texts we refuse.
fn text_depth(text: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0, false, false);
    for byte in text.bytes() {
        match (in_string, escaped, byte) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') | (false, _, b'"') => in_string = !in_string,
            (false, _, b'[' | b'{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (false, _, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// A number f64 cannot hold (serde_json refuses the document).
fn has_number_beyond_f64(json: &Json) -> bool {
    match json {
        Json::Number(text) => text.parse::<f64>().is_ok_and(f64::is_infinite),
        Json::Array(items) => items.iter().any(has_number_beyond_f64),
        Json::Object(members) => members.iter().any(|(_, v)| has_number_beyond_f64(v)),
        _ => false,
    }
}

/// The value with every number beyond f64's range replaced by 0.
fn tame(json: &Json) -> Json {
    match json {
        Json::Number(_) if has_number_beyond_f64(json) => Json::Number("0".into()),
        Json::Array(items) => Json::Array(items.iter().map(tame).collect()),
        Json::Object(members) => {
            Json::Object(members.iter().map(|(k, v)| (k.clone(), tame(v))).collect())
        }
        other => other.clone(),
    }
}

/// Our value and serde_json's are the same JSON value; objects compared
/// under last-wins, through `get` and `as_string_map`.
fn same(ours: &Json, theirs: &Value, path: &str) -> Result<(), TestCaseError> {
    let differ = || TestCaseError::fail(format!("at {path}: ours {ours:?}, serde_json {theirs}"));
    match (ours, theirs) {
        (Json::Null, Value::Null) => Ok(()),
        (Json::Bool(a), Value::Bool(b)) if a == b => Ok(()),
        (Json::Number(text), Value::Number(number)) => {
            let exact = match (number.as_u64(), number.as_i64()) {
                (Some(n), _) => text.parse::<i128>().ok() == Some(i128::from(n)),
                (None, Some(n)) => text.parse::<i128>().ok() == Some(i128::from(n)),
                // Compared as f64 (serde_json reads them exactly, with
                // float_roundtrip); -0 and 0 are equal.
                (None, None) => text.parse::<f64>().ok() == number.as_f64(),
            };
            prop_assert!(exact, "at {path}: number {text} read as {number}");
            // The integers callers read agree too (`-0` aside: serde_json
            // reads it as the integer 0, `as_u64` wants no sign).
            if text != "-0" {
                prop_assert_eq!(ours.as_u64(), number.as_u64(), "as_u64 of {}", text);
            }
            Ok(())
        }
        (Json::String(a), Value::String(b)) if a == b => Ok(()),
        (Json::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .try_for_each(|(i, (x, y))| same(x, y, &format!("{path}[{i}]"))),
        (Json::Object(members), Value::Object(map)) => {
            let mut keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
            keys.sort_unstable();
            keys.dedup();
            let mut theirs_keys: Vec<&str> = map.keys().map(String::as_str).collect();
            theirs_keys.sort_unstable();
            prop_assert_eq!(&keys, &theirs_keys, "keys at {}", path);
            for key in keys {
                same(ours.get(key).unwrap(), &map[key], &format!("{path}.{key}"))?;
            }
            let all_strings = map.values().all(Value::is_string);
            match ours.as_string_map() {
                Some(pairs) => {
                    prop_assert!(all_strings, "as_string_map at {}", path);
                    prop_assert_eq!(pairs.len(), map.len());
                    for (key, value) in &pairs {
                        prop_assert_eq!(map[key.as_str()].as_str(), Some(value.as_str()));
                    }
                }
                None => prop_assert!(!all_strings, "as_string_map refused at {}", path),
            }
            Ok(())
        }
        _ => Err(differ()),
    }
}

/// The differential check of one text.
fn check(text: &str) -> Result<(), TestCaseError> {
    let ours = Json::parse(text);
    let theirs = serde_reads(text);
    match (&ours, &theirs) {
        (Some(ours), Some(theirs)) => {
            prop_assert!(depth(ours) <= MAX_DEPTH);
            same(ours, theirs, "$")?;
            // What we write, serde_json reads as the same value, and so do we.
            let written = ours.to_text();
            let reread = serde_reads(&written);
            prop_assert_eq!(reread.as_ref(), Some(theirs), "{}", written);
            let ours_again = Json::parse(&written);
            prop_assert_eq!(ours_again.as_ref(), Some(ours));
        }
        (None, None) => {}
        (Some(ours), None) => {
            prop_assert!(
                has_number_beyond_f64(ours),
                "we accept what serde_json refuses: {:?}",
                text
            );
            // With those numbers tamed, serde_json reads the rest as we do.
            let tamed = tame(ours);
            let theirs = serde_reads(&tamed.to_text());
            prop_assert!(theirs.is_some(), "serde_json refuses {}", tamed.to_text());
            same(&tamed, &theirs.unwrap(), "$")?;
        }
        (None, Some(_)) => prop_assert!(
            text_depth(text) > MAX_DEPTH,
            "we refuse what serde_json accepts: {:?}",
            text
        ),
    }
    Ok(())
}

fn written(doc: &Doc, style: u64) -> String {
    let mut text = String::new();
    write_doc(doc, &mut Style(style | 1), &mut text);
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn documents_read_as_serde_json_reads_them(doc in doc(), style in any::<u64>()) {
        let text = written(&doc, style);
        // The generated documents are JSON: both read them.
        let numbers_fit = serde_reads(&text).is_some() || Json::parse(&text).is_some_and(|j| has_number_beyond_f64(&j));
        prop_assert!(numbers_fit, "{}", text);
        check(&text)?;
    }

    #[test]
    fn damaged_documents_are_refused_as_serde_json_refuses_them(
        doc in doc(),
        style in any::<u64>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let mut bytes = written(&doc, style).into_bytes();
        for mutation in &mutations {
            mutate(&mut bytes, mutation);
        }
        // The reader takes text; serde_json refuses bytes that are not UTF-8.
        match String::from_utf8(bytes) {
            Ok(text) => check(&text)?,
            Err(error) => prop_assert!(serde_json::from_slice::<Value>(error.as_bytes()).is_err()),
        }
    }

    #[test]
    fn short_random_texts_agree(text in "[\\[\\]{}\",:0-9eE+\\-. \\\\ntrufalsu/]{0,24}") {
        check(&text)?;
    }
}

#[test]
fn nesting_is_capped_at_64() {
    for levels in [1, 63, 64, 65, 127, 128, 129, 1000] {
        for (open, close) in [("[", "]"), ("{\"k\":", "}")] {
            let inner = if open == "[" { "" } else { "null" };
            let text = format!("{}{inner}{}", open.repeat(levels), close.repeat(levels));
            let ours = Json::parse(&text).is_some();
            assert_eq!(ours, levels <= MAX_DEPTH, "{levels} levels of {open}");
            // serde_json's own limit is higher: it accepts what we refuse up to it.
            let theirs = serde_reads(&text).is_some();
            assert_eq!(
                theirs,
                levels < 128,
                "serde_json, {levels} levels of {open}"
            );
        }
    }
}

#[test]
fn objects_are_capped_at_1000_members() {
    let object = |n: usize| {
        let members: Vec<String> = (0..n).map(|i| format!("\"k{}\":{i}", i % 700)).collect();
        format!("{{{}}}", members.join(","))
    };
    check(&object(MAX_MEMBERS)).unwrap();
    assert!(Json::parse(&object(MAX_MEMBERS)).is_some());
    let many = object(MAX_MEMBERS + 1);
    assert_eq!(Json::parse(&many), None);
    assert!(serde_reads(&many).is_some(), "serde_json has no limit");
    // Arrays have none either.
    let list = format!("[{}]", vec!["{}"; 100_000].join(","));
    check(&list).unwrap();
}

#[test]
fn numbers_beyond_f64_are_kept_as_text() {
    for text in ["1e400", "-1e400", "[1E+309]", "{\"ExpiresIn\":9e999}"] {
        let ours = Json::parse(text).expect("we read it");
        assert!(has_number_beyond_f64(&ours));
        assert_eq!(ours.to_text(), text);
        assert!(serde_reads(text).is_none(), "serde_json refuses {text}");
    }
    // Large integers and tiny fractions are within f64's range: both read them.
    for text in ["123456789012345678901234567890", "1e-400", "-0.0e0"] {
        check(text).unwrap();
        assert!(Json::parse(text).is_some());
    }
}

#[test]
fn lone_surrogates_are_refused_by_both() {
    for text in [
        r#""\ud800""#,
        r#""\udc00""#,
        r#""\ud800\u0041""#,
        r#""\ud800x""#,
        r#""\udbff\udbff""#,
    ] {
        assert_eq!(Json::parse(text), None, "{text}");
        assert!(serde_reads(text).is_none(), "{text}");
    }
}

#[test]
fn duplicate_keys_keep_the_last_value_everywhere() {
    let text = r#"{"ChallengeName":"SMS_MFA","ChallengeName":"PASSWORD_VERIFIER","n":{"a":1},"n":{"b":2}}"#;
    let ours = Json::parse(text).unwrap();
    let theirs: Value = serde_json::from_str(text).unwrap();
    assert_eq!(
        ours.get("ChallengeName").and_then(Json::as_str),
        Some("PASSWORD_VERIFIER")
    );
    assert_eq!(theirs["ChallengeName"], "PASSWORD_VERIFIER");
    check(text).unwrap();
    assert_eq!(ours.get("n").unwrap().get("a"), None);
}
