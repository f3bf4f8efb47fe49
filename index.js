// The package entry: CognitoAuth (the wasm-bindgen class, with the `storage`
// option, the tabs that share it and the refresh before the user calls added
// here), and the generated initialiser wrapped so that `init()` is idempotent
// and also works in Node, where `fetch` cannot read a file:// URL. The account
// calls (sign-up, password reset, attributes, MFA and device management,
// GlobalSignOut) are in a second wasm module, pkg/account/, which the first of
// them loads with account.js (a dynamic import, so bundlers split both off the
// sign-in path).
import { CognitoAuth as WasmAuth, imports, finalize } from './pkg/cognito_wasm.js';

// The `storage` option: the session is saved (as JSON) after signedIn and tokenRefresh, removed after signedOut, and
// restored by the constructor into `auth.ready`. Writes run one after
// another; a signIn, confirmSignIn, autoSignIn or signOut made before the
// restore ends wins over the stored session. Remembered devices are kept
// there too (in memory without `storage`), per user as typed at signIn, and
// outlive sign-outs; signIn reads the user's device before it starts.
const slots = new WeakMap();

export class CognitoAuth extends WasmAuth {
  constructor(options) {
    const storage = pickStorage(options?.storage);
    const settings = withAdvancedSecurityData(options);
    super(settings);
    const slot = { storage, prefix: `cognito-wasm.${options.clientId}.`, user: null, moves: 0, restored: !storage, pending: storage ? 1 : 0 };
    // For the account module's AccountCalls, made on the first account call.
    slot.settings = { ...settings };
    slot.devices = storage ?? memoryStore();
    slots.set(this, slot);
    this.onDeviceChange(
      (login, text) =>
        queue(slot, () => (text == null ? slot.devices.removeItem(deviceKey(slot, login)) : slot.devices.setItem(deviceKey(slot, login), text))),
      // ConfirmDevice's DeviceName, as Amplify names devices.
      globalThis.navigator?.userAgent || 'cognito-wasm',
    );
    this.ready = slot.queue = storage ? restore(this, slot) : Promise.resolve();
    if (storage) {
      this.onChange(({ event, tokens }) => {
        slot.moves++;
        if (slot.syncing) return; // taken from storage: nothing to write back
        if (event === 'signedIn' || event === 'tokenRefresh') save(slot, tokens);
        if (event === 'signedOut') forget(slot);
      });
      shareWithTabs(this, slot);
      loadTabs().catch(() => {}); // now, so that it is there when needed
    }
  }

  free() {
    const slot = slots.get(this);
    slot?.unlisten?.();
    slot?.account?.then((calls) => calls.free(), () => {});
    super.free();
  }

  // In a static block, so that bundlers keep it with the class.
  static {
    // `using` frees through this class's free, which also stops the storage listener.
    if (Symbol.dispose) CognitoAuth.prototype[Symbol.dispose] = CognitoAuth.prototype.free;
    // signIn first reads the device remembered for the user, from storage.
    const signIn = WasmAuth.prototype.signIn;
    CognitoAuth.prototype.signIn = function (input, ...rest) {
      const slot = slots.get(this);
      if (!slot || typeof input?.username !== 'string') return signIn.call(this, input, ...rest);
      slot.moves++;
      const load = () => {
        const key = deviceKey(slot, input.username);
        const use = (text) => {
          // importDevice is false for anything but a device (null and
          // non-strings included).
          if (!this.importDevice(input.username, text) && text != null) {
            console.warn(`cognito-wasm: ignored ${key} in storage: not a device this package wrote`);
          }
          return signIn.call(this, input, ...rest);
        };
        let text;
        try {
          text = slot.devices.getItem(key);
        } catch (error) {
          console.warn(`cognito-wasm: could not read ${key} from storage: ${error}`);
          return use(null);
        }
        return typeof text?.then === 'function'
          ? text.then(use, (error) => (console.warn(`cognito-wasm: could not read ${key} from storage: ${error}`), use(null)))
          : use(text);
      };
      // A device write still queued (async storage) lands first.
      return slot.pending ? slot.queue.then(load) : load();
    };
    CognitoAuth.prototype.fetchDevices = function () {
      const slot = slots.get(this);
      const run = () => accountCall(this, 'fetchDevices', []);
      return !slot || slot.restored ? run() : this.ready.then(run);
    };

    const confirmSignIn = WasmAuth.prototype.confirmSignIn;
    CognitoAuth.prototype.confirmSignIn = function (...args) {
      const slot = slots.get(this);
      if (slot) slot.moves++;
      return confirmSignIn.apply(this, args);
    };
    // autoSignIn: signUp({ autoSignIn: true }) left the credentials in the
    // account module, which hands them over once; they go to signIn at once.
    CognitoAuth.prototype.autoSignIn = function () {
      const slot = slots.get(this);
      if (slot) slot.moves++;
      return accountCalls(this).then((calls) => this.signIn(calls.takeAutoSignIn()));
    };

    // The account calls about a user who is not signed in.
    for (const name of ['signUp', 'confirmSignUp', 'resendSignUpCode', 'resetPassword', 'confirmResetPassword']) {
      CognitoAuth.prototype[name] = function (options) {
        return accountCalls(this).then((calls) => calls[name](options));
      };
    }

    // The calls on the signed-in session wait for the restore.
    for (const name of ['fetchSession', 'signOut', 'getCurrentUser', 'fetchUserAttributes', 'updatePassword',
      'updateUserAttributes', 'deleteUserAttributes', 'sendUserAttributeVerificationCode', 'confirmUserAttribute',
      'deleteUser', 'setUpTOTP', 'verifyTOTPSetup', 'updateMFAPreference', 'fetchMFAPreference', 'rememberDevice',
      'forgetDevice']) {
      const base = WasmAuth.prototype[name] ?? function (...args) { return accountCall(this, name, args); };
      CognitoAuth.prototype[name] = function (...args) {
        const slot = slots.get(this);
        const call = () => onSession(this, slot, name, base, args);
        return !slot || slot.restored ? call() : this.ready.then(call);
      };
    }
  }
}

// Amplify's default `userContextData`: the EncodedData of Cognito's
// advanced security script, when the page has loaded it (looked up at each
// call, so that it may load later).
function withAdvancedSecurityData(options) {
  if (options === null || typeof options !== 'object' || 'userContextData' in options) return options;
  const userContextData = ({ username, userPoolId, userPoolClientId }) =>
    globalThis.AmazonCognitoAdvancedSecurityData?.getData(username, userPoolId, userPoolClientId);
  return { ...options, userContextData };
}

function pickStorage(option) {
  if (option == null || option === 'memory') return null;
  let storage = option;
  if (option === 'localStorage' || option === 'sessionStorage') {
    try {
      storage = globalThis[option];
    } catch {}
  }
  if (['getItem', 'setItem', 'removeItem'].every((m) => typeof storage?.[m] === 'function')) return storage;
  const error = new Error(
    `new CognitoAuth: storage must be 'memory', 'localStorage', 'sessionStorage' or { getItem, setItem, removeItem } (got ${option})`,
  );
  error.name = 'ValidationError';
  throw error;
}

const lastUserKey = (slot) => `${slot.prefix}lastUser`;
const deviceKey = (slot, login) => `${slot.prefix}${login}.device`;

/** The default device store: this instance's memory. */
function memoryStore() {
  const items = new Map();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}
const sessionKey = (slot, user) => `${slot.prefix}${user}.session`;

/** The user name the tokens are for (cognito:username, else the access token's username). */
const userOf = (tokens) => tokens?.idTokenClaims?.['cognito:username'] ?? tokens?.accessTokenClaims?.username ?? '';

// Runs the storage jobs one after another; when none is running, the job
// starts at once, so that a synchronous storage (localStorage) holds the
// session by the time signIn's promise resolves.
function queue(slot, job) {
  const now = !slot.pending++;
  slot.queue = now ? runNow(slot, job) : slot.queue.then(() => runNow(slot, job));
}

function runNow(slot, job) {
  let result;
  try {
    result = Promise.resolve(job(slot.storage ?? slot.devices));
  } catch (error) {
    result = Promise.reject(error);
  }
  return result
    .catch((error) => console.warn(`cognito-wasm: the storage failed: ${error}`))
    .finally(() => slot.pending--);
}

function save(slot, tokens) {
  // As src/session.rs `to_stored` writes it, for `importSession`.
  const { idToken, accessToken, refreshToken, expiresAt } = tokens;
  const text = JSON.stringify({ idToken, accessToken, refreshToken, expiresAt: +expiresAt });
  const user = userOf(tokens);
  const previous = slot.user;
  slot.user = user;
  queue(slot, (storage) =>
    Promise.all([
      previous != null && previous !== user && storage.removeItem(sessionKey(slot, previous)),
      storage.setItem(sessionKey(slot, user), text),
      storage.setItem(lastUserKey(slot), user),
    ]),
  );
}

function forget(slot) {
  const user = slot.user;
  slot.user = null;
  const remove = (storage, name) =>
    Promise.all([typeof name === 'string' && storage.removeItem(sessionKey(slot, name)), storage.removeItem(lastUserKey(slot))]);
  queue(slot, (storage) => (user != null ? remove(storage, user) : Promise.resolve(storage.getItem(lastUserKey(slot))).then((name) => remove(storage, name))));
}

async function restore(auth, slot) {
  const moves = slot.moves;
  let key = lastUserKey(slot);
  try {
    const user = await slot.storage.getItem(key);
    if (user == null) return;
    if (typeof user !== 'string' || !user) {
      console.warn(`cognito-wasm: ignored ${key} in storage: not a user name this package wrote`);
      return;
    }
    key = sessionKey(slot, user);
    const text = await slot.storage.getItem(key);
    if (text == null || slot.moves !== moves) return;
    // The session must be the one of the user lastUser names.
    if (typeof text !== 'string' || !auth.importSession(text, user)) {
      console.warn(`cognito-wasm: ignored ${key} in storage: not a session this package wrote for ${user}`);
      return;
    }
    slot.user = user;
    // The device remembered for the restored user, for rememberDevice,
    // forgetDevice and the refresh's DEVICE_KEY.
    const device = await slot.storage.getItem(deviceKey(slot, user));
    if (typeof device === 'string') auth.importDevice(user, device);
  } catch (error) {
    console.warn(`cognito-wasm: could not read ${key} from storage: ${error}`);
  } finally {
    slot.restored = true;
    slot.pending--;
  }
}

// ---- The calls on the session (issue #4): refreshes first, several tabs.

/** As REFRESH_MARGIN_MS in src/session.rs: tokens this close to expiry are refreshed. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * Runs a call on the session once it is restored. The calls that send the
 * access token refresh it first when it expires within the margin (a failed
 * refresh leaves the call to report what is wrong).
 */
function onSession(auth, slot, name, base, args) {
  if (name === 'fetchSession') return fetchShared(auth, slot, base, args[0]);
  if (name === 'signOut') return signOut(auth, base, args[0]);
  return auth
    .fetchSession()
    .catch(() => {})
    .then(() => base.apply(auth, args));
}

/**
 * Tabs that share a storage (localStorage): a `storage` event from another
 * tab's write makes this one take the stored session (tabs.js's `sync`).
 * Custom storages get no events: they are read again before each refresh.
 */
function shareWithTabs(auth, slot) {
  if (typeof addEventListener !== 'function' || typeof Storage !== 'function' || !(slot.storage instanceof Storage)) return;
  const listener = (event) => {
    if (event.storageArea === slot.storage && (event.key ?? slot.prefix).startsWith(slot.prefix)) {
      const sync = () => tabs.sync(auth, slot);
      auth.ready.then(() =>
        tabs ? sync() : loadTabs().then(sync, (error) => console.warn(`cognito-wasm: did not take another tab's change: ${error.message}`)),
      );
    }
  };
  addEventListener('storage', listener);
  slot.unlisten = () => removeEventListener('storage', listener);
}

/**
 * fetchSession: with a storage, a refresh that is due (or forced), or a
 * session missing here, goes to tabs.js (`fetchShared` there).
 */
function fetchShared(auth, slot, base, options) {
  const tokens = auth.tokens;
  const due = tokens?.refreshToken && (options?.forceRefresh || tokens.expiresAt - Date.now() <= REFRESH_MARGIN_MS);
  if (!slot?.storage || (tokens && !due)) return base.call(auth, options);
  return tabs ? tabs.fetchShared(auth, slot, base, options, tokens) : loadTabs().then(() => fetchShared(auth, slot, base, options));
}

// tabs.js, once loaded, and its load (started by the constructor of a
// CognitoAuth with a storage; a failed load is tried again on the next call).
let tabs;
let tabsLoad;
function loadTabs() {
  return (tabsLoad ??= import('./tabs.js').then(
    (module) => (tabs = module.default({ queue, lastUserKey, sessionKey, userOf, fetchShared })),
    (cause) => {
      tabsLoad = undefined;
      throw loadError('tabs', cause);
    },
  ));
}

/**
 * signOut: the core ends the local session (and revokes the refresh token);
 * with `{ global: true }` it revokes nothing, and GlobalSignOut, which ends
 * every session of the user, goes from the account module with the access
 * token read before.
 */
function signOut(auth, base, options) {
  const accessToken = options?.global ? auth.tokens?.accessToken : undefined;
  const local = base.call(auth, options);
  return accessToken ? accountCalls(auth).then((calls) => calls.globalSignOut(accessToken)) : local;
}

// ---- The account module (pkg/account/), loaded on the first account call
// with its JS (account.js).

/** Runs the signed-in account call `name` (onSession refreshed the tokens first when due). */
const accountCall = (auth, name, args) => accountCalls(auth).then((calls) => calls.signedIn(auth, name, args));

/** The account calls of `auth` (one object per instance: it keeps autoSignIn's credentials); a failed load is tried again on the next call. */
function accountCalls(auth) {
  const slot = slots.get(auth);
  return (slot.account ??= import('./account.js')
    .then((account) => account.load(accountInput, instantiate))
    .then(
      (Calls) => new Calls(slot.settings),
      (cause) => {
        slot.account = undefined;
        throw loadError('account', cause);
      },
    ));
}

/** A NetworkError for a part of this package that did not load. */
function loadError(part, cause) {
  const error = new Error(`could not load the ${part} module of cognito-wasm (${cause}); check the network, then call again`, { cause });
  error.name = 'NetworkError';
  return error;
}

// Where the account module's wasm is, when the app placed it (init's second argument).
let accountInput;

/**
 * Compiles and instantiates the sign-in wasm module once; later calls wait
 * for the same load. `input` is optional: a URL, Response, BufferSource or
 * WebAssembly.Module of `cognito_wasm_bg.wasm` for hosts that move it;
 * `account`, the same for the account module's `cognito_wasm_account_bg.wasm`,
 * which is loaded on the first account call (a promise of it is fine too).
 * A failed load is a NetworkError, as the account module's is.
 */
export default function init(input, account) {
  if (account !== undefined) accountInput = account;
  return instantiate(input, new URL('./pkg/cognito_wasm_bg.wasm', import.meta.url), imports, finalize).catch((cause) => {
    throw loadError('sign-in', cause);
  });
}

// Each module's instantiation (by its glue's `finalize`), until one fails.
const instances = new Map();

/**
 * Compiles and instantiates a wasm module of this package once (a failed
 * attempt is forgotten, so that the next call tries again): `input` as init
 * takes it (or a promise of it), else the .wasm at `url`, fetched, or read
 * from disk in Node and other server runtimes, where `fetch` cannot read a
 * file:// URL (the specifier is in a variable so that bundlers leave it
 * alone). `imports` and `finalize` are the module's glue's (wasm-bindgen's
 * imports object, and the step that keeps the instance; exported by
 * scripts/short-names.mjs, so that bundlers drop wasm-bindgen's own loader).
 * As that loader does, a response compiles as it streams in when the server
 * sends the wasm MIME type (which streaming compilation requires), else from
 * its bytes. (`Request` and `Response` exist wherever `fetch` does, which
 * the package needs anyway.)
 */
function instantiate(input, url, imports, finalize) {
  let made = instances.get(finalize);
  if (!made) {
    made = compile(input, url, imports, finalize).catch((error) => {
      instances.delete(finalize);
      throw error;
    });
    instances.set(finalize, made);
  }
  return made;
}

async function compile(input, url, imports, finalize) {
  let source = await input;
  if (source === undefined && url.protocol === 'file:') {
    const fs = 'node:fs/promises';
    source = await (await import(/* @vite-ignore */ fs)).readFile(url);
  }
  source ??= url;
  if (typeof source === 'string' || source instanceof URL || source instanceof Request) source = await fetch(source);
  let made;
  if (source instanceof Response) {
    if (!source.ok) throw new Error(`HTTP ${source.status} from ${source.url}`);
    made = await (source.headers.get('Content-Type') === 'application/wasm'
      ? WebAssembly.instantiateStreaming(source, imports())
      : WebAssembly.instantiate(await source.arrayBuffer(), imports()));
  } else made = await WebAssembly.instantiate(source, imports());
  finalize(made.instance ?? made);
}
