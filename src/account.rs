//! The JS surface of the account module (`module-account/`, `pkg/account/`):
//! `AccountCalls`, the account calls of `CognitoAuth` that a sign-in does not
//! need: sign-up and its confirmation, password reset and change, the user's
//! attributes, getCurrentUser, DeleteUser, GlobalSignOut, TOTP setup and the
//! MFA preference, and the remembered devices' calls. index.js loads the
//! module on the first of these calls, so that the sign-in path (what an app
//! that imports `CognitoAuth` loads up front) does not carry them.
//!
//! `AccountCalls` is stateless but for autoSignIn's credentials: it reads
//! the same options object as `new CognitoAuth`, and each signed-in call
//! takes `CognitoAuth`'s `tokens` (null when signed out), which index.js
//! reads after `fetchSession` has refreshed them if due. What changes the
//! sign-in module's state is done there by index.js afterwards: deleteUser
//! ends the local session (`importSession(null, …, 'signedOut')`),
//! forgetDevice of this device drops its secret (`dropDevice`), autoSignIn
//! signs in through `signIn`.
//!
//! The requests and the reading of answers are in `crate::account`,
//! `crate::mfa` and `crate::device`; each call is an [`AccountOperation`]
//! run by the same `drive` as sign-in. Nothing here panics: every failure
//! is a rejected promise (or, for `takeAutoSignIn`, a thrown JS `Error`)
//! whose `name` is [`Error::name`], with the same messages as when these
//! calls were in the sign-in module.
//!
//! The exported items have plain `//` comments, not doc comments (see
//! `crate::bindings`).

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use crate::glue::js::{Array, Object, Promise, Reflect, JSON};
use crate::glue::{
    client_config, received, set, to_js_error, tokens_to_js, Options, Step, Transport,
};
use cognito_core::account::{self, Call, Reader, SignUpInput, UserCall};
use cognito_core::device::{is_stale_device_error, DeviceSecrets};
use cognito_core::error::{Error, Result};
use cognito_core::json::Json;
use cognito_core::mfa::{self, MfaCall, MfaReader};
use cognito_core::passkeys;
use cognito_core::protocol::{revoke_token, ClientConfig, HttpRequest, HttpResponse, StringMap};
use cognito_core::session::{read_refresh, refresh_request, RefreshKind, RefreshOutcome};

mod identity;
mod oauth;

// The account calls of one `CognitoAuth` (index.js makes one per instance).
// Each call takes the app's options object last (`options`, also for the
// calls without other options), whose `signal` stops it.
#[wasm_bindgen]
pub struct AccountCalls {
    config: Rc<ClientConfig>,
    transport: Transport,
    /// What a `signUp({ autoSignIn })` leaves for `takeAutoSignIn` to hand
    /// to `signIn`; shared with the operations that read its Session.
    auto_sign_in: Rc<RefCell<Option<AutoSignIn>>>,
}

/// How `autoSignIn` signs the new user in.
enum AutoSignIn {
    /// With the password of the sign-up, by `authFlowType` (default SRP).
    Password {
        username: String,
        password: Zeroizing<String>,
        auth_flow: Option<String>,
    },
    /// USER_AUTH (a passwordless sign-up, or `autoSignIn: { authFlowType:
    /// 'USER_AUTH' }`): with the Session of SignUp, sent with ConfirmSignUp,
    /// then ConfirmSignUp's, sent with InitiateAuth, as Amplify v6 does.
    Session {
        username: String,
        session: Option<String>,
    },
}

impl AutoSignIn {
    fn username(&self) -> &str {
        match self {
            AutoSignIn::Password { username, .. } | AutoSignIn::Session { username, .. } => {
                username
            }
        }
    }
}

#[wasm_bindgen]
impl AccountCalls {
    // `new AccountCalls(options, driver)`: the options of `new CognitoAuth`
    // and js/transport.js's `{ drive }`.
    #[wasm_bindgen(constructor, skip_jsdoc)]
    pub fn new(options: JsValue, driver: JsValue) -> core::result::Result<AccountCalls, JsValue> {
        let (config, transport) = client_config(options, driver).map_err(to_js_error)?;
        Ok(AccountCalls {
            config: Rc::new(config),
            transport,
            auto_sign_in: Rc::default(),
        })
    }

    // `signUp({ username, password?, userAttributes?, validationData?,
    // clientMetadata?, autoSignIn? })`; without a password, a passwordless
    // sign-up (USER_AUTH pools).
    #[wasm_bindgen(js_name = signUp, skip_jsdoc)]
    pub fn sign_up(&mut self, options: JsValue) -> Promise {
        let call = self.start_sign_up(options.clone());
        self.send_keeping_session(&options, call)
    }

    // `confirmSignUp({ username, confirmationCode, clientMetadata? })`.
    #[wasm_bindgen(js_name = confirmSignUp, skip_jsdoc)]
    pub fn confirm_sign_up(&self, options: JsValue) -> Promise {
        let call = self.start_confirm_sign_up(options.clone());
        self.send_keeping_session(&options, call)
    }

    // The `signIn` input of the `signUp({ autoSignIn })` that waits, for
    // index.js's `autoSignIn` to pass to `signIn` at once: `{ username,
    // password, authFlow? }`, or `{ username, authFlow: 'USER_AUTH', session
    // }` (ConfirmSignUp's Session); it is then forgotten here. Throws an
    // InvalidStateError when none waits.
    #[wasm_bindgen(js_name = takeAutoSignIn, skip_jsdoc)]
    pub fn take_auto_sign_in(&mut self) -> core::result::Result<JsValue, JsValue> {
        let waiting = self.auto_sign_in.borrow_mut().take();
        let input = Object::new();
        let text = |key: &str, value: &str| set(&input, key, &JsValue::from_str(value));
        match waiting {
            Some(AutoSignIn::Password {
                username,
                password,
                auth_flow,
            }) => {
                text("username", &username);
                text("password", &password);
                if let Some(flow) = auth_flow {
                    text("authFlow", &flow);
                }
            }
            Some(AutoSignIn::Session {
                username,
                session: Some(session),
            }) => {
                text("username", &username);
                text("authFlow", "USER_AUTH");
                text("session", &session);
            }
            Some(AutoSignIn::Session { session: None, .. }) => {
                return Err(to_js_error(Error::InvalidState(
                    "the service gave no Session for autoSignIn; sign in with signIn".into(),
                )))
            }
            None => {
                return Err(to_js_error(Error::InvalidState(
                    "no sign-up waits for autoSignIn; call signUp with autoSignIn: true, then confirmSignUp"
                        .into(),
                )))
            }
        }
        Ok(input.into())
    }

    // `associateWebAuthnCredential(tokens, ceremony, options)`: registers a
    // passkey (StartWebAuthnRegistration, the `ceremony` that runs
    // navigator.credentials.create, CompleteWebAuthnRegistration).
    #[wasm_bindgen(js_name = associateWebAuthnCredential, skip_jsdoc)]
    pub fn associate_web_authn_credential(
        &self,
        tokens: JsValue,
        ceremony: JsValue,
        options: JsValue,
    ) -> Promise {
        let call = access_token(&tokens).map(|token| {
            let request = passkeys::start_registration(&self.config, &token);
            (request, Reading::RegistrationOptions(token))
        });
        self.send_with(&options, call, &ceremony)
    }

    // `listWebAuthnCredentials(tokens, { pageSize?, nextToken? })` resolves
    // to `{ credentials, nextToken }` (account.js makes `createdAt` a Date).
    #[wasm_bindgen(js_name = listWebAuthnCredentials, skip_jsdoc)]
    pub fn list_web_authn_credentials(&self, tokens: JsValue, options: JsValue) -> Promise {
        let input = options.clone();
        let call = access_token(&tokens).and_then(|token| {
            let options = if options.is_undefined() || options.is_null() {
                Object::new().into()
            } else {
                options
            };
            let options = Options::new("listWebAuthnCredentials", options)?;
            let size = options.field("pageSize");
            let page_size = match size.as_f64() {
                None if size.is_undefined() || size.is_null() => None,
                // The service refuses what is past its limit (20).
                Some(n) if n >= 1.0 && n == (n as u64) as f64 => Some(n as u64),
                _ => return Err(options.invalid("pageSize", " must be a positive whole number")),
            };
            let next_token = options.optional_string("nextToken")?;
            let request = passkeys::list(&self.config, &token, page_size, next_token.as_deref());
            Ok((request, Reading::Passkeys))
        });
        self.send(&input, call)
    }

    // `deleteWebAuthnCredential(tokens, { credentialId })`.
    #[wasm_bindgen(js_name = deleteWebAuthnCredential, skip_jsdoc)]
    pub fn delete_web_authn_credential(&self, tokens: JsValue, options: JsValue) -> Promise {
        let input = options.clone();
        let call = access_token(&tokens).and_then(|token| {
            let options = Options::new("deleteWebAuthnCredential", options)?;
            let id = options.string("credentialId")?;
            Ok((
                passkeys::delete(&self.config, &token, &id),
                Reading::nothing(),
            ))
        });
        self.send(&input, call)
    }

    // `resendSignUpCode({ username })` resolves to the CodeDeliveryDetails.
    #[wasm_bindgen(js_name = resendSignUpCode, skip_jsdoc)]
    pub fn resend_sign_up_code(&self, options: JsValue) -> Promise {
        self.about_user("resendSignUpCode", options, account::resend_sign_up_code)
    }

    // `resetPassword({ username })`.
    #[wasm_bindgen(js_name = resetPassword, skip_jsdoc)]
    pub fn reset_password(&self, options: JsValue) -> Promise {
        self.about_user("resetPassword", options, account::reset_password)
    }

    // `confirmResetPassword({ username, confirmationCode, newPassword })`.
    #[wasm_bindgen(js_name = confirmResetPassword, skip_jsdoc)]
    pub fn confirm_reset_password(&self, options: JsValue) -> Promise {
        let call = Options::new("confirmResetPassword", options.clone()).and_then(|options| {
            Ok(account::confirm_reset_password(
                &self.config,
                &options.string("username")?,
                &options.string("confirmationCode")?,
                &Zeroizing::new(options.string("newPassword")?),
                options.optional_map("clientMetadata")?.as_ref(),
            ))
        });
        self.send(&options, call.map(Reading::account))
    }

    // `updatePassword(tokens, { oldPassword, newPassword })` (ChangePassword).
    #[wasm_bindgen(js_name = updatePassword, skip_jsdoc)]
    pub fn update_password(&self, tokens: JsValue, options: JsValue) -> Promise {
        let call = Options::new("updatePassword", options.clone()).and_then(|options| {
            let old = Zeroizing::new(options.string("oldPassword")?);
            let new = Zeroizing::new(options.string("newPassword")?);
            let change = UserCall::ChangePassword {
                old: old.as_str(),
                new: new.as_str(),
            };
            self.user_call(&tokens, change)
        });
        self.send(&options, call.map(Reading::account))
    }

    // `fetchUserAttributes(tokens, options)` resolves to `{ name: value }`.
    #[wasm_bindgen(js_name = fetchUserAttributes, skip_jsdoc)]
    pub fn fetch_user_attributes(&self, tokens: JsValue, options: JsValue) -> Promise {
        self.send_user_call(&tokens, UserCall::GetAttributes, &options)
    }

    // `getCurrentUser(tokens, options)` resolves to `{ username, userId }`.
    #[wasm_bindgen(js_name = getCurrentUser, skip_jsdoc)]
    pub fn get_current_user(&self, tokens: JsValue, options: JsValue) -> Promise {
        self.send_user_call(&tokens, UserCall::GetCurrentUser, &options)
    }

    // `deleteUser(tokens, options)` deletes the signed-in user (index.js then ends
    // the local session).
    #[wasm_bindgen(js_name = deleteUser, skip_jsdoc)]
    pub fn delete_user(&self, tokens: JsValue, options: JsValue) -> Promise {
        self.send_user_call(&tokens, UserCall::DeleteUser, &options)
    }

    // GlobalSignOut with the access token of the session `signOut({ global:
    // true })` has just ended locally.
    #[wasm_bindgen(js_name = globalSignOut, skip_jsdoc)]
    pub fn global_sign_out(&self, access_token: String, options: JsValue) -> Promise {
        let call = account::user_call(&self.config, &access_token, UserCall::GlobalSignOut);
        self.send(&options, Ok(Reading::account(call)))
    }

    // `updateUserAttributes(tokens, { userAttributes })`.
    #[wasm_bindgen(js_name = updateUserAttributes, skip_jsdoc)]
    pub fn update_user_attributes(&self, tokens: JsValue, options: JsValue) -> Promise {
        let call = Options::new("updateUserAttributes", options.clone()).and_then(|options| {
            let attributes = options
                .optional_map("userAttributes")?
                .ok_or_else(|| options.invalid("userAttributes", " is required"))?;
            let metadata = options.optional_map("clientMetadata")?;
            let update = UserCall::UpdateAttributes(&attributes, metadata.as_ref());
            self.user_call(&tokens, update)
        });
        self.send(&options, call.map(Reading::account))
    }

    // `deleteUserAttributes(tokens, { userAttributeKeys })`.
    #[wasm_bindgen(js_name = deleteUserAttributes, skip_jsdoc)]
    pub fn delete_user_attributes(&self, tokens: JsValue, options: JsValue) -> Promise {
        let call = Options::new("deleteUserAttributes", options.clone()).and_then(|options| {
            let bad = || options.invalid("userAttributeKeys", " must be an array of strings");
            let value = options.field("userAttributeKeys");
            if !Array::is_array(&value) {
                return Err(bad());
            }
            let names = Array::from(&value)
                .iter()
                .map(|v| v.as_string())
                .collect::<Option<Vec<String>>>()
                .ok_or_else(bad)?;
            self.user_call(&tokens, UserCall::DeleteAttributes(&names))
        });
        self.send(&options, call.map(Reading::account))
    }

    // `sendUserAttributeVerificationCode(tokens, { userAttributeKey })`.
    #[wasm_bindgen(js_name = sendUserAttributeVerificationCode, skip_jsdoc)]
    pub fn send_user_attribute_verification_code(
        &self,
        tokens: JsValue,
        options: JsValue,
    ) -> Promise {
        let call = Options::new("sendUserAttributeVerificationCode", options.clone()).and_then(
            |options| {
                let name = options.string("userAttributeKey")?;
                let metadata = options.optional_map("clientMetadata")?;
                self.user_call(
                    &tokens,
                    UserCall::SendVerificationCode(&name, metadata.as_ref()),
                )
            },
        );
        self.send(&options, call.map(Reading::account))
    }

    // `confirmUserAttribute(tokens, { userAttributeKey, confirmationCode })`.
    #[wasm_bindgen(js_name = confirmUserAttribute, skip_jsdoc)]
    pub fn confirm_user_attribute(&self, tokens: JsValue, options: JsValue) -> Promise {
        let call = Options::new("confirmUserAttribute", options.clone()).and_then(|options| {
            let name = options.string("userAttributeKey")?;
            let code = options.string("confirmationCode")?;
            let confirm = UserCall::ConfirmAttribute {
                name: &name,
                code: &code,
            };
            self.user_call(&tokens, confirm)
        });
        self.send(&options, call.map(Reading::account))
    }

    // `setUpTOTP(tokens, options)` resolves to `{ sharedSecret, getSetupUri }`
    // (AssociateSoftwareToken).
    #[wasm_bindgen(js_name = setUpTOTP, skip_jsdoc)]
    pub fn set_up_totp(&self, tokens: JsValue, options: JsValue) -> Promise {
        let call =
            access_token(&tokens).and_then(|token| self.mfa(&tokens, &token, MfaCall::SetUpTotp));
        self.send(&options, call)
    }

    // `verifyTOTPSetup(tokens, { code, options?: { friendlyDeviceName } })`
    // (VerifySoftwareToken).
    #[wasm_bindgen(js_name = verifyTOTPSetup, skip_jsdoc)]
    pub fn verify_totp_setup(&self, tokens: JsValue, options: JsValue) -> Promise {
        let call = access_token(&tokens).and_then(|token| {
            let options = Options::new("verifyTOTPSetup", options.clone())?;
            let code = options.string("code")?;
            let nested = options.field("options");
            let friendly_name = if nested.is_object() {
                Options::new("verifyTOTPSetup", nested)?.optional_string("friendlyDeviceName")?
            } else {
                None
            };
            let verify = MfaCall::VerifyTotp {
                code: &code,
                friendly_device_name: friendly_name.as_deref(),
            };
            self.mfa(&tokens, &token, verify)
        });
        self.send(&options, call)
    }

    // `updateMFAPreference(tokens, { sms?, totp?, email? })` (SetUserMFAPreference).
    #[wasm_bindgen(js_name = updateMFAPreference, skip_jsdoc)]
    pub fn update_mfa_preference(&self, tokens: JsValue, options: JsValue) -> Promise {
        let call = access_token(&tokens).and_then(|token| {
            let options = Options::new("updateMFAPreference", options.clone())?;
            let choices = [
                options.optional_string("sms")?,
                options.optional_string("totp")?,
                options.optional_string("email")?,
            ];
            let update = MfaCall::UpdatePreference(choices.each_ref().map(|c| c.as_deref()));
            self.mfa(&tokens, &token, update)
        });
        self.send(&options, call)
    }

    // `fetchMFAPreference(tokens, options)` resolves to `{ enabled?, preferred? }` (GetUser).
    #[wasm_bindgen(js_name = fetchMFAPreference, skip_jsdoc)]
    pub fn fetch_mfa_preference(&self, tokens: JsValue, options: JsValue) -> Promise {
        let call = access_token(&tokens)
            .and_then(|token| self.mfa(&tokens, &token, MfaCall::FetchPreference));
        self.send(&options, call)
    }

    // `rememberDevice(tokens, device, options)`: UpdateDeviceStatus remembered, for
    // this client's device (`device`: the device index.js stores for the
    // user, from the sign-in module's writer).
    #[wasm_bindgen(js_name = rememberDevice, skip_jsdoc)]
    pub fn remember_device(&self, tokens: JsValue, device: JsValue, options: JsValue) -> Promise {
        let call = access_token(&tokens).and_then(|token| {
            let key = device_key(&device).ok_or_else(no_device)?;
            Ok(account::update_device_status(
                &self.config,
                &token,
                &key,
                true,
            ))
        });
        self.send(&options, call.map(Reading::account))
    }

    // `forgetDevice(tokens, device, { device? })`: ForgetDevice for
    // `device.id` of the options, else this client's device (`device`, as
    // for rememberDevice). Resolves to whether the device forgotten is this
    // client's (index.js then forgets its stored secret).
    #[wasm_bindgen(js_name = forgetDevice, skip_jsdoc)]
    pub fn forget_device(&self, tokens: JsValue, device: JsValue, options: JsValue) -> Promise {
        let call = forgotten_device(&options).and_then(|named| {
            let token = access_token(&tokens)?;
            let this_device = device_key(&device);
            let key = named
                .or_else(|| this_device.clone())
                .ok_or_else(no_device)?;
            let call = account::forget_device(&self.config, &token, &key);
            Ok(Reading::Account {
                reader: call.reader,
                names: call.names,
                resolve_to: Some(this_device.as_ref() == Some(&key)),
            }
            .with(call.request))
        });
        self.send(&options, call)
    }

    // `refresh(refreshToken, username, device)` resolves to `{ tokens }`
    // (with `deviceForgotten: true` when the service no longer knew the
    // stored device, which was then left out), or to `{ signedOut: error }`
    // when the service no longer takes the refresh token (revoked, expired,
    // user gone). `username` (a string, or undefined) is the tokens' user,
    // for SECRET_HASH; `device` the device stored for them, as for
    // rememberDevice.
    #[wasm_bindgen(skip_jsdoc)]
    pub fn refresh(&self, refresh_token: String, username: JsValue, device: JsValue) -> Promise {
        let refresh = Refresh {
            kind: RefreshKind::Rotate,
            refresh_token,
            username: username.as_string(),
            device_key: device_key(&device),
            device_forgotten: false,
        };
        let request = refresh.request(&self.config);
        // Shared by the calls that wait for it: no one call's signal stops
        // it (index.js), only requestTimeout.
        self.send(
            &JsValue::UNDEFINED,
            Ok((request, Reading::Refresh(refresh))),
        )
    }

    // `revoke(refreshToken, options)`: RevokeToken, for `signOut(options)`.
    #[wasm_bindgen(skip_jsdoc)]
    pub fn revoke(&self, refresh_token: String, options: JsValue) -> Promise {
        let config = &*self.config;
        let body = revoke_token(&refresh_token, config.client_id(), config.client_secret());
        let request = config.request("RevokeToken", &body);
        self.send(
            &options,
            Ok((
                request,
                Reading::Account {
                    reader: Reader::Nothing,
                    names: Vec::new(),
                    resolve_to: None,
                },
            )),
        )
    }

    // `fetchDevices(tokens, options)`: ListDevices, as Amplify's devices (index.js
    // makes the dates `Date`s).
    #[wasm_bindgen(js_name = fetchDevices, skip_jsdoc)]
    pub fn fetch_devices(&self, tokens: JsValue, options: JsValue) -> Promise {
        let call = access_token(&tokens).map(|token| account::list_devices(&self.config, &token));
        self.send(&options, call.map(Reading::account))
    }
}

impl AccountCalls {
    fn start_sign_up(&mut self, options: JsValue) -> Result<Call> {
        let options = Options::new("signUp", options)?;
        let username = options.string("username")?;
        let password = Zeroizing::new(options.optional_string("password")?.unwrap_or_default());
        let attributes = options.optional_map("userAttributes")?;
        let validation_data = options.optional_map("validationData")?;
        let client_metadata = options.optional_map("clientMetadata")?;
        let call = account::sign_up(
            &self.config,
            &SignUpInput {
                username: &username,
                password: &password,
                attributes: attributes.as_ref(),
                validation_data: validation_data.as_ref(),
                client_metadata: client_metadata.as_ref(),
            },
        );
        // A later signUp without autoSignIn leaves a waiting one alone.
        let auto = options.field("autoSignIn");
        if auto.is_truthy() {
            // `true`, or Amplify's sign-in options: `{ authFlowType }`.
            let auth_flow = if auto.is_object() {
                Options::new("signUp", auto)?.optional_string("authFlowType")?
            } else {
                None
            };
            let waiting = if password.is_empty() || auth_flow.as_deref() == Some("USER_AUTH") {
                // SignUp's Session comes with the answer (`keep_session`).
                AutoSignIn::Session {
                    username,
                    session: None,
                }
            } else {
                AutoSignIn::Password {
                    username,
                    password,
                    auth_flow,
                }
            };
            *self.auto_sign_in.borrow_mut() = Some(waiting);
        }
        Ok(call)
    }

    fn start_confirm_sign_up(&self, options: JsValue) -> Result<Call> {
        let options = Options::new("confirmSignUp", options)?;
        let username = options.string("username")?;
        let metadata = options.optional_map("clientMetadata")?;
        let waiting = self.auto_sign_in.borrow();
        let auto = waiting.as_ref().filter(|auto| auto.username() == username);
        let session = match auto {
            Some(AutoSignIn::Session { session, .. }) => session.as_deref(),
            _ => None,
        };
        let mut call = account::confirm_sign_up(
            &self.config,
            &username,
            &options.string("confirmationCode")?,
            session,
            metadata.as_ref(),
        );
        if auto.is_some() {
            call.reader = Reader::SignUpAutoSignIn;
        }
        Ok(call)
    }

    /// The call `request` builds from `{ username, clientMetadata? }`, the
    /// options of `method`.
    fn about_user(
        &self,
        method: &str,
        options: JsValue,
        request: fn(&ClientConfig, &str, Option<&StringMap>) -> Call,
    ) -> Promise {
        let call = Options::new(method, options.clone()).and_then(|options| {
            let metadata = options.optional_map("clientMetadata")?;
            let username = options.string("username")?;
            Ok(request(&self.config, &username, metadata.as_ref()))
        });
        self.send(&options, call.map(Reading::account))
    }

    /// The signed-in call `which`, with the access token of `tokens`.
    fn user_call(&self, tokens: &JsValue, which: UserCall) -> Result<Call> {
        let token = access_token(tokens)?;
        Ok(account::user_call(&self.config, &token, which))
    }

    fn send_user_call(&self, tokens: &JsValue, which: UserCall, options: &JsValue) -> Promise {
        let call = self.user_call(tokens, which);
        self.send(options, call.map(Reading::account))
    }

    /// The signed-in MFA call `call` with `token`, the access token of
    /// `tokens`. (The MFA calls check the token before their options.)
    fn mfa(&self, tokens: &JsValue, token: &str, call: MfaCall) -> Result<(HttpRequest, Reading)> {
        let (request, reader) = mfa::request(&self.config, token, call)?;
        let username = signed_in_username(tokens);
        Ok((request, Reading::Mfa { reader, username }))
    }

    /// Runs `call`, stopped by `input.signal` (`input`: the app's options object).
    fn send(&self, input: &JsValue, call: Result<(HttpRequest, Reading)>) -> Promise {
        self.start(input, call, &JsValue::UNDEFINED, None)
    }

    /// `send`, with the function that runs the WebAuthn ceremony the call
    /// asks for (js/transport.js's `drive`).
    fn send_with(
        &self,
        input: &JsValue,
        call: Result<(HttpRequest, Reading)>,
        ceremony: &JsValue,
    ) -> Promise {
        self.start(input, call, ceremony, None)
    }

    /// SignUp and ConfirmSignUp: their answer's Session goes to the
    /// autoSignIn that waits on USER_AUTH.
    fn send_keeping_session(&self, input: &JsValue, call: Result<Call>) -> Promise {
        let keeps = Rc::clone(&self.auto_sign_in);
        self.start(
            input,
            call.map(Reading::account),
            &JsValue::UNDEFINED,
            Some(keeps),
        )
    }

    fn start(
        &self,
        input: &JsValue,
        call: Result<(HttpRequest, Reading)>,
        ceremony: &JsValue,
        keep_session: Option<Rc<RefCell<Option<AutoSignIn>>>>,
    ) -> Promise {
        match call {
            Ok((request, reading)) => self.transport.drive(
                AccountOperation {
                    config: Rc::clone(&self.config),
                    stage: Stage::Send(request, reading),
                    keep_session,
                }
                .into(),
                input,
                ceremony,
            ),
            Err(error) => Promise::reject(&to_js_error(error)),
        }
    }
}

fn not_signed_in() -> Error {
    Error::InvalidState("no user is signed in; call signIn first".into())
}

fn no_device() -> Error {
    Error::InvalidState(
        "no device is remembered on this client: it is confirmed at sign-in when the user pool tracks devices".into(),
    )
}

/// A field of `object`, or undefined.
fn get(object: &JsValue, key: &str) -> JsValue {
    if object.is_object() {
        Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// The access token of `tokens` (`CognitoAuth`'s `tokens`).
fn access_token(tokens: &JsValue) -> Result<Zeroizing<String>> {
    get(tokens, "accessToken")
        .as_string()
        .map(Zeroizing::new)
        .ok_or_else(not_signed_in)
}

/// The user name in the ID token's claims (`cognito:username`), for
/// `getSetupUri`'s account name; empty without an ID token.
fn signed_in_username(tokens: &JsValue) -> String {
    get(&get(tokens, "idTokenClaims"), "cognito:username")
        .as_string()
        .unwrap_or_default()
}

/// The device `forgetDevice({ device })` names: None for this device.
fn forgotten_device(options: &JsValue) -> Result<Option<String>> {
    let device = get(options, "device");
    if device.is_undefined() || device.is_null() {
        Ok(None)
    } else if device.is_object() {
        Options::new("forgetDevice", device)?.optional_string("id")
    } else {
        Err(Error::Validation(
            "forgetDevice: device must be a device of fetchDevices, { id }".into(),
        ))
    }
}

/// How the answer of an account call becomes its result.
enum Reading {
    /// With `crate::account::read`; resolves to `resolve_to` instead when set.
    Account {
        reader: Reader,
        names: Vec<String>,
        resolve_to: Option<bool>,
    },
    /// With `crate::mfa::read`; `username` names the TOTP setup's account.
    Mfa { reader: MfaReader, username: String },
    /// A refresh (`AccountCalls::refreshed`).
    Refresh(Refresh),
    /// A fetch of AWS credentials (`identity`).
    Credentials(identity::Fetch),
    /// StartWebAuthnRegistration, with the access token for
    /// CompleteWebAuthnRegistration: the options go to the ceremony.
    RegistrationOptions(Zeroizing<String>),
    /// ListWebAuthnCredentials, as Amplify's result.
    Passkeys,
    /// Managed login's token request (`oauth`); its URL is the request's.
    Tokens,
}

impl Reading {
    fn account(call: Call) -> (HttpRequest, Reading) {
        Reading::Account {
            reader: call.reader,
            names: call.names,
            resolve_to: None,
        }
        .with(call.request)
    }

    fn with(self, request: HttpRequest) -> (HttpRequest, Reading) {
        (request, self)
    }

    /// An answer read as nothing (null).
    fn nothing() -> Reading {
        Reading::Account {
            reader: Reader::Nothing,
            names: Vec::new(),
            resolve_to: None,
        }
    }
}

/// Where an [`AccountOperation`] is.
enum Stage {
    /// The request is to be sent.
    Send(HttpRequest, Reading),
    /// It was sent; its answer is awaited.
    Awaited(Reading),
    /// The registration's ceremony runs; its credential completes it, with
    /// this access token.
    CeremonyAwaited(Zeroizing<String>),
    /// The result was returned (or an error thrown).
    Done,
}

// One account call, run by `drive`.
#[wasm_bindgen]
pub struct AccountOperation {
    config: Rc<ClientConfig>,
    stage: Stage,
    /// Where a SignUp or ConfirmSignUp answer's Session goes, for autoSignIn.
    keep_session: Option<Rc<RefCell<Option<AutoSignIn>>>>,
}

#[wasm_bindgen]
impl AccountOperation {
    // As `Operation.next` in the sign-in module.
    #[wasm_bindgen(skip_jsdoc)]
    pub fn next(
        &mut self,
        status: Option<u16>,
        error_type: JsValue,
        body: JsValue,
        _now_ms: f64,
    ) -> core::result::Result<JsValue, JsValue> {
        self.advance(received(status, error_type, body))
            .map(Step::into_js)
            .map_err(to_js_error)
    }
}

impl AccountOperation {
    fn advance(&mut self, response: Option<HttpResponse>) -> Result<Step> {
        match core::mem::replace(&mut self.stage, Stage::Done) {
            Stage::Send(request, reading) => {
                self.stage = Stage::Awaited(reading);
                Ok(Step::Fetch(request))
            }
            Stage::Awaited(reading) => {
                let response = response.ok_or_else(|| {
                    Error::InvalidState("the operation was given no answer".into())
                })?;
                self.read(reading, &response)
            }
            // The ceremony's credential (status 0, its JSON the body), or
            // none when the ceremony failed, whose error `drive` rejects with.
            Stage::CeremonyAwaited(token) => match response {
                Some(credential) => {
                    let request =
                        passkeys::complete_registration(&self.config, &token, &credential.body)?;
                    self.stage = Stage::Awaited(Reading::nothing());
                    Ok(Step::Fetch(request))
                }
                None => Ok(Step::Done(JsValue::UNDEFINED)),
            },
            Stage::Done => Err(Error::InvalidState(
                "the operation has already ended".into(),
            )),
        }
    }
}

impl AccountOperation {
    /// The result of a call from its answer (or, for a refresh, the next try).
    fn read(&mut self, reading: Reading, response: &HttpResponse) -> Result<Step> {
        let result = match reading {
            Reading::Refresh(refresh) => return self.refreshed(refresh, response),
            Reading::Credentials(fetch) => return self.credentials(fetch, response),
            Reading::RegistrationOptions(token) => {
                let options = passkeys::read_creation_options(response)?;
                self.stage = Stage::CeremonyAwaited(token);
                return Ok(Step::Ceremony(JsValue::from_str(&options)));
            }
            Reading::Passkeys => json_to_js(&passkeys::read_list(response)?),
            Reading::Tokens => tokens_to_js(&cognito_core::oauth::read_token_answer(response)?),
            Reading::Account {
                reader,
                names,
                resolve_to,
            } => {
                let result = account::read(reader, &names, response)?;
                self.keep_session(response);
                match resolve_to {
                    Some(value) => JsValue::from_bool(value),
                    None => json_to_js(&result),
                }
            }
            Reading::Mfa { reader, username } => {
                let answer = mfa::read(reader, response)?;
                if reader == MfaReader::Nothing {
                    return Ok(Step::Done(JsValue::UNDEFINED));
                }
                let answer = json_to_js(&answer);
                if reader == MfaReader::TotpSetup {
                    set(
                        answer.unchecked_ref(),
                        "accountName",
                        &JsValue::from_str(&username),
                    );
                }
                answer
            }
        };
        Ok(Step::Done(result))
    }

    /// SignUp's or ConfirmSignUp's Session, for the autoSignIn waiting on
    /// USER_AUTH.
    fn keep_session(&self, response: &HttpResponse) {
        let Some(cell) = &self.keep_session else {
            return;
        };
        if let Some(AutoSignIn::Session { session, .. }) = cell.borrow_mut().as_mut() {
            let answer = response.json().ok();
            if let Some(given) = answer.as_ref().and_then(|a| a.get("Session")?.as_str()) {
                *session = Some(given.into());
            }
        }
    }

    /// Reads the answer of the refresh `sent`: the new tokens, or the next
    /// try (as InitiateAuth where rotation is unsupported, or without a
    /// device the service no longer knows).
    fn refreshed(&mut self, mut sent: Refresh, response: &HttpResponse) -> Result<Step> {
        let outcome = read_refresh(sent.kind, &sent.refresh_token, response);
        let stale_device = matches!(&outcome, RefreshOutcome::Failed(error)
            if is_stale_device_error(error));
        if matches!(outcome, RefreshOutcome::FallBack)
            || (stale_device && sent.device_key.is_some())
        {
            if matches!(outcome, RefreshOutcome::FallBack) {
                sent.kind = RefreshKind::InitiateAuth;
            }
            if stale_device {
                sent.device_key = None;
                sent.device_forgotten = true;
            }
            let request = sent.request(&self.config);
            self.stage = Stage::Awaited(Reading::Refresh(sent));
            return Ok(Step::Fetch(request));
        }
        let result = Object::new();
        match outcome {
            RefreshOutcome::Refreshed(tokens) => {
                set(&result, "tokens", &tokens_to_js(&tokens));
                if sent.device_forgotten {
                    set(&result, "deviceForgotten", &JsValue::TRUE);
                }
            }
            RefreshOutcome::SignedOut(error) => set(&result, "signedOut", &to_js_error(error)),
            RefreshOutcome::Failed(error) => return Err(error),
            RefreshOutcome::FallBack => {
                return Err(Error::InvalidState("refresh fell back twice".into()))
            }
        }
        Ok(Step::Done(result.into()))
    }
}

/// A refresh of `refresh_token` (`refresh`).
struct Refresh {
    kind: RefreshKind,
    refresh_token: String,
    username: Option<String>,
    /// The remembered device's key (DEVICE_KEY), sent with the refresh.
    device_key: Option<String>,
    /// The service no longer knew the device, which the retry left out.
    device_forgotten: bool,
}

impl Refresh {
    fn request(&self, config: &ClientConfig) -> HttpRequest {
        refresh_request(
            config,
            self.kind,
            &self.refresh_token,
            self.username.as_deref(),
            self.device_key.as_deref(),
        )
    }
}

/// The key of the device index.js stores for the user (`device`, a string
/// the sign-in module wrote), if it is one.
fn device_key(device: &JsValue) -> Option<String> {
    device
        .as_string()
        .as_deref()
        .and_then(DeviceSecrets::from_stored)
        .map(|secrets| secrets.device_key.clone())
}

/// A JSON value as the equal JS value (via JSON.parse, which also reads numbers).
fn json_to_js(json: &Json) -> JsValue {
    JSON::parse(&json.to_text()).unwrap_or(JsValue::NULL)
}
