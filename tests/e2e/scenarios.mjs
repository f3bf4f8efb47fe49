// The sign-in scenarios of the end-to-end tiers, shared so that both cover the
// same cases: signin.test.mjs runs them in Node, browser.test.mjs in headless
// Chromium (the harness page imports this very file). Plain ES, no Node APIs.
//
// Each scenario is `async run(kit)`; it throws on the first failed check. The
// kit (makeKit below) wraps the public API of the packed package and the pools
// of tests/e2e/seed-signin.json, which the test passes in as `env.seed`.

import { deviceScenarios } from './device-scenarios.mjs';

const ENABLED = 'enabledclient0000000000000'; // PreventUserExistenceErrors=ENABLED
const LEGACY = 'legacyclient00000000000000'; // PreventUserExistenceErrors=LEGACY
const SECRET = 'secretclient00000000000000'; // has a client secret
const SRP_ONLY = 'srponlyclient0000000000000';
const PASSWORD_ONLY = 'passwordonlyclient00000000';
const EMAIL_POOL = 'emailpoolclient00000000000'; // usernameAttributes: email
const CUSTOM = 'customclient00000000000000'; // ALLOW_CUSTOM_AUTH
const USER_AUTH = 'userauthclient000000000000'; // ALLOW_USER_AUTH
const FIRST_FACTORS = ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP']; // the pool's sign-in policy
const DONE = { isSignedIn: true, nextStep: { signInStep: 'DONE' } };

const FLOWS = ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ALICE_CLAIMS = {
  'cognito:username': 'alice',
  email: 'alice@example.com',
  email_verified: true,
  name: 'Alice Liddell',
};

export const scenarios = [
  {
    name: 'the right password signs in with USER_SRP_AUTH (the default) and USER_PASSWORD_AUTH',
    async run(kit) {
      const { password } = kit.user('alice');
      for (const authFlow of [undefined, ...FLOWS]) {
        const auth = kit.auth(ENABLED);
        kit.equal(auth.tokens, null, 'tokens before signing in');
        await kit.signsIn(auth, { username: 'alice', password, authFlow }, ALICE_CLAIMS);
      }
    },
  },
  {
    name: 'a wrong password is NotAuthorizedException',
    async run(kit) {
      for (const authFlow of FLOWS) {
        const auth = kit.auth(ENABLED);
        const attempt = () => auth.signIn({ username: 'alice', password: 'Wrong-Passw0rd!', authFlow });
        await kit.rejects(attempt, 'NotAuthorizedException', `wrong password, ${authFlow}`);
        kit.equal(auth.tokens, null, 'tokens after a failed sign-in');
        await kit.recovers(auth);
      }
    },
  },
  {
    name: 'an unknown user is NotAuthorizedException when PreventUserExistenceErrors is ENABLED',
    async run(kit) {
      for (const authFlow of FLOWS) {
        const auth = kit.auth(ENABLED);
        const attempt = () => auth.signIn({ username: 'nobody', password: 'Some-Passw0rd!', authFlow });
        await kit.rejects(attempt, 'NotAuthorizedException', `unknown user, ENABLED, ${authFlow}`);
        await kit.recovers(auth);
      }
    },
  },
  {
    name: 'an unknown user is UserNotFoundException with a LEGACY client',
    async run(kit) {
      for (const authFlow of FLOWS) {
        const auth = kit.auth(LEGACY);
        const attempt = () => auth.signIn({ username: 'nobody', password: 'Some-Passw0rd!', authFlow });
        await kit.rejects(attempt, 'UserNotFoundException', `unknown user, LEGACY, ${authFlow}`);
        await kit.recovers(auth);
      }
    },
  },
  {
    name: 'signing in by email alias proves the password for USER_ID_FOR_SRP, not the typed name',
    async run(kit) {
      const { password } = kit.user('alice');
      kit.equal(await kit.srpUserId(ENABLED, 'alice@example.com'), 'alice', 'USER_ID_FOR_SRP of the alias');
      for (const authFlow of FLOWS) {
        const auth = kit.auth(ENABLED);
        await kit.signsIn(auth, { username: 'alice@example.com', password, authFlow }, ALICE_CLAIMS);
        const wrong = () => auth.signIn({ username: 'alice@example.com', password: 'Wrong-Passw0rd!', authFlow });
        await kit.rejects(wrong, 'NotAuthorizedException', `wrong password by alias, ${authFlow}`);
        await kit.recovers(auth);
      }
    },
  },
  {
    name: 'a pool with usernameAttributes signs in by email; the username is a UUID',
    async run(kit) {
      const { password } = kit.user('carol@example.com');
      const userId = await kit.srpUserId(EMAIL_POOL, 'carol@example.com');
      kit.ok(UUID.test(userId), `USER_ID_FOR_SRP ${userId} is a UUID`);
      for (const authFlow of FLOWS) {
        const auth = kit.auth(EMAIL_POOL);
        const claims = { 'cognito:username': userId, sub: userId, email: 'carol@example.com', name: 'Carol' };
        await kit.signsIn(auth, { username: 'carol@example.com', password, authFlow }, claims);
      }
    },
  },
  {
    name: 'a client with a secret signs in with clientSecret and is refused without it',
    async run(kit) {
      const { password } = kit.user('alice');
      const withSecret = kit.auth(SECRET);
      for (const authFlow of FLOWS) {
        // By alias too: SECRET_HASH is over the typed name first, then over USER_ID_FOR_SRP.
        for (const username of ['alice', 'alice@example.com']) {
          await kit.signsIn(withSecret, { username, password, authFlow }, ALICE_CLAIMS);
        }
      }
      await withSecret.signOut();
      kit.equal(withSecret.tokens, null, 'tokens after signOut');

      const refused = [
        ['no clientSecret', kit.auth(SECRET, { clientSecret: undefined })],
        ['a wrong clientSecret', kit.auth(SECRET, { clientSecret: 'not-the-secret' })],
      ];
      for (const [what, auth] of refused) {
        for (const authFlow of FLOWS) {
          const attempt = () => auth.signIn({ username: 'alice', password, authFlow });
          await kit.rejects(attempt, 'NotAuthorizedException', `${what}, ${authFlow}`);
          // The instance keeps answering (with the same refusal), it does not trap.
          await kit.rejects(attempt, 'NotAuthorizedException', `${what} again, ${authFlow}`);
        }
      }
      await kit.recovers(withSecret);
    },
  },
  {
    name: 'NEW_PASSWORD_REQUIRED: a missing required attribute is refused locally, then the step succeeds',
    async run(kit) {
      const { password } = kit.user('newbie');
      const newPassword = 'Newbie-Passw0rd!';
      const auth = kit.auth(ENABLED);
      const result = await auth.signIn({ username: 'newbie', password });
      kit.equal(result.isSignedIn, false, 'isSignedIn');
      const step = result.nextStep;
      kit.equal(step.signInStep, 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', 'signInStep');
      kit.sameJson(step.missingAttributes, ['name'], 'missingAttributes');
      kit.equal(step.userAttributes.email, 'newbie@example.com', 'userAttributes.email');
      kit.equal(auth.tokens, null, 'tokens while the step is pending');

      const noName = await kit.rejects(
        () => auth.confirmSignIn({ challengeResponse: newPassword }),
        'ValidationError',
        'confirmSignIn without the required name',
      );
      kit.ok(noName.message.includes('name'), `the message names the attribute: ${noName.message}`);
      await kit.rejects(
        () => auth.confirmSignIn({ challengeResponse: newPassword, userAttributes: { name: '' } }),
        'ValidationError',
        'confirmSignIn with an empty name',
      );
      await kit.rejects(
        () => auth.confirmSignIn({ challengeResponse: '', userAttributes: { name: 'New Bie' } }),
        'ValidationError',
        'confirmSignIn with an empty password',
      );

      // Nothing was sent, so the same step can be retried.
      const done = await auth.confirmSignIn({ challengeResponse: newPassword, userAttributes: { name: 'New Bie' } });
      kit.sameJson(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, 'confirmSignIn result');
      kit.checkTokens(auth, { 'cognito:username': 'newbie', name: 'New Bie', email: 'newbie@example.com' });
      await kit.rejects(
        () => auth.confirmSignIn({ challengeResponse: newPassword }),
        'InvalidStateError',
        'confirmSignIn once the step is done',
      );

      for (const authFlow of FLOWS) {
        const again = kit.auth(ENABLED);
        const old = () => again.signIn({ username: 'newbie', password, authFlow });
        await kit.rejects(old, 'NotAuthorizedException', `the old password, ${authFlow}`);
        await kit.signsIn(again, { username: 'newbie', password: newPassword, authFlow }, { name: 'New Bie' });
      }
      await kit.recovers(auth);
    },
  },
  {
    name: 'SMS_MFA and EMAIL_OTP: the code from the inbox signs in; a wrong code is CodeMismatchException and can be retried',
    async run(kit) {
      const cases = [
        ['smsuser', 'CONFIRM_SIGN_IN_WITH_SMS_CODE', 'SMS', '+*******0100', 'SMS_MFA'],
        ['emailuser', 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', 'EMAIL', 'e***@e***.com', 'EMAIL_OTP'],
      ];
      for (const [username, signInStep, deliveryMedium, destination, purpose] of cases) {
        for (const [clientId, authFlow] of [[ENABLED, 'USER_SRP_AUTH'], [SECRET, 'USER_PASSWORD_AUTH']]) {
          const what = `${username}, ${authFlow}`;
          const { password } = kit.user(username);
          const auth = kit.auth(clientId);
          const result = await auth.signIn({ username, password, authFlow });
          kit.sameJson(
            result,
            { isSignedIn: false, nextStep: { signInStep, codeDeliveryDetails: { deliveryMedium, destination } } },
            `signIn, ${what}`,
          );
          kit.equal(auth.tokens, null, `tokens while the code is awaited, ${what}`);
          const code = await kit.latestCode('us-east-1_AliasPool', username, purpose);
          const wrong = code === '000000' ? '111111' : '000000';
          await kit.rejects(() => auth.confirmSignIn({ challengeResponse: wrong }), 'CodeMismatchException', `a wrong code, ${what}`);
          await kit.rejects(() => auth.confirmSignIn({ challengeResponse: ' ' }), 'ValidationError', `an empty code, ${what}`);
          const done = await auth.confirmSignIn({ challengeResponse: code });
          kit.sameJson(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, `confirmSignIn, ${what}`);
          kit.checkTokens(auth, { 'cognito:username': username });
          await kit.rejects(() => auth.confirmSignIn({ challengeResponse: code }), 'InvalidStateError', `the code again, ${what}`);
        }
      }
    },
  },
  {
    name: 'SOFTWARE_TOKEN_MFA: an RFC 6238 code from the shared secret signs in',
    async run(kit) {
      const { password, mfa } = kit.user('totpuser');
      for (const [clientId, authFlow] of [[ENABLED, 'USER_SRP_AUTH'], [SECRET, 'USER_PASSWORD_AUTH']]) {
        const auth = kit.auth(clientId);
        const result = await auth.signIn({ username: 'totpuser', password, authFlow });
        kit.sameJson(result, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } }, `signIn, ${authFlow}`);
        const code = await kit.totp(mfa.totpSecret);
        const wrong = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
        await kit.rejects(() => auth.confirmSignIn({ challengeResponse: wrong }), 'CodeMismatchException', `a wrong code, ${authFlow}`);
        const done = await auth.confirmSignIn({ challengeResponse: code });
        kit.sameJson(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, `confirmSignIn, ${authFlow}`);
        kit.checkTokens(auth, { 'cognito:username': 'totpuser', name: 'Tom' });
      }
    },
  },
  {
    name: 'SELECT_MFA_TYPE: CONTINUE_SIGN_IN_WITH_MFA_SELECTION lists SMS, TOTP and EMAIL; each choice leads to its code step',
    async run(kit) {
      const { password, mfa } = kit.user('multiuser');
      for (const choice of ['TOTP', 'EMAIL', 'SMS_MFA']) {
        const auth = kit.auth(ENABLED);
        const result = await auth.signIn({ username: 'multiuser', password });
        kit.sameJson(
          result,
          { isSignedIn: false, nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', allowedMFATypes: ['SMS', 'TOTP', 'EMAIL'] } },
          'signIn',
        );
        const refused = await kit.rejects(() => auth.confirmSignIn({ challengeResponse: 'PUSH' }), 'ValidationError', 'an MFA type not offered');
        kit.ok(refused.message.includes('TOTP'), `the message lists the choices: ${refused.message}`);
        const chosen = await auth.confirmSignIn({ challengeResponse: choice });
        kit.equal(chosen.isSignedIn, false, `isSignedIn after choosing ${choice}`);
        let code;
        if (choice === 'TOTP') {
          kit.sameJson(chosen.nextStep, { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' }, 'the TOTP step');
          code = await kit.totp(mfa.totpSecret);
        } else if (choice === 'EMAIL') {
          kit.sameJson(
            chosen.nextStep,
            { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'm***@e***.com' } },
            'the email step',
          );
          code = await kit.latestCode('us-east-1_AliasPool', 'multiuser', 'EMAIL_OTP');
        } else {
          kit.sameJson(
            chosen.nextStep,
            { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDeliveryDetails: { deliveryMedium: 'SMS', destination: '+*******0199' } },
            'the SMS step',
          );
          code = await kit.latestCode('us-east-1_AliasPool', 'multiuser', 'SMS_MFA');
        }
        const done = await auth.confirmSignIn({ challengeResponse: code });
        kit.sameJson(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, `confirmSignIn after ${choice}`);
        kit.checkTokens(auth, { 'cognito:username': 'multiuser', name: 'Mo' });
      }
    },
  },
  {
    name: 'CUSTOM_AUTH: CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE over the seeded rounds, with SRP first and without',
    async run(kit) {
      const { password, customChallenge } = kit.user('riddler');
      const { question, answer, rounds } = customChallenge;
      for (const authFlow of ['CUSTOM_WITHOUT_SRP', 'CUSTOM_WITH_SRP']) {
        const auth = kit.auth(CUSTOM);
        const input = authFlow === 'CUSTOM_WITH_SRP' ? { username: 'riddler', password, authFlow } : { username: 'riddler', authFlow };
        let result = await auth.signIn(input);
        for (let round = 1; round <= rounds; round += 1) {
          const additionalInfo = { USERNAME: 'riddler', question, round: String(round), rounds: String(rounds) };
          kit.sameJson(
            result,
            { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', additionalInfo } },
            `${authFlow}, round ${round}`,
          );
          kit.equal(auth.tokens, null, `tokens in round ${round}`);
          result = await auth.confirmSignIn({ challengeResponse: answer });
        }
        kit.sameJson(result, { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, `${authFlow}, after ${rounds} rounds`);
        kit.checkTokens(auth, { 'cognito:username': 'riddler', name: 'Edward' });

        // A wrong answer in a later round ends the sign-in.
        const again = kit.auth(CUSTOM);
        await again.signIn(input);
        await again.confirmSignIn({ challengeResponse: answer });
        await kit.rejects(() => again.confirmSignIn({ challengeResponse: 'a map' }), 'NotAuthorizedException', `${authFlow}, a wrong answer`);
        await kit.rejects(() => again.confirmSignIn({ challengeResponse: answer }), 'InvalidStateError', `${authFlow}, after the wrong answer`);
        await kit.rejects(() => again.confirmSignIn({ challengeResponse: '' }), 'InvalidStateError', `${authFlow}, nothing pending`);
        await kit.recovers(again);
      }
      const wrongPassword = () => kit.auth(CUSTOM).signIn({ username: 'riddler', password: 'Wrong-Passw0rd!', authFlow: 'CUSTOM_WITH_SRP' });
      await kit.rejects(wrongPassword, 'NotAuthorizedException', 'CUSTOM_WITH_SRP with a wrong password');
      const noPassword = () => kit.auth(CUSTOM).signIn({ username: 'riddler', authFlow: 'CUSTOM_WITH_SRP' });
      await kit.rejects(noPassword, 'ValidationError', 'CUSTOM_WITH_SRP without a password');
      const noRules = () => kit.auth(CUSTOM).signIn({ username: 'alice', authFlow: 'CUSTOM_WITHOUT_SRP' });
      await kit.rejects(noRules, 'InvalidParameterException', 'CUSTOM_AUTH for a user the triggers have no rules for');
      const notAllowed = () => kit.auth(ENABLED).signIn({ username: 'riddler', authFlow: 'CUSTOM_WITHOUT_SRP' });
      await kit.rejects(notAllowed, 'InvalidParameterException', 'CUSTOM_AUTH on a client without ALLOW_CUSTOM_AUTH');
      const empty = kit.auth(CUSTOM);
      await empty.signIn({ username: 'riddler', authFlow: 'CUSTOM_WITHOUT_SRP' });
      await kit.rejects(() => empty.confirmSignIn({ challengeResponse: '' }), 'ValidationError', 'an empty answer');
      const kept = await empty.confirmSignIn({ challengeResponse: answer });
      kit.equal(kept.nextStep.additionalInfo?.round, '2', 'the step was kept after the empty answer');
    },
  },
  {
    name: 'MFA_SETUP: CONTINUE_SIGN_IN_WITH_TOTP_SETUP gives the secret and its otpauth:// URI; a code of it signs in, and TOTP is asked next time',
    async run(kit) {
      const { password } = kit.user('setupuser');
      const auth = kit.auth(SECRET);
      const result = await auth.signIn({ username: 'setupuser', password });
      kit.equal(result.isSignedIn, false, 'isSignedIn');
      kit.equal(result.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP', 'signInStep');
      const details = result.nextStep.totpSetupDetails;
      kit.ok(/^[A-Z2-7]{32}$/.test(details.sharedSecret), `sharedSecret is base32: ${details.sharedSecret}`);
      const uri = details.getSetupUri('My App');
      kit.ok(uri instanceof URL, 'getSetupUri returns a URL');
      kit.equal(uri.href, `otpauth://totp/My%20App:setupuser?secret=${details.sharedSecret}&issuer=My%20App`, 'the otpauth URI');
      kit.equal(details.getSetupUri('X', 'stu@example.com').href.split('?')[0], 'otpauth://totp/X:stu%40example.com', 'a given account name');

      const code = await kit.totp(details.sharedSecret);
      const wrong = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
      await kit.rejects(() => auth.confirmSignIn({ challengeResponse: wrong }), 'EnableSoftwareTokenMFAException', 'a wrong code');
      const done = await auth.confirmSignIn({ challengeResponse: code });
      kit.sameJson(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, 'confirmSignIn with the code');
      kit.checkTokens(auth, { 'cognito:username': 'setupuser', name: 'Stu' });

      const next = kit.auth(ENABLED);
      const again = await next.signIn({ username: 'setupuser', password, authFlow: 'USER_PASSWORD_AUTH' });
      kit.sameJson(again.nextStep, { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' }, 'the next sign-in asks for the code');
      await next.confirmSignIn({ challengeResponse: await kit.totp(details.sharedSecret) });
      kit.checkTokens(next, { 'cognito:username': 'setupuser' });
    },
  },
  {
    name: 'signed-in MFA: setUpTOTP, verifyTOTPSetup, updateMFAPreference and fetchMFAPreference change what sign-in asks',
    async run(kit) {
      const { password } = kit.user('manager');
      await kit.rejects(() => kit.auth(ENABLED).fetchMFAPreference(), 'InvalidStateError', 'fetchMFAPreference before signing in');
      const auth = kit.auth(ENABLED);
      await kit.signsIn(auth, { username: 'manager', password });
      kit.sameJson(await auth.fetchMFAPreference(), {}, 'no MFA at first');

      const setup = await auth.setUpTOTP();
      kit.ok(/^[A-Z2-7]{32}$/.test(setup.sharedSecret), `sharedSecret: ${setup.sharedSecret}`);
      kit.equal(setup.getSetupUri('Demo').href, `otpauth://totp/Demo:manager?secret=${setup.sharedSecret}&issuer=Demo`, 'getSetupUri');
      const code = await kit.totp(setup.sharedSecret);
      const wrong = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
      await kit.rejects(() => auth.verifyTOTPSetup({ code: wrong }), 'EnableSoftwareTokenMFAException', 'verifyTOTPSetup with a wrong code');
      await kit.rejects(() => auth.verifyTOTPSetup({ code: '' }), 'ValidationError', 'verifyTOTPSetup with no code');
      kit.equal(await auth.verifyTOTPSetup({ code, options: { friendlyDeviceName: 'phone' } }), undefined, 'verifyTOTPSetup');
      kit.sameJson(await auth.fetchMFAPreference(), {}, 'verified is not yet enabled');

      await kit.rejects(() => auth.updateMFAPreference({ totp: 'ON' }), 'ValidationError', 'an unknown preference');
      kit.equal(await auth.updateMFAPreference({ sms: 'ENABLED', totp: 'PREFERRED' }), undefined, 'updateMFAPreference');
      kit.sameJson(await auth.fetchMFAPreference(), { enabled: ['SMS', 'TOTP'], preferred: 'TOTP' }, 'SMS and TOTP, TOTP preferred');

      const second = kit.auth(ENABLED);
      const preferred = await second.signIn({ username: 'manager', password });
      kit.sameJson(preferred.nextStep, { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' }, 'the preferred TOTP is asked');
      await second.confirmSignIn({ challengeResponse: await kit.totp(setup.sharedSecret) });
      kit.checkTokens(second, { 'cognito:username': 'manager' });

      await auth.updateMFAPreference({ totp: 'NOT_PREFERRED', email: 'ENABLED' });
      kit.sameJson(await auth.fetchMFAPreference(), { enabled: ['SMS', 'TOTP', 'EMAIL'] }, 'three factors, none preferred');
      const choose = await kit.auth(ENABLED).signIn({ username: 'manager', password });
      kit.sameJson(choose.nextStep.allowedMFATypes, ['SMS', 'TOTP', 'EMAIL'], 'the user chooses');

      await auth.updateMFAPreference({ sms: 'DISABLED', totp: 'DISABLED', email: 'DISABLED' });
      kit.sameJson(await auth.fetchMFAPreference(), {}, 'all disabled');
      await kit.signsIn(kit.auth(ENABLED), { username: 'manager', password });
    },
  },
  {
    name: 'USER_AUTH: without a preference the user chooses a first factor; PASSWORD and PASSWORD_SRP ask for the password, EMAIL_OTP and SMS_OTP for a code',
    async run(kit) {
      const { password } = kit.user('pat');
      const codeSteps = {
        EMAIL_OTP: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'p***@e***.com' } },
        SMS_OTP: { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDeliveryDetails: { deliveryMedium: 'SMS', destination: '+*******0111' } },
      };
      for (const choice of FIRST_FACTORS) {
        const auth = kit.auth(USER_AUTH);
        const selection = await auth.signIn({ username: 'pat', options: { authFlowType: 'USER_AUTH' } });
        kit.sameJson(
          selection,
          { isSignedIn: false, nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', availableChallenges: FIRST_FACTORS } },
          `signIn, before choosing ${choice}`,
        );
        const refused = await kit.rejects(() => auth.confirmSignIn({ challengeResponse: 'TOTP' }), 'ValidationError', 'a factor not offered');
        kit.ok(refused.message.includes('EMAIL_OTP'), `the message lists the factors: ${refused.message}`);
        const chosen = await auth.confirmSignIn({ challengeResponse: choice });
        let done;
        if (choice.startsWith('PASSWORD')) {
          kit.sameJson(chosen, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_PASSWORD' } }, `the password step of ${choice}`);
          await kit.rejects(() => auth.confirmSignIn({ challengeResponse: '' }), 'ValidationError', `an empty password, ${choice}`);
          done = await auth.confirmSignIn({ challengeResponse: password });
        } else {
          kit.sameJson(chosen, { isSignedIn: false, nextStep: codeSteps[choice] }, `the code step of ${choice}`);
          const code = await kit.latestCode('us-east-1_AliasPool', 'pat', choice);
          const wrong = code === '000000' ? '111111' : '000000';
          await kit.rejects(() => auth.confirmSignIn({ challengeResponse: wrong }), 'CodeMismatchException', `a wrong code, ${choice}`);
          done = await auth.confirmSignIn({ challengeResponse: code });
        }
        kit.sameJson(done, DONE, `signed in with ${choice}`);
        kit.checkTokens(auth, { 'cognito:username': 'pat', name: 'Pat' });
      }
      for (const choice of ['PASSWORD', 'PASSWORD_SRP']) {
        const auth = kit.auth(USER_AUTH);
        await auth.signIn({ username: 'pat', authFlow: 'USER_AUTH' });
        await auth.confirmSignIn({ challengeResponse: choice });
        await kit.rejects(() => auth.confirmSignIn({ challengeResponse: 'Wrong-Passw0rd!' }), 'NotAuthorizedException', `a wrong password, ${choice}`);
        await kit.rejects(() => auth.confirmSignIn({ challengeResponse: password }), 'InvalidStateError', `after the wrong password, ${choice}`);
        await kit.recovers(auth);
      }
    },
  },
  {
    name: 'USER_AUTH: preferredChallenge goes straight to that factor; MFA follows a password; WEB_AUTHN where the pool has no passkeys asks for a choice',
    async run(kit) {
      const { password } = kit.user('pat');
      for (const preferredChallenge of ['PASSWORD_SRP', 'PASSWORD']) {
        const auth = kit.auth(USER_AUTH);
        const input = { username: 'pat', password, options: { authFlowType: 'USER_AUTH', preferredChallenge } };
        kit.sameJson(await auth.signIn(input), DONE, `preferredChallenge ${preferredChallenge}`);
        kit.checkTokens(auth, { 'cognito:username': 'pat' });
        const wrong = { ...input, password: 'Wrong-Passw0rd!' };
        await kit.rejects(() => kit.auth(USER_AUTH).signIn(wrong), 'NotAuthorizedException', `a wrong password, ${preferredChallenge}`);
        const none = { username: 'pat', authFlow: 'USER_AUTH', preferredChallenge };
        await kit.rejects(() => kit.auth(USER_AUTH).signIn(none), 'ValidationError', `${preferredChallenge} without a password`);
      }
      const email = kit.auth(USER_AUTH);
      const step = await email.signIn({ username: 'pat', authFlow: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' });
      kit.equal(step.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', 'preferred EMAIL_OTP');
      kit.sameJson(await email.confirmSignIn({ challengeResponse: await kit.latestCode('us-east-1_AliasPool', 'pat', 'EMAIL_OTP') }), DONE, 'the email code');

      // emailuser has EMAIL_OTP as second factor, and no phone: no SMS_OTP, and preferring it asks for a choice.
      const mfa = kit.auth(USER_AUTH);
      const { password: emailPassword } = kit.user('emailuser');
      const choose = await mfa.signIn({ username: 'emailuser', options: { authFlowType: 'USER_AUTH', preferredChallenge: 'SMS_OTP' } });
      kit.sameJson(choose.nextStep.availableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP'], 'the factors of a user without a phone');
      await mfa.confirmSignIn({ challengeResponse: 'PASSWORD_SRP' });
      const second = await mfa.confirmSignIn({ challengeResponse: emailPassword });
      kit.sameJson(
        second,
        { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'e***@e***.com' } } },
        'the second factor after PASSWORD_SRP',
      );
      const code = await kit.latestCode('us-east-1_AliasPool', 'emailuser', 'EMAIL_OTP');
      kit.sameJson(await mfa.confirmSignIn({ challengeResponse: code }), DONE, 'the second factor');
      kit.checkTokens(mfa, { 'cognito:username': 'emailuser' });

      // Passkeys are a first factor now (this once expected UnsupportedChallengeError);
      // a pool that does not offer them asks for a choice (passkeys-browser.test.mjs signs in with one).
      const passkey = await kit.auth(USER_AUTH).signIn({ username: 'pat', options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' } });
      kit.sameJson(
        passkey.nextStep,
        { signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', availableChallenges: FIRST_FACTORS },
        'preferredChallenge WEB_AUTHN where the pool has no passkeys',
      );
      const notAllowed = () => kit.auth(ENABLED).signIn({ username: 'pat', authFlow: 'USER_AUTH' });
      await kit.rejects(notAllowed, 'InvalidParameterException', 'USER_AUTH on a client without ALLOW_USER_AUTH');
      await kit.recovers(kit.auth(USER_AUTH));
    },
  },
  {
    name: 'NEW_PASSWORD_REQUIRED for a user with MFA: the second factor follows the new password',
    async run(kit) {
      const { password } = kit.user('newmfa');
      const auth = kit.auth(ENABLED);
      const first = await auth.signIn({ username: 'newmfa', password });
      kit.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', 'the new-password step');
      const next = await auth.confirmSignIn({ challengeResponse: 'Nia-Passw0rd!' });
      kit.sameJson(
        next,
        { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDeliveryDetails: { deliveryMedium: 'SMS', destination: '+*******0122' } } },
        'the SMS step after the new password',
      );
      kit.equal(auth.tokens, null, 'no tokens before the second factor');
      const code = await kit.latestCode('us-east-1_AliasPool', 'newmfa', 'SMS_MFA');
      kit.sameJson(await auth.confirmSignIn({ challengeResponse: code }), DONE, 'the SMS code');
      kit.checkTokens(auth, { 'cognito:username': 'newmfa', name: 'Nia' });
    },
  },
  {
    name: 'ClientMetadata, UserContextData and AnalyticsMetadata go with every call that takes them',
    async run(kit) {
      const nonce = `run-${Math.random().toString(36).slice(2)}`;
      const clientMetadata = { scenario: nonce };
      const asked = [];
      const userContextData = (input) => {
        asked.push(input);
        return `fingerprint:${input.username}`;
      };
      const auth = kit.auth(ENABLED, { analyticsEndpointId: 'pinpoint-1', userContextData });
      const since = (await kit.requests()).length;

      const { password } = kit.user('contextuser');
      const sms = await auth.signIn({ username: 'contextuser', password, options: { clientMetadata } });
      kit.equal(sms.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE', 'the SMS step');
      const code = await kit.latestCode('us-east-1_AliasPool', 'contextuser', 'SMS_MFA');
      kit.sameJson(await auth.confirmSignIn({ challengeResponse: code, options: { clientMetadata } }), DONE, 'signed in');
      await auth.updateUserAttributes({ userAttributes: { locale: 'en' }, options: { clientMetadata } });
      await auth.sendUserAttributeVerificationCode({ userAttributeKey: 'email', options: { clientMetadata } });

      const username = `ctx${nonce.slice(4)}`;
      const newPassword = 'Context-Passw0rd!2';
      await auth.signUp({ username, password: newPassword, options: { userAttributes: { email: `${username}@example.com`, name: 'C' }, clientMetadata } });
      await auth.resendSignUpCode({ username, options: { clientMetadata } });
      const signUpCode = await kit.latestCode('us-east-1_AliasPool', username, 'SIGN_UP');
      await auth.confirmSignUp({ username, confirmationCode: signUpCode, options: { clientMetadata } });
      await auth.resetPassword({ username, options: { clientMetadata } });
      const resetCode = await kit.latestCode('us-east-1_AliasPool', username, 'FORGOT_PASSWORD');
      await auth.confirmResetPassword({ username, confirmationCode: resetCode, newPassword: `${newPassword}3`, options: { clientMetadata } });
      // USER_AUTH and SELECT_CHALLENGE too.
      const choice = kit.auth(USER_AUTH, { analyticsEndpointId: 'pinpoint-1', userContextData });
      await choice.signIn({ username: 'pat', authFlow: 'USER_AUTH', clientMetadata });
      await choice.confirmSignIn({ challengeResponse: 'PASSWORD_SRP' });
      kit.sameJson(await choice.confirmSignIn({ challengeResponse: kit.user('pat').password, clientMetadata }), DONE, 'USER_AUTH with PASSWORD_SRP');

      const calls = (await kit.requests()).slice(since);
      const operations = calls.map((c) => c.operation);
      kit.sameJson(
        operations,
        [
          'InitiateAuth', 'RespondToAuthChallenge', 'RespondToAuthChallenge', 'UpdateUserAttributes', 'GetUserAttributeVerificationCode',
          'SignUp', 'ResendConfirmationCode', 'ConfirmSignUp', 'ForgotPassword', 'ConfirmForgotPassword',
          'InitiateAuth', 'RespondToAuthChallenge', 'RespondToAuthChallenge',
        ],
        'the calls made',
      );
      const withContext = ['InitiateAuth', 'RespondToAuthChallenge', 'SignUp', 'ConfirmSignUp', 'ResendConfirmationCode', 'ForgotPassword', 'ConfirmForgotPassword'];
      for (const call of calls) {
        kit.sameJson(call.clientMetadata, clientMetadata, `ClientMetadata of ${call.operation}`);
        if (withContext.includes(call.operation)) {
          kit.sameJson(call.analyticsMetadata, { AnalyticsEndpointId: 'pinpoint-1' }, `AnalyticsMetadata of ${call.operation}`);
          kit.ok(/^fingerprint:/.test(call.userContextData?.EncodedData), `UserContextData of ${call.operation}: ${kit.show(call.userContextData)}`);
        } else {
          kit.equal(call.userContextData, null, `no UserContextData for ${call.operation}`);
        }
      }
      kit.sameJson(
        asked[0],
        { username: 'contextuser', userPoolId: 'us-east-1_AliasPool', userPoolClientId: ENABLED },
        'what userContextData is asked with',
      );
      // After SRP the calls are for the user's id (USER_ID_FOR_SRP).
      kit.ok(asked.some((a) => a.username === username), 'asked for the new user too');

      // By default, the EncodedData of Cognito's advanced security script, when the page has it.
      globalThis.AmazonCognitoAdvancedSecurityData = { getData: (user, pool, client) => `asd:${user}:${pool}:${client}` };
      try {
        const before = (await kit.requests()).length;
        await kit.signsIn(kit.auth(ENABLED), { username: 'alice', password: kit.user('alice').password });
        const [initiate] = (await kit.requests()).slice(before);
        kit.sameJson(initiate.userContextData, { EncodedData: `asd:alice:us-east-1_AliasPool:${ENABLED}` }, 'the advanced security data');
        kit.equal(initiate.analyticsMetadata, null, 'no AnalyticsMetadata without analyticsEndpointId');
      } finally {
        delete globalThis.AmazonCognitoAdvancedSecurityData;
      }
    },
  },
  {
    name: 'a flow the client does not allow is InvalidParameterException',
    async run(kit) {
      const { password } = kit.user('alice');
      for (const [clientId, authFlow] of [
        [SRP_ONLY, 'USER_PASSWORD_AUTH'],
        [PASSWORD_ONLY, 'USER_SRP_AUTH'],
      ]) {
        const auth = kit.auth(clientId);
        const attempt = () => auth.signIn({ username: 'alice', password, authFlow });
        await kit.rejects(attempt, 'InvalidParameterException', `${authFlow} on a client without it`);
        await kit.recovers(auth); // with the flow the client allows
      }
    },
  },
  {
    name: 'an unreachable endpoint is NetworkError',
    async run(kit) {
      const { password } = kit.user('alice');
      const auth = kit.auth(ENABLED, { endpoint: kit.env.unreachableEndpoint });
      for (const authFlow of FLOWS) {
        const attempt = () => auth.signIn({ username: 'alice', password, authFlow });
        const error = await kit.rejects(attempt, 'NetworkError', `unreachable endpoint, ${authFlow}`);
        kit.ok(error.message.includes(kit.env.unreachableEndpoint), `the message names the URL: ${error.message}`);
      }
      await kit.recovers(kit.auth(ENABLED));
    },
  },
  {
    name: 'unusable options make the constructor throw ValidationError; bad input rejects with it',
    async run(kit) {
      const { CognitoAuth } = kit.cognito;
      const pool = 'us-east-1_AliasPool';
      const badOptions = [
        undefined,
        null,
        'us-east-1_AliasPool',
        {},
        { userPoolId: pool },
        { clientId: ENABLED },
        { userPoolId: 42, clientId: ENABLED },
        { userPoolId: 'AliasPool', clientId: ENABLED },
        { userPoolId: 'us-east-1_', clientId: ENABLED },
        { userPoolId: pool, clientId: '' },
        { userPoolId: pool, clientId: ENABLED, endpoint: 'ftp://127.0.0.1/' },
        { userPoolId: pool, clientId: ENABLED, endpoint: '127.0.0.1:9229' },
        { userPoolId: pool, clientId: ENABLED, region: 'Not A Region' },
        { userPoolId: 'Not A Region_x', clientId: ENABLED },
      ];
      for (const options of badOptions) {
        kit.throwsNow(() => new CognitoAuth(options), 'ValidationError', `new CognitoAuth(${kit.show(options)})`);
      }

      const { password } = kit.user('alice');
      const auth = kit.auth(ENABLED);
      const badInput = [
        undefined,
        {},
        { username: 'alice' },
        { username: '', password },
        { username: 'alice', password: '' },
        { username: 'alice', password, authFlow: 'CUSTOM_AUTH' },
        { username: 'alice', password, clientMetadata: 'not an object' },
      ];
      for (const input of badInput) {
        await kit.rejects(() => auth.signIn(input), 'ValidationError', `signIn(${kit.show(input)})`);
      }
      await kit.rejects(() => auth.confirmSignIn(undefined), 'ValidationError', 'confirmSignIn(undefined)');
      await kit.recovers(auth);
    },
  },
  {
    name: 'confirmSignIn with nothing pending is InvalidStateError',
    async run(kit) {
      const auth = kit.auth(ENABLED);
      const confirm = () => auth.confirmSignIn({ challengeResponse: 'Some-Passw0rd!', userAttributes: { name: 'x' } });
      await kit.rejects(confirm, 'InvalidStateError', 'confirmSignIn before signIn');
      await kit.recovers(auth);
      await kit.rejects(confirm, 'InvalidStateError', 'confirmSignIn after a finished sign-in');
      kit.ok(auth.tokens, 'the InvalidStateError left the tokens alone');
    },
  },
  {
    name: 'signOut clears the tokens and revokes the refresh token',
    async run(kit) {
      const { password } = kit.user('alice');
      const auth = kit.auth(ENABLED);
      await auth.signOut(); // nothing to revoke yet
      const { refreshToken } = await kit.signsIn(auth, { username: 'alice', password }, ALICE_CLAIMS);
      const before = await kit.refresh(ENABLED, refreshToken);
      kit.equal(before.error, undefined, `REFRESH_TOKEN_AUTH before signOut (${before.message})`);
      kit.ok(before.body.AuthenticationResult?.AccessToken, 'REFRESH_TOKEN_AUTH gives an access token');

      await auth.signOut();
      kit.equal(auth.tokens, null, 'tokens after signOut');
      const after = await kit.refresh(ENABLED, refreshToken);
      kit.equal(after.error, 'NotAuthorizedException', 'REFRESH_TOKEN_AUTH with the revoked token');
      await auth.signOut(); // twice is harmless
      await kit.recovers(auth);
    },
  },
  ...deviceScenarios,
];

/** Runs the scenario called `name` with the package module `cognito` (its namespace). */
export async function runScenario(cognito, env, name) {
  const scenario = scenarios.find((s) => s.name === name);
  if (!scenario) throw new Error(`no scenario is called ${JSON.stringify(name)}`);
  await cognito.default();
  await scenario.run(makeKit(cognito, env));
}

/**
 * The checks and shortcuts the scenarios use. `cognito` is the package module;
 * `env` is { seed, endpoint, unreachableEndpoint }.
 */
export function makeKit(cognito, env) {
  const clientOf = new WeakMap(); // CognitoAuth -> the seed client id it was made for

  const fail = (message) => {
    throw new Error(message);
  };
  const show = (value) => (value === undefined ? 'undefined' : JSON.stringify(value));
  const canonical = (value) =>
    JSON.stringify(value, (_, v) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
        : v,
    );

  const kit = {
    cognito,
    env,
    show,
    ok(value, what) {
      if (!value) fail(`${what}: expected a true value, got ${show(value)}`);
    },
    equal(actual, expected, what) {
      if (!Object.is(actual, expected)) fail(`${what}: expected ${show(expected)}, got ${show(actual)}`);
    },
    sameJson(actual, expected, what) {
      if (canonical(actual) !== canonical(expected)) {
        fail(`${what}: expected ${canonical(expected)}, got ${canonical(actual)}`);
      }
    },

    /** Fails on a wasm trap or panic surfacing as an error. */
    notTrap(error, what) {
      const text = `${error?.name}: ${error?.message}`;
      if (error?.name === 'RuntimeError' || /unreachable|panicked|recursive use of an object/.test(text)) {
        fail(`${what}: the wasm module trapped: ${text}`);
      }
    },

    /** `action()` must return a promise that rejects with an Error named `name`. */
    async rejects(action, name, what) {
      let promise;
      try {
        promise = action();
      } catch (error) {
        kit.notTrap(error, what);
        fail(`${what}: threw ${error?.name} synchronously instead of rejecting: ${error?.message}`);
      }
      if (typeof promise?.then !== 'function') fail(`${what}: did not return a promise`);
      try {
        await promise;
      } catch (error) {
        kit.notTrap(error, what);
        kit.ok(error instanceof Error, `${what}: rejects with an Error (got ${show(error)})`);
        kit.equal(error.name, name, `${what}: error.name (message: ${error.message})`);
        kit.ok(error.message, `${what}: error.message`);
        return error;
      }
      return fail(`${what}: expected ${name}, but it resolved`);
    },

    /** `action()` must throw an Error named `name` at once. */
    throwsNow(action, name, what) {
      try {
        action();
      } catch (error) {
        kit.notTrap(error, what);
        kit.ok(error instanceof Error, `${what}: throws an Error (got ${show(error)})`);
        kit.equal(error.name, name, `${what}: error.name (message: ${error.message})`);
        kit.ok(error.message, `${what}: error.message`);
        return error;
      }
      return fail(`${what}: expected it to throw ${name}`);
    },

    /** The seed's pool and app client with this id. */
    client(clientId) {
      for (const pool of env.seed.userPools) {
        const client = pool.clients.find((c) => c.clientId === clientId);
        if (client) return { pool, client };
      }
      return fail(`the seed has no app client ${clientId}`);
    },

    /** The seed user signing in as `login` (username, or email where the pool has no usernames). */
    user(login) {
      for (const pool of env.seed.userPools) {
        const user = pool.users.find((u) => (u.username ?? u.attributes.email) === login);
        if (user) return { ...user, login };
      }
      return fail(`the seed has no user ${login}`);
    },

    /** A new CognitoAuth for a seed client (with its secret, if any) on the local endpoint. */
    auth(clientId, overrides = {}) {
      const { pool, client } = kit.client(clientId);
      const secret = client.clientSecret ? { clientSecret: client.clientSecret } : {};
      const auth = new cognito.CognitoAuth({
        userPoolId: pool.id,
        clientId,
        endpoint: env.endpoint,
        ...secret,
        ...overrides,
      });
      clientOf.set(auth, clientId);
      return auth;
    },

    /** signIn must end in DONE with tokens whose id-token claims include `claims`. */
    async signsIn(auth, input, claims = {}) {
      const what = `signIn(${input.username}, ${input.authFlow ?? 'default flow'})`;
      let result;
      try {
        result = await auth.signIn(input);
      } catch (error) {
        kit.notTrap(error, what);
        fail(`${what} failed: ${error?.name}: ${error?.message}`);
      }
      kit.sameJson(result, { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, what);
      return kit.checkTokens(auth, claims);
    },

    /** The instance holds tokens of a fresh sign-in with these id-token claims. */
    checkTokens(auth, claims) {
      const tokens = auth.tokens;
      kit.ok(tokens, 'auth.tokens after signing in');
      for (const name of ['idToken', 'accessToken', 'refreshToken']) {
        kit.ok(typeof tokens[name] === 'string' && tokens[name].length > 0, `tokens.${name}`);
      }
      kit.ok(tokens.expiresAt instanceof Date, 'tokens.expiresAt is a Date');
      const left = tokens.expiresAt.getTime() - Date.now();
      kit.ok(left > 60_000 && left <= 86_400_000, `tokens.expiresAt is in the future (${tokens.expiresAt.toISOString()})`);
      const idClaims = tokens.idTokenClaims;
      kit.ok(idClaims && typeof idClaims === 'object', 'tokens.idTokenClaims');
      const expected = { aud: clientOf.get(auth), token_use: 'id', ...claims };
      for (const [name, value] of Object.entries(expected)) {
        kit.equal(idClaims[name], value, `id token claim ${name}`);
      }
      // expiresAt (this clock + ExpiresIn) agrees with the token's exp (the server's clock).
      const skew = Math.abs(tokens.expiresAt.getTime() / 1000 - idClaims.exp);
      kit.ok(skew < 10, `expiresAt ${tokens.expiresAt.toISOString()} is near the id token exp ${idClaims.exp}`);
      return tokens;
    },

    /** After an error: the instance that failed and a new one for the same client both sign in. */
    async recovers(auth) {
      const clientId = clientOf.get(auth);
      const { pool, client } = kit.client(clientId);
      const user = pool.users.find((u) => u.status === 'CONFIRMED');
      const flows = client.explicitAuthFlows ?? ['ALLOW_USER_SRP_AUTH'];
      const authFlow = flows.includes('ALLOW_USER_SRP_AUTH') ? 'USER_SRP_AUTH' : 'USER_PASSWORD_AUTH';
      const input = { username: user.username ?? user.attributes.email, password: user.password, authFlow };
      await kit.signsIn(auth, input);
      await kit.signsIn(kit.auth(clientId), input);
    },

    /** One raw user-pool API call with fetch: { status, body, error (the exception name), message }. */
    async call(operation, body) {
      const response = await fetch(env.endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
        },
        body: JSON.stringify(body),
      });
      const json = await response.json().catch(() => ({}));
      const error = response.ok ? undefined : (json.__type ?? 'no __type').split('#').pop();
      return { status: response.status, body: json, error, message: json.message };
    },

    /** What the endpoint received, oldest first (GET /requests): { operation, clientId, clientMetadata, userContextData, analyticsMetadata }. */
    async requests() {
      const response = await fetch(`${env.endpoint}/requests`);
      return (await response.json()).requests;
    },

    /** The newest code of `purpose` the endpoint "sent" to a user (GET /inbox). */
    async latestCode(poolId, username, purpose) {
      const query = new URLSearchParams({ pool: poolId, username });
      const response = await fetch(`${env.endpoint}/inbox?${query}`);
      const { messages } = await response.json();
      const message = messages.filter((m) => m.purpose === purpose).pop();
      kit.ok(message, `a ${purpose} code in the inbox of ${username}`);
      kit.ok(/^[0-9]{6}$/.test(message.code), `the ${purpose} code has six digits: ${message.code}`);
      return message.code;
    },

    /** The RFC 6238 code (HMAC-SHA1, 30 s, 6 digits) of a base32 secret, now (Web Crypto). */
    async totp(secret, now = Date.now()) {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
      let bits = '';
      for (const char of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
      const key = new Uint8Array(Math.floor(bits.length / 8)).map((_, i) => parseInt(bits.slice(i * 8, i * 8 + 8), 2));
      const counter = new DataView(new ArrayBuffer(8));
      counter.setBigUint64(0, BigInt(Math.floor(now / 30_000)));
      const hmacKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
      const mac = new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, counter.buffer));
      const offset = mac[19] & 0x0f;
      const binary = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
      return String(binary % 1_000_000).padStart(6, '0');
    },

    /** REFRESH_TOKEN_AUTH by hand (a client without a secret). */
    refresh(clientId, refreshToken) {
      return kit.call('InitiateAuth', {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: clientId,
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      });
    },

    /** The USER_ID_FOR_SRP the pool answers USER_SRP_AUTH for `login` with (SRP_A = g). */
    async srpUserId(clientId, login) {
      const answer = await kit.call('InitiateAuth', {
        AuthFlow: 'USER_SRP_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: login, SRP_A: '02' },
      });
      kit.equal(answer.error, undefined, `InitiateAuth USER_SRP_AUTH for ${login} (${answer.message})`);
      return answer.body.ChallengeParameters?.USER_ID_FOR_SRP;
    },
  };
  return kit;
}
