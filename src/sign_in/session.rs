//! Sessions on `CognitoAuth`: `fetchSession` (one refresh in flight shared
//! by concurrent calls), `importSession` and `onChange` events. The
//! requests and the reading of answers are in `crate::session`; a refresh
//! runs as an [`Operation`] (its steps [`Step::Refresh`] and
//! [`Step::RefreshAwaited`]), driven by `drive` as sign-in is.
//! (The account calls are in the account module, `crate::account_bindings`.)

use alloc::string::String;
use alloc::vec::Vec;

use crate::glue::js::{Date, Function, Object, Promise};
use wasm_bindgen::prelude::*;

use super::{
    request_to_js, set, to_js_error, tokens_to_js, AuthState, CognitoAuth, Operation, Step,
};
use cognito_core::error::{Error, Result};
use cognito_core::protocol::{ClientConfig, HttpRequest, HttpResponse};
use cognito_core::session::{self, needs_refresh, read_refresh, RefreshKind, RefreshOutcome};
use core::cell::RefCell;

/// The session state beside the tokens.
#[derive(Default)]
pub(super) struct SessionState {
    listeners: Vec<Function>,
    /// The refresh in flight, which concurrent `fetchSession` calls share.
    refreshing: Option<Promise>,
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

#[wasm_bindgen]
impl CognitoAuth {
    // `fetchSession({ forceRefresh? })` resolves to `{ tokens }`, refreshing
    // them first when they are within a minute of expiry (or when forced).
    #[wasm_bindgen(js_name = fetchSession, skip_jsdoc)]
    pub fn fetch_session(&self, options: JsValue) -> Promise {
        let force = super::flag(&options, "forceRefresh");
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
        let refresh = Refresh {
            kind: RefreshKind::Rotate,
            refresh_token,
            username: session::username(tokens),
            device_key: super::device::current_device_key(&state),
        };
        let mut operation = self.operation(Step::Refresh(refresh));
        operation.sign_outs = state.sign_outs;
        operation.refreshing = true;
        drop(state);
        let promise = super::drive(operation);
        self.state.borrow_mut().session.refreshing = Some(promise.clone());
        promise
    }

    // Restores a session stored by index.js (the `storage` option, written as
    // `crate::session::to_stored` does) for the user named `user`; false
    // (and nothing changes) when the text is not one, or is another user's.
    // `text` null forgets the session, as another tab's sign-out does. With
    // `event`, the listeners are told (index.js passes it when another tab
    // changed the session). The three are JS values, read with `as_string`
    // (anything but a string is none): wasm-bindgen's glue for an optional
    // string copies it into the module before the call, and frees it if a
    // later argument fails.
    #[wasm_bindgen(js_name = importSession, skip_jsdoc)]
    pub fn import_session(&self, text: JsValue, user: JsValue, event: JsValue) -> bool {
        let user = user.as_string();
        let tokens = match text.as_string() {
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
        if let Some(event) = event.as_string() {
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
        let listeners = &mut self.state.borrow_mut().session.listeners;
        // Every registration of it (`retain` is larger in the wasm module).
        while let Some(at) = listeners
            .iter()
            .position(|l| AsRef::<JsValue>::as_ref(l) == listener)
        {
            listeners.remove(at);
        }
    }
}

/// A refresh of `refresh_token` (`fetchSession`), the steps
/// [`Step::Refresh`] and [`Step::RefreshAwaited`] of an [`Operation`].
pub(super) struct Refresh {
    kind: RefreshKind,
    refresh_token: String,
    username: Option<String>,
    /// The remembered device's key (DEVICE_KEY), sent with the refresh.
    device_key: Option<String>,
}

impl Refresh {
    pub(super) fn request(&self, config: &ClientConfig) -> HttpRequest {
        session::refresh_request(
            config,
            self.kind,
            &self.refresh_token,
            self.username.as_deref(),
            self.device_key.as_deref(),
        )
    }
}

impl Drop for Operation {
    fn drop(&mut self) {
        if self.refreshing {
            if let Ok(mut state) = self.state.try_borrow_mut() {
                state.session.refreshing = None;
            }
        }
    }
}

impl Operation {
    /// No refresh is in flight any more: the next `fetchSession` starts one.
    pub(super) fn end_refresh(&mut self) {
        self.refreshing = false;
        self.state.borrow_mut().session.refreshing = None;
    }

    /// The NetworkError of a refresh that cannot reach the endpoint, which
    /// is a tokenRefreshFailure.
    pub(super) fn refresh_unreachable(&mut self) -> JsValue {
        if self.refreshing {
            self.end_refresh();
            emit(&self.state, "tokenRefreshFailure");
        }
        to_js_error(crate::glue::no_answer(self.config.endpoint()))
    }

    /// Reads the answer of the refresh `sent`.
    pub(super) fn refreshed(
        &mut self,
        mut sent: Refresh,
        response: &HttpResponse,
        now_ms: f64,
    ) -> Result<JsValue> {
        let outcome = read_refresh(sent.kind, &sent.refresh_token, response, now_ms);
        let stale_device = matches!(&outcome, RefreshOutcome::Failed(error)
            if cognito_core::device::is_stale_device_error(error));
        if stale_device {
            super::device::drop_device(&self.state);
        }
        // Again once: as InitiateAuth where rotation is unsupported, or
        // without a device the service no longer knows.
        if matches!(outcome, RefreshOutcome::FallBack)
            || (stale_device && sent.device_key.is_some())
        {
            if matches!(outcome, RefreshOutcome::FallBack) {
                sent.kind = RefreshKind::InitiateAuth;
            }
            if stale_device {
                sent.device_key = None;
            }
            let request = sent.request(&self.config);
            self.step = Step::RefreshAwaited(sent);
            return Ok(request_to_js(request));
        }
        self.end_refresh();
        let current = self.state.borrow().sign_outs == self.sign_outs;
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
