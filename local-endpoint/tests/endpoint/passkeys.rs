//! Passkeys: registration (StartWebAuthnRegistration,
//! CompleteWebAuthnRegistration), the listing and deletion, and the
//! WEB_AUTHN first factor of USER_AUTH, with a software authenticator
//! (authenticator.rs), including the responses the endpoint must refuse.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use ciborium::value::Value as Cbor;
use serde_json::{json, Value};

use crate::authenticator::{attestation_object, Authenticator, Ceremony, Format, UP, UV};
use crate::harness::{refused, tokens, Harness, Refusal};

const ORIGIN: &str = "http://localhost:8080";
const RP: &str = "localhost";

pub const PASSKEY_SEED: &str = r#"{
  "userPools": [
    {
      "id": "us-east-1_Passkeys",
      "aliasAttributes": ["email"],
      "signInPolicy": { "allowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"] },
      "webAuthnConfiguration": { "relyingPartyId": "localhost", "userVerification": "required" },
      "clients": [
        {"clientId": "pk", "explicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]},
        {"clientId": "pk2", "explicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]},
        {"clientId": "pklegacy", "explicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH"], "preventUserExistenceErrors": "LEGACY"}
      ],
      "users": [
        {"username": "alice", "password": "Alice-Passw0rd!", "status": "CONFIRMED",
         "attributes": {"email": "alice@example.com", "email_verified": "true"}},
        {"username": "bob", "password": "Bob-Passw0rd!", "status": "CONFIRMED",
         "attributes": {"email": "bob@example.com", "email_verified": "true"}},
        {"username": "reset", "password": "Reset-Passw0rd!", "status": "RESET_REQUIRED",
         "attributes": {"email": "reset@example.com"}},
        {"username": "seeded", "password": "Seeded-Passw0rd!", "status": "CONFIRMED",
         "passkeys": [{"credentialId": "SEEDSEEDSEEDSEEDSEEDSEEDSEEDSEED",
                       "publicKey": "pQECAyYgASFYIHE1-k_ZOgnc6Yu_aBtL_PUOfA1jVOYq-wv_KjQpYXhlIlgg7UwfAt25Aj7lalV-UV1qncZsEfIglg3llDNN9Yh3ZyQ",
                       "transports": ["internal"], "authenticatorAttachment": "platform", "friendlyName": "Test key"}]}
      ]
    },
    {
      "id": "us-east-1_Preferred",
      "signInPolicy": { "allowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"] },
      "webAuthnConfiguration": { "relyingPartyId": "localhost" },
      "clients": [{"clientId": "pref", "explicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH"]}],
      "users": [{"username": "pat", "password": "Pat-Passw0rd!", "status": "CONFIRMED"}]
    },
    {
      "id": "us-east-1_NoPasskeys",
      "clients": [{"clientId": "nopk", "explicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH"]}],
      "users": [{"username": "nora", "password": "Nora-Passw0rd!", "status": "CONFIRMED"}]
    },
    {
      "id": "us-east-1_NoRelyingParty",
      "signInPolicy": { "allowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"] },
      "clients": [{"clientId": "norp", "explicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH"]}],
      "users": [{"username": "rita", "password": "Rita-Passw0rd!", "status": "CONFIRMED"}]
    }
  ]
}"#;

/// The ES256 key of the seeded passkey (`seeded`), as a test would hold it.
pub const SEEDED_KEY: u8 = 9;

pub fn harness() -> Harness {
    Harness::with_seed(PASSKEY_SEED)
}

pub fn access_token(h: &mut Harness, client: &str, login: &str, password: &str) -> String {
    let answer = h.password_sign_in(client, login, password);
    tokens(answer)["AccessToken"].as_str().unwrap().to_owned()
}

pub fn start(h: &mut Harness, token: &str) -> Result<Value, Refusal> {
    h.call("StartWebAuthnRegistration", json!({ "AccessToken": token }))
        .map(|answer| answer["CredentialCreationOptions"].clone())
}

pub fn complete(h: &mut Harness, token: &str, credential: Value) -> Result<Value, Refusal> {
    h.call(
        "CompleteWebAuthnRegistration",
        json!({ "AccessToken": token, "Credential": credential }),
    )
}

/// Registers `authenticator` for the owner of `token` with `ceremony`.
pub fn register_with(
    h: &mut Harness,
    token: &str,
    authenticator: &mut Authenticator,
    ceremony: &Ceremony,
) -> Result<Value, Refusal> {
    let options = start(h, token)?;
    let credential = authenticator.register(&options, ceremony);
    complete(h, token, credential)
}

pub fn register(h: &mut Harness, token: &str, authenticator: &mut Authenticator) {
    register_with(h, token, authenticator, &Ceremony::at(ORIGIN, RP)).expect("registered");
}

/// InitiateAuth USER_AUTH with PREFERRED_CHALLENGE=WEB_AUTHN.
pub fn webauthn_challenge(h: &mut Harness, client: &str, login: &str) -> Result<Value, Refusal> {
    h.call(
        "InitiateAuth",
        json!({ "AuthFlow": "USER_AUTH", "ClientId": client,
                "AuthParameters": { "USERNAME": login, "PREFERRED_CHALLENGE": "WEB_AUTHN" } }),
    )
}

pub fn request_options(challenge: &Value) -> Value {
    assert_eq!(challenge["ChallengeName"], "WEB_AUTHN", "{challenge}");
    let text = challenge["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]
        .as_str()
        .expect("CREDENTIAL_REQUEST_OPTIONS is a JSON string");
    serde_json::from_str(text).expect("options JSON")
}

pub fn answer(
    h: &mut Harness,
    client: &str,
    login: &str,
    challenge: &Value,
    credential: &Value,
) -> Result<Value, Refusal> {
    h.respond(
        client,
        "WEB_AUTHN",
        Some(&challenge["Session"]),
        json!({ "USERNAME": login, "CREDENTIAL": credential.to_string() }),
    )
}

/// A whole passkey sign-in with `ceremony`; the last answer.
pub fn passkey_sign_in_with(
    h: &mut Harness,
    login: &str,
    authenticator: &mut Authenticator,
    ceremony: &Ceremony,
) -> Result<Value, Refusal> {
    let challenge = webauthn_challenge(h, "pk", login)?;
    let options = request_options(&challenge);
    let credential = authenticator.assert(&options, ceremony);
    answer(h, "pk", login, &challenge, &credential)
}

pub fn passkey_sign_in(
    h: &mut Harness,
    login: &str,
    authenticator: &mut Authenticator,
) -> Result<Value, Refusal> {
    passkey_sign_in_with(h, login, authenticator, &Ceremony::at(ORIGIN, RP))
}

fn alice(h: &mut Harness) -> String {
    access_token(h, "pk", "alice", "Alice-Passw0rd!")
}

fn user_sub(h: &mut Harness, token: &str) -> String {
    let user = h.call("GetUser", json!({ "AccessToken": token })).unwrap();
    let attributes = user["UserAttributes"].as_array().unwrap();
    let sub = attributes.iter().find(|a| a["Name"] == "sub").unwrap();
    sub["Value"].as_str().unwrap().to_owned()
}

#[test]
fn creation_options_are_the_services_shape() {
    let mut h = harness();
    let token = alice(&mut h);
    let sub = user_sub(&mut h, &token);
    let options = start(&mut h, &token).unwrap();
    assert_eq!(
        options["rp"],
        json!({ "id": "localhost", "name": "localhost" })
    );
    assert_eq!(options["user"]["id"], B64URL.encode(sub.as_bytes()));
    assert_eq!(options["user"]["name"], "alice");
    assert_eq!(options["user"]["displayName"], "");
    assert_eq!(
        B64URL
            .decode(options["challenge"].as_str().unwrap())
            .unwrap()
            .len(),
        16
    );
    assert_eq!(
        options["pubKeyCredParams"],
        json!([{ "type": "public-key", "alg": -7 }, { "type": "public-key", "alg": -257 }])
    );
    assert_eq!(options["timeout"], 60000);
    assert_eq!(options["excludeCredentials"], json!([]));
    assert_eq!(
        options["authenticatorSelection"],
        json!({ "requireResidentKey": true, "residentKey": "required", "userVerification": "required" })
    );
    let mut key = Authenticator::es256(1);
    register(&mut h, &token, &mut key);
    let options = start(&mut h, &token).unwrap();
    assert_eq!(
        options["excludeCredentials"],
        json!([{ "type": "public-key", "id": key.id() }]),
        "a registered passkey is excluded"
    );
}

#[test]
fn es256_none_registers_and_signs_in_with_the_preferred_challenge() {
    let mut h = harness();
    let token = alice(&mut h);
    let mut key = Authenticator::es256(1);
    assert_eq!(
        register_with(&mut h, &token, &mut key, &Ceremony::at(ORIGIN, RP)),
        Ok(json!({}))
    );
    let challenge = webauthn_challenge(&mut h, "pk", "alice").unwrap();
    let options = request_options(&challenge);
    assert_eq!(options["rpId"], "localhost");
    assert_eq!(options["timeout"], 180000);
    assert_eq!(options["userVerification"], "required");
    assert_eq!(
        options["allowCredentials"],
        json!([{ "id": key.id(), "type": "public-key" }])
    );
    let credential = key.assert(&options, &Ceremony::at(ORIGIN, RP));
    let result = tokens(answer(&mut h, "pk", "alice", &challenge, &credential));
    let claims = h.verified_claims("us-east-1_Passkeys", result["IdToken"].as_str().unwrap());
    assert_eq!(claims["cognito:username"], "alice");
    // The email alias names the same user, and the counter keeps rising.
    tokens(passkey_sign_in(&mut h, "alice@example.com", &mut key));
}

#[test]
fn rs256_packed_self_attestation_registers_and_signs_in_through_select_challenge() {
    let mut h = harness();
    let token = alice(&mut h);
    let mut key = Authenticator::rs256(2);
    assert_eq!(key.format, Format::Packed);
    register(&mut h, &token, &mut key);
    let select = h
        .call(
            "InitiateAuth",
            json!({ "AuthFlow": "USER_AUTH", "ClientId": "pk", "AuthParameters": { "USERNAME": "alice" } }),
        )
        .unwrap();
    assert_eq!(select["ChallengeName"], "SELECT_CHALLENGE");
    assert_eq!(
        select["AvailableChallenges"],
        json!(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "WEB_AUTHN"])
    );
    let challenge = h
        .respond(
            "pk",
            "SELECT_CHALLENGE",
            Some(&select["Session"]),
            json!({ "USERNAME": "alice", "ANSWER": "WEB_AUTHN" }),
        )
        .unwrap();
    let options = request_options(&challenge);
    let credential = key.assert(&options, &Ceremony::at(ORIGIN, RP));
    tokens(answer(&mut h, "pk", "alice", &challenge, &credential));
}

#[test]
fn a_user_without_passkeys_is_not_offered_web_authn() {
    let mut h = harness();
    let select = webauthn_challenge(&mut h, "pk", "bob").unwrap();
    assert_eq!(
        select["ChallengeName"], "SELECT_CHALLENGE",
        "the preference is not available"
    );
    assert_eq!(
        select["AvailableChallenges"],
        json!(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"])
    );
    refused(
        h.respond(
            "pk",
            "SELECT_CHALLENGE",
            Some(&select["Session"]),
            json!({ "USERNAME": "bob", "ANSWER": "WEB_AUTHN" }),
        ),
        "InvalidParameterException",
        "AvailableChallenges",
    );
}

#[test]
fn a_credential_with_the_selection_is_refused() {
    let mut h = harness();
    let token = alice(&mut h);
    let mut key = Authenticator::es256(1);
    register(&mut h, &token, &mut key);
    let select = h
        .call(
            "InitiateAuth",
            json!({ "AuthFlow": "USER_AUTH", "ClientId": "pk", "AuthParameters": { "USERNAME": "alice" } }),
        )
        .unwrap();
    let options = json!({ "challenge": B64URL.encode([0u8; 16]) });
    let credential = key.assert(&options, &Ceremony::at(ORIGIN, RP));
    refused(
        h.respond(
            "pk",
            "SELECT_CHALLENGE",
            Some(&select["Session"]),
            json!({ "USERNAME": "alice", "ANSWER": "WEB_AUTHN", "CREDENTIAL": credential.to_string() }),
        ),
        "InvalidParameterException",
        "has not been issued",
    );
}

#[test]
fn registration_refusals() {
    let mut h = harness();
    let token = alice(&mut h);
    let good = Ceremony::at(ORIGIN, RP);
    let cases: Vec<(Ceremony, &str, &str)> = vec![
        (
            Ceremony {
                origin: "http://127.0.0.1:8080".into(),
                ..good.clone()
            },
            "WebAuthnOriginNotAllowedException",
            "Origin http://127.0.0.1:8080 is not allowed",
        ),
        (
            Ceremony {
                origin: "https://localhost.evil.test".into(),
                ..good.clone()
            },
            "WebAuthnOriginNotAllowedException",
            "not allowed",
        ),
        (
            Ceremony {
                rp_id: "example.com".into(),
                ..good.clone()
            },
            "WebAuthnRelyingPartyMismatchException",
            "different relying party",
        ),
        (
            Ceremony {
                challenge: Some(vec![7; 16]),
                ..good.clone()
            },
            "WebAuthnChallengeNotFoundException",
            "challenge does not match",
        ),
        (
            Ceremony {
                client_data_type: Some("webauthn.get".into()),
                ..good.clone()
            },
            "WebAuthnChallengeNotFoundException",
            "type does not match",
        ),
        (
            Ceremony {
                flags: UP,
                ..good.clone()
            },
            "WebAuthnCredentialNotSupportedException",
            "did not verify the user",
        ),
        (
            Ceremony {
                flags: UV,
                ..good.clone()
            },
            "WebAuthnCredentialNotSupportedException",
            "did not test user presence",
        ),
    ];
    for (ceremony, name, message) in cases {
        let mut key = Authenticator::es256(3);
        refused(
            register_with(&mut h, &token, &mut key, &ceremony),
            name,
            message,
        );
    }
    // Nothing was registered.
    let list = h
        .call("ListWebAuthnCredentials", json!({ "AccessToken": token }))
        .unwrap();
    assert_eq!(list["Credentials"], json!([]));
}

#[test]
fn attestation_statements_are_checked() {
    let mut h = harness();
    let token = alice(&mut h);
    let ceremony = Ceremony::at(ORIGIN, RP);
    // A packed self attestation signed by another key.
    let options = start(&mut h, &token).unwrap();
    let mut key = Authenticator::es256(4);
    key.format = Format::Packed;
    let mut credential = key.register(&options, &ceremony);
    let mut forger = Authenticator::es256(5);
    forger.credential_id = key.credential_id.clone();
    forger.format = Format::Packed;
    let forged = forger.register(&options, &ceremony);
    let (auth_data, forged_statement) = decode_object(&forged);
    let (ours, _) = decode_object(&credential);
    assert_ne!(auth_data, ours);
    let object = attestation_object("packed", forged_statement, &ours);
    credential["response"]["attestationObject"] = json!(B64URL.encode(object));
    refused(
        complete(&mut h, &token, credential),
        "InvalidParameterException",
        "signature does not verify",
    );
    // An attestation format the endpoint does not verify.
    let options = start(&mut h, &token).unwrap();
    let mut credential = key.register(&options, &ceremony);
    let (auth_data, statement) = decode_object(&credential);
    let object = attestation_object("fido-u2f", statement, &auth_data);
    credential["response"]["attestationObject"] = json!(B64URL.encode(object));
    refused(
        complete(&mut h, &token, credential),
        "WebAuthnCredentialNotSupportedException",
        "fido-u2f",
    );
    // A none statement that is not empty.
    let options = start(&mut h, &token).unwrap();
    let mut credential = key.register(&options, &ceremony);
    let (auth_data, statement) = decode_object(&credential);
    let object = attestation_object("none", statement, &auth_data);
    credential["response"]["attestationObject"] = json!(B64URL.encode(object));
    refused(
        complete(&mut h, &token, credential),
        "InvalidParameterException",
        "must be empty",
    );
    // Garbage where CBOR should be.
    let options = start(&mut h, &token).unwrap();
    let mut credential = key.register(&options, &ceremony);
    credential["response"]["attestationObject"] = json!(B64URL.encode([0xff; 40]));
    refused(
        complete(&mut h, &token, credential),
        "InvalidParameterException",
        "not valid CBOR",
    );
}

/// (authData, attStmt) of a RegistrationResponseJSON.
fn decode_object(credential: &Value) -> (Vec<u8>, Cbor) {
    let bytes = B64URL
        .decode(
            credential["response"]["attestationObject"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
    let object: Cbor = ciborium::de::from_reader(bytes.as_slice()).unwrap();
    let entries = object.as_map().unwrap();
    let get = |name: &str| {
        entries
            .iter()
            .find(|(k, _)| k.as_text() == Some(name))
            .unwrap()
            .1
            .clone()
    };
    (get("authData").as_bytes().unwrap().clone(), get("attStmt"))
}

#[test]
fn the_registration_challenge_is_single_use_and_per_client() {
    let mut h = harness();
    let token = alice(&mut h);
    let ceremony = Ceremony::at(ORIGIN, RP);
    let mut key = Authenticator::es256(1);
    let options = start(&mut h, &token).unwrap();
    let credential = key.register(&options, &ceremony);
    complete(&mut h, &token, credential.clone()).unwrap();
    refused(
        complete(&mut h, &token, credential),
        "WebAuthnChallengeNotFoundException",
        "not found or has expired",
    );
    // Started with one client's token, completed with another's.
    let other = access_token(&mut h, "pk2", "alice", "Alice-Passw0rd!");
    let options = start(&mut h, &token).unwrap();
    let credential = Authenticator::es256(2).register(&options, &ceremony);
    refused(
        complete(&mut h, &other, credential),
        "WebAuthnClientMismatchException",
        "different app client",
    );
    // Expired.
    let options = start(&mut h, &token).unwrap();
    let credential = Authenticator::es256(3).register(&options, &ceremony);
    h.advance(301);
    let token = alice(&mut h);
    refused(
        complete(&mut h, &token, credential),
        "WebAuthnChallengeNotFoundException",
        "expired",
    );
}

#[test]
fn a_passkey_registers_once() {
    let mut h = harness();
    let token = alice(&mut h);
    let mut key = Authenticator::es256(1);
    register(&mut h, &token, &mut key);
    let bob = access_token(&mut h, "pk", "bob", "Bob-Passw0rd!");
    refused(
        register_with(&mut h, &bob, &mut key, &Ceremony::at(ORIGIN, RP)),
        "InvalidParameterException",
        "already registered",
    );
}

#[test]
fn pools_without_passkeys_refuse_registration() {
    let mut h = harness();
    let token = access_token(&mut h, "nopk", "nora", "Nora-Passw0rd!");
    refused(
        start(&mut h, &token),
        "WebAuthnNotEnabledException",
        "not enabled",
    );
    refused(
        complete(&mut h, &token, json!({})),
        "WebAuthnNotEnabledException",
        "not enabled",
    );
    let token = access_token(&mut h, "norp", "rita", "Rita-Passw0rd!");
    refused(
        start(&mut h, &token),
        "WebAuthnConfigurationMissingException",
        "relying party ID",
    );
    refused(
        start(&mut h, "not-a-token"),
        "NotAuthorizedException",
        "Invalid Access Token",
    );
    refused(
        h.call("StartWebAuthnRegistration", json!({})),
        "InvalidParameterException",
        "'accessToken'",
    );
    let token = alice(&mut h);
    refused(
        h.call(
            "CompleteWebAuthnRegistration",
            json!({ "AccessToken": token }),
        ),
        "InvalidParameterException",
        "'credential'",
    );
}

#[test]
fn user_verification_preferred_accepts_an_authenticator_without_it() {
    let mut h = harness();
    let token = access_token(&mut h, "pref", "pat", "Pat-Passw0rd!");
    let options = start(&mut h, &token).unwrap();
    assert_eq!(
        options["authenticatorSelection"]["userVerification"],
        "preferred"
    );
    let without_uv = Ceremony {
        flags: UP,
        ..Ceremony::at(ORIGIN, RP)
    };
    let mut key = Authenticator::es256(6);
    let credential = key.register(&options, &without_uv);
    complete(&mut h, &token, credential).unwrap();
    let challenge = webauthn_challenge(&mut h, "pref", "pat").unwrap();
    let options = request_options(&challenge);
    assert_eq!(options["userVerification"], "preferred");
    let credential = key.assert(&options, &without_uv);
    tokens(answer(&mut h, "pref", "pat", &challenge, &credential));
}

#[test]
fn sign_in_refusals() {
    let good = Ceremony::at(ORIGIN, RP);
    let cases: Vec<(Ceremony, &str, &str)> = vec![
        (
            Ceremony {
                origin: "http://127.0.0.1:8080".into(),
                ..good.clone()
            },
            "NotAuthorizedException",
            "Origin http://127.0.0.1:8080 is not allowed",
        ),
        (
            Ceremony {
                rp_id: "example.com".into(),
                ..good.clone()
            },
            "NotAuthorizedException",
            "different relying party",
        ),
        (
            Ceremony {
                challenge: Some(vec![1; 16]),
                ..good.clone()
            },
            "NotAuthorizedException",
            "challenge does not match",
        ),
        (
            Ceremony {
                client_data_type: Some("webauthn.create".into()),
                ..good.clone()
            },
            "NotAuthorizedException",
            "type does not match",
        ),
        (
            Ceremony {
                flags: UP,
                ..good.clone()
            },
            "NotAuthorizedException",
            "did not verify the user",
        ),
        (
            Ceremony {
                sign_count: Some(1),
                ..good.clone()
            },
            "NotAuthorizedException",
            "counter did not increase",
        ),
    ];
    for (ceremony, name, message) in cases {
        let mut h = harness();
        let token = alice(&mut h);
        let mut key = Authenticator::es256(1);
        register(&mut h, &token, &mut key);
        refused(
            passkey_sign_in_with(&mut h, "alice", &mut key, &ceremony),
            name,
            message,
        );
    }
}

#[test]
fn a_bad_signature_is_refused_and_ends_the_sign_in() {
    let mut h = harness();
    let token = alice(&mut h);
    let mut key = Authenticator::es256(1);
    register(&mut h, &token, &mut key);
    let challenge = webauthn_challenge(&mut h, "pk", "alice").unwrap();
    let options = request_options(&challenge);
    let mut credential = key.assert(&options, &Ceremony::at(ORIGIN, RP));
    let other = Authenticator::es256(2).sign(b"something else");
    credential["response"]["signature"] = json!(B64URL.encode(other));
    refused(
        answer(&mut h, "pk", "alice", &challenge, &credential),
        "NotAuthorizedException",
        "signature does not verify",
    );
    let credential = key.assert(&options, &Ceremony::at(ORIGIN, RP));
    refused(
        answer(&mut h, "pk", "alice", &challenge, &credential),
        "NotAuthorizedException",
        "Invalid session",
    );
}

#[test]
fn a_replayed_assertion_is_refused() {
    let mut h = harness();
    let token = alice(&mut h);
    let mut key = Authenticator::es256(1);
    register(&mut h, &token, &mut key);
    let challenge = webauthn_challenge(&mut h, "pk", "alice").unwrap();
    let credential = key.assert(&request_options(&challenge), &Ceremony::at(ORIGIN, RP));
    tokens(answer(&mut h, "pk", "alice", &challenge, &credential));
    // The same assertion under a new Session: its challenge is stale.
    let again = webauthn_challenge(&mut h, "pk", "alice").unwrap();
    refused(
        answer(&mut h, "pk", "alice", &again, &credential),
        "NotAuthorizedException",
        "challenge does not match",
    );
}

#[test]
fn another_users_passkey_does_not_sign_in() {
    let mut h = harness();
    let token = alice(&mut h);
    let mut alices = Authenticator::es256(1);
    register(&mut h, &token, &mut alices);
    let bob = access_token(&mut h, "pk", "bob", "Bob-Passw0rd!");
    let mut bobs = Authenticator::es256(2);
    register(&mut h, &bob, &mut bobs);
    let challenge = webauthn_challenge(&mut h, "pk", "alice").unwrap();
    let credential = bobs.assert(&request_options(&challenge), &Ceremony::at(ORIGIN, RP));
    refused(
        answer(&mut h, "pk", "alice", &challenge, &credential),
        "NotAuthorizedException",
        "not registered for this user",
    );
    // Alice's credential id with Bob's user handle.
    let challenge = webauthn_challenge(&mut h, "pk", "alice").unwrap();
    alices.user_handle = bobs.user_handle.clone();
    let credential = alices.assert(&request_options(&challenge), &Ceremony::at(ORIGIN, RP));
    refused(
        answer(&mut h, "pk", "alice", &challenge, &credential),
        "NotAuthorizedException",
        "user handle",
    );
}

#[test]
fn listing_paging_and_deleting() {
    let mut h = harness();
    let token = alice(&mut h);
    let mut first = Authenticator::es256(1);
    let mut second = Authenticator::rs256(2);
    register(&mut h, &token, &mut first);
    h.advance(5);
    register(&mut h, &token, &mut second);
    let page = h
        .call(
            "ListWebAuthnCredentials",
            json!({ "AccessToken": token, "MaxResults": 1 }),
        )
        .unwrap();
    assert_eq!(
        page["Credentials"],
        json!([{
            "CredentialId": first.id(),
            "FriendlyCredentialName": "Security key",
            "RelyingPartyId": "localhost",
            "AuthenticatorAttachment": "cross-platform",
            "AuthenticatorTransports": ["usb", "nfc"],
            "CreatedAt": h.now() - 5,
        }])
    );
    let next = page["NextToken"].clone();
    let page = h
        .call(
            "ListWebAuthnCredentials",
            json!({ "AccessToken": token, "MaxResults": 1, "NextToken": next }),
        )
        .unwrap();
    assert_eq!(page["Credentials"][0]["CredentialId"], second.id());
    assert!(page.get("NextToken").is_none());
    refused(
        h.call(
            "ListWebAuthnCredentials",
            json!({ "AccessToken": token, "MaxResults": 0 }),
        ),
        "InvalidParameterException",
        "maxResults",
    );
    refused(
        h.call(
            "ListWebAuthnCredentials",
            json!({ "AccessToken": token, "NextToken": "nope" }),
        ),
        "InvalidParameterException",
        "pagination token",
    );
    // Bob sees none of them and cannot delete them.
    let bob = access_token(&mut h, "pk", "bob", "Bob-Passw0rd!");
    let list = h
        .call("ListWebAuthnCredentials", json!({ "AccessToken": bob }))
        .unwrap();
    assert_eq!(list["Credentials"], json!([]));
    refused(
        h.call(
            "DeleteWebAuthnCredential",
            json!({ "AccessToken": bob, "CredentialId": first.id() }),
        ),
        "ResourceNotFoundException",
        "does not exist",
    );
    assert_eq!(
        h.call(
            "DeleteWebAuthnCredential",
            json!({ "AccessToken": token, "CredentialId": first.id() })
        ),
        Ok(json!({}))
    );
    // A deleted passkey signs in no more.
    let challenge = webauthn_challenge(&mut h, "pk", "alice").unwrap();
    let options = request_options(&challenge);
    assert_eq!(
        options["allowCredentials"],
        json!([{ "id": second.id(), "type": "public-key" }])
    );
    let credential = first.assert(&options, &Ceremony::at(ORIGIN, RP));
    refused(
        answer(&mut h, "pk", "alice", &challenge, &credential),
        "NotAuthorizedException",
        "not registered",
    );
    h.call(
        "DeleteWebAuthnCredential",
        json!({ "AccessToken": token, "CredentialId": second.id() }),
    )
    .unwrap();
    let select = webauthn_challenge(&mut h, "pk", "alice").unwrap();
    assert_eq!(
        select["ChallengeName"], "SELECT_CHALLENGE",
        "no passkey left"
    );
}

#[test]
fn unknown_users_get_a_made_up_challenge() {
    let mut h = harness();
    let first = webauthn_challenge(&mut h, "pk", "nobody").unwrap();
    let second = webauthn_challenge(&mut h, "pk", "nobody").unwrap();
    let options = request_options(&first);
    assert_eq!(
        options["allowCredentials"],
        request_options(&second)["allowCredentials"]
    );
    assert_eq!(options["allowCredentials"].as_array().unwrap().len(), 1);
    let mut key = Authenticator::es256(1);
    let credential = key.assert(&options, &Ceremony::at(ORIGIN, RP));
    refused(
        answer(&mut h, "pk", "nobody", &first, &credential),
        "NotAuthorizedException",
        "not registered for this user",
    );
    refused(
        webauthn_challenge(&mut h, "pklegacy", "nobody"),
        "UserNotFoundException",
        "User does not exist.",
    );
}

#[test]
fn a_seeded_passkey_signs_in() {
    let mut h = harness();
    let mut key = Authenticator::es256(SEEDED_KEY);
    key.credential_id = B64URL.decode("SEEDSEEDSEEDSEEDSEEDSEEDSEEDSEED").unwrap();
    assert_eq!(
        B64URL.encode(key.cose_key()),
        "pQECAyYgASFYIHE1-k_ZOgnc6Yu_aBtL_PUOfA1jVOYq-wv_KjQpYXhlIlgg7UwfAt25Aj7lalV-UV1qncZsEfIglg3llDNN9Yh3ZyQ"
    );
    tokens(passkey_sign_in(&mut h, "seeded", &mut key));
    let token = access_token(&mut h, "pk", "seeded", "Seeded-Passw0rd!");
    let list = h
        .call("ListWebAuthnCredentials", json!({ "AccessToken": token }))
        .unwrap();
    assert_eq!(list["Credentials"][0]["FriendlyCredentialName"], "Test key");
    assert_eq!(
        list["Credentials"][0]["AuthenticatorAttachment"],
        "platform"
    );
}

#[test]
fn seeds_with_bad_passkey_settings_are_refused() {
    let seed = |config: &str| {
        format!(
            r#"{{"userPools": [{{"id": "us-east-1_P", "signInPolicy": {{"allowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}},
                "webAuthnConfiguration": {config}}}]}}"#
        )
    };
    for config in [
        r#"{"relyingPartyId": "127.0.0.1"}"#,
        r#"{"relyingPartyId": "Example.com"}"#,
        r#"{"relyingPartyId": "localhost", "userVerification": "discouraged"}"#,
        r#"{"relyingPartyId": "localhost", "unknown": 1}"#,
    ] {
        let parsed = cognito_local::seed::parse(&seed(config));
        let state = parsed.and_then(|seed| {
            cognito_local::State::new(
                seed,
                crate::harness::test_signer(),
                cognito_local::Env::system(),
                "http://127.0.0.1:9".into(),
            )
            .map(|_| ())
        });
        assert!(state.is_err(), "{config} is refused");
    }
}

#[test]
fn a_user_who_must_reset_the_password_is_told_so() {
    let mut h = harness();
    refused(
        h.password_sign_in("pk", "reset", "Reset-Passw0rd!"),
        "PasswordResetRequiredException",
        "Password reset required for the user",
    );
    refused(
        h.password_sign_in("pk", "reset", "Wrong-Passw0rd!"),
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
    h.call(
        "ForgotPassword",
        json!({ "ClientId": "pk", "Username": "reset" }),
    )
    .unwrap();
    let code = h.inbox_code("us-east-1_Passkeys", "reset", "FORGOT_PASSWORD");
    h.call(
        "ConfirmForgotPassword",
        json!({ "ClientId": "pk", "Username": "reset", "ConfirmationCode": code, "Password": "New-Passw0rd!" }),
    )
    .unwrap();
    tokens(h.password_sign_in("pk", "reset", "New-Passw0rd!"));
}
