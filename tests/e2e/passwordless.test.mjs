// The scenarios of passwordless-scenarios.mjs in Node: the packed package
// against the local endpoint (tests/e2e/seed-passkeys.json);
// passwordless-browser.test.mjs runs the same ones in Chromium.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import * as cognito from './.work/node_modules/cognito-wasm/js/index.js';
import { startEndpoint } from './endpoint.mjs';
import { passwordlessScenarios, runPasswordlessScenario } from './passwordless-scenarios.mjs';
import { E2E, readJson, unusedUrl } from './support.mjs';

const SEED = join(E2E, 'seed-passkeys.json');
let endpoint;
let env;

before(async () => {
  endpoint = await startEndpoint(SEED);
  env = { seed: readJson(SEED), endpoint: endpoint.url, unreachableEndpoint: await unusedUrl() };
});
after(() => endpoint?.stop());

for (const { name } of passwordlessScenarios) {
  test(name, () => runPasswordlessScenario(cognito, env, name));
}

// Node has no WebAuthn: the passkey prompt cannot run, a named error says so
// (webauthn.js, loaded for it), and the step stays for another try.
test('a passkey sign-in where there is no WebAuthn (Node) is PasskeyNotSupported, and the step stays', async () => {
  const pool = env.seed.userPools.find((p) => p.id === 'us-east-1_OtherRpE2E');
  const auth = new cognito.CognitoAuth({ userPoolId: pool.id, clientId: pool.clients[0].clientId, endpoint: endpoint.url });
  const input = { username: 'olga', authFlow: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' };
  await assert.rejects(auth.signIn(input), (error) => {
    assert.equal(error.name, 'PasskeyNotSupported');
    assert.match(error.message, /navigator\.credentials/);
    return true;
  });
  await assert.rejects(auth.confirmSignIn({ challengeResponse: 'WEB_AUTHN' }), { name: 'PasskeyNotSupported' });
  await assert.rejects(auth.confirmSignIn({ challengeResponse: 'PASSWORD' }), { name: 'ValidationError' });
  assert.equal(auth.tokens, null);
});
