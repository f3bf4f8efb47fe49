//! RS256 JSON Web Tokens: signing, verification and the JWKS document.

use base64::engine::general_purpose::{STANDARD as BASE64, URL_SAFE_NO_PAD as B64URL};
use base64::Engine;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::signature::{SignatureEncoding, Signer as _, Verifier as _};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::env::Env;

/// The key size the service uses.
pub const KEY_BITS: usize = 2048;

pub struct Signer {
    signing: SigningKey<Sha256>,
    verifying: VerifyingKey<Sha256>,
    public: RsaPublicKey,
    kid: String,
}

impl Signer {
    /// A new key pair from `env`'s randomness (slow in unoptimised builds).
    pub fn generate(env: &mut Env, bits: usize) -> Result<Self, rsa::Error> {
        Ok(Signer::from_key(RsaPrivateKey::new(env.rng(), bits)?))
    }

    pub fn from_key(key: RsaPrivateKey) -> Self {
        let public = key.to_public_key();
        // Like the service's key ids: base64 of a hash of the public key.
        let kid = BASE64.encode(Sha256::digest(public.n().to_bytes_be()));
        Signer {
            verifying: VerifyingKey::new(public.clone()),
            signing: SigningKey::new(key),
            public,
            kid,
        }
    }

    /// `header.payload.signature`, header `{"kid", "alg": "RS256"}`.
    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({ "kid": self.kid, "alg": "RS256" });
        let signing_input = format!("{}.{}", encode_json(&header), encode_json(claims));
        let signature = self.signing.sign(signing_input.as_bytes());
        format!("{signing_input}.{}", B64URL.encode(signature.to_bytes()))
    }

    /// The claims of a token this signer made, or None when the token is
    /// malformed or its signature does not verify.
    pub fn verify(&self, token: &str) -> Option<Value> {
        let (signing_input, signature) = token.rsplit_once('.')?;
        let (header, payload) = signing_input.split_once('.')?;
        let header = decode_json(header)?;
        if header["alg"] != "RS256" || header["kid"] != self.kid.as_str() {
            return None;
        }
        let signature = Signature::try_from(B64URL.decode(signature).ok()?.as_slice()).ok()?;
        self.verifying
            .verify(signing_input.as_bytes(), &signature)
            .ok()?;
        decode_json(payload)
    }

    /// The key id in the header of the tokens this signer makes.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The JWKS document: `{"keys": [{kty, alg, use, kid, n, e}]}`.
    pub fn jwks(&self) -> Value {
        json!({ "keys": [self.jwk()] })
    }

    /// This key as a JSON Web Key.
    pub fn jwk(&self) -> Value {
        json!({
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "kid": self.kid,
            "n": B64URL.encode(self.public.n().to_bytes_be()),
            "e": B64URL.encode(self.public.e().to_bytes_be()),
        })
    }
}

fn encode_json(value: &Value) -> String {
    B64URL.encode(value.to_string())
}

fn decode_json(part: &str) -> Option<Value> {
    serde_json::from_slice(&B64URL.decode(part).ok()?).ok()
}
