// AWS credentials from identity pools, end to end in Node: the packed
// package against the local endpoint (tests/e2e/seed-credentials.json).
// Every scenario of identity-scenarios.mjs (identity-browser.test.mjs runs
// the same ones in Chromium), then what proves the credentials with code no
// one here wrote: the AWS SDK v3 (@aws-sdk/client-s3, given
// auth.credentialsProvider()) uploads and reads an object, and the endpoint
// refuses the same request with the credentials expired or tampered with;
// Amplify v6, configured with cognito-wasm/amplify's providers, returns our
// tokens and credentials from fetchAuthSession.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession } from 'aws-amplify/auth';
import * as cognito from './.work/node_modules/cognito-wasm/js/index.js';
import { credentialsProvider, tokenProvider } from './.work/node_modules/cognito-wasm/js/amplify.js';
import { startEndpoint } from './endpoint.mjs';
import { BLINK, CREDENTIALS_CLIENT, CREDENTIALS_POOL, FILES, identityScenarios, runIdentityScenario } from './identity-scenarios.mjs';
import { E2E, readJson } from './support.mjs';

const SEED = join(E2E, 'seed-credentials.json');
const BUCKET = 'e2e-credentials';

let endpoint;
let env;
before(async () => {
  await cognito.default();
  endpoint = await startEndpoint(SEED);
  env = { seed: readJson(SEED), endpoint: endpoint.url };
});
after(() => endpoint?.stop());

for (const { name } of identityScenarios) {
  test(name, () => runIdentityScenario(cognito, env, name));
}

const auth = (options) =>
  new cognito.CognitoAuth({ userPoolId: CREDENTIALS_POOL, clientId: CREDENTIALS_CLIENT, endpoint: endpoint.url, ...options });
const s3 = (credentials) =>
  new S3Client({ region: 'us-east-1', endpoint: `${endpoint.url}/s3`, forcePathStyle: true, credentials, maxAttempts: 1 });

/** The SDK call's error: its name and HTTP status. */
const refusal = (promise) =>
  promise.then(
    () => 'accepted',
    (error) => `${error.name} ${error.$metadata?.httpStatusCode}`,
  );

test('SDK v3: S3Client with auth.credentialsProvider() puts and reads an object; the same request with tampered credentials is refused', async () => {
  const a = auth({ identityPoolId: FILES });
  await a.signIn({ username: 'hank', password: 'Hank-Passw0rd!' });
  const client = s3(a.credentialsProvider());
  const { identityId, credentials } = await a.fetchSession();
  const Key = `private/${identityId}/from cognito-wasm.txt`;
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: 'hello from cognito-wasm', ContentType: 'text/plain' }));
  const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
  assert.equal(await got.Body.transformToString(), 'hello from cognito-wasm');
  assert.equal(got.ContentType, 'text/plain');
  // The role's grants hold: another identity's folder is refused.
  assert.equal(await refusal(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `private/us-east-1:0/x` }))), 'AccessDenied 403');
  // The same request, signed with the credentials changed.
  const get = (changed) => refusal(s3({ ...credentials, ...changed }).send(new GetObjectCommand({ Bucket: BUCKET, Key })));
  assert.equal(await get({}), 'accepted', 'the credentials as given');
  // The secret is random: its last character changed to one it is not.
  const tampered = `${credentials.secretAccessKey.slice(0, -1)}${credentials.secretAccessKey.endsWith('x') ? 'y' : 'x'}`;
  assert.equal(await get({ secretAccessKey: tampered }), 'SignatureDoesNotMatch 403');
  assert.equal(await get({ sessionToken: `${credentials.sessionToken}x` }), 'InvalidToken 400');
  assert.equal(await get({ accessKeyId: 'ASIAAAAAAAAAAAAAAAAA' }), 'InvalidAccessKeyId 403');
  await a.signOut();
  // Signed out, without guest access: the provider has nothing to give. (An
  // S3Client memoizes what it was given until 5 minutes before expiration.)
  await assert.rejects(a.credentialsProvider()(), { name: 'InvalidStateError' });
  await assert.rejects(s3(a.credentialsProvider()).send(new GetObjectCommand({ Bucket: BUCKET, Key })), { name: 'InvalidStateError' });
});

test('SDK v3: a guest reads public objects and may not write; once expired, the same request is ExpiredToken, and the provider renews', async () => {
  const guest = auth({ identityPoolId: FILES, allowGuestAccess: true });
  const client = s3(guest.credentialsProvider());
  const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'public/hello.txt' }));
  assert.equal(await got.Body.transformToString(), 'hello from the seed');
  assert.equal(await refusal(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'public/guest.txt', Body: 'x' }))), 'AccessDenied 403');

  // 2-second credentials: used after they expire, then through the provider.
  const a = auth({ identityPoolId: BLINK });
  await a.signIn({ username: 'ivy', password: 'Ivy-Passw0rd!' });
  const { credentials } = await a.fetchSession();
  const put = (c) => c.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'public/ivy.txt', Body: 'ivy' }));
  // Without `expiration` the SDK sends them as they are, however old.
  const { expiration, ...keys } = credentials;
  const fixed = s3(keys);
  assert.equal(await refusal(put(fixed)), 'accepted');
  await new Promise((resolve) => setTimeout(resolve, expiration.getTime() - Date.now() + 1100));
  assert.equal(await refusal(put(fixed)), 'ExpiredToken 400', 'the same request with the expired credentials');
  assert.equal(await refusal(put(s3(a.credentialsProvider()))), 'accepted', 'the provider renewed them');
  const renewed = (await a.fetchSession()).credentials;
  assert.notEqual(renewed.accessKeyId, credentials.accessKeyId);
  assert.ok(renewed.expiration > expiration);
  await a.signOut();
});

test("Amplify v6 with cognito-wasm/amplify's providers: fetchAuthSession() returns our tokens, credentials and identity", async () => {
  const a = auth({ identityPoolId: FILES, allowGuestAccess: true });
  Amplify.configure(
    { Auth: { Cognito: { userPoolId: CREDENTIALS_POOL, userPoolClientId: CREDENTIALS_CLIENT, identityPoolId: FILES, allowGuestAccess: true } } },
    { Auth: { tokenProvider: tokenProvider(a), credentialsProvider: credentialsProvider(a) } },
  );
  const asGuest = await fetchAuthSession();
  const guest = await a.fetchSession();
  assert.equal(asGuest.tokens, undefined);
  assert.equal(asGuest.identityId, guest.identityId);
  assert.deepEqual(asGuest.credentials, guest.credentials);

  await a.signIn({ username: 'jack', password: 'Jack-Passw0rd!' });
  const session = await fetchAuthSession();
  const ours = await a.fetchSession();
  assert.equal(session.tokens.accessToken.toString(), ours.tokens.accessToken);
  assert.equal(session.tokens.idToken.toString(), ours.tokens.idToken);
  assert.deepEqual(session.tokens.idToken.payload, ours.tokens.idTokenClaims);
  assert.equal(session.userSub, ours.tokens.accessTokenClaims.sub);
  assert.deepEqual(session.credentials, ours.credentials);
  assert.ok(session.credentials.expiration instanceof Date);
  assert.equal(session.identityId, guest.identityId, "the guest identity became jack's");
  // forceRefresh renews both, once.
  const forced = await fetchAuthSession({ forceRefresh: true });
  assert.notEqual(forced.tokens.accessToken.toString(), ours.tokens.accessToken);
  assert.notEqual(forced.credentials.accessKeyId, ours.credentials.accessKeyId);
  assert.equal(forced.credentials.accessKeyId, (await a.fetchSession()).credentials.accessKeyId);
  await a.signOut();
  const out = await fetchAuthSession();
  assert.equal(out.tokens, undefined);
  assert.notEqual(out.identityId, guest.identityId, 'signed out: a new guest identity');
});
