// The `cognito-wasm/verify` scenario, run in Node (verify.test.mjs) and in
// headless Chromium (the same file, loaded by the harness page). It signs in
// against the local endpoint (seed-sessions.json), then checks tokens that
// should verify and tokens that should not, and reports what happened as
// plain data for the Node side to assert on.

export const POOL = 'us-east-1_SessionPool';
export const CLIENT = 'sessionclient0000000000000';
export const SECRET_CLIENT = 'sessionsecretclient0000000';
const SHORT_CLIENT = 'sessionshortclient00000000';
const OTHER_POOL = 'us-east-1_OtherPool';
const OTHER_CLIENT = 'otherclient000000000000000';

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** The error name of a rejected verify (with its message), or 'ok' and the claims. */
async function outcome(promise) {
  try {
    const claims = await promise;
    return { name: 'ok', claims };
  } catch (error) {
    return { name: error.name, message: error.message };
  }
}

const b64url = (text) => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromB64url = (part) => atob(part.replace(/-/g, '+').replace(/_/g, '/'));

/** The token with its payload changed by `edit` and the signature kept. */
function withClaims(token, edit) {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(fromB64url(payload));
  edit(claims);
  return [header, b64url(JSON.stringify(claims)), signature].join('.');
}

/** The token with its header changed by `edit`. */
function withHeader(token, edit) {
  const [header, ...rest] = token.split('.');
  const parsed = JSON.parse(fromB64url(header));
  edit(parsed);
  return [b64url(JSON.stringify(parsed)), ...rest].join('.');
}

export async function verifyScenario({ CognitoAuth, JwtVerifier }, endpointUrl) {
  const issuer = `${endpointUrl}/${POOL}`;
  const signIn = async (clientId, username = 'vera', userPoolId = POOL) => {
    const auth = new CognitoAuth({ userPoolId, clientId, endpoint: endpointUrl });
    await auth.signIn({ username, password: 'Vera-Passw0rd!' });
    const tokens = auth.tokens;
    auth.free();
    return tokens;
  };
  // The JWKS fetches this verifier makes.
  let jwksFetches = 0;
  const countingFetch = (url) => {
    jwksFetches += 1;
    return fetch(url);
  };
  const verifier = new JwtVerifier({ userPoolId: POOL, clientId: CLIENT, issuer, fetch: countingFetch });
  const make = (options) => new JwtVerifier({ userPoolId: POOL, clientId: CLIENT, issuer, ...options });

  const tokens = await signIn(CLIENT);
  const short = await signIn(SHORT_CLIENT);
  const other = await signIn(OTHER_CLIENT, 'vera', OTHER_POOL);
  const result = {};
  result.id = await outcome(verifier.verify(tokens.idToken));
  result.access = await outcome(verifier.verify(tokens.accessToken));
  result.fetchesAfterTwo = jwksFetches;
  result.idOnly = await outcome(make({ tokenUse: 'id' }).verify(tokens.idToken));
  result.accessOnly = await outcome(make({ tokenUse: 'access' }).verify(tokens.accessToken));
  result.severalClients = await outcome(make({ clientId: ['elsewhere', CLIENT] }).verify(tokens.idToken));

  result.tamperedClaims = await outcome(verifier.verify(withClaims(tokens.accessToken, (c) => (c.username = 'admin'))));
  const [h, p, s] = tokens.idToken.split('.');
  result.tamperedSignature = await outcome(verifier.verify([h, p, (s[0] === 'A' ? 'B' : 'A') + s.slice(1)].join('.')));
  result.algNone = await outcome(verifier.verify(withHeader(tokens.idToken, (header) => (header.alg = 'none'))));
  result.notJwt = await outcome(verifier.verify('not-a-jwt'));
  result.wrongIssuer = await outcome(verifier.verify(other.idToken));
  result.wrongAudience = await outcome(make({ clientId: SECRET_CLIENT }).verify(tokens.idToken));
  result.wrongClientId = await outcome(make({ clientId: SECRET_CLIENT }).verify(tokens.accessToken));
  result.wrongTokenUse = await outcome(make({ tokenUse: 'access' }).verify(tokens.idToken));
  // The short client's tokens live 2 s.
  const expiresAt = short.accessTokenClaims.exp * 1000;
  await sleep(Math.max(0, expiresAt - Date.now()) + 1_100);
  result.expired = await outcome(make({ clientId: SHORT_CLIENT }).verify(short.accessToken));
  result.expiredWithGrace = await outcome(make({ clientId: SHORT_CLIENT, graceSeconds: 600 }).verify(short.idToken));

  // Key rotation: the endpoint signs with a new key (kid); the verifier's
  // cached JWKS lacks it, so it fetches the JWKS once more.
  const fetchesBefore = jwksFetches;
  const rotated = await (await fetch(`${endpointUrl}/keys/rotate`, { method: 'POST' })).json();
  const fresh = await signIn(CLIENT);
  result.rotatedKid = JSON.parse(fromB64url(fresh.idToken.split('.')[0])).kid === rotated.kid;
  result.afterRotation = await outcome(verifier.verify(fresh.idToken));
  result.oldKeyStillValid = await outcome(verifier.verify(tokens.accessToken));
  result.fetchesForRotation = jwksFetches - fetchesBefore;
  // An unknown kid right after: the JWKS was just fetched, so not again.
  result.unknownKid = await outcome(verifier.verify(withHeader(fresh.idToken, (header) => (header.kid = 'forged'))));
  result.fetchesAfterUnknownKid = jwksFetches - fetchesBefore;
  result.jwksUnreachable = await outcome(make({ issuer: `${endpointUrl}/us-east-1_NoSuchPool` }).verify(tokens.idToken));
  return result;
}
