// The packed npm package in Node against the hostile server: every scenario
// of fault-scenarios.mjs (faults-browser.test.mjs runs the same ones in
// Chromium). The figures each returns (settle times, attempts, wasm memory)
// are printed.
import { after, before, test } from 'node:test';
import * as cognito from './.work/node_modules/cognito-wasm/js/index.js';
import { startEndpoint } from './endpoint.mjs';
import { faultScenarios, runFaultScenario } from './fault-scenarios.mjs';
import { E2E, readJson } from './support.mjs';

const SEED = `${E2E}/seed-client-faults.json`;
let endpoint;
let env;

before(async () => {
  endpoint = await startEndpoint(SEED);
  env = { seed: readJson(SEED), endpoint: endpoint.url };
});
after(() => endpoint?.stop());

/** The sign-in module's wasm memory, in bytes (the glue's init returns the instance's exports once loaded). */
async function memory() {
  const { default: exports } = await import('./.work/node_modules/cognito-wasm/pkg/cognito_wasm.js');
  return (await exports()).memory.buffer.byteLength;
}

for (const { name } of faultScenarios) {
  test(name, async () => {
    const figures = await runFaultScenario(cognito, env, name, memory);
    console.log(`node: ${name}: ${JSON.stringify(figures)}`);
  });
}
