// Target (1): SRP maths per sign-in, ours (wasm) against the JS BigInt
// baseline and amazon-cognito-identity-js, in whatever runtime imports this
// (Node directly, Chromium through an esbuild bundle). Correctness first: the
// three clients and the server-side formula must agree on pinned secrets, or
// the suite throws and the benchmark fails.
import * as baseline from '../baseline/srp-bigint.mjs';
import { acijSignInMaths } from '../lib/acij-maths.mjs';
import {
  CHALLENGE,
  IDENTITY,
  KNOWN_ANSWER,
  TIMESTAMP,
  labelBytes,
  pinnedSecret,
  randomBytes,
  serverExpectedSignature,
} from '../lib/fixture.mjs';
import { timeInterleaved } from '../lib/stats.mjs';

/** The reference clients' secret `a`: 128 random bytes. */
export const REFERENCE_A_BITS = 1024;
/** The exponent size of the modexp anchor (3072-bit base). */
const MODPOW_BITS = 1024;

function check(label, got, want) {
  if (got !== want) throw new Error(`correctness check failed: ${label}: got ${got}, want ${want}`);
}

/**
 * The sizes of `a` to compare at: the one the package draws (the crate's
 * SECRET_BYTES, read from the bench module so it cannot drift) and the
 * reference clients' 1024 bits.
 */
const secretSizes = (wasm) => [...new Set([wasm.secretBytes() * 8, REFERENCE_A_BITS])];

/**
 * Fails loudly unless every client gives the signature the server expects.
 * `wasm` = the bench crate's exports ({ signInMaths, modPow, modPowCryptoBigint, secretBytes }).
 */
export function checkAgreement(wasm) {
  const K = KNOWN_ANSWER;
  check('baseline, public vector', baseline.signInMaths(K.a, K.identity, K.challenge, K.timestamp).signature, K.signature);
  check('acij, public vector', acijSignInMaths(K.identity, K.challenge, K.timestamp, K.a).signature, K.signature);
  const checked = [];
  for (const bits of secretSizes(wasm)) {
    const aBytes = pinnedSecret(bits);
    const a = baseline.bigFromBytes(aBytes);
    const ref = baseline.signInMaths(a, IDENTITY, CHALLENGE, TIMESTAMP);
    const want = serverExpectedSignature(ref.srpA);
    check(`baseline, a of ${bits} bits`, ref.signature, want);
    check(`acij, a of ${bits} bits`, acijSignInMaths(IDENTITY, CHALLENGE, TIMESTAMP, a).signature, want);
    check(`ours, a of ${bits} bits`, wasmSignIn(wasm, aBytes), want);
    checked.push(`a of ${bits} bits: ${want}`);
  }
  const { base, exponent } = modPowInputs();
  check(
    `modPow, ${MODPOW_BITS}-bit exponent`,
    BigInt(`0x${wasm.modPow(base.toString(16), exponent.toString(16), MODPOW_BITS)}`),
    baseline.modPow(base, exponent, baseline.N),
  );
  // A build from before crypto-bigint joined (bench/maths-ab.mjs against an older commit) has no modPowCryptoBigint.
  if (wasm.modPowCryptoBigint) {
    check(
      `modPow crypto-bigint, ${MODPOW_BITS}-bit exponent`,
      BigInt(`0x${wasm.modPowCryptoBigint(base.toString(16), exponent.toString(16), MODPOW_BITS)}`),
      baseline.modPow(base, exponent, baseline.N),
    );
  }
  return checked;
}

const wasmSignIn = (wasm, random) =>
  wasm.signInMaths(random, CHALLENGE.saltHex, CHALLENGE.srpBHex, CHALLENGE.secretBlockB64);

/** A fixed 3072-bit base and a fixed exponent of exactly MODPOW_BITS bits. */
function modPowInputs() {
  const base = baseline.bigFromBytes(labelBytes('cognito-wasm bench modPow base', 384)) % baseline.N;
  const exponentBytes = labelBytes('cognito-wasm bench modPow exponent', MODPOW_BITS / 8);
  exponentBytes[0] |= 0x80;
  return { base, exponent: baseline.bigFromBytes(exponentBytes) };
}

/**
 * Checks, then times one sign-in's maths for each client and secret size,
 * plus a bare modexp, interleaved. Each timed call draws a fresh `a`, as a
 * real sign-in does (amazon-cognito-identity-js draws its own).
 */
export async function runMaths(wasm) {
  // The first call of a fresh instance, before anything else runs, on a
  // cold JIT: g^a by squarings and doublings, and the comb tables of g that g^x uses built
  // (crates/srp/src/residue.rs). One sample, so reported, not a ratio.
  const start = performance.now();
  wasmSignIn(wasm, randomBytes(wasm.secretBytes()));
  const firstCallMs = performance.now() - start;
  // Then the tables of each size of a, as the package builds its own at load
  // (a build from before `prepare` built them on first use).
  for (const bits of secretSizes(wasm)) wasm.prepare?.(bits);
  const checked = checkAgreement(wasm);
  const { base, exponent } = modPowInputs();
  const baseHex = base.toString(16);
  const exponentHex = exponent.toString(16);
  const fast = 24; // samples for the quick candidates
  const candidates = [
    ...secretSizes(wasm).flatMap((bits) => [
      { name: `ours@${bits}`, minSamples: fast, fn: () => wasmSignIn(wasm, randomBytes(bits / 8)) },
      {
        name: `baseline@${bits}`,
        minSamples: fast,
        fn: () => baseline.signInMaths(baseline.bigFromBytes(randomBytes(bits / 8)), IDENTITY, CHALLENGE, TIMESTAMP),
      },
    ]),
    // The library always draws a 1024-bit a.
    { name: `acij@${REFERENCE_A_BITS}`, minSamples: 8, fn: () => acijSignInMaths(IDENTITY, CHALLENGE, TIMESTAMP) },
    { name: `modPow ours@${MODPOW_BITS}`, minSamples: fast, fn: () => wasm.modPow(baseHex, exponentHex, MODPOW_BITS) },
    {
      name: `modPow crypto-bigint@${MODPOW_BITS}`,
      minSamples: 8,
      fn: () => wasm.modPowCryptoBigint(baseHex, exponentHex, MODPOW_BITS),
    },
    { name: `modPow baseline@${MODPOW_BITS}`, minSamples: fast, fn: () => baseline.modPow(base, exponent, baseline.N) },
  ];
  return {
    ourBits: wasm.secretBytes() * 8,
    referenceBits: REFERENCE_A_BITS,
    modPowBits: MODPOW_BITS,
    firstCallMs,
    checked,
    timings: await timeInterleaved(candidates, { rounds: 8 }),
  };
}
