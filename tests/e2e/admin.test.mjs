// `cognito-wasm/admin` (CognitoAdmin) from the packed package in Node against
// the local endpoint: every operation, every local validation rule (checked
// against an address where nothing listens, so a refusal there proves nothing
// was sent), the endpoint's SigV4 checks, the settings of created clients
// taking effect, SigV4 against botocore, boto3 and the AWS SDK v3 against the
// same endpoint, and the browser bundle not carrying the admin module.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  UpdateUserPoolClientCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import cognitoIdentity from 'amazon-cognito-identity-js';
import BigIntegerModule from 'amazon-cognito-identity-js/lib/BigInteger.js';
import { build } from 'esbuild';
import init, { CognitoAuth } from './.work/node_modules/cognito-wasm/js/index.js';
import { CognitoAdmin } from './.work/node_modules/cognito-wasm/js/admin.js';
import { startEndpoint } from './endpoint.mjs';
import { makeKit } from './scenarios.mjs';
import { E2E, PACKAGE_DIR, ROOT, readJson, unusedUrl } from './support.mjs';

const SEED = join(E2E, 'seed-admin.json');
const seed = readJson(SEED);
const [KEY, TEMPORARY] = seed.iamCredentials;
const POOL = 'us-east-1_AdminPool1';
const PASSWORD_CLIENT = 'adminpasswordclient0000000';
const LEGACY_CLIENT = 'legacyadminclient000000000';
const SECRET_CLIENT = seed.userPools[0].clients[2];
const PYTHON = join(ROOT, '.venv/bin/python');
const credentials = { accessKeyId: KEY.accessKeyId, secretAccessKey: KEY.secretAccessKey };

const { AuthenticationHelper, DateHelper } = cognitoIdentity;
const BigInteger = BigIntegerModule.default;

let endpoint;
let offline; // nothing listens here
let kit; // the scenarios' helpers: kit.totp(secret), kit.latestCode(pool, username, purpose)
before(async () => {
  endpoint = await startEndpoint(SEED);
  offline = await unusedUrl();
  kit = makeKit(null, { seed, endpoint: endpoint.url });
});
after(() => endpoint?.stop());

const admin = (options = {}) => new CognitoAdmin({ region: 'us-east-1', credentials, endpoint: endpoint.url, ...options });
const offlineAdmin = () => new CognitoAdmin({ region: 'us-east-1', credentials, endpoint: offline });

/** Asserts the promise rejects with an Error of this name whose message matches. */
async function rejects(promise, name, message) {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof Error, 'an Error');
    assert.equal(error.name, name, `${error.name}: ${error.message}`);
    if (message) assert.match(error.message, message);
    return true;
  });
}

/** A local refusal: a ValidationError from an admin whose endpoint is down. */
const refusedLocally = (method, input, message) => rejects(offlineAdmin()[method](input), 'ValidationError', message);

const passwordAuth = (overrides = {}) => ({
  UserPoolId: POOL,
  ClientId: PASSWORD_CLIENT,
  AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
  AuthParameters: { USERNAME: 'alice', PASSWORD: 'Alice-Passw0rd!' },
  ...overrides,
});

const contextData = {
  IpAddress: '203.0.113.7',
  ServerName: 'app.example',
  ServerPath: '/login',
  HttpHeaders: [{ headerName: 'User-Agent', headerValue: 'node:test' }],
  EncodedData: 'encoded',
};

function claims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

function assertTokens(output) {
  const result = output.AuthenticationResult;
  assert.ok(result, `tokens, got ${JSON.stringify(output)}`);
  assert.equal(result.TokenType, 'Bearer');
  assert.equal(typeof result.ExpiresIn, 'number');
  assert.equal(claims(result.IdToken)['cognito:username'], 'alice');
  assert.equal(claims(result.AccessToken).token_use, 'access');
  return result;
}

describe('AdminInitiateAuth and AdminRespondToAuthChallenge', () => {
  test('a pool that tracks devices answers NewDeviceMetadata, from AdminInitiateAuth and AdminRespondToAuthChallenge', async () => {
    const devices = { UserPoolId: 'us-east-1_AdminDevices', ClientId: 'admindeviceclient000000000' };
    const signedIn = await admin().adminInitiateAuth(passwordAuth(devices));
    const metadata = assertTokens(signedIn).NewDeviceMetadata;
    assert.match(metadata?.DeviceKey ?? '', /^us-east-1_[0-9a-f-]{36}$/, JSON.stringify(signedIn));
    assert.match(metadata.DeviceGroupKey, /^-/);
    const newbie = await admin().adminInitiateAuth(
      passwordAuth({ ...devices, AuthParameters: { USERNAME: 'newbie', PASSWORD: 'Temp-Passw0rd!' } }),
    );
    assert.equal(newbie.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    const done = await admin().adminRespondToAuthChallenge({
      ...devices,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: newbie.Session,
      ChallengeResponses: { USERNAME: 'newbie', NEW_PASSWORD: 'Fresh-Passw0rd!', 'userAttributes.name': 'New Bie' },
    });
    const next = done.AuthenticationResult.NewDeviceMetadata;
    assert.ok(next?.DeviceKey && next.DeviceKey !== metadata.DeviceKey, JSON.stringify(done));
    // A pool without device tracking answers none.
    assert.equal(assertTokens(await admin().adminInitiateAuth(passwordAuth())).NewDeviceMetadata, undefined);
  });

  test('ADMIN_USER_PASSWORD_AUTH signs in, carrying ClientMetadata, AnalyticsMetadata and ContextData', async () => {
    const output = await admin().adminInitiateAuth(
      passwordAuth({ ClientMetadata: { source: 'test' }, AnalyticsMetadata: { AnalyticsEndpointId: 'e1' }, ContextData: contextData }),
    );
    const result = assertTokens(output);
    assert.ok(result.RefreshToken);
    assert.equal(output.ChallengeName, undefined);
  });

  test('a wrong password is NotAuthorizedException; an unknown user depends on PreventUserExistenceErrors', async () => {
    const wrong = passwordAuth({ AuthParameters: { USERNAME: 'alice', PASSWORD: 'Wrong-Passw0rd!' } });
    await rejects(admin().adminInitiateAuth(wrong), 'NotAuthorizedException', /Incorrect username or password/);
    const nobody = { USERNAME: 'nobody', PASSWORD: 'Whatever-1!' };
    await rejects(admin().adminInitiateAuth(passwordAuth({ AuthParameters: nobody })), 'NotAuthorizedException');
    await rejects(
      admin().adminInitiateAuth(passwordAuth({ AuthFlow: 'ADMIN_NO_SRP_AUTH', ClientId: LEGACY_CLIENT, AuthParameters: nobody })),
      'UserNotFoundException',
    );
  });

  test('the legacy ADMIN_NO_SRP_AUTH signs in on a client with the legacy ADMIN_NO_SRP_AUTH setting', async () => {
    assertTokens(await admin().adminInitiateAuth(passwordAuth({ AuthFlow: 'ADMIN_NO_SRP_AUTH', ClientId: LEGACY_CLIENT })));
  });

  test('SECRET_HASH is required by a client with a secret, and accepted when right', async () => {
    const input = passwordAuth({ ClientId: SECRET_CLIENT.clientId });
    await rejects(admin().adminInitiateAuth(input), 'NotAuthorizedException', /secret/);
    const SECRET_HASH = createHmac('sha256', SECRET_CLIENT.clientSecret).update(`alice${SECRET_CLIENT.clientId}`).digest('base64');
    const result = assertTokens(
      await admin().adminInitiateAuth({ ...input, AuthParameters: { ...input.AuthParameters, SECRET_HASH, DEVICE_KEY: 'us-east-1_device' } }),
    );
    const refreshed = await admin().adminInitiateAuth({
      UserPoolId: POOL,
      ClientId: SECRET_CLIENT.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: result.RefreshToken, SECRET_HASH },
    });
    assert.ok(refreshed.AuthenticationResult.AccessToken);
  });

  test('REFRESH_TOKEN_AUTH and REFRESH_TOKEN give new tokens', async () => {
    const { RefreshToken } = assertTokens(await admin().adminInitiateAuth(passwordAuth()));
    for (const AuthFlow of ['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN']) {
      const output = await admin().adminInitiateAuth({ UserPoolId: POOL, ClientId: PASSWORD_CLIENT, AuthFlow, AuthParameters: { REFRESH_TOKEN: RefreshToken } });
      assert.equal(claims(output.AuthenticationResult.IdToken)['cognito:username'], 'alice');
      assert.equal(output.AuthenticationResult.RefreshToken, undefined);
    }
  });

  test('USER_SRP_AUTH answers PASSWORD_VERIFIER; a forged claim is refused by AdminRespondToAuthChallenge', async () => {
    const output = await admin().adminInitiateAuth({
      UserPoolId: POOL,
      ClientId: PASSWORD_CLIENT,
      AuthFlow: 'USER_SRP_AUTH',
      AuthParameters: { USERNAME: 'alice', SRP_A: 'ab'.repeat(384) },
    });
    assert.equal(output.ChallengeName, 'PASSWORD_VERIFIER');
    for (const name of ['SALT', 'SRP_B', 'SECRET_BLOCK', 'USER_ID_FOR_SRP']) assert.ok(output.ChallengeParameters[name], name);
    const forged = admin().adminRespondToAuthChallenge({
      UserPoolId: POOL,
      ClientId: PASSWORD_CLIENT,
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: output.Session,
      ChallengeResponses: {
        USERNAME: 'alice',
        PASSWORD_CLAIM_SECRET_BLOCK: output.ChallengeParameters.SECRET_BLOCK,
        PASSWORD_CLAIM_SIGNATURE: Buffer.alloc(32).toString('base64'),
        TIMESTAMP: new Date().toUTCString().replace(/^(\w+), 0?(\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 UTC $4'),
      },
    });
    await rejects(forged, 'NotAuthorizedException');
  });

  test('NEW_PASSWORD_REQUIRED: AdminRespondToAuthChallenge sets the password and signs in', async () => {
    const first = await admin().adminInitiateAuth(passwordAuth({ AuthParameters: { USERNAME: 'newbie', PASSWORD: 'Temp-Passw0rd!' } }));
    assert.equal(first.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    assert.ok(first.Session);
    assert.deepEqual(JSON.parse(first.ChallengeParameters.requiredAttributes), ['userAttributes.name']);
    const done = await admin().adminRespondToAuthChallenge({
      UserPoolId: POOL,
      ClientId: PASSWORD_CLIENT,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: first.Session,
      ChallengeResponses: { USERNAME: 'newbie', NEW_PASSWORD: 'New-Passw0rd!1', 'userAttributes.name': 'New Bie' },
      ClientMetadata: { step: 'new-password' },
      AnalyticsMetadata: { AnalyticsEndpointId: 'e1' },
      ContextData: contextData,
    });
    assert.equal(claims(done.AuthenticationResult.IdToken).name, 'New Bie');
    const again = await admin().adminInitiateAuth(passwordAuth({ AuthParameters: { USERNAME: 'newbie', PASSWORD: 'New-Passw0rd!1' } }));
    assert.ok(again.AuthenticationResult.IdToken);
  });

  test('CUSTOM_AUTH reaches the endpoint, which has no custom-auth trigger', async () => {
    const custom = { UserPoolId: POOL, ClientId: PASSWORD_CLIENT, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'alice' } };
    await rejects(admin().adminInitiateAuth(custom), 'InvalidParameterException', /Custom auth/);
  });

  test('a client of another pool is ResourceNotFoundException', async () => {
    await rejects(admin().adminInitiateAuth(passwordAuth({ UserPoolId: 'us-east-1_OtherPool1' })), 'ResourceNotFoundException');
  });

  test('local refusals: required members, ContextData members, AuthParameters, flows, field names', async () => {
    const { IpAddress, ServerName, ServerPath, HttpHeaders } = contextData;
    for (const [missing, data] of [
      ['IpAddress', { ServerName, ServerPath, HttpHeaders }],
      ['ServerName', { IpAddress, ServerPath, HttpHeaders }],
      ['ServerPath', { IpAddress, ServerName, HttpHeaders }],
      ['HttpHeaders', { IpAddress, ServerName, ServerPath }],
    ]) {
      await refusedLocally('adminInitiateAuth', passwordAuth({ ContextData: data }), new RegExp(`ContextData.${missing} is required`));
      await refusedLocally(
        'adminRespondToAuthChallenge',
        { UserPoolId: POOL, ClientId: PASSWORD_CLIENT, ChallengeName: 'NEW_PASSWORD_REQUIRED', ContextData: data },
        new RegExp(`ContextData.${missing} is required`),
      );
    }
    await refusedLocally('adminInitiateAuth', passwordAuth({ ContextData: { ...contextData, HttpHeaders: [{ name: 'x' }] } }), /HttpHeaders\[0\]\.name/);
    await refusedLocally('adminInitiateAuth', passwordAuth({ UserPoolId: undefined }), /UserPoolId is required/);
    await refusedLocally('adminInitiateAuth', passwordAuth({ ClientId: undefined }), /ClientId is required/);
    await refusedLocally('adminInitiateAuth', passwordAuth({ AuthFlow: undefined }), /AuthFlow is required/);
    await refusedLocally('adminInitiateAuth', passwordAuth({ AuthFlow: 'USER_PASSWORD_AUTH' }), /AuthFlow must be one of/);
    await refusedLocally('adminInitiateAuth', passwordAuth({ AuthParameters: { USERNAME: 'alice' } }), /AuthParameters.PASSWORD is required/);
    await refusedLocally('adminInitiateAuth', passwordAuth({ UserPoolId: 'not-a-pool' }), /UserPoolId/);
    await refusedLocally('adminInitiateAuth', passwordAuth({ Username: 'alice' }), /unknown field Username/);
    await refusedLocally('adminInitiateAuth', passwordAuth({ AnalyticsMetadata: { EndpointId: 'x' } }), /AnalyticsMetadata.EndpointId/);
    await refusedLocally('adminInitiateAuth', passwordAuth({ ClientMetadata: { n: 1 } }), /ClientMetadata must be an object whose values are strings/);
    await refusedLocally('adminRespondToAuthChallenge', { UserPoolId: POOL, ClientId: PASSWORD_CLIENT, ChallengeName: 'NOPE' }, /ChallengeName must be one of/);
    await refusedLocally('adminInitiateAuth', 'alice', /takes the AdminInitiateAuth input object/);
  });
});

/** The ChallengeResponses SECRET_HASH of the seeded client with a secret. */
const secretHash = (username) => createHmac('sha256', SECRET_CLIENT.clientSecret).update(`${username}${SECRET_CLIENT.clientId}`).digest('base64');

/**
 * USER_SRP_AUTH computed by amazon-cognito-identity-js (an implementation
 * independent of ours): SRP_A, and the PASSWORD_VERIFIER answer for a password.
 */
async function srpOracle() {
  const poolName = POOL.split('_')[1];
  const helper = new AuthenticationHelper(poolName);
  const largeA = await new Promise((ok, fail) => helper.getLargeAValue((error, a) => (error ? fail(error) : ok(a))));
  return {
    SRP_A: largeA.toString(16),
    async claim(parameters, password) {
      const userId = parameters.USER_ID_FOR_SRP;
      const [b, salt] = [new BigInteger(parameters.SRP_B, 16), new BigInteger(parameters.SALT, 16)];
      const key = await new Promise((ok, fail) =>
        helper.getPasswordAuthenticationKey(userId, password, b, salt, (error, hkdf) => (error ? fail(error) : ok(hkdf))),
      );
      const TIMESTAMP = new DateHelper().getNowString();
      const message = Buffer.concat([Buffer.from(poolName), Buffer.from(userId), Buffer.from(parameters.SECRET_BLOCK, 'base64'), Buffer.from(TIMESTAMP)]);
      return {
        USERNAME: userId,
        PASSWORD_CLAIM_SECRET_BLOCK: parameters.SECRET_BLOCK,
        TIMESTAMP,
        PASSWORD_CLAIM_SIGNATURE: createHmac('sha256', key).update(message).digest('base64'),
      };
    },
  };
}

const userNamed = (username) => seed.userPools[0].users.find((u) => u.username === username);

/** ADMIN_USER_PASSWORD_AUTH for a seeded user, on `clientId`. */
function adminSignIn(username, clientId = PASSWORD_CLIENT) {
  const AuthParameters = { USERNAME: username, PASSWORD: userNamed(username).password };
  if (clientId === SECRET_CLIENT.clientId) AuthParameters.SECRET_HASH = secretHash(username);
  return admin().adminInitiateAuth(passwordAuth({ ClientId: clientId, AuthParameters }));
}

/** AdminRespondToAuthChallenge to `previous` (its ChallengeName and Session). */
function respond(previous, ChallengeResponses, extra = {}) {
  return admin().adminRespondToAuthChallenge({
    UserPoolId: POOL,
    ClientId: PASSWORD_CLIENT,
    ChallengeName: previous.ChallengeName,
    Session: previous.Session,
    ChallengeResponses,
    ...extra,
  });
}

/** An unsigned call of the public API (what a back end sends for MFA_SETUP). */
async function publicCall(operation, body) {
  const response = await fetch(endpoint.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  assert.equal(response.status, 200, `${operation}: ${JSON.stringify(json)}`);
  return json;
}

function assertSignedInAs(output, username) {
  const result = output.AuthenticationResult;
  assert.ok(result?.IdToken, `tokens, got ${JSON.stringify(output)}`);
  assert.equal(claims(result.IdToken)['cognito:username'], username);
  assert.equal(claims(result.AccessToken).token_use, 'access');
  assert.ok(result.RefreshToken);
  assert.equal(output.ChallengeName, undefined);
}

describe('challenges through AdminRespondToAuthChallenge', () => {
  test('USER_SRP_AUTH with SRP_A and PASSWORD_VERIFIER computed by amazon-cognito-identity-js signs in; a wrong password is NotAuthorizedException', async () => {
    for (const [password, outcome] of [
      ['Alice-Passw0rd!', 'tokens'],
      ['Wrong-Passw0rd!', 'NotAuthorizedException'],
    ]) {
      const srp = await srpOracle();
      const challenge = await admin().adminInitiateAuth({
        UserPoolId: POOL,
        ClientId: PASSWORD_CLIENT,
        AuthFlow: 'USER_SRP_AUTH',
        AuthParameters: { USERNAME: 'alice', SRP_A: srp.SRP_A },
        ContextData: contextData,
      });
      assert.equal(challenge.ChallengeName, 'PASSWORD_VERIFIER');
      assert.equal(challenge.ChallengeParameters.USER_ID_FOR_SRP, 'alice');
      const answer = respond(challenge, await srp.claim(challenge.ChallengeParameters, password), { ContextData: contextData });
      if (outcome === 'tokens') assertSignedInAs(await answer, 'alice');
      else await rejects(answer, outcome, /Incorrect username or password/);
    }
  });

  test('USER_SRP_AUTH on a client with a secret: SECRET_HASH in AuthParameters and in ChallengeResponses', async () => {
    const srp = await srpOracle();
    const challenge = await admin().adminInitiateAuth({
      UserPoolId: POOL,
      ClientId: SECRET_CLIENT.clientId,
      AuthFlow: 'USER_SRP_AUTH',
      AuthParameters: { USERNAME: 'alice', SRP_A: srp.SRP_A, SECRET_HASH: secretHash('alice') },
    });
    const answer = await srp.claim(challenge.ChallengeParameters, 'Alice-Passw0rd!');
    const input = { ClientId: SECRET_CLIENT.clientId };
    assertSignedInAs(await respond(challenge, { ...answer, SECRET_HASH: secretHash('alice') }, input), 'alice');
  });

  test('CUSTOM_AUTH: three CUSTOM_CHALLENGE rounds with ClientMetadata; a wrong answer fails the sign-in', async () => {
    const start = () =>
      admin().adminInitiateAuth({
        UserPoolId: POOL,
        ClientId: PASSWORD_CLIENT,
        AuthFlow: 'CUSTOM_AUTH',
        AuthParameters: { USERNAME: 'riddler' },
        ClientMetadata: { purpose: 'custom-auth test' },
      });
    const { answer, question } = userNamed('riddler').customChallenge;
    let step = await start();
    for (const round of ['1', '2', '3']) {
      assert.equal(step.ChallengeName, 'CUSTOM_CHALLENGE');
      assert.deepEqual(step.ChallengeParameters, { USERNAME: 'riddler', question, round, rounds: '3' });
      if (round === '2') {
        // A wrong answer ends this sign-in (VerifyAuthChallenge said no): start again.
        await rejects(respond(step, { USERNAME: 'riddler', ANSWER: 'a harp' }), 'NotAuthorizedException');
        await rejects(respond(step, { USERNAME: 'riddler', ANSWER: answer }), 'NotAuthorizedException', /Invalid session/);
        step = await respond(await start(), { USERNAME: 'riddler', ANSWER: answer });
        assert.equal(step.ChallengeParameters.round, '2');
      }
      step = await respond(step, { USERNAME: 'riddler', ANSWER: answer }, { ClientMetadata: { round } });
    }
    assertSignedInAs(step, 'riddler');
  });

  test('CUSTOM_AUTH with SRP first (CHALLENGE_NAME SRP_A): PASSWORD_VERIFIER, then the custom challenges', async () => {
    const srp = await srpOracle();
    const challenge = await admin().adminInitiateAuth({
      UserPoolId: POOL,
      ClientId: PASSWORD_CLIENT,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: 'riddler', CHALLENGE_NAME: 'SRP_A', SRP_A: srp.SRP_A },
    });
    assert.equal(challenge.ChallengeName, 'PASSWORD_VERIFIER');
    let step = await respond(challenge, await srp.claim(challenge.ChallengeParameters, userNamed('riddler').password));
    for (let round = 1; round <= 3; round += 1) {
      assert.equal(step.ChallengeName, 'CUSTOM_CHALLENGE');
      step = await respond(step, { USERNAME: 'riddler', ANSWER: userNamed('riddler').customChallenge.answer });
    }
    assertSignedInAs(step, 'riddler');
  });

  test('SMS_MFA: the code from the inbox signs in; a wrong code is CodeMismatchException and the Session stays usable', async () => {
    const challenge = await adminSignIn('smsuser');
    assert.equal(challenge.ChallengeName, 'SMS_MFA');
    assert.equal(challenge.ChallengeParameters.CODE_DELIVERY_DELIVERY_MEDIUM, 'SMS');
    assert.equal(challenge.ChallengeParameters.CODE_DELIVERY_DESTINATION, '+*******0123');
    const code = await kit.latestCode(POOL, 'smsuser', 'SMS_MFA');
    const wrong = code === '000000' ? '111111' : '000000';
    await rejects(respond(challenge, { USERNAME: 'smsuser', SMS_MFA_CODE: wrong }), 'CodeMismatchException');
    assertSignedInAs(await respond(challenge, { USERNAME: 'smsuser', SMS_MFA_CODE: code }), 'smsuser');
  });

  test('SMS_MFA on a client with a secret: every challenge response needs SECRET_HASH', async () => {
    const challenge = await adminSignIn('smsuser', SECRET_CLIENT.clientId);
    const code = await kit.latestCode(POOL, 'smsuser', 'SMS_MFA');
    const input = { ClientId: SECRET_CLIENT.clientId };
    await rejects(respond(challenge, { USERNAME: 'smsuser', SMS_MFA_CODE: code }, input), 'NotAuthorizedException', /secret/);
    const signedIn = await respond(challenge, { USERNAME: 'smsuser', SMS_MFA_CODE: code, SECRET_HASH: secretHash('smsuser') }, input);
    assertSignedInAs(signedIn, 'smsuser');
  });

  test('SOFTWARE_TOKEN_MFA: the authenticator code signs in; a wrong one is CodeMismatchException', async () => {
    const challenge = await adminSignIn('totpuser');
    assert.equal(challenge.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    const code = await kit.totp(userNamed('totpuser').mfa.totpSecret);
    const wrong = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
    await rejects(respond(challenge, { USERNAME: 'totpuser', SOFTWARE_TOKEN_MFA_CODE: wrong }), 'CodeMismatchException');
    assertSignedInAs(await respond(challenge, { USERNAME: 'totpuser', SOFTWARE_TOKEN_MFA_CODE: code }), 'totpuser');
  });

  test('SELECT_MFA_TYPE: MFAS_CAN_CHOOSE lists the factors; each answer leads to its challenge', async () => {
    const { totpSecret } = userNamed('chooser').mfa;
    for (const [choice, codeOf] of [
      ['SOFTWARE_TOKEN_MFA', () => kit.totp(totpSecret)],
      ['SMS_MFA', () => kit.latestCode(POOL, 'chooser', 'SMS_MFA')],
      ['EMAIL_OTP', () => kit.latestCode(POOL, 'chooser', 'EMAIL_OTP')],
    ]) {
      const select = await adminSignIn('chooser');
      assert.equal(select.ChallengeName, 'SELECT_MFA_TYPE');
      assert.deepEqual(JSON.parse(select.ChallengeParameters.MFAS_CAN_CHOOSE), ['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']);
      const challenge = await respond(select, { USERNAME: 'chooser', ANSWER: choice });
      assert.equal(challenge.ChallengeName, choice);
      const field = { SMS_MFA: 'SMS_MFA_CODE', EMAIL_OTP: 'EMAIL_OTP_CODE', SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE' }[choice];
      assertSignedInAs(await respond(challenge, { USERNAME: 'chooser', [field]: await codeOf() }), 'chooser');
    }
    const select = await adminSignIn('chooser');
    await rejects(respond(select, { USERNAME: 'chooser', ANSWER: 'VOICE_MFA' }), 'InvalidParameterException', /MFAS_CAN_CHOOSE/);
  });

  test('MFA_SETUP: AssociateSoftwareToken and VerifySoftwareToken with the Session, then MFA_SETUP signs in; TOTP is required next time', async () => {
    const setup = await adminSignIn('setupuser');
    assert.equal(setup.ChallengeName, 'MFA_SETUP');
    assert.deepEqual(JSON.parse(setup.ChallengeParameters.MFAS_CAN_SETUP), ['SOFTWARE_TOKEN_MFA']);
    // Before the authenticator is verified, MFA_SETUP cannot complete.
    await rejects(respond(setup, { USERNAME: 'setupuser' }), 'InvalidParameterException', /VerifySoftwareToken/);
    const associated = await publicCall('AssociateSoftwareToken', { Session: setup.Session });
    const verified = await publicCall('VerifySoftwareToken', { Session: associated.Session, UserCode: await kit.totp(associated.SecretCode) });
    assert.equal(verified.Status, 'SUCCESS');
    const signedIn = await respond({ ChallengeName: 'MFA_SETUP', Session: verified.Session }, { USERNAME: 'setupuser' });
    assertSignedInAs(signedIn, 'setupuser');
    const next = await adminSignIn('setupuser');
    assert.equal(next.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    assertSignedInAs(await respond(next, { USERNAME: 'setupuser', SOFTWARE_TOKEN_MFA_CODE: await kit.totp(associated.SecretCode) }), 'setupuser');
  });

  test('local refusals: the ChallengeResponses each ChallengeName needs, Session length, USER_AUTH ACCESS_TOKEN', async () => {
    const input = (ChallengeName, ChallengeResponses) => ({ UserPoolId: POOL, ClientId: PASSWORD_CLIENT, ChallengeName, ChallengeResponses, Session: 's'.repeat(20) });
    for (const [name, responses, missing] of [
      ['SMS_MFA', { SMS_MFA_CODE: '123456' }, 'USERNAME'],
      ['SMS_MFA', { USERNAME: 'u' }, 'SMS_MFA_CODE'],
      ['EMAIL_OTP', { USERNAME: 'u' }, 'EMAIL_OTP_CODE'],
      ['SOFTWARE_TOKEN_MFA', { USERNAME: 'u' }, 'SOFTWARE_TOKEN_MFA_CODE'],
      ['SELECT_MFA_TYPE', { USERNAME: 'u' }, 'ANSWER'],
      ['CUSTOM_CHALLENGE', { USERNAME: 'u' }, 'ANSWER'],
      ['NEW_PASSWORD_REQUIRED', { USERNAME: 'u' }, 'NEW_PASSWORD'],
      ['PASSWORD_VERIFIER', { USERNAME: 'u', PASSWORD_CLAIM_SECRET_BLOCK: 'b', TIMESTAMP: 't' }, 'PASSWORD_CLAIM_SIGNATURE'],
      ['DEVICE_SRP_AUTH', { USERNAME: 'u', SRP_A: 'a' }, 'DEVICE_KEY'],
      ['MFA_SETUP', undefined, 'USERNAME'],
    ]) {
      await refusedLocally('adminRespondToAuthChallenge', input(name, responses), new RegExp(`ChallengeResponses.${missing} is required with ChallengeName ${name}`));
    }
    await refusedLocally('adminRespondToAuthChallenge', { ...input('MFA_SETUP', { USERNAME: 'u' }), Session: 'short' }, /Session must be 20 to 4096 characters/);
    await refusedLocally('adminInitiateAuth', passwordAuth({ Session: 'x'.repeat(4097) }), /Session must be 20 to 4096 characters/);
    await refusedLocally('initiateAuth', { AuthFlow: 'USER_AUTH', ClientId: PASSWORD_CLIENT, AuthParameters: { USERNAME: 'u', ACCESS_TOKEN: 't' } }, /TARGET_ACR_VALUES is required/);
    await refusedLocally('adminInitiateAuth', passwordAuth({ ClientMetadata: { big: 'x'.repeat(131_073) } }), /ClientMetadata.big must be at most 131072 characters/);
  });
});

describe('InitiateAuth through CognitoAdmin', () => {
  test('USER_PASSWORD_AUTH with UserContextData, AnalyticsMetadata and ClientMetadata', async () => {
    const output = await admin().initiateAuth({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: PASSWORD_CLIENT,
      AuthParameters: { USERNAME: 'alice', PASSWORD: 'Alice-Passw0rd!' },
      UserContextData: { IpAddress: '203.0.113.7', EncodedData: 'encoded' },
      AnalyticsMetadata: { AnalyticsEndpointId: 'e1' },
      ClientMetadata: { source: 'test' },
    });
    assertTokens(output);
  });

  test('ADMIN_NO_SRP_AUTH and ADMIN_USER_PASSWORD_AUTH are refused locally', async () => {
    for (const AuthFlow of ['ADMIN_NO_SRP_AUTH', 'ADMIN_USER_PASSWORD_AUTH']) {
      await refusedLocally(
        'initiateAuth',
        { AuthFlow, ClientId: PASSWORD_CLIENT, AuthParameters: { USERNAME: 'alice', PASSWORD: 'x' } },
        /not valid for InitiateAuth.*adminInitiateAuth/,
      );
    }
    await refusedLocally('initiateAuth', { AuthFlow: 'USER_SRP_AUTH', ClientId: PASSWORD_CLIENT, AuthParameters: { USERNAME: 'a' } }, /SRP_A is required/);
    await refusedLocally('initiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: PASSWORD_CLIENT, UserContextData: { Ip: '1' } }, /UserContextData.Ip/);
  });
});

const fullClient = () => ({
  UserPoolId: POOL,
  ClientName: 'full settings',
  GenerateSecret: true,
  RefreshTokenValidity: 10,
  AccessTokenValidity: 30,
  IdTokenValidity: 45,
  TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
  ReadAttributes: ['email', 'name'],
  WriteAttributes: ['name'],
  ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  SupportedIdentityProviders: ['COGNITO'],
  CallbackURLs: ['https://app.example/callback', 'http://localhost:3000/callback'],
  LogoutURLs: ['https://app.example/signed-out'],
  DefaultRedirectURI: 'http://localhost:3000/callback',
  AllowedOAuthFlows: ['code', 'implicit'],
  AllowedOAuthScopes: ['openid', 'email', 'profile'],
  AllowedOAuthFlowsUserPoolClient: true,
  AnalyticsConfiguration: { ApplicationId: '0a1b2c3d', RoleArn: 'arn:aws:iam::123456789012:role/analytics', ExternalId: 'ext', UserDataShared: true },
  PreventUserExistenceErrors: 'ENABLED',
  EnableTokenRevocation: true,
  EnablePropagateAdditionalUserContextData: true,
  AuthSessionValidity: 5,
  RefreshTokenRotation: { Feature: 'DISABLED', RetryGracePeriodSeconds: 0 },
});

describe('Create, Describe and UpdateUserPoolClient', () => {
  test('every field goes in and comes back; dates are Date values', async () => {
    const before = Date.now();
    const input = fullClient();
    const { UserPoolClient: created } = await admin().createUserPoolClient(input);
    const { UserPoolId, GenerateSecret, ...settings } = input;
    for (const [name, value] of Object.entries(settings)) assert.deepEqual(created[name], value, name);
    assert.equal(created.UserPoolId, UserPoolId);
    assert.equal(GenerateSecret, true);
    assert.match(created.ClientId, /^[a-z0-9]{26}$/);
    assert.ok(created.ClientSecret?.length > 40);
    for (const name of ['CreationDate', 'LastModifiedDate']) {
      assert.ok(created[name] instanceof Date, name);
      assert.ok(Math.abs(created[name].getTime() - before) < 5_000, name);
    }
    const { UserPoolClient: described } = await admin().describeUserPoolClient({ UserPoolId: POOL, ClientId: created.ClientId });
    assert.deepEqual(described, created);
    const { UserPoolClient: updated } = await admin().updateUserPoolClient({
      UserPoolId: POOL,
      ClientId: created.ClientId,
      ClientName: 'renamed',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
      PreventUserExistenceErrors: 'LEGACY',
    });
    assert.equal(updated.ClientName, 'renamed');
    assert.deepEqual(updated.ExplicitAuthFlows, ['ALLOW_USER_PASSWORD_AUTH']);
    assert.equal(updated.PreventUserExistenceErrors, 'LEGACY');
    assert.equal(updated.ClientSecret, created.ClientSecret);
    assert.equal(updated.CallbackURLs, undefined, 'settings left out of an update take their defaults');
    assert.equal(updated.CreationDate.getTime(), created.CreationDate.getTime());
    assert.ok(updated.LastModifiedDate >= created.LastModifiedDate);
  });

  test('a new client without settings gets the documented defaults', async () => {
    const { UserPoolClient: c } = await admin().createUserPoolClient({ UserPoolId: POOL, ClientName: 'defaults' });
    assert.deepEqual(c.ExplicitAuthFlows, ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
    assert.equal(c.PreventUserExistenceErrors, 'LEGACY');
    assert.equal(c.RefreshTokenValidity, 30);
    assert.equal(c.ClientSecret, undefined);
  });

  test('unknown pools and clients are ResourceNotFoundException', async () => {
    await rejects(admin().describeUserPoolClient({ UserPoolId: POOL, ClientId: 'nosuchclient' }), 'ResourceNotFoundException');
    await rejects(admin().createUserPoolClient({ UserPoolId: 'us-east-1_Missing1', ClientName: 'x' }), 'ResourceNotFoundException');
    await rejects(admin().updateUserPoolClient({ UserPoolId: 'us-east-1_OtherPool1', ClientId: PASSWORD_CLIENT }), 'ResourceNotFoundException');
  });

  test('a client allowing only ALLOW_ADMIN_USER_PASSWORD_AUTH refuses USER_SRP_AUTH', async () => {
    const { UserPoolClient: c } = await admin().createUserPoolClient({
      UserPoolId: POOL,
      ClientName: 'admin only',
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'],
    });
    assertTokens(await admin().adminInitiateAuth(passwordAuth({ ClientId: c.ClientId })));
    await init();
    const auth = new CognitoAuth({ userPoolId: POOL, clientId: c.ClientId, endpoint: endpoint.url });
    await rejects(auth.signIn({ username: 'alice', password: 'Alice-Passw0rd!' }), 'InvalidParameterException', /USER_SRP_AUTH flow not enabled/);
    await rejects(
      admin().initiateAuth({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: c.ClientId, AuthParameters: { USERNAME: 'alice', PASSWORD: 'Alice-Passw0rd!' } }),
      'InvalidParameterException',
      /USER_PASSWORD_AUTH flow not enabled/,
    );
    // Updating the flows takes effect at once.
    await admin().updateUserPoolClient({ UserPoolId: POOL, ClientId: c.ClientId, ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] });
    const signedIn = await auth.signIn({ username: 'alice', password: 'Alice-Passw0rd!' });
    assert.equal(signedIn.isSignedIn, true);
    await rejects(admin().adminInitiateAuth(passwordAuth({ ClientId: c.ClientId })), 'InvalidParameterException', /flow not enabled/);
  });

  test('PreventUserExistenceErrors as set through these calls decides the unknown-user answer', async () => {
    const { UserPoolClient: c } = await admin().createUserPoolClient({
      UserPoolId: POOL,
      ClientName: 'existence',
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    });
    const nobody = passwordAuth({ ClientId: c.ClientId, AuthParameters: { USERNAME: 'nobody', PASSWORD: 'Whatever-1!' } });
    await rejects(admin().adminInitiateAuth(nobody), 'NotAuthorizedException');
    await admin().updateUserPoolClient({
      UserPoolId: POOL,
      ClientId: c.ClientId,
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'],
      PreventUserExistenceErrors: 'LEGACY',
    });
    await rejects(admin().adminInitiateAuth(nobody), 'UserNotFoundException');
  });

  test('a ClientSecret of our own is the client secret; EnablePropagateAdditionalUserContextData needs a secret on update too', async () => {
    const ClientSecret = 'our+own_client_secret_0123456789';
    const { UserPoolClient: c } = await admin().createUserPoolClient({
      UserPoolId: POOL,
      ClientName: 'own secret',
      ClientSecret,
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'],
      EnablePropagateAdditionalUserContextData: true,
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 30 },
    });
    assert.equal(c.ClientSecret, ClientSecret);
    assert.equal(c.EnablePropagateAdditionalUserContextData, true);
    assert.deepEqual(c.RefreshTokenRotation, { Feature: 'ENABLED', RetryGracePeriodSeconds: 30 });
    const SECRET_HASH = createHmac('sha256', ClientSecret).update(`alice${c.ClientId}`).digest('base64');
    assertTokens(await admin().adminInitiateAuth(passwordAuth({ ClientId: c.ClientId, AuthParameters: { USERNAME: 'alice', PASSWORD: 'Alice-Passw0rd!', SECRET_HASH } })));
    const { UserPoolClient: plain } = await admin().createUserPoolClient({ UserPoolId: POOL, ClientName: 'no secret' });
    await rejects(
      admin().updateUserPoolClient({ UserPoolId: POOL, ClientId: plain.ClientId, ClientName: 'renamed', EnablePropagateAdditionalUserContextData: true }),
      'InvalidParameterException',
      /client secret/,
    );
    const { UserPoolClient: unchanged } = await admin().describeUserPoolClient({ UserPoolId: POOL, ClientId: plain.ClientId });
    assert.equal(unchanged.ClientName, 'no secret', 'a refused update changes nothing');
  });

  test('http callback URLs to localhost, 127.0.0.1 and [::1] are accepted', async () => {
    const CallbackURLs = ['http://127.0.0.1:5173/cb', 'http://[::1]/cb', 'http://localhost/cb'];
    const { UserPoolClient: c } = await admin().createUserPoolClient({ UserPoolId: POOL, ClientName: 'loopback', CallbackURLs });
    assert.deepEqual(c.CallbackURLs, CallbackURLs);
  });

  test('http://localhost redirect URLs are accepted by the endpoint too', async () => {
    const { UserPoolClient: c } = await admin().createUserPoolClient({
      UserPoolId: POOL,
      ClientName: 'localhost',
      CallbackURLs: ['http://localhost/cb', 'http://localhost:8080/cb?x=1'],
      LogoutURLs: ['http://localhost:8080/'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['api/read'],
      GenerateSecret: true,
    });
    assert.deepEqual(c.CallbackURLs, ['http://localhost/cb', 'http://localhost:8080/cb?x=1']);
  });

  const base = { UserPoolId: POOL, ClientName: 'rules' };
  const rules = [
    ['legacy and ALLOW_ flows mixed', { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ADMIN_NO_SRP_AUTH'] }, /mixes ALLOW_ values with the legacy ADMIN_NO_SRP_AUTH/],
    ['CUSTOM_AUTH_FLOW_ONLY mixed', { ExplicitAuthFlows: ['CUSTOM_AUTH_FLOW_ONLY', 'ALLOW_CUSTOM_AUTH'] }, /legacy CUSTOM_AUTH_FLOW_ONLY/],
    ['USER_PASSWORD_AUTH mixed', { ExplicitAuthFlows: ['USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }, /legacy USER_PASSWORD_AUTH/],
    ['an unknown flow', { ExplicitAuthFlows: ['ALLOW_EVERYTHING'] }, /ExplicitAuthFlows must be an array of/],
    ['a relative callback URL', { CallbackURLs: ['/callback'] }, /CallbackURLs: .*absolute/],
    ['a callback URL with a fragment', { CallbackURLs: ['https://app.example/cb#frag'] }, /fragment/],
    ['an http callback URL', { CallbackURLs: ['http://app.example/cb'] }, /CallbackURLs: .*https/],
    ['an http logout URL', { LogoutURLs: ['http://app.example/out'] }, /LogoutURLs: .*https/],
    ['an http callback URL to another loopback address', { CallbackURLs: ['http://127.0.0.2/cb'] }, /CallbackURLs: .*https/],
    ['a logout URL with a fragment', { LogoutURLs: ['https://app.example/out#x'] }, /LogoutURLs: .*fragment/],
    ['a DefaultRedirectURI not in CallbackURLs', { CallbackURLs: ['https://app.example/cb'], DefaultRedirectURI: 'https://app.example/other' }, /must be one of the CallbackURLs/],
    ['a DefaultRedirectURI over http', { CallbackURLs: ['http://app.example/cb'], DefaultRedirectURI: 'http://app.example/cb' }, /https/],
    ['an unknown OAuth flow', { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['password'] }, /AllowedOAuthFlows must be an array of code, implicit, client_credentials/],
    ['client_credentials with code', { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code', 'client_credentials'] }, /client_credentials cannot be combined/],
    ['OAuth flows without AllowedOAuthFlowsUserPoolClient', { AllowedOAuthFlows: ['code'] }, /needs AllowedOAuthFlowsUserPoolClient/],
    ['a bad OAuth scope', { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['has space'] }, /is not a scope/],
    ['PreventUserExistenceErrors ON', { PreventUserExistenceErrors: 'ON' }, /PreventUserExistenceErrors must be one of LEGACY, ENABLED/],
    ['GenerateSecret as a string', { GenerateSecret: 'yes' }, /GenerateSecret must be true or false/],
    ['a 20-year refresh token', { RefreshTokenValidity: 7300 }, /60 minutes and 10 years/],
    ['a 2-minute access token', { AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: 'minutes' } }, /AccessTokenValidity must be between 5 minutes and 1 day/],
    ['an unknown time unit', { TokenValidityUnits: { IdToken: 'weeks' } }, /TokenValidityUnits.IdToken must be one of/],
    ['ReadAttributes as a string', { ReadAttributes: 'email' }, /ReadAttributes must be an array of strings/],
    ['WriteAttributes with a number', { WriteAttributes: [1] }, /WriteAttributes must be an array of strings/],
    ['SupportedIdentityProviders as a string', { SupportedIdentityProviders: 'COGNITO' }, /SupportedIdentityProviders must be an array/],
    ['an unknown AnalyticsConfiguration field', { AnalyticsConfiguration: { ApplicationId: 'a', Role: 'r' } }, /AnalyticsConfiguration.Role/],
    ['UserDataShared as a string', { AnalyticsConfiguration: { UserDataShared: 'yes' } }, /UserDataShared must be true or false/],
    ['AuthSessionValidity 30', { AuthSessionValidity: 30 }, /AuthSessionValidity must be a whole number from 3 to 15/],
    ['a bad client name', { ClientName: 'bad<name>' }, /ClientName/],
    ['no ClientName', { ClientName: undefined }, /ClientName is required/],
    ['a ClientName of 129 characters', { ClientName: 'n'.repeat(129) }, /ClientName must be 1 to 128 characters/],
    ['a ClientName outside [\\w\\s+=,.@-]', { ClientName: 'café' }, /ClientName "café" may hold only/],
    ['GenerateSecret and a ClientSecret', { GenerateSecret: true, ClientSecret: 'a'.repeat(24) }, /either GenerateSecret: true or a ClientSecret, not both/, 'create only'],
    ['a ClientSecret of 23 characters', { ClientSecret: 'a'.repeat(23) }, /ClientSecret must be 24 to 64 characters/, 'create only'],
    ['a ClientSecret with a slash', { ClientSecret: `${'a'.repeat(23)}/` }, /ClientSecret ".*" may hold only/, 'create only'],
    ['EnablePropagateAdditionalUserContextData without a secret', { EnablePropagateAdditionalUserContextData: true }, /needs a client secret/, 'create only'],
    ['RefreshTokenRotation without Feature', { RefreshTokenRotation: { RetryGracePeriodSeconds: 10 } }, /RefreshTokenRotation.Feature is required/],
    ['a 61-second RetryGracePeriodSeconds', { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 61 } }, /RetryGracePeriodSeconds must be a whole number from 0 to 60/],
    ['an ApplicationId that is not hex', { AnalyticsConfiguration: { ApplicationId: 'app-1' } }, /ApplicationId "app-1" must be hexadecimal/],
    ['a RoleArn that is not an ARN', { AnalyticsConfiguration: { RoleArn: 'role/analytics-role-name' } }, /RoleArn ".*" is not an ARN/],
    ['an empty ReadAttributes entry', { ReadAttributes: ['email', ''] }, /ReadAttributes\[1\] must be 1 to 2048 characters/],
    ['four AllowedOAuthFlows', { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code', 'code', 'implicit', 'implicit'] }, /AllowedOAuthFlows must be a list of at most 3 entries/],
  ];
  for (const [what, extra, message, createOnly] of rules) {
    test(`refused locally, before any request: ${what}`, async () => {
      await refusedLocally('createUserPoolClient', { ...base, ...extra }, message);
      if ((extra.ClientName === undefined && 'ClientName' in extra) || createOnly) return;
      const { ClientName, GenerateSecret, ...update } = { ...base, ...extra };
      if (GenerateSecret === undefined && ClientName === base.ClientName) {
        await refusedLocally('updateUserPoolClient', { ...update, ClientId: PASSWORD_CLIENT }, message);
      }
    });
  }

  test('the endpoint applies the same rules to a client that skips them (raw signed request)', async () => {
    // boto3 and the SDK validate little; the endpoint refuses with InvalidParameterException.
    const sdk = sdkClient();
    await assert.rejects(
      sdk.send(new CreateUserPoolClientCommand({ UserPoolId: POOL, ClientName: 'mixed', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'USER_PASSWORD_AUTH'] })),
      (error) => error.name === 'InvalidParameterException' && /mixes ALLOW_/.test(error.message),
    );
  });
});

function sdkClient(overrides = {}) {
  return new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: endpoint.url, credentials, maxAttempts: 1, ...overrides });
}

/** A proxy to the endpoint that may rewrite the body it forwards (headers untouched). */
async function proxy(rewrite) {
  const server = createServer((incoming, outgoing) => {
    const chunks = [];
    incoming.on('data', (c) => chunks.push(c));
    incoming.on('end', () => {
      const body = Buffer.from(rewrite(Buffer.concat(chunks).toString()));
      const target = new URL(endpoint.url);
      const forwarded = httpRequest(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, 'content-length': body.length } },
        (answer) => {
          outgoing.writeHead(answer.statusCode, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.end(body);
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => server.close(ok)) };
}

describe('SigV4 at the endpoint', () => {
  const describeInput = { UserPoolId: POOL, ClientId: PASSWORD_CLIENT };

  test('a wrong secret key is InvalidSignatureException; an unknown key is UnrecognizedClientException', async () => {
    const wrong = new CognitoAdmin({ region: 'us-east-1', endpoint: endpoint.url, credentials: { ...credentials, secretAccessKey: `${KEY.secretAccessKey}x` } });
    await rejects(wrong.describeUserPoolClient(describeInput), 'InvalidSignatureException', /signature we calculated does not match/);
    const unknown = new CognitoAdmin({ region: 'us-east-1', endpoint: endpoint.url, credentials: { ...credentials, accessKeyId: 'AKIDUNKNOWN000000000' } });
    await rejects(unknown.describeUserPoolClient(describeInput), 'UnrecognizedClientException', /security token included in the request is invalid/);
  });

  test('a clock skewed by more than 5 minutes is refused, either way; 4 minutes is fine', async () => {
    const realNow = Date.now;
    try {
      Date.now = () => realNow() - 6 * 60_000;
      await rejects(admin().describeUserPoolClient(describeInput), 'InvalidSignatureException', /Signature expired/);
      Date.now = () => realNow() + 6 * 60_000;
      await rejects(admin().describeUserPoolClient(describeInput), 'InvalidSignatureException', /not yet current/);
      Date.now = () => realNow() - 4 * 60_000;
      const { UserPoolClient } = await admin().describeUserPoolClient(describeInput);
      assert.equal(UserPoolClient.ClientId, PASSWORD_CLIENT);
    } finally {
      Date.now = realNow;
    }
  });

  test('a body changed after signing is InvalidSignatureException (and an untouched one passes)', async () => {
    const untouched = await proxy((body) => body);
    const tampering = await proxy((body) => body.replace(PASSWORD_CLIENT, LEGACY_CLIENT));
    try {
      const via = (p) => new CognitoAdmin({ region: 'us-east-1', credentials, endpoint: p.url });
      assert.equal((await via(untouched).describeUserPoolClient(describeInput)).UserPoolClient.ClientId, PASSWORD_CLIENT);
      await rejects(via(tampering).describeUserPoolClient(describeInput), 'InvalidSignatureException');
    } finally {
      await untouched.close();
      await tampering.close();
    }
  });

  test('temporary credentials need their session token', async () => {
    const temporary = { accessKeyId: TEMPORARY.accessKeyId, secretAccessKey: TEMPORARY.secretAccessKey };
    const withToken = new CognitoAdmin({ region: 'us-east-1', endpoint: endpoint.url, credentials: { ...temporary, sessionToken: TEMPORARY.sessionToken } });
    assert.equal((await withToken.describeUserPoolClient(describeInput)).UserPoolClient.ClientId, PASSWORD_CLIENT);
    const without = new CognitoAdmin({ region: 'us-east-1', endpoint: endpoint.url, credentials: temporary });
    await rejects(without.describeUserPoolClient(describeInput), 'UnrecognizedClientException');
  });

  test('an unsigned admin request is refused', async () => {
    const response = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.DescribeUserPoolClient' },
      body: JSON.stringify(describeInput),
    });
    assert.equal(response.status, 400);
    assert.equal((await response.json()).__type, 'MissingAuthenticationTokenException');
  });
});

describe('the CognitoAdmin options', () => {
  test('it refuses to run where window exists unless allowBrowser', async () => {
    globalThis.window = globalThis;
    try {
      await rejects(admin().describeUserPoolClient({ UserPoolId: POOL, ClientId: PASSWORD_CLIENT }), 'ValidationError', /must not run in a browser/);
      const allowed = await admin({ allowBrowser: true }).describeUserPoolClient({ UserPoolId: POOL, ClientId: PASSWORD_CLIENT });
      assert.equal(allowed.UserPoolClient.ClientId, PASSWORD_CLIENT);
    } finally {
      delete globalThis.window;
    }
  });

  test('bad options reject every call with a ValidationError that names the option', async () => {
    const input = { UserPoolId: POOL, ClientId: PASSWORD_CLIENT };
    await rejects(new CognitoAdmin({ region: 'us-east-1' }).describeUserPoolClient(input), 'ValidationError', /credentials/);
    await rejects(new CognitoAdmin({ region: 'us-east-1', credentials: { accessKeyId: 'A' } }).describeUserPoolClient(input), 'ValidationError', /secretAccessKey/);
    await rejects(new CognitoAdmin({ credentials }).describeUserPoolClient(input), 'ValidationError', /region/);
    await rejects(new CognitoAdmin({ region: 'US East', credentials }).describeUserPoolClient(input), 'ValidationError', /region/);
    await rejects(new CognitoAdmin({ region: 'us-east-1', credentials, endpoint: 'ftp://x' }).describeUserPoolClient(input), 'ValidationError', /endpoint/);
    await rejects(new CognitoAdmin().describeUserPoolClient(input), 'ValidationError', /new CognitoAdmin takes/);
  });

  test('an unreachable endpoint is a NetworkError', async () => {
    await rejects(offlineAdmin().describeUserPoolClient({ UserPoolId: POOL, ClientId: PASSWORD_CLIENT }), 'NetworkError');
  });
});

describe('interoperability', () => {
  test('SigV4: the committed vectors are what botocore produces now', () => {
    const run = spawnSync(PYTHON, [join(ROOT, 'scripts/gen-vectors/sigv4.py')], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const live = JSON.parse(run.stdout);
    const committed = readJson(join(ROOT, 'tests/vectors/sigv4.json'));
    assert.deepEqual(live.vectors, committed.vectors);
  });

  test('SigV4: a request CognitoAdmin sent carries the signature botocore computes for it', async () => {
    let captured;
    const server = createServer((incoming, outgoing) => {
      const chunks = [];
      incoming.on('data', (c) => chunks.push(c));
      incoming.on('end', () => {
        captured = { headers: incoming.headers, body: Buffer.concat(chunks).toString() };
        outgoing.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        outgoing.end(JSON.stringify({ UserPoolClient: { ClientId: 'c', CreationDate: 1573689600 } }));
      });
    });
    await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const url = `http://127.0.0.1:${server.address().port}/`;
      const token = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH';
      const signer = new CognitoAdmin({ region: 'eu-central-1', endpoint: url, credentials: { ...credentials, sessionToken: token } });
      const output = await signer.describeUserPoolClient({ UserPoolId: 'eu-central-1_Abc1', ClientId: 'c' });
      assert.equal(output.UserPoolClient.CreationDate.toISOString(), '2019-11-14T00:00:00.000Z');
      const script = `
import datetime, json, sys
from unittest import mock
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
c = json.load(sys.stdin)
r = AWSRequest(method="POST", url=c["url"], data=c["body"].encode(), headers={"Content-Type": c["contentType"], "X-Amz-Target": c["target"]})
now = datetime.datetime.strptime(c["amzDate"], "%Y%m%dT%H%M%SZ")
with mock.patch.object(botocore.auth, "get_current_datetime", return_value=now):
    botocore.auth.SigV4Auth(Credentials(c["key"], c["secret"], c["token"]), "cognito-idp", "eu-central-1").add_auth(r)
print(r.headers["Authorization"])`;
      const run = spawnSync(PYTHON, ['-c', script], {
        encoding: 'utf8',
        input: JSON.stringify({
          url,
          body: captured.body,
          contentType: captured.headers['content-type'],
          target: captured.headers['x-amz-target'],
          amzDate: captured.headers['x-amz-date'],
          key: KEY.accessKeyId,
          secret: KEY.secretAccessKey,
          token,
        }),
      });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(captured.headers.authorization, run.stdout.trim());
      assert.equal(captured.headers['x-amz-security-token'], token);
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });

  test('boto3 drives the pool-client and admin operations, USER_SRP_AUTH (pycognito), CUSTOM_AUTH and SOFTWARE_TOKEN_MFA', () => {
    const args = [join(E2E, 'boto3_admin.py'), endpoint.url, KEY.accessKeyId, KEY.secretAccessKey, userNamed('totpuser').mfa.totpSecret];
    const run = spawnSync(PYTHON, args, { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const seen = JSON.parse(run.stdout);
    assert.equal(seen.created.ClientName, 'boto3 client');
    assert.ok(Math.abs(seen.created.CreationDate * 1000 - Date.now()) < 60_000);
    assert.equal(seen.described.DefaultRedirectURI, 'https://app.example/cb');
    assert.deepEqual(seen.updated, {
      ClientName: 'boto3 client renamed',
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'],
      PreventUserExistenceErrors: 'LEGACY',
    });
    assert.equal(seen.tokenType, 'Bearer');
    assert.equal(seen.hasIdToken, true);
    assert.equal(seen.unknownUser, 'UserNotFoundException');
    assert.equal(seen.wrongKey, 'InvalidSignatureException');
    assert.equal(seen.unknownKey, 'UnrecognizedClientException');
    assert.equal(seen.srpUser, 'alice');
    assert.equal(seen.srpWrongPassword, 'NotAuthorizedException');
    assert.deepEqual(seen.custom, { rounds: ['1', '2', '3'], user: 'riddler' });
    assert.equal(seen.customWrongAnswer, 'NotAuthorizedException');
    assert.deepEqual(seen.totp, { challenge: 'SOFTWARE_TOKEN_MFA', user: 'totpuser' });
  });

  test('the AWS SDK v3 drives SELECT_MFA_TYPE, SMS_MFA and MFA_SETUP through AdminRespondToAuthChallenge', async () => {
    const sdk = sdkClient();
    const answer = (previous, ChallengeResponses) =>
      sdk.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: POOL,
          ClientId: PASSWORD_CLIENT,
          ChallengeName: previous.ChallengeName,
          Session: previous.Session,
          ChallengeResponses,
        }),
      );
    const signIn = (username) =>
      sdk.send(
        new AdminInitiateAuthCommand({
          UserPoolId: POOL,
          ClientId: PASSWORD_CLIENT,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD: userNamed(username).password },
        }),
      );
    const select = await signIn('chooser');
    assert.equal(select.ChallengeName, 'SELECT_MFA_TYPE');
    const sms = await answer(select, { USERNAME: 'chooser', ANSWER: 'SMS_MFA' });
    assert.equal(sms.ChallengeName, 'SMS_MFA');
    await assert.rejects(answer(sms, { USERNAME: 'chooser', SMS_MFA_CODE: 'nope' }), { name: 'CodeMismatchException' });
    const done = await answer(sms, { USERNAME: 'chooser', SMS_MFA_CODE: await kit.latestCode(POOL, 'chooser', 'SMS_MFA') });
    assert.equal(claims(done.AuthenticationResult.IdToken)['cognito:username'], 'chooser');

    const setup = await signIn('sdksetup');
    assert.equal(setup.ChallengeName, 'MFA_SETUP');
    const { SecretCode, Session } = await sdk.send(new AssociateSoftwareTokenCommand({ Session: setup.Session }));
    const verified = await sdk.send(new VerifySoftwareTokenCommand({ Session, UserCode: await kit.totp(SecretCode) }));
    const signedIn = await answer({ ChallengeName: 'MFA_SETUP', Session: verified.Session }, { USERNAME: 'sdksetup' });
    assert.equal(claims(signedIn.AuthenticationResult.IdToken)['cognito:username'], 'sdksetup');
    // CognitoAdmin sees what the SDK set up: TOTP is now required.
    const next = await adminSignIn('sdksetup');
    assert.equal(next.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    assertSignedInAs(await respond(next, { USERNAME: 'sdksetup', SOFTWARE_TOKEN_MFA_CODE: await kit.totp(SecretCode) }), 'sdksetup');
  });

  test('the AWS SDK v3 drives the pool-client and admin operations', async () => {
    const sdk = sdkClient();
    const { UserPoolClient: created } = await sdk.send(
      new CreateUserPoolClientCommand({ UserPoolId: POOL, ClientName: 'sdk client', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'], GenerateSecret: true }),
    );
    assert.ok(created.CreationDate instanceof Date);
    assert.ok(created.ClientSecret);
    const { UserPoolClient: described } = await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: created.ClientId }));
    assert.equal(described.ClientName, 'sdk client');
    // What the SDK created, CognitoAdmin sees the same way.
    const ours = await admin().describeUserPoolClient({ UserPoolId: POOL, ClientId: created.ClientId });
    assert.equal(ours.UserPoolClient.CreationDate.getTime(), created.CreationDate.getTime());
    await sdk.send(new UpdateUserPoolClientCommand({ UserPoolId: POOL, ClientId: created.ClientId, ClientName: 'sdk renamed', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'] }));
    const SECRET_HASH = createHmac('sha256', created.ClientSecret).update(`alice${created.ClientId}`).digest('base64');
    const signedIn = await sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: POOL,
        ClientId: created.ClientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'alice', PASSWORD: 'Alice-Passw0rd!', SECRET_HASH },
      }),
    );
    assert.equal(signedIn.AuthenticationResult.TokenType, 'Bearer');
    const wrong = sdkClient({ credentials: { ...credentials, secretAccessKey: 'wrong' } });
    await assert.rejects(wrong.send(new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: created.ClientId })), { name: 'InvalidSignatureException' });
  });
});

describe('packaging', () => {
  test('a browser bundle of cognito-wasm carries none of the admin module', async () => {
    const result = await build({
      stdin: { contents: "import init, { CognitoAuth } from 'cognito-wasm'; init().then(() => new CognitoAuth({}));", resolveDir: join(PACKAGE_DIR, '../..') },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      logLevel: 'silent',
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.some((i) => i.includes('pkg/cognito_wasm.js')));
    assert.ok(!inputs.some((i) => /admin/.test(i)), inputs.join(', '));
    const code = result.outputFiles[0].text;
    assert.ok(!/CognitoAdmin|cognito_wasm_admin|AdminInitiateAuth/.test(code));
    // The sign-in wasm has no admin code either; the admin wasm does.
    const wasm = readFileSync(join(PACKAGE_DIR, 'pkg/cognito_wasm_bg.wasm')).toString('latin1');
    assert.ok(!wasm.includes('AdminInitiateAuth') && !wasm.includes('aws4_request'));
    const adminWasm = readFileSync(join(PACKAGE_DIR, 'pkg-admin/cognito_wasm_admin_bg.wasm')).toString('latin1');
    assert.ok(adminWasm.includes('AdminInitiateAuth') && adminWasm.includes('aws4_request'));
    const pkg = readJson(join(PACKAGE_DIR, 'package.json'));
    assert.equal(pkg.exports['./admin'].default, './js/admin.js');
  });
});
