// The session and account scenarios of the end-to-end tiers, shared so that
// both runtimes run the same code: sessions.test.mjs runs them in Node,
// sessions-browser.test.mjs in headless Chromium (the harness page imports
// this very file). Plain ES, no Node APIs.
//
// Each scenario is `async run(kit)` against the pool of
// tests/e2e/seed-sessions.json (passed in as `env.seed`); it throws on the
// first failed check. The kit is scenarios.mjs's `makeKit` plus the user-pool
// requests the page or process sent (`recordRequests`) and `kit.events(auth)`.

import { makeKit } from './scenarios.mjs';

export const SESSIONS_POOL = 'us-east-1_SessionPool';
export const SESSIONS_CLIENT = 'sessionclient0000000000000'; // PreventUserExistenceErrors=ENABLED
export const SECRET_CLIENT = 'sessionsecretclient0000000'; // has a client secret
export const SHORT_CLIENT = 'sessionshortclient00000000'; // tokens live 2 s
export const SHORT_ID_CLIENT = 'sessionshortidclient000000'; // access token 3600 s, id token 300 s

const POOL = SESSIONS_POOL;
const CLIENT = SESSIONS_CLIENT;

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

export const sessionScenarios = [
  {
    name: '20 concurrent fetchSession({ forceRefresh: true }) make exactly one refresh request, with rotation',
    async run(kit) {
      const a = kit.auth(CLIENT);
      const events = kit.events(a);
      await a.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
      kit.sameJson(events, ['signedIn'], 'events after signIn');
      const before = a.tokens;
      kit.requests.sent = [];
      const sessions = await Promise.all(Array.from({ length: 20 }, () => a.fetchSession({ forceRefresh: true })));
      kit.sameJson(kit.requests.sent, ['GetTokensFromRefreshToken'], 'one refresh request');
      const tokens = sessions.map((s) => s.tokens.accessToken);
      kit.equal(new Set(tokens).size, 1, 'every caller got the same tokens');
      kit.ok(tokens[0] !== before.accessToken, 'the refresh gave a new access token');
      kit.ok(a.tokens.refreshToken !== before.refreshToken, 'the refresh token was rotated');
      kit.sameJson(events, ['signedIn', 'tokenRefresh'], 'events after the refresh');
      // Fresh tokens are returned without a request.
      kit.requests.sent = [];
      const again = await a.fetchSession();
      kit.equal(again.tokens.accessToken, tokens[0], 'fetchSession() without forceRefresh');
      kit.sameJson(kit.requests.sent, [], 'requests of fetchSession() with fresh tokens');
      // The old refresh token no longer works; the new one does.
      const other = kit.auth(CLIENT);
      await other.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
      await a.fetchSession({ forceRefresh: true });
      kit.equal(kit.count('GetTokensFromRefreshToken'), 1, 'refresh requests with the rotated token');
    },
  },
  {
    name: 'a pool without GetTokensFromRefreshToken: the refresh falls back to REFRESH_TOKEN_AUTH with SECRET_HASH',
    async run(kit) {
      const a = kit.auth(SECRET_CLIENT); // with its client secret
      await a.signIn({ username: 'sam@example.com', password: 'Sam-Passw0rd!' });
      const refreshToken = a.tokens.refreshToken;
      let initiateBody;
      kit.requests.intercept = async (target, init) => {
        if (target === 'GetTokensFromRefreshToken') {
          return new Response(JSON.stringify({ __type: 'UnknownOperationException', message: 'no' }), { status: 400 });
        }
        if (target === 'InitiateAuth') initiateBody = JSON.parse(init.body);
        return null;
      };
      kit.requests.sent = [];
      const { tokens } = await a.fetchSession({ forceRefresh: true });
      kit.sameJson(kit.requests.sent, ['GetTokensFromRefreshToken', 'InitiateAuth'], 'requests of the refresh');
      kit.equal(initiateBody.AuthFlow, 'REFRESH_TOKEN_AUTH', 'AuthFlow of the fallback');
      kit.ok(initiateBody.AuthParameters.SECRET_HASH, 'SECRET_HASH over the username');
      kit.equal(tokens.refreshToken, refreshToken, 'the refresh token is kept');
    },
  },
  {
    name: 'a revoked refresh token signs the user out cleanly, with events',
    async run(kit) {
      const a = kit.auth(CLIENT);
      const events = kit.events(a);
      await a.signIn({ username: 'rita', password: 'Rita-Passw0rd!' });
      const b = kit.auth(CLIENT);
      await b.signIn({ username: 'rita', password: 'Rita-Passw0rd!' });
      await b.signOut({ global: true });
      kit.equal(kit.count('GlobalSignOut'), 1, 'signOut({ global: true }) sends GlobalSignOut');
      await kit.rejects(() => a.fetchSession({ forceRefresh: true }), 'NotAuthorizedException', 'refresh with a revoked token');
      kit.equal(a.tokens, null, 'tokens after the failed refresh');
      kit.sameJson(events, ['signedIn', 'tokenRefreshFailure', 'signedOut'], 'events');
      kit.sameJson(await a.fetchSession(), { tokens: null }, 'fetchSession() once signed out');
    },
  },
  {
    name: 'signOut revokes the refresh token, and clears local state even offline',
    async run(kit) {
      const a = kit.auth(CLIENT);
      const events = kit.events(a);
      await a.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
      await a.signOut();
      kit.equal(kit.count('RevokeToken'), 1, 'RevokeToken requests');
      kit.equal(a.tokens, null, 'tokens after signOut');
      kit.sameJson(events, ['signedIn', 'signedOut'], 'events');
      const offline = kit.auth(CLIENT);
      await offline.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
      kit.requests.intercept = async () => {
        throw new TypeError('fetch failed');
      };
      await kit.rejects(() => offline.signOut({ global: true }), 'NetworkError', 'signOut({ global: true }) offline');
      kit.equal(offline.tokens, null, 'local state is cleared offline');
    },
  },
  {
    name: 'sign-up, confirmation with the inbox code, and autoSignIn',
    async run(kit) {
      const a = kit.auth(CLIENT);
      const events = kit.events(a);
      const result = await a.signUp({
        username: 'newuser',
        password: 'New-Passw0rd!',
        userAttributes: { email: 'newuser@example.com', name: 'New User' },
        validationData: { source: 'e2e' },
        clientMetadata: { app: 'tests' },
        autoSignIn: true,
      });
      kit.equal(result.isSignUpComplete, false, 'isSignUpComplete');
      kit.ok(/^[0-9a-f-]{36}$/.test(result.userId), `userId ${result.userId}`);
      kit.equal(result.nextStep.signUpStep, 'CONFIRM_SIGN_UP', 'signUpStep');
      kit.sameJson(
        result.nextStep.codeDeliveryDetails,
        { destination: 'n***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' },
        'codeDeliveryDetails',
      );
      await kit.rejects(
        () => a.signUp({ username: 'newuser', password: 'New-Passw0rd!', userAttributes: { name: 'x' } }),
        'UsernameExistsException',
        'signing up a taken name',
      );
      const resent = await a.resendSignUpCode({ username: 'newuser' });
      kit.equal(resent.deliveryMedium, 'EMAIL', 'resendSignUpCode deliveryMedium');
      await kit.rejects(
        () => a.confirmSignUp({ username: 'newuser', confirmationCode: '000000x' }),
        'CodeMismatchException',
        'confirmSignUp with a wrong code',
      );
      const code = await kit.latestCode(POOL, 'newuser', 'SIGN_UP');
      const confirmed = await a.confirmSignUp({ username: 'newuser', confirmationCode: code });
      kit.sameJson(confirmed, { isSignUpComplete: true, nextStep: { signUpStep: 'COMPLETE_AUTO_SIGN_IN' } }, 'confirmSignUp');
      const signedIn = await a.autoSignIn();
      kit.equal(signedIn.isSignedIn, true, 'autoSignIn isSignedIn');
      kit.equal(a.tokens.idTokenClaims.email_verified, true, 'email_verified after confirmation');
      kit.sameJson(events, ['signedIn'], 'events');
      kit.sameJson(await a.getCurrentUser(), { username: 'newuser', userId: result.userId }, 'getCurrentUser');
      // Without autoSignIn the step is DONE.
      const b = kit.auth(CLIENT);
      await b.signUp({ username: 'plainuser', password: 'Plain-Passw0rd!', userAttributes: { email: 'p@example.com', name: 'P' } });
      const plainCode = await kit.latestCode(POOL, 'plainuser', 'SIGN_UP');
      const done = await b.confirmSignUp({ username: 'plainuser', confirmationCode: plainCode });
      kit.equal(done.nextStep.signUpStep, 'DONE', 'signUpStep without autoSignIn');
      await kit.rejects(() => b.autoSignIn(), 'InvalidStateError', 'autoSignIn without autoSignIn: true');
    },
  },
  {
    name: 'PreventUserExistenceErrors=ENABLED: no answer reveals whether a user exists',
    async run(kit) {
      const a = kit.auth(CLIENT);
      const unknown = await a.resetPassword({ username: 'nobody' });
      kit.equal(unknown.nextStep.resetPasswordStep, 'CONFIRM_RESET_PASSWORD_WITH_CODE', 'resetPassword of nobody');
      kit.equal(unknown.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL', 'resetPassword of nobody: deliveryMedium');
      kit.equal((await a.resendSignUpCode({ username: 'nobody' })).deliveryMedium, 'EMAIL', 'resendSignUpCode of nobody');
      kit.equal((await a.resendSignUpCode({ username: 'sam' })).deliveryMedium, 'EMAIL', 'resendSignUpCode of sam');
      for (const username of ['nobody', 'sam']) {
        await kit.rejects(
          () => a.confirmSignUp({ username, confirmationCode: '123456' }),
          'CodeMismatchException',
          `confirmSignUp of ${username}`,
        );
      }
      await kit.rejects(
        () => a.confirmResetPassword({ username: 'nobody', confirmationCode: '123456', newPassword: 'Any-Passw0rd!' }),
        'CodeMismatchException',
        'confirmResetPassword of nobody',
      );
    },
  },
  {
    name: 'resetPassword and confirmResetPassword, then updatePassword',
    async run(kit) {
      const a = kit.auth(CLIENT);
      const reset = await a.resetPassword({ username: 'gus' });
      kit.equal(reset.isPasswordReset, false, 'isPasswordReset');
      kit.equal(reset.nextStep.codeDeliveryDetails.destination, 'g***@e***', 'destination');
      const code = await kit.latestCode(POOL, 'gus', 'FORGOT_PASSWORD');
      await kit.rejects(
        () => a.confirmResetPassword({ username: 'gus', confirmationCode: code, newPassword: 'weak' }),
        'InvalidPasswordException',
        'confirmResetPassword with a weak password',
      );
      const confirmed = await a.confirmResetPassword({ username: 'gus', confirmationCode: code, newPassword: 'Reset-Passw0rd!' });
      kit.equal(confirmed, null, 'confirmResetPassword resolves to null');
      await kit.rejects(() => a.signIn({ username: 'gus', password: 'Gus-Passw0rd!' }), 'NotAuthorizedException', 'the old password');
      await a.signIn({ username: 'gus', password: 'Reset-Passw0rd!' });
      await kit.rejects(
        () => a.updatePassword({ oldPassword: 'Wrong-Passw0rd!', newPassword: 'Updated-Passw0rd!' }),
        'NotAuthorizedException',
        'updatePassword with a wrong old password',
      );
      await a.updatePassword({ oldPassword: 'Reset-Passw0rd!', newPassword: 'Updated-Passw0rd!' });
      await a.signOut();
      await a.signIn({ username: 'gus', password: 'Updated-Passw0rd!', authFlow: 'USER_PASSWORD_AUTH' });
      await kit.rejects(
        () => kit.auth(CLIENT).updatePassword({ oldPassword: 'a', newPassword: 'b' }),
        'InvalidStateError',
        'updatePassword signed out',
      );
    },
  },
  {
    name: 'user attributes: fetch, update with verification, delete; then deleteUser',
    async run(kit) {
      const a = kit.auth(CLIENT);
      const events = kit.events(a);
      await a.signIn({ username: 'una', password: 'Una-Passw0rd!' });
      const attributes = await a.fetchUserAttributes();
      kit.equal(attributes.locale, 'en', 'locale');
      kit.equal(attributes.email, 'una@example.com', 'email');
      const update = await a.updateUserAttributes({ userAttributes: { email: 'una2@example.com', locale: 'fr' } });
      kit.equal(update.locale.isUpdated, true, 'locale isUpdated');
      kit.equal(update.email.nextStep.updateAttributeStep, 'CONFIRM_ATTRIBUTE_WITH_CODE', 'email updateAttributeStep');
      kit.equal((await a.fetchUserAttributes()).email_verified, 'false', 'email_verified after the change');
      const resent = await a.sendUserAttributeVerificationCode({ userAttributeKey: 'email' });
      kit.equal(resent.attributeName, 'email', 'sendUserAttributeVerificationCode attributeName');
      await kit.rejects(
        () => a.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: '000000x' }),
        'CodeMismatchException',
        'confirmUserAttribute with a wrong code',
      );
      const code = await kit.latestCode(POOL, 'una', 'VERIFY_EMAIL');
      await a.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: code });
      kit.equal((await a.fetchUserAttributes()).email_verified, 'true', 'email_verified after confirmation');
      await a.deleteUserAttributes({ userAttributeKeys: ['locale'] });
      kit.equal((await a.fetchUserAttributes()).locale, undefined, 'locale after deleteUserAttributes');
      await kit.rejects(
        () => a.deleteUserAttributes({ userAttributeKeys: 'locale' }),
        'ValidationError',
        'userAttributeKeys not an array',
      );
      await a.deleteUser();
      kit.equal(a.tokens, null, 'tokens after deleteUser');
      kit.sameJson(events, ['signedIn', 'signedOut'], 'events');
      await kit.rejects(() => a.signIn({ username: 'una', password: 'Una-Passw0rd!' }), 'NotAuthorizedException', 'a deleted user');
    },
  },
  {
    name: 'account calls report an unreachable endpoint as NetworkError',
    async run(kit) {
      const a = kit.auth(CLIENT, { endpoint: kit.env.unreachableEndpoint });
      await kit.rejects(() => a.resetPassword({ username: 'sam' }), 'NetworkError', 'resetPassword, unreachable');
    },
  },
  {
    name: 'tokens carry the decoded access token claims; expiresAt is the shorter lifetime on this clock',
    async run(kit) {
      const a = kit.auth(SHORT_ID_CLIENT);
      const before = Date.now();
      await a.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
      const { accessTokenClaims, idTokenClaims, expiresAt } = a.tokens;
      kit.equal(accessTokenClaims.username, 'sam', 'access token username');
      kit.equal(accessTokenClaims.client_id, SHORT_ID_CLIENT, 'access token client_id');
      kit.equal(accessTokenClaims.token_use, 'access', 'access token token_use');
      kit.equal(accessTokenClaims.exp - accessTokenClaims.iat, 3600, 'access token lifetime');
      kit.equal(idTokenClaims.exp - idTokenClaims.iat, 300, 'id token lifetime');
      // ExpiresIn says 3600 s (the access token); the id token lives 300 s.
      kit.ok(+expiresAt >= before + 300_000 && +expiresAt <= Date.now() + 300_000, `expiresAt ${expiresAt.toISOString()}`);
      await a.signOut();
    },
  },
  {
    name: 'an expired access token is refreshed before fetchUserAttributes (and the other user calls) send it',
    async run(kit) {
      const a = kit.auth(SHORT_CLIENT);
      const events = kit.events(a);
      await a.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
      const first = a.tokens;
      // The tokens live 2 s; wait until the endpoint refuses the access token.
      await sleep(first.accessTokenClaims.exp * 1000 - Date.now() + 1_100);
      const refused = await kit.call('GetUser', { AccessToken: first.accessToken });
      kit.ok(/Access Token has expired/.test(refused.message), `GetUser with the expired token: ${refused.message}`);
      kit.requests.sent = [];
      const attributes = await a.fetchUserAttributes();
      kit.equal(attributes.email, 'sam@example.com', 'email');
      kit.sameJson(kit.requests.sent, ['GetTokensFromRefreshToken', 'GetUser'], 'requests of fetchUserAttributes');
      kit.sameJson(events, ['signedIn', 'tokenRefresh'], 'events');
      kit.ok(a.tokens.accessToken !== first.accessToken, 'a new access token');
      // Fresh tokens are sent as they are (a client with hour-long tokens).
      const b = kit.auth(CLIENT);
      await b.signIn({ username: 'sam', password: 'Sam-Passw0rd!' });
      kit.requests.sent = [];
      kit.equal((await b.getCurrentUser()).username, 'sam', 'getCurrentUser');
      kit.sameJson(kit.requests.sent, ['GetUser'], 'requests of getCurrentUser with fresh tokens');
      await a.signOut();
      await b.signOut();
    },
  },
];

/**
 * Wraps this realm's `fetch` (once) to record the user-pool operation of each
 * request (its X-Amz-Target) in `sent`, and to let `intercept(target, init)`
 * answer or fail a request itself (a Response, a throw, or null to send it).
 * Requests without an X-Amz-Target (the inbox) pass untouched.
 */
export function recordRequests() {
  const current = globalThis.fetch;
  if (current.requests) return current.requests;
  const requests = { sent: [], intercept: null, realFetch: current };
  const recording = async (url, init) => {
    const target = init?.headers?.['X-Amz-Target']?.split('.').pop();
    if (target === undefined) return current(url, init);
    requests.sent.push(target);
    return (requests.intercept && (await requests.intercept(target, init))) ?? current(url, init);
  };
  recording.requests = requests;
  globalThis.fetch = recording;
  return requests;
}

/** Runs the session scenario called `name` with the package module `cognito` (its namespace). */
export async function runSessionScenario(cognito, env, name) {
  const scenario = sessionScenarios.find((s) => s.name === name);
  if (!scenario) throw new Error(`no session scenario is called ${JSON.stringify(name)}`);
  await cognito.default();
  const requests = recordRequests();
  requests.sent = [];
  requests.intercept = null;
  try {
    await scenario.run(makeSessionKit(cognito, env, requests));
  } finally {
    requests.intercept = null;
  }
}

/** scenarios.mjs's kit, with the recorded requests and an event log per instance. */
function makeSessionKit(cognito, env, requests) {
  const kit = makeKit(cognito, env);
  kit.requests = requests;
  /** How many requests of `operation` were sent since `requests.sent` was last emptied. */
  kit.count = (operation) => requests.sent.filter((t) => t === operation).length;
  kit.events = eventsOf;
  return kit;
}

/** The onChange events of `auth`, by name, as they come (an array that grows). */
export function eventsOf(auth) {
  const events = [];
  auth.onChange(({ event }) => events.push(event));
  return events;
}
