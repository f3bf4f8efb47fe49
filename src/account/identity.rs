//! Identity pools in the account module: `AccountCalls.identityCredentials`,
//! which js/identity.js calls for a `CognitoAuth` with an `identityPoolId`,
//! runs `cognito_core::identity::CredentialsFetch` (GetId, then
//! GetCredentialsForIdentity) as an [`AccountOperation`], with the same
//! `drive` as every other call. Which identity and login to send, and when,
//! is js/identity.js's.

use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use super::{AccountCalls, AccountOperation, Reading, Stage};
use crate::glue::js::{Object, Promise};
use crate::glue::{set, Step};
use cognito_core::error::Result;
use cognito_core::identity::{AwsCredentials, CredentialsFetch, CredentialsStep, IdentityPool};
use cognito_core::protocol::HttpResponse;

/// A credentials fetch under way, and the identity pool it is for.
pub(super) struct Fetch {
    pool: IdentityPool,
    fetch: CredentialsFetch,
}

#[wasm_bindgen]
impl AccountCalls {
    // `identityCredentials(identityPoolId, endpoint, idToken, identityId,
    // options)`:
    // `endpoint` the identity-pool API's URL (null: the identity pool
    // region's AWS endpoint); `idToken` the signed-in user's (null: a
    // guest); `identityId` the identity kept from before (or null). Resolves
    // to `{ identityId, accessKeyId, secretAccessKey, sessionToken,
    // expiration }`, expiration in epoch milliseconds. A ValidationError
    // when identityPoolId or endpoint are unusable.
    #[wasm_bindgen(js_name = identityCredentials, skip_jsdoc)]
    pub fn identity_credentials(
        &self,
        identity_pool_id: JsValue,
        endpoint: JsValue,
        id_token: JsValue,
        identity_id: JsValue,
        options: JsValue,
    ) -> Promise {
        let pool = IdentityPool::new(
            &identity_pool_id.as_string().unwrap_or_default(),
            self.config.user_pool_id(),
            endpoint.as_string().as_deref(),
        );
        let call = pool.map(|pool| {
            let login = id_token.as_string().map(Zeroizing::new);
            let (fetch, request) = CredentialsFetch::start(&pool, login, identity_id.as_string());
            (request, Reading::Credentials(Fetch { pool, fetch }))
        });
        self.send(&options, call)
    }
}

impl AccountOperation {
    /// The next request of the fetch `sent`, or its credentials.
    pub(super) fn credentials(&mut self, sent: Fetch, response: &HttpResponse) -> Result<Step> {
        let Fetch { pool, fetch } = sent;
        Ok(match fetch.receive(&pool, response)? {
            CredentialsStep::Send(fetch, request) => {
                self.stage = Stage::Awaited(Reading::Credentials(Fetch { pool, fetch }));
                Step::Fetch(request)
            }
            CredentialsStep::Done(credentials) => Step::Done(credentials_to_js(&credentials)),
        })
    }
}

/// `{ identityId, accessKeyId, secretAccessKey, sessionToken, expiration }`
/// (Amplify's names; the expiration in epoch milliseconds, which
/// js/identity.js makes a `Date`).
fn credentials_to_js(credentials: &AwsCredentials) -> JsValue {
    let object = Object::new();
    let text = |key: &str, value: &str| set(&object, key, &JsValue::from_str(value));
    text("identityId", &credentials.identity_id);
    text("accessKeyId", &credentials.access_key_id);
    text("secretAccessKey", &credentials.secret_key);
    text("sessionToken", &credentials.session_token);
    set(
        &object,
        "expiration",
        &JsValue::from_f64(credentials.expiration_ms as f64),
    );
    object.into()
}
