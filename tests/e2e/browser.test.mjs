// The packed npm package in headless Chromium against the local Cognito
// endpoint: the harness page imports `cognito-wasm` through an import map and
// runs every scenario of scenarios.mjs, as signin.test.mjs does in Node.
import { after, before, test } from 'node:test';
import { scenarios } from './scenarios.mjs';
import { SIGNIN_SEED, assertNoPageErrors, assertNoWasmTrap, harnessAgainst } from './support.mjs';

let page;
let problems;
let env;
let close;

before(async () => {
  ({ page, problems, env, close } = await harnessAgainst(SIGNIN_SEED));
});

after(() => close?.());

for (const { name } of scenarios) {
  test(name, async () => {
    await page.evaluate(([name, env]) => window.harness.run(name, env), [name, env]);
    assertNoWasmTrap(problems);
    assertNoPageErrors(problems);
  });
}
