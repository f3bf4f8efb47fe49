//! Passwordless sign-up with the sign-up Sessions (Amplify's autoSignIn
//! after confirmSignUp), the pool's MFA policy and the MFA setup by email,
//! and a remembered device after a passkey.

use serde_json::{json, Value};

use crate::authenticator::{Authenticator, Ceremony};
use crate::harness::{refused, tokens, Harness};
use crate::passkeys::{access_token, answer, register, request_options};

const POOL: &str = "us-east-1_Passwordless";

const SEED: &str = r#"{
  "userPools": [
    {
      "id": "us-east-1_Passwordless",
      "signInPolicy": { "allowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"] },
      "webAuthnConfiguration": { "relyingPartyId": "localhost", "userVerification": "preferred" },
      "deviceConfiguration": { "challengeRequiredOnNewDevice": true, "deviceOnlyRememberedOnUserPrompt": false },
      "clients": [
        {"clientId": "app", "explicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]},
        {"clientId": "other", "explicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH"]},
        {"clientId": "nouserauth", "explicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}
      ],
      "users": [
        {"username": "dana", "password": "Dana-Passw0rd!", "status": "CONFIRMED",
         "attributes": {"email": "dana@example.com", "email_verified": "true"}}
      ]
    },
    {
      "id": "us-east-1_MfaOn",
      "aliasAttributes": ["email"],
      "mfaConfiguration": "ON",
      "mfaFactors": ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"],
      "clients": [{"clientId": "mfa", "explicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]}],
      "users": [
        {"username": "carol", "password": "Carol-Passw0rd!", "status": "CONFIRMED"},
        {"username": "taken", "password": "Taken-Passw0rd!", "status": "CONFIRMED",
         "attributes": {"email": "taken@example.com", "email_verified": "true"}}
      ]
    },
    {
      "id": "us-east-1_EmailOnly",
      "mfaConfiguration": "ON",
      "mfaFactors": ["EMAIL_OTP"],
      "clients": [{"clientId": "emailonly", "explicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}],
      "users": [{"username": "erin", "password": "Erin-Passw0rd!", "status": "CONFIRMED"}]
    },
    {
      "id": "us-east-1_MfaOff",
      "mfaConfiguration": "OFF",
      "clients": [{"clientId": "off", "explicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}],
      "users": [{"username": "olga", "password": "Olga-Passw0rd!", "status": "CONFIRMED",
                 "mfa": {"totpSecret": "JBSWY3DPEHPK3PXP"}}]
    },
    {
      "id": "us-east-1_PasswordOnly",
      "clients": [{"clientId": "pw", "explicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}]
    }
  ]
}"#;

fn harness() -> Harness {
    Harness::with_seed(SEED)
}

fn sign_up(h: &mut Harness, client: &str, username: &str, password: Option<&str>) -> Value {
    let mut body = json!({
        "ClientId": client,
        "Username": username,
        "UserAttributes": [{ "Name": "email", "Value": format!("{username}@example.com") }],
    });
    if let Some(password) = password {
        body["Password"] = json!(password);
    }
    h.call("SignUp", body).expect("signed up")
}

fn confirm(h: &mut Harness, client: &str, username: &str, session: Option<&Value>) -> Value {
    let code = h.inbox_code(POOL, username, "SIGN_UP");
    let mut body = json!({ "ClientId": client, "Username": username, "ConfirmationCode": code });
    if let Some(session) = session {
        body["Session"] = session.clone();
    }
    h.call("ConfirmSignUp", body).expect("confirmed")
}

fn user_auth(
    h: &mut Harness,
    client: &str,
    username: &str,
    session: Option<&Value>,
) -> Result<Value, (String, String)> {
    let mut body = json!({ "AuthFlow": "USER_AUTH", "ClientId": client, "AuthParameters": { "USERNAME": username } });
    if let Some(session) = session {
        body["Session"] = session.clone();
    }
    h.call("InitiateAuth", body)
}

#[test]
fn passwordless_sign_up_then_the_confirmation_session_signs_in() {
    let mut h = harness();
    let signed_up = sign_up(&mut h, "app", "pam", None);
    assert_eq!(signed_up["UserConfirmed"], false);
    assert!(signed_up["Session"].as_str().is_some_and(|s| !s.is_empty()));
    // Without Amplify: ConfirmSignUp may carry SignUp's Session.
    let confirmed = confirm(&mut h, "app", "pam", Some(&signed_up["Session"]));
    let session = confirmed["Session"].clone();
    // The Session is for USER_AUTH of this client only.
    refused(
        user_auth(&mut h, "nouserauth", "pam", Some(&session)),
        "InvalidParameterException",
        "USER_AUTH flow not enabled",
    );
    let result = tokens(user_auth(&mut h, "app", "pam", Some(&session)));
    let claims = h.verified_claims(POOL, result["IdToken"].as_str().unwrap());
    assert_eq!(claims["cognito:username"], "pam");
    assert_eq!(claims["email_verified"], true);
    assert!(
        result.contains_key("NewDeviceMetadata"),
        "the pool tracks devices"
    );
    refused(
        user_auth(&mut h, "app", "pam", Some(&session)),
        "NotAuthorizedException",
        "Invalid session",
    );
    // No password: USER_AUTH offers no password factor.
    let select = user_auth(&mut h, "app", "pam", None).unwrap();
    assert_eq!(select["AvailableChallenges"], json!(["EMAIL_OTP"]));
}

#[test]
fn the_confirmation_session_is_for_its_user_client_and_lifetime() {
    let mut h = harness();
    sign_up(&mut h, "app", "pia", None);
    let session = confirm(&mut h, "app", "pia", None)["Session"].clone();
    refused(
        user_auth(&mut h, "app", "dana", Some(&session)),
        "NotAuthorizedException",
        "Invalid session",
    );
    sign_up(&mut h, "app", "pete", None);
    let session = confirm(&mut h, "app", "pete", None)["Session"].clone();
    refused(
        user_auth(&mut h, "other", "pete", Some(&session)),
        "NotAuthorizedException",
        "Invalid session",
    );
    sign_up(&mut h, "app", "polly", None);
    let session = confirm(&mut h, "app", "polly", None)["Session"].clone();
    h.advance(181);
    refused(
        user_auth(&mut h, "app", "polly", Some(&session)),
        "NotAuthorizedException",
        "Invalid session",
    );
    // A made-up SignUp Session does not confirm.
    sign_up(&mut h, "app", "paul", None);
    let code = h.inbox_code(POOL, "paul", "SIGN_UP");
    refused(
        h.call(
            "ConfirmSignUp",
            json!({ "ClientId": "app", "Username": "paul", "ConfirmationCode": code, "Session": "made-up" }),
        ),
        "NotAuthorizedException",
        "Invalid session",
    );
}

#[test]
fn a_user_signed_up_with_a_password_keeps_the_password_factors() {
    let mut h = harness();
    let signed_up = sign_up(&mut h, "app", "walt", Some("Walt-Passw0rd!"));
    confirm(&mut h, "app", "walt", Some(&signed_up["Session"]));
    let select = user_auth(&mut h, "app", "walt", None).unwrap();
    assert_eq!(
        select["AvailableChallenges"],
        json!(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"])
    );
    tokens(h.password_sign_in("app", "walt", "Walt-Passw0rd!"));
}

#[test]
fn pools_without_a_passwordless_factor_need_a_password() {
    let mut h = harness();
    refused(
        h.call("SignUp", json!({ "ClientId": "pw", "Username": "x", "UserAttributes": [{ "Name": "email", "Value": "x@example.com" }] })),
        "InvalidParameterException",
        "Value null at 'password'",
    );
    refused(
        h.call(
            "SignUp",
            json!({ "ClientId": "pw", "Username": "x", "Password": "" }),
        ),
        "InvalidPasswordException",
        "Password did not conform with policy",
    );
}

#[test]
fn mfa_setup_offers_the_pools_types_and_sets_up_email() {
    let mut h = harness();
    let setup = h
        .password_sign_in("mfa", "carol", "Carol-Passw0rd!")
        .unwrap();
    assert_eq!(setup["ChallengeName"], "MFA_SETUP");
    assert_eq!(
        setup["ChallengeParameters"]["MFAS_CAN_SETUP"],
        "[\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]"
    );
    // A malformed address is refused; the Session stays usable.
    refused(
        h.respond(
            "mfa",
            "MFA_SETUP",
            Some(&setup["Session"]),
            json!({ "USERNAME": "carol", "EMAIL": "not-an-address" }),
        ),
        "InvalidParameterException",
        "Invalid email address format.",
    );
    let asked = h
        .respond(
            "mfa",
            "MFA_SETUP",
            Some(&setup["Session"]),
            json!({ "USERNAME": "carol", "EMAIL": "carol@example.com" }),
        )
        .unwrap();
    assert_eq!(asked["ChallengeName"], "EMAIL_OTP");
    assert_eq!(
        asked["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"],
        "EMAIL"
    );
    assert_eq!(
        asked["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"],
        "c***@e***.com"
    );
    refused(
        h.respond(
            "mfa",
            "MFA_SETUP",
            Some(&setup["Session"]),
            json!({ "USERNAME": "carol", "EMAIL": "carol@example.com" }),
        ),
        "NotAuthorizedException",
        "Invalid session",
    );
    refused(
        h.respond(
            "mfa",
            "EMAIL_OTP",
            Some(&asked["Session"]),
            json!({ "USERNAME": "carol", "EMAIL_OTP_CODE": "000000" }),
        ),
        "CodeMismatchException",
        "Invalid code",
    );
    let code = h.inbox_code("us-east-1_MfaOn", "carol", "EMAIL_OTP");
    let result = tokens(h.respond(
        "mfa",
        "EMAIL_OTP",
        Some(&asked["Session"]),
        json!({ "USERNAME": "carol", "EMAIL_OTP_CODE": code }),
    ));
    let user = h
        .call("GetUser", json!({ "AccessToken": result["AccessToken"] }))
        .unwrap();
    assert_eq!(user["UserMFASettingList"], json!(["EMAIL_OTP"]));
    assert_eq!(user["PreferredMfaSetting"], "EMAIL_OTP");
    let attributes = user["UserAttributes"].as_array().unwrap();
    assert!(attributes.contains(&json!({ "Name": "email", "Value": "carol@example.com" })));
    assert!(attributes.contains(&json!({ "Name": "email_verified", "Value": "true" })));
    // From now on the email code is the second factor.
    let next = h
        .password_sign_in("mfa", "carol", "Carol-Passw0rd!")
        .unwrap();
    assert_eq!(next["ChallengeName"], "EMAIL_OTP");
}

#[test]
fn email_setup_refusals() {
    let mut h = harness();
    let setup = h
        .password_sign_in("mfa", "carol", "Carol-Passw0rd!")
        .unwrap();
    refused(
        h.respond(
            "mfa",
            "MFA_SETUP",
            Some(&setup["Session"]),
            json!({ "USERNAME": "carol", "EMAIL": "taken@example.com" }),
        ),
        "AliasExistsException",
        "already exists",
    );
    let setup = h
        .password_sign_in("emailonly", "erin", "Erin-Passw0rd!")
        .unwrap();
    assert_eq!(
        setup["ChallengeParameters"]["MFAS_CAN_SETUP"],
        "[\"EMAIL_OTP\"]"
    );
}

#[test]
fn pools_without_email_mfa_refuse_the_email_setup() {
    let mut h = Harness::with_seed(
        r#"{"userPools": [{"id": "us-east-1_Totp", "clients": [{"clientId": "c", "explicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}],
            "users": [{"username": "u", "password": "User-Passw0rd!", "status": "CONFIRMED", "mfa": {"required": true}},
                      {"username": "v", "password": "User-Passw0rd!", "status": "CONFIRMED",
                       "mfa": {"required": true, "setupFactors": ["EMAIL_OTP"]}}]}]}"#,
    );
    let setup = h.password_sign_in("c", "u", "User-Passw0rd!").unwrap();
    assert_eq!(
        setup["ChallengeParameters"]["MFAS_CAN_SETUP"],
        "[\"SOFTWARE_TOKEN_MFA\"]"
    );
    refused(
        h.respond(
            "c",
            "MFA_SETUP",
            Some(&setup["Session"]),
            json!({ "USERNAME": "u", "EMAIL": "u@example.com" }),
        ),
        "InvalidParameterException",
        "EMAIL_OTP is not an MFA type this user pool can set up",
    );
    // A user whose seed offers email setup.
    let setup = h.password_sign_in("c", "v", "User-Passw0rd!").unwrap();
    assert_eq!(
        setup["ChallengeParameters"]["MFAS_CAN_SETUP"],
        "[\"EMAIL_OTP\"]"
    );
    let asked = h
        .respond(
            "c",
            "MFA_SETUP",
            Some(&setup["Session"]),
            json!({ "USERNAME": "v", "EMAIL": "v@example.com" }),
        )
        .unwrap();
    let code = h.inbox_code("us-east-1_Totp", "v", "EMAIL_OTP");
    tokens(h.respond(
        "c",
        "EMAIL_OTP",
        Some(&asked["Session"]),
        json!({ "USERNAME": "v", "EMAIL_OTP_CODE": code }),
    ));
}

#[test]
fn mfa_off_signs_in_without_the_users_factor() {
    let mut h = harness();
    tokens(h.password_sign_in("off", "olga", "Olga-Passw0rd!"));
}

#[test]
fn a_remembered_device_proves_itself_after_a_passkey() {
    let mut h = harness();
    let result = tokens(h.password_sign_in("app", "dana", "Dana-Passw0rd!"));
    let (device, _) = crate::devices::confirm(&mut h, &result);
    let token = result["AccessToken"].as_str().unwrap().to_owned();
    let mut key = Authenticator::es256(8);
    register(&mut h, &token, &mut key);
    let challenge = h
        .call(
            "InitiateAuth",
            json!({ "AuthFlow": "USER_AUTH", "ClientId": "app",
                    "AuthParameters": { "USERNAME": "dana", "PREFERRED_CHALLENGE": "WEB_AUTHN",
                                        "DEVICE_KEY": device.device_key } }),
        )
        .unwrap();
    let options = request_options(&challenge);
    let credential = key.assert(
        &options,
        &Ceremony::at("http://localhost:8080", "localhost"),
    );
    let asked = answer(&mut h, "app", "dana", &challenge, &credential).unwrap();
    let password = device.device_password.clone();
    let result = tokens(crate::devices::device_rounds(
        &mut h, "app", &asked, &device, &password,
    ));
    assert!(!result.contains_key("NewDeviceMetadata"), "a known device");
    // Without the device: tokens and a new device.
    let challenge = crate::passkeys::webauthn_challenge(&mut h, "app", "dana").unwrap();
    let options = request_options(&challenge);
    let credential = key.assert(
        &options,
        &Ceremony::at("http://localhost:8080", "localhost"),
    );
    let result = tokens(answer(&mut h, "app", "dana", &challenge, &credential));
    assert!(result.contains_key("NewDeviceMetadata"));
}

#[test]
fn the_demo_seed_offers_passkeys_and_the_email_mfa_setup() {
    let demo = include_str!("../../seeds/demo.json");
    let mut h = Harness::with_seed(demo);
    let client = "democlient0123456789abcdef";
    for (user, offered) in [
        ("emailsetup", "[\"EMAIL_OTP\"]"),
        ("choosesetup", "[\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]"),
        ("setup", "[\"SOFTWARE_TOKEN_MFA\"]"),
    ] {
        let setup = h.password_sign_in(client, user, "Demo-Passw0rd!").unwrap();
        assert_eq!(setup["ChallengeName"], "MFA_SETUP", "{user}");
        assert_eq!(
            setup["ChallengeParameters"]["MFAS_CAN_SETUP"], offered,
            "{user}"
        );
    }
    let token = access_token(&mut h, client, "demo", "Demo-Passw0rd!");
    let options = crate::passkeys::start(&mut h, &token).unwrap();
    assert_eq!(options["rp"]["id"], "localhost");
    assert_eq!(
        options["authenticatorSelection"]["userVerification"],
        "preferred"
    );
}
