// The demo's identity-pool part: with an identity pool id in the settings,
// fetchSession also gives the signed-in user temporary AWS credentials
// (GetId, GetCredentialsForIdentity), and this page uploads a file to the
// local endpoint's S3-style bucket with them. Any SigV4 signer takes the
// credentials: here aws4fetch (small, no bundler needed); an app with the
// AWS SDK v3 passes `auth.credentialsProvider()` as an S3Client's
// `credentials` instead (see the README).
import { AwsClient } from 'aws4fetch';

const $ = (id) => document.getElementById(id);
const BUCKET = 'demo-bucket';
const REGION = 'us-east-1';

/** The CognitoAuth and endpoint of the session shown. */
let current = null;

/** Shows the identity and when its credentials expire (hidden without an identity pool). */
export async function showCredentials(auth, endpoint) {
  current = { auth, endpoint };
  const { identityId, credentials } = await auth.fetchSession();
  $('aws').hidden = !credentials;
  if (!credentials) return;
  // The bucket is the local endpoint's.
  $('upload-form').hidden = !endpoint;
  $('identity-id').textContent = identityId;
  $('credentials-expiry').dateTime = credentials.expiration.toISOString();
  $('credentials-expiry').textContent = credentials.expiration.toLocaleString();
}

// Uploads the chosen file to private/<identityId>/ (the role allows a user
// that folder only), then reads it back.
$('upload-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = $('upload-file').files[0];
  const button = $('upload-button');
  if (!file || !current) return;
  button.disabled = true;
  $('upload-result').textContent = 'Uploading…';
  try {
    // fetchSession's credentials are fresh: renewed when they are due.
    const { identityId, credentials } = await current.auth.fetchSession();
    const aws = new AwsClient({ ...credentials, service: 's3', region: REGION });
    // Path-style S3 under <endpoint>/s3 (the local endpoint's). Each path
    // segment encoded once, as S3 canonicalizes it: a name of letters,
    // digits, dots and dashes keeps the signer's encoding and the URL's alike.
    const name = file.name.replace(/[^\w.-]/g, '_');
    const key = `private/${identityId}/${name}`;
    const url = `${current.endpoint}/s3/${BUCKET}/${key.split('/').map(encodeURIComponent).join('/')}`;
    const type = file.type || 'application/octet-stream';
    const put = await aws.fetch(url, { method: 'PUT', body: await file.arrayBuffer(), headers: { 'Content-Type': type } });
    if (!put.ok) throw new Error(`PutObject answered HTTP ${put.status}: ${await put.text()}`);
    const got = await aws.fetch(url);
    const bytes = (await got.arrayBuffer()).byteLength;
    if (!got.ok) throw new Error(`GetObject answered HTTP ${got.status}`);
    $('upload-result').textContent = `Uploaded ${BUCKET}/${key} (${file.size} bytes, ETag ${put.headers.get('ETag')}) and read back ${bytes} bytes.`;
  } catch (error) {
    $('upload-result').textContent = `The upload failed: ${error.name}: ${error.message}`;
  } finally {
    button.disabled = false;
  }
});
