// Where a throttled first sign-in spends its time: one client's first visit
// on the phone benchmark's page, its requests as a timeline (ms since the
// navigation; sent, answered, finished with their bytes), then the page's
// marks and long tasks. For finding the critical path, not for numbers to
// report (that is `npm run bench`):
//
//   node bench/phone/trace.mjs [ours|acjs|amplify] [--no-preload]
//
// --no-preload leaves out of cognito-wasm's page README's script that
// preloads the sign-in wasm when signed out ("Using it"). The first visit
// is traced after one warm-up visit in another context. It runs the local
// endpoint as `npm run bench` last built it (target/release/cognito-local).
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cleanup, launchChromium, onCleanup } from '../lib/processes.mjs';
import { buildPages } from './build.mjs';
import { throttle } from './measure.mjs';
import { startPhoneEndpoint, USER } from './run.mjs';
import { serveGzipped } from './server.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const client = process.argv.find((arg) => ['ours', 'acjs', 'amplify'].includes(arg)) ?? 'ours';
const preload = !process.argv.includes('--no-preload');

/** One first visit in a fresh throttled context: the timeline's lines and the page's result. */
async function firstVisit(browser, url) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const events = [];
    const names = new Map();
    cdp.on('Network.requestWillBeSent', ({ requestId, timestamp, request }) => {
      const name = `${request.method} ${new URL(request.url).pathname.split('/').pop() || '/'} ${request.headers['X-Amz-Target']?.split('.').pop() ?? ''}`;
      names.set(requestId, name.trim());
      events.push([timestamp, 'sent', name.trim()]);
    });
    cdp.on('Network.responseReceived', ({ requestId, timestamp }) => events.push([timestamp, 'answered', names.get(requestId)]));
    cdp.on('Network.loadingFinished', ({ requestId, timestamp, encodedDataLength }) =>
      events.push([timestamp, 'finished', `${names.get(requestId)} (${encodedDataLength} B)`]),
    );
    await throttle(cdp);
    const done = new Promise((settle) => page.on('console', (message) => message.text().includes('visit done') && settle()));
    await page.goto(url);
    await done;
    const result = await page.evaluate(() => window.phoneResult);
    const start = Math.min(...events.map(([timestamp]) => timestamp));
    const lines = events
      .sort(([a], [b]) => a - b)
      .map(([timestamp, what, name]) => `${String(Math.round((timestamp - start) * 1000)).padStart(6)} ms  ${what.padEnd(8)} ${name}`);
    return { lines, result };
  } finally {
    await context.close();
  }
}

const binary = join(root, 'target/release/cognito-local');
if (!existsSync(binary)) throw new Error(`${binary} is missing: run \`cargo build --release -p cognito-local\` (npm run bench does)`);
const work = join(root, 'bench/.work/phone');
const { site } = await buildPages({ root, work, packageSpec: root, clientId: USER.clientId, preload });
try {
  const endpoint = await startPhoneEndpoint(binary, root);
  const server = await serveGzipped(site);
  onCleanup(server.close);
  const browser = await launchChromium();
  const url = `${server.url}/${client}/?visit=first&config=${encodeURIComponent(JSON.stringify({ endpoint: endpoint.url, ...USER }))}`;
  await firstVisit(browser, url);
  const { lines, result } = await firstVisit(browser, url);
  console.log(lines.join('\n'));
  console.log(`marks (ms): ${JSON.stringify(result.marks)}`);
  console.log(`long tasks [start, duration] (ms): ${JSON.stringify(result.longTasks?.map((task) => task.map(Math.round)))}`);
  if (result.error) console.log(`error: ${result.error}`);
} finally {
  await cleanup();
}
