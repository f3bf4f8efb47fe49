//! The first request of a sign-in, for each auth flow.
//!
//! USER_AUTH (choice-based sign-in, Amplify v6's `authFlowType: 'USER_AUTH'`):
//!
//! ```text
//! InitiateAuth USER_AUTH [PREFERRED_CHALLENGE] ─► PASSWORD_VERIFIER (PASSWORD_SRP) ─► ...
//!                                              ├► EMAIL_OTP / SMS_OTP: a code step
//!                                              ├► tokens or MFA (PASSWORD, with the password)
//!                                              └► SELECT_CHALLENGE + AvailableChallenges
//!                                              └► WEB_AUTHN: the passkey ceremony (`passkey`)
//! SELECT_CHALLENGE ─ ANSWER=EMAIL_OTP|SMS_OTP ─────────────► the code step
//!                  ├ ANSWER=WEB_AUTHN ─────────────────────► the passkey ceremony
//!                  └ PASSWORD|PASSWORD_SRP: the password step (no request), then
//!                    ANSWER=PASSWORD + PASSWORD ─► tokens or MFA
//!                    ANSWER=PASSWORD_SRP + SRP_A ─► PASSWORD_VERIFIER ─► tokens or MFA
//! InitiateAuth USER_AUTH {USERNAME} + Session (ConfirmSignUp's) ─► tokens
//! ```

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec;

use zeroize::Zeroizing;

use super::challenge::check_factor;
use super::machine::{AwaitingAuthResult, AwaitingFirstFactor, AwaitingPasswordVerifier};
use super::wire::{initiate, srp_client};
use crate::device::DeviceSecrets;
use crate::error::{Error, Result};
use crate::protocol::{ClientConfig, ClientMetadata, HttpRequest};
use crate::text::quoted;

/// How the password is proven.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthFlow {
    /// SRP-6a: the password never leaves the client.
    UserSrp,
    /// The password is sent over TLS; the client must allow USER_PASSWORD_AUTH.
    UserPassword,
    /// CUSTOM_AUTH with the SRP password proof first (SRP_A, CHALLENGE_NAME=SRP_A).
    CustomWithSrp,
    /// CUSTOM_AUTH without a password: the custom challenges alone.
    CustomWithoutSrp,
    /// USER_AUTH: the user pool offers first factors to choose from.
    UserAuth,
}

impl AuthFlow {
    /// Amplify's name of a flow; `USER_SRP_AUTH` when absent.
    pub fn parse(name: Option<&str>) -> Result<Self> {
        match name {
            None | Some("USER_SRP_AUTH") => Ok(AuthFlow::UserSrp),
            Some("USER_PASSWORD_AUTH") => Ok(AuthFlow::UserPassword),
            Some("CUSTOM_WITH_SRP") => Ok(AuthFlow::CustomWithSrp),
            Some("CUSTOM_WITHOUT_SRP") => Ok(AuthFlow::CustomWithoutSrp),
            Some("USER_AUTH") => Ok(AuthFlow::UserAuth),
            Some(other) => Err(Error::Validation(
                [
                    "authFlowType ",
                    &quoted(other),
                    " is not supported by signIn; use 'USER_SRP_AUTH' (the default), 'USER_PASSWORD_AUTH', 'CUSTOM_WITH_SRP', 'CUSTOM_WITHOUT_SRP' or 'USER_AUTH'",
                ]
                .concat()
                .into(),
            )),
        }
    }

    /// The service's AuthFlow.
    fn name(self) -> &'static str {
        match self {
            AuthFlow::UserSrp => "USER_SRP_AUTH",
            AuthFlow::UserPassword => "USER_PASSWORD_AUTH",
            AuthFlow::CustomWithSrp | AuthFlow::CustomWithoutSrp => "CUSTOM_AUTH",
            AuthFlow::UserAuth => "USER_AUTH",
        }
    }
}

/// What `signIn` is given.
pub struct SignInInput {
    pub username: String,
    pub password: Zeroizing<String>,
    pub auth_flow: AuthFlow,
    /// USER_AUTH: the first factor to try first (`PASSWORD`, `PASSWORD_SRP`,
    /// `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`); absent, the service lets the
    /// user choose.
    pub preferred_challenge: Option<String>,
    /// USER_AUTH: the Session of ConfirmSignUp, which signs the user who
    /// just confirmed their sign-up in without a factor (autoSignIn).
    pub session: Option<String>,
    pub client_metadata: Option<ClientMetadata>,
    /// The device remembered for this user, if any: its DEVICE_KEY is sent.
    pub device: Option<DeviceSecrets>,
}

/// The first state: the first request is built and sent.
pub enum SignInStart {
    Srp(AwaitingPasswordVerifier),
    Password(AwaitingAuthResult),
    /// USER_AUTH: the answer may be PASSWORD_VERIFIER, a challenge, or tokens.
    UserAuth(Box<AwaitingFirstFactor>),
}

/// Builds the InitiateAuth request. `random_a` seeds the SRP secret `a`.
pub fn start(
    config: &ClientConfig,
    input: SignInInput,
    random_a: &[u8],
) -> Result<(SignInStart, HttpRequest)> {
    if input.username.is_empty() {
        return Err(Error::Validation(
            "username is empty; pass the user's name or alias".into(),
        ));
    }
    let flow = input.auth_flow;
    if flow == AuthFlow::UserAuth {
        return start_user_auth(config, input, random_a);
    }
    if input.password.is_empty() && flow != AuthFlow::CustomWithoutSrp {
        return Err(Error::Validation(
            "password is required and must not be empty (CUSTOM_WITHOUT_SRP signs in without one)"
                .into(),
        ));
    }
    let secret_hash = config.secret_hash(&input.username);
    let srp = match flow {
        AuthFlow::UserSrp | AuthFlow::CustomWithSrp => Some(srp_client(random_a)?),
        AuthFlow::UserPassword | AuthFlow::CustomWithoutSrp | AuthFlow::UserAuth => None,
    };
    let public_a = srp.as_ref().map(|srp| srp.public_a_hex());
    let mut parameters = vec![("USERNAME", input.username.as_str())];
    if let Some(hash) = &secret_hash {
        parameters.push(("SECRET_HASH", hash));
    }
    if let Some(public_a) = &public_a {
        parameters.push(("SRP_A", public_a));
    }
    match flow {
        AuthFlow::UserPassword => parameters.push(("PASSWORD", &input.password)),
        AuthFlow::CustomWithSrp => parameters.push(("CHALLENGE_NAME", "SRP_A")),
        _ => {}
    }
    let (request, without_device) = initiate(
        config,
        flow.name(),
        &input.username,
        parameters,
        None,
        input.client_metadata.as_ref(),
        input.device.as_ref(),
    );
    let device = input.device.map(Box::new);
    let state = match srp {
        Some(srp) => SignInStart::Srp(AwaitingPasswordVerifier {
            password: input.password,
            srp,
            client_metadata: input.client_metadata,
            device,
        }),
        None => SignInStart::Password(AwaitingAuthResult::naming_device(
            input.username,
            input.client_metadata,
            without_device,
            device,
        )),
    };
    Ok((state, request))
}

/// InitiateAuth USER_AUTH. PREFERRED_CHALLENGE PASSWORD sends the password,
/// PASSWORD_SRP sends SRP_A (from `random_a`).
fn start_user_auth(
    config: &ClientConfig,
    input: SignInInput,
    random_a: &[u8],
) -> Result<(SignInStart, HttpRequest)> {
    let preferred = input.preferred_challenge.as_deref();
    if let Some(name) = preferred {
        check_factor(name, "preferredChallenge")?;
    }
    let with_password = matches!(preferred, Some("PASSWORD" | "PASSWORD_SRP"));
    if with_password && input.password.is_empty() {
        return Err(Error::Validation(
            "password is required with preferredChallenge 'PASSWORD' or 'PASSWORD_SRP'".into(),
        ));
    }
    let srp = match preferred {
        Some("PASSWORD_SRP") => Some(srp_client(random_a)?),
        _ => None,
    };
    let public_a = srp.as_ref().map(|srp| srp.public_a_hex());
    let secret_hash = config.secret_hash(&input.username);
    let mut parameters = vec![("USERNAME", input.username.as_str())];
    if let Some(hash) = &secret_hash {
        parameters.push(("SECRET_HASH", hash));
    }
    if let Some(name) = preferred {
        parameters.push(("PREFERRED_CHALLENGE", name));
    }
    if preferred == Some("PASSWORD") {
        parameters.push(("PASSWORD", &input.password));
    }
    if let Some(public_a) = &public_a {
        parameters.push(("SRP_A", public_a));
    }
    let (request, without_device) = initiate(
        config,
        AuthFlow::UserAuth.name(),
        &input.username,
        parameters,
        input.session.as_deref(),
        input.client_metadata.as_ref(),
        input.device.as_ref(),
    );
    // With SRP the service checks the device with the password claim.
    let without_device = without_device.filter(|_| srp.is_none());
    let device = input.device.map(Box::new);
    let (verifier, next_device) = match srp {
        Some(srp) => {
            let verifier = AwaitingPasswordVerifier {
                password: input.password,
                srp,
                client_metadata: input.client_metadata.clone(),
                device,
            };
            (Some(verifier), None)
        }
        None => (None, device),
    };
    let next = AwaitingAuthResult::naming_device(
        input.username,
        input.client_metadata,
        without_device,
        next_device,
    );
    Ok((
        SignInStart::UserAuth(Box::new(AwaitingFirstFactor { verifier, next })),
        request,
    ))
}
