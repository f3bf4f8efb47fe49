//! cognito-local: a local stand-in for the Cognito user-pool API, for
//! development, the demo page and end-to-end tests.
//!
//! It speaks the real wire format (AWS JSON 1.1 over `POST /`) and runs the
//! real SRP-6a exchange against per-user verifiers, so independent clients
//! (amazon-cognito-identity-js, pycognito/boto3) can be tested against it.
//!
//! Layout, one concern per module:
//! - [`seed`]: the seed file; [`pool`]: pools, clients and users built from it;
//! - [`env`]: the clock and the randomness, passed in so tests can pin them;
//! - [`srp_server`]: the server half of SRP; [`timestamp`]: the TIMESTAMP check;
//! - [`jwt`] and [`tokens`]: signing and the token claims; [`grants`]: refresh
//!   tokens and revocation; [`challenges`]: short-lived sign-in state;
//! - [`inbox`]: the codes "sent" by email and SMS, readable at `GET /inbox`;
//! - [`iam`]: SigV4 verification of the IAM-signed (admin) operations;
//! - [`oauth`]: managed login (the hosted UI and the OAuth 2.0 endpoints)
//!   and the simulated external identity providers;
//! - [`identity`]: the identity-pool API and the credentials it issues;
//!   [`storage`]: the S3-style service those credentials sign requests to;
//! - [`faults`]: the hostile server the seed can ask for, per user;
//! - [`ops`]: one module per group of operations; [`router`]: HTTP-level
//!   routing, CORS and errors; [`http`]: the HTTP/1.1 server.

pub mod challenges;
pub mod env;
pub mod error;
pub mod faults;
pub mod grants;
pub mod http;
pub mod iam;
pub mod identity;
pub mod inbox;
pub mod jwt;
pub mod oauth;
pub mod ops;
pub mod password_policy;
pub mod pool;
pub mod router;
pub mod seed;
pub mod srp_server;
pub mod state;
pub mod storage;
pub mod timestamp;
pub mod tokens;
pub mod totp;
pub mod webauthn;

pub use env::Env;
pub use state::State;
