//! Each challenge the service names: what the app is shown of it
//! ([`NextStep`]), what it must answer, and what the answer sends.
//!
//! Adding a challenge: a line in `service_challenges!` below, its
//! [`NextStep`] (Amplify v6's name and what the step carries) in
//! [`PendingChallenge::next_step`], its answer in [`PendingChallenge::reply`]
//! (and [`PendingChallenge::check`] if an answer can be refused before
//! sending); then the bindings' shaping of the step for JS, the TypeScript
//! types, the README's table and the tests (docs/architecture.md).

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use zeroize::Zeroizing;

use crate::device::DeviceSecrets;
use crate::error::{Error, Result};
use crate::json::Json;
use crate::protocol::{amplify_mfa_type, service_mfa_type, ClientMetadata, StringMap};
use crate::text::quoted;
use crate::tokens::Tokens;

/// Defines [`ServiceChallenge`], the challenges the service names, with its names,
/// from one list: a name cannot be missing from the match that reads it.
macro_rules! service_challenges {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// A challenge the service names (its ChallengeName).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(super) enum ServiceChallenge {
            $($(#[$doc])* $variant,)*
        }

        impl ServiceChallenge {
            /// The challenge called `name`, if this client can answer it.
            pub(super) fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($name => Some(ServiceChallenge::$variant),)*
                    _ => None,
                }
            }

            /// Its ChallengeName.
            pub(super) fn name(self) -> &'static str {
                match self {
                    $(ServiceChallenge::$variant => $name,)*
                }
            }
        }
    };
}

service_challenges! {
    NewPasswordRequired = "NEW_PASSWORD_REQUIRED",
    SmsMfa = "SMS_MFA",
    /// An MFA, and also one of USER_AUTH's first factors.
    EmailOtp = "EMAIL_OTP",
    SoftwareTokenMfa = "SOFTWARE_TOKEN_MFA",
    SelectMfaType = "SELECT_MFA_TYPE",
    Custom = "CUSTOM_CHALLENGE",
    /// Set up a second factor: what MFAS_CAN_SETUP offers decides the step
    /// ([`Kind::received`]).
    MfaSetup = "MFA_SETUP",
    /// USER_AUTH: a first factor is chosen.
    SelectChallenge = "SELECT_CHALLENGE",
    /// USER_AUTH's SMS_OTP first factor.
    SmsOtp = "SMS_OTP",
}

/// What a pending step answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// The service's challenge, answered as itself.
    Challenge(ServiceChallenge),
    /// PASSWORD was chosen at SELECT_CHALLENGE: answered with the password.
    Password,
    /// PASSWORD_SRP was chosen at SELECT_CHALLENGE: answered with SRP_A, then
    /// the password claim.
    PasswordSrp,
    /// MFA_SETUP of an authenticator app: answered once AssociateSoftwareToken
    /// gave the secret (`machine`), with a code of it.
    TotpSetup,
    /// MFA_SETUP of email codes: answered with the address (EMAIL), which
    /// the service then sends a code to (EMAIL_OTP).
    EmailSetup,
}

impl Kind {
    /// The kind of a challenge the service asked, with its `params`: MFA_SETUP
    /// of email alone is [`Kind::EmailSetup`], of email or an authenticator
    /// app a choice ([`ServiceChallenge::MfaSetup`]: Amplify's
    /// CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION), else [`Kind::TotpSetup`],
    /// as Amplify v6 decides (`signInHelpers.getSignInResult`).
    pub(super) fn received(challenge: ServiceChallenge, params: &StringMap) -> Kind {
        if challenge != ServiceChallenge::MfaSetup {
            return Kind::Challenge(challenge);
        }
        let offered = mfa_setup_types(params);
        match (
            offered.iter().any(|t| t == "TOTP"),
            offered.iter().any(|t| t == "EMAIL"),
        ) {
            (true, true) => Kind::Challenge(challenge),
            (false, true) => Kind::EmailSetup,
            _ => Kind::TotpSetup,
        }
    }

    /// The ChallengeName the answer is sent as.
    pub(super) fn name(self) -> &'static str {
        match self {
            Kind::Challenge(challenge) => challenge.name(),
            Kind::Password | Kind::PasswordSrp => ServiceChallenge::SelectChallenge.name(),
            Kind::TotpSetup | Kind::EmailSetup => ServiceChallenge::MfaSetup.name(),
        }
    }

    /// USER_AUTH's first factors (EMAIL_OTP is also an MFA), whose answers
    /// name the remembered device.
    pub(super) fn is_first_factor(self) -> bool {
        matches!(
            self,
            Kind::Challenge(
                ServiceChallenge::SelectChallenge
                    | ServiceChallenge::EmailOtp
                    | ServiceChallenge::SmsOtp
            ) | Kind::Password
                | Kind::PasswordSrp
        )
    }

    /// The ChallengeResponses field of a code, for the code challenges.
    fn code_field(self) -> Option<&'static str> {
        match self {
            Kind::Challenge(ServiceChallenge::SmsMfa) => Some("SMS_MFA_CODE"),
            Kind::Challenge(ServiceChallenge::EmailOtp) => Some("EMAIL_OTP_CODE"),
            Kind::Challenge(ServiceChallenge::SoftwareTokenMfa) => Some("SOFTWARE_TOKEN_MFA_CODE"),
            Kind::Challenge(ServiceChallenge::SmsOtp) => Some("SMS_OTP_CODE"),
            _ => None,
        }
    }

    /// Whether a refused answer (CodeMismatchException) leaves the step to
    /// answer again with the same Session.
    pub(super) fn can_retry(self) -> bool {
        self.code_field().is_some() || matches!(self, Kind::TotpSetup | Kind::EmailSetup)
    }
}

/// The parameter `name` of `params`, a JSON list of strings; empty when absent.
fn list_param(params: &StringMap, name: &str) -> Vec<String> {
    params
        .get(name)
        .and_then(|text| Json::parse(text)?.as_string_list())
        .unwrap_or_default()
}

/// MFAS_CAN_SETUP (a JSON list of challenge names) by Amplify's names, the
/// ones a sign-in can set up: `TOTP` and `EMAIL` (SMS_MFA is set up on the
/// account, not during a sign-in).
fn mfa_setup_types(params: &StringMap) -> Vec<String> {
    let mut types = list_param(params, "MFAS_CAN_SETUP");
    types.retain_mut(|name| match amplify_mfa_type(name) {
        Some(amplify @ ("TOTP" | "EMAIL")) => {
            *name = amplify.to_owned();
            true
        }
        _ => false,
    });
    types
}

/// Amplify v6's `nextStep`, with what the app needs to render the step.
#[derive(Debug, PartialEq)]
pub enum NextStep {
    /// `DONE`: signed in, with these tokens.
    Done(Tokens),
    /// `CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED`.
    NewPasswordRequired {
        /// Attributes the pool requires that the user does not have yet.
        missing_attributes: Vec<String>,
        /// The user's current attributes, as the service reports them.
        user_attributes: StringMap,
    },
    /// `CONFIRM_SIGN_IN_WITH_SMS_CODE` (SMS_MFA).
    ConfirmWithSmsCode(CodeDelivery),
    /// `CONFIRM_SIGN_IN_WITH_EMAIL_CODE` (EMAIL_OTP).
    ConfirmWithEmailCode(CodeDelivery),
    /// `CONFIRM_SIGN_IN_WITH_TOTP_CODE` (SOFTWARE_TOKEN_MFA).
    ConfirmWithTotpCode,
    /// `CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE` (CUSTOM_CHALLENGE): the
    /// challenge parameters the pool's triggers set, as `additionalInfo`.
    ConfirmWithCustomChallenge { additional_info: StringMap },
    /// `CONTINUE_SIGN_IN_WITH_TOTP_SETUP` (MFA_SETUP): the secret for the
    /// authenticator app (AssociateSoftwareToken's), answered with a code.
    ContinueWithTotpSetup {
        shared_secret: String,
        /// The user, for the otpauth:// URI's account name.
        username: String,
    },
    /// `CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION` (MFA_SETUP offering both):
    /// the app answers `TOTP` or `EMAIL`, Amplify's names.
    ContinueWithMfaSetupSelection { allowed_mfa_types: Vec<String> },
    /// `CONTINUE_SIGN_IN_WITH_EMAIL_SETUP` (MFA_SETUP of email codes): the
    /// app answers with the address to send codes to.
    ContinueWithEmailSetup,
    /// `CONFIRM_SIGN_UP`: the service refused the sign-in with
    /// UserNotConfirmedException; the user confirms the sign-up first.
    ConfirmSignUp,
    /// `RESET_PASSWORD`: the service refused the sign-in with
    /// PasswordResetRequiredException; the user resets the password first.
    ResetPassword,
    /// `CONTINUE_SIGN_IN_WITH_MFA_SELECTION` (SELECT_MFA_TYPE): the app
    /// answers with one of these, Amplify's names: `SMS`, `TOTP`, `EMAIL`.
    ContinueWithMfaSelection { allowed_mfa_types: Vec<String> },
    /// `CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION` (USER_AUTH's
    /// SELECT_CHALLENGE): the app answers with one of these, the service's
    /// names: `PASSWORD`, `PASSWORD_SRP`, `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`.
    ContinueWithFirstFactorSelection { available_challenges: Vec<String> },
    /// `CONFIRM_SIGN_IN_WITH_PASSWORD`: PASSWORD or PASSWORD_SRP was chosen;
    /// the app answers with the password.
    ConfirmWithPassword,
}

impl NextStep {
    /// The step Amplify v6 makes of a sign-in the service refused
    /// (`signInHelpers.getSignInResultFromError`): UserNotConfirmedException
    /// is `CONFIRM_SIGN_UP`, PasswordResetRequiredException `RESET_PASSWORD`.
    pub fn of_refusal(error: &Error) -> Option<NextStep> {
        match error.name() {
            "UserNotConfirmedException" => Some(NextStep::ConfirmSignUp),
            "PasswordResetRequiredException" => Some(NextStep::ResetPassword),
            _ => None,
        }
    }
}

/// Where a code was sent, as the service reports it (masked).
#[derive(Debug, PartialEq)]
pub struct CodeDelivery {
    /// `SMS` or `EMAIL`.
    pub delivery_medium: Option<String>,
    pub destination: Option<String>,
}

/// What `confirmSignIn` is given.
pub struct ChallengeAnswer {
    /// The code, the new password, the choice or the custom answer.
    pub response: Zeroizing<String>,
    /// Attributes to set, without the `userAttributes.` prefix.
    pub user_attributes: StringMap,
    /// For the pool's triggers; absent: the `clientMetadata` of `signIn`.
    pub client_metadata: Option<ClientMetadata>,
}

/// A challenge the user must answer through `confirmSignIn`.
#[derive(Clone)]
pub struct PendingChallenge {
    pub(super) kind: Kind,
    pub(super) session: String,
    pub(super) params: StringMap,
    /// SELECT_CHALLENGE's AvailableChallenges.
    pub(super) available_challenges: Vec<String>,
    /// MFA_SETUP: AssociateSoftwareToken's SecretCode, once it came.
    pub(super) secret_code: Option<String>,
    pub(super) username: String,
    pub(super) client_metadata: Option<ClientMetadata>,
    /// The remembered device, named with a first factor's answer (USER_AUTH).
    pub(super) device: Option<Box<DeviceSecrets>>,
}

/// What answering a step sends.
pub(super) enum Reply {
    /// RespondToAuthChallenge with these ChallengeResponses (USERNAME and
    /// SECRET_HASH are added by the machine).
    Respond(StringMap),
    /// MFA_SETUP with the authenticator app's code: VerifySoftwareToken
    /// first, then MFA_SETUP with its Session.
    VerifySoftwareToken(String),
    /// The step of this kind, with no request: the password after choosing
    /// PASSWORD or PASSWORD_SRP, the setup of the MFA type chosen.
    Step(Kind),
    /// PASSWORD_SRP's password: SELECT_CHALLENGE with SRP_A, then the claim.
    ProvePasswordWithSrp,
}

const ATTRIBUTE_PREFIX: &str = "userAttributes.";

/// The first factors of USER_AUTH.
const FIRST_FACTORS: &str = "'PASSWORD_SRP', 'PASSWORD', 'EMAIL_OTP', 'SMS_OTP' or 'WEB_AUTHN'";

/// Refuses a first factor USER_AUTH does not have, before anything is sent.
pub(super) fn check_factor(name: &str, field: &str) -> Result<()> {
    match name {
        "PASSWORD" | "PASSWORD_SRP" | "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN" => Ok(()),
        other => Err(Error::Validation(
            [field, " ", &quoted(other), " is not ", FIRST_FACTORS]
                .concat()
                .into(),
        )),
    }
}

impl PendingChallenge {
    /// The step to show the user.
    pub fn next_step(&self) -> NextStep {
        match self.kind {
            Kind::Challenge(ServiceChallenge::NewPasswordRequired) => {
                NextStep::NewPasswordRequired {
                    missing_attributes: self.missing_attributes(),
                    user_attributes: self
                        .params
                        .get("userAttributes")
                        .and_then(|text| StringMap::from_json(&Json::parse(text)?))
                        .unwrap_or_default(),
                }
            }
            Kind::Challenge(ServiceChallenge::SmsMfa | ServiceChallenge::SmsOtp) => {
                NextStep::ConfirmWithSmsCode(self.code_delivery())
            }
            Kind::Challenge(ServiceChallenge::EmailOtp) => {
                NextStep::ConfirmWithEmailCode(self.code_delivery())
            }
            Kind::Challenge(ServiceChallenge::SoftwareTokenMfa) => NextStep::ConfirmWithTotpCode,
            Kind::TotpSetup => NextStep::ContinueWithTotpSetup {
                shared_secret: self.secret_code.clone().unwrap_or_default(),
                username: self.username.clone(),
            },
            Kind::Challenge(ServiceChallenge::MfaSetup) => {
                NextStep::ContinueWithMfaSetupSelection {
                    allowed_mfa_types: mfa_setup_types(&self.params),
                }
            }
            Kind::EmailSetup => NextStep::ContinueWithEmailSetup,
            Kind::Challenge(ServiceChallenge::Custom) => NextStep::ConfirmWithCustomChallenge {
                additional_info: self.params.clone(),
            },
            Kind::Challenge(ServiceChallenge::SelectMfaType) => {
                let mut allowed_mfa_types = self.mfas_can_choose();
                for name in &mut allowed_mfa_types {
                    if let Some(amplify) = amplify_mfa_type(name) {
                        *name = amplify.to_owned();
                    }
                }
                NextStep::ContinueWithMfaSelection { allowed_mfa_types }
            }
            Kind::Challenge(ServiceChallenge::SelectChallenge) => {
                NextStep::ContinueWithFirstFactorSelection {
                    available_challenges: self.available_challenges.clone(),
                }
            }
            Kind::Password | Kind::PasswordSrp => NextStep::ConfirmWithPassword,
        }
    }

    /// What `answer` sends, after [`Self::check`].
    pub(super) fn reply(&self, answer: &ChallengeAnswer) -> Reply {
        let mut responses = StringMap::new();
        match self.kind {
            Kind::TotpSetup => {
                return Reply::VerifySoftwareToken(answer.response.trim().to_owned())
            }
            // Checked: `TOTP` or `EMAIL`.
            Kind::Challenge(ServiceChallenge::MfaSetup) => {
                return Reply::Step(match answer.response.trim() {
                    "EMAIL" => Kind::EmailSetup,
                    _ => Kind::TotpSetup,
                })
            }
            Kind::EmailSetup => responses.insert("EMAIL", answer.response.trim().to_owned()),
            Kind::Challenge(ServiceChallenge::SelectChallenge) => match answer.response.as_str() {
                "PASSWORD" => return Reply::Step(Kind::Password),
                "PASSWORD_SRP" => return Reply::Step(Kind::PasswordSrp),
                choice => responses.insert("ANSWER", choice.to_owned()),
            },
            Kind::PasswordSrp => return Reply::ProvePasswordWithSrp,
            Kind::Password => {
                responses.insert("PASSWORD", answer.response.as_str().to_owned());
                responses.insert("ANSWER", "PASSWORD".to_owned());
            }
            Kind::Challenge(
                ServiceChallenge::SmsMfa
                | ServiceChallenge::EmailOtp
                | ServiceChallenge::SoftwareTokenMfa
                | ServiceChallenge::SmsOtp,
            ) => {
                let field = self.kind.code_field().unwrap_or_default();
                responses.insert(field, answer.response.trim().to_owned());
            }
            Kind::Challenge(ServiceChallenge::SelectMfaType) => {
                let choice = self.mfa_choice(&answer.response).unwrap_or_default();
                responses.insert("ANSWER", choice);
            }
            Kind::Challenge(ServiceChallenge::Custom) => {
                responses.insert("ANSWER", answer.response.as_str().to_owned());
            }
            Kind::Challenge(ServiceChallenge::NewPasswordRequired) => {
                responses.insert("NEW_PASSWORD", answer.response.as_str().to_owned());
                for (name, value) in answer.user_attributes.iter() {
                    let name = name.strip_prefix(ATTRIBUTE_PREFIX).unwrap_or(name);
                    responses.insert(&[ATTRIBUTE_PREFIX, name].concat(), value.to_owned());
                }
            }
        }
        Reply::Respond(responses)
    }

    /// Whether the service's refusal `error` of this step's answer leaves
    /// the step to answer again with the same Session: a wrong code
    /// (CodeMismatchException; EnableSoftwareTokenMFAException for a TOTP
    /// setup), an address the email setup refuses (InvalidParameterException).
    pub fn stays_after(&self, error: &Error) -> bool {
        match error.name() {
            "CodeMismatchException" | "EnableSoftwareTokenMFAException" => true,
            "InvalidParameterException" => self.kind == Kind::EmailSetup,
            _ => false,
        }
    }

    /// Refuses an answer the service would refuse: an empty response, a
    /// choice that was not offered, a missing required attribute. Callers
    /// check first to keep the step for a retry, since answering consumes it.
    pub fn check(&self, answer: &ChallengeAnswer) -> Result<()> {
        let what = match self.kind {
            Kind::Challenge(ServiceChallenge::NewPasswordRequired) => "the new password",
            Kind::Password | Kind::PasswordSrp => "the password",
            Kind::Challenge(ServiceChallenge::SelectMfaType | ServiceChallenge::MfaSetup) => {
                "the MFA type chosen"
            }
            Kind::EmailSetup => "the email address",
            Kind::Challenge(ServiceChallenge::Custom) => "the answer to the challenge",
            _ => "the code",
        };
        if answer.response.trim().is_empty() {
            return Err(Error::Validation(
                ["challengeResponse is empty; pass ", what].concat().into(),
            ));
        }
        match self.kind {
            Kind::Challenge(ServiceChallenge::SelectChallenge) => {
                self.check_first_factor(&answer.response)
            }
            Kind::Challenge(ServiceChallenge::SelectMfaType)
                if self.mfa_choice(&answer.response).is_none() =>
            {
                let allowed = match self.next_step() {
                    NextStep::ContinueWithMfaSelection { allowed_mfa_types } => {
                        allowed_mfa_types.join("', '")
                    }
                    _ => String::new(),
                };
                Err(Error::Validation(
                    [
                        "challengeResponse ",
                        &quoted(&answer.response),
                        " is not an MFA type this sign-in allows; pass one of '",
                        &allowed,
                        "'",
                    ]
                    .concat()
                    .into(),
                ))
            }
            Kind::Challenge(ServiceChallenge::MfaSetup)
                if !mfa_setup_types(&self.params)
                    .iter()
                    .any(|offered| offered == answer.response.trim()) =>
            {
                Err(Error::Validation(
                    [
                        "challengeResponse ",
                        &quoted(&answer.response),
                        " is not an MFA type this sign-in can set up; pass 'TOTP' or 'EMAIL'",
                    ]
                    .concat()
                    .into(),
                ))
            }
            Kind::Challenge(ServiceChallenge::NewPasswordRequired) => self.check_attributes(answer),
            _ => Ok(()),
        }
    }

    /// SELECT_CHALLENGE: the choice must be offered, and one this client can complete.
    fn check_first_factor(&self, choice: &str) -> Result<()> {
        if !self
            .available_challenges
            .iter()
            .any(|offered| offered == choice)
        {
            return Err(Error::Validation(
                [
                    "challengeResponse ",
                    &quoted(choice),
                    " is not a first factor this sign-in offers; pass one of '",
                    &self.available_challenges.join("', '"),
                    "'",
                ]
                .concat()
                .into(),
            ));
        }
        check_factor(choice, "challengeResponse")
    }

    /// NEW_PASSWORD_REQUIRED: every attribute the pool requires is given.
    fn check_attributes(&self, answer: &ChallengeAnswer) -> Result<()> {
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
        match missing.first() {
            None => Ok(()),
            Some(first) => Err(Error::Validation(
                [
                    "the user pool requires the attribute(s) ",
                    &missing.join(", "),
                    "; pass them as confirmSignIn({ challengeResponse, userAttributes: { ",
                    first,
                    ": '...' } })",
                ]
                .concat()
                .into(),
            )),
        }
    }

    fn code_delivery(&self) -> CodeDelivery {
        let param = |name: &str| self.params.get(name).map(|v| v.to_owned());
        CodeDelivery {
            delivery_medium: param("CODE_DELIVERY_DELIVERY_MEDIUM"),
            destination: param("CODE_DELIVERY_DESTINATION"),
        }
    }

    /// The parameter `name`, a JSON list of strings; empty when absent.
    fn list_param(&self, name: &str) -> Vec<String> {
        list_param(&self.params, name)
    }

    /// MFAS_CAN_CHOOSE, a JSON list of challenge names.
    fn mfas_can_choose(&self) -> Vec<String> {
        self.list_param("MFAS_CAN_CHOOSE")
    }

    /// The SELECT_MFA_TYPE answer for `choice` (`TOTP` or `SOFTWARE_TOKEN_MFA`, ...),
    /// if the service offered it.
    fn mfa_choice(&self, choice: &str) -> Option<String> {
        let name = service_mfa_type(choice).unwrap_or(choice);
        self.mfas_can_choose()
            .into_iter()
            .find(|offered| offered == name)
    }

    /// requiredAttributes, a JSON list such as `["userAttributes.name"]`.
    fn missing_attributes(&self) -> Vec<String> {
        let mut names = self.list_param("requiredAttributes");
        for name in &mut names {
            if let Some(bare) = name.strip_prefix(ATTRIBUTE_PREFIX) {
                *name = bare.to_owned();
            }
        }
        names
    }
}
