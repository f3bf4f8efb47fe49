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
use alloc::vec::Vec;

use zeroize::Zeroizing;

use crate::account::{Call, Reader};
use crate::base64;
use crate::error::{Error, Result};
use crate::json::Json;
use crate::protocol::{ClientConfig, HttpResponse};
use crate::residue::Residue;
use crate::srp::{compute_x, pad_bytes, SrpIdentity, HASH_BITS};
use crate::uint::Uint;

/// Random bytes behind a device password (the reference clients draw 40).
pub const PASSWORD_RANDOM_BYTES: usize = 40;
/// Random bytes of a device verifier's salt (the reference clients draw 16).
pub const SALT_RANDOM_BYTES: usize = 16;

/// What a sign-in answers when the pool tracks devices and this device is
/// new to it: AuthenticationResult.NewDeviceMetadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDeviceMetadata {
    pub device_key: String,
    pub device_group_key: String,
}

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
    Zeroizing::new(base64::encode(random))
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
        password_verifier: base64::encode(&pad_bytes(&verifier)),
        salt: base64::encode(&pad_bytes(&salt)),
    };
    let secrets = DeviceSecrets {
        device_key: metadata.device_key,
        device_group_key: metadata.device_group_key,
        device_password,
    };
    (secrets, config)
}

/// NewDeviceMetadata of an AuthenticationResult, if it has both keys.
pub fn read_new_device_metadata(result: &Json) -> Option<NewDeviceMetadata> {
    let metadata = result.get("NewDeviceMetadata")?;
    let field = |name: &str| {
        metadata
            .get(name)
            .and_then(Json::as_str)
            .filter(|v| !v.is_empty())
            .map(|v| v.to_owned())
    };
    Some(NewDeviceMetadata {
        device_key: field("DeviceKey")?,
        device_group_key: field("DeviceGroupKey")?,
    })
}

fn s(value: &str) -> Json {
    Json::String(value.to_owned())
}

fn device_call(
    config: &ClientConfig,
    operation: &str,
    members: Vec<(&str, Json)>,
    reader: Reader,
) -> Call {
    let mut body = Vec::with_capacity(members.len());
    for (key, value) in members {
        body.push((key.to_owned(), value));
    }
    let body = Json::Object(body);
    Call {
        request: config.request(operation, &body),
        reader,
        names: Vec::new(),
    }
}

/// ConfirmDevice {AccessToken, DeviceKey, DeviceSecretVerifierConfig, DeviceName}.
pub fn confirm_device(
    config: &ClientConfig,
    access_token: &str,
    device_key: &str,
    verifier: &VerifierConfig,
    device_name: &str,
) -> Call {
    let verifier_config = Json::string_map(&[
        ("PasswordVerifier", verifier.password_verifier.as_str()),
        ("Salt", verifier.salt.as_str()),
    ]);
    device_call(
        config,
        "ConfirmDevice",
        alloc::vec![
            ("AccessToken", s(access_token)),
            ("DeviceKey", s(device_key)),
            ("DeviceSecretVerifierConfig", verifier_config),
            ("DeviceName", s(device_name)),
        ],
        Reader::Nothing,
    )
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

/// UpdateDeviceStatus {AccessToken, DeviceKey, DeviceRememberedStatus}.
pub fn update_device_status(
    config: &ClientConfig,
    access_token: &str,
    device_key: &str,
    remembered: bool,
) -> Call {
    let status = if remembered {
        "remembered"
    } else {
        "not_remembered"
    };
    device_call(
        config,
        "UpdateDeviceStatus",
        alloc::vec![
            ("AccessToken", s(access_token)),
            ("DeviceKey", s(device_key)),
            ("DeviceRememberedStatus", s(status)),
        ],
        Reader::Nothing,
    )
}

/// ForgetDevice {AccessToken, DeviceKey}.
pub fn forget_device(config: &ClientConfig, access_token: &str, device_key: &str) -> Call {
    device_call(
        config,
        "ForgetDevice",
        alloc::vec![
            ("AccessToken", s(access_token)),
            ("DeviceKey", s(device_key))
        ],
        Reader::Nothing,
    )
}

/// ListDevices {AccessToken, Limit: 60}, the page Amplify's fetchDevices asks for.
pub fn list_devices(config: &ClientConfig, access_token: &str) -> Call {
    device_call(
        config,
        "ListDevices",
        alloc::vec![
            ("AccessToken", s(access_token)),
            ("Limit", Json::Number("60".into())),
        ],
        Reader::Devices,
    )
}

/// ListDevices' `Devices` in Amplify v6's shape, as `{ devices: [{ id, name,
/// attributes, createDate, lastAuthenticatedDate, lastModifiedDate }] }`:
/// the dates as epoch seconds, absent ones null. index.js unwraps the list
/// and makes the dates `Date`s (an array result would read as a request to
/// the bindings' `drive`).
pub fn read_devices(answer: &Json) -> Result<Json> {
    let Some(Json::Array(devices)) = answer.get("Devices") else {
        return Err(Error::bad_response(
            "ListDevices answered without a Devices list",
        ));
    };
    // A loop, not `collect::<Result<_>>`: smaller in the wasm module.
    let mut out = Vec::with_capacity(devices.len());
    for device in devices {
        let key = device
            .get("DeviceKey")
            .and_then(Json::as_str)
            .ok_or_else(|| Error::bad_response("a device in ListDevices has no DeviceKey"))?;
        out.push({
            let mut name = Json::Null;
            let mut attributes = Vec::new();
            if let Some(Json::Array(list)) = device.get("DeviceAttributes") {
                for attribute in list {
                    let field = |f: &str| attribute.get(f).and_then(Json::as_str);
                    if let (Some(n), Some(v)) = (field("Name"), field("Value")) {
                        if n == "device_name" {
                            name = s(v);
                        }
                        attributes.push((n.to_owned(), s(v)));
                    }
                }
            }
            let date = |f: &str| match device.get(f) {
                Some(Json::Number(n)) => Json::Number(n.clone()),
                _ => Json::Null,
            };
            Json::Object(alloc::vec![
                ("id".into(), s(key)),
                ("name".into(), name),
                ("attributes".into(), Json::Object(attributes)),
                ("createDate".into(), date("DeviceCreateDate")),
                (
                    "lastAuthenticatedDate".into(),
                    date("DeviceLastAuthenticatedDate")
                ),
                ("lastModifiedDate".into(), date("DeviceLastModifiedDate")),
            ])
        });
    }
    Ok(Json::Object(alloc::vec![(
        "devices".into(),
        Json::Array(out)
    )]))
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
        let salt = base64::decode(&config.salt).unwrap();
        assert_eq!(salt.len(), 17, "a high first byte gets a 00 in front");
        assert_eq!(salt[0], 0);
        let x = compute_device_x(
            &Uint::from_be_bytes(&salt).unwrap(),
            "-abcDEF",
            "us-east-1_0f1e2d3c",
            &secrets.device_password,
        );
        let v = base64::decode(&config.password_verifier).unwrap();
        assert_eq!(v, pad_bytes(&compute_device_verifier(&x)));
        let (_, low) = new_device(metadata(), &[7; 40], &[0; 16]);
        assert_eq!(
            base64::decode(&low.salt).unwrap(),
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
    fn list_devices_become_amplify_devices() {
        let answer = Json::parse(
            r#"{"Devices":[{"DeviceKey":"k1","DeviceAttributes":[{"Name":"device_name","Value":"Firefox"},{"Name":"device_status","Value":"valid"}],"DeviceCreateDate":1700000000.5,"DeviceLastModifiedDate":1700000001}]}"#,
        )
        .unwrap();
        let devices = read_devices(&answer).unwrap();
        assert_eq!(
            devices.to_text(),
            r#"{"devices":[{"id":"k1","name":"Firefox","attributes":{"device_name":"Firefox","device_status":"valid"},"createDate":1700000000.5,"lastAuthenticatedDate":null,"lastModifiedDate":1700000001}]}"#
        );
        assert!(read_devices(&Json::parse("{}").unwrap()).is_err());
    }

    #[test]
    fn requests_carry_the_fields_of_the_service_model() {
        let config = ClientConfig::new("us-east-1_P", "c", None, None, None).unwrap();
        let (_, verifier) = new_device(metadata(), &[1; 40], &[2; 16]);
        let call = confirm_device(&config, "at", "dk", &verifier, "Chrome");
        let body = Json::parse(&call.request.body).unwrap();
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
        let call = update_device_status(&config, "at", "dk", true);
        assert!(call
            .request
            .body
            .contains(r#""DeviceRememberedStatus":"remembered""#));
        assert!(call.request.target.ends_with(".UpdateDeviceStatus"));
        let call = list_devices(&config, "at");
        assert_eq!(&*call.request.body, r#"{"AccessToken":"at","Limit":60}"#);
        assert!(forget_device(&config, "at", "dk")
            .request
            .target
            .ends_with(".ForgetDevice"));
    }
}
