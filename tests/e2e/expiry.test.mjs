// Sign-in codes and sign-in Sessions expire (the service: 3 minutes each).
// tests/e2e/seed-expiry.json shortens them to 1 s for codes and 3 s for
// Sessions, so that the packed package in Node meets both answers: an
// expired code is ExpiredCodeException, an expired step NotAuthorizedException
// "Invalid session for the user, session is expired.", each with a message
// that says to sign in again, and the step is gone.
import { after, before, test } from 'node:test';
import * as cognito from './.work/node_modules/cognito-wasm/js/index.js';
import { startEndpoint } from './endpoint.mjs';
import { makeKit } from './scenarios.mjs';
import { E2E, readJson } from './support.mjs';

const SEED = `${E2E}/seed-expiry.json`;
const POOL = 'us-east-1_ExpiryPool';
const CLIENT = 'expiryclient00000000000000';
const CODE_SECONDS = 1;
const SESSION_SECONDS = 3;

let endpoint;
let kit;

before(async () => {
  endpoint = await startEndpoint(SEED);
  await cognito.default();
  kit = makeKit(cognito, { seed: readJson(SEED), endpoint: endpoint.url });
});
after(() => endpoint?.stop());

/** Waits `seconds` (and some) of real time. */
const wait = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

test('an SMS code used after its lifetime is ExpiredCodeException, and the sign-in starts over', async () => {
  const auth = kit.auth(CLIENT);
  const step = await auth.signIn({ username: 'sally', password: kit.user('sally').password });
  kit.equal(step.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE', 'the SMS step');
  const code = await kit.latestCode(POOL, 'sally', 'SMS_MFA');
  // The endpoint counts whole seconds: 1.5 s later the code (1 s) is
  // always past its lifetime and the Session (3 s) always within its own.
  await wait(CODE_SECONDS + 0.5);
  const expired = await kit.rejects(() => auth.confirmSignIn({ challengeResponse: code }), 'ExpiredCodeException', 'the old code');
  kit.ok(/call signIn again to get a new one/.test(expired.message), `the message says what to do: ${expired.message}`);
  await kit.rejects(() => auth.confirmSignIn({ challengeResponse: code }), 'InvalidStateError', 'the step is gone');

  // A new sign-in sends a new code, which works while fresh.
  await auth.signIn({ username: 'sally', password: kit.user('sally').password });
  const fresh = await kit.latestCode(POOL, 'sally', 'SMS_MFA');
  kit.sameJson(await auth.confirmSignIn({ challengeResponse: fresh }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, 'a fresh code');
});

test('a step answered after the Session expired is NotAuthorizedException "session is expired"', async () => {
  const { password } = kit.user('tina');
  const totp = kit.auth(CLIENT);
  const step = await totp.signIn({ username: 'tina', password });
  kit.equal(step.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', 'the TOTP step');
  const choice = kit.auth(CLIENT);
  const selection = await choice.signIn({ username: 'tina', options: { authFlowType: 'USER_AUTH' } });
  kit.equal(selection.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', 'the first-factor step');
  await wait(SESSION_SECONDS + 1.1);
  const code = await kit.totp(kit.user('tina').mfa.totpSecret);
  for (const [auth, answer, what] of [[totp, code, 'the TOTP code'], [choice, 'EMAIL_OTP', 'the first factor']]) {
    const error = await kit.rejects(() => auth.confirmSignIn({ challengeResponse: answer }), 'NotAuthorizedException', what);
    kit.ok(error.message.startsWith('Invalid session for the user, session is expired.'), `the service's message: ${error.message}`);
    kit.ok(error.message.includes('call signIn again'), `the message says what to do: ${error.message}`);
    await kit.rejects(() => auth.confirmSignIn({ challengeResponse: answer }), 'InvalidStateError', `${what}: the step is gone`);
  }
});
