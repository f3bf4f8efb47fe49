// The package's one transport. Every request to Cognito goes through `send`:
// the sign-in and account modules' operations (run by `drive`), the admin
// module, and cognito-wasm/verify's JWKS. So every call is bounded alike:
// - `signal`, the app's AbortSignal, stops it: the call rejects with the
//   signal's reason;
// - `timeout` (the `requestTimeout` option, ms; 0: none) bounds the whole
//   request, its retries and their pauses included: a TimeoutError naming
//   the operation and the time;
// - throttling (TooManyRequestsException, ThrottlingException, HTTP 429),
//   HTTP 500, 502, 503, 504, and a connection that fails before any answer
//   are tried again, `attempts` tries in all, as the AWS SDKs' standard
//   retry mode does: after random() × min(20 s, base × 2^retry) ms (full
//   jitter; base 1,000 when throttled, else 50: @smithy/util-retry's
//   values). Math.random is read at each pause, so tests can pin it. The
//   service's other answers (NotAuthorizedException, CodeMismatchException,
//   ...) are final: a code is never spent twice;
// - an answer over 1 MiB (by its Content-Length, or as it streams in) is
//   refused before it is read whole, and one that is not UTF-8 when read:
//   InvalidServerResponse.
// Transport failures are named here (NetworkError, TimeoutError,
// InvalidServerResponse); what an answer means is the wasm core's.

/** The largest answer read, in bytes: Cognito's are a few KB. */
const MAX_ANSWER = 1 << 20;

/** An Error named `name`. */
const failure = (name, message, cause) => Object.assign(new Error(message, { cause }), { name });

/**
 * Runs an operation (a wasm object with `next`) to its end, for `input`'s
 * `signal` and the instance's `timeout` and `attempts`: each step `next`
 * returns is a tagged value, `{ fetch: [url, init] }` (send this request,
 * then hand back the answer: its status, x-amzn-ErrorType and body, and the
 * time), `{ ceremony: options }` (run this WebAuthn ceremony with
 * `ceremony`) or `{ done: value }` (the result). `{ done: value, more: true }`
 * is the result with more to do after it (a new device's confirmation):
 * that goes on in the background (`afterResult`), and the result carries
 * its promise as `after`. The work starts as a promise job, after the
 * caller's synchronous code.
 */
export async function drive(operation, input, timeout, attempts, ceremony) {
  let more = false;
  try {
    await undefined;
    const signal = input?.signal;
    signal?.throwIfAborted();
    let step = operation.next();
    // One branch per kind of step.
    for (;;) {
      if (step.fetch) step = await fetchStep(operation, step.fetch, signal, timeout, attempts);
      else if (step.ceremony) step = await ceremonyStep(operation, ceremony, step.ceremony);
      else if ((more = step.more)) return Object.assign(step.done, { after: afterResult(operation, timeout, attempts) });
      else return withSetupUri(step.done);
    }
  } finally {
    if (!more) operation.free();
  }
}

/**
 * What an operation does after its result, in a task of its own and
 * without the call's signal (the call is over): its requests, bounded by
 * the timeout. It settles when done; a failure is dropped, as it only
 * leaves a device unremembered, which the next sign-in tries again.
 */
async function afterResult(operation, timeout, attempts) {
  try {
    await new Promise((resolve) => setTimeout(resolve));
    for (let step = operation.next(); step.fetch; ) step = await fetchStep(operation, step.fetch, undefined, timeout, attempts);
  } catch {
  } finally {
    operation.free();
  }
}

/** A `{ fetch: [url, init] }` step: the request sent, its answer and the time handed back; the next step. */
async function fetchStep(operation, [url, init], signal, timeout, attempts) {
  return operation.next(...(await send(url, init, signal, timeout, attempts)), Date.now());
}

/**
 * A passkey's WebAuthn ceremony: `ceremony(options)` (index.js's, from
 * js/webauthn.js) resolves to the credential's JSON, handed back as the
 * answer of status 0; when it fails, the operation hears of it (`next()`
 * without an answer: it keeps the step) and the ceremony's error rejects.
 */
async function ceremonyStep(operation, ceremony, options) {
  let credential;
  try {
    credential = await ceremony(options);
  } catch (error) {
    operation.next();
    throw error;
  }
  return operation.next(0, null, credential, Date.now());
}

/** A TOTP secret (a sign-in step's, or setUpTOTP's) gets `getSetupUri`. */
function withSetupUri(result) {
  const setup = result?.nextStep?.totpSetupDetails ?? (result?.sharedSecret ? result : undefined);
  if (setup) {
    // The otpauth:// URI authenticator apps read (as a QR code).
    const part = encodeURIComponent;
    setup.getSetupUri = (appName, accountName = setup.accountName) =>
      new URL(`otpauth://totp/${part(appName)}:${part(accountName)}?secret=${setup.sharedSecret}&issuer=${part(appName)}`);
  }
  return result;
}

/**
 * Sends one request (`fetcher(url, init)`, the global fetch by default) as
 * the notes above say, and resolves to its answer: `[status,
 * x-amzn-ErrorType or null, body]`.
 */
export async function send(url, init, signal, timeout = 30_000, attempts = 3, fetcher = fetch) {
  // A form POST (managed login's token request) spends its code once it
  // reaches the server: it is never tried again.
  if (init.method === 'POST' && !init.headers?.['X-Amz-Target']) attempts = 1;
  const what = `${init.headers?.['X-Amz-Target']?.split('.')[1] ?? 'GET'} ${url}`;
  // Aborted by the app's signal, the timeout, or a refused answer, with the
  // reason the call rejects with; every wait races it, so that not even a
  // fetcher that ignores its signal can hold the call.
  const control = new AbortController();
  const aborted = control.signal;
  const stopped = new Promise((_, reject) => aborted.addEventListener('abort', () => reject(aborted.reason)));
  stopped.catch(() => {});
  const bounded = (promise) => Promise.race([promise, stopped]);
  const stop = () => control.abort(signal.reason);
  const timer = timeout > 0 && setTimeout(() => control.abort(failure('TimeoutError', `${what}: no complete answer in ${timeout} ms (requestTimeout)`)), timeout);
  signal?.addEventListener('abort', stop);
  // Full jitter, as the AWS SDKs' standard retry mode (Math.random read at each pause).
  const pause = (retry, base) => bounded(new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(20_000, base * 2 ** retry))));
  try {
    signal?.throwIfAborted();
    for (let retry = 0; ; retry++) {
      let response, body;
      try {
        response = await bounded(fetcher(url, { ...init, signal: aborted }));
        body = await bounded(
          read(response, (why) => {
            control.abort(failure('InvalidServerResponse', `${what}: the answer ${why}`));
            aborted.throwIfAborted();
          }),
        );
      } catch (error) {
        aborted.throwIfAborted();
        // A connection that failed before any answer is tried again.
        if (response || retry + 1 >= attempts) {
          const how = response ? 'the answer was cut off' : 'no answer';
          throw failure('NetworkError', `${what}: ${how} (check the endpoint URL, the network, and that the server allows CORS)`, error);
        }
        await pause(retry, 50);
        continue;
      }
      const status = response.status;
      const type = response.headers.get('x-amzn-errortype');
      const throttled = status == 429 || (status == 400 && /^(TooManyRequests|Throttling)Exception\b/.test(type ?? errorType(body)));
      if (retry + 1 >= attempts || !(throttled || [500, 502, 503, 504].includes(status))) return [status, type, body];
      await pause(retry, throttled ? 1_000 : 50);
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  }
}

/** The `__type` of an error answer's body, without its namespace, or undefined. */
function errorType(body) {
  try {
    return JSON.parse(body).__type.split('#').pop();
  } catch {}
}

/**
 * The body of `response` as text, read as it streams in; `refuse(why)`
 * throws when it is over MAX_ANSWER bytes, or not UTF-8.
 */
async function read(response, refuse) {
  if (response.headers.get('content-length') > MAX_ANSWER) refuse('is over 1 MiB (Content-Length)');
  const reader = response.body?.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (bytes, stream) => {
    try {
      return decoder.decode(bytes, { stream });
    } catch {
      refuse('is not UTF-8');
    }
  };
  let text = '';
  for (let size = 0, chunk; reader && !(chunk = await reader.read()).done; ) {
    if ((size += chunk.value.length) > MAX_ANSWER) refuse('grew over 1 MiB');
    text += decode(chunk.value, true);
  }
  return text + decode();
}
