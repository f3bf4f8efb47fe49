// The client against the hostile server (tests/e2e/seed-client-faults.json:
// the endpoint's `faults`, local-endpoint/README.md): every fault ends in a
// named error within a bounded time (or, for the faults a retry outlives,
// in a sign-in), and the same instance then signs in. Shared so that
// faults.test.mjs runs them in Node and faults-browser.test.mjs in headless
// Chromium (the harness page imports this very file). Plain ES, no Node APIs.
//
// Each scenario is `async run(kit, t)` and returns its figures (settle
// times, attempts, wasm memory), which the tests print. `t` has `memory()`,
// the sign-in module's wasm memory in bytes.

import { makeKit } from './scenarios.mjs';

const CLIENT = 'clientfaultsclient00000000';
const PASSWORD = 'Faults-Passw0rd!';
const FLOWS = ['USER_PASSWORD_AUTH', 'USER_SRP_AUTH'];
/** Slack for the event loop and the endpoint on a loaded machine, on top of each bound. */
const SLACK_MS = 2_000;

export const faultScenarios = [
  {
    name: 'hang: requestTimeout is a TimeoutError naming the operation; a signal aborts with its reason; then the same instance signs in',
    async run(kit) {
      const auth = kit.auth(CLIENT, { requestTimeout: 500 });
      const input = { username: 'hang', password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' };
      const timedOut = await kit.settles(() => auth.signIn(input), 'TimeoutError', 500, 'hang, requestTimeout 500');
      kit.ok(/^InitiateAuth http:\/\/127\.0\.0\.1:\d+: no complete answer in 500 ms \(requestTimeout\)$/.test(timedOut.error.message), `message: ${timedOut.error.message}`);
      const bySignal = await kit.settles(() => auth.signIn({ ...input, signal: AbortSignal.timeout(200) }), 'TimeoutError', 200, 'hang, AbortSignal.timeout(200)');
      kit.ok(bySignal.error instanceof DOMException, 'AbortSignal.timeout rejects with its own reason, a DOMException');
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const aborted = await kit.settles(() => auth.signIn({ ...input, signal: controller.signal }), 'AbortError', 100, 'hang, abort()');
      kit.equal(aborted.error, controller.signal.reason, 'the rejection is the signal reason itself');
      await kit.signsIn(auth, input);
      return { settleMs: Math.max(timedOut.ms, bySignal.ms, aborted.ms) };
    },
  },
  {
    name: 'half a body, then silence: TimeoutError, or the signal reason; then the same instance signs in',
    async run(kit) {
      const auth = kit.auth(CLIENT, { requestTimeout: 500 });
      const input = { username: 'half', password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' };
      const timedOut = await kit.settles(() => auth.signIn(input), 'TimeoutError', 500, 'half, requestTimeout');
      const bySignal = await kit.settles(() => auth.signIn({ ...input, signal: AbortSignal.timeout(200) }), 'TimeoutError', 200, 'half, AbortSignal.timeout');
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('the user went away')), 100);
      const aborted = await kit.settles(() => auth.signIn({ ...input, signal: controller.signal }), 'Error', 100, 'half, abort(reason)');
      kit.equal(aborted.error.message, 'the user went away', 'the rejection is the reason given to abort()');
      await kit.signsIn(auth, input);
      return { settleMs: Math.max(timedOut.ms, bySignal.ms, aborted.ms) };
    },
  },
  {
    name: 'an already aborted signal rejects at once, sending nothing',
    async run(kit) {
      const auth = kit.auth(CLIENT);
      const before = await kit.played('throttled');
      const reason = new Error('too late');
      const input = { username: 'throttled', password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH', signal: AbortSignal.abort(reason) };
      const { error, ms } = await kit.settles(() => auth.signIn(input), 'Error', 0, 'aborted signal');
      kit.equal(error, reason, 'the rejection is the reason');
      kit.equal(await kit.played('throttled'), before, 'no request was sent');
      await kit.signsIn(auth, { username: 'alice', password: PASSWORD });
      return { settleMs: ms };
    },
  },
  {
    name: 'a connection reset before any answer is tried again: two resets, then the user signs in',
    async run(kit) {
      const auth = kit.auth(CLIENT);
      const started = Date.now();
      await kit.signsIn(auth, { username: 'reset', password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' });
      kit.equal(await kit.played('reset'), 2, 'both resets were played');
      return { settleMs: Date.now() - started };
    },
  },
  {
    name: 'resets on every try: NetworkError after maxAttempts; then the same instance signs in',
    async run(kit) {
      const auth = kit.auth(CLIENT, { maxAttempts: 2 });
      const input = { username: 'resetalways', password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' };
      const { error, ms } = await kit.settles(() => auth.signIn(input), 'NetworkError', 200, 'reset on every try');
      kit.ok(/^InitiateAuth http:\S+: no answer \(check the endpoint URL/.test(error.message), `message: ${error.message}`);
      // Chromium itself sends a request once more when a kept-alive
      // connection it reused is reset (local-endpoint/README.md): 2 tries
      // are 2 to 4 resets there.
      const played = await kit.played('resetalways');
      kit.ok(played >= 2 && played <= 4, `2 tries, as maxAttempts says (played ${played})`);
      await kit.signsIn(auth, { username: 'alice', password: PASSWORD });
      return { settleMs: ms };
    },
  },
  {
    name: 'throttled twice, then answered: the sign-in succeeds after two backoffs of full jitter (Math.random pinned)',
    async run(kit) {
      const auth = kit.auth(CLIENT);
      const started = Date.now();
      await kit.withRandom(0.1, () => kit.signsIn(auth, { username: 'throttle', password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' }));
      const ms = Date.now() - started;
      kit.equal(await kit.played('throttle'), 2, 'both throttles were played');
      // 0.1 × 1,000 ms, then 0.1 × 2,000 ms: throttling's base is 1 s.
      kit.ok(ms >= 300, `the two pauses were taken (${ms} ms)`);
      kit.ok(ms < 300 + SLACK_MS, `and no more (${ms} ms)`);
      return { settleMs: ms, attempts: 3 };
    },
  },
  {
    name: 'always throttled: TooManyRequestsException after maxAttempts tries, within the backoff cap; then the same instance signs in',
    async run(kit) {
      const figures = {};
      for (const maxAttempts of [undefined, 1, 5]) {
        const auth = kit.auth(CLIENT, { maxAttempts });
        const before = await kit.played('throttled');
        const input = { username: 'throttled', password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' };
        // The pauses are at most 1, 2, 4, 8 s: real jitter for 3 tries;
        // for 5, pinned to a tenth of that (1.5 s in all), to keep the test short.
        const tries = maxAttempts ?? 3;
        const pinned = tries === 5;
        const cap = [0, 1_000, 3_000, 7_000, 1_500][tries - 1];
        const attempt = () => kit.settles(() => auth.signIn(input), 'TooManyRequestsException', cap, `throttled, maxAttempts ${maxAttempts}`);
        const { error, ms } = pinned ? await kit.withRandom(0.1, attempt) : await attempt();
        if (pinned) kit.ok(ms >= 1_500, `the four pauses were taken (${ms} ms)`);
        kit.equal(error.message, 'Rate exceeded', 'the service message');
        kit.equal((await kit.played('throttled')) - before, tries, `attempts with maxAttempts ${maxAttempts}`);
        await kit.signsIn(auth, { username: 'alice', password: PASSWORD });
        figures[`maxAttempts ${tries}`] = { attempts: tries, ms };
      }
      return figures;
    },
  },
  {
    name: 'HTTP 429 (ThrottlingException) and 500, 502, 503, 504 are tried again; on every try they end in a named error',
    async run(kit) {
      const auth = kit.auth(CLIENT);
      const started = Date.now();
      await kit.withRandom(0.1, async () => {
        for (const username of ['ratelimit', 'error500', 'error502', 'error503', 'error504']) {
          await kit.signsIn(auth, { username, password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' });
          kit.equal(await kit.played(username), 1, `${username}: the fault was played once, then retried`);
        }
      });
      const settleMs = Date.now() - started;
      const limited = await kit.withRandom(0, () =>
        kit.settles(() => auth.signIn({ username: 'ratelimited', password: PASSWORD }), 'ThrottlingException', 0, 'HTTP 429 on every try'),
      );
      const down = await kit.withRandom(0, () =>
        kit.settles(() => auth.signIn({ username: 'unavailable', password: PASSWORD }), 'InvalidServerResponse', 0, 'HTTP 503 on every try'),
      );
      kit.ok(down.error.message.includes('HTTP 503'), `message: ${down.error.message}`);
      kit.equal(await kit.played('unavailable'), 3, 'three tries');
      await kit.signsIn(auth, { username: 'alice', password: PASSWORD });
      return { settleMs: Math.max(settleMs, limited.ms, down.ms) };
    },
  },
  {
    name: 'a 30 MB answer is refused by its Content-Length before wasm memory sees it; 1 MiB is read, 1 MiB + 1 byte is not',
    async run(kit, t) {
      const auth = kit.auth(CLIENT);
      await kit.signsIn(auth, { username: 'alice', password: PASSWORD });
      const before = await t.memory();
      const huge = await kit.settles(() => auth.signIn({ username: 'huge', password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' }), 'InvalidServerResponse', 0, '30 MB');
      kit.ok(huge.error.message.endsWith(': the answer is over 1 MiB (Content-Length)'), `message: ${huge.error.message}`);
      const after = await t.memory();
      kit.equal(after, before, 'wasm memory after the refused answer');
      await kit.signsIn(auth, { username: 'huge', password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' });
      // Exactly 1 MiB of valid JSON is read (and refused by the core: no tokens, no challenge).
      const exactly = await kit.settles(() => auth.signIn({ username: 'exactly1mib', password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' }), 'InvalidServerResponse', 0, '1 MiB');
      kit.ok(exactly.error.message.includes('neither tokens nor a challenge'), `message: ${exactly.error.message}`);
      const over = await kit.settles(() => auth.signIn({ username: 'over1mib', password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' }), 'InvalidServerResponse', 0, '1 MiB + 1');
      kit.ok(over.error.message.endsWith('over 1 MiB (Content-Length)'), `message: ${over.error.message}`);
      await kit.signsIn(auth, { username: 'alice', password: PASSWORD });
      return { settleMs: Math.max(huge.ms, exactly.ms, over.ms), memoryBefore: before, memoryAfter: after };
    },
  },
  {
    name: 'deep JSON, invalid UTF-8 and wrong types are InvalidServerResponse; then the same users sign in',
    async run(kit) {
      const auth = kit.auth(CLIENT);
      let settleMs = 0;
      for (const [username, message] of [
        ['deep', /not JSON/],
        ['badutf8', /: the answer is not UTF-8$/],
        ['wrongtypes', /not a string|not all strings/],
      ]) {
        const input = { username, password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' };
        const { error, ms } = await kit.settles(() => auth.signIn(input), 'InvalidServerResponse', 0, username);
        kit.ok(message.test(error.message), `${username}: message ${error.message}`);
        settleMs = Math.max(settleMs, ms);
        await kit.signsIn(auth, input);
      }
      return { settleMs };
    },
  },
  {
    name: 'an unknown challenge is UnsupportedChallengeError naming it, with SRP and without; then the same instance signs in',
    async run(kit) {
      const auth = kit.auth(CLIENT);
      let settleMs = 0;
      for (const authFlow of FLOWS) {
        const input = { username: 'newchallenge', password: PASSWORD, authFlow };
        const { error, ms } = await kit.settles(() => auth.signIn(input), 'UnsupportedChallengeError', 0, authFlow);
        kit.ok(error.message.includes('"SOME_NEW_CHALLENGE"'), `${authFlow}: message ${error.message}`);
        settleMs = Math.max(settleMs, ms);
      }
      for (const authFlow of FLOWS) await kit.signsIn(auth, { username: 'newchallenge', password: PASSWORD, authFlow });
      return { settleMs };
    },
  },
  {
    name: 'unknown members in every answer are ignored: sign-in, the account calls, the refresh',
    async run(kit) {
      const auth = kit.auth(CLIENT);
      for (const authFlow of FLOWS) await kit.signsIn(auth, { username: 'future', password: PASSWORD, authFlow });
      const attributes = await auth.fetchUserAttributes();
      kit.equal(attributes.email, 'future@example.com', 'fetchUserAttributes');
      kit.equal(attributes.FutureMember, undefined, 'no unknown member in the attributes');
      const { tokens } = await auth.fetchSession({ forceRefresh: true });
      kit.ok(tokens.accessToken, 'refreshed');
      return {};
    },
  },
  {
    name: 'a cancelled fetchSession keeps the old tokens; the refresh it shares times out, tokens kept; the next one succeeds',
    async run(kit) {
      const figures = {};
      const items = new Map();
      const storage = { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => items.set(key, value), removeItem: (key) => items.delete(key) };
      // In memory, and with a storage (the refresh then takes turns through tabs.js).
      for (const [username, options] of [
        ['refresher', {}],
        ['storedrefresher', { storage }],
      ]) {
        const auth = kit.auth(CLIENT, { requestTimeout: 500, ...options });
        await auth.ready;
        const old = await kit.signsIn(auth, { username, password: PASSWORD });
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 100);
        const aborted = await kit.settles(() => auth.fetchSession({ forceRefresh: true, signal: controller.signal }), 'AbortError', 100, `${username}: refresh, abort()`);
        kit.equal(auth.tokens.accessToken, old.accessToken, `${username}: the old tokens after the cancelled call`);
        // The refresh goes on for the session (a refresh cut off could lose a
        // rotated token); a call that joins it gets its end: requestTimeout.
        const timedOut = await kit.settles(() => auth.fetchSession({ forceRefresh: true }), 'TimeoutError', 500, `${username}: the shared refresh, requestTimeout`);
        kit.ok(timedOut.error.message.startsWith('GetTokensFromRefreshToken '), `message: ${timedOut.error.message}`);
        kit.equal(auth.tokens.accessToken, old.accessToken, `${username}: the old tokens after the timed-out refresh`);
        if (options.storage) kit.ok([...items.values()].some((value) => value.includes(old.accessToken)), 'the stored session is the old one');
        const { tokens } = await auth.fetchSession({ forceRefresh: true });
        kit.ok(tokens.accessToken !== old.accessToken, `${username}: a new access token`);
        auth.free();
        figures[username] = { settleMs: Math.max(aborted.ms, timedOut.ms) };
      }
      return figures;
    },
  },
  {
    name: 'signOut: its revocation (and GlobalSignOut) stopped by the signal or requestTimeout; signed out here all the same; then signs in again',
    async run(kit) {
      const auth = kit.auth(CLIENT, { requestTimeout: 500 });
      const input = { username: 'leaver', password: PASSWORD };
      await kit.signsIn(auth, input);
      const revoked = await kit.settles(() => auth.signOut({ signal: AbortSignal.timeout(100) }), 'TimeoutError', 100, 'RevokeToken, AbortSignal.timeout');
      kit.equal(auth.tokens, null, 'signed out here');
      await kit.signsIn(auth, input);
      const global = await kit.settles(() => auth.signOut({ global: true }), 'TimeoutError', 500, 'GlobalSignOut, requestTimeout');
      kit.ok(global.error.message.startsWith('GlobalSignOut '), `message: ${global.error.message}`);
      kit.equal(auth.tokens, null, 'signed out here');
      await kit.signsIn(auth, input);
      await auth.signOut();
      return { settleMs: Math.max(revoked.ms, global.ms) };
    },
  },
  {
    name: 'an account call cut off halfway: its signal, then requestTimeout; then it answers',
    async run(kit) {
      const auth = kit.auth(CLIENT, { requestTimeout: 500 });
      await kit.signsIn(auth, { username: 'account', password: PASSWORD });
      const aborted = await kit.settles(() => auth.fetchUserAttributes({ signal: AbortSignal.timeout(100) }), 'TimeoutError', 100, 'GetUser, AbortSignal.timeout');
      const timedOut = await kit.settles(() => auth.getCurrentUser(), 'TimeoutError', 500, 'GetUser, requestTimeout');
      kit.ok(timedOut.error.message.startsWith('GetUser '), `message: ${timedOut.error.message}`);
      kit.equal((await auth.getCurrentUser()).username, 'account', 'getCurrentUser');
      return { settleMs: Math.max(aborted.ms, timedOut.ms) };
    },
  },
  {
    name: 'a cancelled or timed-out confirmSignIn leaves its step waiting: answered again, it signs in',
    async run(kit) {
      const auth = kit.auth(CLIENT, { requestTimeout: 500 });
      const step = await auth.signIn({ username: 'newbie', password: PASSWORD, authFlow: 'USER_PASSWORD_AUTH' });
      kit.equal(step.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', 'the step');
      const answer = { challengeResponse: 'New-Faults-Passw0rd!' };
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const aborted = await kit.settles(() => auth.confirmSignIn({ ...answer, signal: controller.signal }), 'AbortError', 100, 'confirmSignIn, abort()');
      const timedOut = await kit.settles(() => auth.confirmSignIn(answer), 'TimeoutError', 500, 'confirmSignIn, requestTimeout');
      kit.ok(timedOut.error.message.startsWith('RespondToAuthChallenge '), `message: ${timedOut.error.message}`);
      const done = await auth.confirmSignIn(answer);
      kit.equal(done.isSignedIn, true, 'signed in');
      return { settleMs: Math.max(aborted.ms, timedOut.ms) };
    },
  },
];

/** Runs the fault scenario `name` with the package `cognito`; `memory()` reads the sign-in module's wasm memory. */
export async function runFaultScenario(cognito, env, name, memory) {
  const scenario = faultScenarios.find((s) => s.name === name);
  if (!scenario) throw new Error(`no fault scenario named ${name}`);
  const kit = makeKit(cognito, env);
  Object.assign(kit, {
    /**
     * `action()` rejects with an Error named `name` within `bound` ms (plus
     * slack): `{ error, ms }`.
     */
    async settles(action, name, bound, what) {
      const started = Date.now();
      const error = await kit.rejects(action, name, what);
      const ms = Date.now() - started;
      kit.ok(ms <= bound + SLACK_MS, `${what}: settled in ${ms} ms, bound ${bound} + ${SLACK_MS}`);
      return { error, ms };
    },
    /** How often the endpoint has played the fault of `username` (GET /faults). */
    async played(username) {
      const response = await fetch(`${env.endpoint}/faults`);
      const { faults } = await response.json();
      return faults.find((fault) => fault.username === username).played;
    },
    /** Runs `action` with Math.random pinned to `value` (the jitter of the retries). */
    async withRandom(value, action) {
      const random = Math.random;
      Math.random = () => value;
      try {
        return await action();
      } finally {
        Math.random = random;
      }
    },
  });
  return scenario.run(kit, { memory });
}
