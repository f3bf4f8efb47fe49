// SRP maths per sign-in of two builds of the bench crate (bench/wasm), side by
// side in one headless Chromium page, interleaved with
// amazon-cognito-identity-js, so that a change to the arithmetic can be judged
// by the benchmark's ratio without the whole `npm run bench`:
//
//   cargo build --release --target wasm32-unknown-unknown -p cognito-wasm-bench
//   wasm-bindgen --target web --out-dir bench/.work/wasm-a target/wasm32-unknown-unknown/release/cognito_wasm_bench.wasm
//   # change something, build again into bench/.work/wasm-b, then:
//   REPEATS=5 node bench/maths-ab.mjs bench/.work/wasm-a bench/.work/wasm-b
//
// Each repeat is a fresh page; the medians of each repeat and their median
// are printed, with acij/ours ratios.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '../scripts/static-server.mjs';
import { bundleForBrowser } from './lib/esbuild.mjs';
import { cleanup, launchChromium, onCleanup } from './lib/processes.mjs';
import { median, percentile } from './lib/stats.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dirs = process.argv.slice(2).map((dir) => resolve(dir));
if (dirs.length < 1) {
  console.error('usage: node bench/maths-ab.mjs <wasm-bindgen dir> [<wasm-bindgen dir> ...]');
  process.exit(2);
}
const REPEATS = Number(process.env.REPEATS ?? 3);
const ROUNDS = Number(process.env.ROUNDS ?? 8);

async function main() {
  mkdirSync(`${root}/bench/.work/browser`, { recursive: true });
  await bundleForBrowser(`${root}/bench/browser-page/maths-ab.mjs`, { outfile: `${root}/bench/.work/browser/maths-ab.js` });
  writeFileSync(`${root}/bench/.work/browser/maths-ab.html`, '<!doctype html><script type="module" src="maths-ab.js"></script>');
  const mounts = { '/page/': `${root}/bench/.work/browser` };
  dirs.forEach((dir, i) => (mounts[`/build${i}/`] = dir));
  const site = await serveStatic(mounts);
  onCleanup(site.close);
  const browser = await launchChromium();
  const names = dirs.map((dir, i) => `${i}:${basename(dir)}`);
  const perRepeat = names.map(() => []);
  const ratios = names.map(() => []);
  for (let r = 0; r < REPEATS; r++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.url}/page/maths-ab.html`);
    await page.waitForFunction(() => window.mathsAbReady === true, null, { timeout: 30_000 });
    const prefixes = dirs.map((_, i) => `${site.url}/build${i}`);
    const { timings } = await page.evaluate((options) => window.mathsAb(options), { prefixes, names, rounds: ROUNDS });
    await context.close();
    const acij = timings.acij.medianMs;
    const line = names.map((name, i) => {
      const ms = timings[name].medianMs;
      perRepeat[i].push(ms);
      ratios[i].push(acij / ms);
      const low = percentile(timings[name].raw, 20);
      return `${name} ${ms.toFixed(3)} ms, p20 ${low.toFixed(3)} (acij/ours ${(acij / ms).toFixed(2)}x)`;
    });
    console.log(`repeat ${r + 1}: acij ${acij.toFixed(2)} ms; ${line.join('; ')}`);
  }
  names.forEach((name, i) =>
    console.log(`median ${name}: ${median(perRepeat[i]).toFixed(3)} ms, acij/ours ${median(ratios[i]).toFixed(2)}x`),
  );
  if (names.length > 1) {
    const speedups = perRepeat[0].map((ms, r) => ms / perRepeat[1][r]);
    console.log(`median ${names[0]} / ${names[1]}: ${median(speedups).toFixed(4)}`);
  }
}

try {
  await main();
} catch (error) {
  console.error(`maths-ab failed: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
