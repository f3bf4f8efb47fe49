// cognito-wasm/verify: verification of Cognito user-pool JWTs with WebCrypto.

import type { WebResponse, WebAbortSignal } from './web-types.js';

export interface JwtVerifierOptions {
  /** `<region>_<id>`, for example `us-east-1_AbC123`. */
  userPoolId: string;
  /** The app client id the tokens must be for (`aud` of id tokens, `client_id` of access tokens), or several. */
  clientId: string | string[];
  /** Accept only id or only access tokens; null (the default) accepts both. */
  tokenUse?: 'id' | 'access' | null;
  /**
   * The expected `iss`; defaults to `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`.
   * The JWKS is fetched from `<issuer>/.well-known/jwks.json`.
   */
  issuer?: string;
  /** Seconds an expired token is still accepted, for clock skew; default 0. */
  graceSeconds?: number;
  /** The fetch used for the JWKS; defaults to the global one. */
  fetch?: (url: string, init: { signal?: WebAbortSignal }) => Promise<WebResponse>;
  /**
   * The milliseconds the JWKS fetch may take, its retries included: then
   * `verify` rejects with a `TimeoutError`. Default 30,000; `0` turns it off.
   */
  requestTimeout?: number;
  /** The tries of a JWKS fetch answered HTTP 429/500/502/503/504 or not at all (default 3, 1 to 10). */
  maxAttempts?: number;
}

export interface VerifyOptions {
  /** Stops the wait for the JWKS: `verify` rejects with the signal's reason. */
  signal?: WebAbortSignal;
}

/**
 * The names of the errors `verify` rejects with:
 * `JwtParseError` (not a JWT, or no `exp`), `JwtInvalidSignatureError` (a
 * signature that does not match, or an alg other than RS256),
 * `KidNotFoundInJwksError` (a key id the JWKS lacks, even after fetching it
 * again; an unknown kid refetches the JWKS at most every 10 s),
 * `JwksFetchError` (a JWKS over 1 MiB, not JSON, an HTTP error, no answer;
 * a fetch that outlives `requestTimeout` is a `TimeoutError`),
 * `JwtInvalidIssuerError`, `JwtInvalidTokenUseError`,
 * `JwtInvalidAudienceError` (id token `aud`), `JwtInvalidClientIdError`
 * (access token `client_id`), `JwtExpiredError`.
 */
export type JwtErrorName =
  | 'JwtParseError'
  | 'JwtInvalidSignatureError'
  | 'KidNotFoundInJwksError'
  | 'JwksFetchError'
  | 'JwtInvalidIssuerError'
  | 'JwtInvalidTokenUseError'
  | 'JwtInvalidAudienceError'
  | 'JwtInvalidClientIdError'
  | 'JwtExpiredError'
  | 'TimeoutError';

export interface JwtError extends Error {
  name: JwtErrorName;
}

/**
 * Verifies the id and access tokens of one user pool: the RS256 signature
 * against a key of the pool's JWKS (fetched once, cached, fetched again for
 * a key id it lacks, as after a key rotation), then `iss`, `token_use`,
 * `aud` (id token) or `client_id` (access token), and `exp`.
 */
export class JwtVerifier {
  /** Throws a `ValidationError` on unusable options. */
  constructor(options: JwtVerifierOptions);
  /** The claims, once the token checks out; else rejects with a `JwtError`. */
  verify(token: string, options?: VerifyOptions): Promise<Record<string, unknown>>;
}
