//! App-client settings: secrets, allowed flows, unknown clients.

use cognito_srp::srp::compute_secret_hash;
use serde_json::json;

use crate::harness::*;

#[test]
fn a_client_with_a_secret_needs_the_right_secret_hash() {
    let mut h = Harness::new();
    tokens(h.srp_sign_in(POOL, "secret", "alice", ALICE_PASSWORD));
    tokens(h.srp_sign_in(POOL, "secret", "alice@example.com", ALICE_PASSWORD));
    tokens(h.password_sign_in("secret", "alice", ALICE_PASSWORD));
    let srp_a = "02";
    let missing = json!({ "USERNAME": "alice", "SRP_A": srp_a });
    refused(
        h.call(
            "InitiateAuth",
            json!({ "AuthFlow": "USER_SRP_AUTH", "ClientId": "secret", "AuthParameters": missing }),
        ),
        "NotAuthorizedException",
        "Client secret is configured for secret but secret was not received",
    );
    let wrong = compute_secret_hash("alice", "secret", "not-the-secret");
    let params = json!({ "USERNAME": "alice", "SRP_A": srp_a, "SECRET_HASH": wrong });
    refused(
        h.call(
            "InitiateAuth",
            json!({ "AuthFlow": "USER_SRP_AUTH", "ClientId": "secret", "AuthParameters": params }),
        ),
        "NotAuthorizedException",
        "Unable to verify secret hash for client secret",
    );
}

#[test]
fn the_answer_needs_a_secret_hash_over_the_challenge_username() {
    let mut h = Harness::new();
    let (srp, challenge) = h.start_srp("secret", "alice@example.com").unwrap();
    let mut responses = h.claim(srp, POOL, "secret", &challenge, ALICE_PASSWORD);
    responses["SECRET_HASH"] =
        compute_secret_hash("alice@example.com", "secret", CLIENT_SECRET).into();
    refused(
        h.respond("secret", "PASSWORD_VERIFIER", None, responses.clone()),
        "NotAuthorizedException",
        "Unable to verify secret hash",
    );
    responses.as_object_mut().unwrap().remove("SECRET_HASH");
    refused(
        h.respond("secret", "PASSWORD_VERIFIER", None, responses),
        "NotAuthorizedException",
        "secret was not received",
    );
}

#[test]
fn a_flow_the_client_does_not_allow_is_refused() {
    let mut h = Harness::new();
    refused(
        h.start_srp("passwordonly", "alice").map(|(_, a)| a),
        "InvalidParameterException",
        "USER_SRP_AUTH flow not enabled for this client",
    );
    refused(
        h.password_sign_in("defaults", "alice", ALICE_PASSWORD),
        "InvalidParameterException",
        "USER_PASSWORD_AUTH flow not enabled for this client",
    );
    let refresh_token =
        tokens(h.password_sign_in("passwordonly", "alice", ALICE_PASSWORD))["RefreshToken"].clone();
    refused(
        h.call(
            "InitiateAuth",
            json!({ "AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": "passwordonly", "AuthParameters": { "REFRESH_TOKEN": refresh_token } }),
        ),
        "InvalidParameterException",
        "REFRESH_TOKEN_AUTH flow not enabled for this client",
    );
    tokens(h.srp_sign_in(POOL, "defaults", "alice", ALICE_PASSWORD));
}

#[test]
fn unknown_clients_flows_and_members_are_refused() {
    let mut h = Harness::new();
    refused(
        h.call(
            "InitiateAuth",
            json!({ "AuthFlow": "USER_SRP_AUTH", "ClientId": "nosuch", "AuthParameters": {} }),
        ),
        "ResourceNotFoundException",
        "User pool client nosuch does not exist.",
    );
    refused(
        h.call(
            "InitiateAuth",
            json!({ "AuthFlow": "MAGIC", "ClientId": "enabled" }),
        ),
        "InvalidParameterException",
        "Value 'MAGIC' at 'authFlow'",
    );
    refused(
        h.call("InitiateAuth", json!({ "AuthFlow": "USER_SRP_AUTH" })),
        "InvalidParameterException",
        "Value null at 'clientId'",
    );
    refused(
        h.call("InitiateAuth", json!({ "AuthFlow": "USER_SRP_AUTH", "ClientId": "enabled", "AuthParameters": { "USERNAME": "alice" } })),
        "InvalidParameterException",
        "Missing required parameter SRP_A",
    );
}
