// cognito-wasm/verify: checks Cognito user-pool JWTs (RS256) against the
// pool's JWKS with WebCrypto, for servers and for apps that must trust the
// claims. A separate entry, in plain JS: apps that only sign in do not ship it.

import { bytesOf, objectOf } from './jwt.js';
import { abortable } from './loader.js';
import { send } from './transport.js';

/** An unknown `kid` fetches the JWKS again at most this often (keys rotate rarely; forged kids are cheap). */
const KID_REFETCH_INTERVAL_MS = 10_000;

const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

function fail(name, message) {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** The JSON object of a part of a JWT, or a JwtParseError naming the part. */
function jsonOf(part, what) {
  const value = objectOf(part);
  if (value) return value;
  throw fail('JwtParseError', `the token's ${what} is not base64url-encoded JSON object`);
}

/** Verifies the id and access tokens of one user pool and its app client(s). */
export class JwtVerifier {
  #issuer;
  #jwksUri;
  #clientIds;
  #tokenUse;
  #graceSeconds;
  #fetch;
  /** requestTimeout and maxAttempts of the JWKS fetch (js/transport.js). */
  #transport;
  /** kid -> CryptoKey, once the JWKS is fetched. */
  #keys = null;
  #loading = null;
  #refetchedAt = -Infinity;

  constructor(options) {
    const {
      userPoolId,
      clientId,
      tokenUse = null,
      issuer,
      graceSeconds = 0,
      fetch = globalThis.fetch,
      requestTimeout = 30_000,
      maxAttempts = 3,
    } = options ?? {};
    const invalid = (message) => fail('ValidationError', `new JwtVerifier: ${message}`);
    const region = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9A-Za-z]+$/.exec(userPoolId ?? '')?.[1];
    if (!region) throw invalid(`userPoolId must be <region>_<id>, such as us-east-1_AbC123 (got ${userPoolId})`);
    const clientIds = [clientId].flat();
    if (!clientIds.length || !clientIds.every((id) => typeof id === 'string' && id)) {
      throw invalid('clientId must be the app client id, or an array of them');
    }
    if (![null, 'id', 'access'].includes(tokenUse)) throw invalid(`tokenUse must be 'id', 'access' or null (got ${tokenUse})`);
    if (typeof fetch !== 'function') throw invalid('no fetch: pass the fetch option');
    // setTimeout takes at most 2^31 - 1 ms.
    if (!(Number.isInteger(requestTimeout) && requestTimeout >= 0 && requestTimeout < 2 ** 31)) {
      throw invalid(`requestTimeout must be a whole number of milliseconds from 0 (no limit) to 2147483647 (got ${requestTimeout})`);
    }
    if (!(Number.isInteger(maxAttempts) && maxAttempts >= 1 && maxAttempts <= 10)) throw invalid(`maxAttempts must be 1 to 10 (got ${maxAttempts})`);
    this.#transport = [requestTimeout, maxAttempts];
    this.#issuer = issuer ?? `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
    this.#jwksUri = `${this.#issuer}/.well-known/jwks.json`;
    this.#clientIds = clientIds;
    this.#tokenUse = tokenUse;
    this.#graceSeconds = graceSeconds;
    this.#fetch = fetch;
  }

  /**
   * The claims of `token` once its signature (RS256, a key of the pool's
   * JWKS) and its claims check out; else rejects with a named error.
   * `options.signal` stops the wait for the JWKS.
   */
  async verify(token, options) {
    const parts = typeof token === 'string' ? token.split('.') : [];
    if (parts.length !== 3) throw fail('JwtParseError', 'the token is not a JWT (header.payload.signature)');
    const [headerPart, payloadPart, signaturePart] = parts;
    const header = jsonOf(headerPart, 'header');
    const claims = jsonOf(payloadPart, 'payload');
    const signature = bytesOf(signaturePart);
    if (header.alg !== 'RS256') throw fail('JwtInvalidSignatureError', `the token's alg is ${header.alg}; Cognito signs with RS256`);
    if (!signature) throw fail('JwtParseError', "the token's signature is not base64url");
    const key = await this.#key(header.kid, options?.signal);
    const signed = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
    if (!(await crypto.subtle.verify(ALGORITHM, key, signature, signed))) {
      throw fail('JwtInvalidSignatureError', `the token's signature does not match the key ${header.kid} of ${this.#jwksUri}`);
    }
    this.#check(claims);
    return claims;
  }

  #check(claims) {
    if (claims.iss !== this.#issuer) {
      throw fail('JwtInvalidIssuerError', `the token's iss is ${claims.iss}, expected ${this.#issuer} (another user pool or region?)`);
    }
    const use = claims.token_use;
    if (this.#tokenUse ? use !== this.#tokenUse : use !== 'id' && use !== 'access') {
      throw fail('JwtInvalidTokenUseError', `the token's token_use is ${use}, expected ${this.#tokenUse ?? 'id or access'}`);
    }
    // Id tokens name the app client in aud, access tokens in client_id.
    const [claim, name] = use === 'id' ? ['aud', 'JwtInvalidAudienceError'] : ['client_id', 'JwtInvalidClientIdError'];
    if (!this.#clientIds.includes(claims[claim])) {
      throw fail(name, `the ${use} token's ${claim} is ${claims[claim]}, expected ${this.#clientIds.join(' or ')}`);
    }
    if (typeof claims.exp !== 'number') throw fail('JwtParseError', 'the token has no exp claim');
    if (Date.now() >= (claims.exp + this.#graceSeconds) * 1000) {
      throw fail('JwtExpiredError', `the token expired at ${new Date(claims.exp * 1000).toISOString()}`);
    }
  }

  /** The key `kid` names: the JWKS is fetched once, and again (rate-limited) for a kid it lacks. */
  async #key(kid, signal) {
    if (!this.#keys) await this.#load(signal);
    if (!this.#keys.has(kid)) {
      if (Date.now() - this.#refetchedAt >= KID_REFETCH_INTERVAL_MS) {
        this.#refetchedAt = Date.now();
        await this.#load(signal);
      } else {
        await abortable(this.#loading, signal);
      }
    }
    const key = this.#keys.get(kid);
    if (!key) {
      throw fail('KidNotFoundInJwksError', `no key ${kid} in ${this.#jwksUri} (an unknown kid refetches it at most every ${KID_REFETCH_INTERVAL_MS / 1000} s)`);
    }
    return key;
  }

  /**
   * Fetches the JWKS (one fetch for concurrent callers) and imports its
   * RS256 keys. `signal` stops the wait of this caller; the fetch itself
   * (js/transport.js: requestTimeout, retries, at most 1 MiB) goes on for
   * the others, and stops when the signal of the call that started it does.
   */
  #load(signal) {
    const loading = (this.#loading ??= (async () => {
      let document;
      try {
        const fetchJwks = this.#fetch; // called unbound: window.fetch refuses another `this`
        const [status, , body] = await send(this.#jwksUri, { method: 'GET' }, signal, ...this.#transport, (url, init) => fetchJwks(url, init));
        if (status !== 200) throw new Error(`HTTP ${status}`);
        document = JSON.parse(body);
      } catch (error) {
        if (signal?.aborted || error.name === 'TimeoutError') throw error;
        throw fail('JwksFetchError', `could not fetch the JWKS at ${this.#jwksUri}: ${error.message}`);
      }
      const keys = new Map();
      for (const jwk of Array.isArray(document?.keys) ? document.keys : []) {
        if (jwk?.kty !== 'RSA' || (jwk.alg ?? 'RS256') !== 'RS256' || typeof jwk.kid !== 'string') continue;
        const { kty, n, e } = jwk;
        try {
          keys.set(jwk.kid, await crypto.subtle.importKey('jwk', { kty, n, e, alg: 'RS256' }, ALGORITHM, false, ['verify']));
        } catch {} // a malformed key is one that no token can use
      }
      this.#keys = keys;
    })().finally(() => (this.#loading = null)));
    return abortable(loading, signal);
  }
}
