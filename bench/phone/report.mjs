// The phone benchmark's tables, targets and method text, in bench/report.mjs's
// { title, headers, rows } form, for the console and bench/results.md.
import { formatMs } from '../chart.mjs';

/** Issue #17's targets. */
export const PHONE_TARGET = { vsAcjs: 1.5, vsAmplify: 2, tbtMs: 50 };

const ms = (x) => `${formatMs(x)} ms`;
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const times = (x) => `${x.toFixed(2)}×`;
const verdict = (ok) => (ok ? 'PASS' : 'MISS');

const METRICS = [
  ['time to ready', (m) => m.readyMs, ms],
  ['time to signed in', (m) => m.signedInMs, ms],
  ['sign-in (tap to tokens)', (m) => m.signInMs, ms],
  ['total blocking time during the sign-in', (m) => m.tbtMs, ms],
  ['returning visit: time to tokens', (m) => m.returning.tokensMs, ms],
  ['returning visit: bytes before the tokens', (m) => m.returning.bytes, kB],
];

const conditions = ({ meta }) =>
  `${meta.phone.cpuSlowdown}× CPU slowdown, ${meta.phone.latencyMs} ms RTT, ${meta.phone.downKbps / 1000} Mbit/s down, ${meta.phone.upKbps} kbit/s up`;

export function phoneTables(phone) {
  const { clients, meta } = phone;
  const list = Object.values(clients);
  const { ours, acjs, amplify } = clients;
  const ratio = (other, pick) => (pick(ours.median) > 0 ? times(pick(other.median) / pick(ours.median)) : 'n/a (ours is 0)');
  return [
    {
      title: `Phone: a first visit that signs in, then a returning visit (${conditions(phone)}; median of ${meta.rounds} rounds, each client in a fresh context)`,
      headers: ['client', 'ready', 'signed in', 'sign-in', 'TBT (sign-in)', 'calls + preflights per sign-in', 'returning: tokens', 'returning: bytes'],
      rows: list.map(({ label, median: m }) => [
        label,
        ms(m.readyMs),
        ms(m.signedInMs),
        ms(m.signInMs),
        ms(m.tbtMs),
        `${m.calls} + ${m.preflights}`,
        ms(m.returning.tokensMs),
        kB(m.returning.bytes),
      ]),
    },
    {
      title: 'Phone: ratios (the other client / cognito-wasm; above 1 means cognito-wasm is faster or smaller)',
      headers: ['measure', 'amazon-cognito-identity-js / ours', 'Amplify v6 / ours'],
      rows: METRICS.map(([label, pick]) => [label, ratio(acjs, pick), ratio(amplify, pick)]),
    },
  ];
}

export function phoneTargets({ clients }) {
  const { ours, acjs, amplify } = clients;
  const signedIn = (client) => client.median.signedInMs;
  const tokens = (client) => client.median.returning.tokensMs;
  const vsAcjs = signedIn(acjs) / signedIn(ours);
  const vsAmplify = signedIn(amplify) / signedIn(ours);
  const fastestOther = Math.min(tokens(acjs), tokens(amplify));
  return {
    title: 'Targets (issue #17, the phone benchmark)',
    headers: ['target', 'measured', 'verdict'],
    rows: [
      [`(#17 4a) cold sign-in (time to signed in) >= ${PHONE_TARGET.vsAcjs}× faster than amazon-cognito-identity-js`, `${times(vsAcjs)} (${ms(signedIn(ours))} vs ${ms(signedIn(acjs))})`, verdict(vsAcjs >= PHONE_TARGET.vsAcjs)],
      [`(#17 4b) cold sign-in >= ${PHONE_TARGET.vsAmplify}× faster than Amplify v6`, `${times(vsAmplify)} (${ms(signedIn(ours))} vs ${ms(signedIn(amplify))})`, verdict(vsAmplify >= PHONE_TARGET.vsAmplify)],
      ['(#17 4c) the fastest returning visit (time to tokens) of the three', `${ms(tokens(ours))} vs ${ms(fastestOther)} (the faster other)`, verdict(tokens(ours) < fastestOther)],
      [`(#17 4d) total blocking time during the sign-in < ${PHONE_TARGET.tbtMs} ms`, ms(ours.median.tbtMs), verdict(ours.median.tbtMs < PHONE_TARGET.tbtMs)],
    ],
  };
}

/** The method paragraph for results.md. */
export function phoneMethod(phone) {
  const { meta } = phone;
  return `- **Phone** (bench/phone/). Headless Chromium with CDP \`Emulation.setCPUThrottlingRate(${meta.phone.cpuSlowdown})\` and
  \`Network.emulateNetworkConditions\` (${meta.phone.latencyMs} ms latency, ${meta.phone.downKbps} kbit/s down, ${meta.phone.upKbps} kbit/s up);
  cognito-local with ${meta.seed} (the pool tracks devices, so every client also confirms the new device: amazon-cognito-identity-js and Amplify before their sign-in resolves, cognito-wasm after it, in the background), started with
  \`--preflight-delay-ms ${meta.preflightDelayMs}\` because Chromium does not throttle CORS preflights. One page per client
  (bench/phone/pages/), bundled, split and minified with esbuild and served gzip -9 from another origin with no HTTP cache;
  cognito-wasm's page has README's script that preloads the sign-in wasm with the HTML when no session is stored (a returning visit fetches no wasm), and
  prefetches the sign-in module when signed out; cognito-wasm ${meta.package.version} installed from ${meta.package.source}. Each sample is a fresh browser context: a first visit
  (load, construct, mark *ready*; sign in with SRP in the next task, mark *signed in*; times from navigation start) and a
  returning visit (the page loaded again: cognito-wasm \`await auth.ready\` then \`auth.tokens\`, amazon-cognito-identity-js
  \`getCurrentUser().getSession()\`, Amplify \`fetchAuthSession()\`). TBT is the sum of (duration − 50 ms) of the long tasks
  (PerformanceObserver) that ran during the sign-in, the one it starts in included. Calls and preflights are the POST and OPTIONS requests to the
  endpoint (CDP \`Network.requestWillBeSent\`) of the first visit; bytes are the \`encodedDataLength\` of the responses
  that finished before the returning visit's tokens. Clients alternate A B C; ${meta.warmup} warm-up round(s), then ${meta.rounds} rounds; medians per measure. Load
  average ${meta.load.start} at the start of this phase, ${meta.load.end} at its end: 4× is relative to this machine, and
  other work slows the maths-heavy clients most.`;
}
