//! Managed login's calls of the account module (`cognito_core::oauth`): a
//! new state and PKCE verifier for a sign-in, and the redemption of the
//! code that comes back. js/oauth.js builds the authorize and logout URLs
//! from the app's `oauth` option, keeps the state and verifier for the round
//! trip, navigates (or opens the popup), and makes the session of the
//! tokens, as a sign-in does. In the account module: the page a sign-in
//! comes back to needs the module for the refresh anyway.

use alloc::string::String;

use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use super::{get, AccountCalls, Reading};
use crate::glue::js::{Object, Promise};
use crate::glue::{set, to_js_error};
use cognito_core::error::{Error, Result};
use cognito_core::oauth::{self, Callback, Window, STATE_RANDOM_BYTES, VERIFIER_RANDOM_BYTES};

#[wasm_bindgen]
impl AccountCalls {
    // `oauthStart(popup)`: `{ state, codeVerifier, codeChallenge }` for a new
    // sign-in (in a popup: a state the popup's page knows).
    #[wasm_bindgen(js_name = oauthStart, skip_jsdoc)]
    pub fn oauth_start(&self, popup: bool) -> core::result::Result<JsValue, JsValue> {
        let verifier =
            oauth::code_verifier(&*random::<VERIFIER_RANDOM_BYTES>().map_err(to_js_error)?);
        let window = if popup { Window::Popup } else { Window::Same };
        let state = oauth::state(
            &*random::<STATE_RANDOM_BYTES>().map_err(to_js_error)?,
            window,
        );
        let start = Object::new();
        set(&start, "state", &JsValue::from_str(&state));
        set(&start, "codeVerifier", &JsValue::from_str(&verifier));
        set(
            &start,
            "codeChallenge",
            &JsValue::from_str(&oauth::code_challenge(&verifier)),
        );
        Ok(start.into())
    }

    // `oauthRedeem(tokenEndpoint, callback, pending, options)`: the tokens (`{
    // idToken, accessToken, refreshToken, expiresIn }`) for the redirect
    // back's `callback` (`{ code, state, error, error_description }`,
    // strings or null) when it answers the sign-in `pending` (`{ state,
    // codeVerifier, redirectUri }`, or null when none was started here): the
    // state is checked, then the code redeemed with the verifier (`options`:
    // the app's, whose `signal` stops it).
    #[wasm_bindgen(js_name = oauthRedeem, skip_jsdoc)]
    pub fn oauth_redeem(
        &self,
        token_endpoint: String,
        callback: JsValue,
        pending: JsValue,
        options: JsValue,
    ) -> Promise {
        let text = |object: &JsValue, key| get(object, key).as_string();
        let (code, state) = (text(&callback, "code"), text(&callback, "state"));
        let error = text(&callback, "error");
        let description = text(&callback, "error_description");
        let callback = Callback {
            code: code.as_deref(),
            state: state.as_deref(),
            error: error.as_deref(),
            error_description: description.as_deref(),
        };
        let request = oauth::code_of(&callback, text(&pending, "state").as_deref()).map(|code| {
            let verifier = Zeroizing::new(text(&pending, "codeVerifier").unwrap_or_default());
            let redirect_uri = text(&pending, "redirectUri").unwrap_or_default();
            let request = oauth::token_request(
                &self.config,
                &token_endpoint,
                code,
                &redirect_uri,
                &verifier,
            );
            (request, Reading::Tokens)
        });
        self.send(&options, request)
    }
}

/// `N` random bytes (`crypto.getRandomValues`), wiped when dropped.
fn random<const N: usize>() -> Result<Zeroizing<[u8; N]>> {
    let mut bytes = Zeroizing::new([0; N]);
    getrandom::fill(&mut bytes[..]).map_err(|_| {
        Error::Validation(
            "crypto.getRandomValues is not available; use a browser, a worker or Node >= 20".into(),
        )
    })?;
    Ok(bytes)
}
