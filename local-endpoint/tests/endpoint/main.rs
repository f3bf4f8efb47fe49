//! End-to-end tests of the local endpoint, signing in with the client crate's
//! SRP maths (`cognito_srp`).

mod accounts;
mod challenges;
mod devices;
mod federation;
mod harness;
mod http;
mod oauth;
mod identity;
mod secrets;
mod seeds;
mod signin;
mod storage;
mod tokens;
mod user_auth;
