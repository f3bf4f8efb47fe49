// The local endpoint's passkeys, proved against implementations no one here
// wrote: the AWS SDK v3 drives StartWebAuthnRegistration,
// CompleteWebAuthnRegistration, ListWebAuthnCredentials,
// DeleteWebAuthnCredential and USER_AUTH's WEB_AUTHN challenge, and
// @simplewebauthn/server verifies the very registration and assertion
// responses the endpoint accepts (with the challenge, origin and RP ID of
// the options the endpoint issued), and refuses the forged ones the endpoint
// refuses. The responses come from a software authenticator written here
// from the WebAuthn specification (WebCrypto keys, authenticator data and
// CBOR attestation objects built by hand; ES256 and RS256; `none` and
// `packed` self attestation). Also through the AWS SDK: passwordless sign-up
// and the ConfirmSignUp Session signing in, the MFA setup by email, and the
// sign-in errors Amplify turns into the CONFIRM_SIGN_UP and RESET_PASSWORD
// steps.
import assert from 'node:assert/strict';
import { createHash, webcrypto } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CognitoIdentityProviderClient,
  CompleteWebAuthnRegistrationCommand,
  ConfirmSignUpCommand,
  DeleteWebAuthnCredentialCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import { startEndpoint } from './endpoint.mjs';
import { E2E } from './support.mjs';

const SEED = join(E2E, 'seed-webauthn.json');
const POOL = 'us-east-1_WebAuthnE2E';
const CLIENT = 'webauthnclient00000000000';
const MFA_POOL = 'us-east-1_EmailMfaE2E';
const MFA_CLIENT = 'emailmfaclient00000000000';
const ORIGIN = 'http://localhost:8080';
const RP_ID = 'localhost';
const subtle = webcrypto.subtle;

let endpoint;
let sdk;
before(async () => {
  endpoint = await startEndpoint(SEED);
  sdk = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: endpoint.url,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
});
after(async () => {
  sdk?.destroy();
  await endpoint?.stop();
});

// ------------------------------------------------------------ encodings

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const fromB64url = (text) => new Uint8Array(Buffer.from(text, 'base64url'));
const sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());
const concat = (...parts) => new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p))));

/** CBOR (RFC 8949) for what WebAuthn needs: integers, byte and text strings, maps. */
function cbor(value) {
  const head = (major, length) => {
    if (length < 24) return [(major << 5) | length];
    if (length < 0x100) return [(major << 5) | 24, length];
    if (length < 0x10000) return [(major << 5) | 25, length >> 8, length & 0xff];
    return [(major << 5) | 26, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff];
  };
  if (typeof value === 'number') return new Uint8Array(value >= 0 ? head(0, value) : head(1, -1 - value));
  if (typeof value === 'string') {
    const text = new TextEncoder().encode(value);
    return concat(head(3, text.length), text);
  }
  if (value instanceof Uint8Array) return concat(head(2, value.length), value);
  if (value instanceof Map) {
    const entries = [...value].flatMap(([k, v]) => [cbor(k), cbor(v)]);
    return concat(head(5, value.size), ...entries);
  }
  throw new Error(`cannot encode ${value}`);
}

/** WebCrypto's ECDSA signature (r || s) as the ASN.1 DER WebAuthn sends. */
function derSignature(raw) {
  const integer = (bytes) => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i += 1;
    const trimmed = bytes.slice(i);
    const padded = trimmed[0] & 0x80 ? concat([0], trimmed) : trimmed;
    return concat([0x02, padded.length], padded);
  };
  const body = concat(integer(raw.slice(0, 32)), integer(raw.slice(32)));
  return concat([0x30, body.length], body);
}

// ------------------------------------------------------------ the authenticator

const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

/**
 * A software authenticator holding one credential. `ceremony` changes what
 * a response carries: { origin, rpId, challenge (base64url), flags,
 * signCount, type }, to forge what must be refused.
 */
class Authenticator {
  static async create(alg, format) {
    const self = new Authenticator();
    self.alg = alg;
    self.format = format;
    self.counter = 0;
    self.credentialId = webcrypto.getRandomValues(new Uint8Array(32));
    const params =
      alg === -7
        ? { name: 'ECDSA', namedCurve: 'P-256' }
        : { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
    self.keys = await subtle.generateKey(params, true, ['sign', 'verify']);
    const jwk = await subtle.exportKey('jwk', self.keys.publicKey);
    self.cose =
      alg === -7
        ? cbor(new Map([[1, 2], [3, -7], [-1, 1], [-2, fromB64url(jwk.x)], [-3, fromB64url(jwk.y)]]))
        : cbor(new Map([[1, 3], [3, -257], [-1, fromB64url(jwk.n)], [-2, fromB64url(jwk.e)]]));
    return self;
  }

  get id() {
    return b64url(this.credentialId);
  }

  async sign(message) {
    if (this.alg === -7) {
      const raw = await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, this.keys.privateKey, message);
      return derSignature(new Uint8Array(raw));
    }
    return new Uint8Array(await subtle.sign('RSASSA-PKCS1-v1_5', this.keys.privateKey, message));
  }

  authData(ceremony, attested) {
    const flags = (ceremony.flags ?? UP | UV) | (attested ? AT : 0);
    const count = ceremony.signCount ?? ++this.counter;
    const counter = [(count >>> 24) & 0xff, (count >> 16) & 0xff, (count >> 8) & 0xff, count & 0xff];
    const parts = [sha256(new TextEncoder().encode(ceremony.rpId ?? RP_ID)), [flags], counter];
    if (attested) {
      parts.push(new Uint8Array(16), [this.credentialId.length >> 8, this.credentialId.length & 0xff], this.credentialId, this.cose);
    }
    return concat(...parts);
  }

  clientData(ceremony, type, options) {
    const data = {
      type: ceremony.type ?? type,
      challenge: ceremony.challenge ?? options.challenge,
      origin: ceremony.origin ?? ORIGIN,
      crossOrigin: false,
    };
    return new TextEncoder().encode(JSON.stringify(data));
  }

  /** navigator.credentials.create() then toJSON(): a RegistrationResponseJSON. */
  async register(options, ceremony = {}) {
    this.userHandle = options.user.id;
    const authData = this.authData(ceremony, true);
    const clientData = this.clientData(ceremony, 'webauthn.create', options);
    let statement = new Map();
    if (this.format === 'packed') {
      const sig = await this.sign(concat(authData, sha256(clientData)));
      statement = new Map([['alg', this.alg], ['sig', sig]]);
    }
    const object = cbor(new Map([['fmt', this.format], ['attStmt', statement], ['authData', authData]]));
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      authenticatorAttachment: 'cross-platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientData),
        attestationObject: b64url(object),
        transports: ['usb'],
        publicKeyAlgorithm: this.alg,
        authenticatorData: b64url(authData),
      },
    };
  }

  /** navigator.credentials.get() then toJSON(): an AuthenticationResponseJSON. */
  async assert(options, ceremony = {}) {
    const authData = this.authData(ceremony, false);
    const clientData = this.clientData(ceremony, 'webauthn.get', options);
    const signature = await this.sign(concat(authData, sha256(clientData)));
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      authenticatorAttachment: 'cross-platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientData),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: this.userHandle,
      },
    };
  }
}

// ------------------------------------------------------------ helpers

/** Asserts the SDK call rejects with this exception name and a message containing `message`. */
async function rejects(promise, name, message) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.name, name, error.message);
    assert.ok(error.message.includes(message), `${JSON.stringify(error.message)} lacks ${JSON.stringify(message)}`);
    return true;
  });
}

/** Asserts @simplewebauthn/server does not verify: it throws or answers verified: false. */
async function simpleRefuses(verify, what) {
  let verified;
  try {
    ({ verified } = await verify());
  } catch {
    verified = false;
  }
  assert.equal(verified, false, `@simplewebauthn/server refuses ${what}`);
}

async function accessToken(username, password, clientId = CLIENT) {
  const answer = await sdk.send(
    new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD: password } }),
  );
  return answer.AuthenticationResult.AccessToken;
}

async function latestCode(pool, username, purpose) {
  const response = await fetch(`${endpoint.url}/inbox?pool=${pool}&username=${encodeURIComponent(username)}`);
  const { messages } = await response.json();
  return messages.filter((m) => m.purpose === purpose).at(-1).code;
}

const startRegistration = async (token) =>
  (await sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: token }))).CredentialCreationOptions;

const completeRegistration = (token, credential) =>
  sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: token, Credential: credential }));

/** @simplewebauthn/server's check of a registration against the options the endpoint issued. */
const simpleRegistration = (options, response) =>
  verifyRegistrationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: options.rp.id,
    requireUserVerification: options.authenticatorSelection.userVerification === 'required',
  });

const simpleAssertion = (options, response, authenticator, counter) =>
  verifyAuthenticationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: options.rpId,
    credential: { id: authenticator.id, publicKey: authenticator.cose, counter },
    requireUserVerification: options.userVerification === 'required',
  });

/** Registers with both verifiers agreeing; the stored counter. */
async function register(token, authenticator) {
  const options = await startRegistration(token);
  const response = await authenticator.register(options);
  const reference = await simpleRegistration(options, response);
  assert.equal(reference.verified, true);
  assert.deepEqual(reference.registrationInfo.credential.publicKey, authenticator.cose);
  assert.equal(reference.registrationInfo.fmt, authenticator.format);
  assert.deepEqual(await completeRegistration(token, response).then(({ $metadata, ...rest }) => rest), {});
  return reference.registrationInfo.credential.counter;
}

/** InitiateAuth USER_AUTH preferring WEB_AUTHN: the challenge and its parsed options. */
async function webAuthnChallenge(username) {
  const challenge = await sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_AUTH',
      ClientId: CLIENT,
      AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'WEB_AUTHN' },
    }),
  );
  assert.equal(challenge.ChallengeName, 'WEB_AUTHN');
  return { challenge, options: JSON.parse(challenge.ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS) };
}

const answerWebAuthn = (username, challenge, response) =>
  sdk.send(
    new RespondToAuthChallengeCommand({
      ChallengeName: 'WEB_AUTHN',
      ClientId: CLIENT,
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: username, CREDENTIAL: JSON.stringify(response) },
    }),
  );

// ------------------------------------------------------------ tests

describe('passkeys against the AWS SDK and @simplewebauthn/server', () => {
  test('ES256 with none attestation: registration, listing and sign-in, verified by both', async () => {
    const token = await accessToken('alice', 'Alice-Passw0rd!');
    const key = await Authenticator.create(-7, 'none');
    const options = await startRegistration(token);
    assert.deepEqual(options.rp, { id: 'localhost', name: 'localhost' });
    assert.deepEqual(options.pubKeyCredParams, [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -257 }]);
    assert.equal(options.authenticatorSelection.userVerification, 'required');
    const response = await key.register(options);
    const reference = await simpleRegistration(options, response);
    assert.equal(reference.verified, true);
    assert.equal(reference.registrationInfo.fmt, 'none');
    assert.equal(reference.registrationInfo.userVerified, true);
    await completeRegistration(token, response);
    let counter = reference.registrationInfo.credential.counter;

    const listed = await sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }));
    assert.equal(listed.Credentials.length, 1);
    const [credential] = listed.Credentials;
    assert.equal(credential.CredentialId, key.id);
    assert.equal(credential.RelyingPartyId, 'localhost');
    assert.equal(credential.AuthenticatorAttachment, 'cross-platform');
    assert.deepEqual(credential.AuthenticatorTransports, ['usb']);
    assert.ok(credential.CreatedAt instanceof Date && Math.abs(credential.CreatedAt - Date.now()) < 60_000);

    const { challenge, options: requestOptions } = await webAuthnChallenge('alice');
    assert.deepEqual(requestOptions.allowCredentials, [{ id: key.id, type: 'public-key' }]);
    assert.equal(requestOptions.rpId, 'localhost');
    const assertion = await key.assert(requestOptions);
    const verified = await simpleAssertion(requestOptions, assertion, key, counter);
    assert.equal(verified.verified, true);
    counter = verified.authenticationInfo.newCounter;
    const signedIn = await answerWebAuthn('alice', challenge, assertion);
    const user = await sdk.send(new GetUserCommand({ AccessToken: signedIn.AuthenticationResult.AccessToken }));
    assert.equal(user.Username, 'alice');

    // Replayed under a new challenge: both refuse (stale challenge).
    const again = await webAuthnChallenge('alice');
    await simpleRefuses(() => simpleAssertion(again.options, assertion, key, counter), 'a replayed assertion');
    await rejects(answerWebAuthn('alice', again.challenge, assertion), 'NotAuthorizedException', 'challenge does not match');
  });

  test('RS256 with packed self attestation, chosen at SELECT_CHALLENGE', async () => {
    const token = await accessToken('bob', 'Bob-Passw0rd!');
    const key = await Authenticator.create(-257, 'packed');
    const counter = await register(token, key);
    const select = await sdk.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: CLIENT, AuthParameters: { USERNAME: 'bob' } }),
    );
    assert.equal(select.ChallengeName, 'SELECT_CHALLENGE');
    assert.deepEqual(select.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'WEB_AUTHN']);
    const challenge = await sdk.send(
      new RespondToAuthChallengeCommand({
        ChallengeName: 'SELECT_CHALLENGE',
        ClientId: CLIENT,
        Session: select.Session,
        ChallengeResponses: { USERNAME: 'bob', ANSWER: 'WEB_AUTHN' },
      }),
    );
    assert.equal(challenge.ChallengeName, 'WEB_AUTHN');
    const options = JSON.parse(challenge.ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS);
    const assertion = await key.assert(options);
    assert.equal((await simpleAssertion(options, assertion, key, counter)).verified, true);
    const signedIn = await answerWebAuthn('bob', challenge, assertion);
    assert.ok(signedIn.AuthenticationResult.IdToken);
  });

  test('forged registrations: both refuse', async () => {
    const token = await accessToken('alice', 'Alice-Passw0rd!');
    const forgeries = [
      [{ origin: 'http://127.0.0.1:8080' }, 'WebAuthnOriginNotAllowedException', 'is not allowed'],
      [{ rpId: 'example.com' }, 'WebAuthnRelyingPartyMismatchException', 'different relying party'],
      [{ challenge: b64url(new Uint8Array(16).fill(7)) }, 'WebAuthnChallengeNotFoundException', 'challenge does not match'],
      [{ flags: UP }, 'WebAuthnCredentialNotSupportedException', 'did not verify the user'],
      [{ type: 'webauthn.get' }, 'WebAuthnChallengeNotFoundException', 'type does not match'],
    ];
    for (const [ceremony, name, message] of forgeries) {
      const key = await Authenticator.create(-7, 'packed');
      const options = await startRegistration(token);
      const response = await key.register(options, ceremony);
      await simpleRefuses(() => simpleRegistration(options, response), JSON.stringify(ceremony));
      await rejects(completeRegistration(token, response), name, message);
    }
    // A packed self attestation signed by another key.
    const key = await Authenticator.create(-7, 'packed');
    const forger = await Authenticator.create(-7, 'packed');
    const options = await startRegistration(token);
    const response = await key.register(options);
    const forged = await forger.register(options);
    const object = cbor(
      new Map([
        ['fmt', 'packed'],
        ['attStmt', new Map([['alg', -7], ['sig', await forger.sign(new Uint8Array([1]))]])],
        ['authData', fromB64url(response.response.authenticatorData)],
      ]),
    );
    assert.notEqual(forged.response.attestationObject, response.response.attestationObject);
    response.response.attestationObject = b64url(object);
    await simpleRefuses(() => simpleRegistration(options, response), 'a bad attestation signature');
    await rejects(completeRegistration(token, response), 'InvalidParameterException', 'signature does not verify');
  });

  test('forged assertions: both refuse', async () => {
    const token = await accessToken('alice', 'Alice-Passw0rd!');
    const key = await Authenticator.create(-7, 'none');
    let counter = await register(token, key);
    const forgeries = [
      [{ origin: 'https://localhost.evil.test' }, 'is not allowed'],
      [{ rpId: 'example.com' }, 'different relying party'],
      [{ challenge: b64url(new Uint8Array(16).fill(1)) }, 'challenge does not match'],
      [{ flags: UP }, 'did not verify the user'],
      [{ signCount: 0 }, 'counter did not increase'],
    ];
    for (const [ceremony, message] of forgeries) {
      const { challenge, options } = await webAuthnChallenge('alice');
      const assertion = await key.assert(options, ceremony);
      await simpleRefuses(() => simpleAssertion(options, assertion, key, counter), JSON.stringify(ceremony));
      await rejects(answerWebAuthn('alice', challenge, assertion), 'NotAuthorizedException', message);
    }
    // A signature by another key.
    const { challenge, options } = await webAuthnChallenge('alice');
    const assertion = await key.assert(options);
    const other = await Authenticator.create(-7, 'none');
    assertion.response.signature = b64url(await other.sign(fromB64url(assertion.response.authenticatorData)));
    await simpleRefuses(() => simpleAssertion(options, assertion, key, counter), 'a signature by another key');
    await rejects(answerWebAuthn('alice', challenge, assertion), 'NotAuthorizedException', 'signature does not verify');
    // The counter the endpoint kept still works for the next honest assertion.
    const next = await webAuthnChallenge('alice');
    const honest = await key.assert(next.options);
    const verified = await simpleAssertion(next.options, honest, key, counter);
    assert.equal(verified.verified, true);
    counter = verified.authenticationInfo.newCounter;
    assert.ok((await answerWebAuthn('alice', next.challenge, honest)).AuthenticationResult);
  });

  test("another user's passkey, and a deleted one, do not sign in", async () => {
    const aliceToken = await accessToken('alice', 'Alice-Passw0rd!');
    const bobToken = await accessToken('bob', 'Bob-Passw0rd!');
    const bobs = await Authenticator.create(-7, 'none');
    await register(bobToken, bobs);
    const { challenge, options } = await webAuthnChallenge('alice');
    await rejects(answerWebAuthn('alice', challenge, await bobs.assert(options)), 'NotAuthorizedException', 'not registered for this user');

    const alices = await Authenticator.create(-7, 'none');
    await register(aliceToken, alices);
    await sdk.send(new DeleteWebAuthnCredentialCommand({ AccessToken: aliceToken, CredentialId: alices.id }));
    const listed = await sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken: aliceToken }));
    assert.ok(!listed.Credentials.some((c) => c.CredentialId === alices.id));
    await rejects(
      sdk.send(new DeleteWebAuthnCredentialCommand({ AccessToken: aliceToken, CredentialId: alices.id })),
      'ResourceNotFoundException',
      'does not exist',
    );
    const next = await webAuthnChallenge('alice');
    assert.ok(!next.options.allowCredentials.some((c) => c.id === alices.id));
    await rejects(answerWebAuthn('alice', next.challenge, await alices.assert(next.options)), 'NotAuthorizedException', 'not registered');
  });
});

describe('passwordless sign-up, email MFA setup and the sign-in errors, through the AWS SDK', () => {
  test('SignUp without a password, ConfirmSignUp, then InitiateAuth USER_AUTH with its Session', async () => {
    const signedUp = await sdk.send(
      new SignUpCommand({ ClientId: CLIENT, Username: 'nopass', UserAttributes: [{ Name: 'email', Value: 'nopass@example.com' }] }),
    );
    assert.equal(signedUp.UserConfirmed, false);
    assert.ok(signedUp.Session);
    const code = await latestCode(POOL, 'nopass', 'SIGN_UP');
    const confirmed = await sdk.send(new ConfirmSignUpCommand({ ClientId: CLIENT, Username: 'nopass', ConfirmationCode: code }));
    assert.ok(confirmed.Session);
    const signedIn = await sdk.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: CLIENT, AuthParameters: { USERNAME: 'nopass' }, Session: confirmed.Session }),
    );
    const user = await sdk.send(new GetUserCommand({ AccessToken: signedIn.AuthenticationResult.AccessToken }));
    assert.equal(user.Username, 'nopass');
    await rejects(
      sdk.send(
        new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: CLIENT, AuthParameters: { USERNAME: 'nopass' }, Session: confirmed.Session }),
      ),
      'NotAuthorizedException',
      'Invalid session',
    );
    const select = await sdk.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: CLIENT, AuthParameters: { USERNAME: 'nopass' } }),
    );
    assert.deepEqual(select.AvailableChallenges, ['EMAIL_OTP'], 'no password factor for a passwordless user');
  });

  test('MFA_SETUP answered with EMAIL, then the EMAIL_OTP code', async () => {
    const setup = await sdk.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: MFA_CLIENT, AuthParameters: { USERNAME: 'mona', PASSWORD: 'Mona-Passw0rd!' } }),
    );
    assert.equal(setup.ChallengeName, 'MFA_SETUP');
    assert.deepEqual(JSON.parse(setup.ChallengeParameters.MFAS_CAN_SETUP), ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']);
    const asked = await sdk.send(
      new RespondToAuthChallengeCommand({
        ChallengeName: 'MFA_SETUP',
        ClientId: MFA_CLIENT,
        Session: setup.Session,
        ChallengeResponses: { USERNAME: 'mona', EMAIL: 'mona@example.com' },
      }),
    );
    assert.equal(asked.ChallengeName, 'EMAIL_OTP');
    assert.equal(asked.ChallengeParameters.CODE_DELIVERY_DELIVERY_MEDIUM, 'EMAIL');
    assert.equal(asked.ChallengeParameters.CODE_DELIVERY_DESTINATION, 'm***@e***.com');
    const code = await latestCode(MFA_POOL, 'mona', 'EMAIL_OTP');
    const done = await sdk.send(
      new RespondToAuthChallengeCommand({
        ChallengeName: 'EMAIL_OTP',
        ClientId: MFA_CLIENT,
        Session: asked.Session,
        ChallengeResponses: { USERNAME: 'mona', EMAIL_OTP_CODE: code },
      }),
    );
    const user = await sdk.send(new GetUserCommand({ AccessToken: done.AuthenticationResult.AccessToken }));
    assert.deepEqual(user.UserMFASettingList, ['EMAIL_OTP']);
    assert.ok(user.UserAttributes.some((a) => a.Name === 'email' && a.Value === 'mona@example.com'));
  });

  test('UserNotConfirmedException and PasswordResetRequiredException at sign-in', async () => {
    const passwordSignIn = (username, password) =>
      sdk.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_AUTH',
          ClientId: CLIENT,
          AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: password },
        }),
      );
    await rejects(passwordSignIn('carl', 'Carl-Passw0rd!'), 'UserNotConfirmedException', 'User is not confirmed.');
    await rejects(passwordSignIn('rhea', 'Rhea-Passw0rd!'), 'PasswordResetRequiredException', 'Password reset required for the user');
  });
});
