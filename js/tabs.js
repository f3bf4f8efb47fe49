// The machinery of the `storage` option, which index.js imports (a dynamic
// import) when a CognitoAuth is given a storage: the stored session and
// remembered devices, and the tabs that share the storage
// (taking the session another tab stored; refreshes that take turns with the
// other tabs under a Web Lock). A chunk of its own, so that apps that keep
// the session in memory never load it.
//
// What a Store keeps in the storage: the session of the last user who signed
// in (`<prefix><user>.session`, session.js's stored form, and
// `<prefix>lastUser`), and each user's remembered device
// (`<prefix><login>.device`), which outlives sign-outs; and what other chunks
// store through readItem and writeItem (identity.js: the identity and AWS
// credentials of an identity pool). Writes run one after
// another; when none is running, a write starts at once, so that a
// synchronous storage (localStorage) holds the session by the time signIn's
// promise resolves.
//
// `hooks` reach the instance: `session()`, `adopt(session, event)` (a
// session another tab stored; null: signed out), and `fetchHere(options)`
// (fetchSession in this instance alone). The restore is index.js's
// (session.js's readStored), so that a returning visit need not wait for
// this chunk. The stored form comes from index.js too (`format`:
// session.js's functions): a chunk that imported session.js would make
// bundlers split it into a chunk shared with the entry, one more round trip
// before a returning visit's tokens.

export class Store {
  pending = 0;
  queue = Promise.resolve();
  syncing = false;
  /** The refresh under way here, which concurrent callers share. */
  refreshing = null;
  /** Whether this instance holds the Web Lock (see takeTurns). */
  holding = false;

  /**
   * `user`: the user whose session the instance restored; `format`:
   * session.js's `{ fromStored, toStored, userOf, lastUserKey, sessionKey }`.
   */
  constructor(storage, prefix, hooks, user, format) {
    this.storage = storage;
    this.prefix = prefix;
    this.hooks = hooks;
    this.user = user;
    this.format = format;
    this.unlisten = listen(this);
  }

  get lastUserKey() {
    return this.format.lastUserKey(this.prefix);
  }

  sessionKey(user) {
    return this.format.sessionKey(this.prefix, user);
  }

  deviceKey(login) {
    return `${this.prefix}${login}.device`;
  }

  /** Runs `job(storage)` after the writes queued before it; a failing storage is warned about, never thrown. */
  enqueue(job) {
    const run = () => {
      let result;
      try {
        result = Promise.resolve(job(this.storage));
      } catch (error) {
        result = Promise.reject(error);
      }
      return result.catch((error) => console.warn(`cognito-wasm: the storage failed: ${error}`)).finally(() => this.pending--);
    };
    this.queue = this.pending++ ? this.queue.then(run) : run();
    return this.queue;
  }

  save(session) {
    const text = this.format.toStored(session);
    const user = this.format.userOf(session) ?? '';
    const previous = this.user;
    this.user = user;
    this.enqueue((storage) =>
      Promise.all([
        previous != null && previous !== user && storage.removeItem(this.sessionKey(previous)),
        storage.setItem(this.sessionKey(user), text),
        storage.setItem(this.lastUserKey, user),
      ]),
    );
  }

  forget() {
    const user = this.user;
    this.user = null;
    const remove = (storage, name) =>
      Promise.all([typeof name === 'string' && storage.removeItem(this.sessionKey(name)), storage.removeItem(this.lastUserKey)]);
    this.enqueue((storage) =>
      user != null ? remove(storage, user) : Promise.resolve(storage.getItem(this.lastUserKey)).then((name) => remove(storage, name)),
    );
  }

  /** The device stored for `login`, after the writes queued before; null (with a warning) when the storage fails. */
  readDevice(login) {
    return this.readItem(this.deviceKey(login));
  }

  /** Stores the device of `login` (`text`), or forgets it (null). */
  writeDevice(login, text) {
    this.writeItem(this.deviceKey(login), text);
  }

  /** The value of `key`, after the writes queued before; null (with a warning) when the storage fails. */
  readItem(key) {
    const read = async () => {
      try {
        return await this.storage.getItem(key);
      } catch (error) {
        console.warn(`cognito-wasm: could not read ${key} from storage: ${error}`);
        return null;
      }
    };
    return this.pending ? this.queue.then(read) : read();
  }

  /** Stores `text` under `key`, or removes it (null), after the writes queued before. */
  writeItem(key, text) {
    return this.enqueue((storage) => (text == null ? storage.removeItem(key) : storage.setItem(key, text)));
  }

  /**
   * Takes the session another tab (or instance) stored, in the storage queue
   * so that it does not interleave with this one's writes: the listeners get
   * signedIn, tokenRefresh (the same user's newer tokens) or signedOut
   * (lastUser removed).
   */
  sync() {
    const { hooks } = this;
    return this.enqueue(async (storage) => {
      const user = await storage.getItem(this.lastUserKey);
      const text = user && (await storage.getItem(this.sessionKey(user)));
      const mine = hooks.session();
      if (user == null) {
        this.user = null;
        if (mine) this.adopt(null, 'signedOut');
        return;
      }
      const { fromStored, userOf } = this.format;
      const session = typeof text === 'string' ? fromStored(text, user) : null;
      if (!session || session.accessToken === mine?.accessToken) return;
      this.user = user;
      this.adopt(session, mine && userOf(mine) === user ? 'tokenRefresh' : 'signedIn');
    });
  }

  /** Takes `session` from the storage, with no write back. */
  adopt(session, event) {
    this.syncing = true;
    try {
      this.hooks.adopt(session, event);
    } finally {
      this.syncing = false;
    }
  }

  /**
   * fetchSession when the session (`session`, as it was when fetchSession
   * was called) is missing or due: a refresh that is due (or forced) takes
   * turns with the other tabs under the Web Lock
   * `cognito-wasm.<clientId>.refresh`, and first takes what storage holds: a
   * tab that waited for another's refresh uses the tokens that one stored
   * instead of refreshing again (refresh tokens rotate). The new tokens are
   * stored before the lock is released. Where `navigator.locks` is missing
   * (Node, old browsers), storage is still read first, but two tabs that
   * refresh at the same moment both send a request; with rotation, the
   * second may then fail and sign the user out.
   */
  fetchShared(auth, options, session) {
    const { hooks } = this;
    // Signed out here: another instance may have signed in since.
    if (!session) return this.sync().then(() => (hooks.session() ? auth.fetchSession() : hooks.fetchHere(options)));
    const refresh = async () => {
      await this.sync();
      // Another tab's refresh while this one waited is what was asked for.
      const result = await hooks.fetchHere(hooks.session()?.accessToken === session.accessToken ? options : undefined);
      await this.queue;
      return result;
    };
    const locks = globalThis.navigator?.locks;
    return (this.refreshing ??= (locks ? this.takeTurns(locks, session, refresh) : refresh()).finally(() => (this.refreshing = null)));
  }

  /**
   * Runs `refresh` under the Web Lock. localStorage reaches other tabs
   * asynchronously, even after the lock has changed hands, so the holder
   * keeps the lock a moment after storing its tokens, and a tab that waited
   * for another tab's turn looks for that tab's tokens a moment before
   * refreshing itself. The caller's promise settles when the refresh does,
   * not when the lock is released.
   */
  takeTurns(locks, session, refresh) {
    const name = `${this.prefix}refresh`;
    return new Promise((resolve, reject) => {
      const turn = async (waitedForAnotherTab) => {
        this.holding = true;
        try {
          if (waitedForAnotherTab) await this.tokensChange(session.accessToken, ARRIVAL_MS);
          resolve(await refresh());
        } catch (error) {
          reject(error);
        }
        await new Promise((done) => setTimeout(done, HANDOVER_MS));
        this.holding = false;
      };
      locks
        .request(name, { ifAvailable: true }, (lock) => {
          if (lock) return turn(false);
          const another = !this.holding;
          return locks.request(name, () => turn(another));
        })
        .catch(reject);
    });
  }

  /** Reads storage until the access token differs from `accessToken`, for at most `ms`. */
  async tokensChange(accessToken, ms) {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      await this.sync();
      if (this.hooks.session()?.accessToken !== accessToken) return;
      await new Promise((done) => setTimeout(done, 25));
    }
  }
}

/** How long a tab keeps the lock after storing new tokens, and how long a tab that waited for another looks for them. */
const HANDOVER_MS = 200;
const ARRIVAL_MS = 500;

/**
 * Tabs that share a storage (localStorage): a `storage` event from another
 * tab's write makes this one take the stored session. Custom storages get no
 * events: they are read again before each refresh. Returns how to stop.
 */
function listen(store) {
  if (typeof addEventListener !== 'function' || typeof Storage !== 'function' || !(store.storage instanceof Storage)) return null;
  const listener = (event) => {
    if (event.storageArea === store.storage && (event.key ?? store.prefix).startsWith(store.prefix)) store.sync();
  };
  addEventListener('storage', listener);
  return () => removeEventListener('storage', listener);
}
