//! Sign-in grants: each successful sign-in gets an `origin_jti` that its
//! refresh token and every access/id token made from it carry. Revoking the
//! grant revokes them all (RevokeToken, GlobalSignOut).

use std::collections::HashMap;

pub struct Grant {
    pub pool: usize,
    pub client_id: String,
    pub username: String,
    pub auth_time: u64,
    pub refresh_expires: u64,
    pub revoked: bool,
}

#[derive(Default)]
pub struct Grants {
    by_origin: HashMap<String, Grant>,
    origin_by_refresh_token: HashMap<String, String>,
}

impl Grants {
    pub fn add(&mut self, origin_jti: String, refresh_token: String, grant: Grant) {
        self.origin_by_refresh_token
            .insert(refresh_token, origin_jti.clone());
        self.by_origin.insert(origin_jti, grant);
    }

    /// The grant behind a refresh token, with its origin_jti.
    pub fn by_refresh_token(&self, token: &str) -> Option<(&str, &Grant)> {
        let origin = self.origin_by_refresh_token.get(token)?;
        Some((origin, &self.by_origin[origin]))
    }

    /// Replaces a refresh token by a new one under the same grant; the old
    /// one is unknown from then on (GetTokensFromRefreshToken).
    pub fn rotate(&mut self, old: &str, new: String) {
        if let Some(origin) = self.origin_by_refresh_token.remove(old) {
            self.origin_by_refresh_token.insert(new, origin);
        }
    }

    pub fn by_origin(&self, origin_jti: &str) -> Option<&Grant> {
        self.by_origin.get(origin_jti)
    }

    pub fn revoke(&mut self, origin_jti: &str) {
        if let Some(grant) = self.by_origin.get_mut(origin_jti) {
            grant.revoked = true;
        }
    }

    /// Revokes every grant of one user (GlobalSignOut).
    pub fn revoke_user(&mut self, pool: usize, username: &str) {
        self.by_origin
            .values_mut()
            .filter(|g| g.pool == pool && g.username == username)
            .for_each(|g| g.revoked = true);
    }
}
