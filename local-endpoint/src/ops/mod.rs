//! The API operations. Each takes the parsed request and the state and gives
//! the response or an [`ApiError`]; [`dispatch`] maps an X-Amz-Target
//! operation name to one. To add an operation: a request type, a function,
//! and one line in `dispatch`.

mod account;
mod admin_auth;
pub(crate) mod challenge;
pub mod custom_auth;
pub mod devices;
mod initiate_auth;
pub mod mfa;
pub mod mfa_setup;
pub mod params;
pub mod passkeys;
pub mod passwordless;
mod pool_client;
mod sign_in;
mod signed_in;
pub mod user_auth;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::state::State;

/// Runs operation `name` on a JSON request body.
pub fn dispatch(state: &mut State, name: &str, body: &[u8]) -> ApiResult<Value> {
    match name {
        "InitiateAuth" => call(state, body, initiate_auth::initiate_auth),
        "RespondToAuthChallenge" => call(state, body, challenge::respond_to_auth_challenge),
        "AssociateSoftwareToken" => call(state, body, mfa::associate_software_token),
        "VerifySoftwareToken" => call(state, body, mfa::verify_software_token),
        "SetUserMFAPreference" => call(state, body, mfa::set_user_mfa_preference),
        "GetUser" => call(state, body, signed_in::get_user),
        "GlobalSignOut" => call(state, body, signed_in::global_sign_out),
        "RevokeToken" => call(state, body, signed_in::revoke_token),
        "AdminInitiateAuth" => call(state, body, admin_auth::admin_initiate_auth),
        "AdminRespondToAuthChallenge" => call(state, body, admin_auth::admin_respond),
        "CreateUserPoolClient" => call(state, body, pool_client::create_user_pool_client),
        "DescribeUserPoolClient" => call(state, body, pool_client::describe_user_pool_client),
        "UpdateUserPoolClient" => call(state, body, pool_client::update_user_pool_client),
        "GetTokensFromRefreshToken" => call(state, body, account::get_tokens_from_refresh_token),
        "SignUp" => call(state, body, account::sign_up),
        "ConfirmSignUp" => call(state, body, account::confirm_sign_up),
        "ResendConfirmationCode" => call(state, body, account::resend_confirmation_code),
        "ForgotPassword" => call(state, body, account::forgot_password),
        "ConfirmForgotPassword" => call(state, body, account::confirm_forgot_password),
        "ChangePassword" => call(state, body, account::change_password),
        "UpdateUserAttributes" => call(state, body, account::update_user_attributes),
        "DeleteUserAttributes" => call(state, body, account::delete_user_attributes),
        "GetUserAttributeVerificationCode" => {
            call(state, body, account::get_user_attribute_verification_code)
        }
        "VerifyUserAttribute" => call(state, body, account::verify_user_attribute),
        "DeleteUser" => call(state, body, account::delete_user),
        "ConfirmDevice" => call(state, body, devices::confirm_device),
        "UpdateDeviceStatus" => call(state, body, devices::update_device_status),
        "ForgetDevice" => call(state, body, devices::forget_device),
        "ListDevices" => call(state, body, devices::list_devices),
        "GetDevice" => call(state, body, devices::get_device),
        "AdminListDevices" => call(state, body, devices::admin_list_devices),
        "AdminForgetDevice" => call(state, body, devices::admin_forget_device),
        "StartWebAuthnRegistration" => call(state, body, passkeys::start_registration),
        "CompleteWebAuthnRegistration" => call(state, body, passkeys::complete_registration),
        "ListWebAuthnCredentials" => call(state, body, passkeys::list_credentials),
        "DeleteWebAuthnCredential" => call(state, body, passkeys::delete_credential),
        _ => Err(ApiError::unknown_operation(name)),
    }
}

/// Operations that need a SigV4 signature by a seeded IAM key.
pub fn needs_iam(name: &str) -> bool {
    name.starts_with("Admin") || name.ends_with("UserPoolClient")
}

fn call<I: DeserializeOwned, O: Serialize>(
    state: &mut State,
    body: &[u8],
    operation: fn(&mut State, I) -> ApiResult<O>,
) -> ApiResult<Value> {
    let request = serde_json::from_slice(body)
        .map_err(|e| ApiError::serialization(format!("Malformed request body: {e}")))?;
    let response = operation(state, request)?;
    Ok(serde_json::to_value(response).expect("responses serialise"))
}
