//! The bodies the faults send: made up (`throttle`, `http`, `huge`, `deep`,
//! `unknownChallenge`) or the operation's own answer, altered (`badUtf8`,
//! `wrongTypes`, `unknownFields`).

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use crate::error::ApiError;
use crate::router::{error_response, HttpResponse};

const JSON: &str = "application/x-amz-json-1.1";
const HUGE_OPEN: &[u8] = br#"{"Padding":""#;
const HUGE_CLOSE: &[u8] = br#""}"#;
/// The bytes of a `huge` body that are not padding.
pub const HUGE_FRAME_BYTES: u64 = (HUGE_OPEN.len() + HUGE_CLOSE.len()) as u64;
/// `deep`'s nesting: far beyond what a client needs to read an answer.
pub const DEEP_LEVELS: usize = 10_000;
/// What `badUtf8` puts into the answer: bytes no UTF-8 text contains.
pub const NOT_UTF8: [u8; 3] = [0xFF, 0xFE, 0xFD];
/// Marks where [`NOT_UTF8`] goes in the serialized answer.
const MARK: &str = "\u{1}not-utf-8\u{1}";
/// The member `unknownFields` adds to objects, and to ChallengeParameters
/// (a string map in the service's model).
pub const UNKNOWN_MEMBER: &str = "FutureMember";
pub const UNKNOWN_PARAMETER: &str = "FUTURE_PARAMETER";

/// The service's throttling answer.
pub fn throttle() -> HttpResponse {
    error_response(&ApiError::new("TooManyRequestsException", "Rate exceeded"))
}

/// 429: a throttling front end's AWS error; 5xx: a front end's HTML page,
/// not a Cognito error.
pub fn http(status: u16) -> HttpResponse {
    if status == 429 {
        let body = json!({ "__type": "ThrottlingException", "message": "Rate exceeded" });
        return HttpResponse::json(429, JSON, &body)
            .with_header("x-amzn-ErrorType", "ThrottlingException:");
    }
    let title = match status {
        502 => "502 Bad Gateway",
        503 => "503 Service Temporarily Unavailable",
        504 => "504 Gateway Time-out",
        _ => "500 Internal Server Error",
    };
    let page = format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n</body>\r\n</html>\r\n"
    );
    HttpResponse::new(status, "text/html", page.into_bytes())
}

/// The head of a `huge` answer; the body follows from [`write_huge_body`].
pub fn huge_head() -> HttpResponse {
    HttpResponse::new(200, JSON, Vec::new())
}

/// `{"Padding":"aaa…"}`, `bytes` long in all (at least [`HUGE_FRAME_BYTES`]).
pub fn write_huge_body(out: &mut impl Write, bytes: u64) -> io::Result<()> {
    static CHUNK: [u8; 64 * 1024] = [b'a'; 64 * 1024];
    out.write_all(HUGE_OPEN)?;
    let mut padding = bytes.saturating_sub(HUGE_FRAME_BYTES);
    while padding > 0 {
        let n = padding.min(CHUNK.len() as u64) as usize;
        out.write_all(&CHUNK[..n])?;
        padding -= n as u64;
    }
    out.write_all(HUGE_CLOSE)?;
    out.flush()
}

/// `{"a":{"a":…{}…}}`: [`DEEP_LEVELS`] objects, one in the other.
pub fn deep() -> HttpResponse {
    let levels = DEEP_LEVELS - 1;
    let body = [r#"{"a":"#.repeat(levels), "{}".into(), "}".repeat(levels)].concat();
    HttpResponse::new(200, JSON, body.into_bytes())
}

/// A challenge no client knows, as a new service feature would send it.
pub fn unknown_challenge(session: &str) -> HttpResponse {
    let body = json!({
        "ChallengeName": "SOME_NEW_CHALLENGE",
        "ChallengeParameters": { "SOME_NEW_PARAMETER": "some value" },
        "Session": session,
    });
    HttpResponse::json(200, JSON, &body)
}

/// The answer with [`NOT_UTF8`] at the start of its first string value
/// (in the order of the text), or in a member `Invalid` if it has none.
pub fn bad_utf8(mut response: HttpResponse) -> HttpResponse {
    let Ok(mut body) = serde_json::from_slice::<Value>(&response.body) else {
        response.body.splice(0..0, NOT_UTF8);
        return response;
    };
    match first_string(&mut body) {
        Some(text) => text.insert_str(0, MARK),
        None => {
            if let Some(object) = body.as_object_mut() {
                object.insert("Invalid".into(), MARK.into());
            }
        }
    }
    let text = body.to_string();
    let mark = serde_json::to_string(MARK).expect("a string serialises");
    let mark = &mark[1..mark.len() - 1];
    let at = text.find(mark).expect("the mark is in the text");
    let mut bytes = text.into_bytes();
    bytes.splice(at..at + mark.len(), NOT_UTF8);
    response.body = bytes;
    response
}

fn first_string(value: &mut Value) -> Option<&mut String> {
    match value {
        Value::String(text) => Some(text),
        Value::Array(items) => items.iter_mut().find_map(first_string),
        Value::Object(members) => members.values_mut().find_map(first_string),
        _ => None,
    }
}

/// A successful answer whose ChallengeParameters and AuthenticationResult
/// members (or, without either, its top-level members) each have another
/// JSON type: a string becomes its length, a number or boolean its text,
/// an object or array its JSON text, null `false`. Errors pass unchanged.
pub fn wrong_types(mut response: HttpResponse) -> HttpResponse {
    let Ok(Value::Object(mut body)) = serde_json::from_slice::<Value>(&response.body) else {
        return response;
    };
    if response.status != 200 {
        return response;
    }
    let mut changed = false;
    for name in ["ChallengeParameters", "AuthenticationResult"] {
        if let Some(Value::Object(members)) = body.get_mut(name) {
            retype_members(members);
            changed = true;
        }
    }
    if !changed {
        retype_members(&mut body);
    }
    response.body = Value::Object(body).to_string().into_bytes();
    response
}

fn retype_members(members: &mut Map<String, Value>) {
    for value in members.values_mut() {
        *value = match value.take() {
            Value::String(text) => text.chars().count().into(),
            Value::Number(number) => number.to_string().into(),
            Value::Bool(flag) => flag.to_string().into(),
            Value::Null => false.into(),
            nested => nested.to_string().into(),
        };
    }
}

/// The answer with an unknown member in every object, at every level:
/// `"FutureMember": {"Nested": [1, "two", true, null, {}]}`, and in
/// ChallengeParameters (a string map) `"FUTURE_PARAMETER": "future value"`.
pub fn unknown_fields(mut response: HttpResponse) -> HttpResponse {
    if let Ok(mut body) = serde_json::from_slice::<Value>(&response.body) {
        add_unknown_members(&mut body, false);
        response.body = body.to_string().into_bytes();
    }
    response
}

fn add_unknown_members(value: &mut Value, string_map: bool) {
    match value {
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| add_unknown_members(item, false)),
        Value::Object(members) => {
            for (name, member) in members.iter_mut() {
                add_unknown_members(member, name == "ChallengeParameters");
            }
            if string_map {
                members.insert(UNKNOWN_PARAMETER.into(), "future value".into());
            } else {
                let unknown = json!({ "Nested": [1, "two", true, null, {}] });
                members.insert(UNKNOWN_MEMBER.into(), unknown);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: Value) -> HttpResponse {
        HttpResponse::json(200, JSON, &body)
    }

    #[test]
    fn huge_bodies_are_json_of_the_size_asked() {
        for bytes in [HUGE_FRAME_BYTES, 15, 70_000, 200_003] {
            let mut out = Vec::new();
            write_huge_body(&mut out, bytes).unwrap();
            assert_eq!(out.len() as u64, bytes);
            let value: Value = serde_json::from_slice(&out).unwrap();
            assert_eq!(value["Padding"].as_str().unwrap().len() as u64, bytes - 14);
        }
    }

    #[test]
    fn deep_bodies_nest_ten_thousand_objects() {
        let body = String::from_utf8(deep().body).unwrap();
        let (mut depth, mut deepest) = (0usize, 0usize);
        for c in body.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => continue,
            }
            deepest = deepest.max(depth);
        }
        assert_eq!((depth, deepest), (0, DEEP_LEVELS));
        assert!(body.starts_with(r#"{"a":{"a":"#) && body.contains(r#"{"a":{}}"#));
    }

    #[test]
    fn bad_utf8_goes_into_the_first_string() {
        let body = json!({ "ChallengeName": "PASSWORD_VERIFIER", "Session": "s" });
        let out = bad_utf8(answer(body)).body;
        assert!(std::str::from_utf8(&out).is_err());
        let mut expected = br#"{"ChallengeName":""#.to_vec();
        expected.extend(NOT_UTF8);
        expected.extend(br#"PASSWORD_VERIFIER","Session":"s"}"#);
        assert_eq!(out, expected);
        let empty = bad_utf8(answer(json!({}))).body;
        let mut expected = br#"{"Invalid":""#.to_vec();
        expected.extend(NOT_UTF8);
        expected.extend(br#""}"#);
        assert_eq!(empty, expected);
    }

    #[test]
    fn wrong_types_change_every_parameter_and_result_member() {
        let body = json!({
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": { "SALT": "abcd" },
            "AuthenticationResult": { "ExpiresIn": 3600, "NewDeviceMetadata": { "DeviceKey": "k" },
                                      "Flag": true, "Nothing": null },
        });
        let out: Value = serde_json::from_slice(&wrong_types(answer(body)).body).unwrap();
        assert_eq!(out["ChallengeName"], "PASSWORD_VERIFIER");
        assert_eq!(out["ChallengeParameters"]["SALT"], 4);
        let result = &out["AuthenticationResult"];
        assert_eq!(result["ExpiresIn"], "3600");
        assert_eq!(result["NewDeviceMetadata"], r#"{"DeviceKey":"k"}"#);
        assert_eq!(
            (&result["Flag"], &result["Nothing"]),
            (&json!("true"), &json!(false))
        );
        let user: Value = serde_json::from_slice(
            &wrong_types(answer(json!({ "Username": "alice", "UserAttributes": [] }))).body,
        )
        .unwrap();
        assert_eq!(user, json!({ "Username": 5, "UserAttributes": "[]" }));
        let error = || error_response(&ApiError::not_authorized("no"));
        assert_eq!(wrong_types(error()).body, error().body);
    }

    #[test]
    fn unknown_fields_reach_every_object() {
        let body = json!({
            "ChallengeParameters": { "SALT": "abcd" },
            "UserAttributes": [{ "Name": "email", "Value": "a@b" }],
        });
        let out: Value = serde_json::from_slice(&unknown_fields(answer(body)).body).unwrap();
        assert_eq!(
            out["ChallengeParameters"][UNKNOWN_PARAMETER],
            "future value"
        );
        assert!(out["ChallengeParameters"].get(UNKNOWN_MEMBER).is_none());
        assert!(out[UNKNOWN_MEMBER]["Nested"].is_array());
        assert!(out["UserAttributes"][0][UNKNOWN_MEMBER].is_object());
        assert_eq!(out["UserAttributes"][0]["Value"], "a@b");
    }
}
