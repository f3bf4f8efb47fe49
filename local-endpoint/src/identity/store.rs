//! The identities the pools have handed out, the logins linked to them, and
//! the temporary credentials issued for them.

use std::collections::{BTreeMap, HashMap};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;

use super::config::RoleKind;
use super::logins::Login;
use crate::env::Env;

/// Identities the endpoint keeps at most (guests get a new one per GetId).
const MAX_IDENTITIES: usize = 100_000;
/// Credentials kept at most; the oldest are forgotten first.
const MAX_CREDENTIALS: usize = 10_000;
/// Expired credentials are remembered this long, so that a request signed
/// with them is told ExpiredToken rather than InvalidAccessKeyId.
const EXPIRED_KEPT_SECONDS: u64 = 3600;
/// Access key ids are `ASIA` and 16 of these (temporary credentials).
const KEY_ID_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

#[derive(Debug)]
pub struct Identity {
    /// The identity pool, by index.
    pub pool: usize,
    /// The linked logins, provider name -> sub; empty for a guest.
    pub logins: BTreeMap<String, String>,
    /// Set when this guest identity signed in with a login that another
    /// identity already had: the two merged into that one.
    pub merged_into: Option<String>,
}

/// Temporary credentials and what they stand for.
#[derive(Debug, Clone)]
pub struct IssuedCredentials {
    pub secret_key: String,
    pub session_token: String,
    /// Unix seconds.
    pub expires: u64,
    pub identity_id: String,
    pub pool: usize,
    pub role: RoleKind,
}

/// What [`Identities::issue`] hands out.
pub struct NewCredentials {
    pub access_key_id: String,
    pub secret_key: String,
    pub session_token: String,
    pub expires: u64,
}

#[derive(Default)]
pub struct Identities {
    by_id: HashMap<String, Identity>,
    /// (identity pool, login) -> identity id.
    by_login: HashMap<(usize, Login), String>,
    credentials: HashMap<String, IssuedCredentials>,
}

impl Identities {
    /// Whether no more identities can be created.
    pub fn is_full(&self) -> bool {
        self.by_id.len() >= MAX_IDENTITIES
    }

    /// The identity `id` stands for now: itself, or the one it merged into.
    pub fn current<'a>(&'a self, id: &'a str) -> Option<(&'a str, &'a Identity)> {
        let identity = self.by_id.get(id)?;
        match &identity.merged_into {
            Some(target) => self
                .by_id
                .get_key_value(target.as_str())
                .map(|(k, v)| (k.as_str(), v)),
            None => Some((id, identity)),
        }
    }

    /// The identity of identity pool `pool` that a login is linked to.
    pub fn owner(&self, pool: usize, login: &Login) -> Option<&str> {
        self.by_login
            .get(&(pool, login.clone()))
            .map(String::as_str)
    }

    /// A new identity `<region>:<uuid>` with these logins (none: a guest).
    pub fn create(&mut self, env: &mut Env, pool: usize, region: &str, logins: &[Login]) -> String {
        let id = format!("{region}:{}", env.uuid());
        self.by_id.insert(
            id.clone(),
            Identity {
                pool,
                logins: BTreeMap::new(),
                merged_into: None,
            },
        );
        self.link(&id, logins);
        id
    }

    /// Links `logins` to identity `id` (which makes a guest authenticated).
    pub fn link(&mut self, id: &str, logins: &[Login]) {
        let Some(identity) = self.by_id.get_mut(id) else {
            return;
        };
        for login in logins {
            identity
                .logins
                .insert(login.provider.clone(), login.sub.clone());
            self.by_login
                .insert((identity.pool, login.clone()), id.to_owned());
        }
    }

    /// Folds guest identity `guest` into `target`.
    pub fn merge(&mut self, guest: &str, target: &str) {
        if let Some(identity) = self.by_id.get_mut(guest) {
            identity.merged_into = Some(target.to_owned());
        }
    }

    /// New credentials for `identity_id` in `role`, valid `seconds` from now.
    pub fn issue(
        &mut self,
        env: &mut Env,
        (identity_id, pool, role): (&str, usize, RoleKind),
        seconds: u64,
    ) -> NewCredentials {
        let now = env.now();
        self.credentials
            .retain(|_, c| c.expires + EXPIRED_KEPT_SECONDS > now);
        if self.credentials.len() >= MAX_CREDENTIALS {
            let oldest = self
                .credentials
                .iter()
                .min_by_key(|(_, c)| c.expires)
                .map(|(key, _)| key.clone());
            if let Some(oldest) = oldest {
                self.credentials.remove(&oldest);
            }
        }
        let access_key_id: String = "ASIA"
            .chars()
            .chain(
                env.bytes(16)
                    .iter()
                    .map(|b| char::from(KEY_ID_ALPHABET[usize::from(b % 32)])),
            )
            .collect();
        let issued = IssuedCredentials {
            secret_key: BASE64.encode(env.bytes(30)),
            session_token: BASE64.encode(env.bytes(96)),
            expires: now + seconds,
            identity_id: identity_id.to_owned(),
            pool,
            role,
        };
        let answer = NewCredentials {
            access_key_id: access_key_id.clone(),
            secret_key: issued.secret_key.clone(),
            session_token: issued.session_token.clone(),
            expires: issued.expires,
        };
        self.credentials.insert(access_key_id, issued);
        answer
    }

    /// The credentials with this access key id, expired or not.
    pub fn credentials(&self, access_key_id: &str) -> Option<&IssuedCredentials> {
        self.credentials.get(access_key_id)
    }
}
