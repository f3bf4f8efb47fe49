//! Drives the endpoint through its router, with a pinned clock and a seeded
//! RNG, and signs in with the client crate's SRP maths.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use cognito_core::timestamp::format_timestamp;
use cognito_local::jwt::{Signer, KEY_BITS};
use cognito_local::router::{self, HttpRequest, HttpResponse};
use cognito_local::{seed, Env, State};
use cognito_srp::srp::{compute_secret_hash, SrpClient, SrpIdentity, VerifierChallenge};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier as _;
use rsa::{BigUint, RsaPrivateKey, RsaPublicKey};
use serde_json::{json, Map, Value};
use sha2::Sha256;

pub const BASE_URL: &str = "http://127.0.0.1:9";
pub const POOL: &str = "us-east-1_TestPool";
pub const UUID_POOL: &str = "eu-west-1_UuidPool";
pub const START: u64 = 1_700_000_000;
pub const ALICE_PASSWORD: &str = "Alice-Passw0rd!";
pub const CLIENT_SECRET: &str = "s3cret-for-tests-0123456789abcdef";

pub const SEED: &str = r#"{
  "userPools": [
    {
      "id": "us-east-1_TestPool",
      "aliasAttributes": ["email", "preferred_username"],
      "requiredAttributes": ["name", "email"],
      "clients": [
        {"clientId": "enabled", "explicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]},
        {"clientId": "legacy", "explicitAuthFlows": ["USER_PASSWORD_AUTH"], "preventUserExistenceErrors": "LEGACY"},
        {"clientId": "secret", "clientSecret": "s3cret-for-tests-0123456789abcdef",
         "explicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]},
        {"clientId": "passwordonly", "explicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]},
        {"clientId": "defaults", "accessTokenValiditySeconds": 300}
      ],
      "users": [
        {"username": "alice", "password": "Alice-Passw0rd!", "status": "CONFIRMED",
         "attributes": {"email": "alice@example.com", "email_verified": "true", "name": "Alice", "preferred_username": "ally"}},
        {"username": "bob", "password": "Bob-Passw0rd!", "status": "CONFIRMED",
         "attributes": {"email": "bob@example.com", "name": "Bob"}},
        {"username": "newbie", "password": "Temp-Passw0rd!", "status": "FORCE_CHANGE_PASSWORD",
         "attributes": {"email": "newbie@example.com"}},
        {"username": "carl", "password": "Carl-Passw0rd!", "status": "UNCONFIRMED",
         "attributes": {"email": "carl@example.com", "name": "Carl"}},
        {"username": "dave", "password": "Dave-Passw0rd!", "status": "CONFIRMED", "enabled": false,
         "attributes": {"email": "dave@example.com", "name": "Dave"}}
      ]
    },
    {
      "id": "eu-west-1_UuidPool",
      "usernameAttributes": ["email"],
      "clients": [{"clientId": "uuidclient"}],
      "users": [
        {"username": "erin@example.com", "password": "Erin-Passw0rd!", "status": "CONFIRMED",
         "attributes": {"email_verified": "true"}}
      ]
    }
  ]
}"#;

/// An error answer: (exception name, message).
pub type Refusal = (String, String);

pub struct Harness {
    pub state: State,
    clock: Arc<AtomicU64>,
}

/// One key for the whole test binary: generating it is slow without optimisation.
pub fn test_signer() -> Signer {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    let key = KEY.get_or_init(|| {
        RsaPrivateKey::new(&mut ChaCha20Rng::seed_from_u64(1), KEY_BITS).expect("key")
    });
    Signer::from_key(key.clone())
}

impl Harness {
    pub fn new() -> Self {
        Harness::with_seed(SEED)
    }

    pub fn with_seed(seed_text: &str) -> Self {
        let clock = Arc::new(AtomicU64::new(START));
        let read = clock.clone();
        let env = Env::new(
            Box::new(move || read.load(Ordering::SeqCst)),
            Box::new(ChaCha20Rng::seed_from_u64(7)),
        );
        let seed = seed::parse(seed_text).expect("seed parses");
        let state = State::new(seed, test_signer(), env, BASE_URL.into()).expect("seed is valid");
        Harness { state, clock }
    }

    pub fn now(&self) -> u64 {
        self.clock.load(Ordering::SeqCst)
    }

    pub fn advance(&self, seconds: u64) {
        self.clock.fetch_add(seconds, Ordering::SeqCst);
    }

    pub fn request(
        &mut self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> HttpResponse {
        let request = HttpRequest {
            method: method.into(),
            url: url.into(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.to_vec(),
        };
        router::handle(&mut self.state, &request)
    }

    /// One API call; Ok(body) on 200, Err((name, message)) otherwise.
    pub fn call(&mut self, operation: &str, body: Value) -> Result<Value, Refusal> {
        let target = format!("AWSCognitoIdentityProviderService.{operation}");
        let headers = [
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", target.as_str()),
        ];
        let response = self.request("POST", "/", &headers, body.to_string().as_bytes());
        let json: Value = serde_json::from_slice(&response.body).expect("JSON answer");
        if response.status == 200 {
            return Ok(json);
        }
        assert_eq!(response.status, 400);
        let name = json["__type"].as_str().expect("__type").to_owned();
        assert_eq!(
            response.header("x-amzn-ErrorType"),
            Some(format!("{name}:").as_str())
        );
        Err((name, json["message"].as_str().expect("message").to_owned()))
    }

    /// USER_SRP_AUTH: the client half and the PASSWORD_VERIFIER answer.
    pub fn start_srp(
        &mut self,
        client_id: &str,
        login: &str,
    ) -> Result<(SrpClient, Value), Refusal> {
        let srp = SrpClient::new(&[0x5a; 128]).expect("a");
        let mut params = json!({ "USERNAME": login, "SRP_A": srp.public_a_hex() });
        add_secret_hash(&mut params, client_id, login);
        let answer = self.call(
            "InitiateAuth",
            json!({ "AuthFlow": "USER_SRP_AUTH", "ClientId": client_id, "AuthParameters": params }),
        )?;
        assert_eq!(answer["ChallengeName"], "PASSWORD_VERIFIER");
        Ok((srp, answer))
    }

    /// The ChallengeResponses of PASSWORD_VERIFIER, as the reference clients
    /// build them (USERNAME and the signature use USER_ID_FOR_SRP).
    pub fn claim(
        &self,
        srp: SrpClient,
        pool: &str,
        client_id: &str,
        challenge: &Value,
        password: &str,
    ) -> Value {
        let params = &challenge["ChallengeParameters"];
        let user_id = params["USER_ID_FOR_SRP"].as_str().expect("USER_ID_FOR_SRP");
        self.claim_as(srp, pool, client_id, challenge, password, user_id)
    }

    /// Like [`Harness::claim`] but signs for `user_id` (to show what a client
    /// that uses the typed name gets).
    pub fn claim_as(
        &self,
        srp: SrpClient,
        pool: &str,
        client_id: &str,
        challenge: &Value,
        password: &str,
        user_id: &str,
    ) -> Value {
        let params = &challenge["ChallengeParameters"];
        let timestamp = format_timestamp(self.now() as i64);
        let signature = srp
            .password_claim(
                &SrpIdentity {
                    pool_name: pool.split_once('_').expect("pool id").1,
                    user_id,
                    password,
                },
                &VerifierChallenge {
                    salt_hex: params["SALT"].as_str().expect("SALT"),
                    srp_b_hex: params["SRP_B"].as_str().expect("SRP_B"),
                    secret_block_b64: params["SECRET_BLOCK"].as_str().expect("SECRET_BLOCK"),
                },
                &timestamp,
            )
            .expect("claim");
        let username = params["USERNAME"].as_str().expect("USERNAME");
        let mut responses = json!({
            "USERNAME": username,
            "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
            "PASSWORD_CLAIM_SIGNATURE": signature,
            "TIMESTAMP": timestamp,
        });
        add_secret_hash(&mut responses, client_id, username);
        responses
    }

    /// The code last sent to `username` of `pool` for `purpose`, read
    /// through GET /inbox as an app would.
    pub fn inbox_code(&mut self, pool: &str, username: &str, purpose: &str) -> String {
        let url = format!("/inbox?pool={pool}&username={username}");
        let response = self.request("GET", &url, &[], b"");
        let inbox: Value = serde_json::from_slice(&response.body).unwrap();
        let message = inbox["messages"]
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .find(|m| m["purpose"] == purpose)
            .expect("a code was sent");
        message["code"].as_str().unwrap().to_owned()
    }

    pub fn respond(
        &mut self,
        client_id: &str,
        name: &str,
        session: Option<&Value>,
        responses: Value,
    ) -> Result<Value, Refusal> {
        let mut body = json!({ "ChallengeName": name, "ClientId": client_id, "ChallengeResponses": responses });
        if let Some(session) = session {
            body["Session"] = session.clone();
        }
        self.call("RespondToAuthChallenge", body)
    }

    /// A whole USER_SRP_AUTH sign-in; the last answer.
    pub fn srp_sign_in(
        &mut self,
        pool: &str,
        client_id: &str,
        login: &str,
        password: &str,
    ) -> Result<Value, Refusal> {
        let (srp, challenge) = self.start_srp(client_id, login)?;
        let responses = self.claim(srp, pool, client_id, &challenge, password);
        self.respond(
            client_id,
            "PASSWORD_VERIFIER",
            Some(&challenge["Session"]),
            responses,
        )
    }

    pub fn password_sign_in(
        &mut self,
        client_id: &str,
        login: &str,
        password: &str,
    ) -> Result<Value, Refusal> {
        let mut params = json!({ "USERNAME": login, "PASSWORD": password });
        add_secret_hash(&mut params, client_id, login);
        self.call(
            "InitiateAuth",
            json!({ "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id, "AuthParameters": params }),
        )
    }

    /// The claims of `token` after checking its RS256 signature against the
    /// pool's JWKS as a resource server would.
    pub fn verified_claims(&mut self, pool: &str, token: &str) -> Value {
        let response = self.request("GET", &format!("/{pool}/.well-known/jwks.json"), &[], b"");
        assert_eq!(response.status, 200);
        let jwks: Value = serde_json::from_slice(&response.body).expect("JWKS");
        verify_with_jwks(&jwks, token).expect("the token verifies against the JWKS")
    }
}

/// Adds SECRET_HASH when `client_id` is the client with a secret.
pub fn add_secret_hash(params: &mut Value, client_id: &str, username: &str) {
    if client_id == "secret" {
        params["SECRET_HASH"] = compute_secret_hash(username, client_id, CLIENT_SECRET).into();
    }
}

pub fn verify_with_jwks(jwks: &Value, token: &str) -> Option<Value> {
    let (signing_input, signature) = token.rsplit_once('.')?;
    let (header, payload) = signing_input.split_once('.')?;
    let header: Value = serde_json::from_slice(&B64URL.decode(header).ok()?).ok()?;
    assert_eq!(header["alg"], "RS256");
    let key = jwks["keys"]
        .as_array()?
        .iter()
        .find(|k| k["kid"] == header["kid"])?;
    assert_eq!(
        (key["kty"].as_str(), key["use"].as_str()),
        (Some("RSA"), Some("sig"))
    );
    let number =
        |field: &str| BigUint::from_bytes_be(&B64URL.decode(key[field].as_str().unwrap()).unwrap());
    let public = RsaPublicKey::new(number("n"), number("e")).ok()?;
    let signature = Signature::try_from(B64URL.decode(signature).ok()?.as_slice()).ok()?;
    VerifyingKey::<Sha256>::new(public)
        .verify(signing_input.as_bytes(), &signature)
        .ok()?;
    serde_json::from_slice(&B64URL.decode(payload).ok()?).ok()
}

/// The AuthenticationResult of a successful sign-in.
pub fn tokens(answer: Result<Value, Refusal>) -> Map<String, Value> {
    let answer = answer.expect("sign-in succeeds");
    answer["AuthenticationResult"]
        .as_object()
        .expect("AuthenticationResult")
        .clone()
}

pub fn refused(answer: Result<Value, Refusal>, name: &str, message: &str) {
    match answer {
        Ok(body) => panic!("expected {name}, got {body}"),
        Err((got, text)) => {
            assert_eq!(got, name, "{text}");
            assert!(
                text.contains(message),
                "{text:?} does not contain {message:?}"
            );
        }
    }
}
