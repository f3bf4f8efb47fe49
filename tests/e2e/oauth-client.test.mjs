// Managed login from the client's side, in headless Chromium against the
// local endpoint's managed login (whose standard behaviour oauth-endpoint
// .test.mjs proves with oidc-client-ts): signInWithRedirect and the page the
// user comes back to (handleRedirect, `ready`), through the sign-in page and
// through the simulated ExampleIdP (a client with a secret: HTTP Basic),
// customState, a cancel at the IdP, a tampered state, a reused code, wrong
// redirect URIs, the sign-out redirect to /logout (and `{ oauth: false }`),
// the popup (and a closed one), two tabs sharing localStorage, and a
// refresh of the code grant's tokens. Our PKCE challenge is checked against
// Node's crypto. The app is a page of its own origin that imports the
// packed package by name.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { serveStatic } from '../../scripts/static-server.mjs';
import { startEndpoint } from './endpoint.mjs';
import { E2E, PACKAGE_DIR, assertNoPageErrors, assertNoWasmTrap, launchChromium, readJson, s256 } from './support.mjs';

const seed = readJson(join(E2E, 'seed-oauth.json'));
const [pool] = seed.userPools;
const [PUBLIC, SECRET] = pool.clients;
const ALICE = ['alice', 'Alice-Passw0rd!'];
const PENDING_KEY = (client) => `cognito-wasm.${client.clientId}.oauth`;

let dir; // the app's files and the seed, removed at the end
let app; // the app's origin: /app/ is its page (and its redirect URI)
let endpoint;
let browser;

// The app: `window.auth` made from config.js's options and the test's
// (localStorage `test.options`), its events, the outcome of handleRedirect
// after `ready`, and a button that starts signInWithPopup (a click: the
// popup needs a user gesture).
const PAGE = `<!doctype html>
<meta charset="utf-8"><title>oauth app</title><link rel="icon" href="data:,">
<script type="importmap">{"imports":{"cognito-wasm":"/cognito-wasm/js/index.js"}}</script>
<button id="popup">Sign in in a popup</button>
<script type="module">
  import { CognitoAuth } from 'cognito-wasm';
  import { base } from '/config.js';
  const options = { ...base, ...JSON.parse(localStorage.getItem('test.options') ?? '{}') };
  options.oauth = { ...base.oauth, ...options.oauth };
  const settle = (promise) =>
    promise.then((result) => ({ result }), (error) => ({ error: { name: error.name, message: error.message } }));
  window.events = [];
  const auth = (window.auth = new CognitoAuth(options));
  auth.onChange(({ event }) => window.events.push(event));
  window.outcome = settle(auth.ready.then(() => auth.handleRedirect()));
  window.settle = settle;
  document.getElementById('popup').onclick = () => (window.popupOutcome = settle(auth.signInWithPopup(window.popupInput)));
  // The URL the page loaded with (before handleRedirect cleans it).
  window.appReady = location.href;
</script>`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oauth-client-'));
  await mkdir(join(dir, 'app'));
  await writeFile(join(dir, 'app/index.html'), PAGE);
  app = await serveStatic({ '/': dir, '/cognito-wasm/': PACKAGE_DIR });
  for (const client of pool.clients) {
    client.callbackUrls = [`${app.url}/app/`];
    client.logoutUrls = [`${app.url}/app/`];
    client.explicitAuthFlows = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
  }
  await writeFile(join(dir, 'seed.json'), JSON.stringify(seed));
  endpoint = await startEndpoint(join(dir, 'seed.json'));
  const base = {
    userPoolId: pool.id,
    clientId: PUBLIC.clientId,
    endpoint: endpoint.url,
    oauth: {
      domain: endpoint.url,
      scopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
      redirectSignIn: [`${app.url}/app/`],
      redirectSignOut: [`${app.url}/app/`],
      responseType: 'code',
    },
  };
  await writeFile(join(dir, 'config.js'), `export const base = ${JSON.stringify(base)};`);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await endpoint?.stop();
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A page of the app in `context`, with `options` over config.js's; its uncaught errors go to `page.problems`. */
async function openApp(context, options = {}) {
  const page = await context.newPage();
  page.problems = { pageErrors: [], consoleErrors: [] };
  page.on('pageerror', (error) => page.problems.pageErrors.push(`${error.name}: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && page.problems.consoleErrors.push(message.text()));
  await page.addInitScript(
    ([origin, options]) => location.origin === origin && localStorage.setItem('test.options', options),
    [app.url, JSON.stringify(options)],
  );
  await page.goto(`${app.url}/app/`);
  await page.waitForFunction(() => window.appReady);
  return page;
}

const isCallback = (request) => request.isNavigationRequest() && request.url().startsWith(`${app.url}/app/?`);

/** Per page: where the record signInWithRedirect keeps goes (see startRedirect). */
const keptRecords = new WeakMap();

/**
 * Calls signInWithRedirect(input) in the page (not awaited there: the page
 * navigates, and may do so before an evaluate could return). Resolves to
 * the authorize URL it went to and the record it kept in sessionStorage,
 * which the page hands out (a binding) as it writes it: handleRedirect
 * removes it later.
 */
async function startRedirect(page, input) {
  if (!keptRecords.has(page)) {
    const kept = {};
    keptRecords.set(page, kept);
    await page.exposeFunction('oauthRecordKept', (record, error) => (error ? kept.reject(new Error(error)) : kept.resolve(record)));
  }
  const kept = keptRecords.get(page);
  const record = new Promise((resolve, reject) => Object.assign(kept, { resolve, reject }));
  const authorize = page.waitForRequest((request) => request.url().startsWith(`${endpoint.url}/oauth2/authorize?`));
  await page.evaluate((input) => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      if (this === sessionStorage && key.endsWith('.oauth')) window.oauthRecordKept(value, null);
      return setItem.call(this, key, value);
    };
    window.auth.signInWithRedirect(input).catch((error) => window.oauthRecordKept(null, `${error.name}: ${error.message}`));
  }, input);
  const pending = await record;
  return { authorize: new URL((await authorize).url()), pending: JSON.parse(pending) };
}

/** Signs in on the endpoint's sign-in page. */
async function signInOnPage(page, [username, password] = ALICE) {
  await page.waitForURL(`${endpoint.url}/login?**`);
  await page.fill('#signInFormUsername', username);
  await page.fill('#signInFormPassword', password);
  await page.click('#signInSubmitButton');
}

/** The app's page once back from managed login at `callback` (a request): its handleRedirect outcome. */
async function backAt(page, callback) {
  const url = (await callback).url();
  await page.waitForFunction((url) => window.appReady === url, url);
  return { url, outcome: await page.evaluate(() => window.outcome) };
}

/** The page's session: the user, the events, the tokens. */
const sessionOf = (page) =>
  page.evaluate(() => {
    const tokens = window.auth.tokens;
    return { user: tokens?.idTokenClaims?.['cognito:username'] ?? null, events: window.events, tokens, url: location.href };
  });

/** The token endpoint's answer to a refresh of `refreshToken`, as Node sends it. */
async function tokenRefresh(client, refreshToken) {
  const response = await fetch(`${endpoint.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: client.clientId, refresh_token: refreshToken }),
  });
  return { status: response.status, body: await response.json() };
}

describe('signInWithRedirect and handleRedirect', () => {
  test("the sign-in page: PKCE as Node's crypto computes it, customState, a clean URL, a refresh, a reused code, and the sign-out redirect", async () => {
    const context = await browser.newContext();
    const page = await openApp(context);
    assert.deepEqual(await page.evaluate(() => window.outcome), { result: { isSignedIn: false } }, 'no code: nothing to do');

    const callback = page.waitForRequest(isCallback);
    const { authorize, pending } = await startRedirect(page, { customState: 'cart=42&x', options: { nonce: 'n-0001', lang: 'en' } });
    const sent = authorize.searchParams;
    assert.equal(`${authorize.origin}${authorize.pathname}`, `${endpoint.url}/oauth2/authorize`);
    assert.equal(sent.get('response_type'), 'code');
    assert.equal(sent.get('client_id'), PUBLIC.clientId);
    assert.equal(sent.get('redirect_uri'), `${app.url}/app/`);
    assert.equal(sent.get('scope'), 'openid email profile aws.cognito.signin.user.admin');
    assert.equal(sent.get('nonce'), 'n-0001');
    assert.equal(sent.get('lang'), 'en');
    assert.equal(sent.has('identity_provider'), false, 'no provider: the managed login page');
    assert.equal(sent.get('state'), pending.state);
    assert.match(pending.state, /^[A-Za-z0-9_-]{22}$/, '128 random bits, base64url');
    assert.match(pending.codeVerifier, /^[A-Za-z0-9_-]{43}$/, 'RFC 7636 4.1: 43 unreserved characters');
    assert.equal(sent.get('code_challenge_method'), 'S256');
    assert.equal(sent.get('code_challenge'), s256(pending.codeVerifier), "the challenge is Node's S256 of the verifier");
    assert.equal(pending.customState, 'cart=42&x');

    await signInOnPage(page);
    const { url: callbackUrl, outcome } = await backAt(page, callback);
    assert.deepEqual(outcome, { result: { isSignedIn: true, customState: 'cart=42&x' } });
    const signedIn = await sessionOf(page);
    assert.equal(signedIn.user, 'alice');
    assert.equal(signedIn.tokens.idTokenClaims.nonce, 'n-0001');
    assert.equal(signedIn.tokens.accessTokenClaims.scope, 'openid email profile aws.cognito.signin.user.admin');
    assert.deepEqual(signedIn.events, ['signedIn']);
    assert.equal(signedIn.url, `${app.url}/app/`, 'code and state are gone from the URL');
    assert.equal(await page.evaluate((key) => sessionStorage.getItem(key), PENDING_KEY(PUBLIC)), null, 'the state and verifier are used up');
    // Idempotent: the same outcome again; a second instance finds nothing to do.
    const again = await page.evaluate(async () => {
      const { CognitoAuth } = await import('cognito-wasm');
      const other = new CognitoAuth({ userPoolId: 'us-east-1_Other', clientId: 'x', oauth: { domain: 'x.example', redirectSignIn: 'y' } });
      return [await window.auth.handleRedirect(), await other.handleRedirect(), window.events.length];
    });
    assert.deepEqual(again, [{ isSignedIn: true, customState: 'cart=42&x' }, { isSignedIn: false }, 1]);

    // The code grant's tokens refresh through the same path as SRP's.
    const refreshed = await page.evaluate(async () => {
      const before = window.auth.tokens.accessToken;
      const { tokens } = await window.auth.fetchSession({ forceRefresh: true });
      return { changed: tokens.accessToken !== before, scope: tokens.accessTokenClaims.scope, events: window.events };
    });
    assert.deepEqual(refreshed, { changed: true, scope: 'openid email profile aws.cognito.signin.user.admin', events: ['signedIn', 'tokenRefresh'] });

    // The code is single use: the same redirect again, with its state kept, is an OAuthCodeError.
    const reused = page.waitForRequest(isCallback);
    await page.evaluate(([key, pending]) => sessionStorage.setItem(key, pending), [PENDING_KEY(PUBLIC), JSON.stringify(pending)]);
    await page.goto(callbackUrl);
    const second = await backAt(page, reused);
    assert.equal(second.outcome.error?.name, 'OAuthCodeError', JSON.stringify(second.outcome));
    assert.match(second.outcome.error.message, /invalid_grant/);
    assert.equal((await sessionOf(page)).user, null, 'nothing half-signed-in');

    // signOut({ oauth: false }) stays on the page: the managed-login session
    // goes on, and the next sign-in needs no form.
    const quick = page.waitForRequest(isCallback);
    await startRedirect(page, {});
    const { outcome: quickOutcome } = await backAt(page, quick);
    assert.equal(quickOutcome.result?.isSignedIn, true, JSON.stringify(quickOutcome));
    const refreshToken = (await sessionOf(page)).tokens.refreshToken;
    await page.evaluate(() => window.auth.signOut({ oauth: false }));
    assert.equal(page.url(), `${app.url}/app/`);
    assert.deepEqual((await tokenRefresh(PUBLIC, refreshToken)).body.error, 'invalid_grant', 'signOut revoked the refresh token');
    const silent = page.waitForRequest(isCallback);
    await startRedirect(page, {});
    assert.equal((await backAt(page, silent)).outcome.result?.isSignedIn, true, 'signed in again by the live managed-login session');

    // signOut() goes to /logout with client_id and logout_uri, and back.
    const logout = page.waitForRequest((request) => request.url().startsWith(`${endpoint.url}/logout?`));
    const home = page.waitForRequest((request) => request.isNavigationRequest() && request.url() === `${app.url}/app/`);
    page.evaluate(() => window.auth.signOut()).catch(() => {}); // the page navigates away
    const logoutUrl = new URL((await logout).url());
    assert.deepEqual(Object.fromEntries(logoutUrl.searchParams), { client_id: PUBLIC.clientId, logout_uri: `${app.url}/app/` });
    await home;
    await page.waitForFunction((url) => window.appReady === url, `${app.url}/app/`);
    // The managed-login session ended: the next sign-in shows the form.
    await startRedirect(page, {});
    await page.waitForURL(`${endpoint.url}/login?**`);
    assertNoWasmTrap(page.problems);
    assertNoPageErrors(page.problems);
    await context.close();
  });

  test('ExampleIdP with a secret client: HTTP Basic at the token endpoint, a federated user, and a refresh with SECRET_HASH', async () => {
    const context = await browser.newContext();
    const page = await openApp(context, {
      clientId: SECRET.clientId,
      clientSecret: SECRET.clientSecret,
      oauth: { scopes: ['openid', 'email', 'profile'] },
    });
    const tokenRequests = [];
    page.on('request', (request) => request.url() === `${endpoint.url}/oauth2/token` && tokenRequests.push(request));
    const callback = page.waitForRequest(isCallback);
    const { authorize } = await startRedirect(page, { provider: { custom: 'ExampleIdP' } });
    assert.equal(authorize.searchParams.get('identity_provider'), 'ExampleIdP');
    await page.waitForURL(`${endpoint.url}/idp/${pool.id}/ExampleIdP/authorize?**`);
    await page.fill('#idpUsername', 'jane');
    await page.fill('#idpPassword', 'Jane-IdP-Passw0rd');
    await page.click('#idpSignIn');
    const { outcome } = await backAt(page, callback);
    assert.equal(outcome.result?.isSignedIn, true, JSON.stringify(outcome));
    assert.equal(outcome.result.customState, undefined);
    const { user, tokens } = await sessionOf(page);
    assert.equal(user, 'ExampleIdP_idp-sub-jane');
    assert.equal(tokens.idTokenClaims.identities[0].providerName, 'ExampleIdP');
    assert.equal(tokenRequests.length, 1);
    const [sent] = tokenRequests;
    const basic = Buffer.from(`${SECRET.clientId}:${SECRET.clientSecret}`).toString('base64');
    assert.equal(sent.headers().authorization, `Basic ${basic}`);
    const form = new URLSearchParams(sent.postData());
    assert.deepEqual([...form.keys()], ['grant_type', 'client_id', 'code', 'redirect_uri', 'code_verifier']);
    assert.equal(sent.headers()['content-type'], 'application/x-www-form-urlencoded');
    const refreshed = await page.evaluate(async () => {
      const before = window.auth.tokens.accessToken;
      const { tokens } = await window.auth.fetchSession({ forceRefresh: true });
      return tokens.accessToken !== before && tokens.idTokenClaims['cognito:username'];
    });
    assert.equal(refreshed, 'ExampleIdP_idp-sub-jane');
    assertNoPageErrors(page.problems);
    await context.close();
  });

  test('a cancel at the IdP (idp_identifier) is an OAuthCancelledError, and the instance signs in with SRP after it', async () => {
    const context = await browser.newContext();
    const page = await openApp(context);
    const callback = page.waitForRequest(isCallback);
    const { authorize } = await startRedirect(page, { provider: { idpIdentifier: 'example.com' } });
    assert.equal(authorize.searchParams.get('idp_identifier'), 'example.com');
    await page.waitForURL(`${endpoint.url}/idp/${pool.id}/ExampleIdP/authorize?**`);
    await page.click('#idpCancel');
    const { url, outcome } = await backAt(page, callback);
    assert.equal(new URL(url).searchParams.get('error'), 'access_denied');
    assert.deepEqual(outcome, {
      error: { name: 'OAuthCancelledError', message: 'the sign-in was cancelled (access_denied: "The user cancelled the sign-in.")' },
    });
    const after = await sessionOf(page);
    assert.deepEqual([after.user, after.events, after.url], [null, [], `${app.url}/app/`]);
    // Still usable; and an SRP session's signOut stays on the page (no managed-login session to end).
    const srp = await page.evaluate(async ([username, password]) => {
      const { isSignedIn } = await window.auth.signIn({ username, password });
      await window.auth.signOut();
      return { isSignedIn, url: location.href, events: window.events };
    }, ALICE);
    assert.deepEqual(srp, { isSignedIn: true, url: `${app.url}/app/`, events: ['signedIn', 'signedOut'] });
    assertNoPageErrors(page.problems);
    await context.close();
  });

  test('a tampered state is an OAuthStateError: the code is not redeemed, nothing is signed in', async () => {
    const context = await browser.newContext();
    const page = await openApp(context);
    const tokenCalls = [];
    page.on('request', (request) => request.url().startsWith(`${endpoint.url}/oauth2/token`) && tokenCalls.push(request.url()));
    // The way back, changed on the wire: the state of someone else's sign-in
    // in the sign-in page's redirect (a redirect's target is not routed).
    await page.route(`${endpoint.url}/login?**`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const response = await route.fetch({ maxRedirects: 0 });
      const back = new URL(response.headers().location);
      back.searchParams.set('state', 'forged-state-0000000000');
      return route.fulfill({ response, headers: { ...response.headers(), location: back.href } });
    });
    await startRedirect(page, {});
    await signInOnPage(page);
    await page.waitForFunction(() => window.appReady?.includes('state=forged'));
    const outcome = await page.evaluate(() => window.outcome);
    assert.equal(outcome.error?.name, 'OAuthStateError', JSON.stringify(outcome));
    assert.match(outcome.error.message, /does not carry the state of the sign-in started here/);
    assert.deepEqual(tokenCalls, [], 'no token request');
    const after = await sessionOf(page);
    assert.deepEqual([after.user, after.events, after.url], [null, [], `${app.url}/app/`]);
    // A link with a code but no sign-in started in this tab.
    const stray = page.waitForRequest(isCallback);
    await page.goto(`${app.url}/app/?code=abc&state=def`);
    const { outcome: strayOutcome } = await backAt(page, stray);
    assert.equal(strayOutcome.error?.name, 'OAuthStateError');
    assert.match(strayOutcome.error.message, /no managed-login sign-in was started in this tab/);
    await context.close();
  });

  test('redirect URIs: one the app client does not list ends at the error page; none on this origin is a ValidationError', async () => {
    const context = await browser.newContext();
    const page = await openApp(context, { oauth: { redirectSignIn: ['https://elsewhere.example/', `${app.url}/unlisted/`] } });
    await startRedirect(page, {});
    await page.waitForURL(`${endpoint.url}/error?**`);
    assert.equal(new URL(page.url()).searchParams.get('error'), 'redirect_mismatch');
    const other = await openApp(context, { oauth: { redirectSignIn: 'https://elsewhere.example/' } });
    const refused = await other.evaluate(() => window.settle(window.auth.signInWithRedirect()));
    assert.equal(refused.error?.name, 'ValidationError');
    assert.match(refused.error.message, /^oauth\.redirectSignIn has no URL on this page's origin \(http:\/\/127\.0\.0\.1:\d+\)/);
    assert.equal(other.url(), `${app.url}/app/`, 'the page stayed');
    await context.close();
  });

  test('bad options and input are ValidationErrors before anything is sent', async () => {
    const context = await browser.newContext();
    const page = await openApp(context);
    const errors = await page.evaluate(async () => {
      const { CognitoAuth } = await import('cognito-wasm');
      const make = (oauth) => new CognitoAuth({ userPoolId: 'us-east-1_Pool', clientId: 'c', oauth });
      const name = (promise) => promise.then(() => 'resolved', (error) => `${error.name}: ${error.message}`);
      return [
        await name(new CognitoAuth({ userPoolId: 'us-east-1_Pool', clientId: 'c' }).signInWithRedirect()),
        await name(make({ domain: 'auth.example.com/path', redirectSignIn: location.href }).signInWithRedirect()),
        await name(make({ domain: 'a.example', redirectSignIn: location.href, responseType: 'token' }).signInWithRedirect()),
        await name(make({ domain: 'a.example', redirectSignIn: location.href, scopes: 'openid' }).signInWithRedirect()),
        await name(window.auth.signInWithRedirect({ provider: 'MySpace' })),
        await name(window.auth.signInWithRedirect({ provider: 'Google', options: { nonce: 1 } })),
        location.href,
      ];
    });
    assert.deepEqual(errors.slice(0, 6).map((e) => e.split(':')[0]), Array(6).fill('ValidationError'));
    assert.match(errors[0], /managed login needs the oauth option/);
    assert.match(errors[1], /oauth\.domain "auth\.example\.com\/path" is not a host name/);
    assert.match(errors[2], /oauth\.responseType must be 'code'/);
    assert.match(errors[3], /oauth\.scopes must be an array/);
    assert.match(errors[4], /provider must be 'Google', 'Facebook', 'Amazon', 'Apple'/);
    assert.match(errors[5], /options\.nonce must be a string/);
    assert.equal(errors[6], `${app.url}/app/`);
    await context.close();
  });
});

describe('signInWithPopup', () => {
  test('signs in in a popup, resolving in the opener with customState; the popup is closed', async () => {
    const context = await browser.newContext();
    const page = await openApp(context);
    await page.evaluate(() => (window.popupInput = { customState: 'from-popup' }));
    const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#popup')]);
    await signInOnPage(popup);
    const outcome = await page.evaluate(() => window.popupOutcome);
    assert.deepEqual(outcome, { result: { isSignedIn: true, customState: 'from-popup' } });
    await popup.waitForEvent('close', { timeout: 5_000 }).catch(() => {});
    assert.equal(popup.isClosed(), true, 'the popup was closed');
    const { user, events, url } = await sessionOf(page);
    assert.deepEqual([user, events, url], ['alice', ['signedIn'], `${app.url}/app/`]);
    assertNoPageErrors(page.problems);
    await context.close();
  });

  test('a popup closed before the end is an OAuthPopupClosedError', async () => {
    const context = await browser.newContext();
    const page = await openApp(context);
    const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#popup')]);
    await popup.waitForURL(`${endpoint.url}/login?**`);
    await popup.close();
    const outcome = await page.evaluate(() => window.popupOutcome);
    assert.equal(outcome.error?.name, 'OAuthPopupClosedError', JSON.stringify(outcome));
    const { user, events } = await sessionOf(page);
    assert.deepEqual([user, events], [null, []]);
    await context.close();
  });
});

test("two tabs with storage 'localStorage': the second follows the redirect sign-in and the sign-out", async () => {
  const context = await browser.newContext();
  const first = await openApp(context, { storage: 'localStorage' });
  const second = await openApp(context, { storage: 'localStorage' });
  const callback = first.waitForRequest(isCallback);
  await startRedirect(first, {});
  await signInOnPage(first);
  assert.equal((await backAt(first, callback)).outcome.result?.isSignedIn, true);
  await second.waitForFunction(() => window.events.includes('signedIn'), null, { timeout: 5_000 });
  const [a, b] = [await sessionOf(first), await sessionOf(second)];
  assert.equal(b.user, 'alice');
  assert.equal(b.tokens.accessToken, a.tokens.accessToken);
  await first.evaluate(() => window.auth.signOut({ oauth: false }));
  await second.waitForFunction(() => window.events.includes('signedOut'), null, { timeout: 5_000 });
  assert.equal((await sessionOf(second)).user, null);
  await context.close();
});

test('Node: managed login needs a browser page (ValidationError), and handleRedirect has nothing to do', async () => {
  const { CognitoAuth } = await import(join(PACKAGE_DIR, 'js/index.js'));
  const auth = new CognitoAuth({
    userPoolId: pool.id,
    clientId: PUBLIC.clientId,
    oauth: { domain: 'auth.example.com', redirectSignIn: 'https://app.example/' },
  });
  await auth.ready;
  assert.deepEqual(await auth.handleRedirect(), { isSignedIn: false });
  for (const call of [() => auth.signInWithRedirect(), () => auth.signInWithPopup()]) {
    await assert.rejects(call(), { name: 'ValidationError', message: /needs a browser page/ });
  }
  auth.free();
});
