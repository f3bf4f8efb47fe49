// Sessions and accounts, end to end in Node: the packed package against the
// local endpoint (tests/e2e/seed-sessions.json). fetch is wrapped to count
// the requests by operation (and, for the fallback, to play a pool without
// GetTokensFromRefreshToken).
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import init, { CognitoAuth } from './.work/node_modules/cognito-wasm/index.js';
import { startEndpoint } from './endpoint.mjs';
import { SESSIONS_CLIENT as CLIENT, SESSIONS_POOL as POOL, SESSIONS_SEED as SEED, unusedUrl } from './support.mjs';

const SECRET_CLIENT = 'sessionsecretclient0000000';
const SECRET = 's3cretforthesessiontests000000000000000000000000000';

let endpoint;
const realFetch = globalThis.fetch;
let sent = [];
let intercept = null;

before(async () => {
  await init();
  endpoint = await startEndpoint(SEED);
  globalThis.fetch = async (url, init) => {
    const target = init?.headers?.['X-Amz-Target']?.split('.').pop();
    sent.push(target);
    return (intercept && (await intercept(target, init))) ?? realFetch(url, init);
  };
});
after(async () => {
  globalThis.fetch = realFetch;
  await endpoint?.stop();
});
beforeEach(() => {
  sent = [];
  intercept = null;
});

const count = (target) => sent.filter((t) => t === target).length;
const auth = (clientId = CLIENT, extra = {}) =>
  new CognitoAuth({ userPoolId: POOL, clientId, endpoint: endpoint.url, ...extra });

function recorder(a) {
  const events = [];
  a.onChange(({ event }) => events.push(event));
  return events;
}

async function rejects(promise, name) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.name, name, error.message);
    return true;
  });
}

async function inboxCode(username, purpose) {
  const answer = await realFetch(`${endpoint.url}/inbox?pool=${POOL}&username=${encodeURIComponent(username)}`);
  const { messages } = await answer.json();
  const message = messages.filter((m) => m.purpose === purpose).at(-1);
  assert.ok(message, `a ${purpose} code was sent to ${username}`);
  return message.code;
}

test('20 concurrent fetchSession({ forceRefresh: true }) make exactly one refresh request, with rotation', async () => {
  const a = auth();
  const events = recorder(a);
  await a.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
  assert.deepEqual(events, ['signedIn']);
  const before = a.tokens;
  sent = [];
  const sessions = await Promise.all(Array.from({ length: 20 }, () => a.fetchSession({ forceRefresh: true })));
  assert.deepEqual(sent, ['GetTokensFromRefreshToken'], 'one refresh request');
  const tokens = sessions.map((s) => s.tokens.accessToken);
  assert.equal(new Set(tokens).size, 1, 'every caller got the same tokens');
  assert.notEqual(tokens[0], before.accessToken);
  assert.notEqual(a.tokens.refreshToken, before.refreshToken, 'the refresh token was rotated');
  assert.deepEqual(events, ['signedIn', 'tokenRefresh']);
  // Fresh tokens are returned without a request.
  sent = [];
  const again = await a.fetchSession();
  assert.equal(again.tokens.accessToken, tokens[0]);
  assert.deepEqual(sent, []);
  // The old refresh token no longer works; the new one does.
  const other = auth();
  await other.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
  await a.fetchSession({ forceRefresh: true });
  assert.equal(count('GetTokensFromRefreshToken'), 1);
});

test('a pool without GetTokensFromRefreshToken: the refresh falls back to REFRESH_TOKEN_AUTH with SECRET_HASH', async () => {
  const a = auth(SECRET_CLIENT, { clientSecret: SECRET });
  await a.signIn({ username: 'sam@example.com', password: 'Sam-Passw0rd!' });
  const refreshToken = a.tokens.refreshToken;
  let initiateBody;
  intercept = async (target, init) => {
    if (target === 'GetTokensFromRefreshToken') {
      return new Response(JSON.stringify({ __type: 'UnknownOperationException', message: 'no' }), { status: 400 });
    }
    if (target === 'InitiateAuth') initiateBody = JSON.parse(init.body);
    return null;
  };
  sent = [];
  const { tokens } = await a.fetchSession({ forceRefresh: true });
  assert.deepEqual(sent, ['GetTokensFromRefreshToken', 'InitiateAuth']);
  assert.equal(initiateBody.AuthFlow, 'REFRESH_TOKEN_AUTH');
  assert.ok(initiateBody.AuthParameters.SECRET_HASH, 'SECRET_HASH over the username');
  assert.equal(tokens.refreshToken, refreshToken, 'the refresh token is kept');
});

test('a revoked refresh token signs the user out cleanly, with events', async () => {
  const a = auth();
  const events = recorder(a);
  await a.signIn({ username: 'rita', password: 'Rita-Passw0rd!' });
  const b = auth();
  await b.signIn({ username: 'rita', password: 'Rita-Passw0rd!' });
  await b.signOut({ global: true });
  assert.equal(count('GlobalSignOut'), 1, 'signOut({ global: true }) sends GlobalSignOut');
  await rejects(a.fetchSession({ forceRefresh: true }), 'NotAuthorizedException');
  assert.equal(a.tokens, null);
  assert.deepEqual(events, ['signedIn', 'tokenRefreshFailure', 'signedOut']);
  assert.deepEqual(await a.fetchSession(), { tokens: null });
});

test('signOut revokes the refresh token, and clears local state even offline', async () => {
  const a = auth();
  const events = recorder(a);
  await a.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
  await a.signOut();
  assert.equal(count('RevokeToken'), 1);
  assert.equal(a.tokens, null);
  assert.deepEqual(events, ['signedIn', 'signedOut']);
  const offline = auth();
  await offline.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
  intercept = async () => {
    throw new TypeError('fetch failed');
  };
  await rejects(offline.signOut({ global: true }), 'NetworkError');
  assert.equal(offline.tokens, null, 'local state is cleared offline');
});

test('sign-up, confirmation with the inbox code, and autoSignIn', async () => {
  const a = auth();
  const events = recorder(a);
  const result = await a.signUp({
    username: 'newuser',
    password: 'New-Passw0rd!',
    userAttributes: { email: 'newuser@example.com', name: 'New User' },
    validationData: { source: 'e2e' },
    clientMetadata: { app: 'tests' },
    autoSignIn: true,
  });
  assert.equal(result.isSignUpComplete, false);
  assert.match(result.userId, /^[0-9a-f-]{36}$/);
  assert.equal(result.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
  assert.deepEqual(result.nextStep.codeDeliveryDetails, { destination: 'n***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' });
  await rejects(a.signUp({ username: 'newuser', password: 'New-Passw0rd!', userAttributes: { name: 'x' } }), 'UsernameExistsException');
  const resent = await a.resendSignUpCode({ username: 'newuser' });
  assert.equal(resent.deliveryMedium, 'EMAIL');
  await rejects(a.confirmSignUp({ username: 'newuser', confirmationCode: '000000x' }), 'CodeMismatchException');
  const confirmed = await a.confirmSignUp({ username: 'newuser', confirmationCode: await inboxCode('newuser', 'SIGN_UP') });
  assert.deepEqual(confirmed, { isSignUpComplete: true, nextStep: { signUpStep: 'COMPLETE_AUTO_SIGN_IN' } });
  const signedIn = await a.autoSignIn();
  assert.equal(signedIn.isSignedIn, true);
  assert.equal(a.tokens.idTokenClaims.email_verified, true);
  assert.deepEqual(events, ['signedIn']);
  assert.deepEqual(await a.getCurrentUser(), { username: 'newuser', userId: result.userId });
  // Without autoSignIn the step is DONE.
  const b = auth();
  await b.signUp({ username: 'plainuser', password: 'Plain-Passw0rd!', userAttributes: { email: 'p@example.com', name: 'P' } });
  const done = await b.confirmSignUp({ username: 'plainuser', confirmationCode: await inboxCode('plainuser', 'SIGN_UP') });
  assert.equal(done.nextStep.signUpStep, 'DONE');
  await rejects(b.autoSignIn(), 'InvalidStateError');
});

test('PreventUserExistenceErrors=ENABLED: no answer reveals whether a user exists', async () => {
  const a = auth();
  const unknown = await a.resetPassword({ username: 'nobody' });
  assert.equal(unknown.nextStep.resetPasswordStep, 'CONFIRM_RESET_PASSWORD_WITH_CODE');
  assert.equal(unknown.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
  assert.equal((await a.resendSignUpCode({ username: 'nobody' })).deliveryMedium, 'EMAIL');
  assert.equal((await a.resendSignUpCode({ username: 'sam' })).deliveryMedium, 'EMAIL');
  await rejects(a.confirmSignUp({ username: 'nobody', confirmationCode: '123456' }), 'CodeMismatchException');
  await rejects(a.confirmSignUp({ username: 'sam', confirmationCode: '123456' }), 'CodeMismatchException');
  await rejects(
    a.confirmResetPassword({ username: 'nobody', confirmationCode: '123456', newPassword: 'Any-Passw0rd!' }),
    'CodeMismatchException',
  );
});

test('resetPassword and confirmResetPassword, then updatePassword', async () => {
  const a = auth();
  const reset = await a.resetPassword({ username: 'gus' });
  assert.equal(reset.isPasswordReset, false);
  assert.equal(reset.nextStep.codeDeliveryDetails.destination, 'g***@e***');
  const code = await inboxCode('gus', 'FORGOT_PASSWORD');
  await rejects(a.confirmResetPassword({ username: 'gus', confirmationCode: code, newPassword: 'weak' }), 'InvalidPasswordException');
  assert.equal(await a.confirmResetPassword({ username: 'gus', confirmationCode: code, newPassword: 'Reset-Passw0rd!' }), null);
  await rejects(a.signIn({ username: 'gus', password: 'Gus-Passw0rd!' }), 'NotAuthorizedException');
  await a.signIn({ username: 'gus', password: 'Reset-Passw0rd!' });
  await rejects(a.updatePassword({ oldPassword: 'Wrong-Passw0rd!', newPassword: 'Updated-Passw0rd!' }), 'NotAuthorizedException');
  await a.updatePassword({ oldPassword: 'Reset-Passw0rd!', newPassword: 'Updated-Passw0rd!' });
  await a.signOut();
  await a.signIn({ username: 'gus', password: 'Updated-Passw0rd!', authFlow: 'USER_PASSWORD_AUTH' });
  await rejects(auth().updatePassword({ oldPassword: 'a', newPassword: 'b' }), 'InvalidStateError');
});

test('user attributes: fetch, update with verification, delete; then deleteUser', async () => {
  const a = auth();
  const events = recorder(a);
  await a.signIn({ username: 'una', password: 'Una-Passw0rd!' });
  const attributes = await a.fetchUserAttributes();
  assert.equal(attributes.locale, 'en');
  assert.equal(attributes.email, 'una@example.com');
  const update = await a.updateUserAttributes({ userAttributes: { email: 'una2@example.com', locale: 'fr' } });
  assert.equal(update.locale.isUpdated, true);
  assert.equal(update.email.nextStep.updateAttributeStep, 'CONFIRM_ATTRIBUTE_WITH_CODE');
  assert.equal((await a.fetchUserAttributes()).email_verified, 'false');
  const resent = await a.sendUserAttributeVerificationCode({ userAttributeKey: 'email' });
  assert.equal(resent.attributeName, 'email');
  await rejects(a.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: '000000x' }), 'CodeMismatchException');
  await a.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: await inboxCode('una', 'VERIFY_EMAIL') });
  assert.equal((await a.fetchUserAttributes()).email_verified, 'true');
  await a.deleteUserAttributes({ userAttributeKeys: ['locale'] });
  assert.equal((await a.fetchUserAttributes()).locale, undefined);
  await rejects(a.deleteUserAttributes({ userAttributeKeys: 'locale' }), 'ValidationError');
  await a.deleteUser();
  assert.equal(a.tokens, null);
  assert.deepEqual(events, ['signedIn', 'signedOut']);
  await rejects(a.signIn({ username: 'una', password: 'Una-Passw0rd!' }), 'NotAuthorizedException');
});

test('account calls report an unreachable endpoint as NetworkError', async () => {
  const a = new CognitoAuth({ userPoolId: POOL, clientId: CLIENT, endpoint: await unusedUrl() });
  await rejects(a.resetPassword({ username: 'sam' }), 'NetworkError');
});

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
    sent = [];
    const { tokens } = await c.fetchSession({ forceRefresh: true });
    assert.deepEqual(sent, ['GetTokensFromRefreshToken']);
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

// ---- Tokens, expiry and the calls that need a fresh access token.

const SHORT_CLIENT = 'sessionshortclient00000000';
const SHORT_ID_CLIENT = 'sessionshortidclient000000';

test('tokens carry the decoded access token claims; expiresAt is the shorter lifetime on this clock', async () => {
  const a = auth(SHORT_ID_CLIENT);
  const before = Date.now();
  await a.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
  const { accessTokenClaims, idTokenClaims, expiresAt } = a.tokens;
  assert.equal(accessTokenClaims.username, 'sam');
  assert.equal(accessTokenClaims.client_id, SHORT_ID_CLIENT);
  assert.equal(accessTokenClaims.token_use, 'access');
  assert.equal(accessTokenClaims.exp - accessTokenClaims.iat, 3600);
  assert.equal(idTokenClaims.exp - idTokenClaims.iat, 300);
  // ExpiresIn says 3600 s (the access token); the id token lives 300 s.
  assert.ok(+expiresAt >= before + 300_000 && +expiresAt <= Date.now() + 300_000, `expiresAt ${expiresAt.toISOString()}`);
  await a.signOut();
});

test('an expired access token is refreshed before fetchUserAttributes (and the other user calls) send it', async () => {
  const a = auth(SHORT_CLIENT);
  const events = recorder(a);
  await a.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
  const first = a.tokens;
  // The tokens live 2 s; wait until the endpoint refuses the access token.
  await new Promise((ok) => setTimeout(ok, first.accessTokenClaims.exp * 1000 - Date.now() + 1_100));
  const refused = await realFetch(endpoint.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.GetUser' },
    body: JSON.stringify({ AccessToken: first.accessToken }),
  });
  assert.match((await refused.json()).message, /Access Token has expired/);
  sent = [];
  const attributes = await a.fetchUserAttributes();
  assert.equal(attributes.email, 'sam@example.com');
  assert.deepEqual(sent, ['GetTokensFromRefreshToken', 'GetUser']);
  assert.deepEqual(events, ['signedIn', 'tokenRefresh']);
  assert.notEqual(a.tokens.accessToken, first.accessToken);
  // Fresh tokens are sent as they are (a client with hour-long tokens).
  const b = auth();
  await b.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
  sent = [];
  assert.equal((await b.getCurrentUser()).username, 'sam');
  assert.deepEqual(sent, ['GetUser']);
  await a.signOut();
  await b.signOut();
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
  const bEvents = recorder(b);
  await a.signIn({ username: 'rita', password: 'Rita-Passw0rd!' });
  assert.equal(b.tokens, null, 'a custom storage sends no events');
  sent = [];
  const fromA = await a.fetchSession({ forceRefresh: true });
  const fromB = await b.fetchSession({ forceRefresh: true });
  assert.deepEqual(sent, ['GetTokensFromRefreshToken'], 'one refresh request for both instances');
  assert.equal(fromB.tokens.accessToken, fromA.tokens.accessToken);
  assert.equal(fromB.tokens.refreshToken, fromA.tokens.refreshToken);
  assert.deepEqual(bEvents, ['signedIn']);
  // Forced again, with its own tokens the newest: b refreshes, and a follows.
  sent = [];
  const again = await b.fetchSession({ forceRefresh: true });
  assert.notEqual(again.tokens.refreshToken, fromA.tokens.refreshToken, 'rotated');
  assert.equal((await a.fetchSession({ forceRefresh: true })).tokens.accessToken, again.tokens.accessToken);
  assert.deepEqual(sent, ['GetTokensFromRefreshToken']);
  // A sign-out in one is seen by the other at its next refresh.
  await a.signOut();
  assert.deepEqual(await b.fetchSession({ forceRefresh: true }), { tokens: null });
  assert.deepEqual(bEvents, ['signedIn', 'tokenRefresh', 'signedOut']);
});
