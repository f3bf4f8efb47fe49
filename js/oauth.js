// Managed login (the OAuth 2.0 code grant with PKCE, through the user pool
// domain): the redirect and popup sign-ins, the page they come back to, and
// the sign-out redirect. index.js imports this chunk (a dynamic import) on
// the first of these calls, so apps without managed login never load it.
// The account module (src/account/oauth.rs, over cognito_core::oauth) makes
// the state and the PKCE verifier and challenge, checks what comes back
// (the state, in constant time, and the errors, named), and redeems the
// code at the token endpoint. Here: the `oauth` option, the authorize and
// logout URLs (URLSearchParams), where the state and verifier wait for the
// round trip (this tab's sessionStorage, or the opener's memory for a
// popup), the navigation, the popup, and the URL cleaned afterwards.
//
// `hooks` reach the CognitoAuth (its #hooks): `settings` (its options),
// `calls()` (its account calls), `session()`, and `signedIn(tokens)`,
// which starts the session as a sign-in does: storage, events, tabs. It
// imports nothing: a module the entry also holds would be a chunk shared
// with it, one more request before a returning visit's tokens.

/** What the user pool domain adds to the redirect URI, and this module takes out again. */
const PARAMS = ['code', 'state', 'error', 'error_description'];
/** cognito_core::oauth::POPUP_STATE_PREFIX: the state of a popup's sign-in. */
const POPUP_STATE = 'popup.';
/** The key of the message a popup's page posts to its opener: its URL. */
const MESSAGE = 'cognito-wasm.oauth';
/** How often the opener looks at its popup. */
const POLL_MS = 100;

function named(name, message) {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** The page's origin and path; a ValidationError outside a browser page. */
function page(call) {
  if (!globalThis.location?.origin?.startsWith('http') || !globalThis.sessionStorage) {
    throw named('ValidationError', `${call} needs a browser page (location, sessionStorage): managed login redirects`);
  }
  return location.origin + location.pathname;
}

/** Amplify's social providers, as the user pool names them. */
const PROVIDERS = { Google: 'Google', Facebook: 'Facebook', Amazon: 'LoginWithAmazon', Apple: 'SignInWithApple' };

/**
 * The `oauth` option, checked: `{ origin, scope, redirectSignIn, redirectSignOut }`
 * (`origin`: the user pool domain, `https://<domain>` or the URL given;
 * `scope`: the scopes, space-separated, or null for all the app client's);
 * a ValidationError names what is wrong.
 */
function settingsOf({ settings }) {
  const oauth = settings?.oauth;
  const invalid = (what) => named('ValidationError', `new CognitoAuth: oauth.${what}`);
  if (!oauth || typeof oauth !== 'object') {
    throw named('ValidationError', "managed login needs the oauth option of new CognitoAuth: { domain, scopes, redirectSignIn, redirectSignOut, responseType: 'code' }");
  }
  const { domain, scopes = [], responseType = 'code' } = oauth;
  if (responseType !== 'code') throw invalid("responseType must be 'code': the implicit grant cannot use PKCE nor refresh");
  let url = null;
  try {
    url = new URL(/^https?:\/\//.test(domain) ? domain : `https://${domain}`);
  } catch {}
  if (typeof domain !== 'string' || url?.href !== `${url?.origin}/`) {
    throw invalid(`domain ${JSON.stringify(domain)} is not a host name (auth.example.com) or an origin (https://auth.example.com): copy the user pool domain from the Cognito console`);
  }
  if (!Array.isArray(scopes) || !scopes.every((scope) => /^\S+$/.test(scope))) throw invalid('scopes must be an array of scope names');
  const urls = (name) => {
    const list = oauth[name] == null ? [] : [oauth[name]].flat();
    if (!list.every((entry) => typeof entry === 'string')) throw invalid(`${name} must be a URL or an array of URLs`);
    return list;
  };
  return { origin: url.origin, scope: scopes.join(' ') || null, redirectSignIn: urls('redirectSignIn'), redirectSignOut: urls('redirectSignOut') };
}

/**
 * The URL of `settings[name]` (redirectSignIn or redirectSignOut) the user
 * pool domain sends the user back to from the page at `here`: the one equal
 * to it, else the first on its origin (Amplify v6 picks one of the page's
 * origin too: the state and verifier wait in the origin's sessionStorage).
 */
function redirectOf(settings, name, here) {
  const sameOrigin = (url) => {
    try {
      return new URL(url).origin === location.origin;
    } catch {
      return false;
    }
  };
  const found = settings[name].find((url) => url === here) ?? settings[name].find(sameOrigin);
  if (found) return found;
  const where = name === 'redirectSignIn' ? 'callback URLs' : 'sign-out URLs';
  throw named('ValidationError', `oauth.${name} has no URL on this page's origin (${location.origin}): add this page's URL there and to the app client's ${where}`);
}

/**
 * The query of the authorize endpoint for `input` (signInWithRedirect's),
 * back to `redirectUri`: `response_type=code`, `client_id`,
 * `redirect_uri`, `scope`, and `identity_provider` or `idp_identifier`,
 * `login_hint`, `lang`, `nonce`, `prompt` when asked for (the state and the
 * PKCE challenge follow); a ValidationError for unusable input.
 */
function authorizeQuery(hooks, settings, redirectUri, input) {
  const query = new URLSearchParams({ response_type: 'code', client_id: hooks.settings.clientId, redirect_uri: redirectUri });
  if (settings.scope) query.set('scope', settings.scope);
  const { provider, customState, options = {} } = input ?? {};
  const invalid = (what) => named('ValidationError', `signInWithRedirect: ${what}`);
  if (typeof provider === 'string' && Object.hasOwn(PROVIDERS, provider)) query.set('identity_provider', PROVIDERS[provider]);
  else if (typeof provider?.custom === 'string') query.set('identity_provider', provider.custom);
  else if (typeof provider?.idpIdentifier === 'string') query.set('idp_identifier', provider.idpIdentifier);
  else if (provider != null) {
    throw invalid("provider must be 'Google', 'Facebook', 'Amazon', 'Apple', { custom: '<provider name>' } or { idpIdentifier: '<identifier>' }");
  }
  if (customState != null && typeof customState !== 'string') throw invalid('customState must be a string');
  for (const [name, option] of [['login_hint', 'loginHint'], ['lang', 'lang'], ['nonce', 'nonce'], ['prompt', 'prompt']]) {
    const value = options[option];
    if (value == null) continue;
    if (typeof value !== 'string') throw invalid(`options.${option} must be a string`);
    // Amplify's prompts are upper case (NONE, LOGIN, ...); the endpoint's lower.
    query.set(name, name === 'prompt' ? value.toLowerCase() : value);
  }
  return query;
}

/**
 * A new sign-in from the page at `here`: the account calls, the authorize
 * URL with a new state and PKCE challenge (S256), and `pending`, what the
 * way back is checked and redeemed with (`{ state, codeVerifier,
 * redirectUri, customState }`).
 */
async function start(hooks, input, here, popup) {
  const settings = settingsOf(hooks);
  const redirectUri = redirectOf(settings, 'redirectSignIn', here);
  const query = authorizeQuery(hooks, settings, redirectUri, input);
  const calls = await hooks.calls();
  const { state, codeVerifier, codeChallenge } = calls.oauthStart(popup);
  query.set('state', state);
  query.set('code_challenge', codeChallenge);
  query.set('code_challenge_method', 'S256');
  const url = `${settings.origin}/oauth2/authorize?${query}`;
  return { url, calls, pending: { state, codeVerifier, redirectUri, customState: input?.customState } };
}

/** The sessionStorage key of this app client's redirect sign-in under way. */
const pendingKey = (hooks) => `cognito-wasm.${hooks.settings.clientId}.oauth`;

/**
 * Starts a redirect sign-in: the state, verifier, redirect URI and
 * customState wait in sessionStorage (this tab's) for the page the user
 * comes back to, and the page goes to the authorize endpoint.
 */
export async function signInWithRedirect(hooks, input) {
  const { url, pending } = await start(hooks, input, page('signInWithRedirect'), false);
  sessionStorage.setItem(pendingKey(hooks), JSON.stringify(pending));
  location.assign(url);
}

/** The token endpoint: `<domain>/oauth2/token`. */
const tokenEndpoint = (hooks) => `${settingsOf(hooks).origin}/oauth2/token`;

/** The outcome of each URL's redemption: every instance (and every call) on the page gets the same one. */
const redemptions = new Map();
/** Each instance's outcome of handleRedirect, which later calls return again. */
const outcomes = new WeakMap();

/**
 * The page the user comes back to: with `code` or `error` in its URL, the
 * sign-in started here is checked and redeemed, the URL cleaned of them,
 * and the session started; without them, nothing happens. The page of a
 * popup hands its URL to its opener instead.
 */
export function handleRedirect(hooks, auth) {
  const done = outcomes.get(auth);
  if (done) return done;
  const url = globalThis.location ? new URL(location.href) : null;
  const params = url?.searchParams;
  if (!params?.has('code') && !params?.has('error')) return Promise.resolve({ isSignedIn: !!hooks.session() });
  const callback = Object.fromEntries(PARAMS.map((name) => [name, params.get(name)]));
  const opener = globalThis.opener;
  if (callback.state?.startsWith(POPUP_STATE) && opener && opener !== globalThis) {
    // A popup's page: its opener redeems the code (and closes it).
    opener.postMessage({ [MESSAGE]: location.href }, location.origin);
    return Promise.resolve({ isSignedIn: false });
  }
  const href = url.href;
  let redemption = redemptions.get(href);
  if (!redemption) {
    let taken = false;
    redemption = hooks.calls().then((calls) => {
      taken = true;
      const pending = takePending(hooks);
      // Neither a reload nor the back button sends the code again.
      for (const name of PARAMS) params.delete(name);
      history.replaceState(history.state, '', url);
      return calls.oauthRedeem(tokenEndpoint(hooks), callback, pending).then((tokens) => ({ tokens, customState: pending?.customState }));
    });
    redemptions.set(href, redemption);
    // An account module that did not load leaves the URL and the sign-in waiting for the next call.
    redemption.catch(() => {
      if (taken) return;
      redemptions.delete(href);
      outcomes.delete(auth);
    });
  }
  const outcome = redemption.then(({ tokens, customState }) => {
    signedIn(hooks, tokens);
    return { isSignedIn: true, customState };
  });
  outcomes.set(auth, outcome);
  return outcome;
}

/** The session of `tokens` starts: signedIn, stored (with a storage), other tabs told. */
const signedIn = (hooks, tokens) => hooks.signedIn(tokens);

/** The redirect sign-in waiting in sessionStorage (removed: it is used once), or null. */
function takePending(hooks) {
  const key = pendingKey(hooks);
  try {
    const pending = JSON.parse(sessionStorage.getItem(key));
    sessionStorage.removeItem(key);
    return pending && typeof pending === 'object' ? pending : null;
  } catch {
    return null;
  }
}

/**
 * The sign-in in `popup` (opened by index.js at once, before anything
 * awaits, so that popup blockers let it open): its state and verifier stay
 * here, and the popup's URL comes back from the popup's page (a message) or
 * from a look at the popup once it is back on this origin. The popup is
 * closed at the end, whatever happens.
 */
export async function signInWithPopup(hooks, input, popup) {
  try {
    const here = page('signInWithPopup');
    if (!popup) {
      throw named('OAuthPopupBlockedError', 'the browser did not open the popup: call signInWithPopup in a click handler, or allow popups for this site');
    }
    const { url, calls, pending } = await start(hooks, input, here, true);
    popup.location.href = url;
    const back = new URL(await popupReturn(popup)).searchParams;
    const callback = Object.fromEntries(PARAMS.map((name) => [name, back.get(name)]));
    const tokens = await calls.oauthRedeem(tokenEndpoint(hooks), callback, pending);
    signedIn(hooks, tokens);
    return { isSignedIn: true, customState: pending.customState };
  } finally {
    popup?.close();
  }
}

/** The URL the popup comes back to, with `code` or `error`; an OAuthPopupClosedError if it is closed first. */
function popupReturn(popup) {
  return new Promise((resolve, reject) => {
    const finish = (settle, value) => {
      clearInterval(timer);
      removeEventListener('message', message);
      settle(value);
    };
    const message = (event) => {
      const href = event.data?.[MESSAGE];
      if (event.source === popup && event.origin === location.origin && typeof href === 'string') finish(resolve, href);
    };
    const timer = setInterval(() => {
      let href;
      try {
        href = popup.location.href;
      } catch {} // on the user pool domain or the identity provider: not readable
      if (href?.startsWith(`${location.origin}/`) && /[?&](code|error)=/.test(new URL(href).search)) finish(resolve, href);
      else if (popup.closed) finish(reject, named('OAuthPopupClosedError', 'the sign-in popup was closed before the sign-in finished'));
    }, POLL_MS);
    addEventListener('message', message);
  });
}

/**
 * After signOut ended `session` here: a session of managed login also ends
 * the managed-login session, at the logout endpoint, which sends the user
 * back to the redirectSignOut URL of this page (or `redirectUrl`). index.js
 * calls it for a session of managed login only (see its signOut).
 */
export async function signOut(hooks, options) {
  if (!globalThis.location) return;
  const settings = settingsOf(hooks);
  const logoutUri = redirectOf(settings, 'redirectSignOut', options?.oauth?.redirectUrl ?? page('signOut'));
  location.assign(`${settings.origin}/logout?${new URLSearchParams({ client_id: hooks.settings.clientId, logout_uri: logoutUri })}`);
}
