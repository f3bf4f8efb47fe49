// Managed login (the hosted UI and its OAuth 2.0 endpoints) of the local
// endpoint, proved by implementations written elsewhere: Node's crypto for
// the PKCE S256 maths and the RS256 signatures (checked against the JWKS),
// and the reference OIDC client oidc-client-ts, bundled by esbuild for
// headless Chromium, for the protocol: redirect sign-ins through the
// sign-in page and through the simulated ExampleIdP (a secret client,
// HTTP Basic), userInfo, a refresh, revocation, cancel and sign-out.
import assert from 'node:assert/strict';
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import { launchChromium } from '../../scripts/chromium.mjs';
import { serveStatic } from '../../scripts/static-server.mjs';
import { startEndpoint } from './endpoint.mjs';
import { E2E, readJson, s256 } from './support.mjs';

const seed = readJson(join(E2E, 'seed-oauth.json'));
const [pool] = seed.userPools;
const POOL = pool.id;
const [PUBLIC, SECRET] = pool.clients;
// RFC 7636 appendix B.
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

let dir; // the app's files and the seed, removed at the end
let app; // the app's origin, serving index.html, callback.html, bye.html
let endpoint;
let browser;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oauth-e2e-'));
  await build({
    entryPoints: [join(E2E, 'oauth-app.mjs')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    outfile: join(dir, 'app.js'),
    logLevel: 'silent',
  });
  for (const name of ['index', 'callback', 'bye']) {
    const html = `<!doctype html><meta charset="utf-8"><title>${name}</title><script src="/app.js"></script><p>${name}</p>`;
    await writeFile(join(dir, `${name}.html`), html);
  }
  app = await serveStatic({ '/': dir });
  // The callback and sign-out URLs of the app, on the port it got.
  for (const client of pool.clients) {
    client.callbackUrls = [`${app.url}/callback.html`];
    client.logoutUrls = [`${app.url}/bye.html`];
  }
  const seedPath = join(dir, 'seed.json');
  await writeFile(seedPath, JSON.stringify(seed));
  endpoint = await startEndpoint(seedPath);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await endpoint?.stop();
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The claims of a JWT of the pool, after Node's crypto verified it with the pool's JWKS. */
async function verifiedClaims(token) {
  const [header, payload, signature] = token.split('.');
  const { alg, kid } = JSON.parse(Buffer.from(header, 'base64url'));
  assert.equal(alg, 'RS256');
  const { keys } = await (await fetch(`${endpoint.url}/${POOL}/.well-known/jwks.json`)).json();
  const jwk = keys.find((key) => key.kid === kid);
  assert.ok(jwk, 'the key is in the JWKS');
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const valid = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'));
  assert.ok(valid, 'the signature verifies against the JWKS');
  return JSON.parse(Buffer.from(payload, 'base64url'));
}

/** The token endpoint, as an app calls it: (status, JSON answer). */
async function tokenRequest(fields, headers = {}) {
  const response = await fetch(`${endpoint.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
  });
  return { status: response.status, body: await response.json() };
}

describe('PKCE, with Node as the browser', () => {
  /** Cookies of one user agent, kept by hand (fetch keeps none). */
  const cookies = new Map();
  const send = async (url, init = {}) => {
    const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, cookie } });
    for (const line of response.headers.getSetCookie()) {
      const [name, value] = line.split(';')[0].split('=');
      if (/Max-Age=0/.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  };

  /** An authorization code for alice with this S256 challenge (the form only without a session). */
  async function codeFor(challenge) {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: PUBLIC.clientId,
      redirect_uri: `${app.url}/callback.html`,
      scope: 'openid',
      state: 'st-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    let response = await send(`${endpoint.url}/oauth2/authorize?${query}`);
    assert.equal(response.status, 302);
    let target = new URL(response.headers.get('location'), endpoint.url);
    if (target.pathname === '/login') {
      const page = await (await send(target.href)).text();
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page)[1];
      response = await send(target.href, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, username: 'alice', password: 'Alice-Passw0rd!' }),
      });
      assert.equal(response.status, 302, await response.text());
      target = new URL(response.headers.get('location'));
    }
    assert.equal(`${target.origin}${target.pathname}`, `${app.url}/callback.html`);
    assert.equal(target.searchParams.get('state'), 'st-1');
    return target.searchParams.get('code');
  }

  const redeem = (code, verifier) =>
    tokenRequest({
      grant_type: 'authorization_code',
      client_id: PUBLIC.clientId,
      code,
      redirect_uri: `${app.url}/callback.html`,
      code_verifier: verifier,
    });

  test("Node's S256 of the RFC 7636 verifier is the RFC's challenge, and the endpoint accepts only that verifier", async () => {
    assert.equal(s256(RFC_VERIFIER), RFC_CHALLENGE);
    const wrong = await redeem(await codeFor(RFC_CHALLENGE), `${RFC_VERIFIER.slice(0, -1)}K`);
    assert.deepEqual([wrong.status, wrong.body.error], [400, 'invalid_grant']);
    const right = await redeem(await codeFor(RFC_CHALLENGE), RFC_VERIFIER);
    assert.equal(right.status, 200, JSON.stringify(right.body));
    assert.equal((await verifiedClaims(right.body.id_token))['cognito:username'], 'alice');
  });

  test("a random verifier (RFC 7636 4.1) and Node's challenge of it", async () => {
    const verifier = randomBytes(32).toString('base64url');
    const code = await codeFor(s256(verifier));
    const answer = await redeem(code, verifier);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const again = await redeem(code, verifier);
    assert.deepEqual([again.status, again.body.error], [400, 'invalid_grant'], 'codes are single use');
  });
});

describe('oidc-client-ts in Chromium', () => {
  const callback = () => `${app.url}/callback.html`;
  const settings = (client, scope) => ({
    authority: `${endpoint.url}/${POOL}`,
    client_id: client.clientId,
    client_secret: client.clientSecret,
    client_authentication: client.clientSecret ? 'client_secret_basic' : 'client_secret_post',
    redirect_uri: callback(),
    response_type: 'code',
    scope,
    loadUserInfo: true,
    automaticSilentRenew: false,
  });

  /** A new page at the app, sent off by UserManager.signinRedirect(args). */
  async function startSignIn(context, config, args) {
    const page = await context.newPage();
    await page.goto(`${app.url}/index.html`);
    // Not awaited in the page: it navigates away.
    await page.evaluate(([config, args]) => {
      new window.oidc.UserManager(config).signinRedirect(args);
    }, [config, args]);
    return page;
  }

  /** Back at the callback page: signinRedirectCallback's user, or its error. */
  async function finishSignIn(page, config) {
    await page.waitForURL(`${callback()}?**`);
    return page.evaluate(async (config) => {
      try {
        const user = await new window.oidc.UserManager(config).signinRedirectCallback();
        const { id_token, access_token, refresh_token, profile, scope } = user;
        return { user: { id_token, access_token, refresh_token, profile, scope } };
      } catch (error) {
        return { error: error.error ?? null, description: error.error_description ?? null, message: error.message };
      }
    }, config);
  }

  test('signs in through the sign-in page, loads userInfo, refreshes, revokes and signs out', async () => {
    const context = await browser.newContext();
    const config = settings(PUBLIC, 'openid email profile aws.cognito.signin.user.admin');
    const nonce = randomBytes(12).toString('base64url');
    const page = await startSignIn(context, config, { nonce });
    await page.waitForURL(`${endpoint.url}/login?**`);
    const sent = new URL(page.url()).searchParams;
    assert.equal(sent.get('code_challenge_method'), 'S256');
    assert.equal(sent.get('nonce'), nonce);
    await page.fill('#signInFormUsername', 'alice');
    await page.fill('#signInFormPassword', 'Alice-Passw0rd!');
    await page.click('#signInSubmitButton');
    const { user, ...failure } = await finishSignIn(page, config);
    assert.ok(user, JSON.stringify(failure));
    const id = await verifiedClaims(user.id_token);
    assert.equal(id.iss, `${endpoint.url}/${POOL}`);
    assert.equal(id.aud, PUBLIC.clientId);
    assert.equal(id.nonce, nonce);
    assert.equal(id['cognito:username'], 'alice');
    const access = await verifiedClaims(user.access_token);
    assert.equal(access.scope, config.scope);
    assert.equal(access.client_id, PUBLIC.clientId);
    // userInfo's claims, merged in by oidc-client-ts after it checked the sub.
    assert.equal(user.profile.username, 'alice');
    assert.equal(user.profile.email, 'alice@example.com');

    // grant_type=refresh_token: new tokens, the same grant and sign-in.
    const renewed = await page.evaluate(async (config) => {
      const { access_token, id_token, refresh_token } = await new window.oidc.UserManager(config).signinSilent();
      return { access_token, id_token, refresh_token };
    }, config);
    assert.notEqual(renewed.access_token, user.access_token);
    assert.equal(renewed.refresh_token, user.refresh_token, 'no new refresh token');
    const renewedAccess = await verifiedClaims(renewed.access_token);
    assert.equal(renewedAccess.origin_jti, access.origin_jti);
    assert.equal((await verifiedClaims(renewed.id_token)).auth_time, id.auth_time);

    // The revocation endpoint, called by oidc-client-ts; the token is then dead.
    await page.evaluate(async (config) => {
      await new window.oidc.UserManager(config).revokeTokens(['refresh_token']);
    }, config);
    const refresh = await tokenRequest({
      grant_type: 'refresh_token',
      client_id: PUBLIC.clientId,
      refresh_token: user.refresh_token,
    });
    assert.deepEqual([refresh.status, refresh.body.error], [400, 'invalid_grant']);

    // Cognito's /logout wants client_id and logout_uri, which oidc-client-ts
    // sends as extra parameters (its own id_token_hint is ignored); the
    // managed-login session ends, so the next sign-in shows the form again.
    await page.evaluate(([config, logoutUri]) => {
      const extraQueryParams = { client_id: config.client_id, logout_uri: logoutUri };
      new window.oidc.UserManager(config).signoutRedirect({ extraQueryParams });
    }, [config, `${app.url}/bye.html`]);
    await page.waitForURL(`${app.url}/bye.html`);
    const again = await startSignIn(context, config, {});
    await again.waitForURL(`${endpoint.url}/login?**`);
    await context.close();
  });

  test('signs in through ExampleIdP with a secret client (HTTP Basic): a federated user', async () => {
    const context = await browser.newContext();
    const config = settings(SECRET, 'openid email profile');
    const nonce = randomBytes(12).toString('base64url');
    const page = await startSignIn(context, config, { nonce, extraQueryParams: { identity_provider: 'ExampleIdP' } });
    await page.waitForURL(`${endpoint.url}/idp/${POOL}/ExampleIdP/authorize?**`);
    await page.fill('#idpUsername', 'jane');
    await page.fill('#idpPassword', 'Jane-IdP-Passw0rd');
    await page.click('#idpSignIn');
    const { user, ...failure } = await finishSignIn(page, config);
    assert.ok(user, JSON.stringify(failure));
    const id = await verifiedClaims(user.id_token);
    assert.equal(id.aud, SECRET.clientId);
    assert.equal(id.nonce, nonce);
    assert.equal(id['cognito:username'], 'ExampleIdP_idp-sub-jane');
    assert.equal(id.email, 'jane@example.com');
    assert.deepEqual(
      id.identities.map(({ userId, providerName, providerType }) => ({ userId, providerName, providerType })),
      [{ userId: 'idp-sub-jane', providerName: 'ExampleIdP', providerType: 'OIDC' }],
    );
    assert.deepEqual(id['cognito:groups'], [`${POOL}_ExampleIdP`]);
    assert.equal(user.profile.username, 'ExampleIdP_idp-sub-jane');
    // The secret client's code cannot be redeemed without the secret.
    const withoutSecret = await tokenRequest({ grant_type: 'refresh_token', client_id: SECRET.clientId, refresh_token: user.refresh_token });
    assert.deepEqual([withoutSecret.status, withoutSecret.body.error], [401, 'invalid_client']);
    await context.close();
  });

  test("cancelling at ExampleIdP reaches the app as oidc-client-ts's access_denied", async () => {
    const context = await browser.newContext();
    const config = settings(PUBLIC, 'openid email');
    const page = await startSignIn(context, config, { extraQueryParams: { identity_provider: 'ExampleIdP' } });
    await page.waitForURL(`${endpoint.url}/idp/${POOL}/ExampleIdP/authorize?**`);
    await page.click('#idpCancel');
    const answer = await finishSignIn(page, config);
    assert.equal(answer.user, undefined);
    assert.equal(answer.error, 'access_denied', JSON.stringify(answer));
    await context.close();
  });
});
