//! Remembered devices, pure: the device secret and verifier that
//! ConfirmDevice registers, the device's SRP identity for DEVICE_SRP_AUTH /
//! DEVICE_PASSWORD_VERIFIER, the device requests (ConfirmDevice,
//! UpdateDeviceStatus, ForgetDevice, ListDevices) and the reading of their
//! answers, and the stored form of a device's secrets.
//!
//! The formulas are those of amazon-cognito-identity-js's
//! `AuthenticationHelper.generateHashDevice` (and pycognito's
//! `generate_hash_device`), checked against both in tests/device_vectors.rs.

use alloc::borrow::ToOwned;
use alloc::string::String;

use zeroize::Zeroizing;

use base64ct::{Base64, Encoding};
use cognito_srp::residue::Residue;
use cognito_srp::srp::{compute_x, pad_bytes, SrpIdentity, HASH_BITS};
use cognito_srp::uint::Uint;

use crate::error::{Error, Result};
use crate::json::Json;
use crate::protocol::{ClientConfig, HttpRequest, HttpResponse, NewDeviceMetadata};

/// Random bytes behind a device password (the reference clients draw 40).
pub const PASSWORD_RANDOM_BYTES: usize = 40;
/// Random bytes of a device verifier's salt (the reference clients draw 16).
pub const SALT_RANDOM_BYTES: usize = 16;

/// A confirmed device, as the client keeps it: its key, its group and the
/// random password only this client knows (wiped when dropped).
#[derive(Clone)]
pub struct DeviceSecrets {
    pub device_key: String,
    pub device_group_key: String,
    pub device_password: Zeroizing<String>,
}

impl DeviceSecrets {
    /// The device's SRP identity: poolName := DeviceGroupKey,
    /// user := DeviceKey, password := the device password.
    pub fn identity(&self) -> SrpIdentity<'_> {
        SrpIdentity {
            pool_name: &self.device_group_key,
            user_id: &self.device_key,
            password: &self.device_password,
        }
    }

    /// The stored form: `{"deviceKey","deviceGroupKey","randomPassword"}`
    /// (the names amazon-cognito-identity-js stores them under).
    pub fn to_stored(&self) -> Zeroizing<String> {
        Zeroizing::new(
            Json::string_map(&[
                ("deviceKey", self.device_key.as_str()),
                ("deviceGroupKey", self.device_group_key.as_str()),
                ("randomPassword", self.device_password.as_str()),
            ])
            .to_text(),
        )
    }

    /// A device stored by [`Self::to_stored`]; `None` for anything else.
    pub fn from_stored(text: &str) -> Option<Self> {
        let json = Json::parse(text)?;
        let field = |name: &str| {
            json.get(name)
                .and_then(Json::as_str)
                .filter(|v| !v.is_empty())
                .map(|v| v.to_owned())
        };
        Some(DeviceSecrets {
            device_key: field("deviceKey")?,
            device_group_key: field("deviceGroupKey")?,
            device_password: Zeroizing::new(field("randomPassword")?),
        })
    }
}

/// randomPassword = base64(40 random bytes)
pub fn compute_device_password(random: &[u8; PASSWORD_RANDOM_BYTES]) -> Zeroizing<String> {
    Zeroizing::new(Base64::encode_string(random))
}

/// x = H(padHex(salt) || H(utf8(DeviceGroupKey || DeviceKey || ":" || randomPassword))),
/// the user's x with poolName := DeviceGroupKey and user := DeviceKey.
pub fn compute_device_x(
    salt: &Uint,
    device_group_key: &str,
    device_key: &str,
    device_password: &str,
) -> Uint {
    compute_x(salt, device_group_key, device_key, device_password)
}

/// PasswordVerifier's number: v = g^x mod N.
pub fn compute_device_verifier(x: &Uint) -> Uint {
    Residue::pow_of_two(x, HASH_BITS).retrieve()
}

/// ConfirmDevice's DeviceSecretVerifierConfig, base64 of padHex bytes as the
/// reference clients send it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifierConfig {
    /// base64(bytes(padHex(v)))
    pub password_verifier: String,
    /// base64(bytes(padHex(salt))); the salt as a number, so a leading zero
    /// byte is dropped and a high first byte gets a `00` in front.
    pub salt: String,
}

/// The device secret for `metadata` from 40 + 16 random bytes: the device
/// password and the verifier ConfirmDevice registers.
pub fn new_device(
    metadata: NewDeviceMetadata,
    random_password: &[u8; PASSWORD_RANDOM_BYTES],
    random_salt: &[u8; SALT_RANDOM_BYTES],
) -> (DeviceSecrets, VerifierConfig) {
    let device_password = compute_device_password(random_password);
    let salt = Uint::from_be_bytes(random_salt).expect("16 bytes fit in 3072 bits");
    let x = compute_device_x(
        &salt,
        &metadata.device_group_key,
        &metadata.device_key,
        &device_password,
    );
    let verifier = compute_device_verifier(&x);
    let config = VerifierConfig {
        password_verifier: Base64::encode_string(&pad_bytes(&verifier)),
        salt: Base64::encode_string(&pad_bytes(&salt)),
    };
    let secrets = DeviceSecrets {
        device_key: metadata.device_key,
        device_group_key: metadata.device_group_key,
        device_password,
    };
    (secrets, config)
}

/// ConfirmDevice {AccessToken, DeviceKey, DeviceSecretVerifierConfig, DeviceName}.
pub fn confirm_device(
    config: &ClientConfig,
    access_token: &str,
    device_key: &str,
    verifier: &VerifierConfig,
    device_name: &str,
) -> HttpRequest {
    let verifier_config = Json::string_map(&[
        ("PasswordVerifier", verifier.password_verifier.as_str()),
        ("Salt", verifier.salt.as_str()),
    ]);
    let body = Json::Object(alloc::vec![
        ("AccessToken".into(), Json::String(access_token.into())),
        ("DeviceKey".into(), Json::String(device_key.into())),
        ("DeviceSecretVerifierConfig".into(), verifier_config),
        ("DeviceName".into(), Json::String(device_name.into())),
    ]);
    config.request("ConfirmDevice", &body)
}

/// ConfirmDevice's UserConfirmationNecessary: true when the pool remembers
/// devices only on the user's say-so (rememberDevice).
pub fn read_confirm_device(response: &HttpResponse) -> Result<bool> {
    let answer = response.json()?;
    Ok(matches!(
        answer.get("UserConfirmationNecessary"),
        Some(Json::Bool(true))
    ))
}

/// Whether `error` is the service's word that a device key is unknown
/// (ResourceNotFoundException about the device): the stored device is stale.
pub fn is_stale_device_error(error: &Error) -> bool {
    error.name() == "ResourceNotFoundException"
        && error
            .message()
            .as_bytes()
            .windows(6)
            .any(|w| w.eq_ignore_ascii_case(b"device"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metadata() -> NewDeviceMetadata {
        NewDeviceMetadata {
            device_key: "us-east-1_0f1e2d3c".into(),
            device_group_key: "-abcDEF".into(),
        }
    }

    #[test]
    fn new_device_verifier_is_g_to_the_device_x() {
        let (secrets, config) = new_device(metadata(), &[7; 40], &[0x90; 16]);
        assert_eq!(secrets.device_password.len(), 56, "base64 of 40 bytes");
        let salt = Base64::decode_vec(&config.salt).unwrap();
        assert_eq!(salt.len(), 17, "a high first byte gets a 00 in front");
        assert_eq!(salt[0], 0);
        let x = compute_device_x(
            &Uint::from_be_bytes(&salt).unwrap(),
            "-abcDEF",
            "us-east-1_0f1e2d3c",
            &secrets.device_password,
        );
        let v = Base64::decode_vec(&config.password_verifier).unwrap();
        assert_eq!(v, pad_bytes(&compute_device_verifier(&x)));
        let (_, low) = new_device(metadata(), &[7; 40], &[0; 16]);
        assert_eq!(
            Base64::decode_vec(&low.salt).unwrap(),
            [0],
            "a zero salt is one byte"
        );
    }

    #[test]
    fn stored_devices_round_trip_and_foreign_values_are_refused() {
        let (secrets, _) = new_device(metadata(), &[1; 40], &[2; 16]);
        let back = DeviceSecrets::from_stored(&secrets.to_stored()).unwrap();
        assert_eq!(back.device_key, secrets.device_key);
        assert_eq!(back.device_group_key, secrets.device_group_key);
        assert_eq!(*back.device_password, *secrets.device_password);
        for text in ["", "{}", "[1]", r#"{"deviceKey":"k","deviceGroupKey":"g"}"#] {
            assert!(DeviceSecrets::from_stored(text).is_none(), "{text}");
        }
    }

    #[test]
    fn stale_device_errors_are_recognised() {
        let service = |name: &str, message: &str| Error::service(name.into(), message.into());
        assert!(is_stale_device_error(&service(
            "ResourceNotFoundException",
            "Device does not exist."
        )));
        assert!(!is_stale_device_error(&service(
            "ResourceNotFoundException",
            "User pool client x does not exist."
        )));
        assert!(!is_stale_device_error(&service(
            "NotAuthorizedException",
            "Device does not exist."
        )));
    }

    #[test]
    fn requests_carry_the_fields_of_the_service_model() {
        let config = ClientConfig::new("us-east-1_P", "c", None, None, None).unwrap();
        let (_, verifier) = new_device(metadata(), &[1; 40], &[2; 16]);
        let request = confirm_device(&config, "at", "dk", &verifier, "Chrome");
        let body = Json::parse(&request.body).unwrap();
        assert_eq!(body.get("DeviceKey").and_then(Json::as_str), Some("dk"));
        assert_eq!(
            body.get("DeviceName").and_then(Json::as_str),
            Some("Chrome")
        );
        let config_json = body.get("DeviceSecretVerifierConfig").unwrap();
        assert_eq!(
            config_json.get("Salt").and_then(Json::as_str),
            Some(verifier.salt.as_str())
        );
    }
}
