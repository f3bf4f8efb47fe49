//! Known-answer vectors for remembered devices from amazon-cognito-identity-js
//! and pycognito, which agree on every value (scripts/gen-vectors/device.mjs
//! checks that and writes tests/vectors/device.json). Our device maths must
//! match each labelled intermediate, and the sign-in machine's
//! DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER rounds must sign the same claim.
//!
//! Regenerate the vectors with `node scripts/gen-vectors/device.mjs`.

#![allow(clippy::disallowed_macros, clippy::disallowed_methods)]

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;

use base64::Engine;
use cognito_core::device::*;
use cognito_core::protocol::{ClientConfig, HttpResponse, NewDeviceMetadata};
use cognito_core::sign_in::*;
use cognito_core::timestamp::format_timestamp;
use cognito_srp::srp::*;
use cognito_srp::uint::Uint;
use common::{hex, ok};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

const VECTORS: &str = include_str!("../../../tests/vectors/device.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Vectors {
    generated_by: Value,
    verifiers: Vec<VerifierVector>,
    claims: Vec<ClaimVector>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct VerifierVector {
    name: String,
    device_group_key: String,
    device_key: String,
    password_bytes: String,
    salt_bytes: String,
    device_password: String,
    identity_hash: String,
    salt_pad_hex: String,
    x: String,
    verifier_pad_hex: String,
    password_verifier: String,
    salt: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ClaimVector {
    name: String,
    verifier: String,
    a: String,
    #[serde(rename = "A")]
    public_a: String,
    salt_hex: String,
    #[serde(rename = "B")]
    public_b: String,
    u: String,
    x: String,
    #[serde(rename = "S")]
    s: String,
    key: String,
    secret_block: String,
    timestamp: String,
    signature: String,
}

fn vectors() -> Vectors {
    let vectors: Vectors = serde_json::from_str(VECTORS).expect("device.json follows the schema");
    assert!(vectors.generated_by["pycognito"].is_string());
    assert!(!vectors.verifiers.is_empty() && !vectors.claims.is_empty());
    vectors
}

fn unhex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

fn num(hex: &str) -> Uint {
    Uint::from_hex(hex).unwrap()
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn device_verifiers_match_the_oracles() {
    for v in &vectors().verifiers {
        let name = v.name.as_str();
        let password_bytes: [u8; 40] = unhex(&v.password_bytes).try_into().unwrap();
        let salt_bytes: [u8; 16] = unhex(&v.salt_bytes).try_into().unwrap();
        let password = compute_device_password(&password_bytes);
        assert_eq!(*password, v.device_password, "{name}: randomPassword");
        let identity = Sha256::new()
            .chain_update(v.device_group_key.as_bytes())
            .chain_update(v.device_key.as_bytes())
            .chain_update(b":")
            .chain_update(password.as_bytes())
            .finalize();
        assert_eq!(
            hex(&identity),
            v.identity_hash,
            "{name}: H(group key:password)"
        );
        let salt = Uint::from_be_bytes(&salt_bytes).unwrap();
        assert_eq!(pad_hex(&salt), v.salt_pad_hex, "{name}: padHex(salt)");
        let x = compute_device_x(&salt, &v.device_group_key, &v.device_key, &password);
        assert_eq!(x, num(&v.x), "{name}: x");
        let verifier = compute_device_verifier(&x);
        assert_eq!(pad_hex(&verifier), v.verifier_pad_hex, "{name}: padHex(v)");

        let metadata = NewDeviceMetadata {
            device_key: v.device_key.clone(),
            device_group_key: v.device_group_key.clone(),
        };
        let (secrets, config) = new_device(metadata, &password_bytes, &salt_bytes);
        assert_eq!(
            *secrets.device_password, v.device_password,
            "{name}: secrets"
        );
        assert_eq!(
            config.password_verifier, v.password_verifier,
            "{name}: PasswordVerifier"
        );
        assert_eq!(config.salt, v.salt, "{name}: Salt");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn device_claims_match_the_oracles_through_the_sign_in_machine() {
    let vectors = vectors();
    for c in &vectors.claims {
        let name = c.name.as_str();
        let v = vectors
            .verifiers
            .iter()
            .find(|v| v.name == c.verifier)
            .unwrap();
        let device = DeviceSecrets {
            device_key: v.device_key.clone(),
            device_group_key: v.device_group_key.clone(),
            device_password: Zeroizing::new(v.device_password.clone()),
        };

        // Each intermediate, with the device as the SRP identity.
        let a = num(&c.a);
        let public_a = compute_public_a(&a, 1024);
        assert_eq!(public_a.to_hex(), c.public_a, "{name}: A");
        let u = compute_u(&public_a, &num(&c.public_b));
        assert_eq!(u, num(&c.u), "{name}: u");
        let x = compute_device_x(
            &num(&c.salt_hex),
            &device.device_group_key,
            &device.device_key,
            &device.device_password,
        );
        assert_eq!(x, num(&c.x), "{name}: x");
        let s = compute_s(&num(&c.public_b), &x, &a, 1024, &u);
        assert_eq!(s, num(&c.s), "{name}: S");
        let key = compute_key(&s, &u);
        assert_eq!(hex(&key[..]), c.key, "{name}: key");

        // The whole path: a sign-in that names the device, DEVICE_SRP_AUTH,
        // DEVICE_PASSWORD_VERIFIER.
        let config =
            ClientConfig::new("us-east-1_Pool", "client", None, None, Some("http://x")).unwrap();
        let input = SignInInput {
            username: "device-user".into(),
            password: Zeroizing::new("pw".into()),
            auth_flow: AuthFlow::UserPassword,
            preferred_challenge: None,
            session: None,
            client_metadata: None,
            device: Some(device.clone()),
        };
        let (SignInStart::Password(awaiting), first) = start(&config, input, &[1; 48]).unwrap()
        else {
            panic!("USER_PASSWORD_AUTH goes straight to the result");
        };
        let first: Value = serde_json::from_str(&first.body).unwrap();
        assert_eq!(first["AuthParameters"]["DEVICE_KEY"], v.device_key.as_str());
        let asked = ok(json!({"ChallengeName": "DEVICE_SRP_AUTH", "Session": "s1",
            "ChallengeParameters": {"USERNAME": "device-user"}}));
        let SignInOutcome::DeviceSrp(required) = awaiting.receive(&asked).unwrap() else {
            panic!("{name}: DEVICE_SRP_AUTH expected");
        };
        let a_bytes = unhex(&c.a);
        let (verifier, srp_request) = required.answer(&config, &a_bytes).unwrap();
        let srp_body: Value = serde_json::from_str(&srp_request.body).unwrap();
        assert_eq!(srp_body["ChallengeName"], "DEVICE_SRP_AUTH");
        assert_eq!(srp_body["Session"], "s1");
        let responses = &srp_body["ChallengeResponses"];
        assert_eq!(responses["SRP_A"], c.public_a.as_str(), "{name}: SRP_A");
        assert_eq!(responses["DEVICE_KEY"], v.device_key.as_str());
        assert_eq!(responses["USERNAME"], "device-user");

        let challenge = ok(
            json!({"ChallengeName": "DEVICE_PASSWORD_VERIFIER", "Session": "s2",
            "ChallengeParameters": {"USERNAME": "device-user", "SALT": c.salt_hex,
                "SRP_B": c.public_b, "SECRET_BLOCK": c.secret_block}}),
        );
        let unix_ms = unix_ms_of(&c.timestamp);
        let (_, claim) = verifier.receive(&config, &challenge, unix_ms).unwrap();
        let claim: Value = serde_json::from_str(&claim.body).unwrap();
        assert_eq!(claim["ChallengeName"], "DEVICE_PASSWORD_VERIFIER");
        assert_eq!(claim["Session"], "s2");
        let responses = &claim["ChallengeResponses"];
        assert_eq!(
            responses["TIMESTAMP"],
            c.timestamp.as_str(),
            "{name}: TIMESTAMP"
        );
        assert_eq!(
            responses["PASSWORD_CLAIM_SIGNATURE"],
            c.signature.as_str(),
            "{name}: signature"
        );
        assert_eq!(responses["DEVICE_KEY"], v.device_key.as_str());
        assert_eq!(
            responses["PASSWORD_CLAIM_SECRET_BLOCK"],
            c.secret_block.as_str()
        );
        base64::engine::general_purpose::STANDARD
            .decode(&c.secret_block)
            .unwrap();
    }
}

/// The vectors' two instants, by their TIMESTAMP.
fn unix_ms_of(timestamp: &str) -> f64 {
    let seconds = [1_767_225_599i64, 1_531_220_460]
        .into_iter()
        .find(|s| format_timestamp(*s) == timestamp)
        .expect("a known vector instant");
    seconds as f64 * 1000.0
}

fn tokens_with(extra: Value) -> HttpResponse {
    let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"sub":"s"}"#);
    let mut result = json!({"AccessToken": "access", "IdToken": format!("h.{claims}.s"),
        "RefreshToken": "refresh", "ExpiresIn": 3600, "TokenType": "Bearer"});
    if let Value::Object(extra) = extra {
        result.as_object_mut().unwrap().extend(extra);
    }
    ok(json!({ "AuthenticationResult": result }))
}

fn password_sign_in(device: Option<DeviceSecrets>) -> AwaitingAuthResult {
    let config =
        ClientConfig::new("us-east-1_Pool", "client", None, None, Some("http://x")).unwrap();
    let input = SignInInput {
        username: "dora".into(),
        password: Zeroizing::new("pw".into()),
        auth_flow: AuthFlow::UserPassword,
        preferred_challenge: None,
        session: None,
        client_metadata: None,
        device,
    };
    match start(&config, input, &[1; 48]).unwrap() {
        (SignInStart::Password(awaiting), _) => awaiting,
        _ => panic!("USER_PASSWORD_AUTH goes straight to the result"),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_new_device_is_confirmed_with_its_verifier() {
    let config =
        ClientConfig::new("us-east-1_Pool", "client", None, None, Some("http://x")).unwrap();
    let answer = tokens_with(
        json!({"NewDeviceMetadata": {"DeviceKey": "us-east-1_dk", "DeviceGroupKey": "-gk"}}),
    );
    let SignInOutcome::NewDevice(tokens, to_confirm) =
        password_sign_in(None).receive(&answer).unwrap()
    else {
        panic!("NewDeviceMetadata must lead to the device confirmation");
    };
    // Signed in at once: the confirmation follows.
    assert_eq!(tokens.access_token, "access");
    assert_eq!(to_confirm.metadata().device_key, "us-east-1_dk");
    let (awaiting, request) = to_confirm.confirm(&config, &[5; 40], &[6; 16], "Test browser");
    assert!(request.target().unwrap().ends_with(".ConfirmDevice"));
    let body: Value = serde_json::from_str(&request.body).unwrap();
    assert_eq!(body["AccessToken"], "access");
    assert_eq!(body["DeviceKey"], "us-east-1_dk");
    assert_eq!(body["DeviceName"], "Test browser");
    let (secrets, expected) = new_device(
        NewDeviceMetadata {
            device_key: "us-east-1_dk".into(),
            device_group_key: "-gk".into(),
        },
        &[5; 40],
        &[6; 16],
    );
    assert_eq!(
        body["DeviceSecretVerifierConfig"]["PasswordVerifier"],
        expected.password_verifier.as_str()
    );
    assert_eq!(
        body["DeviceSecretVerifierConfig"]["Salt"],
        expected.salt.as_str()
    );

    let confirmed = awaiting.receive(&ok(json!({"UserConfirmationNecessary": true})));
    assert!(confirmed.user_confirmation_necessary);
    let device = confirmed.device.unwrap();
    assert_eq!(*device.device_password, *secrets.device_password);

    // A refused ConfirmDevice leaves no device (the sign-in stands).
    let SignInOutcome::NewDevice(_, to_confirm) = password_sign_in(None).receive(&answer).unwrap()
    else {
        panic!("NewDevice expected");
    };
    let (awaiting, _) = to_confirm.confirm(&config, &[5; 40], &[6; 16], "x");
    let refused = HttpResponse {
        status: 400,
        error_type: None,
        body: r#"{"__type":"InvalidParameterException","message":"no"}"#.into(),
    };
    let confirmed = awaiting.receive(&refused);
    assert!(!confirmed.user_confirmation_necessary);
    assert_eq!(
        confirmed.device.err().unwrap().name(),
        "InvalidParameterException"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_stale_device_is_retried_once_without_its_key() {
    let device = DeviceSecrets {
        device_key: "us-east-1_gone".into(),
        device_group_key: "-g".into(),
        device_password: Zeroizing::new("p".into()),
    };
    let mut awaiting = password_sign_in(Some(device));
    let (retry, request) = awaiting
        .take_device_retry()
        .expect("a retry without the device");
    let body: Value = serde_json::from_str(&request.body).unwrap();
    assert_eq!(body["AuthParameters"]["USERNAME"], "dora");
    assert_eq!(body["AuthParameters"]["PASSWORD"], "pw");
    assert!(body["AuthParameters"].get("DEVICE_KEY").is_none());
    assert!(awaiting.take_device_retry().is_none(), "only once");
    let mut retry = retry;
    assert!(
        retry.take_device_retry().is_none(),
        "the retry has no device"
    );
    // Without a device, DEVICE_SRP_AUTH cannot be answered.
    let asked = ok(json!({"ChallengeName": "DEVICE_SRP_AUTH", "Session": "s"}));
    let error = retry.receive(&asked).err().unwrap();
    assert_eq!(error.name(), "InvalidServerResponse");
    assert!(password_sign_in(None).take_device_retry().is_none());
}
