// The packed npm package in headless Chromium against the local Cognito
// endpoint: the harness page imports `cognito-wasm` through an import map and
// runs every scenario of scenarios.mjs, as signin.test.mjs does in Node.
import { after, before, test } from 'node:test';
import { startEndpoint } from './endpoint.mjs';
import { scenarios } from './scenarios.mjs';
import {
  SIGNIN_SEED,
  assertNoPageErrors,
  assertNoWasmTrap,
  launchChromium,
  openHarness,
  readJson,
  serveHarness,
  unusedUrl,
} from './support.mjs';

let endpoint;
let site;
let browser;
let page;
let problems;
let env;

before(async () => {
  endpoint = await startEndpoint(SIGNIN_SEED);
  site = await serveHarness();
  browser = await launchChromium();
  ({ page, problems } = await openHarness(browser, site.url));
  env = { seed: readJson(SIGNIN_SEED), endpoint: endpoint.url, unreachableEndpoint: await unusedUrl() };
});

after(async () => {
  await browser?.close();
  await site?.close();
  await endpoint?.stop();
});

for (const { name } of scenarios) {
  test(name, async () => {
    await page.evaluate(([name, env]) => window.harness.run(name, env), [name, env]);
    assertNoWasmTrap(problems);
    assertNoPageErrors(problems);
  });
}
