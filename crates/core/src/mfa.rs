//! Signed-in MFA management, as Amplify v6 names it: `setUpTOTP`
//! (AssociateSoftwareToken), `verifyTOTPSetup` (VerifySoftwareToken),
//! `updateMFAPreference` (SetUserMFAPreference) and `fetchMFAPreference`
//! (GetUser). Requests with the access token, and the reading of answers.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, Result};
use crate::json::Json;
use crate::protocol::{amplify_mfa_type, ClientConfig, HttpRequest, HttpResponse};
use crate::text::quoted;

/// One call.
pub enum MfaCall<'a> {
    SetUpTotp,
    VerifyTotp {
        code: &'a str,
        friendly_device_name: Option<&'a str>,
    },
    /// `(sms, totp, email)`: each `ENABLED`, `DISABLED`, `PREFERRED`,
    /// `NOT_PREFERRED` or absent (unchanged).
    UpdatePreference([Option<&'a str>; 3]),
    FetchPreference,
}

/// How to read the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MfaReader {
    /// `{ sharedSecret }` (the bindings add `getSetupUri`).
    TotpSetup,
    /// `undefined`.
    Nothing,
    /// `{ enabled?, preferred? }`.
    Preference,
}

/// Builds the request of `call`.
pub fn request(
    config: &ClientConfig,
    access_token: &str,
    call: MfaCall,
) -> Result<(HttpRequest, MfaReader)> {
    let token = (
        "AccessToken".to_owned(),
        Json::String(access_token.to_owned()),
    );
    let text = |value: &str| Json::String(value.to_owned());
    let (operation, members, reader) = match call {
        MfaCall::SetUpTotp => ("AssociateSoftwareToken", Vec::new(), MfaReader::TotpSetup),
        MfaCall::VerifyTotp {
            code,
            friendly_device_name,
        } => {
            if code.trim().is_empty() {
                return Err(Error::Validation(
                    "verifyTOTPSetup: code is empty; pass the authenticator app's code".into(),
                ));
            }
            let mut members = alloc::vec![("UserCode".to_owned(), text(code.trim()))];
            if let Some(name) = friendly_device_name {
                members.push(("FriendlyDeviceName".to_owned(), text(name)));
            }
            ("VerifySoftwareToken", members, MfaReader::Nothing)
        }
        MfaCall::UpdatePreference(choices) => {
            let names = [
                "SMSMfaSettings",
                "SoftwareTokenMfaSettings",
                "EmailMfaSettings",
            ];
            let mut members = Vec::new();
            for (name, choice) in names.into_iter().zip(choices) {
                let Some(choice) = choice else { continue };
                let (enabled, preferred) = match choice {
                    "ENABLED" => (true, None),
                    "DISABLED" => (false, Some(false)),
                    "PREFERRED" => (true, Some(true)),
                    "NOT_PREFERRED" => (true, Some(false)),
                    other => {
                        return Err(Error::Validation(
                            [
                                "updateMFAPreference: ",
                                &quoted(other),
                                " is not 'ENABLED', 'DISABLED', 'PREFERRED' or 'NOT_PREFERRED'",
                            ]
                            .concat()
                            .into(),
                        ))
                    }
                };
                let mut setting = alloc::vec![("Enabled".to_owned(), Json::Bool(enabled))];
                if let Some(preferred) = preferred {
                    setting.push(("PreferredMfa".to_owned(), Json::Bool(preferred)));
                }
                members.push((name.to_owned(), Json::Object(setting)));
            }
            ("SetUserMFAPreference", members, MfaReader::Nothing)
        }
        MfaCall::FetchPreference => ("GetUser", Vec::new(), MfaReader::Preference),
    };
    let mut body = alloc::vec![token];
    body.extend(members);
    Ok((config.request(operation, &Json::Object(body)), reader))
}

/// Reads the answer of a call.
pub fn read(reader: MfaReader, response: &HttpResponse) -> Result<Json> {
    let answer = response.json()?;
    Ok(match reader {
        MfaReader::Nothing => Json::Null,
        MfaReader::TotpSetup => {
            let secret = answer
                .get("SecretCode")
                .and_then(Json::as_str)
                .ok_or_else(|| Error::bad_response("AssociateSoftwareToken gave no SecretCode"))?;
            Json::string_map(&[("sharedSecret", secret)])
        }
        MfaReader::Preference => {
            let mut members: Vec<(String, Json)> = Vec::new();
            let enabled: Vec<Json> = answer
                .get("UserMFASettingList")
                .and_then(|list| match list {
                    Json::Array(items) => Some(items),
                    _ => None,
                })
                .into_iter()
                .flatten()
                .filter_map(|item| amplify_mfa_type(item.as_str()?))
                .map(|name| Json::String(name.to_owned()))
                .collect();
            if !enabled.is_empty() {
                members.push(("enabled".to_owned(), Json::Array(enabled)));
            }
            let preferred = answer
                .get("PreferredMfaSetting")
                .and_then(Json::as_str)
                .and_then(amplify_mfa_type);
            if let Some(preferred) = preferred {
                members.push(("preferred".to_owned(), Json::String(preferred.to_owned())));
            }
            Json::Object(members)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::ok;

    fn config() -> ClientConfig {
        ClientConfig::new("us-east-1_Pool", "client", None, None, None).unwrap()
    }

    #[test]
    fn preference_requests() {
        let call = MfaCall::UpdatePreference([Some("ENABLED"), Some("PREFERRED"), None]);
        let (request, reader) = request(&config(), "at", call).unwrap();
        assert_eq!(reader, MfaReader::Nothing);
        assert_eq!(
            request.body.as_str(),
            r#"{"AccessToken":"at","SMSMfaSettings":{"Enabled":true},"SoftwareTokenMfaSettings":{"Enabled":true,"PreferredMfa":true}}"#
        );
        let bad = MfaCall::UpdatePreference([Some("ON"), None, None]);
        assert!(matches!(request_err(bad), Error::Validation(_)));
        let empty = MfaCall::VerifyTotp {
            code: " ",
            friendly_device_name: None,
        };
        assert!(matches!(request_err(empty), Error::Validation(_)));
    }

    fn request_err(call: MfaCall) -> Error {
        match request(&config(), "at", call) {
            Err(error) => error,
            Ok(_) => panic!("expected an error"),
        }
    }

    #[test]
    fn reads_preferences_and_secrets() {
        let answer = ok(
            r#"{"UserMFASettingList":["SMS_MFA","SOFTWARE_TOKEN_MFA"],"PreferredMfaSetting":"SOFTWARE_TOKEN_MFA"}"#,
        );
        assert_eq!(
            read(MfaReader::Preference, &answer).unwrap().to_text(),
            r#"{"enabled":["SMS","TOTP"],"preferred":"TOTP"}"#
        );
        assert_eq!(
            read(MfaReader::Preference, &ok("{}")).unwrap().to_text(),
            "{}"
        );
        assert_eq!(
            read(MfaReader::TotpSetup, &ok(r#"{"SecretCode":"ABC"}"#))
                .unwrap()
                .to_text(),
            r#"{"sharedSecret":"ABC"}"#
        );
    }
}
