// The size budgets, measured as an app bundles the packed package (esbuild,
// minified, split at dynamic imports as app bundlers split them), gzip -9
// per file. Bytes are deterministic, so this is a test; speed stays in the
// benchmark. docs/size.md has the table and the rules.
//
// - The sign-in path: what a first sign-in loads. The entry's chunks (what
//   `import { CognitoAuth } from 'cognito-wasm'` loads up front), the
//   sign-in module's chunk (its glue, which index.js imports with the wasm)
//   and the sign-in wasm. Budget: 48,000 bytes (issue #12).
// - The account module: what comes after a sign-in (the refresh, the
//   revocation, the account calls): its chunk and its wasm, loaded on first
//   use. Its own budget.
// - The storage option's chunk (tabs.js) is loaded by a CognitoAuth with a
//   storage; an app without one never loads it.
// - Managed login (OAuth 2.0, issue #14): its JS is a chunk of its own
//   (oauth.js), loaded by its calls; its protocol (the PKCE maths, the
//   check of the way back, the token request and answer) is in the account
//   module, which the page a sign-in comes back to loads anyway (for the
//   refresh).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { bundleSplit } from '../../bench/lib/esbuild.mjs';
import { PACKAGE_DIR } from './support.mjs';

const SIGN_IN_BUDGET = 48_000;
// Managed login (#14) added 4,083 bytes (32,650 -> 36,733): the PKCE
// verifier, challenge and state (SHA-256, base64url), the check of the way
// back (state in constant time, the OAuth errors named), the token request
// and the reading of its answer.
const ACCOUNT_BUDGET = 37_000;

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const sum = (chunks) => chunks.reduce((total, chunk) => total + gzip(chunk), 0);
const text = (chunks) => chunks.map((chunk) => Buffer.from(chunk).toString()).join('\n');
const wasm = (path) => readFileSync(join(PACKAGE_DIR, path));

/**
 * The chunks of an app that imports CognitoAuth from the packed package: `{
 * eager, lazy, loads }` (bench/lib/esbuild.mjs). By path: a bare
 * 'cognito-wasm' would resolve to the repository itself (a package may import
 * itself by name, and tests/e2e/.work is inside it), so a file missing from
 * package.json's `files` would go unnoticed.
 */
const chunks = () =>
  bundleSplit({
    contents: `export { default as init, CognitoAuth } from ${JSON.stringify(join(PACKAGE_DIR, 'js/index.js'))};`,
    resolveDir: PACKAGE_DIR,
  });

/** What the dynamic import of the package's `js/<file>` loads. */
function loadsOf({ loads }, file) {
  const [, found] = Object.entries(loads).find(([path]) => path.endsWith(`js/${file}`)) ?? [];
  assert.ok(found, `the bundle imports js/${file} dynamically: ${Object.keys(loads)}`);
  return found;
}

test(`the sign-in path stays within its budget of ${SIGN_IN_BUDGET} bytes gzip`, async () => {
  const bundle = await chunks();
  const entry = sum(bundle.eager);
  const glue = sum(loadsOf(bundle, 'sign-in.js'));
  const module = gzip(wasm('pkg/cognito_wasm_bg.wasm'));
  const total = entry + glue + module;
  console.log(`sign-in path: ${total} bytes gzip (entry ${entry} + sign-in glue ${glue} + wasm ${module}); budget ${SIGN_IN_BUDGET}`);
  assert.ok(entry > 1_000 && glue > 500 && module > 10_000, 'the measurement found the entry, the glue and the module');
  assert.ok(total <= SIGN_IN_BUDGET, `the sign-in path grew to ${total} bytes gzip, past its budget of ${SIGN_IN_BUDGET}`);
});

test(`the account module stays within its budget of ${ACCOUNT_BUDGET} bytes gzip`, async () => {
  const account = sum(loadsOf(await chunks(), 'account.js'));
  const module = gzip(wasm('pkg/account/cognito_wasm_account_bg.wasm'));
  console.log(`account module: ${account + module} bytes gzip (chunk ${account} + wasm ${module}); budget ${ACCOUNT_BUDGET}`);
  assert.ok(account + module <= ACCOUNT_BUDGET, `the account module grew to ${account + module} bytes gzip, past its budget`);
});

test('the account calls are a module of their own, not loaded up front nor with a sign-in', async () => {
  const bundle = await chunks();
  // wasm-bindgen's glue defines the class AccountCalls, with its methods.
  const accountGlue = /takeAutoSignIn\(\)\{/;
  assert.match(text(loadsOf(bundle, 'account.js')), accountGlue, "the account chunk is the account module's glue");
  assert.doesNotMatch(text(bundle.eager), accountGlue, 'the chunks loaded up front carry none of the account glue');
  assert.doesNotMatch(text(loadsOf(bundle, 'sign-in.js')), accountGlue, 'the sign-in chunk carries none of the account glue');
  assert.match(text(loadsOf(bundle, 'account.js')), /cognito_wasm_account_bg\.wasm/, 'the account chunk knows where the account wasm is');
  // The operations only account calls send: named in the account wasm, not in the sign-in wasm.
  const signIn = wasm('pkg/cognito_wasm_bg.wasm');
  const account = wasm('pkg/account/cognito_wasm_account_bg.wasm');
  for (const operation of ['ChangePassword', 'UpdateUserAttributes', 'GetUserAttributeVerificationCode', 'DeleteUser',
    'GlobalSignOut', 'SetUserMFAPreference', 'ListDevices', 'UpdateDeviceStatus', 'ForgetDevice',
    'GetTokensFromRefreshToken', 'RevokeToken']) {
    assert.ok(!signIn.includes(operation), `the sign-in wasm does not name ${operation}`);
    assert.ok(account.includes(operation), `the account wasm names ${operation}`);
  }
});

test('a returning visit reads its tokens with the entry alone (and the storage chunk), no glue and no wasm', async () => {
  const bundle = await chunks();
  const storage = loadsOf(bundle, 'tabs.js');
  // wasm-bindgen's glue: its objects keep their wasm pointer in __wbg_ptr.
  const signInGlue = /__wbg_ptr/;
  assert.doesNotMatch(text(bundle.eager), signInGlue, 'the entry carries no sign-in glue');
  assert.doesNotMatch(text(storage), signInGlue, 'the storage chunk carries no sign-in glue');
  console.log(`before tokens: ${sum(bundle.eager)} bytes gzip (entry), + ${sum(storage)} with a storage (tabs.js)`);
});

test('managed login is a chunk of its own (oauth.js) and the account module, off the sign-in path', async () => {
  const bundle = await chunks();
  const oauth = text(loadsOf(bundle, 'oauth.js'));
  assert.match(oauth, /oauth2\/authorize/, 'the oauth chunk builds the authorize URL');
  assert.doesNotMatch(text(bundle.eager), /oauth2\/authorize/, 'the entry does not');
  assert.doesNotMatch(text(loadsOf(bundle, 'sign-in.js')), /oauth2\/authorize/, 'nor does the sign-in chunk');
  // The token request's grant type: in the account wasm, not in the sign-in wasm.
  assert.ok(wasm('pkg/account/cognito_wasm_account_bg.wasm').includes('authorization_code'), 'the account wasm redeems codes');
  assert.ok(!wasm('pkg/cognito_wasm_bg.wasm').includes('authorization_code'), 'the sign-in wasm does not');
  assert.ok(!wasm('pkg/cognito_wasm_bg.wasm').includes('OAuthStateError'), 'nor names its errors');
  console.log(`oauth chunk: ${sum(loadsOf(bundle, 'oauth.js'))} bytes gzip, loaded by signInWithRedirect, signInWithPopup, handleRedirect or signOut`);
});
