// AWS credentials from identity pools in headless Chromium: every scenario
// of identity-scenarios.mjs in the harness page (identity.test.mjs runs the
// same ones in Node), then an app bundled by esbuild with the packed
// package, the AWS SDK v3 and Amplify v6, served from another origin than
// the endpoint: S3Client with auth.credentialsProvider() puts and reads an
// object (the guest's write is refused), and Amplify's fetchAuthSession
// with cognito-wasm/amplify's providers returns our tokens and credentials.
// Seed: tests/e2e/seed-credentials.json.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { identityScenarios } from './identity-scenarios.mjs';
import { E2E, PACKAGE_DIR, assertNoPageErrors, assertNoWasmTrap, harnessAgainst, openPage } from './support.mjs';
import { serveStatic } from '../../scripts/static-server.mjs';

const SEED = join(E2E, 'seed-credentials.json');
const SITE = join(E2E, '.work/identity-app');

// The app: the package by its path in the packed tarball, the SDK and Amplify from node_modules.
const APP = `
import init, { CognitoAuth } from ${JSON.stringify(join(PACKAGE_DIR, 'js/index.js'))};
import { credentialsProvider, tokenProvider } from ${JSON.stringify(join(PACKAGE_DIR, 'js/amplify.js'))};
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession } from 'aws-amplify/auth';

window.app = async ({ endpoint, userPoolId, clientId, identityPoolId, bucket }) => {
  // The package's wasm files, served beside the app.
  await init('/pkg/cognito_wasm_bg.wasm', '/pkg/account/cognito_wasm_account_bg.wasm');
  const auth = new CognitoAuth({ userPoolId, clientId, endpoint, identityPoolId, allowGuestAccess: true, storage: 'localStorage' });
  Amplify.configure(
    { Auth: { Cognito: { userPoolId, userPoolClientId: clientId, identityPoolId, allowGuestAccess: true } } },
    { Auth: { tokenProvider: tokenProvider(auth), credentialsProvider: credentialsProvider(auth) } },
  );
  const s3 = new S3Client({ region: 'us-east-1', endpoint: endpoint + '/s3', forcePathStyle: true, credentials: auth.credentialsProvider(), maxAttempts: 1 });
  const refusal = (promise) => promise.then(() => 'accepted', (error) => error.name + ' ' + error.$metadata?.httpStatusCode);
  const guest = await auth.fetchSession();
  const guestRead = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'public/hello.txt' }))).Body.transformToString();
  const guestWrite = await refusal(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'public/guest.txt', Body: 'x' })));
  const amplifyGuest = await fetchAuthSession();

  await auth.signIn({ username: 'kate', password: 'Kate-Passw0rd!' });
  const kate = await auth.fetchSession();
  // A new client: the one above memoizes the guest's credentials.
  const signedIn = new S3Client({ region: 'us-east-1', endpoint: endpoint + '/s3', forcePathStyle: true, credentials: auth.credentialsProvider(), maxAttempts: 1 });
  const Key = 'private/' + kate.identityId + '/from the browser.txt';
  await signedIn.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'hello from Chromium', ContentType: 'text/plain' }));
  const read = await (await signedIn.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body.transformToString();
  const amplify = await fetchAuthSession();
  const stored = Object.keys(localStorage).sort();
  await auth.signOut();
  return {
    guest: { identityId: guest.identityId, read: guestRead, write: guestWrite, amplifyIdentityId: amplifyGuest.identityId,
      amplifyKey: amplifyGuest.credentials?.accessKeyId, key: guest.credentials.accessKeyId },
    kate: { identityId: kate.identityId, read, key: kate.credentials.accessKeyId, expiration: kate.credentials.expiration.getTime(),
      accessToken: kate.tokens.accessToken },
    amplify: { identityId: amplify.identityId, key: amplify.credentials.accessKeyId, accessToken: amplify.tokens.accessToken.toString(),
      expiration: amplify.credentials.expiration.getTime() },
    stored,
    left: Object.keys(localStorage).sort(),
  };
};
`;

let harness;
let site;
before(async () => {
  harness = await harnessAgainst(SEED);
  const bundle = await build({
    stdin: { contents: APP, resolveDir: E2E },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    logLevel: 'silent',
  });
  await mkdir(SITE, { recursive: true });
  await writeFile(join(SITE, 'app.js'), bundle.outputFiles[0].text);
  await writeFile(join(SITE, 'index.html'), '<!doctype html><link rel="icon" href="data:,"><script type="module" src="app.js"></script>');
  site = await serveStatic({ '/': SITE, '/pkg/': join(PACKAGE_DIR, 'pkg') });
});
after(async () => {
  await site?.close();
  await harness?.close();
});

for (const { name } of identityScenarios) {
  test(`Chromium: ${name}`, async () => {
    await harness.page.evaluate(
      ([name, env]) =>
        Promise.all([import('/e2e/identity-scenarios.mjs'), import('/cognito-wasm/js/index.js')]).then(([scenarios, cognito]) =>
          scenarios.runIdentityScenario(cognito, env, name),
        ),
      [name, harness.env],
    );
    assertNoWasmTrap(harness.problems);
    assertNoPageErrors(harness.problems);
  });
}

test('Chromium, another origin: the AWS SDK v3 and Amplify v6 use the credentials of auth.credentialsProvider() and cognito-wasm/amplify', async () => {
  const browser = harness.page.context().browser();
  const { page, problems } = await openPage(browser, `${site.url}/`);
  assert.notEqual(new URL(site.url).origin, new URL(harness.endpoint.url).origin);
  await page.waitForFunction(() => typeof window.app === 'function');
  const seed = harness.env.seed;
  const seen = await page.evaluate((config) => window.app(config), {
    endpoint: harness.endpoint.url,
    userPoolId: seed.userPools[0].id,
    clientId: seed.userPools[0].clients[0].clientId,
    identityPoolId: seed.identityPools[0].id,
    bucket: seed.buckets[0].name,
  });
  assert.equal(seen.guest.read, 'hello from the seed');
  assert.equal(seen.guest.write, 'AccessDenied 403');
  assert.equal(seen.guest.amplifyIdentityId, seen.guest.identityId);
  assert.equal(seen.guest.amplifyKey, seen.guest.key);
  assert.equal(seen.kate.read, 'hello from Chromium');
  assert.equal(seen.kate.identityId, seen.guest.identityId, "the guest identity became kate's");
  assert.notEqual(seen.kate.key, seen.guest.key);
  assert.ok(Math.abs(seen.kate.expiration - (Date.now() + 3600_000)) < 60_000);
  assert.deepEqual(seen.amplify, {
    identityId: seen.kate.identityId,
    key: seen.kate.key,
    accessToken: seen.kate.accessToken,
    expiration: seen.kate.expiration,
  });
  const prefix = `cognito-wasm.${seed.userPools[0].clients[0].clientId}.`;
  assert.ok(seen.stored.includes(`${prefix}${seed.identityPools[0].id}.identity`), `stored: ${seen.stored}`);
  assert.deepEqual(seen.left, [], 'signOut left nothing in localStorage');
  assertNoWasmTrap(problems);
  assertNoPageErrors(problems);
  await page.close();
});
