//! USER_AUTH (choice-based sign-in), the lifetime of sign-in codes and
//! Sessions, MFA after NEW_PASSWORD_REQUIRED, and the request log.

use cognito_srp::srp::SrpClient;
use serde_json::{json, Value};

use crate::harness::*;

const POOL_ID: &str = "us-east-1_ChoicePool";

/// Codes last 60 s and Sessions 120 s, so that each can run out alone.
const SEED: &str = r#"{
  "userPools": [{
    "id": "us-east-1_ChoicePool",
    "signInPolicy": {"allowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]},
    "signInCodeValiditySeconds": 60,
    "clients": [
      {"clientId": "choice", "explicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_USER_SRP_AUTH"],
       "authSessionValiditySeconds": 120},
      {"clientId": "nochoice", "explicitAuthFlows": ["ALLOW_USER_SRP_AUTH"]}
    ],
    "users": [
      {"username": "pat", "password": "Pat-Passw0rd!", "status": "CONFIRMED",
       "attributes": {"email": "pat@example.com", "email_verified": "true", "phone_number": "+15555550111"}},
      {"username": "quinn", "password": "Quinn-Passw0rd!", "status": "CONFIRMED",
       "attributes": {"email": "quinn@example.com"}, "mfa": {"sms": false, "email": true}},
      {"username": "ren", "password": "Temp-Passw0rd!", "status": "FORCE_CHANGE_PASSWORD",
       "attributes": {"email": "ren@example.com"}, "mfa": {"email": true}}
    ]
  }]
}"#;

fn initiate(h: &mut Harness, params: Value) -> Result<Value, Refusal> {
    h.call(
        "InitiateAuth",
        json!({ "AuthFlow": "USER_AUTH", "ClientId": "choice", "AuthParameters": params }),
    )
}

#[test]
fn without_a_preference_the_user_chooses_among_the_factors_they_have() {
    let mut h = Harness::with_seed(SEED);
    let select = initiate(&mut h, json!({ "USERNAME": "pat" })).unwrap();
    assert_eq!(select["ChallengeName"], "SELECT_CHALLENGE");
    assert_eq!(
        select["AvailableChallenges"],
        json!(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"])
    );
    // quinn has no phone number: no SMS_OTP.
    let quinn = initiate(&mut h, json!({ "USERNAME": "quinn" })).unwrap();
    assert_eq!(
        quinn["AvailableChallenges"],
        json!(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"])
    );
    // A preference the user lacks also asks for a choice.
    let unavailable = initiate(
        &mut h,
        json!({ "USERNAME": "quinn", "PREFERRED_CHALLENGE": "SMS_OTP" }),
    )
    .unwrap();
    assert_eq!(unavailable["ChallengeName"], "SELECT_CHALLENGE");

    let answer = json!({ "USERNAME": "pat", "ANSWER": "PASSWORD", "PASSWORD": "Pat-Passw0rd!" });
    let done = h.respond(
        "choice",
        "SELECT_CHALLENGE",
        Some(&select["Session"]),
        answer.clone(),
    );
    tokens(done);
    refused(
        h.respond(
            "choice",
            "SELECT_CHALLENGE",
            Some(&select["Session"]),
            answer,
        ),
        "NotAuthorizedException",
        "session is expired",
    );
    refused(
        h.call(
            "InitiateAuth",
            json!({ "AuthFlow": "USER_AUTH", "ClientId": "nochoice", "AuthParameters": {"USERNAME": "pat"} }),
        ),
        "InvalidParameterException",
        "USER_AUTH flow not enabled",
    );
}

#[test]
fn password_srp_as_first_factor_and_email_mfa_after_it() {
    let mut h = Harness::with_seed(SEED);
    let select = initiate(&mut h, json!({ "USERNAME": "quinn" })).unwrap();
    let srp = SrpClient::new(&[0x5a; 128]).expect("a");
    let verifier = h
        .respond(
            "choice",
            "SELECT_CHALLENGE",
            Some(&select["Session"]),
            json!({ "USERNAME": "quinn", "ANSWER": "PASSWORD_SRP", "SRP_A": srp.public_a_hex() }),
        )
        .unwrap();
    assert_eq!(verifier["ChallengeName"], "PASSWORD_VERIFIER");
    let claim = h.claim(srp, POOL_ID, "choice", &verifier, "Quinn-Passw0rd!");
    let mfa = h
        .respond(
            "choice",
            "PASSWORD_VERIFIER",
            Some(&verifier["Session"]),
            claim,
        )
        .unwrap();
    assert_eq!(mfa["ChallengeName"], "EMAIL_OTP");
    let sent = h.inbox_code(POOL_ID, "quinn", "EMAIL_OTP");
    tokens(h.respond(
        "choice",
        "EMAIL_OTP",
        Some(&mfa["Session"]),
        json!({ "USERNAME": "quinn", "EMAIL_OTP_CODE": sent }),
    ));
}

#[test]
fn passwordless_codes_sign_in_and_expire() {
    let mut h = Harness::with_seed(SEED);
    let sms = initiate(
        &mut h,
        json!({ "USERNAME": "pat", "PREFERRED_CHALLENGE": "SMS_OTP" }),
    )
    .unwrap();
    assert_eq!(sms["ChallengeName"], "SMS_OTP");
    assert_eq!(
        sms["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"],
        "+*******0111"
    );
    let sent = h.inbox_code(POOL_ID, "pat", "SMS_OTP");
    tokens(h.respond(
        "choice",
        "SMS_OTP",
        Some(&sms["Session"]),
        json!({ "USERNAME": "pat", "SMS_OTP_CODE": sent }),
    ));

    // Chosen from SELECT_CHALLENGE; the code is too old after 60 s.
    let select = initiate(&mut h, json!({ "USERNAME": "pat" })).unwrap();
    let email = h
        .respond(
            "choice",
            "SELECT_CHALLENGE",
            Some(&select["Session"]),
            json!({ "USERNAME": "pat", "ANSWER": "EMAIL_OTP" }),
        )
        .unwrap();
    assert_eq!(email["ChallengeName"], "EMAIL_OTP");
    let sent = h.inbox_code(POOL_ID, "pat", "EMAIL_OTP");
    h.advance(60);
    let answer = json!({ "USERNAME": "pat", "EMAIL_OTP_CODE": sent });
    refused(
        h.respond(
            "choice",
            "EMAIL_OTP",
            Some(&email["Session"]),
            answer.clone(),
        ),
        "ExpiredCodeException",
        "request a code again",
    );
    refused(
        h.respond("choice", "EMAIL_OTP", Some(&email["Session"]), answer),
        "NotAuthorizedException",
        "session is expired",
    );
}

#[test]
fn a_sign_in_session_lasts_the_clients_auth_session_validity() {
    let mut h = Harness::with_seed(SEED);
    let select = initiate(&mut h, json!({ "USERNAME": "pat" })).unwrap();
    h.advance(119);
    let still = h.respond(
        "choice",
        "SELECT_CHALLENGE",
        Some(&select["Session"]),
        json!({ "USERNAME": "pat", "ANSWER": "EMAIL_OTP" }),
    );
    assert_eq!(still.unwrap()["ChallengeName"], "EMAIL_OTP");
    let select = initiate(&mut h, json!({ "USERNAME": "pat" })).unwrap();
    h.advance(120);
    refused(
        h.respond(
            "choice",
            "SELECT_CHALLENGE",
            Some(&select["Session"]),
            json!({ "USERNAME": "pat", "ANSWER": "EMAIL_OTP" }),
        ),
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
    );
}

#[test]
fn mfa_follows_a_new_password() {
    let mut h = Harness::with_seed(SEED);
    let (srp, verifier) = h.start_srp("nochoice", "ren").unwrap();
    let claim = h.claim(srp, POOL_ID, "nochoice", &verifier, "Temp-Passw0rd!");
    let new_password = h
        .respond(
            "nochoice",
            "PASSWORD_VERIFIER",
            Some(&verifier["Session"]),
            claim,
        )
        .unwrap();
    assert_eq!(new_password["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    let mfa = h
        .respond(
            "nochoice",
            "NEW_PASSWORD_REQUIRED",
            Some(&new_password["Session"]),
            json!({ "USERNAME": "ren", "NEW_PASSWORD": "Fresh-Passw0rd!" }),
        )
        .unwrap();
    assert_eq!(mfa["ChallengeName"], "EMAIL_OTP");
    let sent = h.inbox_code(POOL_ID, "ren", "EMAIL_OTP");
    tokens(h.respond(
        "nochoice",
        "EMAIL_OTP",
        Some(&mfa["Session"]),
        json!({ "USERNAME": "ren", "EMAIL_OTP_CODE": sent }),
    ));
}

#[test]
fn the_request_log_shows_what_each_call_carried() {
    let mut h = Harness::with_seed(SEED);
    let context = json!({
        "ClientMetadata": {"app": "tests"},
        "UserContextData": {"EncodedData": "fingerprint"},
        "AnalyticsMetadata": {"AnalyticsEndpointId": "pinpoint"},
    });
    let mut body = json!({ "AuthFlow": "USER_AUTH", "ClientId": "choice", "AuthParameters": {"USERNAME": "pat"} });
    body.as_object_mut()
        .unwrap()
        .extend(context.as_object().unwrap().clone());
    h.call("InitiateAuth", body).unwrap();
    initiate(
        &mut h,
        json!({ "USERNAME": "pat", "PASSWORD": "never logged" }),
    )
    .unwrap();
    let response = h.request("GET", "/requests", &[], b"");
    let log: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(
        log["requests"],
        json!([
            {"operation": "InitiateAuth", "clientId": "choice", "clientMetadata": {"app": "tests"},
             "userContextData": {"EncodedData": "fingerprint"},
             "analyticsMetadata": {"AnalyticsEndpointId": "pinpoint"}},
            {"operation": "InitiateAuth", "clientId": "choice", "clientMetadata": null,
             "userContextData": null, "analyticsMetadata": null}
        ])
    );
}
