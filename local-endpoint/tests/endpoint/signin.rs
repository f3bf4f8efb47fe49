//! USER_SRP_AUTH and USER_PASSWORD_AUTH: passwords, unknown users, aliases,
//! UUID usernames and user states.

use serde_json::Value;

use crate::harness::*;

#[test]
fn right_password_gives_tokens_that_verify_against_the_jwks() {
    let mut h = Harness::new();
    let result = tokens(h.srp_sign_in(POOL, "enabled", "alice", ALICE_PASSWORD));
    assert_eq!(result["TokenType"], "Bearer");
    assert_eq!(result["ExpiresIn"], 3600);
    assert!(result["RefreshToken"].as_str().unwrap().len() > 100);
    let id = h.verified_claims(POOL, result["IdToken"].as_str().unwrap());
    let access = h.verified_claims(POOL, result["AccessToken"].as_str().unwrap());
    let issuer = format!("{BASE_URL}/{POOL}");
    assert_eq!(id["iss"], issuer.as_str());
    assert_eq!(id["aud"], "enabled");
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["cognito:username"], "alice");
    assert_eq!(id["email"], "alice@example.com");
    assert_eq!(id["email_verified"], Value::Bool(true));
    assert_eq!(id["name"], "Alice");
    assert_eq!(id["exp"].as_u64().unwrap(), START + 3600);
    assert_eq!(
        (id["iat"].as_u64(), id["auth_time"].as_u64()),
        (Some(START), Some(START))
    );
    assert_eq!(access["iss"], issuer.as_str());
    assert_eq!(access["client_id"], "enabled");
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["scope"], "aws.cognito.signin.user.admin");
    assert_eq!(access["username"], "alice");
    assert_eq!(access["sub"], id["sub"]);
    assert_eq!(access["origin_jti"], id["origin_jti"]);
    assert_ne!(access["jti"], id["jti"]);
    assert_eq!(access["event_id"], id["event_id"]);
}

#[test]
fn wrong_password_is_not_authorized() {
    let mut h = Harness::new();
    refused(
        h.srp_sign_in(POOL, "enabled", "alice", "Alice-Passw0rd?"),
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
    refused(
        h.password_sign_in("enabled", "alice", "nope"),
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
    tokens(h.password_sign_in("enabled", "alice", ALICE_PASSWORD));
}

#[test]
fn unknown_user_with_prevent_user_existence_errors_gets_a_decoy_challenge() {
    let mut h = Harness::new();
    let (srp, challenge) = h
        .start_srp("enabled", "nobody")
        .expect("a challenge all the same");
    let params = &challenge["ChallengeParameters"];
    assert_eq!(params["USER_ID_FOR_SRP"], "nobody");
    assert_eq!(params["USERNAME"], "nobody");
    let (_, again) = h.start_srp("enabled", "nobody").unwrap();
    assert_eq!(
        again["ChallengeParameters"]["SALT"], params["SALT"],
        "the made-up salt repeats"
    );
    let responses = h.claim(srp, POOL, "enabled", &challenge, "whatever");
    refused(
        h.respond(
            "enabled",
            "PASSWORD_VERIFIER",
            Some(&challenge["Session"]),
            responses,
        ),
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
    refused(
        h.password_sign_in("enabled", "nobody", "whatever"),
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
}

#[test]
fn unknown_user_with_a_legacy_client_is_user_not_found() {
    let mut h = Harness::new();
    refused(
        h.start_srp("legacy", "nobody").map(|(_, a)| a),
        "UserNotFoundException",
        "User does not exist.",
    );
    refused(
        h.password_sign_in("legacy", "nobody", "x"),
        "UserNotFoundException",
        "User does not exist.",
    );
    tokens(h.srp_sign_in(POOL, "legacy", "alice", ALICE_PASSWORD));
}

#[test]
fn verified_email_and_preferred_username_are_aliases() {
    let mut h = Harness::new();
    for login in ["alice@example.com", "ALICE@example.com", "ally", "Alice"] {
        let (_, challenge) = h.start_srp("enabled", login).unwrap();
        assert_eq!(
            challenge["ChallengeParameters"]["USER_ID_FOR_SRP"], "alice",
            "{login}"
        );
        assert_eq!(
            challenge["ChallengeParameters"]["USERNAME"], "alice",
            "{login}"
        );
    }
    let result = tokens(h.srp_sign_in(POOL, "enabled", "alice@example.com", ALICE_PASSWORD));
    let id = h.verified_claims(POOL, result["IdToken"].as_str().unwrap());
    assert_eq!(id["cognito:username"], "alice");
    tokens(h.password_sign_in("enabled", "ally", ALICE_PASSWORD));
}

#[test]
fn an_unverified_email_is_no_alias() {
    let mut h = Harness::new();
    let (_, challenge) = h.start_srp("enabled", "bob@example.com").unwrap();
    assert_eq!(
        challenge["ChallengeParameters"]["USER_ID_FOR_SRP"],
        "bob@example.com"
    );
    refused(
        h.password_sign_in("legacy", "bob@example.com", "Bob-Passw0rd!"),
        "UserNotFoundException",
        "",
    );
    tokens(h.password_sign_in("enabled", "bob", "Bob-Passw0rd!"));
}

#[test]
fn a_uuid_username_pool_signs_with_the_uuid() {
    let mut h = Harness::new();
    let (srp, challenge) = h.start_srp("uuidclient", "erin@example.com").unwrap();
    let user_id = challenge["ChallengeParameters"]["USER_ID_FOR_SRP"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(user_id.len(), 36, "a UUID: {user_id}");
    assert_eq!(
        challenge["ChallengeParameters"]["USERNAME"],
        user_id.as_str()
    );
    let typed = h.claim_as(
        srp,
        UUID_POOL,
        "uuidclient",
        &challenge,
        "Erin-Passw0rd!",
        "erin@example.com",
    );
    refused(
        h.respond(
            "uuidclient",
            "PASSWORD_VERIFIER",
            Some(&challenge["Session"]),
            typed,
        ),
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
    let result = tokens(h.srp_sign_in(
        UUID_POOL,
        "uuidclient",
        "erin@example.com",
        "Erin-Passw0rd!",
    ));
    let id = h.verified_claims(UUID_POOL, result["IdToken"].as_str().unwrap());
    assert_eq!(id["cognito:username"], user_id.as_str());
    assert_eq!(id["sub"], user_id.as_str());
    assert_eq!(id["email"], "erin@example.com");
}

#[test]
fn unconfirmed_and_disabled_users_are_refused_after_the_password() {
    let mut h = Harness::new();
    refused(
        h.srp_sign_in(POOL, "enabled", "carl", "Carl-Passw0rd!"),
        "UserNotConfirmedException",
        "User is not confirmed.",
    );
    refused(
        h.srp_sign_in(POOL, "enabled", "carl", "wrong"),
        "NotAuthorizedException",
        "Incorrect",
    );
    refused(
        h.password_sign_in("enabled", "dave", "Dave-Passw0rd!"),
        "NotAuthorizedException",
        "User is disabled.",
    );
    refused(
        h.srp_sign_in(POOL, "enabled", "dave", "Dave-Passw0rd!"),
        "NotAuthorizedException",
        "User is disabled.",
    );
}
