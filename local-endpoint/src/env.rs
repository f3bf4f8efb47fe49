//! The clock and the randomness every operation draws on. Both are passed in,
//! so tests can pin time (expiry) and randomness (reproducible runs).

use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand_core::{CryptoRngCore, OsRng};

/// Returns the current Unix time in seconds.
pub type Clock = Box<dyn Fn() -> u64 + Send + Sync>;

/// A cryptographic random source that can be moved between threads.
pub type Rng = Box<dyn CryptoRngCore + Send>;

pub struct Env {
    clock: Clock,
    rng: Rng,
}

impl Env {
    pub fn new(clock: Clock, rng: Rng) -> Self {
        Env { clock, rng }
    }

    /// The system clock and the operating system's random source.
    pub fn system() -> Self {
        Env::new(Box::new(system_now), Box::new(OsRng))
    }

    /// Unix time in seconds.
    pub fn now(&self) -> u64 {
        (self.clock)()
    }

    pub fn rng(&mut self) -> &mut (dyn CryptoRngCore + Send) {
        self.rng.as_mut()
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        let mut out = vec![0u8; len];
        self.rng.fill_bytes(&mut out);
        out
    }

    /// A random (version 4) UUID, lower-case hyphenated.
    pub fn uuid(&mut self) -> String {
        let mut raw = [0u8; 16];
        self.rng.fill_bytes(&mut raw);
        uuid::Builder::from_random_bytes(raw)
            .into_uuid()
            .hyphenated()
            .to_string()
    }

    /// An opaque token: `len` random bytes, base64url without padding.
    pub fn token(&mut self, len: usize) -> String {
        URL_SAFE_NO_PAD.encode(self.bytes(len))
    }
}

fn system_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
