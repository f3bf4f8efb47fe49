// cognito-wasm/amplify: Amplify v6's TokenProvider and
// CredentialsAndIdentityIdProvider over a CognitoAuth, so that Amplify's
// categories (API, Storage, ...) use cognito-wasm's session:
//
//   Amplify.configure(config, { Auth: {
//     tokenProvider: tokenProvider(auth),
//     credentialsProvider: credentialsProvider(auth),
//   } });
//
// Amplify's fetchAuthSession asks the token provider first, then the
// credentials provider with the same forceRefresh: the token provider runs
// auth.fetchSession (which, with an identityPoolId, renews the credentials
// as well when forced), and the credentials provider then reads the session
// again without forcing, so that one forced call renews each once.

/** Amplify's JWT: the decoded claims and the token. */
const jwt = (token, payload) => token && { payload, toString: () => token };

/** A TokenProvider of `auth`: `getTokens({ forceRefresh })` resolves to `{ accessToken, idToken }` as JWTs, or null when no user is signed in. */
export function tokenProvider(auth) {
  return {
    async getTokens(options) {
      const { tokens } = await auth.fetchSession({ forceRefresh: Boolean(options?.forceRefresh) });
      if (!tokens) return null;
      return { accessToken: jwt(tokens.accessToken, tokens.accessTokenClaims), idToken: jwt(tokens.idToken, tokens.idTokenClaims) ?? undefined };
    },
  };
}

/**
 * A CredentialsAndIdentityIdProvider of `auth` (which needs an
 * `identityPoolId`): `getCredentialsAndIdentityId()` resolves to `{
 * credentials, identityId }`, or undefined when there are none (no user
 * signed in, and no `allowGuestAccess`). Amplify calls
 * `clearCredentialsAndIdentityId` from its own signOut only; cognito-wasm's
 * `signOut` clears them, so it has nothing to do here.
 */
export function credentialsProvider(auth) {
  return {
    async getCredentialsAndIdentityId() {
      const { credentials, identityId } = await auth.fetchSession();
      return credentials && { credentials, identityId };
    },
    clearCredentialsAndIdentityId() {},
  };
}
