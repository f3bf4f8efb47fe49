//! Refresh, RevokeToken, GlobalSignOut and GetUser.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use cognito_local::jwt::Signer;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};

use crate::harness::*;

fn refresh(
    h: &mut Harness,
    client_id: &str,
    token: &Value,
    secret_hash_user: Option<&str>,
) -> Result<Value, Refusal> {
    let mut params = json!({ "REFRESH_TOKEN": token });
    if let Some(user) = secret_hash_user {
        add_secret_hash(&mut params, client_id, user);
    }
    h.call("InitiateAuth", json!({ "AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client_id, "AuthParameters": params }))
}

fn get_user(h: &mut Harness, access_token: &Value) -> Result<Value, Refusal> {
    h.call("GetUser", json!({ "AccessToken": access_token }))
}

#[test]
fn refresh_gives_new_tokens_under_the_same_grant() {
    let mut h = Harness::new();
    let first = tokens(h.srp_sign_in(POOL, "enabled", "alice", ALICE_PASSWORD));
    h.advance(100);
    let again = tokens(refresh(&mut h, "enabled", &first["RefreshToken"], None));
    assert!(again.get("RefreshToken").is_none());
    let old = h.verified_claims(POOL, first["AccessToken"].as_str().unwrap());
    let new = h.verified_claims(POOL, again["AccessToken"].as_str().unwrap());
    assert_eq!(new["origin_jti"], old["origin_jti"]);
    assert_eq!(new["auth_time"], old["auth_time"]);
    assert_eq!(new["iat"].as_u64(), Some(START + 100));
    refused(
        refresh(&mut h, "enabled", &json!("not-a-token"), None),
        "NotAuthorizedException",
        "Invalid Refresh Token",
    );
    refused(
        refresh(&mut h, "defaults", &first["RefreshToken"], None),
        "NotAuthorizedException",
        "Invalid Refresh Token",
    );
    let alias = json!({ "AuthFlow": "REFRESH_TOKEN", "ClientId": "enabled", "AuthParameters": { "REFRESH_TOKEN": first["RefreshToken"] } });
    tokens(h.call("InitiateAuth", alias));
}

#[test]
fn refresh_with_a_secret_hashes_the_username() {
    let mut h = Harness::new();
    let first = tokens(h.srp_sign_in(POOL, "secret", "alice@example.com", ALICE_PASSWORD));
    refused(
        refresh(&mut h, "secret", &first["RefreshToken"], None),
        "NotAuthorizedException",
        "secret was not received",
    );
    refused(
        refresh(
            &mut h,
            "secret",
            &first["RefreshToken"],
            Some("alice@example.com"),
        ),
        "NotAuthorizedException",
        "Unable to verify secret hash",
    );
    tokens(refresh(
        &mut h,
        "secret",
        &first["RefreshToken"],
        Some("alice"),
    ));
}

#[test]
fn refresh_tokens_expire() {
    let mut h = Harness::new();
    let first = tokens(h.srp_sign_in(POOL, "enabled", "alice", ALICE_PASSWORD));
    h.advance(30 * 86_400);
    refused(
        refresh(&mut h, "enabled", &first["RefreshToken"], None),
        "NotAuthorizedException",
        "Refresh Token has expired",
    );
}

#[test]
fn revoke_token_ends_the_grant() {
    let mut h = Harness::new();
    let first = tokens(h.srp_sign_in(POOL, "enabled", "alice", ALICE_PASSWORD));
    let other = tokens(h.srp_sign_in(POOL, "enabled", "alice", ALICE_PASSWORD));
    let revoke = json!({ "Token": first["RefreshToken"], "ClientId": "enabled" });
    assert_eq!(h.call("RevokeToken", revoke).unwrap(), json!({}));
    refused(
        refresh(&mut h, "enabled", &first["RefreshToken"], None),
        "NotAuthorizedException",
        "Refresh Token has been revoked",
    );
    refused(
        get_user(&mut h, &first["AccessToken"]),
        "NotAuthorizedException",
        "Access Token has been revoked",
    );
    get_user(&mut h, &other["AccessToken"]).expect("another sign-in is untouched");
    tokens(refresh(&mut h, "enabled", &other["RefreshToken"], None));
}

#[test]
fn revoke_token_checks_the_client_secret() {
    let mut h = Harness::new();
    let first = tokens(h.srp_sign_in(POOL, "secret", "alice", ALICE_PASSWORD));
    for secret in [None, Some("wrong")] {
        let mut revoke = json!({ "Token": first["RefreshToken"], "ClientId": "secret" });
        if let Some(secret) = secret {
            revoke["ClientSecret"] = secret.into();
        }
        refused(
            h.call("RevokeToken", revoke),
            "UnauthorizedException",
            "client secret",
        );
    }
    let revoke = json!({ "Token": first["RefreshToken"], "ClientId": "secret", "ClientSecret": CLIENT_SECRET });
    h.call("RevokeToken", revoke).unwrap();
    refused(
        refresh(&mut h, "secret", &first["RefreshToken"], Some("alice")),
        "NotAuthorizedException",
        "revoked",
    );
}

#[test]
fn global_sign_out_revokes_every_grant_of_the_user() {
    let mut h = Harness::new();
    let first = tokens(h.srp_sign_in(POOL, "enabled", "alice", ALICE_PASSWORD));
    let second = tokens(h.srp_sign_in(POOL, "defaults", "alice", ALICE_PASSWORD));
    let bob = tokens(h.password_sign_in("enabled", "bob", "Bob-Passw0rd!"));
    assert_eq!(
        h.call(
            "GlobalSignOut",
            json!({ "AccessToken": first["AccessToken"] })
        )
        .unwrap(),
        json!({})
    );
    for grant in [&first, &second] {
        refused(
            get_user(&mut h, &grant["AccessToken"]),
            "NotAuthorizedException",
            "Access Token has been revoked",
        );
    }
    refused(
        refresh(&mut h, "enabled", &first["RefreshToken"], None),
        "NotAuthorizedException",
        "revoked",
    );
    refused(
        h.call(
            "GlobalSignOut",
            json!({ "AccessToken": first["AccessToken"] }),
        ),
        "NotAuthorizedException",
        "Access Token has been revoked",
    );
    get_user(&mut h, &bob["AccessToken"]).expect("other users are untouched");
}

#[test]
fn get_user_returns_the_attributes() {
    let mut h = Harness::new();
    let result = tokens(h.srp_sign_in(POOL, "enabled", "ally", ALICE_PASSWORD));
    let user = get_user(&mut h, &result["AccessToken"]).unwrap();
    assert_eq!(user["Username"], "alice");
    assert_eq!(user["MFAOptions"], json!([]));
    assert_eq!(user["UserMFASettingList"], json!([]));
    let attributes = user["UserAttributes"].as_array().unwrap();
    let value = |name: &str| {
        attributes
            .iter()
            .find(|a| a["Name"] == name)
            .map(|a| a["Value"].clone())
    };
    assert_eq!(value("email"), Some(json!("alice@example.com")));
    assert_eq!(value("email_verified"), Some(json!("true")));
    let id = h.verified_claims(POOL, result["IdToken"].as_str().unwrap());
    assert_eq!(value("sub"), Some(id["sub"].clone()));
}

#[test]
fn get_user_refuses_bad_and_expired_access_tokens() {
    let mut h = Harness::new();
    let result = tokens(h.srp_sign_in(POOL, "defaults", "alice", ALICE_PASSWORD));
    refused(
        get_user(&mut h, &result["IdToken"]),
        "NotAuthorizedException",
        "Invalid Access Token",
    );
    refused(
        get_user(&mut h, &json!("a.b.c")),
        "NotAuthorizedException",
        "Invalid Access Token",
    );
    let access = result["AccessToken"].as_str().unwrap();
    let (head, _) = access.rsplit_once('.').unwrap();
    refused(
        get_user(&mut h, &json!(format!("{head}.AAAA"))),
        "NotAuthorizedException",
        "Invalid Access Token",
    );
    h.advance(299);
    get_user(&mut h, &result["AccessToken"]).unwrap();
    h.advance(1);
    refused(
        get_user(&mut h, &result["AccessToken"]),
        "NotAuthorizedException",
        "Access Token has expired",
    );
}

#[test]
fn a_key_rotation_publishes_the_new_key_and_keeps_the_old_tokens_valid() {
    let mut h = Harness::new();
    let kid = |token: &Value| -> Value {
        let header = token.as_str().unwrap().split('.').next().unwrap();
        serde_json::from_slice(&B64URL.decode(header).unwrap()).unwrap()
    };
    let before = tokens(h.srp_sign_in(POOL, "enabled", "alice", ALICE_PASSWORD));
    let old_kid = kid(&before["AccessToken"])["kid"].clone();
    // A small key: generating one unoptimised is slow, and its size does not matter here.
    let key = RsaPrivateKey::new(&mut ChaCha20Rng::seed_from_u64(2), 1024).unwrap();
    h.state.rotate_signer(Signer::from_key(key));
    let after = tokens(h.srp_sign_in(POOL, "enabled", "alice", ALICE_PASSWORD));
    let new_kid = kid(&after["IdToken"])["kid"].clone();
    assert_ne!(new_kid, old_kid);
    let response = h.request("GET", &format!("/{POOL}/.well-known/jwks.json"), &[], b"");
    let jwks: Value = serde_json::from_slice(&response.body).unwrap();
    let kids: Vec<&Value> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| &k["kid"])
        .collect();
    assert_eq!(
        kids,
        [&new_kid, &old_kid],
        "the signing key first, the old one still published"
    );
    for token in [&before["AccessToken"], &after["AccessToken"]] {
        h.verified_claims(POOL, token.as_str().unwrap());
        get_user(&mut h, token).expect("tokens of both keys are accepted");
    }
}
