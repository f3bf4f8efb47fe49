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
// Raised from 54,100 for the rest of issue #3 (measured at 10:02 on
// 2026-11-26: 58,535 = glue 4,718 + wasm 53,817, from 54,053): USER_AUTH
// (first-factor choice, the password step, SMS_OTP, PASSWORD_SRP through
// SELECT_CHALLENGE), AnalyticsMetadata/UserContextData on every call that
// takes them (and the `userContextData` callback), ClientMetadata on the
// account calls, Amplify's nested `options`, and the expiry messages.
// On branch sessions, raised from 54,100 for the rest of issue #4 (measured on 2026-11-26 at
// 10:03: 54,852 = glue 5,113 + wasm 49,739): several tabs (storage events,
// the Web Lock around refreshes, re-reading storage first) and the refresh
// before the calls that send the access token, about 500 bytes of index.js;
// accessTokenClaims, importSession's user check and events, and the expiry
// from the shorter token lifetime at sign-in, about 290 bytes of wasm. JWT
// verification is a separate entry (cognito-wasm/verify), not counted here.
// On branch devices, raised from 54,100 for issue #3's remembered devices (measured at 10:12 on
// 2026-11-26: 61,860 = glue 5,241 + wasm 56,619): DEVICE_SRP_AUTH and
// DEVICE_PASSWORD_VERIFIER steps, the device verifier and ConfirmDevice after
// a sign-in on a new device, the stale-device retry, rememberDevice,
// forgetDevice, fetchDevices, DEVICE_KEY on refresh (about 7 KB gzip of
// wasm), and index.js's device storage (about 0.6 KB gzip).
// Both merged: MERGED_SIZE_NOTE
const SIGN_IN_BUDGET = 62_900;
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
