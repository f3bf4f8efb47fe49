// The example apps of examples/, each built and run as its README section
// says, signing in against the local endpoint with the demo user: Vite +
// React, webpack 5, Rollup, esbuild, a module Web Worker, a page under a
// strict CSP, Next.js (Turbopack and webpack builds: a client component, a
// server component, a route handler), a Cloudflare Worker (wrangler dev
// --local), Node (ESM and require), Deno and Bun.
//
// The examples share one install (examples/package.json, whose lock pins
// every bundler and runtime; scripts/setup.sh runs `npm ci` there when the
// lock changes); the packed package is copied into it as
// examples/node_modules/cognito-wasm, as `npm install cognito-wasm` would
// place it. The builds start together in `before`, as child processes where
// the tool has a command line, and each test waits for its own.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { serveStatic } from '../../scripts/static-server.mjs';
import { startEndpoint } from './endpoint.mjs';
import { DEMO_SEED, E2E, PACKAGE_DIR, ROOT, assertNoPageErrors, launchChromium, openPage, readJson, unusedUrl } from './support.mjs';

const EXAMPLES = join(ROOT, 'examples');
const MODULES = join(EXAMPLES, 'node_modules');
const bin = (name) => join(MODULES, '.bin', name);
const BUILD_TIMEOUT_MS = 240_000;

const pool = readJson(DEMO_SEED).userPools[0];
const demo = pool.users.find((u) => u.username === 'demo');
const SETTINGS = { pool: pool.id, client: pool.clients[0].clientId, user: demo.username, password: demo.password };
const DONE = `DONE ${demo.username}`;

let endpoint;
let browser;
const builds = {};
const running = [];

/**
 * Runs `command` in `cwd` (in a process group of its own, so that `stop`
 * ends its children too) and resolves to `{ stdout, stderr }` when it exits
 * with 0, else rejects with its output. Without `wait`, resolves at once to
 * `{ child, output, stop }`, for servers.
 */
function run(command, args, { cwd, env = {}, wait = true, timeout = BUILD_TIMEOUT_MS } = {}) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
    }
    await exited;
  };
  if (!wait) {
    const server = { child, output: () => stdout + stderr, stop };
    running.push(server);
    return server;
  }
  const timer = setTimeout(stop, timeout);
  return exited.then((code) => {
    clearTimeout(timer);
    const shown = `${command} ${args.join(' ')} (in ${cwd}) exited with ${code}:\n${stdout}\n${stderr}`;
    if (code !== 0) throw new Error(shown);
    return { stdout, stderr };
  });
}

/** Polls `url` until it answers (any status), for servers that print no single ready line. */
async function answering(url, server, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`the server exited:\n${server.output()}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(5_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`${url} did not answer in time:\n${server.output()}`);
}

const query = () => new URLSearchParams({ ...SETTINGS, endpoint: endpoint.url });
const serverEnv = () => ({
  COGNITO_POOL: SETTINGS.pool,
  COGNITO_CLIENT: SETTINGS.client,
  COGNITO_ENDPOINT: endpoint.url,
  COGNITO_USER: SETTINGS.user,
  COGNITO_PASSWORD: SETTINGS.password,
});

/** Opens `url` in Chromium and resolves to the text of #result once it is no longer "pending" (and no page error happened). */
async function resultOf(url, { click } = {}) {
  const { page, problems } = await openPage(browser, url);
  try {
    if (click) await page.click(click);
    await page.waitForFunction(() => !['', 'pending'].includes(document.getElementById('result')?.textContent ?? ''), null, {
      timeout: 20_000,
    });
    const text = await page.textContent('#result');
    assertNoPageErrors(problems);
    return { text, problems };
  } finally {
    await page.close();
  }
}

/** Serves `mounts` for the duration of `job(siteUrl)`. */
async function serving(mounts, job) {
  const site = await serveStatic(mounts);
  try {
    return await job(site.url);
  } finally {
    await site.close();
  }
}

/** Runs a webpack build with the example's config, in this process (webpack has no command line without webpack-cli). */
async function webpackBuild() {
  const { default: webpack } = await import(pathToFileURL(join(MODULES, 'webpack/lib/index.js')));
  const { default: config } = await import(pathToFileURL(join(EXAMPLES, 'webpack/webpack.config.js')));
  return new Promise((resolve, reject) =>
    webpack(config, (error, stats) => {
      if (error || stats.hasErrors()) reject(error ?? new Error(stats.toString('errors-only')));
      else resolve(stats.toJson({ all: false, warnings: true }).warnings);
    }),
  );
}

before(async () => {
  if (!existsSync(join(MODULES, '.package-lock.json'))) {
    throw new Error('examples/node_modules is missing: run `npm ci --prefix examples` (scripts/setup.sh does)');
  }
  rmSync(join(MODULES, 'cognito-wasm'), { recursive: true, force: true });
  cpSync(PACKAGE_DIR, join(MODULES, 'cognito-wasm'), { recursive: true });
  for (const dist of ['vite-react/dist', 'web-worker/dist', 'webpack/dist', 'rollup/dist', 'esbuild/dist', 'nextjs/.next', 'nextjs/.next-webpack']) {
    rmSync(join(EXAMPLES, dist), { recursive: true, force: true });
  }
  // All at once; a failure is reported by the test that waits for it.
  const start = (name, job) => (builds[name] = job()).catch(() => {});
  start('nextTurbopack', () => run(bin('next'), ['build'], { cwd: join(EXAMPLES, 'nextjs') }));
  start('nextWebpack', () => run(bin('next'), ['build', '--webpack'], { cwd: join(EXAMPLES, 'nextjs'), env: { NEXT_DIST_DIR: '.next-webpack' } }));
  start('viteReact', () => run(bin('vite'), ['build', '--logLevel', 'warn'], { cwd: join(EXAMPLES, 'vite-react') }));
  start('webWorker', () => run(bin('vite'), ['build', '--logLevel', 'warn'], { cwd: join(EXAMPLES, 'web-worker') }));
  start('rollup', () => run(bin('rollup'), ['-c', '--silent'], { cwd: join(EXAMPLES, 'rollup') }));
  start('esbuild', () => run(process.execPath, ['build.js'], { cwd: join(EXAMPLES, 'esbuild') }));
  start('webpack', webpackBuild);
  endpoint = await startEndpoint(DEMO_SEED);
  browser = await launchChromium();
});

after(async () => {
  for (const server of running) await server.stop();
  await browser?.close();
  await endpoint?.stop();
});

test('Vite + React: the useAuth hook signs in from the form, then an account call loads the account chunk', async () => {
  await builds.viteReact;
  const dist = join(EXAMPLES, 'vite-react/dist');
  const assets = readdirSync(join(dist, 'assets'));
  for (const asset of [/^cognito_wasm_bg.*\.wasm$/, /^cognito_wasm_account_bg.*\.wasm$/, /^account.*\.js$/]) {
    assert.ok(assets.some((name) => asset.test(name)), `no ${asset} among the built assets: ${assets.join(', ')}`);
  }
  await serving({ '/': dist }, async (site) => {
    const { page, problems } = await openPage(browser, `${site}/?${query()}`);
    await page.fill('input[name=username]', SETTINGS.user);
    await page.fill('input[name=password]', SETTINGS.password);
    await page.click('button[type=submit]');
    await page.waitForFunction(() => document.getElementById('result')?.textContent.includes('@'), null, { timeout: 20_000 });
    assert.equal(await page.textContent('#result'), `Signed in as ${demo.username} (${demo.attributes.email})`);
    assertNoPageErrors(problems);
    await page.close();
  });
});

test('webpack 5: no configuration, no warning, signs in', async () => {
  const warnings = await builds.webpack;
  assert.deepEqual(warnings.map((w) => w.message), [], 'webpack warns about nothing (no "Critical dependency")');
  await serving({ '/': join(EXAMPLES, 'webpack') }, async (site) => {
    assert.equal((await resultOf(`${site}/?${query()}`)).text, DONE);
  });
});

test('Rollup with node-resolve and importMetaAssets: signs in', async () => {
  await builds.rollup;
  await serving({ '/': join(EXAMPLES, 'rollup') }, async (site) => {
    assert.equal((await resultOf(`${site}/?${query()}`)).text, DONE);
  });
});

test('esbuild with splitting, the .wasm files imported as files and passed to init: signs in', async () => {
  await builds.esbuild;
  await serving({ '/': join(EXAMPLES, 'esbuild') }, async (site) => {
    assert.equal((await resultOf(`${site}/?${query()}`)).text, DONE);
  });
});

test('a module Web Worker built by Vite: signs in inside the worker', async () => {
  await builds.webWorker;
  await serving({ '/': join(EXAMPLES, 'web-worker/dist') }, async (site) => {
    assert.equal((await resultOf(`${site}/?${query()}`)).text, DONE);
  });
});

describe('a page without a build step under a strict Content Security Policy', () => {
  const mounts = { '/': join(EXAMPLES, 'csp'), '/cognito-wasm/': join(MODULES, 'cognito-wasm') };

  test("with 'wasm-unsafe-eval' in script-src: signs in", async () => {
    await serving(mounts, async (site) => assert.equal((await resultOf(`${site}/?${query()}`)).text, DONE));
  });

  test("without it: a WasmLoadError that says to add 'wasm-unsafe-eval', not 'unsafe-eval'", async () => {
    await serving(mounts, async (site) => {
      const { text } = await resultOf(`${site}/blocked.html?${query()}`);
      assert.match(
        text,
        /^WasmLoadError: cognito-wasm: the page's Content Security Policy forbids compiling WebAssembly: add 'wasm-unsafe-eval' to its script-src \(not 'unsafe-eval', which also allows eval\)/,
      );
    });
  });
});

for (const [name, build, distDir] of [
  ['Turbopack', 'nextTurbopack', '.next'],
  ['webpack', 'nextWebpack', '.next-webpack'],
]) {
  describe(`Next.js, built with ${name}`, () => {
    let server;
    let site;

    before(async () => {
      await builds[build];
      site = await unusedUrl();
      const { port } = new URL(site);
      server = run(bin('next'), ['start', '--port', port, '--hostname', '127.0.0.1'], {
        cwd: join(EXAMPLES, 'nextjs'),
        env: { ...serverEnv(), NEXT_DIST_DIR: distDir },
        wait: false,
      });
      await answering(`${site}/api/sign-in`, server);
    });

    after(() => server?.stop());

    test('a route handler signs in', async () => {
      const answer = await fetch(`${site}/api/sign-in`);
      assert.deepEqual(await answer.json(), { step: 'DONE', user: demo.username });
    });

    test('a server component signs in as it renders', async () => {
      const html = await (await fetch(`${site}/server`)).text();
      assert.match(html, new RegExp(`<output id="result">${DONE}</output>`), html.slice(0, 2_000));
    });

    test('a client component signs in in the browser', async () => {
      assert.equal((await resultOf(`${site}/client?${query()}`, { click: '#sign-in' })).text, DONE);
    });
  });
}

test('a Cloudflare Worker under wrangler dev --local (workerd): no configuration, signs in', async () => {
  const site = await unusedUrl();
  const { port } = new URL(site);
  const server = run(bin('wrangler'), ['dev', '--local', '--ip', '127.0.0.1', '--port', port, '--show-interactive-dev-session=false'], {
    cwd: join(EXAMPLES, 'worker'),
    wait: false,
  });
  try {
    await answering(site, server);
    const answer = await fetch(`${site}/?${query()}`);
    assert.deepEqual(await answer.json(), { step: 'DONE', user: demo.username });
  } finally {
    await server.stop();
  }
});

/** The JSON line a server-side example prints. */
const printed = ({ stdout }) => JSON.parse(stdout.trim().split('\n').at(-1));

test('Node: ESM and require(), no configuration, sign in; cognito-wasm/admin loads its wasm from its server entry', async () => {
  const cwd = join(EXAMPLES, 'node');
  for (const script of ['main.mjs', 'main.cjs']) {
    assert.deepEqual(printed(await run(process.execPath, [script], { cwd, env: serverEnv() })), { step: 'DONE', user: demo.username }, script);
  }
  const admin = `import init from 'cognito-wasm/admin';
    console.log(JSON.stringify({ entry: import.meta.resolve('cognito-wasm/admin').split('/').at(-1), loaded: (await init(), true) }));`;
  assert.deepEqual(printed(await run(process.execPath, ['--input-type=module', '-e', admin], { cwd })), { entry: 'admin-server.js', loaded: true });
});

describe('Deno', () => {
  test('the package by name, with --allow-net and --allow-env only: signs in', async () => {
    const done = await run(bin('deno'), ['run', '--allow-net=127.0.0.1', '--allow-env', 'main.ts'], { cwd: join(EXAMPLES, 'deno'), env: serverEnv() });
    assert.deepEqual(printed(done), { step: 'DONE', user: demo.username });
  });

  test('the browser entry by path, without --allow-read: a WasmLoadError that names the permission', async () => {
    const script = join(E2E, '.work', 'deno-no-read.mjs');
    writeFileSync(
      script,
      `import init from ${JSON.stringify(pathToFileURL(join(MODULES, 'cognito-wasm/js/index.js')).href)};
       await init().then(() => console.log('{"loaded":true}'), (error) => console.log(JSON.stringify({ name: error.name, message: error.message })));`,
    );
    const { name, message } = printed(await run(bin('deno'), ['run', script], { cwd: join(EXAMPLES, 'deno') }));
    assert.equal(name, 'WasmLoadError', message);
    assert.match(message, /^cognito-wasm: no permission to read the sign-in wasm .*cognito_wasm_bg\.wasm.*: allow it \(Deno: --allow-read/);
  });
});

test('Bun: no configuration, signs in', async () => {
  const done = await run(bin('bun'), ['run', 'main.ts'], { cwd: join(EXAMPLES, 'bun'), env: serverEnv() });
  assert.deepEqual(printed(done), { step: 'DONE', user: demo.username });
});
