//! WEB_AUTHN, USER_AUTH's passkey first factor (the service's API reference;
//! Amplify v6 `client/flows/userAuth/handleWebAuthnSignInResult.ts`):
//!
//! ```text
//! InitiateAuth USER_AUTH {PREFERRED_CHALLENGE: WEB_AUTHN}  ─┐
//! RespondToAuthChallenge SELECT_CHALLENGE {ANSWER: WEB_AUTHN} ┴► WEB_AUTHN {CREDENTIAL_REQUEST_OPTIONS}
//!   ─ the ceremony: navigator.credentials.get (the JS driver runs it) ─►
//! RespondToAuthChallenge WEB_AUTHN {USERNAME, CREDENTIAL} ─► tokens, or DEVICE_SRP_AUTH
//! ```
//!
//! CREDENTIAL_REQUEST_OPTIONS is a JSON string, the
//! PublicKeyCredentialRequestOptionsJSON of WebAuthn Level 3 (base64url
//! binary fields); CREDENTIAL is the AuthenticationResponseJSON the
//! ceremony gives, as a JSON string. The remembered device is named with
//! the request that asked for the passkey, not with the credential (as
//! Amplify), and proves itself after it.

use alloc::boxed::Box;
use alloc::string::String;

use super::machine::AwaitingAuthResult;
use super::wire::respond;
use crate::device::DeviceSecrets;
use crate::error::{Error, Result};
use crate::json::Json;
use crate::protocol::{ClientConfig, ClientMetadata, HttpRequest, StringMap};

/// The WEB_AUTHN challenge, waiting for the ceremony's credential. Kept
/// when the ceremony fails (the prompt was cancelled), so that it can run
/// again: nothing was sent, and the Session still holds.
pub struct PasskeyChallenge {
    session: String,
    /// CREDENTIAL_REQUEST_OPTIONS, checked to be a JSON object.
    request_options: String,
    username: String,
    client_metadata: Option<ClientMetadata>,
    device: Option<Box<DeviceSecrets>>,
}

impl PasskeyChallenge {
    /// The WEB_AUTHN challenge with these `params` and `session`, for
    /// `username` (the challenge's).
    pub(super) fn received(
        params: &StringMap,
        session: String,
        username: String,
        client_metadata: Option<ClientMetadata>,
        device: Option<Box<DeviceSecrets>>,
    ) -> Result<Self> {
        let request_options = params
            .get("CREDENTIAL_REQUEST_OPTIONS")
            .filter(|text| matches!(Json::parse(text), Some(Json::Object(_))))
            .ok_or_else(|| {
                Error::bad_response(
                    "the WEB_AUTHN challenge has no CREDENTIAL_REQUEST_OPTIONS object",
                )
            })?;
        Ok(PasskeyChallenge {
            session,
            request_options: request_options.into(),
            username,
            client_metadata,
            device,
        })
    }

    /// CREDENTIAL_REQUEST_OPTIONS, for `navigator.credentials.get`.
    pub fn request_options(&self) -> &str {
        &self.request_options
    }

    /// RespondToAuthChallenge WEB_AUTHN {USERNAME, CREDENTIAL (+
    /// SECRET_HASH)}, `credential` being the ceremony's
    /// AuthenticationResponseJSON text.
    pub fn answer(
        self,
        config: &ClientConfig,
        credential: &str,
    ) -> Result<(AwaitingAuthResult, HttpRequest)> {
        if credential.is_empty() {
            return Err(Error::Validation(
                "the passkey ceremony gave no credential".into(),
            ));
        }
        let responses = StringMap::from([
            ("USERNAME", self.username.clone()),
            ("CREDENTIAL", credential.into()),
        ]);
        let request = respond(
            config,
            "WEB_AUTHN",
            responses,
            Some(&self.session),
            self.client_metadata.as_ref(),
            &self.username,
        );
        let next = AwaitingAuthResult::naming_device(
            self.username,
            self.client_metadata,
            None,
            self.device,
        );
        Ok((next, request))
    }
}
