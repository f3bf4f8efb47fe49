//! The identity-pool API (`X-Amz-Target: AWSCognitoIdentityService.<Op>`,
//! unsigned, on `POST /` like the user-pool API): GetId,
//! GetCredentialsForIdentity and GetOpenIdToken.
//!
//! - [`config`]: identity pools from the seed, their providers and roles;
//! - [`logins`]: the checks of the id tokens in `Logins`;
//! - [`store`]: identities, linked logins and the temporary credentials,
//!   which the storage service ([`crate::storage`]) accepts.

pub mod config;
pub mod logins;
mod ops;
pub mod store;

pub use ops::call;

use crate::error::{ApiError, ApiResult};
use crate::pool::Pool;
use config::{IdentityPool, SeedIdentityPool};
use store::Identities;

pub const TARGET_PREFIX: &str = "AWSCognitoIdentityService.";

/// The identity pools and everything they have issued.
pub struct IdentityState {
    pub pools: Vec<IdentityPool>,
    pub identities: Identities,
}

impl IdentityState {
    /// The seeded identity pools, checked against the user pools and the
    /// names of the seeded buckets.
    pub fn from_seed(
        seeds: Vec<SeedIdentityPool>,
        user_pools: &[Pool],
        buckets: &[&str],
    ) -> Result<Self, String> {
        let pools = seeds
            .into_iter()
            .map(|seed| IdentityPool::from_seed(seed, user_pools, buckets))
            .collect::<Result<Vec<_>, _>>()?;
        for (i, pool) in pools.iter().enumerate() {
            if pools[..i].iter().any(|other| other.id == pool.id) {
                return Err(format!(
                    "the identity pool id {} is used twice in the seed",
                    pool.id
                ));
            }
        }
        Ok(IdentityState {
            pools,
            identities: Identities::default(),
        })
    }

    /// The identity pool (by index) with this id.
    pub fn pool(&self, id: &str) -> ApiResult<usize> {
        self.pools.iter().position(|p| p.id == id).ok_or_else(|| {
            ApiError::new(
                "ResourceNotFoundException",
                format!("IdentityPool '{id}' not found."),
            )
        })
    }
}
