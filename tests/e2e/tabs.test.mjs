// Several tabs: two pages of one origin in one Chromium browser context, each
// with its own CognitoAuth on the real localStorage, against the local
// endpoint (seed-sessions.json). What one tab does (sign in, refresh, sign
// out) reaches the other with an onChange event, and refreshes take turns
// under a Web Lock, so that the endpoint sees one refresh for both.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startEndpoint } from './endpoint.mjs';
import { assertNoPageErrors, assertNoWasmTrap, launchChromium, openHarness, serveHarness } from './support.mjs';
import { SESSIONS_CLIENT as CLIENT, SESSIONS_POOL as POOL, SESSIONS_SEED as SEED } from './support.mjs';

let endpoint;
let site;
let browser;
let context;
const tabs = [];
/** The X-Amz-Target operations both pages sent, in order. */
let sent = [];

/** A page of the harness with `window.auth` (storage: 'localStorage') and `window.events`. */
async function openTab() {
  const { page, problems } = await openHarness(context, site.url);
  await page.evaluate(async (options) => {
    const { default: init, CognitoAuth } = await import('/cognito-wasm/js/index.js');
    await init();
    window.auth = new CognitoAuth({ ...options, storage: 'localStorage' });
    window.events = [];
    window.auth.onChange(({ event, tokens }) => window.events.push({ event, accessToken: tokens?.accessToken ?? null }));
    await window.auth.ready;
  }, { userPoolId: POOL, clientId: CLIENT, endpoint: endpoint.url });
  return { page, problems };
}

before(async () => {
  endpoint = await startEndpoint(SEED);
  site = await serveHarness();
  browser = await launchChromium();
  context = await browser.newContext();
  context.on('request', (request) => {
    const target = request.headers()['x-amz-target'];
    if (target) sent.push(target.split('.').pop());
  });
  tabs.push(await openTab(), await openTab());
  await tabs[0].page.evaluate(() => localStorage.clear());
});

after(async () => {
  await browser?.close();
  await site?.close();
  await endpoint?.stop();
});

const [A, B] = [0, 1];
const state = (tab) =>
  tabs[tab].page.evaluate(() => ({ tokens: window.auth.tokens && { ...window.auth.tokens }, events: window.events }));
const eventNames = async (tab) => (await state(tab)).events.map((e) => e.event);
const waitForEvent = (tab, name, count = 1) =>
  tabs[tab].page.waitForFunction(([name, count]) => window.events.filter((e) => e.event === name).length >= count, [name, count], {
    timeout: 5_000,
  });

test('a sign-in in tab A reaches tab B: B has the session and its listeners got signedIn', async () => {
  await tabs[A].page.evaluate(() => window.auth.signIn({ username: 'tabby', password: 'Tabby-Passw0rd!' }));
  await waitForEvent(B, 'signedIn');
  const [a, b] = [await state(A), await state(B)];
  assert.equal(b.tokens.accessToken, a.tokens.accessToken);
  assert.equal(b.tokens.refreshToken, a.tokens.refreshToken);
  assert.equal(b.tokens.idTokenClaims['cognito:username'], 'tabby');
  assert.deepEqual(b.events, [{ event: 'signedIn', accessToken: a.tokens.accessToken }]);
  assert.equal((await tabs[B].page.evaluate(() => window.auth.getCurrentUser())).username, 'tabby');
});

test('both tabs force refreshes at the same moment (5 calls each): one refresh request, the same valid tokens in both', async () => {
  const before = (await state(A)).tokens;
  sent = [];
  const refreshAll = () => Promise.all(Array.from({ length: 5 }, () => window.auth.fetchSession({ forceRefresh: true })));
  const [fromA, fromB] = await Promise.all([tabs[A].page.evaluate(refreshAll), tabs[B].page.evaluate(refreshAll)]);
  assert.deepEqual(sent, ['GetTokensFromRefreshToken'], 'the endpoint saw exactly one refresh');
  const accessTokens = new Set([...fromA, ...fromB].map((session) => session.tokens.accessToken));
  assert.equal(accessTokens.size, 1, 'every call in both tabs got the same tokens');
  const [a, b] = [await state(A), await state(B)];
  assert.notEqual(a.tokens.accessToken, before.accessToken);
  assert.notEqual(a.tokens.refreshToken, before.refreshToken, 'the refresh token rotated');
  assert.equal(b.tokens.accessToken, a.tokens.accessToken);
  assert.equal(b.tokens.refreshToken, a.tokens.refreshToken);
  // Each tab was told once (the one that refreshed, and the one that took its tokens).
  assert.deepEqual(await eventNames(A), ['signedIn', 'tokenRefresh']);
  assert.deepEqual(await eventNames(B), ['signedIn', 'tokenRefresh']);
  // The tokens are valid: the access token for GetUser, the rotated refresh token for a refresh.
  sent = [];
  assert.equal((await tabs[B].page.evaluate(() => window.auth.fetchUserAttributes())).email, 'tabby@example.com');
  const refreshedByA = await tabs[A].page.evaluate(async () => (await window.auth.fetchSession({ forceRefresh: true })).tokens.accessToken);
  await waitForEvent(B, 'tokenRefresh', 2);
  assert.equal((await state(B)).tokens.accessToken, refreshedByA, 'B took the refresh A made alone (storage event)');
  assert.deepEqual(sent, ['GetUser', 'GetTokensFromRefreshToken']);
});

test('a sign-out in tab A signs tab B out, with signedOut', async () => {
  sent = [];
  await tabs[A].page.evaluate(() => window.auth.signOut());
  await waitForEvent(B, 'signedOut');
  assert.equal((await state(B)).tokens, null);
  assert.deepEqual(await eventNames(B), ['signedIn', 'tokenRefresh', 'tokenRefresh', 'signedOut']);
  assert.deepEqual(await tabs[A].page.evaluate(() => Object.keys(localStorage)), []);
  assert.deepEqual(sent, ['RevokeToken'], 'B did not revoke or refresh anything');
  for (const { problems } of tabs) {
    assertNoWasmTrap(problems);
    assertNoPageErrors(problems);
  }
});
