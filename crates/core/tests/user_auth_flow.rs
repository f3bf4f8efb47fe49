//! USER_AUTH (choice-based sign-in), its remembered device, and the context
//! data sent with each call, driven against canned service answers. The SRP numbers are the
//! public alexrudd/cognito-srp vector, as in sign_in_flow.rs.

#![allow(clippy::disallowed_macros, clippy::disallowed_methods)]

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use base64::Engine;
use cognito_core::device::DeviceSecrets;
use cognito_core::protocol::{HttpRequest, HttpResponse};
use cognito_core::sign_in::*;
use cognito_core::sign_in::{AwaitingFirstFactor, FirstFactorOutcome};
use cognito_core::Error;
use common::{
    a_bytes, answer, body, config, next_step, ok, proving_with_srp, responded, NOW_MS,
    VECTOR_SIGNATURE,
};
use serde_json::json;
use zeroize::Zeroizing;

fn input(preferred: Option<&str>, password: &str) -> SignInInput {
    SignInInput {
        username: "test".into(),
        password: Zeroizing::new(password.into()),
        auth_flow: AuthFlow::parse(Some("USER_AUTH")).unwrap(),
        preferred_challenge: preferred.map(str::to_owned),
        session: None,
        client_metadata: None,
        device: None,
    }
}

fn start_user_auth(input: SignInInput) -> (AwaitingFirstFactor, HttpRequest) {
    match start(&config(None), input, &a_bytes()).unwrap() {
        (SignInStart::UserAuth(state), request) => (*state, request),
        _ => panic!("USER_AUTH must start the first-factor state"),
    }
}

fn select_challenge() -> HttpResponse {
    ok(json!({
        "ChallengeName": "SELECT_CHALLENGE",
        "ChallengeParameters": {},
        "AvailableChallenges": ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"],
        "Session": "select-session"
    }))
}

/// SELECT_CHALLENGE, pending.
fn selection() -> PendingChallenge {
    selection_of(input(None, ""))
}

/// SELECT_CHALLENGE of a sign-in with `input`, pending.
fn selection_of(input: SignInInput) -> PendingChallenge {
    let (state, _) = start_user_auth(input);
    match state
        .receive(&config(None), &select_challenge(), NOW_MS)
        .unwrap()
    {
        FirstFactorOutcome::Done(SignInOutcome::Challenge(pending)) => pending,
        _ => panic!("SELECT_CHALLENGE must be a step"),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_preferred_challenge_is_sent_with_what_it_needs() {
    let (_, request) = start_user_auth(input(Some("PASSWORD"), "pw"));
    assert_eq!(
        body(&request),
        json!({"AuthFlow": "USER_AUTH", "ClientId": "123abd",
               "AuthParameters": {"USERNAME": "test", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "pw"}})
    );
    let (_, request) = start_user_auth(input(Some("PASSWORD_SRP"), "pw"));
    let parameters = &body(&request)["AuthParameters"];
    assert_eq!(parameters["PREFERRED_CHALLENGE"], "PASSWORD_SRP");
    assert!(parameters["SRP_A"].as_str().unwrap().len() > 700);
    assert!(parameters.get("PASSWORD").is_none());
    let (_, request) = start_user_auth(input(None, "ignored"));
    assert_eq!(
        body(&request)["AuthParameters"],
        json!({"USERNAME": "test"})
    );

    let refused =
        |preferred, password| match start(&config(None), input(preferred, password), &a_bytes()) {
            Err(error) => error,
            Ok(_) => panic!("{preferred:?} must be refused"),
        };
    assert!(matches!(
        refused(Some("PASSWORD"), ""),
        Error::Validation(_)
    ));
    assert!(matches!(
        refused(Some("PASSWORD_SRP"), ""),
        Error::Validation(_)
    ));
    let unknown = refused(Some("PUSH"), "pw");
    assert!(matches!(unknown, Error::Validation(_)));
    assert!(
        unknown.message().contains("'WEB_AUTHN'"),
        "{}",
        unknown.message()
    );
    // Passkeys (once refused here with UnsupportedChallengeError): the
    // preference alone, never the password.
    let (_, request) = start_user_auth(input(Some("WEB_AUTHN"), "pw"));
    assert_eq!(
        body(&request)["AuthParameters"],
        json!({"USERNAME": "test", "PREFERRED_CHALLENGE": "WEB_AUTHN"})
    );
}

/// PASSWORD_VERIFIER of the public vector.
fn password_verifier() -> HttpResponse {
    ok(json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": "499602d2", "SRP_B": "499602d2", "USERNAME": "test", "USER_ID_FOR_SRP": "test",
            "SECRET_BLOCK": base64::engine::general_purpose::STANDARD.encode("secretssecrestssecrets")
        },
        "Session": "srp-session"
    }))
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn preferred_password_srp_answers_the_verifier() {
    let (state, _) = start_user_auth(input(Some("PASSWORD_SRP"), "test"));
    let FirstFactorOutcome::Verifying(_, request) = state
        .receive(&config(None), &password_verifier(), NOW_MS)
        .unwrap()
    else {
        panic!("PASSWORD_VERIFIER must be answered");
    };
    let sent = body(&request);
    assert_eq!(sent["ChallengeName"], "PASSWORD_VERIFIER");
    assert_eq!(
        sent["ChallengeResponses"]["PASSWORD_CLAIM_SIGNATURE"],
        VECTOR_SIGNATURE
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn select_challenge_lists_the_factors_and_sends_the_choice() {
    let pending = selection();
    assert_eq!(
        pending.next_step(),
        NextStep::ContinueWithFirstFactorSelection {
            available_challenges: [
                "PASSWORD",
                "PASSWORD_SRP",
                "EMAIL_OTP",
                "SMS_OTP",
                "WEB_AUTHN"
            ]
            .map(String::from)
            .to_vec()
        }
    );
    // Passkeys are a choice too (passkey_flow.rs follows it).
    assert!(pending.check(&answer("WEB_AUTHN")).is_ok());
    let not_offered = pending.check(&answer("TOTP")).unwrap_err();
    assert!(matches!(not_offered, Error::Validation(_)));
    assert!(
        not_offered.message().contains("'EMAIL_OTP'"),
        "{}",
        not_offered.message()
    );
    // A code factor is sent at once (only PASSWORD and PASSWORD_SRP ask for the password first).
    let (awaiting, request) =
        responded(pending.answer(&config(None), answer("EMAIL_OTP"), &a_bytes())).unwrap();
    assert_eq!(
        body(&request),
        json!({"ChallengeName": "SELECT_CHALLENGE", "ClientId": "123abd", "Session": "select-session",
               "ChallengeResponses": {"USERNAME": "test", "ANSWER": "EMAIL_OTP"}})
    );
    let email = ok(json!({
        "ChallengeName": "EMAIL_OTP", "Session": "otp-session",
        "ChallengeParameters": {"CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "t***@e***.com"}
    }));
    let SignInOutcome::Challenge(code_step) = awaiting.receive(&email).unwrap() else {
        panic!("EMAIL_OTP must be a step");
    };
    assert_eq!(
        code_step.next_step(),
        NextStep::ConfirmWithEmailCode(CodeDelivery {
            delivery_medium: Some("EMAIL".into()),
            destination: Some("t***@e***.com".into())
        })
    );
    let (_, request) =
        responded(code_step.answer(&config(None), answer(" 123456 "), &a_bytes())).unwrap();
    assert_eq!(
        body(&request)["ChallengeResponses"]["EMAIL_OTP_CODE"],
        "123456"
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn sms_otp_is_a_code_step_answered_with_sms_otp_code() {
    let (state, _) = start_user_auth(input(Some("SMS_OTP"), ""));
    let sms = ok(json!({
        "ChallengeName": "SMS_OTP", "Session": "otp-session",
        "ChallengeParameters": {"CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+*******0100"}
    }));
    let FirstFactorOutcome::Done(SignInOutcome::Challenge(step)) =
        state.receive(&config(None), &sms, NOW_MS).unwrap()
    else {
        panic!("SMS_OTP must be a step");
    };
    assert!(matches!(step.next_step(), NextStep::ConfirmWithSmsCode(_)));
    let (_, request) = responded(step.answer(&config(None), answer("654321"), &a_bytes())).unwrap();
    let sent = body(&request);
    assert_eq!(sent["ChallengeName"], "SMS_OTP");
    assert_eq!(sent["ChallengeResponses"]["SMS_OTP_CODE"], "654321");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn choosing_a_password_factor_asks_for_the_password_then_sends_it() {
    let pending = selection();
    let step = next_step(
        pending
            .clone()
            .answer(&config(None), answer("PASSWORD"), &a_bytes()),
    );
    assert_eq!(step.next_step(), NextStep::ConfirmWithPassword);
    assert!(matches!(
        step.check(&answer(" ")).unwrap_err(),
        Error::Validation(_)
    ));
    let (_, request) = responded(step.answer(&config(None), answer("pw"), &a_bytes())).unwrap();
    assert_eq!(
        body(&request)["ChallengeResponses"],
        json!({"USERNAME": "test", "ANSWER": "PASSWORD", "PASSWORD": "pw"})
    );

    let srp_step = next_step(pending.answer(&config(None), answer("PASSWORD_SRP"), &a_bytes()));
    assert_eq!(srp_step.next_step(), NextStep::ConfirmWithPassword);
    let (state, request) =
        proving_with_srp(srp_step.answer(&config(None), answer("test"), &a_bytes()));
    let sent = body(&request);
    assert_eq!(sent["ChallengeName"], "SELECT_CHALLENGE");
    assert_eq!(sent["Session"], "select-session");
    assert_eq!(sent["ChallengeResponses"]["ANSWER"], "PASSWORD_SRP");
    assert!(sent["ChallengeResponses"]["SRP_A"].as_str().unwrap().len() > 700);
    assert!(sent["ChallengeResponses"].get("PASSWORD").is_none());
    // A refusal of the choice ends the sign-in, with what to do next.
    let refused = HttpResponse {
        status: 400,
        error_type: None,
        body: json!({"__type": "NotAuthorizedException", "message": "Invalid session for the user, session is expired."}).to_string(),
    };
    let Err(error) = state.receive(&config(None), &refused, NOW_MS) else {
        panic!("a refusal is an error");
    };
    assert_eq!(error.name(), "NotAuthorizedException");
    assert!(
        error.message().contains("call signIn again"),
        "{}",
        error.message()
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn expired_codes_tell_the_person_to_sign_in_again() {
    let expired = HttpResponse {
        status: 400,
        error_type: None,
        body: json!({"__type": "ExpiredCodeException", "message": "Invalid code provided, please request a code again."}).to_string(),
    };
    let (state, _) = start_user_auth(input(Some("EMAIL_OTP"), ""));
    let Err(error) = state.receive(&config(None), &expired, NOW_MS) else {
        panic!("an expired code is an error");
    };
    assert_eq!(error.name(), "ExpiredCodeException");
    assert!(
        error.message().starts_with("Invalid code provided"),
        "{}",
        error.message()
    );
    assert!(
        error
            .message()
            .contains("call signIn again to get a new one"),
        "{}",
        error.message()
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn context_data_goes_with_the_calls_that_take_it() {
    let asked = Rc::new(RefCell::new(Vec::new()));
    let seen = Rc::clone(&asked);
    let config = config(None).with_context(
        Some("pinpoint-1".into()),
        Some(Rc::new(move |username: &str| {
            seen.borrow_mut().push(username.to_owned());
            Some(["encoded-for-", username].concat())
        })),
    );
    let (_, request) = match start(&config, input(None, ""), &a_bytes()).unwrap() {
        (SignInStart::UserAuth(state), request) => (state, request),
        _ => panic!("USER_AUTH"),
    };
    let sent = body(&request);
    assert_eq!(
        sent["AnalyticsMetadata"],
        json!({"AnalyticsEndpointId": "pinpoint-1"})
    );
    assert_eq!(
        sent["UserContextData"],
        json!({"EncodedData": "encoded-for-test"})
    );
    assert_eq!(*asked.borrow(), ["test"]);

    // Calls with an access token take neither.
    let plain = config.user_request(
        "GetUser",
        cognito_core::json::Json::Object(Vec::new()),
        "test",
    );
    assert_eq!(body(&plain), json!({}));
    // No EncodedData from the app: none is sent.
    let quiet = self::config(None).with_context(None, Some(Rc::new(|_: &str| None)));
    let (_, request) = start(&quiet, input(None, ""), &a_bytes()).unwrap();
    let sent = body(&request);
    assert!(sent.get("UserContextData").is_none() && sent.get("AnalyticsMetadata").is_none());
}

fn remembered_device() -> DeviceSecrets {
    DeviceSecrets {
        device_key: "eu-west-1_device".into(),
        device_group_key: "-group".into(),
        device_password: Zeroizing::new("device-secret".into()),
    }
}

fn with_device(preferred: Option<&str>, password: &str) -> SignInInput {
    SignInInput {
        device: Some(remembered_device()),
        ..input(preferred, password)
    }
}

/// The answer to the code step `step`, and the request it sends.
fn answer_code(step: PendingChallenge, code: &str) -> (AwaitingAuthResult, serde_json::Value) {
    let (awaiting, request) =
        responded(step.answer(&config(None), answer(code), &a_bytes())).unwrap();
    (awaiting, body(&request))
}

fn code_step(state: AwaitingFirstFactor, name: &str) -> PendingChallenge {
    let asked =
        ok(json!({"ChallengeName": name, "Session": "otp-session", "ChallengeParameters": {}}));
    match state.receive(&config(None), &asked, NOW_MS).unwrap() {
        FirstFactorOutcome::Done(SignInOutcome::Challenge(step)) => step,
        _ => panic!("{name} must be a step"),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_remembered_device_is_named_and_proves_itself_after_the_code() {
    // InitiateAuth names the device, whatever the first factor.
    for preferred in [
        None,
        Some("EMAIL_OTP"),
        Some("PASSWORD"),
        Some("PASSWORD_SRP"),
    ] {
        let (_, request) = start_user_auth(with_device(preferred, "pw"));
        let parameters = &body(&request)["AuthParameters"];
        assert_eq!(
            parameters["DEVICE_KEY"], "eu-west-1_device",
            "{preferred:?}"
        );
    }
    let (_, request) = start_user_auth(input(Some("EMAIL_OTP"), ""));
    assert!(body(&request)["AuthParameters"].get("DEVICE_KEY").is_none());

    // The code answer names it; DEVICE_SRP_AUTH that follows is answered
    // with the device's SRP_A.
    let (state, _) = start_user_auth(with_device(Some("EMAIL_OTP"), ""));
    let (awaiting, sent) = answer_code(code_step(state, "EMAIL_OTP"), "123456");
    assert_eq!(
        sent["ChallengeResponses"],
        json!({"USERNAME": "test", "EMAIL_OTP_CODE": "123456", "DEVICE_KEY": "eu-west-1_device"})
    );
    let asked = ok(
        json!({"ChallengeName": "DEVICE_SRP_AUTH", "Session": "device-session",
                          "ChallengeParameters": {"USERNAME": "test"}}),
    );
    let Ok(SignInOutcome::DeviceSrp(required)) = awaiting.receive(&asked) else {
        panic!("DEVICE_SRP_AUTH must be the device's step");
    };
    let (_, request) = required.answer(&config(None), &a_bytes()).unwrap();
    let sent = body(&request);
    assert_eq!(sent["ChallengeName"], "DEVICE_SRP_AUTH");
    assert_eq!(sent["Session"], "device-session");
    assert_eq!(sent["ChallengeResponses"]["DEVICE_KEY"], "eu-west-1_device");

    // SELECT_CHALLENGE: the choice of a code and the password answer name it.
    let pending = selection_of(with_device(None, ""));
    let password = next_step(
        pending
            .clone()
            .answer(&config(None), answer("PASSWORD"), &a_bytes()),
    );
    let (_, sent) = answer_code(pending, "SMS_OTP");
    assert_eq!(sent["ChallengeResponses"]["ANSWER"], "SMS_OTP");
    assert_eq!(sent["ChallengeResponses"]["DEVICE_KEY"], "eu-west-1_device");
    let (_, sent) = answer_code(password, "pw");
    assert_eq!(
        sent["ChallengeResponses"],
        json!({"USERNAME": "test", "ANSWER": "PASSWORD", "PASSWORD": "pw", "DEVICE_KEY": "eu-west-1_device"})
    );

    // PASSWORD_SRP, preferred or chosen: the password claim names it.
    let (state, _) = start_user_auth(with_device(Some("PASSWORD_SRP"), "test"));
    let chosen_srp = next_step(selection_of(with_device(None, "")).answer(
        &config(None),
        answer("PASSWORD_SRP"),
        &a_bytes(),
    ));
    let (chosen, _) =
        proving_with_srp(chosen_srp.answer(&config(None), answer("test"), &a_bytes()));
    for state in [state, *chosen] {
        let FirstFactorOutcome::Verifying(_, request) = state
            .receive(&config(None), &password_verifier(), NOW_MS)
            .unwrap()
        else {
            panic!("PASSWORD_VERIFIER must be answered");
        };
        let responses = &body(&request)["ChallengeResponses"];
        assert_eq!(responses["PASSWORD_CLAIM_SIGNATURE"], VECTOR_SIGNATURE);
        assert_eq!(responses["DEVICE_KEY"], "eu-west-1_device");
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_stale_device_is_dropped_from_the_retry_of_a_first_factor() {
    // InitiateAuth without the device, once.
    let (mut state, _) = start_user_auth(with_device(Some("EMAIL_OTP"), ""));
    let (_, retry) = state
        .take_device_retry()
        .expect("a retry without the device");
    assert_eq!(
        body(&retry)["AuthParameters"],
        json!({"USERNAME": "test", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
    );
    assert!(state.take_device_retry().is_none(), "only once");
    // With SRP the device is checked with the password claim instead.
    let (mut state, _) = start_user_auth(with_device(Some("PASSWORD_SRP"), "pw"));
    assert!(state.take_device_retry().is_none());
    // The code answer without the device; the retry names none.
    let (state, _) = start_user_auth(with_device(Some("SMS_OTP"), ""));
    let (mut awaiting, _) = answer_code(code_step(state, "SMS_OTP"), "654321");
    let (mut retried, request) = awaiting.take_device_retry().unwrap();
    assert_eq!(
        body(&request)["ChallengeResponses"],
        json!({"USERNAME": "test", "SMS_OTP_CODE": "654321"})
    );
    assert!(retried.take_device_retry().is_none());
}
