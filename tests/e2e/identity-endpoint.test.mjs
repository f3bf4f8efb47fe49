// The local endpoint's identity pools and storage service, driven only by
// clients no one here wrote: the AWS SDK v3 (@aws-sdk/client-cognito-identity-provider
// signs in with USER_PASSWORD_AUTH, @aws-sdk/client-cognito-identity gets an
// identity and credentials, @aws-sdk/client-s3 signs and sends PutObject and
// GetObject with them) and boto3/botocore (the same flow, its own SigV4).
// The endpoint refuses the same S3 requests with expired credentials, a
// tampered secret, a wrong session token, and as a guest where the role
// allows reading only. Seed: tests/e2e/seed-identity.json.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
} from '@aws-sdk/client-cognito-identity';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { startEndpoint } from './endpoint.mjs';
import { E2E, ROOT, readJson } from './support.mjs';

const SEED = join(E2E, 'seed-identity.json');
const seed = readJson(SEED);
const USER_POOL = seed.userPools[0].id;
const CLIENT = seed.userPools[0].clients[0].clientId;
const [FILES_POOL, SHORT_POOL] = seed.identityPools.map((pool) => pool.id);
const SHORT_SECONDS = seed.identityPools[1].credentialsValiditySeconds;
const PROVIDER = `cognito-idp.us-east-1.amazonaws.com/${USER_POOL}`;
const BUCKET = seed.buckets[0].name;
const PYTHON = join(ROOT, '.venv/bin/python');

let endpoint;
before(async () => {
  endpoint = await startEndpoint(SEED);
});
after(() => endpoint?.stop());

const region = 'us-east-1';
const identity = () => new CognitoIdentityClient({ region, endpoint: endpoint.url });
const s3 = (credentials) =>
  new S3Client({ region, endpoint: `${endpoint.url}/s3`, forcePathStyle: true, credentials, maxAttempts: 1 });

/** The id token of a USER_PASSWORD_AUTH sign-in by the SDK. */
async function idToken(username, password) {
  const client = new CognitoIdentityProviderClient({ region, endpoint: endpoint.url });
  const answer = await client.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: CLIENT,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
  return answer.AuthenticationResult.IdToken;
}

/** GetCredentialsForIdentity's answer as the SDK parses it. */
async function credentialsFor(identityId, Logins) {
  return identity().send(new GetCredentialsForIdentityCommand({ IdentityId: identityId, Logins }));
}

/** The SDK's credentials object from a GetCredentialsForIdentity answer. */
const sdkCredentials = ({ Credentials: c }) => ({
  accessKeyId: c.AccessKeyId,
  secretAccessKey: c.SecretKey,
  sessionToken: c.SessionToken,
  expiration: c.Expiration,
});

/** Asserts the SDK call rejects with this error name and HTTP status. */
async function refused(promise, name, status, message) {
  const error = await promise.then(
    () => assert.fail(`expected ${name}`),
    (e) => e,
  );
  assert.equal(error.name, name, error.message);
  assert.equal(error.$metadata?.httpStatusCode, status);
  if (message) assert.match(error.message, message);
  return error;
}

async function signedInAlice() {
  const Logins = { [PROVIDER]: await idToken('alice', 'Alice-Passw0rd!') };
  const { IdentityId } = await identity().send(new GetIdCommand({ IdentityPoolId: FILES_POOL, Logins }));
  return { IdentityId, Logins, answer: await credentialsFor(IdentityId, Logins) };
}

test('SDK v3: sign in, GetId, GetCredentialsForIdentity, then PutObject and GetObject with those credentials', async () => {
  const { IdentityId, answer } = await signedInAlice();
  assert.match(IdentityId, /^us-east-1:[0-9a-f-]{36}$/);
  assert.equal(answer.IdentityId, IdentityId);
  const { Credentials } = answer;
  assert.match(Credentials.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
  // The endpoint writes Expiration as the service does (1.7...E9); the SDK reads a Date.
  assert.ok(Credentials.Expiration instanceof Date);
  assert.ok(Math.abs(Credentials.Expiration.getTime() - (Date.now() + 3600_000)) < 10_000, `${Credentials.Expiration.toISOString()}`);

  const client = s3(sdkCredentials(answer));
  const Key = `private/${IdentityId}/notes (1).txt`;
  const Body = 'hello from the AWS SDK';
  const put = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body, ContentType: 'text/plain', Metadata: { topic: 'work' } }));
  const md5 = createHash('md5').update(Body).digest('hex');
  assert.equal(put.ETag, `"${md5}"`);
  assert.ok(put.ChecksumCRC32, 'the SDK sent a CRC32 and the endpoint confirms it');

  const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
  assert.equal(await got.Body.transformToString(), Body);
  assert.equal(got.ContentType, 'text/plain');
  assert.equal(got.ETag, `"${md5}"`);
  assert.deepEqual(got.Metadata, { topic: 'work' });
  // The SDK checks the CRC32 the endpoint sends against the bytes it read.
  assert.equal(got.ChecksumCRC32, put.ChecksumCRC32);

  const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key }));
  assert.equal(head.ContentLength, Buffer.byteLength(Body));
  await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key }));
  await refused(client.send(new GetObjectCommand({ Bucket: BUCKET, Key })), 'NoSuchKey', 404, /The specified key does not exist/);
  await refused(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key })), 'NotFound', 404);
});

test('SDK v3: a streamed upload goes as aws-chunked with a CRC32 trailer, and reads back', async () => {
  const { IdentityId, answer } = await signedInAlice();
  const client = s3(sdkCredentials(answer));
  const sent = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      sent.push({ ...args.request.headers });
      return next(args);
    },
    { step: 'deserialize', name: 'recordSentHeaders' },
  );
  const Key = `private/${IdentityId}/stream.bin`;
  const parts = [Buffer.from('streamed '), Buffer.alloc(70_000, 0x61), Buffer.from(' end')];
  const whole = Buffer.concat(parts);
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: Readable.from(parts), ContentLength: whole.length }));
  assert.equal(sent[0]['x-amz-content-sha256'], 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
  assert.equal(sent[0]['content-encoding'], 'aws-chunked');
  assert.equal(sent[0]['x-amz-trailer'], 'x-amz-checksum-crc32');
  const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
  assert.ok(Buffer.from(await got.Body.transformToByteArray()).equals(whole));
  assert.equal(got.ContentType, 'application/octet-stream', "the SDK's type for streams");
  assert.equal(got.ContentEncoding, undefined, 'aws-chunked is not kept as the object encoding');
});

test('SDK v3: the same request with expired credentials is ExpiredToken', async () => {
  const Logins = { [PROVIDER]: await idToken('alice', 'Alice-Passw0rd!') };
  const { IdentityId } = await identity().send(new GetIdCommand({ IdentityPoolId: SHORT_POOL, Logins }));
  const answer = await credentialsFor(IdentityId, Logins);
  assert.ok(answer.Credentials.Expiration.getTime() - Date.now() <= SHORT_SECONDS * 1000);
  // Without `expiration` the SDK does not try to refresh them: it sends them.
  const { expiration, ...keys } = sdkCredentials(answer);
  const client = s3(keys);
  const put = () => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'short/a.txt', Body: 'short' }));
  await put();
  await new Promise((resolve) => setTimeout(resolve, expiration.getTime() - Date.now() + 1100));
  await refused(put(), 'ExpiredToken', 400, /The provided token has expired/);
  const fresh = await credentialsFor(IdentityId, Logins);
  await s3(sdkCredentials(fresh)).send(new PutObjectCommand({ Bucket: BUCKET, Key: 'short/a.txt', Body: 'renewed' }));
});

test('SDK v3: a tampered secret is SignatureDoesNotMatch, a wrong session token InvalidToken, an unknown key InvalidAccessKeyId', async () => {
  const { answer } = await signedInAlice();
  const keys = sdkCredentials(answer);
  const get = (credentials) => s3(credentials).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'public/hello.txt' }));
  assert.equal(await (await get(keys)).Body.transformToString(), 'hello from the seed');
  // The secret is random: its last character changed to one it is not.
  const tampered = `${keys.secretAccessKey.slice(0, -1)}${keys.secretAccessKey.endsWith('x') ? 'y' : 'x'}`;
  await refused(get({ ...keys, secretAccessKey: tampered }), 'SignatureDoesNotMatch', 403, /does not match the signature you provided/);
  await refused(get({ ...keys, sessionToken: `${keys.sessionToken}x` }), 'InvalidToken', 400, /The provided token is malformed or otherwise invalid/);
  await refused(get({ ...keys, accessKeyId: 'ASIAAAAAAAAAAAAAAAAA' }), 'InvalidAccessKeyId', 403);
  await refused(get({ accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey }), 'InvalidAccessKeyId', 403);
});

test('SDK v3: a guest reads public objects but may not write them; after signing in, the guest identity becomes the user\'s', async () => {
  const { IdentityId: guest } = await identity().send(new GetIdCommand({ IdentityPoolId: FILES_POOL }));
  const answer = await credentialsFor(guest);
  assert.equal(answer.IdentityId, guest);
  const client = s3(sdkCredentials(answer));
  const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'public/hello.txt' }));
  assert.equal(await got.Body.transformToString(), 'hello from the seed');
  await refused(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'public/guest.txt', Body: 'x' })), 'AccessDenied', 403, /Access Denied/);

  // Amplify passes the guest id with the new login: the identity is kept.
  const Logins = { [PROVIDER]: await idToken('bob', 'Bob-Passw0rd!') };
  const signedIn = await credentialsFor(guest, Logins);
  assert.equal(signedIn.IdentityId, guest);
  await s3(sdkCredentials(signedIn)).send(new PutObjectCommand({ Bucket: BUCKET, Key: 'public/bob.txt', Body: 'x' }));
  const again = await identity().send(new GetIdCommand({ IdentityPoolId: FILES_POOL, Logins }));
  assert.equal(again.IdentityId, guest);
  await refused(credentialsFor(guest), 'NotAuthorizedException', 400, /^Logins don't match/);
});

test('SDK v3: identity-pool errors carry the service\'s names', async () => {
  await refused(
    identity().send(new GetIdCommand({ IdentityPoolId: SHORT_POOL })),
    'NotAuthorizedException',
    400,
    /^Unauthenticated access is not supported for this identity pool\.$/,
  );
  await refused(
    identity().send(new GetIdCommand({ IdentityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000000' })),
    'ResourceNotFoundException',
    400,
    /IdentityPool 'us-east-1:00000000-0000-4000-8000-000000000000' not found\./,
  );
  const token = await idToken('alice', 'Alice-Passw0rd!');
  const [header, payload] = token.split('.');
  await refused(
    identity().send(new GetIdCommand({ IdentityPoolId: FILES_POOL, Logins: { [PROVIDER]: `${header}.${payload}.AAAA` } })),
    'NotAuthorizedException',
    400,
    /^Invalid login token\. Couldn't verify signed token\.$/,
  );
  const { IdentityId } = await identity().send(new GetIdCommand({ IdentityPoolId: FILES_POOL }));
  const openId = await identity().send(new GetOpenIdTokenCommand({ IdentityId }));
  const claims = JSON.parse(Buffer.from(openId.Token.split('.')[1], 'base64url'));
  assert.deepEqual([claims.sub, claims.aud, claims.amr], [IdentityId, FILES_POOL, ['unauthenticated']]);
});

test('boto3: the same flow with botocore\'s own SigV4, and its refusals', () => {
  const run = spawnSync(PYTHON, [join(E2E, 'boto3_identity.py'), endpoint.url, FILES_POOL, PROVIDER, CLIENT, BUCKET], {
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  const seen = JSON.parse(run.stdout);
  assert.match(seen.identityId, /^us-east-1:[0-9a-f-]{36}$/);
  assert.ok(Math.abs(seen.expiration - (Date.now() / 1000 + 3600)) < 30, `Expiration ${seen.expiration}`);
  assert.equal(seen.read, 'hello from boto3');
  assert.equal(seen.etag, `"${createHash('md5').update('hello from boto3').digest('hex')}"`);
  assert.deepEqual(seen.refusals, {
    wrongSecret: 'SignatureDoesNotMatch',
    guestWrite: 'AccessDenied',
    otherIdentity: 'AccessDenied',
  });
});
