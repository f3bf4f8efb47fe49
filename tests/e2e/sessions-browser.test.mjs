// Sessions and accounts in headless Chromium: the packed package, loaded by
// the harness page, against the local endpoint (seed-sessions.json). Every
// scenario of session-scenarios.mjs runs in the page, as sessions.test.mjs
// runs them in Node. The tests after them are Chromium's own: requests
// counted by a wrapper in the page, sign-up with the Node side reading the
// code from the inbox, and Web Storage across a reload.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sessionScenarios } from './session-scenarios.mjs';
import { assertNoPageErrors, assertNoWasmTrap, harnessAgainst } from './support.mjs';
import { SESSIONS_CLIENT as CLIENT, SESSIONS_POOL as POOL, SESSIONS_SEED as SEED } from './support.mjs';

let endpoint;
let page;
let problems;
let env;
let close;

before(async () => {
  ({ endpoint, page, problems, env, close } = await harnessAgainst(SEED));
  // Counts the requests by operation, in the page.
  await page.evaluate(() => {
    window.sent = [];
    const realFetch = window.fetch;
    window.fetch = (url, init) => {
      window.sent.push(init?.headers?.['X-Amz-Target']?.split('.').pop());
      return realFetch(url, init);
    };
  });
});

after(() => close?.());

for (const { name } of sessionScenarios) {
  test(`Chromium: ${name}`, async () => {
    await page.evaluate(([name, env]) => window.harness.runSession(name, env), [name, env]);
    assertNoWasmTrap(problems);
    assertNoPageErrors(problems);
  });
}

const options = () => ({ userPoolId: POOL, clientId: CLIENT, endpoint: endpoint.url });

async function inboxCode(username, purpose) {
  const answer = await fetch(`${endpoint.url}/inbox?pool=${POOL}&username=${username}`);
  const { messages } = await answer.json();
  return messages.filter((m) => m.purpose === purpose).at(-1).code;
}

test('Chromium: 20 concurrent fetchSession({ forceRefresh: true }) make one refresh request', async () => {
  const result = await page.evaluate(async (options) => {
    const { default: init, CognitoAuth } = await import('/cognito-wasm/js/index.js');
    await init();
    const auth = new CognitoAuth(options);
    const events = [];
    auth.onChange(({ event }) => events.push(event));
    await auth.signIn({ username: 'rita', password: 'Rita-Passw0rd!' });
    const before = auth.tokens.refreshToken;
    window.sent = [];
    const sessions = await Promise.all(Array.from({ length: 20 }, () => auth.fetchSession({ forceRefresh: true })));
    const sent = [...window.sent];
    await auth.signOut();
    return {
      sent,
      distinct: new Set(sessions.map((s) => s.tokens.accessToken)).size,
      rotated: sessions[0].tokens.refreshToken !== before,
      events,
      after: auth.tokens,
    };
  }, options());
  assert.deepEqual(result.sent, ['GetTokensFromRefreshToken']);
  assert.equal(result.distinct, 1);
  assert.ok(result.rotated);
  assert.deepEqual(result.events, ['signedIn', 'tokenRefresh', 'signedOut']);
  assert.equal(result.after, null);
  assertNoWasmTrap(problems);
  assertNoPageErrors(problems);
});

test('Chromium: sign-up, confirmation with the emailed code, and autoSignIn', async () => {
  const step = await page.evaluate(async (options) => {
    const { CognitoAuth } = await import('/cognito-wasm/js/index.js');
    window.signUpAuth = new CognitoAuth(options);
    const result = await window.signUpAuth.signUp({
      username: 'browseruser',
      password: 'Browser-Passw0rd!',
      userAttributes: { email: 'browser@example.com', name: 'Browser User' },
      autoSignIn: true,
    });
    return result.nextStep;
  }, options());
  assert.equal(step.signUpStep, 'CONFIRM_SIGN_UP');
  assert.equal(step.codeDeliveryDetails.destination, 'b***@e***');
  const code = await inboxCode('browseruser', 'SIGN_UP');
  const result = await page.evaluate(async (code) => {
    const auth = window.signUpAuth;
    const confirmed = await auth.confirmSignUp({ username: 'browseruser', confirmationCode: code });
    const signedIn = await auth.autoSignIn();
    const user = await auth.getCurrentUser();
    return { step: confirmed.nextStep.signUpStep, isSignedIn: signedIn.isSignedIn, user };
  }, code);
  assert.equal(result.step, 'COMPLETE_AUTO_SIGN_IN');
  assert.equal(result.isSignedIn, true);
  assert.equal(result.user.username, 'browseruser');
  assertNoWasmTrap(problems);
  assertNoPageErrors(problems);
});

for (const storage of ['localStorage', 'sessionStorage']) {
  test(`Chromium: storage '${storage}': sign in, reload the page, the session is restored; signOut removes it`, async () => {
    const signedIn = await page.evaluate(async ([options, storage]) => {
      const { default: init, CognitoAuth } = await import('/cognito-wasm/js/index.js');
      await init();
      window[storage].clear();
      const auth = new CognitoAuth({ ...options, storage });
      await auth.signIn({ username: 'rita', password: 'Rita-Passw0rd!' });
      return { accessToken: auth.tokens.accessToken, keys: Object.keys(window[storage]).sort() };
    }, [options(), storage]);
    assert.deepEqual(signedIn.keys, [`cognito-wasm.${CLIENT}.lastUser`, `cognito-wasm.${CLIENT}.rita.session`]);
    await page.reload();
    await page.waitForFunction(() => window.harness?.ready, null, { timeout: 10_000 });
    const restored = await page.evaluate(async ([options, storage]) => {
      const { default: init, CognitoAuth } = await import('/cognito-wasm/js/index.js');
      await init();
      const auth = new CognitoAuth({ ...options, storage });
      await auth.ready;
      const accessToken = auth.tokens?.accessToken;
      const user = await auth.getCurrentUser();
      const { tokens } = await auth.fetchSession({ forceRefresh: true });
      const stored = JSON.parse(window[storage].getItem(`cognito-wasm.${options.clientId}.rita.session`));
      await auth.signOut();
      return { accessToken, user, refreshed: stored.refreshToken === tokens.refreshToken, left: Object.keys(window[storage]) };
    }, [options(), storage]);
    assert.equal(restored.accessToken, signedIn.accessToken);
    assert.equal(restored.user.username, 'rita');
    assert.ok(restored.refreshed, 'the refreshed session was stored');
    assert.deepEqual(restored.left, []);
    assertNoWasmTrap(problems);
    assertNoPageErrors(problems);
  });
}
