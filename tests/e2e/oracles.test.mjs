// The local endpoint against independent clients: amazon-cognito-identity-js
// (npm) and pycognito over boto3 (PyPI). Both do their own SRP maths, so a
// sign-in that succeeds here shows the endpoint speaks the service's protocol.
//
// Needs `cargo build --release -p cognito-local` first; run with
// `node --test tests/e2e/oracles.test.mjs`.
import { execFile } from 'node:child_process';
import { createHmac, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import cognito from 'amazon-cognito-identity-js';

import { startEndpoint } from './endpoint.mjs';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = cognito;
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const SEED_PATH = here('./seed.json');
const SEED = JSON.parse(readFileSync(SEED_PATH, 'utf8'));
const PYTHON = here('../../.venv/bin/python');
const PYCOGNITO_SCRIPT = here('./pycognito_signin.py');
const PYCOGNITO_MFA_SCRIPT = here('./pycognito_mfa.py');

const [ALIAS_POOL, LEGACY_POOL, EMAIL_POOL] = SEED.userPools;
const clientNamed = (name) => ALIAS_POOL.clients.find((c) => c.clientName === name);
const ENABLED = clientNamed('enabled');
const SECRET = clientNamed('with a secret');
const PASSWORD_ONLY = clientNamed('USER_PASSWORD_AUTH only');
const [LEGACY] = LEGACY_POOL.clients;
const [EMAIL] = EMAIL_POOL.clients;
const ALICE = ALIAS_POOL.users.find((u) => u.username === 'alice');

let endpoint;
before(async () => {
  endpoint = await startEndpoint(SEED_PATH);
});
after(async () => {
  await endpoint?.stop();
});

/** A Storage for amazon-cognito-identity-js over `memory`, which a test can read and change. */
function memoryStorage(memory = new Map()) {
  return {
    setItem: (k, v) => memory.set(k, String(v)),
    getItem: (k) => memory.get(k) ?? null,
    removeItem: (k) => memory.delete(k),
    clear: () => memory.clear(),
  };
}

/** A CognitoUser of amazon-cognito-identity-js on the local endpoint, with memory storage. */
function jsUser(pool, client, username) {
  const Storage = memoryStorage();
  const userPool = new CognitoUserPool({ UserPoolId: pool.id, ClientId: client.clientId, endpoint: endpoint.url, Storage });
  return new CognitoUser({ Username: username, Pool: userPool, Storage });
}

/**
 * authenticateUser as a promise: { session } on success, { newPassword: { userAttributes,
 * requiredAttributes } } when a new password is required; rejects with the service error.
 */
function authenticate(user, password) {
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), {
      onSuccess: (session) => resolve({ session }),
      onFailure: reject,
      newPasswordRequired: (userAttributes, requiredAttributes) =>
        resolve({ newPassword: { userAttributes, requiredAttributes } }),
    });
  });
}

/** The RFC 6238 code (HMAC-SHA1, 30 s, six digits) of a base32 secret, now. */
function totp(secret) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...secret.toUpperCase()].map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('');
  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[19] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** The newest code of `purpose` the endpoint "sent" to a user. */
async function inboxCode(poolId, username, purpose) {
  const response = await fetch(`${endpoint.url}/inbox?${new URLSearchParams({ pool: poolId, username })}`);
  const { messages } = await response.json();
  return messages.filter((m) => m.purpose === purpose).pop()?.code;
}

/**
 * authenticateUser up to its MFA callback: { callback, challengeName, parameters }
 * for mfaRequired, totpRequired or selectMFAType; rejects with the service error.
 */
function authenticateToMfa(user, password) {
  return new Promise((resolve, reject) => {
    const details = new AuthenticationDetails({ Username: user.getUsername(), Password: password });
    const step = (callback) => (challengeName, parameters) => resolve({ callback, challengeName, parameters });
    user.authenticateUser(details, {
      onSuccess: () => reject(new Error('signed in without MFA')),
      onFailure: reject,
      mfaRequired: step('mfaRequired'),
      totpRequired: step('totpRequired'),
      selectMFAType: step('selectMFAType'),
    });
  });
}

/** sendMFACode as a promise of the session. */
function sendMFACode(user, code, mfaType) {
  return new Promise((resolve, reject) => {
    user.sendMFACode(code, { onSuccess: resolve, onFailure: reject }, mfaType);
  });
}

function completeNewPassword(user, password, attributes) {
  return new Promise((resolve, reject) => {
    user.completeNewPasswordChallenge(password, attributes, { onSuccess: resolve, onFailure: reject });
  });
}

/** The claims of a JWT whose RS256 signature node:crypto verifies against the pool's JWKS. */
async function verifiedClaims(poolId, token) {
  const response = await fetch(`${endpoint.url}/${poolId}/.well-known/jwks.json`);
  assert.equal(response.status, 200);
  const { keys } = await response.json();
  const [header, payload, signature] = token.split('.');
  const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url'));
  assert.equal(alg, 'RS256');
  const jwk = keys.find((k) => k.kid === kid);
  assert.ok(jwk, `the JWKS has the key ${kid}`);
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const valid = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'));
  assert.ok(valid, 'the RS256 signature verifies');
  return JSON.parse(Buffer.from(payload, 'base64url'));
}

/** pycognito's AWSSRP.authenticate_user against the endpoint: { ok, result } or { ok: false, error, message }. */
async function pycognito(poolId, clientId, username, password, secret) {
  const args = [PYCOGNITO_SCRIPT, endpoint.url, poolId, clientId, username, password];
  if (secret) args.push(secret);
  const { stdout } = await promisify(execFile)(PYTHON, args, { timeout: 60_000 });
  return JSON.parse(stdout);
}

describe('amazon-cognito-identity-js', () => {
  test('signs in with the right password; the id token verifies against the JWKS', async () => {
    const { session } = await authenticate(jsUser(ALIAS_POOL, ENABLED, 'alice'), ALICE.password);
    assert.ok(session.isValid());
    const claims = await verifiedClaims(ALIAS_POOL.id, session.getIdToken().getJwtToken());
    assert.equal(claims.iss, `${endpoint.url}/${ALIAS_POOL.id}`);
    assert.equal(claims.aud, ENABLED.clientId);
    assert.equal(claims['cognito:username'], 'alice');
    assert.equal(claims.email_verified, true);
    assert.equal(session.getAccessToken().decodePayload().username, 'alice');
    assert.ok(session.getRefreshToken().getToken().length > 100);
  });

  test('a wrong password is NotAuthorizedException', async () => {
    await assert.rejects(authenticate(jsUser(ALIAS_POOL, ENABLED, 'alice'), 'Wrong-Passw0rd!'), {
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  test('signs in with the email alias (the signature uses USER_ID_FOR_SRP)', async () => {
    const { session } = await authenticate(jsUser(ALIAS_POOL, ENABLED, 'alice@example.com'), ALICE.password);
    const claims = await verifiedClaims(ALIAS_POOL.id, session.getIdToken().getJwtToken());
    assert.equal(claims['cognito:username'], 'alice');
  });

  test('signs in with the email in a pool whose usernames are UUIDs', async () => {
    const carol = EMAIL_POOL.users[0];
    const { session } = await authenticate(jsUser(EMAIL_POOL, EMAIL, carol.attributes.email), carol.password);
    const claims = await verifiedClaims(EMAIL_POOL.id, session.getIdToken().getJwtToken());
    assert.equal(claims['cognito:username'], claims.sub);
    assert.equal(claims.email, carol.attributes.email);
  });

  test('an unknown user: NotAuthorizedException (ENABLED), UserNotFoundException (LEGACY)', async () => {
    await assert.rejects(authenticate(jsUser(ALIAS_POOL, ENABLED, 'nobody'), 'Some-Passw0rd!'), {
      code: 'NotAuthorizedException',
    });
    await assert.rejects(authenticate(jsUser(LEGACY_POOL, LEGACY, 'nobody'), 'Some-Passw0rd!'), {
      code: 'UserNotFoundException',
    });
  });

  test('USER_PASSWORD_AUTH on a client that allows only it; SRP there is InvalidParameterException', async () => {
    const user = jsUser(ALIAS_POOL, PASSWORD_ONLY, 'alice');
    user.setAuthenticationFlowType('USER_PASSWORD_AUTH');
    const { session } = await authenticate(user, ALICE.password);
    await verifiedClaims(ALIAS_POOL.id, session.getIdToken().getJwtToken());
    await assert.rejects(authenticate(jsUser(ALIAS_POOL, PASSWORD_ONLY, 'alice'), ALICE.password), {
      code: 'InvalidParameterException',
    });
  });

  test('NEW_PASSWORD_REQUIRED: newPasswordRequired, then completeNewPasswordChallenge', async () => {
    const user = jsUser(ALIAS_POOL, ENABLED, 'newbie');
    const { newPassword } = await authenticate(user, 'Temp-Passw0rd!');
    assert.deepEqual(newPassword.requiredAttributes, ['name']);
    assert.equal(newPassword.userAttributes.email, 'newbie@example.com');
    const session = await completeNewPassword(user, 'Fresh-Passw0rd!', { name: 'New Bie' });
    const claims = await verifiedClaims(ALIAS_POOL.id, session.getIdToken().getJwtToken());
    assert.equal(claims.name, 'New Bie');
    const again = await authenticate(jsUser(ALIAS_POOL, ENABLED, 'newbie'), 'Fresh-Passw0rd!');
    assert.ok(again.session.isValid());
  });
});

describe('amazon-cognito-identity-js: MFA', () => {
  const userNamed = (name) => ALIAS_POOL.users.find((u) => u.username === name);

  test('SOFTWARE_TOKEN_MFA: totpRequired, then sendMFACode with the TOTP code', async () => {
    const { password, mfa } = userNamed('jstotp');
    const user = jsUser(ALIAS_POOL, ENABLED, 'jstotp');
    const step = await authenticateToMfa(user, password);
    assert.deepEqual([step.callback, step.challengeName], ['totpRequired', 'SOFTWARE_TOKEN_MFA']);
    await assert.rejects(sendMFACode(user, '00000x', 'SOFTWARE_TOKEN_MFA'), { code: 'CodeMismatchException' });
    const session = await sendMFACode(user, totp(mfa.totpSecret), 'SOFTWARE_TOKEN_MFA');
    const claims = await verifiedClaims(ALIAS_POOL.id, session.getIdToken().getJwtToken());
    assert.equal(claims['cognito:username'], 'jstotp');
  });

  test('SMS_MFA: mfaRequired with the masked number, then sendMFACode with the code from the inbox', async () => {
    const user = jsUser(ALIAS_POOL, ENABLED, 'jssms');
    const step = await authenticateToMfa(user, userNamed('jssms').password);
    assert.deepEqual([step.callback, step.challengeName], ['mfaRequired', 'SMS_MFA']);
    assert.equal(step.parameters.CODE_DELIVERY_DESTINATION, '+*******0142');
    assert.equal(step.parameters.CODE_DELIVERY_DELIVERY_MEDIUM, 'SMS');
    const code = await inboxCode(ALIAS_POOL.id, 'jssms', 'SMS_MFA');
    const session = await sendMFACode(user, code);
    assert.equal(session.getAccessToken().decodePayload().username, 'jssms');
  });

  test('SELECT_MFA_TYPE: selectMFAType, sendMFASelectionAnswer, then the TOTP code', async () => {
    const { password, mfa } = userNamed('jsmulti');
    const user = jsUser(ALIAS_POOL, ENABLED, 'jsmulti');
    const step = await authenticateToMfa(user, password);
    assert.equal(step.callback, 'selectMFAType');
    assert.deepEqual(JSON.parse(step.parameters.MFAS_CAN_CHOOSE), ['SMS_MFA', 'SOFTWARE_TOKEN_MFA']);
    const next = await new Promise((resolve, reject) => {
      user.sendMFASelectionAnswer('SOFTWARE_TOKEN_MFA', {
        onFailure: reject,
        mfaRequired: () => reject(new Error('SMS_MFA instead of the chosen TOTP')),
        totpRequired: (challengeName) => resolve(challengeName),
      });
    });
    assert.equal(next, 'SOFTWARE_TOKEN_MFA');
    const session = await sendMFACode(user, totp(mfa.totpSecret), 'SOFTWARE_TOKEN_MFA');
    assert.ok(session.isValid());
  });
});

describe('pycognito (boto3)', () => {
  test('SOFTWARE_TOKEN_MFA: Cognito.authenticate, then respond_to_software_token_mfa_challenge', async () => {
    const { password, mfa } = ALIAS_POOL.users.find((u) => u.username === 'jstotp');
    const args = [PYCOGNITO_MFA_SCRIPT, endpoint.url, ALIAS_POOL.id, ENABLED.clientId, 'jstotp', password, mfa.totpSecret];
    const { stdout } = await promisify(execFile)(PYTHON, args, { timeout: 60_000 });
    const answer = JSON.parse(stdout);
    assert.deepEqual(answer, { ok: true, challenge: 'SOFTWARE_TOKEN_MFA', username: 'jstotp' });
  });

  test('signs in with the right password', async () => {
    const answer = await pycognito(ALIAS_POOL.id, ENABLED.clientId, 'alice', ALICE.password);
    assert.equal(answer.ok, true, JSON.stringify(answer));
    const claims = await verifiedClaims(ALIAS_POOL.id, answer.result.AuthenticationResult.IdToken);
    assert.equal(claims['cognito:username'], 'alice');
  });

  test('signs in through a client with a secret, also by alias', async () => {
    for (const login of ['alice', 'alice@example.com']) {
      const answer = await pycognito(ALIAS_POOL.id, SECRET.clientId, login, ALICE.password, SECRET.clientSecret);
      assert.equal(answer.ok, true, `${login}: ${JSON.stringify(answer)}`);
      const claims = await verifiedClaims(ALIAS_POOL.id, answer.result.AuthenticationResult.AccessToken);
      assert.equal(claims.client_id, SECRET.clientId);
    }
  });

  test('a client secret that is wrong is NotAuthorizedException', async () => {
    const answer = await pycognito(ALIAS_POOL.id, SECRET.clientId, 'alice', ALICE.password, 'not-the-secret');
    assert.deepEqual([answer.ok, answer.error], [false, 'NotAuthorizedException']);
  });

  test('a wrong password is NotAuthorizedException', async () => {
    const answer = await pycognito(ALIAS_POOL.id, ENABLED.clientId, 'alice', 'Wrong-Passw0rd!');
    assert.deepEqual([answer.ok, answer.error], [false, 'NotAuthorizedException']);
    assert.equal(answer.message, 'Incorrect username or password.');
  });

  test('signs in with the email in a pool whose usernames are UUIDs', async () => {
    const carol = EMAIL_POOL.users[0];
    const answer = await pycognito(EMAIL_POOL.id, EMAIL.clientId, carol.attributes.email, carol.password);
    assert.equal(answer.ok, true, JSON.stringify(answer));
  });

  test('a user who must change the password gets NEW_PASSWORD_REQUIRED', async () => {
    const answer = await pycognito(ALIAS_POOL.id, ENABLED.clientId, 'pyfresh', 'Temp-Passw0rd!');
    assert.deepEqual([answer.ok, answer.error], [false, 'ForceChangePasswordException']);
  });
});

describe('remembered devices', () => {
  const DEVICE_POOL = SEED.userPools.find((p) => p.id === 'us-east-1_OracleDevices');
  const [DEVICES] = DEVICE_POOL.clients;
  const PASSWORD = 'Device-Passw0rd!';

  /** A CognitoUser over `Storage`, recording the ChallengeNames it answers. */
  function deviceUser(Storage, challenges) {
    const userPool = new CognitoUserPool({ UserPoolId: DEVICE_POOL.id, ClientId: DEVICES.clientId, endpoint: endpoint.url, Storage });
    const user = new CognitoUser({ Username: 'jsdevice', Pool: userPool, Storage });
    const request = user.client.request.bind(user.client);
    user.client.request = (operation, params, callback) => {
      challenges.push(params.ChallengeName ? `${operation}:${params.ChallengeName}` : operation);
      return request(operation, params, callback);
    };
    return user;
  }
  const promised = (call) => new Promise((resolve, reject) => call({ onSuccess: resolve, onFailure: reject }));

  test('amazon-cognito-identity-js: ConfirmDevice, then DEVICE_SRP_AUTH on the next sign-in; remembered, listed, forgotten', async () => {
    const memory = new Map();
    const Storage = memoryStorage(memory);
    const prefix = `CognitoIdentityServiceProvider.${DEVICES.clientId}.jsdevice`;
    const first = [];
    await authenticate(deviceUser(Storage, first), PASSWORD);
    assert.deepEqual(first, ['InitiateAuth', 'RespondToAuthChallenge:PASSWORD_VERIFIER', 'ConfirmDevice']);
    const deviceKey = memory.get(`${prefix}.deviceKey`);
    assert.match(deviceKey, /^us-east-1_[0-9a-f-]{36}$/);

    const second = [];
    const user = deviceUser(Storage, second);
    const { session } = await authenticate(user, PASSWORD);
    assert.deepEqual(second, [
      'InitiateAuth',
      'RespondToAuthChallenge:PASSWORD_VERIFIER',
      'RespondToAuthChallenge:DEVICE_SRP_AUTH',
      'RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER',
    ]);
    assert.ok(session.isValid());

    assert.equal(await promised((cb) => user.setDeviceStatusRemembered(cb)), 'SUCCESS');
    const listed = await promised((cb) => user.listDevices(60, null, cb));
    assert.deepEqual(listed.Devices.map((d) => d.DeviceKey), [deviceKey]);
    const status = listed.Devices[0].DeviceAttributes.find((a) => a.Name === 'dev:device_remembered_status');
    assert.equal(status.Value, 'remembered');
    const got = await promised((cb) => user.getDevice(cb));
    assert.equal(got.Device.DeviceKey, deviceKey);

    // A wrong device password fails on the sign-in that uses it.
    const realPassword = memory.get(`${prefix}.randomPasswordKey`);
    memory.set(`${prefix}.randomPasswordKey`, `x${realPassword.slice(1)}`);
    await assert.rejects(authenticate(deviceUser(Storage, []), PASSWORD), { code: 'NotAuthorizedException' });
    memory.set(`${prefix}.randomPasswordKey`, realPassword);

    assert.equal(await promised((cb) => user.forgetDevice(cb)), 'SUCCESS');
    assert.equal(memory.get(`${prefix}.deviceKey`), undefined, 'forgetDevice clears the cached device');
    const after = await promised((cb) => user.listDevices(60, null, cb));
    assert.deepEqual(after.Devices, []);
  });

  test('pycognito: confirm_device, then DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER (without Session)', async () => {
    const script = here('./pycognito_device.py');
    const args = [script, endpoint.url, DEVICE_POOL.id, DEVICES.clientId, 'pydevice', PASSWORD];
    const { stdout } = await promisify(execFile)(PYTHON, args, { timeout: 60_000 });
    const answer = JSON.parse(stdout);
    assert.deepEqual(answer, {
      ok: true,
      confirmStatus: 200,
      challenges: ['PASSWORD_VERIFIER', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER'],
      signedIn: true,
      newDevice: false,
      wrong: 'NotAuthorizedException',
    });
  });
});
