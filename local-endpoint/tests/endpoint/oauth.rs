//! Managed login: /oauth2/authorize and the sign-in pages, /oauth2/token,
//! userInfo, revoke and /logout, driven as a browser and an app would.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use base64::engine::general_purpose::{STANDARD as BASE64, URL_SAFE_NO_PAD as B64URL};
use base64::Engine;
use cognito_local::jwt::{Signer, KEY_BITS};
use cognito_local::router::HttpResponse;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::harness::*;

pub const OAUTH_POOL: &str = "us-east-1_OAuthPool";
pub const APP: &str = "http://localhost:3000/callback";
pub const WEB_SECRET: &str = "web-secret-0123456789";
/// RFC 7636 appendix B.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
pub const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXP";

pub const OAUTH_SEED: &str = r#"{
  "userPools": [{
    "id": "us-east-1_OAuthPool",
    "aliasAttributes": ["email"],
    "requiredAttributes": ["name"],
    "identityProviders": [{
      "providerName": "ExampleIdP",
      "providerType": "OIDC",
      "identifiers": ["example.com"],
      "attributeMapping": { "email": "email", "email_verified": "email_verified", "name": "name" },
      "users": [
        { "username": "jane", "password": "Jane-IdP-Passw0rd", "sub": "idp-sub-jane",
          "claims": { "email": "jane@example.com", "email_verified": true, "name": "Jane Idp" } }
      ]
    }],
    "clients": [
      { "clientId": "webclient", "clientName": "Web app",
        "explicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        "callbackUrls": ["http://localhost:3000/callback", "myapp://signin"],
        "logoutUrls": ["http://localhost:3000/bye"],
        "allowedOAuthFlows": ["code"],
        "allowedOAuthScopes": ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"],
        "supportedIdentityProviders": ["COGNITO", "ExampleIdP"] },
      { "clientId": "secretweb", "clientSecret": "web-secret-0123456789",
        "callbackUrls": ["https://app.example.com/cb"],
        "allowedOAuthFlows": ["code"], "allowedOAuthScopes": ["openid"],
        "supportedIdentityProviders": ["COGNITO"] },
      { "clientId": "idponly", "callbackUrls": ["http://localhost:3000/callback"],
        "allowedOAuthFlows": ["code"], "allowedOAuthScopes": ["openid", "email"],
        "supportedIdentityProviders": ["ExampleIdP"] },
      { "clientId": "apionly" }
    ],
    "users": [
      { "username": "alice", "password": "Alice-Passw0rd!", "status": "CONFIRMED",
        "attributes": { "email": "alice@example.com", "email_verified": "true", "name": "Alice",
                        "phone_number": "+15555550100", "locale": "en" } },
      { "username": "totp", "password": "Totp-Passw0rd!", "status": "CONFIRMED",
        "mfa": { "totpSecret": "JBSWY3DPEHPK3PXP" } },
      { "username": "mailed", "password": "Mail-Passw0rd!", "status": "CONFIRMED",
        "attributes": { "email": "mailed@example.com" }, "mfa": { "email": true } },
      { "username": "choose", "password": "Choose-Passw0rd!", "status": "CONFIRMED",
        "attributes": { "email": "choose@example.com", "phone_number": "+15555550101" },
        "mfa": { "sms": true, "email": true } },
      { "username": "setup", "password": "Setup-Passw0rd!", "status": "CONFIRMED",
        "mfa": { "required": true } },
      { "username": "dave", "password": "Dave-Passw0rd!", "status": "CONFIRMED", "enabled": false },
      { "username": "carl", "password": "Carl-Passw0rd!", "status": "UNCONFIRMED" },
      { "username": "newbie", "password": "Temp-Passw0rd!", "status": "FORCE_CHANGE_PASSWORD",
        "mfa": { "totpSecret": "JBSWY3DPEHPK3PXP" } }
    ]
  }]
}"#;

/// A harness on the OAuth seed, the simulated provider's key set.
pub fn oauth_harness() -> Harness {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    let key = KEY.get_or_init(|| {
        RsaPrivateKey::new(&mut ChaCha20Rng::seed_from_u64(2), KEY_BITS).expect("key")
    });
    let mut h = Harness::with_seed(OAUTH_SEED);
    h.state.oauth.idp_signer = Some(Signer::from_key(key.clone()));
    h
}

/// A browser: keeps the cookies the endpoint sets.
#[derive(Default)]
pub struct Browser {
    cookies: BTreeMap<String, String>,
}

impl Browser {
    pub fn get(&mut self, h: &mut Harness, url: &str) -> HttpResponse {
        self.send(h, "GET", url, &[], b"")
    }

    pub fn post(&mut self, h: &mut Harness, url: &str, fields: &[(&str, &str)]) -> HttpResponse {
        let body = encode(fields);
        let content_type = [("Content-Type", "application/x-www-form-urlencoded")];
        self.send(h, "POST", url, &content_type, body.as_bytes())
    }

    fn send(
        &mut self,
        h: &mut Harness,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> HttpResponse {
        let cookie = self
            .cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let mut all = headers.to_vec();
        if !cookie.is_empty() {
            all.push(("Cookie", &cookie));
        }
        let response = h.request(method, url, &all, body);
        for (name, value) in &response.headers {
            if !name.eq_ignore_ascii_case("set-cookie") {
                continue;
            }
            let (pair, attributes) = value.split_once(';').unwrap_or((value, ""));
            let (cookie_name, cookie_value) = pair.split_once('=').expect("name=value");
            if attributes.contains("Max-Age=0") {
                self.cookies.remove(cookie_name);
            } else {
                self.cookies.insert(cookie_name.into(), cookie_value.into());
            }
        }
        response
    }

    pub fn has_cookie(&self, name: &str) -> bool {
        self.cookies.contains_key(name)
    }

    /// From an authorize URL through the sign-in form: the answer to the
    /// form (a redirect to the app when the sign-in is done).
    pub fn sign_in(
        &mut self,
        h: &mut Harness,
        authorize: &str,
        login: &str,
        password: &str,
    ) -> HttpResponse {
        let to_login = self.get(h, authorize);
        assert_eq!(to_login.status, 302, "{}", text(&to_login));
        let login_url = location(&to_login);
        assert!(login_url.starts_with("/login?"), "{login_url}");
        let page = self.get(h, &login_url);
        assert_eq!(page.status, 200, "{}", text(&page));
        let csrf = field(&text(&page), "_csrf");
        self.post(
            h,
            &login_url,
            &[
                ("_csrf", &csrf),
                ("username", login),
                ("password", password),
            ],
        )
    }
}

pub fn encode(fields: &[(&str, &str)]) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (name, value) in fields {
        out.append_pair(name, value);
    }
    out.finish()
}

pub fn authorize_url(client_id: &str, extra: &[(&str, &str)]) -> String {
    let mut fields = vec![
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", APP),
        ("state", "st-123"),
    ];
    fields.extend_from_slice(extra);
    format!("/oauth2/authorize?{}", encode(&fields))
}

pub fn text(response: &HttpResponse) -> String {
    String::from_utf8_lossy(&response.body).into_owned()
}

pub fn location(response: &HttpResponse) -> String {
    response.header("Location").expect("a Location").to_owned()
}

/// The query parameters of a URL.
pub fn params(url: &str) -> BTreeMap<String, String> {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

/// The value of the hidden input `name` of a page.
pub fn field(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {page}"))
        + marker.len();
    page[start..].split('"').next().unwrap().to_owned()
}

/// The code of a redirect back to the app, after checking it is one.
pub fn code_of(response: &HttpResponse, redirect_uri: &str) -> String {
    assert_eq!(response.status, 302, "{}", text(response));
    let back = location(response);
    assert!(back.starts_with(&format!("{redirect_uri}?")), "{back}");
    let params = params(&back);
    assert_eq!(params.get("state").map(String::as_str), Some("st-123"));
    params["code"].clone()
}

/// An app's token request: (status, JSON answer, the response).
pub fn token_request(
    h: &mut Harness,
    fields: &[(&str, &str)],
    basic: Option<(&str, &str)>,
) -> (u16, Value, HttpResponse) {
    let authorization =
        basic.map(|(id, secret)| format!("Basic {}", BASE64.encode(format!("{id}:{secret}"))));
    let mut headers = vec![("Content-Type", "application/x-www-form-urlencoded")];
    if let Some(value) = authorization.as_deref() {
        headers.push(("Authorization", value));
    }
    let response = h.request("POST", "/oauth2/token", &headers, encode(fields).as_bytes());
    let json = serde_json::from_slice(&response.body).expect("a JSON answer");
    (response.status, json, response)
}

pub fn redeem(
    h: &mut Harness,
    client_id: &str,
    code: &str,
    verifier: Option<&str>,
) -> (u16, Value) {
    let mut fields = vec![
        ("grant_type", "authorization_code"),
        ("client_id", client_id),
        ("code", code),
        ("redirect_uri", APP),
    ];
    if let Some(verifier) = verifier {
        fields.push(("code_verifier", verifier));
    }
    let (status, json, _) = token_request(h, &fields, None);
    (status, json)
}

/// Signs alice in with PKCE (and `extra` authorize parameters) and redeems
/// the code: the token answer.
pub fn alice_tokens(h: &mut Harness, extra: &[(&str, &str)]) -> Value {
    let mut all = vec![
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    all.extend_from_slice(extra);
    let mut browser = Browser::default();
    let answer = browser.sign_in(
        h,
        &authorize_url("webclient", &all),
        "alice",
        "Alice-Passw0rd!",
    );
    let code = code_of(&answer, APP);
    let (status, tokens) = redeem(h, "webclient", &code, Some(VERIFIER));
    assert_eq!(status, 200, "{tokens}");
    tokens
}

fn assert_error(status_and_json: (u16, Value), status: u16, error: &str) {
    let (got_status, json) = status_and_json;
    assert_eq!(
        (got_status, json["error"].as_str()),
        (status, Some(error)),
        "{json}"
    );
}

fn user_info(h: &mut Harness, token: &str) -> HttpResponse {
    let bearer = format!("Bearer {token}");
    h.request(
        "GET",
        "/oauth2/userInfo",
        &[("Authorization", &bearer)],
        b"",
    )
}

#[test]
fn the_discovery_document_names_the_endpoints_under_the_issuer() {
    let mut h = oauth_harness();
    let response = h.request(
        "GET",
        &format!("/{OAUTH_POOL}/.well-known/openid-configuration"),
        &[],
        b"",
    );
    assert_eq!(response.status, 200);
    let document: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(document["issuer"], format!("{BASE_URL}/{OAUTH_POOL}"));
    assert_eq!(
        document["authorization_endpoint"],
        format!("{BASE_URL}/oauth2/authorize")
    );
    assert_eq!(
        document["token_endpoint"],
        format!("{BASE_URL}/oauth2/token")
    );
    assert_eq!(
        document["jwks_uri"],
        format!("{BASE_URL}/{OAUTH_POOL}/.well-known/jwks.json")
    );
    assert_eq!(
        document["end_session_endpoint"],
        format!("{BASE_URL}/logout")
    );
    let unknown = h.request(
        "GET",
        "/us-east-1_Nope/.well-known/openid-configuration",
        &[],
        b"",
    );
    assert_eq!(unknown.status, 404);
}

#[test]
fn bad_client_or_redirect_uri_goes_to_the_error_page_never_to_the_app() {
    let mut h = oauth_harness();
    let cases = [
        (
            encode(&[("response_type", "code"), ("redirect_uri", APP)]),
            "invalid_request",
        ),
        (
            encode(&[
                ("response_type", "code"),
                ("client_id", "nope"),
                ("redirect_uri", APP),
            ]),
            "invalid_request",
        ),
        (
            encode(&[
                ("response_type", "code"),
                ("client_id", "apionly"),
                ("redirect_uri", APP),
            ]),
            "unauthorized_client",
        ),
        (
            encode(&[("response_type", "code"), ("client_id", "webclient")]),
            "redirect_mismatch",
        ),
        (
            encode(&[
                ("response_type", "code"),
                ("client_id", "webclient"),
                ("redirect_uri", "http://localhost:3000/callback/"),
            ]),
            "redirect_mismatch",
        ),
        (
            encode(&[
                ("response_type", "code"),
                ("client_id", "webclient"),
                ("redirect_uri", "http://evil.example/"),
            ]),
            "redirect_mismatch",
        ),
        (
            format!(
                "{}&client_id=webclient",
                encode(&[("client_id", "webclient"), ("redirect_uri", APP)])
            ),
            "invalid_request",
        ),
    ];
    for (query, error) in cases {
        let response = h.request("GET", &format!("/oauth2/authorize?{query}"), &[], b"");
        assert_eq!(response.status, 302, "{query}");
        let target = location(&response);
        assert!(target.starts_with("/error?"), "{query} -> {target}");
        assert_eq!(params(&target)["error"], error, "{query}");
        let page = h.request("GET", &target, &[], b"");
        assert_eq!(page.status, 400);
        assert!(text(&page).contains(error));
    }
}

#[test]
fn parameter_errors_go_back_to_the_app_with_the_state() {
    let mut h = oauth_harness();
    let cases: [(&[(&str, &str)], &str); 10] = [
        (&[("response_type", "token")], "unauthorized_client"),
        (
            &[("response_type", "id_token")],
            "unsupported_response_type",
        ),
        (&[("scope", "openid admin")], "invalid_scope"),
        (&[("scope", "email")], "invalid_scope"),
        (
            &[
                ("code_challenge", CHALLENGE),
                ("code_challenge_method", "plain"),
            ],
            "invalid_request",
        ),
        (&[("code_challenge", CHALLENGE)], "invalid_request"),
        (
            &[
                ("code_challenge", "short"),
                ("code_challenge_method", "S256"),
            ],
            "invalid_request",
        ),
        (&[("identity_provider", "Google")], "invalid_request"),
        (&[("idp_identifier", "unknown.example")], "invalid_request"),
        (&[("prompt", "none login")], "invalid_request"),
    ];
    for (extra, error) in cases {
        let mut fields = vec![
            ("client_id", "webclient"),
            ("redirect_uri", APP),
            ("state", "st-123"),
        ];
        if !extra.iter().any(|(n, _)| *n == "response_type") {
            fields.push(("response_type", "code"));
        }
        fields.extend_from_slice(extra);
        let response = h.request(
            "GET",
            &format!("/oauth2/authorize?{}", encode(&fields)),
            &[],
            b"",
        );
        assert_eq!(response.status, 302);
        let back = location(&response);
        assert!(back.starts_with(&format!("{APP}?")), "{extra:?} -> {back}");
        let params = params(&back);
        assert_eq!(params["error"], error, "{extra:?}");
        assert_eq!(params["state"], "st-123");
    }
    let unauthorized = h.request(
        "GET",
        &authorize_url("webclient", &[("response_type", "token")]).replacen(
            "response_type=code&",
            "",
            1,
        ),
        &[],
        b"",
    );
    let back = params(&location(&unauthorized));
    assert_eq!(back["error"], "unauthorized_client");
    assert!(!back.contains_key("error_description"), "none to give");
    let missing = encode(&[("client_id", "webclient"), ("redirect_uri", APP)]);
    let response = h.request("GET", &format!("/oauth2/authorize?{missing}"), &[], b"");
    assert_eq!(params(&location(&response))["error"], "invalid_request");
    // A client that does not offer the pool's own sign-in refuses COGNITO.
    let cognito = authorize_url("idponly", &[("identity_provider", "COGNITO")]);
    let response = h.request("GET", &cognito, &[], b"");
    assert_eq!(params(&location(&response))["error"], "invalid_request");
}

#[test]
fn a_pkce_sign_in_gives_tokens_like_the_json_apis() {
    let mut h = oauth_harness();
    let tokens = alice_tokens(
        &mut h,
        &[
            ("scope", "openid email aws.cognito.signin.user.admin"),
            ("nonce", "n-0S6_WzA2Mj"),
        ],
    );
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 3600);
    let access = h.verified_claims(OAUTH_POOL, tokens["access_token"].as_str().unwrap());
    assert_eq!(
        access["scope"],
        "openid email aws.cognito.signin.user.admin"
    );
    assert_eq!(access["client_id"], "webclient");
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["username"], "alice");
    let id = h.verified_claims(OAUTH_POOL, tokens["id_token"].as_str().unwrap());
    assert_eq!(id["iss"], format!("{BASE_URL}/{OAUTH_POOL}"));
    assert_eq!(id["aud"], "webclient");
    assert_eq!(id["nonce"], "n-0S6_WzA2Mj");
    assert_eq!(id["cognito:username"], "alice");
    assert_eq!(id["email"], "alice@example.com");
    assert_eq!(id["origin_jti"], access["origin_jti"]);
    let digest = Sha256::digest(tokens["access_token"].as_str().unwrap().as_bytes());
    assert_eq!(id["at_hash"], B64URL.encode(&digest[..16]));
    // The access token works with the user-pool API, the refresh token with
    // REFRESH_TOKEN_AUTH, which keeps the granted scopes.
    let user = h
        .call("GetUser", json!({ "AccessToken": tokens["access_token"] }))
        .unwrap();
    assert_eq!(user["Username"], "alice");
    let refreshed = tokens_of(h.call(
        "InitiateAuth",
        json!({ "AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": "webclient",
                "AuthParameters": { "REFRESH_TOKEN": tokens["refresh_token"] } }),
    ));
    let again = h.verified_claims(OAUTH_POOL, refreshed["AccessToken"].as_str().unwrap());
    assert_eq!(again["scope"], access["scope"]);
    assert_eq!(again["origin_jti"], access["origin_jti"]);
}

fn tokens_of(answer: Result<Value, Refusal>) -> Value {
    Value::Object(tokens(answer))
}

#[test]
fn without_openid_there_is_no_id_token_and_without_the_admin_scope_no_api() {
    let mut h = oauth_harness();
    let tokens = alice_tokens(&mut h, &[("scope", "aws.cognito.signin.user.admin")]);
    assert!(tokens.get("id_token").is_none(), "{tokens}");
    h.call("GetUser", json!({ "AccessToken": tokens["access_token"] }))
        .unwrap();
    let tokens = alice_tokens(&mut h, &[("scope", "openid profile")]);
    refused(
        h.call("GetUser", json!({ "AccessToken": tokens["access_token"] })),
        "NotAuthorizedException",
        "Access Token does not have required scopes",
    );
    // No scope asked: every scope the client allows.
    let tokens = alice_tokens(&mut h, &[]);
    let access = h.verified_claims(OAUTH_POOL, tokens["access_token"].as_str().unwrap());
    assert_eq!(
        access["scope"],
        "openid email phone profile aws.cognito.signin.user.admin"
    );
}

#[test]
fn codes_are_single_use_and_last_five_minutes() {
    let mut h = oauth_harness();
    let mut browser = Browser::default();
    let answer = browser.sign_in(
        &mut h,
        &authorize_url("webclient", &[]),
        "alice",
        "Alice-Passw0rd!",
    );
    let code = code_of(&answer, APP);
    assert_eq!(redeem(&mut h, "webclient", &code, None).0, 200);
    assert_error(
        redeem(&mut h, "webclient", &code, None),
        400,
        "invalid_grant",
    );
    // The browser's session gives the next code without the form.
    let code = code_of(&browser.get(&mut h, &authorize_url("webclient", &[])), APP);
    h.advance(300);
    assert_error(
        redeem(&mut h, "webclient", &code, None),
        400,
        "invalid_grant",
    );
    let code = code_of(&browser.get(&mut h, &authorize_url("webclient", &[])), APP);
    h.advance(299);
    assert_eq!(redeem(&mut h, "webclient", &code, None).0, 200);
}

#[test]
fn the_token_endpoint_checks_verifier_redirect_uri_and_client() {
    let mut h = oauth_harness();
    let pkce = [
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    let mut browser = Browser::default();
    let mut next_code = |h: &mut Harness| {
        let answer = browser.get(h, &authorize_url("webclient", &pkce));
        if answer.status == 302 && location(&answer).starts_with(APP) {
            return code_of(&answer, APP);
        }
        code_of(
            &browser.sign_in(
                h,
                &authorize_url("webclient", &pkce),
                "alice",
                "Alice-Passw0rd!",
            ),
            APP,
        )
    };
    let code = next_code(&mut h);
    let wrong = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK";
    assert_error(
        redeem(&mut h, "webclient", &code, Some(wrong)),
        400,
        "invalid_grant",
    );
    assert_error(
        redeem(&mut h, "webclient", &code, Some(VERIFIER)),
        400,
        "invalid_grant",
    );
    let code = next_code(&mut h);
    assert_error(
        redeem(&mut h, "webclient", &code, None),
        400,
        "invalid_request",
    );
    let code = next_code(&mut h);
    let fields = [
        ("grant_type", "authorization_code"),
        ("client_id", "webclient"),
        ("code", code.as_str()),
        ("redirect_uri", "myapp://signin"),
        ("code_verifier", VERIFIER),
    ];
    let (status, json, _) = token_request(&mut h, &fields, None);
    assert_error((status, json), 400, "invalid_grant");
    let code = next_code(&mut h);
    assert_error(
        redeem(&mut h, "idponly", &code, Some(VERIFIER)),
        400,
        "invalid_grant",
    );
    let tampered = format!("{}x", next_code(&mut h));
    assert_error(
        redeem(&mut h, "webclient", &tampered, Some(VERIFIER)),
        400,
        "invalid_grant",
    );
    let code = next_code(&mut h);
    assert_eq!(redeem(&mut h, "webclient", &code, Some(VERIFIER)).0, 200);
}

#[test]
fn a_client_with_a_secret_authenticates_with_basic_or_the_form() {
    let mut h = oauth_harness();
    let authorize = format!(
        "/oauth2/authorize?{}",
        encode(&[
            ("response_type", "code"),
            ("client_id", "secretweb"),
            ("redirect_uri", "https://app.example.com/cb"),
            ("state", "st-123")
        ])
    );
    let mut browser = Browser::default();
    let mut code = code_of(
        &browser.sign_in(&mut h, &authorize, "alice", "Alice-Passw0rd!"),
        "https://app.example.com/cb",
    );
    let fields = |code: &str| {
        vec![
            ("grant_type", "authorization_code".to_owned()),
            ("code", code.to_owned()),
            ("redirect_uri", "https://app.example.com/cb".to_owned()),
        ]
    };
    let call = |h: &mut Harness, fields: Vec<(&str, String)>, basic: Option<(&str, &str)>| {
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
        token_request(h, &borrowed, basic)
    };
    let mut with_id = fields(&code);
    with_id.push(("client_id", "secretweb".into()));
    let (status, json, response) = call(&mut h, with_id.clone(), None);
    assert_error((status, json), 401, "invalid_client");
    assert_eq!(response.header("WWW-Authenticate"), None);
    let (status, json, response) = call(&mut h, fields(&code), Some(("secretweb", "wrong")));
    assert_error((status, json), 401, "invalid_client");
    assert_eq!(response.header("WWW-Authenticate"), Some("Basic"));
    let (status, json, _) = call(&mut h, fields(&code), Some(("secretweb", WEB_SECRET)));
    assert_eq!(status, 200, "{json}");
    code = code_of(
        &browser.get(&mut h, &authorize),
        "https://app.example.com/cb",
    );
    let mut post = fields(&code);
    post.extend([
        ("client_id", "secretweb".into()),
        ("client_secret", WEB_SECRET.into()),
    ]);
    let (status, json, _) = call(&mut h, post, None);
    assert_eq!(status, 200, "{json}");
    // refresh_token needs the secret too.
    let refresh = vec![
        ("grant_type", "refresh_token".to_owned()),
        (
            "refresh_token",
            json["refresh_token"].as_str().unwrap().to_owned(),
        ),
    ];
    let (status, json, _) = call(&mut h, refresh.clone(), Some(("secretweb", "wrong")));
    assert_error((status, json), 401, "invalid_client");
    let (status, json, _) = call(&mut h, refresh, Some(("secretweb", WEB_SECRET)));
    assert_eq!(status, 200, "{json}");
    assert!(json.get("refresh_token").is_none());
}

#[test]
fn the_token_endpoint_refuses_what_the_reference_lists() {
    let mut h = oauth_harness();
    let (status, json, _) = token_request(&mut h, &[("client_id", "webclient")], None);
    assert_error((status, json), 400, "invalid_request");
    let (status, json, _) = token_request(
        &mut h,
        &[("client_id", "webclient"), ("grant_type", "password")],
        None,
    );
    assert_error((status, json), 400, "unsupported_grant_type");
    let (status, json, _) = token_request(
        &mut h,
        &[
            ("client_id", "webclient"),
            ("grant_type", "client_credentials"),
        ],
        None,
    );
    assert_error((status, json), 400, "unauthorized_client");
    let (status, json, _) = token_request(
        &mut h,
        &[
            ("client_id", "apionly"),
            ("grant_type", "authorization_code"),
            ("code", "x"),
            ("redirect_uri", APP),
        ],
        None,
    );
    assert_error((status, json), 400, "unauthorized_client");
    let (status, json, _) = token_request(
        &mut h,
        &[("client_id", "nope"), ("grant_type", "authorization_code")],
        None,
    );
    assert_error((status, json), 401, "invalid_client");
    let (status, json, _) = token_request(
        &mut h,
        &[("grant_type", "authorization_code"), ("code", "x")],
        None,
    );
    assert_error((status, json), 401, "invalid_client");
    let (status, json, _) = token_request(
        &mut h,
        &[("client_id", "webclient"), ("grant_type", "refresh_token")],
        None,
    );
    assert_error((status, json), 400, "invalid_request");
    let response = h.request(
        "POST",
        "/oauth2/token",
        &[("Content-Type", "application/json")],
        br#"{"grant_type":"refresh_token"}"#,
    );
    assert_eq!(response.status, 400);
    assert_eq!(response.header("Cache-Control"), Some("no-store"));
}

#[test]
fn refresh_tokens_are_shared_with_the_json_api() {
    let mut h = oauth_harness();
    let tokens = alice_tokens(&mut h, &[("scope", "openid aws.cognito.signin.user.admin")]);
    let refresh = [
        ("grant_type", "refresh_token"),
        ("client_id", "webclient"),
        ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
    ];
    h.advance(60);
    let (status, again, _) = token_request(&mut h, &refresh, None);
    assert_eq!(status, 200, "{again}");
    let first = h.verified_claims(OAUTH_POOL, tokens["id_token"].as_str().unwrap());
    let second = h.verified_claims(OAUTH_POOL, again["id_token"].as_str().unwrap());
    assert_eq!(
        (second["sub"].clone(), second["auth_time"].clone()),
        (first["sub"].clone(), first["auth_time"].clone())
    );
    assert!(second.get("nonce").is_none());
    // GlobalSignOut (the JSON API) ends the managed-login grant.
    h.call(
        "GlobalSignOut",
        json!({ "AccessToken": again["access_token"] }),
    )
    .unwrap();
    let (status, json, _) = token_request(&mut h, &refresh, None);
    assert_error((status, json), 400, "invalid_grant");
    let response = user_info(&mut h, again["access_token"].as_str().unwrap());
    assert_eq!(response.status, 401);
    // And RevokeToken (the JSON API) a new one.
    let tokens = alice_tokens(&mut h, &[]);
    h.call(
        "RevokeToken",
        json!({ "Token": tokens["refresh_token"], "ClientId": "webclient" }),
    )
    .unwrap();
    let refresh = [
        ("grant_type", "refresh_token"),
        ("client_id", "webclient"),
        ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
    ];
    let (status, json, _) = token_request(&mut h, &refresh, None);
    assert_error((status, json), 400, "invalid_grant");
}

#[test]
fn user_info_releases_the_attributes_the_scopes_allow() {
    let mut h = oauth_harness();
    let all = alice_tokens(&mut h, &[("scope", "openid")]);
    let response = user_info(&mut h, all["access_token"].as_str().unwrap());
    assert_eq!(response.status, 200, "{}", text(&response));
    let info: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(info["username"], "alice");
    assert_eq!(info["email_verified"], "true");
    assert_eq!(info["phone_number"], "+15555550100");
    assert_eq!(info["locale"], "en");
    let email = alice_tokens(&mut h, &[("scope", "openid email")]);
    let bearer = format!("Bearer {}", email["access_token"].as_str().unwrap());
    let response = h.request(
        "POST",
        "/oauth2/userInfo",
        &[("Authorization", &bearer)],
        b"",
    );
    let info: Value = serde_json::from_slice(&response.body).unwrap();
    let mut names: Vec<&str> = info
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["email", "email_verified", "sub", "username"]);
    let profile = alice_tokens(&mut h, &[("scope", "openid profile")]);
    let info: Value =
        serde_json::from_slice(&user_info(&mut h, profile["access_token"].as_str().unwrap()).body)
            .unwrap();
    assert_eq!(
        (
            info["name"].as_str(),
            info["locale"].as_str(),
            info.get("email")
        ),
        (Some("Alice"), Some("en"), None)
    );

    let missing = h.request("GET", "/oauth2/userInfo", &[], b"");
    assert_eq!(missing.status, 400);
    assert!(missing
        .header("WWW-Authenticate")
        .unwrap()
        .contains("error=\"invalid_request\""));
    let bad = user_info(&mut h, "not-a-token");
    assert_eq!(bad.status, 401);
    assert!(bad
        .header("WWW-Authenticate")
        .unwrap()
        .starts_with("Bearer error=\"invalid_token\""));
    let api = tokens(h.srp_sign_in(OAUTH_POOL, "webclient", "alice", "Alice-Passw0rd!"));
    let response = user_info(&mut h, api["AccessToken"].as_str().unwrap());
    assert_eq!(response.status, 401, "API tokens have no openid scope");
    h.advance(3600);
    assert_eq!(
        user_info(&mut h, all["access_token"].as_str().unwrap()).status,
        401
    );
}

#[test]
fn revoke_ends_the_refresh_token_and_its_access_tokens() {
    let mut h = oauth_harness();
    let tokens = alice_tokens(&mut h, &[]);
    let refresh_token = tokens["refresh_token"].as_str().unwrap();
    let revoke = |h: &mut Harness, fields: &[(&str, &str)]| {
        h.request(
            "POST",
            "/oauth2/revoke",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            encode(fields).as_bytes(),
        )
    };
    let response = revoke(&mut h, &[("client_id", "webclient")]);
    assert_eq!(response.status, 400);
    let response = revoke(
        &mut h,
        &[
            ("token", tokens["access_token"].as_str().unwrap()),
            ("client_id", "webclient"),
        ],
    );
    assert_eq!(
        (
            response.status,
            serde_json::from_slice::<Value>(&response.body).unwrap()["error"].clone()
        ),
        (400, json!("unsupported_token_type"))
    );
    // Another client's revocation leaves the token alone (and says 200).
    let response = revoke(
        &mut h,
        &[("token", refresh_token), ("client_id", "idponly")],
    );
    assert_eq!(response.status, 200);
    assert_eq!(
        user_info(&mut h, tokens["access_token"].as_str().unwrap()).status,
        200
    );
    let response = revoke(
        &mut h,
        &[("token", refresh_token), ("client_id", "secretweb")],
    );
    assert_eq!(response.status, 401);
    let response = revoke(
        &mut h,
        &[("token", refresh_token), ("client_id", "webclient")],
    );
    assert_eq!((response.status, response.body.len()), (200, 0));
    assert_eq!(
        user_info(&mut h, tokens["access_token"].as_str().unwrap()).status,
        401
    );
    let refresh = [
        ("grant_type", "refresh_token"),
        ("client_id", "webclient"),
        ("refresh_token", refresh_token),
    ];
    let (status, json, _) = token_request(&mut h, &refresh, None);
    assert_error((status, json), 400, "invalid_grant");
    assert_eq!(
        revoke(&mut h, &[("token", "unknown"), ("client_id", "webclient")]).status,
        200
    );
}

#[test]
fn the_session_cookie_skips_the_form_until_prompt_login_or_logout() {
    let mut h = oauth_harness();
    let mut browser = Browser::default();
    let none = authorize_url("webclient", &[("prompt", "none")]);
    let answer = browser.get(&mut h, &none);
    assert_eq!(params(&location(&answer))["error"], "login_required");
    code_of(
        &browser.sign_in(
            &mut h,
            &authorize_url("webclient", &[]),
            "alice",
            "Alice-Passw0rd!",
        ),
        APP,
    );
    assert!(browser.has_cookie("cognito"));
    code_of(&browser.get(&mut h, &authorize_url("webclient", &[])), APP);
    code_of(&browser.get(&mut h, &none), APP);
    let forced = browser.get(&mut h, &authorize_url("webclient", &[("prompt", "login")]));
    assert!(location(&forced).starts_with("/login?"));
    // Another browser has no session.
    let other = Browser::default().get(&mut h, &authorize_url("webclient", &[]));
    assert!(location(&other).starts_with("/login?"));
    // The session lasts an hour.
    h.advance(3600);
    assert!(
        location(&browser.get(&mut h, &authorize_url("webclient", &[]))).starts_with("/login?")
    );
}

#[test]
fn logout_needs_a_registered_uri_and_ends_the_session() {
    let mut h = oauth_harness();
    let mut browser = Browser::default();
    code_of(
        &browser.sign_in(
            &mut h,
            &authorize_url("webclient", &[]),
            "alice",
            "Alice-Passw0rd!",
        ),
        APP,
    );
    let bad = browser.get(
        &mut h,
        &format!(
            "/logout?{}",
            encode(&[
                ("client_id", "webclient"),
                ("logout_uri", "http://evil.example/")
            ])
        ),
    );
    assert_eq!(params(&location(&bad))["error"], "redirect_mismatch");
    let no_target = browser.get(&mut h, "/logout?client_id=webclient");
    assert!(location(&no_target).starts_with("/error?"));
    code_of(&browser.get(&mut h, &authorize_url("webclient", &[])), APP);
    let out = browser.get(
        &mut h,
        &format!(
            "/logout?{}",
            encode(&[
                ("client_id", "webclient"),
                ("logout_uri", "http://localhost:3000/bye")
            ])
        ),
    );
    assert_eq!(location(&out), "http://localhost:3000/bye");
    assert!(!browser.has_cookie("cognito"));
    assert!(
        location(&browser.get(&mut h, &authorize_url("webclient", &[]))).starts_with("/login?")
    );
    // The other form: sign out, then the sign-in page again.
    code_of(
        &browser.sign_in(
            &mut h,
            &authorize_url("webclient", &[]),
            "alice",
            "Alice-Passw0rd!",
        ),
        APP,
    );
    let query = encode(&[
        ("client_id", "webclient"),
        ("response_type", "code"),
        ("redirect_uri", APP),
        ("state", "st-123"),
    ]);
    let again = browser.get(&mut h, &format!("/logout?{query}"));
    assert_eq!(location(&again), format!("/login?{query}"));
    assert!(!browser.has_cookie("cognito"));
}

#[test]
fn the_sign_in_page_refuses_what_the_json_api_refuses() {
    let mut h = oauth_harness();
    let authorize = authorize_url("webclient", &[]);
    let cases = [
        ("alice", "wrong", "Incorrect username or password."),
        (
            "nobody",
            "Alice-Passw0rd!",
            "Incorrect username or password.",
        ),
        ("dave", "Dave-Passw0rd!", "User is disabled."),
        ("carl", "Carl-Passw0rd!", "User is not confirmed."),
        ("setup", "Setup-Passw0rd!", "MFA_SETUP"),
    ];
    for (login, password, message) in cases {
        let answer = Browser::default().sign_in(&mut h, &authorize, login, password);
        assert_eq!(answer.status, 400, "{login}");
        assert!(
            text(&answer).contains(message),
            "{login}: {}",
            text(&answer)
        );
    }
    // The email alias signs in too.
    code_of(
        &Browser::default().sign_in(&mut h, &authorize, "alice@example.com", "Alice-Passw0rd!"),
        APP,
    );
    // A form without the CSRF cookie's token is refused.
    let mut browser = Browser::default();
    let login_url = location(&browser.get(&mut h, &authorize));
    browser.get(&mut h, &login_url);
    let answer = browser.post(
        &mut h,
        &login_url,
        &[
            ("_csrf", "forged"),
            ("username", "alice"),
            ("password", "Alice-Passw0rd!"),
        ],
    );
    assert_eq!(answer.status, 403);
    // Two sign-in pages open in one browser: the first form still works.
    let mut browser = Browser::default();
    let login_url = location(&browser.get(&mut h, &authorize));
    let first = field(&text(&browser.get(&mut h, &login_url)), "_csrf");
    browser.get(&mut h, &login_url);
    let fields = [
        ("_csrf", first.as_str()),
        ("username", "alice"),
        ("password", "Alice-Passw0rd!"),
    ];
    code_of(&browser.post(&mut h, &login_url, &fields), APP);
    // login_hint fills the username.
    let hinted = Browser::default().get(
        &mut h,
        &format!(
            "/login?{}",
            &authorize_url("webclient", &[("login_hint", "ally@example.com")])
                ["/oauth2/authorize?".len()..]
        ),
    );
    assert!(text(&hinted).contains("value=\"ally@example.com\""));
}

#[test]
fn totp_and_emailed_codes_are_asked_after_the_password() {
    let mut h = oauth_harness();
    let authorize = authorize_url("webclient", &[]);
    let mut browser = Browser::default();
    let page = browser.sign_in(&mut h, &authorize, "totp", "Totp-Passw0rd!");
    assert_eq!(page.status, 200);
    let (session, csrf) = (field(&text(&page), "session"), field(&text(&page), "_csrf"));
    let wrong = browser.post(
        &mut h,
        "/mfa",
        &[("_csrf", &csrf), ("session", &session), ("code", "000000")],
    );
    assert_eq!(wrong.status, 400);
    assert!(text(&wrong).contains("Invalid code"));
    let code = cognito_local::totp::code(TOTP_SECRET, h.now()).unwrap();
    let csrf = field(&text(&wrong), "_csrf");
    code_of(
        &browser.post(
            &mut h,
            "/mfa",
            &[("_csrf", &csrf), ("session", &session), ("code", &code)],
        ),
        APP,
    );

    let mut browser = Browser::default();
    let page = browser.sign_in(&mut h, &authorize, "mailed", "Mail-Passw0rd!");
    assert!(text(&page).contains("m***@e***.com"), "{}", text(&page));
    let (session, csrf) = (field(&text(&page), "session"), field(&text(&page), "_csrf"));
    let code = h.inbox_code(OAUTH_POOL, "mailed", "EMAIL_OTP");
    h.advance(180);
    let late = browser.post(
        &mut h,
        "/mfa",
        &[("_csrf", &csrf), ("session", &session), ("code", &code)],
    );
    assert!(text(&late).contains("expired"), "{}", text(&late));

    let mut browser = Browser::default();
    let page = browser.sign_in(&mut h, &authorize, "choose", "Choose-Passw0rd!");
    assert!(
        text(&page).contains("value=\"SMS_MFA\"") && text(&page).contains("value=\"EMAIL_OTP\"")
    );
    let (session, csrf) = (field(&text(&page), "session"), field(&text(&page), "_csrf"));
    let page = browser.post(
        &mut h,
        "/mfa",
        &[
            ("_csrf", &csrf),
            ("session", &session),
            ("mfa_type", "SMS_MFA"),
        ],
    );
    let (session, csrf) = (field(&text(&page), "session"), field(&text(&page), "_csrf"));
    let code = h.inbox_code(OAUTH_POOL, "choose", "SMS_MFA");
    let answer = browser.post(
        &mut h,
        "/mfa",
        &[("_csrf", &csrf), ("session", &session), ("code", &code)],
    );
    let code = code_of(&answer, APP);
    assert_eq!(redeem(&mut h, "webclient", &code, None).0, 200);
}

#[test]
fn oauth_seed_mistakes_are_refused() {
    let client = |fields: &str| {
        format!(
            r#"{{"userPools": [{{"id": "us-east-1_P", "clients": [{{"clientId": "c", {fields}}}]}}]}}"#
        )
    };
    let error = |text: String| {
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
    };
    let cases = [
        (client(r#""callbackUrls": ["http://app.example.com/"], "allowedOAuthFlows": ["code"]"#), "not an absolute URL"),
        (client(r#""callbackUrls": ["https://a.example/#x"], "allowedOAuthFlows": ["code"]"#), "not an absolute URL"),
        (client(r#""callbackUrls": ["https://a.example/"], "allowedOAuthFlows": ["implicit"]"#), "not supported here"),
        (client(r#""allowedOAuthFlows": ["code"]"#), "needs callbackUrls"),
        (client(r#""allowedOAuthScopes": ["openid", "api/read"]"#), "no resource servers"),
        (client(r#""supportedIdentityProviders": ["COGNITO", "Google"]"#), "neither COGNITO nor"),
        (client(r#""callbackURLs": ["https://a.example/"]"#), "unknown field"),
        (
            r#"{"userPools": [{"id": "us-east-1_P", "identityProviders": [{"providerName": "X", "providerType": "SAML"}]}]}"#.into(),
            "only OIDC",
        ),
        (
            r#"{"userPools": [{"id": "us-east-1_P", "identityProviders": [{"providerName": "COGNITO", "providerType": "OIDC"}]}]}"#.into(),
            "reserved",
        ),
        (
            r#"{"userPools": [{"id": "us-east-1_P", "identityProviders": [{"providerName": "X", "providerType": "OIDC", "attributeMapping": {"sub": "sub"}}]}]}"#.into(),
            "cannot be mapped",
        ),
        (
            r#"{"userPools": [{"id": "us-east-1_P", "identityProviders": [{"providerName": "X", "providerType": "OIDC", "users": [{"username": "u", "password": "p", "claims": {"iss": "me"}}]}]}]}"#.into(),
            "the provider's own",
        ),
    ];
    for (text, expected) in cases {
        let message = error(text.clone());
        assert!(message.contains(expected), "{text}: {message}");
    }
}

#[test]
fn the_oauth_settings_are_the_clients_user_pool_client_members() {
    let h = oauth_harness();
    let client = &h.state.pools[0].clients[0];
    assert_eq!(
        client.settings["CallbackURLs"],
        json!([APP, "myapp://signin"])
    );
    assert_eq!(client.settings["AllowedOAuthFlows"], json!(["code"]));
    assert_eq!(
        client.settings["AllowedOAuthFlowsUserPoolClient"],
        json!(true)
    );
    assert_eq!(
        client.settings["SupportedIdentityProviders"],
        json!(["COGNITO", "ExampleIdP"])
    );
    assert_eq!(
        client.settings["LogoutURLs"],
        json!(["http://localhost:3000/bye"])
    );
    assert!(h.state.pools[0].clients[3]
        .settings
        .get("AllowedOAuthFlows")
        .is_none());
}

#[test]
fn the_demo_client_signs_in_on_both_demo_origins() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/demo.json")).unwrap();
    let mut h = Harness::with_seed(&text);
    for origin in ["http://127.0.0.1:8080/", "http://localhost:8080/"] {
        let query = encode(&[
            ("response_type", "code"),
            ("client_id", "democlient0123456789abcdef"),
            ("redirect_uri", origin),
            ("state", "st-123"),
        ]);
        let answer = Browser::default().sign_in(
            &mut h,
            &format!("/oauth2/authorize?{query}"),
            "demo",
            "Demo-Passw0rd!",
        );
        code_of(&answer, origin);
        let out = h.request(
            "GET",
            &format!(
                "/logout?{}",
                encode(&[
                    ("client_id", "democlient0123456789abcdef"),
                    ("logout_uri", origin)
                ])
            ),
            &[],
            b"",
        );
        assert_eq!(location(&out), origin);
    }
}

#[test]
fn a_user_with_a_temporary_password_chooses_a_new_one() {
    let mut h = oauth_harness();
    let mut browser = Browser::default();
    let page = browser.sign_in(
        &mut h,
        &authorize_url("webclient", &[]),
        "newbie",
        "Temp-Passw0rd!",
    );
    assert_eq!(page.status, 200);
    assert!(text(&page).contains("name=\"requiredAttributes.name\""));
    let send =
        |browser: &mut Browser, h: &mut Harness, page: &HttpResponse, fields: &[(&str, &str)]| {
            let (csrf, session) = (field(&text(page), "_csrf"), field(&text(page), "session"));
            let mut all = vec![("_csrf", csrf.as_str()), ("session", session.as_str())];
            all.extend_from_slice(fields);
            browser.post(h, "/new-password", &all)
        };
    let weak = send(
        &mut browser,
        &mut h,
        &page,
        &[
            ("new_password", "short"),
            ("requiredAttributes.name", "New Bie"),
        ],
    );
    assert_eq!(weak.status, 400);
    assert!(
        text(&weak).contains("Password does not conform to policy"),
        "{}",
        text(&weak)
    );
    let nameless = send(
        &mut browser,
        &mut h,
        &weak,
        &[("new_password", "Newbie-Passw0rd!")],
    );
    assert!(
        text(&nameless).contains("name: The attribute is required"),
        "{}",
        text(&nameless)
    );
    // The code form cannot answer the new-password step.
    let (csrf, session) = (
        field(&text(&nameless), "_csrf"),
        field(&text(&nameless), "session"),
    );
    let wrong_form = browser.post(
        &mut h,
        "/mfa",
        &[("_csrf", &csrf), ("session", &session), ("code", "123456")],
    );
    assert_eq!(wrong_form.status, 400);
    // Then the user's second factor, then the app.
    let totp_page = send(
        &mut browser,
        &mut h,
        &nameless,
        &[
            ("new_password", "Newbie-Passw0rd!"),
            ("requiredAttributes.name", "New Bie"),
        ],
    );
    assert!(text(&totp_page).contains("mfaCode"), "{}", text(&totp_page));
    let code = cognito_local::totp::code(TOTP_SECRET, h.now()).unwrap();
    let (csrf, session) = (
        field(&text(&totp_page), "_csrf"),
        field(&text(&totp_page), "session"),
    );
    code_of(
        &browser.post(
            &mut h,
            "/mfa",
            &[("_csrf", &csrf), ("session", &session), ("code", &code)],
        ),
        APP,
    );
    let user = h.state.pools[0].user("newbie").unwrap();
    assert_eq!(user.attributes["name"], "New Bie");
    // The new password is the user's, for the JSON API too.
    let answer = h
        .srp_sign_in(OAUTH_POOL, "webclient", "newbie", "Newbie-Passw0rd!")
        .unwrap();
    assert_eq!(answer["ChallengeName"], "SOFTWARE_TOKEN_MFA");
}
