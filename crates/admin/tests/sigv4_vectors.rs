//! SigV4 against botocore: `tests/vectors/sigv4.json` holds botocore's
//! SigV4Auth output for fixed requests and times (scripts/gen-vectors/sigv4.py;
//! the end-to-end tests regenerate it live and compare). Each step of
//! src/sigv4.rs, and the whole signed request of src/admin.rs, must equal it.

#![allow(clippy::disallowed_macros, clippy::disallowed_methods)]

use cognito_admin::admin::{AdminConfig, Operation};
use cognito_admin::sigv4::{self, Credentials};
use cognito_core::json::Json;
use serde_json::Value;

fn vectors() -> Vec<Value> {
    let text = include_str!("../../../tests/vectors/sigv4.json");
    let doc: Value = serde_json::from_str(text).unwrap();
    let list = doc["vectors"].as_array().unwrap().clone();
    assert!(list.len() >= 5, "the fixed set has at least five requests");
    list
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap()
}

fn credentials(v: &Value) -> Credentials {
    Credentials {
        access_key_id: s(&v["credentials"][0]).into(),
        secret_access_key: s(&v["credentials"][1]).into(),
        session_token: v["credentials"][2].as_str().map(str::to_owned),
    }
}

fn host(url: &str) -> String {
    let rest = url.split_once("://").unwrap().1;
    let authority = rest.split('/').next().unwrap();
    authority
        .strip_suffix(":443")
        .unwrap_or(authority)
        .to_owned()
}

#[test]
fn each_step_equals_botocore() {
    for v in vectors() {
        let name = s(&v["name"]);
        let creds = credentials(&v);
        let amz_date = s(&v["amzDate"]);
        let mut headers = vec![
            (
                "Content-Type".to_string(),
                "application/x-amz-json-1.1".to_string(),
            ),
            ("Host".to_string(), host(s(&v["url"]))),
            (
                "X-Amz-Target".to_string(),
                format!("AWSCognitoIdentityProviderService.{}", s(&v["operation"])),
            ),
            ("X-Amz-Date".to_string(), amz_date.to_string()),
        ];
        if let Some(token) = &creds.session_token {
            headers.push(("X-Amz-Security-Token".into(), token.clone()));
        }
        let request = sigv4::Request {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: s(&v["body"]).as_bytes(),
        };
        let canonical = sigv4::canonical_request(&request);
        assert_eq!(
            canonical,
            s(&v["canonicalRequest"]),
            "{name}: canonical request"
        );
        let region = s(&v["region"]);
        let scope = sigv4::scope(amz_date, region, sigv4::SERVICE);
        let to_sign = sigv4::string_to_sign(amz_date, &scope, &canonical);
        assert_eq!(to_sign, s(&v["stringToSign"]), "{name}: string to sign");
        let key = sigv4::signing_key(
            &creds.secret_access_key,
            &amz_date[..8],
            region,
            sigv4::SERVICE,
        );
        let signature = sigv4::signature(&key, &to_sign);
        assert!(
            s(&v["authorization"]).ends_with(&format!("Signature={signature}")),
            "{name}"
        );
        assert_eq!(
            sigv4::authorization(&request, &creds, region, sigv4::SERVICE, amz_date),
            s(&v["authorization"]),
            "{name}: Authorization"
        );
    }
}

#[test]
fn admin_requests_equal_botocore() {
    for v in vectors() {
        let name = s(&v["name"]);
        let op = Operation::ALL
            .into_iter()
            .find(|op| op.name() == s(&v["operation"]))
            .unwrap();
        let config =
            AdminConfig::new(s(&v["region"]), credentials(&v), Some(s(&v["url"]))).unwrap();
        let input = Json::parse(s(&v["body"])).unwrap();
        let now = sigv4::parse_amz_date(s(&v["amzDate"])).unwrap();
        let request = config.request(op, &input, now).unwrap();
        assert_eq!(request.body, s(&v["body"]), "{name}: body");
        let header = |n: &str| {
            request
                .headers
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(
            header("Authorization"),
            Some(s(&v["authorization"])),
            "{name}"
        );
        assert_eq!(header("X-Amz-Date"), Some(s(&v["amzDate"])), "{name}");
        assert_eq!(
            header("X-Amz-Security-Token"),
            v["credentials"][2].as_str(),
            "{name}"
        );
        // One changed byte anywhere changes the signature.
        let later = config.request(op, &input, now + 1).unwrap();
        assert_ne!(later.headers, request.headers, "{name}: the time is signed");
    }
}
