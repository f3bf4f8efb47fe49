//! Remembered devices: NewDeviceMetadata, ConfirmDevice, DEVICE_SRP_AUTH and
//! DEVICE_PASSWORD_VERIFIER with real SRP verification, MFA skipped on a
//! remembered device, the stale-device error, the device after USER_AUTH's
//! first factors, and the device operations.

use cognito_core::device::{new_device, DeviceSecrets};
use cognito_core::protocol::NewDeviceMetadata;
use cognito_core::timestamp::format_timestamp;
use cognito_srp::srp::{SrpClient, VerifierChallenge};
use serde_json::{json, Value};

use crate::harness::{refused, tokens, Harness, Refusal};

const POOL: &str = "us-east-1_DevicePool";
const PROMPT_POOL: &str = "us-east-1_PromptPool";
const PASSWORD: &str = "Dora-Passw0rd!";

const SEED: &str = r#"{
  "userPools": [
    {
      "id": "us-east-1_DevicePool",
      "deviceConfiguration": {"challengeRequiredOnNewDevice": true},
      "signInPolicy": {"allowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]},
      "clients": [{"clientId": "devices", "explicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}],
      "users": [
        {"username": "dora", "password": "Dora-Passw0rd!", "status": "CONFIRMED", "attributes": {"email": "dora@example.com"}},
        {"username": "mfa", "password": "Dora-Passw0rd!", "status": "CONFIRMED",
         "attributes": {"phone_number": "+15555550100"}, "mfa": {"sms": true}}
      ]
    },
    {
      "id": "us-east-1_PromptPool",
      "deviceConfiguration": {"deviceOnlyRememberedOnUserPrompt": true},
      "clients": [{"clientId": "prompt", "explicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH"]}],
      "users": [
        {"username": "mfa", "password": "Dora-Passw0rd!", "status": "CONFIRMED",
         "attributes": {"phone_number": "+15555550100"}, "mfa": {"sms": true}}
      ]
    },
    {
      "id": "us-east-1_NoDevices",
      "clients": [{"clientId": "plain", "explicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}],
      "users": [{"username": "dora", "password": "Dora-Passw0rd!", "status": "CONFIRMED"}]
    }
  ]
}"#;

/// USER_SRP_AUTH up to the PASSWORD_VERIFIER answer, naming `device_key`.
fn srp_with_device(
    h: &mut Harness,
    pool: &str,
    client: &str,
    user: &str,
    device_key: Option<&str>,
) -> Result<Value, Refusal> {
    let (srp, challenge) = h.start_srp(client, user)?;
    let mut responses = h.claim(srp, pool, client, &challenge, PASSWORD);
    if let Some(key) = device_key {
        responses["DEVICE_KEY"] = key.into();
    }
    h.respond(
        client,
        "PASSWORD_VERIFIER",
        Some(&challenge["Session"]),
        responses,
    )
}

/// Confirms the device of a sign-in's NewDeviceMetadata; its secrets.
pub fn confirm(h: &mut Harness, result: &serde_json::Map<String, Value>) -> (DeviceSecrets, Value) {
    let metadata = &result["NewDeviceMetadata"];
    let metadata = NewDeviceMetadata {
        device_key: metadata["DeviceKey"].as_str().expect("DeviceKey").into(),
        device_group_key: metadata["DeviceGroupKey"]
            .as_str()
            .expect("DeviceGroupKey")
            .into(),
    };
    let (secrets, verifier) = new_device(metadata, &[3; 40], &[0xc4; 16]);
    let answer = h
        .call(
            "ConfirmDevice",
            json!({"AccessToken": result["AccessToken"], "DeviceKey": secrets.device_key,
                   "DeviceName": "Test Browser",
                   "DeviceSecretVerifierConfig": {"PasswordVerifier": verifier.password_verifier, "Salt": verifier.salt}}),
        )
        .expect("ConfirmDevice");
    (secrets, answer)
}

/// A sign-in that names the device: the user's password (USER_SRP_AUTH with
/// DEVICE_KEY), then the device's proof with its own password.
fn sign_in_on_device(
    h: &mut Harness,
    pool: &str,
    client: &str,
    user: &str,
    device: &DeviceSecrets,
) -> Result<Value, Refusal> {
    let asked = srp_with_device(h, pool, client, user, Some(&device.device_key))?;
    device_rounds(h, client, &asked, device, &device.device_password)
}

/// DEVICE_SRP_AUTH then DEVICE_PASSWORD_VERIFIER, proving `password` for the device.
pub fn device_rounds(
    h: &mut Harness,
    client: &str,
    asked: &Value,
    device: &DeviceSecrets,
    password: &str,
) -> Result<Value, Refusal> {
    assert_eq!(asked["ChallengeName"], "DEVICE_SRP_AUTH", "{asked}");
    let user = asked["ChallengeParameters"]["USERNAME"]
        .as_str()
        .unwrap()
        .to_owned();
    let srp = SrpClient::new(&[0x21; 48]).unwrap();
    let responses =
        json!({"USERNAME": user, "DEVICE_KEY": device.device_key, "SRP_A": srp.public_a_hex()});
    let challenge = h.respond(
        client,
        "DEVICE_SRP_AUTH",
        Some(&asked["Session"]),
        responses,
    )?;
    assert_eq!(challenge["ChallengeName"], "DEVICE_PASSWORD_VERIFIER");
    let params = &challenge["ChallengeParameters"];
    let timestamp = format_timestamp(h.now() as i64);
    let mut identity = device.identity();
    identity.password = password;
    let signature = srp
        .password_claim(
            &identity,
            &VerifierChallenge {
                salt_hex: params["SALT"].as_str().unwrap(),
                srp_b_hex: params["SRP_B"].as_str().unwrap(),
                secret_block_b64: params["SECRET_BLOCK"].as_str().unwrap(),
            },
            &timestamp,
        )
        .unwrap();
    let responses = json!({"USERNAME": user, "DEVICE_KEY": device.device_key,
        "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"], "TIMESTAMP": timestamp,
        "PASSWORD_CLAIM_SIGNATURE": signature});
    h.respond(
        client,
        "DEVICE_PASSWORD_VERIFIER",
        Some(&challenge["Session"]),
        responses,
    )
}

/// Answers the SMS_MFA challenge `asked` of `user` of `pool` with the last
/// code the inbox holds for them.
fn answer_sms_mfa(
    h: &mut Harness,
    pool: &str,
    client: &str,
    user: &str,
    asked: &Value,
) -> Result<Value, Refusal> {
    let inbox = h.state.inbox.query(Some(pool), Some(user));
    let code = inbox["messages"].as_array().unwrap().last().unwrap()["code"].clone();
    h.respond(
        client,
        "SMS_MFA",
        Some(&asked["Session"]),
        json!({"USERNAME": user, "SMS_MFA_CODE": code}),
    )
}

fn remembered(h: &mut Harness, user: &str) -> (DeviceSecrets, serde_json::Map<String, Value>) {
    let first = tokens(
        srp_with_device(h, POOL, "devices", user, None).and_then(|a| {
            if a["ChallengeName"] == "SMS_MFA" {
                answer_sms_mfa(h, POOL, "devices", user, &a)
            } else {
                Ok(a)
            }
        }),
    );
    let (device, answer) = confirm(h, &first);
    assert_eq!(answer, json!({"UserConfirmationNecessary": false}));
    (device, first)
}

#[test]
fn a_pool_without_device_configuration_issues_no_device() {
    let mut h = Harness::with_seed(SEED);
    let result = tokens(h.password_sign_in("plain", "dora", PASSWORD));
    assert!(!result.contains_key("NewDeviceMetadata"));
    // A DEVICE_KEY is ignored where devices are not tracked.
    let answer = h.call(
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "plain",
            "AuthParameters": {"USERNAME": "dora", "PASSWORD": PASSWORD, "DEVICE_KEY": "us-east-1_x"}}),
    );
    assert!(tokens(answer).contains_key("AccessToken"));
}

#[test]
fn a_confirmed_device_proves_its_secret_on_the_next_sign_in() {
    let mut h = Harness::with_seed(SEED);
    let (device, first) = remembered(&mut h, "dora");
    assert!(
        device.device_key.starts_with("us-east-1_"),
        "{}",
        device.device_key
    );
    assert!(device.device_group_key.starts_with('-'));

    // Second sign-in: the password, then the device's own SRP.
    let result = tokens(sign_in_on_device(&mut h, POOL, "devices", "dora", &device));
    assert!(result.contains_key("AccessToken"));
    assert!(
        !result.contains_key("NewDeviceMetadata"),
        "a known device gets no new one"
    );

    // A wrong device password fails only here, on the second sign-in.
    let asked = srp_with_device(&mut h, POOL, "devices", "dora", Some(&device.device_key)).unwrap();
    refused(
        device_rounds(
            &mut h,
            "devices",
            &asked,
            &device,
            "not-the-device-password",
        ),
        "NotAuthorizedException",
        "Incorrect username or password.",
    );

    // USER_PASSWORD_AUTH with DEVICE_KEY asks the same.
    let asked = h
        .call("InitiateAuth", json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "devices",
            "AuthParameters": {"USERNAME": "dora", "PASSWORD": PASSWORD, "DEVICE_KEY": device.device_key}}))
        .unwrap();
    tokens(device_rounds(
        &mut h,
        "devices",
        &asked,
        &device,
        &device.device_password,
    ));

    // ConfirmDevice works once.
    let metadata_again = json!({"AccessToken": first["AccessToken"], "DeviceKey": device.device_key,
        "DeviceSecretVerifierConfig": {"PasswordVerifier": "AQ==", "Salt": "AQ=="}});
    refused(
        h.call("ConfirmDevice", metadata_again),
        "InvalidParameterException",
        "already",
    );
}

#[test]
fn an_unknown_device_is_resource_not_found_and_the_challenge_survives() {
    let mut h = Harness::with_seed(SEED);
    let (srp, challenge) = h.start_srp("devices", "dora").unwrap();
    let mut responses = h.claim(srp, POOL, "devices", &challenge, PASSWORD);
    responses["DEVICE_KEY"] = "us-east-1_00000000-0000-4000-8000-000000000000".into();
    let session = Some(&challenge["Session"]);
    refused(
        h.respond("devices", "PASSWORD_VERIFIER", session, responses.clone()),
        "ResourceNotFoundException",
        "Device does not exist.",
    );
    responses.as_object_mut().unwrap().remove("DEVICE_KEY");
    let result = tokens(h.respond("devices", "PASSWORD_VERIFIER", session, responses));
    assert!(result.contains_key("NewDeviceMetadata"));
    refused(
        h.call(
            "InitiateAuth",
            json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "devices",
            "AuthParameters": {"USERNAME": "dora", "PASSWORD": PASSWORD, "DEVICE_KEY": "nope"}}),
        ),
        "ResourceNotFoundException",
        "Device does not exist.",
    );
}

#[test]
fn a_remembered_device_skips_mfa_and_a_not_remembered_one_does_not() {
    let mut h = Harness::with_seed(SEED);
    let (device, _) = remembered(&mut h, "mfa");
    let result = tokens(sign_in_on_device(&mut h, POOL, "devices", "mfa", &device));
    assert!(
        result.contains_key("AccessToken"),
        "no SMS_MFA on a remembered device"
    );

    // A pool that remembers only on the user's say-so.
    let first = srp_with_device(&mut h, PROMPT_POOL, "prompt", "mfa", None).unwrap();
    assert_eq!(first["ChallengeName"], "SMS_MFA");
    let first = tokens(answer_sms_mfa(&mut h, PROMPT_POOL, "prompt", "mfa", &first));
    let (device, answer) = confirm(&mut h, &first);
    assert_eq!(answer, json!({"UserConfirmationNecessary": true}));
    let next = sign_in_on_device(&mut h, PROMPT_POOL, "prompt", "mfa", &device).unwrap();
    assert_eq!(
        next["ChallengeName"], "SMS_MFA",
        "not remembered yet: MFA stays"
    );
    let after_mfa = tokens(answer_sms_mfa(&mut h, PROMPT_POOL, "prompt", "mfa", &next));
    assert!(
        !after_mfa.contains_key("NewDeviceMetadata"),
        "the device is known: no new one"
    );

    h.call(
        "UpdateDeviceStatus",
        json!({"AccessToken": first["AccessToken"],
        "DeviceKey": device.device_key, "DeviceRememberedStatus": "remembered"}),
    )
    .unwrap();
    tokens(sign_in_on_device(
        &mut h,
        PROMPT_POOL,
        "prompt",
        "mfa",
        &device,
    ));
}

#[test]
fn devices_are_listed_fetched_and_forgotten() {
    let mut h = Harness::with_seed(SEED);
    let (device, first) = remembered(&mut h, "dora");
    let access = first["AccessToken"].clone();
    let list = h
        .call("ListDevices", json!({"AccessToken": access, "Limit": 60}))
        .unwrap();
    let devices = list["Devices"].as_array().unwrap();
    assert_eq!(devices.len(), 1, "only confirmed devices: {list}");
    assert_eq!(devices[0]["DeviceKey"], device.device_key.as_str());
    let attributes = &devices[0]["DeviceAttributes"];
    assert!(attributes
        .as_array()
        .unwrap()
        .contains(&json!({"Name": "device_name", "Value": "Test Browser"})));
    assert!(attributes
        .as_array()
        .unwrap()
        .contains(&json!({"Name": "dev:device_remembered_status", "Value": "remembered"})));
    assert_eq!(devices[0]["DeviceCreateDate"], h.now());
    let got = h
        .call(
            "GetDevice",
            json!({"AccessToken": access, "DeviceKey": device.device_key}),
        )
        .unwrap();
    assert_eq!(got["Device"]["DeviceKey"], device.device_key.as_str());

    // Refresh names the device; an unknown one is refused.
    let refresh = first["RefreshToken"].clone();
    tokens(h.call(
        "InitiateAuth",
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": "devices",
        "AuthParameters": {"REFRESH_TOKEN": refresh, "DEVICE_KEY": device.device_key}}),
    ));
    refused(
        h.call(
            "GetTokensFromRefreshToken",
            json!({"ClientId": "devices", "RefreshToken": refresh,
            "DeviceKey": "us-east-1_unknown"}),
        ),
        "ResourceNotFoundException",
        "Device does not exist.",
    );

    h.call(
        "ForgetDevice",
        json!({"AccessToken": access, "DeviceKey": device.device_key}),
    )
    .unwrap();
    let list = h
        .call("ListDevices", json!({"AccessToken": access}))
        .unwrap();
    assert_eq!(list["Devices"], json!([]));
    refused(
        h.call(
            "ForgetDevice",
            json!({"AccessToken": access, "DeviceKey": device.device_key}),
        ),
        "ResourceNotFoundException",
        "Device does not exist.",
    );
    refused(
        srp_with_device(&mut h, POOL, "devices", "dora", Some(&device.device_key)),
        "ResourceNotFoundException",
        "Device does not exist.",
    );
}

/// InitiateAuth USER_AUTH for `user` with `params` (and DEVICE_KEY `device`).
fn user_auth(
    h: &mut Harness,
    user: &str,
    params: Value,
    device: Option<&str>,
) -> Result<Value, Refusal> {
    let mut params = params;
    params["USERNAME"] = user.into();
    if let Some(key) = device {
        params["DEVICE_KEY"] = key.into();
    }
    h.call(
        "InitiateAuth",
        json!({"AuthFlow": "USER_AUTH", "ClientId": "devices", "AuthParameters": params}),
    )
}

/// Answers the SELECT_CHALLENGE `select` with `answer`.
fn choose(h: &mut Harness, select: &Value, answer: Value) -> Result<Value, Refusal> {
    h.respond(
        "devices",
        "SELECT_CHALLENGE",
        Some(&select["Session"]),
        answer,
    )
}

/// Answers the EMAIL_OTP challenge `asked` with the code sent.
fn answer_email_code(h: &mut Harness, asked: &Value) -> Result<Value, Refusal> {
    assert_eq!(asked["ChallengeName"], "EMAIL_OTP", "{asked}");
    let code = h.inbox_code(POOL, "dora", "EMAIL_OTP");
    h.respond(
        "devices",
        "EMAIL_OTP",
        Some(&asked["Session"]),
        json!({"USERNAME": "dora", "EMAIL_OTP_CODE": code}),
    )
}

#[test]
fn user_auth_proves_the_device_after_a_sign_in_code_or_a_password() {
    let mut h = Harness::with_seed(SEED);
    let email = json!({"PREFERRED_CHALLENGE": "EMAIL_OTP"});
    let asked = user_auth(&mut h, "dora", email.clone(), None).unwrap();
    let first = tokens(answer_email_code(&mut h, &asked));
    let (device, _) = confirm(&mut h, &first);
    let key = Some(device.device_key.as_str());

    // The code, then the device's proof: no new device.
    let asked = user_auth(&mut h, "dora", email.clone(), key).unwrap();
    let proof = answer_email_code(&mut h, &asked);
    let result = tokens(device_rounds(
        &mut h,
        "devices",
        &proof.unwrap(),
        &device,
        &device.device_password,
    ));
    assert!(!result.contains_key("NewDeviceMetadata"));
    // Named with the SELECT_CHALLENGE answer.
    let select = user_auth(&mut h, "dora", json!({}), None).unwrap();
    let answer =
        json!({"USERNAME": "dora", "ANSWER": "EMAIL_OTP", "DEVICE_KEY": device.device_key});
    let asked = choose(&mut h, &select, answer).unwrap();
    let proof = answer_email_code(&mut h, &asked).unwrap();
    assert_eq!(proof["ChallengeName"], "DEVICE_SRP_AUTH");

    // A stale device is refused before a code is sent, and the Session of
    // SELECT_CHALLENGE survives it.
    let stale = Some("us-east-1_00000000-0000-4000-8000-000000000000");
    let sent = h.state.inbox.query(Some(POOL), Some("dora"))["messages"]
        .as_array()
        .unwrap()
        .len();
    refused(
        user_auth(&mut h, "dora", email, stale),
        "ResourceNotFoundException",
        "Device does not exist.",
    );
    let select = user_auth(&mut h, "dora", json!({}), None).unwrap();
    let mut answer = json!({"USERNAME": "dora", "ANSWER": "EMAIL_OTP", "DEVICE_KEY": stale});
    refused(
        choose(&mut h, &select, answer.clone()),
        "ResourceNotFoundException",
        "Device does not exist.",
    );
    let messages = h.state.inbox.query(Some(POOL), Some("dora"));
    assert_eq!(
        messages["messages"].as_array().unwrap().len(),
        sent,
        "no code was sent"
    );
    answer.as_object_mut().unwrap().remove("DEVICE_KEY");
    let asked = choose(&mut h, &select, answer).unwrap();
    assert!(tokens(answer_email_code(&mut h, &asked)).contains_key("NewDeviceMetadata"));

    // The password factor: a remembered device skips the user's MFA.
    let (device, _) = remembered(&mut h, "mfa");
    let password = json!({"PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": PASSWORD});
    let asked = user_auth(&mut h, "mfa", password.clone(), None).unwrap();
    assert_eq!(asked["ChallengeName"], "SMS_MFA", "without the device, MFA");
    let asked = user_auth(&mut h, "mfa", password, Some(&device.device_key)).unwrap();
    let result = tokens(device_rounds(
        &mut h,
        "devices",
        &asked,
        &device,
        &device.device_password,
    ));
    assert!(!result.contains_key("NewDeviceMetadata"));
}
