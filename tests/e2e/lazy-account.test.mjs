// The account module is loaded when it is needed, not before: in headless
// Chromium, a page that signs in never requests pkg/account/ (its JS glue or
// its wasm); the first call after a sign-in (a refresh, a sign-out, an
// account call) loads both, once, and later calls reuse them.
// A module that cannot be fetched is a NetworkError, and the next call tries
// again. In Node, init's second argument places the account wasm.
// tabs.js (the machinery of tabs that share a storage) is lazy too: a page
// without a storage never requests it; one that cannot fetch it gets a
// NetworkError from a refresh, and the next refresh loads it.
// (size.test.mjs checks the same split in a bundler's output.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEndpoint } from './endpoint.mjs';
import { PACKAGE_DIR, assertNoPageErrors, assertNoWasmTrap, launchChromium, serveHarness } from './support.mjs';
import { SESSIONS_CLIENT as CLIENT, SESSIONS_POOL as POOL, SESSIONS_SEED as SEED } from './support.mjs';

let endpoint;
let site;
let browser;
let page;
const requested = [];
const problems = { pageErrors: [], consoleErrors: [] };

before(async () => {
  endpoint = await startEndpoint(SEED);
  site = await serveHarness();
  browser = await launchChromium();
  page = await browser.newPage();
  // Every request of the page, from its first.
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  page.on('pageerror', (error) => problems.pageErrors.push(`${error.name}: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && problems.consoleErrors.push(message.text()));
  await page.goto(`${site.url}/`);
  await page.waitForFunction(() => window.harness?.ready, null, { timeout: 10_000 });
});

after(async () => {
  await browser?.close();
  await site?.close();
  await endpoint?.stop();
});

const accountRequests = () => requested.filter((path) => path.startsWith('/cognito-wasm/pkg/account/'));

/**
 * Runs `body(page, restore)` on a fresh page of the harness site whose requests
 * matching `pattern` get `answer` (a route handler) until `restore()`.
 */
async function withoutFile(pattern, answer, body) {
  const page = await browser.newPage();
  try {
    await page.route(pattern, answer);
    await page.goto(`${site.url}/`);
    await body(page, () => page.unroute(pattern));
  } finally {
    await page.close();
  }
}

test('Chromium: signing in never requests the account module; the refresh and the sign-out after it load it once', async () => {
  const signedIn = await page.evaluate(async (options) => {
    const { default: init, CognitoAuth } = await import('/cognito-wasm/js/index.js');
    await init();
    window.auth = new CognitoAuth(options);
    return (await window.auth.signIn({ username: 'sam', password: 'Sam-Passw0rd!' })).isSignedIn;
  }, { userPoolId: POOL, clientId: CLIENT, endpoint: endpoint.url });
  assert.equal(signedIn, true);
  assert.ok(requested.includes('/cognito-wasm/pkg/cognito_wasm_bg.wasm'), `the sign-in wasm was fetched: ${requested}`);
  assert.deepEqual(accountRequests(), [], 'no request for the account module');
  // The refresh, the revocation and the account calls are the account
  // module's (what comes after a sign-in), so a returning visit needs no
  // sign-in module for them.
  const again = await page.evaluate(async () => {
    await window.auth.fetchSession({ forceRefresh: true });
    await window.auth.signOut();
    return (await window.auth.signIn({ username: 'sam', password: 'Sam-Passw0rd!' })).isSignedIn;
  });
  assert.equal(again, true);
  const loaded = accountRequests();
  assert.equal(loaded.filter((path) => path.endsWith('/cognito_wasm_account_bg.wasm')).length, 1, `the account wasm was fetched once: ${loaded}`);
  assert.equal(requested.filter((path) => path === '/cognito-wasm/pkg/cognito_wasm_bg.wasm').length, 1, 'the sign-in wasm was fetched once');
  assert.ok(!requested.includes('/cognito-wasm/js/tabs.js'), `no request for tabs.js without a storage: ${requested}`);
  assertNoPageErrors(problems);
});

test('Chromium: the first account call loads the account module, once', async () => {
  const email = await page.evaluate(async () => (await window.auth.fetchUserAttributes()).email);
  assert.equal(email, 'sam@example.com');
  const loaded = accountRequests();
  assert.ok(loaded.includes('/cognito-wasm/pkg/account/cognito_wasm_account.js'), `the account glue was loaded: ${loaded}`);
  assert.equal(loaded.filter((path) => path.endsWith('/cognito_wasm_account_bg.wasm')).length, 1, `the account wasm was fetched once: ${loaded}`);
  const user = await page.evaluate(async () => {
    const auth = window.auth;
    const current = await auth.getCurrentUser();
    await auth.signOut();
    return current.username;
  });
  assert.equal(user, 'sam');
  assert.deepEqual(accountRequests(), loaded, 'later account calls load nothing more');
  assertNoWasmTrap(problems);
  assertNoPageErrors(problems);
});

test('Chromium: an account module that cannot be fetched is a NetworkError; the next call loads it', async () => {
  await withoutFile('**/pkg/account/cognito_wasm_account_bg.wasm', (route) => route.abort(), async (other, restore) => {
    await other.waitForFunction(() => window.harness?.ready, null, { timeout: 10_000 });
    const failed = await other.evaluate(async (options) => {
      const { default: init, CognitoAuth } = await import('/cognito-wasm/js/index.js');
      await init();
      window.auth = new CognitoAuth(options);
      await window.auth.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
      return window.auth.fetchUserAttributes().then(
        () => 'resolved',
        (error) => `${error.name}: ${error.message}`,
      );
    }, { userPoolId: POOL, clientId: CLIENT, endpoint: endpoint.url });
    assert.match(failed, /^NetworkError: could not load the account module of cognito-wasm \(.+\); check the network, then call again$/);
    await restore();
    const email = await other.evaluate(async () => {
      const { email } = await window.auth.fetchUserAttributes();
      await window.auth.signOut();
      return email;
    });
    assert.equal(email, 'sam@example.com', 'the next call loaded the module');
  });
});

test('Chromium: a sign-in wasm that is not found makes init() a WasmLoadError naming its URL, one that cannot be fetched a NetworkError; the next init() loads it', async () => {
  const wasm = '**/pkg/cognito_wasm_bg.wasm';
  const notThere = (route) => route.fulfill({ status: 404, body: 'not here' });
  await withoutFile(wasm, notThere, async (other, restore) => {
    const init = () =>
      other.evaluate(async () => {
        const { default: init } = await import('/cognito-wasm/js/index.js');
        return init().then(
          () => 'resolved',
          (error) => `${error.name}: ${error.message}`,
        );
      });
    assert.match(
      await init(),
      /^WasmLoadError: cognito-wasm: the sign-in wasm is not at http:\/\/127\.0\.0\.1:\d+\/cognito-wasm\/pkg\/cognito_wasm_bg\.wasm \(HTTP 404\)\. .* import 'cognito-wasm\/sign-in\.wasm' as a file \(its URL\) and pass that URL: init\(url\) of 'cognito-wasm'\./,
    );
    await restore();
    await other.route(wasm, (route) => route.abort());
    assert.match(await init(), /^NetworkError: could not load the sign-in module of cognito-wasm \(TypeError: .+\); check the network, then call again$/);
    await other.unroute(wasm);
    assert.equal(await init(), 'resolved', 'the next init() loaded the module');
    const signIn = await other.evaluate(async () => {
      const { CognitoAuth } = await import('/cognito-wasm/js/index.js');
      return typeof new CognitoAuth({ userPoolId: 'us-east-1_x', clientId: 'c' }).signIn;
    });
    assert.equal(signIn, 'function', 'the module works after the retry');
  });
});

test('Chromium: a tabs.js that cannot be fetched makes a refresh with a storage a NetworkError; the next one loads it', async () => {
  await withoutFile('**/cognito-wasm/js/tabs.js', (route) => route.abort(), async (other, restore) => {
    await other.waitForFunction(() => window.harness?.ready, null, { timeout: 10_000 });
    const failed = await other.evaluate(async (options) => {
      const { default: init, CognitoAuth } = await import('/cognito-wasm/js/index.js');
      await init();
      localStorage.clear();
      window.auth = new CognitoAuth({ ...options, storage: 'localStorage' });
      await window.auth.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
      return window.auth.fetchSession({ forceRefresh: true }).then(
        () => 'resolved',
        (error) => `${error.name}: ${error.message}`,
      );
    }, { userPoolId: POOL, clientId: CLIENT, endpoint: endpoint.url });
    assert.match(failed, /^NetworkError: could not load the tabs module of cognito-wasm \(.+\); check the network, then call again$/);
    await restore();
    const refreshed = await other.evaluate(async () => {
      const before = window.auth.tokens.accessToken;
      await window.auth.fetchSession({ forceRefresh: true });
      const stored = JSON.parse(localStorage.getItem(`cognito-wasm.${window.auth.tokens.accessTokenClaims.client_id}.sam.session`));
      const after = window.auth.tokens.accessToken;
      await window.auth.signOut();
      return { changed: after !== before, stored: stored.accessToken === after };
    });
    assert.deepEqual(refreshed, { changed: true, stored: true }, 'the next refresh loaded tabs.js, refreshed and stored the tokens');
  });
});

test('Node: init(input, account) places the account wasm for hosts that serve it elsewhere', async () => {
  // A copy of the package whose account wasm has moved out of pkg/account/;
  // the app imports the entry that looks for it there (the `node` export
  // condition's entry, js/server.js, has it inside).
  const dir = mkdtempSync(join(tmpdir(), 'cognito-wasm-placed-'));
  try {
    const copy = join(dir, 'node_modules/cognito-wasm');
    cpSync(PACKAGE_DIR, copy, { recursive: true });
    mkdirSync(join(dir, 'cdn'));
    renameSync(join(copy, 'pkg/account/cognito_wasm_account_bg.wasm'), join(dir, 'cdn/account.wasm'));
    writeFileSync(
      join(dir, 'app.mjs'),
      `import init, { CognitoAuth } from './node_modules/cognito-wasm/js/index.js';
       import { readFile } from 'node:fs/promises';
       const placed = process.argv[2] === 'placed';
       await init(undefined, placed ? readFile(new URL('./cdn/account.wasm', import.meta.url)) : undefined);
       const auth = new CognitoAuth({ userPoolId: 'us-east-1_Pool', clientId: 'client', endpoint: 'http://127.0.0.1:9/' });
       const error = await auth.resetPassword({}).then(() => null, (e) => e);
       console.log(JSON.stringify({ name: error?.name, message: error?.message }));`,
    );
    const run = (how) => JSON.parse(execFileSync(process.execPath, [join(dir, 'app.mjs'), how], { encoding: 'utf8' }));
    // Loaded from where init was told: the call gets as far as checking its options.
    assert.deepEqual(run('placed'), { name: 'ValidationError', message: 'resetPassword: username is required' });
    // Not told: the module is looked for beside index.js, and is not there.
    const missing = run('default');
    assert.equal(missing.name, 'WasmLoadError');
    assert.match(missing.message, /^cognito-wasm: the account wasm is not at \/.*\/pkg\/account\/cognito_wasm_account_bg\.wasm \(no such file\)\. .*'cognito-wasm\/account\.wasm'.* init\(signIn, url\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
