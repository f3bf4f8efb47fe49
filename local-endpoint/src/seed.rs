//! The seed file: the user pools, app clients and users the endpoint starts
//! with (JSON, camelCase). Optional fields take the service's defaults; unknown
//! fields are refused so a typo does not silently change behaviour.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Seed {
    pub user_pools: Vec<SeedPool>,
    /// The IAM keys the SigV4-signed operations (Admin*, *UserPoolClient) accept.
    #[serde(default)]
    pub iam_credentials: Vec<SeedIamCredentials>,
    /// Identity pools (see [`crate::identity::config`]).
    #[serde(default)]
    pub identity_pools: Vec<crate::identity::config::SeedIdentityPool>,
    /// The storage service's buckets (see [`crate::storage`]).
    #[serde(default)]
    pub buckets: Vec<crate::storage::SeedBucket>,
}

/// An IAM access key; with `sessionToken`, requests must also carry it
/// (`X-Amz-Security-Token`), as for temporary credentials.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedIamCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedPool {
    /// `<region>_<name>`, e.g. `us-east-1_DemoPool1`.
    pub id: String,
    /// Other names a user may sign in with: `email`, `phone_number`,
    /// `preferred_username`.
    #[serde(default)]
    pub alias_attributes: Vec<String>,
    /// `email` and/or `phone_number`: users sign in with these and the
    /// internal username is the user's `sub`.
    #[serde(default)]
    pub username_attributes: Vec<String>,
    /// Attributes every user must have (asked for in NEW_PASSWORD_REQUIRED).
    #[serde(default)]
    pub required_attributes: Vec<String>,
    /// Usernames and aliases match case-insensitively unless this is true.
    #[serde(default)]
    pub case_sensitive: bool,
    #[serde(default)]
    pub password_policy: SeedPasswordPolicy,
    /// The first factors USER_AUTH offers (the pool's
    /// `Policies.SignInPolicy.AllowedFirstAuthFactors`): `PASSWORD` (always),
    /// `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`. Absent: `PASSWORD` only.
    #[serde(default)]
    pub sign_in_policy: Option<SeedSignInPolicy>,
    /// How long the codes sent for sign-in (SMS_MFA, EMAIL_OTP, SMS_OTP) can
    /// be used; default 180, as in the service.
    pub sign_in_code_validity_seconds: Option<u64>,
    #[serde(default)]
    pub clients: Vec<SeedClient>,
    #[serde(default)]
    pub users: Vec<SeedUser>,
    /// The pool's DeviceConfiguration; absent: devices are not tracked (no
    /// NewDeviceMetadata).
    #[serde(default)]
    pub device_configuration: Option<SeedDeviceConfiguration>,
    /// External identity providers for managed login (simulated OIDC
    /// providers served by the endpoint itself).
    #[serde(default)]
    pub identity_providers: Vec<crate::oauth::config::SeedIdentityProvider>,
    /// Passkeys: the pool's WebAuthnConfiguration (ops/passkeys.rs).
    #[serde(default)]
    pub web_authn_configuration: Option<crate::ops::passkeys::SeedWebAuthnConfiguration>,
    /// The pool's MfaConfiguration: `OFF`, `OPTIONAL` (default: each
    /// user's `mfa` decides) or `ON` (every user must set up MFA).
    pub mfa_configuration: Option<String>,
    /// The MFA types the pool turns on (`SMS_MFA`, `SOFTWARE_TOKEN_MFA`,
    /// `EMAIL_OTP`), which MFA_SETUP offers; absent: SOFTWARE_TOKEN_MFA
    /// (ops/mfa_setup.rs).
    pub mfa_factors: Option<Vec<String>>,
    /// Users the endpoint plays a hostile server for (see [`crate::faults`]).
    #[serde(default)]
    pub faults: Vec<crate::faults::SeedFault>,
}

/// DeviceConfiguration: the pool tracks devices, and remembers them at
/// ConfirmDevice, or only once the user says so (UpdateDeviceStatus).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedDeviceConfiguration {
    /// A sign-in on a device the pool does not remember asks for the
    /// user's MFA (the endpoint does so whenever the user has MFA; kept and
    /// shown for fidelity to the service's settings).
    #[serde(default)]
    pub challenge_required_on_new_device: bool,
    /// ConfirmDevice answers UserConfirmationNecessary and leaves the device
    /// not remembered until UpdateDeviceStatus.
    #[serde(default)]
    pub device_only_remembered_on_user_prompt: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedSignInPolicy {
    pub allowed_first_auth_factors: Vec<String>,
}

/// Each rule defaults as in a new user pool: length 8, all classes required.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedPasswordPolicy {
    pub minimum_length: Option<usize>,
    pub require_lowercase: Option<bool>,
    pub require_uppercase: Option<bool>,
    pub require_numbers: Option<bool>,
    pub require_symbols: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedClient {
    pub client_id: String,
    pub client_name: Option<String>,
    pub client_secret: Option<String>,
    /// ALLOW_* names, or legacy names (not both); absent: the service default.
    pub explicit_auth_flows: Option<Vec<String>>,
    /// `ENABLED` (default) or `LEGACY`.
    pub prevent_user_existence_errors: Option<String>,
    pub access_token_validity_seconds: Option<u64>,
    pub id_token_validity_seconds: Option<u64>,
    pub refresh_token_validity_seconds: Option<u64>,
    /// How long a sign-in Session (each challenge step) lasts: the app
    /// client's AuthSessionValidity, 3 to 15 minutes in the service; seconds
    /// here, so that tests can let one expire. Default 180.
    pub auth_session_validity_seconds: Option<u64>,
    /// Managed login (OAuth 2.0): the client's CallbackURLs, LogoutURLs,
    /// AllowedOAuthFlows (`code`), AllowedOAuthScopes and
    /// SupportedIdentityProviders (`COGNITO` and/or provider names).
    pub callback_urls: Option<Vec<String>>,
    pub logout_urls: Option<Vec<String>>,
    #[serde(rename = "allowedOAuthFlows")]
    pub allowed_oauth_flows: Option<Vec<String>>,
    #[serde(rename = "allowedOAuthScopes")]
    pub allowed_oauth_scopes: Option<Vec<String>>,
    pub supported_identity_providers: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedUser {
    /// Required, except in a `usernameAttributes` pool, where it may be left
    /// out (the sign-in name is then the username attribute) or must equal
    /// the first username attribute's value.
    pub username: Option<String>,
    pub password: String,
    /// `CONFIRMED`, `FORCE_CHANGE_PASSWORD`, `UNCONFIRMED` or `RESET_REQUIRED`
    /// (PasswordResetRequiredException once the password is proven).
    pub status: String,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// The user's MFA settings; absent: no MFA.
    #[serde(default)]
    pub mfa: Option<SeedMfa>,
    /// What the pool's custom-auth triggers ask this user in CUSTOM_AUTH;
    /// absent: CUSTOM_AUTH is refused for the user.
    #[serde(default)]
    pub custom_challenge: Option<SeedCustomChallenge>,
    /// Passkeys registered before start-up (ops/passkeys.rs).
    #[serde(default)]
    pub passkeys: Vec<crate::ops::passkeys::SeedPasskey>,
}

/// The CUSTOM_CHALLENGE rules: the same question `rounds` times (default 1),
/// each round answered with `answer`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedCustomChallenge {
    pub question: String,
    pub answer: String,
    #[serde(default = "one_round")]
    pub rounds: u32,
}

fn one_round() -> u32 {
    1
}

/// Which second factors a user has set up, as SetUserMFAPreference leaves them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedMfa {
    /// SMS_MFA, to the user's `phone_number`.
    #[serde(default)]
    pub sms: bool,
    /// EMAIL_OTP, to the user's `email`.
    #[serde(default)]
    pub email: bool,
    /// SOFTWARE_TOKEN_MFA with this base32 secret (RFC 6238).
    pub totp_secret: Option<String>,
    /// `SMS_MFA`, `EMAIL_OTP` or `SOFTWARE_TOKEN_MFA`; with several factors
    /// and none preferred, sign-in asks SELECT_MFA_TYPE.
    pub preferred: Option<String>,
    /// MFA is required (the pool's MfaConfiguration ON): without a factor,
    /// sign-in asks MFA_SETUP (TOTP, through Associate/VerifySoftwareToken).
    #[serde(default)]
    pub required: bool,
    /// The MFA types this user's MFA_SETUP offers, instead of the pool's
    /// `mfaFactors` (a seed convenience: the service offers a pool's types
    /// to all its users). See ops/mfa_setup.rs.
    pub setup_factors: Option<Vec<String>>,
}

fn enabled_by_default() -> bool {
    true
}

/// Reads and parses a seed file.
pub fn load(path: &Path) -> Result<Seed, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse(&text)
}

pub fn parse(text: &str) -> Result<Seed, String> {
    serde_json::from_str(text).map_err(|e| format!("invalid seed: {e}"))
}
