//! Account calls, pure: the request of each (sign-up, password reset and
//! change, the user's attributes, DeleteUser, GlobalSignOut, the remembered
//! devices' UpdateDeviceStatus, ForgetDevice and ListDevices) and the reading
//! of its answer into the result the app gets, as JSON in Amplify v6's
//! shapes. The bindings send the request and turn the JSON into JS.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, Result};
use crate::json::Json;
use crate::protocol::{ClientConfig, HttpRequest, HttpResponse, StringMap};

/// How the answer of an account call becomes its result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// `undefined` (null here).
    Nothing,
    /// SignUp: `{ isSignUpComplete, userId, nextStep: { signUpStep, codeDeliveryDetails? } }`.
    SignUp,
    /// ConfirmSignUp: `{ isSignUpComplete: true, nextStep: { signUpStep: 'DONE' } }`.
    SignUpDone,
    /// ConfirmSignUp after `signUp({ autoSignIn: true })`: signUpStep
    /// `COMPLETE_AUTO_SIGN_IN`.
    SignUpAutoSignIn,
    /// `CodeDeliveryDetails` itself (resendSignUpCode, sendUserAttributeVerificationCode).
    Delivery,
    /// ForgotPassword: `{ isPasswordReset: false, nextStep: { resetPasswordStep, codeDeliveryDetails } }`.
    ResetPassword,
    /// GetUser: the attributes as `{ name: value }`.
    Attributes,
    /// GetUser: `{ username, userId }`.
    CurrentUser,
    /// UpdateUserAttributes: `{ [name]: { isUpdated, nextStep: { updateAttributeStep, codeDeliveryDetails? } } }`.
    AttributeUpdates,
    /// ListDevices: Amplify's devices (see `crate::device::read_devices`).
    Devices,
}

/// One account call: its request and how to read the answer.
pub struct Call {
    pub request: HttpRequest,
    pub reader: Reader,
    /// The attribute names sent, for [`Reader::AttributeUpdates`].
    pub names: Vec<String>,
}

fn s(value: &str) -> Json {
    Json::String(value.to_owned())
}

/// `[{ Name, Value }]`.
fn attribute_list(attributes: &StringMap) -> Json {
    Json::Array(
        attributes
            .iter()
            .map(|(name, value)| {
                Json::Object(alloc::vec![
                    ("Name".into(), s(name)),
                    ("Value".into(), s(value))
                ])
            })
            .collect(),
    )
}

fn call(
    config: &ClientConfig,
    operation: &str,
    members: Vec<(&str, Json)>,
    reader: Reader,
) -> Call {
    Call {
        request: config.request(operation, &object(members)),
        reader,
        names: Vec::new(),
    }
}

/// An unauthenticated call about `username`, with the AnalyticsMetadata and
/// UserContextData the service takes on it.
fn user_call_for(
    config: &ClientConfig,
    operation: &str,
    members: Vec<(&str, Json)>,
    reader: Reader,
    username: &str,
) -> Call {
    Call {
        request: config.user_request(operation, object(members), username),
        reader,
        names: Vec::new(),
    }
}

/// The members every unsigned call about `username` carries.
fn client_members<'a>(config: &ClientConfig, username: &str) -> Vec<(&'a str, Json)> {
    let mut members = alloc::vec![
        ("ClientId", s(config.client_id())),
        ("Username", s(username))
    ];
    if let Some(hash) = config.secret_hash(username) {
        members.push(("SecretHash", s(&hash)));
    }
    members
}

fn metadata(members: &mut Vec<(&str, Json)>, client_metadata: Option<&StringMap>) {
    if let Some(map) = client_metadata {
        members.push(("ClientMetadata", map.to_json()));
    }
}

pub struct SignUpInput<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub attributes: Option<&'a StringMap>,
    pub validation_data: Option<&'a StringMap>,
    pub client_metadata: Option<&'a StringMap>,
}

/// SignUp; an empty password is left out, as Amplify v6 does: a
/// passwordless sign-up, for pools whose sign-in policy offers a factor
/// other than the password (USER_AUTH).
pub fn sign_up(config: &ClientConfig, input: &SignUpInput) -> Call {
    let mut members = client_members(config, input.username);
    if !input.password.is_empty() {
        members.push(("Password", s(input.password)));
    }
    if let Some(attributes) = input.attributes {
        members.push(("UserAttributes", attribute_list(attributes)));
    }
    if let Some(data) = input.validation_data {
        members.push(("ValidationData", attribute_list(data)));
    }
    metadata(&mut members, input.client_metadata);
    user_call_for(config, "SignUp", members, Reader::SignUp, input.username)
}

/// ConfirmSignUp, with the `session` SignUp answered when the user is to be
/// signed in with it (autoSignIn, USER_AUTH): the service then answers a
/// Session of its own that InitiateAuth USER_AUTH signs in with.
pub fn confirm_sign_up(
    config: &ClientConfig,
    username: &str,
    code: &str,
    session: Option<&str>,
    client_metadata: Option<&StringMap>,
) -> Call {
    let mut members = client_members(config, username);
    members.push(("ConfirmationCode", s(code)));
    if let Some(session) = session {
        members.push(("Session", s(session)));
    }
    metadata(&mut members, client_metadata);
    user_call_for(
        config,
        "ConfirmSignUp",
        members,
        Reader::SignUpDone,
        username,
    )
}

/// ResendConfirmationCode and ForgotPassword: the user and ClientMetadata.
fn about_user(
    config: &ClientConfig,
    operation: &str,
    reader: Reader,
    username: &str,
    client_metadata: Option<&StringMap>,
) -> Call {
    let mut members = client_members(config, username);
    metadata(&mut members, client_metadata);
    user_call_for(config, operation, members, reader, username)
}

pub fn resend_sign_up_code(
    config: &ClientConfig,
    username: &str,
    client_metadata: Option<&StringMap>,
) -> Call {
    let operation = "ResendConfirmationCode";
    about_user(
        config,
        operation,
        Reader::Delivery,
        username,
        client_metadata,
    )
}

pub fn reset_password(
    config: &ClientConfig,
    username: &str,
    client_metadata: Option<&StringMap>,
) -> Call {
    let operation = "ForgotPassword";
    about_user(
        config,
        operation,
        Reader::ResetPassword,
        username,
        client_metadata,
    )
}

pub fn confirm_reset_password(
    config: &ClientConfig,
    username: &str,
    code: &str,
    new_password: &str,
    client_metadata: Option<&StringMap>,
) -> Call {
    let mut members = client_members(config, username);
    members.push(("ConfirmationCode", s(code)));
    members.push(("Password", s(new_password)));
    metadata(&mut members, client_metadata);
    let reader = Reader::Nothing;
    user_call_for(config, "ConfirmForgotPassword", members, reader, username)
}

/// The calls made with the user's access token.
pub enum UserCall<'a> {
    ChangePassword {
        old: &'a str,
        new: &'a str,
    },
    GetAttributes,
    GetCurrentUser,
    /// The attributes, and ClientMetadata for the triggers.
    UpdateAttributes(&'a StringMap, Option<&'a StringMap>),
    DeleteAttributes(&'a [String]),
    /// The attribute name, and ClientMetadata for the triggers.
    SendVerificationCode(&'a str, Option<&'a StringMap>),
    ConfirmAttribute {
        name: &'a str,
        code: &'a str,
    },
    DeleteUser,
    GlobalSignOut,
}

pub fn user_call(config: &ClientConfig, access_token: &str, which: UserCall) -> Call {
    let mut members = alloc::vec![("AccessToken", s(access_token))];
    let mut names = Vec::new();
    let (operation, reader) = match which {
        UserCall::ChangePassword { old, new } => {
            members.push(("PreviousPassword", s(old)));
            members.push(("ProposedPassword", s(new)));
            ("ChangePassword", Reader::Nothing)
        }
        UserCall::GetAttributes => ("GetUser", Reader::Attributes),
        UserCall::GetCurrentUser => ("GetUser", Reader::CurrentUser),
        UserCall::UpdateAttributes(attributes, client_metadata) => {
            names = attributes.iter().map(|(n, _)| n.to_owned()).collect();
            members.push(("UserAttributes", attribute_list(attributes)));
            metadata(&mut members, client_metadata);
            ("UpdateUserAttributes", Reader::AttributeUpdates)
        }
        UserCall::DeleteAttributes(list) => {
            let list = list.iter().map(|n| s(n)).collect();
            members.push(("UserAttributeNames", Json::Array(list)));
            ("DeleteUserAttributes", Reader::Nothing)
        }
        UserCall::SendVerificationCode(name, client_metadata) => {
            members.push(("AttributeName", s(name)));
            metadata(&mut members, client_metadata);
            ("GetUserAttributeVerificationCode", Reader::Delivery)
        }
        UserCall::ConfirmAttribute { name, code } => {
            members.push(("AttributeName", s(name)));
            members.push(("Code", s(code)));
            ("VerifyUserAttribute", Reader::Nothing)
        }
        UserCall::DeleteUser => ("DeleteUser", Reader::Nothing),
        UserCall::GlobalSignOut => ("GlobalSignOut", Reader::Nothing),
    };
    let mut call = call(config, operation, members, reader);
    call.names = names;
    call
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
    call(
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
    call(
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
    call(
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

fn object(members: Vec<(&str, Json)>) -> Json {
    Json::Object(members.into_iter().map(|(k, v)| (k.into(), v)).collect())
}

fn str_or_null(json: Option<&Json>) -> Json {
    json.and_then(Json::as_str).map_or(Json::Null, s)
}

/// CodeDeliveryDetails in Amplify's camelCase.
fn delivery(details: Option<&Json>) -> Json {
    let field = |name: &str| str_or_null(details.and_then(|d| d.get(name)));
    object(alloc::vec![
        ("destination", field("Destination")),
        ("deliveryMedium", field("DeliveryMedium")),
        ("attributeName", field("AttributeName")),
    ])
}

fn attribute_pairs(answer: &Json) -> Result<Vec<(String, String)>> {
    let bad = || Error::bad_response("UserAttributes in the answer are not [{Name, Value}]");
    let Some(Json::Array(list)) = answer.get("UserAttributes") else {
        return Err(bad());
    };
    list.iter()
        .map(|a| {
            let name = a.get("Name").and_then(Json::as_str).ok_or_else(bad)?;
            let value = a.get("Value").and_then(Json::as_str).unwrap_or("");
            Ok((name.to_owned(), value.to_owned()))
        })
        .collect()
}

/// The result of `call` from its answer.
pub fn read(call_reader: Reader, names: &[String], response: &HttpResponse) -> Result<Json> {
    let answer = response.json()?;
    Ok(match call_reader {
        Reader::Nothing => Json::Null,
        Reader::SignUp => {
            let confirmed = matches!(answer.get("UserConfirmed"), Some(Json::Bool(true)));
            let mut step = alloc::vec![(
                "signUpStep",
                s(if confirmed { "DONE" } else { "CONFIRM_SIGN_UP" })
            )];
            if !confirmed {
                step.push((
                    "codeDeliveryDetails",
                    delivery(answer.get("CodeDeliveryDetails")),
                ));
            }
            object(alloc::vec![
                ("isSignUpComplete", Json::Bool(confirmed)),
                ("userId", str_or_null(answer.get("UserSub"))),
                ("nextStep", object(step)),
            ])
        }
        Reader::SignUpDone | Reader::SignUpAutoSignIn => {
            let step = if call_reader == Reader::SignUpDone {
                "DONE"
            } else {
                "COMPLETE_AUTO_SIGN_IN"
            };
            object(alloc::vec![
                ("isSignUpComplete", Json::Bool(true)),
                ("nextStep", object(alloc::vec![("signUpStep", s(step))])),
            ])
        }
        Reader::Delivery => delivery(answer.get("CodeDeliveryDetails")),
        Reader::ResetPassword => object(alloc::vec![
            ("isPasswordReset", Json::Bool(false)),
            (
                "nextStep",
                object(alloc::vec![
                    ("resetPasswordStep", s("CONFIRM_RESET_PASSWORD_WITH_CODE")),
                    (
                        "codeDeliveryDetails",
                        delivery(answer.get("CodeDeliveryDetails"))
                    ),
                ])
            ),
        ]),
        Reader::Attributes => {
            let pairs = attribute_pairs(&answer)?;
            Json::strings(&mut pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        }
        Reader::Devices => read_devices(&answer)?,
        Reader::CurrentUser => {
            let sub = attribute_pairs(&answer)?
                .into_iter()
                .find(|(n, _)| n == "sub")
                .map_or(Json::Null, |(_, v)| Json::String(v));
            object(alloc::vec![
                ("username", str_or_null(answer.get("Username"))),
                ("userId", sub),
            ])
        }
        Reader::AttributeUpdates => {
            let details: &[Json] = match answer.get("CodeDeliveryDetailsList") {
                Some(Json::Array(list)) => list,
                _ => &[],
            };
            Json::Object(
                names
                    .iter()
                    .map(|name| {
                        let sent = details
                            .iter()
                            .find(|d| d.get("AttributeName").and_then(Json::as_str) == Some(name));
                        let mut step = alloc::vec![(
                            "updateAttributeStep",
                            s(if sent.is_some() {
                                "CONFIRM_ATTRIBUTE_WITH_CODE"
                            } else {
                                "DONE"
                            })
                        )];
                        if sent.is_some() {
                            step.push(("codeDeliveryDetails", delivery(sent)));
                        }
                        let result = object(alloc::vec![
                            ("isUpdated", Json::Bool(sent.is_none())),
                            ("nextStep", object(step)),
                        ]);
                        (name.clone(), result)
                    })
                    .collect(),
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{config, ok};

    #[test]
    fn sign_up_request_and_result() {
        let attributes: StringMap = [("email", "z@example.com".to_owned())].into();
        let data: StringMap = [("k", "v".to_owned())].into();
        let config = config(Some("s3"));
        let call = sign_up(
            &config,
            &SignUpInput {
                username: "zoe",
                password: "P",
                attributes: Some(&attributes),
                validation_data: Some(&data),
                client_metadata: Some(&data),
            },
        );
        assert!(call.request.target().unwrap().ends_with(".SignUp"));
        let hash = config.secret_hash("zoe").unwrap();
        assert_eq!(
            call.request.body.as_str(),
            [r#"{"ClientId":"client","Username":"zoe","SecretHash":""#, &hash,
             r#"","Password":"P","UserAttributes":[{"Name":"email","Value":"z@example.com"}],"ValidationData":[{"Name":"k","Value":"v"}],"ClientMetadata":{"k":"v"}}"#].concat()
        );
        let answer = ok(
            r#"{"UserConfirmed":false,"UserSub":"u-1","CodeDeliveryDetails":{"Destination":"z***@e***","DeliveryMedium":"EMAIL","AttributeName":"email"}}"#,
        );
        assert_eq!(
            read(call.reader, &call.names, &answer).unwrap().to_text(),
            r#"{"isSignUpComplete":false,"userId":"u-1","nextStep":{"signUpStep":"CONFIRM_SIGN_UP","codeDeliveryDetails":{"destination":"z***@e***","deliveryMedium":"EMAIL","attributeName":"email"}}}"#
        );
        let done = ok(r#"{"UserConfirmed":true,"UserSub":"u-1"}"#);
        assert_eq!(
            read(Reader::SignUp, &[], &done).unwrap().to_text(),
            r#"{"isSignUpComplete":true,"userId":"u-1","nextStep":{"signUpStep":"DONE"}}"#
        );
    }

    #[test]
    fn a_passwordless_sign_up_sends_no_password_and_its_confirmation_the_session() {
        let config = config(None);
        let call = sign_up(
            &config,
            &SignUpInput {
                username: "pat",
                password: "",
                attributes: None,
                validation_data: None,
                client_metadata: None,
            },
        );
        assert_eq!(
            call.request.body.as_str(),
            r#"{"ClientId":"client","Username":"pat"}"#
        );
        let call = confirm_sign_up(&config, "pat", "123456", Some("sign-up-session"), None);
        assert_eq!(
            call.request.body.as_str(),
            r#"{"ClientId":"client","Username":"pat","ConfirmationCode":"123456","Session":"sign-up-session"}"#
        );
        let call = confirm_sign_up(&config, "pat", "123456", None, None);
        assert!(!call.request.body.contains("Session"));
    }

    #[test]
    fn user_calls_carry_the_access_token() {
        let config = config(None);
        let call = user_call(
            &config,
            "at",
            UserCall::ChangePassword { old: "a", new: "b" },
        );
        assert_eq!(
            call.request.body.as_str(),
            r#"{"AccessToken":"at","PreviousPassword":"a","ProposedPassword":"b"}"#
        );
        let names = ["locale".to_owned()];
        let call = user_call(&config, "at", UserCall::DeleteAttributes(&names));
        assert_eq!(
            call.request.body.as_str(),
            r#"{"AccessToken":"at","UserAttributeNames":["locale"]}"#
        );
        let user = ok(
            r#"{"Username":"alice","UserAttributes":[{"Name":"sub","Value":"s-1"},{"Name":"email","Value":"a@x"}]}"#,
        );
        assert_eq!(
            read(Reader::Attributes, &[], &user).unwrap().to_text(),
            r#"{"sub":"s-1","email":"a@x"}"#
        );
        assert_eq!(
            read(Reader::CurrentUser, &[], &user).unwrap().to_text(),
            r#"{"username":"alice","userId":"s-1"}"#
        );
    }

    #[test]
    fn attribute_updates_say_which_need_a_code() {
        let names = ["email".to_owned(), "locale".to_owned()];
        let answer = ok(
            r#"{"CodeDeliveryDetailsList":[{"Destination":"a***@e***","DeliveryMedium":"EMAIL","AttributeName":"email"}]}"#,
        );
        assert_eq!(
            read(Reader::AttributeUpdates, &names, &answer)
                .unwrap()
                .to_text(),
            r#"{"email":{"isUpdated":false,"nextStep":{"updateAttributeStep":"CONFIRM_ATTRIBUTE_WITH_CODE","codeDeliveryDetails":{"destination":"a***@e***","deliveryMedium":"EMAIL","attributeName":"email"}}},"locale":{"isUpdated":true,"nextStep":{"updateAttributeStep":"DONE"}}}"#
        );
        let error = HttpResponse {
            status: 400,
            error_type: None,
            body: r#"{"__type":"CodeMismatchException","message":"m"}"#.into(),
        };
        assert_eq!(
            read(Reader::Nothing, &[], &error).unwrap_err().name(),
            "CodeMismatchException"
        );
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
    fn device_requests_carry_the_fields_of_the_service_model() {
        let config = ClientConfig::new("us-east-1_P", "c", None, None, None).unwrap();
        let call = update_device_status(&config, "at", "dk", true);
        assert!(call
            .request
            .body
            .contains(r#""DeviceRememberedStatus":"remembered""#));
        assert!(call
            .request
            .target()
            .unwrap()
            .ends_with(".UpdateDeviceStatus"));
        let call = list_devices(&config, "at");
        assert_eq!(&*call.request.body, r#"{"AccessToken":"at","Limit":60}"#);
        assert!(forget_device(&config, "at", "dk")
            .request
            .target()
            .unwrap()
            .ends_with(".ForgetDevice"));
    }
}
