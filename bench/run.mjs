// `npm run bench` (issue #6): SRP maths speed, bundle sizes, sign-in latency,
// start-up and memory, in headless Chromium and in Node, and (issue #17) the
// phone benchmark of the three clients (bench/phone/), written to
// bench/results.md and bench/chart.svg.
//
//   node bench/run.mjs [--rebuild-pkg]
//
// --rebuild-pkg runs scripts/build.sh first; without it pkg/ is built only
// when missing (and the report says so when it is older than src/).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '../scripts/static-server.mjs';
import { measureStartup, runPagePhase } from './lib/browser.mjs';
import { pkgState, prepare } from './lib/build.mjs';
import { cleanup, launchChromium, onCleanup, runNodePhase, startEndpoint } from './lib/processes.mjs';
import { median } from './lib/stats.mjs';
import { runPhoneBench } from './phone/run.mjs';
import { writeReport } from './report.mjs';
import { measureSizes } from './sizes.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url))); // no trailing slash
const DEMO_SEED = 'local-endpoint/seeds/demo.json';
// The demo pool without device tracking: with it, every sign-in of both
// clients adds ConfirmDevice (a third round trip and a device verifier), and
// the latency target is a sign-in's two round trips plus its maths.
const SEED = 'bench/.work/seed.json';

function writeSeed() {
  const seed = JSON.parse(readFileSync(`${root}/${DEMO_SEED}`, 'utf8'));
  for (const pool of seed.userPools) delete pool.deviceConfiguration;
  mkdirSync(`${root}/bench/.work`, { recursive: true });
  writeFileSync(`${root}/${SEED}`, JSON.stringify(seed));
}
const STARTUP_SAMPLES = { node: 5, chromium: 8 };

/** Pool, client and a signed-up user from the seed the endpoint loads. */
function seedConfig() {
  const pool = JSON.parse(readFileSync(`${root}/${SEED}`, 'utf8')).userPools[0];
  const user = pool.users.find((u) => u.status === 'CONFIRMED');
  return { userPoolId: pool.id, clientId: pool.clients[0].clientId, username: user.username, password: user.password };
}

const runStart = Date.now();
const step = (message) => console.error(`\n== [${Math.round((Date.now() - runStart) / 1000)} s] ${message}`);

async function sample(count, measure) {
  const samples = [];
  for (let i = 0; i < count; i++) samples.push(await measure());
  const totals = samples.map((s) => s.totalMs);
  return { medianMs: median(totals), initMedianMs: median(samples.map((s) => s.initMs)), samples: totals };
}

const load = () => loadavg()[0].toFixed(2);

async function main() {
  const loadAtStart = load();
  step('building');
  const { pkg, endpointBinary } = await prepare(root, { rebuildPkg: process.argv.includes('--rebuild-pkg') });
  if (pkg.stale) console.error(`warning: pkg/ (built ${pkg.built}) is older than src/; npm run bench -- --rebuild-pkg rebuilds it`);

  writeSeed();
  const endpoint = await startEndpoint(endpointBinary, SEED, root);
  const site = await serveStatic({
    '/bench/': `${root}/bench/browser-page`,
    '/bench-work/': `${root}/bench/.work`,
    '/cognito-wasm/': root, // laid out as in the npm tarball, as scripts/start.mjs serves it
  });
  onCleanup(site.close);
  const browser = await launchChromium();
  const config = { endpoint: endpoint.url, ...seedConfig() };
  const node = {};
  const chromium = {};

  step('sizes');
  const sizes = await measureSizes();

  step('start-up (fresh Node processes, fresh Chromium pages)');
  node.startup = await sample(STARTUP_SAMPLES.node, () => runNodePhase(root, 'startup'));
  chromium.startup = await sample(STARTUP_SAMPLES.chromium, () => measureStartup(browser, site.url));

  step('SRP maths per sign-in (checks agreement first)');
  node.maths = await runNodePhase(root, 'maths');
  chromium.maths = await runPagePhase(browser, site.url, 'maths');

  step('latency: 50 full sign-ins per client against the local endpoint');
  node.latency = await runNodePhase(root, 'latency', config);
  chromium.latency = await runPagePhase(browser, site.url, 'latency', config);

  // Nothing is timed here, so both runtimes may share the two cores.
  step('memory: 10, then 1,000 sign-ins');
  [node.memory, chromium.memory] = await Promise.all([
    runNodePhase(root, 'memory', config),
    runPagePhase(browser, site.url, 'memory', config),
  ]);

  step('phone: this package, amazon-cognito-identity-js and Amplify v6 on a throttled Chromium');
  const phone = await runPhoneBench({ root, browser });

  const meta = {
    date: new Date().toISOString(),
    command: 'npm run bench',
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    os: `${process.platform} ${release()}`,
    node: process.version,
    chromium: browser.version(),
    load: { start: loadAtStart, end: load() },
    pkg,
    // Other work may rebuild pkg/ while this runs; then the phases may have
    // measured different builds, and the report says so.
    pkgChanged: pkgState(root).built !== pkg.built,
    seconds: Math.round((Date.now() - runStart) / 1000),
  };
  const results = { meta, sizes, envs: { chromium, node }, phone };
  mkdirSync(`${root}/bench/.work`, { recursive: true });
  writeFileSync(`${root}/bench/.work/results.json`, JSON.stringify(results, null, 2)); // every sample, for digging
  await writeReport(results, `${root}/bench`);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => cleanup().then(() => process.exit(130)));
}
try {
  await main();
} catch (error) {
  console.error(`\nbench failed: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
