//! Passkey management of the signed-in user, pure: the requests of
//! StartWebAuthnRegistration, CompleteWebAuthnRegistration,
//! ListWebAuthnCredentials and DeleteWebAuthnCredential (the service's API
//! reference) and the reading of their answers, in Amplify v6's shapes
//! (`associateWebAuthnCredential`, `listWebAuthnCredentials`,
//! `deleteWebAuthnCredential`). The registration's WebAuthn ceremony
//! (`navigator.credentials.create`) runs in the JS driver between the first
//! two:
//!
//! ```text
//! StartWebAuthnRegistration {AccessToken} ─► {CredentialCreationOptions}
//!   ─ navigator.credentials.create ─►
//! CompleteWebAuthnRegistration {AccessToken, Credential} ─► {}
//! ```

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, Result};
use crate::json::Json;
use crate::protocol::{ClientConfig, HttpRequest, HttpResponse};
use crate::text::push_decimal;

fn s(value: &str) -> Json {
    Json::String(value.to_owned())
}

fn request(config: &ClientConfig, operation: &str, members: Vec<(&str, Json)>) -> HttpRequest {
    let members = members.into_iter().map(|(k, v)| (k.into(), v)).collect();
    config.request(operation, &Json::Object(members))
}

/// StartWebAuthnRegistration {AccessToken}.
pub fn start_registration(config: &ClientConfig, access_token: &str) -> HttpRequest {
    request(
        config,
        "StartWebAuthnRegistration",
        alloc::vec![("AccessToken", s(access_token))],
    )
}

/// StartWebAuthnRegistration's CredentialCreationOptions (an object, the
/// PublicKeyCredentialCreationOptionsJSON), as JSON text for
/// `navigator.credentials.create`.
pub fn read_creation_options(response: &HttpResponse) -> Result<String> {
    match response.json()?.get("CredentialCreationOptions") {
        Some(options @ Json::Object(_)) => Ok(options.to_text()),
        _ => Err(Error::bad_response(
            "StartWebAuthnRegistration answered without a CredentialCreationOptions object",
        )),
    }
}

/// CompleteWebAuthnRegistration {AccessToken, Credential}: `credential` is
/// the ceremony's RegistrationResponseJSON text, sent as an object.
pub fn complete_registration(
    config: &ClientConfig,
    access_token: &str,
    credential: &str,
) -> Result<HttpRequest> {
    let credential = Json::parse(credential)
        .filter(|json| matches!(json, Json::Object(_)))
        .ok_or_else(|| {
            Error::Validation("the passkey ceremony gave no RegistrationResponseJSON".into())
        })?;
    Ok(request(
        config,
        "CompleteWebAuthnRegistration",
        alloc::vec![("AccessToken", s(access_token)), ("Credential", credential)],
    ))
}

/// ListWebAuthnCredentials {AccessToken, MaxResults?, NextToken?}:
/// `listWebAuthnCredentials({ pageSize, nextToken })`.
pub fn list(
    config: &ClientConfig,
    access_token: &str,
    page_size: Option<u64>,
    next_token: Option<&str>,
) -> HttpRequest {
    let mut members = alloc::vec![("AccessToken", s(access_token))];
    if let Some(size) = page_size {
        let mut digits = String::new();
        push_decimal(&mut digits, size, 1);
        members.push(("MaxResults", Json::Number(digits)));
    }
    if let Some(token) = next_token {
        members.push(("NextToken", s(token)));
    }
    request(config, "ListWebAuthnCredentials", members)
}

/// ListWebAuthnCredentials' answer in Amplify v6's shape: `{ credentials:
/// [{ credentialId, friendlyCredentialName, relyingPartyId,
/// authenticatorAttachment, authenticatorTransports, createdAt }],
/// nextToken }`, `createdAt` as epoch seconds (account.js makes it a
/// `Date`), absent members null.
pub fn read_list(response: &HttpResponse) -> Result<Json> {
    let answer = response.json()?;
    let credentials: &[Json] = match answer.get("Credentials") {
        Some(Json::Array(list)) => list,
        None => &[],
        Some(_) => {
            return Err(Error::bad_response(
                "ListWebAuthnCredentials answered Credentials that are not a list",
            ))
        }
    };
    let text =
        |json: &Json, name: &str| json.get(name).and_then(Json::as_str).map_or(Json::Null, s);
    let mut out = Vec::with_capacity(credentials.len());
    for credential in credentials {
        let transports = match credential.get("AuthenticatorTransports") {
            Some(Json::Array(list)) => list.iter().filter_map(Json::as_str).map(s).collect(),
            _ => Vec::new(),
        };
        let created = match credential.get("CreatedAt") {
            Some(Json::Number(n)) => Json::Number(n.clone()),
            _ => Json::Null,
        };
        out.push(Json::Object(alloc::vec![
            ("credentialId".into(), text(credential, "CredentialId")),
            (
                "friendlyCredentialName".into(),
                text(credential, "FriendlyCredentialName")
            ),
            ("relyingPartyId".into(), text(credential, "RelyingPartyId")),
            (
                "authenticatorAttachment".into(),
                text(credential, "AuthenticatorAttachment")
            ),
            ("authenticatorTransports".into(), Json::Array(transports)),
            ("createdAt".into(), created),
        ]));
    }
    Ok(Json::Object(alloc::vec![
        ("credentials".into(), Json::Array(out)),
        ("nextToken".into(), text(&answer, "NextToken")),
    ]))
}

/// DeleteWebAuthnCredential {AccessToken, CredentialId}.
pub fn delete(config: &ClientConfig, access_token: &str, credential_id: &str) -> HttpRequest {
    request(
        config,
        "DeleteWebAuthnCredential",
        alloc::vec![
            ("AccessToken", s(access_token)),
            ("CredentialId", s(credential_id))
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{config, ok};

    #[test]
    fn registration_requests_carry_the_token_and_the_credential_object() {
        let config = config(None);
        let start = start_registration(&config, "at");
        assert!(start
            .target()
            .unwrap()
            .ends_with(".StartWebAuthnRegistration"));
        assert_eq!(&*start.body, r#"{"AccessToken":"at"}"#);
        let answer =
            ok(r#"{"CredentialCreationOptions":{"challenge":"Y2g","rp":{"id":"localhost"}}}"#);
        assert_eq!(
            read_creation_options(&answer).unwrap(),
            r#"{"challenge":"Y2g","rp":{"id":"localhost"}}"#
        );
        assert!(matches!(
            read_creation_options(&ok(r#"{"CredentialCreationOptions":"text"}"#)),
            Err(Error::InvalidServerResponse(_))
        ));
        let complete =
            complete_registration(&config, "at", r#"{"id":"aWQ","response":{}}"#).unwrap();
        assert!(complete
            .target()
            .unwrap()
            .ends_with(".CompleteWebAuthnRegistration"));
        assert_eq!(
            &*complete.body,
            r#"{"AccessToken":"at","Credential":{"id":"aWQ","response":{}}}"#
        );
        assert!(matches!(
            complete_registration(&config, "at", "[]"),
            Err(Error::Validation(_))
        ));
    }

    #[test]
    fn the_list_becomes_amplify_credentials() {
        let config = config(None);
        assert_eq!(
            &*list(&config, "at", Some(2), Some("t1")).body,
            r#"{"AccessToken":"at","MaxResults":2,"NextToken":"t1"}"#
        );
        assert_eq!(
            &*list(&config, "at", None, None).body,
            r#"{"AccessToken":"at"}"#
        );
        let answer = ok(
            r#"{"Credentials":[{"CredentialId":"aWQ","FriendlyCredentialName":"Platform passkey","RelyingPartyId":"localhost","AuthenticatorAttachment":"platform","AuthenticatorTransports":["internal"],"CreatedAt":1.7E9,"Extra":1}],"NextToken":"t2"}"#,
        );
        assert_eq!(
            read_list(&answer).unwrap().to_text(),
            r#"{"credentials":[{"credentialId":"aWQ","friendlyCredentialName":"Platform passkey","relyingPartyId":"localhost","authenticatorAttachment":"platform","authenticatorTransports":["internal"],"createdAt":1.7E9}],"nextToken":"t2"}"#
        );
        assert_eq!(
            read_list(&ok("{}")).unwrap().to_text(),
            r#"{"credentials":[],"nextToken":null}"#
        );
        assert!(read_list(&ok(r#"{"Credentials":{}}"#)).is_err());
        let delete = delete(&config, "at", "aWQ");
        assert!(delete
            .target()
            .unwrap()
            .ends_with(".DeleteWebAuthnCredential"));
        assert_eq!(
            &*delete.body,
            r#"{"AccessToken":"at","CredentialId":"aWQ"}"#
        );
    }
}
