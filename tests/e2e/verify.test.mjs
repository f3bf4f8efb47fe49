// `cognito-wasm/verify` end to end: tokens from the local endpoint
// (seed-sessions.json) checked against its JWKS with WebCrypto, in Node and
// in headless Chromium (the same scenario, verify-scenario.mjs), including a
// key rotation (the endpoint's POST /keys/rotate).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import init, { CognitoAuth } from './.work/node_modules/cognito-wasm/js/index.js';
import { JwtVerifier } from './.work/node_modules/cognito-wasm/js/verify.js';
import { startEndpoint } from './endpoint.mjs';
import { assertNoPageErrors, assertNoWasmTrap, launchChromium, openHarness, serveHarness } from './support.mjs';
import { SESSIONS_SEED as SEED } from './support.mjs';
import { CLIENT, POOL, verifyScenario } from './verify-scenario.mjs';

let endpoint;

before(async () => {
  await init();
});
after(async () => {
  await endpoint?.stop();
});

/** What verifyScenario must report, wherever it runs. */
function check(result, url) {
  const issuer = `${url}/${POOL}`;
  for (const name of ['id', 'access', 'idOnly', 'accessOnly', 'severalClients', 'expiredWithGrace', 'afterRotation', 'oldKeyStillValid']) {
    assert.equal(result[name].name, 'ok', `${name}: ${result[name].message}`);
  }
  assert.equal(result.id.claims.token_use, 'id');
  assert.equal(result.id.claims.aud, CLIENT);
  assert.equal(result.id.claims.iss, issuer);
  assert.equal(result.access.claims.client_id, CLIENT);
  assert.equal(result.access.claims.username, 'vera');
  assert.equal(result.fetchesAfterTwo, 1, 'the JWKS is fetched once and cached');
  const refused = {
    tamperedClaims: ['JwtInvalidSignatureError', /signature does not match the key/],
    tamperedSignature: ['JwtInvalidSignatureError', /signature does not match/],
    algNone: ['JwtInvalidSignatureError', /alg is none; Cognito signs with RS256/],
    notJwt: ['JwtParseError', /not a JWT/],
    wrongIssuer: ['JwtInvalidIssuerError', new RegExp(`iss is ${url}/us-east-1_OtherPool, expected ${issuer}`)],
    wrongAudience: ['JwtInvalidAudienceError', new RegExp(`id token's aud is ${CLIENT}, expected sessionsecretclient0000000`)],
    wrongClientId: ['JwtInvalidClientIdError', new RegExp(`access token's client_id is ${CLIENT}, expected sessionsecretclient0000000`)],
    wrongTokenUse: ['JwtInvalidTokenUseError', /token_use is id, expected access/],
    expired: ['JwtExpiredError', /the token expired at \d{4}-\d\d-\d\dT/],
    unknownKid: ['KidNotFoundInJwksError', /no key forged in .*jwks\.json \(an unknown kid refetches it at most every 10 s\)/],
    jwksUnreachable: ['JwksFetchError', /could not fetch the JWKS at .*us-east-1_NoSuchPool\/\.well-known\/jwks\.json: HTTP 404/],
  };
  for (const [name, [error, message]] of Object.entries(refused)) {
    assert.equal(result[name].name, error, `${name}: ${result[name].message}`);
    assert.match(result[name].message, message, name);
  }
  assert.ok(result.rotatedKid, 'the endpoint signed with the rotated key');
  assert.equal(result.fetchesForRotation, 1, 'a new kid fetched the JWKS once more');
  assert.equal(result.fetchesAfterUnknownKid, 1, 'an unknown kid right after a fetch did not fetch again');
}

test('Node: valid tokens verify; tampered, foreign, wrong-audience, wrong-use and expired ones are refused; kid rotation', async () => {
  endpoint = await startEndpoint(SEED);
  check(await verifyScenario({ CognitoAuth, JwtVerifier }, endpoint.url), endpoint.url);
});

test('Node: unusable options are a ValidationError', () => {
  for (const options of [
    undefined,
    { userPoolId: 'pool', clientId: 'c' },
    { userPoolId: POOL },
    { userPoolId: POOL, clientId: [] },
    { userPoolId: POOL, clientId: 'c', tokenUse: 'refresh' },
  ]) {
    assert.throws(() => new JwtVerifier(options), { name: 'ValidationError' }, JSON.stringify(options));
  }
});

test('Chromium: the same scenario in a page', async () => {
  await endpoint?.stop();
  endpoint = await startEndpoint(SEED);
  const site = await serveHarness();
  const browser = await launchChromium();
  try {
    const { page, problems } = await openHarness(browser, site.url);
    const result = await page.evaluate(async (url) => {
      const cognito = await import('/cognito-wasm/js/index.js');
      const { JwtVerifier } = await import('/cognito-wasm/js/verify.js');
      const { verifyScenario } = await import('/e2e/verify-scenario.mjs');
      await cognito.default();
      return verifyScenario({ CognitoAuth: cognito.CognitoAuth, JwtVerifier }, url);
    }, endpoint.url);
    check(result, endpoint.url);
    assertNoWasmTrap(problems);
    assertNoPageErrors(problems);
  } finally {
    await browser.close();
    await site.close();
  }
});
