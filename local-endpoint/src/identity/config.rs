//! Identity pools as the seed describes them, checked at start-up: the user
//! pools and app clients they trust, guest access, and what each role may do
//! in the storage service's buckets.

use serde::Deserialize;

use crate::pool::Pool;

/// The service's credentials last an hour.
const DEFAULT_CREDENTIALS_SECONDS: u64 = 3600;
/// The longest an IAM role session may last.
const MAX_CREDENTIALS_SECONDS: u64 = 12 * 3600;
/// The policy variable a role's key prefix may use: the caller's identity id.
pub const IDENTITY_VARIABLE: &str = "${cognito-identity.amazonaws.com:sub}";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedIdentityPool {
    /// `<region>:<uuid>`, e.g. `us-east-1:0b7a1c62-5d3e-4f7a-9c1e-2a4b6c8d0e1f`.
    pub id: String,
    pub name: String,
    /// Guests (no Logins) get an identity and the unauthenticated role.
    #[serde(default)]
    pub allow_unauthenticated_identities: bool,
    #[serde(default)]
    pub cognito_identity_providers: Vec<SeedProvider>,
    #[serde(default)]
    pub roles: SeedRoles,
    /// How long issued credentials last; default 3600, as the service.
    pub credentials_validity_seconds: Option<u64>,
}

/// A user pool app client whose id tokens the identity pool accepts.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedProvider {
    /// `cognito-idp.<region>.amazonaws.com/<userPoolId>`.
    pub provider_name: String,
    pub client_id: String,
}

/// The identity pool's roles; a kind without one gets no credentials.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedRoles {
    pub authenticated: Option<SeedRole>,
    pub unauthenticated: Option<SeedRole>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedRole {
    /// The ARN a CustomRoleArn must name; default
    /// `arn:aws:iam::000000000000:role/cognito-local-<kind>`.
    pub role_arn: Option<String>,
    /// What the role may do; nothing else is allowed.
    #[serde(default)]
    pub allow: Vec<SeedGrant>,
}

/// `actions` (`read`: GetObject/HeadObject, `write`: PutObject/DeleteObject)
/// on the keys of `bucket` that start with `prefix`, which may contain
/// `${cognito-identity.amazonaws.com:sub}` (the caller's identity id).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedGrant {
    pub bucket: String,
    #[serde(default)]
    pub prefix: String,
    pub actions: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleKind {
    Authenticated,
    Unauthenticated,
}

impl RoleKind {
    pub fn name(self) -> &'static str {
        match self {
            RoleKind::Authenticated => "authenticated",
            RoleKind::Unauthenticated => "unauthenticated",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Write,
}

#[derive(Debug)]
pub struct Grant {
    bucket: String,
    prefix: String,
    read: bool,
    write: bool,
}

#[derive(Debug)]
pub struct Role {
    pub arn: String,
    grants: Vec<Grant>,
}

impl Role {
    /// Whether the role lets `identity_id` do `action` on `bucket`/`key`.
    pub fn allows(&self, bucket: &str, key: &str, action: Action, identity_id: &str) -> bool {
        self.grants.iter().any(|grant| {
            let allowed = match action {
                Action::Read => grant.read,
                Action::Write => grant.write,
            };
            allowed
                && grant.bucket == bucket
                && key.starts_with(&grant.prefix.replace(IDENTITY_VARIABLE, identity_id))
        })
    }
}

/// One app client of one user pool.
#[derive(Debug)]
pub struct Provider {
    /// `cognito-idp.<region>.amazonaws.com/<userPoolId>`, the Logins key.
    pub name: String,
    /// The user pool, by index in [`crate::state::State::pools`].
    pub user_pool: usize,
    pub client_id: String,
}

#[derive(Debug)]
pub struct IdentityPool {
    pub id: String,
    pub name: String,
    /// The part of the id before `:`; identity ids start with it.
    pub region: String,
    pub allow_unauthenticated: bool,
    pub providers: Vec<Provider>,
    pub authenticated: Option<Role>,
    pub unauthenticated: Option<Role>,
    pub credentials_validity: u64,
}

impl IdentityPool {
    pub fn role(&self, kind: RoleKind) -> Option<&Role> {
        match kind {
            RoleKind::Authenticated => self.authenticated.as_ref(),
            RoleKind::Unauthenticated => self.unauthenticated.as_ref(),
        }
    }

    /// Checks a seeded identity pool against the user pools and the
    /// buckets it names.
    pub fn from_seed(
        seed: SeedIdentityPool,
        user_pools: &[Pool],
        buckets: &[&str],
    ) -> Result<Self, String> {
        let id = seed.id;
        let context = |e: String| format!("identity pool {id}: {e}");
        let region = identity_pool_region(&id).map_err(context)?.to_owned();
        if seed.name.is_empty() || seed.name.len() > 128 {
            return Err(context("name must be 1 to 128 characters".into()));
        }
        let credentials_validity = seed
            .credentials_validity_seconds
            .unwrap_or(DEFAULT_CREDENTIALS_SECONDS);
        if !(1..=MAX_CREDENTIALS_SECONDS).contains(&credentials_validity) {
            return Err(context(format!(
                "credentialsValiditySeconds must be 1 to {MAX_CREDENTIALS_SECONDS}"
            )));
        }
        let providers = seed
            .cognito_identity_providers
            .into_iter()
            .map(|p| provider(p, user_pools))
            .collect::<Result<Vec<_>, _>>()
            .map_err(context)?;
        let role = |seed: Option<SeedRole>, kind: RoleKind| {
            seed.map(|r| role_from_seed(r, kind, buckets))
                .transpose()
                .map_err(|e| context(format!("{} role: {e}", kind.name())))
        };
        Ok(IdentityPool {
            authenticated: role(seed.roles.authenticated, RoleKind::Authenticated)?,
            unauthenticated: role(seed.roles.unauthenticated, RoleKind::Unauthenticated)?,
            name: seed.name,
            region,
            allow_unauthenticated: seed.allow_unauthenticated_identities,
            providers,
            credentials_validity,
            id,
        })
    }
}

/// The region of `<region>:<uuid>`.
fn identity_pool_region(id: &str) -> Result<&str, String> {
    let malformed = || format!("the id {id:?} is not <region>:<lower-case uuid>");
    let (region, guid) = id.split_once(':').ok_or_else(malformed)?;
    let is_guid = uuid::Uuid::parse_str(guid).is_ok_and(|u| u.hyphenated().to_string() == guid);
    if is_region(region) && is_guid {
        Ok(region)
    } else {
        Err(malformed())
    }
}

/// `us-east-1`, `eu-central-1`, `us-gov-west-1`: lower-case words and a number.
pub fn is_region(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].parse::<u8>().is_ok()
}

fn provider(seed: SeedProvider, user_pools: &[Pool]) -> Result<Provider, String> {
    let pool_id = seed
        .provider_name
        .strip_prefix("cognito-idp.")
        .and_then(|rest| rest.split_once(".amazonaws.com/"))
        .filter(|(region, pool_id)| pool_id.split_once('_').is_some_and(|(r, _)| r == *region))
        .map(|(_, pool_id)| pool_id)
        .ok_or_else(|| {
            format!(
                "provider {:?} is not cognito-idp.<region>.amazonaws.com/<userPoolId>",
                seed.provider_name
            )
        })?;
    let user_pool = user_pools
        .iter()
        .position(|p| p.id == pool_id)
        .ok_or_else(|| {
            format!(
                "provider {}: no user pool {pool_id} in the seed",
                seed.provider_name
            )
        })?;
    if !user_pools[user_pool]
        .clients
        .iter()
        .any(|c| c.id == seed.client_id)
    {
        return Err(format!(
            "provider {}: the user pool has no client {}",
            seed.provider_name, seed.client_id
        ));
    }
    Ok(Provider {
        name: seed.provider_name,
        user_pool,
        client_id: seed.client_id,
    })
}

fn role_from_seed(seed: SeedRole, kind: RoleKind, buckets: &[&str]) -> Result<Role, String> {
    let arn = seed.role_arn.unwrap_or_else(|| {
        format!(
            "arn:aws:iam::000000000000:role/cognito-local-{}",
            kind.name()
        )
    });
    if !arn.starts_with("arn:aws:iam::") || !arn.contains(":role/") {
        return Err(format!("{arn:?} is not an IAM role ARN"));
    }
    let grants = seed
        .allow
        .into_iter()
        .map(|grant| {
            if !buckets.contains(&grant.bucket.as_str()) {
                return Err(format!("no bucket {} in the seed", grant.bucket));
            }
            if grant.prefix.replace(IDENTITY_VARIABLE, "").contains("${") {
                return Err(format!(
                    "prefix {:?}: the only variable is {IDENTITY_VARIABLE}",
                    grant.prefix
                ));
            }
            let mut read = false;
            let mut write = false;
            for action in &grant.actions {
                match action.as_str() {
                    "read" => read = true,
                    "write" => write = true,
                    other => return Err(format!("action {other:?} is not read or write")),
                }
            }
            if !(read || write) {
                return Err(format!("the grant on {} has no actions", grant.bucket));
            }
            Ok(Grant {
                bucket: grant.bucket,
                prefix: grant.prefix,
                read,
                write,
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Role { arn, grants })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_pool_ids_are_region_colon_uuid() {
        assert_eq!(
            identity_pool_region("us-east-1:0b7a1c62-5d3e-4f7a-9c1e-2a4b6c8d0e1f"),
            Ok("us-east-1")
        );
        for bad in [
            "us-east-1",
            "us-east-1:not-a-uuid",
            "us-east-1:0B7A1C62-5D3E-4F7A-9C1E-2A4B6C8D0E1F",
            "useast1:0b7a1c62-5d3e-4f7a-9c1e-2a4b6c8d0e1f",
            "us-east-1_0b7a1c62-5d3e-4f7a-9c1e-2a4b6c8d0e1f",
        ] {
            assert!(identity_pool_region(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_grant_prefix_names_the_callers_identity() {
        let role = role_from_seed(
            SeedRole {
                role_arn: None,
                allow: vec![SeedGrant {
                    bucket: "b".into(),
                    prefix: format!("private/{IDENTITY_VARIABLE}/"),
                    actions: vec!["read".into()],
                }],
            },
            RoleKind::Authenticated,
            &["b"],
        )
        .unwrap();
        assert!(role.allows(
            "b",
            "private/us-east-1:me/file",
            Action::Read,
            "us-east-1:me"
        ));
        assert!(!role.allows(
            "b",
            "private/us-east-1:me/file",
            Action::Write,
            "us-east-1:me"
        ));
        assert!(!role.allows(
            "b",
            "private/us-east-1:you/file",
            Action::Read,
            "us-east-1:me"
        ));
        assert!(!role.allows(
            "c",
            "private/us-east-1:me/file",
            Action::Read,
            "us-east-1:me"
        ));
        assert_eq!(
            role.arn,
            "arn:aws:iam::000000000000:role/cognito-local-authenticated"
        );
    }
}
