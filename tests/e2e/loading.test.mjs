// What loads when, and what goes over the network, in headless Chromium
// (issue #17), read from the page's requests and the CDP Network events:
// - a whole SRP sign-in makes at most one CORS preflight (no fetch option
//   that defeats Chromium's preflight cache; the endpoint allows the cache
//   with Access-Control-Max-Age, as the service does);
// - a returning visit reads its stored tokens without any wasm, and without
//   the sign-in or account module's JS;
// - the sign-in wasm's download starts beside its glue's, not after it, and
//   `prefetch()` loads the module the session needs next, once;
// - README's script preloads the sign-in wasm with the HTML when signed out,
//   the sign-in takes the preloaded answer, and a signed-in visit fetches none.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { signedOutPreload } from '../../scripts/preload-snippet.mjs';
import { startEndpoint } from './endpoint.mjs';
import { SESSIONS_CLIENT as CLIENT, SESSIONS_POOL as POOL, SESSIONS_SEED as SEED } from './support.mjs';
import { assertNoPageErrors, launchChromium, openHarness, serveHarness } from './support.mjs';

const USER = { username: 'sam', password: 'Sam-Passw0rd!' };

let endpoint;
let site;
let browser;
before(async () => {
  endpoint = await startEndpoint(SEED);
  site = await serveHarness();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await site?.close();
  await endpoint?.stop();
});

/** A harness page (at `path`) in a fresh context (no HTTP or preflight cache, no storage), recording the paths it requests. */
async function freshPage(path) {
  const context = await browser.newContext();
  const requested = [];
  context.on('request', (request) => requested.push(new URL(request.url()).pathname));
  const opened = await openHarness(context, site.url, path);
  return { ...opened, context, requested };
}

const options = () => ({ userPoolId: POOL, clientId: CLIENT, endpoint: endpoint.url, storage: 'localStorage' });

test('Chromium: a whole SRP sign-in, refresh and sign-out make one CORS preflight', async () => {
  const { page, context, problems } = await freshPage();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const toEndpoint = [];
    cdp.on('Network.requestWillBeSent', ({ request }) => {
      if (request.url.startsWith(endpoint.url)) toEndpoint.push(request.method);
    });
    const signedIn = await page.evaluate(
      async ({ options, user }) => {
        const { CognitoAuth } = await import('cognito-wasm');
        const auth = new CognitoAuth(options);
        const { isSignedIn } = await auth.signIn(user);
        await auth.fetchSession({ forceRefresh: true });
        await auth.signOut();
        return isSignedIn;
      },
      { options: options(), user: USER },
    );
    assert.equal(signedIn, true);
    const calls = toEndpoint.filter((method) => method === 'POST').length;
    const preflights = toEndpoint.filter((method) => method === 'OPTIONS').length;
    // InitiateAuth, RespondToAuthChallenge, the refresh, RevokeToken.
    assert.ok(calls >= 4, `the sign-in, refresh and sign-out went to the endpoint: ${toEndpoint}`);
    assert.equal(preflights, 1, `one preflight for ${calls} calls: ${toEndpoint}`);
    assertNoPageErrors(problems);
  } finally {
    await context.close();
  }
});

test('Chromium: a returning visit reads its tokens with no wasm and no module JS', async () => {
  const { page, context, requested, problems } = await freshPage();
  try {
    const first = await page.evaluate(
      async ({ options, user }) => {
        const { CognitoAuth } = await import('cognito-wasm');
        const auth = new CognitoAuth(options);
        await auth.signIn(user);
        return auth.tokens.accessToken;
      },
      { options: options(), user: USER },
    );
    assert.ok(requested.includes('/cognito-wasm/pkg/cognito_wasm_bg.wasm'), 'the first visit loaded the sign-in module');
    requested.length = 0;
    await page.reload();
    await page.waitForFunction(() => window.harness?.ready);
    const returning = await page.evaluate(async (options) => {
      const { CognitoAuth } = await import('cognito-wasm');
      const auth = new CognitoAuth(options);
      await auth.ready;
      return { accessToken: auth.tokens?.accessToken, session: (await auth.fetchSession()).tokens?.accessToken };
    }, options());
    assert.equal(returning.accessToken, first, 'the returning visit has the stored tokens');
    assert.equal(returning.session, first, 'fetchSession with valid tokens gives them without a refresh');
    const modules = requested.filter((path) => path.endsWith('.wasm') || /\/(sign-in|account)\.js$|\/pkg\//.test(path));
    assert.deepEqual(modules, [], `the returning visit loaded no module: ${requested}`);
    assert.ok(requested.includes('/cognito-wasm/js/tabs.js'), `the storage's chunk was loaded: ${requested}`);
    assertNoPageErrors(problems);
  } finally {
    await context.close();
  }
});

test("Chromium: the sign-in wasm's download starts while its glue is still loading; prefetch() loads it once", async () => {
  const { page, context, requested, problems } = await freshPage();
  try {
    // Hold the sign-in glue until the wasm has been requested (10 s at most:
    // a loader that waited for the glue before fetching the wasm gets it then).
    let wasmRequested;
    const wasmSeen = new Promise((resolve) => (wasmRequested = resolve));
    context.on('request', (request) => request.url().endsWith('/cognito_wasm_bg.wasm') && wasmRequested(true));
    let wasmBeforeGlue;
    await context.route('**/pkg/cognito_wasm.js', async (route) => {
      wasmBeforeGlue = await Promise.race([wasmSeen, new Promise((resolve) => setTimeout(resolve, 10_000, false))]);
      await route.continue();
    });
    const result = await page.evaluate(
      async ({ options, user }) => {
        const { CognitoAuth } = await import('cognito-wasm');
        localStorage.clear();
        const auth = new CognitoAuth(options);
        await auth.prefetch();
        await auth.prefetch();
        return (await auth.signIn(user)).isSignedIn;
      },
      { options: options(), user: USER },
    );
    assert.equal(result, true);
    assert.equal(wasmBeforeGlue, true, 'the wasm was requested while the glue was held');
    assert.equal(requested.filter((path) => path.endsWith('/cognito_wasm_bg.wasm')).length, 1, `the sign-in wasm was fetched once: ${requested}`);
    assert.ok(!requested.some((path) => path.includes('/pkg/account/')), 'prefetch() when signed out loads only the sign-in module');
    assertNoPageErrors(problems);
  } finally {
    await context.close();
  }
});

test("Chromium: README's preload script fetches the sign-in wasm with the HTML when signed out, the sign-in takes it, and a signed-in visit fetches none", async () => {
  const WASM = '/cognito-wasm/pkg/cognito_wasm_bg.wasm';
  // The harness page as an app's page would have it, the script first in its
  // head; served by the site (a page Playwright made up would be refused the
  // loopback endpoint by Chromium's local network access checks).
  const harness = readFileSync(new URL('./harness/index.html', import.meta.url), 'utf8');
  const html = harness.replace('<link rel="icon"', `${signedOutPreload({ clientId: CLIENT, wasmUrl: WASM })}\n  <link rel="icon"`);
  writeFileSync(new URL('./.work/preload.html', import.meta.url), html);
  const { page, context, requested, problems } = await freshPage('/e2e/.work/preload.html');
  const fetchedWasm = () => requested.filter((path) => path === WASM).length;
  try {
    assert.equal(fetchedWasm(), 1, `signed out, the page fetched the wasm before any call: ${requested}`);
    const signedIn = await page.evaluate(
      async ({ options, user }) => {
        const { CognitoAuth } = await import('cognito-wasm');
        return (await new CognitoAuth(options).signIn(user)).isSignedIn;
      },
      { options: options(), user: USER },
    );
    assert.equal(signedIn, true);
    assert.equal(fetchedWasm(), 1, `the sign-in took the preloaded wasm: ${requested}`);

    requested.length = 0;
    await page.reload();
    await page.waitForFunction(() => window.harness?.ready);
    const restored = await page.evaluate(async (options) => {
      const { CognitoAuth } = await import('cognito-wasm');
      const auth = new CognitoAuth(options);
      await auth.ready;
      const restored = Boolean(auth.tokens);
      await auth.signOut();
      return restored;
    }, options());
    assert.equal(restored, true, 'the signed-in visit restored its session');
    assert.ok(requested.includes('/e2e/.work/preload.html') && fetchedWasm() === 0, `signed in, the page fetched no wasm: ${requested}`);

    requested.length = 0;
    await page.reload();
    await page.waitForFunction(() => window.harness?.ready);
    assert.equal(fetchedWasm(), 1, `signed out again, the page fetched the wasm: ${requested}`);
    assertNoPageErrors(problems);
  } finally {
    await context.close();
  }
});
