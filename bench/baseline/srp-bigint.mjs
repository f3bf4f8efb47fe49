// The JS BigInt baseline: Cognito's SRP client maths written the obvious way,
// with native BigInt and a textbook square-and-multiply modexp. It is what a
// developer would write without a bignum library, so "ours vs this" says how
// much the wasm buys over plain JS, apart from jsbn's (amazon-cognito-identity-js)
// own overheads. Hashes come from @noble/hashes, so the timing is the maths.
//
// Every formula follows /work/shared/cognito-protocol.md.
import { sha256 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';

/** The 3072-bit MODP prime of RFC 3526 (group 15). */
export const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74' +
  '020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437' +
  '4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05' +
  '98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB' +
  '9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718' +
  '3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33' +
  'A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864' +
  'D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2' +
  '08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';
export const N = BigInt(`0x${N_HEX}`);
export const g = 2n;

/** Hex of Java's BigInteger.toByteArray() for x >= 0: even length, `00` before 8-f. */
export function padHex(x) {
  let hex = x.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  else if ('89abcdef'.includes(hex[0])) hex = `00${hex}`;
  return hex;
}

export const bigFromHex = (hex) => BigInt(`0x${hex}`);
export const bigFromBytes = (bytes) => (bytes.length === 0 ? 0n : bigFromHex(bytesToHex(bytes)));
/** SHA-256 over the bytes that a hex string spells. */
const hashHex = (hex) => sha256(hexToBytes(hex));

/** x mod m in [0, m), also for negative x. */
export const mod = (x, m) => ((x % m) + m) % m;

/**
 * base^exponent mod modulus by right-to-left square-and-multiply: one
 * squaring per exponent bit and one multiplication per set bit.
 */
export function modPow(base, exponent, modulus) {
  let result = 1n;
  base = mod(base, modulus);
  while (exponent > 0n) {
    if (exponent & 1n) result = (result * base) % modulus;
    base = (base * base) % modulus;
    exponent >>= 1n;
  }
  return result;
}

/** k = H(padHex(N) || padHex(g)) */
export const k = bigFromBytes(hashHex(padHex(N) + padHex(g)));

/** A = g^a mod N */
export const computeA = (a) => modPow(g, a, N);

/** u = H(padHex(A) || padHex(B)) */
export const computeU = (A, B) => bigFromBytes(hashHex(padHex(A) + padHex(B)));

/** x = H(padHex(salt) || H(utf8(poolName || userId || ":" || password))) */
export function computeX(salt, poolName, userId, password) {
  const identity = sha256(utf8ToBytes(`${poolName}${userId}:${password}`));
  return bigFromBytes(sha256(concatBytes(hexToBytes(padHex(salt)), identity)));
}

/** S = (B - k * g^x)^(a + u*x) mod N */
export const computeS = (B, x, a, u) => modPow(mod(B - k * modPow(g, x, N), N), a + u * x, N);

/** HKDF-SHA256(ikm = padHex(S), salt = padHex(u), info = "Caldera Derived Key"), 16 bytes. */
const KEY_INFO = utf8ToBytes('Caldera Derived Key');
export const computeKey = (S, u) => hkdf(sha256, hexToBytes(padHex(S)), hexToBytes(padHex(u)), KEY_INFO, 16);

/** base64(HMAC-SHA256(key, poolName || userId || secretBlock || timestamp)) */
export function claimSignature(key, poolName, userId, secretBlock, timestamp) {
  const message = concatBytes(utf8ToBytes(poolName + userId), secretBlock, utf8ToBytes(timestamp));
  return bytesToBase64(hmac(sha256, key, message));
}

export const base64ToBytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
export const bytesToBase64 = (bytes) => btoa(String.fromCharCode(...bytes));

/**
 * One sign-in's client maths, as the reference clients do it: A from the
 * secret `a`, then the PASSWORD_CLAIM_SIGNATURE for the server's challenge.
 * `identity` = { poolName, userId, password }; `challenge` = { saltHex,
 * srpBHex, secretBlockB64 }. Returns { srpA, signature }.
 */
export function signInMaths(a, identity, challenge, timestamp) {
  const A = computeA(a);
  if (A % N === 0n) throw new Error('A mod N is 0');
  const B = bigFromHex(challenge.srpBHex);
  if (B % N === 0n) throw new Error('B mod N is 0');
  const u = computeU(A, B);
  if (u === 0n) throw new Error('u is 0');
  const x = computeX(bigFromHex(challenge.saltHex), identity.poolName, identity.userId, identity.password);
  const key = computeKey(computeS(B, x, a, u), u);
  const signature = claimSignature(
    key,
    identity.poolName,
    identity.userId,
    base64ToBytes(challenge.secretBlockB64),
    timestamp,
  );
  return { srpA: A.toString(16), signature };
}
