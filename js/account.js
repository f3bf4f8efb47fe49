// The JS of the account calls, which index.js imports (a dynamic import) on
// the first of them, together with the account module's glue that it
// imports: so bundlers keep both off the sign-in path, in one chunk.
import { AccountCalls } from '../pkg/account/cognito_wasm_account.js';

// What loader.js's `instantiate` needs of the glue.
export { imports, finalize } from '../pkg/account/cognito_wasm_account.js';

// fetchDevices, listWebAuthnCredentials: the dates as Dates, as Amplify gives them.
const date = (seconds) => (typeof seconds === 'number' ? new Date(seconds * 1000) : undefined);

/** The account calls of one CognitoAuth (they keep autoSignIn's credentials). */
export class Calls extends AccountCalls {
  // listWebAuthnCredentials: Amplify's shape, `createdAt` a Date.
  listWebAuthnCredentials(tokens, input) {
    return super.listWebAuthnCredentials(tokens, input).then(({ credentials, nextToken }) => ({
      credentials: credentials.map(({ authenticatorAttachment, createdAt, ...credential }) => ({
        ...credential,
        authenticatorAttachment: authenticatorAttachment ?? undefined,
        createdAt: date(createdAt),
      })),
      nextToken: nextToken ?? undefined,
    }));
  }

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
