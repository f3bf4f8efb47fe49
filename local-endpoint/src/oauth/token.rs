//! The app's side of managed login: `POST /oauth2/token` (the
//! authorization_code grant with PKCE, and refresh_token), `POST
//! /oauth2/revoke` and `GET|POST /oauth2/userInfo`. Errors are JSON
//! `{"error", "error_description"}` (invalid_client with HTTP 401).

use base64::engine::general_purpose::{STANDARD as BASE64, URL_SAFE_NO_PAD as B64URL};
use base64::Engine;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::config::ClientOAuth;
use super::{amend_claims, Form};
use crate::grants::Grant;
use crate::pool::Client;
use crate::router::{HttpRequest, HttpResponse};
use crate::state::State;
use crate::tokens::{check_access, Issue};

/// Random bytes in a refresh token, as the JSON API's.
const REFRESH_TOKEN_BYTES: usize = 96;
/// Attributes the `profile` scope releases at userInfo (and custom ones).
const PROFILE_ATTRIBUTES: [&str; 14] = [
    "name",
    "family_name",
    "given_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "updated_at",
];

/// An OAuth error answer.
struct OAuthError {
    status: u16,
    error: &'static str,
    description: &'static str,
}

fn fail(error: &'static str, description: &'static str) -> OAuthError {
    let status = if error == "invalid_client" { 401 } else { 400 };
    OAuthError {
        status,
        error,
        description,
    }
}

impl OAuthError {
    fn respond(self, basic_auth: bool) -> HttpResponse {
        let mut body = json!({ "error": self.error });
        if !self.description.is_empty() {
            body["error_description"] = self.description.into();
        }
        let response = HttpResponse::json(self.status, "application/json;charset=UTF-8", &body);
        // RFC 6749 5.2: a failed HTTP Basic authentication says so.
        if self.status == 401 && basic_auth {
            return response.with_header("WWW-Authenticate", "Basic");
        }
        response
    }
}

fn no_store(response: HttpResponse) -> HttpResponse {
    response
        .with_header("Cache-Control", "no-store")
        .with_header("Pragma", "no-cache")
}

/// The form body of a token or revocation request.
fn form_body(request: &HttpRequest) -> Result<Form, OAuthError> {
    let form_type = request.header("content-type").is_some_and(|t| {
        t.to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    });
    if !form_type {
        return Err(fail(
            "invalid_request",
            "Content-Type must be application/x-www-form-urlencoded",
        ));
    }
    Form::parse(&request.body).map_err(|_| fail("invalid_request", "a parameter is repeated"))
}

/// `Authorization: Basic base64(client_id:client_secret)`, decoded.
fn basic_credentials(request: &HttpRequest) -> Option<Result<(String, String), OAuthError>> {
    let value = request.header("authorization")?;
    let (scheme, encoded) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let bad = || fail("invalid_client", "malformed Basic credentials");
    let decoded = BASE64
        .decode(encoded.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    Some(
        decoded
            .and_then(|text| {
                let (id, secret) = text.split_once(':')?;
                Some((id.to_owned(), secret.to_owned()))
            })
            .ok_or_else(bad),
    )
}

/// The client the request authenticates as: HTTP Basic or the `client_id`
/// (and `client_secret`) fields; a client with a secret must prove it.
fn authenticate(
    state: &State,
    request: &HttpRequest,
    form: &Form,
) -> Result<(usize, Client), OAuthError> {
    let (client_id, secret) = match basic_credentials(request).transpose()? {
        Some((id, secret)) => {
            if form.get("client_id").is_some_and(|field| field != id)
                || form.get("client_secret").is_some()
            {
                return Err(fail(
                    "invalid_client",
                    "more than one client authentication",
                ));
            }
            (id, Some(secret))
        }
        None => (
            form.value("client_id")
                .ok_or_else(|| fail("invalid_client", "client_id is required"))?
                .to_owned(),
            form.get("client_secret").map(str::to_owned),
        ),
    };
    let (pool, client) = state
        .client(&client_id)
        .map_err(|_| fail("invalid_client", ""))?;
    let proven = match (&client.secret, secret.as_deref()) {
        (Some(expected), Some(sent)) => bool::from(expected.as_bytes().ct_eq(sent.as_bytes())),
        (Some(_), None) => false,
        (None, sent) => sent.map_or(true, str::is_empty),
    };
    if !proven {
        return Err(fail("invalid_client", ""));
    }
    Ok((pool, client))
}

/// `POST /oauth2/token`.
pub fn token(state: &mut State, request: &HttpRequest) -> HttpResponse {
    let basic = basic_credentials(request).is_some();
    match grant(state, request) {
        Ok(body) => no_store(HttpResponse::json(
            200,
            "application/json;charset=UTF-8",
            &body,
        )),
        Err(error) => no_store(error.respond(basic)),
    }
}

fn grant(state: &mut State, request: &HttpRequest) -> Result<Value, OAuthError> {
    let form = form_body(request)?;
    let (pool, client) = authenticate(state, request, &form)?;
    let oauth = ClientOAuth::of(&client);
    match form.value("grant_type") {
        None => Err(fail("invalid_request", "grant_type is required")),
        Some("authorization_code") if oauth.allows_flow("code") => {
            code_grant(state, pool, &client, &form)
        }
        Some("refresh_token") if oauth.enabled => refresh_grant(state, pool, &client, &form),
        Some("authorization_code" | "refresh_token" | "client_credentials") => {
            Err(fail("unauthorized_client", ""))
        }
        Some(_) => Err(fail("unsupported_grant_type", "")),
    }
}

/// grant_type=authorization_code: the code (single use, five minutes) of
/// this client and redirect_uri; with PKCE, the code_verifier.
fn code_grant(
    state: &mut State,
    pool: usize,
    client: &Client,
    form: &Form,
) -> Result<Value, OAuthError> {
    let code = form
        .value("code")
        .ok_or_else(|| fail("invalid_request", "code is required"))?;
    let redirect_uri = form
        .value("redirect_uri")
        .ok_or_else(|| fail("invalid_request", "redirect_uri is required"))?;
    let now = state.env.now();
    let issued = state
        .oauth
        .codes
        .take(code, now)
        .filter(|c| c.client_id == client.id)
        .ok_or_else(|| fail("invalid_grant", ""))?;
    if issued.redirect_uri != redirect_uri {
        return Err(fail("invalid_grant", "redirect_uri does not match"));
    }
    if let Some(challenge) = &issued.code_challenge {
        let verifier = form
            .value("code_verifier")
            .ok_or_else(|| fail("invalid_request", "code_verifier is required"))?;
        if !pkce_s256_matches(verifier, challenge) {
            return Err(fail("invalid_grant", "code_verifier does not match"));
        }
    }
    let enabled = state.pools[pool]
        .user(&issued.username)
        .is_some_and(|u| u.enabled);
    if !enabled {
        return Err(fail("invalid_grant", "User is disabled."));
    }
    let origin_jti = state.env.uuid();
    let refresh_token = state.env.token(REFRESH_TOKEN_BYTES);
    let grant = Grant {
        pool,
        client_id: client.id.clone(),
        username: issued.username.clone(),
        auth_time: issued.auth_time,
        refresh_expires: now + client.refresh_token_validity,
        revoked: false,
    };
    state
        .grants
        .add(origin_jti.clone(), refresh_token.clone(), grant);
    state
        .oauth
        .grant_scopes
        .insert(origin_jti.clone(), issued.scopes.join(" "));
    let mut body = tokens(
        state,
        pool,
        client,
        &issued.username,
        &origin_jti,
        issued.auth_time,
        issued.nonce.as_deref(),
    );
    body["refresh_token"] = refresh_token.into();
    Ok(body)
}

/// RFC 7636 S256: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge.
pub fn pkce_s256_matches(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    let computed = B64URL.encode(Sha256::digest(verifier.as_bytes()));
    well_formed && bool::from(computed.as_bytes().ct_eq(challenge.as_bytes()))
}

/// grant_type=refresh_token: new access and id tokens under the grant (no
/// new refresh token).
fn refresh_grant(
    state: &mut State,
    pool: usize,
    client: &Client,
    form: &Form,
) -> Result<Value, OAuthError> {
    let token = form
        .value("refresh_token")
        .ok_or_else(|| fail("invalid_request", "refresh_token is required"))?;
    let now = state.env.now();
    let (origin_jti, grant) = state
        .grants
        .by_refresh_token(token)
        .filter(|(_, grant)| grant.client_id == client.id)
        .ok_or_else(|| fail("invalid_grant", "Invalid Refresh Token"))?;
    if grant.revoked {
        return Err(fail("invalid_grant", "Refresh Token has been revoked"));
    }
    if now >= grant.refresh_expires {
        return Err(fail("invalid_grant", "Refresh Token has expired"));
    }
    let (origin_jti, username, auth_time) = (
        origin_jti.to_owned(),
        grant.username.clone(),
        grant.auth_time,
    );
    if !state.pools[pool].user(&username).is_some_and(|u| u.enabled) {
        return Err(fail("invalid_grant", "User is disabled."));
    }
    Ok(tokens(
        state,
        pool,
        client,
        &username,
        &origin_jti,
        auth_time,
        None,
    ))
}

/// The token answer: the access token; the id token when the grant has the
/// openid scope (JSON API grants always do), with `at_hash` and the
/// authorize request's `nonce`.
fn tokens(
    state: &mut State,
    pool: usize,
    client: &Client,
    username: &str,
    origin_jti: &str,
    auth_time: u64,
    nonce: Option<&str>,
) -> Value {
    let [event_id, access_jti, id_jti] = [(); 3].map(|_| state.env.uuid());
    let user = state.pools[pool]
        .user(username)
        .expect("callers checked the user");
    let issue = Issue {
        issuer: state.issuer(pool),
        client,
        user,
        origin_jti,
        event_id: &event_id,
        auth_time,
        now: state.env.now(),
    };
    let (mut access, mut id) = (issue.access_claims(&access_jti), issue.id_claims(&id_jti));
    amend_claims(state, pool, user, origin_jti, &mut access, &mut id);
    let access_token = state.signer.sign(&access);
    let mut body = json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": client.access_token_validity,
    });
    let openid = state
        .oauth
        .grant_scopes
        .get(origin_jti)
        .map_or(true, |scopes| scopes.split(' ').any(|s| s == "openid"));
    if openid {
        let digest = Sha256::digest(access_token.as_bytes());
        id["at_hash"] = B64URL.encode(&digest[..16]).into();
        if let Some(nonce) = nonce {
            id["nonce"] = nonce.into();
        }
        body["id_token"] = state.signer.sign(&id).into();
    }
    body
}

/// `POST /oauth2/revoke`: revokes a refresh token of the client and every
/// token issued from it. Unknown tokens are not an error (RFC 7009).
pub fn revoke(state: &mut State, request: &HttpRequest) -> HttpResponse {
    let basic = basic_credentials(request).is_some();
    match revoke_token(state, request) {
        Ok(()) => no_store(HttpResponse::new(200, "application/json", Vec::new())),
        Err(error) => no_store(error.respond(basic)),
    }
}

fn revoke_token(state: &mut State, request: &HttpRequest) -> Result<(), OAuthError> {
    let form = form_body(request)?;
    let token = form
        .value("token")
        .ok_or_else(|| fail("invalid_request", "token is required"))?
        .to_owned();
    let (_, client) = authenticate(state, request, &form)?;
    if client.settings.get("EnableTokenRevocation") == Some(&Value::Bool(false)) {
        return Err(fail(
            "invalid_request",
            "token revocation is disabled for the client",
        ));
    }
    if state.verify_token(&token).is_some() {
        return Err(fail(
            "unsupported_token_type",
            "only refresh tokens can be revoked",
        ));
    }
    let origin = state
        .grants
        .by_refresh_token(&token)
        .filter(|(_, grant)| grant.client_id == client.id)
        .map(|(origin, _)| origin.to_owned());
    if let Some(origin) = origin {
        state.grants.revoke(&origin);
    }
    Ok(())
}

/// `GET|POST /oauth2/userInfo` with `Authorization: Bearer <access token>`
/// of a grant with the openid scope: the user's attributes the scopes
/// release, as strings (as the service answers them).
pub fn user_info(state: &mut State, request: &HttpRequest) -> HttpResponse {
    let refuse = |status: u16, error: &str, description: &str| {
        let challenge = format!("Bearer error=\"{error}\", error_description=\"{description}\"");
        HttpResponse::json(
            status,
            "application/json;charset=UTF-8",
            &json!({ "error": error, "error_description": description }),
        )
        .with_header("WWW-Authenticate", &challenge)
    };
    let token = request
        .header("authorization")
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, token)| scheme.eq_ignore_ascii_case("bearer") && !token.is_empty())
        .map(|(_, token)| token.trim());
    let Some(token) = token else {
        return refuse(
            400,
            "invalid_request",
            "Bad OAuth2 request at UserInfo Endpoint",
        );
    };
    let expired =
        "Access token is expired, disabled, or deleted, or the user has globally signed out.";
    let Ok((owner, claims)) = check_access(state, token) else {
        return refuse(401, "invalid_token", expired);
    };
    let scopes: Vec<&str> = claims["scope"]
        .as_str()
        .unwrap_or_default()
        .split(' ')
        .collect();
    if !scopes.contains(&"openid") {
        return refuse(
            401,
            "invalid_token",
            "Access token does not contain openid scope",
        );
    }
    let Some(user) = state.pools[owner.pool]
        .user(&owner.username)
        .filter(|u| u.enabled)
    else {
        return refuse(401, "invalid_token", expired);
    };
    let narrowed = ["profile", "email", "phone"]
        .iter()
        .any(|s| scopes.contains(s));
    let released = |name: &str| {
        !narrowed
            || matches!(name, "sub" | "identities")
            || (scopes.contains(&"profile")
                && (PROFILE_ATTRIBUTES.contains(&name) || name.starts_with("custom:")))
            || (scopes.contains(&"email") && matches!(name, "email" | "email_verified"))
            || (scopes.contains(&"phone")
                && matches!(name, "phone_number" | "phone_number_verified"))
    };
    let mut body: Map<String, Value> = user
        .attributes
        .iter()
        .filter(|(name, _)| released(name))
        .map(|(name, value)| (name.clone(), value.clone().into()))
        .collect();
    body.insert("username".into(), user.username.clone().into());
    HttpResponse::json(200, "application/json;charset=UTF-8", &Value::Object(body))
}

#[cfg(test)]
mod tests {
    use super::pkce_s256_matches;

    #[test]
    fn pkce_matches_the_rfc_7636_appendix_b_vector() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert!(pkce_s256_matches(
            verifier,
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
        assert!(!pkce_s256_matches(
            verifier,
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN"
        ));
        assert!(!pkce_s256_matches(
            "short",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
    }
}
