// The scenarios of passwordless-scenarios.mjs in headless Chromium, through
// the harness page (as browser.test.mjs runs scenarios.mjs).
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { passwordlessScenarios } from './passwordless-scenarios.mjs';
import { E2E, assertNoPageErrors, assertNoWasmTrap, harnessAgainst } from './support.mjs';

let page;
let problems;
let env;
let close;

before(async () => {
  ({ page, problems, env, close } = await harnessAgainst(join(E2E, 'seed-passkeys.json')));
});

after(() => close?.());

for (const { name } of passwordlessScenarios) {
  test(name, async () => {
    await page.evaluate(([name, env]) => window.harness.runPasswordless(name, env), [name, env]);
    assertNoWasmTrap(problems);
    assertNoPageErrors(problems);
  });
}
