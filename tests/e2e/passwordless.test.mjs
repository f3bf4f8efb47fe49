// The scenarios of passwordless-scenarios.mjs in Node: the packed package
// against the local endpoint (tests/e2e/seed-passkeys.json);
// passwordless-browser.test.mjs runs the same ones in Chromium.
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
