// The AWS SDK v3 in Chromium (bundled for the browser by esbuild) against
// the local endpoint from another origin: signs in, gets identity-pool
// credentials and puts and reads an object, so every call goes through the
// endpoint's CORS answers (the SDK's amz-sdk-*, x-amz-* and checksum headers
// make each call preflighted; ETag and checksum headers must be exposed to
// be read; S3 error documents must be readable).
// Seed: tests/e2e/seed-identity.json.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEndpoint } from './endpoint.mjs';
import { E2E, launchChromium, readJson, servePageScript } from './support.mjs';

const SEED = join(E2E, 'seed-identity.json');
const seed = readJson(SEED);

// Runs in the page: the whole flow with the browser build of the SDK.
const PAGE_SCRIPT = `
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

window.identityFlow = async ({ endpoint, userPoolClient, provider, identityPool, bucket }) => {
  const region = 'us-east-1';
  const idp = new CognitoIdentityProviderClient({ region, endpoint });
  const signedIn = await idp.send(new InitiateAuthCommand({
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: userPoolClient,
    AuthParameters: { USERNAME: 'alice', PASSWORD: 'Alice-Passw0rd!' },
  }));
  const identity = new CognitoIdentityClient({ region, endpoint });
  const storage = (answer) => new S3Client({
    region, endpoint: endpoint + '/s3', forcePathStyle: true, maxAttempts: 1,
    credentials: {
      accessKeyId: answer.Credentials.AccessKeyId,
      secretAccessKey: answer.Credentials.SecretKey,
      sessionToken: answer.Credentials.SessionToken,
      expiration: answer.Credentials.Expiration,
    },
  });
  const Logins = { [provider]: signedIn.AuthenticationResult.IdToken };
  const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId: identityPool, Logins }));
  const answer = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
  const s3 = storage(answer);
  const Key = 'private/' + IdentityId + '/from-the-browser.txt';
  const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'hello from Chromium', ContentType: 'text/plain' }));
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));

  const { IdentityId: guestId } = await identity.send(new GetIdCommand({ IdentityPoolId: identityPool }));
  const guest = storage(await identity.send(new GetCredentialsForIdentityCommand({ IdentityId: guestId })));
  const guestWrite = await guest
    .send(new PutObjectCommand({ Bucket: bucket, Key: 'public/guest.txt', Body: 'x' }))
    .then(() => 'allowed', (error) => error.name + ' ' + error.$metadata.httpStatusCode + ' ' + error.message);
  return {
    expiration: answer.Credentials.Expiration.getTime(),
    putETag: put.ETag,
    putChecksum: put.ChecksumCRC32,
    body: await got.Body.transformToString(),
    getETag: got.ETag,
    getChecksum: got.ChecksumCRC32,
    contentType: got.ContentType,
    guestWrite,
  };
};
`;

let endpoint;
let site;
let browser;
before(async () => {
  endpoint = await startEndpoint(SEED);
  site = await servePageScript('identity-browser', PAGE_SCRIPT, 'flow.js');
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await site?.close();
  await endpoint?.stop();
});

test('Chromium: the SDK v3 signs in, gets credentials and puts and reads an object across origins', async () => {
  const page = await browser.newPage();
  const failures = [];
  page.on('requestfailed', (request) => failures.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
  await page.goto(`${site.url}/`);
  await page.waitForFunction(() => typeof window.identityFlow === 'function');
  const seen = await page.evaluate((config) => window.identityFlow(config), {
    endpoint: endpoint.url,
    userPoolClient: seed.userPools[0].clients[0].clientId,
    provider: seed.identityPools[0].cognitoIdentityProviders[0].providerName,
    identityPool: seed.identityPools[0].id,
    bucket: seed.buckets[0].name,
  });
  assert.deepEqual(failures, []);
  assert.ok(Math.abs(seen.expiration - (Date.now() + 3600_000)) < 30_000);
  assert.equal(seen.body, 'hello from Chromium');
  assert.match(seen.putETag, /^"[0-9a-f]{32}"$/, 'the page can read ETag');
  assert.equal(seen.getETag, seen.putETag);
  assert.ok(seen.putChecksum && seen.getChecksum === seen.putChecksum, 'the page can read the checksum headers');
  assert.equal(seen.contentType, 'text/plain');
  assert.equal(seen.guestWrite, 'AccessDenied 403 Access Denied');
  await page.close();
});
