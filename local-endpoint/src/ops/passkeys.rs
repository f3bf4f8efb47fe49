//! Passkeys (WebAuthn): StartWebAuthnRegistration and
//! CompleteWebAuthnRegistration register a credential for the signed-in
//! user, ListWebAuthnCredentials and DeleteWebAuthnCredential manage them,
//! and USER_AUTH's WEB_AUTHN first factor signs in with one: InitiateAuth
//! (PREFERRED_CHALLENGE=WEB_AUTHN) or SELECT_CHALLENGE (ANSWER=WEB_AUTHN)
//! answers the WEB_AUTHN challenge with CREDENTIAL_REQUEST_OPTIONS, and
//! RespondToAuthChallenge WEB_AUTHN with CREDENTIAL completes it. The
//! verification itself is in [`crate::webauthn`].
//!
//! A passkey is a first factor of its own: no MFA follows it, as none
//! follows USER_AUTH's sign-in codes. A remembered device named with the
//! sign-in proves itself after the passkey (DEVICE_SRP_AUTH), then signs in.

use std::collections::BTreeMap;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::Sha256;

use super::challenge::ChallengeCall;
use super::devices::{device_challenge, named_device};
use super::params::{member, Answer, Issued, Params};
use super::sign_in::{enabled_and_confirmed, sign_in, AuthResponse, OPAQUE_TOKEN_BYTES};
use crate::challenges::TtlStore;
use crate::error::{ApiError, ApiResult};
use crate::pool::{Client, Pool, User};
use crate::state::State;
use crate::tokens::{authorize_access, TokenOwner};
use crate::webauthn::{
    base64url, base64url_field, verify_assertion, verify_registration, Assertion, AssertionCheck,
    CredentialKey, Refusal, RegistrationCheck, RelyingParty, ES256, MAX_CREDENTIAL_ID_BYTES, RS256,
};

/// Random bytes in a registration or sign-in challenge, as the service's.
const CHALLENGE_BYTES: usize = 16;
/// How long a StartWebAuthnRegistration challenge can be completed.
const REGISTRATION_SECONDS: u64 = 300;
/// The `timeout` hints of the options, in milliseconds, as the service's.
const CREATE_TIMEOUT_MS: u64 = 60_000;
const GET_TIMEOUT_MS: u64 = 180_000;
/// Passkeys one user may register.
const MAX_PASSKEYS_PER_USER: usize = 20;
/// ListWebAuthnCredentials' MaxResults range.
const MAX_LIST_RESULTS: u32 = 20;
/// The longest CREDENTIAL string a WEB_AUTHN answer may carry.
const MAX_CREDENTIAL_JSON_BYTES: usize = 64 * 1024;

// ---------------------------------------------------------------- seed

/// The pool's WebAuthnConfiguration.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedWebAuthnConfiguration {
    /// The relying-party id: a host name (`localhost` for local pages).
    /// Absent: StartWebAuthnRegistration answers
    /// WebAuthnConfigurationMissingException, as for a pool without one.
    pub relying_party_id: Option<String>,
    /// `required` or `preferred` (default).
    pub user_verification: Option<String>,
}

/// A passkey registered before the endpoint starts, e.g. one a test's
/// authenticator (or a browser's virtual authenticator) holds the private
/// key of.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedPasskey {
    /// base64url.
    pub credential_id: String,
    /// The COSE_Key (ES256 or RS256), base64url.
    pub public_key: String,
    #[serde(default)]
    pub sign_count: u32,
    #[serde(default)]
    pub transports: Vec<String>,
    pub authenticator_attachment: Option<String>,
    pub friendly_name: Option<String>,
}

/// A pool's passkey settings, checked.
#[derive(Debug, Clone)]
pub struct WebAuthnConfig {
    pub relying_party_id: Option<String>,
    pub user_verification_required: bool,
}

impl WebAuthnConfig {
    pub fn from_seed(seed: &SeedWebAuthnConfiguration) -> Result<Self, String> {
        if let Some(id) = &seed.relying_party_id {
            if !crate::webauthn::valid_rp_id(id) {
                return Err(format!(
                    "relyingPartyId {id:?} is not a lower-case host name (browsers refuse IP addresses)"
                ));
            }
        }
        let required = match seed.user_verification.as_deref() {
            None | Some("preferred") => false,
            Some("required") => true,
            Some(other) => {
                return Err(format!(
                    "userVerification {other:?} is not required or preferred"
                ))
            }
        };
        Ok(WebAuthnConfig {
            relying_party_id: seed.relying_party_id.clone(),
            user_verification_required: required,
        })
    }

    fn user_verification(&self) -> &'static str {
        if self.user_verification_required {
            "required"
        } else {
            "preferred"
        }
    }
}

// ---------------------------------------------------------------- store

/// A registered passkey.
#[derive(Debug, Clone)]
pub struct StoredCredential {
    /// The `sub` of its user (never reused, unlike usernames).
    pub sub: String,
    pub id: Vec<u8>,
    pub key: CredentialKey,
    pub sign_count: u32,
    pub relying_party_id: String,
    pub friendly_name: String,
    pub attachment: Option<String>,
    pub transports: Vec<String>,
    /// Unix seconds.
    pub created_at: u64,
}

/// A StartWebAuthnRegistration challenge awaiting its credential.
struct PendingRegistration {
    client_id: String,
    challenge: Vec<u8>,
}

/// A WEB_AUTHN sign-in challenge, stored under its Session.
pub struct SignInChallenge {
    client_id: String,
    /// USERNAME as sent.
    login: String,
    /// None for a user who does not exist (PreventUserExistenceErrors).
    username: Option<String>,
    challenge: Vec<u8>,
    device_key: Option<String>,
}

impl Issued for SignInChallenge {
    fn client_id(&self) -> &str {
        &self.client_id
    }

    fn username(&self) -> &str {
        self.username.as_deref().unwrap_or(&self.login)
    }

    fn is_named(&self, pool: &Pool, login: &str) -> bool {
        match &self.username {
            Some(name) => pool
                .user(name)
                .is_some_and(|user| pool.is_login_of(login, user)),
            None => self.login == login,
        }
    }
}

/// The passkey state of every pool.
pub struct Passkeys {
    /// By pool id; pools without an entry have no passkey settings.
    configs: BTreeMap<String, WebAuthnConfig>,
    /// By pool id.
    credentials: BTreeMap<String, Vec<StoredCredential>>,
    /// By pool id and username.
    registrations: TtlStore<PendingRegistration>,
    sign_ins: TtlStore<SignInChallenge>,
}

/// The seed's passkey parts, taken out before the pools are built from it.
pub struct PasskeySeed {
    configs: Vec<(String, SeedWebAuthnConfiguration)>,
    /// (pool id, the user's sign-in name, passkeys).
    users: Vec<(String, String, Vec<SeedPasskey>)>,
}

impl PasskeySeed {
    pub fn take(seed: &mut crate::seed::Seed) -> Self {
        let mut configs = Vec::new();
        let mut users = Vec::new();
        for pool in &mut seed.user_pools {
            if let Some(config) = pool.web_authn_configuration.take() {
                configs.push((pool.id.clone(), config));
            }
            for user in &mut pool.users {
                if user.passkeys.is_empty() {
                    continue;
                }
                if let Some(login) = seed_login(&pool.username_attributes, user) {
                    users.push((pool.id.clone(), login, std::mem::take(&mut user.passkeys)));
                }
            }
        }
        PasskeySeed { configs, users }
    }
}

/// The name a seeded user signs in with: the seed's username, or in a
/// `usernameAttributes` pool without one, the first username attribute.
pub fn seed_login(username_attributes: &[String], user: &crate::seed::SeedUser) -> Option<String> {
    user.username.clone().or_else(|| {
        let attribute = username_attributes.first()?;
        user.attributes.get(attribute).cloned()
    })
}

impl Passkeys {
    /// The settings and passkeys of the seed, once `pools` are built.
    pub fn new(seed: PasskeySeed, pools: &[Pool], now: u64) -> Result<Self, String> {
        let mut passkeys = Passkeys {
            configs: BTreeMap::new(),
            credentials: BTreeMap::new(),
            registrations: TtlStore::new(REGISTRATION_SECONDS),
            sign_ins: TtlStore::new(super::mfa::MFA_SESSION_SECONDS),
        };
        for (pool_id, config) in seed.configs {
            let config =
                WebAuthnConfig::from_seed(&config).map_err(|e| format!("pool {pool_id}: {e}"))?;
            passkeys.configs.insert(pool_id, config);
        }
        for (pool_id, login, seeded) in seed.users {
            let context = |e: String| format!("pool {pool_id}: user {login}: {e}");
            let user = pools
                .iter()
                .find(|p| p.id == pool_id)
                .and_then(|pool| pool.find_by_login(&login))
                .ok_or_else(|| context("the user is not in the pool".into()))?;
            let rp_id = passkeys
                .rp_id(&pool_id)
                .ok_or_else(|| context("passkeys need the pool's relyingPartyId".into()))?
                .to_owned();
            for passkey in seeded {
                let stored = stored_from_seed(passkey, user, &rp_id, now).map_err(context)?;
                if passkeys.find(&pool_id, &stored.id).is_some() {
                    return Err(context("a credentialId is used twice".into()));
                }
                passkeys
                    .credentials
                    .entry(pool_id.clone())
                    .or_default()
                    .push(stored);
            }
        }
        Ok(passkeys)
    }

    fn config(&self, pool_id: &str) -> Option<&WebAuthnConfig> {
        self.configs.get(pool_id)
    }

    fn rp_id(&self, pool_id: &str) -> Option<&str> {
        self.config(pool_id)?.relying_party_id.as_deref()
    }

    fn find(&self, pool_id: &str, id: &[u8]) -> Option<&StoredCredential> {
        self.credentials.get(pool_id)?.iter().find(|c| c.id == id)
    }

    /// The passkeys of the user with this `sub`, oldest first.
    pub fn of_user<'a>(
        &'a self,
        pool_id: &str,
        sub: &'a str,
    ) -> impl Iterator<Item = &'a StoredCredential> + 'a {
        self.credentials
            .get(pool_id)
            .into_iter()
            .flatten()
            .filter(move |c| c.sub == sub)
    }
}

fn stored_from_seed(
    seed: SeedPasskey,
    user: &User,
    rp_id: &str,
    now: u64,
) -> Result<StoredCredential, String> {
    let id = base64url_field(&seed.credential_id, "credentialId", MAX_CREDENTIAL_ID_BYTES)
        .map_err(|e| e.to_string())?;
    let cose = base64url_field(&seed.public_key, "publicKey", 4096).map_err(|e| e.to_string())?;
    let key = CredentialKey::from_cose(&cose).map_err(|e| e.to_string())?;
    Ok(StoredCredential {
        sub: user.sub().to_owned(),
        id,
        key,
        sign_count: seed.sign_count,
        relying_party_id: rp_id.to_owned(),
        friendly_name: seed.friendly_name.unwrap_or_else(|| "Passkey".into()),
        attachment: seed.authenticator_attachment,
        transports: seed.transports,
        created_at: now,
    })
}

// ---------------------------------------------------------------- errors

fn not_enabled() -> ApiError {
    ApiError::new(
        "WebAuthnNotEnabledException",
        "Passkey sign-in (WEB_AUTHN) is not enabled for this user pool.",
    )
}

fn configuration_missing() -> ApiError {
    ApiError::new(
        "WebAuthnConfigurationMissingException",
        "The user pool has no relying party ID for passkeys.",
    )
}

fn challenge_not_found() -> ApiError {
    ApiError::new(
        "WebAuthnChallengeNotFoundException",
        "The passkey registration challenge was not found or has expired; call StartWebAuthnRegistration again.",
    )
}

/// The exception CompleteWebAuthnRegistration answers for a refusal.
fn registration_error(refusal: Refusal) -> ApiError {
    let name = match refusal {
        Refusal::Malformed(_) | Refusal::BadSignature | Refusal::CounterNotIncreased => {
            "InvalidParameterException"
        }
        Refusal::WrongType | Refusal::WrongChallenge => "WebAuthnChallengeNotFoundException",
        Refusal::OriginNotAllowed(_) => "WebAuthnOriginNotAllowedException",
        Refusal::RelyingPartyMismatch => "WebAuthnRelyingPartyMismatchException",
        Refusal::UserNotPresent
        | Refusal::UserNotVerified
        | Refusal::UnsupportedKey(_)
        | Refusal::UnsupportedAttestation(_) => "WebAuthnCredentialNotSupportedException",
    };
    ApiError::new(name, refusal.to_string())
}

/// The exception a WEB_AUTHN answer gets for a refusal: a malformed
/// credential is InvalidParameterException, any other failed check
/// NotAuthorizedException, as for a wrong password.
fn sign_in_error(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::Malformed(_) => ApiError::invalid_parameter(refusal.to_string()),
        other => ApiError::not_authorized(format!("Passkey authentication failed: {other}")),
    }
}

fn not_registered() -> ApiError {
    ApiError::not_authorized(
        "Passkey authentication failed: the credential is not registered for this user",
    )
}

// ---------------------------------------------------------------- registration

/// Whether the pool offers WEB_AUTHN.
fn enabled(state: &State, pool: usize) -> bool {
    state.pools[pool]
        .allowed_first_auth_factors
        .contains(&"WEB_AUTHN")
}

/// The access token's owner and its app client, once the token is valid.
fn signed_in(state: &State, token: &Option<String>) -> ApiResult<(TokenOwner, String)> {
    let token = member(token, "accessToken")?;
    let owner = authorize_access(state, token)?;
    let client_id = state
        .verify_token(token)
        .and_then(|claims| claims["client_id"].as_str().map(str::to_owned))
        .unwrap_or_default();
    state.pools[owner.pool]
        .user(&owner.username)
        .ok_or_else(ApiError::user_not_found)?;
    Ok((owner, client_id))
}

fn registration_key(pool_id: &str, username: &str) -> String {
    format!("{pool_id}\0{username}")
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessTokenRequest {
    access_token: Option<String>,
}

/// PublicKeyCredentialCreationOptionsJSON, in the service's member order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreationOptions {
    rp: RelyingPartyEntity,
    user: UserEntity,
    challenge: String,
    pub_key_cred_params: [CredentialParameter; 2],
    timeout: u64,
    exclude_credentials: Vec<CredentialDescriptor>,
    authenticator_selection: AuthenticatorSelection,
}

#[derive(Serialize)]
struct RelyingPartyEntity {
    id: String,
    name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UserEntity {
    id: String,
    name: String,
    display_name: String,
}

#[derive(Serialize)]
struct CredentialParameter {
    #[serde(rename = "type")]
    kind: &'static str,
    alg: i64,
}

#[derive(Serialize)]
struct CredentialDescriptor {
    #[serde(rename = "type")]
    kind: &'static str,
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AuthenticatorSelection {
    require_resident_key: bool,
    resident_key: &'static str,
    user_verification: &'static str,
}

/// StartWebAuthnRegistration `{AccessToken}` -> `{CredentialCreationOptions}`.
pub fn start_registration(state: &mut State, request: AccessTokenRequest) -> ApiResult<Value> {
    let (owner, client_id) = signed_in(state, &request.access_token)?;
    if !enabled(state, owner.pool) {
        return Err(not_enabled());
    }
    let pool_id = state.pools[owner.pool].id.clone();
    let config = state
        .passkeys
        .config(&pool_id)
        .filter(|c| c.relying_party_id.is_some())
        .cloned()
        .ok_or_else(configuration_missing)?;
    let rp_id = config.relying_party_id.clone().expect("filtered");
    let user = state.pools[owner.pool]
        .user(&owner.username)
        .expect("signed_in checked the user");
    let exclude: Vec<CredentialDescriptor> = state
        .passkeys
        .of_user(&pool_id, user.sub())
        .map(|c| CredentialDescriptor {
            kind: "public-key",
            id: base64url(&c.id),
        })
        .collect();
    if exclude.len() >= MAX_PASSKEYS_PER_USER {
        return Err(ApiError::new(
            "LimitExceededException",
            format!("A user can register at most {MAX_PASSKEYS_PER_USER} passkeys."),
        ));
    }
    let challenge = state.env.bytes(CHALLENGE_BYTES);
    let options = CreationOptions {
        rp: RelyingPartyEntity {
            name: rp_id.clone(),
            id: rp_id,
        },
        user: UserEntity {
            id: base64url(user.sub().as_bytes()),
            name: user.username.clone(),
            display_name: String::new(),
        },
        challenge: base64url(&challenge),
        pub_key_cred_params: [ES256, RS256].map(|alg| CredentialParameter {
            kind: "public-key",
            alg,
        }),
        timeout: CREATE_TIMEOUT_MS,
        exclude_credentials: exclude,
        authenticator_selection: AuthenticatorSelection {
            require_resident_key: true,
            resident_key: "required",
            user_verification: config.user_verification(),
        },
    };
    let now = state.env.now();
    let key = registration_key(&pool_id, &owner.username);
    let pending = PendingRegistration {
        client_id,
        challenge,
    };
    state.passkeys.registrations.insert(key, pending, now);
    Ok(json!({ "CredentialCreationOptions": options }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CompleteRegistrationRequest {
    access_token: Option<String>,
    credential: Option<Value>,
}

/// CompleteWebAuthnRegistration `{AccessToken, Credential}` -> `{}`: checks
/// the RegistrationResponseJSON against the challenge StartWebAuthnRegistration
/// issued to this user (single use) and stores the passkey.
pub fn complete_registration(
    state: &mut State,
    request: CompleteRegistrationRequest,
) -> ApiResult<Value> {
    let (owner, client_id) = signed_in(state, &request.access_token)?;
    let credential = request
        .credential
        .ok_or_else(|| ApiError::null_member("credential"))?;
    if !enabled(state, owner.pool) {
        return Err(not_enabled());
    }
    let pool_id = state.pools[owner.pool].id.clone();
    let config = state
        .passkeys
        .config(&pool_id)
        .filter(|c| c.relying_party_id.is_some())
        .cloned()
        .ok_or_else(configuration_missing)?;
    let rp_id = config.relying_party_id.as_deref().expect("filtered");
    let now = state.env.now();
    let pending = state
        .passkeys
        .registrations
        .take(&registration_key(&pool_id, &owner.username), now)
        .ok_or_else(challenge_not_found)?;
    if pending.client_id != client_id {
        return Err(ApiError::new(
            "WebAuthnClientMismatchException",
            "The access token is for a different app client than the one that started the registration.",
        ));
    }
    let check = RegistrationCheck {
        rp: RelyingParty {
            id: rp_id,
            user_verification_required: config.user_verification_required,
        },
        challenge: &pending.challenge,
    };
    let registered = verify_registration(&credential, &check).map_err(registration_error)?;
    if state
        .passkeys
        .find(&pool_id, &registered.credential_id)
        .is_some()
    {
        return Err(ApiError::invalid_parameter(
            "The passkey is already registered.",
        ));
    }
    let sub = state.pools[owner.pool]
        .user(&owner.username)
        .expect("signed_in checked the user")
        .sub()
        .to_owned();
    let stored = StoredCredential {
        friendly_name: friendly_name(
            &registered.aaguid,
            registered.authenticator_attachment.as_deref(),
        ),
        sub,
        id: registered.credential_id,
        key: registered.key,
        sign_count: registered.sign_count,
        relying_party_id: rp_id.to_owned(),
        attachment: registered.authenticator_attachment,
        transports: registered.transports,
        created_at: now,
    };
    state
        .passkeys
        .credentials
        .entry(pool_id)
        .or_default()
        .push(stored);
    Ok(json!({}))
}

/// A name for the list: what kind of authenticator made the passkey, and
/// its AAGUID when it gave one.
fn friendly_name(aaguid: &[u8; 16], attachment: Option<&str>) -> String {
    let kind = match attachment {
        Some("platform") => "Platform passkey",
        Some("cross-platform") => "Security key",
        _ => "Passkey",
    };
    if aaguid.iter().all(|b| *b == 0) {
        kind.to_owned()
    } else {
        format!("{kind} {}", uuid::Uuid::from_bytes(*aaguid).hyphenated())
    }
}

// ---------------------------------------------------------------- listing

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListRequest {
    access_token: Option<String>,
    max_results: Option<i64>,
    next_token: Option<String>,
}

/// ListWebAuthnCredentials `{AccessToken, MaxResults, NextToken}` ->
/// `{Credentials, NextToken}`, oldest first. NextToken is the id of the
/// next passkey, base64url.
pub fn list_credentials(state: &mut State, request: ListRequest) -> ApiResult<Value> {
    let (owner, _) = signed_in(state, &request.access_token)?;
    let limit = match request.max_results {
        None => MAX_LIST_RESULTS as usize,
        Some(n) if (1..=i64::from(MAX_LIST_RESULTS)).contains(&n) => n as usize,
        Some(n) => {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy \
                 constraint: Member must have value between 1 and {MAX_LIST_RESULTS}"
            )))
        }
    };
    let pool_id = &state.pools[owner.pool].id;
    let sub = state.pools[owner.pool]
        .user(&owner.username)
        .expect("signed_in checked the user")
        .sub();
    let all: Vec<&StoredCredential> = state.passkeys.of_user(pool_id, sub).collect();
    let start = match &request.next_token {
        None => 0,
        Some(token) => all
            .iter()
            .position(|c| base64url(&c.id) == *token)
            .ok_or_else(|| ApiError::invalid_parameter("The pagination token is invalid."))?,
    };
    let page = all.iter().skip(start).take(limit);
    let credentials: Vec<Value> = page.map(|c| describe(c)).collect();
    let mut answer = json!({ "Credentials": credentials });
    if let Some(next) = all.get(start + limit) {
        answer["NextToken"] = json!(base64url(&next.id));
    }
    Ok(answer)
}

/// WebAuthnCredentialDescription.
fn describe(credential: &StoredCredential) -> Value {
    let mut description = json!({
        "CredentialId": base64url(&credential.id),
        "FriendlyCredentialName": credential.friendly_name,
        "RelyingPartyId": credential.relying_party_id,
        "AuthenticatorTransports": credential.transports,
        "CreatedAt": credential.created_at,
    });
    if let Some(attachment) = &credential.attachment {
        description["AuthenticatorAttachment"] = json!(attachment);
    }
    description
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteRequest {
    access_token: Option<String>,
    credential_id: Option<String>,
}

/// DeleteWebAuthnCredential `{AccessToken, CredentialId}` -> `{}`.
pub fn delete_credential(state: &mut State, request: DeleteRequest) -> ApiResult<Value> {
    let (owner, _) = signed_in(state, &request.access_token)?;
    let id = member(&request.credential_id, "credentialId")?;
    let pool_id = state.pools[owner.pool].id.clone();
    let sub = state.pools[owner.pool]
        .user(&owner.username)
        .expect("signed_in checked the user")
        .sub()
        .to_owned();
    let list = state.passkeys.credentials.entry(pool_id).or_default();
    let before = list.len();
    list.retain(|c| !(c.sub == sub && base64url(&c.id) == id));
    if list.len() == before {
        return Err(ApiError::new(
            "ResourceNotFoundException",
            "The passkey credential does not exist.",
        ));
    }
    Ok(json!({}))
}

// ---------------------------------------------------------------- sign-in

/// Whether WEB_AUTHN can be offered to the user `username` (None: a user
/// who does not exist, who is offered it too, so that the offer does not
/// tell who exists): the pool has a relying party and the user a passkey.
pub fn available(state: &State, pool: usize, username: Option<&str>) -> bool {
    let pool_ref = &state.pools[pool];
    if state.passkeys.rp_id(&pool_ref.id).is_none() {
        return false;
    }
    match username.and_then(|name| pool_ref.user(name)) {
        Some(user) => state
            .passkeys
            .of_user(&pool_ref.id, user.sub())
            .next()
            .is_some(),
        None => true,
    }
}

/// PublicKeyCredentialRequestOptionsJSON, in the service's member order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RequestOptions {
    hints: [&'static str; 0],
    attestation: &'static str,
    attestation_formats: [&'static str; 0],
    challenge: String,
    timeout: u64,
    rp_id: String,
    allow_credentials: Vec<AllowedCredential>,
    user_verification: &'static str,
}

#[derive(Serialize)]
struct AllowedCredential {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// The WEB_AUTHN challenge for USERNAME (`username` None: a user who does
/// not exist gets made-up credentials, the same for each attempt), with
/// CREDENTIAL_REQUEST_OPTIONS listing the user's passkeys.
pub fn challenge(
    state: &mut State,
    pool: usize,
    client: &Client,
    params: &Params,
    username: Option<&str>,
) -> ApiResult<AuthResponse> {
    if params.get("CREDENTIAL").is_some() {
        return Err(ApiError::invalid_parameter(
            "CREDENTIAL answers the WEB_AUTHN challenge, which has not been issued yet",
        ));
    }
    let login = params.required("USERNAME")?.to_owned();
    let pool_id = state.pools[pool].id.clone();
    let config = state
        .passkeys
        .config(&pool_id)
        .filter(|c| c.relying_party_id.is_some())
        .cloned()
        .ok_or_else(configuration_missing)?;
    let mut device_key = None;
    let allowed: Vec<Vec<u8>> = match username {
        Some(name) => {
            let user = enabled_and_confirmed(&state.pools[pool], name)?;
            let sub = user.sub().to_owned();
            device_key =
                named_device(state, pool, Some(name), params.get("DEVICE_KEY"))?.map(str::to_owned);
            state
                .passkeys
                .of_user(&pool_id, &sub)
                .map(|c| c.id.clone())
                .collect()
        }
        None => vec![decoy_credential_id(state, &pool_id, &login)],
    };
    let challenge = state.env.bytes(CHALLENGE_BYTES);
    let options = RequestOptions {
        hints: [],
        attestation: "none",
        attestation_formats: [],
        challenge: base64url(&challenge),
        timeout: GET_TIMEOUT_MS,
        rp_id: config.relying_party_id.clone().expect("filtered"),
        allow_credentials: allowed
            .iter()
            .map(|id| AllowedCredential {
                id: base64url(id),
                kind: "public-key",
            })
            .collect(),
        user_verification: config.user_verification(),
    };
    let session = state.env.token(OPAQUE_TOKEN_BYTES);
    let now = state.env.now();
    let stored = SignInChallenge {
        client_id: client.id.clone(),
        login,
        username: username.map(str::to_owned),
        challenge,
        device_key,
    };
    state
        .passkeys
        .sign_ins
        .insert_for(session.clone(), stored, now, client.auth_session_validity);
    let options = serde_json::to_string(&options).expect("options serialise");
    let parameters = BTreeMap::from([("CREDENTIAL_REQUEST_OPTIONS", options)]);
    Ok(AuthResponse::challenge("WEB_AUTHN", session, parameters))
}

/// A credential id for a user who does not exist: keyed by the login, so
/// that it repeats as a real user's would.
fn decoy_credential_id(state: &State, pool_id: &str, login: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(&state.decoy_key).expect("any key length");
    mac.update(b"passkey\0");
    mac.update(pool_id.as_bytes());
    mac.update(&[0]);
    mac.update(login.to_lowercase().as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// RespondToAuthChallenge WEB_AUTHN: `{USERNAME, CREDENTIAL}` with the
/// Session. The Session is single use: a refused assertion ends the
/// sign-in.
pub fn respond(state: &mut State, call: ChallengeCall<'_>) -> ApiResult<AuthResponse> {
    let given = Answer::parse(state, call)?;
    let credential = call.responses.required("CREDENTIAL")?;
    if credential.len() > MAX_CREDENTIAL_JSON_BYTES {
        return Err(ApiError::invalid_parameter(
            "CREDENTIAL is longer than 64 KiB",
        ));
    }
    let credential: Value = serde_json::from_str(credential).map_err(|_| {
        ApiError::invalid_parameter("CREDENTIAL is not an AuthenticationResponseJSON string")
    })?;
    let challenge = given.take(
        &mut state.passkeys.sign_ins,
        &state.pools[call.pool],
        call.client,
    )?;
    let assertion = Assertion::parse(&credential).map_err(sign_in_error)?;
    let username = challenge.username.ok_or_else(not_registered)?;
    let pool_id = state.pools[call.pool].id.clone();
    let config = state
        .passkeys
        .config(&pool_id)
        .filter(|c| c.relying_party_id.is_some())
        .cloned()
        .ok_or_else(configuration_missing)?;
    let user = enabled_and_confirmed(&state.pools[call.pool], &username)?;
    let sub = user.sub().to_owned();
    let stored = state
        .passkeys
        .of_user(&pool_id, &sub)
        .find(|c| c.id == assertion.credential_id)
        .ok_or_else(not_registered)?;
    if assertion
        .user_handle
        .as_ref()
        .is_some_and(|handle| handle != sub.as_bytes())
    {
        return Err(ApiError::not_authorized(
            "Passkey authentication failed: the user handle is not the user's",
        ));
    }
    let check = AssertionCheck {
        rp: RelyingParty {
            id: config.relying_party_id.as_deref().expect("filtered"),
            user_verification_required: config.user_verification_required,
        },
        challenge: &challenge.challenge,
        key: &stored.key,
        sign_count: stored.sign_count,
    };
    let count = verify_assertion(&assertion, &check).map_err(sign_in_error)?;
    let stored = state
        .passkeys
        .credentials
        .get_mut(&pool_id)
        .and_then(|list| list.iter_mut().find(|c| c.id == assertion.credential_id))
        .expect("found above");
    stored.sign_count = count;
    match challenge.device_key {
        Some(key) => Ok(device_challenge(state, call.client, &username, &key, true)),
        None => Ok(sign_in(state, call.pool, call.client, &username)),
    }
}
