// The machinery of tabs that share a storage, which index.js imports (a
// dynamic import) when a CognitoAuth is given a `storage`: taking the
// session another tab stored, and refreshes that take turns with the other
// tabs under a Web Lock. A chunk of its own, so that apps that keep the
// session in memory never load it.
//
// `slot` is the instance's storage bookkeeping (index.js's Slot); `hooks`
// reach its session: `session()`, `adopt(session, event)` and `fetchHere(options)`.
import { fromStored, userOf } from './session.js';

/**
 * Takes the session another tab (or instance) stored, in the storage queue so
 * that it does not interleave with this one's writes: the listeners get
 * signedIn, tokenRefresh (the same user's newer tokens) or signedOut
 * (lastUser removed).
 */
export function sync(slot, hooks) {
  return slot.enqueue(async (storage) => {
    const user = await storage.getItem(slot.lastUserKey);
    const text = user && (await storage.getItem(slot.sessionKey(user)));
    const mine = hooks.session();
    if (user == null) {
      slot.user = null;
      if (mine) hooks.adopt(null, 'signedOut');
      return;
    }
    const session = typeof text === 'string' ? fromStored(text, user) : null;
    if (!session || session.accessToken === mine?.accessToken) return;
    slot.user = user;
    hooks.adopt(session, mine && userOf(mine) === user ? 'tokenRefresh' : 'signedIn');
  });
}

/**
 * fetchSession with a storage, when the session (`session`, as it was when
 * fetchSession was called) is missing or due: a refresh that is due (or
 * forced) takes turns with the other tabs under the Web Lock
 * `cognito-wasm.<clientId>.refresh`, and first takes what storage holds: a
 * tab that waited for another's refresh uses the tokens that one stored
 * instead of refreshing again (refresh tokens rotate). The new tokens are
 * stored before the lock is released. Where `navigator.locks` is missing
 * (Node, old browsers), storage is still read first, but two tabs that
 * refresh at the same moment both send a request; with rotation, the second
 * may then fail and sign the user out.
 */
export function fetchShared(auth, slot, hooks, options, session) {
  // Signed out here: another instance may have signed in since.
  if (!session) return sync(slot, hooks).then(() => (hooks.session() ? auth.fetchSession() : hooks.fetchHere(options)));
  const refresh = async () => {
    await sync(slot, hooks);
    // Another tab's refresh while this one waited is what was asked for.
    const result = await hooks.fetchHere(hooks.session()?.accessToken === session.accessToken ? options : undefined);
    await slot.queue;
    return result;
  };
  const locks = globalThis.navigator?.locks;
  return (slot.refreshing ??= (locks ? takeTurns(slot, hooks, locks, session, refresh) : refresh()).finally(
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
function takeTurns(slot, hooks, locks, session, refresh) {
  const name = `${slot.prefix}refresh`;
  return new Promise((resolve, reject) => {
    const turn = async (waitedForAnotherTab) => {
      slot.holding = true;
      try {
        if (waitedForAnotherTab) await tokensChange(slot, hooks, session.accessToken, ARRIVAL_MS);
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
async function tokensChange(slot, hooks, accessToken, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await sync(slot, hooks);
    if (hooks.session()?.accessToken !== accessToken) return;
    await new Promise((done) => setTimeout(done, 25));
  }
}
