//! Sign-in state kept between InitiateAuth and RespondToAuthChallenge: single
//! use and short-lived.

use std::collections::HashMap;

use cognito_srp::uint::Uint;

/// How long a PASSWORD_VERIFIER challenge can be answered.
pub const SRP_CHALLENGE_SECONDS: u64 = 300;
/// How long a NEW_PASSWORD_REQUIRED Session lasts.
pub const NEW_PASSWORD_SECONDS: u64 = 180;

/// Entries that expire `ttl` seconds (or their own lifetime) after they
/// were stored.
pub struct TtlStore<T> {
    ttl: u64,
    /// The value and when it expires.
    entries: HashMap<String, (u64, T)>,
}

impl<T> TtlStore<T> {
    pub fn new(ttl: u64) -> Self {
        TtlStore {
            ttl,
            entries: HashMap::new(),
        }
    }

    /// Stores `value` under `key` at time `now`, dropping expired entries.
    pub fn insert(&mut self, key: String, value: T, now: u64) {
        self.insert_for(key, value, now, self.ttl);
    }

    /// Stores `value` under `key` for `ttl` seconds from `now` (a sign-in
    /// Session, which lasts as long as the app client says).
    pub fn insert_for(&mut self, key: String, value: T, now: u64, ttl: u64) {
        self.entries.retain(|_, (expires, _)| now < *expires);
        self.entries.insert(key, (now + ttl, value));
    }

    /// The live entry under `key`.
    pub fn get(&self, key: &str, now: u64) -> Option<&T> {
        let (expires, value) = self.entries.get(key)?;
        (now < *expires).then_some(value)
    }

    /// The key of a live entry that `matches`.
    pub fn find_key(&self, now: u64, matches: impl Fn(&T) -> bool) -> Option<String> {
        self.entries
            .iter()
            .find(|(_, (stored, value))| now < stored + self.ttl && matches(value))
            .map(|(key, _)| key.clone())
    }

    /// Removes the entry under `key` and returns it if it was still live.
    pub fn take(&mut self, key: &str, now: u64) -> Option<T> {
        let (expires, value) = self.entries.remove(key)?;
        (now < expires).then_some(value)
    }
}

/// A PASSWORD_VERIFIER challenge, stored under its SECRET_BLOCK (base64).
pub struct SrpChallenge {
    pub client_id: String,
    /// The internal username; None for a made-up challenge (unknown user).
    pub username: Option<String>,
    pub user_id_for_srp: String,
    pub public_a: Uint,
    pub public_b: Uint,
    /// The server's secret exponent; `Uint` wipes itself when dropped.
    pub b: Uint,
    pub secret_block: Vec<u8>,
    pub session: String,
}

/// A NEW_PASSWORD_REQUIRED challenge, stored under its Session.
pub struct NewPasswordChallenge {
    pub client_id: String,
    pub username: String,
}

impl crate::ops::params::Issued for NewPasswordChallenge {
    fn client_id(&self) -> &str {
        &self.client_id
    }

    fn username(&self) -> &str {
        &self.username
    }
}

#[cfg(test)]
mod tests {
    use super::TtlStore;

    #[test]
    fn entries_expire_and_are_single_use() {
        let mut store = TtlStore::new(10);
        store.insert("a".into(), 1, 100);
        assert_eq!(store.get("a", 109), Some(&1));
        assert_eq!(store.get("a", 110), None);
        assert_eq!(store.take("a", 105), Some(1));
        assert_eq!(store.take("a", 105), None);
        store.insert("b".into(), 2, 100);
        store.insert("c".into(), 3, 200);
        assert_eq!(store.take("b", 100), None, "purged when c was stored");
        store.insert_for("d".into(), 4, 200, 2);
        assert_eq!(store.get("d", 201), Some(&4));
        assert_eq!(store.get("d", 202), None, "its own lifetime");
    }
}
