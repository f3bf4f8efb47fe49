// Passkeys through the packed package in headless Chromium, with a virtual
// authenticator of the DevTools protocol (WebAuthn.addVirtualAuthenticator:
// CTAP2, internal transport, resident keys, user verification) against the
// local endpoint: associateWebAuthnCredential, a passkey sign-in (preferred,
// chosen at SELECT_CHALLENGE, and through conditional UI, the username
// field's autofill), listWebAuthnCredentials and deleteWebAuthnCredential,
// and the failures: a prompt the authenticator does not verify (the step
// stays for confirmSignIn), an aborted one, a deleted credential, a relying
// party id that is not the page's. The page is on http://localhost, the
// pool's relying party id (browsers refuse IP addresses).
//
// What Chromium sent is checked by @simplewebauthn/server, a WebAuthn
// implementation no one here wrote: the registration the endpoint accepted
// (CompleteWebAuthnRegistration's Credential, against the options of
// StartWebAuthnRegistration) and each assertion it accepted (the CREDENTIAL
// of RespondToAuthChallenge WEB_AUTHN, against CREDENTIAL_REQUEST_OPTIONS,
// with the public key of that registration).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import { startEndpoint } from './endpoint.mjs';
import { E2E, addPasskeyAuthenticator, assertNoPageErrors, assertNoWasmTrap, launchChromium, openHarness, serveHarness } from './support.mjs';
import { join } from 'node:path';

const SEED = join(E2E, 'seed-passkeys.json');
const POOL = 'us-east-1_PasskeyE2E';
const CLIENT = 'passkeyclient000000000000';
const OTHER_RP_POOL = 'us-east-1_OtherRpE2E';
const OTHER_RP_CLIENT = 'otherrpclient000000000000';
const PIA = { username: 'pia', password: 'Pia-Passw0rd!' };

let endpoint;
let site;
let browser;
let page;
let problems;
let cdp;
let authenticatorId;
let origin;
/** What the page sent to the endpoint and got back: [{ target, request, response }]. */
const calls = [];

before(async () => {
  endpoint = await startEndpoint(SEED);
  site = await serveHarness();
  browser = await launchChromium();
  origin = site.url.replace('127.0.0.1', 'localhost');
  ({ page, problems } = await openHarness(browser, origin));
  // Recorded when sent, in order, so that `calls.length` after a call counts
  // its requests; the answer is filled in when it arrives (`settle`).
  page.on('request', (request) => {
    if (!request.url().startsWith(endpoint.url) || request.method() !== 'POST') return;
    const call = { target: request.headers()['x-amz-target']?.split('.').pop(), request: JSON.parse(request.postData()), response: null };
    calls.push(call);
    request
      .response()
      .then((response) => response?.json())
      .then((answer) => (call.response = answer ?? null))
      .catch(() => {});
  });
  ({ cdp, authenticatorId } = await addPasskeyAuthenticator(page));
});

after(async () => {
  await browser?.close();
  await site?.close();
  await endpoint?.stop();
});

/**
 * Runs `body` (the source of an async function of `(cognito, env)`) in the
 * page, with the package module and `{ endpoint, pool, client, ... }`; its
 * result, or `{ error: { name, message } }` when it throws.
 */
async function inPage(body, env = {}) {
  const result = await page.evaluate(
    async ([body, env]) => {
      const cognito = await import('cognito-wasm');
      await cognito.default();
      window.auths ??= {};
      const run = new Function('cognito', 'env', 'auths', `return (async () => { ${body} })();`);
      try {
        return await run(cognito, env, window.auths);
      } catch (error) {
        return { error: { name: error?.name, message: error?.message } };
      }
    },
    [body, { endpoint: endpoint.url, pool: POOL, client: CLIENT, ...env }],
  );
  assertNoWasmTrap(problems);
  assertNoPageErrors(problems);
  return result;
}

/** The page's CognitoAuth called `name` (made on first use). */
const AUTH = (name) =>
  `auths.${name} ??= new cognito.CognitoAuth({ userPoolId: env.pool, clientId: env.client, endpoint: env.endpoint });
   const auth = auths.${name};`;

/** The calls sent since `from` whose X-Amz-Target is `target` (and, for RespondToAuthChallenge, ChallengeName `challenge`). */
const sent = (from, target, challenge) =>
  calls.slice(from).filter((c) => c.target === target && (!challenge || c.request.ChallengeName === challenge));

/** Waits for the answers of the page's requests to be recorded. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

const setUserVerified = (isUserVerified) => cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified });

/** The registration the endpoint accepted, as @simplewebauthn/server verified it (its public key, for assertions). */
let registered;

/** @simplewebauthn/server checks the last WEB_AUTHN answer since `from`, which the endpoint accepted, against its challenge's options. */
async function verifyLastAssertion(from) {
  await settle();
  const [answer] = sent(from, 'RespondToAuthChallenge', 'WEB_AUTHN').slice(-1);
  assert.ok(answer, 'a WEB_AUTHN challenge was answered');
  // The challenge it answers: the one with its Session.
  const challenge = calls.find((c) => c.response?.ChallengeName === 'WEB_AUTHN' && c.response.Session === answer.request.Session);
  assert.ok(challenge, 'the WEB_AUTHN challenge of the answer');
  // Tokens, or (with a remembered device) DEVICE_SRP_AUTH.
  const accepted = answer.response?.AuthenticationResult?.AccessToken || answer.response?.ChallengeName === 'DEVICE_SRP_AUTH';
  assert.ok(accepted, `the endpoint accepted the assertion: ${JSON.stringify(answer.response)}`);
  const options = JSON.parse(challenge.response.ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS);
  const response = JSON.parse(answer.request.ChallengeResponses.CREDENTIAL);
  const reference = await verifyAuthenticationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: origin,
    expectedRPID: 'localhost',
    credential: registered.credential,
    requireUserVerification: true,
  });
  assert.equal(reference.verified, true, '@simplewebauthn/server verifies the assertion');
  assert.ok(reference.authenticationInfo.newCounter > registered.credential.counter, 'the signature counter grew');
  registered.credential.counter = reference.authenticationInfo.newCounter;
  return response;
}

describe('passkeys in Chromium with a virtual authenticator', () => {
  test('associateWebAuthnCredential registers a passkey; @simplewebauthn/server verifies what the endpoint accepted', async () => {
    const from = calls.length;
    const result = await inPage(
      `${AUTH('pia')}
       await auth.signIn({ username: 'pia', password: 'Pia-Passw0rd!' });
       await auth.associateWebAuthnCredential();
       const { credentials, nextToken } = await auth.listWebAuthnCredentials();
       return { credentials: credentials.map((c) => ({ ...c, createdAt: c.createdAt instanceof Date ? c.createdAt.getTime() : c.createdAt })), nextToken };`,
    );
    assert.equal(result.error, undefined, JSON.stringify(result.error));
    await settle();
    const [start] = sent(from, 'StartWebAuthnRegistration');
    const [complete] = sent(from, 'CompleteWebAuthnRegistration');
    assert.ok(start && complete, 'Start and Complete were sent');
    const options = start.response.CredentialCreationOptions;
    const credential = complete.request.Credential;
    assert.equal(typeof credential, 'object', 'Credential is sent as an object (RegistrationResponseJSON)');
    assert.equal(credential.type, 'public-key');
    assert.equal(credential.id, credential.rawId);
    assert.ok(Array.isArray(credential.response.transports), 'the transports are sent');
    const reference = await verifyRegistrationResponse({
      response: credential,
      expectedChallenge: options.challenge,
      expectedOrigin: origin,
      expectedRPID: 'localhost',
      requireUserVerification: true,
    });
    assert.equal(reference.verified, true, '@simplewebauthn/server verifies the registration');
    registered = reference.registrationInfo;

    // Amplify's AuthWebAuthnCredential, of the credential the authenticator holds.
    const { credentials: held } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(held.length, 1);
    assert.equal(held[0].isResidentCredential, true);
    assert.equal(Buffer.from(held[0].credentialId, 'base64').toString('base64url'), credential.id);
    assert.equal(result.credentials.length, 1);
    const [listed] = result.credentials;
    assert.equal(listed.credentialId, credential.id);
    assert.equal(listed.relyingPartyId, 'localhost');
    assert.equal(listed.authenticatorAttachment, 'platform');
    assert.deepEqual(listed.authenticatorTransports, credential.response.transports);
    assert.equal(typeof listed.friendlyCredentialName, 'string');
    assert.ok(Math.abs(listed.createdAt - Date.now()) < 60_000, 'createdAt is a Date of now');
    assert.equal(result.nextToken, undefined);

    // The same authenticator again: it already holds a passkey of this user.
    const again = await inPage(`${AUTH('pia')} await auth.associateWebAuthnCredential();`);
    assert.equal(again.error?.name, 'PasskeyAlreadyExists', JSON.stringify(again));
  });

  test('signIn with preferredChallenge WEB_AUTHN signs in with the passkey alone; the device proves itself after it', async () => {
    const from = calls.length;
    const result = await inPage(
      `${AUTH('passkey')}
       const result = await auth.signIn({ username: 'pia', options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' } });
       return { result, claims: auth.tokens?.idTokenClaims };`,
    );
    assert.deepEqual(result.result, { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, JSON.stringify(result));
    assert.equal(result.claims['cognito:username'], 'pia');
    const response = await verifyLastAssertion(from);
    assert.equal(response.type, 'public-key');
    assert.equal(Buffer.from(response.response.userHandle, 'base64url').length > 0, true, 'the resident key gives its user handle');
    // The credential is a string of JSON in CREDENTIAL, with no DEVICE_KEY (as Amplify sends it).
    const [answer] = sent(from, 'RespondToAuthChallenge', 'WEB_AUTHN');
    assert.deepEqual(Object.keys(answer.request.ChallengeResponses).sort(), ['CREDENTIAL', 'USERNAME']);

    // pia's first sign-in (with the password) confirmed this instance's device
    // (the pool tracks devices); a passkey sign-in names it, and it proves itself.
    const fromDevice = calls.length;
    const device = await inPage(
      `${AUTH('pia')}
       await auth.signOut();
       return auth.signIn({ username: 'pia', authFlow: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' });`,
    );
    assert.deepEqual(device, { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, JSON.stringify(device));
    await verifyLastAssertion(fromDevice);
    assert.ok(sent(fromDevice, 'InitiateAuth').some((c) => c.request.AuthParameters.DEVICE_KEY), 'InitiateAuth names the device');
    assert.equal(sent(fromDevice, 'RespondToAuthChallenge', 'DEVICE_PASSWORD_VERIFIER').length, 1, 'the device proved its secret');
  });

  test('WEB_AUTHN chosen at SELECT_CHALLENGE runs the passkey prompt in confirmSignIn', async () => {
    const from = calls.length;
    const result = await inPage(
      `${AUTH('select')}
       const first = await auth.signIn({ username: 'pia', authFlow: 'USER_AUTH' });
       const second = await auth.confirmSignIn({ challengeResponse: 'WEB_AUTHN' });
       return { first, second };`,
    );
    assert.equal(result.first?.nextStep?.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', JSON.stringify(result));
    assert.ok(result.first.nextStep.availableChallenges.includes('WEB_AUTHN'));
    assert.deepEqual(result.second, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    await verifyLastAssertion(from);
  });

  test('without WebAuthn Level 3 (no toJSON, no parse*FromJSON) the options and the credential are encoded by hand', async () => {
    const from = calls.length;
    const result = await inPage(
      `const saved = { toJSON: PublicKeyCredential.prototype.toJSON, parse: PublicKeyCredential.parseRequestOptionsFromJSON };
       delete PublicKeyCredential.prototype.toJSON;
       delete PublicKeyCredential.parseRequestOptionsFromJSON;
       try {
         ${AUTH('byHand')}
         return await auth.signIn({ username: 'pia', authFlow: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' });
       } finally {
         PublicKeyCredential.prototype.toJSON = saved.toJSON;
         PublicKeyCredential.parseRequestOptionsFromJSON = saved.parse;
       }`,
    );
    assert.deepEqual(result, { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, JSON.stringify(result));
    const response = await verifyLastAssertion(from);
    assert.deepEqual(Object.keys(response).sort(), ['authenticatorAttachment', 'clientExtensionResults', 'id', 'rawId', 'response', 'type']);
    assert.deepEqual(Object.keys(response.response).sort(), ['authenticatorData', 'clientDataJSON', 'signature', 'userHandle']);
  });

  test('a prompt the authenticator does not verify is PasskeyAuthenticationCanceled, and the step stays for confirmSignIn', async () => {
    await setUserVerified(false);
    try {
      const failed = await inPage(
        `${AUTH('retry')}
         return auth.signIn({ username: 'pia', authFlow: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' });`,
      );
      assert.equal(failed.error?.name, 'PasskeyAuthenticationCanceled', JSON.stringify(failed));
      assert.match(failed.error.message, /confirmSignIn\(\{ challengeResponse: 'WEB_AUTHN' \}\)/);
      const other = await inPage(`${AUTH('retry')} return auth.confirmSignIn({ challengeResponse: 'EMAIL_OTP' });`);
      assert.equal(other.error?.name, 'ValidationError', JSON.stringify(other));
    } finally {
      await setUserVerified(true);
    }
    const from = calls.length;
    const retried = await inPage(`${AUTH('retry')} return auth.confirmSignIn({ challengeResponse: 'WEB_AUTHN' });`);
    assert.deepEqual(retried, { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, JSON.stringify(retried));
    await settle();
    assert.equal(sent(from, 'InitiateAuth').length, 0, 'the retry answers the same challenge: no new InitiateAuth');
    await verifyLastAssertion(from);
  });

  test('conditional UI: the passkey offered in the username field signs in; an aborted one is PasskeyOperationAborted', async () => {
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.id = 'username';
      input.autocomplete = 'username webauthn';
      document.body.append(input);
    });
    assert.equal(await page.evaluate(() => PublicKeyCredential.isConditionalMediationAvailable()), true);
    const from = calls.length;
    const result = await inPage(
      `${AUTH('conditional')}
       const signedIn = auth.signIn({ username: 'pia', authFlow: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN', mediation: 'conditional' });
       document.getElementById('username').focus();
       return await signedIn;`,
    );
    assert.deepEqual(result, { isSignedIn: true, nextStep: { signInStep: 'DONE' } }, JSON.stringify(result));
    await verifyLastAssertion(from);

    // No passkey picked: the user types a password instead, and the page aborts the request.
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false });
    const aborted = await inPage(
      `${AUTH('typed')}
       const typed = new AbortController();
       const signedIn = auth.signIn({ username: 'pia', authFlow: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN', options: { mediation: 'conditional', signal: typed.signal } });
       setTimeout(() => typed.abort(), 500);
       const error = await signedIn.catch((error) => error);
       const password = await auth.signIn({ username: 'pia', password: 'Pia-Passw0rd!' });
       return { error: { name: error.name, message: error.message }, password };`,
    );
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: true });
    assert.equal(aborted.error?.name, 'PasskeyOperationAborted', JSON.stringify(aborted));
    assert.deepEqual(aborted.password, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  });

  test('a deleted passkey: deleteWebAuthnCredential removes it, and its assertion is refused with NotAuthorizedException', async () => {
    const { credentials: [held] } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    // A second passkey (the first left the authenticator), so that WEB_AUTHN is still offered.
    await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: held.credentialId });
    // Registered without WebAuthn Level 3's encoders: by hand.
    const from = calls.length;
    const listed = await inPage(
      `${AUTH('pia')}
       const saved = { toJSON: PublicKeyCredential.prototype.toJSON, parse: PublicKeyCredential.parseCreationOptionsFromJSON };
       delete PublicKeyCredential.prototype.toJSON;
       delete PublicKeyCredential.parseCreationOptionsFromJSON;
       try {
         await auth.associateWebAuthnCredential();
       } finally {
         PublicKeyCredential.prototype.toJSON = saved.toJSON;
         PublicKeyCredential.parseCreationOptionsFromJSON = saved.parse;
       }
       const before = await auth.listWebAuthnCredentials({ pageSize: 1 });
       const rest = await auth.listWebAuthnCredentials({ pageSize: 1, nextToken: before.nextToken });
       await auth.deleteWebAuthnCredential({ credentialId: env.deleted });
       const after = await auth.listWebAuthnCredentials();
       const again = await auth.deleteWebAuthnCredential({ credentialId: env.deleted }).catch((e) => e.name);
       return { before: before.credentials.length, nextToken: typeof before.nextToken, rest: rest.credentials.length, after: after.credentials.map((c) => c.credentialId), again };`,
      { deleted: registered.credential.id },
    );
    assert.deepEqual(listed.before, 1, JSON.stringify(listed));
    await settle();
    const [start] = sent(from, 'StartWebAuthnRegistration');
    const [complete] = sent(from, 'CompleteWebAuthnRegistration');
    const byHand = await verifyRegistrationResponse({
      response: complete.request.Credential,
      expectedChallenge: start.response.CredentialCreationOptions.challenge,
      expectedOrigin: origin,
      expectedRPID: 'localhost',
      requireUserVerification: true,
    });
    assert.equal(byHand.verified, true, '@simplewebauthn/server verifies the registration encoded by hand');
    assert.equal(listed.nextToken, 'string');
    assert.equal(listed.rest, 1);
    assert.equal(listed.after.length, 1);
    assert.ok(!listed.after.includes(registered.credential.id), 'the deleted passkey is gone');
    assert.equal(listed.again, 'ResourceNotFoundException');

    // The authenticator holds only the deleted passkey again, and the
    // service's options allow any (as for a discoverable credential).
    const { credentials: [second] } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: second.credentialId });
    await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: held });
    await page.route(`${endpoint.url}/`, async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      if (body.ChallengeName === 'WEB_AUTHN') {
        const options = JSON.parse(body.ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS);
        body.ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS = JSON.stringify({ ...options, allowCredentials: [] });
      }
      await route.fulfill({ response, json: body });
    });
    try {
      const refused = await inPage(
        `${AUTH('deleted')}
         return auth.signIn({ username: 'pia', authFlow: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' });`,
      );
      assert.equal(refused.error?.name, 'NotAuthorizedException', JSON.stringify(refused));
      assert.match(refused.error.message, /not registered/);
    } finally {
      await page.unroute(`${endpoint.url}/`);
    }
  });

  test("a relying party id that is not the page's domain is RelyingPartyMismatch", async () => {
    const env = { pool: OTHER_RP_POOL, client: OTHER_RP_CLIENT };
    const signIn = await inPage(
      `${AUTH('otherRp')}
       return auth.signIn({ username: 'olga', authFlow: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' });`,
      env,
    );
    assert.equal(signIn.error?.name, 'RelyingPartyMismatch', JSON.stringify(signIn));
    assert.match(signIn.error.message, /example\.com/);
    const register = await inPage(
      `${AUTH('otherRp')}
       await auth.signIn({ username: 'olga', password: 'Olga-Passw0rd!', authFlow: 'USER_PASSWORD_AUTH' });
       return auth.associateWebAuthnCredential();`,
      env,
    );
    assert.equal(register.error?.name, 'RelyingPartyMismatch', JSON.stringify(register));
  });
});
