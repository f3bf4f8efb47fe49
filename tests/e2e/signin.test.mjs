// The packed npm package in Node against the local Cognito endpoint: every
// scenario of scenarios.mjs (browser.test.mjs runs the same ones in Chromium).
import { after, before, test } from 'node:test';
// The package as npm installs it: scripts/test.sh packs and extracts it here.
import * as cognito from './.work/node_modules/cognito-wasm/js/index.js';
import { startEndpoint } from './endpoint.mjs';
import { runScenario, scenarios } from './scenarios.mjs';
import { SIGNIN_SEED, readJson, unusedUrl } from './support.mjs';

let endpoint;
let env;

before(async () => {
  endpoint = await startEndpoint(SIGNIN_SEED);
  env = { seed: readJson(SIGNIN_SEED), endpoint: endpoint.url, unreachableEndpoint: await unusedUrl() };
});
after(() => endpoint?.stop());

for (const { name } of scenarios) {
  test(name, () => runScenario(cognito, env, name));
}
