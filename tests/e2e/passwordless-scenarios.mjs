// The sign-in steps and sign-up paths of passwordless pools, shared by
// passwordless.test.mjs (Node) and passwordless-browser.test.mjs (Chromium,
// through the harness page), against tests/e2e/seed-passkeys.json: the MFA
// setup by email and its selection (CONTINUE_SIGN_IN_WITH_EMAIL_SETUP,
// CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION), the refusals Amplify v6 shows
// as steps (CONFIRM_SIGN_UP, RESET_PASSWORD), and passwordless sign-up with
// the Session autoSignIn. The shapes are Amplify v6's (signInHelpers.ts
// getSignInResult and getSignInResultFromError, signUp.ts, confirmSignUp.ts).
// Plain ES, no Node APIs.
import { makeKit } from './scenarios.mjs';
import { recordRequests } from './session-scenarios.mjs';

const POOL = 'us-east-1_PasskeyE2E';
const CLIENT = 'passkeyclient000000000000';
const DONE = { isSignedIn: true, nextStep: { signInStep: 'DONE' } };

export const passwordlessScenarios = [
  {
    name: 'MFA_SETUP of email alone: CONTINUE_SIGN_IN_WITH_EMAIL_SETUP takes the address, its code signs in, and email MFA is asked next time',
    async run(kit) {
      const { password } = kit.user('emailsetup');
      const auth = kit.auth(CLIENT);
      const result = await auth.signIn({ username: 'emailsetup', password });
      kit.sameJson(result, { isSignedIn: false, nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP' } }, 'signIn');
      await kit.rejects(() => auth.confirmSignIn({ challengeResponse: ' ' }), 'ValidationError', 'an empty address');
      // The service refuses it; the step stays.
      await kit.rejects(() => auth.confirmSignIn({ challengeResponse: 'not-an-address' }), 'InvalidParameterException', 'a malformed address');
      const sent = await auth.confirmSignIn({ challengeResponse: 'em@example.com' });
      kit.sameJson(
        sent,
        { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'e***@e***.com' } } },
        'the address',
      );
      const code = await kit.latestCode(POOL, 'emailsetup', 'EMAIL_OTP');
      kit.sameJson(await auth.confirmSignIn({ challengeResponse: code }), DONE, 'the code');
      kit.checkTokens(auth, { 'cognito:username': 'emailsetup', email: 'em@example.com', email_verified: true });

      const next = kit.auth(CLIENT);
      const again = await next.signIn({ username: 'emailsetup', password, authFlow: 'USER_PASSWORD_AUTH' });
      kit.equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', 'the next sign-in asks for an email code');
    },
  },
  {
    name: 'MFA_SETUP of both: CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION lists TOTP and EMAIL; each choice leads to its setup',
    async run(kit) {
      for (const [username, choice] of [['choosesetup', 'TOTP'], ['chooseemail', 'EMAIL']]) {
        const { password } = kit.user(username);
        const auth = kit.auth(CLIENT);
        const result = await auth.signIn({ username, password });
        kit.sameJson(
          result,
          { isSignedIn: false, nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION', allowedMFATypes: ['TOTP', 'EMAIL'] } },
          `signIn, ${username}`,
        );
        // Refused here, and the step stays.
        await kit.rejects(() => auth.confirmSignIn({ challengeResponse: 'SMS' }), 'ValidationError', 'SMS is not offered');
        const setup = await auth.confirmSignIn({ challengeResponse: choice });
        if (choice === 'TOTP') {
          kit.equal(setup.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP', 'TOTP: the secret');
          const code = await kit.totp(setup.nextStep.totpSetupDetails.sharedSecret);
          kit.sameJson(await auth.confirmSignIn({ challengeResponse: code }), DONE, 'TOTP: its code');
        } else {
          kit.sameJson(setup.nextStep, { signInStep: 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP' }, 'EMAIL: the address');
          const sent = await auth.confirmSignIn({ challengeResponse: `${username}@example.com` });
          kit.equal(sent.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', 'EMAIL: the code step');
          const code = await kit.latestCode(POOL, username, 'EMAIL_OTP');
          kit.sameJson(await auth.confirmSignIn({ challengeResponse: code }), DONE, 'EMAIL: its code');
        }
        kit.checkTokens(auth, { 'cognito:username': username });
      }
    },
  },
  {
    name: 'an unconfirmed user gets CONFIRM_SIGN_UP and a user whose password must be reset RESET_PASSWORD, as steps, not rejections',
    async run(kit) {
      for (const authFlow of ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH']) {
        const carl = await kit.auth(CLIENT).signIn({ username: 'carl', password: kit.user('carl').password, authFlow });
        kit.sameJson(carl, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_UP' } }, `carl, ${authFlow}`);
        const rhea = await kit.auth(CLIENT).signIn({ username: 'rhea', password: kit.user('rhea').password, authFlow });
        kit.sameJson(rhea, { isSignedIn: false, nextStep: { signInStep: 'RESET_PASSWORD' } }, `rhea, ${authFlow}`);
      }
      // Only once the password is proven: a wrong one is still NotAuthorizedException.
      await kit.rejects(() => kit.auth(CLIENT).signIn({ username: 'carl', password: 'Wrong-Passw0rd!' }), 'NotAuthorizedException', 'wrong password');
      // Nothing waits for confirmSignIn after such a step.
      const auth = kit.auth(CLIENT);
      await auth.signIn({ username: 'rhea', password: kit.user('rhea').password });
      await kit.rejects(() => auth.confirmSignIn({ challengeResponse: 'x' }), 'InvalidStateError', 'confirmSignIn after RESET_PASSWORD');

      // What the steps say to do, then a sign-in.
      await auth.resetPassword({ username: 'rhea' });
      const resetCode = await kit.latestCode(POOL, 'rhea', 'FORGOT_PASSWORD');
      await auth.confirmResetPassword({ username: 'rhea', confirmationCode: resetCode, newPassword: 'Rhea-Passw0rd!2' });
      await kit.signsIn(auth, { username: 'rhea', password: 'Rhea-Passw0rd!2' }, { 'cognito:username': 'rhea' });
      await auth.resendSignUpCode({ username: 'carl' });
      await auth.confirmSignUp({ username: 'carl', confirmationCode: await kit.latestCode(POOL, 'carl', 'SIGN_UP') });
      await kit.signsIn(kit.auth(CLIENT), { username: 'carl', password: kit.user('carl').password }, { 'cognito:username': 'carl' });
    },
  },
  {
    name: 'passwordless signUp sends no Password; confirmSignUp sends its Session, and autoSignIn signs in with the Session ConfirmSignUp gave',
    async run(kit) {
      const username = `nopass${Date.now() % 100_000}`;
      const bodies = watchBodies(kit);
      const auth = kit.auth(CLIENT);
      const signedUp = await auth.signUp({ username, options: { userAttributes: { email: `${username}@example.com` }, autoSignIn: true } });
      kit.equal(signedUp.nextStep.signUpStep, 'CONFIRM_SIGN_UP', 'signUpStep');
      kit.equal(signedUp.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL', 'the code goes by email');
      kit.equal('Password' in bodies.SignUp.at(-1), false, 'SignUp without Password');
      kit.ok(typeof signedUp.userId === 'string', 'userId');

      const code = await kit.latestCode(POOL, username, 'SIGN_UP');
      const confirmed = await auth.confirmSignUp({ username, confirmationCode: code });
      kit.sameJson(confirmed, { isSignUpComplete: true, nextStep: { signUpStep: 'COMPLETE_AUTO_SIGN_IN' } }, 'confirmSignUp');
      kit.ok(bodies.ConfirmSignUp.at(-1).Session, 'ConfirmSignUp sends the Session of SignUp');

      const signedIn = await auth.autoSignIn();
      kit.sameJson(signedIn, DONE, 'autoSignIn');
      const initiate = bodies.InitiateAuth.at(-1);
      kit.equal(initiate.AuthFlow, 'USER_AUTH', 'autoSignIn: USER_AUTH');
      kit.ok(initiate.Session, 'autoSignIn: InitiateAuth with the Session of ConfirmSignUp');
      kit.sameJson(initiate.AuthParameters, { USERNAME: username }, 'autoSignIn: the username alone');
      kit.checkTokens(auth, { 'cognito:username': username, email_verified: true });
      await kit.rejects(() => auth.autoSignIn(), 'InvalidStateError', 'autoSignIn twice');

      // The user has no password: USER_AUTH offers the email code.
      const later = kit.auth(CLIENT);
      const choice = await later.signIn({ username, authFlow: 'USER_AUTH' });
      kit.equal(choice.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', 'a later sign-in');
      kit.ok(!choice.nextStep.availableChallenges.includes('PASSWORD'), 'no PASSWORD factor for a passwordless user');
      bodies.stop();
    },
  },
  {
    name: "signUp with a password and autoSignIn: { authFlowType: 'USER_AUTH' } signs in with the Session, not the password",
    async run(kit) {
      const username = `withpass${Date.now() % 100_000}`;
      const bodies = watchBodies(kit);
      const auth = kit.auth(CLIENT);
      await auth.signUp({
        username,
        password: 'With-Passw0rd!',
        options: { userAttributes: { email: `${username}@example.com` }, autoSignIn: { authFlowType: 'USER_AUTH' } },
      });
      kit.equal(bodies.SignUp.at(-1).Password, 'With-Passw0rd!', 'SignUp with the password');
      await auth.confirmSignUp({ username, confirmationCode: await kit.latestCode(POOL, username, 'SIGN_UP') });
      kit.sameJson(await auth.autoSignIn(), DONE, 'autoSignIn');
      const initiate = bodies.InitiateAuth.at(-1);
      kit.ok(initiate.Session && !initiate.AuthParameters.PASSWORD && !initiate.AuthParameters.SRP_A, 'the Session, no password');
      bodies.stop();
    },
  },
];

/** The JSON bodies this realm's fetch sends, by operation, until `stop()`. */
function watchBodies(kit) {
  const requests = recordRequests();
  const bodies = { SignUp: [], ConfirmSignUp: [], InitiateAuth: [] };
  requests.intercept = (target, init) => {
    bodies[target]?.push(JSON.parse(init.body));
    return null;
  };
  bodies.stop = () => (requests.intercept = null);
  kit.ok(requests, 'fetch is recorded');
  return bodies;
}

/** Runs the passwordless scenario called `name` with the package module `cognito` (its namespace). */
export async function runPasswordlessScenario(cognito, env, name) {
  const scenario = passwordlessScenarios.find((s) => s.name === name);
  if (!scenario) throw new Error(`no passwordless scenario is called ${JSON.stringify(name)}`);
  await cognito.default();
  await scenario.run(makeKit(cognito, env));
}
