// The session as the package keeps it, in JS: the tokens a sign-in or a
// refresh returned, when they expire on this device's clock, when they are
// due for a refresh, their claims, and their stored form. It is defined here
// only (the wasm module hands over the tokens as the service gave them), so
// that a returning visit reads its tokens from storage without the module.
import { claimsOf } from './jwt.js';

/** Tokens this close to expiry are refreshed (by fetchSession, and before the account calls that send the access token). */
export const REFRESH_MARGIN_MS = 60_000;

function invalidServerResponse(message) {
  const error = new Error(message);
  error.name = 'InvalidServerResponse';
  return error;
}

/**
 * The seconds the tokens live by their own claims: the earliest `exp` less
 * the earliest `iat` of the access and id tokens (the server's clock, read
 * only as a difference, so that this device's clock never has to agree with
 * it); null when a token has no `iat`/`exp`.
 */
function lifetimeOf(accessToken, idToken) {
  let exp = Infinity;
  let iat = Infinity;
  for (const token of idToken == null ? [accessToken] : [accessToken, idToken]) {
    const claims = claimsOf(token);
    if (!Number.isInteger(claims?.exp) || !Number.isInteger(claims?.iat) || claims.exp < 0 || claims.iat < 0) return null;
    exp = Math.min(exp, claims.exp);
    iat = Math.min(iat, claims.iat);
  }
  return Math.max(exp - iat, 0);
}

/**
 * The session of the tokens a sign-in or refresh returned (`{ idToken,
 * accessToken, refreshToken, expiresIn }`) at `receivedMs` on this clock:
 * `{ idToken, accessToken, refreshToken, expiresAt }`, where expiresAt is
 * the shorter lifetime, ExpiresIn or the tokens' own (lifetimeOf). The id
 * token must be a JWT (its claims are the app's): an InvalidServerResponse
 * otherwise.
 */
export function sessionOf({ idToken = null, accessToken, refreshToken = null, expiresIn }, receivedMs) {
  if (idToken != null && !claimsOf(idToken)) throw invalidServerResponse('a token from the server is not a JWT');
  const lifetime = lifetimeOf(accessToken, idToken);
  const seconds = lifetime == null ? expiresIn : Math.min(expiresIn, lifetime);
  return { idToken, accessToken, refreshToken, expiresAt: Math.trunc(receivedMs + seconds * 1000) };
}

/** Whether `session` is due for a refresh at `nowMs`. */
export const isDue = (session, nowMs = Date.now()) => session.expiresAt - nowMs <= REFRESH_MARGIN_MS;

/**
 * The app's view of `session` (`auth.tokens`): `{ idToken, accessToken,
 * refreshToken, expiresAt: Date, idTokenClaims, accessTokenClaims }`, new
 * objects each time, so that an app cannot change the session.
 */
export function tokensOf(session) {
  if (!session) return null;
  const { idToken, accessToken, refreshToken, expiresAt } = session;
  return {
    idToken,
    accessToken,
    refreshToken,
    expiresAt: new Date(expiresAt),
    idTokenClaims: idToken == null ? null : claimsOf(idToken),
    accessTokenClaims: claimsOf(accessToken),
  };
}

/** The user the session is for: the id token's cognito:username, else the access token's username (the SECRET_HASH of a refresh is over it). */
export function userOf(session) {
  return (session.idToken == null ? null : claimsOf(session.idToken)?.['cognito:username']) ?? claimsOf(session.accessToken)?.username;
}

/** The stored form: the JSON object `{"idToken","accessToken","refreshToken","expiresAt"}`. */
export const toStored = ({ idToken, accessToken, refreshToken, expiresAt }) =>
  JSON.stringify({ idToken, accessToken, refreshToken, expiresAt });

/**
 * A session `toStored` wrote for `user`; null for anything else (another
 * user's, corrupted, foreign, or with tokens that are not JWTs).
 */
export function fromStored(text, user) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const { idToken = null, accessToken, refreshToken = null, expiresAt } = value;
  const tokenOrNull = (token) => token === null || (typeof token === 'string' && claimsOf(token));
  if (!claimsOf(accessToken) || !tokenOrNull(idToken)) return null;
  if (refreshToken !== null && typeof refreshToken !== 'string') return null;
  if (!Number.isSafeInteger(expiresAt) || expiresAt < 0) return null;
  const session = { idToken, accessToken, refreshToken, expiresAt };
  return user == null || userOf(session) === user ? session : null;
}

/** The storage key naming the last user who signed in (`prefix` is the instance's, per app client). */
export const lastUserKey = (prefix) => `${prefix}lastUser`;

/** The storage key of `user`'s stored session. */
export const sessionKey = (prefix, user) => `${prefix}${user}.session`;

/**
 * The session stored in `storage` for the last user who signed in: `{ user,
 * session }`, or null (nothing stored; something this package did not write,
 * or a storage that fails: warned about, naming the key). At once from a
 * synchronous storage (localStorage), so that a returning visit has its
 * tokens without waiting for a module; a promise of it from an asynchronous
 * one.
 */
export function readStored(storage, prefix) {
  const warn = (key, problem) => {
    console.warn(`cognito-wasm: ${problem(key)}`);
    return null;
  };
  const failed = (key) => (error) => warn(key, (key) => `could not read ${key} from storage: ${error}`);
  // `next(value)` of the value at `key`: at once when the storage answers at once.
  const read = (key, next) => {
    let value;
    try {
      value = storage.getItem(key);
    } catch (error) {
      return failed(key)(error);
    }
    return typeof value?.then === 'function' ? value.then(next, failed(key)) : next(value);
  };
  const ignored = (what) => (key) => `ignored ${key} in storage: not ${what}`;
  return read(lastUserKey(prefix), (user) => {
    if (user == null) return null;
    if (typeof user !== 'string' || !user) return warn(lastUserKey(prefix), ignored('a user name this package wrote'));
    const key = sessionKey(prefix, user);
    return read(key, (text) => {
      if (text == null) return null;
      // The session must be the one of the user lastUser names.
      const session = typeof text === 'string' ? fromStored(text, user) : null;
      return session ? { user, session } : warn(key, ignored(`a session this package wrote for ${user}`));
    });
  });
}
