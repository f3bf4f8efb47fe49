//! The sign-in state machine. Each state is a type, and each step consumes
//! the state before it, so a stale SRP secret or session cannot be reused.
//!
//! ```text
//! start ─ USER_SRP_AUTH ──► AwaitingPasswordVerifier ─► AwaitingAuthResult ─► SignedIn
//!       ├ USER_PASSWORD_AUTH ─────────────────────────►        ▲  │ │  └──► PendingChallenge
//!       └ USER_AUTH ─► AwaitingFirstFactor ─ (PASSWORD_VERIFIER) ─┤ │         │ answer
//!                                                              ├──┼─┼─────────┤
//!   MFA_SETUP (TOTP): AwaitingSetupVerification ─────────────────┘ │ │         │
//!   DEVICE_SRP_AUTH: DeviceSrpRequired ─► AwaitingDevicePasswordVerifier ─┘ │
//!   NewDeviceMetadata: signed in, then DeviceToConfirm ─► AwaitingDeviceConfirmation
//! ```
//!
//! A remembered device (its [`DeviceSecrets`](crate::device::DeviceSecrets))
//! rides along: its DEVICE_KEY goes with the password proof (or a first
//! factor's answer), and the service may then ask the device to prove its own
//! secret with a second SRP exchange (DEVICE_SRP_AUTH).
//!
//! Steps build [`HttpRequest`](crate::protocol::HttpRequest)s and read
//! [`HttpResponse`](crate::protocol::HttpResponse)s; randomness and the clock
//! come in as arguments.
//!
//! Modules, each using only those before it:
//! - `wire`: the requests every state sends (InitiateAuth, RespondToAuthChallenge,
//!   the SRP claim) and the reading of their answers;
//! - `challenge`: each challenge the service names, what the app is shown of
//!   it ([`NextStep`]) and how it is answered: **adding a challenge starts here**;
//! - `passkey`: WEB_AUTHN, the passkey first factor, whose ceremony the JS
//!   driver runs;
//! - `machine`: the states and their transitions;
//! - `flow`: the first request of each auth flow ([`start`]).

mod challenge;
mod flow;
mod machine;
mod passkey;
mod wire;

pub use challenge::{ChallengeAnswer, CodeDelivery, NextStep, PendingChallenge};
pub use flow::{start, AuthFlow, SignInInput, SignInStart};
pub use machine::{
    Answered, AwaitingAuthResult, AwaitingDeviceConfirmation, AwaitingDevicePasswordVerifier,
    AwaitingFirstFactor, AwaitingPasswordVerifier, AwaitingSetupVerification, DeviceConfirmed,
    DeviceSrpRequired, DeviceToConfirm, FirstFactorOutcome, SignInOutcome,
};
pub use passkey::PasskeyChallenge;
