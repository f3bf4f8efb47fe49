// The machinery of tabs that share a storage (issue #4), which index.js
// imports (a dynamic import) when a CognitoAuth is given a `storage`: taking
// the session another tab stored, and refreshes that take turns with the other
// tabs under a Web Lock. A chunk of its own, so that apps that keep the
// session in memory never load it.
//
// `tabs(helpers)` makes the functions, with index.js's storage helpers: the
// storage queue, the keys, the user of tokens, and its `fetchShared`, which
// decides whether a fetchSession comes here (`again`).
export default function tabs({ queue, lastUserKey, sessionKey, userOf, fetchShared: again }) {
  /**
   * Takes the session another tab (or instance) stored, in the storage queue so
   * that it does not interleave with this one's writes: this instance's
   * listeners get signedIn, tokenRefresh (the same user's newer tokens) or
   * signedOut (lastUser removed).
   */
  function sync(auth, slot) {
    queue(slot, async (storage) => {
      const user = await storage.getItem(lastUserKey(slot));
      const text = user && (await storage.getItem(sessionKey(slot, user)));
      const mine = auth.tokens;
      let event;
      if (user == null) {
        if (!mine) return;
        event = 'signedOut';
      } else if (typeof text !== 'string' || JSON.parse(text).accessToken === mine?.accessToken) {
        return;
      } else {
        event = mine && userOf(mine) === user ? 'tokenRefresh' : 'signedIn';
      }
      slot.syncing = true;
      try {
        if (auth.importSession(event === 'signedOut' ? null : text, user, event)) slot.user = user;
      } finally {
        slot.syncing = false;
      }
    });
    return slot.queue;
  }

  /**
   * fetchSession with a storage, when `tokens` (read by index.js) are missing
   * or due: a refresh that is due (or forced) takes turns with the other tabs
   * under the Web Lock `cognito-wasm.<clientId>.refresh`, and first takes what
   * storage holds: a tab that waited for another's refresh uses the tokens
   * that one stored instead of refreshing again (refresh tokens rotate). The new tokens are stored before the lock is released. Where
   * `navigator.locks` is missing (Node, old browsers), storage is still read
   * first, but two tabs that refresh at the same moment both send a request;
   * with rotation, the second may then fail and sign the user out.
   */
  function fetchShared(auth, slot, base, options, tokens) {
    // Signed out here: another instance may have signed in since.
    if (!tokens) return sync(auth, slot).then(() => (auth.tokens ? again(auth, slot, base) : base.call(auth, options)));
    const refresh = async () => {
      await sync(auth, slot);
      // Another tab's refresh while this one waited is what was asked for.
      const session = await base.call(auth, auth.tokens?.accessToken === tokens.accessToken ? options : undefined);
      await slot.queue;
      return session;
    };
    const locks = globalThis.navigator?.locks;
    return (slot.refreshing ??= (locks ? takeTurns(auth, slot, locks, tokens, refresh) : refresh()).finally(
      () => (slot.refreshing = null),
    ));
  }

  /** How long a tab keeps the lock after storing new tokens, and how long a tab that waited for another looks for them. */
  const HANDOVER_MS = 200;
  const ARRIVAL_MS = 500;

  /**
   * Runs `refresh` under the Web Lock. localStorage reaches other tabs
   * asynchronously, even after the lock has changed hands, so the holder keeps
   * the lock a moment after storing its tokens, and a tab that waited for
   * another tab's turn looks for that tab's tokens a moment before refreshing
   * itself. The caller's promise settles when the refresh does, not when the
   * lock is released.
   */
  function takeTurns(auth, slot, locks, tokens, refresh) {
    const name = `${slot.prefix}refresh`;
    return new Promise((resolve, reject) => {
      const turn = async (waitedForAnotherTab) => {
        slot.holding = true;
        try {
          if (waitedForAnotherTab) await tokensChange(auth, slot, tokens.accessToken, ARRIVAL_MS);
          resolve(await refresh());
        } catch (error) {
          reject(error);
        }
        await new Promise((done) => setTimeout(done, HANDOVER_MS));
        slot.holding = false;
      };
      locks
        .request(name, { ifAvailable: true }, (lock) => {
          if (lock) return turn(false);
          const another = !slot.holding;
          return locks.request(name, () => turn(another));
        })
        .catch(reject);
    });
  }

  /** Reads storage until the access token differs from `accessToken`, for at most `ms`. */
  async function tokensChange(auth, slot, accessToken, ms) {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      await sync(auth, slot);
      if (auth.tokens?.accessToken !== accessToken) return;
      await new Promise((done) => setTimeout(done, 25));
    }
  }

  return { sync, fetchShared };
}
