// Amplify v6 (the aws-amplify package, bundled for the browser by esbuild)
// signs in with SRP against the local endpoint from a page of another
// origin in Chromium. Amplify sends amz-sdk-invocation-id, amz-sdk-request,
// x-amz-user-agent and cache-control on every call, so each one is
// preflighted; a header the endpoint's preflight answer does not allow makes
// the browser refuse the call. Seed: local-endpoint/seeds/demo.json.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startEndpoint } from './endpoint.mjs';
import { DEMO_SEED, launchChromium, servePageScript } from './support.mjs';

const names = (list) => list.split(',').map((name) => name.trim().toLowerCase());

// Runs in the page: configure, sign in (SRP is Amplify's default flow), read the session.
const PAGE_SCRIPT = `
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn } from 'aws-amplify/auth';

window.amplifySignIn = async ({ endpoint, userPoolId, clientId, username, password }) => {
  Amplify.configure({ Auth: { Cognito: { userPoolId, userPoolClientId: clientId, userPoolEndpoint: endpoint } } });
  const result = await signIn({ username, password });
  const { tokens } = await fetchAuthSession();
  return { isSignedIn: result.isSignedIn, step: result.nextStep.signInStep, accessTokenUser: tokens?.accessToken.payload.username };
};
`;

let endpoint;
let site;
let browser;
before(async () => {
  endpoint = await startEndpoint(DEMO_SEED);
  site = await servePageScript('amplify-cors', PAGE_SCRIPT);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await site?.close();
  await endpoint?.stop();
});

test('Chromium: Amplify v6 signs in with SRP against the local endpoint from another origin', async () => {
  const page = await browser.newPage();
  const failures = [];
  const calls = [];
  page.on('requestfailed', (request) => failures.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
  page.on('request', (request) => {
    if (request.url().startsWith(endpoint.url) && request.method() === 'POST') calls.push({ headers: request.headers(), body: request.postData() });
  });
  // The preflights themselves, as the browser sent them and read their answers.
  const cdp = await page.context().newCDPSession(page);
  const asked = new Map(); // preflight request id -> the headers it asked for
  const answers = [];
  cdp.on('Network.requestWillBeSent', ({ requestId, request }) => {
    if (request.method === 'OPTIONS' && request.url.startsWith(endpoint.url)) {
      asked.set(requestId, names(request.headers['Access-Control-Request-Headers'] ?? ''));
    }
  });
  cdp.on('Network.responseReceived', ({ requestId, type, response }) => {
    if (type === 'Preflight') answers.push({ requestId, headers: response.headers });
  });
  await cdp.send('Network.enable');
  await page.goto(`${site.url}/`);
  assert.notEqual(new URL(site.url).origin, new URL(endpoint.url).origin);
  await page.waitForFunction(() => typeof window.amplifySignIn === 'function');
  const seen = await page.evaluate((config) => window.amplifySignIn(config), {
    endpoint: endpoint.url,
    userPoolId: 'us-east-1_DemoPool1',
    clientId: 'democlient0123456789abcdef',
    username: 'demo',
    password: 'Demo-Passw0rd!',
  });
  assert.deepEqual(failures, []);
  assert.deepEqual(seen, { isSignedIn: true, step: 'DONE', accessTokenUser: 'demo' });

  assert.deepEqual(
    calls.slice(0, 2).map(({ headers }) => headers['x-amz-target']),
    ['AWSCognitoIdentityProviderService.InitiateAuth', 'AWSCognitoIdentityProviderService.RespondToAuthChallenge'],
  );
  assert.equal(JSON.parse(calls[0].body).AuthFlow, 'USER_SRP_AUTH');

  // Amplify asked to send the SDK's headers, and every answer allowed all it asked for, for a while.
  assert.ok(answers.length >= 1, 'the calls were preflighted');
  for (const { requestId, headers } of answers) {
    const wanted = asked.get(requestId);
    for (const name of ['amz-sdk-invocation-id', 'amz-sdk-request', 'x-amz-user-agent', 'x-amz-target']) {
      assert.ok(wanted.includes(name), `the preflight asks for ${name}: ${wanted}`);
    }
    const allowed = names(headers['Access-Control-Allow-Headers']);
    assert.deepEqual(wanted.filter((name) => !allowed.includes(name)), []);
    assert.ok(Number(headers['Access-Control-Max-Age']) >= 600);
  }
  await page.close();
});
