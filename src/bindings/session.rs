//! Sessions and accounts on `CognitoAuth`: `fetchSession` (one refresh in
//! flight shared by concurrent calls), `onChange` events, global sign-out,
//! and the account calls (sign-up, password reset and change, attributes,
//! DeleteUser, getCurrentUser). The requests and the reading of answers are
//! in `crate::session` and `crate::account`; this runs them as a
//! [`SessionOperation`] driven by the same `drive` as sign-in.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use super::js::{Array, Date, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use super::{
    drive_session, json_to_js, received, request_to_js, set, to_js_error, tokens_to_js, AuthState,
    CognitoAuth, Options,
};
use crate::account::{self, Call, Reader, SignUpInput, UserCall};
use crate::error::{Error, Result};
use crate::protocol::{ClientConfig, HttpResponse};
use crate::session::{self, needs_refresh, read_refresh, RefreshKind, RefreshOutcome};
use alloc::rc::Rc;
use core::cell::RefCell;

/// The session state beside the tokens.
#[derive(Default)]
pub(super) struct SessionState {
    listeners: Vec<Function>,
    /// The refresh in flight, which concurrent `fetchSession` calls share.
    refreshing: Option<Promise>,
    /// The username and password of a `signUp({ autoSignIn: true })`.
    auto_sign_in: Option<(String, Zeroizing<String>)>,
}

/// Tells the `onChange` listeners: `{ event, tokens }`. No borrow is held
/// while they run, so they may call back into the instance.
pub(super) fn emit(state: &RefCell<AuthState>, event: &str) {
    let (listeners, tokens) = {
        let state = state.borrow();
        let tokens = state.tokens.as_ref().map_or(JsValue::NULL, tokens_to_js);
        (state.session.listeners.clone(), tokens)
    };
    let payload = Object::new();
    set(&payload, "event", &JsValue::from_str(event));
    set(&payload, "tokens", &tokens);
    for listener in listeners {
        // A listener that throws does not stop the others.
        let _ = listener.call1(&JsValue::NULL, &payload);
    }
}

fn session_to_js(state: &AuthState) -> JsValue {
    let result = Object::new();
    let tokens = state.tokens.as_ref().map_or(JsValue::NULL, tokens_to_js);
    set(&result, "tokens", &tokens);
    result.into()
}

fn not_signed_in() -> Error {
    Error::InvalidState("no user is signed in; call signIn first".into())
}

pub(super) fn rejected(error: Error) -> Promise {
    Promise::reject(&to_js_error(error))
}

#[wasm_bindgen]
impl CognitoAuth {
    // `fetchSession({ forceRefresh? })` resolves to `{ tokens }`, refreshing
    // them first when they are within a minute of expiry (or when forced).
    #[wasm_bindgen(js_name = fetchSession, skip_jsdoc)]
    pub fn fetch_session(&self, options: JsValue) -> Promise {
        let force = options.is_object()
            && Reflect::get(&options, &JsValue::from_str("forceRefresh"))
                .is_ok_and(|v| v.is_truthy());
        let state = self.state.borrow();
        if let Some(refreshing) = &state.session.refreshing {
            return refreshing.clone();
        }
        let Some(tokens) = &state.tokens else {
            return Promise::resolve(&session_to_js(&state));
        };
        let expired = needs_refresh(tokens.expires_at, Date::now(), session::REFRESH_MARGIN_MS);
        let Some(refresh_token) = tokens.refresh_token.clone().filter(|_| force || expired) else {
            return Promise::resolve(&session_to_js(&state));
        };
        let step = SessionStep::Refresh {
            kind: RefreshKind::Rotate,
            refresh_token,
            username: session::username(tokens),
            sign_outs: state.sign_outs,
            device_key: super::device::current_device_key(&state),
        };
        drop(state);
        let promise = drive_session(self.session_operation(step, true));
        self.state.borrow_mut().session.refreshing = Some(promise.clone());
        promise
    }

    // Restores a session stored by index.js (the `storage` option, written as
    // `crate::session::to_stored` does) for the user named `user`; false
    // (and nothing changes) when the text is not one, or is another user's.
    // `text` null forgets the session, as another tab's sign-out does. With
    // `event`, the listeners are told (index.js passes it when another tab
    // changed the session).
    #[wasm_bindgen(js_name = importSession, skip_jsdoc)]
    pub fn import_session(
        &self,
        text: Option<String>,
        user: Option<String>,
        event: Option<String>,
    ) -> bool {
        let tokens = match text {
            None => None,
            Some(text) => match session::from_stored(&text) {
                Some(tokens) if user.is_none() || session::username(&tokens) == user => {
                    Some(tokens)
                }
                _ => return false,
            },
        };
        {
            let mut state = self.state.borrow_mut();
            if tokens.is_none() && state.tokens.is_some() {
                // A refresh in flight must not bring the session back.
                state.sign_outs += 1;
            }
            state.tokens = tokens;
        }
        if let Some(event) = event {
            emit(&self.state, &event);
        }
        true
    }

    // `onChange(listener)`: `listener({ event, tokens })` on 'signedIn',
    // 'tokenRefresh', 'tokenRefreshFailure' and 'signedOut'.
    #[wasm_bindgen(js_name = onChange, skip_jsdoc)]
    pub fn on_change(&self, listener: Function) {
        self.state.borrow_mut().session.listeners.push(listener);
    }

    // `offChange(listener)` removes a listener.
    #[wasm_bindgen(js_name = offChange, skip_jsdoc)]
    pub fn off_change(&self, listener: Function) {
        let listener: &JsValue = listener.as_ref();
        self.state
            .borrow_mut()
            .session
            .listeners
            .retain(|l| AsRef::<JsValue>::as_ref(l) != listener);
    }

    // `signUp({ username, password, userAttributes?, validationData?,
    // clientMetadata?, autoSignIn? })`.
    #[wasm_bindgen(js_name = signUp, skip_jsdoc)]
    pub fn sign_up(&self, options: JsValue) -> Promise {
        self.account(|config, state| {
            let options = Options::new("signUp", options)?;
            let username = options.string("username")?;
            let password = Zeroizing::new(options.string("password")?);
            let attributes = options.optional_map("userAttributes")?;
            let validation_data = options.optional_map("validationData")?;
            let client_metadata = options.optional_map("clientMetadata")?;
            let call = account::sign_up(
                config,
                &SignUpInput {
                    username: &username,
                    password: &password,
                    attributes: attributes.as_ref(),
                    validation_data: validation_data.as_ref(),
                    client_metadata: client_metadata.as_ref(),
                },
            );
            // A later signUp without autoSignIn leaves a waiting one alone.
            if options.field("autoSignIn").is_truthy() {
                state.session.auto_sign_in = Some((username, password));
            }
            Ok((call, After::Nothing))
        })
    }

    // `confirmSignUp({ username, confirmationCode, clientMetadata? })`.
    #[wasm_bindgen(js_name = confirmSignUp, skip_jsdoc)]
    pub fn confirm_sign_up(&self, options: JsValue) -> Promise {
        self.account(|config, state| {
            let options = Options::new("confirmSignUp", options)?;
            let username = options.string("username")?;
            let metadata = options.optional_map("clientMetadata")?;
            let mut call = account::confirm_sign_up(
                config,
                &username,
                &options.string("confirmationCode")?,
                metadata.as_ref(),
            );
            let auto = state
                .session
                .auto_sign_in
                .as_ref()
                .is_some_and(|(name, _)| *name == username);
            if auto {
                call.reader = Reader::SignUpAutoSignIn;
            }
            Ok((call, After::Nothing))
        })
    }

    // `autoSignIn()` signs in the user that `signUp({ autoSignIn: true })`
    // registered, once `confirmSignUp` said COMPLETE_AUTO_SIGN_IN.
    #[wasm_bindgen(js_name = autoSignIn, skip_jsdoc)]
    pub fn auto_sign_in(&self) -> Promise {
        let Some((username, password)) = self.state.borrow_mut().session.auto_sign_in.take() else {
            return rejected(Error::InvalidState(
                "no sign-up waits for autoSignIn; call signUp with autoSignIn: true, then confirmSignUp"
                    .into(),
            ));
        };
        let options = Object::new();
        set(&options, "username", &JsValue::from_str(&username));
        set(&options, "password", &JsValue::from_str(&password));
        self.sign_in(options.into())
    }

    // `resendSignUpCode({ username })` resolves to the CodeDeliveryDetails.
    #[wasm_bindgen(js_name = resendSignUpCode, skip_jsdoc)]
    pub fn resend_sign_up_code(&self, options: JsValue) -> Promise {
        self.account(|config, _| {
            let options = Options::new("resendSignUpCode", options)?;
            let metadata = options.optional_map("clientMetadata")?;
            let username = options.string("username")?;
            let call = account::resend_sign_up_code(config, &username, metadata.as_ref());
            Ok((call, After::Nothing))
        })
    }

    // `resetPassword({ username })`.
    #[wasm_bindgen(js_name = resetPassword, skip_jsdoc)]
    pub fn reset_password(&self, options: JsValue) -> Promise {
        self.account(|config, _| {
            let options = Options::new("resetPassword", options)?;
            let metadata = options.optional_map("clientMetadata")?;
            let call =
                account::reset_password(config, &options.string("username")?, metadata.as_ref());
            Ok((call, After::Nothing))
        })
    }

    // `confirmResetPassword({ username, confirmationCode, newPassword })`.
    #[wasm_bindgen(js_name = confirmResetPassword, skip_jsdoc)]
    pub fn confirm_reset_password(&self, options: JsValue) -> Promise {
        self.account(|config, _| {
            let options = Options::new("confirmResetPassword", options)?;
            let call = account::confirm_reset_password(
                config,
                &options.string("username")?,
                &options.string("confirmationCode")?,
                &Zeroizing::new(options.string("newPassword")?),
                options.optional_map("clientMetadata")?.as_ref(),
            );
            Ok((call, After::Nothing))
        })
    }

    // `updatePassword({ oldPassword, newPassword })` (ChangePassword).
    #[wasm_bindgen(js_name = updatePassword, skip_jsdoc)]
    pub fn update_password(&self, options: JsValue) -> Promise {
        self.user_call("updatePassword", options, |options| {
            let old = Zeroizing::new(options.string("oldPassword")?);
            let new = Zeroizing::new(options.string("newPassword")?);
            Ok(Box::new(move |config: &ClientConfig, token: &str| {
                account::user_call(
                    config,
                    token,
                    UserCall::ChangePassword {
                        old: old.as_str(),
                        new: new.as_str(),
                    },
                )
            }))
        })
    }

    // `fetchUserAttributes()` resolves to `{ name: value }`.
    #[wasm_bindgen(js_name = fetchUserAttributes, skip_jsdoc)]
    pub fn fetch_user_attributes(&self) -> Promise {
        self.simple_user_call(|| UserCall::GetAttributes, After::Nothing)
    }

    // `getCurrentUser()` resolves to `{ username, userId }`.
    #[wasm_bindgen(js_name = getCurrentUser, skip_jsdoc)]
    pub fn get_current_user(&self) -> Promise {
        self.simple_user_call(|| UserCall::GetCurrentUser, After::Nothing)
    }

    // `deleteUser()` deletes the signed-in user and signs out.
    #[wasm_bindgen(js_name = deleteUser, skip_jsdoc)]
    pub fn delete_user(&self) -> Promise {
        self.simple_user_call(|| UserCall::DeleteUser, After::SignOut)
    }

    // `updateUserAttributes({ userAttributes })`.
    #[wasm_bindgen(js_name = updateUserAttributes, skip_jsdoc)]
    pub fn update_user_attributes(&self, options: JsValue) -> Promise {
        self.user_call("updateUserAttributes", options, |options| {
            let attributes = options
                .optional_map("userAttributes")?
                .ok_or_else(|| options.invalid("userAttributes", " is required"))?;
            let metadata = options.optional_map("clientMetadata")?;
            Ok(Box::new(move |config: &ClientConfig, token: &str| {
                let call = UserCall::UpdateAttributes(&attributes, metadata.as_ref());
                account::user_call(config, token, call)
            }))
        })
    }

    // `deleteUserAttributes({ userAttributeKeys })`.
    #[wasm_bindgen(js_name = deleteUserAttributes, skip_jsdoc)]
    pub fn delete_user_attributes(&self, options: JsValue) -> Promise {
        self.user_call("deleteUserAttributes", options, |options| {
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
            Ok(Box::new(move |config: &ClientConfig, token: &str| {
                account::user_call(config, token, UserCall::DeleteAttributes(&names))
            }))
        })
    }

    // `sendUserAttributeVerificationCode({ userAttributeKey })`.
    #[wasm_bindgen(js_name = sendUserAttributeVerificationCode, skip_jsdoc)]
    pub fn send_user_attribute_verification_code(&self, options: JsValue) -> Promise {
        self.user_call("sendUserAttributeVerificationCode", options, |options| {
            let name = options.string("userAttributeKey")?;
            let metadata = options.optional_map("clientMetadata")?;
            Ok(Box::new(move |config: &ClientConfig, token: &str| {
                let call = UserCall::SendVerificationCode(&name, metadata.as_ref());
                account::user_call(config, token, call)
            }))
        })
    }

    // `confirmUserAttribute({ userAttributeKey, confirmationCode })`.
    #[wasm_bindgen(js_name = confirmUserAttribute, skip_jsdoc)]
    pub fn confirm_user_attribute(&self, options: JsValue) -> Promise {
        self.user_call("confirmUserAttribute", options, |options| {
            let name = options.string("userAttributeKey")?;
            let code = options.string("confirmationCode")?;
            Ok(Box::new(move |config: &ClientConfig, token: &str| {
                account::user_call(
                    config,
                    token,
                    UserCall::ConfirmAttribute {
                        name: &name,
                        code: &code,
                    },
                )
            }))
        })
    }
}

type BuildCall = Box<dyn FnOnce(&ClientConfig, &str) -> Call>;
type BuildAccountCall<'a> =
    Box<dyn FnOnce(&ClientConfig, &mut AuthState) -> Result<(Call, After)> + 'a>;
type ParseUserCall<'a> = Box<dyn FnOnce(&Options) -> Result<BuildCall> + 'a>;

impl CognitoAuth {
    fn session_operation(&self, step: SessionStep, is_refresh: bool) -> SessionOperation {
        SessionOperation {
            config: Rc::clone(&self.config),
            state: Rc::clone(&self.state),
            step,
            is_refresh,
        }
    }

    // `account` and `user_call` box their closure argument (a few bytes of
    // captures) and hand it to one non-generic body, so that the wasm module
    // carries that body once rather than once per method.
    pub(super) fn account(
        &self,
        build: impl FnOnce(&ClientConfig, &mut AuthState) -> Result<(Call, After)>,
    ) -> Promise {
        self.account_boxed(Box::new(build))
    }

    fn account_boxed(&self, build: BuildAccountCall<'_>) -> Promise {
        let built = build(&self.config, &mut self.state.borrow_mut());
        match built {
            Ok((call, after)) => {
                drive_session(self.session_operation(SessionStep::Send(call, after), false))
            }
            Err(error) => rejected(error),
        }
    }

    fn user_call(
        &self,
        name: &str,
        options: JsValue,
        parse: impl FnOnce(&Options) -> Result<BuildCall>,
    ) -> Promise {
        self.user_call_boxed(name, options, Box::new(parse))
    }

    fn user_call_boxed(&self, name: &str, options: JsValue, parse: ParseUserCall<'_>) -> Promise {
        self.account(|config, state| {
            let options = Options::new(name, options)?;
            let build = parse(&options)?;
            let token = state.tokens.as_ref().ok_or_else(not_signed_in)?;
            Ok((build(config, &token.access_token), After::Nothing))
        })
    }

    fn simple_user_call(&self, which: impl FnOnce() -> UserCall<'static>, after: After) -> Promise {
        self.account(|config, state| {
            let token = state.tokens.as_ref().ok_or_else(not_signed_in)?;
            Ok((
                account::user_call(config, &token.access_token, which()),
                after,
            ))
        })
    }

    /// `signOut({ global: true })`: local state is already cleared; this
    /// sends GlobalSignOut with the forgotten access token.
    pub(super) fn global_sign_out(&self, access_token: &str) -> Promise {
        let call = account::user_call(&self.config, access_token, UserCall::GlobalSignOut);
        drive_session(self.session_operation(SessionStep::Send(call, After::Nothing), false))
    }
}

/// What follows a successful account call.
pub(super) enum After {
    Nothing,
    /// DeleteUser: the local session ends.
    SignOut,
    /// ForgetDevice of this device: it is no longer stored.
    DropDevice,
}

enum SessionStep {
    /// A refresh of `refresh_token` is to be sent.
    Refresh {
        kind: RefreshKind,
        refresh_token: String,
        username: Option<String>,
        sign_outs: u64,
        /// The remembered device's key (DEVICE_KEY), sent with the refresh.
        device_key: Option<String>,
    },
    RefreshAwaited {
        kind: RefreshKind,
        refresh_token: String,
        username: Option<String>,
        sign_outs: u64,
        device_key: Option<String>,
    },
    Send(Call, After),
    Awaited(Reader, Vec<String>, After),
    Done,
}

// One refresh or account call, run by `drive`.
#[wasm_bindgen]
pub struct SessionOperation {
    config: Rc<ClientConfig>,
    state: Rc<RefCell<AuthState>>,
    step: SessionStep,
    is_refresh: bool,
}

impl Drop for SessionOperation {
    fn drop(&mut self) {
        if self.is_refresh {
            if let Ok(mut state) = self.state.try_borrow_mut() {
                state.session.refreshing = None;
            }
        }
    }
}

#[wasm_bindgen]
impl SessionOperation {
    // As `Operation.next`.
    #[wasm_bindgen(skip_jsdoc)]
    pub fn next(
        &mut self,
        status: Option<u16>,
        error_type: Option<String>,
        body: Option<String>,
        now_ms: f64,
    ) -> core::result::Result<JsValue, JsValue> {
        self.advance(received(status, error_type, body), now_ms)
            .map_err(to_js_error)
    }

    // As `Operation.networkError`; a refresh that cannot reach the
    // endpoint is a tokenRefreshFailure.
    #[wasm_bindgen(js_name = networkError, skip_jsdoc)]
    pub fn network_error(&mut self, _stage: u8) -> JsValue {
        if self.is_refresh {
            self.end_refresh();
            emit(&self.state, "tokenRefreshFailure");
        }
        to_js_error(Error::Network(
            [
                "no answer from ",
                self.config.endpoint(),
                " (check the endpoint URL and the network)",
            ]
            .concat(),
        ))
    }
}

impl SessionOperation {
    fn end_refresh(&mut self) {
        self.is_refresh = false;
        self.state.borrow_mut().session.refreshing = None;
    }

    fn advance(&mut self, response: Option<HttpResponse>, now_ms: f64) -> Result<JsValue> {
        let config = Rc::clone(&self.config);
        match core::mem::replace(&mut self.step, SessionStep::Done) {
            SessionStep::Refresh {
                kind,
                refresh_token,
                username,
                sign_outs,
                device_key,
            } => {
                let request = session::refresh_request(
                    &config,
                    kind,
                    &refresh_token,
                    username.as_deref(),
                    device_key.as_deref(),
                );
                self.step = SessionStep::RefreshAwaited {
                    kind,
                    refresh_token,
                    username,
                    sign_outs,
                    device_key,
                };
                Ok(request_to_js(request))
            }
            SessionStep::Send(call, after) => {
                self.step = SessionStep::Awaited(call.reader, call.names, after);
                Ok(request_to_js(call.request))
            }
            step => {
                let response = response.ok_or_else(|| {
                    Error::InvalidState("the operation was given no answer".into())
                })?;
                match step {
                    SessionStep::RefreshAwaited {
                        kind,
                        refresh_token,
                        username,
                        sign_outs,
                        device_key,
                    } => {
                        let refresh = SessionStep::Refresh {
                            kind,
                            refresh_token,
                            username,
                            sign_outs,
                            device_key,
                        };
                        self.refreshed(refresh, &response, now_ms)
                    }
                    SessionStep::Awaited(reader, names, after) => {
                        let result = account::read(reader, &names, &response)?;
                        match after {
                            After::SignOut => {
                                self.state.borrow_mut().tokens = None;
                                emit(&self.state, "signedOut");
                            }
                            After::DropDevice => super::device::drop_device(&self.state),
                            After::Nothing => {}
                        }
                        Ok(json_to_js(&result))
                    }
                    _ => Err(Error::InvalidState(
                        "the operation has already ended".into(),
                    )),
                }
            }
        }
    }

    /// Reads the answer of the refresh `sent` (a [`SessionStep::Refresh`]).
    fn refreshed(
        &mut self,
        sent: SessionStep,
        response: &HttpResponse,
        now_ms: f64,
    ) -> Result<JsValue> {
        let SessionStep::Refresh {
            kind,
            refresh_token,
            username,
            sign_outs,
            device_key,
        } = sent
        else {
            return Err(Error::InvalidState("no refresh was sent".into()));
        };
        let outcome = read_refresh(kind, &refresh_token, response, now_ms);
        let stale_device = matches!(&outcome, RefreshOutcome::Failed(error)
            if crate::device::is_stale_device_error(error));
        if stale_device {
            super::device::drop_device(&self.state);
        }
        // Again once: as InitiateAuth where rotation is unsupported, or
        // without a device the service no longer knows.
        if matches!(outcome, RefreshOutcome::FallBack) || (stale_device && device_key.is_some()) {
            let kind = match outcome {
                RefreshOutcome::FallBack => RefreshKind::InitiateAuth,
                _ => kind,
            };
            let device_key = device_key.filter(|_| !stale_device);
            let request = session::refresh_request(
                &self.config,
                kind,
                &refresh_token,
                username.as_deref(),
                device_key.as_deref(),
            );
            self.step = SessionStep::RefreshAwaited {
                kind,
                refresh_token,
                username,
                sign_outs,
                device_key,
            };
            return Ok(request_to_js(request));
        }
        self.end_refresh();
        let current = self.state.borrow().sign_outs == sign_outs;
        match outcome {
            RefreshOutcome::Refreshed(tokens) if current => {
                self.state.borrow_mut().tokens = Some(tokens);
                emit(&self.state, "tokenRefresh");
                Ok(session_to_js(&self.state.borrow()))
            }
            RefreshOutcome::Refreshed(_) => Err(Error::InvalidState(
                "signOut was called while the tokens were being refreshed".into(),
            )),
            RefreshOutcome::SignedOut(error) => {
                emit(&self.state, "tokenRefreshFailure");
                if current {
                    {
                        let mut state = self.state.borrow_mut();
                        state.tokens = None;
                        state.sign_outs += 1;
                    }
                    emit(&self.state, "signedOut");
                }
                Err(error)
            }
            RefreshOutcome::Failed(error) => {
                emit(&self.state, "tokenRefreshFailure");
                Err(error)
            }
            RefreshOutcome::FallBack => Err(Error::InvalidState("refresh fell back twice".into())),
        }
    }
}
