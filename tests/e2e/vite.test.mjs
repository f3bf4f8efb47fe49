// The packed package in a Vite production build: `vite build` bundles an app
// that imports 'cognito-wasm' by name (the wasm file becomes an asset), and
// headless Chromium loads the built site and signs in against the local
// endpoint, then fetches the user's attributes (the account module, which the
// build splits off).
import assert from 'node:assert/strict';
import { cp, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'vite';
import { serveStatic } from '../../scripts/static-server.mjs';
import { startEndpoint } from './endpoint.mjs';
import { DEMO_SEED, E2E, assertNoPageErrors, launchChromium, openPage, readJson } from './support.mjs';

// Inside .work/ so that Vite resolves 'cognito-wasm' from .work/node_modules,
// where scripts/test.sh extracted the tarball.
const APP = join(E2E, '.work', 'vite-app');
const DIST = join(APP, 'dist');

let endpoint;
let site;
let browser;

before(async () => {
  await cp(join(E2E, 'vite-app'), APP, { recursive: true });
  await build({ root: APP, logLevel: 'warn', build: { outDir: DIST, emptyOutDir: true } });
  endpoint = await startEndpoint(DEMO_SEED);
  site = await serveStatic({ '/': DIST });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await site?.close();
  await endpoint?.stop();
});

test('vite build emits the wasm modules as assets, the account module in a chunk of its own', async () => {
  const assets = await readdir(join(DIST, 'assets'));
  // The account chunk is named after account.js, which imports the account glue.
  for (const module of [/^cognito_wasm_bg.*\.wasm$/, /^cognito_wasm_account_bg.*\.wasm$/, /^account.*\.js$/]) {
    assert.ok(
      assets.some((name) => module.test(name)),
      `no ${module} among the built assets: ${assets.join(', ')}`,
    );
  }
});

test('the built app signs in with the demo credentials, then makes an account call', async () => {
  const pool = readJson(DEMO_SEED).userPools[0];
  const demo = pool.users.find((u) => u.username === 'demo');
  const query = new URLSearchParams({
    pool: pool.id,
    client: pool.clients[0].clientId,
    endpoint: endpoint.url,
    user: demo.username,
    password: demo.password,
  });
  const { page, problems } = await openPage(browser, `${site.url}/?${query}`);
  await page.waitForFunction(() => document.getElementById('result').textContent !== 'pending', null, {
    timeout: 15_000,
  });
  assert.equal(await page.textContent('#result'), 'DONE demo demo@example.com');
  assertNoPageErrors(problems);
});
