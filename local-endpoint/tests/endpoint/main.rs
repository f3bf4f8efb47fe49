//! End-to-end tests of the local endpoint, signing in with the client crate's
//! SRP maths (`cognito_wasm::srp`).

mod accounts;
mod challenges;
mod devices;
mod harness;
mod http;
mod identity;
mod secrets;
mod seeds;
mod signin;
mod storage;
mod tokens;
mod user_auth;
