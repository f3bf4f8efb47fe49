//! Second factors after the password: SMS_MFA and EMAIL_OTP (codes to the
//! inbox), SOFTWARE_TOKEN_MFA (RFC 6238 TOTP) and SELECT_MFA_TYPE when a
//! user has several and prefers none. Also the code challenges of USER_AUTH's
//! passwordless first factors (EMAIL_OTP, SMS_OTP), answered the same way.
//! Codes expire after the pool's sign-in code validity (ExpiredCodeException),
//! Sessions after the app client's AuthSessionValidity.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{json, Value};

use super::challenge::ChallengeCall;
use super::params::{member, Answer, Issued};
use super::sign_in::{sign_in, sign_in_on_device, AuthResponse, OPAQUE_TOKEN_BYTES};
use crate::error::{ApiError, ApiResult};
use crate::inbox::Message;
use crate::pool::Client;
use crate::seed::SeedMfa;
use crate::state::State;
use crate::tokens::authorize_access;
use crate::totp;

/// How long an MFA Session lasts by default (the service: 3 minutes); each
/// challenge lasts its app client's AuthSessionValidity.
pub const MFA_SESSION_SECONDS: u64 = 180;

/// The challenge names, in the order SELECT_MFA_TYPE lists them.
const KINDS: [&str; 3] = ["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"];

/// A user's second factors.
#[derive(Debug, Clone, Default)]
pub struct MfaSettings {
    pub sms: bool,
    pub email: bool,
    /// The verified TOTP secret (base32).
    pub totp_secret: Option<String>,
    /// SOFTWARE_TOKEN_MFA is on (needs `totp_secret`); a secret verified by
    /// a signed-in user waits for SetUserMFAPreference.
    pub totp_enabled: bool,
    /// One of [`KINDS`].
    pub preferred: Option<&'static str>,
    /// Sign-in must set up a factor when none is enabled (MFA_SETUP).
    pub required: bool,
    /// A secret from AssociateSoftwareToken with an access token, until
    /// VerifySoftwareToken proves the app has it.
    pub pending_totp_secret: Option<String>,
}

impl MfaSettings {
    pub fn from_seed(seed: SeedMfa) -> Result<Self, String> {
        if let Some(secret) = &seed.totp_secret {
            totp::base32_decode(secret).ok_or("totpSecret is not base32")?;
        }
        let preferred = match seed.preferred.as_deref() {
            None => None,
            Some(name) => Some(
                *KINDS
                    .iter()
                    .find(|k| **k == name)
                    .ok_or_else(|| format!("mfa.preferred {name:?} is not one of {KINDS:?}"))?,
            ),
        };
        let settings = MfaSettings {
            sms: seed.sms,
            email: seed.email,
            totp_enabled: seed.totp_secret.is_some(),
            totp_secret: seed.totp_secret,
            preferred,
            required: seed.required,
            pending_totp_secret: None,
        };
        if preferred.is_some_and(|p| !settings.enabled().contains(&p)) {
            return Err("mfa.preferred names a factor that is not enabled".into());
        }
        Ok(settings)
    }

    /// The enabled factors, as challenge names.
    pub fn enabled(&self) -> Vec<&'static str> {
        let on = [
            self.sms,
            self.totp_enabled && self.totp_secret.is_some(),
            self.email,
        ];
        KINDS
            .iter()
            .zip(on)
            .filter(|(_, on)| *on)
            .map(|(k, _)| *k)
            .collect()
    }
}

/// A second-factor challenge in flight, stored under its Session.
pub struct MfaChallenge {
    pub client_id: String,
    pub username: String,
    /// The challenge that was issued.
    pub name: &'static str,
    /// The code sent, for SMS_MFA and EMAIL_OTP.
    pub code: Option<String>,
    /// What SELECT_MFA_TYPE offered.
    pub allowed: Vec<&'static str>,
    /// MFA_SETUP: the secret AssociateSoftwareToken gave out.
    pub secret: Option<String>,
    /// MFA_SETUP: VerifySoftwareToken accepted a code of `secret`.
    pub verified: bool,
    /// When the challenge was issued (and its code sent), Unix seconds.
    pub sent_at: u64,
}

impl Issued for MfaChallenge {
    fn client_id(&self) -> &str {
        &self.client_id
    }

    fn username(&self) -> &str {
        &self.username
    }
}

/// The password was proven for a confirmed user: sign in, or ask for a
/// second factor.
pub fn after_first_factor(
    state: &mut State,
    pool: usize,
    client: &Client,
    username: &str,
) -> ApiResult<AuthResponse> {
    if super::mfa_setup::is_off(state, pool) {
        return Ok(sign_in(state, pool, client, username));
    }
    let settings = state.pools[pool]
        .mfa
        .get(username)
        .cloned()
        .unwrap_or_default();
    let required = settings.required || super::mfa_setup::is_required(state, pool);
    let enabled = settings.enabled();
    match (enabled.as_slice(), settings.preferred) {
        ([], _) if required => {
            let mut parameters = base_parameters(username);
            parameters.insert(
                "MFAS_CAN_SETUP",
                super::mfa_setup::can_setup(state, pool, username),
            );
            Ok(challenge(
                state,
                client,
                username,
                "MFA_SETUP",
                None,
                Vec::new(),
                parameters,
            ))
        }
        ([], _) => Ok(sign_in(state, pool, client, username)),
        (_, Some(kind)) | (&[kind], None) => issue(state, pool, client, username, kind),
        (several, None) => {
            let mut parameters = base_parameters(username);
            parameters.insert(
                "MFAS_CAN_CHOOSE",
                serde_json::to_string(several).expect("strings"),
            );
            let allowed = several.to_vec();
            Ok(challenge(
                state,
                client,
                username,
                "SELECT_MFA_TYPE",
                None,
                allowed,
                parameters,
            ))
        }
    }
}

fn base_parameters(username: &str) -> BTreeMap<&'static str, String> {
    BTreeMap::from([("USER_ID_FOR_SRP", username.to_owned())])
}

/// Issues SMS_MFA, EMAIL_OTP, SMS_OTP (sending a code) or SOFTWARE_TOKEN_MFA.
pub(super) fn issue(
    state: &mut State,
    pool: usize,
    client: &Client,
    username: &str,
    kind: &'static str,
) -> ApiResult<AuthResponse> {
    let mut parameters = base_parameters(username);
    let code = match kind {
        "SMS_MFA" | "EMAIL_OTP" | "SMS_OTP" => {
            let (medium, attribute) = if kind != "EMAIL_OTP" {
                ("SMS", "phone_number")
            } else {
                ("EMAIL", "email")
            };
            let user = state.pools[pool]
                .user(username)
                .ok_or_else(ApiError::user_not_found)?;
            let destination = user.attributes.get(attribute).cloned().ok_or_else(|| {
                ApiError::invalid_parameter(format!(
                    "{kind} needs the user's {attribute}, which is not set"
                ))
            })?;
            let code = six_digits(state);
            parameters.insert("CODE_DELIVERY_DELIVERY_MEDIUM", medium.to_owned());
            parameters.insert("CODE_DELIVERY_DESTINATION", mask(&destination));
            state.inbox.deliver(Message {
                pool_id: state.pools[pool].id.clone(),
                username: username.to_owned(),
                delivery_medium: medium.to_owned(),
                destination,
                purpose: kind.to_owned(),
                code: code.clone(),
                sent_at: state.env.now(),
            });
            Some(code)
        }
        _ => {
            parameters.insert("FRIENDLY_DEVICE_NAME", "TOTP device".to_owned());
            None
        }
    };
    Ok(challenge(
        state,
        client,
        username,
        kind,
        code,
        Vec::new(),
        parameters,
    ))
}

fn challenge(
    state: &mut State,
    client: &Client,
    username: &str,
    name: &'static str,
    code: Option<String>,
    allowed: Vec<&'static str>,
    parameters: BTreeMap<&'static str, String>,
) -> AuthResponse {
    let session = state.env.token(OPAQUE_TOKEN_BYTES);
    let now = state.env.now();
    let stored = MfaChallenge {
        client_id: client.id.clone(),
        username: username.to_owned(),
        name,
        code,
        allowed,
        secret: None,
        verified: false,
        sent_at: now,
    };
    let lifetime = client.auth_session_validity;
    state
        .mfa_challenges
        .insert_for(session.clone(), stored, now, lifetime);
    AuthResponse::challenge(name, session, parameters)
}

pub(crate) fn six_digits(state: &mut State) -> String {
    let bytes = state.env.bytes(4);
    let value = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) % 1_000_000;
    format!("{value:06}")
}

/// `+*******1234` for a phone number, `a***@e***.com` for an email address.
pub fn mask(destination: &str) -> String {
    if let Some((local, domain)) = destination.split_once('@') {
        let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
        let tld = domain.rfind('.').map_or("", |i| &domain[i..]);
        format!("{}***@{}***{tld}", first(local), first(domain))
    } else {
        let digits: Vec<char> = destination.chars().collect();
        let keep = digits.len().saturating_sub(4);
        let tail: String = digits[keep..].iter().collect();
        format!("+{}{tail}", "*".repeat(keep.saturating_sub(1)))
    }
}

/// Answers to the MFA challenges.
pub fn respond(state: &mut State, call: ChallengeCall<'_>, name: &str) -> ApiResult<AuthResponse> {
    let given = Answer::parse(state, call)?;
    let (session, now) = (given.session, given.now);
    let pool_ref = &state.pools[call.pool];
    let challenge = state
        .mfa_challenges
        .get(session, now)
        .filter(|c| c.name == name && given.is_for(pool_ref, call.client, *c))
        .ok_or_else(ApiError::invalid_session)?;
    let username = challenge.username.clone();
    // After a device's proof (not remembered): no new device at the end.
    let on_device = state.device_mfa_sessions.get(session, now).is_some();
    if name == "MFA_SETUP" {
        if call.responses.get("EMAIL").is_some() {
            return super::mfa_setup::setup_email(state, call, session, &username);
        }
        if !challenge.verified {
            return Err(ApiError::invalid_parameter(
                "Software token MFA has not been verified; call VerifySoftwareToken first",
            ));
        }
        state.mfa_challenges.take(session, now);
        return Ok(sign_in(state, call.pool, call.client, &username));
    }
    if name == "SELECT_MFA_TYPE" {
        let answer = call.responses.required("ANSWER")?;
        let kind = *challenge
            .allowed
            .iter()
            .find(|k| **k == answer)
            .ok_or_else(|| {
                ApiError::invalid_parameter(format!(
                    "ANSWER must be one of the MFAS_CAN_CHOOSE: {:?}",
                    challenge.allowed
                ))
            })?;
        state.mfa_challenges.take(session, now);
        let answer = issue(state, call.pool, call.client, &username, kind)?;
        if let (true, Some(next)) = (on_device, &answer.session) {
            state.device_mfa_sessions.insert(next.clone(), (), now);
        }
        return Ok(answer);
    }
    let field = match name {
        "SMS_MFA" => "SMS_MFA_CODE",
        "EMAIL_OTP" => "EMAIL_OTP_CODE",
        "SMS_OTP" => "SMS_OTP_CODE",
        _ => "SOFTWARE_TOKEN_MFA_CODE",
    };
    let code = call.responses.required(field)?;
    if challenge.code.is_some() && now >= challenge.sent_at + pool_ref.sign_in_code_validity {
        // No code can be sent again for this Session: the sign-in starts over.
        state.mfa_challenges.take(session, now);
        return Err(ApiError::new(
            "ExpiredCodeException",
            "Invalid code provided, please request a code again.",
        ));
    }
    let valid = match &challenge.code {
        Some(sent) => sent == code,
        None => pool_ref
            .mfa
            .get(&username)
            .and_then(|m| m.totp_secret.as_deref())
            .is_some_and(|secret| totp::verify(secret, code, now)),
    };
    if !valid {
        // The Session stays usable for another try, as in the service.
        return Err(ApiError::new(
            "CodeMismatchException",
            "Invalid code or auth state for the user.",
        ));
    }
    state.mfa_challenges.take(session, now);
    super::mfa_setup::finish_email_setup(state, call.pool, session, &username);
    if let Some(key) = state.code_devices.take(session, now) {
        return Ok(super::devices::device_challenge(
            state,
            call.client,
            &username,
            &key,
            true,
        ));
    }
    if on_device {
        state.device_mfa_sessions.take(session, now);
        return Ok(sign_in_on_device(state, call.pool, call.client, &username));
    }
    Ok(sign_in(state, call.pool, call.client, &username))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateSoftwareTokenRequest {
    access_token: Option<String>,
    session: Option<String>,
}

/// A new TOTP secret, for the MFA_SETUP Session (answered with a new
/// Session) or for the signed-in user of the access token.
pub fn associate_software_token(
    state: &mut State,
    request: AssociateSoftwareTokenRequest,
) -> ApiResult<Value> {
    let secret = totp::base32_encode(&state.env.bytes(20));
    if let Some(token) = &request.access_token {
        let owner = authorize_access(state, token)?;
        let settings = state.pools[owner.pool]
            .mfa
            .entry(owner.username)
            .or_default();
        settings.pending_totp_secret = Some(secret.clone());
        return Ok(json!({ "SecretCode": secret }));
    }
    let session = member(&request.session, "session")?;
    let now = state.env.now();
    let mut challenge = state
        .mfa_challenges
        .take(session, now)
        .filter(|c| c.name == "MFA_SETUP")
        .ok_or_else(ApiError::invalid_session)?;
    challenge.secret = Some(secret.clone());
    let session = state.env.token(OPAQUE_TOKEN_BYTES);
    state.mfa_challenges.insert(session.clone(), challenge, now);
    Ok(json!({ "SecretCode": secret, "Session": session }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifySoftwareTokenRequest {
    access_token: Option<String>,
    session: Option<String>,
    user_code: Option<String>,
}

/// Checks a code of the associated secret; it then becomes the user's
/// SOFTWARE_TOKEN_MFA secret. With a Session: a new Session for MFA_SETUP.
pub fn verify_software_token(
    state: &mut State,
    request: VerifySoftwareTokenRequest,
) -> ApiResult<Value> {
    let code = member(&request.user_code, "userCode")?;
    let now = state.env.now();
    let mismatch = || ApiError::new("EnableSoftwareTokenMFAException", "Code mismatch");
    if let Some(token) = &request.access_token {
        let owner = authorize_access(state, token)?;
        let settings = state.pools[owner.pool]
            .mfa
            .entry(owner.username)
            .or_default();
        let secret = settings.pending_totp_secret.clone().ok_or_else(|| {
            ApiError::invalid_parameter(
                "No software token is associated; call AssociateSoftwareToken first",
            )
        })?;
        if !totp::verify(&secret, code, now) {
            return Err(mismatch());
        }
        settings.totp_secret = Some(secret);
        settings.pending_totp_secret = None;
        return Ok(json!({ "Status": "SUCCESS" }));
    }
    let session = member(&request.session, "session")?;
    let challenge = state
        .mfa_challenges
        .get(session, now)
        .filter(|c| c.name == "MFA_SETUP")
        .ok_or_else(ApiError::invalid_session)?;
    let secret = challenge
        .secret
        .clone()
        .ok_or_else(ApiError::invalid_session)?;
    if !totp::verify(&secret, code, now) {
        return Err(mismatch());
    }
    let mut challenge = state
        .mfa_challenges
        .take(session, now)
        .expect("found above");
    challenge.verified = true;
    let pool = state
        .pools
        .iter()
        .position(|p| p.clients.iter().any(|c| c.id == challenge.client_id))
        .ok_or_else(ApiError::invalid_session)?;
    let settings = state.pools[pool]
        .mfa
        .entry(challenge.username.clone())
        .or_default();
    settings.totp_secret = Some(secret);
    settings.totp_enabled = true;
    settings.preferred = Some("SOFTWARE_TOKEN_MFA");
    let session = state.env.token(OPAQUE_TOKEN_BYTES);
    state.mfa_challenges.insert(session.clone(), challenge, now);
    Ok(json!({ "Status": "SUCCESS", "Session": session }))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct MfaSetting {
    enabled: Option<bool>,
    preferred_mfa: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserMfaPreferenceRequest {
    access_token: Option<String>,
    #[serde(rename = "SMSMfaSettings")]
    sms_mfa_settings: Option<MfaSetting>,
    software_token_mfa_settings: Option<MfaSetting>,
    email_mfa_settings: Option<MfaSetting>,
}

/// Turns the signed-in user's factors on or off and sets the preferred one.
/// A factor needs its means: a verified TOTP secret, a phone number, an email.
pub fn set_user_mfa_preference(
    state: &mut State,
    request: SetUserMfaPreferenceRequest,
) -> ApiResult<Value> {
    let owner = authorize_access(state, member(&request.access_token, "accessToken")?)?;
    let pool = &mut state.pools[owner.pool];
    let user = pool
        .user(&owner.username)
        .ok_or_else(ApiError::user_not_found)?;
    let has_phone = user.attributes.contains_key("phone_number");
    let has_email = user.attributes.contains_key("email");
    let mut settings = pool.mfa.get(&owner.username).cloned().unwrap_or_default();
    let changes = [
        ("SMS_MFA", request.sms_mfa_settings, has_phone),
        (
            "SOFTWARE_TOKEN_MFA",
            request.software_token_mfa_settings,
            settings.totp_secret.is_some(),
        ),
        ("EMAIL_OTP", request.email_mfa_settings, has_email),
    ];
    for (kind, change, possible) in changes {
        let Some(change) = change else { continue };
        if let Some(enabled) = change.enabled {
            if enabled && !possible {
                return Err(ApiError::invalid_parameter(match kind {
                    "SOFTWARE_TOKEN_MFA" => "User has not verified software token mfa",
                    "SMS_MFA" => "User does not have a phone number for SMS MFA",
                    _ => "User does not have an email address for email MFA",
                }));
            }
            match kind {
                "SMS_MFA" => settings.sms = enabled,
                "SOFTWARE_TOKEN_MFA" => settings.totp_enabled = enabled,
                _ => settings.email = enabled,
            }
        }
        match change.preferred_mfa {
            Some(true) => settings.preferred = Some(kind),
            Some(false) if settings.preferred == Some(kind) => settings.preferred = None,
            _ => {}
        }
    }
    if settings
        .preferred
        .is_some_and(|p| !settings.enabled().contains(&p))
    {
        settings.preferred = None;
    }
    pool.mfa.insert(owner.username, settings);
    Ok(json!({}))
}

/// GetUser's `UserMFASettingList` and `PreferredMfaSetting` for a user.
pub fn get_user_settings(
    state: &State,
    pool: usize,
    username: &str,
) -> (Vec<&'static str>, Option<&'static str>) {
    state.pools[pool]
        .mfa
        .get(username)
        .map_or((Vec::new(), None), |m| (m.enabled(), m.preferred))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_like_the_service() {
        assert_eq!(mask("+15555550100"), "+*******0100");
        assert_eq!(mask("dora@example.com"), "d***@e***.com");
    }

    #[test]
    fn enabled_factors_and_preference() {
        let seed = SeedMfa {
            sms: true,
            email: true,
            totp_secret: Some("GEZDGNBVGY3TQOJQ".into()),
            preferred: Some("EMAIL_OTP".into()),
            required: false,
            setup_factors: None,
        };
        let settings = MfaSettings::from_seed(seed.clone()).unwrap();
        assert_eq!(settings.enabled(), KINDS);
        assert_eq!(settings.preferred, Some("EMAIL_OTP"));
        let bad = SeedMfa {
            email: false,
            ..seed.clone()
        };
        assert!(MfaSettings::from_seed(bad).is_err());
        let bad = SeedMfa {
            totp_secret: Some("1".into()),
            preferred: None,
            ..seed
        };
        assert!(MfaSettings::from_seed(bad).is_err());
    }
}
