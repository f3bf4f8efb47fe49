// The phone benchmark (issue #17): what a user on a slow phone feels when
// signing in with cognito-wasm, amazon-cognito-identity-js and Amplify v6.
// `npm run bench` runs it as one of its phases (bench/run.mjs) and writes its
// tables into bench/results.md; on its own it prints them and writes
// bench/.work/phone/results.json:
//
//   node bench/phone/run.mjs [--package <dir|tarball>] [--rounds N] [--warmup N]
//
// --package: the cognito-wasm package to measure, a directory (packed with
// `npm pack` first) or a tarball; by default this repository.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanup, launchChromium, onCleanup, startEndpoint } from '../lib/processes.mjs';
import { median } from '../lib/stats.mjs';
import { textTable } from '../report.mjs';
import { buildPages, CLIENTS } from './build.mjs';
import { PHONE, measureClient } from './measure.mjs';
import { phoneTables } from './report.mjs';
import { serveGzipped } from './server.mjs';

const SEED = 'local-endpoint/seeds/demo.json';
/** The demo seed's pool, app client and user, which every page signs in as. */
export const USER = { userPoolId: 'us-east-1_DemoPool1', clientId: 'democlient0123456789abcdef', username: 'demo', password: 'Demo-Passw0rd!' };
const DEFAULTS = { rounds: 5, warmup: 1 };

/** cognito-local as it is now (incremental; the benchmark needs its --preflight-delay-ms). */
function buildEndpoint(root) {
  const env = { ...process.env, PATH: `${homedir()}/.cargo/bin:${process.env.PATH}` };
  const result = spawnSync('cargo', ['build', '--release', '-p', 'cognito-local'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error('cargo build --release -p cognito-local failed');
  return join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'release/cognito-local');
}

/**
 * cognito-local (`binary`) on the demo seed, holding each CORS preflight a
 * round trip: Chromium's throttling does not slow preflights.
 */
export function startPhoneEndpoint(binary, root) {
  return startEndpoint(binary, SEED, root, ['--preflight-delay-ms', String(PHONE.latencyMs)]);
}

/** Medians of every number of the samples, field by field (nested objects too). */
function medians(samples) {
  const [first] = samples;
  return Object.fromEntries(
    Object.entries(first).map(([key, value]) => [
      key,
      typeof value === 'object' ? medians(samples.map((s) => s[key])) : median(samples.map((s) => s[key])),
    ]),
  );
}

/**
 * Runs the phone benchmark in `browser` (scripts/chromium.mjs's Chromium):
 * `warmup` unrecorded rounds, then `rounds` rounds, each measuring the three
 * clients in turn (A B C, each in a fresh context). Resolves to
 * { meta, clients: { <name>: { label, samples, median } } }.
 */
export async function runPhoneBench({ root, browser, packageSpec = root, rounds = DEFAULTS.rounds, warmup = DEFAULTS.warmup, log = console.error }) {
  const binary = buildEndpoint(root);
  const load = () => loadavg()[0].toFixed(2);
  const loadAtStart = load();
  const work = join(root, 'bench/.work/phone');
  const { site, package: pkg } = await buildPages({ root, work, packageSpec, clientId: USER.clientId });
  const endpoint = await startPhoneEndpoint(binary, root);
  const server = await serveGzipped(site);
  const stopServer = onCleanup(server.close);
  const config = { endpoint: endpoint.url, ...USER };
  const clients = Object.fromEntries(CLIENTS.map(({ name, label }) => [name, { label, samples: [] }]));
  try {
    for (let round = 1 - warmup; round <= rounds; round++) {
      for (const { name } of CLIENTS) {
        const sample = await measureClient(browser, { pageUrl: `${server.url}/${name}/`, config });
        if (round > 0) clients[name].samples.push(sample);
        log(
          `phone ${round > 0 ? `round ${round}/${rounds}` : 'warm-up'} ${name}: ready ${Math.round(sample.readyMs)} ms, ` +
            `signed in ${Math.round(sample.signedInMs)} ms, TBT ${Math.round(sample.tbtMs)} ms, ` +
            `returning ${Math.round(sample.returning.tokensMs)} ms / ${sample.returning.bytes} B`,
        );
      }
    }
  } finally {
    await stopServer();
    await endpoint.stop();
  }
  for (const client of Object.values(clients)) client.median = medians(client.samples);
  const packageShown = { ...pkg, source: pkg.source === resolve(root) ? 'this repository (npm pack)' : pkg.source };
  return {
    meta: {
      package: packageShown,
      rounds,
      warmup,
      phone: PHONE,
      preflightDelayMs: PHONE.latencyMs,
      seed: SEED,
      // The CPU-bound clients suffer most from other work on the machine.
      load: { start: loadAtStart, end: load() },
    },
    clients,
  };
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--package':
        options.packageSpec = value;
        break;
      case '--rounds':
      case '--warmup':
        options[argv[i].slice(2)] = Number(value);
        if (!Number.isInteger(Number(value)) || Number(value) < (argv[i] === '--rounds' ? 1 : 0)) {
          throw new Error(`${argv[i]} needs a whole number`);
        }
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}\nusage: node bench/phone/run.mjs [--package <dir|tarball>] [--rounds N] [--warmup N]`);
    }
    i++;
  }
  return options;
}

async function main() {
  const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
  const options = parseArgs(process.argv.slice(2));
  const browser = await launchChromium();
  const phone = await runPhoneBench({ root, browser, ...options });
  phone.meta.chromium = browser.version();
  mkdirSync(join(root, 'bench/.work/phone'), { recursive: true });
  writeFileSync(join(root, 'bench/.work/phone/results.json'), JSON.stringify(phone, null, 2));
  console.log(`\n${phoneTables(phone).map(textTable).join('\n\n')}\n`);
  console.log(`samples in ${join(root, 'bench/.work/phone/results.json')}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => cleanup().then(() => process.exit(130)));
  try {
    await main();
  } catch (error) {
    console.error(`\nphone benchmark failed: ${error.stack ?? error}`);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
}
