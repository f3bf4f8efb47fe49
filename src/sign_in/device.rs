//! Remembered devices in the sign-in module. The device a sign-in names comes
//! in with `signIn` (index.js reads it from its storage for the user as
//! typed); a device that the sign-in confirms, or that the service no longer
//! knows, goes out through index.js's writer, `writer(login, storedText |
//! null)`. The maths and requests are `cognito-core`'s `device` and
//! `sign_in`; the stored form is `DeviceSecrets::to_stored`.

use alloc::string::String;

use cognito_core::device::DeviceSecrets;
use wasm_bindgen::prelude::*;

use crate::glue::js::Function;

pub(super) struct Devices {
    /// index.js's writer.
    writer: Function,
    /// ConfirmDevice's DeviceName, from index.js (the user agent, as
    /// Amplify names devices).
    pub(super) name: String,
}

impl Devices {
    pub(super) fn new(writer: Function, name: JsValue) -> Self {
        Devices {
            writer,
            name: name.as_string().unwrap_or_default(),
        }
    }

    /// Stores the device just confirmed, for `login`.
    pub(super) fn keep(&self, login: &str, secrets: &DeviceSecrets) {
        self.tell(login, &JsValue::from_str(&secrets.to_stored()));
    }

    /// Forgets the device stored for `login` (the service no longer knows it).
    pub(super) fn forget(&self, login: &str) {
        self.tell(login, &JsValue::NULL);
    }

    fn tell(&self, login: &str, text: &JsValue) {
        // A failing writer does not fail the sign-in; index.js warns.
        let _ = self
            .writer
            .call2(&JsValue::NULL, &JsValue::from_str(login), text);
    }
}
