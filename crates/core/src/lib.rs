//! cognito-core: the Amazon Cognito user-pool protocol, as plain Rust.
//!
//! Requests and answers are data ([`protocol::HttpRequest`],
//! [`protocol::HttpResponse`]); nothing here performs I/O, reads a clock or
//! draws randomness: those come in as arguments, so `cargo test` runs every
//! state machine natively with pinned values. The JS bindings (the
//! `cognito-wasm` crate) send the requests with `fetch` and hand the answers
//! back.
//!
//! The protocol, as the client drives it:
//!
//! | client call | wire (`X-Amz-Target: AWSCognitoIdentityProviderService.*`) | Cognito answers |
//! |---|---|---|
//! | `signIn` (SRP) | InitiateAuth USER_SRP_AUTH {USERNAME, SRP_A} | PASSWORD_VERIFIER {SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP} |
//! | | RespondToAuthChallenge PASSWORD_VERIFIER {PASSWORD_CLAIM_SIGNATURE, TIMESTAMP, ...} | tokens, or a challenge |
//! | `signIn` (password) | InitiateAuth USER_PASSWORD_AUTH {USERNAME, PASSWORD} | tokens, or a challenge |
//! | `signIn` (USER_AUTH) | InitiateAuth USER_AUTH {USERNAME, PREFERRED_CHALLENGE?} | SELECT_CHALLENGE, a first factor's challenge, or tokens |
//! | `confirmSignIn` | RespondToAuthChallenge {ChallengeName, ChallengeResponses, Session} | tokens, or the next challenge |
//! | (device) | RespondToAuthChallenge DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER | tokens |
//! | (new device) | ConfirmDevice {DeviceSecretVerifierConfig} | UserConfirmationNecessary |
//! | (MFA setup) | AssociateSoftwareToken, VerifySoftwareToken {Session} | SecretCode; Session |
//! | `fetchSession` | GetTokensFromRefreshToken, or InitiateAuth REFRESH_TOKEN_AUTH | new tokens |
//! | `signOut` | RevokeToken (or GlobalSignOut) | `{}` |
//! | `signIn` (passkey) | InitiateAuth USER_AUTH {PREFERRED_CHALLENGE: WEB_AUTHN}, then RespondToAuthChallenge WEB_AUTHN {CREDENTIAL} | WEB_AUTHN {CREDENTIAL_REQUEST_OPTIONS}; tokens |
//! | account calls | SignUp, ConfirmSignUp, ForgotPassword, GetUser, ... | Amplify v6's results |
//! | `fetchSession` (identity pool) | `AWSCognitoIdentityService.` GetId, GetCredentialsForIdentity | an identity, AWS credentials |
//! | passkeys | StartWebAuthnRegistration, CompleteWebAuthnRegistration, ListWebAuthnCredentials, DeleteWebAuthnCredential | Amplify v6's results |
//! | `signInWithRedirect` | (managed login) `GET /oauth2/authorize`, then `POST /oauth2/token` with the code and PKCE verifier | tokens |
//!
//! Modules, each depending only on those above it:
//!
//! - [`error`], [`text`], [`json`]: the error type, fmt-free text helpers, the JSON reader and writer;
//! - [`timestamp`]: SRP's TIMESTAMP;
//! - [`protocol`]: the app client's settings, requests, answers and service errors;
//! - [`tokens`]: the tokens a sign-in ends with, JWT claims;
//! - [`device`]: remembered devices' secrets, verifier and ConfirmDevice;
//! - [`sign_in`]: the sign-in state machine (typestate: each step consumes the last);
//! - [`session`]: refresh requests and what their answers mean;
//! - [`account`], [`mfa`], [`passkeys`]: the account calls and their results;
//! - [`identity`]: identity pools: GetId and GetCredentialsForIdentity, AWS credentials;
//! - [`oauth`]: managed login, the OAuth 2.0 code grant with PKCE.
//!
//! The SRP maths is the `cognito-srp` crate.

#![cfg_attr(not(test), no_std)]
#![cfg_attr(test, allow(clippy::disallowed_macros, clippy::disallowed_methods))]

extern crate alloc;

#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

pub mod account;
pub mod device;
pub mod error;
pub mod identity;
pub mod json;
pub mod mfa;
#[cfg(feature = "oauth")]
pub mod oauth;
pub mod passkeys;
pub mod protocol;
pub mod session;
pub mod sign_in;
#[cfg(test)]
mod test_support;
mod text;
pub mod timestamp;
pub mod tokens;

pub use error::{Error, Result};
