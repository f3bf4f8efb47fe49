// cognito-wasm/amplify: Amplify v6's TokenProvider and
// CredentialsAndIdentityIdProvider over a CognitoAuth. The shapes are
// written here (this package does not depend on aws-amplify);
// tests/types/amplify-usage.ts checks that they fit the interfaces of the
// installed aws-amplify.
import type { AWSCredentials, CognitoAuth } from './index.js';

type JsonValue = null | string | number | boolean | JsonValue[] | { [key: string]: JsonValue };

/** Amplify's JWT: the decoded (not verified) claims, and the token as `toString()`. */
export interface AmplifyJWT {
  payload: { [claim: string]: JsonValue };
  toString(): string;
}

/** Amplify's AuthTokens. */
export interface AmplifyAuthTokens {
  accessToken: AmplifyJWT;
  idToken?: AmplifyJWT;
}

/** Fits Amplify v6's `TokenProvider` (`Amplify.configure(config, { Auth: { tokenProvider } })`). */
export interface CognitoWasmTokenProvider {
  /** `auth.fetchSession({ forceRefresh })`'s tokens, or null when no user is signed in. */
  getTokens(options?: { forceRefresh?: boolean }): Promise<AmplifyAuthTokens | null>;
}

/** Fits Amplify v6's `CredentialsAndIdentityIdProvider`. */
export interface CognitoWasmCredentialsProvider {
  /** `auth.fetchSession()`'s credentials and identityId, or undefined when there are none. */
  getCredentialsAndIdentityId(options?: unknown): Promise<{ credentials: AWSCredentials; identityId?: string } | undefined>;
  /** Nothing to do: cognito-wasm's signOut clears the credentials (Amplify calls this from its own signOut only). */
  clearCredentialsAndIdentityId(): void;
}

export function tokenProvider(auth: CognitoAuth): CognitoWasmTokenProvider;
/** Needs a CognitoAuth with an `identityPoolId`. */
export function credentialsProvider(auth: CognitoAuth): CognitoWasmCredentialsProvider;
