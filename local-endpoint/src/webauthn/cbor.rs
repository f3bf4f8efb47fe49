//! Reading CBOR (RFC 8949) from authenticators, with `ciborium`: one item
//! at a time from a byte slice, nested at most [`MAX_DEPTH`] deep.

use ciborium::value::{Integer, Value};

use super::{malformed, Verified};

/// WebAuthn's structures nest three levels at most (attestation object ->
/// attStmt -> x5c); anything deeper is refused.
const MAX_DEPTH: usize = 8;

/// Reads one CBOR item from the front of `input` and advances it past the
/// item.
pub fn read_item(input: &mut &[u8], what: &str) -> Verified<Value> {
    ciborium::de::from_reader_with_recursion_limit(&mut *input, MAX_DEPTH)
        .map_err(|_| malformed(format!("{what} is not valid CBOR")))
}

/// The whole of `input` as exactly one CBOR item.
pub fn read_exactly_one(mut input: &[u8], what: &str) -> Verified<Value> {
    let value = read_item(&mut input, what)?;
    if input.is_empty() {
        Ok(value)
    } else {
        Err(malformed(format!("{what} has bytes after its CBOR item")))
    }
}

/// The entries of a CBOR map.
pub fn map<'a>(value: &'a Value, what: &str) -> Verified<&'a [(Value, Value)]> {
    value
        .as_map()
        .map(Vec::as_slice)
        .ok_or_else(|| malformed(format!("{what} is not a CBOR map")))
}

/// The value under the text key `key`; duplicate keys are refused.
pub fn text_entry<'a>(entries: &'a [(Value, Value)], key: &str) -> Verified<Option<&'a Value>> {
    unique(entries, |k| k.as_text() == Some(key), key)
}

/// The value under the integer key `key`; duplicate keys are refused.
pub fn int_entry(entries: &[(Value, Value)], key: i64) -> Verified<Option<&Value>> {
    unique(
        entries,
        |k| k.as_integer() == Some(Integer::from(key)),
        &key.to_string(),
    )
}

fn unique<'a>(
    entries: &'a [(Value, Value)],
    matches: impl Fn(&Value) -> bool,
    name: &str,
) -> Verified<Option<&'a Value>> {
    let mut found = entries.iter().filter(|(k, _)| matches(k)).map(|(_, v)| v);
    let first = found.next();
    if found.next().is_some() {
        return Err(malformed(format!("CBOR map key {name} appears twice")));
    }
    Ok(first)
}

/// A CBOR integer that fits an i64.
pub fn as_i64(value: &Value) -> Option<i64> {
    value.as_integer().and_then(|i| i64::try_from(i).ok())
}
