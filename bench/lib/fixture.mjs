// The server side of the benchmark's SRP exchange, computed in JS BigInt so
// that the claim every client computes is one a real server would accept:
// v = g^x from a fixed password and salt, B = k*v + g^b mod N. Everything is
// derived from fixed labels, so runs are reproducible and nothing is random
// except where a client draws its own `a`.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import * as srp from '../baseline/srp-bigint.mjs';

// bench/wasm/src/lib.rs hard-codes this identity and timestamp in signInMaths;
// the other clients get the same ones so all signatures must agree.
export const IDENTITY = Object.freeze({ poolName: 'Pool', userId: 'user', password: 'password' });
export const TIMESTAMP = 'Tue Feb 1 03:04:05 UTC 2000';

/** `length` deterministic bytes from a label (SHA-256 in counter mode). */
export function labelBytes(label, length) {
  const out = new Uint8Array(length);
  for (let block = 0; block * 32 < length; block++) {
    out.set(sha256(utf8ToBytes(`${label}/${block}`)).subarray(0, Math.min(32, length - block * 32)), block * 32);
  }
  return out;
}

/** A secret exponent of exactly `bits` bits (top bit set), as bytes. */
export function pinnedSecret(bits) {
  const bytes = labelBytes(`cognito-wasm bench a ${bits}`, bits / 8);
  bytes[0] |= 0x80;
  return bytes;
}

const salt = labelBytes('cognito-wasm bench salt', 16);
const saltHex = bytesToHex(salt);
const secretBlock = labelBytes('cognito-wasm bench SECRET_BLOCK', 48);
const x = srp.computeX(srp.bigFromHex(saltHex), IDENTITY.poolName, IDENTITY.userId, IDENTITY.password);
const v = srp.modPow(srp.g, x, srp.N);
const b = srp.bigFromBytes(labelBytes('cognito-wasm bench b', 32));
const B = (srp.k * v + srp.modPow(srp.g, b, srp.N)) % srp.N;

/** The PASSWORD_VERIFIER parameters every client answers. */
export const CHALLENGE = Object.freeze({
  saltHex,
  srpBHex: B.toString(16),
  secretBlockB64: srp.bytesToBase64(secretBlock),
});

/**
 * The signature the server expects for a client's A: S = (A * v^u)^b mod N.
 * Independent of the client's formula for S, so it checks all of them.
 */
export function serverExpectedSignature(srpAHex) {
  const A = srp.bigFromHex(srpAHex);
  const u = srp.computeU(A, B);
  const S = srp.modPow((A * srp.modPow(v, u, srp.N)) % srp.N, b, srp.N);
  return srp.claimSignature(srp.computeKey(S, u), IDENTITY.poolName, IDENTITY.userId, secretBlock, TIMESTAMP);
}

/**
 * The public known-answer vector of alexrudd/cognito-srp (see
 * cognito-protocol.md): a tiny B, so B - k*g^x is negative.
 */
export const KNOWN_ANSWER = Object.freeze({
  identity: { poolName: 'myPool', userId: 'test', password: 'test' },
  a: 1234567890n,
  challenge: { saltHex: '499602d2', srpBHex: '499602d2', secretBlockB64: btoa('secretssecrestssecrets') },
  timestamp: 'Tue Jul 10 11:01:00 UTC 2018',
  signature: 'tdvQu/Li/qWl8Nni0aFPs+MwY4rvKZm0kSMrGIMSUHk=',
});

/** Random bytes for a fresh `a` per sign-in, as a real client draws them. */
export const randomBytes = (length) => crypto.getRandomValues(new Uint8Array(length));
