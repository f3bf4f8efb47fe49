// The size budget of the sign-in path: what an app that imports CognitoAuth
// ships (the JS glue, bundled and minified by esbuild as the benchmark
// measures it, plus the .wasm), gzip -9, from the packed package. Bytes are
// deterministic, so this is a test; speed stays in the benchmark.
//
// SIGN_IN_BUDGET is a ratchet: it sits just above today's size, so any
// growth fails here and must be paid for or the budget raised on purpose.
// Issue #6's target is 25,000 bytes, not reached yet (see bench/results.md).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { PACKAGE_DIR } from './support.mjs';

// Raised from 35,000 for issue #4 (fetchSession with single-flight refresh,
// events, sign-up, password reset, attributes: about 12.5 KB gzip of wasm
// when measured at 08:31 on 2026-11-26) on top of issue #3's MFA steps.
// Raised from 53,000 for issue #4's `storage` option (measured at 09:01 on
// 2026-11-26: 54,053 = glue 4,601 + wasm 49,452; the previous index.js with
// the same wasm is 52,965). The JS of index.js (save, forget, restore, the
// waits for `ready`) is about 1.1 KB gzip; the wasm side is only
// importSession (a JSON string in, via src/json.rs).
// On 2026-11-26 three branches grew it from 54,053 and one shrank it:
// - issue #3's USER_AUTH, context data and expiry messages: +4.5 KB gzip;
// - issue #3's remembered devices (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER,
//   ConfirmDevice, the stale-device retry, remember/forget/fetchDevices,
//   DEVICE_KEY on refresh, index.js's device storage): +7.8 KB gzip;
// - issue #4's tabs (storage events, the Web Lock around refreshes) and the
//   refresh before calls that send the access token: +0.8 KB gzip;
// - size work (wasm-opt -Os --low-memory-unused, no two-way substring search,
//   one body for the account helpers, no js-sys): -2.3 KB gzip.
// Merged, measured at 10:22: 65,318 = glue 5,851 + wasm 59,467.
// Then the dedupe took 104 bytes off, and issue #6's faster arithmetic (two
// Montgomery rows per pass, the fixed-base comb for powers of g, 5-bit
// windows) added about 800: measured at 10:50, 66,018 = glue 5,851 + wasm
// 60,167. docs/size.md says where the bytes go and what would shrink them.
// 2026-11-26: the remembered device in USER_AUTH (DEVICE_KEY with InitiateAuth
// and the first factor's answers, the device carried through the code step,
// the stale-device retry of InitiateAuth) added 320: measured 66,338 = glue
// 5,851 + wasm 60,487.
// 2026-11-26, 11:20: the tabs' refresh handover in index.js (the lock kept a
// moment after storing, a waiting tab looking for the other tab's tokens;
// localStorage reaches other tabs asynchronously) added 184 bytes of glue:
// measured 66,522 = glue 6,035 + wasm 60,487.
const SIGN_IN_BUDGET = 66_600;
const TARGET = 25_000;

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

async function signInPath() {
  const result = await build({
    stdin: {
      contents: "export { default as init, CognitoAuth } from 'cognito-wasm';",
      resolveDir: join(PACKAGE_DIR, '../..'),
    },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    logLevel: 'silent',
  });
  const glue = gzip(result.outputFiles[0].contents);
  const wasm = gzip(readFileSync(join(PACKAGE_DIR, 'pkg/cognito_wasm_bg.wasm')));
  return { glue, wasm, total: glue + wasm };
}

test(`the sign-in path stays within its budget of ${SIGN_IN_BUDGET} bytes gzip`, async () => {
  const size = await signInPath();
  console.log(`sign-in path: ${size.total} bytes gzip (glue ${size.glue} + wasm ${size.wasm}); budget ${SIGN_IN_BUDGET}, target ${TARGET}`);
  assert.ok(size.glue > 1_000 && size.wasm > 10_000, 'the measurement found the glue and the module');
  assert.ok(size.total <= SIGN_IN_BUDGET, `the sign-in path grew to ${size.total} bytes gzip, past its budget of ${SIGN_IN_BUDGET}`);
});
