// One phone-benchmark sample of one client: a fresh browser context (no
// storage, no HTTP or preflight cache) with CDP's CPU and network throttling,
// a first visit that loads the page and signs in, then a returning visit
// (the same page loaded again in the same context) that reads the stored
// tokens. CDP's Network events give the requests and the bytes.

/** Issue #17's phone: a 4x slower CPU, 150 ms round trips, 1.6 Mbit/s down, 750 kbit/s up. */
export const PHONE = { cpuSlowdown: 4, latencyMs: 150, downKbps: 1600, upKbps: 750 };

const VISIT_TIMEOUT_MS = 60_000;
/** What pages/visit.mjs logs once `window.phoneResult` is set. */
const DONE = 'phone benchmark: visit done';
const LONG_TASK_MS = 50;

/**
 * Sum of (duration - 50 ms) of the long tasks that ran between `from` and
 * `to`. The task that makes the `from` mark started a moment before it, so
 * overlapping counts; the page starts the sign-in in a new task, so no task
 * of the loading overlaps.
 */
export function blockingTime(longTasks, from, to) {
  return longTasks
    .filter(([start, duration]) => start + duration > from && start <= to)
    .reduce((sum, [, duration]) => sum + Math.max(0, duration - LONG_TASK_MS), 0);
}

/** Records the Network events of a CDP session; `take()` returns and clears them. */
function networkLog(cdp) {
  let sent = [];
  let finished = [];
  cdp.on('Network.requestWillBeSent', ({ requestId, request, timestamp, wallTime }) =>
    sent.push({ requestId, method: request.method, url: request.url, timestamp, wallTime }),
  );
  cdp.on('Network.loadingFinished', ({ requestId, timestamp, encodedDataLength }) =>
    finished.push({ requestId, timestamp, encodedDataLength }),
  );
  return {
    take() {
      const log = { sent, finished };
      sent = [];
      finished = [];
      return log;
    },
  };
}

async function visit(page, url, log) {
  // The page says when it is done, so nothing polls it while it is measured.
  const done = page.waitForEvent('console', { predicate: (message) => message.text() === DONE, timeout: VISIT_TIMEOUT_MS });
  log.take(); // what the previous visit left
  await page.goto(url);
  await done;
  const result = await page.evaluate(() => window.phoneResult);
  if (result.error) throw new Error(`${url}: ${result.error}`);
  return { ...result, network: log.take() };
}

/**
 * Bytes (encodedDataLength: headers and compressed body) of the responses
 * this visit requested that finished before the page's `mark` (ms since
 * its time origin). CDP timestamps are on a monotonic clock; a request's
 * wallTime ties them to the page's epoch-based time origin.
 */
export function bytesBefore({ sent, finished }, timeOrigin, markMs) {
  const [anchor] = sent; // every requestWillBeSent carries both clocks
  const epochMs = (timestamp) => (timestamp - anchor.timestamp + anchor.wallTime) * 1000;
  const deadline = timeOrigin + markMs;
  const requested = new Set(sent.map(({ requestId }) => requestId));
  const before = finished.filter(({ requestId, timestamp }) => requested.has(requestId) && epochMs(timestamp) <= deadline);
  return { bytes: before.reduce((sum, { encodedDataLength }) => sum + encodedDataLength, 0), responses: before.length };
}

/** The requests of a visit to the endpoint: API calls (POST) and preflights (OPTIONS). */
function endpointRequests({ sent }, endpoint) {
  const toEndpoint = sent.filter(({ url }) => url.startsWith(endpoint));
  return {
    calls: toEndpoint.filter(({ method }) => method === 'POST').length,
    preflights: toEndpoint.filter(({ method }) => method === 'OPTIONS').length,
  };
}

/** Makes the page of CDP session `cdp` the PHONE: its network events on, its network and CPU throttled. */
export async function throttle(cdp) {
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: PHONE.latencyMs,
    downloadThroughput: (PHONE.downKbps * 1000) / 8,
    uploadThroughput: (PHONE.upKbps * 1000) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: PHONE.cpuSlowdown });
}

/**
 * Measures client `name` once. `pageUrl` is its page, `config` the endpoint,
 * pool, client and user; resolves to the sample's numbers.
 */
export async function measureClient(browser, { pageUrl, config }) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const log = networkLog(cdp);
    await throttle(cdp);
    const query = (visitName) => `${pageUrl}?visit=${visitName}&config=${encodeURIComponent(JSON.stringify(config))}`;

    const first = await visit(page, query('first'), log);
    const returning = await visit(page, query('returning'), log);
    // The returning visit must have read the stored session, not made a new one.
    if (returning.accessToken !== first.accessToken) throw new Error(`${pageUrl}: the returning visit has other tokens`);
    const { marks } = first;
    return {
      readyMs: marks.ready,
      signedInMs: marks.signedIn,
      signInMs: marks.signedIn - marks.signInStart,
      tbtMs: blockingTime(first.longTasks, marks.signInStart, marks.signedIn),
      ...endpointRequests(first.network, config.endpoint),
      returning: {
        tokensMs: returning.marks.tokens,
        ...bytesBefore(returning.network, returning.timeOrigin, returning.marks.tokens),
        ...endpointRequests(returning.network, config.endpoint),
      },
    };
  } finally {
    await context.close();
  }
}
