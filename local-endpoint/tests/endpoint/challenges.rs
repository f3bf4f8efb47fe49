//! PASSWORD_VERIFIER state (single use, expiry, TIMESTAMP form, SRP_A) and
//! NEW_PASSWORD_REQUIRED.

use cognito_srp::group::modulus;
use serde_json::{json, Value};

use crate::harness::*;

#[test]
fn a_secret_block_answers_once() {
    let mut h = Harness::new();
    let (srp, challenge) = h.start_srp("enabled", "alice").unwrap();
    let responses = h.claim(srp, POOL, "enabled", &challenge, ALICE_PASSWORD);
    tokens(h.respond("enabled", "PASSWORD_VERIFIER", None, responses.clone()));
    refused(
        h.respond("enabled", "PASSWORD_VERIFIER", None, responses),
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
    );
}

#[test]
fn a_wrong_answer_uses_up_the_challenge() {
    let mut h = Harness::new();
    let (srp, challenge) = h.start_srp("enabled", "alice").unwrap();
    let mut responses = h.claim(srp, POOL, "enabled", &challenge, ALICE_PASSWORD);
    let good = responses.clone();
    responses["PASSWORD_CLAIM_SIGNATURE"] = "AAAA".into();
    refused(
        h.respond("enabled", "PASSWORD_VERIFIER", None, responses),
        "NotAuthorizedException",
        "Incorrect",
    );
    refused(
        h.respond("enabled", "PASSWORD_VERIFIER", None, good),
        "NotAuthorizedException",
        "session is expired",
    );
}

#[test]
fn a_challenge_expires_after_five_minutes() {
    let mut h = Harness::new();
    let (srp, challenge) = h.start_srp("enabled", "alice").unwrap();
    h.advance(300);
    let responses = h.claim(srp, POOL, "enabled", &challenge, ALICE_PASSWORD);
    refused(
        h.respond("enabled", "PASSWORD_VERIFIER", None, responses),
        "NotAuthorizedException",
        "session is expired",
    );
    let (srp, challenge) = h.start_srp("enabled", "alice").unwrap();
    h.advance(299);
    let responses = h.claim(srp, POOL, "enabled", &challenge, ALICE_PASSWORD);
    tokens(h.respond("enabled", "PASSWORD_VERIFIER", None, responses));
}

#[test]
fn a_session_that_does_not_match_is_refused() {
    let mut h = Harness::new();
    let (srp, challenge) = h.start_srp("enabled", "alice").unwrap();
    let responses = h.claim(srp, POOL, "enabled", &challenge, ALICE_PASSWORD);
    refused(
        h.respond(
            "enabled",
            "PASSWORD_VERIFIER",
            Some(&json!("another-session")),
            responses,
        ),
        "NotAuthorizedException",
        "session is expired",
    );
}

#[test]
fn a_malformed_timestamp_is_refused() {
    let mut h = Harness::new();
    for bad in [
        "Tue Feb 01 03:04:05 UTC 2000",
        "2000-02-01T03:04:05Z",
        "Tue Feb 1 03:04:05 GMT 2000",
    ] {
        let (srp, challenge) = h.start_srp("enabled", "alice").unwrap();
        let mut responses = h.claim(srp, POOL, "enabled", &challenge, ALICE_PASSWORD);
        responses["TIMESTAMP"] = bad.into();
        refused(
            h.respond("enabled", "PASSWORD_VERIFIER", None, responses),
            "InvalidParameterException",
            "TIMESTAMP",
        );
    }
}

#[test]
fn srp_a_must_be_a_hex_number_not_a_multiple_of_n() {
    let mut h = Harness::new();
    for a in [
        "0".to_owned(),
        modulus().to_hex(),
        format!("1{}", "0".repeat(768)), // 2^3072: more than the group holds
        "xyz".to_owned(),
    ] {
        let params = json!({ "USERNAME": "alice", "SRP_A": a });
        refused(
            h.call("InitiateAuth", json!({ "AuthFlow": "USER_SRP_AUTH", "ClientId": "enabled", "AuthParameters": params })),
            "InvalidParameterException",
            "SRP_A",
        );
    }
}

/// Signs newbie in with the temporary password: the NEW_PASSWORD_REQUIRED answer.
fn newbie_challenge(h: &mut Harness) -> Value {
    let answer = h
        .srp_sign_in(POOL, "enabled", "newbie", "Temp-Passw0rd!")
        .unwrap();
    assert_eq!(answer["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    assert!(answer.get("AuthenticationResult").is_none());
    answer
}

#[test]
fn new_password_required_lists_attributes_and_sets_the_password() {
    let mut h = Harness::new();
    let challenge = newbie_challenge(&mut h);
    let params = &challenge["ChallengeParameters"];
    assert_eq!(params["USER_ID_FOR_SRP"], "newbie");
    let required: Value =
        serde_json::from_str(params["requiredAttributes"].as_str().unwrap()).unwrap();
    assert_eq!(required, json!(["userAttributes.name"]));
    let attributes: Value =
        serde_json::from_str(params["userAttributes"].as_str().unwrap()).unwrap();
    assert_eq!(attributes, json!({ "email": "newbie@example.com" }));
    let responses = json!({ "USERNAME": "newbie", "NEW_PASSWORD": "Fresh-Passw0rd!", "userAttributes.name": "New Bie" });
    let result = tokens(h.respond(
        "enabled",
        "NEW_PASSWORD_REQUIRED",
        Some(&challenge["Session"]),
        responses.clone(),
    ));
    let id = h.verified_claims(POOL, result["IdToken"].as_str().unwrap());
    assert_eq!(id["name"], "New Bie");
    refused(
        h.respond(
            "enabled",
            "NEW_PASSWORD_REQUIRED",
            Some(&challenge["Session"]),
            responses,
        ),
        "NotAuthorizedException",
        "session is expired",
    );
    refused(
        h.srp_sign_in(POOL, "enabled", "newbie", "Temp-Passw0rd!"),
        "NotAuthorizedException",
        "Incorrect",
    );
    tokens(h.srp_sign_in(POOL, "enabled", "newbie", "Fresh-Passw0rd!"));
    tokens(h.password_sign_in("enabled", "newbie", "Fresh-Passw0rd!"));
}

#[test]
fn new_password_required_refuses_missing_attributes_and_weak_passwords() {
    let mut h = Harness::new();
    let challenge = newbie_challenge(&mut h);
    let session = Some(&challenge["Session"]);
    let no_name = json!({ "USERNAME": "newbie", "NEW_PASSWORD": "Fresh-Passw0rd!" });
    refused(
        h.respond("enabled", "NEW_PASSWORD_REQUIRED", session, no_name),
        "InvalidParameterException",
        "name",
    );
    for (weak, rule) in [
        ("Sh0rt!", "Password not long enough"),
        ("NO-LOWER-CASE-0", "Password must have lowercase characters"),
        ("no-upper-case-0", "Password must have uppercase characters"),
        ("No-Numbers-Here", "Password must have numeric characters"),
        ("NoSymbols0here", "Password must have symbol characters"),
    ] {
        let responses =
            json!({ "USERNAME": "newbie", "NEW_PASSWORD": weak, "userAttributes.name": "N" });
        refused(
            h.respond("enabled", "NEW_PASSWORD_REQUIRED", session, responses),
            "InvalidPasswordException",
            &format!("Password does not conform to policy: {rule}"),
        );
    }
    let good = json!({ "USERNAME": "newbie", "NEW_PASSWORD": "Fresh-Passw0rd!", "userAttributes.name": "N" });
    tokens(h.respond("enabled", "NEW_PASSWORD_REQUIRED", session, good));
}

#[test]
fn new_password_session_expires_after_three_minutes() {
    let mut h = Harness::new();
    let challenge = newbie_challenge(&mut h);
    h.advance(180);
    let responses = json!({ "USERNAME": "newbie", "NEW_PASSWORD": "Fresh-Passw0rd!", "userAttributes.name": "N" });
    refused(
        h.respond(
            "enabled",
            "NEW_PASSWORD_REQUIRED",
            Some(&challenge["Session"]),
            responses,
        ),
        "NotAuthorizedException",
        "session is expired",
    );
}

#[test]
fn new_password_required_also_follows_user_password_auth() {
    let mut h = Harness::new();
    let answer = h
        .password_sign_in("enabled", "newbie", "Temp-Passw0rd!")
        .unwrap();
    assert_eq!(answer["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    let responses = json!({ "USERNAME": "newbie", "NEW_PASSWORD": "Fresh-Passw0rd!", "userAttributes.name": "N" });
    tokens(h.respond(
        "enabled",
        "NEW_PASSWORD_REQUIRED",
        Some(&answer["Session"]),
        responses,
    ));
}
