// AWS credentials from a Cognito identity pool (the `identityPoolId`
// option), which index.js imports (a dynamic import) on the first
// fetchSession or credentialsProvider call of a CognitoAuth with one: the
// identity and credentials kept per identity pool, when they are due, the
// turns instances and tabs take to fetch them, and the AWS SDK's provider.
// GetId and GetCredentialsForIdentity themselves are the account module's
// (`identityCredentials`: src/account/identity.rs over
// cognito_core::identity), run by the same `drive` as every call.
//
// What an Identity keeps, in memory and, with a storage, under
// `<prefix><identityPoolId>.identity` (so that tabs share it as they share
// the tokens): the JSON object `{"identityId","user","credentials":
// {"accessKeyId","secretAccessKey","sessionToken","expiration"},
// "refreshAt"}`, where user is the `sub` of the user the credentials are for
// (null: a guest's), and expiration and refreshAt are epoch milliseconds.
// As in Amplify v6, a guest's identity is passed on when the guest signs in
// (GetCredentialsForIdentity with the guest's identity and the new login:
// the identity becomes the user's, or merges into the one the user has),
// and signing out forgets identity and credentials, so that the next guest
// gets a new identity.
/**
 * Credentials are fetched again this long before they expire (the AWS
 * SDK's own margin is 5 minutes), or halfway through their life when that
 * is shorter.
 */
export const CREDENTIALS_MARGIN_MS = 5 * 60_000;

function named(name, message) {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** Whether `record` holds credentials for `user` (a sub, or null for a guest) that are not yet due. */
const fresh = (record, user) => record?.user === user && Date.now() < record.refreshAt;

/** A record `write` stored, or null for anything else. */
function parse(text) {
  let record;
  try {
    record = JSON.parse(text);
  } catch {
    return null;
  }
  const c = record?.credentials;
  const strings = [record?.identityId, c?.accessKeyId, c?.secretAccessKey, c?.sessionToken];
  const valid =
    strings.every((s) => typeof s === 'string' && s) &&
    (record.user === null || typeof record.user === 'string') &&
    Number.isSafeInteger(c.expiration) &&
    Number.isFinite(record.refreshAt);
  return valid ? record : null;
}

/** The identity pool of one CognitoAuth (index.js makes one, on first use). */
export class Identity {
  /** What is kept (see above), or null. */
  record = null;
  /** The fetch under way, which concurrent callers for the same user share: `{ user, promise }`. */
  flight = null;
  /** Counts the sign-outs, so that a fetch that began before one keeps nothing. */
  epoch = 0;

  /**
   * `settings`: the options of `new CognitoAuth`; `prefix`: its storage
   * keys' prefix; `withStore(job)`: runs `job(store)` with tabs.js's Store
   * (null without a storage); `accountCalls()`: the account module's calls
   * of the CognitoAuth (a promise).
   */
  constructor(settings, prefix, withStore, accountCalls) {
    this.settings = settings;
    this.key = `${prefix}${settings.identityPoolId}.identity`;
    this.lock = `${prefix}${settings.identityPoolId}.credentials`;
    this.withStore = withStore;
    this.accountCalls = accountCalls;
  }

  /**
   * `{ credentials, identityId }` for the user of `tokens` (auth.tokens),
   * or a guest (null tokens) when guests are allowed (else null): the kept
   * credentials, or new ones when there are none for this user, they are
   * due, or `force`.
   */
  async get(tokens, force) {
    if (!this.settings.identityPoolId) throw named('ValidationError', 'new CognitoAuth: identityPoolId is required for AWS credentials');
    if (!tokens && !this.settings.allowGuestAccess) return null;
    const user = tokens ? (tokens.idTokenClaims?.sub ?? null) : null;
    if (tokens && !(tokens.idToken && user)) {
      throw named('InvalidStateError', 'the session has no id token, which an identity pool needs: sign in with the openid scope');
    }
    let record = this.record;
    if (force || !fresh(record, user)) {
      if (this.flight?.user !== user) {
        const promise = this.#fetch(tokens?.idToken ?? null, user, force).finally(() => {
          if (this.flight?.promise === promise) this.flight = null;
        });
        this.flight = { user, promise };
      }
      record = await this.flight.promise;
    }
    const { identityId, credentials } = record;
    return { credentials: { ...credentials, expiration: new Date(credentials.expiration) }, identityId };
  }

  /** The credentials alone, for the AWS SDK (credentialsProvider): as `get`, and none is an InvalidStateError. */
  async provide(tokens, force) {
    const found = await this.get(tokens, force);
    if (!found) {
      throw named('InvalidStateError', 'no AWS credentials: no user is signed in, and the identity pool is not open to guests here (allowGuestAccess)');
    }
    return found.credentials;
  }

  /**
   * Fetches credentials for `login` (an id token; null: a guest) and keeps
   * them. With a storage, instances and tabs take turns under the Web Lock
   * `<prefix><identityPoolId>.credentials` (where navigator.locks exists),
   * and each first reads what is stored: credentials another one fetched
   * meanwhile are taken instead (a forced fetch takes them only when they
   * are not the ones it was asked to renew).
   */
  #fetch(login, user, force) {
    const epoch = this.epoch;
    const renewing = this.record?.credentials.accessKeyId;
    const turn = async () => {
      const stored = this.withStore ? await this.withStore((store) => store.readItem(this.key)).then(parse, () => null) : null;
      this.#stillSignedIn(epoch);
      if (fresh(stored, user) && !(force && stored.credentials.accessKeyId === renewing)) return (this.record = stored);
      // The identity to send: this user's, or a guest's (which passes to the user).
      const kept = [stored, this.record].find((r) => r && (r.user === null || r.user === user));
      const { identityPoolId, identityPoolEndpoint, endpoint } = this.settings;
      const calls = await this.accountCalls();
      const answer = await calls.identityCredentials(String(identityPoolId), identityPoolEndpoint ?? endpoint ?? null, login, kept?.identityId ?? null);
      this.#stillSignedIn(epoch);
      const { identityId, expiration, ...keys } = answer;
      const margin = Math.min(CREDENTIALS_MARGIN_MS, Math.max(0, (expiration - Date.now()) / 2));
      const record = { identityId, user, credentials: { ...keys, expiration }, refreshAt: expiration - margin };
      this.record = record;
      if (this.withStore) await this.#store(JSON.stringify(record));
      return record;
    };
    const locks = this.withStore && globalThis.navigator?.locks;
    return locks ? locks.request(this.lock, turn) : turn();
  }

  #stillSignedIn(epoch) {
    if (epoch !== this.epoch) throw named('InvalidStateError', 'signOut was called while the AWS credentials were being fetched');
  }

  /** Stores `text` (null: removes it); a storage that fails is warned about, never thrown. */
  #store(text) {
    return this.withStore((store) => store.writeItem(this.key, text)).catch((error) =>
      console.warn(`cognito-wasm: the storage failed: ${error.message}`),
    );
  }

  /** Signed out: forgets the identity and the credentials, here and in storage. */
  clear() {
    this.epoch++;
    this.record = null;
    this.flight = null;
    if (this.withStore) this.#store(null);
  }
}
