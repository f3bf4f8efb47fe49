// The packed npm package in headless Chromium against the hostile server:
// the harness page runs every scenario of fault-scenarios.mjs, as
// faults.test.mjs does in Node, and their figures are printed.
import { after, before, test } from 'node:test';
import { faultScenarios } from './fault-scenarios.mjs';
import { E2E, assertNoPageErrors, assertNoWasmTrap, harnessAgainst } from './support.mjs';

let page;
let problems;
let env;
let close;

before(async () => {
  ({ page, problems, env, close } = await harnessAgainst(`${E2E}/seed-client-faults.json`));
});

after(() => close?.());

for (const { name } of faultScenarios) {
  test(name, async () => {
    const figures = await page.evaluate(([name, env]) => window.harness.runFault(name, env), [name, env]);
    console.log(`chromium: ${name}: ${JSON.stringify(figures)}`);
    assertNoWasmTrap(problems);
    assertNoPageErrors(problems);
  });
}
