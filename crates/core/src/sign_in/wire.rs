//! The requests the sign-in states send, and the reading of their answers.

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::vec::Vec;

use cognito_srp::srp::{SrpClient, SrpIdentity, VerifierChallenge};

use crate::device::DeviceSecrets;
use crate::error::{Error, Result};
use crate::protocol::{
    initiate_auth, respond_to_auth_challenge, unsupported_challenge, AuthResponse, ClientConfig,
    ClientMetadata, HttpRequest, HttpResponse, StringMap,
};
use crate::text::quoted;
use crate::timestamp::{format_timestamp, unix_seconds};

/// The client's half of an SRP exchange, from `random_a`; boxed: the
/// 3072-bit values would make every state that holds one as large.
pub(super) fn srp_client(random_a: &[u8]) -> Result<Box<SrpClient>> {
    Ok(Box::new(SrpClient::new(random_a)?))
}

/// InitiateAuth of `auth_flow` for `username` with `parameters` (and the
/// `session` of a confirmed sign-up), naming the remembered `device`
/// (DEVICE_KEY); and the same without it, for a retry when the service no
/// longer knows the device. The body holds the password for
/// USER_PASSWORD_AUTH; it is wiped on drop.
pub(super) fn initiate<'a>(
    config: &ClientConfig,
    auth_flow: &str,
    username: &str,
    mut parameters: Vec<(&'a str, &'a str)>,
    session: Option<&str>,
    client_metadata: Option<&ClientMetadata>,
    device: Option<&'a DeviceSecrets>,
) -> (HttpRequest, Option<Box<HttpRequest>>) {
    let send = |parameters: &[(&str, &str)]| {
        config.user_request(
            "InitiateAuth",
            initiate_auth(
                auth_flow,
                config.client_id(),
                parameters,
                session,
                client_metadata,
            ),
            username,
        )
    };
    let without_device = device.map(|_| Box::new(send(&parameters)));
    if let Some(device) = device {
        parameters.push(("DEVICE_KEY", &device.device_key));
    }
    (send(&parameters), without_device)
}

/// The RespondToAuthChallenge request answering `challenge` for `username`
/// with `responses`, which gain the SECRET_HASH here: every step sends it
/// (for the username the step answers as) when the client has a secret.
pub(super) fn respond(
    config: &ClientConfig,
    challenge: &str,
    mut responses: StringMap,
    session: Option<&str>,
    client_metadata: Option<&ClientMetadata>,
    username: &str,
) -> HttpRequest {
    if let Some(hash) = config.secret_hash(username) {
        responses.insert("SECRET_HASH", hash);
    }
    config.user_request(
        "RespondToAuthChallenge",
        respond_to_auth_challenge(
            challenge,
            config.client_id(),
            &responses,
            session,
            client_metadata,
        ),
        username,
    )
}

/// [`respond`] naming the remembered `device` (DEVICE_KEY), and the same
/// without it, for a retry (as [`initiate`]).
pub(super) fn respond_naming_device(
    config: &ClientConfig,
    challenge: &str,
    mut responses: StringMap,
    session: Option<&str>,
    client_metadata: Option<&ClientMetadata>,
    username: &str,
    device: Option<&DeviceSecrets>,
) -> (HttpRequest, Option<Box<HttpRequest>>) {
    let send = |responses| {
        respond(
            config,
            challenge,
            responses,
            session,
            client_metadata,
            username,
        )
    };
    let without_device = device.map(|_| Box::new(send(responses.clone())));
    if let Some(device) = device {
        responses.insert("DEVICE_KEY", device.device_key.clone());
    }
    (send(responses), without_device)
}

/// PASSWORD_CLAIM_SECRET_BLOCK, TIMESTAMP and PASSWORD_CLAIM_SIGNATURE (and
/// USERNAME) answering a PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER
/// challenge with `params`, for `identity`, signed at `now_ms`.
pub(super) fn password_claim(
    srp: Box<SrpClient>,
    identity: &SrpIdentity<'_>,
    challenge: &str,
    params: &StringMap,
    username: &str,
    now_ms: f64,
) -> Result<StringMap> {
    let param = |name: &str| {
        params.get(name).ok_or_else(|| {
            Error::bad_response(["the ", challenge, " challenge has no ", name].concat())
        })
    };
    let secret_block = param("SECRET_BLOCK")?;
    let timestamp = format_timestamp(unix_seconds(now_ms));
    let signature = srp.password_claim(
        identity,
        &VerifierChallenge {
            salt_hex: param("SALT")?,
            srp_b_hex: param("SRP_B")?,
            secret_block_b64: secret_block,
        },
        &timestamp,
    )?;
    Ok(StringMap::from([
        ("USERNAME", username.to_owned()),
        ("PASSWORD_CLAIM_SECRET_BLOCK", secret_block.to_owned()),
        ("TIMESTAMP", timestamp),
        ("PASSWORD_CLAIM_SIGNATURE", signature),
    ]))
}

/// The answer to `sent`, which must be the `expected` challenge; another
/// challenge that is not `known` is an UnsupportedChallengeError.
pub(super) fn expect_challenge(
    response: &HttpResponse,
    sent: &str,
    expected: &str,
    known: fn(&str) -> bool,
) -> Result<AuthResponse> {
    let answer = AuthResponse::from_response(response)?;
    match answer.challenge_name.as_deref() {
        Some(name) if name == expected => return Ok(answer),
        Some(name) if !known(name) => return Err(unsupported_challenge(name)),
        _ => {}
    }
    Err(Error::bad_response(
        [
            sent,
            " was answered with ",
            &quoted(answer.challenge_name.as_deref().unwrap_or("no challenge")),
            " instead of the ",
            expected,
            " challenge",
        ]
        .concat(),
    ))
}

/// Tells the person what to do when a code or the sign-in session expired:
/// the service's ExpiredCodeException and its NotAuthorizedException
/// "Invalid session for the user, session is expired.". There is no way to
/// have a sign-in code sent again but to sign in again.
pub(super) fn explain_expiry(error: Error) -> Error {
    let Error::Service(mut service) = error else {
        return error;
    };
    let hint = match service.name.as_str() {
        "ExpiredCodeException" => " The code has expired: call signIn again to get a new one.",
        "NotAuthorizedException" if service.message.ends_with("session is expired.") => {
            " This sign-in step timed out: call signIn again."
        }
        _ => "",
    };
    service.message.push_str(hint);
    Error::Service(service)
}
