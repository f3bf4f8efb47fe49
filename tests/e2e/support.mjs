// Node-side helpers of the end-to-end tests: where things are, free ports,
// headless Chromium, and the static sites the browser tests load. (The
// scenarios and their checks are in scenarios.mjs, which also runs in the
// browser.)
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { launchChromium } from '../../scripts/chromium.mjs';
import { demoMounts, serveStatic } from '../../scripts/static-server.mjs';
import { startEndpoint } from './endpoint.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export const ROOT = here('../..');
export const E2E = here('.');
/** The npm tarball as scripts/test.sh extracts it ("build and pack"). */
export const PACKAGE_DIR = here('./.work/node_modules/cognito-wasm');
export const SCREENSHOTS = here('./.work/screenshots');
export const SIGNIN_SEED = here('./seed-signin.json');
export const DEMO_SEED = here('../../local-endpoint/seeds/demo.json');
/** The seed of the sessions, tabs and verify tests, its pool and its plain client. */
export const SESSIONS_SEED = here('./seed-sessions.json');
export { SESSIONS_CLIENT, SESSIONS_POOL } from './session-scenarios.mjs';

export const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** The PKCE S256 challenge of `verifier` (RFC 7636), by Node's crypto: the reference the tests check the client and the endpoint against. */
export const s256 = (verifier) => createHash('sha256').update(verifier, 'ascii').digest('base64url');

/** A URL on 127.0.0.1 where nothing listens: a port that was free a moment ago. */
export async function unusedUrl() {
  const server = createServer();
  await new Promise((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return `http://127.0.0.1:${port}`;
}

/** The site of browser.test.mjs: the harness page, the packed package and the scenarios. */
export function serveHarness() {
  return serveStatic({
    '/': join(E2E, 'harness'),
    '/cognito-wasm/': PACKAGE_DIR,
    '/e2e/': E2E,
  });
}

/**
 * A page of another origin that runs `script` (an ES module of a reference
 * client, bundled for the browser by esbuild from the repository's
 * node_modules) as `tests/e2e/.work/<name>/<file>`: resolves to the
 * static server (`url`, `close()`).
 */
export async function servePageScript(name, script, file = 'app.js') {
  const bundle = await build({
    stdin: { contents: script, resolveDir: ROOT },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    logLevel: 'silent',
  });
  const site = join(E2E, '.work', name);
  await mkdir(site, { recursive: true });
  await writeFile(join(site, file), bundle.outputFiles[0].text);
  await writeFile(join(site, 'index.html'), `<!doctype html><link rel="icon" href="data:,"><script type="module" src="${file}"></script>`);
  return serveStatic({ '/': site });
}

/** The demo site laid out as scripts/start.mjs serves it (`npm start`). */
export function serveDemo() {
  return serveStatic(demoMounts(ROOT));
}

export { launchChromium };

/**
 * A new page of `browser` (a Browser, or a BrowserContext for pages that share
 * storage) that records its uncaught errors and console errors in `problems`
 * (strings), for `assertNoWasmTrap` and `assertNoPageErrors`.
 */
export async function openPage(browser, url) {
  const page = await browser.newPage();
  const problems = { pageErrors: [], consoleErrors: [] };
  page.on('pageerror', (error) => problems.pageErrors.push(`${error.name}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  await page.goto(url);
  return { page, problems };
}

/**
 * `openPage` on the harness site at `siteUrl` (`serveHarness`; at `path`, the
 * harness page by default), once the page's `window.harness` is ready: the
 * package loaded through the import map.
 */
export async function openHarness(browser, siteUrl, path = '/') {
  const opened = await openPage(browser, `${siteUrl}${path}`);
  await opened.page.waitForFunction(() => window.harness?.ready, null, { timeout: 10_000 }).catch((error) => {
    throw new Error(`the harness page did not load: ${JSON.stringify(opened.problems)}`, { cause: error });
  });
  return opened;
}

/**
 * What the tests that run shared scenarios in the harness page need: an
 * endpoint on `seed`, the harness site, Chromium with the page open, the
 * `env` the scenarios get, and `close` for all of it.
 */
export async function harnessAgainst(seed) {
  const opened = [];
  const close = async () => {
    for (const stop of opened.reverse()) await stop();
  };
  try {
    const endpoint = await startEndpoint(seed);
    opened.push(() => endpoint.stop());
    const site = await serveHarness();
    opened.push(() => site.close());
    const browser = await launchChromium();
    opened.push(() => browser.close());
    const { page, problems } = await openHarness(browser, site.url);
    const env = { seed: readJson(seed), endpoint: endpoint.url, unreachableEndpoint: await unusedUrl() };
    return { endpoint, page, problems, env, close };
  } catch (error) {
    await close();
    throw error;
  }
}

const TRAP = /RuntimeError|unreachable|panicked|recursive use of an object/;

/** Fails when a page error or console error shows a wasm trap or panic. */
export function assertNoWasmTrap({ pageErrors, consoleErrors }) {
  const traps = [...pageErrors, ...consoleErrors].filter((text) => TRAP.test(text));
  if (traps.length) throw new Error(`the wasm module trapped in the page:\n${traps.join('\n')}`);
}

/** Fails on any uncaught error in the page. */
export function assertNoPageErrors({ pageErrors }) {
  if (pageErrors.length) throw new Error(`uncaught errors in the page:\n${pageErrors.join('\n')}`);
}

/**
 * A virtual passkey authenticator for `page` (the DevTools protocol's
 * WebAuthn domain): a platform authenticator with resident keys that
 * verifies the user and answers every prompt as a person would. Returns the
 * CDP session and the authenticator's id (for WebAuthn.getCredentials and
 * the like).
 */
export async function addPasskeyAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** Saves a screenshot (of the full page, or with `fullPage: false` of what the window shows) as tests/e2e/.work/screenshots/<name>.png. */
export async function screenshot(page, name, { fullPage = true } = {}) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}
