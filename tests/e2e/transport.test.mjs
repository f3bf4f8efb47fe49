// js/transport.js of the packed package, on its own: fetchers made here
// (no network) check what the endpoint's faults cannot show (an answer
// streamed without Content-Length, a fetch that ignores its signal, the
// backoff of each retry, the error type read from the body), and a local
// server that never answers bounds the admin module and the verifier, which
// send through the same transport.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { defaultRetryDecider } from '@smithy/core/retry';
import { after, before, test } from 'node:test';
import { CognitoAdmin } from './.work/node_modules/cognito-wasm/js/admin.js';
import { CognitoAuth } from './.work/node_modules/cognito-wasm/js/index.js';
import { send } from './.work/node_modules/cognito-wasm/js/transport.js';
import { JwtVerifier } from './.work/node_modules/cognito-wasm/js/verify.js';

const MiB = 1 << 20;
const URL_ = 'https://cognito-idp.us-east-1.amazonaws.com/';
const INIT = { method: 'POST', headers: { 'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth' }, body: '{}' };

/**
 * A Response whose body streams `chunks` (Uint8Arrays), without
 * Content-Length; as fetch does, the request's `signal` stops the body
 * (`state.aborted` tells that it did).
 */
function streamed(chunks, state = {}) {
  return (init) => {
    let next = 0;
    const body = new ReadableStream({
      start(controller) {
        init.signal.addEventListener('abort', () => {
          state.aborted = true;
          controller.error(init.signal.reason);
        });
      },
      pull(controller) {
        if (next < chunks.length) controller.enqueue(chunks[next++]);
        else controller.close();
      },
    });
    return new Response(body, { status: 200 });
  };
}

/** A fetcher answering each call with the next of `answers` (functions of the init, making a Response), counting calls. */
function scripted(...answers) {
  const fetcher = async (url, init) => answers[Math.min(fetcher.calls++, answers.length - 1)](init);
  fetcher.calls = 0;
  return fetcher;
}

const json = (status, body, headers = {}) => () => new Response(JSON.stringify(body), { status, headers });

const setTimeoutReal = globalThis.setTimeout;

/** Runs `action` with setTimeout recording its delays and firing at once, and Math.random pinned to `random`. */
async function withTimers(random, action) {
  const { setTimeout: realSetTimeout } = globalThis;
  const realRandom = Math.random;
  const delays = [];
  globalThis.setTimeout = (callback, ms) => {
    delays.push(ms);
    return realSetTimeout(callback, 0);
  };
  Math.random = () => random;
  try {
    return { result: await action(), delays };
  } finally {
    globalThis.setTimeout = realSetTimeout;
    Math.random = realRandom;
  }
}

const rejection = (promise) =>
  promise.then(
    (value) => assert.fail(`expected a rejection, got ${JSON.stringify(value)}`),
    (error) => error,
  );

test('an answer streamed without Content-Length is refused once it grows over 1 MiB, and its stream is cancelled', async () => {
  const state = {};
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  const fetcher = scripted(streamed(Array(17).fill(chunk), state));
  const error = await rejection(send(URL_, INIT, undefined, 10_000, 3, fetcher));
  assert.equal(error.name, 'InvalidServerResponse');
  assert.match(error.message, /^InitiateAuth https:\S+: the answer grew over 1 MiB$/);
  assert.equal(state.aborted, true, 'the request was aborted: the rest of the body is not downloaded');
  assert.equal(fetcher.calls, 1, 'not retried');
  // Exactly 1 MiB is read whole.
  const [status, type, body] = await send(URL_, INIT, undefined, 10_000, 3, scripted(streamed(Array(16).fill(chunk))));
  assert.deepEqual([status, type, body.length], [200, null, MiB]);
});

test('UTF-8 is decoded across chunks, and an answer that is not UTF-8 is refused', async () => {
  const euro = new TextEncoder().encode('{"a":"€"}');
  const split = scripted(streamed([euro.slice(0, 7), euro.slice(7)]));
  assert.equal((await send(URL_, INIT, undefined, 0, 1, split))[2], '{"a":"€"}');
  const bad = scripted(streamed([euro.slice(0, 7), new Uint8Array([0x22, 0x7d])]));
  const error = await rejection(send(URL_, INIT, undefined, 0, 1, bad));
  assert.equal(error.name, 'InvalidServerResponse');
  assert.match(error.message, /the answer is not UTF-8$/);
});

test('the pauses are full jitter: random × min(20 s, base × 2^retry), base 1 s when throttled, else 50 ms', async () => {
  const throttled = scripted(json(400, { __type: 'TooManyRequestsException', message: 'Rate exceeded' }, { 'x-amzn-ErrorType': 'TooManyRequestsException:' }));
  const { result, delays } = await withTimers(0.5, () => send(URL_, INIT, undefined, 0, 8, throttled));
  assert.equal(result[0], 400, 'the last answer is handed on');
  assert.equal(throttled.calls, 8);
  assert.deepEqual(delays, [500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  const failing = scripted(() => new Response('<h1>502 Bad Gateway</h1>', { status: 502 }));
  const pauses = await withTimers(1, () => send(URL_, INIT, undefined, 0, 4, failing));
  assert.deepEqual(pauses.delays, [50, 100, 200]);
  // A connection that fails before any answer: the same base as 5xx.
  const refused = scripted(() => Promise.reject(new TypeError('fetch failed')));
  const { delays: refusedDelays } = await withTimers(1, () => rejection(send(URL_, INIT, undefined, 0, 3, refused)));
  assert.deepEqual(refusedDelays, [50, 100]);
  assert.equal(refused.calls, 3);
});

test('throttling is read from the body when x-amzn-ErrorType is not exposed; then the answer is handed on', async () => {
  const fetcher = scripted(
    json(400, { __type: 'com.amazonaws.cognito.identity.idp.model#ThrottlingException', message: 'Rate exceeded' }),
    json(429, { message: 'slow down' }),
    json(200, { AuthenticationResult: {} }),
  );
  const { result } = await withTimers(0, () => send(URL_, INIT, undefined, 0, 3, fetcher));
  assert.equal(result[0], 200);
  assert.equal(fetcher.calls, 3);
});

test('what the service meant is never retried: NotAuthorizedException, CodeMismatchException, 404, 501', async () => {
  for (const answer of [
    json(400, { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' }),
    json(400, { __type: 'CodeMismatchException', message: 'Invalid code' }, { 'x-amzn-ErrorType': 'CodeMismatchException:' }),
    json(400, { __type: 'LimitExceededException', message: 'Attempt limit exceeded' }),
    () => new Response('not found', { status: 404 }),
    () => new Response('nope', { status: 501 }),
  ]) {
    const fetcher = scripted(answer);
    await send(URL_, INIT, undefined, 0, 3, fetcher);
    assert.equal(fetcher.calls, 1);
  }
});

test('what is tried again is what the AWS SDK v3 retries (@smithy/core/retry), but LimitExceededException and clock skew', async () => {
  // [status, __type]: the SDK classifies the error it would throw for the answer.
  const answers = [
    [400, 'TooManyRequestsException'],
    [400, 'ThrottlingException'],
    [429, 'ThrottlingException'],
    [429, undefined],
    [500, 'InternalErrorException'],
    [500, undefined],
    [502, undefined],
    [503, undefined],
    [504, undefined],
    [400, 'NotAuthorizedException'],
    [400, 'CodeMismatchException'],
    [400, 'UserNotFoundException'],
    [400, 'InvalidParameterException'],
    [403, 'AccessDeniedException'],
    [404, undefined],
    [501, undefined],
    [400, 'LimitExceededException'],
  ];
  for (const [status, type] of answers) {
    const fetcher = scripted(json(status, type ? { __type: type, message: 'm' } : {}));
    await withTimers(0, () => send(URL_, INIT, undefined, 0, 2, fetcher));
    const sdk = defaultRetryDecider({ name: type ?? `HTTP${status}`, $metadata: { httpStatusCode: status } });
    // The two differences: Cognito's LimitExceededException is a per-user
    // limit of attempts (codes, password resets), not a rate: the SDK retries
    // it as throttling, we do not. AccessDeniedException is one of the SDK's
    // clock-skew errors, retried after it corrects its clock from the Date
    // header; the user-pool calls are not signed, and the admin module does
    // not correct its clock.
    const expected = ['LimitExceededException', 'AccessDeniedException'].includes(type) ? false : sdk;
    assert.equal(fetcher.calls === 2, expected, `${status} ${type}: retried as the SDK decides (${sdk})`);
  }
});

test('an answer cut off after it began is a NetworkError, not retried', async () => {
  const cut = () =>
    new Response(
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"Auth'));
          controller.error(new TypeError('terminated'));
        },
      }),
    );
  const fetcher = scripted(cut);
  const error = await rejection(send(URL_, INIT, undefined, 0, 3, fetcher));
  assert.equal(error.name, 'NetworkError');
  assert.match(error.message, /^InitiateAuth https:\S+: the answer was cut off \(check/);
  assert.equal(fetcher.calls, 1);
});

test('a fetcher that ignores its signal cannot hold the call: the timeout and the signal still end it', async () => {
  const never = () => new Promise(() => {});
  const timedOut = await rejection(send(URL_, INIT, undefined, 100, 3, never));
  assert.equal(timedOut.name, 'TimeoutError');
  assert.equal(timedOut.message, `InitiateAuth ${URL_}: no complete answer in 100 ms (requestTimeout)`);
  const controller = new AbortController();
  setTimeout(() => controller.abort('stop'), 50);
  assert.equal(await rejection(send(URL_, INIT, controller.signal, 0, 3, never)), 'stop');
  // The timeout covers the pauses between tries: 429 on every try, pauses of up to 1 and 2 s.
  const throttled = scripted(json(429, {}));
  const started = Date.now();
  const slow = await withTimers(1, async () => {
    globalThis.setTimeout = (callback, ms) => setTimeoutReal(callback, ms);
    return rejection(send(URL_, INIT, undefined, 300, 3, throttled));
  });
  assert.equal(slow.result.name, 'TimeoutError');
  assert.ok(Date.now() - started < 1_000, 'the timeout ended the pause');
  const already = scripted(json(200, {}));
  assert.equal(await rejection(send(URL_, INIT, AbortSignal.abort('already'), 0, 3, already)), 'already');
  assert.equal(already.calls, 0, 'an aborted signal sends nothing');
});

test('new CognitoAuth refuses a requestTimeout or maxAttempts it cannot use, before any module loads', () => {
  const settings = { userPoolId: 'us-east-1_Pool', clientId: 'client' };
  for (const [options, message] of [
    [{ requestTimeout: -1 }, 'requestTimeout must be a whole number from 0 to 2147483647 (got -1)'],
    [{ requestTimeout: 2 ** 31 }, 'requestTimeout must be a whole number from 0 to 2147483647 (got 2147483648)'],
    [{ requestTimeout: '5000' }, 'requestTimeout must be a whole number from 0 to 2147483647 (got 5000)'],
    [{ maxAttempts: 0 }, 'maxAttempts must be a whole number from 1 to 10 (got 0)'],
    [{ maxAttempts: 2.5 }, 'maxAttempts must be a whole number from 1 to 10 (got 2.5)'],
  ]) {
    assert.throws(() => new CognitoAuth({ ...settings, ...options }), { name: 'ValidationError', message: `new CognitoAuth: ${message}` });
  }
  for (const options of [{ requestTimeout: 0 }, { requestTimeout: 2 ** 31 - 1, maxAttempts: 10 }, { maxAttempts: 1 }]) {
    new CognitoAuth({ ...settings, ...options }).free();
  }
});

// ---- The admin module and the verifier, against a server that accepts and never answers.

let silent;
let silentUrl;
before(async () => {
  silent = createServer((socket) => socket.on('error', () => {}));
  await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${silent.address().port}`;
});
after(() => {
  silent.closeAllConnections?.();
  return new Promise((resolve) => silent.close(resolve));
});

const credentials = { accessKeyId: 'AKIDEXAMPLE000000000', secretAccessKey: 'secret' };
const DESCRIBE = { UserPoolId: 'us-east-1_Pool', ClientId: 'client' };

test('CognitoAdmin: requestTimeout is a TimeoutError naming the operation; signal rejects with its reason and is not sent', async () => {
  const admin = new CognitoAdmin({ region: 'us-east-1', credentials, endpoint: silentUrl, requestTimeout: 200 });
  const started = Date.now();
  const timedOut = await rejection(admin.describeUserPoolClient(DESCRIBE));
  assert.equal(timedOut.name, 'TimeoutError');
  assert.equal(timedOut.message, `DescribeUserPoolClient ${silentUrl}: no complete answer in 200 ms (requestTimeout)`);
  assert.ok(Date.now() - started < 2_200);
  const reason = new Error('cancelled');
  const patient = new CognitoAdmin({ region: 'us-east-1', credentials, endpoint: silentUrl, requestTimeout: 0 });
  const aborted = await rejection(patient.describeUserPoolClient({ ...DESCRIBE, signal: AbortSignal.timeout(100) }));
  assert.equal(aborted.name, 'TimeoutError');
  assert.ok(aborted instanceof DOMException, "AbortSignal.timeout's own reason");
  const controller = new AbortController();
  setTimeout(() => controller.abort(reason), 50);
  assert.equal(await rejection(patient.describeUserPoolClient({ ...DESCRIBE, signal: controller.signal })), reason);
  for (const [options, message] of [
    [{ requestTimeout: -1 }, /requestTimeout must be a whole number from 0 to 2147483647/],
    [{ maxAttempts: 0 }, /maxAttempts must be a whole number from 1 to 10/],
  ]) {
    const refused = await rejection(new CognitoAdmin({ region: 'us-east-1', credentials, ...options }).describeUserPoolClient(DESCRIBE));
    assert.equal(refused.name, 'ValidationError');
    assert.match(refused.message, message);
  }
});

test('JwtVerifier: a JWKS that never comes is a TimeoutError; verify({ signal }) rejects with its reason; a 503 is tried again', async () => {
  const token = `${Buffer.from('{"alg":"RS256","kid":"k"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.c2ln`;
  const userPoolId = 'us-east-1_Pool';
  const never = () => new Promise(() => {});
  const verifier = new JwtVerifier({ userPoolId, clientId: 'client', fetch: never, requestTimeout: 200 });
  const timedOut = await rejection(verifier.verify(token));
  assert.equal(timedOut.name, 'TimeoutError');
  assert.match(timedOut.message, /^GET https:\/\/cognito-idp\.us-east-1\.amazonaws\.com\/us-east-1_Pool\/\.well-known\/jwks\.json: no complete answer in 200 ms/);
  const waiting = new JwtVerifier({ userPoolId, clientId: 'client', fetch: never, requestTimeout: 0 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  assert.equal((await rejection(waiting.verify(token, { signal: controller.signal }))).name, 'AbortError');
  const flaky = scripted(() => new Response('busy', { status: 503 }), json(200, { keys: [] }));
  const retried = new JwtVerifier({ userPoolId, clientId: 'client', fetch: flaky, requestTimeout: 0 });
  const missing = await withTimers(0, () => rejection(retried.verify(token)));
  assert.equal(missing.result.name, 'KidNotFoundInJwksError', 'the JWKS came on the second try');
  // 503, then the JWKS; then once more for the kid it lacks.
  assert.equal(flaky.calls, 3);
  assert.throws(() => new JwtVerifier({ userPoolId, clientId: 'client', maxAttempts: 11 }), { name: 'ValidationError' });
});
