//! End-to-end tests of the local endpoint, signing in with the client crate's
//! SRP maths (`cognito_wasm::srp`).

mod accounts;
mod authenticator;
mod challenges;
mod devices;
mod harness;
mod http;
mod passkeys;
mod passwordless;
mod secrets;
mod seeds;
mod signin;
mod tokens;
mod user_auth;
