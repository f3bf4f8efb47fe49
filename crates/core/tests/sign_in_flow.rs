//! The sign-in state machine, driven with pinned randomness and time against
//! canned service answers. The SRP numbers are the public alexrudd/cognito-srp
//! vector, so the claim the machine signs is known in advance.

#![allow(clippy::disallowed_macros, clippy::disallowed_methods)]

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;

use cognito_core::protocol::StringMap;

use base64::Engine;
use cognito_core::protocol::{ClientConfig, HttpRequest, HttpResponse};
use cognito_core::sign_in::*;
use cognito_srp::srp::compute_secret_hash;
use common::{a_bytes, body, config, ok, responded, NOW_MS, VECTOR_SIGNATURE};
use serde_json::{json, Value};
use zeroize::Zeroizing;

fn input(flow: AuthFlow) -> SignInInput {
    SignInInput {
        username: "test@example.com".into(),
        password: Zeroizing::new("test".into()),
        auth_flow: flow,
        preferred_challenge: None,
        session: None,
        client_metadata: Some(StringMap::from([("app", "tests".into())])),
        device: None,
    }
}

fn verifier_challenge() -> HttpResponse {
    ok(json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": "499602d2",
            "SRP_B": "499602d2",
            "SECRET_BLOCK": base64::engine::general_purpose::STANDARD.encode("secretssecrestssecrets"),
            "USERNAME": "test",
            "USER_ID_FOR_SRP": "test"
        },
        "Session": "srp-session"
    }))
}

fn tokens_answer() -> HttpResponse {
    let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(r#"{"sub":"u-1","email":"test@example.com"}"#);
    ok(json!({"AuthenticationResult": {
        "AccessToken": "access", "IdToken": format!("h.{claims}.s"), "RefreshToken": "refresh",
        "ExpiresIn": 3600, "TokenType": "Bearer"
    }}))
}

fn start_srp(config: &ClientConfig) -> (AwaitingPasswordVerifier, HttpRequest) {
    match start(config, input(AuthFlow::UserSrp), &a_bytes()).unwrap() {
        (SignInStart::Srp(state), request) => (state, request),
        _ => panic!("USER_SRP_AUTH must start an SRP exchange"),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn srp_sign_in_signs_the_known_claim_with_the_user_id_for_srp() {
    let config = config(None);
    let (state, first) = start_srp(&config);
    assert_eq!(
        first.target(),
        Some("AWSCognitoIdentityProviderService.InitiateAuth")
    );
    let first = body(&first);
    assert_eq!(first["AuthFlow"], "USER_SRP_AUTH");
    assert_eq!(first["AuthParameters"]["USERNAME"], "test@example.com");
    assert_eq!(
        first["AuthParameters"]["SRP_A"].as_str().unwrap().len(),
        768,
        "A = 2^1234567890 mod N fills 3072 bits"
    );
    assert_eq!(first["ClientMetadata"]["app"], "tests");
    assert!(first["AuthParameters"].get("SECRET_HASH").is_none());

    let (state, second) = state
        .receive(&config, &verifier_challenge(), NOW_MS)
        .unwrap();
    let second = body(&second);
    assert_eq!(second["ChallengeName"], "PASSWORD_VERIFIER");
    assert_eq!(second["Session"], "srp-session");
    let responses = &second["ChallengeResponses"];
    assert_eq!(
        responses["USERNAME"], "test",
        "USER_ID_FOR_SRP, not the typed alias"
    );
    assert_eq!(responses["TIMESTAMP"], "Tue Jul 10 11:01:00 UTC 2018");
    assert_eq!(responses["PASSWORD_CLAIM_SIGNATURE"], VECTOR_SIGNATURE);

    match state.receive(&tokens_answer()).unwrap() {
        SignInOutcome::SignedIn(tokens) => {
            assert_eq!(tokens.access_token, "access");
            assert_eq!(tokens.expires_in, 3600);
            assert_eq!(tokens.refresh_token.as_deref(), Some("refresh"));
            let id_token = tokens.id_token.unwrap();
            let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(id_token.split('.').nth(1).unwrap())
                .unwrap();
            assert_eq!(
                serde_json::from_slice::<Value>(&claims).unwrap()["sub"],
                "u-1"
            );
        }
        _ => panic!("tokens expected"),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn secret_hash_uses_the_username_of_each_request() {
    let config = config(Some("clientSecret"));
    let (state, first) = start_srp(&config);
    assert_eq!(
        body(&first)["AuthParameters"]["SECRET_HASH"],
        compute_secret_hash("test@example.com", "123abd", "clientSecret")
    );
    let (_, second) = state
        .receive(&config, &verifier_challenge(), NOW_MS)
        .unwrap();
    assert_eq!(
        body(&second)["ChallengeResponses"]["SECRET_HASH"],
        "LoIX/oPJWZzFYv8liJYRo+CHv16FNDY10JlZEDjL3Vg=",
        "the challenge's USERNAME 'test', the public SECRET_HASH vector"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn password_flow_sends_the_password_and_ends_in_tokens() {
    let config = config(None);
    let (state, request) = match start(&config, input(AuthFlow::UserPassword), &[]).unwrap() {
        (SignInStart::Password(state), request) => (state, request),
        _ => panic!("USER_PASSWORD_AUTH sends the password"),
    };
    let request = body(&request);
    assert_eq!(request["AuthFlow"], "USER_PASSWORD_AUTH");
    assert_eq!(request["AuthParameters"]["PASSWORD"], "test");
    assert!(matches!(
        state.receive(&tokens_answer()).unwrap(),
        SignInOutcome::SignedIn(_)
    ));
}

fn new_password_challenge() -> PendingChallenge {
    let (state, _) = start_srp(&config(None));
    let (state, _) = state
        .receive(&config(None), &verifier_challenge(), NOW_MS)
        .unwrap();
    let answer = ok(json!({
        "ChallengeName": "NEW_PASSWORD_REQUIRED",
        "Session": "np-session",
        "ChallengeParameters": {
            "USER_ID_FOR_SRP": "test",
            "requiredAttributes": "[\"userAttributes.name\"]",
            "userAttributes": "{\"email\":\"test@example.com\"}"
        }
    }));
    match state.receive(&answer).unwrap() {
        SignInOutcome::Challenge(challenge) => challenge,
        _ => panic!("a challenge expected"),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn new_password_required_reports_missing_attributes_and_answers_with_them() {
    let challenge = new_password_challenge();
    assert_eq!(
        challenge.next_step(),
        NextStep::NewPasswordRequired {
            missing_attributes: vec!["name".into()],
            user_attributes: StringMap::from([("email", "test@example.com".into())]),
        }
    );
    let no_name = ChallengeAnswer {
        response: Zeroizing::new("N3w-pass!".into()),
        user_attributes: StringMap::new(),
        client_metadata: None,
    };
    let error = challenge
        .check(&no_name)
        .expect_err("the missing 'name' is refused locally");
    assert_eq!(error.name(), "ValidationError");
    assert!(error.message().contains("name"), "{}", error.message());

    let error_on_answer = new_password_challenge()
        .answer(&config(None), no_name, &a_bytes())
        .err()
        .unwrap();
    assert_eq!(error_on_answer, error, "answer checks too");
    let (_, request) = responded(challenge.answer(
        &config(None),
        ChallengeAnswer {
            response: Zeroizing::new("N3w-pass!".into()),
            user_attributes: StringMap::from([("userAttributes.name", "Test".into())]),
            client_metadata: None,
        },
        &a_bytes(),
    ))
    .unwrap();
    let request = body(&request);
    assert_eq!(request["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    assert_eq!(request["Session"], "np-session");
    assert_eq!(request["ChallengeResponses"]["NEW_PASSWORD"], "N3w-pass!");
    assert_eq!(request["ChallengeResponses"]["userAttributes.name"], "Test");
    assert_eq!(request["ChallengeResponses"]["USERNAME"], "test");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn service_errors_and_odd_answers_are_named() {
    let config = config(None);
    let (state, _) = start_srp(&config);
    let refused = HttpResponse {
        status: 400,
        error_type: Some("NotAuthorizedException:".into()),
        body: r#"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#
            .into(),
    };
    let error = state.receive(&config, &refused, NOW_MS).err().unwrap();
    assert_eq!(error.name(), "NotAuthorizedException");

    let (state, _) = start_srp(&config);
    let error = state
        .receive(&config, &tokens_answer(), NOW_MS)
        .err()
        .unwrap();
    assert_eq!(error.name(), "InvalidServerResponse");

    let (state, _) = start_srp(&config);
    let (state, _) = state
        .receive(&config, &verifier_challenge(), NOW_MS)
        .unwrap();
    let future =
        ok(json!({"ChallengeName": "FUTURE_CHALLENGE", "Session": "s", "ChallengeParameters": {}}));
    let error = state.receive(&future).err().unwrap();
    assert_eq!(error.name(), "UnsupportedChallengeError");
    assert!(error.message().contains("FUTURE_CHALLENGE"));

    // A passkey challenge without its options (this test once expected
    // UnsupportedChallengeError: WEB_AUTHN is answered now).
    let (state, _) = start_srp(&config);
    let (state, _) = state
        .receive(&config, &verifier_challenge(), NOW_MS)
        .unwrap();
    let webauthn =
        ok(json!({"ChallengeName": "WEB_AUTHN", "Session": "s", "ChallengeParameters": {}}));
    let error = state.receive(&webauthn).err().unwrap();
    assert_eq!(error.name(), "InvalidServerResponse");
    assert!(error.message().contains("CREDENTIAL_REQUEST_OPTIONS"));
}

/// The MFA and custom challenges become Amplify's steps, with what the app
/// shows; the answers go in the fields the service reads.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn mfa_and_custom_challenges_map_to_steps_and_answers() {
    let config = config(None);
    let challenge = |name: &str, params: Value| {
        let (state, _) = start_srp(&config);
        let (state, _) = state
            .receive(&config, &verifier_challenge(), NOW_MS)
            .unwrap();
        let answer =
            ok(json!({"ChallengeName": name, "Session": "sess", "ChallengeParameters": params}));
        match state.receive(&answer).unwrap() {
            SignInOutcome::Challenge(pending) => pending,
            _ => panic!("a challenge expected"),
        }
    };
    let answer = |text: &str| ChallengeAnswer {
        response: Zeroizing::new(text.to_owned()),
        user_attributes: StringMap::new(),
        client_metadata: None,
    };
    let body = |pending: PendingChallenge, text: &str| -> Value {
        let (_, request) = responded(pending.answer(&config, answer(text), &a_bytes())).unwrap();
        serde_json::from_str(&request.body).unwrap()
    };

    let sms = challenge(
        "SMS_MFA",
        json!({"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+*******0100", "USER_ID_FOR_SRP": "alice"}),
    );
    assert_eq!(
        sms.next_step(),
        NextStep::ConfirmWithSmsCode(CodeDelivery {
            delivery_medium: Some("SMS".into()),
            destination: Some("+*******0100".into()),
        })
    );
    let sent = body(sms, " 123456 ");
    assert_eq!(sent["ChallengeName"], "SMS_MFA");
    assert_eq!(sent["Session"], "sess");
    assert_eq!(
        sent["ChallengeResponses"],
        json!({"USERNAME": "alice", "SMS_MFA_CODE": "123456"})
    );

    let totp = challenge("SOFTWARE_TOKEN_MFA", json!({}));
    assert_eq!(totp.next_step(), NextStep::ConfirmWithTotpCode);
    assert_eq!(
        body(totp, "654321")["ChallengeResponses"]["SOFTWARE_TOKEN_MFA_CODE"],
        "654321"
    );

    let select = challenge(
        "SELECT_MFA_TYPE",
        json!({"MFAS_CAN_CHOOSE": "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]"}),
    );
    assert_eq!(
        select.next_step(),
        NextStep::ContinueWithMfaSelection {
            allowed_mfa_types: vec!["SMS".into(), "TOTP".into()]
        }
    );
    assert_eq!(
        select.check(&answer("EMAIL")).unwrap_err().name(),
        "ValidationError"
    );
    assert_eq!(
        body(select, "TOTP")["ChallengeResponses"]["ANSWER"],
        "SOFTWARE_TOKEN_MFA"
    );

    let custom = challenge("CUSTOM_CHALLENGE", json!({"question": "2+2?"}));
    match custom.next_step() {
        NextStep::ConfirmWithCustomChallenge { additional_info } => {
            assert_eq!(additional_info.get("question"), Some("2+2?"))
        }
        other => panic!("unexpected step {other:?}"),
    }
    assert_eq!(
        custom.check(&answer("")).unwrap_err().name(),
        "ValidationError"
    );
    let with_metadata = ChallengeAnswer {
        client_metadata: Some(StringMap::from([("k", "v".into())])),
        ..answer("4")
    };
    let (_, request) = responded(custom.answer(&config, with_metadata, &a_bytes())).unwrap();
    let sent: Value = serde_json::from_str(&request.body).unwrap();
    assert_eq!(sent["ChallengeResponses"]["ANSWER"], "4");
    assert_eq!(
        sent["ClientMetadata"],
        json!({"k": "v"}),
        "confirmSignIn's clientMetadata"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn empty_credentials_and_unknown_flows_are_refused_before_sending() {
    let config = config(None);
    let mut no_user = input(AuthFlow::UserSrp);
    no_user.username.clear();
    assert_eq!(
        start(&config, no_user, &[1; 128]).err().unwrap().name(),
        "ValidationError"
    );
    let mut no_password = input(AuthFlow::UserSrp);
    no_password.password = Zeroizing::new(String::new());
    assert_eq!(
        start(&config, no_password, &[1; 128]).err().unwrap().name(),
        "ValidationError"
    );
    assert_eq!(
        AuthFlow::parse(Some("CUSTOM_AUTH")).unwrap_err().name(),
        "ValidationError"
    );
    assert_eq!(AuthFlow::parse(None).unwrap(), AuthFlow::UserSrp);
}
