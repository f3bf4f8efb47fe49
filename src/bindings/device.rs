//! Remembered devices on `CognitoAuth`: the device a sign-in names (its
//! DEVICE_KEY and secret), the device confirmed after a sign-in on a new
//! device, and `rememberDevice`, `forgetDevice`, `fetchDevices`. The maths
//! and requests are in `crate::device` and `crate::sign_in`.
//!
//! index.js keeps the device secrets in the chosen storage: it hands the
//! stored device of a user in before `signIn` (`importDevice`) and writes
//! what `onDeviceChange` reports.

use alloc::string::String;

use super::js::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;

use super::session::{rejected, After};
use super::{AuthState, CognitoAuth, Options};
use crate::device::{self, DeviceSecrets};
use crate::error::Error;
use core::cell::RefCell;

#[derive(Default)]
pub(super) struct DeviceState {
    /// The user name of the last `signIn`, as typed: a device confirmed by
    /// that sign-in is stored under it.
    login: Option<String>,
    /// The remembered device and the user name it is stored under.
    device: Option<(String, DeviceSecrets)>,
    /// index.js's writer: `listener(login, storedText | null)`.
    listener: Option<Function>,
    /// ConfirmDevice's DeviceName, from index.js (the user agent).
    name: String,
}

/// The device remembered for `username`, for a sign-in as `username`.
pub(super) fn device_for(state: &RefCell<AuthState>, username: &str) -> Option<DeviceSecrets> {
    let mut state = state.borrow_mut();
    state.device.login = Some(username.into());
    state
        .device
        .device
        .as_ref()
        .filter(|(login, _)| login == username)
        .map(|(_, secrets)| secrets.clone())
}

/// The device key of the signed-in user's remembered device.
pub(super) fn current_device_key(state: &AuthState) -> Option<String> {
    state
        .device
        .device
        .as_ref()
        .map(|(_, secrets)| secrets.device_key.clone())
}

/// Keeps the device just confirmed, for the user of the last sign-in.
pub(super) fn keep_device(state: &RefCell<AuthState>, secrets: DeviceSecrets) {
    let login = state.borrow().device.login.clone().unwrap_or_default();
    let text = secrets.to_stored();
    state.borrow_mut().device.device = Some((login.clone(), secrets));
    tell(state, &login, &JsValue::from_str(&text));
}

/// Forgets the remembered device (stale, or forgotten by the user).
pub(super) fn drop_device(state: &RefCell<AuthState>) {
    let dropped = state.borrow_mut().device.device.take();
    if let Some((login, _)) = dropped {
        tell(state, &login, &JsValue::NULL);
    }
}

fn tell(state: &RefCell<AuthState>, login: &str, text: &JsValue) {
    let listener = state.borrow().device.listener.clone();
    if let Some(listener) = listener {
        // A failing writer does not fail the sign-in; index.js warns.
        let _ = listener.call2(&JsValue::NULL, &JsValue::from_str(login), text);
    }
}

/// ConfirmDevice's DeviceName: the user agent index.js passed, as Amplify
/// sends it (read in JS: js-sys's global lookup costs the module more).
pub(super) fn device_name(state: &RefCell<AuthState>) -> String {
    state.borrow().device.name.clone()
}

fn no_device() -> Error {
    Error::InvalidState(
        "no device is remembered on this client: it is confirmed at sign-in when the user pool tracks devices".into(),
    )
}

#[wasm_bindgen]
impl CognitoAuth {
    // Sets the device stored for `login` (index.js, before signIn and after
    // restoring a session); false when `text` is not a stored device.
    #[wasm_bindgen(js_name = importDevice, skip_jsdoc)]
    pub fn import_device(&self, login: String, text: Option<String>) -> bool {
        let secrets = text.as_deref().and_then(DeviceSecrets::from_stored);
        let known = secrets.is_some();
        let mut state = self.state.borrow_mut();
        match secrets {
            Some(secrets) => state.device.device = Some((login, secrets)),
            None => {
                if state
                    .device
                    .device
                    .as_ref()
                    .is_some_and(|(l, _)| *l == login)
                {
                    state.device.device = None;
                }
            }
        }
        known
    }

    // index.js's writer of the stored device, `listener(login, text | null)`,
    // and the DeviceName new devices are confirmed with.
    #[wasm_bindgen(js_name = onDeviceChange, skip_jsdoc)]
    pub fn on_device_change(&self, listener: Function, device_name: String) {
        let mut state = self.state.borrow_mut();
        state.device.listener = Some(listener);
        state.device.name = device_name;
    }

    // `rememberDevice()`: UpdateDeviceStatus remembered, for this device.
    #[wasm_bindgen(js_name = rememberDevice, skip_jsdoc)]
    pub fn remember_device(&self) -> Promise {
        self.device_call(DeviceCall::Remember)
    }

    // `forgetDevice({ device? })`: ForgetDevice for `device.id`, else this
    // device (which is then no longer stored).
    #[wasm_bindgen(js_name = forgetDevice, skip_jsdoc)]
    pub fn forget_device(&self, options: JsValue) -> Promise {
        let device = if options.is_object() {
            Reflect::get(&options, &JsValue::from_str("device")).unwrap_or_default()
        } else {
            JsValue::UNDEFINED
        };
        let named = if device.is_undefined() || device.is_null() {
            Ok(None)
        } else if device.is_object() {
            Options::new("forgetDevice", device).and_then(|d| d.optional_string("id"))
        } else {
            Err(Error::Validation(
                "forgetDevice: device must be a device of fetchDevices, { id }".into(),
            ))
        };
        match named {
            Ok(named) => self.device_call(DeviceCall::Forget(named)),
            Err(error) => rejected(error),
        }
    }

    // `fetchDevices()`: ListDevices, as Amplify's devices (index.js makes
    // the dates `Date`s).
    #[wasm_bindgen(js_name = fetchDevices, skip_jsdoc)]
    pub fn fetch_devices(&self) -> Promise {
        self.device_call(DeviceCall::List)
    }
}

/// The signed-in device calls.
enum DeviceCall {
    Remember,
    /// The device named, or (None) this one.
    Forget(Option<String>),
    List,
}

impl CognitoAuth {
    /// A signed-in device call, with the access token and this device's key.
    fn device_call(&self, call: DeviceCall) -> Promise {
        self.account(|config, state| {
            let token = &state
                .tokens
                .as_ref()
                .ok_or_else(|| {
                    Error::InvalidState("no user is signed in; call signIn first".into())
                })?
                .access_token;
            let current = current_device_key(state);
            Ok(match call {
                DeviceCall::Remember => {
                    let key = current.ok_or_else(no_device)?;
                    let call = device::update_device_status(config, token, &key, true);
                    (call, After::Nothing)
                }
                DeviceCall::Forget(named) => {
                    let key = named.or(current.clone()).ok_or_else(no_device)?;
                    // Forgetting this device also forgets its stored secret.
                    let after = match current {
                        Some(current) if current == key => After::DropDevice,
                        _ => After::Nothing,
                    };
                    (device::forget_device(config, token, &key), after)
                }
                DeviceCall::List => (device::list_devices(config, token), After::Nothing),
            })
        })
    }
}
