// The page side of bench/maths-ab.mjs: two builds of the bench crate's wasm
// side by side in one page, each checked against the server-side formula,
// then timed interleaved with amazon-cognito-identity-js.
import { acijSignInMaths } from '../lib/acij-maths.mjs';
import { CHALLENGE, IDENTITY, TIMESTAMP, randomBytes } from '../lib/fixture.mjs';
import { timeInterleaved } from '../lib/stats.mjs';
import { REFERENCE_A_BITS, checkAgreement } from '../suites/maths.mjs';

/** Loads the glue and wasm under each URL prefix (one instance per glue URL). */
async function load(prefix) {
  const glue = await import(`${prefix}/cognito_wasm_bench.js`);
  await glue.default({ module_or_path: `${prefix}/cognito_wasm_bench_bg.wasm` });
  checkAgreement(glue);
  // The comb tables of g for the package's a, as it builds them at load
  // (older builds build them on first use, and have no prepare).
  glue.prepare?.(glue.secretBytes() * 8);
  return glue;
}

window.mathsAb = async ({ prefixes, names, rounds }) => {
  const builds = [];
  for (const prefix of prefixes) builds.push(await load(prefix));
  const bits = builds[0].secretBytes() * 8;
  const candidates = builds.map((wasm, i) => ({
    name: names[i],
    minSamples: 3 * rounds,
    fn: () => wasm.signInMaths(randomBytes(bits / 8), CHALLENGE.saltHex, CHALLENGE.srpBHex, CHALLENGE.secretBlockB64),
  }));
  candidates.push({ name: 'acij', minSamples: rounds, fn: () => acijSignInMaths(IDENTITY, CHALLENGE, TIMESTAMP) });
  const timings = await timeInterleaved(candidates, { rounds });
  return { bits, referenceBits: REFERENCE_A_BITS, timings };
};
window.mathsAbReady = true;
