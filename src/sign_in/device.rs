//! Remembered devices on `Client`: the device a sign-in names (its
//! DEVICE_KEY and secret) and the device confirmed after a sign-in on a new
//! device. The maths and requests are `cognito-core`'s `device` and
//! `sign_in`. `rememberDevice`, `forgetDevice` and `fetchDevices` are
//! account calls (`crate::account`), which index.js gives this device's key
//! (`deviceKey`) and tells when this device was forgotten (`dropDevice`).
//!
//! index.js keeps the device secrets in the chosen storage: it hands the
//! stored device of a user in before `signIn` (`importDevice`) and writes
//! what `onDeviceChange` reports.

use alloc::string::String;

use crate::glue::js::Function;
use wasm_bindgen::prelude::*;

use super::{Client, ClientState};
use cognito_core::device::DeviceSecrets;
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
pub(super) fn device_for(state: &RefCell<ClientState>, username: &str) -> Option<DeviceSecrets> {
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
pub(super) fn current_device_key(state: &ClientState) -> Option<String> {
    state
        .device
        .device
        .as_ref()
        .map(|(_, secrets)| secrets.device_key.clone())
}

/// Keeps the device just confirmed, for the user of the last sign-in.
pub(super) fn keep_device(state: &RefCell<ClientState>, secrets: DeviceSecrets) {
    let login = state.borrow().device.login.clone().unwrap_or_default();
    let text = secrets.to_stored();
    state.borrow_mut().device.device = Some((login.clone(), secrets));
    tell(state, &login, &JsValue::from_str(&text));
}

/// Forgets the remembered device (stale, or forgotten by the user).
pub(super) fn drop_device(state: &RefCell<ClientState>) {
    let dropped = state.borrow_mut().device.device.take();
    if let Some((login, _)) = dropped {
        tell(state, &login, &JsValue::NULL);
    }
}

fn tell(state: &RefCell<ClientState>, login: &str, text: &JsValue) {
    let listener = state.borrow().device.listener.clone();
    if let Some(listener) = listener {
        // A failing writer does not fail the sign-in; index.js warns.
        let _ = listener.call2(&JsValue::NULL, &JsValue::from_str(login), text);
    }
}

/// ConfirmDevice's DeviceName: the user agent index.js passed, as Amplify
/// sends it (read in JS: js-sys's global lookup costs the module more).
pub(super) fn device_name(state: &RefCell<ClientState>) -> String {
    state.borrow().device.name.clone()
}

#[wasm_bindgen]
impl Client {
    // Sets the device stored for `login` (index.js, before signIn and after
    // restoring a session); false when `text` is not a stored device.
    // Both are read with `as_string`, as importSession's strings are (index.js
    // passes a string `login`).
    #[wasm_bindgen(js_name = importDevice, skip_jsdoc)]
    pub fn import_device(&self, login: JsValue, text: JsValue) -> bool {
        let login = login.as_string().unwrap_or_default();
        let secrets = text
            .as_string()
            .as_deref()
            .and_then(DeviceSecrets::from_stored);
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
    // and the DeviceName new devices are confirmed with (a string).
    #[wasm_bindgen(js_name = onDeviceChange, skip_jsdoc)]
    pub fn on_device_change(&self, listener: Function, device_name: JsValue) {
        let mut state = self.state.borrow_mut();
        state.device.listener = Some(listener);
        state.device.name = device_name.as_string().unwrap_or_default();
    }

    // The key of the device remembered on this client, for the account
    // module's rememberDevice and forgetDevice; undefined when there is none.
    #[wasm_bindgen(getter, js_name = deviceKey, skip_jsdoc)]
    pub fn device_key(&self) -> JsValue {
        current_device_key(&self.state.borrow())
            .map_or(JsValue::UNDEFINED, |key| JsValue::from_str(&key))
    }

    // The account module forgot the device `key`: when it is this device,
    // its secret is no longer stored.
    #[wasm_bindgen(js_name = dropDevice, skip_jsdoc)]
    pub fn drop_device_forgotten(&self, key: JsValue) {
        if current_device_key(&self.state.borrow()) == key.as_string() {
            drop_device(&self.state);
        }
    }
}
