// The JS of the account calls, which index.js imports (a dynamic import) on
// the first of them, together with the account module's glue that it
// imports: so bundlers keep both off the sign-in path, in one chunk.
import { AccountCalls, imports, finalize } from '../pkg/account/cognito_wasm_account.js';

/**
 * Compiles and instantiates the account module once (loader.js's
 * `instantiate`, with `input`, init's second argument, else the wasm beside
 * the glue), and resolves to the class of the account calls.
 */
export function load(input, instantiate) {
  return instantiate(input, () => new URL('../pkg/account/cognito_wasm_account_bg.wasm', import.meta.url), { imports, finalize }).then(
    () => Calls,
  );
}

// fetchDevices: the dates as Dates, as Amplify gives them.
const date = (seconds) => (typeof seconds === 'number' ? new Date(seconds * 1000) : undefined);

/** The account calls of one CognitoAuth (they keep autoSignIn's credentials). */
class Calls extends AccountCalls {
  fetchDevices(tokens, input) {
    return super.fetchDevices(tokens, input).then(({ devices }) =>
      devices.map(({ createDate, lastAuthenticatedDate, lastModifiedDate, name, ...device }) => ({
        ...device,
        name: name ?? undefined,
        createDate: date(createDate),
        lastAuthenticatedDate: date(lastAuthenticatedDate),
        lastModifiedDate: date(lastModifiedDate),
      })),
    );
  }
}
