// Sessions and accounts, end to end in Node: the packed package against the
// local endpoint (tests/e2e/seed-sessions.json). Every scenario of
// session-scenarios.mjs (sessions-browser.test.mjs runs the same ones in
// Chromium), then the tests of what only Node has here: custom storage
// objects, console.warn captured, two instances sharing storage without Web
// Locks. fetch is wrapped (recordRequests) to count the requests by operation.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import * as cognito from './.work/node_modules/cognito-wasm/js/index.js';
import { startEndpoint } from './endpoint.mjs';
import { SECRET_CLIENT, eventsOf, recordRequests, runSessionScenario, sessionScenarios } from './session-scenarios.mjs';
import { SESSIONS_CLIENT as CLIENT, SESSIONS_POOL as POOL, SESSIONS_SEED as SEED, readJson, unusedUrl } from './support.mjs';

const { CognitoAuth } = cognito;
const SECRET = 's3cretforthesessiontests000000000000000000000000000'; // SECRET_CLIENT's, in the seed

let endpoint;
let env;
let requests;

before(async () => {
  await cognito.default();
  endpoint = await startEndpoint(SEED);
  env = { seed: readJson(SEED), endpoint: endpoint.url, unreachableEndpoint: await unusedUrl() };
  requests = recordRequests();
});
after(async () => {
  globalThis.fetch = requests.realFetch;
  await endpoint?.stop();
});
beforeEach(() => {
  requests.sent = [];
  requests.intercept = null;
});

for (const { name } of sessionScenarios) {
  test(name, () => runSessionScenario(cognito, env, name));
}

const auth = (clientId = CLIENT, extra = {}) =>
  new CognitoAuth({ userPoolId: POOL, clientId, endpoint: endpoint.url, ...extra });

// ---- The `storage` option: custom storage objects (sync and async).

function syncStorage() {
  const map = new Map();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}
function asyncStorage() {
  const map = new Map();
  const later = (value) => new Promise((ok) => setTimeout(() => ok(value), 2));
  return {
    map,
    getItem: (k) => later(map.get(k) ?? null),
    setItem: (k, v) => later(map.set(k, v)).then(() => undefined),
    removeItem: (k) => later(map.delete(k)).then(() => undefined),
  };
}
const SESSION_KEY = `cognito-wasm.${CLIENT}.sam.session`;
const LAST_USER_KEY = `cognito-wasm.${CLIENT}.lastUser`;

async function captureWarnings(run) {
  const warnings = [];
  const realWarn = console.warn;
  console.warn = (...args) => warnings.push(args.join(' '));
  try {
    await run();
  } finally {
    console.warn = realWarn;
  }
  return warnings;
}

for (const [kind, make] of [['sync', syncStorage], ['async', asyncStorage]]) {
  test(`storage (${kind} object): sign-in saves, a new instance restores, refresh rewrites, signOut removes`, async () => {
    const storage = make();
    const a = auth(CLIENT, { storage });
    await a.ready;
    assert.equal(a.tokens, null);
    await a.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
    const b = auth(CLIENT, { storage });
    await b.ready;
    assert.equal(storage.map.get(LAST_USER_KEY), 'sam');
    assert.ok(storage.map.has(SESSION_KEY));
    assert.equal(b.tokens.accessToken, a.tokens.accessToken, 'the new instance restored the session');
    assert.equal(b.tokens.refreshToken, a.tokens.refreshToken);
    assert.equal(+b.tokens.expiresAt, +a.tokens.expiresAt);
    assert.equal(b.tokens.idTokenClaims['cognito:username'], 'sam');
    // The first async call waits for the restore, without `await ready`.
    const c = auth(CLIENT, { storage });
    assert.equal((await c.getCurrentUser()).username, 'sam');
    requests.sent = [];
    const { tokens } = await c.fetchSession({ forceRefresh: true });
    assert.deepEqual(requests.sent, ['GetTokensFromRefreshToken']);
    const d = auth(CLIENT, { storage });
    await d.ready;
    assert.equal(d.tokens.refreshToken, tokens.refreshToken, 'the rotated refresh token was stored');
    await d.signOut();
    assert.equal(storage.map.size, 0, 'signOut removed the session and lastUser');
    const e = auth(CLIENT, { storage });
    await e.ready;
    assert.equal(e.tokens, null);
    // Another app client's keys are apart.
    await e.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
    const f = new CognitoAuth({ userPoolId: POOL, clientId: SECRET_CLIENT, clientSecret: SECRET, endpoint: endpoint.url, storage });
    await f.ready;
    assert.equal(f.tokens, null);
    await e.signOut();
  });
}

test('storage: a corrupted or foreign value is ignored with a warning naming the key', async () => {
  for (const [lastUser, session] of [
    ['sam', '{not json'],
    ['sam', JSON.stringify({ accessToken: 'not-a-jwt', expiresAt: 1 })],
    ['sam', JSON.stringify({ hello: 'world' })],
    [42, null],
  ]) {
    const storage = syncStorage();
    storage.map.set(LAST_USER_KEY, lastUser);
    if (session !== null) storage.map.set(SESSION_KEY, session);
    let a;
    const warnings = await captureWarnings(async () => {
      a = auth(CLIENT, { storage });
      await a.ready;
    });
    assert.equal(a.tokens, null);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.ok(warnings[0].includes(session === null ? LAST_USER_KEY : SESSION_KEY), warnings[0]);
    // The instance still works, and a sign-in overwrites the bad value.
    await a.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
    const b = auth(CLIENT, { storage });
    await b.ready;
    assert.equal(b.tokens.accessToken, a.tokens.accessToken);
    await b.signOut();
  }
  // A storage whose getItem throws: a warning, no session.
  const broken = { getItem: () => { throw new Error('quota'); }, setItem() {}, removeItem() {} };
  const warnings = await captureWarnings(async () => await auth(CLIENT, { storage: broken }).ready);
  assert.equal(warnings.length, 1);
  assert.ok(warnings[0].includes(LAST_USER_KEY));
});

test("storage: a signIn started before the restore ends wins; bad storage options are a ValidationError", async () => {
  const storage = asyncStorage();
  const first = auth(CLIENT, { storage });
  await first.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
  await first.ready;
  const stored = first.tokens.accessToken;
  const a = auth(CLIENT, { storage });
  const signedIn = a.signIn({ username: 'sam', password: 'Sam-Passw0rd!', authFlow: 'USER_PASSWORD_AUTH' });
  await a.ready;
  await signedIn;
  assert.notEqual(a.tokens.accessToken, stored);
  await a.signOut();
  for (const bad of ['localStorage', 'disk', { getItem() {} }, 5]) {
    assert.throws(() => auth(CLIENT, { storage: bad }), { name: 'ValidationError' });
  }
  const memory = auth(CLIENT, { storage: 'memory' });
  await memory.ready;
  assert.equal(memory.tokens, null);
});

test('storage: a session stored under another user name than lastUser is not restored', async () => {
  const storage = syncStorage();
  const a = auth(CLIENT, { storage });
  await a.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
  // Someone swapped the names: lastUser says rita, and rita's key holds sam's session.
  storage.map.set(`cognito-wasm.${CLIENT}.rita.session`, storage.map.get(SESSION_KEY));
  storage.map.set(LAST_USER_KEY, 'rita');
  let b;
  const warnings = await captureWarnings(async () => {
    b = auth(CLIENT, { storage });
    await b.ready;
  });
  assert.equal(b.tokens, null);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], new RegExp(`ignored cognito-wasm\\.${CLIENT}\\.rita\\.session .*for rita`));
  await a.signOut();
});

test('storage shared by two instances (no Web Locks in Node): a refresh reads storage first, so the second uses the first one\'s tokens', async () => {
  const storage = syncStorage();
  const a = auth(CLIENT, { storage });
  const b = auth(CLIENT, { storage });
  const bEvents = eventsOf(b);
  await a.signIn({ username: 'rita', password: 'Rita-Passw0rd!' });
  assert.equal(b.tokens, null, 'a custom storage sends no events');
  requests.sent = [];
  const fromA = await a.fetchSession({ forceRefresh: true });
  const fromB = await b.fetchSession({ forceRefresh: true });
  assert.deepEqual(requests.sent, ['GetTokensFromRefreshToken'], 'one refresh request for both instances');
  assert.equal(fromB.tokens.accessToken, fromA.tokens.accessToken);
  assert.equal(fromB.tokens.refreshToken, fromA.tokens.refreshToken);
  assert.deepEqual(bEvents, ['signedIn']);
  // Forced again, with its own tokens the newest: b refreshes, and a follows.
  requests.sent = [];
  const again = await b.fetchSession({ forceRefresh: true });
  assert.notEqual(again.tokens.refreshToken, fromA.tokens.refreshToken, 'rotated');
  assert.equal((await a.fetchSession({ forceRefresh: true })).tokens.accessToken, again.tokens.accessToken);
  assert.deepEqual(requests.sent, ['GetTokensFromRefreshToken']);
  // A sign-out in one is seen by the other at its next refresh.
  await a.signOut();
  assert.deepEqual(await b.fetchSession({ forceRefresh: true }), { tokens: null });
  assert.deepEqual(bEvents, ['signedIn', 'tokenRefresh', 'signedOut']);
});
