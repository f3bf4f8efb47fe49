//! The browser side of managed login: `GET /oauth2/authorize`, the sign-in
//! page (`GET`/`POST /login`, the authorize parameters passed along in its
//! query as the service does), the new-password page (`POST
//! /new-password`), the second-factor pages (`POST /mfa`),
//! `GET /logout` and the error page (`GET /error`).
//!
//! Until client_id and redirect_uri are known good, errors go to the error
//! page (never to an unregistered URI); after, back to redirect_uri as
//! `error`, `error_description` and `state`.

use std::collections::BTreeMap;

use subtle::ConstantTimeEq;

use super::config::{ClientOAuth, COGNITO, OPENID_ONLY};
use super::{cookie, federation, html, pages, query_of, redirect, set_cookie, with_params, Form};
use crate::inbox::Message;
use crate::ops::challenge::check_new_password;
use crate::ops::mfa::{mask, six_digits};
use crate::pool::{Client, UserStatus};
use crate::router::{HttpRequest, HttpResponse};
use crate::state::State;
use crate::totp;

/// Authorization codes last five minutes, as the service's.
pub const CODE_SECONDS: u64 = 300;
/// How long the managed-login session (the `cognito` cookie) lasts.
pub const SESSION_SECONDS: u64 = 3600;
/// The cookie of the managed-login session.
pub const SESSION_COOKIE: &str = "cognito";
/// The cookie that the sign-in forms' `_csrf` field must repeat.
pub const CSRF_COOKIE: &str = "XSRF-TOKEN";
/// Random bytes in session ids and CSRF tokens.
const TOKEN_BYTES: usize = 32;
/// The step of a [`Pending`] sign-in of a FORCE_CHANGE_PASSWORD user.
const NEW_PASSWORD: &str = "NEW_PASSWORD_REQUIRED";
/// Where the new-password form sends the attributes the pool requires.
const ATTRIBUTE_PREFIX: &str = "requiredAttributes.";
const MFA_SETUP_REFUSAL: &str = "This user must set up MFA (MFA_SETUP), which the local managed \
login does not offer: set up an authenticator through the API first.";
const PROMPTS: [&str; 4] = ["none", "login", "consent", "select_account"];
/// RFC 7636: a code challenge or verifier is 43 to 128 of these.
const PKCE_CHARS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

/// An issued authorization code, redeemed at the token endpoint.
pub struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub username: String,
    pub scopes: Vec<String>,
    pub nonce: Option<String>,
    /// The S256 challenge the code_verifier must meet.
    pub code_challenge: Option<String>,
    pub auth_time: u64,
}

/// A signed-in browser.
pub struct Session {
    pool: usize,
    username: String,
    auth_time: u64,
}

/// A sign-in that proved the password and waits for a new password
/// ([`NEW_PASSWORD`]) or a second factor.
pub struct Pending {
    /// The authorize parameters, checked again at the end.
    query: String,
    pool: usize,
    username: String,
    /// The factor asked (or [`NEW_PASSWORD`]); None while the user chooses
    /// among `allowed`.
    kind: Option<&'static str>,
    allowed: Vec<&'static str>,
    /// The code sent by SMS or email.
    code: Option<String>,
    destination: Option<String>,
    sent_at: u64,
}

/// Where the authorize request signs in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// No identity_provider: the sign-in page with every option.
    Choice,
    /// identity_provider=COGNITO: the pool's own users.
    Cognito,
    /// An external provider of the pool (its index).
    External(usize),
}

/// A checked authorize request.
pub struct AuthorizeRequest {
    pub pool: usize,
    pub client: Client,
    pub oauth: ClientOAuth,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub scopes: Vec<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub provider: Provider,
    pub prompt: Vec<String>,
    pub login_hint: Option<String>,
    /// The parameters as received, passed along to `/login`.
    pub query: String,
}

impl AuthorizeRequest {
    /// Back to the app with an error.
    pub fn refuse(&self, error: &'static str, description: &str) -> HttpResponse {
        back(
            &self.redirect_uri,
            self.state.as_deref(),
            error,
            description,
        )
    }
}

/// Why an authorize request fails.
pub enum Refusal {
    /// Nowhere safe to send the browser: the error page.
    Page {
        error: &'static str,
        client_id: Option<String>,
    },
    /// Back to the app's redirect_uri.
    Back {
        redirect_uri: String,
        state: Option<String>,
        error: &'static str,
        description: String,
    },
}

impl Refusal {
    pub fn respond(self) -> HttpResponse {
        match self {
            Refusal::Page { error, client_id } => {
                let mut params = vec![("error", error)];
                if let Some(id) = client_id.as_deref() {
                    params.push(("client_id", id));
                }
                redirect(&with_params("/error", &params))
            }
            Refusal::Back {
                redirect_uri,
                state,
                error,
                description,
            } => back(&redirect_uri, state.as_deref(), error, &description),
        }
    }
}

fn back(redirect_uri: &str, state: Option<&str>, error: &str, description: &str) -> HttpResponse {
    let mut params = vec![("error", error)];
    if !description.is_empty() {
        params.push(("error_description", description));
    }
    if let Some(state) = state {
        params.push(("state", state));
    }
    redirect(&with_params(redirect_uri, &params))
}

/// Checks the authorize parameters in `query`.
pub fn parse(state: &State, query: &str) -> Result<AuthorizeRequest, Refusal> {
    let page = |error, client_id: Option<&str>| Refusal::Page {
        error,
        client_id: client_id.map(str::to_owned),
    };
    let form = Form::parse(query.as_bytes()).map_err(|_| page("invalid_request", None))?;
    let client_id = form
        .value("client_id")
        .ok_or_else(|| page("invalid_request", None))?;
    let (pool, client) = state
        .client(client_id)
        .map_err(|_| page("invalid_request", Some(client_id)))?;
    let oauth = ClientOAuth::of(&client);
    if !oauth.enabled {
        return Err(page("unauthorized_client", Some(client_id)));
    }
    let redirect_uri = form
        .get("redirect_uri")
        .filter(|uri| oauth.callback_urls.iter().any(|u| u == uri))
        .ok_or_else(|| page("redirect_mismatch", Some(client_id)))?
        .to_owned();
    let app_state = form.get("state").map(str::to_owned);
    let refuse = |error, description: &str| Refusal::Back {
        redirect_uri: redirect_uri.clone(),
        state: app_state.clone(),
        error,
        description: description.to_owned(),
    };
    match form.value("response_type") {
        None => return Err(refuse("invalid_request", "response_type is required")),
        Some("code") if oauth.allows_flow("code") => {}
        Some("token") if oauth.allows_flow("implicit") => {
            return Err(refuse(
                "unsupported_response_type",
                "the local endpoint supports the authorization code grant only",
            ))
        }
        Some("code" | "token") => return Err(refuse("unauthorized_client", "")),
        Some(_) => return Err(refuse("unsupported_response_type", "")),
    }
    let code_challenge = match (
        form.get("code_challenge"),
        form.get("code_challenge_method"),
    ) {
        (None, None) => None,
        (Some(challenge), Some("S256")) if is_pkce_value(challenge) => Some(challenge.to_owned()),
        (Some(_), Some("S256")) => return Err(refuse("invalid_request", "invalid code_challenge")),
        (Some(_), None) => {
            return Err(refuse(
                "invalid_request",
                "code_challenge_method is required",
            ))
        }
        (None, Some(_)) => return Err(refuse("invalid_request", "code_challenge is required")),
        (Some(_), Some(_)) => {
            return Err(refuse(
                "invalid_request",
                "code_challenge_method must be S256",
            ))
        }
    };
    let scopes =
        scopes(&oauth, form.value("scope")).map_err(|text| refuse("invalid_scope", text))?;
    let provider = provider(state, pool, &oauth, &form).ok_or_else(|| {
        refuse(
            "invalid_request",
            "Login option is not available. Please try another one",
        )
    })?;
    let prompt: Vec<String> = form
        .value("prompt")
        .map(|p| p.split(' ').map(str::to_owned).collect())
        .unwrap_or_default();
    if prompt.iter().any(|p| !PROMPTS.contains(&p.as_str()))
        || (prompt.len() > 1 && prompt.iter().any(|p| p == "none"))
    {
        return Err(refuse("invalid_request", "invalid prompt"));
    }
    Ok(AuthorizeRequest {
        pool,
        oauth,
        redirect_uri: redirect_uri.clone(),
        state: app_state.clone(),
        scopes,
        nonce: form.get("nonce").map(str::to_owned),
        code_challenge,
        provider,
        prompt,
        login_hint: form.get("login_hint").map(str::to_owned),
        query: query.to_owned(),
        client,
    })
}

fn is_pkce_value(value: &str) -> bool {
    (43..=128).contains(&value.len()) && value.chars().all(|c| PKCE_CHARS.contains(c))
}

/// The requested scopes (space-separated, repeats dropped), each allowed to
/// the client; none requested: all the client's.
fn scopes(oauth: &ClientOAuth, requested: Option<&str>) -> Result<Vec<String>, &'static str> {
    let Some(requested) = requested else {
        return Ok(oauth.scopes.clone());
    };
    let mut scopes: Vec<String> = Vec::new();
    for scope in requested.split(' ').filter(|s| !s.is_empty()) {
        if !oauth.scopes.iter().any(|s| s == scope) {
            return Err("the client is not allowed this scope");
        }
        if !scopes.iter().any(|s| s == scope) {
            scopes.push(scope.to_owned());
        }
    }
    let openid = scopes.iter().any(|s| s == "openid");
    if !openid && scopes.iter().any(|s| OPENID_ONLY.contains(&s.as_str())) {
        return Err("the email, phone and profile scopes need openid");
    }
    Ok(scopes)
}

/// identity_provider, else idp_identifier, among the client's providers.
fn provider(state: &State, pool: usize, oauth: &ClientOAuth, form: &Form) -> Option<Provider> {
    let providers = &state.pools[pool].identity_providers;
    let external = match (
        form.value("identity_provider"),
        form.value("idp_identifier"),
    ) {
        (Some(COGNITO), _) => return oauth.supports(COGNITO).then_some(Provider::Cognito),
        (Some(name), _) => providers.iter().position(|p| p.name == name)?,
        (None, Some(id)) => providers
            .iter()
            .position(|p| p.identifiers.iter().any(|i| i == id))?,
        (None, None) => return Some(Provider::Choice),
    };
    oauth
        .supports(&providers[external].name)
        .then_some(Provider::External(external))
}

/// `GET /oauth2/authorize`: to the external provider; else, with a live
/// session and no prompt to sign in again, straight back with a code; else
/// to the sign-in page.
pub fn authorize(state: &mut State, request: &HttpRequest) -> HttpResponse {
    let query = query_of(&request.url);
    let req = match parse(state, query) {
        Ok(req) => req,
        Err(refusal) => return refusal.respond(),
    };
    if let Provider::External(index) = req.provider {
        return federation::start(state, &req, index);
    }
    let prompt_none = req.prompt.iter().any(|p| p == "none");
    if req.prompt.is_empty() || prompt_none {
        if let Some((username, auth_time)) = live_session(state, request, req.pool) {
            return finish(state, &req, &username, auth_time, false);
        }
    }
    if prompt_none {
        return req.refuse("login_required", "");
    }
    redirect(&format!("/login?{query}"))
}

/// The user of the request's `cognito` cookie, if the session is live, of
/// this pool, and the user may still sign in.
fn live_session(state: &State, request: &HttpRequest, pool: usize) -> Option<(String, u64)> {
    let id = cookie(request, SESSION_COOKIE)?;
    let session = state.oauth.sessions.get(id, state.env.now())?;
    let user = state.pools[session.pool].user(&session.username)?;
    let usable = matches!(
        user.status,
        UserStatus::Confirmed | UserStatus::ExternalProvider
    );
    (session.pool == pool && user.enabled && usable)
        .then(|| (session.username.clone(), session.auth_time))
}

/// Signed in: a code back to the app, and (for a new sign-in) the session
/// cookie.
pub fn finish(
    state: &mut State,
    req: &AuthorizeRequest,
    username: &str,
    auth_time: u64,
    new_session: bool,
) -> HttpResponse {
    let code = state.env.uuid();
    let now = state.env.now();
    let issued = AuthCode {
        client_id: req.client.id.clone(),
        redirect_uri: req.redirect_uri.clone(),
        username: username.to_owned(),
        scopes: req.scopes.clone(),
        nonce: req.nonce.clone(),
        code_challenge: req.code_challenge.clone(),
        auth_time,
    };
    state.oauth.codes.insert(code.clone(), issued, now);
    let mut params = vec![("code", code.as_str())];
    if let Some(app_state) = req.state.as_deref() {
        params.push(("state", app_state));
    }
    let response = redirect(&with_params(&req.redirect_uri, &params));
    if !new_session {
        return response;
    }
    let id = state.env.token(TOKEN_BYTES);
    let session = Session {
        pool: req.pool,
        username: username.to_owned(),
        auth_time,
    };
    state.oauth.sessions.insert(id.clone(), session, now);
    response.with_header(
        "Set-Cookie",
        &set_cookie(SESSION_COOKIE, &id, SESSION_SECONDS),
    )
}

/// `GET /login`: the sign-in page.
pub fn login_page(state: &mut State, request: &HttpRequest) -> HttpResponse {
    match parse(state, query_of(&request.url)) {
        Ok(req) => {
            let hint = req.login_hint.clone().unwrap_or_default();
            sign_in_page(state, request, &req, 200, &hint, None)
        }
        Err(refusal) => refusal.respond(),
    }
}

/// The sign-in page with a new CSRF token.
fn sign_in_page(
    state: &mut State,
    request: &HttpRequest,
    req: &AuthorizeRequest,
    status: u16,
    username: &str,
    error: Option<&str>,
) -> HttpResponse {
    let csrf = csrf_token(state, request);
    let providers: Vec<(String, String)> = state.pools[req.pool]
        .identity_providers
        .iter()
        .filter(|p| req.oauth.supports(&p.name))
        .map(|p| {
            let link = with_params(
                &format!("/oauth2/authorize?{}", req.query),
                &[("identity_provider", &p.name)],
            );
            (p.name.clone(), link)
        })
        .collect();
    let page = pages::LoginPage {
        client_name: &req.client.name,
        action: &format!("/login?{}", req.query),
        csrf: &csrf,
        username,
        error,
        form: req.oauth.supports(COGNITO),
        providers: if req.provider == Provider::Cognito {
            &[]
        } else {
            &providers
        },
    };
    html(status, pages::login(&page)).with_header(
        "Set-Cookie",
        &set_cookie(CSRF_COOKIE, &csrf, SESSION_SECONDS),
    )
}

/// The browser's CSRF token (its `XSRF-TOKEN` cookie, so forms open in
/// other tabs stay valid), or a new one.
fn csrf_token(state: &mut State, request: &HttpRequest) -> String {
    let usable = |token: &&str| {
        (16..=64).contains(&token.len())
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    match cookie(request, CSRF_COOKIE).filter(usable) {
        Some(token) => token.to_owned(),
        None => state.env.token(TOKEN_BYTES),
    }
}

/// The form's `_csrf` repeats the request's `XSRF-TOKEN` cookie.
fn csrf_ok(request: &HttpRequest, form: &Form) -> bool {
    match (cookie(request, CSRF_COOKIE), form.get("_csrf")) {
        (Some(expected), Some(sent)) => bool::from(expected.as_bytes().ct_eq(sent.as_bytes())),
        _ => false,
    }
}

/// `POST /login`: username and password, checked as the JSON API checks
/// them; then the user's second factor, or a code back to the app.
pub fn login(state: &mut State, request: &HttpRequest) -> HttpResponse {
    let req = match parse(state, query_of(&request.url)) {
        Ok(req) => req,
        Err(refusal) => return refusal.respond(),
    };
    let Ok(form) = Form::parse(&request.body) else {
        return sign_in_page(state, request, &req, 400, "", Some("Invalid request."));
    };
    let login = form.get("username").unwrap_or_default().trim().to_owned();
    if !csrf_ok(request, &form) {
        let error = "Your sign-in form has expired. Please try again.";
        return sign_in_page(state, request, &req, 403, &login, Some(error));
    }
    if !req.oauth.supports(COGNITO) {
        return refusal_page(
            400,
            "This app client does not sign in the user pool's own users.",
        );
    }
    let password = form.get("password").unwrap_or_default();
    let pool = &state.pools[req.pool];
    let user = pool
        .find_by_login(&login)
        .filter(|user| user.status != UserStatus::ExternalProvider);
    let username = match user {
        Some(user) if user.verifier.matches(&pool.name, &user.username, password) => {
            user.username.clone()
        }
        None if !req.client.prevent_user_existence_errors => {
            return sign_in_page(
                state,
                request,
                &req,
                400,
                &login,
                Some("User does not exist."),
            );
        }
        _ => {
            let error = "Incorrect username or password.";
            return sign_in_page(state, request, &req, 400, &login, Some(error));
        }
    };
    let user = pool.user(&username).expect("found above");
    if !user.enabled {
        return sign_in_page(state, request, &req, 400, &login, Some("User is disabled."));
    }
    match user.status {
        UserStatus::Unconfirmed => {
            return refusal_page(
                400,
                "User is not confirmed. Confirm the account (ConfirmSignUp) and sign in again.",
            );
        }
        UserStatus::ForceChangePassword => {
            let pending = Pending {
                query: req.query.clone(),
                pool: req.pool,
                username: username.clone(),
                kind: Some(NEW_PASSWORD),
                allowed: Vec::new(),
                code: None,
                destination: None,
                sent_at: state.env.now(),
            };
            let session = store_pending(state, &req.client, pending);
            return new_password_page(state, request, req.pool, &session, &username, 200, None);
        }
        UserStatus::ResetRequired => {
            return refusal_page(
                400,
                "Password reset required for the user. Reset the password (ForgotPassword) and sign in again.",
            );
        }
        UserStatus::Confirmed | UserStatus::ExternalProvider => {}
    }
    second_factor(state, request, &req, &username)
}

/// The new-password form, with a field per required attribute the user lacks.
fn new_password_page(
    state: &mut State,
    request: &HttpRequest,
    pool: usize,
    session: &str,
    username: &str,
    status: u16,
    error: Option<&str>,
) -> HttpResponse {
    let pool_ref = &state.pools[pool];
    let missing: Vec<String> = pool_ref
        .user(username)
        .map(|user| {
            pool_ref
                .required_attributes
                .iter()
                .filter(|a| !user.attributes.contains_key(*a))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let csrf = csrf_token(state, request);
    html(
        status,
        pages::new_password(&csrf, session, ATTRIBUTE_PREFIX, &missing, error),
    )
    .with_header(
        "Set-Cookie",
        &set_cookie(CSRF_COOKIE, &csrf, SESSION_SECONDS),
    )
}

/// `POST /new-password`: a FORCE_CHANGE_PASSWORD user's new password
/// (`new_password`) and required attributes (`requiredAttributes.<name>`),
/// checked as RespondToAuthChallenge NEW_PASSWORD_REQUIRED checks them;
/// then the second factor, or signed in. Refusals keep the form usable.
pub fn new_password(state: &mut State, request: &HttpRequest) -> HttpResponse {
    let now = state.env.now();
    let form = match Form::parse(&request.body) {
        Ok(form) if csrf_ok(request, &form) => form,
        _ => return refusal_page(403, "Your sign-in form has expired. Please sign in again."),
    };
    let session = form.get("session").unwrap_or_default().to_owned();
    let Some(pending) = state
        .oauth
        .pending
        .get(&session, now)
        .filter(|p| p.kind == Some(NEW_PASSWORD))
    else {
        return refusal_page(400, "Invalid session for the user, session is expired.");
    };
    let (pool, username, query) = (
        pending.pool,
        pending.username.clone(),
        pending.query.clone(),
    );
    let req = match parse(state, &query) {
        Ok(req) => req,
        Err(refusal) => return refusal.respond(),
    };
    let password = form.get("new_password").unwrap_or_default();
    let updates: BTreeMap<String, String> = form
        .0
        .iter()
        .filter_map(|(name, value)| {
            Some((
                name.strip_prefix(ATTRIBUTE_PREFIX)?.to_owned(),
                value.clone(),
            ))
        })
        .filter(|(_, value)| !value.is_empty())
        .collect();
    let pool_ref = &state.pools[pool];
    let Some(user) = pool_ref.user(&username) else {
        return refusal_page(400, "Invalid session for the user, session is expired.");
    };
    if let Err(error) = check_new_password(pool_ref, user, &updates, password) {
        return new_password_page(
            state,
            request,
            pool,
            &session,
            &username,
            400,
            Some(&error.message),
        );
    }
    let verifier = pool_ref.new_verifier(&mut state.env, &username, password);
    let user = state.pools[pool].user_mut(&username).expect("found above");
    user.attributes.extend(updates);
    user.status = UserStatus::Confirmed;
    user.verifier = verifier;
    state.oauth.pending.take(&session, now);
    second_factor(state, request, &req, &username)
}

fn refusal_page(status: u16, text: &str) -> HttpResponse {
    html(status, pages::message("Sign-in not possible", text))
}

/// After the password: the user's second factor (the preferred one, the
/// only one, or a choice), or signed in.
fn second_factor(
    state: &mut State,
    request: &HttpRequest,
    req: &AuthorizeRequest,
    username: &str,
) -> HttpResponse {
    let now = state.env.now();
    let Some(settings) = state.pools[req.pool].mfa.get(username).cloned() else {
        return finish(state, req, username, now, true);
    };
    let enabled = settings.enabled();
    let pending = |kind, allowed| Pending {
        query: req.query.clone(),
        pool: req.pool,
        username: username.to_owned(),
        kind,
        allowed,
        code: None,
        destination: None,
        sent_at: now,
    };
    match (enabled.as_slice(), settings.preferred) {
        ([], _) if settings.required => refusal_page(400, MFA_SETUP_REFUSAL),
        ([], _) => finish(state, req, username, now, true),
        (_, Some(kind)) | (&[kind], None) => {
            send_code(state, request, &req.client, pending(Some(kind), vec![kind]))
        }
        (several, None) => {
            let csrf = csrf_token(state, request);
            let session = store_pending(state, &req.client, pending(None, several.to_vec()));
            html(200, pages::choose_factor(&csrf, &session, several)).with_header(
                "Set-Cookie",
                &set_cookie(CSRF_COOKIE, &csrf, SESSION_SECONDS),
            )
        }
    }
}

fn store_pending(state: &mut State, client: &Client, pending: Pending) -> String {
    let session = state.env.token(TOKEN_BYTES);
    let now = state.env.now();
    state
        .oauth
        .pending
        .insert_for(session.clone(), pending, now, client.auth_session_validity);
    session
}

/// Sends the code of an SMS or email factor (to the inbox) and shows the
/// code page.
fn send_code(
    state: &mut State,
    request: &HttpRequest,
    client: &Client,
    mut pending: Pending,
) -> HttpResponse {
    let kind = pending.kind.expect("a factor was chosen");
    if kind != "SOFTWARE_TOKEN_MFA" {
        let (medium, attribute) = if kind == "EMAIL_OTP" {
            ("EMAIL", "email")
        } else {
            ("SMS", "phone_number")
        };
        let pool = &state.pools[pending.pool];
        let Some(destination) = pool
            .user(&pending.username)
            .and_then(|u| u.attributes.get(attribute))
            .cloned()
        else {
            return refusal_page(
                400,
                &format!("{kind} needs the user's {attribute}, which is not set."),
            );
        };
        let code = six_digits(state);
        let now = state.env.now();
        state.inbox.deliver(Message {
            pool_id: state.pools[pending.pool].id.clone(),
            username: pending.username.clone(),
            delivery_medium: medium.to_owned(),
            destination: destination.clone(),
            purpose: kind.to_owned(),
            code: code.clone(),
            sent_at: now,
        });
        pending.code = Some(code);
        pending.destination = Some(mask(&destination));
        pending.sent_at = now;
    }
    let destination = pending.destination.clone();
    let session = store_pending(state, client, pending);
    code_page(
        state,
        request,
        &session,
        kind,
        destination.as_deref(),
        200,
        None,
    )
}

fn code_page(
    state: &mut State,
    request: &HttpRequest,
    session: &str,
    kind: &str,
    destination: Option<&str>,
    status: u16,
    error: Option<&str>,
) -> HttpResponse {
    let csrf = csrf_token(state, request);
    html(
        status,
        pages::code(&csrf, session, kind, destination, error),
    )
    .with_header(
        "Set-Cookie",
        &set_cookie(CSRF_COOKIE, &csrf, SESSION_SECONDS),
    )
}

/// `POST /mfa`: the chosen factor (`mfa_type`) or the code (`code`) of a
/// pending sign-in (`session`).
pub fn mfa(state: &mut State, request: &HttpRequest) -> HttpResponse {
    let now = state.env.now();
    let form = match Form::parse(&request.body) {
        Ok(form) if csrf_ok(request, &form) => form,
        _ => return refusal_page(403, "Your sign-in form has expired. Please sign in again."),
    };
    let session = form.get("session").unwrap_or_default().to_owned();
    let Some(pending) = state
        .oauth
        .pending
        .get(&session, now)
        .filter(|p| p.kind != Some(NEW_PASSWORD))
    else {
        return refusal_page(400, "Invalid session for the user, session is expired.");
    };
    let req = match parse(state, &pending.query) {
        Ok(req) => req,
        Err(refusal) => return refusal.respond(),
    };
    let Some(kind) = pending.kind else {
        let chosen = form.get("mfa_type").unwrap_or_default();
        let Some(kind) = pending.allowed.iter().copied().find(|k| *k == chosen) else {
            return refusal_page(400, "Choose one of the offered factors.");
        };
        let mut pending = state
            .oauth
            .pending
            .take(&session, now)
            .expect("found above");
        pending.kind = Some(kind);
        return send_code(state, request, &req.client, pending);
    };
    let code = form.get("code").unwrap_or_default().trim();
    let validity = state.pools[req.pool].sign_in_code_validity;
    if pending.code.is_some() && now >= pending.sent_at + validity {
        state.oauth.pending.take(&session, now);
        return refusal_page(400, "The code has expired. Please sign in again.");
    }
    let valid = match &pending.code {
        Some(sent) => bool::from(sent.as_bytes().ct_eq(code.as_bytes())),
        None => state.pools[pending.pool]
            .mfa
            .get(&pending.username)
            .and_then(|m| m.totp_secret.as_deref())
            .is_some_and(|secret| totp::verify(secret, code, now)),
    };
    if !valid {
        let destination = pending.destination.clone();
        let error = "Invalid code or auth state for the user.";
        return code_page(
            state,
            request,
            &session,
            kind,
            destination.as_deref(),
            400,
            Some(error),
        );
    }
    let pending = state
        .oauth
        .pending
        .take(&session, now)
        .expect("found above");
    finish(state, &req, &pending.username, now, true)
}

/// `GET /logout`: ends the managed-login session, then either redirects to
/// `logout_uri` (one of the client's LogoutURLs) or, with `redirect_uri`
/// and the authorize parameters, shows the sign-in page again.
pub fn logout(state: &mut State, request: &HttpRequest) -> HttpResponse {
    let query = query_of(&request.url);
    let page = |error, client_id: Option<&str>| {
        Refusal::Page {
            error,
            client_id: client_id.map(str::to_owned),
        }
        .respond()
    };
    let Ok(form) = Form::parse(query.as_bytes()) else {
        return page("invalid_request", None);
    };
    let Some(client_id) = form.value("client_id") else {
        return page("invalid_request", None);
    };
    let Ok((_, client)) = state.client(client_id) else {
        return page("invalid_request", Some(client_id));
    };
    let target = match (form.get("logout_uri"), form.get("redirect_uri")) {
        (Some(uri), _)
            if ClientOAuth::of(&client)
                .logout_urls
                .iter()
                .any(|u| u == uri) =>
        {
            uri.to_owned()
        }
        (Some(_), _) => return page("redirect_mismatch", Some(client_id)),
        (None, Some(_)) => match parse(state, query) {
            Ok(_) => format!("/login?{query}"),
            Err(refusal) => return refusal.respond(),
        },
        (None, None) => return page("invalid_request", Some(client_id)),
    };
    let now = state.env.now();
    if let Some(id) = cookie(request, SESSION_COOKIE) {
        state.oauth.sessions.take(id, now);
    }
    redirect(&target).with_header("Set-Cookie", &set_cookie(SESSION_COOKIE, "", 0))
}

/// `GET /error?error=<code>[&client_id=...]`: where requests that cannot go
/// back to the app end.
pub fn error_page(request: &HttpRequest) -> HttpResponse {
    let form = Form::parse(query_of(&request.url).as_bytes()).unwrap_or(Form(Vec::new()));
    let error = form.get("error").unwrap_or("invalid_request");
    let text = match error {
        "redirect_mismatch" => {
            "The redirect URI is not one of the app client's callback or sign-out URLs."
        }
        "unauthorized_client" => {
            "The app client is not allowed to use managed login (no OAuth flows)."
        }
        _ => "The request is missing or has an invalid client_id or parameter.",
    };
    let body = pages::message(
        "An error was encountered with the requested page.",
        &format!("{error}: {text}"),
    );
    html(400, body)
}
