//! End-to-end tests of the local endpoint, signing in with the client crate's
//! SRP maths (`cognito_srp`).

mod accounts;
mod authenticator;
mod challenges;
mod devices;
mod faults;
mod federation;
mod harness;
mod http;
mod identity;
mod oauth;
mod passkeys;
mod passwordless;
mod secrets;
mod seeds;
mod signin;
mod storage;
mod tokens;
mod user_auth;
