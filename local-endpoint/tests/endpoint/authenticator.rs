//! A software WebAuthn authenticator and client, written from the
//! specification (W3C WebAuthn Level 3 §6): it builds authenticator data,
//! CBOR attestation objects (`none` or `packed` self attestation) and
//! assertions with ES256 (P-256) or RS256 keys, and the JSON responses a
//! browser's `toJSON()` gives. Each field can be changed before signing,
//! to make the responses the endpoint must refuse.

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use ciborium::value::Value as Cbor;
use p256::ecdsa::signature::Signer as _;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub const UP: u8 = 0x01;
pub const UV: u8 = 0x04;
const AT: u8 = 0x40;

#[derive(Clone)]
pub enum Key {
    Es256(p256::ecdsa::SigningKey),
    Rs256(Box<RsaPrivateKey>),
}

/// One RSA key for the test binary: generating it is slow without optimisation.
fn rsa_key() -> RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| RsaPrivateKey::new(&mut ChaCha20Rng::seed_from_u64(2), 2048).expect("key"))
        .clone()
}

/// The attestation statement a registration carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    None,
    /// Self attestation: signed by the credential key.
    Packed,
}

/// What the client and authenticator put in one ceremony; tests change
/// these to forge a response.
#[derive(Clone)]
pub struct Ceremony {
    pub origin: String,
    /// The RP ID whose hash goes in the authenticator data.
    pub rp_id: String,
    /// None: the challenge of the options.
    pub challenge: Option<Vec<u8>>,
    pub flags: u8,
    /// None: the authenticator's next counter value.
    pub sign_count: Option<u32>,
    pub client_data_type: Option<String>,
}

impl Ceremony {
    pub fn at(origin: &str, rp_id: &str) -> Self {
        Ceremony {
            origin: origin.into(),
            rp_id: rp_id.into(),
            challenge: None,
            flags: UP | UV,
            sign_count: None,
            client_data_type: None,
        }
    }
}

#[derive(Clone)]
pub struct Authenticator {
    pub key: Key,
    pub credential_id: Vec<u8>,
    pub counter: u32,
    pub format: Format,
    /// The user handle it stores at registration.
    pub user_handle: Option<String>,
}

impl Authenticator {
    pub fn es256(seed: u8) -> Self {
        let key = p256::ecdsa::SigningKey::from_bytes(&[seed; 32].into()).expect("scalar");
        Authenticator {
            key: Key::Es256(key),
            credential_id: vec![seed; 24],
            counter: 0,
            format: Format::None,
            user_handle: None,
        }
    }

    pub fn rs256(seed: u8) -> Self {
        Authenticator {
            key: Key::Rs256(Box::new(rsa_key())),
            credential_id: vec![seed; 32],
            counter: 0,
            format: Format::Packed,
            user_handle: None,
        }
    }

    pub fn alg(&self) -> i64 {
        match self.key {
            Key::Es256(_) => -7,
            Key::Rs256(_) => -257,
        }
    }

    pub fn id(&self) -> String {
        B64URL.encode(&self.credential_id)
    }

    /// The COSE_Key of the credential (RFC 9053).
    pub fn cose_key(&self) -> Vec<u8> {
        let int = |i: i64| Cbor::Integer(i.into());
        let map = match &self.key {
            Key::Es256(key) => {
                let point = key.verifying_key().to_encoded_point(false);
                vec![
                    (int(1), int(2)),
                    (int(3), int(-7)),
                    (int(-1), int(1)),
                    (int(-2), Cbor::Bytes(point.x().unwrap().to_vec())),
                    (int(-3), Cbor::Bytes(point.y().unwrap().to_vec())),
                ]
            }
            Key::Rs256(key) => vec![
                (int(1), int(3)),
                (int(3), int(-257)),
                (int(-1), Cbor::Bytes(key.n().to_bytes_be())),
                (int(-2), Cbor::Bytes(key.e().to_bytes_be())),
            ],
        };
        cbor(&Cbor::Map(map))
    }

    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        match &self.key {
            Key::Es256(key) => {
                let signature: p256::ecdsa::Signature = key.sign(message);
                signature.to_der().as_bytes().to_vec()
            }
            Key::Rs256(key) => {
                use rsa::signature::{SignatureEncoding, Signer};
                rsa::pkcs1v15::SigningKey::<Sha256>::new(RsaPrivateKey::clone(key))
                    .sign(message)
                    .to_vec()
            }
        }
    }

    fn next_count(&mut self, ceremony: &Ceremony) -> u32 {
        if let Some(count) = ceremony.sign_count {
            return count;
        }
        self.counter += 1;
        self.counter
    }

    fn auth_data(&self, ceremony: &Ceremony, count: u32, attested: bool) -> Vec<u8> {
        let mut data = Sha256::digest(ceremony.rp_id.as_bytes()).to_vec();
        data.push(ceremony.flags | if attested { AT } else { 0 });
        data.extend_from_slice(&count.to_be_bytes());
        if attested {
            data.extend_from_slice(&[0u8; 16]);
            data.extend_from_slice(&(self.credential_id.len() as u16).to_be_bytes());
            data.extend_from_slice(&self.credential_id);
            data.extend_from_slice(&self.cose_key());
        }
        data
    }

    fn client_data(&self, ceremony: &Ceremony, kind: &str, options: &Value) -> Vec<u8> {
        let challenge = match &ceremony.challenge {
            Some(bytes) => B64URL.encode(bytes),
            None => options["challenge"].as_str().expect("challenge").to_owned(),
        };
        let kind = ceremony.client_data_type.as_deref().unwrap_or(kind);
        json!({ "type": kind, "challenge": challenge, "origin": ceremony.origin, "crossOrigin": false })
            .to_string()
            .into_bytes()
    }

    /// navigator.credentials.create(): a RegistrationResponseJSON for
    /// PublicKeyCredentialCreationOptionsJSON `options`.
    pub fn register(&mut self, options: &Value, ceremony: &Ceremony) -> Value {
        self.user_handle = options["user"]["id"].as_str().map(str::to_owned);
        let count = self.next_count(ceremony);
        let auth_data = self.auth_data(ceremony, count, true);
        let client_data = self.client_data(ceremony, "webauthn.create", options);
        let statement = match self.format {
            Format::None => Cbor::Map(vec![]),
            Format::Packed => {
                let mut signed = auth_data.clone();
                signed.extend_from_slice(&Sha256::digest(&client_data));
                Cbor::Map(vec![
                    (Cbor::Text("alg".into()), Cbor::Integer(self.alg().into())),
                    (Cbor::Text("sig".into()), Cbor::Bytes(self.sign(&signed))),
                ])
            }
        };
        let format = match self.format {
            Format::None => "none",
            Format::Packed => "packed",
        };
        let object = attestation_object(format, statement, &auth_data);
        json!({
            "id": self.id(),
            "rawId": self.id(),
            "type": "public-key",
            "authenticatorAttachment": "cross-platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": B64URL.encode(&client_data),
                "attestationObject": B64URL.encode(object),
                "transports": ["usb", "nfc"],
                "publicKeyAlgorithm": self.alg(),
                "authenticatorData": B64URL.encode(&auth_data),
            }
        })
    }

    /// navigator.credentials.get(): an AuthenticationResponseJSON for
    /// PublicKeyCredentialRequestOptionsJSON `options`.
    pub fn assert(&mut self, options: &Value, ceremony: &Ceremony) -> Value {
        let count = self.next_count(ceremony);
        let auth_data = self.auth_data(ceremony, count, false);
        let client_data = self.client_data(ceremony, "webauthn.get", options);
        let mut signed = auth_data.clone();
        signed.extend_from_slice(&Sha256::digest(&client_data));
        let mut response = json!({
            "clientDataJSON": B64URL.encode(&client_data),
            "authenticatorData": B64URL.encode(&auth_data),
            "signature": B64URL.encode(self.sign(&signed)),
        });
        if let Some(handle) = &self.user_handle {
            response["userHandle"] = json!(handle);
        }
        json!({
            "id": self.id(),
            "rawId": self.id(),
            "type": "public-key",
            "authenticatorAttachment": "cross-platform",
            "clientExtensionResults": {},
            "response": response,
        })
    }
}

pub fn attestation_object(format: &str, statement: Cbor, auth_data: &[u8]) -> Vec<u8> {
    cbor(&Cbor::Map(vec![
        (Cbor::Text("fmt".into()), Cbor::Text(format.into())),
        (Cbor::Text("attStmt".into()), statement),
        (
            Cbor::Text("authData".into()),
            Cbor::Bytes(auth_data.to_vec()),
        ),
    ]))
}

pub fn cbor(value: &Cbor) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::ser::into_writer(value, &mut out).expect("CBOR");
    out
}
