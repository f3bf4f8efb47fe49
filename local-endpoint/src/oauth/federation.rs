//! Sign-in through an external OIDC provider, and the providers themselves,
//! simulated by the endpoint under `/idp/<userPoolId>/<ProviderName>/`:
//! their own sign-in page (with a Cancel button), token endpoint, JWKS and
//! discovery document, and RS256 id tokens under their own key.
//!
//! The user pool is the provider's client: its client_id there is the user
//! pool id and its redirect URI `<endpoint>/oauth2/idpresponse`, as the
//! service's is `https://<domain>/oauth2/idpresponse`. The pool redeems the
//! provider's code in-process (the server holds one lock), checks the id
//! token as the service does (signature, issuer, audience, expiry, nonce),
//! then creates or updates the federated user `<ProviderName>_<sub>`.

use serde_json::{json, Map, Value};
use subtle::ConstantTimeEq;

use super::authorize::{self, AuthorizeRequest, CODE_SECONDS};
use super::{html, pages, query_of, redirect, with_params, Form};
use crate::jwt::{Signer, KEY_BITS};
use crate::pool::{User, UserStatus};
use crate::router::{HttpRequest, HttpResponse};
use crate::state::State;

/// How long a sign-in may stay at the provider.
pub const FEDERATION_SECONDS: u64 = 900;
/// What the pool asks the provider for.
const IDP_SCOPES: &str = "openid email profile";
const IDP_TOKEN_SECONDS: u64 = 3600;
const TOKEN_BYTES: usize = 32;

/// A sign-in gone to a provider, stored under the `state` sent there.
pub struct Federation {
    pool: usize,
    provider: usize,
    /// The app's authorize parameters.
    query: String,
    nonce: String,
}

/// A code issued by a simulated provider.
pub struct IdpCode {
    pool: usize,
    provider: usize,
    /// The provider user (index).
    user: usize,
    redirect_uri: String,
    nonce: Option<String>,
    auth_time: u64,
}

/// The provider's base URL, also its issuer.
fn idp_base(state: &State, pool: usize, provider: usize) -> String {
    let pool_ref = &state.pools[pool];
    format!(
        "{}/idp/{}/{}",
        state.base_url, pool_ref.id, pool_ref.identity_providers[provider].name
    )
}

fn idp_response_uri(state: &State) -> String {
    format!("{}/oauth2/idpresponse", state.base_url)
}

/// The authorize request went for provider `provider`: off to its sign-in
/// page, with a `state` and `nonce` of the pool's.
pub fn start(state: &mut State, req: &AuthorizeRequest, provider: usize) -> HttpResponse {
    let (txn, nonce) = (state.env.token(TOKEN_BYTES), state.env.token(TOKEN_BYTES));
    let now = state.env.now();
    let federation = Federation {
        pool: req.pool,
        provider,
        query: req.query.clone(),
        nonce: nonce.clone(),
    };
    state.oauth.federations.insert(txn.clone(), federation, now);
    let location = with_params(
        &format!("{}/authorize", idp_base(state, req.pool, provider)),
        &[
            ("response_type", "code"),
            ("client_id", &state.pools[req.pool].id),
            ("redirect_uri", &idp_response_uri(state)),
            ("scope", IDP_SCOPES),
            ("state", &txn),
            ("nonce", &nonce),
        ],
    );
    redirect(&location)
}

/// `GET /oauth2/idpresponse`: the provider sent the browser back with a
/// code (or an error). Signs the user in and goes back to the app.
pub fn idp_response(state: &mut State, request: &HttpRequest) -> HttpResponse {
    let now = state.env.now();
    let lost = || {
        html(
            400,
            pages::message(
                "An error was encountered with the requested page.",
                "invalid_request: unknown or expired sign-in state from the identity provider.",
            ),
        )
    };
    let Ok(form) = Form::parse(query_of(&request.url).as_bytes()) else {
        return lost();
    };
    let Some(federation) = form
        .get("state")
        .and_then(|txn| state.oauth.federations.take(txn, now))
    else {
        return lost();
    };
    let req = match authorize::parse(state, &federation.query) {
        Ok(req) => req,
        Err(refusal) => return refusal.respond(),
    };
    let name = state.pools[req.pool].identity_providers[federation.provider]
        .name
        .clone();
    if let Some(error) = form.get("error") {
        let description = form.get("error_description").unwrap_or(error);
        return match error {
            "access_denied" => req.refuse("access_denied", description),
            _ => req.refuse("invalid_request", &format!("{name} Error - {description}")),
        };
    }
    let Some(code) = form.get("code") else {
        return req.refuse("invalid_request", &format!("{name} Error - no code"));
    };
    let redeemed = redeem(
        state,
        federation.pool,
        federation.provider,
        code,
        &idp_response_uri(state),
    )
    .and_then(|token| verify_id_token(state, &federation, &token));
    let claims = match redeemed {
        Ok(claims) => claims,
        Err(error) => return req.refuse("invalid_request", &format!("{name} Error - {error}")),
    };
    let username = federated_user(state, federation.pool, federation.provider, &claims);
    let enabled = state.pools[req.pool]
        .user(&username)
        .is_some_and(|u| u.enabled);
    if !enabled {
        return req.refuse("invalid_request", "User is disabled.");
    }
    authorize::finish(state, &req, &username, now, true)
}

/// The provider's id token for `code`, as its token endpoint gives it.
fn redeem(
    state: &mut State,
    pool: usize,
    provider: usize,
    code: &str,
    redirect_uri: &str,
) -> Result<String, &'static str> {
    let now = state.env.now();
    let issued = state
        .oauth
        .idp_codes
        .take(code, now)
        .filter(|c| c.pool == pool && c.provider == provider && c.redirect_uri == redirect_uri)
        .ok_or("invalid_grant")?;
    signer(state).map_err(|_| "server_error")?;
    let user = &state.pools[pool].identity_providers[provider].users[issued.user];
    let mut claims: Map<String, Value> = user.claims.clone();
    claims.insert("iss".into(), idp_base(state, pool, provider).into());
    claims.insert("aud".into(), state.pools[pool].id.clone().into());
    claims.insert("iat".into(), now.into());
    claims.insert("exp".into(), (now + IDP_TOKEN_SECONDS).into());
    claims.insert("auth_time".into(), issued.auth_time.into());
    if let Some(nonce) = issued.nonce {
        claims.insert("nonce".into(), nonce.into());
    }
    let signer = state.oauth.idp_signer.as_ref().expect("made above");
    Ok(signer.sign(&Value::Object(claims)))
}

/// The checks the service makes of a provider's id token.
fn verify_id_token(
    state: &State,
    federation: &Federation,
    token: &str,
) -> Result<Value, &'static str> {
    let signer = state.oauth.idp_signer.as_ref().ok_or("no key")?;
    let claims = signer.verify(token).ok_or("invalid id_token signature")?;
    let issuer = idp_base(state, federation.pool, federation.provider);
    let audience = &state.pools[federation.pool].id;
    let aud_ok = match &claims["aud"] {
        Value::String(aud) => aud == audience,
        Value::Array(list) => list.iter().any(|a| a == audience.as_str()),
        _ => false,
    };
    if claims["iss"] != issuer.as_str() || !aud_ok {
        return Err("id_token issuer or audience mismatch");
    }
    if claims["exp"]
        .as_u64()
        .map_or(true, |exp| exp <= state.env.now())
    {
        return Err("id_token expired");
    }
    if claims["nonce"] != federation.nonce.as_str() {
        return Err("id_token nonce mismatch");
    }
    if claims["sub"].as_str().map_or(true, str::is_empty) {
        return Err("id_token has no sub");
    }
    Ok(claims)
}

/// Creates `<ProviderName>_<sub>` on the first sign-in, and updates its
/// mapped attributes on each, as the service does. Gives the username.
fn federated_user(state: &mut State, pool: usize, provider: usize, claims: &Value) -> String {
    let now = state.env.now();
    let idp = &state.pools[pool].identity_providers[provider];
    let sub = claims["sub"].as_str().expect("checked").to_owned();
    let username = format!("{}_{sub}", idp.name);
    let mapped: Vec<(String, String)> = idp
        .attribute_mapping
        .iter()
        .filter_map(|(attribute, claim)| {
            let value = match claims.get(claim)? {
                Value::String(text) => text.clone(),
                Value::Null => return None,
                other => other.to_string(),
            };
            Some((attribute.clone(), value))
        })
        .collect();
    let identities = json!([{
        "userId": sub,
        "providerName": idp.name,
        "providerType": "OIDC",
        "issuer": null,
        "primary": true,
        "dateCreated": now * 1000,
    }])
    .to_string();
    if let Some(user) = state.pools[pool].user_mut(&username) {
        user.attributes.extend(mapped);
        return username;
    }
    let (user_sub, password) = (state.env.uuid(), state.env.token(TOKEN_BYTES));
    let verifier = state.pools[pool].new_verifier(&mut state.env, &username, &password);
    let mut attributes: std::collections::BTreeMap<String, String> = mapped.into_iter().collect();
    attributes.insert("sub".into(), user_sub);
    attributes.insert("identities".into(), identities);
    state.pools[pool].users.push(User {
        username: username.clone(),
        status: UserStatus::ExternalProvider,
        enabled: true,
        attributes,
        // No password signs this user in: a random one nobody knows.
        verifier,
    });
    username
}

/// The simulated provider's key, made on first use.
fn signer(state: &mut State) -> Result<&Signer, String> {
    if state.oauth.idp_signer.is_none() {
        let signer = Signer::generate(&mut state.env, KEY_BITS).map_err(|e| e.to_string())?;
        state.oauth.idp_signer = Some(signer);
    }
    Ok(state.oauth.idp_signer.as_ref().expect("set above"))
}

/// `/idp/<userPoolId>/<ProviderName>/<endpoint>`.
pub fn handle(state: &mut State, request: &HttpRequest, path: &str) -> HttpResponse {
    let not_found =
        || HttpResponse::json(404, "application/json", &json!({ "message": "Not Found" }));
    let mut parts = path.trim_start_matches("/idp/").splitn(3, '/');
    let (Some(pool_id), Some(name), Some(endpoint)) = (parts.next(), parts.next(), parts.next())
    else {
        return not_found();
    };
    let Ok(pool) = state.pool(pool_id) else {
        return not_found();
    };
    let Some(provider) = state.pools[pool]
        .identity_providers
        .iter()
        .position(|p| p.name == name)
    else {
        return not_found();
    };
    match (request.method.as_str(), endpoint) {
        ("GET", "authorize") => idp_authorize(state, request, pool, provider),
        ("POST", "authorize") => idp_sign_in(state, request, pool, provider),
        ("POST", "token") => idp_token(state, request, pool, provider),
        ("GET", "jwks.json") => match signer(state) {
            Ok(signer) => {
                HttpResponse::json(200, "application/json", &json!({ "keys": [signer.jwk()] }))
            }
            Err(error) => HttpResponse::json(500, "application/json", &json!({ "message": error })),
        },
        ("GET", ".well-known/openid-configuration") => {
            let base = idp_base(state, pool, provider);
            let document = json!({
                "issuer": base,
                "authorization_endpoint": format!("{base}/authorize"),
                "token_endpoint": format!("{base}/token"),
                "jwks_uri": format!("{base}/jwks.json"),
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "profile"],
                "token_endpoint_auth_methods_supported": ["none"],
            });
            HttpResponse::json(200, "application/json", &document)
        }
        _ => not_found(),
    }
}

/// The provider's checked authorize parameters: (redirect_uri, state, nonce).
fn idp_request(
    state: &State,
    pool: usize,
    query: &str,
) -> Option<(String, Option<String>, Option<String>)> {
    let form = Form::parse(query.as_bytes()).ok()?;
    let known_client = form.get("client_id") == Some(state.pools[pool].id.as_str());
    let redirect_uri = form
        .get("redirect_uri")
        .filter(|uri| *uri == idp_response_uri(state))?;
    (known_client && form.get("response_type") == Some("code")).then(|| {
        (
            redirect_uri.to_owned(),
            form.get("state").map(str::to_owned),
            form.get("nonce").map(str::to_owned),
        )
    })
}

fn idp_bad_request(provider: &str) -> HttpResponse {
    html(
        400,
        pages::message(
            provider,
            "invalid_request: unknown client_id or redirect_uri.",
        ),
    )
}

/// `GET .../authorize`: the provider's sign-in page.
fn idp_authorize(
    state: &mut State,
    request: &HttpRequest,
    pool: usize,
    provider: usize,
) -> HttpResponse {
    let name = state.pools[pool].identity_providers[provider].name.clone();
    if idp_request(state, pool, query_of(&request.url)).is_none() {
        return idp_bad_request(&name);
    }
    html(200, pages::idp_login(&name, &request.url, None))
}

/// `POST .../authorize`: Sign in (a code back to the pool) or Cancel
/// (`error=access_denied`).
fn idp_sign_in(
    state: &mut State,
    request: &HttpRequest,
    pool: usize,
    provider: usize,
) -> HttpResponse {
    let idp = &state.pools[pool].identity_providers[provider];
    let name = idp.name.clone();
    let Some((redirect_uri, idp_state, nonce)) = idp_request(state, pool, query_of(&request.url))
    else {
        return idp_bad_request(&name);
    };
    let form = Form::parse(&request.body).unwrap_or(Form(Vec::new()));
    let mut params: Vec<(&str, &str)> = Vec::new();
    if form.get("action") == Some("cancel") {
        params.extend([
            ("error", "access_denied"),
            ("error_description", "The user cancelled the sign-in."),
        ]);
    } else {
        let username = form.get("username").unwrap_or_default();
        let password = form.get("password").unwrap_or_default();
        let user = idp.users.iter().position(|u| {
            u.username == username && bool::from(u.password.as_bytes().ct_eq(password.as_bytes()))
        });
        let Some(user) = user else {
            let error = Some("Wrong username or password.");
            return html(401, pages::idp_login(&name, &request.url, error));
        };
        let code = state.env.token(TOKEN_BYTES);
        let now = state.env.now();
        let issued = IdpCode {
            pool,
            provider,
            user,
            redirect_uri: redirect_uri.clone(),
            nonce,
            auth_time: now,
        };
        state
            .oauth
            .idp_codes
            .insert_for(code.clone(), issued, now, CODE_SECONDS);
        return redirect(&with_params(
            &redirect_uri,
            &with_state(&[("code", &code)], idp_state.as_deref()),
        ));
    }
    redirect(&with_params(
        &redirect_uri,
        &with_state(&params, idp_state.as_deref()),
    ))
}

fn with_state<'a>(
    params: &[(&'a str, &'a str)],
    state: Option<&'a str>,
) -> Vec<(&'a str, &'a str)> {
    let mut all = params.to_vec();
    if let Some(state) = state {
        all.push(("state", state));
    }
    all
}

/// `POST .../token`: the provider's token endpoint (authorization_code, the
/// pool as a public client).
fn idp_token(
    state: &mut State,
    request: &HttpRequest,
    pool: usize,
    provider: usize,
) -> HttpResponse {
    let error = |status, code: &str| {
        HttpResponse::json(status, "application/json", &json!({ "error": code }))
    };
    let Ok(form) = Form::parse(&request.body) else {
        return error(400, "invalid_request");
    };
    if form.get("client_id") != Some(state.pools[pool].id.as_str()) {
        return error(401, "invalid_client");
    }
    if form.get("grant_type") != Some("authorization_code") {
        return error(400, "unsupported_grant_type");
    }
    let (Some(code), Some(redirect_uri)) = (form.get("code"), form.get("redirect_uri")) else {
        return error(400, "invalid_request");
    };
    match redeem(state, pool, provider, code, redirect_uri) {
        Ok(id_token) => {
            let access_token = state.env.token(TOKEN_BYTES);
            let body = json!({
                "access_token": access_token,
                "id_token": id_token,
                "token_type": "Bearer",
                "expires_in": IDP_TOKEN_SECONDS,
            });
            HttpResponse::json(200, "application/json", &body)
                .with_header("Cache-Control", "no-store")
        }
        Err("invalid_grant") => error(400, "invalid_grant"),
        Err(other) => error(500, other),
    }
}
