//! Account operations: GetTokensFromRefreshToken (refresh-token rotation),
//! sign-up and its confirmation, password reset and change, the user's own
//! attributes, and DeleteUser. The codes the service would send by email or
//! SMS go to `state.inbox`.
//!
//! With PreventUserExistenceErrors = ENABLED, ForgotPassword and
//! ResendConfirmationCode answer an unknown (or already confirmed) user with
//! a made-up CodeDeliveryDetails, and ConfirmSignUp / ConfirmForgotPassword
//! with CodeMismatchException, as the service does: no answer tells whether
//! the user exists. LEGACY clients get UserNotFoundException.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use serde_json::{json, Value};
use subtle::ConstantTimeEq;

use super::params::{check_secret_hash, ensure_flow, member};
use super::sign_in::{refresh, AuthResponse};
use crate::error::{ApiError, ApiResult};
use crate::inbox::Message;
use crate::pool::{AuthFlow, Client, User, UserStatus};
use crate::state::State;
use crate::tokens::{authorize_access, TokenOwner};

/// Sign-up codes live a day, the others an hour, as in the service.
const SIGN_UP_CODE_SECONDS: u64 = 24 * 3600;
const CODE_SECONDS: u64 = 3600;
/// Length in random bytes of rotated refresh tokens.
const REFRESH_TOKEN_BYTES: usize = 96;
pub const SIGN_UP: &str = "SIGN_UP";
pub const FORGOT_PASSWORD: &str = "FORGOT_PASSWORD";

/// `[{Name, Value}]`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeType {
    name: String,
    value: Option<String>,
}

fn attribute_map(list: Option<Vec<AttributeType>>) -> BTreeMap<String, String> {
    list.unwrap_or_default()
        .into_iter()
        .map(|a| (a.name, a.value.unwrap_or_default()))
        .collect()
}

// ---------------------------------------------------------------- refresh

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTokensFromRefreshTokenRequest {
    refresh_token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    #[allow(dead_code)]
    client_metadata: Option<HashMap<String, String>>,
    device_key: Option<String>,
}

/// New access and id tokens and a new refresh token; the one presented is
/// invalid from then on (rotation).
pub fn get_tokens_from_refresh_token(
    state: &mut State,
    request: GetTokensFromRefreshTokenRequest,
) -> ApiResult<AuthResponse> {
    let token = member(&request.refresh_token, "refreshToken")?.to_owned();
    let (pool, client) = state.client(member(&request.client_id, "clientId")?)?;
    ensure_flow(&client, AuthFlow::RefreshToken, "REFRESH_TOKEN_AUTH")?;
    if let Some(secret) = &client.secret {
        let sent = request.client_secret.as_deref().unwrap_or_default();
        if !bool::from(secret.as_bytes().ct_eq(sent.as_bytes())) {
            return Err(ApiError::not_authorized(format!(
                "Unable to verify secret for client {}",
                client.id
            )));
        }
    }
    let (origin_jti, grant) = state
        .grants
        .by_refresh_token(&token)
        .filter(|(_, grant)| grant.client_id == client.id)
        .ok_or_else(|| ApiError::not_authorized("Invalid Refresh Token"))?;
    if grant.revoked {
        return Err(ApiError::not_authorized("Refresh Token has been revoked"));
    }
    if state.env.now() >= grant.refresh_expires {
        return Err(ApiError::not_authorized("Refresh Token has expired"));
    }
    let (origin_jti, username, auth_time) = (
        origin_jti.to_owned(),
        grant.username.clone(),
        grant.auth_time,
    );
    if !state.pools[pool].user(&username).is_some_and(|u| u.enabled) {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    super::devices::named_device(state, pool, Some(&username), request.device_key.as_deref())?;
    let new_token = state.env.token(REFRESH_TOKEN_BYTES);
    state.grants.rotate(&token, new_token.clone());
    let mut answer = refresh(state, pool, &client, &username, &origin_jti, auth_time);
    if let Some(result) = answer.authentication_result.as_mut() {
        result.refresh_token = Some(new_token);
    }
    Ok(answer)
}

// ---------------------------------------------------------------- codes

/// Where a code for `user` goes: email when the user has one, else SMS.
fn destination(user: &User, attribute: Option<&str>) -> Option<(&'static str, String, String)> {
    let pick = |name: &str| user.attributes.get(name).cloned();
    let (medium, name) = match attribute {
        Some("phone_number") => ("SMS", "phone_number"),
        Some("email") => ("EMAIL", "email"),
        Some(_) => return None,
        None if user.attributes.contains_key("email") => ("EMAIL", "email"),
        None => ("SMS", "phone_number"),
    };
    Some((medium, name.to_owned(), pick(name)?))
}

/// `a***@e***` or `+*******1234`, as the service masks destinations.
pub fn mask(destination: &str) -> String {
    match destination.split_once('@') {
        Some((local, domain)) => format!(
            "{}***@{}***",
            local.chars().next().unwrap_or('*'),
            domain.chars().next().unwrap_or('*')
        ),
        None => {
            let chars: Vec<char> = destination.chars().collect();
            let keep = chars.len().saturating_sub(4);
            let head: String = chars.iter().take(1).collect();
            let stars = "*".repeat(keep.saturating_sub(1));
            let tail: String = chars[keep..].iter().collect();
            format!("{head}{stars}{tail}")
        }
    }
}

fn delivery_details(medium: &str, attribute: &str, address: &str) -> Value {
    json!({ "Destination": mask(address), "DeliveryMedium": medium, "AttributeName": attribute })
}

/// A fresh six-digit code "sent" to `username` for `purpose`; the
/// CodeDeliveryDetails.
fn send_code(
    state: &mut State,
    pool: usize,
    username: &str,
    attribute: Option<&str>,
    purpose: &str,
) -> ApiResult<Value> {
    let user = state.pools[pool]
        .user(username)
        .ok_or_else(ApiError::user_not_found)?;
    let (medium, attribute, address) = destination(user, attribute).ok_or_else(|| {
        ApiError::invalid_parameter(
            "Cannot send a code: the user has no email or phone_number to send it to",
        )
    })?;
    let raw = state.env.bytes(4);
    let number = u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]) % 1_000_000;
    let message = Message {
        pool_id: state.pools[pool].id.clone(),
        username: username.to_owned(),
        delivery_medium: medium.to_owned(),
        destination: address.clone(),
        purpose: purpose.to_owned(),
        code: format!("{number:06}"),
        sent_at: state.env.now(),
    };
    state.inbox.deliver(message);
    Ok(delivery_details(medium, &attribute, &address))
}

/// The details a made-up delivery shows (PreventUserExistenceErrors).
fn decoy_delivery(login: &str) -> Value {
    if login.contains('@') {
        delivery_details("EMAIL", "email", login)
    } else {
        delivery_details("EMAIL", "email", &format!("{login}@example.com"))
    }
}

/// Checks `code` against the newest code of `purpose` sent to the user, and
/// uses it up.
fn take_code(
    state: &mut State,
    pool: usize,
    username: &str,
    purpose: &str,
    code: &str,
    lifetime: u64,
) -> ApiResult<()> {
    let pool_id = state.pools[pool].id.clone();
    let mismatch = || {
        ApiError::new(
            "CodeMismatchException",
            "Invalid verification code provided, please try again.",
        )
    };
    let message = state
        .inbox
        .latest(&pool_id, username, purpose)
        .ok_or_else(mismatch)?;
    let key = format!("{pool_id}\0{username}\0{purpose}\0{}", message.sent_at);
    if !bool::from(message.code.as_bytes().ct_eq(code.as_bytes())) {
        return Err(mismatch());
    }
    if state.used_codes.contains(&key) || state.env.now() >= message.sent_at + lifetime {
        return Err(ApiError::new(
            "ExpiredCodeException",
            "Invalid code provided, please request a code again.",
        ));
    }
    state.used_codes.insert(key);
    Ok(())
}

fn code_mismatch() -> ApiError {
    ApiError::new(
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
    )
}

fn check_password_policy(state: &State, pool: usize, password: &str) -> ApiResult<()> {
    match state.pools[pool].password_policy.violation(password) {
        Some(rule) => Err(ApiError::new(
            "InvalidPasswordException",
            format!("Password did not conform with policy: {rule}"),
        )),
        None => Ok(()),
    }
}

/// The internal username of `login`, if the user exists.
fn find(state: &State, pool: usize, login: &str) -> Option<String> {
    state.pools[pool]
        .find_by_login(login)
        .map(|u| u.username.clone())
}

// ---------------------------------------------------------------- sign-up

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpRequest {
    client_id: Option<String>,
    secret_hash: Option<String>,
    username: Option<String>,
    password: Option<String>,
    user_attributes: Option<Vec<AttributeType>>,
    #[allow(dead_code)]
    validation_data: Option<Vec<AttributeType>>,
    #[allow(dead_code)]
    client_metadata: Option<HashMap<String, String>>,
}

pub fn sign_up(state: &mut State, request: SignUpRequest) -> ApiResult<Value> {
    let (pool, client) = state.client(member(&request.client_id, "clientId")?)?;
    let login = member(&request.username, "username")?.to_owned();
    // No (or an empty) password makes a passwordless user, where the pool
    // allows a passwordless first factor (ops/passwordless.rs).
    let password = match request.password {
        Some(p) if !p.is_empty() => Some(p),
        _ if super::passwordless::password_optional(state, pool) => None,
        sent => Some(member(&sent, "password")?.to_owned()),
    };
    check_secret_hash(&client, &login, request.secret_hash.as_deref())?;
    let mut attributes = attribute_map(request.user_attributes);
    if let Some(name) = attributes
        .keys()
        .find(|n| *n == "sub" || n.starts_with("cognito:"))
    {
        return Err(ApiError::invalid_parameter(format!(
            "Attributes did not conform to the schema: {name}: The attribute cannot be set"
        )));
    }
    let pool_ref = &state.pools[pool];
    let sub = state.env.uuid();
    let username = match pool_ref.username_attributes.first() {
        Some(_) => {
            let is_email = login.contains('@');
            let kind = if is_email { "email" } else { "phone_number" };
            if !pool_ref.username_attributes.iter().any(|a| a == kind) {
                return Err(ApiError::invalid_parameter(format!(
                    "Username should be one of {}",
                    pool_ref.username_attributes.join(", ")
                )));
            }
            attributes.insert(kind.to_owned(), login.clone());
            sub.clone()
        }
        None => login.clone(),
    };
    if pool_ref.find_by_login(&login).is_some() || pool_ref.user(&username).is_some() {
        return Err(ApiError::new(
            "UsernameExistsException",
            "User already exists",
        ));
    }
    if let Some(missing) = pool_ref
        .required_attributes
        .iter()
        .find(|a| !attributes.contains_key(*a))
    {
        return Err(ApiError::invalid_parameter(format!(
            "Attributes did not conform to the schema: {missing}: The attribute is required"
        )));
    }
    if let Some(password) = &password {
        check_password_policy(state, pool, password)?;
    }
    attributes.insert("sub".into(), sub.clone());
    let passwordless = password.is_none();
    let secret = password.unwrap_or_else(|| state.env.token(32));
    let verifier = state.pools[pool].new_verifier(&mut state.env, &username, &secret);
    state.pools[pool].users.push(User {
        username: username.clone(),
        status: UserStatus::Unconfirmed,
        enabled: true,
        attributes,
        verifier,
    });
    if passwordless {
        super::passwordless::mark_passwordless(state, pool, &sub);
    }
    let details = send_code(state, pool, &username, None, SIGN_UP)?;
    let session = super::passwordless::sign_up_session(state, pool, &client, &sub);
    Ok(json!({
        "UserConfirmed": false,
        "UserSub": sub,
        "CodeDeliveryDetails": details,
        "Session": session,
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmSignUpRequest {
    client_id: Option<String>,
    secret_hash: Option<String>,
    username: Option<String>,
    confirmation_code: Option<String>,
    /// SignUp's Session (optional).
    session: Option<String>,
    #[allow(dead_code)]
    force_alias_creation: Option<bool>,
    #[allow(dead_code)]
    client_metadata: Option<HashMap<String, String>>,
}

/// Confirms the user and verifies the attribute the code went to.
pub fn confirm_sign_up(state: &mut State, request: ConfirmSignUpRequest) -> ApiResult<Value> {
    let (pool, client) = state.client(member(&request.client_id, "clientId")?)?;
    let login = member(&request.username, "username")?;
    let code = member(&request.confirmation_code, "confirmationCode")?;
    check_secret_hash(&client, login, request.secret_hash.as_deref())?;
    let Some(username) = find(state, pool, login) else {
        return Err(unknown_user(&client, code_mismatch()));
    };
    let status = state.pools[pool].user(&username).map(|u| u.status);
    if status != Some(UserStatus::Unconfirmed) {
        return Err(if client.prevent_user_existence_errors {
            code_mismatch()
        } else {
            ApiError::not_authorized("User cannot be confirmed. Current status is CONFIRMED")
        });
    }
    let sub = state.pools[pool]
        .user(&username)
        .expect("found above")
        .sub()
        .to_owned();
    let sent_session = request.session.as_deref();
    super::passwordless::check_sign_up_session(state, pool, &client, &sub, sent_session)?;
    take_code(state, pool, &username, SIGN_UP, code, SIGN_UP_CODE_SECONDS)?;
    let pool_id = state.pools[pool].id.clone();
    let medium = state
        .inbox
        .latest(&pool_id, &username, SIGN_UP)
        .map(|m| m.delivery_medium.clone());
    let user = state.pools[pool].user_mut(&username).expect("found above");
    user.status = UserStatus::Confirmed;
    let verified = if medium.as_deref() == Some("SMS") {
        "phone_number_verified"
    } else {
        "email_verified"
    };
    user.attributes.insert(verified.into(), "true".into());
    let session = super::passwordless::confirmed_session(state, pool, &client, &sub);
    Ok(json!({ "Session": session }))
}

fn unknown_user(client: &Client, hidden: ApiError) -> ApiError {
    if client.prevent_user_existence_errors {
        hidden
    } else {
        ApiError::user_not_found()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UsernameRequest {
    client_id: Option<String>,
    secret_hash: Option<String>,
    username: Option<String>,
    #[allow(dead_code)]
    client_metadata: Option<HashMap<String, String>>,
}

/// A new sign-up code for an unconfirmed user.
pub fn resend_confirmation_code(state: &mut State, request: UsernameRequest) -> ApiResult<Value> {
    let (pool, client) = state.client(member(&request.client_id, "clientId")?)?;
    let login = member(&request.username, "username")?;
    check_secret_hash(&client, login, request.secret_hash.as_deref())?;
    let decoy = json!({ "CodeDeliveryDetails": decoy_delivery(login) });
    let Some(username) = find(state, pool, login) else {
        return if client.prevent_user_existence_errors {
            Ok(decoy)
        } else {
            Err(ApiError::user_not_found())
        };
    };
    if state.pools[pool].user(&username).map(|u| u.status) != Some(UserStatus::Unconfirmed) {
        return if client.prevent_user_existence_errors {
            Ok(decoy)
        } else {
            Err(ApiError::invalid_parameter("User is already confirmed."))
        };
    }
    let details = send_code(state, pool, &username, None, SIGN_UP)?;
    Ok(json!({ "CodeDeliveryDetails": details }))
}

// ---------------------------------------------------------------- passwords

/// A password-reset code.
pub fn forgot_password(state: &mut State, request: UsernameRequest) -> ApiResult<Value> {
    let (pool, client) = state.client(member(&request.client_id, "clientId")?)?;
    let login = member(&request.username, "username")?;
    check_secret_hash(&client, login, request.secret_hash.as_deref())?;
    let Some(username) = find(state, pool, login) else {
        return if client.prevent_user_existence_errors {
            Ok(json!({ "CodeDeliveryDetails": decoy_delivery(login) }))
        } else {
            Err(ApiError::user_not_found())
        };
    };
    let details = send_code(state, pool, &username, None, FORGOT_PASSWORD)?;
    Ok(json!({ "CodeDeliveryDetails": details }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmForgotPasswordRequest {
    client_id: Option<String>,
    secret_hash: Option<String>,
    username: Option<String>,
    confirmation_code: Option<String>,
    password: Option<String>,
    #[allow(dead_code)]
    client_metadata: Option<HashMap<String, String>>,
}

/// Sets the new password when the reset code matches.
pub fn confirm_forgot_password(
    state: &mut State,
    request: ConfirmForgotPasswordRequest,
) -> ApiResult<Value> {
    let (pool, client) = state.client(member(&request.client_id, "clientId")?)?;
    let login = member(&request.username, "username")?;
    let code = member(&request.confirmation_code, "confirmationCode")?;
    let password = member(&request.password, "password")?;
    check_secret_hash(&client, login, request.secret_hash.as_deref())?;
    let Some(username) = find(state, pool, login) else {
        return Err(unknown_user(&client, code_mismatch()));
    };
    check_password_policy(state, pool, password)?;
    take_code(state, pool, &username, FORGOT_PASSWORD, code, CODE_SECONDS)?;
    set_password(state, pool, &username, password);
    Ok(json!({}))
}

fn set_password(state: &mut State, pool: usize, username: &str, password: &str) {
    let verifier = state.pools[pool].new_verifier(&mut state.env, username, password);
    let user = state.pools[pool]
        .user_mut(username)
        .expect("callers found the user");
    user.verifier = verifier;
    if matches!(
        user.status,
        UserStatus::ForceChangePassword | UserStatus::ResetRequired
    ) {
        user.status = UserStatus::Confirmed;
    }
    let sub = user.sub().to_owned();
    super::passwordless::password_set(state, pool, &sub);
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChangePasswordRequest {
    access_token: Option<String>,
    previous_password: Option<String>,
    proposed_password: Option<String>,
}

pub fn change_password(state: &mut State, request: ChangePasswordRequest) -> ApiResult<Value> {
    let owner = signed_in(state, &request.access_token)?;
    let previous = member(&request.previous_password, "previousPassword")?;
    let proposed = member(&request.proposed_password, "proposedPassword")?;
    let pool_ref = &state.pools[owner.pool];
    let user = pool_ref
        .user(&owner.username)
        .ok_or_else(ApiError::user_not_found)?;
    if !user
        .verifier
        .matches(&pool_ref.name, &user.username, previous)
    {
        return Err(ApiError::incorrect_credentials());
    }
    check_password_policy(state, owner.pool, proposed)?;
    set_password(state, owner.pool, &owner.username, proposed);
    Ok(json!({}))
}

// ---------------------------------------------------------------- attributes

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserAttributesRequest {
    access_token: Option<String>,
    user_attributes: Option<Vec<AttributeType>>,
    #[allow(dead_code)]
    client_metadata: Option<HashMap<String, String>>,
}

/// The access token's owner, whose user must still exist.
fn signed_in(state: &State, token: &Option<String>) -> ApiResult<TokenOwner> {
    let owner = authorize_access(state, member(token, "accessToken")?)?;
    state.pools[owner.pool]
        .user(&owner.username)
        .ok_or_else(ApiError::user_not_found)?;
    Ok(owner)
}

fn immutable(name: &str) -> bool {
    name == "sub" || name.starts_with("cognito:")
}

/// Sets attributes; a new email or phone number is unverified until its
/// code is confirmed (VerifyUserAttribute), and a code is sent to it.
pub fn update_user_attributes(
    state: &mut State,
    request: UpdateUserAttributesRequest,
) -> ApiResult<Value> {
    let owner = signed_in(state, &request.access_token)?;
    let updates = attribute_map(request.user_attributes);
    if let Some(name) = updates.keys().find(|n| immutable(n)) {
        return Err(ApiError::invalid_parameter(format!(
            "Cannot modify the non-mutable attribute {name}"
        )));
    }
    let user = state.pools[owner.pool]
        .user_mut(&owner.username)
        .expect("signed_in checked the user");
    let mut to_verify = Vec::new();
    for (name, value) in updates {
        let changed = user.attributes.get(&name) != Some(&value);
        if changed && (name == "email" || name == "phone_number") {
            user.attributes
                .insert(format!("{name}_verified"), "false".into());
            to_verify.push(name.clone());
        }
        user.attributes.insert(name, value);
    }
    let mut details = Vec::new();
    for name in to_verify {
        let purpose = verify_purpose(&name);
        details.push(send_code(
            state,
            owner.pool,
            &owner.username,
            Some(&name),
            &purpose,
        )?);
    }
    Ok(json!({ "CodeDeliveryDetailsList": details }))
}

fn verify_purpose(attribute: &str) -> String {
    format!("VERIFY_{}", attribute.to_uppercase())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteUserAttributesRequest {
    access_token: Option<String>,
    user_attribute_names: Option<Vec<String>>,
}

pub fn delete_user_attributes(
    state: &mut State,
    request: DeleteUserAttributesRequest,
) -> ApiResult<Value> {
    let owner = signed_in(state, &request.access_token)?;
    let names = request
        .user_attribute_names
        .ok_or_else(|| ApiError::null_member("userAttributeNames"))?;
    let pool = &mut state.pools[owner.pool];
    if let Some(name) = names
        .iter()
        .find(|n| immutable(n) || pool.required_attributes.contains(n))
    {
        return Err(ApiError::invalid_parameter(format!(
            "Cannot delete the required or non-mutable attribute {name}"
        )));
    }
    let user = pool.user_mut(&owner.username).expect("checked");
    for name in names {
        user.attributes.remove(&format!("{name}_verified"));
        user.attributes.remove(&name);
    }
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeCodeRequest {
    access_token: Option<String>,
    attribute_name: Option<String>,
    code: Option<String>,
    #[allow(dead_code)]
    client_metadata: Option<HashMap<String, String>>,
}

fn verifiable(name: &str) -> ApiResult<()> {
    if name == "email" || name == "phone_number" {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!(
            "{name} is not an attribute that can be verified (email or phone_number)"
        )))
    }
}

/// A code to verify the user's email or phone number.
pub fn get_user_attribute_verification_code(
    state: &mut State,
    request: AttributeCodeRequest,
) -> ApiResult<Value> {
    let owner = signed_in(state, &request.access_token)?;
    let name = member(&request.attribute_name, "attributeName")?;
    verifiable(name)?;
    let details = send_code(
        state,
        owner.pool,
        &owner.username,
        Some(name),
        &verify_purpose(name),
    )?;
    Ok(json!({ "CodeDeliveryDetails": details }))
}

pub fn verify_user_attribute(state: &mut State, request: AttributeCodeRequest) -> ApiResult<Value> {
    let owner = signed_in(state, &request.access_token)?;
    let name = member(&request.attribute_name, "attributeName")?;
    let code = member(&request.code, "code")?;
    verifiable(name)?;
    let purpose = verify_purpose(name);
    take_code(
        state,
        owner.pool,
        &owner.username,
        &purpose,
        code,
        CODE_SECONDS,
    )?;
    let user = state.pools[owner.pool]
        .user_mut(&owner.username)
        .expect("checked");
    user.attributes
        .insert(format!("{name}_verified"), "true".into());
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteUserRequest {
    access_token: Option<String>,
}

/// Deletes the signed-in user and revokes all their tokens.
pub fn delete_user(state: &mut State, request: DeleteUserRequest) -> ApiResult<Value> {
    let owner = signed_in(state, &request.access_token)?;
    state.grants.revoke_user(owner.pool, &owner.username);
    state.pools[owner.pool]
        .users
        .retain(|u| u.username != owner.username);
    Ok(json!({}))
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn destinations_are_masked() {
        assert_eq!(mask("alice@example.com"), "a***@e***");
        assert_eq!(mask("+15555550123"), "+*******0123");
    }
}
