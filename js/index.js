// The package entry: `init` and `CognitoAuth`.
//
// CognitoAuth holds the session in JS (session.js: the tokens, their claims
// and expiry, the stored form, events, the `storage` option), so that a
// returning visit reads its tokens without a wasm module. The protocol runs
// in two wasm modules, each loaded by the first call that needs it:
// - the sign-in module (sign-in.js and pkg/, also loaded by `init`): its
//   `Client` proves the password (SRP), drives the challenges, and keeps the
//   sign-in step waiting for confirmSignIn;
// - the account module (account.js, pkg/account/): what comes after a
//   sign-in: the refresh, the revocation and GlobalSignOut, and the account
//   calls (sign-up, password reset, attributes, MFA and device management).
// The machinery of the `storage` option (the stored session and devices, the
// restore, and the tabs that share a storage) is a chunk of its own
// (tabs.js), loaded by the constructor of a CognitoAuth that has a storage.
import { abortable, instantiate, loadError } from './loader.js';
import { claimsOf } from './jwt.js';
import { drive } from './transport.js';
import { fromStored, isDue, lastUserKey, readStored, sessionKey, sessionOf, toStored, tokensOf, userOf } from './session.js';

// The sign-in module's glue, once init() has loaded the module.
let signIn;
// What the modules run their requests with (js/transport.js): handed to
// their constructors, so that their glue imports nothing and a bundler's
// chunk of it is one request, made beside the wasm's.
const driver = { drive };
// Where the account module's wasm is, when the app placed it (init's second argument).
let accountInput;

/**
 * Loads the sign-in wasm module once (a failed load is a WasmLoadError that
 * names the cause, or a NetworkError, and the next call tries again);
 * optional, as every call that needs the module loads it. Without `input`,
 * the wasm is where the runtime's entry placed it (server.js, workerd.js),
 * else beside the package. `input` is for hosts that move the .wasm: a
 * URL, Response, BufferSource or WebAssembly.Module of
 * `cognito_wasm_bg.wasm`; `account`,
 * the same for the account module's `cognito_wasm_account_bg.wasm` (or a
 * promise of it), which is loaded on the first account call.
 */
export default function init(input, account) {
  if (account !== undefined) accountInput = account;
  const wasm = () => new URL('../pkg/cognito_wasm_bg.wasm', import.meta.url);
  return instantiate('sign-in', input, wasm, () => import('./sign-in.js')).then((glue) => {
    glue.prepare();
    signIn = glue;
  });
}

export class CognitoAuth {
  /** The options, with Amplify's default userContextData. */
  #settings;
  /** The sign-in module's Client, made once the module is loaded. */
  #client = null;
  /** `{ idToken, accessToken, refreshToken, expiresAt }` (session.js), or null. */
  #session = null;
  #listeners = [];
  /** The refresh in flight, which concurrent fetchSession calls share. */
  #refreshing = null;
  /** The account module's calls of this instance (a promise), made on the first account call. */
  #account = null;
  /** The user name the remembered device is stored under: as typed at the last signIn, or the restored user. */
  #login = null;
  /**
   * A new device's confirmation, which goes on after the sign-in's result
   * (js/transport.js's `after`; it never rejects): calls that read or list
   * devices wait for it.
   */
  #confirming = null;
  /** The `storage` option (null: the session and devices are kept in memory). */
  #storage;
  /** Its Store (tabs.js), once loaded. */
  #store = null;
  /** The user whose session the restore read, for a Store loaded after it. */
  #storedUser = null;
  /** The remembered devices, by user name, without a storage. */
  #devices = new Map();
  /** The identity pool's Identity (identity.js, a promise), made on first use. */
  #identity = null;
  /** Calls that change the session, counted so that the restore does not undo them. */
  #moves = 0;
  #restored;

  constructor(options) {
    this.#storage = pickStorage(options?.storage);
    checkTransport(options);
    this.#settings = withAdvancedSecurityData(options);
    this.#prefix = `cognito-wasm.${options?.clientId}.`;
    // With the module loaded, bad settings throw here, as the docs say.
    if (signIn) this.#client = this.#newClient();
    this.#restored = !this.#storage;
    this.ready = this.#storage ? this.#restore() : Promise.resolve();
    // Back from managed login: ready awaits the sign-in too (its outcome is handleRedirect's).
    if (options?.oauth && /[?&](code|error)=/.test(globalThis.location?.search)) this.ready = this.ready.then(() => this.handleRedirect().catch(() => {}));
  }

  /**
   * Reads the session stored for the last user (session.js), at once from
   * a synchronous storage, unless a call that changes the session (signIn,
   * signOut, ...) ends first; and loads the storage's Store (tabs.js)
   * beside it, which keeps the session in step with the other tabs.
   */
  #restore() {
    const moves = this.#moves;
    this.#withStore(() => {}).catch(warnStorage);
    const adopt = (found) => {
      if (found && this.#moves === moves) {
        this.#session = found.session;
        // The device remembered for the restored user is stored under their name.
        this.#login = found.user;
        if (this.#store) this.#store.user = found.user;
        else this.#storedUser = found.user;
      }
    };
    const found = readStored(this.#storage, this.#prefix);
    return Promise.resolve(typeof found?.then === 'function' ? found.then(adopt) : adopt(found)).finally(() => (this.#restored = true));
  }

  /** The storage keys' prefix. */
  #prefix;

  /** The tokens: `{ idToken, accessToken, refreshToken, expiresAt, idTokenClaims, accessTokenClaims }`, or null. */
  get tokens() {
    return tokensOf(this.#session);
  }

  signIn(input) {
    this.#moves++;
    const username = input?.username;
    if (typeof username !== 'string') return this.#protocol(input).then((client) => this.#signedIn(client.signIn(input)));
    // The device remembered for the user goes with the sign-in.
    this.#login = username;
    return Promise.all([this.#protocol(input), this.#device()]).then(([client, device]) =>
      this.#signedIn(client.signIn(input, device, passkey('get', input))),
    );
  }

  confirmSignIn(input) {
    this.#moves++;
    return this.#protocol(input).then((client) => this.#signedIn(client.confirmSignIn(input, passkey('get', input))));
  }

  // autoSignIn: signUp({ autoSignIn }) left the sign-in input in the
  // account module (the password, or ConfirmSignUp's Session), which hands
  // it over once; it goes to signIn at once.
  autoSignIn(input) {
    this.#moves++;
    return this.#accountCalls().then((calls) => this.signIn({ ...calls.takeAutoSignIn(), signal: input?.signal }));
  }

  /**
   * `{ tokens }`, refreshed first when they are due (or `forceRefresh`); one
   * refresh at a time, across tabs with a storage. With an identityPoolId,
   * also `credentials` and `identityId` (identity.js).
   */
  fetchSession(options) {
    const tokens = this.#fetchTokens(options);
    // The credentials of the session as it is then (signOut may have come in between).
    const aws = (identity) => identity.get(this.tokens, options?.forceRefresh).then((found) => ({ tokens: this.tokens, ...found }));
    return this.#settings?.identityPoolId ? tokens.then(() => this.#aws(aws)) : tokens;
  }

  /** An AWS SDK v3 credentials provider: the identity pool's credentials of the session (identity.js). */
  credentialsProvider() {
    return (options) => this.#fetchTokens().then(() => this.#aws((identity) => identity.provide(this.tokens, options?.forceRefresh)));
  }

  /** fetchSession's tokens. */
  #fetchTokens(options) {
    return this.#afterRestore(() => {
      const session = this.#session;
      const due = session?.refreshToken && (options?.forceRefresh || isDue(session));
      if (!this.#storage || (session && !due)) return this.#fetchSessionHere(options);
      // The refresh is shared (with the other tabs too): the signal stops
      // this call's wait, for the storage chunk and the turns included.
      const shared = { forceRefresh: options?.forceRefresh };
      return abortable(this.#withStore((store) => store.fetchShared(this, shared, session)), options?.signal);
    });
  }

  /**
   * Loads, ahead of the call that needs it, the module this session needs
   * next: the sign-in module when signed out, the account module (the
   * refresh) when signed in. For idle time, or when a sign-in form appears;
   * resolves once loaded (a failed load rejects with the NetworkError the
   * call would have, and the call tries again).
   */
  prefetch() {
    return this.#afterRestore(() => (this.#session ? this.#accountCalls() : this.#protocol())).then(() => {});
  }

  onChange(listener) {
    this.#listeners.push(listener);
  }

  offChange(listener) {
    this.#listeners = this.#listeners.filter((l) => l !== listener);
  }

  /**
   * Ends the session here at once (signedOut), then revokes the refresh
   * token; `{ global: true }` sends GlobalSignOut instead, which ends every
   * session of the user. With the `oauth` option, a session of managed
   * login then ends there too (oauth.js), unless `{ oauth: false }`.
   */
  signOut(options) {
    return this.#afterRestore(() => {
      const session = this.#session;
      this.#end();
      // The sign-in module forgets any waiting step, so that no sign-in in
      // flight completes after this.
      this.#client?.reset();
      const loaded = () => abortable(this.#accountCalls(), options?.signal);
      const ended =
        options?.global && session
          ? loaded().then((calls) => calls.globalSignOut(session.accessToken, options))
          : session?.refreshToken
            ? loaded().then((calls) => calls.revoke(session.refreshToken, options))
            : Promise.resolve();
      // A session of managed login: its access token has the `openid` scope,
      // which the user-pool API's sign-ins never grant.
      const managed = session && this.#settings.oauth && claimsOf(session.accessToken)?.scope?.split(' ').includes('openid');
      return managed && options?.oauth !== false ? ended.finally(() => this.#oauth('signOut', options)) : ended;
    });
  }

  // ---- Managed login (OAuth 2.0): oauth.js, loaded by the first of these calls.

  signInWithRedirect(input) {
    return this.#oauth('signInWithRedirect', input);
  }

  /** The popup opens at once, before anything awaits, so that popup blockers let it. */
  signInWithPopup(input) {
    return this.#oauth('signInWithPopup', input, globalThis.open?.('', 'cognito-wasm', 'popup'));
  }

  handleRedirect() {
    return this.#oauth('handleRedirect', this);
  }

  // ---- The account calls about a user who is not signed in.

  signUp(input) {
    return this.#accountCall('signUp', input);
  }

  confirmSignUp(input) {
    return this.#accountCall('confirmSignUp', input);
  }

  resendSignUpCode(input) {
    return this.#accountCall('resendSignUpCode', input);
  }

  resetPassword(input) {
    return this.#accountCall('resetPassword', input);
  }

  confirmResetPassword(input) {
    return this.#accountCall('confirmResetPassword', input);
  }

  // ---- The calls on the signed-in session: after the restore, with the
  // access token refreshed first when it is due.

  getCurrentUser(input) {
    return this.#userCall('getCurrentUser', input);
  }

  fetchUserAttributes(input) {
    return this.#userCall('fetchUserAttributes', input);
  }

  updatePassword(input) {
    return this.#userCall('updatePassword', input);
  }

  updateUserAttributes(input) {
    return this.#userCall('updateUserAttributes', input);
  }

  deleteUserAttributes(input) {
    return this.#userCall('deleteUserAttributes', input);
  }

  sendUserAttributeVerificationCode(input) {
    return this.#userCall('sendUserAttributeVerificationCode', input);
  }

  confirmUserAttribute(input) {
    return this.#userCall('confirmUserAttribute', input);
  }

  /** Deletes the user, then ends the session here. */
  deleteUser(input) {
    return this.#userCall('deleteUser', input).then((result) => {
      this.#end();
      this.#client?.reset();
      return result;
    });
  }

  setUpTOTP(input) {
    return this.#userCall('setUpTOTP', input);
  }

  verifyTOTPSetup(input) {
    return this.#userCall('verifyTOTPSetup', input);
  }

  updateMFAPreference(input) {
    return this.#userCall('updateMFAPreference', input);
  }

  fetchMFAPreference(input) {
    return this.#userCall('fetchMFAPreference', input);
  }

  /** Remembers this client's device (UpdateDeviceStatus). */
  rememberDevice(input) {
    return this.#userCall('rememberDevice', input, this.#device());
  }

  /** Forgets `device` (one of fetchDevices'), else this client's device, whose secret is then dropped. */
  forgetDevice(input) {
    return this.#userCall('forgetDevice', input, this.#device()).then((thisDevice) => {
      if (thisDevice) this.#storeDevice(this.#login, null);
      return null;
    });
  }

  fetchDevices(input) {
    return this.#userCall('fetchDevices', input);
  }

  /** Registers a passkey of this device for the user (StartWebAuthnRegistration, the ceremony, CompleteWebAuthnRegistration). */
  associateWebAuthnCredential(input) {
    return this.#userCall('associateWebAuthnCredential', input, passkey('create', input));
  }

  listWebAuthnCredentials(input) {
    return this.#userCall('listWebAuthnCredentials', input);
  }

  deleteWebAuthnCredential(input) {
    return this.#userCall('deleteWebAuthnCredential', input);
  }

  /** Releases the wasm side of this instance and stops listening to other tabs. */
  free() {
    this.#store?.unlisten?.();
    this.#account?.then((calls) => calls.free(), () => {});
    this.#client?.free();
    this.#client = null;
  }

  // In a static block, so that bundlers keep it with the class.
  static {
    // `using` frees the instance.
    if (Symbol.dispose) CognitoAuth.prototype[Symbol.dispose] = CognitoAuth.prototype.free;
  }

  // ---- Inside.

  #newClient() {
    return new signIn.Client(
      this.#settings,
      (login, text) => this.#storeDevice(login, text),
      // ConfirmDevice's DeviceName, as Amplify names devices.
      globalThis.navigator?.userAgent || 'cognito-wasm',
      driver,
    );
  }

  /**
   * The device stored for the user of the session (a string the sign-in
   * module wrote, or null), once a confirmation in flight has ended; with a
   * storage, a write still queued lands first, and a storage module that
   * cannot load is no device.
   */
  #device() {
    const login = this.#login;
    return Promise.resolve(this.#confirming).then(() => {
      if (login == null) return null;
      if (!this.#storage) return this.#devices.get(login) ?? null;
      return this.#withStore((store) => store.readDevice(login)).catch(() => null);
    });
  }

  /** Stores the device confirmed for `login`, or forgets it (`text` null). */
  #storeDevice(login, text) {
    if (!this.#storage) return void (text == null ? this.#devices.delete(login) : this.#devices.set(login, text));
    this.#withStore((store) => store.writeDevice(login, text)).catch(warnStorage);
  }

  /**
   * Runs `job` with the storage's Store (tabs.js): at once when it is
   * loaded, else once it is (a load that fails is a NetworkError, tried
   * again on the next call). A Store made after a failed load first stores
   * the session this instance has.
   */
  #withStore(job) {
    if (this.#store) return Promise.resolve(job(this.#store));
    const late = this.#restored;
    return loadTabs().then((tabs) => {
      if (!this.#store) {
        this.#store = new tabs.Store(this.#storage, this.#prefix, this.#hooks(), this.#storedUser, storedForm);
        if (late && this.#session) this.#store.save(this.#session);
      }
      return job(this.#store);
    });
  }

  /** The Client: the sign-in module is loaded first when it is not yet (`input.signal` stops the wait). */
  #protocol(input) {
    if (this.#client) return Promise.resolve(this.#client);
    return abortable(init(), input?.signal).then(() => (this.#client ??= this.#newClient()));
  }

  /** Takes the result of a sign-in step: signed in, the session starts. */
  async #signedIn(step) {
    const { isSignedIn, nextStep, tokens, after } = await step;
    if (after) this.#confirming = after;
    if (tokens) this.#start(sessionOf(tokens, Date.now()), 'signedIn');
    return { isSignedIn, nextStep };
  }

  /** fetchSession in this instance alone: the tokens, refreshed first when due or forced (one refresh at a time). */
  #fetchSessionHere(options) {
    // The refresh is shared, so a call's signal stops only its own wait: the
    // refresh goes on (within requestTimeout) for the session, as a refresh
    // cut off mid-way could lose a rotated refresh token.
    if (this.#refreshing) return abortable(this.#refreshing, options?.signal);
    const session = this.#session;
    if (!session?.refreshToken || (!options?.forceRefresh && !isDue(session))) return Promise.resolve({ tokens: this.tokens });
    const refresh = Promise.all([this.#accountCalls(), this.#device()])
      .then(([calls, device]) => calls.refresh(session.refreshToken, userOf(session), device))
      .then(
        ({ tokens, deviceForgotten, signedOut }) => {
          if (deviceForgotten) this.#storeDevice(this.#login, null);
          if (this.#session !== session) {
            const error = new Error('signOut was called while the tokens were being refreshed');
            error.name = 'InvalidStateError';
            throw error;
          }
          if (signedOut) {
            this.#emit('tokenRefreshFailure');
            this.#end();
            this.#client?.reset();
            throw signedOut;
          }
          this.#start(sessionOf(tokens, Date.now()), 'tokenRefresh');
          return { tokens: this.tokens };
        },
        (error) => {
          // A session ended meanwhile has no refresh to fail.
          if (this.#session === session) this.#emit('tokenRefreshFailure');
          throw error;
        },
      )
      .finally(() => (this.#refreshing = null));
    return abortable((this.#refreshing = refresh), options?.signal);
  }

  /** A session begins (signedIn) or is renewed (tokenRefresh). */
  #start(session, event) {
    this.#session = session;
    this.#emit(event);
  }

  /** The session ends here (signedOut, when there was one), and with it the AWS credentials. */
  #end() {
    if (this.#settings?.identityPoolId) this.#aws((identity) => identity.clear()).catch(() => {});
    if (!this.#session) return;
    this.#session = null;
    this.#emit('signedOut');
  }

  /** Runs `job` with this instance's identity pool (identity.js, loaded on first use; a failed load is tried again on the next call). */
  #aws(job) {
    return (this.#identity ??= import('./identity.js').then(
      ({ Identity }) => new Identity(this.#settings, this.#prefix, this.#storage && ((job) => this.#withStore(job)), () => this.#accountCalls()),
      (cause) => {
        this.#identity = null;
        throw loadError('identity', cause);
      },
    )).then(job);
  }

  /** Stores the session (with a storage), then tells the listeners: `{ event, tokens }`. */
  #emit(event) {
    this.#moves++;
    const session = this.#session;
    if (this.#storage && event !== 'tokenRefreshFailure' && !this.#store?.syncing) {
      this.#withStore((store) => (session ? store.save(session) : store.forget())).catch(warnStorage);
    }
    for (const listener of [...this.#listeners]) {
      try {
        listener({ event, tokens: this.tokens });
      } catch {} // a listener that throws does not stop the others
    }
  }

  /** Runs `call` once the session is restored from storage. */
  #afterRestore(call) {
    return this.#restored ? call() : this.ready.then(call);
  }

  /**
   * What tabs.js's Store works with: this instance's session (see tabs.js);
   * and oauth.js: the options (`settings`), the account calls (`calls`)
   * and `signedIn`, which starts the session of a managed login's tokens.
   */
  #hooks() {
    return {
      settings: this.#settings,
      calls: () => this.#accountCalls(),
      session: () => this.#session,
      adopt: (session, event) => {
        if (session) this.#start(session, event);
        else {
          this.#end();
          this.#client?.reset();
        }
      },
      signedIn: (tokens) => this.#start(sessionOf(tokens, Date.now()), 'signedIn'),
      fetchHere: (options) => this.#fetchSessionHere(options),
    };
  }

  /** Runs oauth.js's `name` with this instance's hooks (see #hooks). */
  #oauth(name, ...args) {
    return this.#afterRestore(() => loadOAuth().then((oauth) => oauth[name](this.#hooks(), ...args)));
  }

  /** The account calls of this instance (one object: it keeps autoSignIn's credentials); a failed load is tried again on the next call. */
  #accountCalls() {
    const wasm = () => new URL('../pkg/account/cognito_wasm_account_bg.wasm', import.meta.url);
    return (this.#account ??= instantiate('account', accountInput, wasm, () => import('./account.js')).then(
      ({ Calls }) => new Calls(this.#settings, driver),
      (error) => {
        this.#account = null;
        throw error;
      },
    ));
  }

  /** An account call about a user who is not signed in. */
  #accountCall(name, input) {
    return abortable(this.#accountCalls(), input?.signal).then((calls) => calls[name](input));
  }

  /**
   * A call on the signed-in session, with its tokens as they are after the
   * restore and a refresh when due (a failed refresh leaves the call to
   * report what is wrong; `input.signal` stops both); `extra` (the device,
   * or a promise of it) goes before `input`.
   */
  #userCall(name, input, ...extra) {
    return this.#afterRestore(() =>
      this.#fetchTokens({ signal: input?.signal })
        .catch(() => {})
        // A device being confirmed is listed, remembered or forgotten once it is.
        .then(() => abortable(Promise.resolve(this.#confirming), input?.signal))
        .then(() => Promise.all([abortable(this.#accountCalls(), input?.signal), ...extra]))
        .then(([calls, ...values]) => calls[name](this.tokens, ...values, input)),
    );
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

// requestTimeout and maxAttempts (js/transport.js), checked before any
// module loads; the modules read them as they are.
function checkTransport(options) {
  // setTimeout takes at most 2^31 - 1 ms.
  for (const [name, least, most] of [['requestTimeout', 0, 2 ** 31 - 1], ['maxAttempts', 1, 10]]) {
    const value = options?.[name];
    if (value !== undefined && !(Number.isInteger(value) && value >= least && value <= most)) {
      const error = new Error(`new CognitoAuth: ${name} must be a whole number from ${least} to ${most} (got ${value})`);
      error.name = 'ValidationError';
      throw error;
    }
  }
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

// The stored form, for tabs.js (which does not import session.js: see there).
const storedForm = { fromStored, toStored, userOf, lastUserKey, sessionKey };
/**
 * The function a module's driver runs a passkey's WebAuthn ceremony with:
 * `get` or `create` of webauthn.js (with the sign-in's `input`: mediation,
 * signal), a chunk loaded on its first ceremony.
 */
const passkey = (ceremony, input) => (options) =>
  import('./webauthn.js').then(
    (webauthn) => webauthn[ceremony](options, input),
    (cause) => {
      throw loadError('passkey', cause);
    },
  );

const warnStorage = (error) => console.warn(`cognito-wasm: the storage failed: ${error.message}`);

// The chunks index.js imports when it needs them: tabs.js (by the
// constructor of a CognitoAuth with a storage) and oauth.js (by managed
// login's calls). A failed load is tried again on the next call.
function lazy(name, load) {
  let loading;
  return () =>
    (loading ??= load().catch((cause) => {
      loading = undefined;
      throw loadError(name, cause);
    }));
}
const loadTabs = lazy('tabs', () => import('./tabs.js'));
const loadOAuth = lazy('oauth', () => import('./oauth.js'));
