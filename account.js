// The JS of the account calls, which index.js imports (a dynamic import) on
// the first of them, together with the account module's glue that it
// imports: so bundlers keep both off the sign-in path, in one chunk.
import { AccountCalls, imports, finalize } from './pkg/account/cognito_wasm_account.js';

/**
 * Compiles and instantiates the account module once (index.js's
 * `instantiate`, with `input`, init's second argument, else the wasm beside
 * the glue), and resolves to the class of the account calls; a failed load
 * is tried again on the next call.
 */
export function load(input, instantiate) {
  const url = new URL('./pkg/account/cognito_wasm_account_bg.wasm', import.meta.url);
  return instantiate(input, url, imports, finalize).then(() => Calls);
}

// fetchDevices: the dates as Dates, as Amplify gives them.
const date = (seconds) => (typeof seconds === 'number' ? new Date(seconds * 1000) : undefined);

/** The account module's calls of one CognitoAuth (they keep autoSignIn's credentials). */
class Calls extends AccountCalls {
  /**
   * The signed-in account call `name` of `auth`, with its tokens as they are
   * now (index.js refreshed them first when due). What crosses back to the
   * sign-in module: deleteUser ends the local session, and forgetting this
   * device forgets its stored secret.
   */
  signedIn(auth, name, args) {
    const tokens = auth.tokens;
    if (name === 'rememberDevice') return this.rememberDevice(tokens, auth.deviceKey);
    if (name === 'forgetDevice') return this.forgetDevice(tokens, auth.deviceKey, args[0]).then((key) => (auth.dropDevice(key), null));
    if (name === 'deleteUser') return this.deleteUser(tokens).then((result) => (auth.importSession(null, undefined, 'signedOut'), result));
    if (name === 'fetchDevices') {
      return this.fetchDevices(tokens).then(({ devices }) =>
        devices.map(({ createDate, lastAuthenticatedDate, lastModifiedDate, name, ...device }) => ({
          ...device,
          name: name ?? undefined,
          createDate: date(createDate),
          lastAuthenticatedDate: date(lastAuthenticatedDate),
          lastModifiedDate: date(lastModifiedDate),
        })),
      );
    }
    return this[name](tokens, ...args);
  }
}
