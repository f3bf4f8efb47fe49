//! Everything the endpoint knows: the pools, the signing key, the clock and
//! randomness, and the sign-in state in flight. Shared behind one mutex.

use serde_json::Value;

use crate::challenges::{
    NewPasswordChallenge, SrpChallenge, TtlStore, NEW_PASSWORD_SECONDS, SRP_CHALLENGE_SECONDS,
};
use crate::env::Env;
use crate::error::{ApiError, ApiResult};
use crate::grants::Grants;
use crate::identity::IdentityState;
use crate::inbox::Inbox;
use crate::jwt::Signer;
use crate::ops::custom_auth::CustomChallenge;
use crate::ops::devices::{DeviceChallenge, DeviceProof};
use crate::ops::mfa::{MfaChallenge, MFA_SESSION_SECONDS};
use crate::ops::mfa_setup::MfaSetup;
use crate::ops::passkeys::{PasskeySeed, Passkeys};
use crate::ops::passwordless::Passwordless;
use crate::ops::user_auth::SelectChallenge;
use crate::pool::{Client, Pool};
use crate::seed::{Seed, SeedIamCredentials};
use crate::storage::Storage;

pub struct State {
    pub pools: Vec<Pool>,
    pub signer: Signer,
    /// Keys that signed before a rotation (`POST /keys/rotate`): still in
    /// the JWKS, and their tokens still verify, as after a service rotation.
    pub retired_signers: Vec<Signer>,
    /// `http://127.0.0.1:<port>`; a pool's token issuer is this plus `/<poolId>`.
    pub base_url: String,
    pub env: Env,
    /// Keys the made-up salts of unknown users, so they repeat per name.
    pub decoy_key: Vec<u8>,
    pub srp_challenges: TtlStore<SrpChallenge>,
    pub password_challenges: TtlStore<NewPasswordChallenge>,
    pub grants: Grants,
    /// The keys SigV4-signed requests may use.
    pub iam_credentials: Vec<SeedIamCredentials>,
    /// The codes "sent" by email and SMS.
    pub inbox: Inbox,
    /// The codes already used (pool, user, purpose, sent_at), so that each
    /// works once.
    pub used_codes: std::collections::HashSet<String>,
    /// MFA challenges (SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA,
    /// SELECT_MFA_TYPE) by Session.
    pub mfa_challenges: TtlStore<MfaChallenge>,
    /// CUSTOM_CHALLENGE rounds by Session.
    pub custom_challenges: TtlStore<CustomChallenge>,
    /// The Sessions of PASSWORD_VERIFIER challenges issued for CUSTOM_AUTH
    /// (SRP_A first), which lead on to CUSTOM_CHALLENGE.
    pub custom_srp_sessions: TtlStore<()>,
    /// USER_AUTH's SELECT_CHALLENGEs by Session.
    pub select_challenges: TtlStore<SelectChallenge>,
    /// What the API calls carried for the app's triggers and for threat
    /// protection, oldest first, for `GET /requests`.
    pub requests: RequestLog,
    /// DEVICE_SRP_AUTH challenges by Session.
    pub device_challenges: TtlStore<DeviceChallenge>,
    /// DEVICE_PASSWORD_VERIFIER challenges by SECRET_BLOCK (base64), with
    /// the device key they are for.
    pub device_srp_challenges: TtlStore<DeviceProof>,
    /// The Sessions of MFA challenges that follow a device's proof: their
    /// sign-in is on a known device (no NewDeviceMetadata).
    pub device_mfa_sessions: TtlStore<()>,
    /// The device named with a USER_AUTH sign-in code (EMAIL_OTP, SMS_OTP),
    /// by the code challenge's Session: the right code asks it to prove
    /// itself (DEVICE_SRP_AUTH).
    pub code_devices: TtlStore<String>,
    /// Managed login: sessions, authorization codes, federation.
    pub oauth: crate::oauth::OAuthState,
    /// Identity pools, their identities and the credentials they issued.
    pub identity: IdentityState,
    /// The storage service's buckets.
    pub storage: Storage,
    /// Passkey settings, registered passkeys and WEB_AUTHN challenges.
    pub passkeys: Passkeys,
    /// The pools' MFA policies and email MFA setups in flight.
    pub mfa_setup: MfaSetup,
    /// Users without a password and the sign-up Sessions.
    pub passwordless: Passwordless,
    /// The faults the seed asks for, with how often each was played.
    pub faults: crate::faults::Faults,
}

impl State {
    pub fn new(
        mut seed: Seed,
        signer: Signer,
        mut env: Env,
        base_url: String,
    ) -> Result<Self, String> {
        let passkey_seed = PasskeySeed::take(&mut seed);
        let mfa_setup = MfaSetup::from_seed(&seed)?;
        let faults = crate::faults::Faults::from_seed(&seed)?;
        let iam_credentials = seed.iam_credentials;
        let pools = seed
            .user_pools
            .into_iter()
            .map(|p| Pool::from_seed(p, &mut env))
            .collect::<Result<Vec<_>, _>>()?;
        check_unique_ids(&pools)?;
        let storage = Storage::from_seed(seed.buckets, env.now())?;
        let identity =
            IdentityState::from_seed(seed.identity_pools, &pools, &storage.bucket_names())?;
        let passkeys = Passkeys::new(passkey_seed, &pools, env.now())?;
        Ok(State {
            pools,
            signer,
            retired_signers: Vec::new(),
            base_url,
            decoy_key: env.bytes(32),
            env,
            srp_challenges: TtlStore::new(SRP_CHALLENGE_SECONDS),
            password_challenges: TtlStore::new(NEW_PASSWORD_SECONDS),
            grants: Grants::default(),
            iam_credentials,
            inbox: Inbox::default(),
            used_codes: Default::default(),
            mfa_challenges: TtlStore::new(MFA_SESSION_SECONDS),
            custom_challenges: TtlStore::new(MFA_SESSION_SECONDS),
            custom_srp_sessions: TtlStore::new(SRP_CHALLENGE_SECONDS),
            select_challenges: TtlStore::new(MFA_SESSION_SECONDS),
            requests: RequestLog::default(),
            device_challenges: TtlStore::new(SRP_CHALLENGE_SECONDS),
            device_srp_challenges: TtlStore::new(SRP_CHALLENGE_SECONDS),
            device_mfa_sessions: TtlStore::new(MFA_SESSION_SECONDS),
            code_devices: TtlStore::new(MFA_SESSION_SECONDS),
            oauth: Default::default(),
            identity,
            storage,
            passkeys,
            mfa_setup,
            passwordless: Passwordless::default(),
            faults,
        })
    }

    /// The pool (by index) with this id.
    pub fn pool(&self, pool_id: &str) -> ApiResult<usize> {
        self.pools
            .iter()
            .position(|p| p.id == pool_id)
            .ok_or_else(|| {
                ApiError::new(
                    "ResourceNotFoundException",
                    format!("User pool {pool_id} does not exist."),
                )
            })
    }

    /// The pool (by index) and a copy of the app client with this id.
    pub fn client(&self, client_id: &str) -> ApiResult<(usize, Client)> {
        self.pools
            .iter()
            .enumerate()
            .find_map(|(i, pool)| {
                let client = pool.clients.iter().find(|c| c.id == client_id)?;
                Some((i, client.clone()))
            })
            .ok_or_else(|| {
                ApiError::new(
                    "ResourceNotFoundException",
                    format!("User pool client {client_id} does not exist."),
                )
            })
    }

    pub fn issuer(&self, pool: usize) -> String {
        format!("{}/{}", self.base_url, self.pools[pool].id)
    }

    pub fn pool_by_issuer(&self, issuer: &str) -> Option<usize> {
        (0..self.pools.len()).find(|&i| self.issuer(i) == issuer)
    }

    /// The JWKS document of a pool, if it exists: the signing key first,
    /// then the retired ones.
    pub fn jwks(&self, pool_id: &str) -> Option<Value> {
        let keys = self.signers().map(Signer::jwk).collect::<Vec<_>>();
        self.pools
            .iter()
            .any(|p| p.id == pool_id)
            .then(|| serde_json::json!({ "keys": keys }))
    }

    fn signers(&self) -> impl Iterator<Item = &Signer> {
        std::iter::once(&self.signer).chain(self.retired_signers.iter().rev())
    }

    /// The claims of a token one of our keys (current or retired) signed.
    pub fn verify_token(&self, token: &str) -> Option<Value> {
        self.signers().find_map(|signer| signer.verify(token))
    }

    /// Signs with `signer` from now on; the old key stays published.
    pub fn rotate_signer(&mut self, signer: Signer) {
        let old = std::mem::replace(&mut self.signer, signer);
        self.retired_signers.push(old);
    }
}

/// The calls received, as `GET /requests` lists them: the operation and
/// its ClientId, ClientMetadata, UserContextData and AnalyticsMetadata
/// (never passwords or codes), so that tests can check what each call
/// carried. The oldest are dropped past [`RequestLog::CAPACITY`].
#[derive(Default)]
pub struct RequestLog {
    entries: std::collections::VecDeque<Value>,
}

impl RequestLog {
    pub const CAPACITY: usize = 2000;

    /// Records a call to `operation` with this JSON body.
    pub fn record(&mut self, operation: &str, body: &Value) {
        if self.entries.len() == Self::CAPACITY {
            self.entries.pop_front();
        }
        let member = |name: &str| body.get(name).cloned().unwrap_or(Value::Null);
        self.entries.push_back(serde_json::json!({
            "operation": operation,
            "clientId": member("ClientId"),
            "clientMetadata": member("ClientMetadata"),
            "userContextData": member("UserContextData"),
            "analyticsMetadata": member("AnalyticsMetadata"),
        }));
    }

    /// `{"requests": [...]}`, oldest first.
    pub fn to_json(&self) -> Value {
        serde_json::json!({ "requests": self.entries })
    }
}

fn check_unique_ids(pools: &[Pool]) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    let pool_ids = pools.iter().map(|p| &p.id);
    let client_ids = pools.iter().flat_map(|p| p.clients.iter().map(|c| &c.id));
    match pool_ids.chain(client_ids).find(|id| !seen.insert(*id)) {
        Some(id) => Err(format!("the id {id} is used twice in the seed")),
        None => Ok(()),
    }
}
