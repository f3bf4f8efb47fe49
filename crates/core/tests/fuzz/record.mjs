// Records the answers fuzz_answers.rs starts from: real answers of the local
// endpoint (target/release/cognito-local, which the reference clients are
// checked against) to the calls the client makes, written to answers.json.
//
//   cargo build --release -p cognito-local && node crates/core/tests/fuzz/record.mjs
import { writeFileSync } from 'node:fs';
import { startEndpoint } from '../../../../tests/e2e/endpoint.mjs';

const SEED = new URL('../../../../tests/e2e/seed-client-faults.json', import.meta.url).pathname;
const CLIENT = 'clientfaultsclient00000000';
const PASSWORD = 'Faults-Passw0rd!';

const endpoint = await startEndpoint(SEED);
const answers = [];
async function call(operation, body, record = true) {
  const response = await fetch(endpoint.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(body),
  });
  const answer = { operation, status: response.status, errorType: response.headers.get('x-amzn-errortype'), body: await response.text() };
  if (record) answers.push(answer);
  return JSON.parse(answer.body.startsWith('{') ? answer.body : '{}');
}
const initiate = (AuthFlow, AuthParameters) => call('InitiateAuth', { AuthFlow, ClientId: CLIENT, AuthParameters });

try {
  // SRP_A = 2 (g^1): a valid public value for the first step.
  await initiate('USER_SRP_AUTH', { USERNAME: 'alice', SRP_A: '2' });
  const signedIn = await initiate('USER_PASSWORD_AUTH', { USERNAME: 'alice', PASSWORD });
  const { AccessToken, RefreshToken } = signedIn.AuthenticationResult;
  await initiate('USER_PASSWORD_AUTH', { USERNAME: 'alice', PASSWORD: 'Wrong-Passw0rd!' });
  await initiate('USER_PASSWORD_AUTH', { USERNAME: 'newbie', PASSWORD });
  await initiate('USER_PASSWORD_AUTH', { USERNAME: 'newchallenge', PASSWORD });
  await initiate('USER_PASSWORD_AUTH', { USERNAME: 'throttled', PASSWORD });
  await initiate('USER_PASSWORD_AUTH', { USERNAME: 'ratelimited', PASSWORD });
  await initiate('USER_PASSWORD_AUTH', { USERNAME: 'unavailable', PASSWORD });
  await initiate('USER_PASSWORD_AUTH', { USERNAME: 'future', PASSWORD });
  await initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: RefreshToken });
  await call('GetTokensFromRefreshToken', { RefreshToken, ClientId: CLIENT });
  await call('GetUser', { AccessToken });
  await call('ListDevices', { AccessToken });
  await call('AssociateSoftwareToken', { AccessToken });
  await call('UpdateUserAttributes', { AccessToken, UserAttributes: [{ Name: 'email', Value: 'alice2@example.com' }] });
  await call('ForgotPassword', { ClientId: CLIENT, Username: 'alice' });
  await call('SignUp', { ClientId: CLIENT, Username: 'newcomer', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'n@example.com' }] });
  await call('ConfirmSignUp', { ClientId: CLIENT, Username: 'newcomer', ConfirmationCode: '000000' });
  await call('SetUserMFAPreference', { AccessToken, SoftwareTokenMfaSettings: { Enabled: false } });
  await call('RevokeToken', { Token: RefreshToken, ClientId: CLIENT });
} finally {
  await endpoint.stop();
}
writeFileSync(new URL('answers.json', import.meta.url), `${JSON.stringify(answers, null, 1)}\n`);
console.log(`recorded ${answers.length} answers`);
