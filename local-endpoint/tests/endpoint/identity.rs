//! The identity-pool API: GetId, GetCredentialsForIdentity and
//! GetOpenIdToken, the checks of the id tokens in Logins, guests, and
//! guests who sign in (linking and merging).

use serde_json::{json, Value};

use crate::harness::*;

pub const ID_POOL: &str = "us-east-1_IdPool";
pub const WEB_CLIENT: &str = "webclient";
/// Allows guests; authenticated and unauthenticated roles.
pub const GUEST_POOL: &str = "us-east-1:11111111-1111-4111-8111-111111111111";
/// No guests; two user pools; 60-second credentials.
pub const MEMBERS_POOL: &str = "us-east-1:22222222-2222-4222-8222-222222222222";
/// Guests allowed but no roles.
pub const ROLELESS_POOL: &str = "us-east-1:33333333-3333-4333-8333-333333333333";
pub const PROVIDER: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_IdPool";
pub const OTHER_PROVIDER: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Other";
pub const AUTH_ROLE: &str = "arn:aws:iam::123456789012:role/FilesAuthenticated";

pub const IDENTITY_SEED: &str = r#"{
  "userPools": [
    {
      "id": "us-east-1_IdPool",
      "clients": [
        {"clientId": "webclient", "explicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]},
        {"clientId": "otherclient", "explicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}
      ],
      "users": [
        {"username": "alice", "password": "Alice-Passw0rd!", "status": "CONFIRMED"},
        {"username": "bob", "password": "Bob-Passw0rd!", "status": "CONFIRMED"},
        {"username": "carol", "password": "Carol-Passw0rd!", "status": "CONFIRMED"}
      ]
    },
    {
      "id": "us-east-1_Other",
      "clients": [{"clientId": "otherpoolclient", "explicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}],
      "users": [{"username": "dan", "password": "Dan-Passw0rd!", "status": "CONFIRMED"}]
    }
  ],
  "identityPools": [
    {
      "id": "us-east-1:11111111-1111-4111-8111-111111111111",
      "name": "files with guests",
      "allowUnauthenticatedIdentities": true,
      "cognitoIdentityProviders": [
        {"providerName": "cognito-idp.us-east-1.amazonaws.com/us-east-1_IdPool", "clientId": "webclient"}
      ],
      "roles": {
        "authenticated": {
          "roleArn": "arn:aws:iam::123456789012:role/FilesAuthenticated",
          "allow": [
            {"bucket": "files", "prefix": "private/${cognito-identity.amazonaws.com:sub}/", "actions": ["read", "write"]},
            {"bucket": "files", "prefix": "public/", "actions": ["read", "write"]},
            {"bucket": "eu-files", "actions": ["read", "write"]}
          ]
        },
        "unauthenticated": {
          "allow": [{"bucket": "files", "prefix": "public/", "actions": ["read"]}]
        }
      }
    },
    {
      "id": "us-east-1:22222222-2222-4222-8222-222222222222",
      "name": "members only",
      "cognitoIdentityProviders": [
        {"providerName": "cognito-idp.us-east-1.amazonaws.com/us-east-1_IdPool", "clientId": "webclient"},
        {"providerName": "cognito-idp.us-east-1.amazonaws.com/us-east-1_Other", "clientId": "otherpoolclient"}
      ],
      "roles": {
        "authenticated": {"allow": [{"bucket": "files", "prefix": "members/", "actions": ["read", "write"]}]}
      },
      "credentialsValiditySeconds": 60
    },
    {
      "id": "us-east-1:33333333-3333-4333-8333-333333333333",
      "name": "no roles",
      "allowUnauthenticatedIdentities": true
    }
  ],
  "buckets": [
    {"name": "files", "objects": [{"key": "public/hello.txt", "body": "hello, guest", "contentType": "text/plain"}]},
    {"name": "eu-files", "region": "eu-west-1"}
  ]
}"#;

pub fn identity_harness() -> Harness {
    Harness::with_seed(IDENTITY_SEED)
}

/// The raw answer of an identity-pool call: (status, body text).
pub fn identity_raw(h: &mut Harness, operation: &str, body: Value) -> (u16, String) {
    let target = format!("AWSCognitoIdentityService.{operation}");
    let headers = [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("X-Amz-Target", target.as_str()),
    ];
    let response = h.request("POST", "/", &headers, body.to_string().as_bytes());
    if response.status != 200 {
        let name = serde_json::from_slice::<Value>(&response.body).unwrap()["__type"].clone();
        assert_eq!(
            response.header("x-amzn-ErrorType"),
            Some(format!("{}:", name.as_str().unwrap()).as_str())
        );
    }
    (response.status, String::from_utf8(response.body).unwrap())
}

/// One identity-pool call; Ok(body) on 200, Err((name, message)) on 400.
pub fn identity_call(h: &mut Harness, operation: &str, body: Value) -> Result<Value, Refusal> {
    let (status, text) = identity_raw(h, operation, body);
    let json: Value = serde_json::from_str(&text).unwrap();
    if status == 200 {
        return Ok(json);
    }
    assert_eq!(status, 400, "{text}");
    Err((
        json["__type"].as_str().unwrap().to_owned(),
        json["message"].as_str().unwrap().to_owned(),
    ))
}

pub fn id_token(h: &mut Harness, client: &str, username: &str, password: &str) -> String {
    tokens(h.password_sign_in(client, username, password))["IdToken"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub fn alice_token(h: &mut Harness) -> String {
    id_token(h, WEB_CLIENT, "alice", "Alice-Passw0rd!")
}

pub fn get_id(h: &mut Harness, pool: &str, logins: Value) -> Result<String, Refusal> {
    identity_call(
        h,
        "GetId",
        json!({ "IdentityPoolId": pool, "Logins": logins }),
    )
    .map(|answer| answer["IdentityId"].as_str().unwrap().to_owned())
}

pub fn credentials(h: &mut Harness, identity_id: &str, logins: Value) -> Result<Value, Refusal> {
    identity_call(
        h,
        "GetCredentialsForIdentity",
        json!({ "IdentityId": identity_id, "Logins": logins }),
    )
}

/// A token signed with the endpoint's key, with these claims.
pub fn forged(claims: Value) -> String {
    test_signer().sign(&claims)
}

fn is_identity_id(id: &str) -> bool {
    id.strip_prefix("us-east-1:")
        .is_some_and(|uuid| uuid.len() == 36 && uuid.bytes().filter(|b| *b == b'-').count() == 4)
}

#[test]
fn a_guest_gets_an_identity_and_expiring_unauthenticated_credentials() {
    let mut h = identity_harness();
    let guest = get_id(&mut h, GUEST_POOL, json!({})).unwrap();
    assert!(is_identity_id(&guest), "{guest}");
    let again = identity_call(&mut h, "GetId", json!({ "IdentityPoolId": GUEST_POOL })).unwrap();
    assert_ne!(
        again["IdentityId"],
        guest.as_str(),
        "each guest GetId is a new identity"
    );

    let (status, text) = identity_raw(
        &mut h,
        "GetCredentialsForIdentity",
        json!({ "IdentityId": guest }),
    );
    assert_eq!(status, 200, "{text}");
    // 1_700_000_000 + 3600, written as the service writes doubles.
    assert!(text.contains(r#""Expiration":1.7000036E9"#), "{text}");
    let answer: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(answer["IdentityId"], guest.as_str());
    let credentials = &answer["Credentials"];
    let key = credentials["AccessKeyId"].as_str().unwrap();
    assert!(key.starts_with("ASIA") && key.len() == 20, "{key}");
    assert!(key
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
    assert_eq!(credentials["SecretKey"].as_str().unwrap().len(), 40);
    assert!(credentials["SessionToken"].as_str().unwrap().len() >= 100);
    assert_eq!(credentials["Expiration"].as_f64(), Some(1_700_003_600.0));
    let issued = h.state.identity.identities.credentials(key).unwrap();
    assert_eq!(issued.identity_id, guest);
    assert_eq!(issued.role.name(), "unauthenticated");

    let next = credentials_of(&mut h, &guest);
    assert_ne!(
        next["AccessKeyId"], credentials["AccessKeyId"],
        "new keys each call"
    );
}

fn credentials_of(h: &mut Harness, guest: &str) -> Value {
    credentials(h, guest, json!({})).unwrap()["Credentials"].clone()
}

#[test]
fn guests_are_refused_where_the_pool_does_not_allow_them() {
    let mut h = identity_harness();
    let message = "Unauthenticated access is not supported for this identity pool.";
    refused(
        get_id(&mut h, MEMBERS_POOL, json!({})).map(Value::from),
        "NotAuthorizedException",
        message,
    );
    refused(
        identity_call(&mut h, "GetId", json!({ "IdentityPoolId": MEMBERS_POOL })),
        "NotAuthorizedException",
        message,
    );
}

#[test]
fn a_signed_in_user_keeps_one_identity_and_needs_logins_for_credentials() {
    let mut h = identity_harness();
    let token = alice_token(&mut h);
    let logins = json!({ PROVIDER: token });
    let alice = get_id(&mut h, MEMBERS_POOL, logins.clone()).unwrap();
    assert!(is_identity_id(&alice));
    assert_eq!(get_id(&mut h, MEMBERS_POOL, logins.clone()).unwrap(), alice);
    let fresh = alice_token(&mut h);
    assert_eq!(
        get_id(&mut h, MEMBERS_POOL, json!({ PROVIDER: fresh })).unwrap(),
        alice,
        "same user, new token"
    );
    assert_ne!(
        get_id(&mut h, GUEST_POOL, logins.clone()).unwrap(),
        alice,
        "identity pools do not share identities"
    );

    refused(
        credentials(&mut h, &alice, json!({})),
        "NotAuthorizedException",
        "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    );
    let answer = credentials(&mut h, &alice, logins).unwrap();
    assert_eq!(answer["IdentityId"], alice.as_str());
    assert_eq!(
        answer["Credentials"]["Expiration"].as_f64(),
        Some(1_700_000_060.0),
        "the pool's 60 s"
    );
    let key = answer["Credentials"]["AccessKeyId"].as_str().unwrap();
    assert_eq!(
        h.state
            .identity
            .identities
            .credentials(key)
            .unwrap()
            .role
            .name(),
        "authenticated"
    );
}

#[test]
fn id_tokens_are_checked_like_the_service_checks_them() {
    let mut h = identity_harness();
    let token = alice_token(&mut h);
    let issuer = format!("{BASE_URL}/{ID_POOL}");
    let claims = |changes: Value| {
        let mut claims = json!({
            "sub": "0b7a1c62-5d3e-4f7a-9c1e-2a4b6c8d0e1f", "iss": issuer, "aud": WEB_CLIENT,
            "token_use": "id", "exp": START + 3600, "iat": START,
        });
        for (name, value) in changes.as_object().unwrap() {
            claims[name] = value.clone();
        }
        claims
    };
    assert!(
        get_id(
            &mut h,
            MEMBERS_POOL,
            json!({ PROVIDER: forged(claims(json!({}))) })
        )
        .is_ok(),
        "the forger signs like the endpoint"
    );

    let (header, rest) = token.split_once('.').unwrap();
    let (payload, signature) = rest.split_once('.').unwrap();
    let mut other_signature = signature.as_bytes().to_vec();
    other_signature[10] = if other_signature[10] == b'A' {
        b'B'
    } else {
        b'A'
    };
    let bad_signature = format!(
        "{header}.{payload}.{}",
        String::from_utf8(other_signature).unwrap()
    );
    let dan = id_token(&mut h, "otherpoolclient", "dan", "Dan-Passw0rd!");
    let other_client = id_token(&mut h, "otherclient", "alice", "Alice-Passw0rd!");
    let access = tokens(h.password_sign_in(WEB_CLIENT, "alice", "Alice-Passw0rd!"))["AccessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let cases = [
        (
            json!({ PROVIDER: bad_signature }),
            "Invalid login token. Couldn't verify signed token.",
        ),
        (
            json!({ PROVIDER: "not.a.jwt" }),
            "Invalid login token. Not a valid OpenId Connect identity token.",
        ),
        (
            json!({ PROVIDER: dan }),
            "Invalid login token. Issuer doesn't match providerName",
        ),
        (
            json!({ PROVIDER: forged(claims(json!({ "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_IdPool" }))) }),
            "Invalid login token. Issuer doesn't match providerName",
        ),
        (
            json!({ PROVIDER: other_client }),
            "Token is not from a supported provider of this identity pool.",
        ),
        (
            json!({ PROVIDER: access }),
            "Invalid login token. Missing a required claim: aud",
        ),
        (
            json!({ PROVIDER: forged(claims(json!({ "token_use": "access" }))) }),
            "Invalid login token. Not an id token.",
        ),
        (
            json!({ "accounts.google.com": token.clone() }),
            "Token is not from a supported provider of this identity pool.",
        ),
        (
            json!({ OTHER_PROVIDER: token.clone() }),
            "Token is not from a supported provider of this identity pool.",
        ),
    ];
    for (logins, message) in cases {
        refused(
            get_id(&mut h, GUEST_POOL, logins.clone()).map(Value::from),
            "NotAuthorizedException",
            message,
        );
    }

    // An id token lasts an hour; the identity pool then refuses it.
    h.advance(3600);
    let now = h.now();
    refused(
        get_id(&mut h, GUEST_POOL, json!({ PROVIDER: token })).map(Value::from),
        "NotAuthorizedException",
        &format!("Invalid login token. Token expired: {now} >= {now}"),
    );
}

#[test]
fn unknown_pools_and_identities_and_malformed_requests_are_refused() {
    let mut h = identity_harness();
    let nowhere = "us-east-1:44444444-4444-4444-8444-444444444444";
    refused(
        get_id(&mut h, nowhere, json!({})).map(Value::from),
        "ResourceNotFoundException",
        &format!("IdentityPool '{nowhere}' not found."),
    );
    refused(
        credentials(&mut h, nowhere, json!({})),
        "ResourceNotFoundException",
        &format!("Identity '{nowhere}' not found."),
    );
    refused(
        get_id(&mut h, "us-east-1_IdPool", json!({})).map(Value::from),
        "InvalidParameterException",
        "Value 'us-east-1_IdPool' at 'identityPoolId' failed to satisfy constraint",
    );
    refused(
        identity_call(&mut h, "GetCredentialsForIdentity", json!({})),
        "InvalidParameterException",
        "Value null at 'identityId' failed to satisfy constraint: Member must not be null",
    );
    refused(
        identity_call(
            &mut h,
            "GetId",
            json!({ "IdentityPoolId": GUEST_POOL, "AccountId": "12ab" }),
        ),
        "InvalidParameterException",
        "at 'accountId'",
    );
    let eleven: serde_json::Map<String, Value> = (0..11)
        .map(|i| (format!("provider{i}"), Value::from("t")))
        .collect();
    refused(
        get_id(&mut h, GUEST_POOL, Value::Object(eleven)).map(Value::from),
        "InvalidParameterException",
        "Member must have length less than or equal to 10",
    );
    let (status, text) = identity_raw(&mut h, "ListIdentities", json!({}));
    assert_eq!(status, 400);
    assert!(text.contains("UnknownOperationException"), "{text}");
    let garbage = h.request(
        "POST",
        "/",
        &[("X-Amz-Target", "AWSCognitoIdentityService.GetId")],
        b"{not json",
    );
    let body: Value = serde_json::from_slice(&garbage.body).unwrap();
    assert_eq!(
        (garbage.status, body["__type"].as_str()),
        (400, Some("SerializationException"))
    );
}

#[test]
fn a_guest_who_signs_in_becomes_authenticated_with_the_same_identity() {
    let mut h = identity_harness();
    let guest = get_id(&mut h, GUEST_POOL, json!({})).unwrap();
    credentials(&mut h, &guest, json!({})).unwrap();
    let logins = json!({ PROVIDER: alice_token(&mut h) });
    let answer = credentials(&mut h, &guest, logins.clone()).unwrap();
    assert_eq!(
        answer["IdentityId"],
        guest.as_str(),
        "the login is linked to the guest identity"
    );
    let key = answer["Credentials"]["AccessKeyId"].as_str().unwrap();
    assert_eq!(
        h.state
            .identity
            .identities
            .credentials(key)
            .unwrap()
            .role
            .name(),
        "authenticated"
    );
    assert_eq!(
        get_id(&mut h, GUEST_POOL, logins).unwrap(),
        guest,
        "GetId finds it by the login"
    );
    refused(
        credentials(&mut h, &guest, json!({})),
        "NotAuthorizedException",
        "Logins don't match.",
    );
}

#[test]
fn a_guest_whose_login_has_an_identity_merges_into_it() {
    let mut h = identity_harness();
    let logins = json!({ PROVIDER: alice_token(&mut h) });
    let alice = get_id(&mut h, GUEST_POOL, logins.clone()).unwrap();
    let guest = get_id(&mut h, GUEST_POOL, json!({})).unwrap();
    let answer = credentials(&mut h, &guest, logins.clone()).unwrap();
    assert_eq!(
        answer["IdentityId"],
        alice.as_str(),
        "the answer names the identity the guest merged into"
    );
    let key = answer["Credentials"]["AccessKeyId"].as_str().unwrap();
    assert_eq!(
        h.state
            .identity
            .identities
            .credentials(key)
            .unwrap()
            .identity_id,
        alice
    );
    // The old guest id now stands for alice's identity: it needs her login.
    refused(
        credentials(&mut h, &guest, json!({})),
        "NotAuthorizedException",
        "Logins don't match.",
    );
    assert_eq!(
        credentials(&mut h, &guest, logins).unwrap()["IdentityId"],
        alice.as_str()
    );
}

#[test]
fn another_users_login_does_not_open_an_identity() {
    let mut h = identity_harness();
    let alice_logins = json!({ PROVIDER: alice_token(&mut h) });
    let alice = get_id(&mut h, GUEST_POOL, alice_logins).unwrap();
    let bob_logins = json!({ PROVIDER: id_token(&mut h, WEB_CLIENT, "bob", "Bob-Passw0rd!") });
    get_id(&mut h, GUEST_POOL, bob_logins.clone()).unwrap();
    refused(
        credentials(&mut h, &alice, bob_logins),
        "ResourceConflictException",
        "The login is already linked to another identity.",
    );
    let carol_logins =
        json!({ PROVIDER: id_token(&mut h, WEB_CLIENT, "carol", "Carol-Passw0rd!") });
    refused(
        credentials(&mut h, &alice, carol_logins),
        "NotAuthorizedException",
        "Logins don't match.",
    );
}

#[test]
fn logins_of_two_providers_share_one_identity_unless_they_already_have_two() {
    let mut h = identity_harness();
    let alice = alice_token(&mut h);
    let dan = id_token(&mut h, "otherpoolclient", "dan", "Dan-Passw0rd!");
    let both = get_id(
        &mut h,
        MEMBERS_POOL,
        json!({ PROVIDER: alice, OTHER_PROVIDER: dan }),
    )
    .unwrap();
    assert_eq!(
        get_id(&mut h, MEMBERS_POOL, json!({ OTHER_PROVIDER: dan })).unwrap(),
        both
    );
    let bob = id_token(&mut h, WEB_CLIENT, "bob", "Bob-Passw0rd!");
    get_id(&mut h, MEMBERS_POOL, json!({ PROVIDER: bob })).unwrap();
    refused(
        get_id(
            &mut h,
            MEMBERS_POOL,
            json!({ PROVIDER: bob, OTHER_PROVIDER: dan }),
        )
        .map(Value::from),
        "ResourceConflictException",
        "already linked",
    );
}

#[test]
fn roles_and_custom_role_arns() {
    let mut h = identity_harness();
    let roleless = get_id(&mut h, ROLELESS_POOL, json!({})).unwrap();
    refused(
        credentials(&mut h, &roleless, json!({})),
        "InvalidIdentityPoolConfigurationException",
        "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
    );
    let logins = json!({ PROVIDER: alice_token(&mut h) });
    let alice = get_id(&mut h, GUEST_POOL, logins.clone()).unwrap();
    let with_arn =
        |arn: &str| json!({ "IdentityId": alice, "Logins": logins, "CustomRoleArn": arn });
    identity_call(&mut h, "GetCredentialsForIdentity", with_arn(AUTH_ROLE)).unwrap();
    refused(
        identity_call(
            &mut h,
            "GetCredentialsForIdentity",
            with_arn("arn:aws:iam::123456789012:role/Admin"),
        ),
        "InvalidParameterException",
        "is not the authenticated role",
    );
}

#[test]
fn open_id_tokens_name_the_identity_and_how_it_signed_in() {
    let mut h = identity_harness();
    let guest = get_id(&mut h, GUEST_POOL, json!({})).unwrap();
    let answer = identity_call(&mut h, "GetOpenIdToken", json!({ "IdentityId": guest })).unwrap();
    assert_eq!(answer["IdentityId"], guest.as_str());
    let claims = h.verified_claims(ID_POOL, answer["Token"].as_str().unwrap());
    assert_eq!(claims["sub"], guest.as_str());
    assert_eq!(claims["aud"], GUEST_POOL);
    assert_eq!(claims["iss"], "https://cognito-identity.amazonaws.com");
    assert_eq!(claims["amr"], json!(["unauthenticated"]));
    assert_eq!(claims["exp"].as_u64(), Some(START + 600));

    let token = alice_token(&mut h);
    let sub = h.verified_claims(ID_POOL, &token)["sub"]
        .as_str()
        .unwrap()
        .to_owned();
    let answer = identity_call(
        &mut h,
        "GetOpenIdToken",
        json!({ "IdentityId": guest, "Logins": { PROVIDER: token } }),
    )
    .unwrap();
    let claims = h.verified_claims(ID_POOL, answer["Token"].as_str().unwrap());
    assert_eq!(
        claims["amr"],
        json!([
            "authenticated",
            PROVIDER,
            format!("{PROVIDER}:CognitoSignIn:{sub}")
        ])
    );
    refused(
        identity_call(&mut h, "GetOpenIdToken", json!({ "IdentityId": guest })),
        "NotAuthorizedException",
        "Logins don't match.",
    );
}

#[test]
fn the_identity_api_is_open_to_browsers() {
    let mut h = identity_harness();
    let preflight = h.request(
        "OPTIONS",
        "/",
        &[
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "amz-sdk-invocation-id,amz-sdk-request,content-type,x-amz-target,x-amz-user-agent",
            ),
        ],
        b"",
    );
    let allowed = preflight.header("Access-Control-Allow-Headers").unwrap();
    for header in [
        "amz-sdk-invocation-id",
        "amz-sdk-request",
        "content-type",
        "x-amz-target",
        "x-amz-user-agent",
    ] {
        assert!(allowed.contains(header), "{header} in {allowed}");
    }
}

#[test]
fn the_demo_seed_has_an_identity_pool_with_guests_and_a_bucket() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/demo.json")).unwrap();
    let mut h = Harness::with_seed(&text);
    let demo_pool = "us-east-1:5e2c5a9b-8d1f-4c3e-9a7b-0d6f1e2a3b4c";
    let guest = get_id(&mut h, demo_pool, json!({})).unwrap();
    credentials(&mut h, &guest, json!({})).unwrap();
    let token = id_token(
        &mut h,
        "democlient0123456789abcdef",
        "demo",
        "Demo-Passw0rd!",
    );
    let logins = json!({ "cognito-idp.us-east-1.amazonaws.com/us-east-1_DemoPool1": token });
    let answer = credentials(&mut h, &guest, logins).unwrap();
    assert_eq!(answer["IdentityId"], guest.as_str(), "the guest signed in");
    assert_eq!(h.state.storage.bucket_names(), ["demo-bucket"]);
}

fn seed_error(identity_pool: &str, buckets: &str) -> String {
    let text = format!(
        r#"{{"userPools": [{{"id": "us-east-1_P", "clients": [{{"clientId": "c"}}]}}],
            "identityPools": [{identity_pool}], "buckets": [{buckets}]}}"#
    );
    let seed = match cognito_local::seed::parse(&text) {
        Ok(seed) => seed,
        Err(message) => return message,
    };
    match cognito_local::State::new(
        seed,
        test_signer(),
        cognito_local::Env::system(),
        BASE_URL.into(),
    ) {
        Ok(_) => panic!("accepted: {text}"),
        Err(message) => message,
    }
}

#[test]
fn identity_pool_and_bucket_mistakes_are_refused() {
    let id = r#""id": "us-east-1:0b7a1c62-5d3e-4f7a-9c1e-2a4b6c8d0e1f", "name": "p""#;
    let provider = |name: &str, client: &str| {
        format!(
            r#"{{{id}, "cognitoIdentityProviders": [{{"providerName": "{name}", "clientId": "{client}"}}]}}"#
        )
    };
    let grant =
        |grant: &str| format!(r#"{{{id}, "roles": {{"authenticated": {{"allow": [{grant}]}}}}}}"#);
    let bucket = r#"{"name": "bkt"}"#;
    for (pool, buckets, expected) in [
        (
            format!("{{{id}, \"colour\": \"red\"}}"),
            bucket,
            "unknown field",
        ),
        (
            r#"{"id": "us-east-1_P", "name": "p"}"#.to_owned(),
            bucket,
            "is not <region>:<lower-case uuid>",
        ),
        (
            format!("{{{id}, \"credentialsValiditySeconds\": 0}}"),
            bucket,
            "credentialsValiditySeconds",
        ),
        (format!("{{{id}}}, {{{id}}}"), bucket, "used twice"),
        (
            provider("cognito-idp.us-east-1.amazonaws.com/us-east-1_Q", "c"),
            bucket,
            "no user pool us-east-1_Q",
        ),
        (
            provider("cognito-idp.us-east-1.amazonaws.com/us-east-1_P", "x"),
            bucket,
            "no client x",
        ),
        (
            provider("cognito-idp.eu-west-1.amazonaws.com/us-east-1_P", "c"),
            bucket,
            "is not cognito-idp",
        ),
        (
            grant(r#"{"bucket": "nope", "actions": ["read"]}"#),
            bucket,
            "no bucket nope",
        ),
        (
            grant(r#"{"bucket": "bkt", "actions": ["delete"]}"#),
            bucket,
            "is not read or write",
        ),
        (
            grant(r#"{"bucket": "bkt", "actions": []}"#),
            bucket,
            "no actions",
        ),
        (
            grant(r#"{"bucket": "bkt", "prefix": "${aws:username}/", "actions": ["read"]}"#),
            bucket,
            "the only variable",
        ),
        (format!("{{{id}}}"), r#"{"name": "B"}"#, "bucket name"),
        (
            format!("{{{id}}}"),
            r#"{"name": "bkt"}, {"name": "bkt"}"#,
            "twice",
        ),
        (
            format!("{{{id}}}"),
            r#"{"name": "bkt", "region": "mars"}"#,
            "not a region",
        ),
        (
            format!("{{{id}}}"),
            r#"{"name": "bkt", "objects": [{"key": "k", "body": "1"}, {"key": "k", "body": "2"}]}"#,
            "seeded twice",
        ),
        (
            format!("{{{id}}}"),
            r#"{"name": "bkt", "acl": "public"}"#,
            "unknown field",
        ),
    ] {
        let message = seed_error(&pool, buckets);
        assert!(
            message.contains(expected),
            "{message:?} for {pool} {buckets}"
        );
    }
}
