// Turns the measurements into the console tables, bench/results.md and
// bench/chart.svg. Verdicts are computed here from the run's own numbers;
// nothing is hard-coded but the issue's thresholds and anchors.
import { writeFile } from 'node:fs/promises';
import { chartSvg, formatMs } from './chart.mjs';
import { phoneMethod, phoneTables, phoneTargets } from './phone/report.mjs';

/** Issue #6's thresholds. */
// The sign-in path's budget is issue #12's (docs/size.md), tested in tests/e2e/size.test.mjs.
const TARGET = { acijRatio: 30, baselineRatio: 2, gzipKb: 48 };
/** Issue #6's anchors (Node 20, 2 cores), quoted for comparison only. */
const ANCHORS = 'amazon-cognito-identity-js about 350 ms of SRP maths per sign-in; JS BigInt about 18 ms per 3072-bit modexp with a 1024-bit exponent; bundles 92 kB min / 27.2 kB gzip (amazon-cognito-identity-js) and 154 kB / 44.7 kB (Amplify v6)';
const ENVS = [
  ['chromium', 'Chromium'],
  ['node', 'Node'],
];

/**
 * The maths rows and the ratios, for the a-sizes the run used: `ours` = the
 * size the package draws (from the crate), `ref` = the reference clients'.
 */
function mathsPlan({ ourBits: ours, referenceBits: ref, modPowBits }) {
  const sizes = [...new Set([ours, ref])];
  const rows = [
    ...sizes.map((bits) => ({ key: `ours@${bits}`, label: `cognito-wasm, ${bits}-bit a`, client: 'ours' })),
    ...sizes.map((bits) => ({ key: `baseline@${bits}`, label: `JS BigInt baseline, ${bits}-bit a`, client: 'baseline' })),
    { key: `acij@${ref}`, label: `amazon-cognito-identity-js, ${ref}-bit a`, client: 'acij' },
  ];
  const modPowRows = [
    { key: `modPow ours@${modPowBits}`, label: `modexp 3072-bit, ${modPowBits}-bit exponent: cognito-wasm` },
    { key: `modPow baseline@${modPowBits}`, label: `modexp 3072-bit, ${modPowBits}-bit exponent: JS BigInt` },
    { key: `modPow crypto-bigint@${modPowBits}`, label: `modexp 3072-bit, ${modPowBits}-bit exponent: crypto-bigint 0.6` },
  ];
  // "slow / fast": how many times faster `fast` is; `min` is the issue's target.
  const ratio = (slow, fast, label, min, show) => ({ slow, fast, label, min, show });
  const ratios = [
    ratio(`acij@${ref}`, `ours@${ours}`, `amazon-cognito-identity-js / ours@${ours}`, TARGET.acijRatio),
    ratio(`baseline@${ref}`, `ours@${ours}`, `baseline@${ref} / ours@${ours}`, TARGET.baselineRatio),
  ];
  if (ours !== ref) {
    ratios.push(
      // The issue's 30× is for the sign-in as shipped; at equal exponent sizes it asks for the ratio to be reported.
      ratio(`acij@${ref}`, `ours@${ref}`, `amazon-cognito-identity-js / ours@${ref} (equal a)`, null, 'reported'),
      ratio(`baseline@${ours}`, `ours@${ours}`, `baseline@${ours} / ours@${ours} (equal a)`, TARGET.baselineRatio),
      ratio(`baseline@${ref}`, `ours@${ref}`, `baseline@${ref} / ours@${ref} (equal a)`, TARGET.baselineRatio),
    );
  }
  ratios.push(ratio(modPowRows[1].key, modPowRows[0].key, 'modexp: baseline / ours'));
  // Why the arithmetic is hand-written (docs/size.md): the well-kept library, same exponent.
  ratios.push(ratio(modPowRows[2].key, modPowRows[0].key, 'modexp: crypto-bigint / ours'));
  return { rows, modPowRows, ratios };
}

/** wasm memory grows in 64 KiB pages. */
const pages = (bytes) => `${bytes / 65536} pages (${(bytes / 1000).toFixed(1)} kB)`;
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const times = (x) => `${x.toFixed(1)}×`;
const ms = (x) => `${formatMs(x)} ms`;
const verdict = (ok) => (ok ? 'PASS' : 'MISS');
const mathsMs = (env, key) => env.maths.timings[key].medianMs;
const ratioOf = (env, { slow, fast }) => mathsMs(env, slow) / mathsMs(env, fast);

function tables({ sizes, envs }, plan) {
  const perEnv = (fn) => ENVS.map(([key]) => fn(envs[key]));
  const envHeads = ENVS.map(([, name]) => name);
  return [
    {
      title: 'SRP maths per sign-in (median ms; computing A, then the password claim)',
      headers: ['client', ...envHeads, 'samples (Chromium)'],
      rows: [...plan.rows, ...plan.modPowRows].map(({ key, label }) => [
        label,
        ...perEnv((env) => ms(mathsMs(env, key))),
        String(envs.chromium.maths.timings[key].samples),
      ]),
    },
    {
      title: 'First sign-in of a fresh wasm instance (one sample: cold JIT, g^a by squarings and doublings, and building the comb tables of g that g^x uses)',
      headers: ['client', ...envHeads],
      rows: [[`cognito-wasm, ${envs.chromium.maths.ourBits}-bit a`, ...perEnv((env) => ms(env.maths.firstCallMs))]],
    },
    {
      title: 'Speed ratios (how many times faster cognito-wasm is; one run, so machine noise cancels)',
      headers: ['ratio', ...envHeads, 'target'],
      rows: plan.ratios.map((r) => [r.label, ...perEnv((env) => times(ratioOf(env, r))), r.min ? `>= ${r.min}×` : '']),
    },
    {
      title: 'Sign-in path size (esbuild --bundle --minify --format=esm --platform=browser, gzip -9; kB = 1,000 bytes)',
      headers: ['client', 'JS min', 'JS gzip', 'wasm', 'wasm gzip', 'total min', 'total gzip'],
      rows: sizes.map((s) => [
        s.label,
        kB(s.js.min),
        kB(s.js.gzip),
        s.wasm ? kB(s.wasm.min) : '',
        s.wasm ? kB(s.wasm.gzip) : '',
        kB(s.total.min),
        kB(s.total.gzip),
      ]),
    },
    {
      title: `Full sign-in latency against the local endpoint (${envs.chromium.latency.ours.count} sign-ins each, alternating)`,
      headers: ['client', ...envHeads.flatMap((e) => [`${e} p50`, `${e} p95`])],
      rows: [
        ['cognito-wasm', ...perEnv((env) => [ms(env.latency.ours.p50), ms(env.latency.ours.p95)]).flat()],
        ['amazon-cognito-identity-js', ...perEnv((env) => [ms(env.latency.acij.p50), ms(env.latency.acij.p95)]).flat()],
        [
          'ratio (acij / ours)',
          ...perEnv((env) => [times(env.latency.acij.p50 / env.latency.ours.p50), times(env.latency.acij.p95 / env.latency.ours.p95)]).flat(),
        ],
      ],
    },
    {
      title: 'Start-up: import to ready (compile and instantiate), fresh process or page, median',
      headers: ['runtime', 'import to ready', 'of which init()', 'samples'],
      rows: ENVS.map(([key, name]) => [
        name,
        ms(envs[key].startup.medianMs),
        ms(envs[key].startup.initMedianMs),
        String(envs[key].startup.samples.length),
      ]),
    },
    {
      title: 'wasm linear memory of the package',
      headers: ['runtime', 'first reading', 'last reading', 'grew', 'how'],
      rows: ENVS.map(([key, name]) => {
        const m = envs[key].memory;
        return [name, `${pages(m.afterFirst)} after ${m.first}`, `${pages(m.afterTotal)} after ${m.total}`, m.grew ? 'yes' : 'no', m.method];
      }),
    },
  ];
}

function targets({ sizes, envs }, plan) {
  const c = envs.chromium;
  const ours = sizes.find((s) => s.name === 'ours');
  const rows = plan.ratios.filter((r) => r.min || r.show).map((r) => {
    const ratio = ratioOf(c, r);
    if (!r.min) return [`(1) SRP maths in Chromium, ${r.label} (no threshold)`, times(ratio), r.show];
    return [`(1) SRP maths in Chromium, ${r.label} >= ${r.min}×`, times(ratio), verdict(ratio >= r.min)];
  });
  rows.push([
    `(2) sign-in path <= ${TARGET.gzipKb} kB gzip (entry + sign-in chunk + wasm; budget)`,
    `${kB(ours.total.gzip)} (JS ${kB(ours.js.gzip)} + wasm ${kB(ours.wasm.gzip)})`,
    verdict(ours.total.gzip <= TARGET.gzipKb * 1000),
  ]);
  rows.push([
    '(3) sign-in latency in Chromium, p50 / p95 (no threshold)',
    `ours ${ms(c.latency.ours.p50)} / ${ms(c.latency.ours.p95)}, acij ${ms(c.latency.acij.p50)} / ${ms(c.latency.acij.p95)}`,
    'reported',
  ]);
  rows.push([
    '(4a) start-up, import to ready (no threshold)',
    `Chromium ${ms(c.startup.medianMs)}, Node ${ms(envs.node.startup.medianMs)}`,
    'reported',
  ]);
  for (const [key, name] of ENVS) {
    const m = envs[key].memory;
    rows.push([
      `(4b) ${name}: memory after ${m.total} sign-ins <= after ${m.first}`,
      `${pages(m.afterTotal)} vs ${pages(m.afterFirst)}`,
      verdict(!m.grew),
    ]);
  }
  return { title: 'Targets (issue #6)', headers: ['target', 'measured', 'verdict'], rows };
}

export function markdownTable({ title, headers, rows }) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [`### ${title}`, '', line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export function textTable({ title, headers, rows }) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [title, line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Warnings about what the run measured, for the console and results.md. */
function caveats({ meta }) {
  const notes = [];
  if (meta.pkg.stale) {
    notes.push(
      `pkg/ (built ${meta.pkg.built}) was older than src/ when this ran, so sizes, latency, start-up, memory and the phone benchmark measure that older build; the SRP maths rows use the bench crate built from the current src/. \`npm run bench -- --rebuild-pkg\` rebuilds pkg/ first.`,
    );
  }
  if (meta.pkgChanged) notes.push('pkg/ was rebuilt by something else during this run, so the phases may have measured different builds.');
  return notes;
}

function markdown(results, sections) {
  const { meta } = results;
  const { ourBits, referenceBits } = results.envs.chromium.maths;
  const notes = caveats(results).map((note) => `\n> **Note:** ${note}\n`).join('');
  return `# cognito-wasm benchmark

Generated by \`${meta.command}\` (bench/run.mjs) on ${meta.date}; do not edit by hand.
${notes}
![SRP maths per sign-in and sign-in path size](chart.svg)

${sections.map(markdownTable).join('\n\n')}

## Machine

- ${meta.cores} cores (${meta.cpu}), ${meta.os}; load average ${meta.load.start} at the start, ${meta.load.end} at the end (other work on the machine adds noise; the ratios share it)
- Node ${meta.node}, Chromium ${meta.chromium} (headless, playwright-core)
- pkg/ built ${meta.pkg.built}; the run took ${meta.seconds} s

## Method

- **Maths.** One sign-in's client maths: A = g^a, then u, x, S, the HKDF key and the
  PASSWORD_CLAIM_SIGNATURE HMAC, with a fresh random \`a\` per call. cognito-wasm is the
  \`signInMaths\` export of bench/wasm (the library's own SRP code); the baseline is
  bench/baseline/srp-bigint.mjs (BigInt square-and-multiply, @noble/hashes);
  amazon-cognito-identity-js is \`new AuthenticationHelper\` + getLargeAValue +
  getPasswordAuthenticationKey + the HMAC, as CognitoUser does. B is a real server value
  (k·v + g^b from a fixed password and salt). Before timing, all three clients and the
  server-side formula (A·v^u)^b must give the same signature for pinned ${ourBits}- and
  ${referenceBits}-bit secrets (${ourBits} bits is the size the package draws, read from the crate), and the baseline and amazon-cognito-identity-js must match the public
  alexrudd/cognito-srp vector. Each candidate is warmed up, then timed in interleaved
  rounds; a sample is one call or a batch of calls lasting at least about 25 ms; the table shows the median.
- **Sizes.** One entry per client that imports its sign-in API (bench/size-entries/), built
  with the same esbuild options; gzip is node:zlib at level 9. cognito-wasm's wasm is
  pkg/cognito_wasm_bg.wasm as \`bash scripts/build.sh\` leaves it (${meta.pkg.wasmOpt ? 'which runs wasm-opt -Os from npm binaryen' : 'no wasm-opt'}).
  cognito-wasm is bundled with --splitting: its row counts the chunks the entry loads up front;
  the account module's row is the chunk loaded on the first account call plus
  pkg/account/cognito_wasm_account_bg.wasm.
- **Latency.** cognito-local with the demo seed, its pool not tracking devices (no ConfirmDevice round trip); one CognitoAuth reused for every sign-in,
  a new CognitoUser per sign-in on one CognitoUserPool; three warm-up sign-ins each.
- **Start-up.** \`performance.now()\` before \`import('cognito-wasm')\` and after
  \`await init()\`, in a fresh Node process or a fresh Chromium page (no HTTP caching).
- **Memory.** \`memory.buffer.byteLength\` of the package's wasm instance (reached through
  pkg/cognito_wasm.js's init, which resolves to the exports once initialised).
- Issue #6's anchors, for comparison: ${ANCHORS}.
${results.phone ? `${phoneMethod(results.phone)}\n` : ''}`;
}

/** Prints the tables and writes results.md and chart.svg into `dir`. */
export async function writeReport(results, dir) {
  const plan = mathsPlan(results.envs.chromium.maths);
  const phone = results.phone ? { targets: [phoneTargets(results.phone)], tables: phoneTables(results.phone) } : { targets: [], tables: [] };
  const sections = [targets(results, plan), ...phone.targets, ...tables(results, plan), ...phone.tables];
  console.log(`\n${sections.map(textTable).join('\n\n')}\n`);
  for (const note of caveats(results)) console.log(`note: ${note}`);
  const mathsRows = plan.rows.map(({ key, label, client }) => ({
    label,
    client,
    chromium: mathsMs(results.envs.chromium, key),
    node: mathsMs(results.envs.node, key),
  }));
  const caption = `npm run bench, ${results.meta.date.slice(0, 10)}: ${results.meta.cores} cores, Node ${results.meta.node}, Chromium ${results.meta.chromium}`;
  await writeFile(`${dir}/chart.svg`, chartSvg({ mathsRows, sizes: results.sizes, targetKb: TARGET.gzipKb, caption }));
  await writeFile(`${dir}/results.md`, markdown(results, sections));
  console.log(`wrote ${dir}/results.md and ${dir}/chart.svg`);
}
