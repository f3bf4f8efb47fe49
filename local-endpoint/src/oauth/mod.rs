//! Managed login (the hosted UI) and the OAuth 2.0 / OpenID Connect
//! endpoints of a user pool's domain, which here is the endpoint itself:
//! - [`authorize`]: `GET /oauth2/authorize`, the sign-in pages (`/login`,
//!   `/new-password`, `/mfa`), `GET /logout` and the error page `/error`;
//! - [`token`]: `POST /oauth2/token`, `POST /oauth2/revoke` and
//!   `/oauth2/userInfo`;
//! - [`federation`]: the simulated external OIDC providers (`/idp/...`)
//!   and `GET /oauth2/idpresponse`, where they send the browser back;
//! - [`config`]: the clients' OAuth settings and the providers from the seed;
//! - [`pages`]: the HTML.
//!
//! The tokens are the JSON API's (same signer, issuer, grants), with the
//! granted scopes in the access token, so refresh tokens from managed login
//! work with REFRESH_TOKEN_AUTH, RevokeToken and GlobalSignOut too.

mod authorize;
pub mod config;
mod federation;
mod pages;
mod token;

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::challenges::TtlStore;
use crate::jwt::Signer;
use crate::pool::User;
use crate::router::{HttpRequest, HttpResponse};
use crate::state::State;

const DISCOVERY_SUFFIX: &str = "/.well-known/openid-configuration";
/// Paths of the pages and endpoints below the domain root.
const PATHS: [&str; 5] = ["/login", "/new-password", "/mfa", "/logout", "/error"];

/// Managed login's state between requests.
pub struct OAuthState {
    /// Authorization codes by code: five minutes, single use.
    codes: TtlStore<authorize::AuthCode>,
    /// Signed-in browsers by the value of their `cognito` cookie.
    sessions: TtlStore<authorize::Session>,
    /// Sign-ins waiting for a new password or a second factor, by their
    /// form's `session`.
    pending: TtlStore<authorize::Pending>,
    /// Sign-ins gone to an external provider, by the `state` sent there.
    federations: TtlStore<federation::Federation>,
    /// The simulated providers' own authorization codes.
    idp_codes: TtlStore<federation::IdpCode>,
    /// The scopes granted to each managed-login grant, by origin_jti.
    grant_scopes: HashMap<String, String>,
    /// The simulated providers' signing key (made on first use, as its
    /// generation is slow; tests may set it beforehand).
    pub idp_signer: Option<Signer>,
}

impl Default for OAuthState {
    fn default() -> Self {
        OAuthState {
            codes: TtlStore::new(authorize::CODE_SECONDS),
            sessions: TtlStore::new(authorize::SESSION_SECONDS),
            pending: TtlStore::new(authorize::SESSION_SECONDS),
            federations: TtlStore::new(federation::FEDERATION_SECONDS),
            idp_codes: TtlStore::new(authorize::CODE_SECONDS),
            grant_scopes: HashMap::new(),
            idp_signer: None,
        }
    }
}

/// Whether `path` is one of managed login's.
pub fn serves(path: &str) -> bool {
    path.starts_with("/oauth2/")
        || path.starts_with("/idp/")
        || PATHS.contains(&path)
        || path.ends_with(DISCOVERY_SUFFIX)
}

/// Answers a request for one of the paths [`serves`] accepts.
pub fn handle(state: &mut State, request: &HttpRequest) -> HttpResponse {
    let path = request.url.split('?').next().unwrap_or_default();
    match (request.method.as_str(), path) {
        ("GET", "/oauth2/authorize") => authorize::authorize(state, request),
        ("GET", "/login") => authorize::login_page(state, request),
        ("POST", "/login") => authorize::login(state, request),
        ("POST", "/new-password") => authorize::new_password(state, request),
        ("POST", "/mfa") => authorize::mfa(state, request),
        ("GET", "/logout") => authorize::logout(state, request),
        ("GET", "/error") => authorize::error_page(request),
        ("POST", "/oauth2/token") => token::token(state, request),
        ("GET" | "POST", "/oauth2/userInfo") => token::user_info(state, request),
        ("POST", "/oauth2/revoke") => token::revoke(state, request),
        ("GET", "/oauth2/idpresponse") => federation::idp_response(state, request),
        (_, path) if path.starts_with("/idp/") => federation::handle(state, request, path),
        ("GET", path) if path.ends_with(DISCOVERY_SUFFIX) => discovery(state, path),
        _ => HttpResponse::json(404, "application/json", &json!({ "message": "Not Found" })),
    }
}

/// `GET /<userPoolId>/.well-known/openid-configuration`, under the issuer as
/// the service serves it.
fn discovery(state: &State, path: &str) -> HttpResponse {
    let pool_id = path
        .strip_prefix('/')
        .and_then(|p| p.strip_suffix(DISCOVERY_SUFFIX));
    let Some(pool) = pool_id.and_then(|id| state.pool(id).ok()) else {
        return HttpResponse::json(404, "application/json", &json!({ "message": "Not Found" }));
    };
    let (base, issuer) = (&state.base_url, state.issuer(pool));
    let document = json!({
        "authorization_endpoint": format!("{base}/oauth2/authorize"),
        "end_session_endpoint": format!("{base}/logout"),
        "id_token_signing_alg_values_supported": ["RS256"],
        "issuer": issuer,
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "response_types_supported": ["code", "token"],
        "revocation_endpoint": format!("{base}/oauth2/revoke"),
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "subject_types_supported": ["public"],
        "token_endpoint": format!("{base}/oauth2/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "userinfo_endpoint": format!("{base}/oauth2/userInfo"),
    });
    HttpResponse::json(200, "application/json", &document)
}

/// Adjusts the claims of tokens issued under grant `origin_jti` to `user`
/// (every issue, the JSON API's refreshes too): a managed-login grant's
/// scopes in the access token; a federated user's `identities` (an array
/// in the id token, as the service writes it) and provider group.
pub fn amend_claims(
    state: &State,
    pool: usize,
    user: &User,
    origin_jti: &str,
    access: &mut Value,
    id: &mut Value,
) {
    if let Some(scope) = state.oauth.grant_scopes.get(origin_jti) {
        access["scope"] = scope.as_str().into();
    }
    let Some(identities) = user
        .attributes
        .get("identities")
        .and_then(|text| serde_json::from_str::<Vec<Value>>(text).ok())
    else {
        return;
    };
    let groups: Vec<String> = identities
        .iter()
        .filter_map(|i| i["providerName"].as_str())
        .map(|name| format!("{}_{name}", state.pools[pool].id))
        .collect();
    access["cognito:groups"] = json!(groups);
    id["cognito:groups"] = json!(groups);
    id["identities"] = identities
        .into_iter()
        .map(|mut identity| {
            // The token writes the date and the flag as strings.
            for field in ["dateCreated", "primary"] {
                if let Some(value) = identity.get(field).filter(|v| !v.is_string()) {
                    identity[field] = value.to_string().into();
                }
            }
            identity
        })
        .collect();
}

/// Form fields or query parameters, each name at most once (OAuth 2.0
/// refuses repeated parameters).
struct Form(Vec<(String, String)>);

impl Form {
    /// Parses `application/x-www-form-urlencoded` text; Err names a
    /// repeated parameter.
    fn parse(text: &[u8]) -> Result<Form, String> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(text).into_owned().collect();
        for (i, (name, _)) in pairs.iter().enumerate() {
            if pairs[..i].iter().any(|(n, _)| n == name) {
                return Err(name.clone());
            }
        }
        Ok(Form(pairs))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A parameter that is present and not empty.
    fn value(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }
}

fn query_of(url: &str) -> &str {
    url.split_once('?').map_or("", |(_, query)| query)
}

/// `url` with `params` added to its query.
fn with_params(url: &str, params: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in params {
        query.append_pair(name, value);
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{}", query.finish())
}

/// 302 to `location`.
fn redirect(location: &str) -> HttpResponse {
    HttpResponse::new(302, "text/plain", Vec::new())
        .with_header("Location", location)
        .with_header("Cache-Control", "no-store")
}

fn html(status: u16, body: String) -> HttpResponse {
    HttpResponse::new(status, "text/html; charset=utf-8", body.into_bytes())
        .with_header("Cache-Control", "no-store")
}

/// The value of cookie `name` the request carries.
fn cookie<'a>(request: &'a HttpRequest, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("cookie"))
        .flat_map(|(_, value)| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value for the domain's pages; `max_age` 0 deletes it.
fn set_cookie(name: &str, value: &str, max_age: u64) -> String {
    format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax")
}
