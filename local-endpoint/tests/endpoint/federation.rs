//! Sign-in through the simulated external OIDC provider (ExampleIdP):
//! its own page and tokens, the federated user, cancelling.

use cognito_local::router::HttpResponse;
use serde_json::{json, Value};

use crate::harness::*;
use crate::oauth::*;

/// From the app's authorize request to ExampleIdP's sign-in page: the
/// page's URL (at the provider), after checking the redirect there.
fn to_provider(browser: &mut Browser, h: &mut Harness, authorize: &str) -> String {
    let answer = browser.get(h, authorize);
    assert_eq!(answer.status, 302, "{}", text(&answer));
    let at_idp = location(&answer);
    let prefix = format!("{BASE_URL}/idp/{OAUTH_POOL}/ExampleIdP/authorize?");
    assert!(at_idp.starts_with(&prefix), "{at_idp}");
    let params = params(&at_idp);
    assert_eq!(params["client_id"], OAUTH_POOL);
    assert_eq!(
        params["redirect_uri"],
        format!("{BASE_URL}/oauth2/idpresponse")
    );
    assert_eq!(params["response_type"], "code");
    assert!(params.contains_key("state") && params.contains_key("nonce"));
    at_idp[BASE_URL.len()..].to_owned()
}

/// Signs in at the provider's page; the provider's answer.
fn at_provider(
    browser: &mut Browser,
    h: &mut Harness,
    page_url: &str,
    fields: &[(&str, &str)],
) -> HttpResponse {
    let page = browser.get(h, page_url);
    assert_eq!(page.status, 200, "{}", text(&page));
    assert!(text(&page).contains("idpCancel"));
    browser.post(h, page_url, fields)
}

/// The provider's redirect back to the pool, followed: the pool's answer.
fn back_to_pool(browser: &mut Browser, h: &mut Harness, answer: &HttpResponse) -> HttpResponse {
    assert_eq!(answer.status, 302, "{}", text(answer));
    let back = location(answer);
    let prefix = format!("{BASE_URL}/oauth2/idpresponse?");
    assert!(back.starts_with(&prefix), "{back}");
    browser.get(h, &back[BASE_URL.len()..])
}

fn jane_signs_in(h: &mut Harness, authorize: &str) -> (Browser, HttpResponse) {
    let mut browser = Browser::default();
    let page = to_provider(&mut browser, h, authorize);
    let answer = at_provider(
        &mut browser,
        h,
        &page,
        &[
            ("username", "jane"),
            ("password", "Jane-IdP-Passw0rd"),
            ("action", "login"),
        ],
    );
    let done = back_to_pool(&mut browser, h, &answer);
    (browser, done)
}

#[test]
fn a_provider_sign_in_creates_the_federated_user_with_its_identities() {
    let mut h = oauth_harness();
    let authorize = authorize_url(
        "webclient",
        &[
            ("identity_provider", "ExampleIdP"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
            ("nonce", "app-nonce"),
        ],
    );
    let (mut browser, done) = jane_signs_in(&mut h, &authorize);
    let code = code_of(&done, APP);
    let (status, tokens) = redeem(&mut h, "webclient", &code, Some(VERIFIER));
    assert_eq!(status, 200, "{tokens}");
    let id = h.verified_claims(OAUTH_POOL, tokens["id_token"].as_str().unwrap());
    assert_eq!(id["cognito:username"], "ExampleIdP_idp-sub-jane");
    assert_eq!(id["email"], "jane@example.com");
    assert_eq!(id["email_verified"], true);
    assert_eq!(id["name"], "Jane Idp");
    assert_eq!(id["nonce"], "app-nonce");
    assert_ne!(id["sub"], "idp-sub-jane", "the pool gives its own sub");
    let identities = id["identities"].as_array().expect("an identities array");
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0]["userId"], "idp-sub-jane");
    assert_eq!(identities[0]["providerName"], "ExampleIdP");
    assert_eq!(identities[0]["providerType"], "OIDC");
    assert_eq!(identities[0]["primary"], "true");
    assert!(identities[0]["dateCreated"].is_string());
    assert_eq!(
        id["cognito:groups"],
        json!([format!("{OAUTH_POOL}_ExampleIdP")])
    );
    let access = h.verified_claims(OAUTH_POOL, tokens["access_token"].as_str().unwrap());
    assert_eq!(access["username"], "ExampleIdP_idp-sub-jane");
    // userInfo shows the identities attribute (a JSON string, as the service's).
    let bearer = format!("Bearer {}", tokens["access_token"].as_str().unwrap());
    let info: Value = serde_json::from_slice(
        &h.request(
            "GET",
            "/oauth2/userInfo",
            &[("Authorization", &bearer)],
            b"",
        )
        .body,
    )
    .unwrap();
    assert_eq!(info["username"], "ExampleIdP_idp-sub-jane");
    assert!(info["identities"]
        .as_str()
        .unwrap()
        .contains("\"userId\":\"idp-sub-jane\""));
    // The managed-login session now skips the provider's page.
    code_of(&browser.get(&mut h, &authorize_url("webclient", &[])), APP);
    // No password signs the federated user in through the API.
    refused(
        h.srp_sign_in(
            OAUTH_POOL,
            "webclient",
            "ExampleIdP_idp-sub-jane",
            "Jane-IdP-Passw0rd",
        ),
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
}

#[test]
fn a_second_sign_in_updates_the_same_user() {
    let mut h = oauth_harness();
    let authorize = authorize_url("webclient", &[("idp_identifier", "example.com")]);
    let (_, done) = jane_signs_in(&mut h, &authorize);
    let first = redeem(&mut h, "webclient", &code_of(&done, APP), None).1;
    let users_after_first = h.state.pools[0].users.len();
    let jane = &mut h.state.pools[0].identity_providers[0].users[0];
    jane.claims.insert("name".into(), "Jane Renamed".into());
    let (_, done) = jane_signs_in(&mut h, &authorize);
    let second = redeem(&mut h, "webclient", &code_of(&done, APP), None).1;
    assert_eq!(h.state.pools[0].users.len(), users_after_first);
    let (a, b) = (
        h.verified_claims(OAUTH_POOL, first["id_token"].as_str().unwrap()),
        h.verified_claims(OAUTH_POOL, second["id_token"].as_str().unwrap()),
    );
    assert_eq!(a["sub"], b["sub"]);
    assert_eq!(b["name"], "Jane Renamed");
}

#[test]
fn cancelling_at_the_provider_is_access_denied_for_the_app() {
    let mut h = oauth_harness();
    let mut browser = Browser::default();
    let page = to_provider(
        &mut browser,
        &mut h,
        &authorize_url("webclient", &[("identity_provider", "ExampleIdP")]),
    );
    let answer = at_provider(&mut browser, &mut h, &page, &[("action", "cancel")]);
    let done = back_to_pool(&mut browser, &mut h, &answer);
    assert_eq!(done.status, 302);
    let back = location(&done);
    assert!(back.starts_with(&format!("{APP}?")), "{back}");
    let params = params(&back);
    assert_eq!(params["error"], "access_denied");
    assert_eq!(params["state"], "st-123");
    assert!(!params.contains_key("code"));
    assert!(!browser.has_cookie("cognito"));
}

#[test]
fn the_provider_checks_its_passwords_clients_and_codes() {
    let mut h = oauth_harness();
    let mut browser = Browser::default();
    let page = to_provider(
        &mut browser,
        &mut h,
        &authorize_url("idponly", &[("identity_provider", "ExampleIdP")]),
    );
    let answer = at_provider(
        &mut browser,
        &mut h,
        &page,
        &[
            ("username", "jane"),
            ("password", "nope"),
            ("action", "login"),
        ],
    );
    assert_eq!(answer.status, 401);
    assert!(text(&answer).contains("Wrong username or password."));
    let foreign = page.replace(&format!("client_id={OAUTH_POOL}"), "client_id=someone-else");
    assert_eq!(browser.get(&mut h, &foreign).status, 400);
    let answer = browser.post(
        &mut h,
        &page,
        &[
            ("username", "jane"),
            ("password", "Jane-IdP-Passw0rd"),
            ("action", "login"),
        ],
    );
    let back = location(&answer);
    let idp_code = params(&back)["code"].clone();
    // The provider's token endpoint answers over HTTP too, once per code.
    let token_url = format!("/idp/{OAUTH_POOL}/ExampleIdP/token");
    let redirect_uri = format!("{BASE_URL}/oauth2/idpresponse");
    let body = encode(&[
        ("grant_type", "authorization_code"),
        ("client_id", OAUTH_POOL),
        ("code", &idp_code),
        ("redirect_uri", &redirect_uri),
    ]);
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let response = h.request("POST", &token_url, &form, body.as_bytes());
    assert_eq!(response.status, 200, "{}", text(&response));
    let answer: Value = serde_json::from_slice(&response.body).unwrap();
    let jwks: Value = serde_json::from_slice(
        &h.request(
            "GET",
            &format!("/idp/{OAUTH_POOL}/ExampleIdP/jwks.json"),
            &[],
            b"",
        )
        .body,
    )
    .unwrap();
    let claims = verify_with_jwks(&jwks, answer["id_token"].as_str().unwrap())
        .expect("signed by the provider's key");
    assert_eq!(
        claims["iss"],
        format!("{BASE_URL}/idp/{OAUTH_POOL}/ExampleIdP")
    );
    assert_eq!(claims["aud"], OAUTH_POOL);
    assert_eq!(claims["sub"], "idp-sub-jane");
    let pool_jwks: Value = serde_json::from_slice(
        &h.request(
            "GET",
            &format!("/{OAUTH_POOL}/.well-known/jwks.json"),
            &[],
            b"",
        )
        .body,
    )
    .unwrap();
    assert!(
        verify_with_jwks(&pool_jwks, answer["id_token"].as_str().unwrap()).is_none(),
        "not the pool's key"
    );
    let response = h.request("POST", &token_url, &form, body.as_bytes());
    assert_eq!(response.status, 400);
    // The pool cannot redeem the used code either: back to the app with an error.
    let done = browser.get(&mut h, &back[BASE_URL.len()..]);
    let params = params(&location(&done));
    assert_eq!(params["error"], "invalid_request");
    assert!(params["error_description"].starts_with("ExampleIdP Error"));
    // An unknown sign-in state has nowhere to go.
    let lost = browser.get(&mut h, "/oauth2/idpresponse?code=x&state=unknown");
    assert_eq!(lost.status, 400);
}

#[test]
fn the_sign_in_page_offers_the_clients_providers() {
    let mut h = oauth_harness();
    let mut browser = Browser::default();
    let login = location(&browser.get(&mut h, &authorize_url("idponly", &[])));
    let page = text(&browser.get(&mut h, &login));
    assert!(page.contains("Sign in with ExampleIdP"));
    assert!(
        !page.contains("signInFormPassword"),
        "idponly does not offer COGNITO"
    );
    let login = location(&browser.get(&mut h, &authorize_url("webclient", &[])));
    let page = text(&browser.get(&mut h, &login));
    assert!(page.contains("Sign in with ExampleIdP") && page.contains("signInFormPassword"));
}
