// The local endpoint as a hostile server (seed `userPools[].faults`), seen
// on the wire by clients written elsewhere: Node's fetch (undici) and raw
// sockets (node:net) for each fault, and the AWS SDK v3 for the service's
// error format (it classifies our throttling as throttling and retries it)
// and for unknown members (it ignores them and signs in). Every fault ends
// with the user signing in on the same endpoint. Every wait is bounded.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startEndpoint } from './endpoint.mjs';
import { E2E, readJson } from './support.mjs';

const SEED = join(E2E, 'seed-faults.json');
const { clients: [{ clientId: CLIENT }], users: [{ password: PASSWORD }] } = readJson(SEED).userPools[0];
const TARGET = 'AWSCognitoIdentityProviderService.InitiateAuth';
/** How long a test waits for an answer that must not come. */
const SILENCE_MS = 500;

let endpoint;

before(async () => {
  endpoint = await startEndpoint(SEED);
});

after(async () => {
  await endpoint?.stop();
});

const signInBody = (username) =>
  JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: CLIENT, AuthParameters: { USERNAME: username, PASSWORD } });

/** InitiateAuth with fetch; `timeoutMs` bounds the whole exchange, body included. */
function signIn(username, timeoutMs = 30_000) {
  return fetch(endpoint.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': TARGET },
    body: signInBody(username),
    signal: AbortSignal.timeout(timeoutMs),
  });
}

/** The user signs in normally. */
async function signsIn(username) {
  const response = await signIn(username);
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.equal(body.AuthenticationResult.TokenType, 'Bearer');
  return body;
}

/** The rejection of a promise that must reject. */
const rejection = (promise) =>
  promise.then(
    (value) => assert.fail(`expected a failure, got ${value?.status ?? value}`),
    (error) => error,
  );

/**
 * InitiateAuth over a raw socket: resolves with every byte received until
 * the server closes, resets (`error`) or falls silent for `silenceMs`.
 */
function rawSignIn(username, silenceMs = SILENCE_MS) {
  const body = signInBody(username);
  return new Promise((resolve) => {
    const chunks = [];
    const socket = connect(Number(new URL(endpoint.url).port), '127.0.0.1');
    const done = (how, error) => {
      socket.destroy();
      resolve({ how, error, bytes: Buffer.concat(chunks) });
    };
    socket.setTimeout(silenceMs, () => done('silent'));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => done('closed'));
    socket.on('error', (error) => done('error', error));
    socket.write(
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: ${TARGET}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}

async function faults() {
  const response = await fetch(`${endpoint.url}/faults`, { signal: AbortSignal.timeout(10_000) });
  return (await response.json()).faults;
}

function assertServiceError(response, body, status, name, message) {
  assert.equal(response.status, status);
  assert.deepEqual(body, { __type: name, message });
  assert.equal(response.headers.get('x-amzn-errortype'), `${name}:`);
  assert.match(response.headers.get('x-amzn-requestid'), /^[0-9a-f-]{36}$/);
}

test('hang: no answer ever, while everyone else is answered', async () => {
  const hung = rejection(signIn('hang', SILENCE_MS));
  const stuck = Array.from({ length: 8 }, () => rejection(signIn('stuck', SILENCE_MS)));
  await signsIn('alice');
  const error = await hung;
  assert.equal(error.name, 'TimeoutError');
  for (const e of await Promise.all(stuck)) assert.equal(e.name, 'TimeoutError');
  await signsIn('hang');
  await signsIn('alice');
});

test('half: the head and half the body, then silence', async () => {
  const { how, bytes } = await rawSignIn('half');
  assert.equal(how, 'silent');
  const text = bytes.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
  const length = Number(/\r\ncontent-length: (\d+)\r\n/i.exec(text)[1]);
  assert.equal(bytes.length - (split + 4), Math.floor(length / 2));
  await signsIn('alice');
  await signsIn('half');
});

test('half, through fetch: the status arrives, the body never completes', async () => {
  // `times` is spent: the listing's reset gives the fault back.
  await fetch(`${endpoint.url}/faults/reset`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
  const response = await signIn('half', 2_000);
  assert.equal(response.status, 200);
  const error = await rejection(response.text());
  assert.equal(error.name, 'TimeoutError');
  await signsIn('half');
});

test('reset: the connection is reset without an answer', async () => {
  const { how, error, bytes } = await rawSignIn('reset');
  assert.equal(how, 'error');
  assert.equal(error.code, 'ECONNRESET');
  assert.equal(bytes.length, 0);
  await signsIn('reset');
});

test('reset after delayMs: fetch fails once the delay is over', async () => {
  const started = performance.now();
  const error = await rejection(signIn('slow', 10_000));
  assert.ok(performance.now() - started >= 300);
  assert.equal(error.name, 'TypeError');
  assert.equal(error.cause?.code, 'ECONNRESET', String(error.cause));
  await signsIn('slow');
});

test('throttle: TooManyRequestsException times, then the user is let in', async () => {
  for (let i = 0; i < 2; i++) {
    const response = await signIn('throttle');
    assertServiceError(response, await response.json(), 400, 'TooManyRequestsException', 'Rate exceeded');
  }
  await signsIn('throttle');
  const listed = (await faults()).find((f) => f.username === 'throttle');
  assert.deepEqual(listed, {
    userPoolId: 'us-east-1_FaultsE2E',
    username: 'throttle',
    operations: null,
    kind: 'throttle',
    times: 2,
    played: 2,
  });
});

test('throttle, through the AWS SDK v3: read as throttling and retried until it passes', async () => {
  const client = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: endpoint.url,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
    maxAttempts: 3,
  });
  const answer = await client.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: CLIENT,
      AuthParameters: { USERNAME: 'sdkthrottle', PASSWORD },
    }),
  );
  assert.equal(answer.$metadata.attempts, 3);
  assert.equal(answer.AuthenticationResult.TokenType, 'Bearer');
});

test('http: a front end\'s 503 page, and a 429 ThrottlingException', async () => {
  const gateway = await signIn('gateway');
  assert.equal(gateway.status, 503);
  assert.equal(gateway.headers.get('content-type'), 'text/html');
  assert.equal(gateway.headers.get('x-amzn-errortype'), null);
  assert.match(await gateway.text(), /<h1>503 Service Temporarily Unavailable<\/h1>/);
  await signsIn('gateway');
  const throttled = await signIn('frontthrottle');
  assertServiceError(throttled, await throttled.json(), 429, 'ThrottlingException', 'Rate exceeded');
  await signsIn('frontthrottle');
});

test('huge: a 200 answer of 30 MB', async () => {
  const response = await signIn('huge');
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-length'), '30000000');
  let received = 0;
  for await (const chunk of response.body) received += chunk.length;
  assert.equal(received, 30_000_000);
  await signsIn('huge');
});

test('deep: JSON nested 10,000 levels', async () => {
  const response = await signIn('deep');
  assert.equal(response.status, 200);
  const text = await response.text();
  assert.equal(text, `${'{"a":'.repeat(9_999)}{}${'}'.repeat(9_999)}`);
  await signsIn('deep');
});

test('badUtf8: the real answer with bytes that are not UTF-8', async () => {
  const response = await signIn('badutf8');
  assert.equal(response.status, 200);
  const bytes = new Uint8Array(await response.arrayBuffer());
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes), TypeError);
  const at = Buffer.from(bytes).indexOf(Buffer.from([0xff, 0xfe, 0xfd]));
  assert.ok(at > 0);
  const repaired = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 3)]);
  assert.equal(JSON.parse(repaired.toString('utf8')).AuthenticationResult.TokenType, 'Bearer');
  await signsIn('badutf8');
});

test('wrongTypes: a valid-looking answer with members of the wrong types', async () => {
  const response = await signIn('wrongtypes');
  assert.equal(response.status, 200);
  const { AuthenticationResult: result } = await response.json();
  assert.equal(typeof result.AccessToken, 'number');
  assert.equal(typeof result.IdToken, 'number');
  assert.equal(result.ExpiresIn, '3600');
  assert.equal(result.TokenType, 6);
  await signsIn('wrongtypes');
});

test('unknownChallenge: SOME_NEW_CHALLENGE with a Session', async () => {
  const response = await signIn('unknownchallenge');
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(body.ChallengeName, 'SOME_NEW_CHALLENGE');
  assert.equal(typeof body.Session, 'string');
  await signsIn('unknownchallenge');
});

test('unknownFields: unknown members everywhere; the AWS SDK v3 ignores them and signs in', async () => {
  const body = await signsIn('unknownfields');
  assert.deepEqual(body.FutureMember, { Nested: [1, 'two', true, null, {}] });
  assert.ok(body.AuthenticationResult.FutureMember);
  const client = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: endpoint.url,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  const answer = await client.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: CLIENT,
      AuthParameters: { USERNAME: 'unknownfields', PASSWORD },
    }),
  );
  assert.equal(answer.AuthenticationResult.TokenType, 'Bearer');
  assert.equal(answer.AuthenticationResult.ExpiresIn, 3600);
  assert.equal(answer.FutureMember, undefined, 'the SDK keeps only the members it knows');
});
