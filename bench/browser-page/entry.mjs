// The Chromium side of the benchmark, bundled by esbuild (bench/lib/build.mjs)
// with 'cognito-wasm' left external for the page's import map. The
// orchestrator calls window.bench.<phase>() through Playwright.
import initBench, * as benchWasm from '../.work/wasm/cognito_wasm_bench.js';
import { runLatency } from '../suites/latency.mjs';
import { runMaths } from '../suites/maths.mjs';
import { runMemory } from '../suites/memory.mjs';

// The same module URL index.js imports, so the same instance. The URL is in a
// variable so that esbuild leaves the import to the browser.
const PKG_GLUE = '/cognito-wasm/pkg/cognito_wasm.js';

async function wasmMemoryBytes() {
  const { default: initPkg } = await import(PKG_GLUE);
  // Already initialised by index.js: resolves to the instance's exports.
  return (await initPkg()).memory.buffer.byteLength;
}

window.bench = {
  async maths() {
    await initBench({ module_or_path: '/bench-work/wasm/cognito_wasm_bench_bg.wasm' });
    return runMaths(benchWasm);
  },
  latency: (config) => runLatency(config),
  memory: (config) => runMemory(config, wasmMemoryBytes),
};
window.benchReady = true;
