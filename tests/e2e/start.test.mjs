// `npm start` as the README tells a person to use it: it builds, starts the
// local endpoint and the demo page, and prints where to go; a headless
// browser then signs in there with the credentials the README names.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, launchChromium, openPage, unusedUrl } from './support.mjs';

/** The first row of the README's credentials table: | `user` (or `alias`) | `password` | notes | */
function readmeCredentials() {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const row = readme.split('\n').find((line) => /^\| `[^`]+`.*\| `[^`]+` \|/.test(line));
  assert.ok(row, 'the README has a table row with the demo credentials');
  const [userCell, passwordCell] = row.split('|').slice(1, 3);
  const code = (cell) => cell.match(/`([^`]+)`/)[1];
  return { username: code(userCell), password: code(passwordCell) };
}

const portOf = (url) => new URL(url).port;

let start;
let output = '';
let browser;

before(async () => {
  const env = { ...process.env, ENDPOINT_PORT: portOf(await unusedUrl()), DEMO_PORT: portOf(await unusedUrl()) };
  start = spawn(process.execPath, ['scripts/start.mjs'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  start.stdout.on('data', (chunk) => (output += chunk));
  start.stderr.on('data', (chunk) => (output += chunk));
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`npm start printed no demo URL in time:\n${output}`)), 300_000);
    const poll = setInterval(() => {
      if (/Press Ctrl\+C to stop/.test(output)) {
        clearInterval(poll);
        clearTimeout(timer);
        ok();
      }
    }, 100);
    start.once('exit', (code) => fail(new Error(`npm start exited (${code}):\n${output}`)));
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (start && start.exitCode === null) {
    const exited = new Promise((ok) => start.once('exit', ok));
    start.kill('SIGTERM');
    await exited;
  }
});

test('npm start prints the demo URL, the API and the README credentials', () => {
  const { username, password } = readmeCredentials();
  // localhost, not 127.0.0.1: the demo pool's passkey relying party id is localhost.
  assert.match(output, /cognito-wasm demo:\s+http:\/\/localhost:\d+\//);
  assert.match(output, /local Cognito API:\s+http:\/\/127\.0\.0\.1:\d+/);
  assert.ok(output.includes(username) && output.includes(password), output);
});

test('a person signs in on the page npm start serves, with the README credentials', async () => {
  const { username, password } = readmeCredentials();
  const demoUrl = output.match(/cognito-wasm demo:\s+(\S+)/)[1];
  const apiUrl = output.match(/local Cognito API:\s+(\S+)/)[1];
  const { page, problems } = await openPage(browser, demoUrl);
  const byTestId = (id) => page.locator(`[data-testid="${id}"]`);
  await page.waitForSelector('[data-testid="sign-in-button"]:not([disabled])', { timeout: 15_000 });
  // The page defaults to port 9229; the test's endpoint runs on a free port.
  await byTestId('endpoint').fill(apiUrl);
  await byTestId('username').fill(username);
  await byTestId('password').fill(password);
  await byTestId('sign-in-button').click();
  await page
    .waitForSelector('[data-testid="signed-in"]:not([hidden]), [data-testid="error"]:not([hidden])', {
      timeout: 15_000,
    })
    .catch(() => {});
  assert.ok(await byTestId('signed-in').isVisible(), `not signed in; the page shows: ${await page.locator('main').innerText()}`);
  assert.match(await byTestId('signed-in').textContent(), new RegExp(`Signed in as ${username}`));
  assert.deepEqual(problems.pageErrors, []);
});
