//! The passkey first factor (WEB_AUTHN), the MFA setup steps Amplify v6
//! names (CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION, _EMAIL_SETUP), the
//! refusals it turns into steps, and the ConfirmSignUp Session that signs a
//! new user in, driven against canned service answers (the wire of the
//! service's API reference and Amplify v6's `handleWebAuthnSignInResult`,
//! `handleMFASetupChallenge`, `getSignInResultFromError`).

#![allow(clippy::disallowed_macros, clippy::disallowed_methods)]

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;

use cognito_core::device::DeviceSecrets;
use cognito_core::protocol::HttpResponse;
use cognito_core::sign_in::*;
use cognito_core::Error;
use common::{a_bytes, answer, body, config, next_step, ok, responded, NOW_MS};
use serde_json::json;
use zeroize::Zeroizing;

fn input(flow: &str, preferred: Option<&str>) -> SignInInput {
    SignInInput {
        username: "pat".into(),
        password: Zeroizing::new("Pat-Passw0rd!".into()),
        auth_flow: AuthFlow::parse(Some(flow)).unwrap(),
        preferred_challenge: preferred.map(str::to_owned),
        session: None,
        client_metadata: None,
        device: None,
    }
}

fn device() -> DeviceSecrets {
    DeviceSecrets {
        device_key: "eu-west-1_device".into(),
        device_group_key: "-group".into(),
        device_password: Zeroizing::new("device-secret".into()),
    }
}

/// CREDENTIAL_REQUEST_OPTIONS as the service writes it (endpoint README).
const REQUEST_OPTIONS: &str = r#"{"hints":[],"attestation":"none","attestationFormats":[],"challenge":"q83vEjRWeJA","timeout":180000,"rpId":"localhost","allowCredentials":[{"id":"Y3JlZA","type":"public-key"}],"userVerification":"required"}"#;

/// The AuthenticationResponseJSON text a ceremony gives.
const CREDENTIAL: &str = r#"{"id":"Y3JlZA","rawId":"Y3JlZA","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AA","signature":"AA"},"clientExtensionResults":{}}"#;

fn web_authn_challenge(parameters: serde_json::Value) -> HttpResponse {
    ok(
        json!({"ChallengeName": "WEB_AUTHN", "Session": "passkey-session", "ChallengeParameters": parameters}),
    )
}

/// The first answer of a USER_AUTH sign-in of `input`.
fn first_answer(input: SignInInput, answer: &HttpResponse) -> cognito_core::Result<SignInOutcome> {
    let (SignInStart::UserAuth(state), _) = start(&config(None), input, &a_bytes()).unwrap() else {
        panic!("USER_AUTH starts the first-factor state");
    };
    match state.receive(&config(None), answer, NOW_MS)? {
        FirstFactorOutcome::Done(outcome) => Ok(outcome),
        FirstFactorOutcome::Verifying(..) => panic!("no password is proven here"),
    }
}

fn passkey(outcome: SignInOutcome) -> Box<PasskeyChallenge> {
    match outcome {
        SignInOutcome::Passkey(passkey) => passkey,
        _ => panic!("WEB_AUTHN is the passkey ceremony"),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_preferred_passkey_hands_the_ceremony_its_options_and_answers_with_the_credential() {
    let with_device = || SignInInput {
        device: Some(device()),
        ..input("USER_AUTH", Some("WEB_AUTHN"))
    };
    let (SignInStart::UserAuth(_), request) =
        start(&config(None), with_device(), &a_bytes()).unwrap()
    else {
        panic!("USER_AUTH");
    };
    // The remembered device is named with the request that asks for the passkey.
    assert_eq!(
        body(&request)["AuthParameters"],
        json!({"USERNAME": "pat", "PREFERRED_CHALLENGE": "WEB_AUTHN", "DEVICE_KEY": "eu-west-1_device"})
    );
    let challenge = web_authn_challenge(json!({"CREDENTIAL_REQUEST_OPTIONS": REQUEST_OPTIONS}));
    let passkey = passkey(first_answer(with_device(), &challenge).unwrap());
    assert_eq!(passkey.request_options(), REQUEST_OPTIONS);

    let (awaiting, request) = passkey.answer(&config(None), CREDENTIAL).unwrap();
    assert!(request
        .target()
        .unwrap()
        .ends_with(".RespondToAuthChallenge"));
    // CREDENTIAL is the credential's JSON as a string; no DEVICE_KEY (as Amplify).
    assert_eq!(
        body(&request),
        json!({"ChallengeName": "WEB_AUTHN", "ClientId": "123abd", "Session": "passkey-session",
               "ChallengeResponses": {"USERNAME": "pat", "CREDENTIAL": CREDENTIAL}})
    );
    // The device proves itself after the passkey, as after other first factors.
    let device_step = ok(
        json!({"ChallengeName": "DEVICE_SRP_AUTH", "Session": "device-session", "ChallengeParameters": {}}),
    );
    assert!(matches!(
        awaiting.receive(&device_step),
        Ok(SignInOutcome::DeviceSrp(_))
    ));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_passkey_chosen_at_select_challenge_leads_to_the_ceremony() {
    let selection = ok(json!({
        "ChallengeName": "SELECT_CHALLENGE", "Session": "select-session", "ChallengeParameters": {},
        "AvailableChallenges": ["PASSWORD", "WEB_AUTHN"]
    }));
    let SignInOutcome::Challenge(pending) =
        first_answer(input("USER_AUTH", None), &selection).unwrap()
    else {
        panic!("SELECT_CHALLENGE is a step");
    };
    let (awaiting, request) =
        responded(pending.answer(&config(None), answer("WEB_AUTHN"), &a_bytes())).unwrap();
    assert_eq!(
        body(&request)["ChallengeResponses"],
        json!({"USERNAME": "pat", "ANSWER": "WEB_AUTHN"})
    );
    let challenge = web_authn_challenge(
        json!({"CREDENTIAL_REQUEST_OPTIONS": REQUEST_OPTIONS, "USERNAME": "pat-id"}),
    );
    let passkey = passkey(awaiting.receive(&challenge).unwrap());
    let (_, request) = passkey.answer(&config(None), CREDENTIAL).unwrap();
    // The challenge's USERNAME answers it.
    assert_eq!(body(&request)["ChallengeResponses"]["USERNAME"], "pat-id");
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn passkey_options_and_credentials_that_are_not_json_objects_are_refused() {
    for options in [
        json!({}),
        json!({"CREDENTIAL_REQUEST_OPTIONS": "not json"}),
        json!({"CREDENTIAL_REQUEST_OPTIONS": "[1]"}),
    ] {
        let Err(error) = first_answer(
            input("USER_AUTH", Some("WEB_AUTHN")),
            &web_authn_challenge(options.clone()),
        ) else {
            panic!("{options} must be refused");
        };
        assert!(matches!(error, Error::InvalidServerResponse(_)), "{error}");
        assert!(error.message().contains("CREDENTIAL_REQUEST_OPTIONS"));
    }
    let no_session = ok(
        json!({"ChallengeName": "WEB_AUTHN", "ChallengeParameters": {"CREDENTIAL_REQUEST_OPTIONS": REQUEST_OPTIONS}}),
    );
    let Err(error) = first_answer(input("USER_AUTH", Some("WEB_AUTHN")), &no_session) else {
        panic!("a WEB_AUTHN challenge without a Session must be refused");
    };
    assert!(matches!(error, Error::InvalidServerResponse(_)));

    let challenge = web_authn_challenge(json!({"CREDENTIAL_REQUEST_OPTIONS": REQUEST_OPTIONS}));
    let passkey = passkey(first_answer(input("USER_AUTH", Some("WEB_AUTHN")), &challenge).unwrap());
    assert!(matches!(
        passkey.answer(&config(None), ""),
        Err(Error::Validation(_))
    ));
}

/// MFA_SETUP after a password sign-in, offering `can_setup`.
fn mfa_setup(can_setup: Option<&str>) -> PendingChallenge {
    let (SignInStart::Password(state), _) =
        start(&config(None), input("USER_PASSWORD_AUTH", None), &a_bytes()).unwrap()
    else {
        panic!("USER_PASSWORD_AUTH");
    };
    let mut parameters = json!({});
    if let Some(list) = can_setup {
        parameters["MFAS_CAN_SETUP"] = json!(list);
    }
    let setup = ok(
        json!({"ChallengeName": "MFA_SETUP", "Session": "setup-session", "ChallengeParameters": parameters}),
    );
    match state.receive(&setup).unwrap() {
        SignInOutcome::Challenge(pending) => pending,
        _ => panic!("MFA_SETUP is a step"),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn mfa_setup_offers_what_mfas_can_setup_lists() {
    // Both: the user chooses, with no request.
    let both = mfa_setup(Some(r#"["SMS_MFA","SOFTWARE_TOKEN_MFA","EMAIL_OTP"]"#));
    assert_eq!(
        both.next_step(),
        NextStep::ContinueWithMfaSetupSelection {
            allowed_mfa_types: vec!["TOTP".into(), "EMAIL".into()]
        }
    );
    assert!(both.associate_request(&config(None)).is_none());
    let sms = both.check(&answer("SMS")).unwrap_err();
    assert!(matches!(sms, Error::Validation(_)) && sms.message().contains("'TOTP' or 'EMAIL'"));
    let totp = next_step(
        both.clone()
            .answer(&config(None), answer("TOTP"), &a_bytes()),
    );
    assert!(
        totp.associate_request(&config(None)).is_some(),
        "TOTP: AssociateSoftwareToken first"
    );
    let email = next_step(both.answer(&config(None), answer("EMAIL"), &a_bytes()));
    assert_eq!(email.next_step(), NextStep::ContinueWithEmailSetup);

    // An address the service refuses leaves the step; a wrong code does too; other refusals do not.
    let refused = |name: &str| Error::service(name.into(), "m".into());
    assert!(email.stays_after(&refused("InvalidParameterException")));
    assert!(email.stays_after(&refused("CodeMismatchException")));
    assert!(!email.stays_after(&refused("NotAuthorizedException")));
    assert!(!mfa_setup(None).stays_after(&refused("InvalidParameterException")));
    // The address: MFA_SETUP {USERNAME, EMAIL}, then the code step.
    assert!(matches!(
        email.check(&answer(" ")),
        Err(Error::Validation(_))
    ));
    let (awaiting, request) =
        responded(email.answer(&config(None), answer("pat@example.com"), &a_bytes())).unwrap();
    assert_eq!(
        body(&request),
        json!({"ChallengeName": "MFA_SETUP", "ClientId": "123abd", "Session": "setup-session",
               "ChallengeResponses": {"USERNAME": "pat", "EMAIL": "pat@example.com"}})
    );
    let code = ok(
        json!({"ChallengeName": "EMAIL_OTP", "Session": "otp-session", "ChallengeParameters": {
        "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "p***@e***.com"}}),
    );
    let SignInOutcome::Challenge(code_step) = awaiting.receive(&code).unwrap() else {
        panic!("EMAIL_OTP is a step");
    };
    assert_eq!(
        code_step.next_step(),
        NextStep::ConfirmWithEmailCode(CodeDelivery {
            delivery_medium: Some("EMAIL".into()),
            destination: Some("p***@e***.com".into())
        })
    );

    // Email alone: straight to the address; an authenticator app alone (or
    // no list): the TOTP setup, as before.
    assert_eq!(
        mfa_setup(Some(r#"["EMAIL_OTP"]"#)).next_step(),
        NextStep::ContinueWithEmailSetup
    );
    for can_setup in [Some(r#"["SMS_MFA","SOFTWARE_TOKEN_MFA"]"#), None] {
        let totp = mfa_setup(can_setup);
        assert!(matches!(
            totp.next_step(),
            NextStep::ContinueWithTotpSetup { .. }
        ));
        assert!(totp.associate_request(&config(None)).is_some());
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn refusals_amplify_turns_into_steps() {
    let refusal = |name: &str| Error::service(name.into(), "m".into());
    assert_eq!(
        NextStep::of_refusal(&refusal("UserNotConfirmedException")),
        Some(NextStep::ConfirmSignUp)
    );
    assert_eq!(
        NextStep::of_refusal(&refusal("PasswordResetRequiredException")),
        Some(NextStep::ResetPassword)
    );
    assert_eq!(
        NextStep::of_refusal(&refusal("NotAuthorizedException")),
        None
    );
    assert_eq!(NextStep::of_refusal(&Error::Validation("v".into())), None);
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn the_session_of_a_confirmed_sign_up_goes_with_initiate_auth() {
    let input = SignInInput {
        session: Some("confirm-session".into()),
        ..input("USER_AUTH", None)
    };
    let (_, request) = start(&config(None), input, &a_bytes()).unwrap();
    assert_eq!(
        body(&request),
        json!({"AuthFlow": "USER_AUTH", "ClientId": "123abd", "AuthParameters": {"USERNAME": "pat"},
               "Session": "confirm-session"})
    );
}
