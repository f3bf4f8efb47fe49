//! The sign-in state machine. Each state is a type, and each step consumes
//! the state before it, so a stale SRP secret or session cannot be reused.
//!
//! ```text
//! start ─ USER_SRP_AUTH ──► AwaitingPasswordVerifier ─► AwaitingAuthResult ─► SignedIn
//!       └ USER_PASSWORD_AUTH ─────────────────────────►        ▲        └──► PendingChallenge
//!                                                              └──── answer ◄──┘
//! ```
//!
//! Steps build [`HttpRequest`]s and read [`HttpResponse`]s; randomness and the
//! clock come in as arguments.

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::json::Json;
use crate::protocol::{
    initiate_auth, respond_to_auth_challenge, AuthResponse, ClientConfig, ClientMetadata,
    HttpRequest, HttpResponse, StringMap,
};
use crate::srp::{format_timestamp, SrpClient, SrpIdentity, VerifierChallenge};
use crate::text::quoted;
use crate::tokens::Tokens;

/// How the password is proven.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthFlow {
    /// SRP-6a: the password never leaves the client.
    UserSrp,
    /// The password is sent over TLS; the client must allow USER_PASSWORD_AUTH.
    UserPassword,
}

impl AuthFlow {
    /// `USER_SRP_AUTH` (the default when absent) or `USER_PASSWORD_AUTH`.
    pub fn parse(name: Option<&str>) -> Result<Self> {
        match name {
            None | Some("USER_SRP_AUTH") => Ok(AuthFlow::UserSrp),
            Some("USER_PASSWORD_AUTH") => Ok(AuthFlow::UserPassword),
            Some(other) => Err(Error::Validation(
                [
                    "authFlow ",
                    &quoted(other),
                    " is not supported by signIn; use 'USER_SRP_AUTH' (the default) or 'USER_PASSWORD_AUTH'",
                ]
                .concat(),
            )),
        }
    }

    fn name(self) -> &'static str {
        match self {
            AuthFlow::UserSrp => "USER_SRP_AUTH",
            AuthFlow::UserPassword => "USER_PASSWORD_AUTH",
        }
    }
}

/// What `signIn` is given.
pub struct SignInInput {
    pub username: String,
    pub password: Zeroizing<String>,
    pub auth_flow: AuthFlow,
    pub client_metadata: Option<ClientMetadata>,
}

/// Amplify v6's `nextStep`, with what the app needs to render the step.
#[derive(Debug, PartialEq)]
pub enum NextStep {
    /// `DONE`: signed in.
    Done,
    /// `CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED`.
    NewPasswordRequired {
        /// Attributes the pool requires that the user does not have yet.
        missing_attributes: Vec<String>,
        /// The user's current attributes, as the service reports them.
        user_attributes: StringMap,
    },
}

/// ⌊now_ms / 1000⌋: whole seconds since the Unix epoch (`f64::floor` is std-only).
fn unix_seconds(now_ms: f64) -> i64 {
    let seconds = now_ms / 1000.0;
    let whole = seconds as i64;
    whole - i64::from((whole as f64) > seconds)
}

/// The first state: the first request is built and sent.
pub enum SignInStart {
    Srp(AwaitingPasswordVerifier),
    Password(AwaitingAuthResult),
}

/// Builds the InitiateAuth request. `random_a` seeds the SRP secret `a`
/// (128 random bytes, as the reference clients draw).
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
    if input.password.is_empty() {
        return Err(Error::Validation("password is empty".into()));
    }
    let secret_hash = config.secret_hash(&input.username);
    let srp = match input.auth_flow {
        AuthFlow::UserSrp => Some(Box::new(SrpClient::new(random_a)?)),
        AuthFlow::UserPassword => None,
    };
    let public_a = srp.as_ref().map(|srp| srp.public_a_hex());
    let mut auth_parameters = vec![("USERNAME", input.username.as_str())];
    auth_parameters.extend(secret_hash.as_deref().map(|hash| ("SECRET_HASH", hash)));
    match &public_a {
        Some(public_a) => auth_parameters.push(("SRP_A", public_a)),
        None => auth_parameters.push(("PASSWORD", &input.password)),
    }
    // The body holds the password for USER_PASSWORD_AUTH; it is wiped on drop.
    let request = config.request(
        "InitiateAuth",
        &initiate_auth(
            input.auth_flow.name(),
            config.client_id(),
            &auth_parameters,
            input.client_metadata.as_ref(),
        ),
    );
    let state = match srp {
        Some(srp) => SignInStart::Srp(AwaitingPasswordVerifier {
            password: input.password,
            srp,
            client_metadata: input.client_metadata,
        }),
        None => SignInStart::Password(AwaitingAuthResult {
            username: input.username,
            client_metadata: input.client_metadata,
        }),
    };
    Ok((state, request))
}

/// USER_SRP_AUTH was sent; the PASSWORD_VERIFIER challenge is awaited.
pub struct AwaitingPasswordVerifier {
    password: Zeroizing<String>,
    /// Boxed: the 3072-bit values would make every state as large as this one.
    srp: Box<SrpClient>,
    client_metadata: Option<ClientMetadata>,
}

impl AwaitingPasswordVerifier {
    /// Answers PASSWORD_VERIFIER with the password claim, signed at `now_ms`.
    pub fn receive(
        self,
        config: &ClientConfig,
        response: &HttpResponse,
        now_ms: f64,
    ) -> Result<(AwaitingAuthResult, HttpRequest)> {
        let answer = AuthResponse::from_response(response)?;
        if answer.challenge_name.as_deref() != Some("PASSWORD_VERIFIER") {
            return Err(Error::bad_response(
                [
                    "USER_SRP_AUTH was answered with ",
                    &quoted(answer.challenge_name.as_deref().unwrap_or("no challenge")),
                    " instead of the PASSWORD_VERIFIER challenge",
                ]
                .concat(),
            ));
        }
        let params = &answer.challenge_parameters;
        let param = |name: &str| {
            params.get(name).ok_or_else(|| {
                Error::bad_response(["the PASSWORD_VERIFIER challenge has no ", name].concat())
            })
        };
        // The user id the password was registered under, which differs from
        // the typed name for aliases and UUID usernames.
        let user_id = param("USER_ID_FOR_SRP")?;
        let secret_block = param("SECRET_BLOCK")?;
        let timestamp = format_timestamp(unix_seconds(now_ms));
        let signature = self.srp.password_claim(
            &SrpIdentity {
                pool_name: config.pool_name(),
                user_id,
                password: &self.password,
            },
            &VerifierChallenge {
                salt_hex: param("SALT")?,
                srp_b_hex: param("SRP_B")?,
                secret_block_b64: secret_block,
            },
            &timestamp,
        )?;
        let mut responses = StringMap::from([
            ("USERNAME".to_owned(), user_id.to_owned()),
            (
                "PASSWORD_CLAIM_SECRET_BLOCK".to_owned(),
                secret_block.to_owned(),
            ),
            ("TIMESTAMP".to_owned(), timestamp),
            ("PASSWORD_CLAIM_SIGNATURE".to_owned(), signature),
        ]);
        let next = AwaitingAuthResult {
            username: user_id.to_owned(),
            client_metadata: self.client_metadata,
        };
        if let Some(hash) = config.secret_hash(&next.username) {
            responses.insert("SECRET_HASH".to_owned(), hash);
        }
        let request = config.request(
            "RespondToAuthChallenge",
            &respond_to_auth_challenge(
                "PASSWORD_VERIFIER",
                config.client_id(),
                &responses,
                answer.session.as_deref(),
                next.client_metadata.as_ref(),
            ),
        );
        Ok((next, request))
    }
}

/// A request was sent that ends in tokens or in a further challenge.
pub struct AwaitingAuthResult {
    username: String,
    client_metadata: Option<ClientMetadata>,
}

/// Tokens, or a step the user must complete.
pub enum SignInOutcome {
    SignedIn(Tokens),
    Challenge(PendingChallenge),
}

impl AwaitingAuthResult {
    /// Reads the answer received at `now_ms`.
    pub fn receive(self, response: &HttpResponse, now_ms: f64) -> Result<SignInOutcome> {
        let answer = AuthResponse::from_response(response)?;
        if let Some(result) = answer.authentication_result {
            return Ok(SignInOutcome::SignedIn(Tokens::from_result(
                result, now_ms,
            )?));
        }
        let name = answer
            .challenge_name
            .ok_or_else(|| Error::bad_response("the answer has neither tokens nor a challenge"))?;
        let kind = match name.as_str() {
            "NEW_PASSWORD_REQUIRED" => ChallengeKind::NewPasswordRequired,
            other => {
                return Err(Error::Unsupported(
                    [
                        "the user pool asked for the ",
                        other,
                        " sign-in step, which this version of cognito-wasm cannot answer yet",
                    ]
                    .concat(),
                ))
            }
        };
        let session = answer.session.ok_or_else(|| {
            Error::bad_response(["the ", &name, " challenge has no Session"].concat())
        })?;
        let params = answer.challenge_parameters;
        let username = params
            .get("USER_ID_FOR_SRP")
            .or_else(|| params.get("USERNAME"))
            .map_or(self.username, str::to_owned);
        Ok(SignInOutcome::Challenge(PendingChallenge {
            kind,
            session,
            params,
            username,
            client_metadata: self.client_metadata,
        }))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ChallengeKind {
    NewPasswordRequired,
}

impl ChallengeKind {
    fn name(self) -> &'static str {
        match self {
            ChallengeKind::NewPasswordRequired => "NEW_PASSWORD_REQUIRED",
        }
    }
}

/// What `confirmSignIn` is given.
pub struct ChallengeAnswer {
    /// The new password, for NEW_PASSWORD_REQUIRED.
    pub response: Zeroizing<String>,
    /// Attributes to set, without the `userAttributes.` prefix.
    pub user_attributes: StringMap,
}

/// A challenge the user must answer through `confirmSignIn`.
pub struct PendingChallenge {
    kind: ChallengeKind,
    session: String,
    params: StringMap,
    username: String,
    client_metadata: Option<ClientMetadata>,
}

const ATTRIBUTE_PREFIX: &str = "userAttributes.";

impl PendingChallenge {
    /// The step to show the user.
    pub fn next_step(&self) -> NextStep {
        match self.kind {
            ChallengeKind::NewPasswordRequired => NextStep::NewPasswordRequired {
                missing_attributes: self.missing_attributes(),
                user_attributes: self
                    .params
                    .get("userAttributes")
                    .and_then(|text| Json::parse(text)?.as_string_map())
                    .map(StringMap::from_iter)
                    .unwrap_or_default(),
            },
        }
    }

    /// requiredAttributes, a JSON list such as `["userAttributes.name"]`.
    fn missing_attributes(&self) -> Vec<String> {
        let listed = self
            .params
            .get("requiredAttributes")
            .and_then(|text| Json::parse(text)?.as_string_list())
            .unwrap_or_default();
        listed
            .into_iter()
            .map(|name| {
                name.strip_prefix(ATTRIBUTE_PREFIX)
                    .map(str::to_owned)
                    .unwrap_or(name)
            })
            .collect()
    }

    /// Builds the RespondToAuthChallenge request, after [`Self::check`].
    pub fn answer(
        self,
        config: &ClientConfig,
        answer: ChallengeAnswer,
    ) -> Result<(AwaitingAuthResult, HttpRequest)> {
        self.check(&answer)?;
        let mut responses = StringMap::from([("USERNAME".to_owned(), self.username.clone())]);
        match self.kind {
            ChallengeKind::NewPasswordRequired => {
                responses.insert(
                    "NEW_PASSWORD".to_owned(),
                    answer.response.as_str().to_owned(),
                );
                for (name, value) in answer.user_attributes {
                    let name = name.strip_prefix(ATTRIBUTE_PREFIX).unwrap_or(&name);
                    responses.insert([ATTRIBUTE_PREFIX, name].concat(), value);
                }
            }
        }
        if let Some(hash) = config.secret_hash(&self.username) {
            responses.insert("SECRET_HASH".to_owned(), hash);
        }
        let request = config.request(
            "RespondToAuthChallenge",
            &respond_to_auth_challenge(
                self.kind.name(),
                config.client_id(),
                &responses,
                Some(&self.session),
                self.client_metadata.as_ref(),
            ),
        );
        Ok((
            AwaitingAuthResult {
                username: self.username,
                client_metadata: self.client_metadata,
            },
            request,
        ))
    }

    /// Refuses an answer the service would refuse: an empty response or a
    /// missing required attribute. Callers check first to keep the step
    /// for a retry, since [`Self::answer`] consumes it.
    pub fn check(&self, answer: &ChallengeAnswer) -> Result<()> {
        if answer.response.is_empty() {
            return Err(Error::Validation(
                "challengeResponse is empty; pass the new password".into(),
            ));
        }
        let given = |name: &String| {
            answer.user_attributes.iter().any(|(k, v)| {
                k.strip_prefix(ATTRIBUTE_PREFIX).unwrap_or(k) == name && !v.is_empty()
            })
        };
        let missing: Vec<String> = self
            .missing_attributes()
            .into_iter()
            .filter(|name| !given(name))
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(
                [
                    "the user pool requires the attribute(s) ",
                    &missing.join(", "),
                    "; pass them as confirmSignIn({ challengeResponse, userAttributes: { ",
                    &missing[0],
                    ": '...' } })",
                ]
                .concat(),
            ))
        }
    }
}
