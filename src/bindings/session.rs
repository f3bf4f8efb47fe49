//! Sessions on `CognitoAuth`: `fetchSession` (one refresh in flight shared
//! by concurrent calls), `importSession` and `onChange` events. The
//! requests and the reading of answers are in `crate::session`; this runs
//! them as a [`SessionOperation`] driven by the same `drive` as sign-in.
//! (The account calls are in the account module, `crate::account_bindings`.)

use alloc::string::String;
use alloc::vec::Vec;

use super::js::{Date, Function, Object, Promise};
use wasm_bindgen::prelude::*;

use super::{received, request_to_js, set, to_js_error, tokens_to_js, AuthState, CognitoAuth};
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
        let step = SessionStep::Refresh(Refresh {
            kind: RefreshKind::Rotate,
            refresh_token,
            username: session::username(tokens),
            sign_outs: state.sign_outs,
            device_key: super::device::current_device_key(&state),
        });
        drop(state);
        let promise = crate::glue::drive(self.session_operation(step, true).into());
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

impl CognitoAuth {
    fn session_operation(&self, step: SessionStep, is_refresh: bool) -> SessionOperation {
        SessionOperation {
            config: Rc::clone(&self.config),
            state: Rc::clone(&self.state),
            step,
            is_refresh,
        }
    }
}

enum SessionStep {
    /// This refresh is to be sent.
    Refresh(Refresh),
    /// This refresh was sent.
    RefreshAwaited(Refresh),
    Done,
}

/// A refresh of `refresh_token`.
struct Refresh {
    kind: RefreshKind,
    refresh_token: String,
    username: Option<String>,
    sign_outs: u64,
    /// The remembered device's key (DEVICE_KEY), sent with the refresh.
    device_key: Option<String>,
}

impl Refresh {
    fn request(&self, config: &ClientConfig) -> crate::protocol::HttpRequest {
        session::refresh_request(
            config,
            self.kind,
            &self.refresh_token,
            self.username.as_deref(),
            self.device_key.as_deref(),
        )
    }
}

// One refresh, run by `drive`.
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
        to_js_error(crate::glue::no_answer(self.config.endpoint()))
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
            SessionStep::Refresh(refresh) => {
                let request = refresh.request(&config);
                self.step = SessionStep::RefreshAwaited(refresh);
                Ok(request_to_js(request))
            }
            step => {
                let response = response.ok_or_else(|| {
                    Error::InvalidState("the operation was given no answer".into())
                })?;
                match step {
                    SessionStep::RefreshAwaited(refresh) => {
                        self.refreshed(refresh, &response, now_ms)
                    }
                    _ => Err(Error::InvalidState(
                        "the operation has already ended".into(),
                    )),
                }
            }
        }
    }

    /// Reads the answer of the refresh `sent`.
    fn refreshed(
        &mut self,
        mut sent: Refresh,
        response: &HttpResponse,
        now_ms: f64,
    ) -> Result<JsValue> {
        let outcome = read_refresh(sent.kind, &sent.refresh_token, response, now_ms);
        let stale_device = matches!(&outcome, RefreshOutcome::Failed(error)
            if crate::device::is_stale_device_error(error));
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
            self.step = SessionStep::RefreshAwaited(sent);
            return Ok(request_to_js(request));
        }
        self.end_refresh();
        let current = self.state.borrow().sign_outs == sent.sign_outs;
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
